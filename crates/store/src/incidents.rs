//! Incidents, their timeline of updates, and the services each affects with the status it
//! gives them. Deleted incidents stay as tombstones (`deleted_at`), hidden from every read.

use crate::db::DbConnection;
use crate::effective::{self, Cause};
use crate::error::{Missing, OrMissing, StoreError, StoreResult};
use crate::schema::{incident_services, incident_updates, incidents};
use crate::text::DbText;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::{
    ApiKeyId, ImpactLevel, IncidentId, IncidentStatus, IncidentUpdateId, OrgId, ServiceId,
    ServiceStatus, UserId,
};

/// An incident as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = incidents)]
pub struct Incident {
    pub id: IncidentId,
    pub org_id: OrgId,
    pub title: String,
    #[diesel(deserialize_as = DbText<IncidentStatus>)]
    pub status: IncidentStatus,
    #[diesel(deserialize_as = DbText<ImpactLevel>)]
    pub impact: ImpactLevel,
    pub postmortem: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
    pub deleted_at: Option<NaiveDateTime>,
    /// The postmortem as sanitized HTML, rendered when written (NULL until `migrate` renders
    /// a row written before this column existed).
    pub postmortem_html: Option<String>,
}

/// One update of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = incident_updates)]
pub struct Update {
    pub id: IncidentUpdateId,
    pub incident_id: IncidentId,
    #[diesel(deserialize_as = DbText<IncidentStatus>)]
    pub status: IncidentStatus,
    pub message: String,
    pub author_user_id: Option<UserId>,
    pub author_api_key_id: Option<ApiKeyId>,
    pub created_at: NaiveDateTime,
    /// The message as sanitized HTML, rendered when written.
    pub message_html: Option<String>,
}

/// An incident with its timeline (oldest first) and affected services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Full {
    pub incident: Incident,
    pub updates: Vec<Update>,
    pub affected: Vec<(ServiceId, ServiceStatus)>,
}

/// Open incidents, resolved ones, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Open,
    Resolved,
    Any,
}

fn visible(conn: &mut DbConnection, org: &OrgId, id: &IncidentId) -> StoreResult<Incident> {
    let incident: Incident = incidents::table
        .find(id)
        .filter(incidents::org_id.eq(org))
        .select(Incident::as_select())
        .first(conn)
        .or_missing(Missing::Incident)?;
    if incident.deleted_at.is_some() {
        return Err(StoreError::Gone(Missing::Incident));
    }
    Ok(incident)
}

/// The incident with its timeline; `NotFound` for another org's, `Gone` for a deleted one.
pub fn get(conn: &mut DbConnection, org: &OrgId, id: &IncidentId) -> StoreResult<Full> {
    let incident = visible(conn, org, id)?;
    let mut full = with_details(conn, vec![incident])?;
    full.pop().ok_or(StoreError::NotFound(Missing::Incident))
}

/// Loads the timelines and affected services of several incidents at once.
pub fn with_details(conn: &mut DbConnection, list: Vec<Incident>) -> StoreResult<Vec<Full>> {
    let ids: Vec<&IncidentId> = list.iter().map(|i| &i.id).collect();
    let updates: Vec<Update> = incident_updates::table
        .filter(incident_updates::incident_id.eq_any(&ids))
        .order((
            incident_updates::created_at.asc(),
            incident_updates::id.asc(),
        ))
        .select(Update::as_select())
        .load(conn)?;
    let affected: Vec<(IncidentId, ServiceId, DbText<ServiceStatus>)> = incident_services::table
        .filter(incident_services::incident_id.eq_any(&ids))
        .order(incident_services::service_id.asc())
        .select((
            incident_services::incident_id,
            incident_services::service_id,
            incident_services::status,
        ))
        .load(conn)?;
    Ok(list
        .into_iter()
        .map(|incident| Full {
            updates: updates
                .iter()
                .filter(|u| u.incident_id == incident.id)
                .cloned()
                .collect(),
            affected: affected
                .iter()
                .filter(|(i, _, _)| *i == incident.id)
                .map(|(_, service, status)| (service.clone(), status.0))
                .collect(),
            incident,
        })
        .collect())
}

/// A page of the org's incidents, newest first; `before` is the last id of the previous page.
pub fn page(
    conn: &mut DbConnection,
    org: &OrgId,
    state: State,
    before: Option<&IncidentId>,
    limit: i64,
) -> StoreResult<Vec<Full>> {
    let mut query = incidents::table
        .filter(incidents::org_id.eq(org))
        .filter(incidents::deleted_at.is_null())
        .order(incidents::id.desc())
        .limit(limit)
        .select(Incident::as_select())
        .into_boxed();
    query = match state {
        State::Open => query.filter(incidents::resolved_at.is_null()),
        State::Resolved => query.filter(incidents::resolved_at.is_not_null()),
        State::Any => query,
    };
    if let Some(before) = before {
        query = query.filter(incidents::id.lt(before.clone()));
    }
    let list = query.load(conn)?;
    with_details(conn, list)
}

/// Who wrote an update.
#[derive(Debug, Clone, Default)]
pub struct Author {
    pub user: Option<UserId>,
    pub api_key: Option<ApiKeyId>,
}

impl From<&Cause> for Author {
    fn from(cause: &Cause) -> Self {
        Author {
            user: cause.user.clone(),
            api_key: cause.api_key.clone(),
        }
    }
}

/// A new incident with its first update and affected services.
pub struct NewIncident<'a> {
    pub title: &'a str,
    pub status: IncidentStatus,
    pub impact: ImpactLevel,
    pub message: &'a str,
    pub affected: &'a [(ServiceId, ServiceStatus)],
}

/// The services named in an `affected` list.
fn service_ids(affected: &[(ServiceId, ServiceStatus)]) -> Vec<ServiceId> {
    affected.iter().map(|(id, _)| id.clone()).collect()
}

/// Declares an incident (the affected services must be the org's: else `Invalid`, naming the
/// first that is not); answers it and the services whose effective status changed.
pub fn create(
    conn: &mut DbConnection,
    org: &OrgId,
    new: NewIncident<'_>,
    cause: &Cause,
) -> StoreResult<(Full, Vec<ServiceId>)> {
    crate::services::all_in_org(conn, org, "affected", &service_ids(new.affected))?;
    let incident = IncidentId(crate::new_id());
    let now = crate::now();
    let resolved_at = (new.status == IncidentStatus::Resolved).then_some(now);
    diesel::insert_into(incidents::table)
        .values((
            incidents::id.eq(&incident),
            incidents::org_id.eq(org),
            incidents::title.eq(new.title),
            incidents::status.eq(new.status.as_str()),
            incidents::impact.eq(new.impact.as_str()),
            incidents::created_by.eq(&cause.user),
            incidents::created_at.eq(now),
            incidents::updated_at.eq(now),
            incidents::resolved_at.eq(resolved_at),
        ))
        .execute(conn)?;
    insert_update(
        conn,
        org,
        &incident,
        new.status,
        new.message,
        &Author::from(cause),
        now,
    )?;
    let cause = Cause {
        incident: Some(incident.clone()),
        ..cause.clone()
    };
    let moved = set_affected(conn, org, &incident, new.affected, &cause)?;
    Ok((get(conn, org, &incident)?, moved))
}

fn insert_update(
    conn: &mut DbConnection,
    org: &OrgId,
    incident: &IncidentId,
    status: IncidentStatus,
    message: &str,
    author: &Author,
    at: NaiveDateTime,
) -> StoreResult<()> {
    diesel::insert_into(incident_updates::table)
        .values((
            incident_updates::id.eq(IncidentUpdateId(crate::new_id())),
            incident_updates::org_id.eq(org),
            incident_updates::incident_id.eq(incident),
            incident_updates::status.eq(status.as_str()),
            incident_updates::message.eq(message),
            incident_updates::message_html.eq(upstate_markdown::to_html(message)),
            incident_updates::author_user_id.eq(&author.user),
            incident_updates::author_api_key_id.eq(&author.api_key),
            incident_updates::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Replaces the affected services; answers the services whose effective status changed.
fn set_affected(
    conn: &mut DbConnection,
    org: &OrgId,
    incident: &IncidentId,
    affected: &[(ServiceId, ServiceStatus)],
    cause: &Cause,
) -> StoreResult<Vec<ServiceId>> {
    let before: Vec<ServiceId> = incident_services::table
        .filter(incident_services::incident_id.eq(incident))
        .select(incident_services::service_id)
        .load(conn)?;
    diesel::delete(incident_services::table.filter(incident_services::incident_id.eq(incident)))
        .execute(conn)?;
    for (service, status) in affected {
        diesel::insert_into(incident_services::table)
            .values((
                incident_services::incident_id.eq(incident),
                incident_services::service_id.eq(service),
                incident_services::org_id.eq(org),
                incident_services::status.eq(status.as_str()),
            ))
            .execute(conn)?;
    }
    let mut touched = before;
    touched.extend(affected.iter().map(|(service, _)| service.clone()));
    touched.sort();
    touched.dedup();
    effective::recompute(conn, org, &touched, cause)
}

/// The most updates one incident holds: its timeline is read whole on its page, so it cannot
/// grow without bound.
pub const MAX_UPDATES: i64 = 500;

/// Posts an update: a message and a status, optionally new affected services. `resolved`
/// resolves the incident; another status on a resolved incident reopens it. Refused once the
/// incident holds [`MAX_UPDATES`].
pub fn add_update(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &IncidentId,
    status: IncidentStatus,
    message: &str,
    affected: Option<&[(ServiceId, ServiceStatus)]>,
    cause: &Cause,
) -> StoreResult<(Full, Vec<ServiceId>)> {
    let current = visible(conn, org, id)?;
    if let Some(affected) = affected {
        crate::services::all_in_org(conn, org, "affected", &service_ids(affected))?;
    }
    let posted: i64 = incident_updates::table
        .filter(incident_updates::incident_id.eq(id))
        .count()
        .get_result(conn)?;
    if posted >= MAX_UPDATES {
        return Err(crate::StoreError::Invalid(
            "message".into(),
            format!(
                "This incident holds {MAX_UPDATES} updates, the most one can; declare a new incident to go on."
            ),
        ));
    }
    let now = crate::now();
    let resolved_at = match (status, current.resolved_at) {
        (IncidentStatus::Resolved, Some(at)) => Some(at),
        (IncidentStatus::Resolved, None) => Some(now),
        _ => None,
    };
    diesel::update(incidents::table.find(id))
        .set((
            incidents::status.eq(status.as_str()),
            incidents::resolved_at.eq(resolved_at),
            incidents::updated_at.eq(now),
        ))
        .execute(conn)?;
    insert_update(conn, org, id, status, message, &Author::from(cause), now)?;
    let cause = Cause {
        incident: Some(id.clone()),
        ..cause.clone()
    };
    let moved = match affected {
        Some(affected) => set_affected(conn, org, id, affected, &cause)?,
        None => {
            let services: Vec<ServiceId> = incident_services::table
                .filter(incident_services::incident_id.eq(id))
                .select(incident_services::service_id)
                .load(conn)?;
            effective::recompute(conn, org, &services, &cause)?
        }
    };
    Ok((get(conn, org, id)?, moved))
}

/// Changes to the title, impact or postmortem.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = incidents)]
pub struct Changes {
    pub title: Option<String>,
    /// An [`ImpactLevel`]'s text.
    pub impact: Option<String>,
    pub postmortem: Option<Option<String>>,
    /// Set by [`update`] from `postmortem`.
    pub postmortem_html: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn update(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &IncidentId,
    mut changes: Changes,
) -> StoreResult<Full> {
    let current = visible(conn, org, id)?;
    if matches!(changes.postmortem, Some(Some(_))) && current.resolved_at.is_none() {
        return Err(StoreError::Invalid(
            "postmortem".into(),
            "can be written once the incident is resolved".into(),
        ));
    }
    changes.updated_at = Some(crate::now());
    changes.postmortem_html = changes
        .postmortem
        .as_ref()
        .map(|postmortem| postmortem.as_deref().map(upstate_markdown::to_html));
    diesel::update(incidents::table.find(id))
        .set(changes)
        .execute(conn)?;
    get(conn, org, id)
}

/// Deletes an incident (a tombstone stays); its services return to what remains.
pub fn delete(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &IncidentId,
    cause: &Cause,
) -> StoreResult<Vec<ServiceId>> {
    visible(conn, org, id)?;
    let now = crate::now();
    diesel::update(incidents::table.find(id))
        .set((incidents::deleted_at.eq(now), incidents::updated_at.eq(now)))
        .execute(conn)?;
    let cause = Cause {
        incident: Some(id.clone()),
        ..cause.clone()
    };
    set_affected(conn, org, id, &[], &cause)
}

/// The org's incidents (resolved included) created within `[from, to)`, newest first, for the
/// public history; `before` is the last id of the previous page.
pub fn history(
    conn: &mut DbConnection,
    org: &OrgId,
    from: Option<NaiveDateTime>,
    to: Option<NaiveDateTime>,
    before: Option<&IncidentId>,
    limit: i64,
) -> StoreResult<Vec<Full>> {
    let mut query = incidents::table
        .filter(incidents::org_id.eq(org))
        .filter(incidents::deleted_at.is_null())
        .order(incidents::id.desc())
        .limit(limit)
        .select(Incident::as_select())
        .into_boxed();
    if let Some(from) = from {
        query = query.filter(incidents::created_at.ge(from));
    }
    if let Some(to) = to {
        query = query.filter(incidents::created_at.lt(to));
    }
    if let Some(before) = before {
        query = query.filter(incidents::id.lt(before.clone()));
    }
    let list = query.load(conn)?;
    with_details(conn, list)
}

/// The org's incidents declared in `[from, to)`, newest first, only those that affected
/// `service` when one is given: the months of the public history page.
pub fn declared_between(
    conn: &mut DbConnection,
    org: &OrgId,
    from: NaiveDateTime,
    to: NaiveDateTime,
    service: Option<&ServiceId>,
) -> StoreResult<Vec<Full>> {
    let mut query = incidents::table
        .filter(incidents::org_id.eq(org))
        .filter(incidents::deleted_at.is_null())
        .filter(incidents::created_at.ge(from))
        .filter(incidents::created_at.lt(to))
        .order((incidents::created_at.desc(), incidents::id.desc()))
        .select(Incident::as_select())
        .into_boxed();
    if let Some(service) = service {
        query = query.filter(
            incidents::id.eq_any(
                incident_services::table
                    .filter(incident_services::org_id.eq(org))
                    .filter(incident_services::service_id.eq(service.clone()))
                    .select(incident_services::incident_id),
            ),
        );
    }
    let list = query.load(conn)?;
    with_details(conn, list)
}

/// When the org's first incident (the first that affected `service`, when one is given) was
/// declared: where the public history ends.
pub fn first_declared(
    conn: &mut DbConnection,
    org: &OrgId,
    service: Option<&ServiceId>,
) -> StoreResult<Option<NaiveDateTime>> {
    let mut query = incidents::table
        .filter(incidents::org_id.eq(org))
        .filter(incidents::deleted_at.is_null())
        .select(diesel::dsl::min(incidents::created_at))
        .into_boxed();
    if let Some(service) = service {
        query = query.filter(
            incidents::id.eq_any(
                incident_services::table
                    .filter(incident_services::org_id.eq(org))
                    .filter(incident_services::service_id.eq(service.clone()))
                    .select(incident_services::incident_id),
            ),
        );
    }
    Ok(query.first(conn)?)
}

/// The org's incidents as `(id, updated_at)`, the latest change first, at most `limit`: what a
/// sitemap lists, without their timelines.
pub fn last_changes(
    conn: &mut DbConnection,
    org: &OrgId,
    limit: i64,
) -> StoreResult<Vec<(IncidentId, NaiveDateTime)>> {
    Ok(incidents::table
        .filter(incidents::org_id.eq(org))
        .filter(incidents::deleted_at.is_null())
        .order((incidents::updated_at.desc(), incidents::id.desc()))
        .limit(limit)
        .select((incidents::id, incidents::updated_at))
        .load(conn)?)
}

/// An incident touching a service: `(incident id, title, service id, created_at, resolved_at)`.
pub type Touch = (
    IncidentId,
    String,
    ServiceId,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

/// The incidents that affected any of the org's services and overlap `[from, to)`, for the
/// uptime bars' tooltips: those still open, and those resolved since `from`. Two reads, each on
/// its own index, so the cost follows the window, not the org's whole history.
pub fn overlapping(
    conn: &mut DbConnection,
    org: &OrgId,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> StoreResult<Vec<Touch>> {
    let columns = (
        incidents::id,
        incidents::title,
        incident_services::service_id,
        incidents::created_at,
        incidents::resolved_at,
    );
    let mut touches: Vec<Touch> = incidents::table
        .inner_join(incident_services::table)
        .filter(incidents::org_id.eq(org))
        .filter(incidents::deleted_at.is_null())
        .filter(incidents::resolved_at.is_null())
        .filter(incidents::created_at.lt(to))
        .select(columns)
        .load(conn)?;
    touches.extend(
        incidents::table
            .inner_join(incident_services::table)
            .filter(incidents::org_id.eq(org))
            .filter(incidents::deleted_at.is_null())
            .filter(incidents::resolved_at.ge(from))
            .filter(incidents::created_at.lt(to))
            .select(columns)
            .load::<Touch>(conn)?,
    );
    Ok(touches)
}
