//! SQLite on a disk that refuses writes (full, or read-only): writes answer 503 with
//! `Retry-After` and the error body, reads go on, nothing is half-written, the file passes
//! `PRAGMA integrity_check`, and writes work again once the disk takes them. The refusals are
//! SQLite's own (`SQLITE_FULL` through `max_page_count`, `SQLITE_READONLY` through
//! `query_only`), set on the pool's one connection: tests run as root, which a read-only file
//! would not stop, and cannot mount a small disk.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{MemoryAssets, spawn_app_configured};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde_json::json;
use upstate_store::Engine;
use upstate_store::schema::incidents;

#[tokio::test]
async fn on_a_full_or_read_only_disk_writes_answer_503_and_nothing_is_corrupted() {
    let app = spawn_app_configured(Engine::Sqlite, MemoryAssets::default(), |settings| {
        settings.db_pool_size = 1;
    })
    .await;
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    let incidents_count = |app: &common::TestApp| -> i64 {
        let mut conn = app.state.db.conn().unwrap();
        incidents::table.count().get_result(&mut *conn).unwrap()
    };
    let declare = |title: &'static str| {
        let (app, owner) = (&app, &owner);
        async move {
            app.post_as(
                "/api/v1/orgs/acme/incidents",
                &owner.token,
                // Long enough to need new pages of the file.
                json!({"title": title, "status": "investigating", "impact": "minor",
                       "message": "x".repeat(10_000), "affected": []}),
            )
            .await
        }
    };
    for (refuse, allow) in [
        (
            "PRAGMA max_page_count = 1;",
            "PRAGMA max_page_count = 1073741823;",
        ),
        ("PRAGMA query_only = ON;", "PRAGMA query_only = OFF;"),
    ] {
        let before = incidents_count(&app);
        app.state.db.conn().unwrap().batch_execute(refuse).unwrap();
        let refused = declare("While the disk refuses").await;
        assert_eq!(refused.status, 503, "{refuse}: {:?}", refused.body);
        assert_eq!(refused.code(), "unavailable");
        assert!(refused.headers.contains_key("retry-after"));
        assert_eq!(
            incidents_count(&app),
            before,
            "{refuse}: nothing half-written"
        );
        let read = app
            .get_as("/api/v1/orgs/acme/incidents", &owner.token)
            .await;
        assert_eq!(read.status, 200, "reads go on");

        app.state.db.conn().unwrap().batch_execute(allow).unwrap();
        let integrity: Vec<String> = {
            #[derive(QueryableByName)]
            struct Check {
                #[diesel(sql_type = diesel::sql_types::Text)]
                integrity_check: String,
            }
            let mut conn = app.state.db.conn().unwrap();
            diesel::sql_query("PRAGMA integrity_check")
                .load::<Check>(&mut *conn)
                .unwrap()
                .into_iter()
                .map(|check| check.integrity_check)
                .collect()
        };
        assert_eq!(integrity, ["ok"]);
        let accepted = declare("Once the disk takes writes").await;
        assert_eq!(accepted.status, 201, "{allow}: {:?}", accepted.body);
        assert_eq!(incidents_count(&app), before + 1);
    }
}
