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

## Subscriptions: the subscribe form and a subscription's own pages (confirm, manage, unsubscribe)

sub-page-title = Assinar as atualizações de { $page }
sub-heading = Receba as atualizações de status de { $page }
sub-intro = Fique sabendo de incidentes e manutenções assim que acontecem. Primeiro enviamos um e-mail de confirmação; toda mensagem traz um link para cancelar a assinatura.
sub-webhook-label = Ou uma URL de webhook (opcional: as mensagens vão para lá, assinadas, e o endereço acima confirma a assinatura e é avisado se ela falhar)
sub-services-legend = Somente estes serviços (nenhum marcado: todos)
sub-email-invalid = Informe um endereço de e-mail válido.
sub-webhook-invalid = Informe um endereço web (https://…) para o qual este servidor possa enviar.
sub-services-invalid = Escolha entre os serviços desta página.
sub-back = Voltar à página de status
sub-back-to = Voltar à página de status de { $page }
sub-inbox-heading = Confira sua caixa de entrada
sub-accepted = Confira sua caixa de entrada: siga o link do e-mail que enviamos para confirmar. Nada é enviado antes disso.
sub-confirm-heading = Confirme sua assinatura de { $page }
sub-confirm-text = { $channel ->
    [webhook] Você pediu para receber os incidentes e as manutenções de { $page } por webhook em { $address }.
   *[email] Você pediu para receber os incidentes e as manutenções de { $page } por e-mail em { $address }.
}
sub-confirm-button = Confirmar assinatura
sub-confirmed-heading = Sua assinatura está ativa
sub-confirmed-text = { $channel ->
    [webhook] Você vai receber os incidentes e as manutenções de { $page } por webhook em { $address }.
   *[email] Você vai receber os incidentes e as manutenções de { $page } por e-mail em { $address }.
}
sub-webhook-secret = O segredo de assinatura do webhook, mostrado só desta vez. Cada requisição leva { $header }, um HMAC-SHA256 calculado com ele, conforme o esquema Standard Webhooks:
sub-manage-link = Escolher serviços ou cancelar a assinatura
sub-manage-heading = Sua assinatura de { $page }
sub-manage-text = { $channel ->
    [webhook] Você recebe os incidentes e as manutenções por webhook em { $address }.
   *[email] Você recebe os incidentes e as manutenções por e-mail em { $address }.
}
sub-save = Salvar
sub-saved = Salvo.
sub-unsubscribe-button = Cancelar assinatura
sub-unsubscribe-heading = Cancelar a assinatura de { $page }
sub-unsubscribe-text = { $channel ->
    [webhook] Você não vai mais receber os incidentes e as manutenções de { $page } por webhook em { $address }.
   *[email] Você não vai mais receber os incidentes e as manutenções de { $page } por e-mail em { $address }.
}
sub-unsubscribed-heading = Sua assinatura foi cancelada
sub-unsubscribed-text = Nada mais será enviado.
sub-invalid-link-heading = Este link não é mais válido
sub-invalid-link-text = A assinatura a que ele se referia foi encerrada, ou o link está incompleto.
sub-too-many-heading = Muitas solicitações
sub-too-many-text = Aguarde um pouco antes de tentar novamente.
sub-failed-heading = Algo deu errado

## Private pages: what a visitor who may not see a page reads (nothing of the page itself)

private-heading = Esta página de status é privada
private-members-text = A organização a mostra somente aos seus membros.
private-sign-in-text = A organização a mostra somente aos seus membros. Entre para vê-la.
private-sign-in = Entrar
private-not-member-text = A organização a mostra somente aos seus membros, e sua conta não é uma delas.
private-address-text = Ela não é exibida na rede em que você está.
private-password-heading = Esta página de status exige uma senha
private-password-text = A organização compartilha a senha com as pessoas a quem a página se destina.
private-password-label = Senha
private-password-submit = Abrir a página
private-password-wrong = Essa senha não está correta. Confira e tente novamente.
private-password-empty = Digite a senha da página.
private-password-too-many = Muitas tentativas a partir do seu endereço. Aguarde alguns minutos e tente novamente.

## Mails to subscribers (the incident's title and message and the page's name stay as written)

mail-event-incident-created = Novo incidente
mail-event-incident-updated = Incidente atualizado
mail-event-incident-resolved = Incidente resolvido
mail-event-maintenance-scheduled = Manutenção agendada
mail-event-maintenance-reminder = Manutenção próxima
mail-event-maintenance-started = Manutenção iniciada
mail-event-maintenance-completed = Manutenção concluída
mail-event-monitor-failing = Monitor com falha
mail-event-monitor-recovered = Monitor recuperado
mail-posted = Publicado em { $at }
mail-window-day = Quando: { $day }, das { $start } às { $end } UTC
mail-window-days = Quando: de { $start } a { $end }
mail-affected = Afetados: { $services }
mail-view = Ver na página de status
mail-why = Você está recebendo este e-mail porque assinou as atualizações de status de { $page }.
mail-manage = Gerenciar sua assinatura
mail-unsubscribe = Cancelar assinatura
mail-confirm-subject = Confirme sua assinatura do status de { $page }
mail-confirm-all = todos os incidentes e manutenções
mail-confirm-some = os incidentes e manutenções de { $services }
mail-confirm-by-email = por e-mail, neste endereço
mail-confirm-by-webhook = por webhook, em { $url } (este endereço é avisado se ele falhar repetidamente)
mail-confirm-asked = Alguém, provavelmente você, pediu para receber { $what } da página de status de { $page }, { $how }.
mail-confirm-open = Para confirmar, abra este link:
mail-confirm-ignore = Nada é enviado antes da sua confirmação. Se não foi você, ignore este e-mail: nada será enviado.
mail-disabled-subject = Um webhook da página de status de { $page } foi desativado
mail-disabled-text = { $count ->
    [one] O webhook { $webhook } falhava repetidamente, então a página de status de { $page } parou de enviar para ele após { $count } tentativa com falha.
   *[other] O webhook { $webhook } falhava repetidamente, então a página de status de { $page } parou de enviar para ele após { $count } tentativas seguidas com falha.
}
mail-disabled-last = A última falha: { $error }
mail-disabled-again = Quando ele voltar a funcionar, assine-o novamente pela página de status (ou, se for uma integração da equipe, ative-a no painel).
