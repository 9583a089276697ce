//! Test databases, for this crate's tests and the API's: a fresh SQLite file in a temporary
//! folder, or a throwaway PostgreSQL database created on the test server and dropped after.
//!
//! The PostgreSQL server is `UPSTATE_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`). When it does not answer, the test fails and
//! says how to get one: a PostgreSQL test never skips silently.

use crate::db::{Db, Engine, PoolOptions};
use diesel::connection::SimpleConnection;

/// The default test server: the local PostgreSQL this machine kind runs.
pub const DEFAULT_TEST_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A migrated database that is removed when dropped.
pub struct TestDb {
    pub db: Db,
    /// The URL to hand to `upstate serve` or a second pool.
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(
        #[expect(
            dead_code,
            reason = "held for its Drop: the folder goes with the database"
        )]
        tempfile::TempDir,
    ),
    Postgres {
        admin_url: String,
        name: String,
    },
}

impl TestDb {
    /// A test database of the given engine.
    pub fn new(engine: Engine) -> TestDb {
        match engine {
            Engine::Sqlite => TestDb::sqlite(),
            Engine::Postgres => TestDb::postgres(),
        }
    }

    /// A fresh, migrated SQLite database file.
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("a temporary folder for the test database");
        let url = format!("sqlite://{}", dir.path().join("upstate.db").display());
        let db = Db::connect(&url, PoolOptions::default()).expect("open the SQLite test database");
        db.migrate().expect("migrate the SQLite test database");
        TestDb {
            db,
            url,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A fresh, migrated PostgreSQL database on the test server.
    pub fn postgres() -> TestDb {
        TestDb::postgres_at(&test_postgres_url())
    }

    /// A fresh, migrated PostgreSQL database on the server at `admin_url`.
    pub fn postgres_at(admin_url: &str) -> TestDb {
        let (url, admin_url, name) = create_postgres_database(admin_url);
        let db = Db::connect(&url, PoolOptions::default())
            .unwrap_or_else(|err| panic!("connect to the PostgreSQL test database: {err}"));
        db.migrate().expect("migrate the PostgreSQL test database");
        TestDb {
            db,
            url,
            cleanup: Cleanup::Postgres { admin_url, name },
        }
    }

    /// An empty PostgreSQL database (not migrated), for tests of the migrations themselves.
    pub fn postgres_empty() -> TestDb {
        let (url, admin_url, name) = create_postgres_database(&test_postgres_url());
        let db = Db::connect(&url, PoolOptions::default())
            .unwrap_or_else(|err| panic!("connect to the PostgreSQL test database: {err}"));
        TestDb {
            db,
            url,
            cleanup: Cleanup::Postgres { admin_url, name },
        }
    }

    /// An empty SQLite database (not migrated).
    pub fn sqlite_empty() -> TestDb {
        let dir = tempfile::tempdir().expect("a temporary folder for the test database");
        let url = format!("sqlite://{}", dir.path().join("upstate.db").display());
        let db = Db::connect(&url, PoolOptions::default()).expect("open the SQLite test database");
        TestDb {
            db,
            url,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// Drops a PostgreSQL test database at once, cutting its connections: an outage.
    pub fn kill_postgres(&self) {
        let Cleanup::Postgres { admin_url, name } = &self.cleanup else {
            panic!("kill_postgres is for PostgreSQL test databases");
        };
        let mut admin = crate::db::connect_postgres(admin_url).expect("reach the test server");
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .expect("drop the test database");
    }

    /// An empty database of the given engine (not migrated).
    pub fn empty(engine: Engine) -> TestDb {
        match engine {
            Engine::Sqlite => TestDb::sqlite_empty(),
            Engine::Postgres => TestDb::postgres_empty(),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup {
            // Best effort: a test that panicked still gets its database removed.
            if let Ok(mut admin) = crate::db::connect_postgres(admin_url) {
                let _ = admin
                    .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
            }
        }
    }
}

/// The test server's URL.
pub fn test_postgres_url() -> String {
    std::env::var("UPSTATE_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| DEFAULT_TEST_POSTGRES_URL.to_owned())
}

fn create_postgres_database(admin_url: &str) -> (String, String, String) {
    let admin_url = admin_url.to_owned();
    let mut admin = crate::db::connect_postgres(&admin_url).unwrap_or_else(|err| {
        panic!(
            "PostgreSQL tests need a server, and none answered at {admin_url}: {err}\n\
             Run `just test`, which starts one when the machine has none, or start the \
             machine's cluster with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, \
             or point UPSTATE_TEST_POSTGRES_URL at a server where the user may create databases."
        )
    });
    let name = format!("upstate_test_{}", uuid::Uuid::now_v7().simple());
    admin
        .batch_execute(&format!("CREATE DATABASE \"{name}\""))
        .unwrap_or_else(|err| panic!("create the test database {name} at {admin_url}: {err}"));
    let url = replace_database(&admin_url, &name);
    (url, admin_url, name)
}

/// The same server URL with another database name.
fn replace_database(url: &str, database: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{}", &base[..path_start], database);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn database_name_is_swapped_in_the_url() {
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            replace_database("postgres://u:p@h:1/db?sslmode=disable", "t2"),
            "postgres://u:p@h:1/t2?sslmode=disable"
        );
        assert_eq!(replace_database("postgres://h", "t3"), "postgres://h/t3");
    }
}
