//! Incident templates: an org's named incidents to declare again and again (title, impact,
//! status, message, affected services with their statuses). The affected services are JSON
//! text; a service deleted since a template was saved is left out when the template is read.

use crate::db::DbConnection;
use crate::error::{Missing, OrMissing, StoreError, StoreResult};
use crate::schema::{incident_templates, services};
use crate::text::DbText;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::dto::AffectedService;
use upstate_shared::{
    ImpactLevel, IncidentStatus, IncidentTemplateId, OrgId, ServiceId, ServiceStatus, UserId,
};

/// A template as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = incident_templates)]
struct Row {
    id: IncidentTemplateId,
    org_id: OrgId,
    name: String,
    title: String,
    #[diesel(deserialize_as = DbText<ImpactLevel>)]
    impact: ImpactLevel,
    #[diesel(deserialize_as = DbText<IncidentStatus>)]
    status: IncidentStatus,
    message: String,
    affected: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    created_by: Option<UserId>,
}

/// A template as read: its affected services are those of the org that still exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub id: IncidentTemplateId,
    pub org_id: OrgId,
    pub name: String,
    pub title: String,
    pub impact: ImpactLevel,
    pub status: IncidentStatus,
    pub message: String,
    pub affected: Vec<AffectedService>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: Option<UserId>,
}

impl Row {
    /// The template, keeping of its affected services those in `existing`.
    fn read(self, existing: &[ServiceId]) -> Template {
        // Rows are written by `affected_json` below; one that cannot be read back is a fault,
        // logged, and read as affecting nothing rather than failing the whole list.
        let affected: Vec<AffectedService> =
            serde_json::from_str(&self.affected).unwrap_or_else(|err| {
                tracing::error!(%err, template = %self.id, "a stored incident template cannot be read");
                Vec::new()
            });
        Template {
            affected: affected
                .into_iter()
                .filter(|a| existing.contains(&a.service_id))
                .collect(),
            id: self.id,
            org_id: self.org_id,
            name: self.name,
            title: self.title,
            impact: self.impact,
            status: self.status,
            message: self.message,
            created_at: self.created_at,
            updated_at: self.updated_at,
            created_by: self.created_by,
        }
    }
}

/// The org's service ids (to drop deleted ones from templates).
fn service_ids(conn: &mut DbConnection, org: &OrgId) -> StoreResult<Vec<ServiceId>> {
    Ok(services::table
        .filter(services::org_id.eq(org))
        .select(services::id)
        .load(conn)?)
}

/// That every affected service is one of the org's: an unknown one, or another tenant's, is
/// invalid input named `affected[N].service_id`.
fn check_affected(
    conn: &mut DbConnection,
    org: &OrgId,
    affected: &[(ServiceId, ServiceStatus)],
) -> StoreResult<()> {
    let ids: Vec<ServiceId> = affected.iter().map(|(id, _)| id.clone()).collect();
    let known = crate::services::existing(conn, org, &ids)?;
    match ids.iter().position(|id| !known.contains(id)) {
        Some(index) => Err(StoreError::Invalid(
            format!("affected[{index}].service_id"),
            "no such service".into(),
        )),
        None => Ok(()),
    }
}

pub(crate) fn affected_json(affected: &[(ServiceId, ServiceStatus)]) -> String {
    let list: Vec<AffectedService> = affected
        .iter()
        .map(|(service_id, status)| AffectedService {
            service_id: service_id.clone(),
            status: *status,
        })
        .collect();
    serde_json::to_string(&list).unwrap_or_else(|_| "[]".into())
}

/// That no other template of the org has this name (a clear 409 before the unique index's).
fn name_free(
    conn: &mut DbConnection,
    org: &OrgId,
    name: &str,
    except: Option<&IncidentTemplateId>,
) -> StoreResult<()> {
    let mut query = incident_templates::table
        .filter(incident_templates::org_id.eq(org))
        .filter(incident_templates::name.eq(name))
        .select(incident_templates::id)
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(incident_templates::id.ne(id));
    }
    let taken: Option<IncidentTemplateId> = query.first(conn).optional()?;
    match taken {
        Some(_) => Err(StoreError::Stale(format!(
            "A template named \u{201c}{name}\u{201d} exists already; choose another name."
        ))),
        None => Ok(()),
    }
}

/// The org's templates, by name.
pub fn list(conn: &mut DbConnection, org: &OrgId) -> StoreResult<Vec<Template>> {
    let rows: Vec<Row> = incident_templates::table
        .filter(incident_templates::org_id.eq(org))
        .order((incident_templates::name.asc(), incident_templates::id.asc()))
        .select(Row::as_select())
        .load(conn)?;
    let existing = service_ids(conn, org)?;
    Ok(rows.into_iter().map(|row| row.read(&existing)).collect())
}

/// How many templates the org keeps.
pub fn count(conn: &mut DbConnection, org: &OrgId) -> StoreResult<i64> {
    Ok(incident_templates::table
        .filter(incident_templates::org_id.eq(org))
        .count()
        .get_result(conn)?)
}

/// One of the org's templates; `NotFound` for another org's.
pub fn get(conn: &mut DbConnection, org: &OrgId, id: &IncidentTemplateId) -> StoreResult<Template> {
    let row: Row = incident_templates::table
        .find(id)
        .filter(incident_templates::org_id.eq(org))
        .select(Row::as_select())
        .first(conn)
        .or_missing(Missing::IncidentTemplate)?;
    let existing = service_ids(conn, org)?;
    Ok(row.read(&existing))
}

/// A template to save.
pub struct NewTemplate<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub impact: ImpactLevel,
    pub status: IncidentStatus,
    pub message: &'a str,
    pub affected: &'a [(ServiceId, ServiceStatus)],
    pub created_by: Option<&'a UserId>,
}

/// Saves a template; its affected services must be the org's, its name free in the org.
pub fn create(conn: &mut DbConnection, org: &OrgId, new: NewTemplate<'_>) -> StoreResult<Template> {
    check_affected(conn, org, new.affected)?;
    name_free(conn, org, new.name, None)?;
    let id = IncidentTemplateId(crate::new_id());
    let now = crate::now();
    diesel::insert_into(incident_templates::table)
        .values((
            incident_templates::id.eq(&id),
            incident_templates::org_id.eq(org),
            incident_templates::name.eq(new.name),
            incident_templates::title.eq(new.title),
            incident_templates::impact.eq(new.impact.as_str()),
            incident_templates::status.eq(new.status.as_str()),
            incident_templates::message.eq(new.message),
            incident_templates::affected.eq(affected_json(new.affected)),
            incident_templates::created_at.eq(now),
            incident_templates::updated_at.eq(now),
            incident_templates::created_by.eq(new.created_by),
        ))
        .execute(conn)?;
    get(conn, org, &id)
}

/// Changes to a template; `None` leaves a field as it is, `affected` replaces the list.
#[derive(Debug, Clone, Default)]
pub struct TemplateChanges {
    pub name: Option<String>,
    pub title: Option<String>,
    pub impact: Option<ImpactLevel>,
    pub status: Option<IncidentStatus>,
    pub message: Option<String>,
    pub affected: Option<Vec<(ServiceId, ServiceStatus)>>,
}

#[derive(AsChangeset)]
#[diesel(table_name = incident_templates)]
struct Changeset {
    name: Option<String>,
    title: Option<String>,
    impact: Option<&'static str>,
    status: Option<&'static str>,
    message: Option<String>,
    affected: Option<String>,
    updated_at: NaiveDateTime,
}

pub fn update(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &IncidentTemplateId,
    changes: TemplateChanges,
) -> StoreResult<Template> {
    // Unknown (or another org's) first, so a bad body for a template that is not there is a 404.
    get(conn, org, id)?;
    if let Some(affected) = &changes.affected {
        check_affected(conn, org, affected)?;
    }
    if let Some(name) = &changes.name {
        name_free(conn, org, name, Some(id))?;
    }
    let set = Changeset {
        name: changes.name,
        title: changes.title,
        impact: changes.impact.map(ImpactLevel::as_str),
        status: changes.status.map(IncidentStatus::as_str),
        message: changes.message,
        affected: changes.affected.as_deref().map(affected_json),
        updated_at: crate::now(),
    };
    diesel::update(
        incident_templates::table
            .find(id)
            .filter(incident_templates::org_id.eq(org)),
    )
    .set(set)
    .execute(conn)?;
    get(conn, org, id)
}

/// Deletes one of the org's templates; `NotFound` for another org's.
pub fn delete(conn: &mut DbConnection, org: &OrgId, id: &IncidentTemplateId) -> StoreResult<()> {
    let gone = diesel::delete(
        incident_templates::table
            .find(id)
            .filter(incident_templates::org_id.eq(org)),
    )
    .execute(conn)?;
    if gone == 0 {
        return Err(StoreError::NotFound(Missing::IncidentTemplate));
    }
    Ok(())
}
