//! `/`: the front door. Signed in, it goes on to the dashboard; signed out, it offers to sign
//! in or create an account; on a server with no account yet, it invites the first person to
//! create one (their organization becomes the first status page). The footer names the
//! server's version (read from the API).

use crate::api;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn Home() -> impl IntoView {
    let meta = LocalResource::new(api::meta);
    let me = LocalResource::new(api::me);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = me.get() {
            navigate("/dashboard", Default::default());
        }
    });
    let first_run = move || matches!(meta.get(), Some(Ok(ref info)) if info.first_run);
    view! {
        <div class="page">
            <header class="masthead">
                <h1>"Upstate"</h1>
                <p class="lead">"Status pages for your services: incidents, maintenance and uptime, live."</p>
            </header>
            <main>
                {move || match me.get() {
                    None | Some(Ok(_)) => view! { <p class="muted" aria-busy="true">"Loading…"</p> }.into_any(),
                    Some(Err(_)) if first_run() => view! {
                        <section class="notice" aria-labelledby="welcome" data-testid="first-run">
                            <h2 id="welcome">"Welcome: this server is new"</h2>
                            <p>"Nobody has an account here yet. Create the first one, then your organization: its status page is the first this server publishes."</p>
                            <p><A href="/signup" attr:class="button primary">"Create the first account"</A></p>
                        </section>
                    }.into_any(),
                    Some(Err(_)) => view! {
                        <section aria-labelledby="start" data-testid="front-door">
                            <h2 id="start">"Run your status page"</h2>
                            <p>"Sign in to manage your services, incidents and maintenance, or create an account to publish a status page of your own."</p>
                            <p class="actions">
                                <A href="/login" attr:class="button primary">"Sign in"</A>
                                " "
                                <A href="/signup" attr:class="button">"Create an account"</A>
                            </p>
                            <p class="muted">"Looking for a status page? Its address is " <code>"/status/organization"</code> "."</p>
                        </section>
                    }.into_any(),
                }}
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
