//! The status management API: services and groups, incidents and the effective status rule,
//! maintenance and its scheduler, rendered messages, and the refusals of bad input.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{Account, TestApp, spawn_app};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use upstate_store::Engine;

on_both_engines!(
    services_and_groups_are_kept_in_order,
    incidents_move_services_by_the_effective_status_rule,
    a_maintenance_starts_and_completes_by_itself,
    messages_are_rendered_without_scripts,
    bad_input_is_refused_with_its_fields,
    writes_append_the_orgs_events_in_order,
);

struct Org {
    owner: Account,
    slug: &'static str,
}

impl Org {
    fn path(&self, rest: &str) -> String {
        format!("/api/v1/orgs/{}{}", self.slug, rest)
    }
}

async fn org(app: &TestApp) -> Org {
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    Org {
        owner,
        slug: "acme",
    }
}

async fn service(app: &TestApp, org: &Org, name: &str) -> String {
    let answer = app
        .post_as(
            &org.path("/services"),
            &org.owner.token,
            json!({ "name": name }),
        )
        .await;
    assert_eq!(answer.status, 201, "{:?}", answer.body);
    answer.body["id"].as_str().unwrap().to_owned()
}

async fn status_of(app: &TestApp, org: &Org, id: &str) -> String {
    let answer = app
        .get_as(&org.path(&format!("/services/{id}")), &org.owner.token)
        .await;
    answer.body["status"].as_str().unwrap().to_owned()
}

/// The service's history, oldest first: `(status, source)`.
async fn history_of(app: &TestApp, org: &Org, id: &str) -> Vec<(String, String)> {
    let answer = app
        .get_as(
            &org.path(&format!("/services/{id}/history?limit=100")),
            &org.owner.token,
        )
        .await;
    let mut items: Vec<_> = answer.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["status"].as_str().unwrap().to_owned(),
                c["source"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    items.reverse();
    items
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

async fn services_and_groups_are_kept_in_order(engine: Engine) {
    let app = spawn_app(engine).await;
    let org = org(&app).await;
    let core = app
        .post_as(
            &org.path("/service-groups"),
            &org.owner.token,
            json!({"name": "Core"}),
        )
        .await;
    let edge = app
        .post_as(
            &org.path("/service-groups"),
            &org.owner.token,
            json!({"name": "Edge"}),
        )
        .await;
    assert_eq!(
        (
            core.body["position"].as_i64(),
            edge.body["position"].as_i64()
        ),
        (Some(0), Some(1))
    );
    let core_id = core.body["id"].as_str().unwrap().to_owned();
    let api = app
        .post_as(
            &org.path("/services"),
            &org.owner.token,
            json!({"name": "API", "group_id": core_id, "description": "The REST API"}),
        )
        .await;
    assert_eq!(api.status, 201);
    assert_eq!(api.body["status"], "operational");
    assert_eq!(api.body["group_id"], core_id.as_str());
    let web = service(&app, &org, "Web").await;
    let cdn = service(&app, &org, "CDN").await;

    let moved = app
        .post_as(
            &org.path(&format!("/services/{cdn}/move")),
            &org.owner.token,
            json!({"position": 0}),
        )
        .await;
    assert_eq!(moved.status, 200);
    let names: Vec<_> = moved.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["CDN", "API", "Web"]);
    let positions: Vec<_> = moved.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, [0, 1, 2], "renumbered");
    let listed = app.get_as(&org.path("/services"), &org.owner.token).await;
    assert_eq!(listed.body["items"][0]["name"], "CDN");

    let edge_id = edge.body["id"].as_str().unwrap();
    let groups = app
        .post_as(
            &org.path(&format!("/service-groups/{edge_id}/move")),
            &org.owner.token,
            json!({"position": 0}),
        )
        .await;
    assert_eq!(groups.body["items"][0]["name"], "Edge");

    let patched = app
        .patch_as(
            &org.path(&format!("/services/{web}")),
            &org.owner.token,
            json!({"name": "Website", "status": "degraded_performance", "group_id": edge_id}),
        )
        .await;
    assert_eq!(patched.status, 200);
    assert_eq!(patched.body["name"], "Website");
    assert_eq!(patched.body["status"], "degraded_performance");
    assert_eq!(patched.body["manual_status"], "degraded_performance");
    let ungrouped = app
        .patch_as(
            &org.path(&format!("/services/{web}")),
            &org.owner.token,
            json!({"group_id": null}),
        )
        .await;
    assert_eq!(ungrouped.body["group_id"], Value::Null);
    assert_eq!(ungrouped.body["name"], "Website", "absent fields stay");

    // History: who changed it, newest first, paged.
    for status in ["partial_outage", "major_outage", "operational"] {
        app.patch_as(
            &org.path(&format!("/services/{web}")),
            &org.owner.token,
            json!({ "status": status }),
        )
        .await;
    }
    let first = app
        .get_as(
            &org.path(&format!("/services/{web}/history?limit=2")),
            &org.owner.token,
        )
        .await;
    assert_eq!(first.body["items"][0]["status"], "operational");
    assert_eq!(first.body["items"][0]["changed_by"]["kind"], "user");
    assert_eq!(
        first.body["items"][0]["changed_by"]["email"],
        "owner@acme.test"
    );
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let second = app
        .get_as(
            &org.path(&format!("/services/{web}/history?limit=2&cursor={cursor}")),
            &org.owner.token,
        )
        .await;
    let statuses: Vec<_> = second.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["partial_outage", "degraded_performance"]);
    assert_eq!(
        history_of(&app, &org, &web).await.len(),
        5,
        "created, degraded, partial, major, operational"
    );

    // Deleting a group keeps its services, ungrouped.
    assert_eq!(
        app.delete_as(
            &org.path(&format!("/service-groups/{core_id}")),
            &org.owner.token
        )
        .await
        .status,
        204
    );
    let api_id = api.body["id"].as_str().unwrap();
    let api_now = app
        .get_as(&org.path(&format!("/services/{api_id}")), &org.owner.token)
        .await;
    assert_eq!(api_now.body["group_id"], Value::Null);
    assert_eq!(
        app.delete_as(&org.path(&format!("/services/{api_id}")), &org.owner.token)
            .await
            .status,
        204
    );
    assert_eq!(
        app.get_as(&org.path(&format!("/services/{api_id}")), &org.owner.token)
            .await
            .status,
        404
    );
}

async fn incidents_move_services_by_the_effective_status_rule(engine: Engine) {
    let app = spawn_app(engine).await;
    let org = org(&app).await;
    let t = &org.owner.token;
    let api = service(&app, &org, "API").await;
    let web = service(&app, &org, "Web").await;
    let db = service(&app, &org, "Database").await;

    // Incident 1: the API down, the website slow.
    let first = app
        .post_as(
            &org.path("/incidents"),
            t,
            json!({"title": "API outage", "status": "investigating", "impact": "major", "message": "Looking into it.",
                   "affected": [{"service_id": api, "status": "major_outage"}, {"service_id": web, "status": "degraded_performance"}]}),
        )
        .await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    assert_eq!(first.body["updates"].as_array().unwrap().len(), 1);
    let first_id = first.body["id"].as_str().unwrap().to_owned();
    assert_eq!(status_of(&app, &org, &api).await, "major_outage");
    assert_eq!(status_of(&app, &org, &web).await, "degraded_performance");

    // Incident 2 overlaps: a lesser status on the API changes nothing there; the database goes partial.
    let second = app
        .post_as(
            &org.path("/incidents"),
            t,
            json!({"title": "Replication lag", "status": "identified", "impact": "minor", "message": "Lagging.",
                   "affected": [{"service_id": api, "status": "partial_outage"}, {"service_id": db, "status": "partial_outage"}]}),
        )
        .await;
    let second_id = second.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        status_of(&app, &org, &api).await,
        "major_outage",
        "the worst holds"
    );
    assert_eq!(status_of(&app, &org, &db).await, "partial_outage");

    // Incident 1 narrows to a slow API: the website is released, the API shows incident 2's worse status.
    let update = app
        .post_as(
            &org.path(&format!("/incidents/{first_id}/updates")),
            t,
            json!({"status": "monitoring", "message": "Recovering.", "affected": [{"service_id": api, "status": "degraded_performance"}]}),
        )
        .await;
    assert_eq!(update.status, 201);
    assert_eq!(update.body["status"], "monitoring");
    assert_eq!(status_of(&app, &org, &api).await, "partial_outage");
    assert_eq!(status_of(&app, &org, &web).await, "operational");

    // Resolving incident 2 leaves incident 1's degradation.
    let resolved = app
        .post_as(
            &org.path(&format!("/incidents/{second_id}/updates")),
            t,
            json!({"status": "resolved", "message": "Caught up."}),
        )
        .await;
    assert_eq!(resolved.status, 201);
    let second_now = app
        .get_as(&org.path(&format!("/incidents/{second_id}")), t)
        .await;
    assert_eq!(second_now.body["status"], "resolved");
    assert!(second_now.body["resolved_at"].as_str().is_some());
    assert_eq!(status_of(&app, &org, &api).await, "degraded_performance");
    assert_eq!(status_of(&app, &org, &db).await, "operational");

    // A maintenance overlapping the open incident: the degradation outranks it.
    let window = app
        .post_as(
            &org.path("/maintenances"),
            t,
            json!({"title": "DB upgrade", "scheduled_start": "2035-01-01T00:00:00Z", "scheduled_end": "2035-01-01T02:00:00Z",
                   "service_ids": [api, db], "auto_transition": false}),
        )
        .await;
    let window_id = window.body["id"].as_str().unwrap().to_owned();
    let started = app
        .post_as(
            &org.path(&format!("/maintenances/{window_id}/updates")),
            t,
            json!({"status": "in_progress", "message": "Starting early."}),
        )
        .await;
    assert_eq!(started.status, 201, "{:?}", started.body);
    assert_eq!(status_of(&app, &org, &api).await, "degraded_performance");
    assert_eq!(status_of(&app, &org, &db).await, "under_maintenance");
    // A status set by hand while something holds the service waits for it to let go.
    app.patch_as(
        &org.path(&format!("/services/{db}")),
        t,
        json!({"status": "partial_outage"}),
    )
    .await;
    assert_eq!(status_of(&app, &org, &db).await, "under_maintenance");

    let done = app
        .post_as(
            &org.path(&format!("/incidents/{first_id}/updates")),
            t,
            json!({"status": "resolved", "message": "All good."}),
        )
        .await;
    assert_eq!(done.status, 201);
    assert_eq!(status_of(&app, &org, &api).await, "under_maintenance");
    let completed = app
        .post_as(
            &org.path(&format!("/maintenances/{window_id}/updates")),
            t,
            json!({"status": "completed", "message": "Done."}),
        )
        .await;
    assert_eq!(completed.status, 201);
    assert_eq!(status_of(&app, &org, &api).await, "operational");
    assert_eq!(
        status_of(&app, &org, &db).await,
        "partial_outage",
        "the hand-set status returns"
    );
    let again = app
        .post_as(
            &org.path(&format!("/maintenances/{window_id}/updates")),
            t,
            json!({"status": "in_progress", "message": "Again?"}),
        )
        .await;
    assert_eq!(
        (again.status, again.code()),
        (409, "conflict"),
        "a completed window cannot restart"
    );

    assert_eq!(
        history_of(&app, &org, &api).await,
        pairs(&[
            ("operational", "manual"),
            ("major_outage", "incident"),
            ("partial_outage", "incident"),
            ("degraded_performance", "incident"),
            ("under_maintenance", "incident"),
            ("operational", "maintenance"),
        ]),
        "each effective change once, with its cause"
    );
    assert_eq!(
        history_of(&app, &org, &web).await,
        pairs(&[
            ("operational", "manual"),
            ("degraded_performance", "incident"),
            ("operational", "incident")
        ])
    );
    assert_eq!(
        history_of(&app, &org, &db).await,
        pairs(&[
            ("operational", "manual"),
            ("partial_outage", "incident"),
            ("operational", "incident"),
            ("under_maintenance", "maintenance"),
            ("partial_outage", "maintenance"),
        ])
    );

    // Lists by state; a postmortem once resolved; deleting releases the services.
    let open = app.get_as(&org.path("/incidents?state=open"), t).await;
    assert_eq!(open.body["items"].as_array().unwrap().len(), 0);
    let closed = app.get_as(&org.path("/incidents?state=resolved"), t).await;
    assert_eq!(closed.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        closed.body["items"][0]["id"],
        second_id.as_str(),
        "newest first"
    );
    let postmortem = app
        .patch_as(
            &org.path(&format!("/incidents/{first_id}")),
            t,
            json!({"postmortem": "## What happened\nA bad deploy.", "impact": "critical"}),
        )
        .await;
    assert_eq!(postmortem.status, 200);
    assert!(
        postmortem.body["postmortem_html"]
            .as_str()
            .unwrap()
            .contains("<h2>What happened</h2>")
    );
    assert_eq!(postmortem.body["impact"], "critical");

    let third = app
        .post_as(
            &org.path("/incidents"),
            t,
            json!({"title": "Web down", "status": "investigating", "impact": "major", "message": "Down.",
                   "affected": [{"service_id": web, "status": "major_outage"}]}),
        )
        .await;
    let third_id = third.body["id"].as_str().unwrap().to_owned();
    assert_eq!(status_of(&app, &org, &web).await, "major_outage");
    assert_eq!(
        app.delete_as(&org.path(&format!("/incidents/{third_id}")), t)
            .await
            .status,
        204
    );
    assert_eq!(status_of(&app, &org, &web).await, "operational");
    assert_eq!(
        app.get_as(&org.path(&format!("/incidents/{third_id}")), t)
            .await
            .status,
        404
    );
    let late = app
        .post_as(
            &org.path(&format!("/incidents/{third_id}/updates")),
            t,
            json!({"status": "monitoring", "message": "Late."}),
        )
        .await;
    assert_eq!(
        (late.status, late.code()),
        (409, "conflict"),
        "an update to a deleted incident is stale"
    );
    assert!(
        late.body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("This incident was deleted"),
        "{:?}",
        late.body
    );
    // What is not found is named by the store, not relabelled by each handler.
    let unknown = app
        .get_as(&org.path("/incidents/no-such-incident"), t)
        .await;
    assert_eq!(unknown.body["error"]["message"], "No such incident.");
    let unknown = app.get_as(&org.path("/services/no-such-service"), t).await;
    assert_eq!(unknown.body["error"]["message"], "No such service.");
}

async fn wait_for(what: &str, limit: Duration, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !check().await {
        assert!(
            Instant::now() < deadline,
            "{what} did not happen within {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The service's status, read from the database: no request to the server.
fn stored_status(app: &TestApp, id: &str) -> String {
    use diesel::prelude::*;
    use upstate_store::schema::services;
    let mut conn = app.db.db.conn().unwrap();
    services::table
        .find(id)
        .select(services::status)
        .first(&mut *conn)
        .unwrap()
}

fn stored_window(app: &TestApp, id: &str) -> String {
    use diesel::prelude::*;
    use upstate_store::schema::maintenances;
    let mut conn = app.db.db.conn().unwrap();
    maintenances::table
        .find(id)
        .select(maintenances::status)
        .first(&mut *conn)
        .unwrap()
}

async fn a_maintenance_starts_and_completes_by_itself(engine: Engine) {
    let app = spawn_app(engine).await;
    let org = org(&app).await;
    let api = service(&app, &org, "API").await;
    let start = chrono::Utc::now() + chrono::Duration::seconds(2);
    let end = start + chrono::Duration::seconds(4);
    let window = app
        .post_as(
            &org.path("/maintenances"),
            &org.owner.token,
            json!({"title": "Upgrade", "scheduled_start": start, "scheduled_end": end, "service_ids": [api]}),
        )
        .await;
    assert_eq!(window.status, 201, "{:?}", window.body);
    assert_eq!(window.body["status"], "scheduled");
    assert_eq!(window.body["auto_transition"], true);
    let id = window.body["id"].as_str().unwrap().to_owned();
    assert_eq!(stored_status(&app, &api), "operational");

    // From here on, no request: the scheduler acts alone.
    wait_for("the start", Duration::from_secs(9), async || {
        stored_status(&app, &api) == "under_maintenance"
    })
    .await;
    let started_late = chrono::Utc::now() - start;
    assert!(
        started_late < chrono::Duration::seconds(5),
        "started {started_late} after its time"
    );
    assert_eq!(stored_window(&app, &id), "in_progress");
    wait_for("the completion", Duration::from_secs(10), async || {
        stored_status(&app, &api) == "operational"
    })
    .await;
    let ended_late = chrono::Utc::now() - end;
    assert!(
        ended_late < chrono::Duration::seconds(5),
        "completed {ended_late} after its time"
    );
    assert_eq!(stored_window(&app, &id), "completed");

    let read = app
        .get_as(&org.path(&format!("/maintenances/{id}")), &org.owner.token)
        .await;
    let updates: Vec<_> = read.body["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["status"].as_str().unwrap())
        .collect();
    assert_eq!(updates, ["in_progress", "completed"]);
    assert_eq!(read.body["updates"][0]["author"]["kind"], "system");
    let past = app
        .get_as(&org.path("/maintenances?state=past"), &org.owner.token)
        .await;
    assert_eq!(past.body["items"][0]["id"], id.as_str());

    // A window whose start passed while nobody was looking (the server was down) starts at once.
    let missed = app
        .post_as(
            &org.path("/maintenances"),
            &org.owner.token,
            json!({"title": "Overdue", "scheduled_start": chrono::Utc::now() - chrono::Duration::hours(1),
                   "scheduled_end": chrono::Utc::now() + chrono::Duration::hours(1), "service_ids": [api]}),
        )
        .await;
    let missed_id = missed.body["id"].as_str().unwrap().to_owned();
    wait_for("the overdue start", Duration::from_secs(5), async || {
        stored_window(&app, &missed_id) == "in_progress"
    })
    .await;
    let active = app
        .get_as(&org.path("/maintenances?state=active"), &org.owner.token)
        .await;
    assert_eq!(active.body["items"][0]["id"], missed_id.as_str());
}

async fn messages_are_rendered_without_scripts(engine: Engine) {
    let app = spawn_app(engine).await;
    let org = org(&app).await;
    let created = app
        .post_as(
            &org.path("/incidents"),
            &org.owner.token,
            json!({"title": "XSS", "status": "investigating", "impact": "none",
                   "message": "We are **investigating**.<script>alert('pwned')</script><img src=x onerror=\"alert(1)\">"}),
        )
        .await;
    assert_eq!(created.status, 201);
    let update = &created.body["updates"][0];
    let html = update["message_html"].as_str().unwrap();
    assert!(html.contains("<strong>investigating</strong>"), "{html}");
    assert!(
        !html.contains("<script") && !html.contains("pwned") && !html.contains("onerror"),
        "{html}"
    );
    assert!(
        update["message"].as_str().unwrap().contains("<script>"),
        "stored as written"
    );

    // The dashboard's preview shows exactly what was published, and stores nothing.
    let preview = app
        .post_as(
            &org.path("/markdown"),
            &org.owner.token,
            json!({"markdown": update["message"]}),
        )
        .await;
    assert_eq!(preview.status, 200, "{:?}", preview.body);
    assert_eq!(preview.body["html"], update["message_html"]);
    let empty = app
        .post_as(
            &org.path("/markdown"),
            &org.owner.token,
            json!({"markdown": ""}),
        )
        .await;
    assert_eq!((empty.status, empty.body["html"].as_str()), (200, Some("")));
    let too_long = app
        .post_as(
            &org.path("/markdown"),
            &org.owner.token,
            json!({"markdown": "x".repeat(50_001)}),
        )
        .await;
    assert_eq!(
        (too_long.status, too_long.code()),
        (422, "validation_failed")
    );
    assert!(
        too_long.body["error"]["fields"]["markdown"][0]
            .as_str()
            .unwrap()
            .contains("50000")
    );
    let viewer = app.register("viewer@acme.test").await;
    app.add_member(&org.owner, org.slug, &viewer, "viewer")
        .await;
    let refused = app
        .post_as(
            &org.path("/markdown"),
            &viewer.token,
            json!({"markdown": "hi"}),
        )
        .await;
    assert_eq!((refused.status, refused.code()), (403, "forbidden"));
}

async fn bad_input_is_refused_with_its_fields(engine: Engine) {
    let app = spawn_app(engine).await;
    let org = org(&app).await;
    let t = &org.owner.token;
    let api = service(&app, &org, "API").await;
    let field_of = |answer: &common::Answer| -> Vec<String> {
        answer.body["error"]["fields"]
            .as_object()
            .map(|f| f.keys().cloned().collect())
            .unwrap_or_default()
    };

    let empty = app
        .post_as(&org.path("/services"), t, json!({"name": ""}))
        .await;
    assert_eq!(
        (empty.status, field_of(&empty)),
        (422, vec!["name".to_string()])
    );
    let long = app
        .post_as(&org.path("/services"), t, json!({"name": "x".repeat(101)}))
        .await;
    assert_eq!(long.status, 422);
    let unknown_status = app
        .post_as(
            &org.path("/incidents"),
            t,
            json!({"title": "X", "status": "investigating", "impact": "major", "message": "x",
                   "affected": [{"service_id": api, "status": "down"}]}),
        )
        .await;
    assert_eq!(
        (unknown_status.status, field_of(&unknown_status)),
        (422, vec!["affected[0].status".to_string()])
    );
    let unknown_impact = app
        .post_as(&org.path("/incidents"), t, json!({"title": "X", "status": "investigating", "impact": "apocalyptic", "message": "x"}))
        .await;
    assert_eq!(
        (unknown_impact.status, field_of(&unknown_impact)),
        (422, vec!["impact".to_string()])
    );
    let backwards = app
        .post_as(
            &org.path("/maintenances"),
            t,
            json!({"title": "X", "scheduled_start": "2030-01-01T02:00:00Z", "scheduled_end": "2030-01-01T01:00:00Z"}),
        )
        .await;
    assert_eq!(
        (backwards.status, field_of(&backwards)),
        (422, vec!["scheduled_end".to_string()])
    );

    // A service of another org is as unknown as one that does not exist.
    let other = app.register("other@globex.test").await;
    app.create_org(&other, "globex").await;
    let foreign = app
        .post_as(
            "/api/v1/orgs/globex/services",
            &other.token,
            json!({"name": "Theirs"}),
        )
        .await;
    let foreign_id = foreign.body["id"].as_str().unwrap();
    let borrowed = app
        .post_as(
            &org.path("/incidents"),
            t,
            json!({"title": "X", "status": "investigating", "impact": "major", "message": "x",
                   "affected": [{"service_id": api, "status": "major_outage"}, {"service_id": foreign_id, "status": "major_outage"}]}),
        )
        .await;
    assert_eq!(
        (borrowed.status, field_of(&borrowed)),
        (422, vec!["affected[1]".to_string()])
    );
    assert_eq!(
        status_of(&app, &org, &api).await,
        "operational",
        "nothing half-written"
    );
    let foreign_now = app
        .get_as(
            &format!("/api/v1/orgs/globex/services/{foreign_id}"),
            &other.token,
        )
        .await;
    assert_eq!(foreign_now.body["status"], "operational");
    assert_eq!(
        app.get_as(&org.path("/incidents"), t).await.body["items"],
        json!([])
    );

    let many: Vec<Value> = (0..101)
        .map(|i| json!({"service_id": format!("s{i}"), "status": "major_outage"}))
        .collect();
    let crowded = app
        .post_as(&org.path("/incidents"), t, json!({"title": "X", "status": "investigating", "impact": "major", "message": "x", "affected": many}))
        .await;
    assert_eq!(
        (crowded.status, field_of(&crowded)),
        (422, vec!["affected".to_string()])
    );

    let open = app
        .post_as(
            &org.path("/incidents"),
            t,
            json!({"title": "Open", "status": "investigating", "impact": "minor", "message": "x"}),
        )
        .await;
    let open_id = open.body["id"].as_str().unwrap();
    let early = app
        .patch_as(
            &org.path(&format!("/incidents/{open_id}")),
            t,
            json!({"postmortem": "Too soon"}),
        )
        .await;
    assert_eq!(
        (early.status, field_of(&early)),
        (422, vec!["postmortem".to_string()])
    );

    let huge = app
        .post_as(&org.path("/incidents"), t, json!({"title": "X", "status": "investigating", "impact": "major", "message": "x".repeat(70 * 1024)}))
        .await;
    assert_eq!((huge.status, huge.code()), (413, "payload_too_large"));
    let bad_cursor = app
        .get_as(&org.path("/incidents?cursor=not-a-cursor"), t)
        .await;
    assert_eq!((bad_cursor.status, bad_cursor.code()), (400, "bad_request"));
    let bad_state = app
        .get_as(&org.path("/maintenances?state=someday"), t)
        .await;
    assert_eq!(bad_state.status, 400);
    let missing = app
        .get_as(
            &org.path("/incidents/01234567-89ab-cdef-0123-456789abcdef"),
            t,
        )
        .await;
    assert_eq!((missing.status, missing.code()), (404, "not_found"));
}

async fn writes_append_the_orgs_events_in_order(engine: Engine) {
    let app = spawn_app(engine).await;
    let org = org(&app).await;
    let api = service(&app, &org, "API").await;
    app.post_as(
        &org.path("/incidents"),
        &org.owner.token,
        json!({"title": "Down", "status": "investigating", "impact": "major", "message": "x",
               "affected": [{"service_id": api, "status": "major_outage"}]}),
    )
    .await;
    let mut conn = app.db.db.conn().unwrap();
    let acme = upstate_store::organizations::find_by_slug(&mut conn, "acme")
        .unwrap()
        .unwrap();
    let events = upstate_store::events::after(&mut conn, &acme.id, 0, 100).unwrap();
    let kinds: Vec<_> = events
        .iter()
        .map(|e| (e.seq, e.event_type.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (1, "service.created"),
            (2, "incident.created"),
            (3, "service.updated")
        ]
    );
    let incident: Value = serde_json::from_str(&events[1].payload).unwrap();
    assert_eq!(incident["title"], "Down");
    assert!(
        incident.get("updates").unwrap()[0].get("author").is_none(),
        "the public form names no author"
    );
    assert!(!events[1].payload.contains("owner@acme.test"));
    let member: Value = serde_json::from_str(events[1].member_payload.as_deref().unwrap()).unwrap();
    assert_eq!(member["updates"][0]["author"]["email"], "owner@acme.test");
    let service: Value = serde_json::from_str(&events[2].payload).unwrap();
    assert_eq!(service["status"], "major_outage");
    assert!(service.get("manual_status").is_none());
}

#[tokio::test]
async fn two_replicas_perform_each_maintenance_transition_once() {
    let app = spawn_app(Engine::Postgres).await;
    let _replica = app.replica().await;
    let org = org(&app).await;
    let api = service(&app, &org, "API").await;
    let start = chrono::Utc::now() + chrono::Duration::seconds(1);
    let window = app
        .post_as(
            &org.path("/maintenances"),
            &org.owner.token,
            json!({"title": "Upgrade", "scheduled_start": start, "scheduled_end": start + chrono::Duration::seconds(2), "service_ids": [api]}),
        )
        .await;
    let id = window.body["id"].as_str().unwrap().to_owned();
    wait_for("the completion", Duration::from_secs(10), async || {
        stored_window(&app, &id) == "completed"
    })
    .await;
    assert_eq!(
        history_of(&app, &org, &api).await,
        pairs(&[
            ("operational", "manual"),
            ("under_maintenance", "maintenance"),
            ("operational", "maintenance")
        ]),
        "each transition happened once across both schedulers"
    );
    let read = app
        .get_as(&org.path(&format!("/maintenances/{id}")), &org.owner.token)
        .await;
    assert_eq!(read.body["updates"].as_array().unwrap().len(), 2);
}
