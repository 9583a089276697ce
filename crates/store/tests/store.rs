//! The store suite: every test runs on SQLite and on PostgreSQL.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;
use common::{on_both_engines, org, person};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use std::collections::BTreeSet;
use upstate_shared::{EventKind, OrgId, Role, ServiceStatus, UserId};
use upstate_store::schema::{
    events, incident_services, incident_updates, incidents, maintenance_services, maintenances,
    memberships, service_groups, service_status_changes, services, users,
};
use upstate_store::testing::TestDb;
use upstate_store::{
    DbConnection, Engine, PoolOptions, StoreError, memberships as members, organizations as orgs,
    users as people,
};

on_both_engines!(
    migrations_create_the_whole_domain_schema,
    migrating_again_applies_nothing,
    a_failing_migration_leaves_the_database_as_it_was_and_is_named,
    org_slugs_are_unique,
    a_custom_domain_belongs_to_one_org_and_can_be_cleared,
    user_emails_are_unique_in_any_case,
    a_user_joins_an_org_once_with_a_role,
    deleting_an_org_removes_everything_it_owns_and_keeps_its_people,
    foreign_keys_refuse_rows_of_a_missing_org,
    check_constraints_refuse_unknown_statuses,
    event_seq_has_no_gaps_or_repeats_under_concurrent_writers,
    a_failed_write_leaves_nothing_behind,
    an_incident_holds_a_bounded_number_of_updates,
    timestamps_round_trip_at_microsecond_precision,
    a_link_token_works_once_and_only_for_its_purpose,
    merging_the_link_tables_keeps_every_link,
);

const TABLES: &[&str] = &[
    "api_keys",
    "audit_log",
    "deliveries",
    "delivery_attempts",
    "events",
    "imported_records",
    "incident_services",
    "incident_templates",
    "incident_updates",
    "incidents",
    "invitations",
    "link_tokens",
    "login_challenges",
    "maintenance_services",
    "maintenance_updates",
    "maintenances",
    "memberships",
    "monitor_hours",
    "monitor_results",
    "monitors",
    "notifications",
    "organizations",
    "outbox",
    "recovery_codes",
    "page_access",
    "passkey_ceremonies",
    "passkeys",
    "refresh_tokens",
    "service_groups",
    "service_status_changes",
    "services",
    "sessions",
    "sso_configs",
    "sso_pending",
    "subscription_services",
    "subscriptions",
    "totp_credentials",
    "users",
];

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

fn table_names(conn: &mut DbConnection) -> BTreeSet<String> {
    let sql = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__diesel%'"
        }
        DbConnection::Postgres(_) => {
            "SELECT table_name AS name FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_name NOT LIKE '__diesel%'"
        }
    };
    diesel::sql_query(sql)
        .load::<Name>(conn)
        .unwrap()
        .into_iter()
        .map(|row| row.name)
        .collect()
}

fn migrations_create_the_whole_domain_schema(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let expected: BTreeSet<String> = TABLES.iter().map(|t| t.to_string()).collect();
    assert_eq!(table_names(&mut conn), expected);
}

fn migrating_again_applies_nothing(engine: Engine) {
    let test = TestDb::empty(engine);
    let first = test.db.migrate().unwrap();
    let folders = std::fs::read_dir(format!(
        "{}/../../migrations/{}",
        env!("CARGO_MANIFEST_DIR"),
        engine.as_str()
    ))
    .unwrap()
    .count();
    assert_eq!(first.len(), folders, "every migration runs once: {first:?}");
    assert!(test.db.migrate().unwrap().is_empty());
}

fn a_failing_migration_leaves_the_database_as_it_was_and_is_named(engine: Engine) {
    let test = TestDb::new(engine);
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("2099-01-01-000000_add_notes");
    let bad = dir.path().join("2099-01-02-000000_broken");
    std::fs::create_dir_all(&good).unwrap();
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(
        good.join("up.sql"),
        "CREATE TABLE notes (id TEXT PRIMARY KEY NOT NULL);",
    )
    .unwrap();
    std::fs::write(good.join("down.sql"), "DROP TABLE notes;").unwrap();
    std::fs::write(
        bad.join("up.sql"),
        "ALTER TABLE no_such_table ADD COLUMN x TEXT;",
    )
    .unwrap();
    std::fs::write(bad.join("down.sql"), "").unwrap();

    let source = diesel_migrations::FileBasedMigrations::from_path(dir.path()).unwrap();
    let err = test.db.migrate_from(source).unwrap_err();
    match err {
        StoreError::Migration { name, .. } => assert!(name.contains("broken"), "named {name}"),
        other => panic!("expected a migration error, got {other:?}"),
    }
    let mut conn = test.db.conn().unwrap();
    assert!(
        !table_names(&mut conn).contains("notes"),
        "the good migration before the failing one was rolled back too"
    );
    drop(conn);
    assert!(
        test.db.migrate().unwrap().is_empty(),
        "the embedded migrations stay applied"
    );
}

fn org_slugs_are_unique(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let first = org(&mut conn, "acme");
    let err = orgs::create(
        &mut conn,
        orgs::NewOrganization {
            name: "Other",
            slug: "acme",
        },
    )
    .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "got {err:?}");
    let found = orgs::find_by_slug(&mut conn, "acme").unwrap().unwrap();
    assert_eq!(found.id, first);
    assert_eq!(found.name, "Acme");
    assert!(orgs::find_by_slug(&mut conn, "nope").unwrap().is_none());
}

fn a_custom_domain_belongs_to_one_org_and_can_be_cleared(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let acme = org(&mut conn, "acme");
    let globex = org(&mut conn, "globex");
    let set = |domain: Option<&str>| orgs::OrgChanges {
        custom_domain: Some(domain.map(str::to_owned)),
        ..Default::default()
    };
    let updated = orgs::update(&mut conn, &acme, set(Some("status.acme.test"))).unwrap();
    assert_eq!(updated.custom_domain.as_deref(), Some("status.acme.test"));
    let found = orgs::find_by_custom_domain(&mut conn, "status.acme.test")
        .unwrap()
        .unwrap();
    assert_eq!(found.id, acme);
    let err = orgs::update(&mut conn, &globex, set(Some("status.acme.test"))).unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "got {err:?}");
    // Orgs without one do not collide with each other (NULLs are not equal).
    assert!(
        orgs::get(&mut conn, &globex)
            .unwrap()
            .custom_domain
            .is_none()
    );
    orgs::update(&mut conn, &acme, set(None)).unwrap();
    assert!(
        orgs::find_by_custom_domain(&mut conn, "status.acme.test")
            .unwrap()
            .is_none()
    );
    let taken = orgs::update(&mut conn, &globex, set(Some("status.acme.test"))).unwrap();
    assert_eq!(taken.custom_domain.as_deref(), Some("status.acme.test"));
    let addresses = orgs::all_addresses(&mut conn).unwrap();
    assert!(addresses.contains(&orgs::Address {
        slug: "globex".into(),
        id: globex,
        custom_domain: Some("status.acme.test".into()),
    }));
}

fn user_emails_are_unique_in_any_case(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let ada = person(&mut conn, "Ada@Example.com");
    let err = people::create(
        &mut conn,
        people::NewUser {
            email: "ada@example.COM",
            name: "Impostor",
            password_hash: "x",
        },
    )
    .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "got {err:?}");
    let found = people::find_by_email(&mut conn, "ADA@example.com")
        .unwrap()
        .unwrap();
    assert_eq!(found.id, ada);
    assert_eq!(found.email, "ada@example.com");
}

fn a_user_joins_an_org_once_with_a_role(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let acme = org(&mut conn, "acme");
    let globex = org(&mut conn, "globex");
    let ada = person(&mut conn, "ada@example.com");
    members::add(&mut conn, &acme, &ada, Role::Owner).unwrap();
    members::add(&mut conn, &globex, &ada, Role::Viewer).unwrap();
    let err = members::add(&mut conn, &acme, &ada, Role::Editor).unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "got {err:?}");

    assert_eq!(
        members::role_of(&mut conn, &acme, &ada).unwrap(),
        Some(Role::Owner)
    );
    assert_eq!(
        members::role_of(&mut conn, &globex, &ada).unwrap(),
        Some(Role::Viewer)
    );
    let other = person(&mut conn, "bob@example.com");
    assert_eq!(members::role_of(&mut conn, &acme, &other).unwrap(), None);
    let mine: Vec<_> = members::orgs_of_user(&mut conn, &ada)
        .unwrap()
        .into_iter()
        .map(|(org, role)| (org.slug, role))
        .collect();
    assert_eq!(
        mine,
        vec![
            ("acme".to_string(), Role::Owner),
            ("globex".to_string(), Role::Viewer)
        ]
    );
}

/// Inserts one row in each org-owned table, tied together as the API will.
fn populate(conn: &mut DbConnection, org: &OrgId, user: &UserId) {
    let now = upstate_store::now();
    let org = org.as_str();
    diesel::insert_into(service_groups::table)
        .values((
            service_groups::id.eq(format!("g-{org}")),
            service_groups::org_id.eq(org),
            service_groups::name.eq("Core"),
            service_groups::position.eq(0),
            service_groups::created_at.eq(now),
            service_groups::updated_at.eq(now),
        ))
        .execute(conn)
        .unwrap();
    diesel::insert_into(services::table)
        .values((
            services::id.eq(format!("s-{org}")),
            services::org_id.eq(org),
            services::group_id.eq(format!("g-{org}")),
            services::name.eq("API"),
            services::status.eq(ServiceStatus::MajorOutage.as_str()),
            services::manual_status.eq(ServiceStatus::Operational.as_str()),
            services::position.eq(0),
            services::created_at.eq(now),
            services::updated_at.eq(now),
        ))
        .execute(conn)
        .unwrap();
    diesel::insert_into(incidents::table)
        .values((
            incidents::id.eq(format!("i-{org}")),
            incidents::org_id.eq(org),
            incidents::title.eq("API down"),
            incidents::status.eq("investigating"),
            incidents::impact.eq("major"),
            incidents::created_by.eq(user.as_str()),
            incidents::created_at.eq(now),
            incidents::updated_at.eq(now),
        ))
        .execute(conn)
        .unwrap();
    diesel::insert_into(incident_updates::table)
        .values((
            incident_updates::id.eq(format!("u-{org}")),
            incident_updates::org_id.eq(org),
            incident_updates::incident_id.eq(format!("i-{org}")),
            incident_updates::status.eq("investigating"),
            incident_updates::message.eq("Looking into it."),
            incident_updates::author_user_id.eq(user.as_str()),
            incident_updates::created_at.eq(now),
        ))
        .execute(conn)
        .unwrap();
    diesel::insert_into(incident_services::table)
        .values((
            incident_services::incident_id.eq(format!("i-{org}")),
            incident_services::service_id.eq(format!("s-{org}")),
            incident_services::org_id.eq(org),
            incident_services::status.eq("major_outage"),
        ))
        .execute(conn)
        .unwrap();
    diesel::insert_into(maintenances::table)
        .values((
            maintenances::id.eq(format!("m-{org}")),
            maintenances::org_id.eq(org),
            maintenances::title.eq("Upgrade"),
            maintenances::status.eq("scheduled"),
            maintenances::scheduled_start.eq(now),
            maintenances::scheduled_end.eq(now + chrono::Duration::hours(1)),
            maintenances::auto_transition.eq(true),
            maintenances::created_at.eq(now),
            maintenances::updated_at.eq(now),
        ))
        .execute(conn)
        .unwrap();
    diesel::insert_into(maintenance_services::table)
        .values((
            maintenance_services::maintenance_id.eq(format!("m-{org}")),
            maintenance_services::service_id.eq(format!("s-{org}")),
            maintenance_services::org_id.eq(org),
        ))
        .execute(conn)
        .unwrap();
    diesel::insert_into(service_status_changes::table)
        .values((
            service_status_changes::id.eq(format!("c-{org}")),
            service_status_changes::org_id.eq(org),
            service_status_changes::service_id.eq(format!("s-{org}")),
            service_status_changes::status.eq("major_outage"),
            service_status_changes::source.eq("incident"),
            service_status_changes::incident_id.eq(format!("i-{org}")),
            service_status_changes::changed_at.eq(now),
        ))
        .execute(conn)
        .unwrap();
}

/// How many rows of the org's tables belong to `org`.
fn count_owned(conn: &mut DbConnection, org: &str) -> i64 {
    macro_rules! rows_of {
        ($($table:ident),*) => {
            0 $(+ $table::table
                .filter($table::org_id.eq(org))
                .count()
                .get_result::<i64>(conn)
                .unwrap())*
        };
    }
    rows_of!(
        services,
        service_groups,
        incidents,
        incident_updates,
        incident_services,
        maintenances,
        maintenance_services,
        service_status_changes,
        memberships,
        events
    )
}

fn deleting_an_org_removes_everything_it_owns_and_keeps_its_people(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let acme = org(&mut conn, "acme");
    let globex = org(&mut conn, "globex");
    let ada = person(&mut conn, "ada@example.com");
    members::add(&mut conn, &acme, &ada, Role::Owner).unwrap();
    members::add(&mut conn, &globex, &ada, Role::Owner).unwrap();
    populate(&mut conn, &acme, &ada);
    populate(&mut conn, &globex, &ada);
    upstate_store::events::append(
        &mut conn,
        &acme,
        EventKind::ServiceUpdated,
        &serde_json::json!({}),
        None,
    )
    .unwrap();
    assert_eq!(count_owned(&mut conn, acme.as_str()), 10);

    orgs::delete(&mut conn, &acme).unwrap();

    assert_eq!(count_owned(&mut conn, acme.as_str()), 0);
    assert_eq!(
        count_owned(&mut conn, globex.as_str()),
        9,
        "the other org keeps its rows"
    );
    assert_eq!(
        users::table.count().get_result::<i64>(&mut conn).unwrap(),
        1
    );
    assert!(matches!(
        orgs::delete(&mut conn, &acme).unwrap_err(),
        StoreError::NotFound(upstate_store::Missing::Organization)
    ));
}

fn foreign_keys_refuse_rows_of_a_missing_org(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let now = upstate_store::now();
    let err: StoreError = diesel::insert_into(service_groups::table)
        .values((
            service_groups::id.eq("g1"),
            service_groups::org_id.eq("no-such-org"),
            service_groups::name.eq("Core"),
            service_groups::position.eq(0),
            service_groups::created_at.eq(now),
            service_groups::updated_at.eq(now),
        ))
        .execute(&mut conn)
        .unwrap_err()
        .into();
    assert!(
        matches!(err, StoreError::MissingReference(_)),
        "got {err:?}"
    );
}

fn check_constraints_refuse_unknown_statuses(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let acme = org(&mut conn, "acme");
    let now = upstate_store::now();
    let result = diesel::insert_into(services::table)
        .values((
            services::id.eq("s1"),
            services::org_id.eq(acme.as_str()),
            services::name.eq("API"),
            services::status.eq("down"),
            services::manual_status.eq("operational"),
            services::position.eq(0),
            services::created_at.eq(now),
            services::updated_at.eq(now),
        ))
        .execute(&mut conn);
    assert!(result.is_err(), "an unknown status was stored");
    let result = diesel::insert_into(memberships::table)
        .values((
            memberships::org_id.eq(acme.as_str()),
            memberships::user_id.eq(person(&mut conn, "a@b.c").as_str()),
            memberships::role.eq("root"),
            memberships::created_at.eq(now),
            memberships::updated_at.eq(now),
        ))
        .execute(&mut conn);
    assert!(result.is_err(), "an unknown role was stored");
}

fn event_seq_has_no_gaps_or_repeats_under_concurrent_writers(engine: Engine) {
    let test = TestDb::new(engine);
    let acme = test.db.write(|conn| Ok(org(conn, "acme"))).unwrap();
    let threads: Vec<_> = (0..6)
        .map(|t| {
            let db = test.db.clone();
            let acme = acme.clone();
            std::thread::spawn(move || {
                for i in 0..15 {
                    db.write(|conn| {
                        upstate_store::events::append(
                            conn,
                            &acme,
                            EventKind::ServiceUpdated,
                            &serde_json::json!({"thread": t, "i": i}),
                            None,
                        )
                    })
                    .unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let mut conn = test.db.conn().unwrap();
    let seqs: Vec<i64> = upstate_store::events::after(&mut conn, &acme, 0, 1000)
        .unwrap()
        .into_iter()
        .map(|event| event.seq)
        .collect();
    assert_eq!(seqs, (1..=90).collect::<Vec<i64>>());
    assert_eq!(
        upstate_store::events::current_seq(&mut conn, &acme).unwrap(),
        90
    );
    let tail = upstate_store::events::after(&mut conn, &acme, 88, 10).unwrap();
    assert_eq!(tail.len(), 2);
    assert_eq!(tail[0].event_type, EventKind::ServiceUpdated);
}

fn a_failed_write_leaves_nothing_behind(engine: Engine) {
    let test = TestDb::new(engine);
    let result: Result<(), StoreError> = test.db.write(|conn| {
        let acme = org(conn, "acme");
        upstate_store::events::append(
            conn,
            &acme,
            EventKind::PageUpdated,
            &serde_json::json!({}),
            None,
        )?;
        // The second org's slug is taken: the whole write must go.
        orgs::create(
            conn,
            orgs::NewOrganization {
                name: "Again",
                slug: "acme",
            },
        )?;
        Ok(())
    });
    assert!(matches!(result, Err(StoreError::Conflict(_))));
    let mut conn = test.db.conn().unwrap();
    assert!(orgs::find_by_slug(&mut conn, "acme").unwrap().is_none());
    assert_eq!(
        events::table.count().get_result::<i64>(&mut conn).unwrap(),
        0
    );
}

fn timestamps_round_trip_at_microsecond_precision(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let created = orgs::create(
        &mut conn,
        orgs::NewOrganization {
            name: "Acme",
            slug: "acme",
        },
    )
    .unwrap();
    let read = orgs::get(&mut conn, &created.id).unwrap();
    assert_eq!(read, created);
    assert_ne!(
        chrono::Timelike::nanosecond(&read.created_at) % 1000,
        1,
        "sub-microsecond digits are dropped before storing"
    );
}

#[test]
fn sqlite_connections_enforce_foreign_keys_and_use_wal() {
    let test = TestDb::sqlite();
    // Hold several connections at once so the pool opens new ones.
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut conn = test.db.conn().unwrap();
        #[derive(QueryableByName)]
        struct Pragma {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            foreign_keys: i32,
        }
        #[derive(QueryableByName)]
        struct Journal {
            #[diesel(sql_type = diesel::sql_types::Text)]
            journal_mode: String,
        }
        let fk = diesel::sql_query("PRAGMA foreign_keys")
            .get_result::<Pragma>(&mut *conn)
            .unwrap();
        let journal = diesel::sql_query("PRAGMA journal_mode")
            .get_result::<Journal>(&mut *conn)
            .unwrap();
        assert_eq!(fk.foreign_keys, 1);
        assert_eq!(journal.journal_mode, "wal");
        held.push(conn);
    }
}

#[test]
fn an_unreachable_postgres_is_reported_in_one_sentence_without_the_password() {
    let err = upstate_store::Db::connect(
        "postgres://upstate:hunter2@127.0.0.1:1/upstate",
        PoolOptions::default(),
    )
    .err()
    .expect("nothing listens on port 1");
    let message = err.to_string();
    assert!(matches!(err, StoreError::Unavailable(_)));
    assert!(
        message.starts_with(
            "could not open the database at postgres://upstate:***@127.0.0.1:1/upstate"
        ),
        "{message}"
    );
    assert!(!message.contains("hunter2"));
    assert!(!message.contains('\n'));
}

#[test]
fn without_a_server_a_postgres_test_fails_and_says_how_to_get_one() {
    let outcome = std::panic::catch_unwind(|| {
        TestDb::postgres_at("postgres://postgres@127.0.0.1:1/postgres");
    });
    let payload = outcome.expect_err("no server listens on port 1, so the test must fail");
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(
        message.starts_with("PostgreSQL tests need a server, and none answered at postgres://postgres@127.0.0.1:1/postgres"),
        "{message}"
    );
    assert!(message.contains("just test"), "{message}");
    assert!(message.contains("UPSTATE_TEST_POSTGRES_URL"), "{message}");
}

#[test]
fn an_unknown_scheme_is_a_configuration_error() {
    let err = upstate_store::Db::connect("mysql://root@localhost/upstate", PoolOptions::default())
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::Config(_)));
}

#[test]
fn the_sqlite_file_and_its_folder_are_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/deeper/upstate.db");
    let db = upstate_store::Db::connect(
        &format!("sqlite://{}", path.display()),
        PoolOptions::default(),
    )
    .unwrap();
    db.migrate().unwrap();
    assert!(path.exists());
    db.ping().unwrap();
    let mut conn = db.conn().unwrap();
    conn.batch_execute("SELECT 1").unwrap();
}

fn an_incident_holds_a_bounded_number_of_updates(engine: Engine) {
    use upstate_shared::{IncidentId, IncidentStatus};
    use upstate_store::{effective::Cause, incidents as incident_store};
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let org = org(&mut conn, "acme");
    let user = person(&mut conn, "ops@acme.test");
    populate(&mut conn, &org, &user);
    let id = IncidentId(format!("i-{}", org.as_str()));
    let now = upstate_store::now();
    let rows: Vec<_> = (1..incident_store::MAX_UPDATES - 1)
        .map(|n| {
            (
                incident_updates::id.eq(format!("u-{n}")),
                incident_updates::org_id.eq(org.as_str()),
                incident_updates::incident_id.eq(id.as_str()),
                incident_updates::status.eq("investigating"),
                incident_updates::message.eq("Still looking."),
                incident_updates::created_at.eq(now),
            )
        })
        .collect();
    // One row at a time (no batch insert through the MultiConnection), in one transaction.
    (*conn)
        .transaction::<_, diesel::result::Error, _>(|conn| {
            for row in rows {
                diesel::insert_into(incident_updates::table)
                    .values(row)
                    .execute(conn)?;
            }
            Ok(())
        })
        .unwrap();
    let cause = Cause {
        user: Some(user.clone()),
        ..Cause::default()
    };
    let post = |conn: &mut DbConnection| {
        incident_store::add_update(
            conn,
            &org,
            &id,
            IncidentStatus::Identified,
            "Found it.",
            None,
            &cause,
        )
    };
    let (full, _) = post(&mut conn).expect("the 500th update is taken");
    assert_eq!(full.updates.len() as i64, incident_store::MAX_UPDATES);
    match post(&mut conn) {
        Err(StoreError::Invalid(field, problem)) => {
            assert_eq!(field, "message");
            assert!(problem.contains("500 updates"), "{problem}");
        }
        other => panic!(
            "the 501st update must be refused, got {:?}",
            other.map(|_| ())
        ),
    }
}

fn a_link_token_works_once_and_only_for_its_purpose(engine: Engine) {
    use upstate_store::link_tokens::{self, Purpose};
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let ada = person(&mut conn, "ada@example.com");
    let week = upstate_store::now() + chrono::Duration::days(7);
    link_tokens::create(&mut conn, &ada, Purpose::PasswordReset, "reset-hash", week).unwrap();
    assert!(link_tokens::is_valid(&mut conn, Purpose::PasswordReset, "reset-hash").unwrap());
    assert!(!link_tokens::is_valid(&mut conn, Purpose::EmailVerification, "reset-hash").unwrap());
    assert_eq!(
        link_tokens::consume(&mut conn, Purpose::EmailVerification, "reset-hash").unwrap(),
        None,
        "a reset link confirms no address"
    );
    assert_eq!(
        link_tokens::consume(&mut conn, Purpose::PasswordReset, "reset-hash").unwrap(),
        Some(ada)
    );
    assert_eq!(
        link_tokens::consume(&mut conn, Purpose::PasswordReset, "reset-hash").unwrap(),
        None,
        "a link works once"
    );
    assert!(!link_tokens::is_valid(&mut conn, Purpose::PasswordReset, "reset-hash").unwrap());
}

/// `2026-11-30-140000_link_tokens` merges the reset and confirmation tables: run down, fill the
/// old tables, run up again, and every link is there with its purpose.
fn merging_the_link_tables_keeps_every_link(engine: Engine) {
    let (up, down) = match engine {
        Engine::Sqlite => (
            include_str!("../../../migrations/sqlite/2026-11-30-140000_link_tokens/up.sql"),
            include_str!("../../../migrations/sqlite/2026-11-30-140000_link_tokens/down.sql"),
        ),
        Engine::Postgres => (
            include_str!("../../../migrations/postgres/2026-11-30-140000_link_tokens/up.sql"),
            include_str!("../../../migrations/postgres/2026-11-30-140000_link_tokens/down.sql"),
        ),
    };
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let ada = person(&mut conn, "ada@example.com");
    conn.batch_execute(down).unwrap();
    conn.batch_execute(&format!(
        "INSERT INTO password_resets (id, user_id, token_hash, created_at, expires_at) \
         VALUES ('r1', '{user}', 'reset-hash', '2026-11-30 10:00:00', '2099-01-01 00:00:00'); \
         INSERT INTO email_verifications (id, user_id, token_hash, created_at, expires_at, used_at) \
         VALUES ('v1', '{user}', 'verify-hash', '2026-11-30 10:00:00', '2099-01-01 00:00:00', \
                 '2026-11-30 11:00:00');",
        user = ada.as_str()
    ))
    .unwrap();
    conn.batch_execute(up).unwrap();
    use upstate_store::schema::link_tokens;
    let rows: Vec<(String, String, String, bool)> = link_tokens::table
        .order(link_tokens::id.asc())
        .select((
            link_tokens::id,
            link_tokens::purpose,
            link_tokens::token_hash,
            link_tokens::used_at.is_not_null(),
        ))
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        rows,
        [
            (
                "r1".into(),
                "password_reset".into(),
                "reset-hash".into(),
                false
            ),
            (
                "v1".into(),
                "email_verification".into(),
                "verify-hash".into(),
                true
            ),
        ]
    );
}
