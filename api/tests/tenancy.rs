//! Tenant isolation and roles: every org-scoped route hides other tenants' data, each role
//! stops at its boundary, and the team's flows (organizations, invitations, API keys, the
//! audit log) hold their rules.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{Account, TestApp, link_in, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashMap;
use upstate_store::Engine;

on_both_engines!(
    no_org_scoped_route_leaks_to_another_tenant_or_an_anonymous_caller,
    each_role_stops_at_its_boundary,
    the_last_owner_can_neither_leave_nor_be_demoted,
    organizations_are_created_updated_and_deleted_with_their_rules,
    an_invitation_is_accepted_once_by_the_invited_email,
    api_keys_act_only_in_their_org_with_their_role,
    the_audit_log_pages_through_what_happened,
    the_audit_log_shows_a_members_sign_ins_only_since_they_joined,
    on_a_custom_domain_no_route_answers_but_the_pages_own_reads,
    an_org_requiring_two_factor_refuses_a_member_without_it_on_every_route,
);

/// A body a real client would send to each write of the API, so that the tenant check, not the
/// input check, is what answers. A new write route needs a line here (the test says so).
fn sample_body(method: &Method, path: &str) -> Option<Value> {
    let body = match (method.as_str(), path) {
        ("PATCH", "/api/v1/orgs/{org}") => json!({"name": "Renamed by an intruder"}),
        ("PUT", "/api/v1/orgs/{org}/branding") => json!({"footer_text": "Defaced"}),
        ("POST", "/api/v1/orgs/{org}/branding/preview") => json!({"footer_text": "Defaced"}),
        ("PUT", "/api/v1/orgs/{org}/page-access") => json!({"mode": "members"}),
        ("PUT", "/api/v1/orgs/{org}/security") => json!({"require_two_factor": false}),
        ("PUT", "/api/v1/orgs/{org}/sso") => json!({
            "issuer_url": "https://login.intruder.test", "client_id": "intruder",
            "client_secret": "intruder", "email_domains": ["intruder.test"], "default_role": "admin"
        }),
        ("PATCH", "/api/v1/orgs/{org}/members/{user_id}") => json!({"role": "viewer"}),
        ("POST", "/api/v1/orgs/{org}/invitations") => {
            json!({"email": "intruder@example.com", "role": "admin"})
        }
        ("POST", "/api/v1/orgs/{org}/api-keys") => json!({"name": "intruder", "role": "admin"}),
        ("POST", "/api/v1/orgs/{org}/services") => json!({"name": "Intruder's service"}),
        ("PATCH", "/api/v1/orgs/{org}/services/{service_id}") => json!({"status": "major_outage"}),
        ("POST", "/api/v1/orgs/{org}/services/{service_id}/move") => json!({"position": 0}),
        ("POST", "/api/v1/orgs/{org}/service-groups") => json!({"name": "Intruders"}),
        ("PATCH", "/api/v1/orgs/{org}/service-groups/{group_id}") => json!({"name": "Renamed"}),
        ("POST", "/api/v1/orgs/{org}/service-groups/{group_id}/move") => json!({"position": 0}),
        ("POST", "/api/v1/orgs/{org}/incidents") => json!({
            "title": "Fake outage", "status": "investigating", "impact": "critical",
            "message": "Everything is down", "affected": []
        }),
        ("PATCH", "/api/v1/orgs/{org}/incidents/{incident_id}") => json!({"title": "Renamed"}),
        ("POST", "/api/v1/orgs/{org}/incidents/{incident_id}/updates") => {
            json!({"status": "resolved", "message": "Fixed by an intruder"})
        }
        ("POST", "/api/v1/orgs/{org}/incident-templates") => json!({
            "name": "Intruder's template", "title": "Fake outage", "impact": "critical",
            "message": "Everything is down"
        }),
        ("PATCH", "/api/v1/orgs/{org}/incident-templates/{template_id}") => {
            json!({"title": "Renamed by an intruder"})
        }
        ("POST", "/api/v1/orgs/{org}/markdown") => json!({"markdown": "**Preview**"}),
        ("POST", "/api/v1/orgs/{org}/maintenances") => json!({
            "title": "Fake window", "scheduled_start": "2030-01-01T00:00:00Z",
            "scheduled_end": "2030-01-01T01:00:00Z", "service_ids": []
        }),
        ("PATCH", "/api/v1/orgs/{org}/maintenances/{maintenance_id}") => {
            json!({"title": "Renamed"})
        }
        ("POST", "/api/v1/orgs/{org}/maintenances/{maintenance_id}/updates") => {
            json!({"status": "cancelled", "message": "Called off by an intruder"})
        }
        // The auth check answers before the CSV body is read.
        ("POST", "/api/v1/orgs/{org}/subscribers.csv") => json!({}),
        ("POST", "/api/v1/orgs/{org}/imports/statuspage") => json!({
            "summary": serde_json::from_str::<Value>(include_str!("fixtures/statuspage/twilio-summary.json")).unwrap()
        }),
        ("POST", "/api/v1/orgs/{org}/integrations") => json!({
            "kind": "webhook", "name": "Intruder's hook", "url": "http://127.0.0.1:65000/intruder"
        }),
        ("PATCH", "/api/v1/orgs/{org}/integrations/{integration_id}") => {
            json!({"url": "http://127.0.0.1:65000/intruder"})
        }
        (
            "POST",
            "/api/v1/orgs/{org}/integrations/{integration_id}/test"
            | "/api/v1/orgs/{org}/integrations/{integration_id}/deliveries/{delivery_id}/redeliver",
        ) => json!({}),
        ("POST", "/api/v1/orgs/{org}/monitors") => json!({
            "service_id": "no-such-service", "name": "Intruder's check",
            "check": {"kind": "tcp", "host": "127.0.0.1", "port": 9}
        }),
        ("PATCH", "/api/v1/orgs/{org}/monitors/{monitor_id}") => json!({"paused": true}),
        ("POST", "/api/v1/orgs/{org}/monitors/{monitor_id}/test") => json!({}),
        ("GET" | "DELETE", _) => return None,
        _ => panic!("add a sample body for {method} {path} to the tenancy test"),
    };
    Some(body)
}

struct Victim {
    owner: Account,
    editor: Account,
    ids: HashMap<&'static str, String>,
}

async fn victim(app: &TestApp) -> Victim {
    let owner = app.register("owner@victim.test").await;
    let editor = app.register("editor@victim.test").await;
    app.create_org(&owner, "victim").await;
    app.add_member(&owner, "victim", &editor, "editor").await;
    let invitation = app
        .post_as(
            "/api/v1/orgs/victim/invitations",
            &owner.token,
            json!({"email": "later@victim.test", "role": "viewer"}),
        )
        .await;
    let key = app
        .post_as(
            "/api/v1/orgs/victim/api-keys",
            &owner.token,
            json!({"name": "ci", "role": "editor"}),
        )
        .await;
    let group = app
        .post_as(
            "/api/v1/orgs/victim/service-groups",
            &owner.token,
            json!({"name": "Core"}),
        )
        .await;
    let group_id = group.body["id"].as_str().unwrap().to_owned();
    let service = app
        .post_as(
            "/api/v1/orgs/victim/services",
            &owner.token,
            json!({"name": "API", "group_id": group_id}),
        )
        .await;
    let service_id = service.body["id"].as_str().unwrap().to_owned();
    let incident = app
        .post_as(
            "/api/v1/orgs/victim/incidents",
            &owner.token,
            json!({"title": "Slow API", "status": "investigating", "impact": "minor",
                   "message": "Looking", "affected": [{"service_id": service_id, "status": "degraded_performance"}]}),
        )
        .await;
    let maintenance = app
        .post_as(
            "/api/v1/orgs/victim/maintenances",
            &owner.token,
            json!({"title": "Upgrade", "scheduled_start": "2031-01-01T00:00:00Z",
                   "scheduled_end": "2031-01-01T02:00:00Z", "service_ids": [service_id]}),
        )
        .await;
    let integration = app
        .post_as(
            "/api/v1/orgs/victim/integrations",
            &owner.token,
            json!({"kind": "slack", "name": "#ops", "url": "http://127.0.0.1:65000/victim"}),
        )
        .await;
    let monitor = app
        .post_as(
            "/api/v1/orgs/victim/monitors",
            &owner.token,
            json!({"service_id": service_id, "name": "API port", "paused": true,
                   "check": {"kind": "tcp", "host": "127.0.0.1", "port": 9}}),
        )
        .await;
    assert_eq!(monitor.status, 201, "{:?}", monitor.body);
    let template = app
        .post_as(
            "/api/v1/orgs/victim/incident-templates",
            &owner.token,
            json!({"name": "Slow API", "title": "Slow API", "impact": "minor",
                   "message": "Looking", "affected": [{"service_id": service_id, "status": "degraded_performance"}]}),
        )
        .await;
    assert_eq!(template.status, 201, "{:?}", template.body);
    let subscribed = app
        .call(
            Method::POST,
            "/api/v1/public/victim/subscriptions",
            None,
            Some(json!({"email": "fan@victim.test"})),
        )
        .await;
    assert_eq!(subscribed.status, 202, "{:?}", subscribed.body);
    let subscribers = app
        .get_as("/api/v1/orgs/victim/subscribers", &owner.token)
        .await;
    let mut ids = HashMap::new();
    ids.insert(
        "subscriber_id",
        subscribers.body["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
    );
    ids.insert("org", "victim".to_owned());
    ids.insert(
        "integration_id",
        integration.body["integration"]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
    );
    // No delivery exists yet: the org check answers before the delivery is looked for.
    ids.insert("delivery_id", "no-such-delivery".to_owned());
    ids.insert("group_id", group_id);
    ids.insert("service_id", service_id);
    ids.insert(
        "incident_id",
        incident.body["id"].as_str().unwrap().to_owned(),
    );
    ids.insert(
        "maintenance_id",
        maintenance.body["id"].as_str().unwrap().to_owned(),
    );
    ids.insert("user_id", editor.user_id.clone());
    ids.insert(
        "invitation_id",
        invitation.body["id"].as_str().unwrap().to_owned(),
    );
    ids.insert("key_id", key.body["id"].as_str().unwrap().to_owned());
    ids.insert(
        "monitor_id",
        monitor.body["id"].as_str().unwrap().to_owned(),
    );
    ids.insert(
        "template_id",
        template.body["id"].as_str().unwrap().to_owned(),
    );
    // The owner's own session (the account routes, walked on a custom domain).
    let sessions = app.get_as("/api/v1/account/sessions", &owner.token).await;
    ids.insert(
        "session",
        sessions.body["items"][0]["id"].as_str().unwrap().to_owned(),
    );
    // The owner's own passkey, stored as the store keeps one (the walks answer before any
    // WebAuthn check).
    let passkey = {
        let mut conn = app.db.db.conn().unwrap();
        let user: upstate_shared::UserId = owner.user_id.clone().into();
        upstate_store::passkeys::create(
            &mut conn,
            upstate_store::passkeys::NewPasskey {
                user: &user,
                name: "Laptop",
                credential_id: "tenancy-fixture",
                credential: "{}",
            },
        )
        .unwrap()
    };
    ids.insert("passkey", passkey.id);
    Victim { owner, editor, ids }
}

/// The path with each `{param}` replaced by the victim's real id of that kind.
fn concrete(path: &str, ids: &HashMap<&'static str, String>) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').unwrap() + start;
        let name = &rest[start + 1..end];
        let id = ids.get(name).unwrap_or_else(|| {
            panic!("add a fixture for {{{name}}} (in {path}) to the tenancy test")
        });
        out.push_str(&rest[..start]);
        out.push_str(id);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

async fn no_org_scoped_route_leaks_to_another_tenant_or_an_anonymous_caller(engine: Engine) {
    let app = spawn_app(engine).await;
    let victim = victim(&app).await;
    let intruder = app.register("intruder@attacker.test").await;
    app.create_org(&intruder, "attacker").await;
    let intruder_key = app
        .post_as(
            "/api/v1/orgs/attacker/api-keys",
            &intruder.token,
            json!({"name": "k", "role": "owner"}),
        )
        .await
        .body["key"]
        .as_str()
        .unwrap()
        .to_owned();

    let routes: Vec<_> = upstate_api::routes::api_routes()
        .into_iter()
        .filter(|(_, path)| path.starts_with("/api/v1/orgs/{org}"))
        .collect();
    assert!(
        routes.len() >= 12,
        "the walk found only {} org routes",
        routes.len()
    );
    for (method, template) in &routes {
        let method = Method::from_bytes(method.as_str().as_bytes()).unwrap();
        let method = &method;
        let path = concrete(template, &victim.ids);
        let body = sample_body(method, template);
        let anonymous = app.call(method.clone(), &path, None, body.clone()).await;
        assert_eq!(
            (anonymous.status, anonymous.code()),
            (401, "unauthenticated"),
            "anonymous {method} {template}"
        );
        for (who, credential) in [
            ("another org's owner", &intruder.token),
            ("another org's API key", &intruder_key),
        ] {
            let answer = app
                .call(method.clone(), &path, Some(credential), body.clone())
                .await;
            assert_eq!(
                (answer.status, answer.code()),
                (404, "not_found"),
                "{who}: {method} {template} answered {:?}",
                answer.body
            );
        }
    }

    // Nothing of the victim changed.
    let org = app.get_as("/api/v1/orgs/victim", &victim.owner.token).await;
    assert_eq!(org.body["name"], "Org victim");
    let members = app
        .get_as("/api/v1/orgs/victim/members", &victim.owner.token)
        .await;
    assert_eq!(members.body["items"].as_array().unwrap().len(), 2);
    let invitations = app
        .get_as("/api/v1/orgs/victim/invitations", &victim.owner.token)
        .await;
    assert_eq!(invitations.body["items"].as_array().unwrap().len(), 1);
    let keys = app
        .get_as("/api/v1/orgs/victim/api-keys", &victim.owner.token)
        .await;
    assert_eq!(keys.body["items"].as_array().unwrap().len(), 1);
    let me = app.get_as("/api/v1/auth/me", &victim.editor.token).await;
    assert_eq!(me.body["memberships"][0]["role"], "editor");
    let service = app
        .get_as(
            &format!("/api/v1/orgs/victim/services/{}", victim.ids["service_id"]),
            &victim.owner.token,
        )
        .await;
    assert_eq!(
        service.body["status"], "degraded_performance",
        "the intruder's status change did not land"
    );
    assert_eq!(service.body["name"], "API");
    let incidents = app
        .get_as("/api/v1/orgs/victim/incidents", &victim.owner.token)
        .await;
    assert_eq!(
        incidents.body["items"].as_array().unwrap().len(),
        1,
        "no incident was declared by the intruder"
    );
    assert_eq!(incidents.body["items"][0]["status"], "investigating");
    assert_eq!(
        incidents.body["items"][0]["updates"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let maintenance = app
        .get_as(
            &format!(
                "/api/v1/orgs/victim/maintenances/{}",
                victim.ids["maintenance_id"]
            ),
            &victim.owner.token,
        )
        .await;
    assert_eq!(maintenance.body["status"], "scheduled");
    let groups = app
        .get_as("/api/v1/orgs/victim/service-groups", &victim.owner.token)
        .await;
    assert_eq!(groups.body["items"][0]["name"], "Core");
}

/// An owner requires two-factor sign-in (once they have it); then every org route answers a
/// member without it 403 `two_factor_required`, whatever their role, until they turn it on. A
/// key, which is no person, goes on working.
async fn an_org_requiring_two_factor_refuses_a_member_without_it_on_every_route(engine: Engine) {
    let app = spawn_app(engine).await;
    let victim = victim(&app).await;
    let require = |token: String, on: bool| {
        let app = &app;
        async move {
            app.call(
                Method::PUT,
                "/api/v1/orgs/victim/security",
                Some(&token),
                Some(json!({ "require_two_factor": on })),
            )
            .await
        }
    };
    // (The victim's owner has a passkey, a second factor; an owner without one is refused.)
    let solo = app.register("solo@victim.test").await;
    app.create_org(&solo, "solo").await;
    let early = app
        .call(
            Method::PUT,
            "/api/v1/orgs/solo/security",
            Some(&solo.token),
            Some(json!({ "require_two_factor": true })),
        )
        .await;
    assert_eq!(early.status, 422, "{:?}", early.body);
    assert!(early.body["error"]["fields"]["require_two_factor"].is_array());
    let editor = require(victim.editor.token.clone(), true).await;
    assert_eq!((editor.status, editor.code()), (403, "forbidden"));
    let key = app
        .post_as(
            "/api/v1/orgs/victim/api-keys",
            &victim.owner.token,
            json!({"name": "deploys", "role": "viewer"}),
        )
        .await;
    let key = key.body["key"].as_str().unwrap().to_owned();

    common::totp::turn_on(&app, &victim.owner).await;
    let on = require(victim.owner.token.clone(), true).await;
    assert_eq!(on.status, 200, "{:?}", on.body);
    assert_eq!(
        on.body,
        json!({ "require_two_factor": true, "members_without_two_factor": 1 })
    );
    let members = app
        .get_as("/api/v1/orgs/victim/members", &victim.owner.token)
        .await;
    let with: HashMap<String, bool> = members.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["user"]["email"].as_str().unwrap().to_owned(),
                m["two_factor"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(with["owner@victim.test"]);
    assert!(!with["editor@victim.test"]);

    let routes: Vec<_> = upstate_api::routes::api_routes()
        .into_iter()
        .filter(|(_, path)| path.starts_with("/api/v1/orgs/{org}"))
        .collect();
    assert!(
        routes.len() >= 40,
        "the walk found only {} org routes",
        routes.len()
    );
    for (method, template) in &routes {
        let method = Method::from_bytes(method.as_str().as_bytes()).unwrap();
        let path = concrete(template, &victim.ids);
        let body = sample_body(&method, template);
        let answer = app
            .call(method.clone(), &path, Some(&victim.editor.token), body)
            .await;
        assert_eq!(
            (answer.status, answer.code()),
            (403, "two_factor_required"),
            "{method} {template} answered {:?}",
            answer.body
        );
    }
    // The account's own routes stay open: that is where two-factor is turned on.
    let me = app.get_as("/api/v1/auth/me", &victim.editor.token).await;
    assert_eq!(me.status, 200);
    assert_eq!(
        me.body["memberships"][0]["org"]["require_two_factor"], true,
        "{:?}",
        me.body
    );
    let services = app.get_as("/api/v1/orgs/victim/services", &key).await;
    assert_eq!(services.status, 200, "a key goes on working");

    common::totp::turn_on(&app, &victim.editor).await;
    let now = app
        .get_as("/api/v1/orgs/victim/services", &victim.editor.token)
        .await;
    assert_eq!(now.status, 200, "{:?}", now.body);
}

/// Every route of the API, called on the victim's custom domain with the victim owner's own
/// credentials: only the page's public reads of the victim answer; the rest, and the public
/// reads of another org, are 404 before anything is read or written.
async fn on_a_custom_domain_no_route_answers_but_the_pages_own_reads(engine: Engine) {
    let app = spawn_app(engine).await;
    let victim = victim(&app).await;
    let intruder = app.register("intruder@attacker.test").await;
    app.create_org(&intruder, "attacker").await;
    let set = app
        .patch_as(
            "/api/v1/orgs/victim",
            &victim.owner.token,
            json!({"custom_domain": "status.victim.test"}),
        )
        .await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    let domain = app.at_host("status.victim.test");
    let mut ids = victim.ids.clone();
    ids.insert("token", "no-such-token".to_owned());
    let mut walked = 0;
    for (method, template) in upstate_api::routes::api_routes() {
        let method = Method::from_bytes(method.as_str().as_bytes()).unwrap();
        let path = concrete(&template, &ids);
        let page_read =
            template.starts_with("/api/v1/public/{org}") || template.starts_with("/status/{org}/");
        let others = if page_read {
            // The page's own reads answer here; another org's are nowhere to be found.
            let mut theirs = ids.clone();
            theirs.insert("org", "attacker".to_owned());
            concrete(&template, &theirs)
        } else {
            path
        };
        let body = match method.as_str() {
            "GET" | "DELETE" => None,
            _ if template.starts_with("/api/v1/orgs/{org}") => sample_body(&method, &template),
            _ => Some(json!({})),
        };
        for bearer in [Some(victim.owner.token.as_str()), None] {
            let answer = domain
                .call(method.clone(), &others, bearer, body.clone())
                .await;
            // A HEAD answer has no body to name the error in.
            let code = if method == Method::HEAD {
                "not_found"
            } else {
                answer.code()
            };
            assert_eq!(
                (answer.status, code),
                (404, "not_found"),
                "{method} {others} on the custom domain answered {:?}",
                answer.body
            );
        }
        walked += 1;
    }
    assert!(walked >= 40, "the walk found only {walked} routes");
    let org = app.get_as("/api/v1/orgs/victim", &victim.owner.token).await;
    assert_eq!(org.body["name"], "Org victim", "nothing changed");
}

async fn each_role_stops_at_its_boundary(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.register("owner@acme.test").await;
    let admin = app.register("admin@acme.test").await;
    let editor = app.register("editor@acme.test").await;
    let viewer = app.register("viewer@acme.test").await;
    app.create_org(&owner, "acme").await;
    app.add_member(&owner, "acme", &admin, "admin").await;
    app.add_member(&owner, "acme", &editor, "editor").await;
    app.add_member(&owner, "acme", &viewer, "viewer").await;

    // Everyone reads.
    for who in [&owner, &admin, &editor, &viewer] {
        assert_eq!(
            app.get_as("/api/v1/orgs/acme", &who.token).await.status,
            200
        );
        assert_eq!(
            app.get_as("/api/v1/orgs/acme/members", &who.token)
                .await
                .status,
            200
        );
    }
    let forbidden = |answer: common::Answer, what: &str| {
        assert_eq!(
            (answer.status, answer.code()),
            (403, "forbidden"),
            "{what}: {:?}",
            answer.body
        );
    };
    // A viewer cannot write.
    forbidden(
        app.patch_as("/api/v1/orgs/acme", &viewer.token, json!({"name": "X"}))
            .await,
        "viewer renames",
    );
    // An editor cannot manage the team, keys or settings.
    for who in [&viewer, &editor] {
        forbidden(
            app.post_as(
                "/api/v1/orgs/acme/invitations",
                &who.token,
                json!({"email": "n@acme.test", "role": "viewer"}),
            )
            .await,
            "invites",
        );
        forbidden(
            app.post_as(
                "/api/v1/orgs/acme/api-keys",
                &who.token,
                json!({"name": "k", "role": "viewer"}),
            )
            .await,
            "creates a key",
        );
        forbidden(
            app.patch_as(
                &format!("/api/v1/orgs/acme/members/{}", viewer.user_id),
                &who.token,
                json!({"role": "editor"}),
            )
            .await,
            "changes a role",
        );
        forbidden(
            app.delete_as(
                &format!("/api/v1/orgs/acme/members/{}", admin.user_id),
                &who.token,
            )
            .await,
            "removes a member",
        );
        forbidden(
            app.get_as("/api/v1/orgs/acme/audit-log", &who.token).await,
            "reads the audit log",
        );
        forbidden(
            app.get_as("/api/v1/orgs/acme/export", &who.token).await,
            "downloads the org's export",
        );
        forbidden(
            app.patch_as("/api/v1/orgs/acme", &who.token, json!({"name": "X"}))
                .await,
            "renames",
        );
    }
    // An admin manages the team, but neither the owner role nor the org's existence.
    let invited = app
        .post_as(
            "/api/v1/orgs/acme/invitations",
            &admin.token,
            json!({"email": "new@acme.test", "role": "editor"}),
        )
        .await;
    assert_eq!(invited.status, 201);
    forbidden(
        app.post_as(
            "/api/v1/orgs/acme/invitations",
            &admin.token,
            json!({"email": "boss@acme.test", "role": "owner"}),
        )
        .await,
        "admin invites an owner",
    );
    forbidden(
        app.patch_as(
            &format!("/api/v1/orgs/acme/members/{}", owner.user_id),
            &admin.token,
            json!({"role": "viewer"}),
        )
        .await,
        "admin demotes the owner",
    );
    forbidden(
        app.patch_as(
            &format!("/api/v1/orgs/acme/members/{}", editor.user_id),
            &admin.token,
            json!({"role": "owner"}),
        )
        .await,
        "admin makes an owner",
    );
    forbidden(
        app.delete_as(
            &format!("/api/v1/orgs/acme/members/{}", owner.user_id),
            &admin.token,
        )
        .await,
        "admin removes the owner",
    );
    forbidden(
        app.delete_as("/api/v1/orgs/acme", &admin.token).await,
        "admin deletes the org",
    );
    let promoted = app
        .patch_as(
            &format!("/api/v1/orgs/acme/members/{}", viewer.user_id),
            &admin.token,
            json!({"role": "editor"}),
        )
        .await;
    assert_eq!(
        (promoted.status, promoted.body["role"].as_str()),
        (200, Some("editor"))
    );
    assert_eq!(
        app.delete_as(
            &format!("/api/v1/orgs/acme/members/{}", viewer.user_id),
            &admin.token
        )
        .await
        .status,
        204
    );
    // Anyone may leave.
    assert_eq!(
        app.delete_as(
            &format!("/api/v1/orgs/acme/members/{}", editor.user_id),
            &editor.token
        )
        .await
        .status,
        204
    );
    assert_eq!(
        app.get_as("/api/v1/orgs/acme", &editor.token).await.status,
        404,
        "gone is gone"
    );
    // The owner deletes the org, and with it everything.
    assert_eq!(
        app.delete_as("/api/v1/orgs/acme", &owner.token)
            .await
            .status,
        204
    );
    assert_eq!(
        app.get_as("/api/v1/orgs/acme", &owner.token).await.status,
        404
    );
    assert_eq!(
        app.get_as("/api/v1/orgs/acme", &admin.token).await.status,
        404
    );
}

async fn the_last_owner_can_neither_leave_nor_be_demoted(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.register("owner@acme.test").await;
    let second = app.register("second@acme.test").await;
    app.create_org(&owner, "acme").await;
    app.add_member(&owner, "acme", &second, "admin").await;
    let me = format!("/api/v1/orgs/acme/members/{}", owner.user_id);

    let leave = app.delete_as(&me, &owner.token).await;
    assert_eq!((leave.status, leave.code()), (409, "conflict"));
    let demote = app
        .patch_as(&me, &owner.token, json!({"role": "admin"}))
        .await;
    assert_eq!((demote.status, demote.code()), (409, "conflict"));

    let promote = app
        .patch_as(
            &format!("/api/v1/orgs/acme/members/{}", second.user_id),
            &owner.token,
            json!({"role": "owner"}),
        )
        .await;
    assert_eq!(promote.status, 200);
    assert_eq!(
        app.patch_as(&me, &owner.token, json!({"role": "admin"}))
            .await
            .status,
        200
    );
    let members = app.get_as("/api/v1/orgs/acme/members", &second.token).await;
    let roles: Vec<_> = members.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["user"]["email"].as_str().unwrap().to_owned(),
                m["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        roles.contains(&("owner@acme.test".into(), "admin".into())),
        "{roles:?}"
    );
    assert!(
        roles.contains(&("second@acme.test".into(), "owner".into())),
        "{roles:?}"
    );
    let last = app
        .delete_as(
            &format!("/api/v1/orgs/acme/members/{}", second.user_id),
            &second.token,
        )
        .await;
    assert_eq!(last.status, 409, "the new last owner cannot leave either");
}

async fn organizations_are_created_updated_and_deleted_with_their_rules(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = app.register("ada@acme.test").await;
    let created = app
        .post_as("/api/v1/orgs", &ada.token, json!({"name": "Acme Inc."}))
        .await;
    assert_eq!(created.status, 201);
    assert_eq!(created.body["slug"], "acme-inc");
    let again = app
        .post_as("/api/v1/orgs", &ada.token, json!({"name": "Acme Inc."}))
        .await;
    assert_eq!(
        again.body["slug"], "acme-inc-2",
        "a derived slug steps aside"
    );
    let taken = app
        .post_as(
            "/api/v1/orgs",
            &ada.token,
            json!({"name": "X", "slug": "acme-inc"}),
        )
        .await;
    assert_eq!((taken.status, taken.code()), (409, "conflict"));
    for slug in ["ab", "Acme", "api", "dashboard", "-x-", "a_b_c"] {
        let bad = app
            .post_as(
                "/api/v1/orgs",
                &ada.token,
                json!({"name": "X", "slug": slug}),
            )
            .await;
        assert_eq!(bad.status, 422, "slug {slug:?}");
        assert!(bad.body["error"]["fields"]["slug"][0].as_str().is_some());
    }
    let unnamed = app
        .post_as("/api/v1/orgs", &ada.token, json!({"name": ""}))
        .await;
    assert_eq!(unnamed.status, 422);

    let mine = app.get_as("/api/v1/orgs", &ada.token).await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 2);
    let me = app.get_as("/api/v1/auth/me", &ada.token).await;
    assert_eq!(me.body["memberships"][0]["role"], "owner");

    let bad_branding = app
        .patch_as(
            "/api/v1/orgs/acme-inc",
            &ada.token,
            json!({"branding": {"accent_color": "blue", "logo_url": "javascript:alert(1)"}}),
        )
        .await;
    assert_eq!(bad_branding.status, 422);
    let fields = &bad_branding.body["error"]["fields"];
    assert!(
        fields["branding.accent_color"].is_array() && fields["branding.logo_url"].is_array(),
        "{fields}"
    );
    let updated = app
        .patch_as(
            "/api/v1/orgs/acme-inc",
            &ada.token,
            json!({"name": "Acme", "slug": "acme", "branding": {"accent_color": "#1F6FEB", "logo_url": "https://acme.test/logo.svg"}}),
        )
        .await;
    assert_eq!(updated.status, 200, "{:?}", updated.body);
    assert_eq!(updated.body["slug"], "acme");
    assert_eq!(updated.body["branding"]["accent_color"], "#1f6feb");
    let cleared = app
        .patch_as(
            "/api/v1/orgs/acme",
            &ada.token,
            json!({"branding": {"logo_url": null}}),
        )
        .await;
    assert_eq!(cleared.body["branding"]["logo_url"], Value::Null);
    assert_eq!(
        cleared.body["branding"]["accent_color"], "#1f6feb",
        "untouched fields stay"
    );
    assert_eq!(
        app.get_as("/api/v1/orgs/acme-inc", &ada.token).await.status,
        404,
        "the old slug is gone"
    );
    {
        let mut conn = app.db.db.conn().unwrap();
        let org = upstate_store::organizations::find_by_slug(&mut conn, "acme")
            .unwrap()
            .unwrap();
        let events = upstate_store::events::after(&mut conn, &org.id, 0, 10).unwrap();
        assert_eq!(events.len(), 2, "each update tells the page's watchers");
        assert_eq!(events[1].event_type, upstate_shared::EventKind::PageUpdated);
        assert!(
            !events[1].payload.contains("created_at"),
            "the public payload is the page's look only"
        );
    }
    assert_eq!(
        app.delete_as("/api/v1/orgs/acme", &ada.token).await.status,
        204
    );
    assert_eq!(
        app.get_as("/api/v1/orgs", &ada.token).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn an_invitation_is_accepted_once_by_the_invited_email(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.register("owner@acme.test").await;
    let bob = app.register("bob@acme.test").await;
    let eve = app.register("eve@evil.test").await;
    app.create_org(&owner, "acme").await;

    let invited = app
        .post_as(
            "/api/v1/orgs/acme/invitations",
            &owner.token,
            json!({"email": "Bob@Acme.test", "role": "editor"}),
        )
        .await;
    assert_eq!(invited.status, 201);
    assert_eq!(invited.body["email"], "bob@acme.test");
    assert_eq!(invited.body["role"], "editor");
    let accept_url = invited.body["accept_url"].as_str().unwrap().to_owned();
    assert!(
        accept_url.starts_with("http://127.0.0.1/invite#upi_"),
        "{accept_url}"
    );
    let emails = app.emails().await;
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].0, "bob@acme.test");
    assert_eq!(
        link_in(&emails[0].2),
        accept_url,
        "the email carries the same link"
    );
    let listed = app
        .get_as("/api/v1/orgs/acme/invitations", &owner.token)
        .await;
    assert_eq!(listed.body["items"][0]["email"], "bob@acme.test");
    assert!(
        listed.body["items"][0].get("accept_url").is_none(),
        "the token is not kept in clear"
    );

    let token = accept_url.rsplit('#').next().unwrap();
    let stolen = accept(&app, &eve, token).await;
    assert_eq!(
        (stolen.status, stolen.code()),
        (403, "forbidden"),
        "another email cannot use it"
    );
    let joined = accept(&app, &bob, token).await;
    assert_eq!(joined.status, 200);
    assert_eq!(joined.body["org"]["slug"], "acme");
    assert_eq!(joined.body["role"], "editor");
    assert_eq!(accept(&app, &bob, token).await.status, 404, "single use");
    assert_eq!(
        app.get_as("/api/v1/orgs/acme", &bob.token).await.status,
        200
    );
    let member_again = app
        .post_as(
            "/api/v1/orgs/acme/invitations",
            &owner.token,
            json!({"email": "bob@acme.test", "role": "viewer"}),
        )
        .await;
    assert_eq!(member_again.status, 409);

    // A revoked invitation, and an expired one, cannot be accepted.
    let revoked = app
        .post_as(
            "/api/v1/orgs/acme/invitations",
            &owner.token,
            json!({"email": "eve@evil.test", "role": "viewer"}),
        )
        .await;
    let id = revoked.body["id"].as_str().unwrap();
    assert_eq!(
        app.delete_as(&format!("/api/v1/orgs/acme/invitations/{id}"), &owner.token)
            .await
            .status,
        204
    );
    assert_eq!(
        app.delete_as(&format!("/api/v1/orgs/acme/invitations/{id}"), &owner.token)
            .await
            .status,
        404
    );
    let token = revoked.body["accept_url"]
        .as_str()
        .unwrap()
        .rsplit('#')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(accept(&app, &eve, &token).await.status, 404);
    let expiring = app
        .post_as(
            "/api/v1/orgs/acme/invitations",
            &owner.token,
            json!({"email": "eve@evil.test", "role": "viewer"}),
        )
        .await;
    {
        use diesel::prelude::*;
        use upstate_store::schema::invitations;
        let mut conn = app.db.db.conn().unwrap();
        diesel::update(invitations::table.find(expiring.body["id"].as_str().unwrap()))
            .set(invitations::expires_at.eq(upstate_store::now() - chrono::Duration::seconds(1)))
            .execute(&mut *conn)
            .unwrap();
    }
    let token = expiring.body["accept_url"]
        .as_str()
        .unwrap()
        .rsplit('#')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(accept(&app, &eve, &token).await.status, 404);
    assert_eq!(
        app.get_as("/api/v1/orgs/acme", &eve.token).await.status,
        404
    );
    let bad = app
        .post_as(
            "/api/v1/orgs/acme/invitations",
            &owner.token,
            json!({"email": "nope", "role": "viewer"}),
        )
        .await;
    assert_eq!(bad.status, 422);
    let bad_role = app
        .post_as(
            "/api/v1/orgs/acme/invitations",
            &owner.token,
            json!({"email": "x@acme.test", "role": "root"}),
        )
        .await;
    assert_eq!(bad_role.status, 422);
}

async fn accept(app: &TestApp, who: &Account, token: &str) -> common::Answer {
    app.post_as(
        "/api/v1/invitations/accept",
        &who.token,
        json!({ "token": token }),
    )
    .await
}

async fn api_keys_act_only_in_their_org_with_their_role(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    app.create_org(&owner, "globex").await;
    let created = app
        .post_as(
            "/api/v1/orgs/acme/api-keys",
            &owner.token,
            json!({"name": "Deploy bot", "role": "viewer"}),
        )
        .await;
    assert_eq!(created.status, 201);
    let key = created.body["key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("upk_"), "recognisable by secret scanners");
    assert_eq!(created.body["prefix"].as_str().unwrap(), &key[..12]);

    let listed = app.get_as("/api/v1/orgs/acme/api-keys", &owner.token).await;
    let listed_text = listed.body.to_string();
    assert!(!listed_text.contains(&key), "never shown again");
    assert_eq!(listed.body["items"][0]["last_used_at"], Value::Null);

    assert_eq!(
        app.get_as("/api/v1/orgs/acme/members", &key).await.status,
        200
    );
    assert_eq!(
        app.get_as("/api/v1/orgs/globex", &key).await.status,
        404,
        "only its own org, though its creator owns both"
    );
    let orgs = app.get_as("/api/v1/orgs", &key).await;
    assert_eq!(orgs.body["items"].as_array().unwrap().len(), 1);
    let write = app
        .patch_as("/api/v1/orgs/acme", &key, json!({"name": "Hacked"}))
        .await;
    assert_eq!(write.status, 403, "a viewer key cannot write");
    let me = app.get_as("/api/v1/auth/me", &key).await;
    assert_eq!(me.status, 403, "a key is not a person");
    let listed = app.get_as("/api/v1/orgs/acme/api-keys", &owner.token).await;
    assert!(
        listed.body["items"][0]["last_used_at"].as_str().is_some(),
        "use is recorded"
    );

    let id = created.body["id"].as_str().unwrap();
    assert_eq!(
        app.delete_as(&format!("/api/v1/orgs/acme/api-keys/{id}"), &owner.token)
            .await
            .status,
        204
    );
    let revoked = app.get_as("/api/v1/orgs/acme/members", &key).await;
    assert_eq!((revoked.status, revoked.code()), (401, "unauthenticated"));
    let nameless = app
        .post_as(
            "/api/v1/orgs/acme/api-keys",
            &owner.token,
            json!({"name": " ", "role": "viewer"}),
        )
        .await;
    assert_eq!(nameless.status, 422);
}

async fn the_audit_log_pages_through_what_happened(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.register("owner@acme.test").await;
    let bob = app.register("bob@acme.test").await;
    app.create_org(&owner, "acme").await;
    app.add_member(&owner, "acme", &bob, "viewer").await;
    app.patch_as(
        &format!("/api/v1/orgs/acme/members/{}", bob.user_id),
        &owner.token,
        json!({"role": "editor"}),
    )
    .await;
    app.post_as(
        "/api/v1/orgs/acme/api-keys",
        &owner.token,
        json!({"name": "ci", "role": "editor"}),
    )
    .await;
    let wrong = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "bob@acme.test", "password": "nope"})),
        )
        .await;
    assert_eq!(wrong.status, 401);

    let mut actions = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/orgs/acme/audit-log?limit=2&cursor={c}"),
            None => "/api/v1/orgs/acme/audit-log?limit=2".to_owned(),
        };
        let page = app.get_as(&path, &owner.token).await;
        assert_eq!(page.status, 200, "{:?}", page.body);
        let items = page.body["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        actions.extend(
            items
                .iter()
                .map(|e| e["action"].as_str().unwrap().to_owned()),
        );
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(
        actions,
        vec![
            "auth.login_failed",
            "api_key.created",
            "member.role_changed",
            "invitation.accepted",
            "invitation.created",
            "org.created",
        ],
        "newest first, the member's failed sign-in included"
    );
    let first = app
        .get_as("/api/v1/orgs/acme/audit-log?limit=1", &owner.token)
        .await;
    assert_eq!(first.body["items"][0]["actor"]["kind"], "user");
    assert_eq!(first.body["items"][0]["details"]["email"], "bob@acme.test");
    assert_eq!(
        app.get_as("/api/v1/orgs/acme/audit-log?limit=0", &owner.token)
            .await
            .status,
        400
    );
    assert_eq!(
        app.get_as("/api/v1/orgs/acme/audit-log?limit=101", &owner.token)
            .await
            .status,
        400
    );
}

async fn the_audit_log_shows_a_members_sign_ins_only_since_they_joined(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    let sign_in = |email: &'static str| app.login(email, common::PASSWORD);
    // Carol signs in twice before she joins Acme (her business), then once after (Acme's).
    let carol = app.register("carol@elsewhere.test").await;
    assert_eq!(sign_in("carol@elsewhere.test").await.status, 200);
    assert_eq!(sign_in("carol@elsewhere.test").await.status, 200);
    // Timestamps are kept to the microsecond: make "before" and "after" unmistakable.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    app.add_member(&owner, "acme", &carol, "viewer").await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    assert_eq!(sign_in("carol@elsewhere.test").await.status, 200);

    let log = app
        .get_as("/api/v1/orgs/acme/audit-log?limit=100", &owner.token)
        .await;
    assert_eq!(log.status, 200);
    let carol_sign_ins = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["action"] == "auth.login_succeeded" && e["actor"]["id"] == carol.user_id.as_str()
        })
        .count();
    assert_eq!(
        carol_sign_ins, 1,
        "only the sign-in after joining: {:?}",
        log.body
    );
}
