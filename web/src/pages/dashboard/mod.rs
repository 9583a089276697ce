//! The dashboard at `/dashboard/{org}/...`: signed in, one organization at a time. The layout
//! loads who is signed in (sending a signed-out person to sign in and back), gives the pages the
//! org and the person's role, switches orgs, marks the current page in the navigation, and holds
//! the dashboard's feedback: the alert region for failures, toasts for successes, and the
//! confirmation dialog.

pub mod branding;
pub mod incidents;
pub mod integrations;
pub mod maintenance;
pub mod markdown;
pub mod monitors;
pub mod page_access;
pub mod security;
pub mod services;
pub mod settings;
pub mod statuspage;
pub mod subscribers;
pub mod team;
pub mod templates;
pub mod two_factor_rule;

use crate::api::{self, ApiError};
use crate::components::{
    Confirm, ConfirmDialog, EmptyState, Field, FormError, ToastRegion, Toasts, loaded,
};
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::{use_location, use_navigate, use_params_map};

use upstate_shared::dto::{CreateOrgRequest, Me};
use upstate_shared::{ErrorCode, Role};

/// The org the dashboard shows and the signed-in person's role in it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgContext {
    pub slug: String,
    pub name: String,
    pub role: Role,
}

impl OrgContext {
    pub fn can_edit(&self) -> bool {
        self.role.at_least(Role::Editor)
    }
}

/// Bumped on every event of the org's member WebSocket: lists that read it refetch, so another
/// member's change appears without a reload.
#[derive(Debug, Clone, Copy)]
pub struct LiveTick(pub RwSignal<u32>);

/// The services a subscription is limited to, by name; "All services" when none.
pub fn service_names(
    ids: &[upstate_shared::ServiceId],
    services: &[upstate_shared::dto::Service],
) -> String {
    if ids.is_empty() {
        return "All services".to_owned();
    }
    ids.iter()
        .map(|id| {
            services
                .iter()
                .find(|s| &s.id == id)
                .map_or_else(|| "a removed service".to_owned(), |s| s.name.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a dashboard page shows: fetched with the page's org, and fetched again on any event of
/// the member WebSocket (another member's change) and whenever `version` is bumped (this
/// person's own change).
pub fn live_resource<T, Fut>(
    version: RwSignal<u32>,
    fetch: impl Fn(OrgContext) -> Fut + 'static,
) -> LocalResource<Result<T, ApiError>>
where
    T: 'static,
    Fut: std::future::Future<Output = Result<T, ApiError>> + 'static,
{
    let org = expect_context::<OrgContext>();
    let live = expect_context::<LiveTick>().0;
    LocalResource::new(move || {
        version.get();
        live.get();
        fetch(org.clone())
    })
}

/// Sends a signed-out person to sign in, and back here afterwards.
fn to_sign_in() {
    let path = use_location().pathname.get_untracked();
    use_navigate()(&format!("/login?next={path}"), Default::default());
}

/// The outcome of the dashboard's writes started from a button: a failure stays in the alert
/// region (until the next write works), a success is said in a toast. Every such write goes
/// through [`Alert::run`], so its outcome is shown, never dropped.
#[derive(Clone, Copy)]
pub struct Alert {
    failure: RwSignal<Option<String>>,
    toasts: Toasts,
}

impl Alert {
    /// Runs `write` (described as `what`, e.g. "Revoking the key"); a failure is shown in the
    /// alert region, a success clears it and says `worked` ("Key revoked") in a toast. `done`
    /// runs after either (to reload what changed).
    pub fn run<T: 'static>(
        self,
        what: &'static str,
        worked: impl Into<String>,
        write: impl std::future::Future<Output = Result<T, ApiError>> + 'static,
        done: impl FnOnce() + 'static,
    ) {
        let worked = worked.into();
        leptos::task::spawn_local(async move {
            match write.await {
                Ok(_) => {
                    self.failure.set(None);
                    self.toasts.success(worked);
                }
                Err(e) => self.fail(format!("{what} failed: {}", e.message())),
            }
            done();
        });
    }

    /// Shows a failure that came another way (renewing the session, signing out).
    pub fn fail(self, message: String) {
        self.failure.set(Some(message));
    }
}

/// `/dashboard`: the person's organizations, and creating one.
#[component]
pub fn DashboardHome() -> impl IntoView {
    let me = LocalResource::new(api::me);
    let name = RwSignal::new(String::new());
    let slug = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let navigate = use_navigate();
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let slug_text = slug.get_untracked();
            let body = CreateOrgRequest {
                name: name.get_untracked(),
                slug: (!slug_text.trim().is_empty()).then_some(slug_text),
            };
            if let Err(fields) = upstate_shared::valid::NewOrg::try_from(&body) {
                error.set(Some(ApiError::invalid(fields)));
                return;
            }
            match api::create_org(&body).await {
                Ok(org) => navigate(&format!("/dashboard/{}", org.slug), Default::default()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <main class="page">
            <header class="masthead"><h1>"Your status pages"</h1></header>
            {move || match me.get() {
                None => view! { <p class="muted" aria-busy="true">"Loading…"</p> }.into_any(),
                Some(Err(e)) if e.code() == ErrorCode::Unauthenticated => {
                    to_sign_in();
                    view! { <p class="muted">"Signing you in…"</p> }.into_any()
                }
                Some(Err(e)) => view! { <p role="alert">{e.message().to_owned()}</p> }.into_any(),
                Some(Ok(me)) if me.memberships.is_empty() => view! {
                    <EmptyState title="You are not part of any organization yet"
                        hint="Create one below for your status page, or ask a teammate to invite you to theirs."/>
                }.into_any(),
                Some(Ok(me)) => view! {
                    <ul class="org-list">
                        {me.memberships.into_iter().map(|m| view! {
                            <li><A href=format!("/dashboard/{}", m.org.slug)>{m.org.name.clone()}</A>
                                <span class="meta">{format!(" · {} · ", m.role.label())}</span>
                                <a href=format!("/status/{}", m.org.slug) rel="external" data-testid="status-page-link">"Status page"</a></li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <section aria-labelledby="new-org">
                <h2 id="new-org">"Create an organization"</h2>
                <form novalidate=true on:submit=create>
                    <Field label="Name" name="name" value=name error=error/>
                    <Field label="Address (optional: letters, digits, dashes)" name="slug" value=slug error=error/>
                    <FormError error=error/>
                    <button type="submit" class="primary">"Create organization"</button>
                </form>
            </section>
        </main>
    }
}

/// The frame around every `/dashboard/{org}/...` page.
#[component]
pub fn DashboardLayout() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("org").unwrap_or_default());
    let me: LocalResource<Result<Me, ApiError>> = LocalResource::new(api::me);
    let tick = LiveTick(RwSignal::new(0));
    provide_context(tick);
    let toasts = Toasts::default();
    provide_context(toasts);
    let alert = Alert {
        failure: RwSignal::new(None),
        toasts,
    };
    provide_context(alert);
    let confirm = Confirm::default();
    provide_context(confirm);
    let live_status = RwSignal::new(crate::live::Connection::Connecting);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let stop = stop.clone();
        on_cleanup(move || stop.store(true, std::sync::atomic::Ordering::Relaxed));
    }
    // Refresh the session before the 15-minute access token runs out, while the dashboard is open.
    {
        let stop = stop.clone();
        leptos::task::spawn_local(async move {
            loop {
                crate::time::sleep(10 * 60 * 1000).await;
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    return;
                }
                // A renewal that fails is said (the next call then signs the person in again).
                if let Err(e) = api::refresh().await {
                    alert.fail(format!("Renewing your session failed: {}", e.message()));
                }
            }
        });
    }
    // The org's live channel, once the person is known to work in it (a member whom the org
    // requires two-factor of is refused it, and is shown the way to their account instead).
    Effect::new(move |followed: Option<bool>| {
        if followed == Some(true) {
            return true;
        }
        let Some(Ok(me)) = me.get() else {
            return false;
        };
        let current = slug.get_untracked();
        let allowed = me
            .memberships
            .iter()
            .any(|m| m.org.slug == current && (me.two_factor || !m.org.require_two_factor));
        if allowed {
            crate::live::follow(
                format!("/api/v1/orgs/{current}/ws"),
                live_status,
                stop.clone(),
                move |frame| {
                    if frame.kind != upstate_shared::EventKind::Hello {
                        tick.0.update(|n| *n += 1);
                    }
                },
            );
        }
        true
    });
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::logout().await {
                Ok(()) => navigate("/login", Default::default()),
                Err(e) => alert.fail(format!("Signing out failed: {}", e.message())),
            }
        });
    };
    view! {
        {move || match me.get() {
            None => view! { <p class="page muted" aria-busy="true">"Loading…"</p> }.into_any(),
            Some(Err(e)) if e.code() == ErrorCode::Unauthenticated => {
                to_sign_in();
                view! { <p class="page muted">"Signing you in…"</p> }.into_any()
            }
            Some(Err(e)) => view! { <p class="page" role="alert">{e.message().to_owned()}</p> }.into_any(),
            Some(Ok(me)) => {
                let current = slug.get();
                let Some(membership) = me.memberships.iter().find(|m| m.org.slug == current).cloned() else {
                    return view! {
                        <main class="page empty-state"><h1>"No such organization"</h1>
                        <p><A href="/dashboard">"Your organizations"</A></p></main>
                    }.into_any();
                };
                // The org's owners require two-factor sign-in, and this person has none yet:
                // every route of the org would refuse them, so the dashboard leads them to
                // their account instead.
                if membership.org.require_two_factor && !me.two_factor {
                    return view! {
                        <main class="page empty-state" data-testid="two-factor-required">
                            <h1>{format!("{} requires two-factor sign-in", membership.org.name)}</h1>
                            <p>"Its owners ask every member to sign in with a code from an authenticator app as well as a password. Turn it on for your account, then come back: everything of the organization opens again."</p>
                            <p><A href="/account" attr:class="button primary">"Turn on two-factor sign-in"</A></p>
                            <p><A href="/dashboard">"Your organizations"</A></p>
                        </main>
                    }.into_any();
                }
                let context = OrgContext { slug: current.clone(), name: membership.org.name.clone(), role: membership.role };
                provide_context(context.clone());
                let others = me.memberships.clone();
                let switch = {
                    let navigate = use_navigate();
                    move |ev: leptos::ev::Event| {
                        let target = event_target_value(&ev);
                        navigate(&format!("/dashboard/{target}"), Default::default());
                    }
                };
                view! {
                    <div class="dashboard">
                        <header class="dash-header">
                            <label class="sr-only" for="org-switcher">"Organization"</label>
                            <select id="org-switcher" class="org-switcher" on:change=switch>
                                {others.into_iter().map(|m| {
                                    let selected = m.org.slug == current;
                                    view! { <option value=m.org.slug.clone() selected=selected>{m.org.name.clone()}</option> }
                                }).collect_view()}
                            </select>
                            // `<A>` marks the link of the page shown with aria-current="page"; the
                            // Overview only on itself, the others on their pages below too.
                            <nav aria-label="Dashboard" class="dash-nav">
                                <A href=format!("/dashboard/{current}") exact=true>"Overview"</A>
                                <A href=format!("/dashboard/{current}/services")>"Services"</A>
                                <A href=format!("/dashboard/{current}/monitors") attr:data-testid="nav-monitors">"Monitors"</A>
                                <A href=format!("/dashboard/{current}/incidents")>"Incidents"</A>
                                <A href=format!("/dashboard/{current}/maintenance")>"Maintenance"</A>
                                <A href=format!("/dashboard/{current}/templates") attr:data-testid="nav-templates">"Templates"</A>
                                {membership.role.at_least(Role::Admin).then(|| view! {
                                    <A href=format!("/dashboard/{current}/subscribers")>"Subscribers"</A>
                                    <A href=format!("/dashboard/{current}/integrations")>"Integrations"</A>
                                    <A href=format!("/dashboard/{current}/team")>"Team"</A>
                                    <A href=format!("/dashboard/{current}/settings")>"Settings"</A>
                                })}
                                {membership.role.at_least(Role::Owner).then(|| view! {
                                    <A href=format!("/dashboard/{current}/security") attr:data-testid="nav-security">"Security"</A>
                                })}
                                <a href=format!("/status/{current}") target="_blank" rel="noopener">"Public page ↗"</a>
                            </nav>
                            <span class="dash-user"><A href="/account" attr:data-testid="nav-account">{me.user.name.clone()}</A>" "<span class="badge">{membership.role.label()}</span></span>
                            <button on:click=sign_out.clone()>"Sign out"</button>
                        </header>
                        <p class="dash-alert" role="alert" data-testid="dash-alert">{move || alert.failure.get()}</p>
                        <main class="page wide"><Outlet/></main>
                        <ToastRegion toasts=toasts/>
                        <ConfirmDialog confirm=confirm/>
                    </div>
                }.into_any()
            }
        }}
    }
}

/// `/dashboard/{org}`: what the public sees now, with the quick actions: declare an incident,
/// and change any service's status in one step.
#[component]
pub fn Overview() -> impl IntoView {
    let org = expect_context::<OrgContext>();
    let version = RwSignal::new(0u32);
    let data = live_resource(version, |org| async move {
        let summary = api::public_summary(&org.slug).await?;
        let services = api::services(&org.slug).await?;
        Ok((summary, services.items))
    });
    let declare = format!("/dashboard/{}/incidents/new", org.slug);
    let can_edit = org.can_edit();
    let row_org = org.clone();
    view! {
        <h1>{org.name.clone()}</h1>
        <Show when=move || can_edit>
            <p><A href=declare.clone() attr:class="button primary">"Declare an incident"</A></p>
        </Show>
        {loaded(data, "Loading…", move |(summary, services)| {
                let org = row_org.clone();
                view! {
                    <p class=format!("banner banner-{}", summary.status.indicator.as_str()) data-testid="dash-banner">{summary.status.description.clone()}</p>
                    <p class="meta">{format!("{} services · {} open incidents", summary.services.len(), summary.incidents.len())}</p>
                    <h2>"Services"</h2>
                    {services.is_empty().then(|| if can_edit {
                        let services_path = format!("/dashboard/{}/services", org.slug);
                        view! {
                            <EmptyState title="No services yet"
                                hint="Add the services your visitors rely on: their status shows on your public page.">
                                <A href=services_path attr:class="button">"Add a service"</A>
                            </EmptyState>
                        }.into_any()
                    } else { view! {
                        <EmptyState title="No services yet" hint="An editor adds them on the Services page."/>
                    }.into_any() })}
                    <ul class="dash-services">
                        {services.into_iter().map(|service| {
                            let held = service.status != service.manual_status;
                            view! {
                                <li class="dash-service" data-testid="overview-service">
                                    <span class="service-name">{service.name.clone()}</span>
                                    <crate::components::StatusBadge status=service.status/>
                                    {held.then(|| view! { <span class="meta">"(held by an incident or maintenance)"</span> })}
                                    {can_edit.then(|| view! {
                                        <services::StatusPicker service=service.clone() org=org.clone() version=version/>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
        })}
    }
}
