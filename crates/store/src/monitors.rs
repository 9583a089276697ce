//! Monitors (issue 17): their definitions, the schedule that is also their lease, their results
//! (raw for a while, then per hour), and the status they ask of their service.
//!
//! The definition is stored as the API takes it (JSON) and read back by `upstate-monitor`; this
//! module does not look inside it. The anti-flap rule runs outside too: [`record`] stores what it
//! decided.

use crate::db::DbConnection;
use crate::effective::{self, Cause};
use crate::error::{Missing, OrMissing, StoreError, StoreResult};
use crate::schema::{monitor_hours, monitor_results, monitors, services};
use crate::text::DbText;
use chrono::{DurationRound, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use upstate_shared::monitor::{MonitorState, Settings};
use upstate_shared::{IncidentId, MonitorId, OrgId, ServiceId, ServiceStatus};

/// A monitor as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = monitors)]
pub struct Monitor {
    pub id: MonitorId,
    pub org_id: OrgId,
    pub service_id: ServiceId,
    pub name: String,
    pub kind: String,
    /// The check, as JSON.
    pub definition: String,
    pub interval_seconds: i32,
    pub timeout_seconds: i32,
    pub failures_to_fail: i32,
    pub successes_to_recover: i32,
    pub paused: bool,
    #[diesel(deserialize_as = DbText<MonitorState>)]
    pub state: MonitorState,
    /// The last results, oldest first, one letter each ([`MonitorState::letter`]).
    pub recent: String,
    pub next_run_at: NaiveDateTime,
    pub last_checked_at: Option<NaiveDateTime>,
    pub last_state: Option<DbText<MonitorState>>,
    pub last_latency_ms: Option<i32>,
    pub last_message: Option<String>,
    /// The incident template, as JSON.
    pub auto_incident: Option<String>,
    pub open_incident_id: Option<IncidentId>,
    pub heartbeat_token: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Monitor {
    pub fn settings(&self) -> Settings {
        let count = |n: i32| u32::try_from(n).unwrap_or(1);
        Settings {
            interval_seconds: count(self.interval_seconds),
            timeout_seconds: count(self.timeout_seconds),
            failures_to_fail: count(self.failures_to_fail),
            successes_to_recover: count(self.successes_to_recover),
        }
    }

    /// The last results, oldest first.
    pub fn recent(&self) -> Vec<MonitorState> {
        self.recent
            .chars()
            .filter_map(MonitorState::from_letter)
            .collect()
    }

    pub fn interval(&self) -> TimeDelta {
        TimeDelta::seconds(i64::from(self.interval_seconds))
    }
}

/// The settings' four columns, to insert or update together.
type SettingsColumns = (
    diesel::dsl::Eq<monitors::interval_seconds, i32>,
    diesel::dsl::Eq<monitors::timeout_seconds, i32>,
    diesel::dsl::Eq<monitors::failures_to_fail, i32>,
    diesel::dsl::Eq<monitors::successes_to_recover, i32>,
);

fn settings_columns(settings: &Settings) -> SettingsColumns {
    let int = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    (
        monitors::interval_seconds.eq(int(settings.interval_seconds)),
        monitors::timeout_seconds.eq(int(settings.timeout_seconds)),
        monitors::failures_to_fail.eq(int(settings.failures_to_fail)),
        monitors::successes_to_recover.eq(int(settings.successes_to_recover)),
    )
}

/// A monitor to create.
#[derive(Debug, Clone)]
pub struct NewMonitor<'a> {
    pub service_id: &'a ServiceId,
    pub name: &'a str,
    pub kind: &'a str,
    pub definition: &'a str,
    pub settings: Settings,
    pub paused: bool,
    pub auto_incident: Option<&'a str>,
    /// Heartbeat monitors: the secret of their URL.
    pub heartbeat_token: Option<&'a str>,
    /// When the first check is due: spread over the first interval, so monitors created
    /// together do not all run in the same second.
    pub first_run_at: NaiveDateTime,
}

/// Creates a monitor of `org` (its service must be the org's: else `Invalid` on `service_id`).
pub fn create(conn: &mut DbConnection, org: &OrgId, new: NewMonitor<'_>) -> StoreResult<Monitor> {
    service_of_org(conn, org, new.service_id)?;
    let id = MonitorId(crate::new_id());
    let now = crate::now();
    diesel::insert_into(monitors::table)
        .values((
            monitors::id.eq(&id),
            monitors::org_id.eq(org),
            monitors::service_id.eq(new.service_id),
            monitors::name.eq(new.name),
            monitors::kind.eq(new.kind),
            monitors::definition.eq(new.definition),
            settings_columns(&new.settings),
            monitors::paused.eq(new.paused),
            monitors::state.eq(MonitorState::Up.as_str()),
            monitors::recent.eq(""),
            monitors::next_run_at.eq(new.first_run_at),
            monitors::auto_incident.eq(new.auto_incident),
            monitors::heartbeat_token.eq(new.heartbeat_token),
            monitors::created_at.eq(now),
            monitors::updated_at.eq(now),
        ))
        .execute(conn)?;
    get(conn, org, &id)
}

fn service_of_org(conn: &mut DbConnection, org: &OrgId, service: &ServiceId) -> StoreResult<()> {
    match crate::services::get(conn, org, service) {
        Ok(_) => Ok(()),
        Err(StoreError::NotFound(_)) => Err(StoreError::Invalid(
            "service_id".into(),
            "no such service".into(),
        )),
        Err(other) => Err(other),
    }
}

pub fn get(conn: &mut DbConnection, org: &OrgId, id: &MonitorId) -> StoreResult<Monitor> {
    monitors::table
        .find(id)
        .filter(monitors::org_id.eq(org))
        .select(Monitor::as_select())
        .first(conn)
        .or_missing(Missing::Monitor)
}

/// A page of the org's monitors, newest first; `after` is the last id of the previous page.
pub fn page(
    conn: &mut DbConnection,
    org: &OrgId,
    after: Option<&MonitorId>,
    limit: i64,
) -> StoreResult<Vec<Monitor>> {
    let mut query = monitors::table
        .filter(monitors::org_id.eq(org))
        .order(monitors::id.desc())
        .limit(limit)
        .select(Monitor::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(monitors::id.lt(after));
    }
    Ok(query.load(conn)?)
}

/// How many monitors the org has.
pub fn count(conn: &mut DbConnection, org: &OrgId) -> StoreResult<i64> {
    Ok(monitors::table
        .filter(monitors::org_id.eq(org))
        .count()
        .get_result(conn)?)
}

/// Changes to a monitor; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct MonitorChanges {
    pub service_id: Option<ServiceId>,
    pub name: Option<String>,
    /// The check's kind and JSON.
    pub definition: Option<(String, String)>,
    pub settings: Option<Settings>,
    pub paused: Option<bool>,
    pub auto_incident: Option<Option<String>>,
    /// Set when the monitor turns into a heartbeat (or stops being one: `Some(None)`).
    pub heartbeat_token: Option<Option<String>>,
    /// When the next check is due, if that changes (resumed, or a new interval).
    pub next_run_at: Option<NaiveDateTime>,
}

/// Changes a monitor; answers it and the services whose effective status changed. A new check,
/// settings or service, and pausing or resuming, start the run of results over: the monitor is
/// `up` until new results say otherwise.
pub fn update(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &MonitorId,
    changes: MonitorChanges,
) -> StoreResult<(Monitor, Vec<ServiceId>)> {
    let before = get(conn, org, id)?;
    if let Some(service) = &changes.service_id {
        service_of_org(conn, org, service)?;
    }
    let starts_over = changes.definition.is_some()
        || changes.settings.is_some()
        || changes
            .service_id
            .as_ref()
            .is_some_and(|s| *s != before.service_id)
        || changes.paused.is_some_and(|p| p != before.paused);
    let now = crate::now();
    let target = monitors::table.find(id).filter(monitors::org_id.eq(org));
    diesel::update(target)
        .set(monitors::updated_at.eq(now))
        .execute(conn)?;
    if let Some(service) = &changes.service_id {
        diesel::update(target)
            .set(monitors::service_id.eq(service))
            .execute(conn)?;
    }
    if let Some(name) = &changes.name {
        diesel::update(target)
            .set(monitors::name.eq(name))
            .execute(conn)?;
    }
    if let Some((kind, definition)) = &changes.definition {
        diesel::update(target)
            .set((monitors::kind.eq(kind), monitors::definition.eq(definition)))
            .execute(conn)?;
    }
    if let Some(settings) = &changes.settings {
        diesel::update(target)
            .set(settings_columns(settings))
            .execute(conn)?;
    }
    if let Some(paused) = changes.paused {
        diesel::update(target)
            .set(monitors::paused.eq(paused))
            .execute(conn)?;
    }
    if let Some(template) = &changes.auto_incident {
        diesel::update(target)
            .set(monitors::auto_incident.eq(template))
            .execute(conn)?;
    }
    if let Some(token) = &changes.heartbeat_token {
        diesel::update(target)
            .set(monitors::heartbeat_token.eq(token))
            .execute(conn)?;
    }
    if let Some(next) = changes.next_run_at {
        diesel::update(target)
            .set(monitors::next_run_at.eq(next))
            .execute(conn)?;
    }
    if starts_over {
        diesel::update(target)
            .set((
                monitors::state.eq(MonitorState::Up.as_str()),
                monitors::recent.eq(""),
            ))
            .execute(conn)?;
    }
    let after = get(conn, org, id)?;
    let cause = Cause {
        monitor: Some(id.clone()),
        ..Cause::default()
    };
    let mut moved = follow_monitors(conn, org, &after.service_id, &cause)?;
    if before.service_id != after.service_id {
        moved.extend(follow_monitors(conn, org, &before.service_id, &cause)?);
    }
    Ok((after, moved))
}

/// Deletes a monitor; answers the services whose effective status changed.
pub fn delete(conn: &mut DbConnection, org: &OrgId, id: &MonitorId) -> StoreResult<Vec<ServiceId>> {
    let monitor = get(conn, org, id)?;
    diesel::delete(monitors::table.find(id).filter(monitors::org_id.eq(org))).execute(conn)?;
    follow_monitors(conn, org, &monitor.service_id, &Cause::default())
}

/// Sets what `service`'s running monitors ask for (the worst of their decided states; none when
/// none runs) and recomputes its effective status with `cause`; answers the services that moved.
fn follow_monitors(
    conn: &mut DbConnection,
    org: &OrgId,
    service: &ServiceId,
    cause: &Cause,
) -> StoreResult<Vec<ServiceId>> {
    let states: Vec<DbText<MonitorState>> = monitors::table
        .filter(monitors::service_id.eq(service))
        .filter(monitors::paused.eq(false))
        .select(monitors::state)
        .load(conn)?;
    let asked: Option<ServiceStatus> = states
        .into_iter()
        .map(|state| state.0)
        .max()
        .map(MonitorState::service_status);
    diesel::update(
        services::table
            .find(service)
            .filter(services::org_id.eq(org)),
    )
    .set(services::monitor_status.eq(asked.map(|s| s.as_str())))
    .execute(conn)?;
    effective::recompute(conn, org, std::slice::from_ref(service), cause)
}

/// Claims up to `limit` checks due at `now`: each claimed monitor's next run moves one interval
/// on (from when it was due, so the schedule does not drift; from `now` if it fell more than an
/// interval behind), with a conditional update, so each due check is claimed by exactly one
/// replica. Answers the claimed monitors as they were when claimed, with the time each was due.
pub fn claim_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> StoreResult<Vec<(Monitor, NaiveDateTime)>> {
    let due: Vec<Monitor> = monitors::table
        .filter(monitors::paused.eq(false))
        .filter(monitors::next_run_at.le(now))
        .order(monitors::next_run_at.asc())
        .limit(limit)
        .select(Monitor::as_select())
        .load(conn)?;
    let mut claimed = Vec::with_capacity(due.len());
    for monitor in due {
        let was_due = monitor.next_run_at;
        let mut next = was_due + monitor.interval();
        if next <= now {
            next = now + monitor.interval();
        }
        let won = diesel::update(
            monitors::table
                .find(&monitor.id)
                .filter(monitors::next_run_at.eq(was_due))
                .filter(monitors::paused.eq(false)),
        )
        .set(monitors::next_run_at.eq(next))
        .execute(conn)?;
        if won == 1 {
            claimed.push((monitor, was_due));
        }
    }
    Ok(claimed)
}

/// When the earliest running monitor is due, if any runs.
pub fn next_due(conn: &mut DbConnection) -> StoreResult<Option<NaiveDateTime>> {
    Ok(monitors::table
        .filter(monitors::paused.eq(false))
        .select(diesel::dsl::min(monitors::next_run_at))
        .first(conn)?)
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub at: NaiveDateTime,
    pub state: MonitorState,
    pub latency_ms: u32,
    pub message: String,
}

/// What the anti-flap rule decided after a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub state: MonitorState,
    /// The results it remembers, oldest first.
    pub recent: Vec<MonitorState>,
}

/// Records a result of `monitor` and what was decided from it. When the decided state changed,
/// the service follows (with the monitor as the cause); answers the services whose effective
/// status changed. A monitor deleted or paused meanwhile records nothing (`NotFound`).
pub fn record(
    conn: &mut DbConnection,
    monitor: &Monitor,
    checked: &Checked,
    decided: &Decided,
) -> StoreResult<Vec<ServiceId>> {
    let latency = i32::try_from(checked.latency_ms).unwrap_or(i32::MAX);
    let recent: String = decided.recent.iter().map(|s| s.letter()).collect();
    let updated = diesel::update(
        monitors::table
            .find(&monitor.id)
            .filter(monitors::paused.eq(false)),
    )
    .set((
        monitors::state.eq(decided.state.as_str()),
        monitors::recent.eq(&recent),
        monitors::last_checked_at.eq(checked.at),
        monitors::last_state.eq(checked.state.as_str()),
        monitors::last_latency_ms.eq(latency),
        monitors::last_message.eq(&checked.message),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StoreError::NotFound(Missing::Monitor));
    }
    let message = (checked.state != MonitorState::Up).then_some(checked.message.as_str());
    let row = (
        monitor_results::monitor_id.eq(&monitor.id),
        monitor_results::checked_at.eq(checked.at),
        monitor_results::state.eq(checked.state.code()),
        monitor_results::latency_ms.eq(latency),
        monitor_results::message.eq(message),
    );
    // Two results of one monitor in the same microsecond would be one too many: keep the first.
    let insert = diesel::insert_into(monitor_results::table)
        .values(row)
        .on_conflict_do_nothing();
    match conn {
        DbConnection::Postgres(pg) => insert.execute(pg)?,
        DbConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
    };
    add_to_hour(conn, &monitor.id, checked, latency)?;
    if decided.state == monitor.state {
        return Ok(Vec::new());
    }
    let cause = Cause {
        monitor: Some(monitor.id.clone()),
        ..Cause::default()
    };
    follow_monitors(conn, &monitor.org_id, &monitor.service_id, &cause)
}

fn add_to_hour(
    conn: &mut DbConnection,
    monitor: &MonitorId,
    checked: &Checked,
    latency: i32,
) -> StoreResult<()> {
    use diesel::upsert::excluded;
    let hour = checked
        .at
        .duration_trunc(TimeDelta::hours(1))
        .unwrap_or(checked.at);
    let count = |state: MonitorState| i32::from(checked.state == state);
    let row = (
        monitor_hours::monitor_id.eq(monitor),
        monitor_hours::hour.eq(hour),
        monitor_hours::up.eq(count(MonitorState::Up)),
        monitor_hours::degraded.eq(count(MonitorState::Degraded)),
        monitor_hours::down.eq(count(MonitorState::Down)),
        monitor_hours::latency_ms_sum.eq(i64::from(latency)),
        monitor_hours::latency_ms_max.eq(latency),
    );
    macro_rules! upsert {
        ($conn:expr) => {
            diesel::insert_into(monitor_hours::table)
                .values(row)
                .on_conflict((monitor_hours::monitor_id, monitor_hours::hour))
                .do_update()
                .set(
                    (
                        monitor_hours::up.eq(monitor_hours::up + excluded(monitor_hours::up)),
                        monitor_hours::degraded
                            .eq(monitor_hours::degraded + excluded(monitor_hours::degraded)),
                        monitor_hours::down.eq(monitor_hours::down + excluded(monitor_hours::down)),
                        monitor_hours::latency_ms_sum
                            .eq(monitor_hours::latency_ms_sum
                                + excluded(monitor_hours::latency_ms_sum)),
                    ),
                )
                .execute($conn)?
        };
    }
    match conn {
        DbConnection::Postgres(pg) => upsert!(pg),
        DbConnection::Sqlite(sqlite) => upsert!(sqlite),
    };
    // The maximum: a second statement, as the engines spell "greatest" differently.
    diesel::update(
        monitor_hours::table
            .find((monitor, hour))
            .filter(monitor_hours::latency_ms_max.lt(latency)),
    )
    .set(monitor_hours::latency_ms_max.eq(latency))
    .execute(conn)?;
    Ok(())
}

/// The monitor whose heartbeat URL holds `token`.
pub fn by_heartbeat_token(conn: &mut DbConnection, token: &str) -> StoreResult<Monitor> {
    monitors::table
        .filter(monitors::heartbeat_token.eq(token))
        .select(Monitor::as_select())
        .first(conn)
        .or_missing(Missing::Heartbeat)
}

/// Moves a heartbeat monitor's next check: a call arrived, so silence is only a failure after
/// another interval and the grace.
pub fn heartbeat_received(
    conn: &mut DbConnection,
    id: &MonitorId,
    next_check_at: NaiveDateTime,
) -> StoreResult<()> {
    diesel::update(monitors::table.find(id))
        .set(monitors::next_run_at.eq(next_check_at))
        .execute(conn)?;
    Ok(())
}

/// Remembers the incident a monitor opened (or that it resolved it: `None`).
pub fn set_open_incident(
    conn: &mut DbConnection,
    id: &MonitorId,
    incident: Option<&IncidentId>,
) -> StoreResult<()> {
    diesel::update(monitors::table.find(id))
        .set(monitors::open_incident_id.eq(incident))
        .execute(conn)?;
    Ok(())
}

/// One stored result.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = monitor_results)]
pub struct StoredResult {
    pub checked_at: NaiveDateTime,
    pub state: i16,
    pub latency_ms: i32,
    pub message: Option<String>,
}

impl StoredResult {
    pub fn state(&self) -> MonitorState {
        MonitorState::from_code(self.state)
    }
}

/// A monitor's results, newest first, before `before` (the previous page's last time).
pub fn results(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &MonitorId,
    before: Option<NaiveDateTime>,
    limit: i64,
) -> StoreResult<Vec<StoredResult>> {
    get(conn, org, id)?;
    let mut query = monitor_results::table
        .filter(monitor_results::monitor_id.eq(id))
        .order(monitor_results::checked_at.desc())
        .limit(limit)
        .select(StoredResult::as_select())
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(monitor_results::checked_at.lt(before));
    }
    Ok(query.load(conn)?)
}

/// A monitor's results from `from` on, oldest first (the 24-hour chart).
pub fn results_since(
    conn: &mut DbConnection,
    id: &MonitorId,
    from: NaiveDateTime,
) -> StoreResult<Vec<StoredResult>> {
    Ok(monitor_results::table
        .filter(monitor_results::monitor_id.eq(id))
        .filter(monitor_results::checked_at.ge(from))
        .order(monitor_results::checked_at.asc())
        .select(StoredResult::as_select())
        .load(conn)?)
}

/// One hour of a monitor's results.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = monitor_hours)]
pub struct Hour {
    pub hour: NaiveDateTime,
    pub up: i32,
    pub degraded: i32,
    pub down: i32,
    pub latency_ms_sum: i64,
    pub latency_ms_max: i32,
}

/// A monitor's hours from `from` on, oldest first (the 7- and 30-day charts).
pub fn hours_since(
    conn: &mut DbConnection,
    id: &MonitorId,
    from: NaiveDateTime,
) -> StoreResult<Vec<Hour>> {
    Ok(monitor_hours::table
        .filter(monitor_hours::monitor_id.eq(id))
        .filter(monitor_hours::hour.ge(from))
        .order(monitor_hours::hour.asc())
        .select(Hour::as_select())
        .load(conn)?)
}
