# Upstates öffentliche Seiten auf Deutsch. Die Kennungen sind dieselben wie in en/public.ftl.

## How numbers and dates are written

number-decimal-separator = ,
month-1 = Januar
month-2 = Februar
month-3 = März
month-4 = April
month-5 = Mai
month-6 = Juni
month-7 = Juli
month-8 = August
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Dezember
date-day = { $day }. { $month } { $year }
date-month = { $month } { $year }
date-time-utc = { $date }, { $time } UTC

## Times in words

time-just-now = gerade eben
time-minutes-ago = vor { $count } Min.
time-hours-ago = vor { $count } Std.
time-yesterday = gestern
time-days-ago = vor { $count } Tagen
duration-minutes = { $minutes } Min.
duration-hours = { $hours } Std. { $minutes } Min.
duration-days = { $days ->
    [one] { $days } Tag { $hours } Std.
   *[other] { $days } Tage { $hours } Std.
}

## Statuses, always shown with an icon beside them

service-status-operational = In Betrieb
service-status-degraded-performance = Eingeschränkte Leistung
service-status-partial-outage = Teilausfall
service-status-major-outage = Schwerer Ausfall
service-status-under-maintenance = In Wartung
incident-status-investigating = Wird untersucht
incident-status-identified = Ursache gefunden
incident-status-monitoring = Wird beobachtet
incident-status-resolved = Behoben
impact-none = Keine
impact-minor = Gering
impact-major = Erheblich
impact-critical = Kritisch
maintenance-status-scheduled = Geplant
maintenance-status-in-progress = Läuft
maintenance-status-completed = Abgeschlossen
maintenance-status-cancelled = Abgesagt
indicator-none = Alle Systeme in Betrieb
indicator-minor = Geringfügige Störung
indicator-major = Teilweiser Systemausfall
indicator-critical = Schwerer Systemausfall
indicator-maintenance = Geplante Wartung läuft

## The status page

status-page-title = { $state } · Status von { $page }
services-heading = Dienste
open-incidents-heading = Aktuelle Störungen
maintenance-heading = Wartung
maintenance-affects = Betrifft { $services }
past-incidents-heading = Vergangene Störungen
no-incidents = Keine Störungen gemeldet.
older-incidents = Ältere Störungen
uptime-bars-label = Verfügbarkeit der letzten 90 Tage
uptime-percent = { $percent } % Verfügbarkeit
uptime-no-data = Noch keine Daten
uptime-day-no-data = Keine Daten
uptime-bar-day = { $day }: { $status }
uptime-bar-days = { $first } bis { $last }: { $status }, { $count } Tage
uptime-bar-down = , { $hours } Std. { $minutes } Min. ausgefallen
subscribe-open = Updates abonnieren
subscribe-heading = Updates abonnieren
subscribe-intro = Erhalten Sie eine E-Mail, wenn eine Störung oder Wartung gemeldet wird. Zuerst senden wir Ihnen einen Link zur Bestätigung.
subscribe-email = E-Mail-Adresse
subscribe-submit = Abonnieren
subscribe-cancel = Abbrechen
subscribe-more = Nur bestimmte Dienste oder ein Webhook
live-live = ● Live
live-connecting = ○ Verbinde…
live-reconnecting = ○ Verbinde erneut…
announce-new-incident = Neue Störung: { $title }
language-label = Sprache

## An incident's page

incident-page-title = { $incident } · Status von { $page }
incident-lasted = Dauer: { $duration }
incident-ongoing-since = Andauernd seit { $since }
affected-services-heading = Betroffene Dienste
timeline-heading = Verlauf
postmortem-heading = Nachbetrachtung

## Shared by the pages

incident-meta = Auswirkung: { $impact } · { $status }
about-service = Über { $service }
back-to-status = ← Status von { $page }
announce-service = { $service } ist jetzt: { $status }
status-page-description = { $state }. Aktueller Status von { $page }.
incident-page-description = Auswirkung: { $impact } · { $status }. Eine Störung auf der Statusseite von { $page }.
missing-page-heading = Hier gibt es keine Statusseite
missing-page-text = Es gibt keine Organisation namens „{ $slug }“.
missing-incident-heading = Diese Störung gibt es nicht
missing-incident-text = Diese Statusseite hat unter dieser Adresse keine Störung.
go-to-start = Zur Startseite
brand-links-label = Organisation
home-link = Startseite
support-link = Support

## The history

history-page-title = Störungsverlauf · Status von { $page }
history-heading = Störungsverlauf
history-link = Störungsverlauf nach Monaten
history-empty-month = Keine Störungen oder Wartungen gemeldet.
history-maintenance-meta = Wartung · { $status }
history-newer = ← Neuer
history-older = Älter →
history-pages-label = Seiten des Verlaufs
history-service = Dienst
history-all-services = Alle Dienste
history-show = Anzeigen
history-span = { $first } bis { $last }
history-description = { $count ->
    [one] Vergangene Störungen und Wartungen von { $page }: { $count } Störung von { $span }.
   *[other] Vergangene Störungen und Wartungen von { $page }: { $count } Störungen von { $span }.
}
missing-history-heading = Diese Seite des Verlaufs gibt es nicht
