# Upstate's public pages in English: the status page, an incident's page, the history.
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
