//! Data portability: one organization, whole, as the export document of
//! `upstate_shared::export` ([`export`]), and that document read back into an organization of
//! this server ([`import`]), on either engine.
//!
//! The import is idempotent. Each record keeps its exported id when the id is free here, and is
//! remembered in `imported_records` under the source `upstate:{exported org id}`; a record
//! imported before (or already here under its id, in this org) is left as it is, and what hangs
//! off it (updates, history) is not added again. Nothing is notified: this is history. The
//! caller runs it in one transaction, so a refused document writes nothing.

use crate::db::DbConnection;
use crate::error::{StoreError, StoreResult};
use crate::organizations::Organization;
use crate::schema::{
    imported_records, incident_services, incident_templates, incident_updates, incidents,
    maintenance_services, maintenance_updates, maintenances, memberships, monitors, organizations,
    service_groups, service_status_changes, services, subscription_services, subscriptions, users,
};
use crate::text::DbText;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use std::collections::{HashMap, HashSet};
use upstate_shared::export::{
    ExportedAffected, ExportedGroup, ExportedImportRecord, ExportedIncident,
    ExportedIncidentTemplate, ExportedIncidentUpdate, ExportedIntegration, ExportedMaintenance,
    ExportedMaintenanceUpdate, ExportedMember, ExportedMonitor, ExportedOrg, ExportedService,
    ExportedStatusChange, ExportedSubscriber, FORMAT, OrgExport, VERSION,
};
use upstate_shared::monitor::Check;
use upstate_shared::{
    Channel, ImpactLevel, IncidentId, IncidentStatus, MaintenanceStatus, OrgId, Role,
    ServiceStatus, SubscriptionId, UserId,
};

fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

fn naive(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc()
}

/// `https://host:port` of a URL (what an export shows of a webhook's address).
fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // Credentials in the authority (`user:password@host`) are left out too.
    let host = authority.rsplit('@').next().unwrap_or_default();
    format!("{scheme}://{host}")
}

/// The emails of these users (those that still exist).
fn emails(
    conn: &mut DbConnection,
    ids: impl IntoIterator<Item = UserId>,
) -> StoreResult<HashMap<UserId, String>> {
    let ids: Vec<UserId> = ids
        .into_iter()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut found = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(UserId, String)> = users::table
            .filter(users::id.eq_any(chunk))
            .select((users::id, users::email))
            .load(conn)?;
        found.extend(rows);
    }
    Ok(found)
}

/// Everything of `org` as an export document. `generator` names the writing program.
pub fn export(conn: &mut DbConnection, org: &OrgId, generator: &str) -> StoreResult<OrgExport> {
    let row = crate::organizations::get(conn, org)?;

    let groups = crate::services::list_groups(conn, org)?
        .into_iter()
        .map(|g| ExportedGroup {
            id: g.id,
            name: g.name,
            position: g.position,
            created_at: utc(g.created_at),
            updated_at: utc(g.updated_at),
        })
        .collect();
    let services = crate::services::list(conn, org)?
        .into_iter()
        .map(|s| ExportedService {
            id: s.id,
            group_id: s.group_id,
            name: s.name,
            description: s.description,
            position: s.position,
            status: s.status,
            manual_status: s.manual_status,
            monitor_status: s.monitor_status.map(|DbText(status)| status),
            display: s.display,
            created_at: utc(s.created_at),
            updated_at: utc(s.updated_at),
        })
        .collect();

    type ChangeRow = (
        String,
        upstate_shared::ServiceId,
        DbText<ServiceStatus>,
        String,
        Option<UserId>,
        Option<IncidentId>,
        Option<upstate_shared::MaintenanceId>,
        Option<upstate_shared::MonitorId>,
        NaiveDateTime,
    );
    let changes: Vec<ChangeRow> = service_status_changes::table
        .filter(service_status_changes::org_id.eq(org))
        .order((
            service_status_changes::changed_at.asc(),
            service_status_changes::id.asc(),
        ))
        .select((
            service_status_changes::id,
            service_status_changes::service_id,
            service_status_changes::status,
            service_status_changes::source,
            service_status_changes::changed_by_user_id,
            service_status_changes::incident_id,
            service_status_changes::maintenance_id,
            service_status_changes::monitor_id,
            service_status_changes::changed_at,
        ))
        .load(conn)?;

    let incident_rows: Vec<crate::incidents::Incident> = incidents::table
        .filter(incidents::org_id.eq(org))
        .filter(incidents::deleted_at.is_null())
        .order((incidents::created_at.asc(), incidents::id.asc()))
        .select(crate::incidents::Incident::as_select())
        .load(conn)?;
    let incident_authors: Vec<(IncidentId, Option<UserId>)> = incidents::table
        .filter(incidents::org_id.eq(org))
        .select((incidents::id, incidents::created_by))
        .load(conn)?;
    let incident_authors: HashMap<IncidentId, Option<UserId>> =
        incident_authors.into_iter().collect();
    let full_incidents = crate::incidents::with_details(conn, incident_rows)?;

    let window_rows: Vec<crate::maintenances::Maintenance> = maintenances::table
        .filter(maintenances::org_id.eq(org))
        .order((maintenances::scheduled_start.asc(), maintenances::id.asc()))
        .select(crate::maintenances::Maintenance::as_select())
        .load(conn)?;
    type WindowExtra = (
        upstate_shared::MaintenanceId,
        Option<UserId>,
        Option<NaiveDateTime>,
    );
    let window_extra: Vec<WindowExtra> = maintenances::table
        .filter(maintenances::org_id.eq(org))
        .select((
            maintenances::id,
            maintenances::created_by,
            maintenances::reminded_at,
        ))
        .load(conn)?;
    let window_extra: HashMap<_, _> = window_extra
        .into_iter()
        .map(|(id, by, reminded)| (id, (by, reminded)))
        .collect();
    let full_windows = crate::maintenances::with_details(conn, window_rows)?;

    let member_rows: Vec<(String, DbText<Role>, NaiveDateTime)> = memberships::table
        .inner_join(users::table)
        .filter(memberships::org_id.eq(org))
        .order((memberships::created_at.asc(), users::email.asc()))
        .select((users::email, memberships::role, memberships::created_at))
        .load(conn)?;

    // Every person named as an author, by email.
    let mut people: Vec<UserId> = changes.iter().filter_map(|c| c.4.clone()).collect();
    people.extend(incident_authors.values().flatten().cloned());
    people.extend(window_extra.values().filter_map(|(by, _)| by.clone()));
    for full in &full_incidents {
        people.extend(full.updates.iter().filter_map(|u| u.author_user_id.clone()));
    }
    for full in &full_windows {
        people.extend(full.updates.iter().filter_map(|u| u.author_user_id.clone()));
    }
    let templates = crate::incident_templates::list(conn, org)?;
    people.extend(templates.iter().filter_map(|t| t.created_by.clone()));
    let email_of = emails(conn, people)?;
    let email = |id: &Option<UserId>| id.as_ref().and_then(|id| email_of.get(id).cloned());

    let status_changes = changes
        .into_iter()
        .map(
            |(id, service_id, DbText(status), source, by, incident, maintenance, monitor, at)| {
                ExportedStatusChange {
                    id,
                    service_id,
                    status,
                    source,
                    changed_by: email(&by),
                    incident_id: incident,
                    maintenance_id: maintenance,
                    monitor_id: monitor,
                    changed_at: utc(at),
                }
            },
        )
        .collect();

    let incidents = full_incidents
        .into_iter()
        .map(|full| {
            let incident = full.incident;
            let mut affected: Vec<ExportedAffected> = full
                .affected
                .into_iter()
                .map(|(service_id, status)| ExportedAffected { service_id, status })
                .collect();
            affected.sort_by(|a, b| a.service_id.cmp(&b.service_id));
            ExportedIncident {
                created_by: email(
                    incident_authors
                        .get(&incident.id)
                        .unwrap_or(&None::<UserId>),
                ),
                id: incident.id,
                title: incident.title,
                status: incident.status,
                impact: incident.impact,
                postmortem: incident.postmortem,
                created_at: utc(incident.created_at),
                updated_at: utc(incident.updated_at),
                resolved_at: incident.resolved_at.map(utc),
                updates: full
                    .updates
                    .into_iter()
                    .map(|u| ExportedIncidentUpdate {
                        author: email(&u.author_user_id),
                        id: u.id,
                        status: u.status,
                        message: u.message,
                        created_at: utc(u.created_at),
                    })
                    .collect(),
                affected,
            }
        })
        .collect();

    let maintenances = full_windows
        .into_iter()
        .map(|full| {
            let window = full.maintenance;
            let (by, reminded) = window_extra.get(&window.id).cloned().unwrap_or_default();
            let mut service_ids = full.service_ids;
            service_ids.sort();
            ExportedMaintenance {
                id: window.id,
                title: window.title,
                description: window.description,
                status: window.status,
                scheduled_start: utc(window.scheduled_start),
                scheduled_end: utc(window.scheduled_end),
                auto_transition: window.auto_transition,
                started_at: window.started_at.map(utc),
                ended_at: window.ended_at.map(utc),
                reminded_at: reminded.map(utc),
                created_by: email(&by),
                created_at: utc(window.created_at),
                updated_at: utc(window.updated_at),
                service_ids,
                updates: full
                    .updates
                    .into_iter()
                    .map(|u| ExportedMaintenanceUpdate {
                        author: email(&u.author_user_id),
                        id: u.id,
                        status: u.status,
                        message: u.message,
                        created_at: utc(u.created_at),
                    })
                    .collect(),
            }
        })
        .collect();

    let subscription_rows: Vec<crate::subscriptions::Subscription> = subscriptions::table
        .filter(subscriptions::org_id.eq(org))
        .order((subscriptions::created_at.asc(), subscriptions::id.asc()))
        .select(crate::subscriptions::Subscription::as_select())
        .load(conn)?;
    let limited: Vec<(SubscriptionId, upstate_shared::ServiceId)> = subscription_services::table
        .inner_join(subscriptions::table)
        .filter(subscriptions::org_id.eq(org))
        .order((
            subscription_services::subscription_id.asc(),
            subscription_services::service_id.asc(),
        ))
        .select((
            subscription_services::subscription_id,
            subscription_services::service_id,
        ))
        .load(conn)?;
    let mut services_of: HashMap<SubscriptionId, Vec<upstate_shared::ServiceId>> = HashMap::new();
    for (subscription, service) in limited {
        services_of.entry(subscription).or_default().push(service);
    }
    let mut subscribers = Vec::new();
    let mut integrations = Vec::new();
    for s in subscription_rows {
        let service_ids = services_of.remove(&s.id).unwrap_or_default();
        let channel = s.channel();
        if s.is_team() {
            integrations.push(ExportedIntegration {
                url_origin: origin(&s.target),
                events: s.events(),
                id: s.id,
                name: s.name,
                channel,
                contact_email: s.contact_email,
                service_ids,
                created_at: utc(s.created_at),
                disabled_at: s.disabled_at.map(utc),
            });
        } else {
            let language = Some(s.locale());
            subscribers.push(ExportedSubscriber {
                target: if channel == Channel::Email {
                    s.target
                } else {
                    origin(&s.target)
                },
                id: s.id,
                channel,
                contact_email: s.contact_email,
                service_ids,
                created_at: utc(s.created_at),
                confirmed_at: s.confirmed_at.map(utc),
                confirmation_sent_at: s.confirmation_sent_at.map(utc),
                disabled_at: s.disabled_at.map(utc),
                language,
                disabled_reason: s.disabled_reason,
            });
        }
    }

    let monitor_rows: Vec<crate::monitors::Monitor> = monitors::table
        .filter(monitors::org_id.eq(org))
        .order((monitors::created_at.asc(), monitors::id.asc()))
        .select(crate::monitors::Monitor::as_select())
        .load(conn)?;
    let mut exported_monitors = Vec::new();
    for m in monitor_rows {
        let mut check: serde_json::Value = serde_json::from_str(&m.definition)
            .map_err(|err| StoreError::Invalid("monitor".into(), err.to_string()))?;
        let mut redacted_headers = Vec::new();
        if let Some(headers) = check.get_mut("headers").and_then(|h| h.as_array_mut()) {
            for header in headers {
                if let Some(name) = header.get("name").and_then(|n| n.as_str()) {
                    redacted_headers.push(name.to_owned());
                }
                if let Some(value) = header.get_mut("value") {
                    *value = serde_json::Value::String(String::new());
                }
            }
        }
        let auto_incident = m
            .auto_incident
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|err| StoreError::Invalid("monitor".into(), err.to_string()))?;
        exported_monitors.push(ExportedMonitor {
            settings: m.settings(),
            id: m.id,
            service_id: m.service_id,
            name: m.name,
            check,
            redacted_headers,
            paused: m.paused,
            state: m.state,
            open_incident_id: m.open_incident_id,
            auto_incident,
            created_at: utc(m.created_at),
            updated_at: utc(m.updated_at),
        });
    }

    let records: Vec<(String, String, String, String, NaiveDateTime)> = imported_records::table
        .filter(imported_records::org_id.eq(org))
        .order((
            imported_records::imported_at.asc(),
            imported_records::source.asc(),
            imported_records::kind.asc(),
            imported_records::external_id.asc(),
        ))
        .select((
            imported_records::source,
            imported_records::kind,
            imported_records::external_id,
            imported_records::local_id,
            imported_records::imported_at,
        ))
        .load(conn)?;

    // The mode and ranges travel; the password's hash never does.
    let page_access = crate::page_access::get(conn, &row.id)?
        .filter(|access| access.mode != upstate_shared::PageAccessMode::Public)
        .map(|access| upstate_shared::export::ExportedPageAccess {
            mode: access.mode,
            ranges: access.range_list(),
        });
    Ok(OrgExport {
        page_access,
        format: FORMAT.into(),
        version: VERSION,
        exported_at: utc(crate::now()),
        generator: generator.into(),
        org: ExportedOrg {
            id: row.id,
            name: row.name,
            slug: row.slug,
            branding: upstate_shared::dto::Branding {
                accent_color: row.accent_color,
                logo_url: row.logo_url,
                support_url: row.support_url,
                favicon_url: row.favicon_url,
                home_url: row.home_url,
                footer_text: row.footer_text,
                theme: row.theme,
            },
            custom_css: row.custom_css,
            custom_domain: row.custom_domain,
            reminder_minutes: row.reminder_minutes,
            default_language: row.default_language.parse().unwrap_or_default(),
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        },
        groups,
        services,
        status_changes,
        incidents,
        maintenances,
        subscribers,
        integrations,
        monitors: exported_monitors,
        incident_templates: templates
            .into_iter()
            .map(|t| ExportedIncidentTemplate {
                created_by: email(&t.created_by),
                id: t.id,
                name: t.name,
                title: t.title,
                impact: t.impact,
                status: t.status,
                message: t.message,
                affected: t
                    .affected
                    .into_iter()
                    .map(|a| ExportedAffected {
                        service_id: a.service_id,
                        status: a.status,
                    })
                    .collect(),
                created_at: utc(t.created_at),
                updated_at: utc(t.updated_at),
            })
            .collect(),
        members: member_rows
            .into_iter()
            .map(|(email, DbText(role), joined)| ExportedMember {
                email,
                role,
                joined_at: utc(joined),
            })
            .collect(),
        imported_records: records
            .into_iter()
            .map(
                |(source, kind, external_id, local_id, at)| ExportedImportRecord {
                    source,
                    kind,
                    external_id,
                    local_id,
                    imported_at: utc(at),
                },
            )
            .collect(),
    })
}

/// The secrets this server derives for imported records (they are never in a document).
pub struct Keys<'a> {
    /// A subscriber's link token hash, from its id and this server's key.
    pub subscription_token_hash: crate::subscriptions::TokenHash<'a>,
    /// A new heartbeat URL's secret.
    pub heartbeat_token: &'a dyn Fn() -> String,
}

/// How many records of one kind an import created, and how many it found already here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub created: usize,
    pub existing: usize,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub org_id: OrgId,
    pub slug: String,
    /// Whether the organization itself was created (else the document went into one here).
    pub org_created: bool,
    pub groups: Tally,
    pub services: Tally,
    pub status_changes: usize,
    pub incidents: Tally,
    pub maintenances: Tally,
    pub subscribers: Tally,
    pub monitors: Tally,
    pub incident_templates: Tally,
    /// Members added (emails of people with an account here).
    pub members_added: Vec<String>,
    /// Members without an account on this server: to invite again.
    pub members_missing: Vec<String>,
    /// Monitors imported paused because their headers' values were left out of the document.
    pub monitors_paused: Vec<String>,
    /// Heartbeat monitors, whose URLs are new on this server (their jobs must call the new one).
    pub heartbeats_renewed: Vec<String>,
    /// Integrations and webhook subscribers to set up again (`name (channel, origin)`).
    pub to_set_up_again: Vec<String>,
    /// Settings left unset, and why.
    pub notes: Vec<String>,
}

/// Where one exported record lands.
enum Place {
    /// It is here already (imported before, or this is its own server): left as it is.
    Existing(String),
    /// To create under this id.
    New(String),
    /// Imported before and deleted here since: not brought back.
    Deleted,
}

struct Importer {
    org: OrgId,
    source: String,
    now: NaiveDateTime,
    people: HashMap<String, UserId>,
}

impl Importer {
    fn remembered(
        &self,
        conn: &mut DbConnection,
        kind: &str,
        external: &str,
    ) -> StoreResult<Option<String>> {
        Ok(imported_records::table
            .filter(imported_records::org_id.eq(&self.org))
            .filter(imported_records::source.eq(&self.source))
            .filter(imported_records::kind.eq(kind))
            .filter(imported_records::external_id.eq(external))
            .select(imported_records::local_id)
            .first(conn)
            .optional()?)
    }

    fn remember(
        &self,
        conn: &mut DbConnection,
        kind: &str,
        external: &str,
        local: &str,
    ) -> StoreResult<()> {
        diesel::insert_into(imported_records::table)
            .values((
                imported_records::org_id.eq(&self.org),
                imported_records::source.eq(&self.source),
                imported_records::kind.eq(kind),
                imported_records::external_id.eq(external),
                imported_records::local_id.eq(local),
                imported_records::imported_at.eq(self.now),
            ))
            .execute(conn)?;
        Ok(())
    }

    /// Where the record `external` of `kind` lands; `owner` answers which org holds a row with
    /// an id (if any does).
    fn place(
        &self,
        conn: &mut DbConnection,
        kind: &str,
        external: &str,
        owner: impl Fn(&mut DbConnection, &str) -> StoreResult<Option<OrgId>>,
    ) -> StoreResult<Place> {
        if let Some(local) = self.remembered(conn, kind, external)? {
            return Ok(if owner(conn, &local)?.is_some() {
                Place::Existing(local)
            } else {
                Place::Deleted
            });
        }
        match owner(conn, external)? {
            Some(org) if org == self.org => Ok(Place::Existing(external.to_owned())),
            Some(_) => Ok(Place::New(crate::new_id())),
            None => Ok(Place::New(external.to_owned())),
        }
    }

    /// One exported record, brought here: its local id, the one it has here already (imported
    /// before, or this is its own server) or the one `insert` creates it under (`insert` answers
    /// false when it cannot be made); `None` when it was imported before and deleted here since,
    /// or could not be made.
    fn bring(
        &self,
        conn: &mut DbConnection,
        kind: &str,
        external: &str,
        org_of: impl Fn(&mut DbConnection, &str) -> StoreResult<Option<OrgId>>,
        tally: &mut Tally,
        insert: impl FnOnce(&mut DbConnection, &str) -> StoreResult<bool>,
    ) -> StoreResult<Option<String>> {
        match self.place(conn, kind, external, org_of)? {
            Place::Existing(id) => {
                tally.existing += 1;
                Ok(Some(id))
            }
            Place::Deleted => Ok(None),
            Place::New(id) => {
                if !insert(conn, &id)? {
                    return Ok(None);
                }
                self.remember(conn, kind, external, &id)?;
                tally.created += 1;
                Ok(Some(id))
            }
        }
    }

    fn person(&self, email: &Option<String>) -> Option<UserId> {
        email
            .as_ref()
            .and_then(|e| self.people.get(&e.to_lowercase()).cloned())
    }
}

/// Which organization the row `id` of `$table` belongs to, if the row exists.
macro_rules! org_of {
    ($table:ident) => {
        |conn: &mut DbConnection, id: &str| -> StoreResult<Option<OrgId>> {
            Ok($table::table
                .find(id)
                .select($table::org_id)
                .first(conn)
                .optional()?)
        }
    };
}

/// An id for a row that hangs off a record created in this import: its exported id when free.
fn child_id(taken: bool, exported: &str) -> String {
    if taken {
        crate::new_id()
    } else {
        exported.to_owned()
    }
}

fn invalid(message: String) -> StoreError {
    StoreError::Invalid("document".into(), message)
}

/// Reads `doc` into the organization `slug` (created when there is none), in the caller's
/// transaction. A document whose references do not hold together is refused
/// (`StoreError::Invalid` on `document`, with a sentence) before anything is written.
pub fn import(
    conn: &mut DbConnection,
    doc: &OrgExport,
    slug: &str,
    keys: &Keys<'_>,
) -> StoreResult<Report> {
    upstate_shared::export::Header {
        format: Some(doc.format.clone()),
        version: Some(doc.version),
    }
    .check()
    .map_err(invalid)?;
    doc.check_references().map_err(invalid)?;
    let checks: Vec<Check> = doc
        .monitors
        .iter()
        .map(|m| {
            serde_json::from_value::<Check>(m.check.clone()).map_err(|err| {
                invalid(format!(
                    "monitor `{}` has a check this Upstate cannot read: {err}",
                    m.id
                ))
            })
        })
        .collect::<StoreResult<_>>()?;

    let now = crate::now();
    let mut report = Report {
        org_id: OrgId(String::new()),
        slug: slug.to_owned(),
        org_created: false,
        groups: Tally::default(),
        services: Tally::default(),
        status_changes: 0,
        incidents: Tally::default(),
        maintenances: Tally::default(),
        subscribers: Tally::default(),
        monitors: Tally::default(),
        incident_templates: Tally::default(),
        members_added: Vec::new(),
        members_missing: Vec::new(),
        monitors_paused: Vec::new(),
        heartbeats_renewed: Vec::new(),
        to_set_up_again: Vec::new(),
        notes: Vec::new(),
    };

    // The organization: the one with this slug, or a new one (with its exported id if free).
    let org = match crate::organizations::find_by_slug(conn, slug)? {
        Some(org) => org,
        None => {
            let id_taken = organizations::table
                .find(&doc.org.id)
                .count()
                .get_result::<i64>(conn)?
                > 0;
            let id = OrgId(child_id(id_taken, doc.org.id.as_str()));
            let domain = match &doc.org.custom_domain {
                Some(domain)
                    if crate::organizations::find_by_custom_domain(conn, domain)?.is_some() =>
                {
                    report.notes.push(format!(
                        "the custom domain {domain} is another organization's here: left unset"
                    ));
                    None
                }
                other => other.clone(),
            };
            // Custom CSS is checked as the API checks it: a document from elsewhere may hold
            // anything.
            let css = match &doc.org.custom_css {
                Some(css) => match upstate_shared::css::check(css) {
                    Ok(()) => Some(css.clone()),
                    Err(problem) => {
                        report.notes.push(format!(
                            "the custom CSS was refused ({problem}): left unset"
                        ));
                        None
                    }
                },
                None => None,
            };
            diesel::insert_into(organizations::table)
                .values((
                    organizations::id.eq(&id),
                    organizations::name.eq(&doc.org.name),
                    organizations::slug.eq(slug),
                    organizations::accent_color.eq(&doc.org.branding.accent_color),
                    organizations::logo_url.eq(&doc.org.branding.logo_url),
                    organizations::support_url.eq(&doc.org.branding.support_url),
                    organizations::event_seq.eq(0_i64),
                    organizations::created_at.eq(naive(doc.org.created_at)),
                    organizations::updated_at.eq(naive(doc.org.updated_at)),
                    organizations::reminder_minutes.eq(doc.org.reminder_minutes),
                    organizations::custom_domain.eq(&domain),
                    organizations::favicon_url.eq(&doc.org.branding.favicon_url),
                    organizations::home_url.eq(&doc.org.branding.home_url),
                    organizations::footer_text.eq(&doc.org.branding.footer_text),
                    organizations::theme.eq(doc.org.branding.theme.as_str()),
                    organizations::custom_css.eq(&css),
                    organizations::default_language.eq(doc.org.default_language.tag()),
                ))
                .execute(conn)?;
            if let DbConnection::Postgres(pg) = conn {
                diesel::sql_query("SELECT pg_notify($1, '')")
                    .bind::<diesel::sql_types::Text, _>(crate::listen::ORGS_CHANNEL)
                    .execute(pg)?;
            }
            report.org_created = true;
            crate::organizations::get(conn, &id)?
        }
    };
    let org: Organization = org;
    report.org_id = org.id.clone();

    // Who may see a new org's page (an existing org keeps its own setting). Without its
    // password, a password page stays private as a members' page.
    if report.org_created
        && let Some(access) = &doc.page_access
    {
        let mode = match access.mode {
            upstate_shared::PageAccessMode::Password => upstate_shared::PageAccessMode::Members,
            other => other,
        };
        crate::page_access::set(
            conn,
            &org.id,
            crate::page_access::Change {
                mode,
                ranges: &access.ranges,
                password_hash: None,
            },
        )?;
    }

    // People are matched by email: the authors of the history and the members.
    let mut wanted: Vec<String> = doc.members.iter().map(|m| m.email.to_lowercase()).collect();
    wanted.extend(
        doc.status_changes
            .iter()
            .filter_map(|c| c.changed_by.clone()),
    );
    wanted.extend(doc.incidents.iter().filter_map(|i| i.created_by.clone()));
    for incident in &doc.incidents {
        wanted.extend(incident.updates.iter().filter_map(|u| u.author.clone()));
    }
    for window in &doc.maintenances {
        wanted.extend(window.created_by.clone());
        wanted.extend(window.updates.iter().filter_map(|u| u.author.clone()));
    }
    let wanted: Vec<String> = wanted
        .into_iter()
        .map(|e| e.to_lowercase())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut people = HashMap::new();
    for chunk in wanted.chunks(500) {
        let rows: Vec<(String, UserId)> = users::table
            .filter(users::email.eq_any(chunk))
            .select((users::email, users::id))
            .load(conn)?;
        people.extend(rows);
    }
    let it = Importer {
        org: org.id.clone(),
        source: format!("upstate:{}", doc.org.id),
        now,
        people,
    };

    // Groups, then services (in the document's order: by position).
    let mut group_ids: HashMap<&str, Option<String>> = HashMap::new();
    for group in &doc.groups {
        let local = it.bring(
            conn,
            "group",
            group.id.as_str(),
            org_of!(service_groups),
            &mut report.groups,
            |conn, id| {
                diesel::insert_into(service_groups::table)
                    .values((
                        service_groups::id.eq(&id),
                        service_groups::org_id.eq(&it.org),
                        service_groups::name.eq(&group.name),
                        service_groups::position.eq(group.position),
                        service_groups::created_at.eq(naive(group.created_at)),
                        service_groups::updated_at.eq(naive(group.updated_at)),
                    ))
                    .execute(conn)?;
                Ok(true)
            },
        )?;
        group_ids.insert(group.id.as_str(), local);
    }

    // Services: `Some(local id)` for every service here; the set of those created now.
    let mut service_ids: HashMap<&str, Option<String>> = HashMap::new();
    let mut new_services: HashSet<&str> = HashSet::new();
    for service in &doc.services {
        let local = it.bring(
            conn,
            "service",
            service.id.as_str(),
            org_of!(services),
            &mut report.services,
            |conn, id| {
                let group = service
                    .group_id
                    .as_ref()
                    .and_then(|g| group_ids.get(g.as_str()).cloned().flatten());
                diesel::insert_into(services::table)
                    .values((
                        services::id.eq(&id),
                        services::org_id.eq(&it.org),
                        services::group_id.eq(group),
                        services::name.eq(&service.name),
                        services::description.eq(&service.description),
                        services::status.eq(service.status.as_str()),
                        services::manual_status.eq(service.manual_status.as_str()),
                        services::monitor_status.eq(service.monitor_status.map(|s| s.as_str())),
                        services::display.eq(service.display.as_str()),
                        services::position.eq(service.position),
                        services::created_at.eq(naive(service.created_at)),
                        services::updated_at.eq(naive(service.updated_at)),
                    ))
                    .execute(conn)?;
                new_services.insert(service.id.as_str());
                Ok(true)
            },
        )?;
        service_ids.insert(service.id.as_str(), local);
    }
    let service_of =
        |id: &upstate_shared::ServiceId| service_ids.get(id.as_str()).cloned().flatten();

    // Incidents, each with its timeline and affected services.
    let mut incident_ids: HashMap<&str, Option<String>> = HashMap::new();
    for incident in &doc.incidents {
        let local = it.bring(
            conn,
            "incident",
            incident.id.as_str(),
            org_of!(incidents),
            &mut report.incidents,
            |conn, id| {
                insert_incident(conn, &it, id, incident, &service_of)?;
                Ok(true)
            },
        )?;
        incident_ids.insert(incident.id.as_str(), local);
    }

    // Maintenance windows, each with its services and updates.
    let mut maintenance_ids: HashMap<&str, Option<String>> = HashMap::new();
    for window in &doc.maintenances {
        let local = it.bring(
            conn,
            "maintenance",
            window.id.as_str(),
            org_of!(maintenances),
            &mut report.maintenances,
            |conn, id| {
                insert_maintenance(conn, &it, id, window, &service_of)?;
                Ok(true)
            },
        )?;
        maintenance_ids.insert(window.id.as_str(), local);
    }

    // Monitors: definitions only; they start checking again on this server.
    let mut monitor_ids: HashMap<&str, Option<String>> = HashMap::new();
    for (monitor, check) in doc.monitors.iter().zip(&checks) {
        let local = it.bring(
            conn,
            "monitor",
            monitor.id.as_str(),
            org_of!(monitors),
            &mut report.monitors,
            |conn, id| {
                // A monitor of a service that is not here (deleted since) is not brought.
                let Some(service) = service_of(&monitor.service_id) else {
                    return Ok(false);
                };
                let heartbeat = matches!(check, Check::Heartbeat { .. });
                let token = heartbeat.then(|| (keys.heartbeat_token)());
                let paused = monitor.paused || !monitor.redacted_headers.is_empty();
                if paused && !monitor.paused {
                    report.monitors_paused.push(monitor.name.clone());
                }
                if heartbeat {
                    report.heartbeats_renewed.push(monitor.name.clone());
                }
                let int = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
                let open_incident = monitor
                    .open_incident_id
                    .as_ref()
                    .and_then(|i| incident_ids.get(i.as_str()).cloned().flatten());
                // Its first check after one interval (a heartbeat: after its grace too).
                let grace = match check {
                    Check::Heartbeat { grace_seconds } => i64::from(*grace_seconds),
                    _ => 0,
                };
                let first = now
                    + chrono::TimeDelta::seconds(
                        i64::from(monitor.settings.interval_seconds) + grace,
                    );
                diesel::insert_into(monitors::table)
                    .values((
                        monitors::id.eq(&id),
                        monitors::org_id.eq(&it.org),
                        monitors::service_id.eq(&service),
                        monitors::name.eq(&monitor.name),
                        monitors::kind.eq(check.kind()),
                        monitors::definition.eq(monitor.check.to_string()),
                        monitors::interval_seconds.eq(int(monitor.settings.interval_seconds)),
                        monitors::timeout_seconds.eq(int(monitor.settings.timeout_seconds)),
                        monitors::failures_to_fail.eq(int(monitor.settings.failures_to_fail)),
                        monitors::successes_to_recover
                            .eq(int(monitor.settings.successes_to_recover)),
                        monitors::paused.eq(paused),
                        monitors::state.eq(monitor.state.as_str()),
                        monitors::recent.eq(""),
                        monitors::next_run_at.eq(first),
                        monitors::auto_incident
                            .eq(monitor.auto_incident.as_ref().map(|t| t.to_string())),
                        monitors::open_incident_id.eq(open_incident),
                        monitors::heartbeat_token.eq(token),
                        monitors::created_at.eq(naive(monitor.created_at)),
                        monitors::updated_at.eq(naive(monitor.updated_at)),
                    ))
                    .execute(conn)?;
                Ok(true)
            },
        )?;
        monitor_ids.insert(monitor.id.as_str(), local);
    }

    // Incident templates; one whose name a template here has already is that one.
    for template in &doc.incident_templates {
        let named: i64 = incident_templates::table
            .filter(incident_templates::org_id.eq(&it.org))
            .filter(incident_templates::name.eq(&template.name))
            .count()
            .get_result(conn)?;
        if named > 0 {
            report.incident_templates.existing += 1;
            continue;
        }
        it.bring(
            conn,
            "incident_template",
            template.id.as_str(),
            org_of!(incident_templates),
            &mut report.incident_templates,
            |conn, id| {
                // Of its services, those here.
                let affected: Vec<(upstate_shared::ServiceId, ServiceStatus)> = template
                    .affected
                    .iter()
                    .filter_map(|a| {
                        service_of(&a.service_id).map(|s| (upstate_shared::ServiceId(s), a.status))
                    })
                    .collect();
                diesel::insert_into(incident_templates::table)
                    .values((
                        incident_templates::id.eq(id),
                        incident_templates::org_id.eq(&it.org),
                        incident_templates::name.eq(&template.name),
                        incident_templates::title.eq(&template.title),
                        incident_templates::impact.eq(template.impact.as_str()),
                        incident_templates::status.eq(template.status.as_str()),
                        incident_templates::message.eq(&template.message),
                        incident_templates::affected
                            .eq(crate::incident_templates::affected_json(&affected)),
                        incident_templates::created_at.eq(naive(template.created_at)),
                        incident_templates::updated_at.eq(naive(template.updated_at)),
                        incident_templates::created_by.eq(it.person(&template.created_by)),
                    ))
                    .execute(conn)?;
                Ok(true)
            },
        )?;
    }

    // The history of the services created now (a service here before keeps its own).
    for change in &doc.status_changes {
        if !new_services.contains(change.service_id.as_str()) {
            continue;
        }
        let Some(service) = service_of(&change.service_id) else {
            continue;
        };
        let taken = service_status_changes::table
            .find(&change.id)
            .count()
            .get_result::<i64>(conn)?
            > 0;
        let local = |map: &HashMap<&str, Option<String>>, id: Option<&str>| {
            id.and_then(|id| map.get(id).cloned().flatten())
        };
        diesel::insert_into(service_status_changes::table)
            .values((
                service_status_changes::id.eq(child_id(taken, &change.id)),
                service_status_changes::org_id.eq(&it.org),
                service_status_changes::service_id.eq(&service),
                service_status_changes::status.eq(change.status.as_str()),
                service_status_changes::source.eq(&change.source),
                service_status_changes::changed_by_user_id.eq(it.person(&change.changed_by)),
                service_status_changes::incident_id.eq(local(
                    &incident_ids,
                    change.incident_id.as_ref().map(|i| i.as_str()),
                )),
                service_status_changes::maintenance_id.eq(local(
                    &maintenance_ids,
                    change.maintenance_id.as_ref().map(|i| i.as_str()),
                )),
                service_status_changes::monitor_id.eq(local(
                    &monitor_ids,
                    change.monitor_id.as_ref().map(|i| i.as_str()),
                )),
                service_status_changes::changed_at.eq(naive(change.changed_at)),
            ))
            .execute(conn)?;
        report.status_changes += 1;
    }

    // Subscribers by email, with their confirmation and their services. Webhook subscribers and
    // integrations have no usable address or secret in the document: they are set up again.
    for subscriber in &doc.subscribers {
        if subscriber.channel != Channel::Email {
            report.to_set_up_again.push(format!(
                "webhook subscriber ({}, {})",
                subscriber.target,
                subscriber.contact_email.as_deref().unwrap_or("no contact")
            ));
            continue;
        }
        let target = subscriber.target.to_lowercase();
        let same_target: Option<SubscriptionId> = subscriptions::table
            .filter(subscriptions::org_id.eq(&it.org))
            .filter(subscriptions::audience.eq(crate::subscriptions::Audience::Subscriber.as_str()))
            .filter(subscriptions::channel.eq(Channel::Email.as_str()))
            .filter(subscriptions::target.eq(&target))
            .select(subscriptions::id)
            .first(conn)
            .optional()?;
        if same_target.is_some() {
            report.subscribers.existing += 1;
            continue;
        }
        let place = it.place(conn, "subscriber", subscriber.id.as_str(), |conn, id| {
            Ok(subscriptions::table
                .find(id)
                .select(subscriptions::org_id)
                .first(conn)
                .optional()?)
        })?;
        let id = match place {
            Place::Existing(_) => {
                report.subscribers.existing += 1;
                continue;
            }
            // Unsubscribed here since: not subscribed again.
            Place::Deleted => continue,
            Place::New(id) => SubscriptionId(id),
        };
        diesel::insert_into(subscriptions::table)
            .values((
                subscriptions::id.eq(&id),
                subscriptions::org_id.eq(&it.org),
                subscriptions::audience.eq(crate::subscriptions::Audience::Subscriber.as_str()),
                subscriptions::channel.eq(Channel::Email.as_str()),
                subscriptions::target.eq(&target),
                subscriptions::contact_email.eq(&subscriber.contact_email),
                subscriptions::token_hash.eq((keys.subscription_token_hash)(&id)),
                subscriptions::created_at.eq(naive(subscriber.created_at)),
                subscriptions::confirmed_at.eq(subscriber.confirmed_at.map(naive)),
                subscriptions::confirmation_sent_at.eq(subscriber.confirmation_sent_at.map(naive)),
                subscriptions::failures.eq(0),
                subscriptions::disabled_at.eq(subscriber.disabled_at.map(naive)),
                subscriptions::disabled_reason.eq(&subscriber.disabled_reason),
                // A document from before subscribers had a language: the page's.
                subscriptions::locale.eq(subscriber
                    .language
                    .unwrap_or(doc.org.default_language)
                    .tag()),
            ))
            .execute(conn)?;
        let mut limited: Vec<String> = subscriber
            .service_ids
            .iter()
            .filter_map(&service_of)
            .collect();
        limited.sort();
        limited.dedup();
        for service in limited {
            diesel::insert_into(subscription_services::table)
                .values((
                    subscription_services::subscription_id.eq(&id),
                    subscription_services::service_id.eq(service),
                ))
                .execute(conn)?;
        }
        it.remember(conn, "subscriber", subscriber.id.as_str(), id.as_str())?;
        report.subscribers.created += 1;
    }
    for integration in &doc.integrations {
        report.to_set_up_again.push(format!(
            "integration {} ({}, {})",
            integration.name.as_deref().unwrap_or("without a name"),
            integration.channel.as_str(),
            integration.url_origin
        ));
    }

    // Members: the people with an account here, by email; the others are listed.
    for member in &doc.members {
        let email = member.email.to_lowercase();
        match it.people.get(&email) {
            None => report.members_missing.push(email),
            Some(user) => {
                let already = crate::memberships::role_of(conn, &it.org, user)?.is_some();
                if !already {
                    diesel::insert_into(memberships::table)
                        .values((
                            memberships::org_id.eq(&it.org),
                            memberships::user_id.eq(user),
                            memberships::role.eq(member.role.as_str()),
                            memberships::created_at.eq(naive(member.joined_at)),
                            memberships::updated_at.eq(now),
                        ))
                        .execute(conn)?;
                    report.members_added.push(email);
                }
            }
        }
    }

    // An org keeps an owner: without one here, say how to get one.
    let owners: i64 = memberships::table
        .filter(memberships::org_id.eq(&it.org))
        .filter(memberships::role.eq(Role::Owner.as_str()))
        .count()
        .get_result(conn)?;
    if owners == 0 {
        report.notes.push(
            "the organization has no owner here yet: have one of its owners register with \
             their email and run the import again (it adds them and nothing else)"
                .into(),
        );
    }

    // What the org had brought over from other products, mapped to the ids here.
    for record in &doc.imported_records {
        let local = [
            &group_ids,
            &service_ids,
            &incident_ids,
            &maintenance_ids,
            &monitor_ids,
        ]
        .iter()
        .find_map(|map| map.get(record.local_id.as_str()).cloned().flatten());
        let Some(local) = local else { continue };
        let known = imported_records::table
            .filter(imported_records::org_id.eq(&it.org))
            .filter(imported_records::source.eq(&record.source))
            .filter(imported_records::kind.eq(&record.kind))
            .filter(imported_records::external_id.eq(&record.external_id))
            .count()
            .get_result::<i64>(conn)?
            > 0;
        if !known {
            diesel::insert_into(imported_records::table)
                .values((
                    imported_records::org_id.eq(&it.org),
                    imported_records::source.eq(&record.source),
                    imported_records::kind.eq(&record.kind),
                    imported_records::external_id.eq(&record.external_id),
                    imported_records::local_id.eq(local),
                    imported_records::imported_at.eq(naive(record.imported_at)),
                ))
                .execute(conn)?;
        }
    }
    Ok(report)
}

fn insert_incident(
    conn: &mut DbConnection,
    it: &Importer,
    id: &str,
    incident: &ExportedIncident,
    service_of: &dyn Fn(&upstate_shared::ServiceId) -> Option<String>,
) -> StoreResult<()> {
    let status: IncidentStatus = incident.status;
    let impact: ImpactLevel = incident.impact;
    diesel::insert_into(incidents::table)
        .values((
            incidents::id.eq(id),
            incidents::org_id.eq(&it.org),
            incidents::title.eq(&incident.title),
            incidents::status.eq(status.as_str()),
            incidents::impact.eq(impact.as_str()),
            incidents::postmortem.eq(&incident.postmortem),
            incidents::postmortem_html.eq(incident
                .postmortem
                .as_deref()
                .map(upstate_markdown::to_html)),
            incidents::created_by.eq(it.person(&incident.created_by)),
            incidents::created_at.eq(naive(incident.created_at)),
            incidents::updated_at.eq(naive(incident.updated_at)),
            incidents::resolved_at.eq(incident.resolved_at.map(naive)),
        ))
        .execute(conn)?;
    for update in &incident.updates {
        let taken = incident_updates::table
            .find(&update.id)
            .count()
            .get_result::<i64>(conn)?
            > 0;
        diesel::insert_into(incident_updates::table)
            .values((
                incident_updates::id.eq(child_id(taken, update.id.as_str())),
                incident_updates::org_id.eq(&it.org),
                incident_updates::incident_id.eq(id),
                incident_updates::status.eq(update.status.as_str()),
                incident_updates::message.eq(&update.message),
                incident_updates::message_html.eq(upstate_markdown::to_html(&update.message)),
                incident_updates::author_user_id.eq(it.person(&update.author)),
                incident_updates::created_at.eq(naive(update.created_at)),
            ))
            .execute(conn)?;
    }
    let mut affected: Vec<(String, ServiceStatus)> = incident
        .affected
        .iter()
        .filter_map(|a| service_of(&a.service_id).map(|s| (s, a.status)))
        .collect();
    affected.sort_by(|a, b| a.0.cmp(&b.0));
    affected.dedup_by(|a, b| a.0 == b.0);
    for (service, status) in affected {
        diesel::insert_into(incident_services::table)
            .values((
                incident_services::incident_id.eq(id),
                incident_services::service_id.eq(service),
                incident_services::org_id.eq(&it.org),
                incident_services::status.eq(status.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn insert_maintenance(
    conn: &mut DbConnection,
    it: &Importer,
    id: &str,
    window: &ExportedMaintenance,
    service_of: &dyn Fn(&upstate_shared::ServiceId) -> Option<String>,
) -> StoreResult<()> {
    let status: MaintenanceStatus = window.status;
    let reminded: Option<NaiveDateTime> = window.reminded_at.map(naive);
    diesel::insert_into(maintenances::table)
        .values((
            maintenances::id.eq(id),
            maintenances::org_id.eq(&it.org),
            maintenances::title.eq(&window.title),
            maintenances::description.eq(&window.description),
            maintenances::description_html.eq(upstate_markdown::to_html(&window.description)),
            maintenances::status.eq(status.as_str()),
            maintenances::scheduled_start.eq(naive(window.scheduled_start)),
            maintenances::scheduled_end.eq(naive(window.scheduled_end)),
            maintenances::auto_transition.eq(window.auto_transition),
            maintenances::started_at.eq(window.started_at.map(naive)),
            maintenances::ended_at.eq(window.ended_at.map(naive)),
            maintenances::reminded_at.eq(reminded),
            maintenances::created_by.eq(it.person(&window.created_by)),
            maintenances::created_at.eq(naive(window.created_at)),
            maintenances::updated_at.eq(naive(window.updated_at)),
        ))
        .execute(conn)?;
    let mut covered: Vec<String> = window.service_ids.iter().filter_map(service_of).collect();
    covered.sort();
    covered.dedup();
    for service in covered {
        diesel::insert_into(maintenance_services::table)
            .values((
                maintenance_services::maintenance_id.eq(id),
                maintenance_services::service_id.eq(service),
                maintenance_services::org_id.eq(&it.org),
            ))
            .execute(conn)?;
    }
    for update in &window.updates {
        let taken = maintenance_updates::table
            .find(&update.id)
            .count()
            .get_result::<i64>(conn)?
            > 0;
        diesel::insert_into(maintenance_updates::table)
            .values((
                maintenance_updates::id.eq(child_id(taken, update.id.as_str())),
                maintenance_updates::org_id.eq(&it.org),
                maintenance_updates::maintenance_id.eq(id),
                maintenance_updates::status.eq(update.status.as_str()),
                maintenance_updates::message.eq(&update.message),
                maintenance_updates::message_html.eq(upstate_markdown::to_html(&update.message)),
                maintenance_updates::author_user_id.eq(it.person(&update.author)),
                maintenance_updates::created_at.eq(naive(update.created_at)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::origin;

    #[test]
    fn an_origin_keeps_no_path_query_or_credentials() {
        assert_eq!(
            origin("https://hooks.slack.com/services/T0/B0/secret?x=1"),
            "https://hooks.slack.com"
        );
        assert_eq!(
            origin("https://user:pw@example.com:8443/hook"),
            "https://example.com:8443"
        );
    }
}
