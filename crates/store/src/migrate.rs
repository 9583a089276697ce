//! Migrations: embedded per engine from `migrations/sqlite` and `migrations/postgres`, applied
//! all in one transaction, so a failing one leaves the database as it was and is named.

use crate::db::{Db, DbConnection};
use crate::error::{StoreError, StoreResult};
use diesel::backend::Backend;
use diesel::migration::MigrationSource;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sqlite::Sqlite;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Replicas starting together on one PostgreSQL take turns on this advisory lock.
const PG_MIGRATION_LOCK: i64 = 0x5570_7374_6174_6500; // "Upstate\0"

impl Db {
    /// Applies the pending embedded migrations, then renders any Markdown whose HTML is
    /// missing (see [`crate::rendered`]); returns the names of the migrations applied.
    pub fn migrate(&self) -> StoreResult<Vec<String>> {
        let mut conn = self.conn()?;
        apply(&mut conn)
    }

    /// Applies the pending migrations of another source (tests use a folder of their own).
    pub fn migrate_from<S>(&self, source: S) -> StoreResult<Vec<String>>
    where
        S: MigrationSource<Sqlite> + MigrationSource<Pg>,
    {
        let mut conn = self.conn()?;
        match &mut *conn {
            DbConnection::Sqlite(conn) => run_pending(conn, source, no_lock),
            DbConnection::Postgres(conn) => run_pending(conn, source, pg_lock),
        }
    }
}

/// Applies the pending embedded migrations on one connection, then renders any Markdown whose
/// HTML is missing; answers the names of the migrations applied.
pub fn apply(conn: &mut DbConnection) -> StoreResult<Vec<String>> {
    let applied = match conn {
        DbConnection::Sqlite(conn) => run_pending(conn, SQLITE, no_lock),
        DbConnection::Postgres(conn) => run_pending(conn, POSTGRES, pg_lock),
    }?;
    let rendered = crate::rendered::render_missing(conn)?;
    if rendered > 0 {
        tracing::info!(rendered, "rendered stored Markdown to HTML");
    }
    Ok(applied)
}

/// Whether the SQLite database has diesel's table of applied migrations (an Upstate database
/// has it from its first start).
pub(crate) fn has_migrations_table(conn: &mut SqliteConnection) -> StoreResult<bool> {
    let tables: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT count(*) FROM sqlite_master WHERE type = 'table' \
         AND name = '__diesel_schema_migrations')",
    ))
    .get_result(conn)?;
    Ok(tables > 0)
}

/// The migrations applied to the SQLite database that this binary does not know (a newer
/// Upstate made it), oldest first.
pub(crate) fn unknown_sqlite_migrations(conn: &mut SqliteConnection) -> StoreResult<Vec<String>> {
    let known: Vec<String> = MigrationSource::<Sqlite>::migrations(&SQLITE)
        .map_err(|err| StoreError::Migration {
            name: "(reading the migrations)".into(),
            message: err.to_string(),
        })?
        .iter()
        .map(|migration| migration.name().version().to_string())
        .collect();
    let applied = conn
        .applied_migrations()
        .map_err(|err| StoreError::Migration {
            name: "(reading the applied migrations)".into(),
            message: err.to_string(),
        })?;
    let mut unknown: Vec<String> = applied
        .iter()
        .map(ToString::to_string)
        .filter(|version| !known.contains(version))
        .collect();
    unknown.sort();
    Ok(unknown)
}

/// SQLite has one process writing; nothing to take turns with.
fn no_lock(_: &mut SqliteConnection) -> QueryResult<()> {
    Ok(())
}

/// Held until the migration transaction ends.
fn pg_lock(conn: &mut PgConnection) -> QueryResult<()> {
    diesel::sql_query(format!("SELECT pg_advisory_xact_lock({PG_MIGRATION_LOCK})"))
        .execute(conn)
        .map(drop)
}

fn run_pending<C, DB, S>(
    conn: &mut C,
    source: S,
    lock: fn(&mut C) -> QueryResult<()>,
) -> StoreResult<Vec<String>>
where
    DB: Backend,
    C: Connection<Backend = DB> + MigrationHarness<DB>,
    S: MigrationSource<DB>,
{
    conn.transaction::<_, StoreError, _>(|conn| {
        lock(conn)?;
        let pending = conn
            .pending_migrations(source)
            .map_err(|err| StoreError::Migration {
                name: "(reading the migrations)".into(),
                message: err.to_string(),
            })?;
        let mut applied = Vec::with_capacity(pending.len());
        for migration in pending {
            let name = migration.name().to_string();
            conn.run_migration(&migration)
                .map_err(|err| StoreError::Migration {
                    name: name.clone(),
                    message: err.to_string(),
                })?;
            tracing::info!(migration = %name, "applied migration");
            applied.push(name);
        }
        Ok(applied)
    })
}
