//! Signing up, in and out, and resetting a password. The session lives in the API's HttpOnly
//! cookies; these pages only post the forms and go on to where the person was headed. Signing in
//! takes a password (then, for a person with two-factor, a code or a passkey), or a passkey
//! alone.

use crate::api::{self, ApiError};
use crate::components::{Field, FormError};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use upstate_shared::ErrorCode;
use upstate_shared::dto::{
    LoginRequest, PasskeyAssertion, PasswordResetConfirm, PasswordResetRequest, RegisterRequest,
    TwoFactorLogin, TwoFactorMethod, VerifyEmailRequest,
};
use upstate_shared::valid::{NewAccount, NewPassword, ResetFor};

fn next_page() -> String {
    let next = use_query_map()
        .read_untracked()
        .get("next")
        .unwrap_or_default();
    // Only paths of this site: never an open redirect.
    if next.starts_with('/') && !next.starts_with("//") {
        next
    } else {
        "/dashboard".to_owned()
    }
}

#[component]
pub fn SignIn() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    // The challenge of the second step, once the password was right and two-factor is on.
    let challenge = RwSignal::new(None::<String>);
    // The ways the person has to pass it (a code, a passkey).
    let methods = RwSignal::new(Vec::<TwoFactorMethod>::new());
    let use_recovery = RwSignal::new(false);
    let navigate = use_navigate();
    let next = next_page();
    let signed_in = move |next: String, navigate: &dyn Fn(&str)| {
        // A status page is not the dashboard's: a private one is loaded anew, with the
        // session's cookie, by the server (api/src/public/access.rs).
        if next.starts_with("/status/") {
            let _ = window().location().set_href(&next);
        } else {
            navigate(&next);
        }
    };
    let submit = {
        let (navigate, next) = (navigate.clone(), next.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            busy.set(true);
            let (navigate, next) = (navigate.clone(), next.clone());
            leptos::task::spawn_local(async move {
                let body = LoginRequest {
                    email: email.get_untracked(),
                    password: password.get_untracked(),
                };
                match api::login(&body).await {
                    Ok(api::SignIn::Done(_)) => {
                        signed_in(next, &|to| navigate(to, Default::default()))
                    }
                    Ok(api::SignIn::SecondStep(step)) => {
                        error.set(None);
                        methods.set(step.methods);
                        challenge.set(Some(step.challenge));
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        }
    };
    // A passkey alone: the browser offers the passkeys it keeps for this site.
    let with_passkey = {
        let (navigate, next) = (navigate.clone(), next.clone());
        move |_| {
            busy.set(true);
            let (navigate, next) = (navigate.clone(), next.clone());
            leptos::task::spawn_local(async move {
                let signed = async {
                    let started = api::passkey_sign_in_options().await?;
                    let credential = crate::passkey::get(started.options).await?;
                    api::passkey_sign_in(&PasskeyAssertion {
                        ceremony: started.ceremony,
                        credential,
                    })
                    .await
                };
                match signed.await {
                    Ok(_) => signed_in(next, &|to| navigate(to, Default::default())),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        }
    };
    // The second step with a passkey, for a person who has one.
    let second_passkey = {
        let (navigate, next) = (navigate.clone(), next.clone());
        move |_| {
            let Some(step) = challenge.get_untracked() else {
                return;
            };
            busy.set(true);
            let (navigate, next) = (navigate.clone(), next.clone());
            leptos::task::spawn_local(async move {
                let signed = async {
                    let started = api::second_step_passkey_options(step.clone()).await?;
                    let credential = crate::passkey::get(started.options).await?;
                    api::login_second_step(&TwoFactorLogin {
                        challenge: step,
                        code: None,
                        recovery_code: None,
                        passkey: Some(PasskeyAssertion {
                            ceremony: started.ceremony,
                            credential,
                        }),
                    })
                    .await
                };
                match signed.await {
                    Ok(_) => signed_in(next, &|to| navigate(to, Default::default())),
                    Err(e)
                        if e.code() == ErrorCode::Unauthenticated
                            && e.message().contains("challenge") =>
                    {
                        challenge.set(None);
                        error.set(Some(e));
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        }
    };
    let second = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(step) = challenge.get_untracked() else {
            return;
        };
        busy.set(true);
        let (navigate, next) = (navigate.clone(), next.clone());
        leptos::task::spawn_local(async move {
            let typed = code.get_untracked().trim().to_owned();
            let recovery = use_recovery.get_untracked();
            let body = TwoFactorLogin {
                challenge: step,
                code: (!recovery).then(|| typed.clone()),
                recovery_code: recovery.then_some(typed),
                passkey: None,
            };
            match api::login_second_step(&body).await {
                Ok(_) => signed_in(next, &|to| navigate(to, Default::default())),
                // A used or expired challenge: start again from the password.
                Err(e)
                    if e.code() == ErrorCode::Unauthenticated
                        && e.message().contains("challenge") =>
                {
                    challenge.set(None);
                    code.set(String::new());
                    error.set(Some(e));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let has = move |method: TwoFactorMethod| methods.with(|m| m.contains(&method));
    view! {
        <main class="page narrow">
            <h1>"Sign in"</h1>
            {move || match challenge.get() {
                None => view! {
                    <form novalidate=true on:submit=submit.clone()>
                        <Field label="Email" name="email" kind="email" value=email error=error autocomplete="email"/>
                        <Field label="Password" name="password" kind="password" value=password error=error autocomplete="current-password"/>
                        <FormError error=error/>
                        <button type="submit" class="primary" disabled=move || busy.get()>"Sign in"</button>
                    </form>
                    <crate::pages::sso::SsoSignIn/>
                    <p>
                        <button type="button" data-testid="sign-in-with-passkey" on:click=with_passkey.clone()
                            disabled=move || busy.get()>"Sign in with a passkey"</button>
                    </p>
                }
                .into_any(),
                Some(_) if !has(TwoFactorMethod::Totp) => view! {
                    <p>"Your password is right. Confirm it is you with one of your passkeys."</p>
                    <FormError error=error/>
                    <button type="button" class="primary" data-testid="second-step-passkey"
                        on:click=second_passkey.clone() disabled=move || busy.get()>"Use a passkey"</button>
                }
                .into_any(),
                Some(_) => {
                    let second_passkey = second_passkey.clone();
                    view! {
                    <Show when=move || has(TwoFactorMethod::Passkey)>
                        <p>
                            <button type="button" data-testid="second-step-passkey"
                                on:click=second_passkey.clone() disabled=move || busy.get()>"Use a passkey"</button>
                        </p>
                    </Show>
                    <form novalidate=true on:submit=second.clone()>
                        <Field
                            label="Code from your authenticator app"
                            name="code" kind="text" value=code error=error autocomplete="one-time-code"
                            hint="Six digits, new every 30 seconds; or one of your recovery codes."/>
                        <label class="inline">
                            <input type="checkbox" prop:checked=move || use_recovery.get()
                                on:change=move |ev| use_recovery.set(event_target_checked(&ev))/>
                            " I am using a recovery code"
                        </label>
                        <FormError error=error/>
                        <button type="submit" class="primary" disabled=move || busy.get()>"Verify"</button>
                    </form>
                }
                .into_any()
                }
            }}
            <p><A href="/signup">"Create an account"</A>" · "<A href="/forgot-password">"Forgot your password?"</A></p>
        </main>
    }
}

#[component]
pub fn SignUp() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    // Registering answers the same whether or not the address has an account; signing in
    // with the new password then tells the two apart for the person who chose it.
    let check_mail = RwSignal::new(false);
    let navigate = use_navigate();
    let next = next_page();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let (navigate, next) = (navigate.clone(), next.clone());
        leptos::task::spawn_local(async move {
            let body = RegisterRequest {
                name: name.get_untracked(),
                email: email.get_untracked(),
                password: password.get_untracked(),
            };
            // The API's own rules first: every field's problem at once, no round trip.
            if let Err(fields) = NewAccount::try_from(&body) {
                error.set(Some(ApiError::invalid(fields)));
                busy.set(false);
                return;
            }
            match api::register(&body).await {
                Ok(()) => {
                    let login = LoginRequest {
                        email: email.get_untracked(),
                        password: password.get_untracked(),
                    };
                    match api::login(&login).await {
                        Ok(api::SignIn::Done(_)) => navigate(&next, Default::default()),
                        // An account of this address already (maybe with two-factor): the
                        // mail says what to do.
                        Ok(api::SignIn::SecondStep(_)) | Err(_) => check_mail.set(true),
                    }
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <main class="page narrow">
            <h1>"Create your account"</h1>
            <Show when=move || check_mail.get()>
                <p class="notice" role="status">"Check your email: we sent a message to that address. If it already has an account, sign in or reset your password."</p>
            </Show>
            <form novalidate=true on:submit=submit>
                <Field label="Your name" name="name" value=name error=error autocomplete="name"/>
                <Field label="Email" name="email" kind="email" value=email error=error autocomplete="email"/>
                <Field label="Password (8 characters or more)" name="password" kind="password" value=password error=error autocomplete="new-password"/>
                <FormError error=error/>
                <button type="submit" class="primary" disabled=move || busy.get()>"Create account"</button>
            </form>
            <p>"Already have an account? "<A href="/login">"Sign in"</A></p>
        </main>
    }
}

#[component]
pub fn ForgotPassword() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let sent = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            let body = PasswordResetRequest {
                email: email.get_untracked(),
            };
            if let Err(fields) = ResetFor::try_from(&body) {
                error.set(Some(ApiError::invalid(fields)));
                return;
            }
            match api::request_password_reset(&body).await {
                Ok(()) => sent.set(true),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <main class="page narrow">
            <h1>"Reset your password"</h1>
            <Show when=move || !sent.get() fallback=|| view! {
                <p role="status">"If an account has this email, a link to choose a new password is on its way."</p>
            }>
                <form novalidate=true on:submit=submit>
                    <Field label="Email" name="email" kind="email" value=email error=error autocomplete="email"/>
                    <FormError error=error/>
                    <button type="submit" class="primary">"Send the link"</button>
                </form>
            </Show>
        </main>
    }
}

#[component]
pub fn ResetPassword() -> impl IntoView {
    let token = token_from_fragment();
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let token = token.clone();
        leptos::task::spawn_local(async move {
            let body = PasswordResetConfirm {
                token,
                password: password.get_untracked(),
            };
            if let Err(fields) = NewPassword::try_from(&body) {
                error.set(Some(ApiError::invalid(fields)));
                return;
            }
            match api::confirm_password_reset(&body).await {
                Ok(()) => done.set(true),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <main class="page narrow">
            <h1>"Choose a new password"</h1>
            <Show when=move || !done.get() fallback=|| view! {
                <p role="status">"Your password is changed. "<A href="/login">"Sign in"</A></p>
            }>
                <form novalidate=true on:submit=submit.clone()>
                    <Field label="New password" name="password" kind="password" value=password error=error autocomplete="new-password"/>
                    <FormError error=error/>
                    <button type="submit" class="primary">"Set password"</button>
                </form>
            </Show>
        </main>
    }
}

/// The token of a link of the form `/page#TOKEN` (reset, confirmation, invitation): in the
/// fragment, which browsers send to no server, so it lands in no log.
pub fn token_from_fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|hash| hash.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// `/verify-email#TOKEN`: the link sent at sign-up. The token travels in the fragment, which
/// browsers never send to a server or write to its logs; the page posts it.
#[component]
pub fn VerifyEmail() -> impl IntoView {
    let outcome = RwSignal::new(None::<Result<(), ApiError>>);
    leptos::task::spawn_local(async move {
        let token = token_from_fragment();
        let result = api::verify_email(&VerifyEmailRequest { token }).await;
        outcome.set(Some(result));
    });
    view! {
        <main class="page narrow">
            <h1>"Confirm your email"</h1>
            {move || match outcome.get() {
                None => view! { <p>"Confirming…"</p> }.into_any(),
                Some(Ok(())) => view! {
                    <p role="status" data-testid="verified">"Your address is confirmed. "<A href="/dashboard">"Go to the dashboard"</A></p>
                }.into_any(),
                Some(Err(_)) => view! {
                    <p role="alert">"This link is not valid: it expired or was used already."</p>
                }.into_any(),
            }}
        </main>
    }
}
