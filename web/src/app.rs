//! The router: every page of the app, by path. The public pages (`/status/...`) are the
//! server's, with a bundle of their own (`web/public`); links to them leave this app.

use crate::pages::account::{Account, ConfirmEmailChange};
use crate::pages::auth::{ForgotPassword, ResetPassword, SignIn, SignUp, VerifyEmail};
use crate::pages::dashboard::incidents::{IncidentDetail, Incidents, NewIncident};
use crate::pages::dashboard::integrations::Integrations;
use crate::pages::dashboard::maintenance::Maintenances;
use crate::pages::dashboard::monitors::{MonitorDetail, Monitors};
use crate::pages::dashboard::security::Security;
use crate::pages::dashboard::services::Services;
use crate::pages::dashboard::settings::Settings;
use crate::pages::dashboard::subscribers::Subscribers;
use crate::pages::dashboard::team::{AcceptInvitation, Team};
use crate::pages::dashboard::templates::Templates;
use crate::pages::dashboard::{DashboardHome, DashboardLayout, Overview};
use crate::pages::{home::Home, not_found::NotFound};
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=Home/>
                <Route path=path!("/login") view=SignIn/>
                <Route path=path!("/signup") view=SignUp/>
                <Route path=path!("/verify-email") view=VerifyEmail/>
                <Route path=path!("/forgot-password") view=ForgotPassword/>
                <Route path=path!("/reset-password") view=ResetPassword/>
                <Route path=path!("/dashboard") view=DashboardHome/>
                <Route path=path!("/account") view=Account/>
                <Route path=path!("/account/email") view=ConfirmEmailChange/>
                <Route path=path!("/invite") view=AcceptInvitation/>
                <ParentRoute path=path!("/dashboard/:org") view=DashboardLayout>
                    <Route path=path!("") view=Overview/>
                    <Route path=path!("services") view=Services/>
                    <Route path=path!("monitors") view=Monitors/>
                    <Route path=path!("monitors/:id") view=MonitorDetail/>
                    <Route path=path!("incidents") view=Incidents/>
                    <Route path=path!("incidents/new") view=NewIncident/>
                    <Route path=path!("incidents/:id") view=IncidentDetail/>
                    <Route path=path!("maintenance") view=Maintenances/>
                    <Route path=path!("templates") view=Templates/>
                    <Route path=path!("subscribers") view=Subscribers/>
                    <Route path=path!("integrations") view=Integrations/>
                    <Route path=path!("team") view=Team/>
                    <Route path=path!("settings") view=Settings/>
                    <Route path=path!("security") view=Security/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
