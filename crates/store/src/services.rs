//! Services and their groups, each ordered by `position` within the org, and the history of a
//! service's status.

use crate::db::DbConnection;
use crate::error::{Missing, OrMissing, StoreError, StoreResult};
use crate::schema::{service_groups, service_status_changes, services};
use crate::text::DbText;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::{
    ApiKeyId, IncidentId, MaintenanceId, OrgId, ServiceDisplay, ServiceGroupId, ServiceId,
    ServiceStatus, UserId,
};

/// A service as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = services)]
pub struct Service {
    pub id: ServiceId,
    pub org_id: OrgId,
    pub group_id: Option<ServiceGroupId>,
    pub name: String,
    pub description: String,
    #[diesel(deserialize_as = DbText<ServiceStatus>)]
    pub status: ServiceStatus,
    #[diesel(deserialize_as = DbText<ServiceStatus>)]
    pub manual_status: ServiceStatus,
    pub position: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// What the service's running monitors ask for (the worst of them), if any runs.
    pub monitor_status: Option<DbText<ServiceStatus>>,
    /// How the public page shows it.
    #[diesel(deserialize_as = DbText<ServiceDisplay>)]
    pub display: ServiceDisplay,
}

impl Service {
    /// Whether the public sees it now (its display and its status).
    pub fn public(&self) -> bool {
        self.display.shows(self.status)
    }
}

/// A group as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = service_groups)]
pub struct Group {
    pub id: ServiceGroupId,
    pub org_id: OrgId,
    pub name: String,
    pub position: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The org's services in order.
pub fn list(conn: &mut DbConnection, org: &OrgId) -> StoreResult<Vec<Service>> {
    Ok(services::table
        .filter(services::org_id.eq(org))
        .order((services::position.asc(), services::id.asc()))
        .select(Service::as_select())
        .load(conn)?)
}

/// One of the org's services; `NotFound` for another org's.
pub fn get(conn: &mut DbConnection, org: &OrgId, id: &ServiceId) -> StoreResult<Service> {
    services::table
        .find(id)
        .filter(services::org_id.eq(org))
        .select(Service::as_select())
        .first(conn)
        .or_missing(Missing::Service)
}

/// Which of `ids` are the org's services (the others are unknown, or another tenant's).
pub fn existing(
    conn: &mut DbConnection,
    org: &OrgId,
    ids: &[ServiceId],
) -> StoreResult<Vec<ServiceId>> {
    Ok(services::table
        .filter(services::org_id.eq(org))
        .filter(services::id.eq_any(ids))
        .select(services::id)
        .load(conn)?)
}

/// The names of the org's services among `ids`, in the order of the page.
pub fn names(conn: &mut DbConnection, org: &OrgId, ids: &[ServiceId]) -> StoreResult<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(services::table
        .filter(services::org_id.eq(org))
        .filter(services::id.eq_any(ids))
        .order(services::position.asc())
        .select(services::name)
        .load(conn)?)
}

/// That every one of `ids` is a service of the org: an unknown one, or another tenant's, is
/// invalid input named by its place in `field` (`affected[2]`), as if it did not exist.
pub fn all_in_org(
    conn: &mut DbConnection,
    org: &OrgId,
    field: &str,
    ids: &[ServiceId],
) -> StoreResult<()> {
    let known = existing(conn, org, ids)?;
    match ids.iter().position(|id| !known.contains(id)) {
        Some(index) => Err(StoreError::Invalid(
            format!("{field}[{index}]"),
            "no such service".into(),
        )),
        None => Ok(()),
    }
}

/// A new service, last in the order, with its first status in the history.
pub struct NewService<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub group: Option<&'a ServiceGroupId>,
    pub status: ServiceStatus,
    pub display: ServiceDisplay,
}

pub fn create(
    conn: &mut DbConnection,
    org: &OrgId,
    new: NewService<'_>,
    cause: &crate::effective::Cause,
) -> StoreResult<Service> {
    if let Some(group) = new.group {
        group_exists(conn, org, group)?;
    }
    let position: Option<i32> = services::table
        .filter(services::org_id.eq(org))
        .select(diesel::dsl::max(services::position))
        .first(conn)?;
    let id = ServiceId(crate::new_id());
    let now = crate::now();
    diesel::insert_into(services::table)
        .values((
            services::id.eq(&id),
            services::org_id.eq(org),
            services::group_id.eq(new.group),
            services::name.eq(new.name),
            services::description.eq(new.description),
            services::status.eq(new.status.as_str()),
            services::manual_status.eq(new.status.as_str()),
            services::display.eq(new.display.as_str()),
            services::position.eq(position.map_or(0, |p| p + 1)),
            services::created_at.eq(now),
            services::updated_at.eq(now),
        ))
        .execute(conn)?;
    crate::effective::record_change(conn, org, &id, new.status, cause, now)?;
    get(conn, org, &id)
}

/// Changes to a service's name, description, group or display.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = services)]
pub struct ServiceChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub group_id: Option<Option<ServiceGroupId>>,
    pub display: Option<DbText<ServiceDisplay>>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn update(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &ServiceId,
    mut changes: ServiceChanges,
) -> StoreResult<Service> {
    if let Some(Some(group)) = &changes.group_id {
        group_exists(conn, org, group)?;
    }
    changes.updated_at = Some(crate::now());
    let changed = diesel::update(services::table.find(id).filter(services::org_id.eq(org)))
        .set(changes)
        .execute(conn)?;
    if changed == 0 {
        return Err(StoreError::NotFound(Missing::Service));
    }
    get(conn, org, id)
}

/// Sets the status by hand; answers whether the effective status changed.
pub fn set_manual_status(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &ServiceId,
    status: ServiceStatus,
    cause: &crate::effective::Cause,
) -> StoreResult<bool> {
    let changed = diesel::update(services::table.find(id).filter(services::org_id.eq(org)))
        .set((
            services::manual_status.eq(status.as_str()),
            services::updated_at.eq(crate::now()),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(StoreError::NotFound(Missing::Service));
    }
    let moved = crate::effective::recompute(conn, org, std::slice::from_ref(id), cause)?;
    Ok(!moved.is_empty())
}

pub fn delete(conn: &mut DbConnection, org: &OrgId, id: &ServiceId) -> StoreResult<()> {
    let removed =
        diesel::delete(services::table.find(id).filter(services::org_id.eq(org))).execute(conn)?;
    if removed == 0 {
        return Err(StoreError::NotFound(Missing::Service));
    }
    Ok(())
}

/// Moves a service to `position` in the org's order; renumbers all.
pub fn move_to(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &ServiceId,
    position: usize,
) -> StoreResult<()> {
    let ordered: Vec<ServiceId> = list(conn, org)?.into_iter().map(|s| s.id).collect();
    let order = crate::positions::moved(ordered, id, position)
        .ok_or(StoreError::NotFound(Missing::Service))?;
    for (index, service) in order.iter().enumerate() {
        diesel::update(services::table.find(service))
            .set(services::position.eq(index as i32))
            .execute(conn)?;
    }
    Ok(())
}

/// One entry of a service's status history.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = service_status_changes)]
pub struct StatusChange {
    pub id: String,
    #[diesel(deserialize_as = DbText<ServiceStatus>)]
    pub status: ServiceStatus,
    pub source: String,
    pub changed_by_user_id: Option<UserId>,
    pub changed_by_api_key_id: Option<ApiKeyId>,
    pub incident_id: Option<IncidentId>,
    pub maintenance_id: Option<MaintenanceId>,
    pub changed_at: NaiveDateTime,
    pub monitor_id: Option<upstate_shared::MonitorId>,
}

/// A service's history, newest first; `before` is the last id of the previous page.
pub fn history(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &ServiceId,
    before: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<StatusChange>> {
    get(conn, org, id)?;
    let mut query = service_status_changes::table
        .filter(service_status_changes::service_id.eq(id))
        .order(service_status_changes::id.desc())
        .limit(limit)
        .select(StatusChange::as_select())
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(service_status_changes::id.lt(before.to_owned()));
    }
    Ok(query.load(conn)?)
}

// ---- groups ----

/// A group named in a service's input must be the org's: else the input is invalid.
fn group_exists(conn: &mut DbConnection, org: &OrgId, id: &ServiceGroupId) -> StoreResult<()> {
    match get_group(conn, org, id) {
        Ok(_) => Ok(()),
        Err(StoreError::NotFound(_)) => Err(StoreError::Invalid(
            "group_id".into(),
            "no such group".into(),
        )),
        Err(other) => Err(other),
    }
}

pub fn list_groups(conn: &mut DbConnection, org: &OrgId) -> StoreResult<Vec<Group>> {
    Ok(service_groups::table
        .filter(service_groups::org_id.eq(org))
        .order((service_groups::position.asc(), service_groups::id.asc()))
        .select(Group::as_select())
        .load(conn)?)
}

pub fn get_group(conn: &mut DbConnection, org: &OrgId, id: &ServiceGroupId) -> StoreResult<Group> {
    service_groups::table
        .find(id)
        .filter(service_groups::org_id.eq(org))
        .select(Group::as_select())
        .first(conn)
        .or_missing(Missing::ServiceGroup)
}

pub fn create_group(conn: &mut DbConnection, org: &OrgId, name: &str) -> StoreResult<Group> {
    let position: Option<i32> = service_groups::table
        .filter(service_groups::org_id.eq(org))
        .select(diesel::dsl::max(service_groups::position))
        .first(conn)?;
    let id = ServiceGroupId(crate::new_id());
    let now = crate::now();
    diesel::insert_into(service_groups::table)
        .values((
            service_groups::id.eq(&id),
            service_groups::org_id.eq(org),
            service_groups::name.eq(name),
            service_groups::position.eq(position.map_or(0, |p| p + 1)),
            service_groups::created_at.eq(now),
            service_groups::updated_at.eq(now),
        ))
        .execute(conn)?;
    get_group(conn, org, &id)
}

pub fn rename_group(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &ServiceGroupId,
    name: &str,
) -> StoreResult<Group> {
    let changed = diesel::update(
        service_groups::table
            .find(id)
            .filter(service_groups::org_id.eq(org)),
    )
    .set((
        service_groups::name.eq(name),
        service_groups::updated_at.eq(crate::now()),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(StoreError::NotFound(Missing::ServiceGroup));
    }
    get_group(conn, org, id)
}

/// Removes a group; its services stay, out of any group. Answers their ids.
pub fn delete_group(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &ServiceGroupId,
) -> StoreResult<Vec<ServiceId>> {
    get_group(conn, org, id)?;
    let members: Vec<ServiceId> = services::table
        .filter(services::group_id.eq(id))
        .select(services::id)
        .load(conn)?;
    diesel::update(services::table.filter(services::group_id.eq(id)))
        .set(services::group_id.eq(None::<ServiceGroupId>))
        .execute(conn)?;
    diesel::delete(service_groups::table.find(id)).execute(conn)?;
    Ok(members)
}

pub fn move_group(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &ServiceGroupId,
    position: usize,
) -> StoreResult<()> {
    let ordered: Vec<ServiceGroupId> = list_groups(conn, org)?.into_iter().map(|g| g.id).collect();
    let order = crate::positions::moved(ordered, id, position)
        .ok_or(StoreError::NotFound(Missing::ServiceGroup))?;
    for (index, group) in order.iter().enumerate() {
        diesel::update(service_groups::table.find(group))
            .set(service_groups::position.eq(index as i32))
            .execute(conn)?;
    }
    Ok(())
}

/// The org's status changes within `[from, to)` and, per service, the last one before `from`
/// (the status each service entered the range with); oldest first.
pub fn changes_for_uptime(
    conn: &mut DbConnection,
    org: &OrgId,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> StoreResult<Vec<(ServiceId, ServiceStatus, NaiveDateTime)>> {
    let mut rows: Vec<(ServiceId, DbText<ServiceStatus>, NaiveDateTime)> = Vec::new();
    for service in list(conn, org)? {
        let before: Option<(ServiceId, DbText<ServiceStatus>, NaiveDateTime)> =
            service_status_changes::table
                .filter(service_status_changes::service_id.eq(&service.id))
                .filter(service_status_changes::changed_at.lt(from))
                .order((
                    service_status_changes::changed_at.desc(),
                    service_status_changes::id.desc(),
                ))
                .select((
                    service_status_changes::service_id,
                    service_status_changes::status,
                    service_status_changes::changed_at,
                ))
                .first(conn)
                .optional()?;
        rows.extend(before);
        rows.extend(
            service_status_changes::table
                .filter(service_status_changes::service_id.eq(&service.id))
                .filter(service_status_changes::changed_at.ge(from))
                .filter(service_status_changes::changed_at.lt(to))
                .order((
                    service_status_changes::changed_at.asc(),
                    service_status_changes::id.asc(),
                ))
                .select((
                    service_status_changes::service_id,
                    service_status_changes::status,
                    service_status_changes::changed_at,
                ))
                .load::<(ServiceId, DbText<ServiceStatus>, NaiveDateTime)>(conn)?,
        );
    }
    Ok(rows
        .into_iter()
        .map(|(id, status, at)| (id, status.0, at))
        .collect())
}
