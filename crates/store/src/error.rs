//! What can go wrong in the store, in terms the API can answer with.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL or a setting is not usable.
    #[error("{0}")]
    Config(String),
    /// No connection could be made (at start) or had (pool exhausted, server gone).
    #[error("{0}")]
    Unavailable(String),
    /// What was asked for does not exist (in this org).
    #[error("no such {}", .0.what())]
    NotFound(Missing),
    /// A unique constraint refused the write (slug or email taken, ...).
    #[error("conflict: {0}")]
    Conflict(String),
    /// It was deleted (a tombstone remains).
    #[error("the {} was deleted", .0.what())]
    Gone(Missing),
    /// The resource is not in a state that allows the change.
    #[error("{0}")]
    Stale(String),
    /// A value the store's own rules refuse: the field and the problem.
    #[error("{0}: {1}")]
    Invalid(String, String),
    /// Over a limit the store keeps (mails sent on a person's behalf, ...): try again after
    /// this many seconds.
    #[error("limited: try again in {retry_after_secs} s")]
    Limited { retry_after_secs: u64 },
    /// A change the team's rules refuse.
    #[error("{0}")]
    Team(TeamRule),
    /// A page cursor that names nothing.
    #[error("bad cursor")]
    BadCursor,
    /// A foreign key refused the write: a referenced row does not exist.
    #[error("a referenced row does not exist: {0}")]
    MissingReference(String),
    /// A migration failed; the database was left as it was before the run.
    #[error("migration `{name}` failed: {message}")]
    Migration { name: String, message: String },
    /// Anything else the database said.
    #[error("database error: {0}")]
    Database(DieselError),
}

/// What a lookup did not find (or found deleted): the API's answer names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// An organization, asked for by a member.
    Organization,
    /// A public status page (an organization, asked for by a visitor).
    StatusPage,
    User,
    Member,
    Service,
    ServiceGroup,
    Incident,
    Maintenance,
    ApiKey,
    Invitation,
    /// A subscriber or an integration.
    Subscription,
    /// A subscription's link that names none (unsubscribed, or never was).
    SubscriptionLink,
    Delivery,
    Monitor,
    IncidentTemplate,
    /// A person's session (a sign-in) that is not theirs or has ended.
    Session,
    /// A heartbeat URL that names no monitor.
    Heartbeat,
    /// A passkey that is not the person's (or was removed).
    Passkey,
    /// A row the lookup did not name.
    Row,
}

impl Missing {
    /// What it is, in the words of the API's messages.
    pub fn what(self) -> &'static str {
        match self {
            Missing::Organization => "organization",
            Missing::StatusPage => "status page",
            Missing::User => "person",
            Missing::Member => "member",
            Missing::Service => "service",
            Missing::ServiceGroup => "group",
            Missing::Incident => "incident",
            Missing::Maintenance => "maintenance",
            Missing::ApiKey => "API key",
            Missing::Invitation => "pending invitation",
            Missing::Subscription => "subscription",
            Missing::Session => "session",
            Missing::SubscriptionLink => "subscription for this link",
            Missing::Delivery => "delivery",
            Missing::Monitor => "monitor",
            Missing::IncidentTemplate => "incident template",
            Missing::Heartbeat => "monitor for this heartbeat URL",
            Missing::Passkey => "passkey",
            Missing::Row => "row",
        }
    }
}

/// Names what a query that found nothing did not find: `.first(conn).or_missing(Missing::Service)`.
pub trait OrMissing<T> {
    fn or_missing(self, what: Missing) -> StoreResult<T>;
}

impl<T> OrMissing<T> for Result<T, DieselError> {
    fn or_missing(self, what: Missing) -> StoreResult<T> {
        self.map_err(|err| match err {
            DieselError::NotFound => StoreError::NotFound(what),
            other => other.into(),
        })
    }
}

/// The team's rules: roles include the ones below them, but only owners give or take the owner
/// role, and an organization always keeps at least one owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TeamRule {
    /// Someone below owner tried to give, take or touch the owner role.
    #[error("Only an owner can give or take the owner role.")]
    OwnersOnly,
    /// The change would leave the organization without an owner.
    #[error("An organization keeps at least one owner: make someone else owner first.")]
    LastOwner,
    /// The person is a member already (a person is a member once).
    #[error("This person is already a member of this organization.")]
    AlreadyMember,
    /// The invitation cannot be accepted any more.
    #[error("This invitation is not valid: it expired, was revoked or was used already.")]
    InvitationNotValid,
    /// The invitation was sent to another email address than the person's.
    #[error("This invitation was sent to another email address; sign in with that one.")]
    InvitationForSomeoneElse,
}

impl From<DieselError> for StoreError {
    fn from(err: DieselError) -> Self {
        match err {
            DieselError::NotFound => StoreError::NotFound(Missing::Row),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                StoreError::Conflict(info.message().to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                StoreError::MissingReference(info.message().to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                StoreError::Unavailable(info.message().to_owned())
            }
            DieselError::DatabaseError(_, info) if storage_refuses(info.message()) => {
                StoreError::Unavailable(format!(
                    "the database's storage refuses writes: {}",
                    info.message()
                ))
            }
            other => StoreError::Database(other),
        }
    }
}

/// Whether the database says its storage refuses writes for now (a full disk, a read-only file,
/// an I/O error, a lock another process held past the busy timeout): SQLite's `SQLITE_FULL`,
/// `SQLITE_READONLY`, `SQLITE_IOERR` and `SQLITE_BUSY`, PostgreSQL's `disk_full`. The
/// transaction did not happen and the data is intact, so the caller is told to come back
/// (503), not that the server failed. diesel gives these no kind of their own.
fn storage_refuses(message: &str) -> bool {
    [
        "database or disk is full",
        "attempt to write a readonly database",
        "disk I/O error",
        "database is locked",
        "No space left on device",
    ]
    .iter()
    .any(|known| message.contains(known))
}

impl From<r2d2::Error> for StoreError {
    fn from(err: r2d2::Error) -> Self {
        StoreError::Unavailable(format!("no database connection available: {err}"))
    }
}

/// Results of the store.
pub type StoreResult<T> = Result<T, StoreError>;
