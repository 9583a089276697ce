//! "Sign in with SSO" on the login page: a work email (the org that allows its domain) or an
//! org's slug, then the browser goes to `/api/v1/auth/sso/start`, which sends it to the org's
//! identity provider; the provider sends it back signed in, into the org's dashboard.

use crate::components::Field;
use leptos::prelude::*;
use upstate_shared::FieldErrors;

/// Where the browser goes for `typed`: by email when it has an `@`, else by org slug.
pub fn start_url(typed: &str) -> Option<String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    let (key, value) = if typed.contains('@') {
        ("email", typed.to_owned())
    } else {
        ("org", typed.to_lowercase())
    };
    let value: String = js_sys_encode(&value);
    Some(format!("/api/v1/auth/sso/start?{key}={value}"))
}

/// `encodeURIComponent`, by hand: letters, digits and `-_.!~*'()` stay, the rest is UTF-8 `%XX`.
fn js_sys_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        let c = char::from(byte);
        if c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c) {
            out.push(c);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[component]
pub fn SsoSignIn() -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<crate::api::ApiError>);
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match start_url(&typed.get_untracked()) {
            Some(url) => {
                let _ = window().location().set_href(&url);
            }
            None => {
                let mut fields = FieldErrors::new();
                fields.insert(
                    "sso".to_owned(),
                    vec!["Type your work email or your organization's slug.".to_owned()],
                );
                error.set(Some(crate::api::ApiError::invalid(fields)));
            }
        }
    };
    view! {
        <section aria-labelledby="sso-sign-in-title" class="sso-sign-in">
            <h2 id="sso-sign-in-title">"Sign in with SSO"</h2>
            <form novalidate=true on:submit=go data-testid="sso-sign-in">
                <Field label="Work email or organization" name="sso" field="sso" value=typed error=error
                    autocomplete="email" hint="Your organization's identity provider signs you in."/>
                <button type="submit">"Sign in with SSO"</button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_or_a_slug_picks_the_start() {
        assert_eq!(
            start_url(" grace+ops@example.com ").as_deref(),
            Some("/api/v1/auth/sso/start?email=grace%2Bops%40example.com")
        );
        assert_eq!(
            start_url("Acme").as_deref(),
            Some("/api/v1/auth/sso/start?org=acme")
        );
        assert_eq!(start_url("  "), None);
    }
}
