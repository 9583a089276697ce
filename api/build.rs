//! Rebuilds the server when the built web app changes, so a release binary always embeds the
//! current `web/dist` (rust-embed alone misses files that were added or renamed).

fn main() {
    println!("cargo:rerun-if-changed=../web/dist");
    println!("cargo:rerun-if-changed=build.rs");
}
