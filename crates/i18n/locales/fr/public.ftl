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
