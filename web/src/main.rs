//! The web app's entry point: replaces the loading skeleton of `index.html` with the app.

// Leptos views are nested types; the Monitors page's tree is deeper than the default allows.
#![recursion_limit = "256"]

fn main() {
    console_error_panic_hook::set_once();
    let document = web_sys::window()
        .and_then(|window| window.document())
        .expect("the app runs in a browser page");
    let root = document
        .get_element_by_id("app")
        .expect("index.html has an #app element");
    // The skeleton shown while the wasm loaded goes; the app takes its place.
    root.set_inner_html("");
    root.remove_attribute("aria-busy").ok();
    let root: web_sys::HtmlElement = wasm_bindgen_cast(root);
    leptos::mount::mount_to(root, upstate_web::App).forget();
}

fn wasm_bindgen_cast(element: web_sys::Element) -> web_sys::HtmlElement {
    use leptos::wasm_bindgen::JsCast;
    element.unchecked_into()
}
