# As páginas públicas do Upstate em português do Brasil. Os identificadores são os de en/public.ftl.

## How numbers and dates are written

number-decimal-separator = ,
month-1 = janeiro
month-2 = fevereiro
month-3 = março
month-4 = abril
month-5 = maio
month-6 = junho
month-7 = julho
month-8 = agosto
month-9 = setembro
month-10 = outubro
month-11 = novembro
month-12 = dezembro
date-day = { $day } de { $month } de { $year }
date-month = { $month } de { $year }
date-time-utc = { $date }, { $time } UTC

## Times in words

time-just-now = agora mesmo
time-minutes-ago = há { $count } min
time-hours-ago = há { $count } h
time-yesterday = ontem
time-days-ago = há { $count } dias
duration-minutes = { $minutes } min
duration-hours = { $hours } h { $minutes } min
duration-days = { $days ->
    [one] { $days } dia { $hours } h
   *[other] { $days } dias { $hours } h
}

## Statuses, always shown with an icon beside them

service-status-operational = Operacional
service-status-degraded-performance = Desempenho degradado
service-status-partial-outage = Interrupção parcial
service-status-major-outage = Interrupção grave
service-status-under-maintenance = Em manutenção
incident-status-investigating = Investigando
incident-status-identified = Causa identificada
incident-status-monitoring = Em observação
incident-status-resolved = Resolvido
impact-none = Nenhum
impact-minor = Menor
impact-major = Grave
impact-critical = Crítico
maintenance-status-scheduled = Agendada
maintenance-status-in-progress = Em andamento
maintenance-status-completed = Concluída
maintenance-status-cancelled = Cancelada
indicator-none = Todos os sistemas operacionais
indicator-minor = Pequena interrupção do serviço
indicator-major = Interrupção parcial dos sistemas
indicator-critical = Interrupção grave dos sistemas
indicator-maintenance = Manutenção programada em andamento

## The status page

status-page-title = { $state } · Status de { $page }
services-heading = Serviços
open-incidents-heading = Incidentes em aberto
maintenance-heading = Manutenção
maintenance-affects = Afeta { $services }
past-incidents-heading = Incidentes anteriores
no-incidents = Nenhum incidente registrado.
older-incidents = Incidentes mais antigos
uptime-bars-label = Disponibilidade nos últimos 90 dias
uptime-percent = { $percent }% de disponibilidade
uptime-no-data = Ainda não há dados
uptime-day-no-data = Sem dados
uptime-bar-day = { $day }: { $status }
uptime-bar-days = De { $first } a { $last }: { $status }, { $count } dias
uptime-bar-down = , { $hours } h { $minutes } min fora do ar
subscribe-open = Assinar atualizações
subscribe-heading = Assinar atualizações
subscribe-intro = Receba um e-mail quando um incidente ou manutenção for publicado. Primeiro enviamos um link de confirmação.
subscribe-email = Endereço de e-mail
subscribe-submit = Assinar
subscribe-cancel = Cancelar
subscribe-more = Apenas alguns serviços, ou um webhook
live-live = ● Ao vivo
live-connecting = ○ Conectando…
live-reconnecting = ○ Reconectando…
announce-new-incident = Novo incidente: { $title }
language-label = Idioma

## An incident's page

incident-page-title = { $incident } · Status de { $page }
incident-lasted = Durou { $duration }
incident-ongoing-since = Em andamento desde { $since }
affected-services-heading = Serviços afetados
timeline-heading = Linha do tempo
postmortem-heading = Análise pós-incidente

## Shared by the pages

incident-meta = Impacto { $impact } · { $status }
about-service = Sobre { $service }
back-to-status = ← Status de { $page }
announce-service = { $service } agora está: { $status }
status-page-description = { $state }. Status ao vivo de { $page }.
incident-page-description = Impacto { $impact } · { $status }. Um incidente na página de status de { $page }.
missing-page-heading = Não há página de status aqui
missing-page-text = Não existe nenhuma organização chamada “{ $slug }”.
missing-incident-heading = Esse incidente não existe
missing-incident-text = Esta página de status não tem nenhum incidente neste endereço.
go-to-start = Ir para a página inicial
brand-links-label = Organização
home-link = Site
support-link = Suporte

## The history

history-page-title = Histórico de incidentes · Status de { $page }
history-heading = Histórico de incidentes
history-link = Histórico de incidentes por mês
history-empty-month = Nenhum incidente ou manutenção registrado.
history-maintenance-meta = Manutenção · { $status }
history-newer = ← Mais recentes
history-older = Mais antigos →
history-pages-label = Páginas do histórico
history-service = Serviço
history-all-services = Todos os serviços
history-show = Mostrar
history-span = { $first } a { $last }
history-description = { $count ->
    [one] Incidentes e manutenções anteriores de { $page }: { $count } incidente, { $span }.
   *[other] Incidentes e manutenções anteriores de { $page }: { $count } incidentes, { $span }.
}
missing-history-heading = Essa página do histórico não existe
