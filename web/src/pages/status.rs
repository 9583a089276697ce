//! `/status/{org}`: an organization's public status page. It reads the public summary; an
//! organization that does not exist gets a page that says so.

use crate::api;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use upstate_shared::ErrorCode;

#[component]
pub fn StatusPage() -> impl IntoView {
    let params = use_params_map();
    let org = move || params.read().get("org").unwrap_or_default();
    let summary = LocalResource::new(move || {
        let org = org();
        async move { api::public_summary(&org).await }
    });
    view! {
        <div class="page">
            {move || match summary.get() {
                None => view! { <p class="muted" aria-busy="true">"Loading the status…"</p> }.into_any(),
                Some(Ok(summary)) => {
                    let name = summary["page"]["name"].as_str().unwrap_or_default().to_owned();
                    view! { <header class="masthead"><h1>{name}</h1></header> }.into_any()
                }
                Some(Err(err)) if err.code() == ErrorCode::NotFound => view! {
                    <main class="empty-state">
                        <h1>"No status page here"</h1>
                        <p>{format!("There is no organization called “{}”.", org())}</p>
                        <A href="/">"Go to the start page"</A>
                    </main>
                }.into_any(),
                Some(Err(err)) => view! {
                    <main class="empty-state" role="alert">
                        <h1>"The status could not be loaded"</h1>
                        <p>{err.message().to_owned()}</p>
                        <button on:click=move |_| summary.refetch()>"Try again"</button>
                    </main>
                }.into_any(),
            }}
        </div>
    }
}
