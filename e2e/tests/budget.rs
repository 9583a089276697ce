//! The public pages' bundle stays light: a visitor of a status page downloads at most 150 KB
//! (brotli) of wasm and JavaScript (issue 14). It carries no message catalog (the server inlines
//! the page's one language beside it), no float formatting and no error texts nobody reads, and
//! its JavaScript is minified. Reads what `just build-web` put in `web/dist`.
#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

use std::path::{Path, PathBuf};

/// The public bundle's budget: wasm + JS, as sent (brotli).
const PUBLIC_BUDGET: u64 = 150 * 1024;

fn dist() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/dist/assets")
}

/// The brotli sizes of a bundle's wasm and JS (`name-<hash>_bg.wasm.br`, `name-<hash>.js.br`).
fn bundle(name: &str) -> (u64, u64) {
    let mut wasm = None;
    let mut js = None;
    for entry in std::fs::read_dir(dist()).unwrap_or_else(|err| {
        panic!(
            "no web/dist/assets ({err}): run `just build-web` before the tests ({})",
            dist().display()
        )
    }) {
        let entry = entry.unwrap();
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&format!("{name}-")) else {
            continue;
        };
        let size = entry.metadata().unwrap().len();
        if rest.ends_with("_bg.wasm.br") {
            assert!(wasm.replace(size).is_none(), "two wasm files of {name}");
        } else if rest.ends_with(".js.br") {
            assert!(js.replace(size).is_none(), "two JS files of {name}");
        }
    }
    (
        wasm.unwrap_or_else(|| panic!("no brotli wasm of {name} in web/dist/assets")),
        js.unwrap_or_else(|| panic!("no brotli JS of {name} in web/dist/assets")),
    )
}

#[test]
fn the_public_pages_bundle_is_within_its_budget() {
    let (wasm, js) = bundle("upstate-public");
    let total = wasm + js;
    println!("public pages: wasm {wasm} B + js {js} B brotli = {total} B");
    assert!(
        total <= PUBLIC_BUDGET,
        "the public pages' bundle is {total} B brotli (wasm {wasm} + js {js}), over its \
         {PUBLIC_BUDGET} B budget"
    );
}

#[test]
fn the_public_pages_do_not_load_the_dashboard() {
    let page = std::fs::read_to_string(dist().join("../public.html")).unwrap();
    assert!(page.contains("/assets/upstate-public-"), "{page}");
    assert!(
        !page.contains("/assets/upstate-web-"),
        "the public template names the dashboard's bundle: {page}"
    );
    let (dashboard, _) = bundle("upstate-web");
    let (public, _) = bundle("upstate-public");
    assert!(
        public < dashboard,
        "the public bundle ({public} B) is not lighter than the dashboard ({dashboard} B)"
    );
}
