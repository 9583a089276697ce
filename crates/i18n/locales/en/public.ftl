# Upstate's public pages in English: the status page, an incident's page, the history, the
# subscription pages, a private page's refusals, and the mails to subscribers.
# Each message id is the same in every language (a test checks it); a translation may use the
# variables (`{ $name }`) its English message uses, and no others.

## How numbers and dates are written

# Between the whole and the fraction of a number: 99.95
number-decimal-separator = .
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
# A calendar day: $day and $year are numbers, $month the month's name.
date-day = { $day } { $month } { $year }
# A month of the history.
date-month = { $month } { $year }
# A moment as the server writes it, in UTC: $date is a date-day, $time is 14:05.
date-time-utc = { $date }, { $time } UTC

## Times in words

time-just-now = just now
time-minutes-ago = { $count } min ago
time-hours-ago = { $count } h ago
time-yesterday = yesterday
time-days-ago = { $count } days ago
duration-minutes = { $minutes } min
duration-hours = { $hours } h { $minutes } min
duration-days = { $days ->
    [one] { $days } day { $hours } h
   *[other] { $days } days { $hours } h
}

## Statuses, always shown with an icon beside them

service-status-operational = Operational
service-status-degraded-performance = Degraded performance
service-status-partial-outage = Partial outage
service-status-major-outage = Major outage
service-status-under-maintenance = Under maintenance
incident-status-investigating = Investigating
incident-status-identified = Identified
incident-status-monitoring = Monitoring
incident-status-resolved = Resolved
impact-none = None
impact-minor = Minor
impact-major = Major
impact-critical = Critical
maintenance-status-scheduled = Scheduled
maintenance-status-in-progress = In progress
maintenance-status-completed = Completed
maintenance-status-cancelled = Cancelled
# The banner's sentence about the whole page.
indicator-none = All systems operational
indicator-minor = Minor service disruption
indicator-major = Partial system outage
indicator-critical = Major system outage
indicator-maintenance = Scheduled maintenance in progress

## The status page

# The browser tab's title: $state is the banner's sentence, $page the page's name.
status-page-title = { $state } · { $page } status
services-heading = Services
open-incidents-heading = Open incidents
maintenance-heading = Maintenance
# $services: the names of the services, joined by commas.
maintenance-affects = Affects { $services }
past-incidents-heading = Past incidents
no-incidents = No incidents reported.
older-incidents = Older incidents
uptime-bars-label = Uptime over the last 90 days
# $percent is written with number-decimal-separator, e.g. 99.95
uptime-percent = { $percent }% uptime
uptime-no-data = No data yet
uptime-day-no-data = No data
# One bar of the uptime chart, for one day: $day is a date-day, $status a status.
uptime-bar-day = { $day }: { $status }
# One bar for several days of the same state.
uptime-bar-days = { $first } to { $last }: { $status }, { $count } days
# Added to a bar's text when a service was down that day.
uptime-bar-down = , { $hours } h { $minutes } min down
subscribe-open = Subscribe to updates
subscribe-heading = Subscribe to updates
subscribe-intro = Get an email when an incident or maintenance is posted. We mail you a link to confirm first.
subscribe-email = Email address
subscribe-submit = Subscribe
subscribe-cancel = Cancel
subscribe-more = Only some services, or a webhook
live-live = ● Live
live-connecting = ○ Connecting…
live-reconnecting = ○ Reconnecting…
# Told to a screen reader when an incident is declared while the page is open.
announce-new-incident = New incident: { $title }
language-label = Language

## An incident's page

# The browser tab's title.
incident-page-title = { $incident } · { $page } status
incident-lasted = Lasted { $duration }
incident-ongoing-since = Ongoing since { $since }
affected-services-heading = Affected services
timeline-heading = Timeline
postmortem-heading = Postmortem

## Shared by the pages

# The line under an incident's title: its impact and its status.
incident-meta = { $impact } impact · { $status }
# What a screen reader says of the button that shows a service's description.
about-service = About { $service }
# The link from an incident's page back to the status page.
back-to-status = ← { $page } status
# Told to a screen reader when a service changes while the page is open.
announce-service = { $service } is now { $status }
# What link previews and search engines show of the status page.
status-page-description = { $state }. Live status of { $page }.
incident-page-description = { $impact } impact · { $status }. An incident on { $page }'s status page.
missing-page-heading = No status page here
missing-page-text = There is no organization called “{ $slug }”.
missing-incident-heading = No such incident
missing-incident-text = This status page has no incident at this address.
go-to-start = Go to the start page
brand-links-label = Organization
home-link = Home page
support-link = Support

## The history

history-page-title = Incident history · { $page } status
history-heading = Incident history
# The link from the status page's past incidents to the history.
history-link = Incident history by month
history-empty-month = No incidents or maintenance reported.
history-maintenance-meta = Maintenance · { $status }
history-newer = ← Newer
history-older = Older →
history-pages-label = History pages
history-service = Service
history-all-services = All services
history-show = Show
# Months of a page of the history: $first and $last are date-month.
history-span = { $first } to { $last }
# What link previews show of a page of the history.
history-description = { $count ->
    [one] Past incidents and maintenance of { $page }: { $count } incident from { $span }.
   *[other] Past incidents and maintenance of { $page }: { $count } incidents from { $span }.
}
missing-history-heading = No such page of history

## Subscriptions: the subscribe form and a subscription's own pages (confirm, manage, unsubscribe)
# This section and the next two are said by the server only: ids beginning with sub-, private-
# and mail- are left out of the messages a page hands its bundle (build.rs).

# The browser tab's title of the subscribe form.
sub-page-title = Subscribe to { $page }
sub-heading = Get { $page }'s status updates
sub-intro = Hear about incidents and maintenance as they happen. We send a mail to confirm first; every message has a link to unsubscribe.
sub-webhook-label = Or a webhook URL (optional: messages go there, signed, and the address above confirms and hears if it fails)
sub-services-legend = Only these services (none ticked: all of them)
sub-email-invalid = Enter a valid email address.
sub-webhook-invalid = Enter a web address (https://…) that this server may send to.
sub-services-invalid = Choose among this page's services.
sub-back = Back to the status page
sub-back-to = Back to { $page }'s status page
sub-inbox-heading = Check your inbox
# The answer to subscribing, whatever the address: it never says whether it was subscribed already.
sub-accepted = Check your inbox: follow the link in the mail we sent to confirm. Nothing is sent before you do.
sub-confirm-heading = Confirm your subscription to { $page }
# $channel is email or webhook; $address the email address or the webhook's URL.
sub-confirm-text = { $channel ->
    [webhook] You asked to hear about { $page }'s incidents and maintenance by webhook to { $address }.
   *[email] You asked to hear about { $page }'s incidents and maintenance by email to { $address }.
}
sub-confirm-button = Confirm subscription
sub-confirmed-heading = You are subscribed
sub-confirmed-text = { $channel ->
    [webhook] You will hear about { $page }'s incidents and maintenance by webhook to { $address }.
   *[email] You will hear about { $page }'s incidents and maintenance by email to { $address }.
}
# Shown once, above the secret: $header is the name of the header, as code.
sub-webhook-secret = The webhook's signing secret, shown this once. Each request carries { $header }, an HMAC-SHA256 made with it, as the Standard Webhooks scheme says:
sub-manage-link = Choose services or unsubscribe
sub-manage-heading = Your subscription to { $page }
sub-manage-text = { $channel ->
    [webhook] You hear about incidents and maintenance by webhook to { $address }.
   *[email] You hear about incidents and maintenance by email to { $address }.
}
sub-save = Save
sub-saved = Saved.
sub-unsubscribe-button = Unsubscribe
sub-unsubscribe-heading = Unsubscribe from { $page }
sub-unsubscribe-text = { $channel ->
    [webhook] You will no longer hear about { $page }'s incidents and maintenance by webhook to { $address }.
   *[email] You will no longer hear about { $page }'s incidents and maintenance by email to { $address }.
}
sub-unsubscribed-heading = You are unsubscribed
sub-unsubscribed-text = Nothing more will be sent.
sub-invalid-link-heading = This link is no longer valid
sub-invalid-link-text = The subscription it was for has ended, or the link is not complete.
sub-too-many-heading = Too many requests
sub-too-many-text = Please wait a while before you try again.
sub-failed-heading = Something went wrong

## Private pages: what a visitor who may not see a page reads (nothing of the page itself)

private-heading = This status page is private
private-members-text = Its organization shows it to its members only.
private-sign-in-text = Its organization shows it to its members only. Sign in to see it.
private-sign-in = Sign in
private-not-member-text = Its organization shows it to its members only, and your account is not one of them.
private-address-text = It is not shown to the network you are on.
private-password-heading = This status page needs a password
private-password-text = Its organization shares it with the people it is for.
private-password-label = Password
private-password-submit = Open the page
private-password-wrong = That password is not right. Check it and try again.
private-password-empty = Type the page's password.
private-password-too-many = Too many attempts from your address. Wait a few minutes and try again.

## Mails to subscribers (the incident's title and message and the page's name stay as written)

# What happened, above the title of a notice and in the subject of maintenance notices.
mail-event-incident-created = New incident
mail-event-incident-updated = Incident updated
mail-event-incident-resolved = Incident resolved
mail-event-maintenance-scheduled = Maintenance scheduled
mail-event-maintenance-reminder = Upcoming maintenance
mail-event-maintenance-started = Maintenance started
mail-event-maintenance-completed = Maintenance completed
mail-event-monitor-failing = Monitor failing
mail-event-monitor-recovered = Monitor recovered
# When the update was posted: $at is a date-time-utc.
mail-posted = Posted { $at }
# A maintenance window within one day: $day is a date-day, $start and $end are 14:00.
mail-window-day = When: { $day }, { $start }–{ $end } UTC
# A maintenance window over several days: $start and $end are date-time-utc.
mail-window-days = When: { $start } to { $end }
# $services: the names of the services, joined by commas.
mail-affected = Affected: { $services }
mail-view = View on the status page
mail-why = You receive this because you subscribed to { $page }'s status updates.
mail-manage = Manage your subscription
mail-unsubscribe = Unsubscribe
mail-confirm-subject = Confirm your subscription to { $page }'s status
# What the subscriber asked to hear about, and how ($url is the webhook's).
mail-confirm-all = every incident and maintenance window
mail-confirm-some = incidents and maintenance of { $services }
mail-confirm-by-email = by email, to this address
mail-confirm-by-webhook = by webhook, to { $url } (this address hears if it keeps failing)
mail-confirm-asked = Someone, hopefully you, asked to hear about { $what } on { $page }'s status page, { $how }.
mail-confirm-open = To confirm, open this link:
mail-confirm-ignore = Nothing is sent before you confirm. If it was not you, ignore this mail: nothing will be sent.
mail-disabled-subject = A webhook of { $page }'s status page was disabled
# $webhook is the webhook's address without its secret parts, $count the failed attempts.
mail-disabled-text = { $count ->
    [one] The webhook { $webhook } kept failing, so { $page }'s status page stopped sending to it after { $count } failed attempt.
   *[other] The webhook { $webhook } kept failing, so { $page }'s status page stopped sending to it after { $count } failed attempts in a row.
}
mail-disabled-last = The last failure: { $error }
mail-disabled-again = Once it works again, subscribe it again from the status page (or, for a team integration, enable it in the dashboard).
