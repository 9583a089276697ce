//! Backups of SQLite databases and putting them back (`upstate_store::backup`): the parts an
//! operator meets only on an upgrade or while a server runs.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

use std::path::Path;
use upstate_store::{Db, PoolOptions, backup};

fn url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// The folder of SQLite migrations without its newest one: the schema of the previous release.
fn all_but_the_newest_migration(into: &Path) -> String {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/sqlite");
    let mut names: Vec<String> = std::fs::read_dir(&source)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| source.join(name).is_dir())
        .collect();
    names.sort();
    let newest = names.pop().unwrap();
    for name in &names {
        std::fs::create_dir_all(into.join(name)).unwrap();
        for file in std::fs::read_dir(source.join(name)).unwrap() {
            let file = file.unwrap();
            std::fs::copy(file.path(), into.join(name).join(file.file_name())).unwrap();
        }
    }
    newest
}

#[test]
fn a_backup_of_an_older_release_is_brought_up_to_date_when_restored() {
    let here = tempfile::tempdir().unwrap();
    let migrations = here.path().join("migrations");
    let newest = all_but_the_newest_migration(&migrations);
    let old = here.path().join("old.db");
    {
        let db = Db::connect(&url(&old), PoolOptions::default()).unwrap();
        db.migrate_from(diesel_migrations::FileBasedMigrations::from_path(&migrations).unwrap())
            .unwrap();
    }
    let live = here.path().join("data/upstate.db");
    let restored = backup::restore(&old, &live).unwrap();
    assert_eq!(restored.migrations_applied, vec![newest]);
    let db = Db::connect(&url(&live), PoolOptions::default()).unwrap();
    assert!(db.migrate().unwrap().is_empty(), "nothing left to apply");
}

#[test]
fn a_restore_is_refused_at_once_while_a_process_has_the_database_open() {
    let here = tempfile::tempdir().unwrap();
    let live = here.path().join("upstate.db");
    let db = Db::connect(&url(&live), PoolOptions::default()).unwrap();
    db.migrate().unwrap();
    let copy = here.path().join("copy.db");
    backup::backup(&live, &copy).unwrap();
    // This process has the database open: the restore is refused at once.
    let started = std::time::Instant::now();
    let refused = backup::restore(&copy, &live).unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert!(refused.to_string().contains("is in use"), "{refused}");
    drop(db);
    backup::restore(&copy, &live).unwrap();
    let db = Db::connect(&url(&live), PoolOptions::default()).unwrap();
    assert!(
        db.migrate().unwrap().is_empty(),
        "the copy of a current database"
    );
}

#[test]
fn nothing_opens_a_database_while_a_restore_holds_it() {
    let here = tempfile::tempdir().unwrap();
    let live = here.path().join("upstate.db");
    drop(Db::connect(&url(&live), PoolOptions::default()).unwrap());
    // What `upstate restore` holds while it works: the lock file, exclusively.
    let restoring = std::fs::File::open(backup::lock_path(&live)).unwrap();
    restoring.try_lock().unwrap();
    let refused = Db::connect(&url(&live), PoolOptions::default())
        .err()
        .unwrap();
    assert_eq!(
        refused.to_string(),
        format!(
            "the database {} is being restored (`upstate restore` holds {}); start again when it is done",
            live.display(),
            backup::lock_path(&live).display()
        )
    );
    let refused = backup::backup(&live, &here.path().join("copy.db"))
        .err()
        .unwrap();
    assert!(
        refused.to_string().contains("is being restored"),
        "{refused}"
    );
    drop(restoring);
    assert!(Db::connect(&url(&live), PoolOptions::default()).is_ok());
}
