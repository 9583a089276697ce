//! The domain's rules, kept by the store (whatever calls it: a route, the scheduler, a command):
//! the team's rules, the postmortem rule, services belonging to their org, a maintenance
//! window's moves and the effective status of services they and incidents cause. Every test
//! runs on SQLite and on PostgreSQL.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;
use chrono::Duration;
use common::{on_both_engines, org, person};
use upstate_shared::{
    ImpactLevel, IncidentStatus, MaintenanceId, MaintenanceStatus, OrgId, Role, ServiceId,
    ServiceStatus,
};
use upstate_store::effective::Cause;
use upstate_store::memberships::{self as members, Leaving};
use upstate_store::testing::TestDb;
use upstate_store::{
    DbConnection, Engine, StoreError, TeamRule, incidents, invitations, maintenances, services,
};

on_both_engines!(
    only_owners_touch_owners_and_the_last_owner_stays,
    invitations_keep_the_team_rules,
    a_postmortem_waits_for_the_incident_to_be_resolved,
    services_named_must_be_the_orgs_own,
    a_maintenance_window_moves_forward_and_holds_its_services_meanwhile,
    incidents_set_the_worst_status_and_give_back_the_manual_one,
);

fn service(conn: &mut DbConnection, org: &OrgId, name: &str) -> ServiceId {
    services::create(
        conn,
        org,
        services::NewService {
            name,
            description: "",
            group: None,
            status: ServiceStatus::Operational,
            display: upstate_shared::ServiceDisplay::Always,
        },
        &Cause::default(),
    )
    .unwrap()
    .id
}

fn status_of(conn: &mut DbConnection, org: &OrgId, id: &ServiceId) -> ServiceStatus {
    services::get(conn, org, id).unwrap().status
}

fn team_rule<T: std::fmt::Debug>(result: Result<T, StoreError>) -> TeamRule {
    match result {
        Err(StoreError::Team(rule)) => rule,
        other => panic!("expected a team rule, got {other:?}"),
    }
}

fn only_owners_touch_owners_and_the_last_owner_stays(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let acme = org(&mut conn, "acme");
    let (owner, admin, editor) = (
        person(&mut conn, "owner@example.com"),
        person(&mut conn, "admin@example.com"),
        person(&mut conn, "editor@example.com"),
    );
    members::add(&mut conn, &acme, &owner, Role::Owner).unwrap();
    members::add(&mut conn, &acme, &admin, Role::Admin).unwrap();
    members::add(&mut conn, &acme, &editor, Role::Editor).unwrap();

    // An admin manages roles below owner, but neither gives nor takes the owner role.
    assert_eq!(
        members::change_role(&mut conn, &acme, &editor, Role::Viewer, Role::Admin).unwrap(),
        Role::Editor
    );
    assert_eq!(
        team_rule(members::change_role(
            &mut conn,
            &acme,
            &editor,
            Role::Owner,
            Role::Admin
        )),
        TeamRule::OwnersOnly
    );
    assert_eq!(
        team_rule(members::change_role(
            &mut conn,
            &acme,
            &owner,
            Role::Admin,
            Role::Admin
        )),
        TeamRule::OwnersOnly
    );
    assert_eq!(
        team_rule(members::leave(
            &mut conn,
            &acme,
            &owner,
            Leaving::RemovedBy(Role::Admin)
        )),
        TeamRule::OwnersOnly
    );
    // The only owner can neither step down nor leave.
    assert_eq!(
        team_rule(members::change_role(
            &mut conn,
            &acme,
            &owner,
            Role::Admin,
            Role::Owner
        )),
        TeamRule::LastOwner
    );
    assert_eq!(
        team_rule(members::leave(&mut conn, &acme, &owner, Leaving::Themself)),
        TeamRule::LastOwner
    );
    assert_eq!(
        members::role_of(&mut conn, &acme, &owner).unwrap(),
        Some(Role::Owner)
    );
    // With a second owner, the first may go.
    members::change_role(&mut conn, &acme, &admin, Role::Owner, Role::Owner).unwrap();
    assert_eq!(
        members::leave(&mut conn, &acme, &owner, Leaving::Themself).unwrap(),
        Role::Owner
    );
    assert_eq!(members::role_of(&mut conn, &acme, &owner).unwrap(), None);
    // Anyone may leave; someone who is not a member is not found.
    members::leave(&mut conn, &acme, &editor, Leaving::Themself).unwrap();
    assert!(matches!(
        members::leave(&mut conn, &acme, &editor, Leaving::Themself),
        Err(StoreError::NotFound(upstate_store::Missing::Member))
    ));
}

fn invitations_keep_the_team_rules(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let acme = org(&mut conn, "acme");
    let owner = person(&mut conn, "owner@example.com");
    members::add(&mut conn, &acme, &owner, Role::Owner).unwrap();
    let invite = |conn: &mut DbConnection, email: &str, role: Role, by: Role, hash: &str| {
        invitations::create(
            conn,
            &acme,
            invitations::NewInvitation {
                email,
                role,
                by,
                invited_by: None,
                token_hash: hash,
                expires_at: upstate_store::now() + Duration::days(7),
            },
        )
    };
    assert_eq!(
        team_rule(invite(
            &mut conn,
            "new@example.com",
            Role::Owner,
            Role::Admin,
            "h1"
        )),
        TeamRule::OwnersOnly
    );
    assert_eq!(
        team_rule(invite(
            &mut conn,
            "OWNER@example.com",
            Role::Viewer,
            Role::Owner,
            "h2"
        )),
        TeamRule::AlreadyMember
    );
    invite(
        &mut conn,
        "grace@example.com",
        Role::Editor,
        Role::Admin,
        "h3",
    )
    .unwrap();

    // Only the person it was sent to accepts it, once.
    let someone = person(&mut conn, "someone@example.com");
    assert_eq!(
        team_rule(invitations::accept(&mut conn, "h3", &someone)),
        TeamRule::InvitationForSomeoneElse
    );
    let grace = person(&mut conn, "grace@example.com");
    let accepted = invitations::accept(&mut conn, "h3", &grace).unwrap();
    assert_eq!(accepted.role, Role::Editor);
    assert_eq!(
        members::role_of(&mut conn, &acme, &grace).unwrap(),
        Some(Role::Editor)
    );
    assert_eq!(
        team_rule(invitations::accept(&mut conn, "h3", &grace)),
        TeamRule::InvitationNotValid
    );
    assert_eq!(
        team_rule(invitations::accept(&mut conn, "no such token", &grace)),
        TeamRule::InvitationNotValid
    );
    // A second invitation to a member who joined meanwhile cannot be accepted either.
    invite(
        &mut conn,
        "someone@example.com",
        Role::Viewer,
        Role::Owner,
        "h4",
    )
    .unwrap();
    members::add(&mut conn, &acme, &someone, Role::Viewer).unwrap();
    assert_eq!(
        team_rule(invitations::accept(&mut conn, "h4", &someone)),
        TeamRule::AlreadyMember
    );
}

fn a_postmortem_waits_for_the_incident_to_be_resolved(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let acme = org(&mut conn, "acme");
    let (incident, _) = incidents::create(
        &mut conn,
        &acme,
        incidents::NewIncident {
            title: "Slow API",
            status: IncidentStatus::Investigating,
            impact: ImpactLevel::Minor,
            message: "Looking into it.",
            affected: &[],
        },
        &Cause::default(),
    )
    .unwrap();
    let id = incident.incident.id.clone();
    let postmortem = || incidents::Changes {
        postmortem: Some(Some("What happened.".into())),
        ..Default::default()
    };
    match incidents::update(&mut conn, &acme, &id, postmortem()) {
        Err(StoreError::Invalid(field, _)) => assert_eq!(field, "postmortem"),
        other => panic!("a postmortem of an open incident: {other:?}"),
    }
    incidents::add_update(
        &mut conn,
        &acme,
        &id,
        IncidentStatus::Resolved,
        "Fixed.",
        None,
        &Cause::default(),
    )
    .unwrap();
    let written = incidents::update(&mut conn, &acme, &id, postmortem()).unwrap();
    assert_eq!(
        written.incident.postmortem.as_deref(),
        Some("What happened.")
    );
}

fn services_named_must_be_the_orgs_own(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let acme = org(&mut conn, "acme");
    let beta = org(&mut conn, "beta");
    let api = service(&mut conn, &acme, "API");
    let web = service(&mut conn, &acme, "Web");
    let theirs = service(&mut conn, &beta, "Theirs");
    services::all_in_org(&mut conn, &acme, "affected", &[api.clone(), web.clone()]).unwrap();
    services::all_in_org(&mut conn, &acme, "affected", &[]).unwrap();
    for (ids, index) in [
        (vec![api.clone(), theirs.clone()], "affected[1]"),
        (vec![ServiceId("no-such-service".to_owned())], "affected[0]"),
    ] {
        match services::all_in_org(&mut conn, &acme, "affected", &ids) {
            Err(StoreError::Invalid(field, problem)) => {
                assert_eq!(field, index);
                assert_eq!(problem, "no such service");
            }
            other => panic!("{ids:?}: {other:?}"),
        }
    }
    // The store's writes keep the rule themselves, whoever calls them.
    let theirs_affected = [(theirs.clone(), ServiceStatus::MajorOutage)];
    let declared = incidents::create(
        &mut conn,
        &acme,
        incidents::NewIncident {
            title: "Not ours",
            status: IncidentStatus::Investigating,
            impact: ImpactLevel::Major,
            message: "Looking into it.",
            affected: &theirs_affected,
        },
        &Cause::default(),
    );
    assert!(
        matches!(&declared, Err(StoreError::Invalid(field, _)) if field == "affected[0]"),
        "{declared:?}"
    );
    let now = upstate_store::now();
    let scheduled = maintenances::create(
        &mut conn,
        &acme,
        maintenances::NewMaintenance {
            title: "Not ours",
            description: "",
            scheduled_start: now + Duration::hours(1),
            scheduled_end: now + Duration::hours(2),
            auto_transition: false,
            service_ids: &[api.clone(), theirs.clone()],
        },
        &Cause::default(),
    );
    assert!(
        matches!(&scheduled, Err(StoreError::Invalid(field, _)) if field == "service_ids[1]"),
        "{}",
        scheduled.is_ok()
    );
    // Nothing of the refused writes was kept: the other tenant's service is as it was.
    assert_eq!(
        status_of(&mut conn, &beta, &theirs),
        ServiceStatus::Operational
    );
}

fn a_maintenance_window_moves_forward_and_holds_its_services_meanwhile(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let acme = org(&mut conn, "acme");
    let (api, web) = (
        service(&mut conn, &acme, "API"),
        service(&mut conn, &acme, "Web"),
    );
    let now = upstate_store::now();
    let window = |conn: &mut DbConnection| {
        let created = maintenances::create(
            conn,
            &acme,
            maintenances::NewMaintenance {
                title: "Database upgrade",
                description: "",
                scheduled_start: now + Duration::hours(1),
                scheduled_end: now + Duration::hours(2),
                auto_transition: false,
                service_ids: std::slice::from_ref(&api),
            },
            &Cause::default(),
        )
        .unwrap();
        created.maintenance.id
    };
    let moving = |conn: &mut DbConnection, id: &MaintenanceId, to: MaintenanceStatus| {
        maintenances::transition(conn, &acme, id, to, "A step.", &Cause::default())
    };

    let id = window(&mut conn);
    let updates_at_first = maintenances::get(&mut conn, &acme, &id)
        .unwrap()
        .updates
        .len();
    // Not started: nothing to complete.
    assert!(matches!(
        moving(&mut conn, &id, MaintenanceStatus::Completed),
        Err(StoreError::Stale(_))
    ));
    let (started, moved) = moving(&mut conn, &id, MaintenanceStatus::InProgress).unwrap();
    assert_eq!(started.maintenance.status, MaintenanceStatus::InProgress);
    assert!(started.maintenance.started_at.is_some());
    assert_eq!(moved, vec![api.clone()]);
    assert_eq!(
        status_of(&mut conn, &acme, &api),
        ServiceStatus::UnderMaintenance
    );
    assert_eq!(
        status_of(&mut conn, &acme, &web),
        ServiceStatus::Operational
    );
    // No way back to scheduled.
    assert!(matches!(
        moving(&mut conn, &id, MaintenanceStatus::Scheduled),
        Err(StoreError::Stale(_))
    ));
    let (done, moved) = moving(&mut conn, &id, MaintenanceStatus::Completed).unwrap();
    assert_eq!(done.maintenance.status, MaintenanceStatus::Completed);
    assert_eq!(moved, vec![api.clone()]);
    assert_eq!(
        status_of(&mut conn, &acme, &api),
        ServiceStatus::Operational
    );
    // Over: nothing moves it any more; each move left an update, each refusal none.
    for to in MaintenanceStatus::ALL {
        assert!(
            matches!(moving(&mut conn, &id, *to), Err(StoreError::Stale(_))),
            "completed → {to}"
        );
    }
    assert_eq!(
        maintenances::get(&mut conn, &acme, &id)
            .unwrap()
            .updates
            .len(),
        updates_at_first + 2
    );

    // A window cancelled before it starts never touches its services.
    let other = window(&mut conn);
    let (cancelled, moved) = moving(&mut conn, &other, MaintenanceStatus::Cancelled).unwrap();
    assert_eq!(cancelled.maintenance.status, MaintenanceStatus::Cancelled);
    assert!(moved.is_empty());
    assert_eq!(
        status_of(&mut conn, &acme, &api),
        ServiceStatus::Operational
    );
}

fn incidents_set_the_worst_status_and_give_back_the_manual_one(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let acme = org(&mut conn, "acme");
    let api = service(&mut conn, &acme, "API");
    services::set_manual_status(
        &mut conn,
        &acme,
        &api,
        ServiceStatus::DegradedPerformance,
        &Cause::default(),
    )
    .unwrap();
    let declare = |conn: &mut DbConnection, status: ServiceStatus| {
        let (full, _) = incidents::create(
            conn,
            &acme,
            incidents::NewIncident {
                title: "Trouble",
                status: IncidentStatus::Investigating,
                impact: ImpactLevel::Major,
                message: "Looking into it.",
                affected: &[(api.clone(), status)],
            },
            &Cause::default(),
        )
        .unwrap();
        full.incident.id
    };
    let resolve = |conn: &mut DbConnection, id: &upstate_shared::IncidentId| {
        incidents::add_update(
            conn,
            &acme,
            id,
            IncidentStatus::Resolved,
            "Fixed.",
            None,
            &Cause::default(),
        )
        .unwrap()
    };
    let partial = declare(&mut conn, ServiceStatus::PartialOutage);
    assert_eq!(
        status_of(&mut conn, &acme, &api),
        ServiceStatus::PartialOutage
    );
    let major = declare(&mut conn, ServiceStatus::MajorOutage);
    assert_eq!(
        status_of(&mut conn, &acme, &api),
        ServiceStatus::MajorOutage
    );
    // Resolving the worse one leaves what the other holds; resolving both gives back the status
    // set by hand.
    resolve(&mut conn, &major);
    assert_eq!(
        status_of(&mut conn, &acme, &api),
        ServiceStatus::PartialOutage
    );
    let (_, moved) = resolve(&mut conn, &partial);
    assert_eq!(moved, vec![api.clone()]);
    assert_eq!(
        status_of(&mut conn, &acme, &api),
        ServiceStatus::DegradedPerformance
    );
}
