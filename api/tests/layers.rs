//! The layers keep their jobs (issue 14): the routes hold HTTP, the store and `shared` the
//! domain's rules. These checks read the sources, so a shortcut back into a handler fails here
//! with the file and line to look at.

use std::path::{Path, PathBuf};

fn sources(dir: &Path) -> Vec<PathBuf> {
    if dir.is_file() {
        return vec![dir.to_owned()];
    }
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            found.extend(sources(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// Every line of the files under `dir` (or of the file `dir`; relative to the api crate)
/// containing `needle`.
fn lines_with(dir: &str, needle: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    sources(&root.join(dir))
        .into_iter()
        .flat_map(|path| {
            let text = std::fs::read_to_string(&path).expect("a source file");
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string();
            text.lines()
                .enumerate()
                .filter(|(_, line)| line.contains(needle) && !line.trim_start().starts_with("//"))
                .map(|(n, line)| format!("{name}:{}: {}", n + 1, line.trim()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn handlers_return_typed_errors_not_results_in_results() {
    for needle in ["Ok(Err(", ".await??", "})??"] {
        let found = lines_with("src/routes", needle);
        assert!(
            found.is_empty(),
            "`{needle}` in a handler:\n{}",
            found.join("\n")
        );
    }
}

#[test]
fn every_audit_entry_is_written_through_one_path() {
    for dir in ["src/routes", "src/auth", "src/public"] {
        let found = lines_with(dir, "audit::record(");
        assert!(
            found.is_empty(),
            "an audit entry written around activity::Trail::record:\n{}",
            found.join("\n")
        );
    }
}

#[test]
fn nothing_outside_the_routes_reaches_into_them() {
    let mut found = Vec::new();
    for dir in ["src/public", "src/auth"] {
        found.extend(lines_with(dir, "crate::routes::"));
    }
    for file in [
        "src/scheduler.rs",
        "src/activity.rs",
        "src/views.rs",
        "src/state.rs",
    ] {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(root.join(file)).expect("a source file");
        found.extend(
            text.lines()
                .filter(|line| line.contains("crate::routes::"))
                .map(|line| format!("{file}: {}", line.trim())),
        );
    }
    assert!(
        found.is_empty(),
        "reaching into routes:\n{}",
        found.join("\n")
    );
}

#[test]
fn handlers_check_requests_with_the_rules_of_shared() {
    // A request's fields are checked by `upstate_shared::valid` (`TryFrom<&Request>`), the
    // rules the web forms run before they send: no handler collects problems of its own.
    let mut found = Vec::new();
    for needle in ["Problems::default()", "input::name(", "Email::parse("] {
        found.extend(lines_with("src/routes", needle));
    }
    assert!(
        found.is_empty(),
        "a rule checked in a handler:\n{}",
        found.join("\n")
    );
}

#[test]
fn handlers_take_typed_paths_not_tuples() {
    let found = lines_with("src/routes", "web::Path<(");
    assert!(found.is_empty(), "a tuple path:\n{}", found.join("\n"));
}

#[test]
fn the_web_app_sends_only_the_shared_request_types() {
    // Every call is a function of web/src/api.rs taking and answering the DTOs of `shared`:
    // no hand-made JSON bodies and no methods spelt as strings anywhere in the app.
    let mut found = Vec::new();
    for needle in ["json!(", "\"POST\"", "\"PATCH\"", "\"DELETE\""] {
        found.extend(lines_with("../web/src", needle));
    }
    assert!(found.is_empty(), "untyped API calls:\n{}", found.join("\n"));
}

/// The names of `shared`'s id newtypes (`OrgId`, `ServiceId`, ...), read from its list of them.
fn id_types() -> Vec<String> {
    let ids = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/src/ids.rs");
    let text = std::fs::read_to_string(ids).expect("shared's ids");
    text.lines()
        .filter_map(|line| line.trim().strip_suffix(','))
        .filter(|name| {
            name.ends_with("Id")
                && name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric())
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn views_copy_the_rows_typed_ids_and_never_make_one_from_a_string() {
    // Store rows hold `shared`'s id newtypes (issue 14), so the API's forms of them take the ids
    // as they are; an `IncidentId(row.id.clone())` here would mean a row went back to strings.
    let ids = id_types();
    assert!(
        ids.len() >= 10 && ids.iter().any(|id| id == "IncidentId"),
        "the id newtypes were not found in shared/src/ids.rs: {ids:?}"
    );
    let mut found = Vec::new();
    for file in ["src/views.rs", "src/activity.rs"] {
        for id in &ids {
            for needle in [format!("{id}("), format!("({id})"), format!("{id}::from(")] {
                found.extend(lines_with(file, &needle));
            }
        }
    }
    assert!(
        found.is_empty(),
        "an id newtype made from a string:\n{}",
        found.join("\n")
    );
}
