//! Backups of a SQLite database and putting one back, and the lock that keeps a restore from
//! replacing a file that a server is using.
//!
//! Every process that opens a SQLite database through [`crate::Db`] holds a *shared* advisory
//! lock (`flock`) on `DATABASE.lock` beside the file for as long as it is open; a restore takes
//! the same lock *exclusively*, without waiting, so it refuses while any server (or other
//! `upstate` command) has the database open, and a server cannot start halfway through a
//! restore. The lock belongs to the open file, so it ends with the process however that ends.
//!
//! A backup is `VACUUM INTO` a temporary file beside the target: one read transaction, so it
//! is a consistent snapshot of every committed write while the server goes on writing (WAL
//! readers do not block the writer). It is synced and then linked to its name, so the target
//! path holds a whole backup or nothing, and an existing file is never overwritten.

use crate::db::DbConnection;
use crate::error::{StoreError, StoreResult};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The first 16 bytes of every SQLite database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The lock file of the database at `db`: `DATABASE.lock`, beside it.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// A process's use of a SQLite database: a shared lock on its lock file, held while this
/// value lives.
#[derive(Debug)]
pub struct InUse {
    _file: File,
}

impl InUse {
    /// Takes the shared lock of the database at `db` without waiting; refused while a restore
    /// holds it exclusively.
    pub fn take(db: &Path) -> StoreResult<InUse> {
        let path = lock_path(db);
        let file = open_lock_file(&path)?;
        match file.try_lock_shared() {
            Ok(()) => Ok(InUse { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Unavailable(format!(
                "the database {} is being restored (`upstate restore` holds {}); start again when it is done",
                db.display(),
                path.display()
            ))),
            Err(std::fs::TryLockError::Error(err)) => Err(StoreError::Config(format!(
                "cannot lock {}: {}",
                path.display(),
                plain(&err)
            ))),
        }
    }
}

/// The only user of a database: an exclusive lock on its lock file, while this value lives.
#[derive(Debug)]
struct Exclusive {
    _file: File,
}

impl Exclusive {
    fn take(db: &Path) -> StoreResult<Exclusive> {
        let path = lock_path(db);
        let file = open_lock_file(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(Exclusive { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Config(format!(
                "the database {} is in use by a running upstate server or command; stop it, then restore",
                db.display()
            ))),
            Err(std::fs::TryLockError::Error(err)) => Err(StoreError::Config(format!(
                "cannot lock {}: {}",
                path.display(),
                plain(&err)
            ))),
        }
    }
}

fn open_lock_file(path: &Path) -> StoreResult<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|err| {
            StoreError::Config(format!(
                "cannot open the lock file {}: {}",
                path.display(),
                plain(&err)
            ))
        })
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
}

/// Copies the SQLite database at `db` to `target`, consistently, while other connections go
/// on writing to it. Refuses an existing `target`; never leaves a partial file at `target`.
pub fn backup(db: &Path, target: &Path) -> StoreResult<Written> {
    if !db.is_file() {
        return Err(StoreError::Config(format!(
            "there is no database at {}",
            db.display()
        )));
    }
    if target.exists() {
        return Err(StoreError::Config(format!(
            "{} already exists; give a new file name (a backup never overwrites a file)",
            target.display()
        )));
    }
    let _in_use = InUse::take(db)?;
    let temp = temp_beside(target, "backup")?;
    let result = (|| -> StoreResult<()> {
        let mut conn = open(db)?;
        // A bound parameter: any path, quotes included, is taken as it is.
        diesel::sql_query("VACUUM INTO ?")
            .bind::<diesel::sql_types::Text, _>(utf8(&temp)?)
            .execute(&mut conn)
            .map_err(|err| {
                StoreError::Config(format!(
                    "the backup into {} failed: {err}",
                    target.display()
                ))
            })?;
        drop(conn);
        sync_file(&temp)?;
        publish_new(&temp, target)?;
        Ok(())
    })();
    // On success the temporary name is only a second link to the backup; on failure, a
    // partial file. Either way it goes.
    let _ = std::fs::remove_file(&temp);
    result?;
    sync_dir(target)?;
    let bytes = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
    Ok(Written {
        path: target.to_owned(),
        bytes,
    })
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// Migrations applied to the backup because it was made by an older Upstate.
    pub migrations_applied: Vec<String>,
}

/// Puts the backup at `source` in place as the SQLite database at `db`. Refuses while any
/// process has `db` open through [`crate::Db`] (see [`InUse`]), a file that is not a SQLite
/// database or fails its integrity check, and a database made by a newer Upstate (migrations
/// this binary does not know); brings an older one up to date. The database file is replaced
/// in one rename: it is the old one or the restored one, never a mix.
pub fn restore(source: &Path, db: &Path) -> StoreResult<Restored> {
    check_header(source)?;
    if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|err| {
            StoreError::Config(format!(
                "cannot create the database folder {}: {}",
                parent.display(),
                plain(&err)
            ))
        })?;
    }
    let _only_user = Exclusive::take(db)?;
    let temp = temp_beside(db, "restore")?;
    let result = (|| {
        std::fs::copy(source, &temp).map_err(|err| {
            StoreError::Config(format!("cannot copy {}: {}", source.display(), plain(&err)))
        })?;
        let applied = prepare(source, &temp)?;
        sync_file(&temp)?;
        retire(db)?;
        std::fs::rename(&temp, db).map_err(|err| {
            StoreError::Config(format!(
                "cannot move the restored database to {}: {}",
                db.display(),
                plain(&err)
            ))
        })?;
        sync_dir(db)?;
        Ok(Restored {
            migrations_applied: applied,
        })
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
        for suffix in ["-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(with_suffix(&temp, suffix));
        }
    }
    result
}

/// Checks the copy of the backup at `temp` and brings it up to date; answers the migrations
/// applied. Leaves it one self-contained file (no `-wal`).
fn prepare(source: &Path, temp: &Path) -> StoreResult<Vec<String>> {
    let damaged = |detail: String| {
        StoreError::Config(format!(
            "{} fails SQLite's integrity check ({detail}); it cannot be restored",
            source.display()
        ))
    };
    let mut conn = open(temp).map_err(|err| damaged(err.to_string()))?;
    let problems = integrity_problems(&mut conn).map_err(|err| damaged(err.to_string()))?;
    if !problems.is_empty() {
        // SQLite's report spans lines and can be long: the first few problems, on one line.
        let lines: Vec<&str> = problems
            .iter()
            .flat_map(|problem| problem.lines())
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with("***"))
            .collect();
        let mut summary = lines.iter().take(3).copied().collect::<Vec<_>>().join("; ");
        if lines.len() > 3 {
            summary.push_str(&format!("; and {} more", lines.len() - 3));
        }
        return Err(damaged(summary));
    }
    if !crate::migrate::has_migrations_table(&mut conn)? {
        return Err(StoreError::Config(format!(
            "{} is a SQLite database but not an Upstate one (it has no migrations table)",
            source.display()
        )));
    }
    let unknown = crate::migrate::unknown_sqlite_migrations(&mut conn)?;
    if let Some(newest) = unknown.last() {
        return Err(StoreError::Config(format!(
            "{} was made by a newer Upstate (migration {newest} is unknown to this one); restore it with that version or a later one",
            source.display()
        )));
    }
    let mut conn = DbConnection::Sqlite(conn);
    conn.batch_execute("PRAGMA foreign_keys = ON;")?;
    let applied = crate::migrate::apply(&mut conn)?;
    conn.batch_execute("PRAGMA journal_mode = DELETE;")?;
    Ok(applied)
}

/// What `PRAGMA integrity_check` found; empty when the database is sound.
pub fn integrity_problems(conn: &mut SqliteConnection) -> StoreResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    let lines: Vec<Line> = diesel::sql_query("PRAGMA integrity_check").load(conn)?;
    Ok(lines
        .into_iter()
        .map(|line| line.integrity_check)
        .filter(|line| line != "ok")
        .collect())
}

/// Opens a SQLite file that must exist, waiting for a busy database as the server does.
fn open(path: &Path) -> StoreResult<SqliteConnection> {
    let mut conn = SqliteConnection::establish(utf8(path)?)
        .map_err(|err| StoreError::Config(format!("cannot open {}: {err}", path.display())))?;
    conn.batch_execute("PRAGMA busy_timeout = 5000;")?;
    Ok(conn)
}

fn check_header(source: &Path) -> StoreResult<()> {
    let mut file = File::open(source).map_err(|err| {
        StoreError::Config(format!("cannot read {}: {}", source.display(), plain(&err)))
    })?;
    let mut header = [0u8; 16];
    let complete = file.read_exact(&mut header).is_ok();
    if !complete || &header != SQLITE_HEADER {
        return Err(StoreError::Config(format!(
            "{} is not a SQLite database",
            source.display()
        )));
    }
    Ok(())
}

/// Makes the old database at `db` ready to be replaced: its write-ahead log is folded into it
/// and removed, so no stale `-wal` of the old file can be replayed into the new one.
fn retire(db: &Path) -> StoreResult<()> {
    if db.exists() {
        // Best effort: a damaged old database is replaced all the same.
        if let Ok(mut conn) = open(db) {
            let _ = conn
                .batch_execute("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;");
        }
    }
    for suffix in ["-wal", "-shm", "-journal"] {
        let stale = with_suffix(db, suffix);
        match std::fs::remove_file(&stale) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => {
                return Err(StoreError::Config(format!(
                    "cannot remove {}: {}",
                    stale.display(),
                    plain(&err)
                )));
            }
        }
    }
    Ok(())
}

/// Gives the complete file at `temp` the name `target`, unless `target` exists by now.
fn publish_new(temp: &Path, target: &Path) -> StoreResult<()> {
    match std::fs::hard_link(temp, target) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(StoreError::Config(format!(
                "{} already exists; give a new file name (a backup never overwrites a file)",
                target.display()
            )))
        }
        // A file system without hard links: check, then rename.
        Err(_) if !target.exists() => std::fs::rename(temp, target).map_err(|err| {
            StoreError::Config(format!(
                "cannot write {}: {}",
                target.display(),
                plain(&err)
            ))
        }),
        Err(err) => Err(StoreError::Config(format!(
            "cannot write {}: {}",
            target.display(),
            plain(&err)
        ))),
    }
}

/// A fresh name in the folder of `path`: `.NAME.KIND-RANDOM.tmp`.
fn temp_beside(path: &Path, kind: &str) -> StoreResult<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| StoreError::Config(format!("{} names no file", path.display())))?
        .to_string_lossy();
    let folder = path.parent().unwrap_or(Path::new(""));
    if !folder.as_os_str().is_empty() && !folder.is_dir() {
        return Err(StoreError::Config(format!(
            "the folder {} does not exist",
            folder.display()
        )));
    }
    Ok(folder.join(format!(".{name}.{kind}-{}.tmp", crate::new_id())))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn sync_file(path: &Path) -> StoreResult<()> {
    File::open(path)
        .and_then(|file| file.sync_all())
        .map_err(|err| {
            StoreError::Config(format!(
                "cannot sync {} to disk: {}",
                path.display(),
                plain(&err)
            ))
        })
}

/// Syncs the folder holding `path`, so its new name survives a crash.
fn sync_dir(path: &Path) -> StoreResult<()> {
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    File::open(folder)
        .and_then(|dir| dir.sync_all())
        .map_err(|err| {
            StoreError::Config(format!(
                "cannot sync the folder {} to disk: {}",
                folder.display(),
                plain(&err)
            ))
        })
}

fn utf8(path: &Path) -> StoreResult<&str> {
    path.to_str().ok_or_else(|| {
        StoreError::Config(format!("the path {} is not valid UTF-8", path.display()))
    })
}

/// `Permission denied` rather than `Permission denied (os error 13)`.
fn plain(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(end) => text[..end].to_owned(),
        None => text,
    }
}
