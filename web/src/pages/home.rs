//! `/`: what this server is, and its version (read from the API).

use crate::api;
use leptos::prelude::*;

#[component]
pub fn Home() -> impl IntoView {
    let meta = LocalResource::new(api::meta);
    view! {
        <div class="page">
            <header class="masthead">
                <h1>"Upstate"</h1>
                <p class="lead">"Status pages for your services: incidents, maintenance and uptime, live."</p>
            </header>
            <main>
                <p>"A public status page lives at " <code>"/status/your-organization"</code> "."</p>
            </main>
            <footer class="footer" data-testid="server-info">
                {move || match meta.get() {
                    None => view! { <span class="muted">"Connecting…"</span> }.into_any(),
                    Some(Ok(info)) => view! {
                        <span>{format!("Upstate v{} · {}", info.version, info.database)}</span>
                    }.into_any(),
                    Some(Err(err)) => view! {
                        <span role="alert">{format!("The server did not answer: {}", err.message())}</span>
                    }.into_any(),
                }}
            </footer>
        </div>
    }
}
