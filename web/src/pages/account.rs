//! `/account`: a person's own account, whatever org they work in: their name, their address
//! (changed once the link sent to the new one is followed: `/account/email`), their password
//! (the current one proves it is them; every other session ends), their second factors (an
//! authenticator app, passkeys), and their sessions (where and when each was last used; end
//! one, or every other at once); their data to download, and the account to delete.

use crate::api::{self, ApiError};
use crate::components::{Field, FormError, ToastRegion, Toasts, loaded};
use leptos::prelude::*;
use leptos_router::components::A;
use upstate_shared::ErrorCode;
use upstate_shared::dto::{
    AccountDeletion, AccountSession, EmailChangeConfirm, EmailChangeRequest, PasskeyCreate,
    PasskeyView, PasswordChange, ProfileUpdate, TotpEnrolment, TwoFactorCode,
};

#[component]
pub fn Account() -> impl IntoView {
    let toasts = Toasts::default();
    provide_context(toasts);
    let me = LocalResource::new(api::me);
    view! {
        <main class="page">
            <p><A href="/dashboard">"← Your status pages"</A></p>
            <h1>"Your account"</h1>
            {move || match me.get() {
                None => view! { <p class="muted" aria-busy="true">"Loading…"</p> }.into_any(),
                Some(Err(e)) if e.code() == ErrorCode::Unauthenticated => view! {
                    <p>"You are signed out. " <A href="/login">"Sign in"</A></p>
                }
                .into_any(),
                Some(Err(e)) => view! { <p role="alert">{e.message().to_owned()}</p> }.into_any(),
                Some(Ok(me)) => view! {
                    <p class="muted">{format!("Signed in as {}", me.user.email)}</p>
                    <Profile name=me.user.name.clone()/>
                    <EmailAddress/>
                    <Password/>
                    <TwoFactor/>
                    <Passkeys/>
                    <Sessions/>
                    <YourData/>
                    <DeleteAccount/>
                }
                .into_any(),
            }}
            <ToastRegion toasts=toasts/>
        </main>
    }
}

#[component]
fn Profile(name: String) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let name = RwSignal::new(name);
    let error = RwSignal::new(None::<ApiError>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = ProfileUpdate {
            name: name.get_untracked(),
        };
        if let Err(fields) = upstate_shared::valid::ProfileChange::try_from(&body) {
            error.set(Some(ApiError::invalid(fields)));
            return;
        }
        leptos::task::spawn_local(async move {
            match api::update_account(&body).await {
                Ok(user) => {
                    error.set(None);
                    name.set(user.name);
                    toasts.success("Name saved");
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="profile-title">
            <h2 id="profile-title">"Profile"</h2>
            <form novalidate=true on:submit=save>
                <Field label="Name" name="name" value=name error=error autocomplete="name"
                    hint="What your team sees next to your incident updates."/>
                <FormError error=error/>
                <button type="submit" class="primary">"Save name"</button>
            </form>
        </section>
    }
}

#[component]
fn EmailAddress() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let sent_to = RwSignal::new(None::<String>);
    let ask = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = EmailChangeRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        if let Err(fields) = upstate_shared::valid::EmailChange::try_from(&body) {
            error.set(Some(ApiError::invalid(fields)));
            return;
        }
        leptos::task::spawn_local(async move {
            match api::change_email(&body).await {
                Ok(()) => {
                    error.set(None);
                    password.set(String::new());
                    sent_to.set(Some(body.email.trim().to_owned()));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="email-title">
            <h2 id="email-title">"Email address"</h2>
            <form novalidate=true on:submit=ask>
                <Field label="New address" name="email" kind="email" value=email error=error
                    autocomplete="email" hint="It becomes your address once you follow the link we send there."/>
                <Field label="Your password" name="email_password" field="password" kind="password"
                    value=password error=error autocomplete="current-password"/>
                <FormError error=error/>
                <button type="submit" class="primary">"Change address"</button>
            </form>
            {move || sent_to.get().map(|to| view! {
                <p role="status" data-testid="email-sent">{format!("We sent a link to {to}. Your address changes when you follow it.")}</p>
            })}
        </section>
    }
}

/// `/account/email#TOKEN`: the link mailed to a new address, followed.
#[component]
pub fn ConfirmEmailChange() -> impl IntoView {
    let outcome = RwSignal::new(None::<Result<String, ApiError>>);
    leptos::task::spawn_local(async move {
        let token = crate::pages::auth::token_from_fragment();
        let result = api::confirm_email_change(&EmailChangeConfirm { token })
            .await
            .map(|user| user.email);
        outcome.set(Some(result));
    });
    view! {
        <main class="page narrow">
            <h1>"Confirm your new address"</h1>
            {move || match outcome.get() {
                None => view! { <p>"Confirming…"</p> }.into_any(),
                Some(Ok(email)) => view! {
                    <p role="status" data-testid="email-changed">
                        {format!("Your account's address is now {email}. ")}
                        <A href="/account">"Your account"</A>
                    </p>
                }
                .into_any(),
                Some(Err(e)) => view! { <p role="alert">{e.message().to_owned()}</p> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn Password() -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let change = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = PasswordChange {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        if let Err(fields) = upstate_shared::valid::ChangedPassword::try_from(&body) {
            error.set(Some(ApiError::invalid(fields)));
            return;
        }
        leptos::task::spawn_local(async move {
            match api::change_password(&body).await {
                Ok(()) => {
                    error.set(None);
                    current.set(String::new());
                    new.set(String::new());
                    toasts.success("Password changed; your other sessions are signed out");
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="password-title">
            <h2 id="password-title">"Password"</h2>
            <form novalidate=true on:submit=change>
                <Field label="Current password" name="current_password" kind="password"
                    value=current error=error autocomplete="current-password"/>
                <Field label="New password" name="new_password" kind="password"
                    value=new error=error autocomplete="new-password"
                    hint="8 to 128 characters. Every other session of your account is signed out."/>
                <FormError error=error/>
                <button type="submit" class="primary">"Change password"</button>
            </form>
        </section>
    }
}

/// Two-factor sign-in with an authenticator app: set up from a QR code (or the secret typed in),
/// turned on by a first code, which shows the ten recovery codes once; turned off with a code.
#[component]
fn TwoFactor() -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let status = LocalResource::new(api::two_factor);
    let enrolment = RwSignal::new(None::<TotpEnrolment>);
    let recovery = RwSignal::new(None::<Vec<String>>);
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let start = move |_| {
        leptos::task::spawn_local(async move {
            match api::start_totp().await {
                Ok(started) => {
                    error.set(None);
                    enrolment.set(Some(started));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = TwoFactorCode {
            code: code.get_untracked().trim().to_owned(),
        };
        leptos::task::spawn_local(async move {
            match api::confirm_totp(&body).await {
                Ok(codes) => {
                    error.set(None);
                    code.set(String::new());
                    enrolment.set(None);
                    recovery.set(Some(codes.recovery_codes));
                    toasts.success("Two-factor sign-in is on");
                    status.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let disable = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = TwoFactorCode {
            code: code.get_untracked().trim().to_owned(),
        };
        leptos::task::spawn_local(async move {
            match api::disable_totp(&body).await {
                Ok(()) => {
                    error.set(None);
                    code.set(String::new());
                    toasts.success("Two-factor sign-in is off");
                    status.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="two-factor-title">
            <h2 id="two-factor-title">"Two-factor sign-in"</h2>
            {move || recovery.get().map(|codes| view! {
                <div class="notice" data-testid="recovery-codes">
                    <p><strong>"Your recovery codes, shown this once."</strong>" Keep them somewhere safe: each signs you in once if your phone is not at hand."</p>
                    <ul class="plain codes">{codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
                    <button on:click=move |_| recovery.set(None)>"I have saved them"</button>
                </div>
            })}
            {loaded(status, "Loading…", move |now| {
                if now.totp_enabled {
                    view! {
                        <p data-testid="two-factor-state">{format!(
                            "On: signing in asks for a code from your authenticator app. {} recovery codes left.",
                            now.recovery_codes_left
                        )}</p>
                        <form novalidate=true on:submit=disable>
                            <Field label="Code from your authenticator app" name="totp_code" field="code"
                                value=code error=error autocomplete="one-time-code"/>
                            <FormError error=error/>
                            <button type="submit">"Turn off two-factor"</button>
                        </form>
                    }
                    .into_any()
                } else {
                    view! {
                        <p data-testid="two-factor-state">"Off: signing in asks for no code from an authenticator app (a passkey, below, is a second factor too)."</p>
                        {move || match enrolment.get() {
                            None => view! {
                                <button class="primary" on:click=start>"Set up two-factor"</button>
                                <FormError error=error/>
                            }
                            .into_any(),
                            Some(started) => view! {
                                <p>"Scan this code with your authenticator app, or type the key in by hand, then enter the six digits it shows."</p>
                                <div class="qr" data-testid="totp-qr" inner_html=started.qr_svg.clone()></div>
                                <p>"Key: "<code data-testid="totp-secret">{started.secret.clone()}</code></p>
                                <form novalidate=true on:submit=confirm>
                                    <Field label="Code from your authenticator app" name="totp_code" field="code"
                                        value=code error=error autocomplete="one-time-code"/>
                                    <FormError error=error/>
                                    <button type="submit" class="primary">"Turn on two-factor"</button>
                                </form>
                            }
                            .into_any(),
                        }}
                    }
                    .into_any()
                }
            })}
        </section>
    }
}

/// Passkeys: added with a name (the password proves it is the person, then the browser makes
/// the passkey), renamed, removed. Each signs in alone, or passes the second step after the
/// password.
#[component]
fn Passkeys() -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let passkeys = LocalResource::new(api::passkeys);
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Err(fields) = upstate_shared::valid::PasskeyName::check(&name.get_untracked()) {
            error.set(Some(ApiError::invalid(fields)));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let added = async {
                let started = api::start_passkey_registration(password.get_untracked()).await?;
                let credential = crate::passkey::create(started.options).await?;
                api::add_passkey(&PasskeyCreate {
                    ceremony: started.ceremony,
                    name: name.get_untracked(),
                    credential,
                })
                .await
            };
            match added.await {
                Ok(passkey) => {
                    error.set(None);
                    name.set(String::new());
                    password.set(String::new());
                    toasts.success(format!("Passkey \u{201c}{}\u{201d} added", passkey.name));
                    passkeys.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let changed = move || passkeys.refetch();
    view! {
        <section aria-labelledby="passkeys-title">
            <h2 id="passkeys-title">"Passkeys"</h2>
            <p class="muted">"A passkey signs you in without your password (your device checks it is you: a fingerprint, a face, a PIN), and counts as a second factor after your password."</p>
            {loaded(passkeys, "Loading passkeys…", move |list| {
                if list.items.is_empty() {
                    view! { <p data-testid="no-passkeys">"No passkey yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain passkeys" data-testid="passkeys">
                            {list.items.into_iter().map(|passkey| view! { <PasskeyRow passkey=passkey on_change=changed/> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            })}
            <form novalidate=true on:submit=add data-testid="add-passkey">
                <Field label="Name of the new passkey" name="passkey_name" field="name" value=name error=error
                    hint="Say which device it is on: \u{201c}Laptop\u{201d}, \u{201c}Phone\u{201d}."/>
                <Field label="Your password" name="passkey_password" field="password" kind="password"
                    value=password error=error autocomplete="current-password"/>
                <FormError error=error/>
                <button type="submit" class="primary" disabled=move || busy.get()>"Add a passkey"</button>
            </form>
        </section>
    }
}

#[component]
fn PasskeyRow(
    passkey: PasskeyView,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let editing = RwSignal::new(false);
    let name = RwSignal::new(passkey.name.clone());
    let error = RwSignal::new(None::<ApiError>);
    let id = StoredValue::new(passkey.id.clone());
    let used = passkey.last_used_at.map_or_else(
        || "never used yet".to_owned(),
        |at| format!("last used {}", crate::time::relative(at)),
    );
    let rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Err(fields) = upstate_shared::valid::PasskeyName::check(&name.get_untracked()) {
            error.set(Some(ApiError::invalid(fields)));
            return;
        }
        leptos::task::spawn_local(async move {
            match api::rename_passkey(&id.get_value(), name.get_untracked()).await {
                Ok(_) => {
                    error.set(None);
                    editing.set(false);
                    toasts.success("Passkey renamed");
                    on_change();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let remove = move |_| {
        leptos::task::spawn_local(async move {
            match api::remove_passkey(&id.get_value()).await {
                Ok(()) => {
                    toasts.success("Passkey removed");
                    on_change();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let title = passkey.name.clone();
    view! {
        <li data-testid="passkey">
            <strong data-testid="passkey-name">{title}</strong>
            <p class="meta">{format!("Added {} · {used}", crate::time::local(passkey.created_at))}</p>
            <Show when=move || editing.get() fallback=move || view! {
                <button on:click=move |_| editing.set(true)>"Rename"</button>
                " "
                <button on:click=remove>"Remove"</button>
                <FormError error=error/>
            }>
                <form novalidate=true on:submit=rename>
                    <Field label="New name" name="passkey_rename" field="name" value=name error=error/>
                    <FormError error=error/>
                    <button type="submit" class="primary">"Save name"</button>
                    " "
                    <button type="button" on:click=move |_| editing.set(false)>"Cancel"</button>
                </form>
            </Show>
        </li>
    }
}

#[component]
fn Sessions() -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let sessions = LocalResource::new(api::account_sessions);
    let error = RwSignal::new(None::<ApiError>);
    let end = move |id: String| {
        leptos::task::spawn_local(async move {
            match api::end_session(&id).await {
                Ok(()) => {
                    error.set(None);
                    toasts.success("Session ended");
                    sessions.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let end_others = move |_| {
        leptos::task::spawn_local(async move {
            match api::end_other_sessions().await {
                Ok(ended) => {
                    error.set(None);
                    toasts.success(match ended.ended {
                        1 => "1 other session ended".to_owned(),
                        n => format!("{n} other sessions ended"),
                    });
                    sessions.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="sessions-title">
            <h2 id="sessions-title">"Where you are signed in"</h2>
            {loaded(sessions, "Loading sessions…", move |list| {
                let others = list.items.iter().filter(|s| !s.current).count();
                view! {
                    <ul class="plain sessions" data-testid="sessions">
                        {list.items.into_iter().map(|session| view! { <SessionRow session=session on_end=end/> }).collect_view()}
                    </ul>
                    {(others > 0).then(|| view! {
                        <button on:click=end_others data-testid="end-other-sessions">"Sign out everywhere else"</button>
                    })}
                }
            })}
            <FormError error=error/>
        </section>
    }
}

#[component]
fn SessionRow(session: AccountSession, on_end: impl Fn(String) + Copy + 'static) -> impl IntoView {
    let agent = session
        .user_agent
        .clone()
        .unwrap_or_else(|| "An unknown browser".to_owned());
    let from = session
        .client_address
        .clone()
        .map(|address| format!(" from {address}"))
        .unwrap_or_default();
    let id = session.id.clone();
    view! {
        <li data-testid="session">
            <strong>{agent}</strong>
            {session.current.then(|| view! { " " <span class="badge">"This session"</span> })}
            <p class="meta">
                {format!(
                    "Last used {}{from} · signed in {}",
                    crate::time::relative(session.last_used_at),
                    crate::time::local(session.created_at)
                )}
            </p>
            {(!session.current).then(|| view! {
                <button on:click=move |_| on_end(id.clone())>"End this session"</button>
            })}
        </li>
    }
}

/// "Your data": everything Upstate keeps about the person, as one JSON file.
#[component]
fn YourData() -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let download = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let document = api::export_account().await;
            busy.set(false);
            let day = chrono::Utc::now().format("%Y-%m-%d");
            match document.and_then(|text| {
                crate::components::download(
                    &format!("upstate-account-{day}.json"),
                    "application/json",
                    &text,
                )
            }) {
                Ok(()) => {
                    error.set(None);
                    toasts.success("Your data was downloaded");
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="data-title">
            <h2 id="data-title">"Your data"</h2>
            <p>
                "Everything Upstate keeps about you in one JSON file: your profile, your "
                "memberships, your sessions, the audit entries of what you did and of what was "
                "done to your account, and your subscriptions. Nothing about other people."
            </p>
            <button type="button" on:click=download disabled=move || busy.get()
                data-testid="download-account-data">"Download your data"</button>
            <FormError error=error/>
        </section>
    }
}

/// "Delete your account": refused while the person is the last owner of an org (the server's
/// message names each); proven by the password or a two-factor code. Afterwards the browser
/// goes to the start page, signed out (its cookies cleared by the server).
#[component]
fn DeleteAccount() -> impl IntoView {
    let asked = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let delete = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let given = |value: String| (!value.is_empty()).then_some(value);
        let body = AccountDeletion {
            password: given(password.get_untracked()),
            code: given(code.get_untracked().trim().to_owned()),
        };
        if let Err(fields) = upstate_shared::valid::DeletionProof::try_from(&body) {
            error.set(Some(ApiError::invalid(fields)));
            return;
        }
        leptos::task::spawn_local(async move {
            match api::delete_account(&body).await {
                Ok(()) => {
                    // Signed out (the server cleared the cookies): start over from the start.
                    let _ = window().location().set_href("/");
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="delete-title" class="danger-zone">
            <h2 id="delete-title">"Delete your account"</h2>
            <p>
                "Your name, address, sessions and sign-in settings are erased, and you leave "
                "every organization. What you wrote (incident updates, for instance) stays, "
                "shown as by a former member. An organization whose only owner you are must get "
                "another owner first, or be deleted."
            </p>
            {move || if asked.get() {
                view! {
                    <form novalidate=true on:submit=delete data-testid="delete-account">
                        <Field label="Your password" name="delete_password" field="password" kind="password"
                            value=password error=error autocomplete="current-password"/>
                        <Field label="Or a two-factor code" name="delete_code" field="code"
                            value=code error=error autocomplete="one-time-code"
                            hint="A code from your authenticator app, or a recovery code, instead of the password."/>
                        <FormError error=error/>
                        <button type="submit" class="danger">"Delete my account for good"</button>
                        " "
                        <button type="button" on:click=move |_| { asked.set(false); error.set(None); }>"Keep it"</button>
                    </form>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="danger" on:click=move |_| asked.set(true)>"Delete my account…"</button>
                }.into_any()
            }}
        </section>
    }
}
