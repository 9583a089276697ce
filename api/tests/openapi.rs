//! The OpenAPI document: it covers every route of the router, the committed copy matches the
//! code, and the server serves it with a documentation UI that needs no internet.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use std::collections::BTreeSet;
use upstate_store::Engine;

fn documented() -> BTreeSet<(String, String)> {
    let document: serde_json::Value =
        serde_json::from_str(&upstate_api::openapi::pretty_json()).unwrap();
    let mut found = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "head", "post", "patch", "put", "delete"].contains(&method.as_str()) {
                found.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    found
}

#[test]
fn every_route_of_the_router_is_documented_and_nothing_else() {
    let routed: BTreeSet<(String, String)> = upstate_api::routes::api_routes()
        .into_iter()
        .map(|(method, path)| (method.to_string(), path))
        .collect();
    let documented = documented();
    let missing: Vec<_> = routed.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&routed).collect();
    assert!(
        missing.is_empty(),
        "routes without documentation: {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "documented routes the router does not have: {extra:?}"
    );
}

#[test]
fn the_committed_document_matches_the_code() {
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/openapi.json"
    ))
    .expect("openapi/openapi.json is committed; create it with `just openapi`");
    assert!(
        committed == upstate_api::openapi::pretty_json(),
        "openapi/openapi.json is out of date: run `just openapi` and commit it"
    );
}

#[test]
fn every_error_answer_is_documented_with_the_error_body() {
    let document: serde_json::Value =
        serde_json::from_str(&upstate_api::openapi::pretty_json()).unwrap();
    assert_eq!(document["openapi"].as_str().unwrap().get(..3), Some("3.1"));
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            assert!(
                responses.contains_key("500"),
                "{method} {path} documents no 500"
            );
            for (status, response) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    assert_eq!(
                        response["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/ErrorBody",
                        "{method} {path} {status}"
                    );
                }
            }
            if path.starts_with("/api/v1/orgs/{org}") {
                assert!(
                    operation["security"].is_array(),
                    "{method} {path} names no security"
                );
            }
            if path.starts_with("/api/v1/public/") {
                assert!(
                    operation.get("security").is_none(),
                    "{method} {path} is public"
                );
            }
        }
    }
    for scheme in ["bearer", "api_key", "cookie"] {
        assert!(
            document["components"]["securitySchemes"][scheme].is_object(),
            "{scheme}"
        );
    }
    let incident = &document["components"]["schemas"]["CreateIncidentRequest"];
    assert!(
        incident["properties"]["affected"].is_object(),
        "schemas come from the shared types"
    );
}

#[tokio::test]
async fn the_server_serves_the_document_and_an_offline_documentation_ui() {
    let app = common::spawn_app(Engine::Sqlite).await;
    let document = app.get("/api/openapi.json").await;
    assert_eq!(document.status(), 200);
    let body: serde_json::Value = document.json().await.unwrap();
    assert_eq!(body["info"]["title"], "Upstate API");
    let redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url("/api/docs"))
        .send()
        .await
        .unwrap();
    assert_eq!(redirect.status(), 308);
    let ui = app.get("/api/docs/").await;
    assert_eq!(ui.status(), 200);
    let html = ui.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    // Its script and styles come from this server, not a CDN.
    assert!(
        !html.contains("https://"),
        "the UI loads nothing from the internet: {html}"
    );
    let script = app.get("/api/docs/swagger-ui-bundle.js").await;
    assert_eq!(script.status(), 200);
    assert!(script.bytes().await.unwrap().len() > 100_000);
    let initializer = app.get("/api/docs/swagger-initializer.js").await;
    assert!(
        initializer
            .text()
            .await
            .unwrap()
            .contains("/api/openapi.json")
    );
}

/// Whether the JSON pointer `segments` names a place in values of `schema`.
fn schema_has(document: &serde_json::Value, schema: &serde_json::Value, segments: &[&str]) -> bool {
    let schema = match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.strip_prefix("#/components/schemas/").unwrap();
            &document["components"]["schemas"][name]
        }
        None => schema,
    };
    let Some((first, rest)) = segments.split_first() else {
        return !schema.is_null();
    };
    let variants = ["allOf", "oneOf", "anyOf"]
        .iter()
        .filter_map(|keyword| schema[keyword].as_array())
        .flatten();
    for variant in variants {
        if schema_has(document, variant, segments) {
            return true;
        }
    }
    if let Some(property) = schema["properties"].get(*first) {
        return schema_has(document, property, rest);
    }
    first.parse::<usize>().is_ok()
        && schema["items"].is_object()
        && schema_has(document, &schema["items"], rest)
}

#[test]
fn answers_link_to_the_operations_on_the_resources_they_name() {
    let document: serde_json::Value =
        serde_json::from_str(&upstate_api::openapi::pretty_json()).unwrap();
    // Every operation by id, with its path parameters.
    let mut operations = std::collections::BTreeMap::new();
    for item in document["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            let params: BTreeSet<String> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .map(|p| p["name"].as_str().unwrap().to_owned())
                .collect();
            let id = operation["operationId"].as_str().unwrap().to_owned();
            operations.insert(id, (operation, params));
        }
    }
    let mut linked = BTreeSet::new();
    for (id, (operation, params)) in &operations {
        for (status, response) in operation["responses"].as_object().unwrap() {
            let schema = &response["content"]["application/json"]["schema"];
            let links = response["links"].as_object();
            if status == "201" && schema_has(&document, schema, &["id"]) {
                assert!(
                    links.is_some_and(|links| !links.is_empty()),
                    "{id} creates a resource with an id and links to no operation on it"
                );
            }
            for (name, link) in links.into_iter().flatten() {
                let target = link["operationId"].as_str().unwrap();
                let (_, target_params) = operations
                    .get(target)
                    .unwrap_or_else(|| panic!("{id} {status} links to no operation {target}"));
                let given = link["parameters"].as_object().unwrap();
                assert!(!given.is_empty(), "{id} {status} {name}");
                for (param, value) in given {
                    assert!(
                        target_params.contains(param),
                        "{id} {status} {name}: {target} has no path parameter {param}"
                    );
                    linked.insert((target.to_owned(), param.clone()));
                    let value = value.as_str().unwrap();
                    if let Some(pointer) = value.strip_prefix("$response.body#/") {
                        let segments: Vec<&str> = pointer.split('/').collect();
                        assert!(
                            schema_has(&document, schema, &segments),
                            "{id} {status} {name}: its answer has no {value}"
                        );
                    } else if let Some(source) = value.strip_prefix("$request.path.") {
                        assert!(params.contains(source), "{id} {status} {name}: {value}");
                    } else {
                        panic!("{id} {status} {name}: {value} is no expression of this test");
                    }
                }
                // The resource is in the org the request names.
                if params.contains("org") && target_params.contains("org") {
                    assert!(
                        given.contains_key("org"),
                        "{id} {status} {name} passes no org"
                    );
                }
            }
        }
    }
    // Every id a path takes comes from some answer (else a client, and the fuzzer, only guess).
    for (id, (_, params)) in &operations {
        for param in params.iter().filter(|param| param.ends_with("_id")) {
            assert!(
                linked.contains(&(id.clone(), param.clone())),
                "no link gives {id} its {param}"
            );
        }
    }
}
