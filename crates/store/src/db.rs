//! Connecting: the engine from the URL's scheme, a pool of connections (SQLite pragmas set on
//! each), and the two ways to use one: `read` and `write` (one transaction).

use crate::error::{StoreError, StoreResult};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A connection to either engine. Store functions take `&mut DbConnection`.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which database engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// Where to connect, parsed from a database URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL.
    Postgres(String),
}

impl Target {
    /// `sqlite://PATH` (relative; `sqlite:///abs/path` for absolute) or `sqlite:PATH`;
    /// `postgres://...` or `postgresql://...`.
    pub fn parse(url: &str) -> StoreResult<Target> {
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            if path.is_empty() || path == ":memory:" {
                return Err(StoreError::Config(format!(
                    "the database URL `{url}` names no file; use sqlite://PATH, e.g. sqlite://data/upstate.db"
                )));
            }
            return Ok(Target::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Target::Postgres(url.to_owned()));
        }
        let scheme = url.split_once(':').map_or(url, |(scheme, _)| scheme);
        Err(StoreError::Config(format!(
            "the database URL scheme `{scheme}` is not supported; use sqlite://PATH or postgres://USER@HOST/DB"
        )))
    }

    pub fn engine(&self) -> Engine {
        match self {
            Target::Sqlite(_) => Engine::Sqlite,
            Target::Postgres(_) => Engine::Postgres,
        }
    }

    /// The target without its password, for logs and error messages.
    pub fn redacted(&self) -> String {
        match self {
            Target::Sqlite(path) => format!("sqlite://{}", path.display()),
            Target::Postgres(url) => redact_password(url),
        }
    }

    fn establish(&self) -> Result<DbConnection, diesel::r2d2::Error> {
        match self {
            Target::Sqlite(path) => {
                let path = path.to_str().ok_or_else(|| {
                    diesel::r2d2::Error::ConnectionError(ConnectionError::InvalidConnectionUrl(
                        "the SQLite path is not valid UTF-8".into(),
                    ))
                })?;
                let mut conn = SqliteConnection::establish(path)
                    .map_err(diesel::r2d2::Error::ConnectionError)?;
                // On every connection: wait for a busy database instead of failing, keep
                // readers off the writer's path (WAL), enforce foreign keys, and keep SQLite's
                // temporary files (statement journals, sorts) in memory: the server's user may
                // have no writable temporary directory (the image has none, systemd's
                // `PrivateTmp` aside), where a migration's multi-row statement failed.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000;
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = NORMAL;
                     PRAGMA foreign_keys = ON;
                     PRAGMA temp_store = MEMORY;",
                )
                .map_err(diesel::r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
            Target::Postgres(url) => connect_postgres(url)
                .map(DbConnection::Postgres)
                .map_err(diesel::r2d2::Error::ConnectionError),
        }
    }
}

/// Opens one PostgreSQL connection. Every PostgreSQL connection of Upstate is opened here.
///
/// libpq initialises the system's OpenSSL 3 with an exit handler (`OPENSSL_cleanup`) that frees
/// OpenSSL's global state when the process exits, while pool, runtime and test threads may
/// still be in the middle of TLS on other connections: the process then dies by SIGSEGV or
/// SIGABRT after its work is done (issue 21, diesel-rs/diesel#3441). OpenSSL's first
/// initialisation decides whether that handler is registered; `openssl::init()` asks for none,
/// so it runs before libpq's.
///
/// The Kerberos library behind libpq's GSSAPI has the same kind of exit-time teardown (its
/// finalizer destroys mutexes that a connecting thread may hold: SIGABRT in `k5_mutex_lock`),
/// and libpq enters it on every connection while `gssencmode` is `prefer`, its default. So
/// Upstate does not negotiate GSSAPI encryption unless asked: `gssencmode` in the URL or
/// `PGGSSENCMODE` in the environment. TLS (`sslmode`) is untouched.
pub fn connect_postgres(url: &str) -> ConnectionResult<PgConnection> {
    openssl::init();
    let asks_for_gss = std::env::var_os("PGGSSENCMODE").is_some();
    PgConnection::establish(&without_gss_negotiation(url, asks_for_gss))
}

/// The URL with `gssencmode=disable`, unless it (or the environment) already chose a mode.
fn without_gss_negotiation(url: &str, environment_chose: bool) -> String {
    let query = url.split_once('?').map_or("", |(_, query)| query);
    let chosen = query
        .split('&')
        .any(|pair| pair.split('=').next() == Some("gssencmode"));
    if chosen || environment_chose {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&gssencmode=disable")
    } else {
        format!("{url}?gssencmode=disable")
    }
}

/// `url` with its password, if any, as `***`.
pub fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = rest.split_once('/').map_or((rest, ""), |(a, t)| (a, t));
    let redacted = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{user}:***@{host}"),
            None => authority.to_owned(),
        },
        None => authority.to_owned(),
    };
    if tail.is_empty() && !rest.contains('/') {
        format!("{scheme}://{redacted}")
    } else {
        format!("{scheme}://{redacted}/{tail}")
    }
}

/// The pool's connection manager: establishes the engine the URL named, never guessing.
#[derive(Debug)]
pub struct Manager {
    target: Target,
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        self.target.establish()
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        match conn {
            DbConnection::Postgres(pg) => diesel::r2d2::R2D2Connection::is_broken(pg),
            DbConnection::Sqlite(sqlite) => diesel::r2d2::R2D2Connection::is_broken(sqlite),
        }
    }
}

/// A pooled connection.
pub type PooledConnection = r2d2::PooledConnection<Manager>;

/// How many connections to keep and how long to wait for one. The wait is short on purpose:
/// when the database is gone (or the pool is exhausted), a request answers 503 with
/// `Retry-After` within two seconds instead of hanging.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    pub max_size: u32,
    pub connection_timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            max_size: 10,
            connection_timeout: Duration::from_millis(1500),
        }
    }
}

/// What [`Db::pool_state`] answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolState {
    /// Connections open, in use or idle.
    pub connections: u32,
    /// Open connections no one holds.
    pub idle: u32,
    /// The most the pool opens (`UPSTATE_DB_POOL_SIZE`).
    pub max: u32,
}

/// The database: a pool of connections to one engine.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<Manager>,
    target: Arc<Target>,
    /// SQLite allows one writer at a time; taking turns here, before the transaction begins,
    /// means a write never fails with `SQLITE_BUSY` when two requests write at once.
    sqlite_writer: Arc<Mutex<()>>,
    /// SQLite: the shared lock that tells `upstate restore` this file is in use, held while
    /// any clone of this `Db` lives (see [`crate::backup`]).
    _in_use: Option<Arc<crate::backup::InUse>>,
}

impl Db {
    /// Connects to the database the URL names. For SQLite, creates the file (and its folder)
    /// when missing. Fails with one clear sentence when the URL is unusable or the server does
    /// not answer.
    pub fn connect(url: &str, options: PoolOptions) -> StoreResult<Db> {
        let target = Target::parse(url)?;
        let in_use = match &target {
            Target::Sqlite(path) => {
                ensure_parent_dir(path)?;
                Some(Arc::new(crate::backup::InUse::take(path)?))
            }
            Target::Postgres(_) => None,
        };
        // One connection first, to report the real reason when it fails.
        let first = target.establish().map_err(|err| {
            StoreError::Unavailable(format!(
                "could not open the database at {}: {}",
                target.redacted(),
                one_line(&err.to_string())
            ))
        })?;
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(options.max_size)
            .min_idle(Some(1))
            .connection_timeout(options.connection_timeout)
            .build(Manager {
                target: target.clone(),
            })?;
        Ok(Db {
            pool,
            target: Arc::new(target),
            sqlite_writer: Arc::new(Mutex::new(())),
            _in_use: in_use,
        })
    }

    pub fn engine(&self) -> Engine {
        self.target.engine()
    }

    /// Where this database is, without a password.
    pub fn describe(&self) -> String {
        self.target.redacted()
    }

    /// The pool now: connections open, of which idle, and the most it keeps (for metrics; reads
    /// counters, never waits for a connection).
    pub fn pool_state(&self) -> PoolState {
        let state = self.pool.state();
        PoolState {
            connections: state.connections,
            idle: state.idle_connections,
            max: self.pool.max_size(),
        }
    }

    /// A connection from the pool. Blocking: call from a blocking thread.
    pub fn conn(&self) -> StoreResult<PooledConnection> {
        Ok(self.pool.get()?)
    }

    /// Runs reads on a pooled connection, outside a transaction.
    pub fn read<T>(&self, f: impl FnOnce(&mut DbConnection) -> StoreResult<T>) -> StoreResult<T> {
        let mut conn = self.conn()?;
        f(&mut conn)
    }

    /// Runs `f` in one transaction: all of its writes land, or none does.
    pub fn write<T>(&self, f: impl FnOnce(&mut DbConnection) -> StoreResult<T>) -> StoreResult<T> {
        let _turn = match self.engine() {
            // A poisoned lock only means another writer panicked; its transaction rolled back.
            Engine::Sqlite => Some(self.sqlite_writer.lock().unwrap_or_else(|e| e.into_inner())),
            Engine::Postgres => None,
        };
        let mut conn = self.conn()?;
        // When a statement fails, SQLite may have rolled the transaction back by itself (a full
        // disk, a read-only file); diesel's own rollback then fails with `NotInTransaction` and
        // that error would replace the one that says what happened. Keep the first.
        let mut failure = None;
        let outcome = (*conn).transaction(|conn| {
            f(conn).map_err(|err| {
                failure = Some(err);
                StoreError::Database(diesel::result::Error::RollbackTransaction)
            })
        });
        match (outcome, failure) {
            (Err(_), Some(first)) => Err(first),
            (outcome, _) => outcome,
        }
    }

    /// Whether the database answers a trivial query (within the pool's wait for a connection).
    pub fn ping(&self) -> StoreResult<()> {
        let mut conn = self.conn()?;
        conn.batch_execute("SELECT 1")?;
        Ok(())
    }
}

fn ensure_parent_dir(path: &Path) -> StoreResult<()> {
    let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) else {
        return Ok(());
    };
    std::fs::create_dir_all(parent).map_err(|err| {
        StoreError::Config(format!(
            "cannot create the database folder {}: {err}",
            parent.display()
        ))
    })
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_engine_by_scheme() {
        assert_eq!(
            Target::parse("sqlite://data/upstate.db").unwrap(),
            Target::Sqlite("data/upstate.db".into())
        );
        assert_eq!(
            Target::parse("sqlite:///var/lib/upstate/db.sqlite").unwrap(),
            Target::Sqlite("/var/lib/upstate/db.sqlite".into())
        );
        assert_eq!(
            Target::parse("sqlite:upstate.db").unwrap(),
            Target::Sqlite("upstate.db".into())
        );
        assert_eq!(
            Target::parse("postgres://u:p@db/upstate").unwrap().engine(),
            Engine::Postgres
        );
        assert_eq!(
            Target::parse("postgresql://db/upstate").unwrap().engine(),
            Engine::Postgres
        );
    }

    #[test]
    fn unknown_scheme_is_refused_with_a_sentence() {
        let err = Target::parse("mysql://root@localhost/upstate").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the database URL scheme `mysql` is not supported; use sqlite://PATH or postgres://USER@HOST/DB"
        );
        assert!(Target::parse("sqlite::memory:").is_err());
        assert!(Target::parse("sqlite://").is_err());
    }

    #[test]
    fn gssapi_is_negotiated_only_when_asked() {
        assert_eq!(
            without_gss_negotiation("postgres://u@h/db", false),
            "postgres://u@h/db?gssencmode=disable"
        );
        assert_eq!(
            without_gss_negotiation("postgres://u@h/db?sslmode=require", false),
            "postgres://u@h/db?sslmode=require&gssencmode=disable"
        );
        assert_eq!(
            without_gss_negotiation("postgres://u@h/db?gssencmode=require", false),
            "postgres://u@h/db?gssencmode=require"
        );
        assert_eq!(
            without_gss_negotiation("postgres://u@h/db", true),
            "postgres://u@h/db"
        );
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact_password("postgres://app:s3cret@db.internal:5432/upstate"),
            "postgres://app:***@db.internal:5432/upstate"
        );
        assert_eq!(
            redact_password("postgres://postgres@127.0.0.1/upstate"),
            "postgres://postgres@127.0.0.1/upstate"
        );
        assert_eq!(redact_password("postgres://a:b@h"), "postgres://a:***@h");
    }
}
