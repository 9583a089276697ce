//! The OpenID Connect relying party of single sign-on (issue 22), on the `openidconnect` crate:
//! discovery, the authorization code flow with PKCE, `state` and nonce, and the ID token's checks
//! (issuer, audience, expiry, nonce, and its signature against the provider's JWKS).
//!
//! Every request to the provider (discovery, JWKS, token) goes out through `upstate_egress`,
//! under the server's egress policy: an issuer on a private or loopback address is refused
//! unless the operator allows private targets (`UPSTATE_ALLOW_PRIVATE_TARGETS`), exactly as for
//! webhooks, and the cloud metadata addresses never.

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, IssuerUrl,
    Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use upstate_egress::{Client, EgressError, Policy};

/// What the server needs to talk to an org's provider.
#[derive(Clone)]
pub struct Provider {
    pub issuer_url: String,
    pub client_id: String,
    pub client_secret: String,
    /// This server's callback (`<public URL>/api/v1/auth/sso/callback`).
    pub redirect_url: String,
}

/// Why a step with the provider failed: a sentence for the person signing in (or the owner
/// setting it up).
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    /// Discovery failed: the issuer is refused by the egress policy, unreachable, or does not
    /// serve a valid discovery document (or JWKS).
    #[error("{0}")]
    Discovery(String),
    /// The provider did not exchange the code for tokens.
    #[error("{0}")]
    Token(String),
    /// The ID token is missing or failed a check.
    #[error("{0}")]
    IdToken(String),
}

/// The person the provider vouches for.
#[derive(Debug, Clone)]
pub struct Identity {
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
}

/// A sign-in to start: where to send the browser, and what the callback will need.
pub struct Begun {
    pub authorize_url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

fn egress(policy: Policy) -> Result<Client, SsoError> {
    Client::new(policy, "Upstate-SSO/1")
        .map(|client| client.with_body_limit(256 * 1024))
        .map_err(|err| SsoError::Discovery(err.to_string()))
}

/// One request of the `openidconnect` crate, sent through the egress client.
async fn send(
    client: Client,
    request: openidconnect::HttpRequest,
) -> Result<openidconnect::HttpResponse, EgressError> {
    let (parts, body) = request.into_parts();
    let response = client
        .request(
            parts.method,
            &parts.uri.to_string(),
            parts.headers,
            (!body.is_empty()).then_some(body),
        )
        .await?;
    let mut answer = openidconnect::http::Response::builder().status(response.status);
    for (name, value) in &response.headers {
        answer = answer.header(name, value);
    }
    answer
        .body(response.body.into_bytes())
        .map_err(|err| EgressError::Failed(format!("an answer could not be read: {err}")))
}

/// Runs discovery at `issuer` (its discovery document, then its JWKS).
pub async fn discover(policy: Policy, issuer: &str) -> Result<CoreProviderMetadata, SsoError> {
    let client = egress(policy)?;
    let http = move |request| send(client.clone(), request);
    let issuer = IssuerUrl::new(issuer.to_owned())
        .map_err(|err| SsoError::Discovery(format!("The issuer URL is not valid: {err}.")))?;
    CoreProviderMetadata::discover_async(issuer, &http)
        .await
        .map_err(|err| SsoError::Discovery(discovery_problem(&err)))
}

fn discovery_problem<E: std::error::Error + 'static>(
    err: &openidconnect::DiscoveryError<E>,
) -> String {
    use openidconnect::DiscoveryError as D;
    match err {
        D::Request(cause) => format!("The provider could not be reached: {cause}."),
        D::Response(status, _, _) => format!(
            "The provider answered {status} for its discovery document (is this the issuer URL?)."
        ),
        D::Parse(cause) => format!("The provider's discovery document is not valid: {cause}."),
        D::Validation(cause) => {
            format!("The provider's discovery document does not match: {cause}.")
        }
        other => format!("Discovery at the provider failed: {other}."),
    }
}

/// Starts a sign-in: discovery, then the authorization URL with a fresh `state`, nonce and
/// PKCE challenge (S256), asking for `openid email profile`.
pub async fn begin(policy: Policy, provider: &Provider) -> Result<Begun, SsoError> {
    let metadata = discover(policy, &provider.issuer_url).await?;
    let redirect = RedirectUrl::new(provider.redirect_url.clone())
        .map_err(|err| SsoError::Discovery(format!("The callback URL is not valid: {err}.")))?;
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(provider.client_id.clone()),
        Some(ClientSecret::new(provider.client_secret.clone())),
    )
    .set_redirect_uri(redirect);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    Ok(Begun {
        authorize_url: url.to_string(),
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
    })
}

/// Finishes a sign-in: exchanges `code` (with the PKCE verifier) at the token endpoint and
/// checks the ID token: its signature against the provider's JWKS, its issuer, that this
/// server's client id is its audience (and no other party is), that it has not expired, and
/// that its nonce is the one this sign-in sent.
pub async fn finish(
    policy: Policy,
    provider: &Provider,
    code: &str,
    nonce: &str,
    pkce_verifier: &str,
) -> Result<Identity, SsoError> {
    let metadata = discover(policy, &provider.issuer_url).await?;
    let redirect = RedirectUrl::new(provider.redirect_url.clone())
        .map_err(|err| SsoError::Discovery(format!("The callback URL is not valid: {err}.")))?;
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(provider.client_id.clone()),
        Some(ClientSecret::new(provider.client_secret.clone())),
    )
    .set_redirect_uri(redirect);
    let egress_client = egress(policy)?;
    let http = move |request| send(egress_client.clone(), request);
    let tokens = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .map_err(|err| SsoError::Token(format!("The provider has no token endpoint: {err}.")))?
        .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()))
        .request_async(&http)
        .await
        .map_err(|err| SsoError::Token(token_problem(&err)))?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| SsoError::IdToken("The provider answered without an ID token.".into()))?;
    let verifier = client.id_token_verifier();
    let claims = id_token
        .claims(&verifier, &Nonce::new(nonce.to_owned()))
        .map_err(|err| SsoError::IdToken(claims_problem(&err)))?;
    Ok(Identity {
        subject: claims.subject().as_str().to_owned(),
        email: claims.email().map(|email| email.as_str().to_owned()),
        email_verified: claims.email_verified().unwrap_or(false),
        name: claims
            .name()
            .and_then(|name| name.get(None))
            .map(|name| name.as_str().to_owned()),
    })
}

fn token_problem<RE: std::error::Error + 'static, T: openidconnect::ErrorResponse + 'static>(
    err: &openidconnect::RequestTokenError<RE, T>,
) -> String {
    use openidconnect::RequestTokenError as R;
    match err {
        R::ServerResponse(answer) => {
            format!("The provider refused to complete the sign-in: {answer}.")
        }
        R::Request(cause) => format!("The provider could not be reached: {cause}."),
        R::Parse(cause, _) => format!("The provider's token answer is not valid: {cause}."),
        R::Other(cause) => format!("The provider's token answer is not valid: {cause}."),
    }
}

fn claims_problem(err: &ClaimsVerificationError) -> String {
    use ClaimsVerificationError as C;
    match err {
        C::InvalidAudience(detail) => format!(
            "The provider's ID token was issued for another application, not this server's client id ({detail})."
        ),
        C::Expired(detail) => format!("The provider's ID token has expired ({detail})."),
        C::InvalidNonce(detail) => format!(
            "The provider's ID token does not belong to this sign-in: its nonce does not match ({detail})."
        ),
        C::InvalidIssuer(detail) => {
            format!("The provider's ID token comes from another issuer ({detail}).")
        }
        C::SignatureVerification(detail) => {
            format!("The provider's ID token is not signed by the provider's keys ({detail}).")
        }
        other => format!("The provider's ID token was refused: {other}."),
    }
}
