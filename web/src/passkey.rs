//! The browser's side of passkeys: `navigator.credentials.create()` / `.get()` with the options
//! the API answered, and the credential back as the JSON the API reads. The conversions (the
//! options' base64url fields to `ArrayBuffer`s and back) are webauthn-rs-proto's own, the
//! types the server serialised the options with.

use crate::api::ApiError;
use upstate_shared::{ErrorBody, ErrorCode};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use webauthn_rs_proto::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse,
};

fn failed(message: String) -> ApiError {
    ApiError {
        status: 0,
        body: ErrorBody::new(ErrorCode::BadRequest, message),
    }
}

/// What the browser said, in words for the person: cancelled, timed out, or not supported.
fn refused(err: &JsValue) -> ApiError {
    let name = js_sys::Reflect::get(err, &"name".into())
        .ok()
        .and_then(|name| name.as_string())
        .unwrap_or_default();
    failed(match name.as_str() {
        "NotAllowedError" => "The passkey request was cancelled or timed out.".to_owned(),
        "InvalidStateError" => "This passkey is added already.".to_owned(),
        "NotSupportedError" | "SecurityError" => {
            "This browser (or this address) cannot use passkeys here.".to_owned()
        }
        _ => format!(
            "The browser refused the passkey request ({}).",
            js_sys::Reflect::get(err, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or(name)
        ),
    })
}

fn container() -> Result<web_sys::CredentialsContainer, ApiError> {
    web_sys::window()
        .map(|window| window.navigator().credentials())
        .ok_or_else(|| failed("There is no browser window.".into()))
}

async fn credential(promise: js_sys::Promise) -> Result<web_sys::PublicKeyCredential, ApiError> {
    JsFuture::from(promise)
        .await
        .map_err(|err| refused(&err))?
        .dyn_into::<web_sys::PublicKeyCredential>()
        .map_err(|_| failed("The browser answered no passkey.".into()))
}

/// Makes a passkey with the options of `POST /api/v1/account/passkey-registration`: the new
/// credential, for `POST /api/v1/account/passkeys`.
pub async fn create(options: serde_json::Value) -> Result<serde_json::Value, ApiError> {
    let options: CreationChallengeResponse = serde_json::from_value(options)
        .map_err(|err| failed(format!("The server's passkey options do not read: {err}")))?;
    let promise = container()?
        .create_with_options(&options.into())
        .map_err(|err| refused(&err))?;
    let made = RegisterPublicKeyCredential::from(credential(promise).await?);
    serde_json::to_value(made).map_err(|err| failed(err.to_string()))
}

/// Asks for a passkey with the options of a sign-in: its answer, for the API.
pub async fn get(options: serde_json::Value) -> Result<serde_json::Value, ApiError> {
    let options: RequestChallengeResponse = serde_json::from_value(options)
        .map_err(|err| failed(format!("The server's passkey options do not read: {err}")))?;
    let promise = container()?
        .get_with_options(&options.into())
        .map_err(|err| refused(&err))?;
    let answer = PublicKeyCredential::from(credential(promise).await?);
    serde_json::to_value(answer).map_err(|err| failed(err.to_string()))
}
