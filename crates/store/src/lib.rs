//! Upstate's storage: the only crate that speaks SQL. One diesel code path serves SQLite (the
//! embedded default) and PostgreSQL (for several replicas), chosen by the database URL's scheme.
//!
//! Every org-scoped function takes the org's id: there is no way to read another tenant's rows
//! without naming that tenant.
//!
//! Rows hold the id newtypes of `shared` (`OrgId`, `ServiceId`, ...; text columns through its
//! `diesel` feature), and functions take and answer them, so an id keeps its type from the
//! database to the wire.

pub mod api_keys;
pub mod audit;
pub mod backup;
pub mod db;
pub mod effective;
pub mod error;
pub mod events;
pub mod export;
pub mod imports;
pub mod incident_templates;
pub mod incidents;
pub mod invitations;
pub mod link_tokens;
pub mod listen;
pub mod maintenances;
pub mod memberships;
pub mod migrate;
pub mod monitors;
pub mod notifications;
pub mod organizations;
pub mod outbox;
pub mod page_access;
pub mod passkeys;
pub mod personal_data;
pub mod positions;
pub mod rendered;
pub mod retention;
pub mod schema;
pub mod services;
pub mod sessions;
pub mod sso;
pub mod subscriptions;
pub mod text;
pub mod two_factor;
pub mod users;

#[cfg(feature = "testing")]
pub mod testing;

pub use db::{Db, DbConnection, Engine, PoolOptions, PoolState};
pub use error::{Missing, OrMissing, StoreError, StoreResult, TeamRule};

use chrono::{NaiveDateTime, SubsecRound, Utc};

/// A new opaque id: a UUIDv7, so ids sort by creation time.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Now, in UTC, at the microsecond precision both engines keep, so a stored time reads back equal.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}
