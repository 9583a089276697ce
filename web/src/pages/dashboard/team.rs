//! `/dashboard/{org}/team` (admins): members and their roles (removing one asks first, in the
//! dashboard's dialog), invitations by email with the accept link to hand over, pending
//! invitations with revoke; and `/invite#{token}`, where the invited person joins.

use super::OrgContext;
use crate::api::{self, ApiError};
use crate::components::{Confirm, EmptyState, Field, FormError, Question, Toasts, loaded};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use upstate_shared::dto::{AcceptInvitationRequest, CreateInvitationRequest};
use upstate_shared::valid::Invite;
use upstate_shared::{ErrorCode, Role};

fn role_options(current: Role, allow_owner: bool) -> impl IntoView {
    Role::ALL
        .iter()
        .filter(move |r| allow_owner || **r != Role::Owner)
        .map(
            move |r| view! { <option value=r.as_str() selected=*r == current>{r.label()}</option> },
        )
        .collect_view()
}

#[component]
pub fn Team() -> impl IntoView {
    let org = expect_context::<OrgContext>();
    let alert = expect_context::<super::Alert>();
    let confirm = expect_context::<Confirm>();
    let toasts = expect_context::<Toasts>();
    let version = RwSignal::new(0u32);
    let data = super::live_resource(version, |org| async move {
        let members = api::members(&org.slug).await?;
        let invitations = api::invitations(&org.slug).await?;
        Ok((members.items, invitations.items))
    });
    let reload = move || version.update(|v| *v += 1);
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Editor);
    let error = RwSignal::new(None::<ApiError>);
    let link = RwSignal::new(None::<String>);
    let owner = org.role == Role::Owner;
    let invite = {
        let org = org.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let org = org.clone();
            leptos::task::spawn_local(async move {
                let body = CreateInvitationRequest {
                    email: email.get_untracked(),
                    role: role.get_untracked(),
                };
                if let Err(fields) = Invite::try_from(&body) {
                    error.set(Some(ApiError::invalid(fields)));
                    return;
                }
                match api::invite(&org.slug, &body).await {
                    Ok(invitation) => {
                        toasts.success(format!("Invitation sent to {}", invitation.email));
                        link.set(invitation.accept_url);
                        email.set(String::new());
                        error.set(None);
                        reload();
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let rows_org = org.clone();
    view! {
        <h1>"Team"</h1>
        {loaded(data, "Loading the team…", move |(members, invitations)| {
                let org = rows_org.clone();
                let org2 = rows_org.clone();
                view! {
                    <table class="table">
                        <caption class="sr-only">"Members"</caption>
                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"Two-factor"</th><th scope="col" class="actions"><span class="sr-only">"Actions"</span></th></tr></thead>
                        <tbody>
                            {members.into_iter().map(|m| {
                                let (slug, user) = (org.slug.clone(), m.user.id.clone());
                                let (slug2, user2) = (slug.clone(), user.clone());
                                let who = format!("{} ({})", m.user.name, m.user.email);
                                view! {
                                    <tr data-testid="member">
                                        <td>{m.user.name.clone()}</td>
                                        <td>{m.user.email.clone()}</td>
                                        <td>
                                            <select aria-label=format!("Role of {}", m.user.name) on:change=move |ev| {
                                                let Ok(value) = event_target_value(&ev).parse::<Role>() else { return };
                                                let (slug, user) = (slug.clone(), user.clone());
                                                // Reloaded either way: a refused change puts the select back.
                                                alert.run(
                                                    "Changing the role",
                                                    format!("Role changed to {}", value.label()),
                                                    async move { api::update_member(&slug, &user, value).await },
                                                    reload,
                                                );
                                            }>{role_options(m.role, owner)}</select>
                                        </td>
                                        <td data-testid="member-two-factor">{if m.two_factor { "On" } else { "Off" }}</td>
                                        <td class="actions"><button class="danger" on:click=move |_| {
                                            let (slug, user) = (slug2.clone(), user2.clone());
                                            let question = Question {
                                                title: format!("Remove {who} from the team?"),
                                                detail: "They lose access to this organization's dashboard at once. You can invite them again later.".to_owned(),
                                                action: "Remove member",
                                            };
                                            confirm.ask(question, move || alert.run(
                                                "Removing the member",
                                                "Member removed",
                                                async move { api::remove_member(&slug, &user).await },
                                                reload,
                                            ));
                                        }>"Remove"</button></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <h2>"Pending invitations"</h2>
                    {if invitations.is_empty() { view! {
                        <EmptyState title="No pending invitations"
                            hint="Invite someone with the form below: they get an email with a link to join, as the role you choose."/>
                    }.into_any() } else { view! {
                        <table class="table">
                            <caption class="sr-only">"Pending invitations"</caption>
                            <thead><tr><th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col" class="actions"><span class="sr-only">"Actions"</span></th></tr></thead>
                            <tbody>{invitations.into_iter().map(|i| {
                                let (slug, id) = (org2.slug.clone(), i.id.clone());
                                view! { <tr data-testid="invitation">
                                    <td>{i.email.clone()}</td>
                                    <td><span class="badge">{i.role.label()}</span></td>
                                    <td class="actions"><button on:click=move |_| {
                                        let (slug, id) = (slug.clone(), id.clone());
                                        alert.run(
                                            "Revoking the invitation",
                                            "Invitation revoked",
                                            async move { api::revoke_invitation(&slug, &id).await },
                                            reload,
                                        );
                                    }>"Revoke"</button></td></tr> }
                            }).collect_view()}</tbody>
                        </table>
                    }.into_any() }}
                }.into_any()
        })}
        <form novalidate=true on:submit=invite class="dash-forms-single">
            <h2>"Invite someone"</h2>
            <Field label="Email" name="invite-email" field="email" kind="email" value=email error=error/>
            <div class="field"><label for="invite-role">"Role"</label>
                <select id="invite-role" on:change=move |ev| if let Ok(r) = event_target_value(&ev).parse() { role.set(r) }>{role_options(Role::Editor, owner)}</select></div>
            <FormError error=error/>
            <button type="submit" class="primary">"Send invitation"</button>
        </form>
        {move || link.get().map(|url| view! {
            <div class="notice">
                <p>"You can also hand over the invitation's link (it works once, for 7 days):"</p>
                <input class="copyable" readonly aria-label="Invitation link" data-testid="accept-url" prop:value=url.clone()/>
                <button on:click=move |_| copy(&url)>"Copy"</button>
            </div>
        })}
    }
}

/// Puts text on the clipboard.
pub fn copy(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}

/// `/invite#{token}`: join the org the invitation is for. The token is in the fragment, which
/// the browser sends to no server; it goes to the API in a request body.
#[component]
pub fn AcceptInvitation() -> impl IntoView {
    let token = crate::pages::auth::token_from_fragment();
    let me = LocalResource::new(api::me);
    let error = RwSignal::new(None::<ApiError>);
    let navigate = use_navigate();
    // Back here after signing in: `#` written as %23, so it stays in the `next` parameter.
    let here = format!("/invite%23{token}");
    let join = move |_| {
        let (token, navigate) = (token.clone(), navigate.clone());
        leptos::task::spawn_local(async move {
            match api::accept_invitation(&AcceptInvitationRequest { token }).await {
                Ok(joined) => navigate(
                    &format!("/dashboard/{}", joined.org.slug),
                    Default::default(),
                ),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <main class="page narrow">
            <h1>"Join a team on Upstate"</h1>
            {move || match me.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(e)) if e.code() == ErrorCode::Unauthenticated => view! {
                    <p>"Sign in, or create an account with the email the invitation was sent to."</p>
                    <p><A href=format!("/login?next={here}")>"Sign in"</A>" · "<A href=format!("/signup?next={here}")>"Create an account"</A></p>
                }.into_any(),
                Some(Err(e)) => view! { <p role="alert">{e.message().to_owned()}</p> }.into_any(),
                Some(Ok(me)) => view! {
                    <p>{format!("You are signed in as {}.", me.user.email)}</p>
                    <button class="primary" on:click=join.clone()>"Join the team"</button>
                }.into_any(),
            }}
            <FormError error=error/>
        </main>
    }
}
