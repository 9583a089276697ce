//! Incident templates through the API: an admin saves the incidents the team declares again
//! and again, an editor declares from one (the ordinary declare route with its fields) and the
//! public page shows it; bad templates are refused field by field, roles and tenants hold, an
//! org keeps at most 100, and a deleted service leaves its templates usable.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{Account, TestApp, spawn_app};
use serde_json::{Value, json};
use upstate_store::Engine;

on_both_engines!(
    an_admin_saves_changes_and_deletes_templates_and_an_editor_declares_from_one,
    bad_templates_are_refused_naming_each_field,
    only_admins_and_owners_write_templates_and_other_orgs_see_none,
    an_org_keeps_at_most_a_hundred_templates,
    a_deleted_service_leaves_its_templates_usable,
);

const TEMPLATES: &str = "/api/v1/orgs/acme/incident-templates";

struct Org {
    owner: Account,
    admin: Account,
    editor: Account,
    viewer: Account,
    api: String,
    db: String,
}

async fn org(app: &TestApp) -> Org {
    let owner = app.register("owner@acme.test").await;
    let admin = app.register("admin@acme.test").await;
    let editor = app.register("editor@acme.test").await;
    let viewer = app.register("viewer@acme.test").await;
    app.create_org(&owner, "acme").await;
    app.add_member(&owner, "acme", &admin, "admin").await;
    app.add_member(&owner, "acme", &editor, "editor").await;
    app.add_member(&owner, "acme", &viewer, "viewer").await;
    let mut ids = Vec::new();
    for name in ["API", "Database"] {
        let service = app
            .post_as(
                "/api/v1/orgs/acme/services",
                &owner.token,
                json!({ "name": name }),
            )
            .await;
        assert_eq!(service.status, 201, "{:?}", service.body);
        ids.push(service.body["id"].as_str().unwrap().to_owned());
    }
    let db = ids.pop().unwrap();
    let api = ids.pop().unwrap();
    Org {
        owner,
        admin,
        editor,
        viewer,
        api,
        db,
    }
}

fn failover(org: &Org) -> Value {
    json!({
        "name": "Database failover",
        "title": "Database failing over",
        "impact": "major",
        "status": "identified",
        "message": "The primary database is failing over; writes may fail for a few minutes.",
        "affected": [
            {"service_id": org.db, "status": "major_outage"},
            {"service_id": org.api, "status": "degraded_performance"},
        ],
    })
}

fn template_path(id: &Value) -> String {
    format!("{TEMPLATES}/{}", id.as_str().unwrap())
}

async fn an_admin_saves_changes_and_deletes_templates_and_an_editor_declares_from_one(
    engine: Engine,
) {
    let app = spawn_app(engine).await;
    let org = org(&app).await;

    let created = app
        .post_as(TEMPLATES, &org.admin.token, failover(&org))
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(created.body["name"], "Database failover");
    assert_eq!(created.body["status"], "identified");
    assert_eq!(created.body["impact"], "major");
    assert_eq!(created.body["created_by"], org.admin.user_id.as_str());
    assert_eq!(
        created.body["affected"],
        json!([
            {"service_id": org.db, "status": "major_outage"},
            {"service_id": org.api, "status": "degraded_performance"},
        ])
    );
    let path = template_path(&created.body["id"]);

    // Every member reads them, by name; the status to declare with defaults to investigating.
    let other = app
        .post_as(
            TEMPLATES,
            &org.owner.token,
            json!({"name": "API slow", "title": "Slow API", "impact": "minor", "message": "Looking into it."}),
        )
        .await;
    assert_eq!(other.status, 201, "{:?}", other.body);
    assert_eq!(other.body["status"], "investigating");
    assert_eq!(other.body["affected"], json!([]));
    let list = app.get_as(TEMPLATES, &org.viewer.token).await;
    assert_eq!(list.status, 200, "{:?}", list.body);
    let names: Vec<&str> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["API slow", "Database failover"]);
    assert_eq!(list.body["next_cursor"], Value::Null);

    // A name is unique in the org.
    let taken = app
        .post_as(TEMPLATES, &org.admin.token, failover(&org))
        .await;
    assert_eq!((taken.status, taken.code()), (409, "conflict"));
    assert!(
        taken.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Database failover"),
        "{:?}",
        taken.body
    );
    let renamed_onto = app
        .patch_as(
            &template_path(&other.body["id"]),
            &org.admin.token,
            json!({"name": "Database failover"}),
        )
        .await;
    assert_eq!(
        (renamed_onto.status, renamed_onto.code()),
        (409, "conflict")
    );

    // A change touches only what it names; `affected` replaces the list.
    let changed = app
        .patch_as(
            &path,
            &org.admin.token,
            json!({"message": "Failing over to the replica.", "affected": [{"service_id": org.db, "status": "partial_outage"}]}),
        )
        .await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    assert_eq!(changed.body["title"], "Database failing over");
    assert_eq!(changed.body["message"], "Failing over to the replica.");
    assert_eq!(
        changed.body["affected"],
        json!([{"service_id": org.db, "status": "partial_outage"}])
    );
    let read = app.get_as(&path, &org.editor.token).await;
    assert_eq!(read.body, changed.body);

    // The editor declares from it: the declare route with the template's fields.
    let template: upstate_shared::dto::SavedIncidentTemplate =
        serde_json::from_value(read.body.clone()).unwrap();
    let declared = app
        .post_as(
            "/api/v1/orgs/acme/incidents",
            &org.editor.token,
            serde_json::to_value(template.declaration()).unwrap(),
        )
        .await;
    assert_eq!(declared.status, 201, "{:?}", declared.body);
    let summary = app.get("/api/v1/public/acme/summary").await;
    let summary: Value = summary.json().await.unwrap();
    let incident = &summary["incidents"][0];
    assert_eq!(incident["title"], "Database failing over");
    assert_eq!(incident["status"], "identified");
    assert_eq!(incident["impact"], "major");
    let db = summary["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == org.db.as_str())
        .unwrap();
    assert_eq!(db["status"], "partial_outage");

    // The audit log says who did what.
    let log = app
        .get_as("/api/v1/orgs/acme/audit-log", &org.owner.token)
        .await;
    let actions: Vec<&str> = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["target_type"] == "incident_template")
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "incident_template.updated",
            "incident_template.created",
            "incident_template.created"
        ]
    );

    // Deleted: gone from the list, a 404 after; the incident declared from it stays.
    let deleted = app.delete_as(&path, &org.admin.token).await;
    assert_eq!(deleted.status, 204, "{:?}", deleted.body);
    let gone = app.get_as(&path, &org.admin.token).await;
    assert_eq!((gone.status, gone.code()), (404, "not_found"));
    assert_eq!(
        gone.body["error"]["message"], "No such incident template.",
        "{:?}",
        gone.body
    );
    let again = app.delete_as(&path, &org.admin.token).await;
    assert_eq!(again.status, 404);
    let list = app.get_as(TEMPLATES, &org.admin.token).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    let incidents = app
        .get_as("/api/v1/orgs/acme/incidents", &org.owner.token)
        .await;
    assert_eq!(incidents.body["items"].as_array().unwrap().len(), 1);
}

async fn bad_templates_are_refused_naming_each_field(engine: Engine) {
    let app = spawn_app(engine).await;
    let org = org(&app).await;
    let stranger = app.register("owner@other.test").await;
    app.create_org(&stranger, "other").await;
    let foreign = app
        .post_as(
            "/api/v1/orgs/other/services",
            &stranger.token,
            json!({"name": "Theirs"}),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let fields = |answer: &common::Answer| -> Vec<String> {
        assert_eq!(
            (answer.status, answer.code()),
            (422, "validation_failed"),
            "{:?}",
            answer.body
        );
        let mut names: Vec<String> = answer.body["error"]["fields"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        names.sort();
        names
    };

    let empty = app
        .post_as(
            TEMPLATES,
            &org.admin.token,
            json!({"name": " ", "title": "", "impact": "minor", "message": "  "}),
        )
        .await;
    assert_eq!(fields(&empty), ["message", "name", "title"]);

    let long = app
        .post_as(
            TEMPLATES,
            &org.admin.token,
            json!({"name": "n".repeat(101), "title": "t".repeat(201), "impact": "minor",
                   "message": "m".repeat(10_001)}),
        )
        .await;
    assert_eq!(fields(&long), ["message", "name", "title"]);
    // At the limits, they are taken.
    let at_limits = app
        .post_as(
            TEMPLATES,
            &org.admin.token,
            json!({"name": "n".repeat(100), "title": "t".repeat(200), "impact": "minor",
                   "message": "m".repeat(10_000)}),
        )
        .await;
    assert_eq!(at_limits.status, 201, "{:?}", at_limits.body);

    // Another org's service, or none at all, is named by its place in the list.
    let strangers = app
        .post_as(
            TEMPLATES,
            &org.admin.token,
            json!({"name": "Mixed", "title": "Mixed", "impact": "minor", "message": "Hm.",
                   "affected": [{"service_id": org.api, "status": "major_outage"},
                                {"service_id": foreign, "status": "major_outage"}]}),
        )
        .await;
    assert_eq!(fields(&strangers), ["affected[1].service_id"]);
    let twice = app
        .post_as(
            TEMPLATES,
            &org.admin.token,
            json!({"name": "Twice", "title": "Twice", "impact": "minor", "message": "Hm.",
                   "affected": [{"service_id": org.api, "status": "major_outage"},
                                {"service_id": org.api, "status": "partial_outage"}]}),
        )
        .await;
    assert_eq!(fields(&twice), ["affected[1].service_id"]);

    // Values outside the incident enums are refused before anything is saved.
    let odd = app
        .post_as(
            TEMPLATES,
            &org.admin.token,
            json!({"name": "Odd", "title": "Odd", "impact": "apocalyptic", "message": "Hm."}),
        )
        .await;
    assert!(
        matches!(odd.status, 400 | 422),
        "{} {:?}",
        odd.status,
        odd.body
    );
    assert!(!odd.code().is_empty(), "{:?}", odd.body);

    // A change is checked the same way, and a refused one changes nothing.
    let id = at_limits.body["id"].clone();
    let bad_patch = app
        .patch_as(
            &template_path(&id),
            &org.admin.token,
            json!({"title": "", "affected": [{"service_id": "no-such-service", "status": "major_outage"}]}),
        )
        .await;
    assert_eq!(fields(&bad_patch), ["title"]);
    let bad_service = app
        .patch_as(
            &template_path(&id),
            &org.admin.token,
            json!({"title": "Fine", "affected": [{"service_id": "no-such-service", "status": "major_outage"}]}),
        )
        .await;
    assert_eq!(fields(&bad_service), ["affected[0].service_id"]);
    let read = app.get_as(&template_path(&id), &org.admin.token).await;
    assert_eq!(read.body["title"], "t".repeat(200));
    let list = app.get_as(TEMPLATES, &org.admin.token).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
}

async fn only_admins_and_owners_write_templates_and_other_orgs_see_none(engine: Engine) {
    let app = spawn_app(engine).await;
    let org = org(&app).await;
    let saved = app
        .post_as(TEMPLATES, &org.owner.token, failover(&org))
        .await;
    assert_eq!(saved.status, 201, "{:?}", saved.body);
    let path = template_path(&saved.body["id"]);

    for who in [&org.editor, &org.viewer] {
        let create = app.post_as(TEMPLATES, &who.token, failover(&org)).await;
        assert_eq!(
            (create.status, create.code()),
            (403, "forbidden"),
            "{}",
            who.email
        );
        let patch = app
            .patch_as(&path, &who.token, json!({"title": "Changed"}))
            .await;
        assert_eq!(
            (patch.status, patch.code()),
            (403, "forbidden"),
            "{}",
            who.email
        );
        let delete = app.delete_as(&path, &who.token).await;
        assert_eq!(
            (delete.status, delete.code()),
            (403, "forbidden"),
            "{}",
            who.email
        );
        // They read them (an editor declares from them).
        let read = app.get_as(&path, &who.token).await;
        assert_eq!(read.status, 200, "{}", who.email);
    }
    let read = app.get_as(&path, &org.owner.token).await;
    assert_eq!(read.body["title"], "Database failing over");

    // Another org's owner sees nothing of it, and cannot touch it.
    let stranger = app.register("owner@other.test").await;
    app.create_org(&stranger, "other").await;
    let foreign_path = path.replace("/orgs/acme/", "/orgs/other/");
    for answer in [
        app.get_as(&path, &stranger.token).await,
        app.get_as(&foreign_path, &stranger.token).await,
        app.patch_as(&foreign_path, &stranger.token, json!({"title": "Mine"}))
            .await,
        app.delete_as(&foreign_path, &stranger.token).await,
    ] {
        assert_eq!(
            (answer.status, answer.code()),
            (404, "not_found"),
            "{:?}",
            answer.body
        );
    }
    let theirs = app
        .get_as("/api/v1/orgs/other/incident-templates", &stranger.token)
        .await;
    assert_eq!(theirs.body["items"], json!([]));
    let still = app.get_as(&path, &org.owner.token).await;
    assert_eq!(still.body["title"], "Database failing over");
}

async fn an_org_keeps_at_most_a_hundred_templates(engine: Engine) {
    let app = spawn_app(engine).await;
    let org = org(&app).await;
    for n in 0..100 {
        let saved = app
            .post_as(
                TEMPLATES,
                &org.admin.token,
                json!({"name": format!("Template {n:03}"), "title": "Outage", "impact": "minor", "message": "Hm."}),
            )
            .await;
        assert_eq!(saved.status, 201, "template {n}: {:?}", saved.body);
    }
    let over = app
        .post_as(
            TEMPLATES,
            &org.admin.token,
            json!({"name": "One too many", "title": "Outage", "impact": "minor", "message": "Hm."}),
        )
        .await;
    assert_eq!(
        (over.status, over.code()),
        (409, "conflict"),
        "{:?}",
        over.body
    );
    assert!(
        over.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("100"),
        "{:?}",
        over.body
    );
    let list = app.get_as(TEMPLATES, &org.admin.token).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 100);
    assert_eq!(list.body["items"][0]["name"], "Template 000");

    // Another org has its own hundred; deleting one makes room again.
    let first = list.body["items"][0]["id"].clone();
    let deleted = app
        .delete_as(&template_path(&first), &org.admin.token)
        .await;
    assert_eq!(deleted.status, 204);
    let room = app
        .post_as(
            TEMPLATES,
            &org.admin.token,
            json!({"name": "One too many", "title": "Outage", "impact": "minor", "message": "Hm."}),
        )
        .await;
    assert_eq!(room.status, 201, "{:?}", room.body);
}

async fn a_deleted_service_leaves_its_templates_usable(engine: Engine) {
    let app = spawn_app(engine).await;
    let org = org(&app).await;
    let saved = app
        .post_as(TEMPLATES, &org.admin.token, failover(&org))
        .await;
    assert_eq!(saved.status, 201, "{:?}", saved.body);
    let path = template_path(&saved.body["id"]);

    let removed = app
        .delete_as(
            &format!("/api/v1/orgs/acme/services/{}", org.db),
            &org.owner.token,
        )
        .await;
    assert_eq!(removed.status, 204, "{:?}", removed.body);

    let read = app.get_as(&path, &org.editor.token).await;
    assert_eq!(read.status, 200, "{:?}", read.body);
    assert_eq!(
        read.body["affected"],
        json!([{"service_id": org.api, "status": "degraded_performance"}])
    );
    let listed = app.get_as(TEMPLATES, &org.editor.token).await;
    assert_eq!(listed.body["items"][0]["affected"], read.body["affected"]);

    // Declaring from it works, with the services that remain.
    let template: upstate_shared::dto::SavedIncidentTemplate =
        serde_json::from_value(read.body).unwrap();
    let declared = app
        .post_as(
            "/api/v1/orgs/acme/incidents",
            &org.editor.token,
            serde_json::to_value(template.declaration()).unwrap(),
        )
        .await;
    assert_eq!(declared.status, 201, "{:?}", declared.body);
    let api = app
        .get_as(
            &format!("/api/v1/orgs/acme/services/{}", org.api),
            &org.owner.token,
        )
        .await;
    assert_eq!(api.body["status"], "degraded_performance");

    // And it can still be changed (the deleted service is not named again).
    let changed = app
        .patch_as(&path, &org.admin.token, json!({"impact": "minor"}))
        .await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    assert_eq!(changed.body["impact"], "minor");
}
