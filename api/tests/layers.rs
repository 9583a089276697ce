//! The layers keep their jobs (issue 14): the routes hold HTTP, the store and `shared` the
//! domain's rules. These checks read the sources, so a shortcut back into a handler fails here
//! with the file and line to look at.

use std::path::{Path, PathBuf};

fn sources(dir: &Path) -> Vec<PathBuf> {
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

/// Every line of the files under `dir` (relative to the api crate) containing `needle`.
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
