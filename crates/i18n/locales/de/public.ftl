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

## Subscriptions: the subscribe form and a subscription's own pages (confirm, manage, unsubscribe)

sub-page-title = { $page } abonnieren
sub-heading = Statusmeldungen von { $page } erhalten
sub-intro = Erfahren Sie sofort von Störungen und Wartungen. Zuerst senden wir Ihnen eine E-Mail zur Bestätigung; jede Nachricht enthält einen Link zum Abbestellen.
sub-webhook-label = Oder eine Webhook-URL (optional: Nachrichten gehen signiert dorthin; die Adresse oben bestätigt und wird benachrichtigt, wenn der Webhook ausfällt)
sub-services-legend = Nur diese Dienste (keiner angekreuzt: alle)
sub-email-invalid = Geben Sie eine gültige E-Mail-Adresse ein.
sub-webhook-invalid = Geben Sie eine Webadresse (https://…) ein, an die dieser Server senden darf.
sub-services-invalid = Wählen Sie unter den Diensten dieser Seite.
sub-back = Zurück zur Statusseite
sub-back-to = Zurück zur Statusseite von { $page }
sub-inbox-heading = Sehen Sie in Ihr Postfach
sub-accepted = Sehen Sie in Ihr Postfach: Folgen Sie dem Link in der E-Mail, die wir Ihnen gesendet haben, um zu bestätigen. Vorher wird nichts gesendet.
sub-confirm-heading = Abonnement von { $page } bestätigen
sub-confirm-text = { $channel ->
    [webhook] Sie möchten über Störungen und Wartungen von { $page } per Webhook an { $address } informiert werden.
   *[email] Sie möchten über Störungen und Wartungen von { $page } per E-Mail an { $address } informiert werden.
}
sub-confirm-button = Abonnement bestätigen
sub-confirmed-heading = Ihr Abonnement ist aktiv
sub-confirmed-text = { $channel ->
    [webhook] Sie werden über Störungen und Wartungen von { $page } per Webhook an { $address } informiert.
   *[email] Sie werden über Störungen und Wartungen von { $page } per E-Mail an { $address } informiert.
}
sub-webhook-secret = Das Signaturgeheimnis des Webhooks, nur dieses eine Mal angezeigt. Jede Anfrage trägt { $header }, einen damit gebildeten HMAC-SHA256, wie es das Standard-Webhooks-Verfahren vorsieht:
sub-manage-link = Dienste auswählen oder abbestellen
sub-manage-heading = Ihr Abonnement von { $page }
sub-manage-text = { $channel ->
    [webhook] Sie werden per Webhook an { $address } über Störungen und Wartungen informiert.
   *[email] Sie werden per E-Mail an { $address } über Störungen und Wartungen informiert.
}
sub-save = Speichern
sub-saved = Gespeichert.
sub-unsubscribe-button = Abbestellen
sub-unsubscribe-heading = { $page } abbestellen
sub-unsubscribe-text = { $channel ->
    [webhook] Sie werden nicht mehr per Webhook an { $address } über Störungen und Wartungen von { $page } informiert.
   *[email] Sie werden nicht mehr per E-Mail an { $address } über Störungen und Wartungen von { $page } informiert.
}
sub-unsubscribed-heading = Sie haben abbestellt
sub-unsubscribed-text = Es wird nichts mehr gesendet.
sub-invalid-link-heading = Dieser Link ist nicht mehr gültig
sub-invalid-link-text = Das zugehörige Abonnement wurde beendet, oder der Link ist unvollständig.
sub-too-many-heading = Zu viele Anfragen
sub-too-many-text = Bitte warten Sie eine Weile, bevor Sie es erneut versuchen.
sub-failed-heading = Etwas ist schiefgelaufen

## Private pages: what a visitor who may not see a page reads (nothing of the page itself)

private-heading = Diese Statusseite ist privat
private-members-text = Ihre Organisation zeigt sie nur ihren Mitgliedern.
private-sign-in-text = Ihre Organisation zeigt sie nur ihren Mitgliedern. Melden Sie sich an, um sie zu sehen.
private-sign-in = Anmelden
private-not-member-text = Ihre Organisation zeigt sie nur ihren Mitgliedern, und Ihr Konto gehört nicht dazu.
private-address-text = Sie wird in dem Netzwerk, in dem Sie sich befinden, nicht angezeigt.
private-password-heading = Diese Statusseite ist passwortgeschützt
private-password-text = Ihre Organisation gibt das Passwort an die Personen weiter, für die sie bestimmt ist.
private-password-label = Passwort
private-password-submit = Seite öffnen
private-password-wrong = Das Passwort ist nicht richtig. Prüfen Sie es und versuchen Sie es erneut.
private-password-empty = Geben Sie das Passwort der Seite ein.
private-password-too-many = Zu viele Versuche von Ihrer Adresse. Warten Sie einige Minuten und versuchen Sie es erneut.

## Mails to subscribers (the incident's title and message and the page's name stay as written)

mail-event-incident-created = Neue Störung
mail-event-incident-updated = Störung aktualisiert
mail-event-incident-resolved = Störung behoben
mail-event-maintenance-scheduled = Wartung geplant
mail-event-maintenance-reminder = Bevorstehende Wartung
mail-event-maintenance-started = Wartung begonnen
mail-event-maintenance-completed = Wartung abgeschlossen
mail-event-monitor-failing = Monitor schlägt fehl
mail-event-monitor-recovered = Monitor wieder in Ordnung
mail-posted = Veröffentlicht am { $at }
mail-window-day = Wann: { $day }, { $start }–{ $end } UTC
mail-window-days = Wann: { $start } bis { $end }
mail-affected = Betroffen: { $services }
mail-view = Auf der Statusseite ansehen
mail-why = Sie erhalten diese E-Mail, weil Sie die Statusmeldungen von { $page } abonniert haben.
mail-manage = Abonnement verwalten
mail-unsubscribe = Abbestellen
mail-confirm-subject = Bestätigen Sie Ihr Abonnement der Statusseite von { $page }
mail-confirm-all = alle Störungen und Wartungen
mail-confirm-some = Störungen und Wartungen von { $services }
mail-confirm-by-email = per E-Mail an diese Adresse
mail-confirm-by-webhook = per Webhook an { $url } (diese Adresse wird benachrichtigt, wenn er wiederholt fehlschlägt)
mail-confirm-asked = Jemand, hoffentlich Sie, möchte über { $what } auf der Statusseite von { $page } informiert werden, { $how }.
mail-confirm-open = Öffnen Sie zur Bestätigung diesen Link:
mail-confirm-ignore = Vor Ihrer Bestätigung wird nichts gesendet. Falls Sie das nicht waren, ignorieren Sie diese E-Mail: Es wird nichts gesendet.
mail-disabled-subject = Ein Webhook der Statusseite von { $page } wurde deaktiviert
mail-disabled-text = { $count ->
    [one] Der Webhook { $webhook } schlug wiederholt fehl, daher sendet die Statusseite von { $page } nach { $count } fehlgeschlagenen Versuch nicht mehr an ihn.
   *[other] Der Webhook { $webhook } schlug wiederholt fehl, daher sendet die Statusseite von { $page } nach { $count } fehlgeschlagenen Versuchen in Folge nicht mehr an ihn.
}
mail-disabled-last = Der letzte Fehler: { $error }
mail-disabled-again = Sobald er wieder funktioniert, abonnieren Sie ihn erneut auf der Statusseite (oder aktivieren Sie ihn im Dashboard, wenn es eine Integration des Teams ist).
