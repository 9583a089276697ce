//! The typed client of Upstate's HTTP API. Every call answers the decoded body or an
//! [`ApiError`] carrying the server's error body (or one made up for a network failure), so a
//! page can always say what went wrong.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use upstate_shared::dto::*;
use upstate_shared::{
    ApiKeyId, DeliveryId, ErrorBody, ErrorCode, IncidentId, IncidentTemplateId, InvitationId,
    MaintenanceId, MonitorId, Role, ServiceId, SubscriptionId, UserId,
};

/// A failed call: the HTTP status (0 when the server could not be reached) and the error body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub body: ErrorBody,
}

impl ApiError {
    pub fn code(&self) -> ErrorCode {
        self.body.error.code
    }

    pub fn message(&self) -> &str {
        &self.body.error.message
    }

    /// A problem with one field found before sending (what the API would have said).
    pub fn invalid_field(field: &str, problem: &str) -> Self {
        let mut fields = upstate_shared::FieldErrors::new();
        fields.insert(field.to_owned(), vec![problem.to_owned()]);
        ApiError::invalid(fields)
    }

    /// Problems with fields found before sending, by the API's own rules
    /// (`upstate_shared::valid`): shown as the API would show them, with no round trip.
    pub fn invalid(fields: upstate_shared::FieldErrors) -> Self {
        ApiError {
            status: 422,
            body: ErrorBody::validation("Some fields need another look.", fields),
        }
    }

    fn network(err: gloo_net::Error) -> Self {
        ApiError {
            status: 0,
            body: ErrorBody::new(
                ErrorCode::Unavailable,
                format!("The server could not be reached ({err})."),
            ),
        }
    }
}

/// `GET /api/v1/meta`.
pub async fn meta() -> Result<ServerInfo, ApiError> {
    get("/api/v1/meta").await
}

/// `GET /api/v1/public/{org}/summary`.
pub async fn public_summary(org: &str) -> Result<PublicSummary, ApiError> {
    get(&format!("/api/v1/public/{org}/summary")).await
}

// ---- the account ----

/// `POST /api/v1/auth/register` (202: the same whether or not the address had an account).
pub async fn register(body: &RegisterRequest) -> Result<(), ApiError> {
    send_empty(Method::Post, "/api/v1/auth/register", body).await
}

/// What the first step of a sign-in answers.
pub enum SignIn {
    /// Signed in: the session cookies are set.
    Done(Session),
    /// The password was right and the person has two-factor on: a code next
    /// ([`login_second_step`]).
    SecondStep(TwoFactorChallenge),
}

/// `POST /api/v1/auth/login`: a session (200), or the challenge of a second step (202).
pub async fn login(body: &LoginRequest) -> Result<SignIn, ApiError> {
    let response = send_raw(Method::Post, "/api/v1/auth/login", body).await?;
    if response.status() == 202 {
        decode::<TwoFactorRequired>(response)
            .await
            .map(|required| SignIn::SecondStep(required.two_factor))
    } else {
        decode::<Session>(response).await.map(SignIn::Done)
    }
}

/// `POST /api/v1/auth/login/two-factor`: the code (or a recovery code) with the challenge; the
/// session cookies are set.
pub async fn login_second_step(body: &TwoFactorLogin) -> Result<Session, ApiError> {
    decode(send_raw(Method::Post, "/api/v1/auth/login/two-factor", body).await?).await
}

/// `POST /api/v1/auth/logout`.
pub async fn logout() -> Result<(), ApiError> {
    send_empty(Method::Post, "/api/v1/auth/logout", &NoBody {}).await
}

/// `POST /api/v1/auth/refresh`: new session cookies.
pub async fn refresh() -> Result<(), ApiError> {
    let response = send_raw(Method::Post, "/api/v1/auth/refresh", &NoBody {}).await?;
    if response.ok() {
        return Ok(());
    }
    decode::<serde_json::Value>(response).await.map(drop)
}

/// `POST /api/v1/auth/password-reset`: a reset link by email.
pub async fn request_password_reset(body: &PasswordResetRequest) -> Result<(), ApiError> {
    send_empty(Method::Post, "/api/v1/auth/password-reset", body).await
}

/// `POST /api/v1/auth/password-reset/confirm`.
pub async fn confirm_password_reset(body: &PasswordResetConfirm) -> Result<(), ApiError> {
    send_empty(Method::Post, "/api/v1/auth/password-reset/confirm", body).await
}

/// `POST /api/v1/auth/verify-email`.
pub async fn verify_email(body: &VerifyEmailRequest) -> Result<(), ApiError> {
    send_empty(Method::Post, "/api/v1/auth/verify-email", body).await
}

/// `POST /api/v1/invitations/accept`.
pub async fn accept_invitation(
    body: &AcceptInvitationRequest,
) -> Result<AcceptedInvitation, ApiError> {
    send(Method::Post, "/api/v1/invitations/accept", body).await
}

/// `PATCH /api/v1/account`: the person's new name.
pub async fn update_account(body: &ProfileUpdate) -> Result<User, ApiError> {
    send(Method::Patch, "/api/v1/account", body).await
}

/// `POST /api/v1/account/email`: a link to the new address, a notice to the current one.
pub async fn change_email(body: &EmailChangeRequest) -> Result<(), ApiError> {
    send_empty(Method::Post, "/api/v1/account/email", body).await
}

/// `POST /api/v1/account/email/confirm`: the link followed; the account with its new address.
pub async fn confirm_email_change(body: &EmailChangeConfirm) -> Result<User, ApiError> {
    send(Method::Post, "/api/v1/account/email/confirm", body).await
}

/// `GET /api/v1/account/two-factor`.
pub async fn two_factor() -> Result<TwoFactorStatus, ApiError> {
    get("/api/v1/account/two-factor").await
}

/// `POST /api/v1/account/two-factor/totp`: an enrolment to confirm with a first code.
pub async fn start_totp() -> Result<TotpEnrolment, ApiError> {
    send(Method::Post, "/api/v1/account/two-factor/totp", &NoBody {}).await
}

/// `POST /api/v1/account/two-factor/totp/confirm`: on, with the recovery codes (shown once).
pub async fn confirm_totp(code: &TwoFactorCode) -> Result<RecoveryCodes, ApiError> {
    send(
        Method::Post,
        "/api/v1/account/two-factor/totp/confirm",
        code,
    )
    .await
}

/// `POST /api/v1/account/two-factor/totp/disable`.
pub async fn disable_totp(code: &TwoFactorCode) -> Result<(), ApiError> {
    send_empty(
        Method::Post,
        "/api/v1/account/two-factor/totp/disable",
        code,
    )
    .await
}

/// `POST /api/v1/account/password`: every other session ends.
pub async fn change_password(body: &PasswordChange) -> Result<(), ApiError> {
    send_empty(Method::Post, "/api/v1/account/password", body).await
}

/// `GET /api/v1/account/sessions`.
pub async fn account_sessions() -> Result<AccountSessions, ApiError> {
    get("/api/v1/account/sessions").await
}

/// `DELETE /api/v1/account/sessions/{session}`.
pub async fn end_session(session: &str) -> Result<(), ApiError> {
    send_empty(
        Method::Delete,
        &format!("/api/v1/account/sessions/{session}"),
        &NoBody {},
    )
    .await
}

/// `DELETE /api/v1/account`: the account is deleted, proven by the password or a code.
pub async fn delete_account(body: &AccountDeletion) -> Result<(), ApiError> {
    send_empty(Method::Delete, "/api/v1/account", body).await
}

/// `GET /api/v1/orgs/{org}/security`.
pub async fn org_security(org: &str) -> Result<OrgSecurity, ApiError> {
    get(&org_path(org, "/security")).await
}

/// `PUT /api/v1/orgs/{org}/security` (owners).
pub async fn set_org_security(org: &str, body: &OrgSecurity) -> Result<OrgSecurity, ApiError> {
    send(Method::Put, &org_path(org, "/security"), body).await
}

/// `DELETE /api/v1/account/sessions`: every session but this one.
pub async fn end_other_sessions() -> Result<SessionsEnded, ApiError> {
    send(Method::Delete, "/api/v1/account/sessions", &NoBody {}).await
}

// ---- passkeys ----

/// `GET /api/v1/account/passkeys`.
pub async fn passkeys() -> Result<PasskeyList, ApiError> {
    get("/api/v1/account/passkeys").await
}

/// `POST /api/v1/account/passkey-registration`: the options for the browser, given the password.
pub async fn start_passkey_registration(password: String) -> Result<PasskeyCeremony, ApiError> {
    send(
        Method::Post,
        "/api/v1/account/passkey-registration",
        &PasskeyRegistrationRequest { password },
    )
    .await
}

/// `POST /api/v1/account/passkeys`: the browser's new credential, named.
pub async fn add_passkey(body: &PasskeyCreate) -> Result<PasskeyView, ApiError> {
    send(Method::Post, "/api/v1/account/passkeys", body).await
}

/// `PATCH /api/v1/account/passkeys/{passkey}`.
pub async fn rename_passkey(id: &str, name: String) -> Result<PasskeyView, ApiError> {
    send(
        Method::Patch,
        &format!("/api/v1/account/passkeys/{id}"),
        &PasskeyRename { name },
    )
    .await
}

/// `DELETE /api/v1/account/passkeys/{passkey}`.
pub async fn remove_passkey(id: &str) -> Result<(), ApiError> {
    send_empty(
        Method::Delete,
        &format!("/api/v1/account/passkeys/{id}"),
        &NoBody {},
    )
    .await
}

/// `POST /api/v1/auth/passkey/options`: a sign-in with a passkey alone, started.
pub async fn passkey_sign_in_options() -> Result<PasskeyCeremony, ApiError> {
    decode(send_raw(Method::Post, "/api/v1/auth/passkey/options", &NoBody {}).await?).await
}

/// `POST /api/v1/auth/passkey`: signed in by the passkey's answer; the session cookies are set.
pub async fn passkey_sign_in(body: &PasskeyAssertion) -> Result<Session, ApiError> {
    decode(send_raw(Method::Post, "/api/v1/auth/passkey", body).await?).await
}

/// `POST /api/v1/auth/login/two-factor/passkey-options`: a passkey for the second step.
pub async fn second_step_passkey_options(challenge: String) -> Result<PasskeyCeremony, ApiError> {
    decode(
        send_raw(
            Method::Post,
            "/api/v1/auth/login/two-factor/passkey-options",
            &PasskeySecondFactorRequest { challenge },
        )
        .await?,
    )
    .await
}

// ---- organizations ----

fn org_path(org: &str, rest: &str) -> String {
    format!("/api/v1/orgs/{org}{rest}")
}

/// `POST /api/v1/orgs`.
pub async fn create_org(body: &CreateOrgRequest) -> Result<Org, ApiError> {
    send(Method::Post, "/api/v1/orgs", body).await
}

/// `GET /api/v1/orgs/{org}`.
pub async fn org(org: &str) -> Result<Org, ApiError> {
    get(&org_path(org, "")).await
}

/// `PATCH /api/v1/orgs/{org}`.
pub async fn update_org(org: &str, body: &UpdateOrgRequest) -> Result<Org, ApiError> {
    send(Method::Patch, &org_path(org, ""), body).await
}

/// `GET /api/v1/orgs/{org}/branding`.
pub async fn branding(org: &str) -> Result<BrandingSettings, ApiError> {
    get(&org_path(org, "/branding")).await
}

/// `PUT /api/v1/orgs/{org}/branding`: publishes the branding.
pub async fn update_branding(
    org: &str,
    body: &BrandingSettings,
) -> Result<BrandingSettings, ApiError> {
    send(Method::Put, &org_path(org, "/branding"), body).await
}

/// `POST /api/v1/orgs/{org}/branding/preview`: the status page with a draft.
pub async fn preview_branding(
    org: &str,
    body: &BrandingSettings,
) -> Result<BrandingPreview, ApiError> {
    send(Method::Post, &org_path(org, "/branding/preview"), body).await
}

/// `GET /api/v1/orgs/{org}/page-access`: who may see the status page.
pub async fn page_access(org: &str) -> Result<PageAccess, ApiError> {
    get(&org_path(org, "/page-access")).await
}

/// `PUT /api/v1/orgs/{org}/page-access`.
pub async fn update_page_access(
    org: &str,
    body: &UpdatePageAccessRequest,
) -> Result<PageAccess, ApiError> {
    send(Method::Put, &org_path(org, "/page-access"), body).await
}

/// `GET /api/v1/orgs/{org}/services`.
pub async fn services(org: &str) -> Result<Page<Service>, ApiError> {
    get(&org_path(org, "/services")).await
}

/// `POST /api/v1/orgs/{org}/services`.
pub async fn create_service(org: &str, body: &CreateServiceRequest) -> Result<Service, ApiError> {
    send(Method::Post, &org_path(org, "/services"), body).await
}

/// `PATCH /api/v1/orgs/{org}/services/{id}`.
pub async fn update_service(
    org: &str,
    id: &ServiceId,
    body: &UpdateServiceRequest,
) -> Result<Service, ApiError> {
    send(
        Method::Patch,
        &org_path(org, &format!("/services/{id}")),
        body,
    )
    .await
}

/// `GET /api/v1/orgs/{org}/sso` (owners): `None` while the org has no single sign-on.
pub async fn sso(org: &str) -> Result<Option<SsoSettings>, ApiError> {
    match get(&org_path(org, "/sso")).await {
        Ok(settings) => Ok(Some(settings)),
        Err(e) if e.status == 404 => Ok(None),
        Err(e) => Err(e),
    }
}

/// `PUT /api/v1/orgs/{org}/sso` (owners).
pub async fn update_sso(org: &str, body: &UpdateSsoRequest) -> Result<SsoSettings, ApiError> {
    send(Method::Put, &org_path(org, "/sso"), body).await
}

/// `DELETE /api/v1/orgs/{org}/sso` (owners).
pub async fn delete_sso(org: &str) -> Result<(), ApiError> {
    send_empty(Method::Delete, &org_path(org, "/sso"), &NoBody {}).await
}

/// `DELETE /api/v1/orgs/{org}/services/{id}`.
pub async fn delete_service(org: &str, id: &ServiceId) -> Result<(), ApiError> {
    send_empty(
        Method::Delete,
        &org_path(org, &format!("/services/{id}")),
        &NoBody {},
    )
    .await
}

/// `POST /api/v1/orgs/{org}/services/{id}/move`.
pub async fn move_service(org: &str, id: &ServiceId, position: u32) -> Result<(), ApiError> {
    let path = org_path(org, &format!("/services/{id}/move"));
    send::<_, serde_json::Value>(Method::Post, &path, &MoveRequest { position })
        .await
        .map(drop)
}

/// `GET /api/v1/orgs/{org}/services/{id}/history`, newest first.
pub async fn service_history(
    org: &str,
    id: &ServiceId,
    limit: u32,
) -> Result<Page<StatusChange>, ApiError> {
    get(&org_path(
        org,
        &format!("/services/{id}/history?limit={limit}"),
    ))
    .await
}

/// `GET /api/v1/orgs/{org}/service-groups`.
pub async fn groups(org: &str) -> Result<Page<ServiceGroup>, ApiError> {
    get(&org_path(org, "/service-groups")).await
}

/// `POST /api/v1/orgs/{org}/service-groups`.
pub async fn create_group(org: &str, body: &GroupRequest) -> Result<ServiceGroup, ApiError> {
    send(Method::Post, &org_path(org, "/service-groups"), body).await
}

/// `GET /api/v1/orgs/{org}/incidents`, newest first.
pub async fn incidents(org: &str, limit: u32) -> Result<Page<Incident>, ApiError> {
    get(&org_path(org, &format!("/incidents?limit={limit}"))).await
}

/// `GET /api/v1/orgs/{org}/incidents/{id}`.
pub async fn incident(org: &str, id: &IncidentId) -> Result<Incident, ApiError> {
    get(&org_path(org, &format!("/incidents/{id}"))).await
}

/// `POST /api/v1/orgs/{org}/incidents`.
pub async fn create_incident(
    org: &str,
    body: &CreateIncidentRequest,
) -> Result<Incident, ApiError> {
    send(Method::Post, &org_path(org, "/incidents"), body).await
}

/// `PATCH /api/v1/orgs/{org}/incidents/{id}`.
pub async fn update_incident(
    org: &str,
    id: &IncidentId,
    body: &UpdateIncidentRequest,
) -> Result<Incident, ApiError> {
    send(
        Method::Patch,
        &org_path(org, &format!("/incidents/{id}")),
        body,
    )
    .await
}

/// `POST /api/v1/orgs/{org}/incidents/{id}/updates`.
pub async fn add_incident_update(
    org: &str,
    id: &IncidentId,
    body: &CreateIncidentUpdateRequest,
) -> Result<IncidentUpdate, ApiError> {
    send(
        Method::Post,
        &org_path(org, &format!("/incidents/{id}/updates")),
        body,
    )
    .await
}

/// `GET /api/v1/orgs/{org}/maintenances`.
pub async fn maintenances(org: &str, limit: u32) -> Result<Page<Maintenance>, ApiError> {
    get(&org_path(org, &format!("/maintenances?limit={limit}"))).await
}

/// `POST /api/v1/orgs/{org}/maintenances`.
pub async fn create_maintenance(
    org: &str,
    body: &CreateMaintenanceRequest,
) -> Result<Maintenance, ApiError> {
    send(Method::Post, &org_path(org, "/maintenances"), body).await
}

/// `POST /api/v1/orgs/{org}/maintenances/{id}/updates`.
pub async fn add_maintenance_update(
    org: &str,
    id: &MaintenanceId,
    body: &CreateMaintenanceUpdateRequest,
) -> Result<MaintenanceUpdate, ApiError> {
    send(
        Method::Post,
        &org_path(org, &format!("/maintenances/{id}/updates")),
        body,
    )
    .await
}

/// `GET /api/v1/orgs/{org}/members`.
pub async fn members(org: &str) -> Result<Page<Member>, ApiError> {
    get(&org_path(org, "/members")).await
}

/// `PATCH /api/v1/orgs/{org}/members/{user}`.
pub async fn update_member(org: &str, user: &UserId, role: Role) -> Result<Member, ApiError> {
    let path = org_path(org, &format!("/members/{user}"));
    send(Method::Patch, &path, &UpdateMemberRequest { role }).await
}

/// `DELETE /api/v1/orgs/{org}/members/{user}`: removes the member (or leaves).
pub async fn remove_member(org: &str, user: &UserId) -> Result<(), ApiError> {
    send_empty(
        Method::Delete,
        &org_path(org, &format!("/members/{user}")),
        &NoBody {},
    )
    .await
}

/// `GET /api/v1/orgs/{org}/invitations`.
pub async fn invitations(org: &str) -> Result<Page<Invitation>, ApiError> {
    get(&org_path(org, "/invitations")).await
}

/// `POST /api/v1/orgs/{org}/invitations`.
pub async fn invite(org: &str, body: &CreateInvitationRequest) -> Result<Invitation, ApiError> {
    send(Method::Post, &org_path(org, "/invitations"), body).await
}

/// `DELETE /api/v1/orgs/{org}/invitations/{id}`.
pub async fn revoke_invitation(org: &str, id: &InvitationId) -> Result<(), ApiError> {
    send_empty(
        Method::Delete,
        &org_path(org, &format!("/invitations/{id}")),
        &NoBody {},
    )
    .await
}

/// `GET /api/v1/orgs/{org}/api-keys`.
pub async fn api_keys(org: &str) -> Result<Page<ApiKey>, ApiError> {
    get(&org_path(org, "/api-keys")).await
}

/// `POST /api/v1/orgs/{org}/api-keys`: the key is in the answer, once.
pub async fn create_api_key(
    org: &str,
    body: &CreateApiKeyRequest,
) -> Result<CreatedApiKey, ApiError> {
    send(Method::Post, &org_path(org, "/api-keys"), body).await
}

/// `DELETE /api/v1/orgs/{org}/api-keys/{id}`.
pub async fn revoke_api_key(org: &str, id: &ApiKeyId) -> Result<(), ApiError> {
    send_empty(
        Method::Delete,
        &org_path(org, &format!("/api-keys/{id}")),
        &NoBody {},
    )
    .await
}

/// `GET /api/v1/orgs/{org}/audit-log`.
pub async fn audit_log(org: &str, limit: u32) -> Result<Page<AuditEntry>, ApiError> {
    get(&org_path(org, &format!("/audit-log?limit={limit}"))).await
}

/// `POST /api/v1/orgs/{org}/imports/statuspage`: a Statuspage page's groups, services and
/// incidents, from its documents or its address.
pub async fn import_statuspage(
    org: &str,
    body: &StatuspageImportRequest,
) -> Result<StatuspageImport, ApiError> {
    send(Method::Post, &org_path(org, "/imports/statuspage"), body).await
}

// ---- subscribers and integrations (admins) ----

/// `GET /api/v1/orgs/{org}/subscriber-counts`.
pub async fn subscriber_counts(org: &str) -> Result<SubscriberCounts, ApiError> {
    get(&org_path(org, "/subscriber-counts")).await
}

/// `GET /api/v1/orgs/{org}/subscribers`, newest first: those whose address contains `search`
/// (all when empty), `limit` at a time, after `cursor`.
pub async fn subscribers(
    org: &str,
    search: &str,
    limit: u32,
    cursor: Option<&str>,
) -> Result<Page<Subscriber>, ApiError> {
    let mut query = format!("?limit={limit}");
    if !search.trim().is_empty() {
        query.push_str(&format!(
            "&search={}",
            js_sys::encode_uri_component(search.trim())
        ));
    }
    if let Some(cursor) = cursor {
        query.push_str(&format!("&cursor={}", js_sys::encode_uri_component(cursor)));
    }
    get(&org_path(org, &format!("/subscribers{query}"))).await
}

/// `DELETE /api/v1/orgs/{org}/subscribers/{id}`.
pub async fn remove_subscriber(org: &str, id: &SubscriptionId) -> Result<(), ApiError> {
    send_empty(
        Method::Delete,
        &org_path(org, &format!("/subscribers/{id}")),
        &NoBody {},
    )
    .await
}

/// `GET /api/v1/orgs/{org}/subscribers.csv`: every subscriber as CSV.
pub async fn export_subscribers(org: &str) -> Result<String, ApiError> {
    let path = org_path(org, "/subscribers.csv");
    let mut response = fresh_get(&path).await?;
    if response.status() == 401 && refresh_session(&path).await {
        response = fresh_get(&path).await?;
    }
    if !response.ok() {
        return decode::<serde_json::Value>(response)
            .await
            .map(|_| String::new());
    }
    response.text().await.map_err(ApiError::network)
}

/// `GET /api/v1/orgs/{org}/export`: everything of the org as one JSON document (admins), kept
/// as the text the server wrote so that the download is that document byte for byte.
pub async fn export_org(org: &str) -> Result<String, ApiError> {
    document(&org_path(org, "/export")).await
}

/// `GET /api/v1/account/export`: everything kept about the person, as the server wrote it.
pub async fn export_account() -> Result<String, ApiError> {
    document("/api/v1/account/export").await
}

/// A JSON document to download, as the text the server wrote.
async fn document(path: &str) -> Result<String, ApiError> {
    let mut response = fresh_get(path).await?;
    if response.status() == 401 && refresh_session(path).await {
        response = fresh_get(path).await?;
    }
    if !response.ok() {
        return decode::<serde_json::Value>(response)
            .await
            .map(|_| String::new());
    }
    response.text().await.map_err(ApiError::network)
}

/// `POST /api/v1/orgs/{org}/subscribers.csv` with a CSV body: email subscribers, confirmed.
pub async fn import_subscribers(org: &str, csv: &str) -> Result<SubscriberImport, ApiError> {
    let path = org_path(org, "/subscribers.csv");
    let path = path.as_str();
    let post = move || async move {
        Request::post(path)
            .header("X-Requested-With", "upstate")
            .header("Content-Type", "text/csv")
            .body(csv)
            .map_err(ApiError::network)?
            .send()
            .await
            .map_err(ApiError::network)
    };
    let mut response = post().await?;
    if response.status() == 401 && refresh_session(path).await {
        response = post().await?;
    }
    decode(response).await
}

/// `GET /api/v1/orgs/{org}/integrations`.
pub async fn integrations(org: &str) -> Result<Page<Integration>, ApiError> {
    get(&org_path(org, "/integrations")).await
}

/// `POST /api/v1/orgs/{org}/integrations`: a webhook's signing secret is in the answer, once.
pub async fn create_integration(
    org: &str,
    body: &CreateIntegrationRequest,
) -> Result<CreatedIntegration, ApiError> {
    send(Method::Post, &org_path(org, "/integrations"), body).await
}

/// `PATCH /api/v1/orgs/{org}/integrations/{id}`.
pub async fn update_integration(
    org: &str,
    id: &SubscriptionId,
    body: &UpdateIntegrationRequest,
) -> Result<Integration, ApiError> {
    send(
        Method::Patch,
        &org_path(org, &format!("/integrations/{id}")),
        body,
    )
    .await
}

/// `DELETE /api/v1/orgs/{org}/integrations/{id}`.
pub async fn delete_integration(org: &str, id: &SubscriptionId) -> Result<(), ApiError> {
    send_empty(
        Method::Delete,
        &org_path(org, &format!("/integrations/{id}")),
        &NoBody {},
    )
    .await
}

/// `POST /api/v1/orgs/{org}/integrations/{id}/test`: a test message, sent now.
pub async fn test_integration(org: &str, id: &SubscriptionId) -> Result<TestDelivery, ApiError> {
    send(
        Method::Post,
        &org_path(org, &format!("/integrations/{id}/test")),
        &NoBody {},
    )
    .await
}

/// `GET /api/v1/orgs/{org}/integrations/{id}/deliveries`: the last attempts, newest first.
pub async fn deliveries(org: &str, id: &SubscriptionId) -> Result<Page<DeliveryAttempt>, ApiError> {
    get(&org_path(org, &format!("/integrations/{id}/deliveries"))).await
}

/// `POST /api/v1/orgs/{org}/integrations/{id}/deliveries/{delivery}/redeliver`.
pub async fn redeliver(
    org: &str,
    id: &SubscriptionId,
    delivery: &DeliveryId,
) -> Result<(), ApiError> {
    send_empty(
        Method::Post,
        &org_path(
            org,
            &format!("/integrations/{id}/deliveries/{delivery}/redeliver"),
        ),
        &NoBody {},
    )
    .await
}

// ---- monitors ----

/// A list's query: `?limit=` and, after the first page, `&cursor=`.
fn page_query(limit: u32, cursor: Option<&str>) -> String {
    match cursor {
        Some(cursor) => format!(
            "?limit={limit}&cursor={}",
            js_sys::encode_uri_component(cursor)
        ),
        None => format!("?limit={limit}"),
    }
}

/// `GET /api/v1/orgs/{org}/monitors`: one page, `limit` at a time, after `cursor`.
pub async fn monitors(
    org: &str,
    limit: u32,
    cursor: Option<&str>,
) -> Result<Page<Monitor>, ApiError> {
    get(&org_path(
        org,
        &format!("/monitors{}", page_query(limit, cursor)),
    ))
    .await
}

/// Every monitor of the org: the pages of [`monitors`] one after the other (at most `pages`
/// of them, so a runaway cursor cannot loop forever).
pub async fn all_monitors(org: &str, pages: usize) -> Result<Vec<Monitor>, ApiError> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..pages {
        let page = monitors(org, 100, cursor.as_deref()).await?;
        all.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    Ok(all)
}

/// `GET /api/v1/orgs/{org}/monitors/{id}`.
pub async fn monitor(org: &str, id: &MonitorId) -> Result<Monitor, ApiError> {
    get(&org_path(org, &format!("/monitors/{id}"))).await
}

/// `GET /api/v1/orgs/{org}/incident-templates`: all of them (at most 100), by name.
pub async fn incident_templates(org: &str) -> Result<Page<SavedIncidentTemplate>, ApiError> {
    get(&org_path(org, "/incident-templates")).await
}

/// `POST /api/v1/orgs/{org}/incident-templates`.
pub async fn create_incident_template(
    org: &str,
    body: &CreateIncidentTemplateRequest,
) -> Result<SavedIncidentTemplate, ApiError> {
    send(Method::Post, &org_path(org, "/incident-templates"), body).await
}

/// `PATCH /api/v1/orgs/{org}/incident-templates/{id}`.
pub async fn update_incident_template(
    org: &str,
    id: &IncidentTemplateId,
    body: &UpdateIncidentTemplateRequest,
) -> Result<SavedIncidentTemplate, ApiError> {
    send(
        Method::Patch,
        &org_path(org, &format!("/incident-templates/{id}")),
        body,
    )
    .await
}

/// `DELETE /api/v1/orgs/{org}/incident-templates/{id}`.
pub async fn delete_incident_template(org: &str, id: &IncidentTemplateId) -> Result<(), ApiError> {
    send_empty(
        Method::Delete,
        &org_path(org, &format!("/incident-templates/{id}")),
        &NoBody {},
    )
    .await
}

/// `POST /api/v1/orgs/{org}/monitors`.
pub async fn create_monitor(org: &str, body: &CreateMonitorRequest) -> Result<Monitor, ApiError> {
    send(Method::Post, &org_path(org, "/monitors"), body).await
}

/// `PATCH /api/v1/orgs/{org}/monitors/{id}` (pausing and resuming too: `{"paused": ...}`).
pub async fn update_monitor(
    org: &str,
    id: &MonitorId,
    body: &UpdateMonitorRequest,
) -> Result<Monitor, ApiError> {
    send(
        Method::Patch,
        &org_path(org, &format!("/monitors/{id}")),
        body,
    )
    .await
}

/// `DELETE /api/v1/orgs/{org}/monitors/{id}`.
pub async fn delete_monitor(org: &str, id: &MonitorId) -> Result<(), ApiError> {
    send_empty(
        Method::Delete,
        &org_path(org, &format!("/monitors/{id}")),
        &NoBody {},
    )
    .await
}

/// `GET /api/v1/orgs/{org}/monitors/{id}/results`, newest first.
pub async fn monitor_results(
    org: &str,
    id: &MonitorId,
    limit: u32,
    cursor: Option<&str>,
) -> Result<Page<MonitorResult>, ApiError> {
    get(&org_path(
        org,
        &format!("/monitors/{id}/results{}", page_query(limit, cursor)),
    ))
    .await
}

/// `GET /api/v1/orgs/{org}/monitors/{id}/chart?range=`: `24h`, `7d` or `30d`.
pub async fn monitor_chart(
    org: &str,
    id: &MonitorId,
    range: &str,
) -> Result<MonitorChart, ApiError> {
    get(&org_path(
        org,
        &format!("/monitors/{id}/chart?range={range}"),
    ))
    .await
}

/// `POST /api/v1/orgs/{org}/monitors/{id}/test`: runs the check now (not recorded).
pub async fn test_monitor(org: &str, id: &MonitorId) -> Result<MonitorResult, ApiError> {
    send(
        Method::Post,
        &org_path(org, &format!("/monitors/{id}/test")),
        &NoBody {},
    )
    .await
}

/// `POST /api/v1/orgs/{org}/markdown`: how a message will read.
pub async fn preview_markdown(org: &str, markdown: String) -> Result<MarkdownPreview, ApiError> {
    send(
        Method::Post,
        &org_path(org, "/markdown"),
        &MarkdownPreviewRequest { markdown },
    )
    .await
}

/// A GET that answers JSON. On a 401 the session is refreshed once and the call repeated.
async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let mut response = fresh_get(path).await?;
    if response.status() == 401 && refresh_session(path).await {
        response = fresh_get(path).await?;
    }
    decode(response).await
}

/// A GET that revalidates whatever the browser cached (public answers allow 5 s of caching for
/// CDNs; a live page that was told something changed must not be served the old copy).
async fn fresh_get(path: &str) -> Result<Response, ApiError> {
    Request::get(path)
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
        .map_err(ApiError::network)
}

/// The methods of the API's writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Post,
    Put,
    Patch,
    Delete,
}

async fn send_raw<B: Serialize>(
    method: Method,
    path: &str,
    body: &B,
) -> Result<Response, ApiError> {
    let request = builder(method, path)
        .header("X-Requested-With", "upstate")
        .json(body)
        .map_err(ApiError::network)?;
    request.send().await.map_err(ApiError::network)
}

/// An unsafe request with a JSON body. It carries `X-Requested-With: upstate`, which the API
/// requires of cookie-authenticated writes (its CSRF guard). A 401 refreshes the session once.
async fn send<B: Serialize, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let mut response = send_raw(method, path, body).await?;
    if response.status() == 401 && refresh_session(path).await {
        response = send_raw(method, path, body).await?;
    }
    decode(response).await
}

/// The same, for answers without a body (204).
async fn send_empty<B: Serialize>(method: Method, path: &str, body: &B) -> Result<(), ApiError> {
    let mut response = send_raw(method, path, body).await?;
    if response.status() == 401 && refresh_session(path).await {
        response = send_raw(method, path, body).await?;
    }
    if response.ok() {
        return Ok(());
    }
    decode::<serde_json::Value>(response).await.map(drop)
}

/// Rotates the session cookies; answers whether a session goes on. Auth calls never refresh.
async fn refresh_session(path: &str) -> bool {
    !path.starts_with("/api/v1/auth/") && refresh().await.is_ok()
}

/// The problem the API named for a form field, if any.
pub fn field_problem(error: &Option<ApiError>, field: &str) -> Option<String> {
    error
        .as_ref()
        .and_then(|e| e.body.error.fields.as_ref())
        .and_then(|fields| fields.get(field))
        .map(|problems| problems.join("; "))
}

/// The signed-in person and their organizations.
pub async fn me() -> Result<upstate_shared::dto::Me, ApiError> {
    get("/api/v1/auth/me").await
}

fn builder(method: Method, path: &str) -> RequestBuilder {
    match method {
        Method::Post => Request::post(path),
        Method::Put => Request::put(path),
        Method::Patch => Request::patch(path),
        Method::Delete => Request::delete(path),
    }
}

/// The body of a write that carries nothing (`{}`).
#[derive(Serialize)]
struct NoBody {}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if response.ok() {
        return response.json::<T>().await.map_err(|err| ApiError {
            status,
            body: ErrorBody::new(
                ErrorCode::Internal,
                format!("The server's answer could not be read ({err})."),
            ),
        });
    }
    let body = match response.json::<ErrorBody>().await {
        Ok(body) => body,
        Err(_) => ErrorBody::new(
            code_for_status(status),
            format!("The server answered with status {status}."),
        ),
    };
    Err(ApiError { status, body })
}

fn code_for_status(status: u16) -> ErrorCode {
    match status {
        400 => ErrorCode::BadRequest,
        401 => ErrorCode::Unauthenticated,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        409 => ErrorCode::Conflict,
        413 => ErrorCode::PayloadTooLarge,
        422 => ErrorCode::ValidationFailed,
        429 => ErrorCode::RateLimited,
        503 => ErrorCode::Unavailable,
        _ => ErrorCode::Internal,
    }
}
