# Las páginas públicas de Upstate en español. Los identificadores son los de en/public.ftl.

## How numbers and dates are written

number-decimal-separator = ,
month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre
date-day = { $day } de { $month } de { $year }
date-month = { $month } de { $year }
date-time-utc = { $date }, { $time } UTC

## Times in words

time-just-now = ahora mismo
time-minutes-ago = hace { $count } min
time-hours-ago = hace { $count } h
time-yesterday = ayer
time-days-ago = hace { $count } días
duration-minutes = { $minutes } min
duration-hours = { $hours } h { $minutes } min
duration-days = { $days ->
    [one] { $days } día { $hours } h
   *[other] { $days } días { $hours } h
}

## Statuses, always shown with an icon beside them

service-status-operational = Operativo
service-status-degraded-performance = Rendimiento degradado
service-status-partial-outage = Interrupción parcial
service-status-major-outage = Interrupción grave
service-status-under-maintenance = En mantenimiento
incident-status-investigating = Investigando
incident-status-identified = Causa identificada
incident-status-monitoring = En observación
incident-status-resolved = Resuelto
impact-none = Ninguno
impact-minor = Menor
impact-major = Grave
impact-critical = Crítico
maintenance-status-scheduled = Programado
maintenance-status-in-progress = En curso
maintenance-status-completed = Completado
maintenance-status-cancelled = Cancelado
indicator-none = Todos los sistemas operativos
indicator-minor = Interrupción menor del servicio
indicator-major = Interrupción parcial de los sistemas
indicator-critical = Interrupción grave de los sistemas
indicator-maintenance = Mantenimiento programado en curso

## The status page

status-page-title = { $state } · Estado de { $page }
services-heading = Servicios
open-incidents-heading = Incidentes abiertos
maintenance-heading = Mantenimiento
maintenance-affects = Afecta a { $services }
past-incidents-heading = Incidentes anteriores
no-incidents = No se han registrado incidentes.
older-incidents = Incidentes más antiguos
uptime-bars-label = Disponibilidad de los últimos 90 días
uptime-percent = { $percent } % de disponibilidad
uptime-no-data = Aún no hay datos
uptime-day-no-data = Sin datos
uptime-bar-day = { $day }: { $status }
uptime-bar-days = Del { $first } al { $last }: { $status }, { $count } días
uptime-bar-down = , { $hours } h { $minutes } min sin servicio
subscribe-open = Suscribirse a las novedades
subscribe-heading = Suscribirse a las novedades
subscribe-intro = Reciba un correo cuando se publique un incidente o un mantenimiento. Primero le enviamos un enlace de confirmación.
subscribe-email = Correo electrónico
subscribe-submit = Suscribirse
subscribe-cancel = Cancelar
subscribe-more = Solo algunos servicios, o un webhook
live-live = ● En directo
live-connecting = ○ Conectando…
live-reconnecting = ○ Reconectando…
announce-new-incident = Nuevo incidente: { $title }
language-label = Idioma

## An incident's page

incident-page-title = { $incident } · Estado de { $page }
incident-lasted = Duró { $duration }
incident-ongoing-since = En curso desde el { $since }
affected-services-heading = Servicios afectados
timeline-heading = Cronología
postmortem-heading = Análisis posterior

## Shared by the pages

incident-meta = Impacto { $impact } · { $status }
about-service = Acerca de { $service }
back-to-status = ← Estado de { $page }
announce-service = { $service } ahora está: { $status }
status-page-description = { $state }. Estado en directo de { $page }.
incident-page-description = Impacto { $impact } · { $status }. Un incidente en la página de estado de { $page }.
missing-page-heading = Aquí no hay ninguna página de estado
missing-page-text = No hay ninguna organización llamada «{ $slug }».
missing-incident-heading = Ese incidente no existe
missing-incident-text = Esta página de estado no tiene ningún incidente en esta dirección.
go-to-start = Ir a la página de inicio
brand-links-label = Organización
home-link = Sitio web
support-link = Soporte

## The history

history-page-title = Historial de incidentes · Estado de { $page }
history-heading = Historial de incidentes
history-link = Historial de incidentes por mes
history-empty-month = No se han registrado incidentes ni mantenimientos.
history-maintenance-meta = Mantenimiento · { $status }
history-newer = ← Más recientes
history-older = Más antiguos →
history-pages-label = Páginas del historial
history-service = Servicio
history-all-services = Todos los servicios
history-show = Mostrar
history-span = { $first } a { $last }
history-description = { $count ->
    [one] Incidentes y mantenimientos anteriores de { $page }: { $count } incidente, { $span }.
   *[other] Incidentes y mantenimientos anteriores de { $page }: { $count } incidentes, { $span }.
}
missing-history-heading = Esa página del historial no existe
