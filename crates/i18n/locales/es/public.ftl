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

## Subscriptions: the subscribe form and a subscription's own pages (confirm, manage, unsubscribe)

sub-page-title = Suscribirse a { $page }
sub-heading = Reciba las actualizaciones de estado de { $page }
sub-intro = Entérese de los incidentes y los mantenimientos en cuanto ocurren. Primero le enviamos un correo para confirmar; cada mensaje incluye un enlace para darse de baja.
sub-webhook-label = O una URL de webhook (opcional: los mensajes se envían allí, firmados, y la dirección de arriba confirma la suscripción y recibe un aviso si falla)
sub-services-legend = Solo estos servicios (ninguno marcado: todos)
sub-email-invalid = Introduzca una dirección de correo válida.
sub-webhook-invalid = Introduzca una dirección web (https://…) a la que este servidor pueda enviar.
sub-services-invalid = Elija entre los servicios de esta página.
sub-back = Volver a la página de estado
sub-back-to = Volver a la página de estado de { $page }
sub-inbox-heading = Revise su bandeja de entrada
sub-accepted = Revise su bandeja de entrada: siga el enlace del correo que le enviamos para confirmar. No se envía nada hasta que lo haga.
sub-confirm-heading = Confirme su suscripción a { $page }
sub-confirm-text = { $channel ->
    [webhook] Usted pidió recibir los incidentes y los mantenimientos de { $page } por webhook en { $address }.
   *[email] Usted pidió recibir los incidentes y los mantenimientos de { $page } por correo en { $address }.
}
sub-confirm-button = Confirmar suscripción
sub-confirmed-heading = Su suscripción está activa
sub-confirmed-text = { $channel ->
    [webhook] Recibirá los incidentes y los mantenimientos de { $page } por webhook en { $address }.
   *[email] Recibirá los incidentes y los mantenimientos de { $page } por correo en { $address }.
}
sub-webhook-secret = El secreto de firma del webhook, que solo se muestra esta vez. Cada solicitud lleva { $header }, un HMAC-SHA256 calculado con él, según el esquema Standard Webhooks:
sub-manage-link = Elegir servicios o darse de baja
sub-manage-heading = Su suscripción a { $page }
sub-manage-text = { $channel ->
    [webhook] Recibe los incidentes y los mantenimientos por webhook en { $address }.
   *[email] Recibe los incidentes y los mantenimientos por correo en { $address }.
}
sub-save = Guardar
sub-saved = Guardado.
sub-unsubscribe-button = Darse de baja
sub-unsubscribe-heading = Darse de baja de { $page }
sub-unsubscribe-text = { $channel ->
    [webhook] Dejará de recibir los incidentes y los mantenimientos de { $page } por webhook en { $address }.
   *[email] Dejará de recibir los incidentes y los mantenimientos de { $page } por correo en { $address }.
}
sub-unsubscribed-heading = Se ha dado de baja
sub-unsubscribed-text = No se enviará nada más.
sub-invalid-link-heading = Este enlace ya no es válido
sub-invalid-link-text = La suscripción a la que correspondía ha terminado, o el enlace está incompleto.
sub-too-many-heading = Demasiadas solicitudes
sub-too-many-text = Espere un rato antes de volver a intentarlo.
sub-failed-heading = Algo salió mal

## Private pages: what a visitor who may not see a page reads (nothing of the page itself)

private-heading = Esta página de estado es privada
private-members-text = Su organización solo la muestra a sus miembros.
private-sign-in-text = Su organización solo la muestra a sus miembros. Inicie sesión para verla.
private-sign-in = Iniciar sesión
private-not-member-text = Su organización solo la muestra a sus miembros, y su cuenta no es una de ellas.
private-address-text = No se muestra en la red en la que se encuentra.
private-password-heading = Esta página de estado requiere una contraseña
private-password-text = Su organización la comparte con las personas a las que está destinada.
private-password-label = Contraseña
private-password-submit = Abrir la página
private-password-wrong = La contraseña no es correcta. Revísela y vuelva a intentarlo.
private-password-empty = Escriba la contraseña de la página.
private-password-too-many = Demasiados intentos desde su dirección. Espere unos minutos y vuelva a intentarlo.

## Mails to subscribers (the incident's title and message and the page's name stay as written)

mail-event-incident-created = Nuevo incidente
mail-event-incident-updated = Incidente actualizado
mail-event-incident-resolved = Incidente resuelto
mail-event-maintenance-scheduled = Mantenimiento programado
mail-event-maintenance-reminder = Próximo mantenimiento
mail-event-maintenance-started = Mantenimiento iniciado
mail-event-maintenance-completed = Mantenimiento completado
mail-event-monitor-failing = Monitor con fallos
mail-event-monitor-recovered = Monitor recuperado
mail-posted = Publicado el { $at }
mail-window-day = Cuándo: { $day }, de { $start } a { $end } UTC
mail-window-days = Cuándo: del { $start } al { $end }
mail-affected = Afectados: { $services }
mail-view = Ver en la página de estado
mail-why = Recibe este correo porque se suscribió a las actualizaciones de estado de { $page }.
mail-manage = Gestionar su suscripción
mail-unsubscribe = Darse de baja
mail-confirm-subject = Confirme su suscripción al estado de { $page }
mail-confirm-all = todos los incidentes y mantenimientos
mail-confirm-some = los incidentes y mantenimientos de { $services }
mail-confirm-by-email = por correo, a esta dirección
mail-confirm-by-webhook = por webhook, en { $url } (esta dirección recibe un aviso si falla repetidamente)
mail-confirm-asked = Alguien, seguramente usted, pidió recibir { $what } de la página de estado de { $page }, { $how }.
mail-confirm-open = Para confirmar, abra este enlace:
mail-confirm-ignore = No se envía nada hasta que confirme. Si no fue usted, ignore este correo: no se enviará nada.
mail-disabled-subject = Se desactivó un webhook de la página de estado de { $page }
mail-disabled-text = { $count ->
    [one] El webhook { $webhook } fallaba una y otra vez, así que la página de estado de { $page } dejó de enviarle mensajes tras { $count } intento fallido.
   *[other] El webhook { $webhook } fallaba una y otra vez, así que la página de estado de { $page } dejó de enviarle mensajes tras { $count } intentos fallidos seguidos.
}
mail-disabled-last = El último fallo: { $error }
mail-disabled-again = Cuando vuelva a funcionar, suscríbalo de nuevo desde la página de estado (o, si es una integración del equipo, actívela en el panel).
