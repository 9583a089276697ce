//! Passkeys (WebAuthn, issue 22, item 3), driven by an authenticator of this file's own: P-256
//! keys and ECDSA signatures from OpenSSL, the attestation object and COSE key written in CBOR
//! here, discoverable credentials kept per relying party with their user handle, and a
//! signature counter. Never the server's WebAuthn library. A passkey is added (proven by the
//! password), listed, renamed and removed; it signs in alone and as the second step after a
//! password; a replayed answer, an answer to another challenge, a used ceremony and a counter
//! gone back are refused; a ceremony started on one replica finishes on another.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{Account, Answer, PASSWORD, TestApp, spawn_app_configured};
use openssl::bn::{BigNum, BigNumContext};
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::sha::sha256;
use openssl::sign::Signer;
use reqwest::Method;
use serde_json::{Value, json};
use upstate_store::Engine;

on_both_engines!(
    a_passkey_is_added_listed_renamed_and_signs_in_alone,
    a_replayed_answer_another_challenge_and_a_counter_gone_back_are_refused,
    a_passkey_is_a_second_factor_after_the_password,
    a_ceremony_started_on_one_replica_finishes_on_another,
);

/// Where the server under test says it is: a host name, as WebAuthn needs.
const ORIGIN: &str = "http://localhost";

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn unb64(text: &Value) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(text.as_str().unwrap_or_else(|| panic!("base64url: {text}")))
        .unwrap()
}

// ---- A software authenticator of the test's own ----

/// Just enough CBOR (RFC 8949) for an attestation object and a COSE key.
mod cbor {
    fn head(major: u8, len: usize, out: &mut Vec<u8>) {
        let major = major << 5;
        match len {
            0..=23 => out.push(major | len as u8),
            24..=255 => out.extend([major | 24, len as u8]),
            _ => {
                out.push(major | 25);
                out.extend((len as u16).to_be_bytes());
            }
        }
    }
    pub fn map(entries: usize, out: &mut Vec<u8>) {
        head(5, entries, out);
    }
    pub fn text(value: &str, out: &mut Vec<u8>) {
        head(3, value.len(), out);
        out.extend(value.as_bytes());
    }
    pub fn bytes(value: &[u8], out: &mut Vec<u8>) {
        head(2, value.len(), out);
        out.extend(value);
    }
    pub fn int(value: i64, out: &mut Vec<u8>) {
        if value >= 0 {
            head(0, value as usize, out);
        } else {
            head(1, (-1 - value) as usize, out);
        }
    }
}

struct Credential {
    id: Vec<u8>,
    rp_id: String,
    user_handle: Vec<u8>,
    key: PKey<Private>,
}

/// A platform authenticator that keeps its credentials (discoverable), verifies its user (the
/// UV flag) and counts its signatures.
struct Authenticator {
    origin: String,
    credentials: Vec<Credential>,
    counter: u32,
}

/// User present, user verified.
const UP_UV: u8 = 0x01 | 0x04;
/// Attested credential data included.
const AT: u8 = 0x40;

impl Authenticator {
    fn new() -> Authenticator {
        Authenticator {
            origin: ORIGIN.to_owned(),
            credentials: Vec::new(),
            counter: 0,
        }
    }

    fn client_data(&self, kind: &str, challenge: &str) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "type": kind,
            "challenge": challenge,
            "origin": self.origin,
            "crossOrigin": false,
        }))
        .unwrap()
    }

    /// `navigator.credentials.create()` with the server's options (`{"publicKey": ...}`):
    /// the credential as the browser's `toJSON()` writes it.
    fn create(&mut self, options: &Value) -> Value {
        let options = &options["publicKey"];
        assert_eq!(
            options["authenticatorSelection"]["residentKey"], "required",
            "a passkey is asked to be discoverable: {options}"
        );
        assert_eq!(
            options["authenticatorSelection"]["userVerification"],
            "required"
        );
        assert!(
            options["pubKeyCredParams"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["alg"] == -7),
            "ES256 is offered: {options}"
        );
        let rp_id = options["rp"]["id"].as_str().unwrap().to_owned();
        let user_handle = unb64(&options["user"]["id"]);
        let excluded: Vec<Vec<u8>> = options["excludeCredentials"]
            .as_array()
            .map(|list| list.iter().map(|c| unb64(&c["id"])).collect())
            .unwrap_or_default();
        assert!(
            !self
                .credentials
                .iter()
                .any(|c| c.rp_id == rp_id && excluded.contains(&c.id)),
            "the server excludes the passkeys the person has: a browser would refuse here"
        );
        let client_data =
            self.client_data("webauthn.create", options["challenge"].as_str().unwrap());

        let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
        let ec = EcKey::generate(&group).unwrap();
        let (mut x, mut y) = (BigNum::new().unwrap(), BigNum::new().unwrap());
        ec.public_key()
            .affine_coordinates(&group, &mut x, &mut y, &mut BigNumContext::new().unwrap())
            .unwrap();
        let mut cose = Vec::new();
        cbor::map(5, &mut cose);
        cbor::int(1, &mut cose); // kty: EC2
        cbor::int(2, &mut cose);
        cbor::int(3, &mut cose); // alg: ES256
        cbor::int(-7, &mut cose);
        cbor::int(-1, &mut cose); // crv: P-256
        cbor::int(1, &mut cose);
        cbor::int(-2, &mut cose);
        cbor::bytes(&x.to_vec_padded(32).unwrap(), &mut cose);
        cbor::int(-3, &mut cose);
        cbor::bytes(&y.to_vec_padded(32).unwrap(), &mut cose);

        let id: Vec<u8> = (0..16).map(|_| rand::random::<u8>()).collect();
        self.counter += 1;
        let mut auth_data = sha256(rp_id.as_bytes()).to_vec();
        auth_data.push(UP_UV | AT);
        auth_data.extend(self.counter.to_be_bytes());
        auth_data.extend([0u8; 16]); // AAGUID: none
        auth_data.extend((id.len() as u16).to_be_bytes());
        auth_data.extend(&id);
        auth_data.extend(cose);

        let mut attestation = Vec::new();
        cbor::map(3, &mut attestation);
        cbor::text("fmt", &mut attestation);
        cbor::text("none", &mut attestation);
        cbor::text("attStmt", &mut attestation);
        cbor::map(0, &mut attestation);
        cbor::text("authData", &mut attestation);
        cbor::bytes(&auth_data, &mut attestation);

        self.credentials.push(Credential {
            id: id.clone(),
            rp_id,
            user_handle,
            key: PKey::from_ec_key(ec).unwrap(),
        });
        json!({
            "id": b64(&id),
            "rawId": b64(&id),
            "type": "public-key",
            "response": {
                "attestationObject": b64(&attestation),
                "clientDataJSON": b64(&client_data),
            },
            "clientExtensionResults": {},
        })
    }

    /// `navigator.credentials.get()` with the server's options: the first of the listed
    /// credentials this authenticator has, or (none listed) the first it keeps for the site.
    fn get(&mut self, options: &Value) -> Value {
        let challenge = options["publicKey"]["challenge"]
            .as_str()
            .unwrap()
            .to_owned();
        self.get_signing(options, &challenge)
    }

    /// As [`Authenticator::get`], but signing `challenge` whatever the options ask.
    fn get_signing(&mut self, options: &Value, challenge: &str) -> Value {
        let options = &options["publicKey"];
        assert_eq!(options["userVerification"], "required", "{options}");
        let rp_id = options["rpId"].as_str().unwrap();
        let allowed: Vec<Vec<u8>> = options["allowCredentials"]
            .as_array()
            .map(|list| list.iter().map(|c| unb64(&c["id"])).collect())
            .unwrap_or_default();
        let credential = self
            .credentials
            .iter()
            .find(|c| c.rp_id == rp_id && (allowed.is_empty() || allowed.contains(&c.id)))
            .expect("a credential for this site");
        let client_data = self.client_data("webauthn.get", challenge);
        self.counter += 1;
        let mut auth_data = sha256(rp_id.as_bytes()).to_vec();
        auth_data.push(UP_UV);
        auth_data.extend(self.counter.to_be_bytes());
        let mut signer = Signer::new(MessageDigest::sha256(), &credential.key).unwrap();
        signer.update(&auth_data).unwrap();
        signer.update(&sha256(&client_data)).unwrap();
        let signature = signer.sign_to_vec().unwrap();
        json!({
            "id": b64(&credential.id),
            "rawId": b64(&credential.id),
            "type": "public-key",
            "response": {
                "authenticatorData": b64(&auth_data),
                "clientDataJSON": b64(&client_data),
                "signature": b64(&signature),
                "userHandle": b64(&credential.user_handle),
            },
            "clientExtensionResults": {},
        })
    }
}

// ---- Helpers ----

async fn spawn_app(engine: Engine) -> TestApp {
    spawn_app_configured(engine, Default::default(), |settings| {
        settings.public_url = ORIGIN.into();
    })
    .await
}

/// Adds a passkey named `name` to `account` with `authenticator`: the new passkey.
async fn add_passkey(
    app: &TestApp,
    account: &Account,
    authenticator: &mut Authenticator,
    name: &str,
) -> Value {
    let started = app
        .post_as(
            "/api/v1/account/passkey-registration",
            &account.token,
            json!({ "password": PASSWORD }),
        )
        .await;
    assert_eq!(started.status, 200, "{:?}", started.body);
    assert_eq!(
        started.body["options"]["publicKey"]["rp"]["id"],
        "localhost"
    );
    let credential = authenticator.create(&started.body["options"]);
    let added = app
        .post_as(
            "/api/v1/account/passkeys",
            &account.token,
            json!({ "ceremony": started.body["ceremony"], "name": name, "credential": credential }),
        )
        .await;
    assert_eq!(added.status, 201, "{:?}", added.body);
    assert_eq!(added.body["name"], name.trim());
    added.body
}

async fn public(app: &TestApp, path: &str, body: Value) -> Answer {
    app.call(Method::POST, path, None, Some(body)).await
}

/// The options of a sign-in with a passkey alone.
async fn sign_in_options(app: &TestApp) -> Value {
    let options = public(app, "/api/v1/auth/passkey/options", json!({})).await;
    assert_eq!(options.status, 200, "{:?}", options.body);
    assert!(
        options.body["options"]["publicKey"]
            .get("allowCredentials")
            .is_none_or(|list| list.as_array().unwrap().is_empty()),
        "no credential is named: the authenticator offers its own ({:?})",
        options.body
    );
    options.body
}

fn actions(app: &TestApp) -> Vec<String> {
    use diesel::prelude::*;
    use upstate_store::schema::audit_log;
    let mut conn = app.db.db.conn().unwrap();
    audit_log::table
        .select(audit_log::action)
        .load(&mut *conn)
        .unwrap()
}

// ---- Tests ----

async fn a_passkey_is_added_listed_renamed_and_signs_in_alone(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = app.register("ada@example.com").await;
    let mut laptop = Authenticator::new();

    // A session alone does not add a way in: the password is asked.
    let wrong = app
        .post_as(
            "/api/v1/account/passkey-registration",
            &ada.token,
            json!({ "password": "not the password" }),
        )
        .await;
    assert_eq!(wrong.status, 422, "{:?}", wrong.body);
    assert!(wrong.body["error"]["fields"]["password"].is_array());

    let empty = app.get_as("/api/v1/account/passkeys", &ada.token).await;
    assert_eq!(empty.body, json!({ "items": [] }));
    let added = add_passkey(&app, &ada, &mut laptop, "  Laptop ").await;
    assert_eq!(added["last_used_at"], Value::Null);
    let id = added["id"].as_str().unwrap().to_owned();

    // The same authenticator is not added twice: the server lists it to be excluded, and the
    // same credential sent again is refused.
    let started = app
        .post_as(
            "/api/v1/account/passkey-registration",
            &ada.token,
            json!({ "password": PASSWORD }),
        )
        .await;
    let excluded = started.body["options"]["publicKey"]["excludeCredentials"]
        .as_array()
        .unwrap();
    assert_eq!(excluded.len(), 1, "{:?}", started.body);
    assert_eq!(
        excluded[0]["id"].as_str(),
        Some(b64(&laptop.credentials[0].id).as_str())
    );

    // A name is needed.
    let mut phone = Authenticator::new();
    let unnamed = app
        .post_as(
            "/api/v1/account/passkeys",
            &ada.token,
            json!({ "ceremony": started.body["ceremony"], "name": " ",
                    "credential": phone.create(&started.body["options"]) }),
        )
        .await;
    assert_eq!(unnamed.status, 422, "{:?}", unnamed.body);
    assert!(unnamed.body["error"]["fields"]["name"].is_array());
    add_passkey(&app, &ada, &mut phone, "Phone").await;

    let listed = app.get_as("/api/v1/account/passkeys", &ada.token).await;
    let names: Vec<&str> = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Laptop", "Phone"]);

    // Renamed; someone else cannot see, rename or remove it.
    let renamed = app
        .patch_as(
            &format!("/api/v1/account/passkeys/{id}"),
            &ada.token,
            json!({ "name": "Work laptop" }),
        )
        .await;
    assert_eq!(renamed.status, 200, "{:?}", renamed.body);
    assert_eq!(renamed.body["name"], "Work laptop");
    let bob = app.register("bob@example.com").await;
    let theirs = app.get_as("/api/v1/account/passkeys", &bob.token).await;
    assert_eq!(theirs.body["items"], json!([]));
    let foreign = app
        .patch_as(
            &format!("/api/v1/account/passkeys/{id}"),
            &bob.token,
            json!({ "name": "Mine now" }),
        )
        .await;
    assert_eq!((foreign.status, foreign.code()), (404, "not_found"));
    let foreign = app
        .delete_as(&format!("/api/v1/account/passkeys/{id}"), &bob.token)
        .await;
    assert_eq!(foreign.status, 404);

    // Signing in with the passkey alone: no email, no password.
    let options = sign_in_options(&app).await;
    let answer = laptop.get(&options["options"]);
    let signed_in = public(
        &app,
        "/api/v1/auth/passkey",
        json!({ "ceremony": options["ceremony"], "credential": answer }),
    )
    .await;
    assert_eq!(signed_in.status, 200, "{:?}", signed_in.body);
    assert!(signed_in.headers.get("set-cookie").is_some());
    assert_eq!(signed_in.body["user"]["email"], "ada@example.com");
    let token = signed_in.body["access_token"].as_str().unwrap();
    let me = app.get_as("/api/v1/auth/me", token).await;
    assert_eq!(me.body["user"]["email"], "ada@example.com");
    let listed = app.get_as("/api/v1/account/passkeys", &ada.token).await;
    assert!(
        listed.body["items"][0]["last_used_at"].is_string(),
        "{:?}",
        listed.body
    );
    assert_eq!(listed.body["items"][1]["last_used_at"], Value::Null);

    // The person was told of each new passkey, and every change is in the audit log.
    let mails = app.emails().await;
    let told = mails
        .iter()
        .filter(|(to, subject, _)| {
            to == "ada@example.com" && subject == "A passkey was added to your Upstate account"
        })
        .count();
    assert_eq!(told, 2, "{mails:?}");
    let actions = actions(&app);
    for action in [
        "auth.passkey_registration_started",
        "auth.passkey_added",
        "auth.passkey_renamed",
        "auth.login_succeeded",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }

    // Removed: it signs in no more, and the person is told.
    let removed = app
        .delete_as(&format!("/api/v1/account/passkeys/{id}"), &ada.token)
        .await;
    assert_eq!(removed.status, 204, "{:?}", removed.body);
    let options = sign_in_options(&app).await;
    let answer = laptop.get(&options["options"]);
    let refused = public(
        &app,
        "/api/v1/auth/passkey",
        json!({ "ceremony": options["ceremony"], "credential": answer }),
    )
    .await;
    assert_eq!(refused.status, 401, "{:?}", refused.body);
    let listed = app.get_as("/api/v1/account/passkeys", &ada.token).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    assert!(
        app.emails()
            .await
            .iter()
            .any(|(_, subject, _)| subject == "A passkey was removed from your Upstate account")
    );
    assert!(actions_of(&app, "auth.passkey_removed"));
}

fn actions_of(app: &TestApp, action: &str) -> bool {
    actions(app).iter().any(|a| a == action)
}

async fn a_replayed_answer_another_challenge_and_a_counter_gone_back_are_refused(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = app.register("ada@example.com").await;
    let mut laptop = Authenticator::new();

    // A registration ceremony is finished once.
    let started = app
        .post_as(
            "/api/v1/account/passkey-registration",
            &ada.token,
            json!({ "password": PASSWORD }),
        )
        .await;
    let credential = laptop.create(&started.body["options"]);
    let body =
        json!({ "ceremony": started.body["ceremony"], "name": "Laptop", "credential": credential });
    let added = app
        .post_as("/api/v1/account/passkeys", &ada.token, body.clone())
        .await;
    assert_eq!(added.status, 201, "{:?}", added.body);
    let again = app
        .post_as("/api/v1/account/passkeys", &ada.token, body)
        .await;
    assert_eq!(again.status, 422, "{:?}", again.body);
    assert!(again.body["error"]["fields"]["ceremony"].is_array());

    // Another person cannot finish Ada's ceremony.
    let bob = app.register("bob@example.com").await;
    let started = app
        .post_as(
            "/api/v1/account/passkey-registration",
            &ada.token,
            json!({ "password": PASSWORD }),
        )
        .await;
    let mut other = Authenticator::new();
    let hijacked = app
        .post_as(
            "/api/v1/account/passkeys",
            &bob.token,
            json!({ "ceremony": started.body["ceremony"], "name": "Mine",
                    "credential": other.create(&started.body["options"]) }),
        )
        .await;
    assert_eq!(hijacked.status, 422, "{:?}", hijacked.body);

    // An answer signed over another challenge.
    let options = sign_in_options(&app).await;
    let forged = laptop.get_signing(&options["options"], &b64(b"a challenge of the attacker's"));
    let refused = public(
        &app,
        "/api/v1/auth/passkey",
        json!({ "ceremony": options["ceremony"], "credential": forged }),
    )
    .await;
    assert_eq!((refused.status, refused.code()), (401, "unauthenticated"));
    // That ceremony was tried: even the right answer to it is refused now.
    let right = laptop.get(&options["options"]);
    let late = public(
        &app,
        "/api/v1/auth/passkey",
        json!({ "ceremony": options["ceremony"], "credential": right }),
    )
    .await;
    assert_eq!(late.status, 401, "{:?}", late.body);

    // A right answer signs in once; replayed, it is refused.
    let options = sign_in_options(&app).await;
    let answer = laptop.get(&options["options"]);
    let body = json!({ "ceremony": options["ceremony"], "credential": answer });
    let signed_in = public(&app, "/api/v1/auth/passkey", body.clone()).await;
    assert_eq!(signed_in.status, 200, "{:?}", signed_in.body);
    let replayed = public(&app, "/api/v1/auth/passkey", body).await;
    assert_eq!(replayed.status, 401, "{:?}", replayed.body);
    // The same answer on a new ceremony: its challenge is not this one's.
    let options = sign_in_options(&app).await;
    let replayed = public(
        &app,
        "/api/v1/auth/passkey",
        json!({ "ceremony": options["ceremony"], "credential": answer }),
    )
    .await;
    assert_eq!(replayed.status, 401, "{:?}", replayed.body);

    // A copy of the authenticator whose counter went back (a cloned key): refused.
    laptop.counter = 1;
    let options = sign_in_options(&app).await;
    let cloned = laptop.get(&options["options"]);
    let refused = public(
        &app,
        "/api/v1/auth/passkey",
        json!({ "ceremony": options["ceremony"], "credential": cloned }),
    )
    .await;
    assert_eq!(refused.status, 401, "{:?}", refused.body);
    // Not a credential at all.
    let options = sign_in_options(&app).await;
    let junk = public(
        &app,
        "/api/v1/auth/passkey",
        json!({ "ceremony": options["ceremony"], "credential": { "id": "x" } }),
    )
    .await;
    assert_eq!(junk.status, 401, "{:?}", junk.body);
    assert!(actions(&app).iter().any(|a| a == "auth.login_failed"));
}

async fn a_passkey_is_a_second_factor_after_the_password(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = app.register("ada@example.com").await;
    let user: upstate_shared::UserId = ada.user_id.clone().into();
    let has_second_factor = |app: &TestApp| {
        let mut conn = app.db.db.conn().unwrap();
        upstate_store::two_factor::has_second_factor(&mut conn, &user).unwrap()
    };
    assert!(!has_second_factor(&app));
    let mut laptop = Authenticator::new();
    let added = add_passkey(&app, &ada, &mut laptop, "Laptop").await;
    assert!(has_second_factor(&app), "a passkey is a second factor");

    // The password alone opens no session now: the second step takes the passkey.
    let first = app.login("ada@example.com", PASSWORD).await;
    assert_eq!(first.status, 202, "{:?}", first.body);
    assert_eq!(first.body["two_factor"]["methods"], json!(["passkey"]));
    let challenge = first.body["two_factor"]["challenge"].as_str().unwrap();
    // A code does not pass: there is no TOTP.
    let code = public(
        &app,
        "/api/v1/auth/login/two-factor",
        json!({ "challenge": challenge, "code": "123456" }),
    )
    .await;
    assert_eq!(code.status, 401, "{:?}", code.body);

    let options = public(
        &app,
        "/api/v1/auth/login/two-factor/passkey-options",
        json!({ "challenge": challenge }),
    )
    .await;
    assert_eq!(options.status, 200, "{:?}", options.body);
    let allowed = options.body["options"]["publicKey"]["allowCredentials"]
        .as_array()
        .unwrap();
    assert_eq!(allowed.len(), 1, "the person's passkeys are listed");

    // Another person's passkey does not pass for Ada.
    let bob = app.register("bob@example.com").await;
    let mut bobs = Authenticator::new();
    add_passkey(&app, &bob, &mut bobs, "Bob's").await;
    bobs.credentials[0].id = laptop.credentials[0].id.clone();
    let foreign = public(
        &app,
        "/api/v1/auth/login/two-factor",
        json!({ "challenge": challenge,
                "passkey": { "ceremony": options.body["ceremony"],
                             "credential": bobs.get(&options.body["options"]) } }),
    )
    .await;
    assert_eq!(foreign.status, 401, "{:?}", foreign.body);

    // The challenge is still good: a new ceremony, Ada's own passkey, signed in.
    let options = public(
        &app,
        "/api/v1/auth/login/two-factor/passkey-options",
        json!({ "challenge": challenge }),
    )
    .await;
    let signed_in = public(
        &app,
        "/api/v1/auth/login/two-factor",
        json!({ "challenge": challenge,
                "passkey": { "ceremony": options.body["ceremony"],
                             "credential": laptop.get(&options.body["options"]) } }),
    )
    .await;
    assert_eq!(signed_in.status, 200, "{:?}", signed_in.body);
    assert_eq!(signed_in.body["user"]["email"], "ada@example.com");
    // The challenge is used.
    let used = public(
        &app,
        "/api/v1/auth/login/two-factor/passkey-options",
        json!({ "challenge": challenge }),
    )
    .await;
    assert_eq!(used.status, 401, "{:?}", used.body);
    // A sign-in ceremony (passkey alone) is not a second step's.
    let first = app.login("ada@example.com", PASSWORD).await;
    let challenge = first.body["two_factor"]["challenge"].as_str().unwrap();
    let alone = sign_in_options(&app).await;
    let mixed = public(
        &app,
        "/api/v1/auth/login/two-factor",
        json!({ "challenge": challenge,
                "passkey": { "ceremony": alone["ceremony"],
                             "credential": laptop.get(&alone["options"]) } }),
    )
    .await;
    assert_eq!(mixed.status, 401, "{:?}", mixed.body);
    let actions = actions(&app);
    assert!(actions.iter().any(|a| a == "auth.login_two_factor_failed"));

    // Without a passkey (and no TOTP), the password alone signs in again.
    let id = added["id"].as_str().unwrap();
    let removed = app
        .delete_as(&format!("/api/v1/account/passkeys/{id}"), &ada.token)
        .await;
    assert_eq!(removed.status, 204);
    assert!(!has_second_factor(&app));
    let plain = app.login("ada@example.com", PASSWORD).await;
    assert_eq!(plain.status, 200, "{:?}", plain.body);
}

async fn a_ceremony_started_on_one_replica_finishes_on_another(engine: Engine) {
    let app = spawn_app(engine).await;
    let replica = app.replica().await;
    let ada = app.register("ada@example.com").await;
    let mut laptop = Authenticator::new();
    add_passkey(&app, &ada, &mut laptop, "Laptop").await;
    let options = sign_in_options(&app).await;
    let answer = laptop.get(&options["options"]);
    let client = reqwest::Client::new();
    let finished = client
        .post(format!("{}/api/v1/auth/passkey", replica.address))
        .json(&json!({ "ceremony": options["ceremony"], "credential": answer }))
        .send()
        .await
        .unwrap();
    assert_eq!(finished.status().as_u16(), 200);

    // Passkeys need a host name: on a server known by its IP address there are none.
    let by_ip = spawn_app_configured(engine, Default::default(), |_| {}).await;
    let none = public(&by_ip, "/api/v1/auth/passkey/options", json!({})).await;
    assert_eq!(
        (none.status, none.code()),
        (503, "unavailable"),
        "{:?}",
        none.body
    );
}
