//! Scheduled maintenance windows, their services and updates, and the transitions between
//! `scheduled`, `in_progress`, `completed` and `cancelled`. A transition is claimed with a
//! conditional update on the current status, so when two replicas' schedulers race, one wins.

use crate::db::DbConnection;
use crate::effective::{self, Cause};
use crate::error::{Missing, OrMissing, StoreError, StoreResult};
use crate::incidents::Author;
use crate::schema::{maintenance_services, maintenance_updates, maintenances};
use crate::text::DbText;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::{
    ApiKeyId, MaintenanceId, MaintenanceStatus, MaintenanceUpdateId, OrgId, ServiceId, UserId,
};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = maintenances)]
pub struct Maintenance {
    pub id: MaintenanceId,
    pub org_id: OrgId,
    pub title: String,
    pub description: String,
    #[diesel(deserialize_as = DbText<MaintenanceStatus>)]
    pub status: MaintenanceStatus,
    pub scheduled_start: NaiveDateTime,
    pub scheduled_end: NaiveDateTime,
    pub auto_transition: bool,
    pub started_at: Option<NaiveDateTime>,
    pub ended_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The description as sanitized HTML, rendered when written (NULL until `migrate` renders
    /// a row written before this column existed).
    pub description_html: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = maintenance_updates)]
pub struct Update {
    pub id: MaintenanceUpdateId,
    pub maintenance_id: MaintenanceId,
    #[diesel(deserialize_as = DbText<MaintenanceStatus>)]
    pub status: MaintenanceStatus,
    pub message: String,
    pub author_user_id: Option<UserId>,
    pub author_api_key_id: Option<ApiKeyId>,
    pub created_at: NaiveDateTime,
    /// The message as sanitized HTML, rendered when written.
    pub message_html: Option<String>,
}

/// A window with its services and updates (oldest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Full {
    pub maintenance: Maintenance,
    pub service_ids: Vec<ServiceId>,
    pub updates: Vec<Update>,
}

/// Which windows to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Scheduled, soonest first.
    Upcoming,
    /// In progress.
    Active,
    /// Completed or cancelled, latest first.
    Past,
    Any,
}

pub fn get(conn: &mut DbConnection, org: &OrgId, id: &MaintenanceId) -> StoreResult<Full> {
    let maintenance: Maintenance = maintenances::table
        .find(id)
        .filter(maintenances::org_id.eq(org))
        .select(Maintenance::as_select())
        .first(conn)
        .or_missing(Missing::Maintenance)?;
    let mut full = with_details(conn, vec![maintenance])?;
    full.pop().ok_or(StoreError::NotFound(Missing::Maintenance))
}

pub fn with_details(conn: &mut DbConnection, list: Vec<Maintenance>) -> StoreResult<Vec<Full>> {
    let ids: Vec<&MaintenanceId> = list.iter().map(|m| &m.id).collect();
    let services: Vec<(MaintenanceId, ServiceId)> = maintenance_services::table
        .filter(maintenance_services::maintenance_id.eq_any(&ids))
        .order(maintenance_services::service_id.asc())
        .select((
            maintenance_services::maintenance_id,
            maintenance_services::service_id,
        ))
        .load(conn)?;
    let updates: Vec<Update> = maintenance_updates::table
        .filter(maintenance_updates::maintenance_id.eq_any(&ids))
        .order((
            maintenance_updates::created_at.asc(),
            maintenance_updates::id.asc(),
        ))
        .select(Update::as_select())
        .load(conn)?;
    Ok(list
        .into_iter()
        .map(|maintenance| Full {
            service_ids: services
                .iter()
                .filter(|(m, _)| *m == maintenance.id)
                .map(|(_, s)| s.clone())
                .collect(),
            updates: updates
                .iter()
                .filter(|u| u.maintenance_id == maintenance.id)
                .cloned()
                .collect(),
            maintenance,
        })
        .collect())
}

/// A page of the org's windows; `after` is the last id of the previous page.
pub fn page(
    conn: &mut DbConnection,
    org: &OrgId,
    state: State,
    after: Option<&MaintenanceId>,
    limit: i64,
) -> StoreResult<Vec<Full>> {
    use MaintenanceStatus as S;
    let mut query = maintenances::table
        .filter(maintenances::org_id.eq(org))
        .limit(limit)
        .select(Maintenance::as_select())
        .into_boxed();
    query = match state {
        State::Upcoming => query
            .filter(maintenances::status.eq(S::Scheduled.as_str()))
            .order((maintenances::scheduled_start.asc(), maintenances::id.asc())),
        State::Active => query
            .filter(maintenances::status.eq(S::InProgress.as_str()))
            .order((maintenances::scheduled_start.asc(), maintenances::id.asc())),
        State::Past => query
            .filter(maintenances::status.eq_any([S::Completed.as_str(), S::Cancelled.as_str()]))
            .order(maintenances::id.desc()),
        State::Any => query.order(maintenances::id.desc()),
    };
    if let Some(after) = after {
        // Pages continue past the last id seen, in the list's own order.
        let pivot: Maintenance = maintenances::table
            .find(after)
            .filter(maintenances::org_id.eq(org))
            .select(Maintenance::as_select())
            .first(conn)
            .map_err(|_| StoreError::BadCursor)?;
        query = match state {
            State::Upcoming | State::Active => query.filter(
                maintenances::scheduled_start.gt(pivot.scheduled_start).or(
                    maintenances::scheduled_start
                        .eq(pivot.scheduled_start)
                        .and(maintenances::id.gt(pivot.id.clone())),
                ),
            ),
            State::Past | State::Any => query.filter(maintenances::id.lt(pivot.id.clone())),
        };
    }
    let list = query.load(conn)?;
    with_details(conn, list)
}

pub struct NewMaintenance<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub scheduled_start: NaiveDateTime,
    pub scheduled_end: NaiveDateTime,
    pub auto_transition: bool,
    pub service_ids: &'a [ServiceId],
}

pub fn create(
    conn: &mut DbConnection,
    org: &OrgId,
    new: NewMaintenance<'_>,
    cause: &Cause,
) -> StoreResult<Full> {
    crate::services::all_in_org(conn, org, "service_ids", new.service_ids)?;
    let id = MaintenanceId(crate::new_id());
    let now = crate::now();
    diesel::insert_into(maintenances::table)
        .values((
            maintenances::id.eq(&id),
            maintenances::org_id.eq(org),
            maintenances::title.eq(new.title),
            maintenances::description.eq(new.description),
            maintenances::description_html.eq(upstate_markdown::to_html(new.description)),
            maintenances::status.eq(MaintenanceStatus::Scheduled.as_str()),
            maintenances::scheduled_start.eq(new.scheduled_start),
            maintenances::scheduled_end.eq(new.scheduled_end),
            maintenances::auto_transition.eq(new.auto_transition),
            maintenances::created_by.eq(&cause.user),
            maintenances::created_at.eq(now),
            maintenances::updated_at.eq(now),
        ))
        .execute(conn)?;
    set_services(conn, org, &id, new.service_ids)?;
    get(conn, org, &id)
}

fn set_services(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &MaintenanceId,
    services: &[ServiceId],
) -> StoreResult<Vec<ServiceId>> {
    let before: Vec<ServiceId> = maintenance_services::table
        .filter(maintenance_services::maintenance_id.eq(id))
        .select(maintenance_services::service_id)
        .load(conn)?;
    diesel::delete(maintenance_services::table.filter(maintenance_services::maintenance_id.eq(id)))
        .execute(conn)?;
    for service in services {
        diesel::insert_into(maintenance_services::table)
            .values((
                maintenance_services::maintenance_id.eq(id),
                maintenance_services::service_id.eq(service),
                maintenance_services::org_id.eq(org),
            ))
            .execute(conn)?;
    }
    let mut touched = before;
    touched.extend(services.iter().cloned());
    touched.sort();
    touched.dedup();
    Ok(touched)
}

/// Changes to a window that has not finished.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = maintenances)]
pub struct Changes {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Set by [`update`] from `description`.
    pub description_html: Option<String>,
    pub scheduled_start: Option<NaiveDateTime>,
    pub scheduled_end: Option<NaiveDateTime>,
    pub auto_transition: Option<bool>,
    pub updated_at: Option<NaiveDateTime>,
}

/// Applies changes (and new services); answers the window and the services that moved.
pub fn update(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &MaintenanceId,
    mut changes: Changes,
    services: Option<&[ServiceId]>,
    cause: &Cause,
) -> StoreResult<(Full, Vec<ServiceId>)> {
    let current = get(conn, org, id)?;
    if current.maintenance.status.is_over() {
        return Err(StoreError::Stale(
            "This maintenance is over; it can no longer change.".into(),
        ));
    }
    if let Some(services) = services {
        crate::services::all_in_org(conn, org, "service_ids", services)?;
    }
    let start = changes
        .scheduled_start
        .unwrap_or(current.maintenance.scheduled_start);
    let end = changes
        .scheduled_end
        .unwrap_or(current.maintenance.scheduled_end);
    if end <= start {
        return Err(StoreError::Invalid(
            "scheduled_end".into(),
            "must be after scheduled_start".into(),
        ));
    }
    changes.updated_at = Some(crate::now());
    changes.description_html = changes
        .description
        .as_deref()
        .map(upstate_markdown::to_html);
    let moved_start = changes
        .scheduled_start
        .is_some_and(|start| start != current.maintenance.scheduled_start);
    diesel::update(maintenances::table.find(id))
        .set(changes)
        .execute(conn)?;
    if moved_start {
        // A window that moved is reminded of again before its new start.
        diesel::update(maintenances::table.find(id))
            .set(maintenances::reminded_at.eq(None::<NaiveDateTime>))
            .execute(conn)?;
    }
    let mut moved = Vec::new();
    if let Some(services) = services {
        let touched = set_services(conn, org, id, services)?;
        let cause = Cause {
            maintenance: Some(id.clone()),
            ..cause.clone()
        };
        moved = effective::recompute(conn, org, &touched, &cause)?;
    }
    Ok((get(conn, org, id)?, moved))
}

/// Moves the window to `to` if its status allows it ([`MaintenanceStatus::allowed_from`]; the
/// check is the update's condition, so of two replicas moving the same window one wins),
/// recording a message; answers the services that moved, or `Stale` when the window's status
/// does not allow the move.
pub fn transition(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &MaintenanceId,
    to: MaintenanceStatus,
    message: &str,
    cause: &Cause,
) -> StoreResult<(Full, Vec<ServiceId>)> {
    let now = crate::now();
    let from: Vec<&str> = MaintenanceStatus::allowed_from(to)
        .iter()
        .map(|s| s.as_str())
        .collect();
    let target = maintenances::table
        .find(id)
        .filter(maintenances::org_id.eq(org))
        .filter(maintenances::status.eq_any(&from));
    let claimed = match to {
        MaintenanceStatus::InProgress => diesel::update(target)
            .set((
                maintenances::status.eq(to.as_str()),
                maintenances::started_at.eq(now),
                maintenances::updated_at.eq(now),
            ))
            .execute(conn)?,
        MaintenanceStatus::Completed | MaintenanceStatus::Cancelled => diesel::update(target)
            .set((
                maintenances::status.eq(to.as_str()),
                maintenances::ended_at.eq(now),
                maintenances::updated_at.eq(now),
            ))
            .execute(conn)?,
        MaintenanceStatus::Scheduled => diesel::update(target)
            .set(maintenances::updated_at.eq(now))
            .execute(conn)?,
    };
    if claimed == 0 {
        get(conn, org, id)?;
        return Err(StoreError::Stale(format!(
            "This maintenance cannot move to {to} from where it is."
        )));
    }
    add_message(conn, org, id, to, message, cause, now)?;
    let full = get(conn, org, id)?;
    let cause = Cause {
        maintenance: Some(id.clone()),
        ..cause.clone()
    };
    let moved = effective::recompute(conn, org, &full.service_ids, &cause)?;
    Ok((full, moved))
}

/// Records an update of the window.
pub fn add_message(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &MaintenanceId,
    status: MaintenanceStatus,
    message: &str,
    cause: &Cause,
    at: NaiveDateTime,
) -> StoreResult<()> {
    let author = Author::from(cause);
    diesel::insert_into(maintenance_updates::table)
        .values((
            maintenance_updates::id.eq(MaintenanceUpdateId(crate::new_id())),
            maintenance_updates::org_id.eq(org),
            maintenance_updates::maintenance_id.eq(id),
            maintenance_updates::status.eq(status.as_str()),
            maintenance_updates::message.eq(message),
            maintenance_updates::message_html.eq(upstate_markdown::to_html(message)),
            maintenance_updates::author_user_id.eq(&author.user),
            maintenance_updates::author_api_key_id.eq(&author.api_key),
            maintenance_updates::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes a window; its services return to what remains. Answers the services that moved.
pub fn delete(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &MaintenanceId,
    cause: &Cause,
) -> StoreResult<Vec<ServiceId>> {
    let full = get(conn, org, id)?;
    diesel::delete(maintenances::table.find(id)).execute(conn)?;
    let cause = Cause {
        maintenance: None,
        ..cause.clone()
    };
    effective::recompute(conn, org, &full.service_ids, &cause)
}

/// A transition the scheduler owes: `(org, window, next status, when it was due)`.
pub fn due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> StoreResult<Vec<(OrgId, MaintenanceId, MaintenanceStatus, NaiveDateTime)>> {
    let to_start: Vec<(OrgId, MaintenanceId, NaiveDateTime)> = maintenances::table
        .filter(maintenances::auto_transition.eq(true))
        .filter(maintenances::status.eq(MaintenanceStatus::Scheduled.as_str()))
        .filter(maintenances::scheduled_start.le(now))
        .select((
            maintenances::org_id,
            maintenances::id,
            maintenances::scheduled_start,
        ))
        .load(conn)?;
    let to_complete: Vec<(OrgId, MaintenanceId, NaiveDateTime)> = maintenances::table
        .filter(maintenances::auto_transition.eq(true))
        .filter(maintenances::status.eq(MaintenanceStatus::InProgress.as_str()))
        .filter(maintenances::scheduled_end.le(now))
        .select((
            maintenances::org_id,
            maintenances::id,
            maintenances::scheduled_end,
        ))
        .load(conn)?;
    Ok(to_start
        .into_iter()
        .map(|(org, id, at)| (org, id, MaintenanceStatus::InProgress, at))
        .chain(
            to_complete
                .into_iter()
                .map(|(org, id, at)| (org, id, MaintenanceStatus::Completed, at)),
        )
        .collect())
}

/// The windows whose reminder is due at `now`: scheduled, starting within their org's
/// `reminder_minutes` (not 0), not reminded of yet, and scheduled before that time came (a
/// window scheduled at short notice was just announced).
pub fn reminders_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> StoreResult<Vec<(OrgId, MaintenanceId)>> {
    use crate::schema::organizations;
    let candidates: Vec<(OrgId, MaintenanceId, NaiveDateTime, NaiveDateTime, i32)> =
        maintenances::table
            .inner_join(organizations::table)
            .filter(maintenances::status.eq(MaintenanceStatus::Scheduled.as_str()))
            .filter(maintenances::reminded_at.is_null())
            .filter(maintenances::scheduled_start.gt(now))
            .filter(organizations::reminder_minutes.gt(0))
            .select((
                maintenances::org_id,
                maintenances::id,
                maintenances::scheduled_start,
                maintenances::created_at,
                organizations::reminder_minutes,
            ))
            .load(conn)?;
    Ok(candidates
        .into_iter()
        .filter(|(_, _, start, created, minutes)| {
            let at = *start - chrono::Duration::minutes(i64::from(*minutes));
            at <= now && *created <= at
        })
        .map(|(org, id, ..)| (org, id))
        .collect())
}

/// Marks a window reminded of; `false` when it was already (another replica did it).
pub fn mark_reminded(conn: &mut DbConnection, id: &MaintenanceId) -> StoreResult<bool> {
    let marked = diesel::update(
        maintenances::table
            .find(id)
            .filter(maintenances::reminded_at.is_null()),
    )
    .set(maintenances::reminded_at.eq(crate::now()))
    .execute(conn)?;
    Ok(marked == 1)
}

/// The windows a status page shows: in progress, and scheduled to start before `horizon`.
pub fn current_and_upcoming(
    conn: &mut DbConnection,
    org: &OrgId,
    horizon: NaiveDateTime,
) -> StoreResult<Vec<Full>> {
    let list = maintenances::table
        .filter(maintenances::org_id.eq(org))
        .filter(
            maintenances::status
                .eq(MaintenanceStatus::InProgress.as_str())
                .or(maintenances::status
                    .eq(MaintenanceStatus::Scheduled.as_str())
                    .and(maintenances::scheduled_start.lt(horizon))),
        )
        .order((maintenances::scheduled_start.asc(), maintenances::id.asc()))
        .select(Maintenance::as_select())
        .load(conn)?;
    with_details(conn, list)
}

/// The windows that took place (in progress or completed; not those still scheduled or
/// cancelled) and were scheduled to start in `[from, to)`, latest first, only those covering
/// `service` when one is given: the months of the public history page.
pub fn held_between(
    conn: &mut DbConnection,
    org: &OrgId,
    from: NaiveDateTime,
    to: NaiveDateTime,
    service: Option<&ServiceId>,
) -> StoreResult<Vec<Full>> {
    let list = held(org, service)
        .filter(maintenances::scheduled_start.ge(from))
        .filter(maintenances::scheduled_start.lt(to))
        .order((
            maintenances::scheduled_start.desc(),
            maintenances::id.desc(),
        ))
        .select(Maintenance::as_select())
        .load(conn)?;
    with_details(conn, list)
}

/// When the org's first window that took place (covering `service`, when one is given) was
/// scheduled to start: where the public history ends.
pub fn first_held(
    conn: &mut DbConnection,
    org: &OrgId,
    service: Option<&ServiceId>,
) -> StoreResult<Option<NaiveDateTime>> {
    Ok(held(org, service)
        .select(diesel::dsl::min(maintenances::scheduled_start))
        .first(conn)?)
}

/// The org's windows that took place, covering `service` when one is given.
fn held<'a>(
    org: &OrgId,
    service: Option<&ServiceId>,
) -> maintenances::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend> {
    let mut query = maintenances::table
        .filter(maintenances::org_id.eq(org.clone()))
        .filter(maintenances::status.eq_any([
            MaintenanceStatus::InProgress.as_str(),
            MaintenanceStatus::Completed.as_str(),
        ]))
        .into_boxed();
    if let Some(service) = service {
        query = query.filter(
            maintenances::id.eq_any(
                maintenance_services::table
                    .filter(maintenance_services::org_id.eq(org.clone()))
                    .filter(maintenance_services::service_id.eq(service.clone()))
                    .select(maintenance_services::maintenance_id),
            ),
        );
    }
    query
}

/// Whether a maintenance window in progress covers `service` (a monitor's alerts and automatic
/// incidents keep quiet then).
pub fn covers_now(conn: &mut DbConnection, service: &ServiceId) -> StoreResult<bool> {
    let count: i64 = maintenance_services::table
        .inner_join(maintenances::table)
        .filter(maintenance_services::service_id.eq(service))
        .filter(maintenances::status.eq(MaintenanceStatus::InProgress.as_str()))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}
