//! Who may see an org's status page: public (no row), members only, a shared password (its
//! Argon2id hash), or client address ranges (CIDR, one per line). Every change is announced to
//! the other replicas (on PostgreSQL) with the orgs' addresses, so each reloads its directory.

use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::page_access;
use crate::text::DbText;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::{OrgId, PageAccessMode};

/// An org's page access as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = page_access)]
pub struct PageAccess {
    pub org_id: OrgId,
    #[diesel(deserialize_as = DbText<PageAccessMode>)]
    pub mode: PageAccessMode,
    /// The address ranges, one per line.
    pub ranges: String,
    /// The password's Argon2id hash (never returned by the API, never exported).
    pub password_hash: Option<String>,
    pub updated_at: NaiveDateTime,
}

impl PageAccess {
    /// The address ranges as a list.
    pub fn range_list(&self) -> Vec<String> {
        self.ranges
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// The org's page access (`None`: the page has always been public).
pub fn get(conn: &mut DbConnection, org: &OrgId) -> StoreResult<Option<PageAccess>> {
    Ok(page_access::table
        .find(org)
        .select(PageAccess::as_select())
        .first(conn)
        .optional()?)
}

/// Every page that is not public: what a replica's directory of status pages keeps in memory.
pub fn all_private(conn: &mut DbConnection) -> StoreResult<Vec<PageAccess>> {
    Ok(page_access::table
        .filter(page_access::mode.ne(PageAccessMode::Public.as_str()))
        .select(PageAccess::as_select())
        .load(conn)?)
}

/// What a change sets: the mode, the ranges, and (`Some`) a new password hash.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub mode: PageAccessMode,
    pub ranges: &'a [String],
    /// A new password's hash; `None` keeps the one set.
    pub password_hash: Option<&'a str>,
}

/// Sets the org's page access (call inside the request's transaction) and announces it.
pub fn set(conn: &mut DbConnection, org: &OrgId, change: Change<'_>) -> StoreResult<PageAccess> {
    let now = crate::now();
    let ranges = change.ranges.join("\n");
    let existing = get(conn, org)?;
    match existing {
        Some(current) => {
            let hash = change
                .password_hash
                .map(str::to_owned)
                .or(current.password_hash);
            diesel::update(page_access::table.find(org))
                .set((
                    page_access::mode.eq(change.mode.as_str()),
                    page_access::ranges.eq(&ranges),
                    page_access::password_hash.eq(hash),
                    page_access::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        None => {
            diesel::insert_into(page_access::table)
                .values((
                    page_access::org_id.eq(org),
                    page_access::mode.eq(change.mode.as_str()),
                    page_access::ranges.eq(&ranges),
                    page_access::password_hash.eq(change.password_hash),
                    page_access::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
    }
    crate::organizations::announce_addresses_changed(conn)?;
    get(conn, org)?.ok_or(crate::error::StoreError::NotFound(
        crate::error::Missing::Organization,
    ))
}
