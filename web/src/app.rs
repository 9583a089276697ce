//! The router: every page of the app, by path.

use crate::pages::{home::Home, incident::IncidentPage, not_found::NotFound, status::StatusPage};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=Home/>
                <Route path=path!("/status/:org") view=StatusPage/>
                <Route path=path!("/status/:org/incidents/:id") view=IncidentPage/>
            </Routes>
        </Router>
    }
}
