//! `upstate backup` and `upstate restore`: a SQLite database copied while the server runs, and
//! put back while it does not (the work is in [`upstate_store::backup`]). PostgreSQL has its
//! own tools (`pg_dump`, `pg_restore`), and these commands say so.

use super::DatabaseArgs;
use crate::config::StartError;
use clap::Args;
use std::path::PathBuf;
use upstate_store::db::Target;

/// `upstate backup`'s settings.
#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// The backup file to write; it must not exist yet.
    pub path: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// `upstate restore`'s settings.
#[derive(Debug, Clone, Args)]
pub struct RestoreArgs {
    /// The backup to put back (a file written by `upstate backup`).
    pub path: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// The SQLite file the settings name; PostgreSQL is refused with the way to do it there.
fn sqlite_file(
    database: &DatabaseArgs,
    command: &str,
    instead: &str,
) -> Result<PathBuf, StartError> {
    match Target::parse(&database.url())? {
        Target::Sqlite(path) => Ok(path),
        Target::Postgres(_) => Err(StartError(format!(
            "`upstate {command}` works on SQLite databases; on PostgreSQL use {instead} (see \
             \"Backups and restore\" in the README)"
        ))),
    }
}

/// Writes a consistent copy of the database to a new file.
pub fn backup(args: BackupArgs) -> Result<(), StartError> {
    let db = sqlite_file(&args.database, "backup", "pg_dump -Fc")?;
    let written = upstate_store::backup::backup(&db, &args.path)?;
    println!(
        "backed up {} to {} ({} bytes)",
        db.display(),
        written.path.display(),
        written.bytes
    );
    Ok(())
}

/// Replaces the database with a backup.
pub fn restore(args: RestoreArgs) -> Result<(), StartError> {
    let db = sqlite_file(&args.database, "restore", "pg_restore")?;
    if args.database.database_url.is_none() {
        crate::config::prepare_data_dir(&args.database.data_dir)?;
    }
    let restored = upstate_store::backup::restore(&args.path, &db)?;
    match restored.migrations_applied.len() {
        0 => println!("restored {} as {}", args.path.display(), db.display()),
        count => println!(
            "restored {} as {} and brought it up to date ({count} migrations applied)",
            args.path.display(),
            db.display()
        ),
    }
    Ok(())
}
