# Les pages publiques d’Upstate en français. Les identifiants sont ceux de en/public.ftl.

## How numbers and dates are written

number-decimal-separator = ,
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
date-day = { $day } { $month } { $year }
date-month = { $month } { $year }
date-time-utc = { $date } à { $time } UTC

## Times in words

time-just-now = à l’instant
time-minutes-ago = il y a { $count } min
time-hours-ago = il y a { $count } h
time-yesterday = hier
time-days-ago = il y a { $count } jours
duration-minutes = { $minutes } min
duration-hours = { $hours } h { $minutes } min
duration-days = { $days ->
    [one] { $days } jour { $hours } h
   *[other] { $days } jours { $hours } h
}

## Statuses, always shown with an icon beside them

service-status-operational = Opérationnel
service-status-degraded-performance = Performances dégradées
service-status-partial-outage = Panne partielle
service-status-major-outage = Panne majeure
service-status-under-maintenance = En maintenance
incident-status-investigating = Analyse en cours
incident-status-identified = Cause identifiée
incident-status-monitoring = Sous surveillance
incident-status-resolved = Résolu
impact-none = Aucun
impact-minor = Mineur
impact-major = Majeur
impact-critical = Critique
maintenance-status-scheduled = Planifiée
maintenance-status-in-progress = En cours
maintenance-status-completed = Terminée
maintenance-status-cancelled = Annulée
indicator-none = Tous les systèmes sont opérationnels
indicator-minor = Perturbation mineure
indicator-major = Panne partielle des systèmes
indicator-critical = Panne majeure des systèmes
indicator-maintenance = Maintenance planifiée en cours

## The status page

status-page-title = { $state } · État de { $page }
services-heading = Services
open-incidents-heading = Incidents en cours
maintenance-heading = Maintenance
maintenance-affects = Concerne { $services }
past-incidents-heading = Incidents passés
no-incidents = Aucun incident signalé.
older-incidents = Incidents plus anciens
uptime-bars-label = Disponibilité sur les 90 derniers jours
uptime-percent = { $percent } % de disponibilité
uptime-no-data = Pas encore de données
uptime-day-no-data = Pas de données
uptime-bar-day = { $day } : { $status }
uptime-bar-days = Du { $first } au { $last } : { $status }, { $count } jours
uptime-bar-down = , { $hours } h { $minutes } min d’interruption
subscribe-open = S’abonner aux mises à jour
subscribe-heading = S’abonner aux mises à jour
subscribe-intro = Recevez un e-mail quand un incident ou une maintenance est publié. Nous vous envoyons d’abord un lien de confirmation.
subscribe-email = Adresse e-mail
subscribe-submit = S’abonner
subscribe-cancel = Annuler
subscribe-more = Seulement certains services, ou un webhook
live-live = ● En direct
live-connecting = ○ Connexion…
live-reconnecting = ○ Reconnexion…
announce-new-incident = Nouvel incident : { $title }
language-label = Langue

## An incident's page

incident-page-title = { $incident } · État de { $page }
incident-lasted = Durée : { $duration }
incident-ongoing-since = En cours depuis le { $since }
affected-services-heading = Services concernés
timeline-heading = Chronologie
postmortem-heading = Analyse post-incident

## Shared by the pages

incident-meta = Impact { $impact } · { $status }
about-service = À propos de { $service }
back-to-status = ← État de { $page }
announce-service = { $service } est maintenant : { $status }
status-page-description = { $state }. État en direct de { $page }.
incident-page-description = Impact { $impact } · { $status }. Un incident sur la page d’état de { $page }.
missing-page-heading = Aucune page d’état ici
missing-page-text = Aucune organisation ne s’appelle « { $slug } ».
missing-incident-heading = Incident introuvable
missing-incident-text = Cette page d’état n’a aucun incident à cette adresse.
go-to-start = Aller à la page d’accueil
brand-links-label = Organisation
home-link = Site web
support-link = Assistance

## The history

history-page-title = Historique des incidents · État de { $page }
history-heading = Historique des incidents
history-link = Historique des incidents par mois
history-empty-month = Aucun incident ni maintenance signalé.
history-maintenance-meta = Maintenance · { $status }
history-newer = ← Plus récents
history-older = Plus anciens →
history-pages-label = Pages de l’historique
history-service = Service
history-all-services = Tous les services
history-show = Afficher
history-span = { $first } à { $last }
history-description = { $count ->
    [one] Incidents et maintenances passés de { $page } : { $count } incident, { $span }.
   *[other] Incidents et maintenances passés de { $page } : { $count } incidents, { $span }.
}
missing-history-heading = Cette page de l’historique n’existe pas

## Subscriptions: the subscribe form and a subscription's own pages (confirm, manage, unsubscribe)

sub-page-title = S’abonner à { $page }
sub-heading = Recevoir les mises à jour de l’état de { $page }
sub-intro = Soyez informé des incidents et des maintenances dès qu’ils surviennent. Nous vous envoyons d’abord un e-mail de confirmation ; chaque message contient un lien de désabonnement.
sub-webhook-label = Ou une URL de webhook (facultatif : les messages y sont envoyés, signés ; l’adresse ci-dessus confirme l’abonnement et est prévenue en cas d’échec)
sub-services-legend = Uniquement ces services (aucun coché : tous)
sub-email-invalid = Saisissez une adresse e-mail valide.
sub-webhook-invalid = Saisissez une adresse web (https://…) à laquelle ce serveur peut envoyer.
sub-services-invalid = Choisissez parmi les services de cette page.
sub-back = Retour à la page d’état
sub-back-to = Retour à la page d’état de { $page }
sub-inbox-heading = Consultez votre boîte de réception
sub-accepted = Consultez votre boîte de réception : suivez le lien de l’e-mail que nous vous avons envoyé pour confirmer. Rien n’est envoyé avant.
sub-confirm-heading = Confirmez votre abonnement à { $page }
sub-confirm-text = { $channel ->
    [webhook] Vous avez demandé à être informé des incidents et des maintenances de { $page } par webhook à { $address }.
   *[email] Vous avez demandé à être informé des incidents et des maintenances de { $page } par e-mail à { $address }.
}
sub-confirm-button = Confirmer l’abonnement
sub-confirmed-heading = Vous êtes abonné
sub-confirmed-text = { $channel ->
    [webhook] Vous serez informé des incidents et des maintenances de { $page } par webhook à { $address }.
   *[email] Vous serez informé des incidents et des maintenances de { $page } par e-mail à { $address }.
}
sub-webhook-secret = Le secret de signature du webhook, affiché cette seule fois. Chaque requête porte { $header }, un HMAC-SHA256 calculé avec lui, selon le schéma Standard Webhooks :
sub-manage-link = Choisir les services ou se désabonner
sub-manage-heading = Votre abonnement à { $page }
sub-manage-text = { $channel ->
    [webhook] Vous êtes informé des incidents et des maintenances par webhook à { $address }.
   *[email] Vous êtes informé des incidents et des maintenances par e-mail à { $address }.
}
sub-save = Enregistrer
sub-saved = Enregistré.
sub-unsubscribe-button = Se désabonner
sub-unsubscribe-heading = Se désabonner de { $page }
sub-unsubscribe-text = { $channel ->
    [webhook] Vous ne serez plus informé des incidents et des maintenances de { $page } par webhook à { $address }.
   *[email] Vous ne serez plus informé des incidents et des maintenances de { $page } par e-mail à { $address }.
}
sub-unsubscribed-heading = Vous êtes désabonné
sub-unsubscribed-text = Plus rien ne vous sera envoyé.
sub-invalid-link-heading = Ce lien n’est plus valide
sub-invalid-link-text = L’abonnement auquel il se rapportait a pris fin, ou le lien est incomplet.
sub-too-many-heading = Trop de demandes
sub-too-many-text = Veuillez patienter un moment avant de réessayer.
sub-failed-heading = Une erreur s’est produite

## Private pages: what a visitor who may not see a page reads (nothing of the page itself)

private-heading = Cette page d’état est privée
private-members-text = Son organisation la réserve à ses membres.
private-sign-in-text = Son organisation la réserve à ses membres. Connectez-vous pour la voir.
private-sign-in = Se connecter
private-not-member-text = Son organisation la réserve à ses membres, et votre compte n’en fait pas partie.
private-address-text = Elle n’est pas accessible depuis le réseau où vous vous trouvez.
private-password-heading = Cette page d’état est protégée par un mot de passe
private-password-text = Son organisation le communique aux personnes à qui elle est destinée.
private-password-label = Mot de passe
private-password-submit = Ouvrir la page
private-password-wrong = Ce mot de passe est incorrect. Vérifiez-le et réessayez.
private-password-empty = Saisissez le mot de passe de la page.
private-password-too-many = Trop de tentatives depuis votre adresse. Patientez quelques minutes et réessayez.

## Mails to subscribers (the incident's title and message and the page's name stay as written)

mail-event-incident-created = Nouvel incident
mail-event-incident-updated = Incident mis à jour
mail-event-incident-resolved = Incident résolu
mail-event-maintenance-scheduled = Maintenance planifiée
mail-event-maintenance-reminder = Maintenance à venir
mail-event-maintenance-started = Maintenance commencée
mail-event-maintenance-completed = Maintenance terminée
mail-event-monitor-failing = Sonde en échec
mail-event-monitor-recovered = Sonde rétablie
mail-posted = Publié le { $at }
mail-window-day = Quand : le { $day }, de { $start } à { $end } UTC
mail-window-days = Quand : du { $start } au { $end }
mail-affected = Services concernés : { $services }
mail-view = Voir sur la page d’état
mail-why = Vous recevez ce message parce que vous êtes abonné aux mises à jour de l’état de { $page }.
mail-manage = Gérer votre abonnement
mail-unsubscribe = Se désabonner
mail-confirm-subject = Confirmez votre abonnement à l’état de { $page }
mail-confirm-all = chaque incident et chaque maintenance
mail-confirm-some = les incidents et les maintenances de { $services }
mail-confirm-by-email = par e-mail, à cette adresse
mail-confirm-by-webhook = par webhook, à { $url } (cette adresse est prévenue s’il échoue de façon répétée)
mail-confirm-asked = Quelqu’un, vous sans doute, a demandé à être informé de { $what } sur la page d’état de { $page }, { $how }.
mail-confirm-open = Pour confirmer, ouvrez ce lien :
mail-confirm-ignore = Rien n’est envoyé avant votre confirmation. Si ce n’était pas vous, ignorez cet e-mail : rien ne sera envoyé.
mail-disabled-subject = Un webhook de la page d’état de { $page } a été désactivé
mail-disabled-text = { $count ->
    [one] Le webhook { $webhook } échouait sans cesse : la page d’état de { $page } a cessé de lui envoyer des messages après { $count } tentative échouée.
   *[other] Le webhook { $webhook } échouait sans cesse : la page d’état de { $page } a cessé de lui envoyer des messages après { $count } tentatives échouées d’affilée.
}
mail-disabled-last = Le dernier échec : { $error }
mail-disabled-again = Une fois qu’il fonctionne de nouveau, abonnez-le à nouveau depuis la page d’état (ou, pour une intégration de l’équipe, réactivez-la dans le tableau de bord).
