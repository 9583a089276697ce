//! When a caller's access to an org ends, for connections that outlive a request (the members'
//! WebSocket): at the access token's expiry, or within a second of its session's revocation
//! (logout, password reset, a reused refresh token), the member's removal or role change, or
//! the API key's revocation. Checked once a second against the database, so it holds across
//! replicas with no message between them.

use crate::auth::caller::{Caller, Principal};
use crate::public::ws::Ended;
use crate::state::AppState;
use actix_http::ws::{CloseCode, CloseReason};
use std::time::Duration;
use upstate_shared::{OrgId, Role};

/// How often a live connection's credential is checked.
pub const CHECK_EVERY: Duration = Duration::from_secs(1);

/// The close code of an expired access token: reconnect with a fresh one.
pub const EXPIRED: u16 = 4001;
/// The close code of an access that ended: sign in again (or use another key).
pub const REVOKED: u16 = 4003;

/// Resolves when `caller`'s access to `org` (with `role`) ends, with the close frame to send.
pub fn ended(state: AppState, caller: Caller, org: OrgId, role: Role) -> Ended {
    Box::pin(async move {
        let expires = caller.access.as_ref().map(|access| {
            let left = (access.expires_at - chrono::Utc::now())
                .to_std()
                .unwrap_or_default();
            tokio::time::Instant::now() + left
        });
        let expiry = async {
            match expires {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::pin!(expiry);
        let mut every = tokio::time::interval(CHECK_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = &mut expiry => {
                    return close(EXPIRED, "the access token expired; reconnect with a fresh one");
                }
                _ = every.tick() => {
                    // A failed check (the database unreachable) keeps the connection: it would
                    // refuse a new one anyway, and the next check decides.
                    if let Ok(false) = still_allowed(&state, &caller, &org, role).await {
                        return close(REVOKED, "access to this organization ended");
                    }
                }
            }
        }
    })
}

fn close(code: u16, text: &str) -> CloseReason {
    CloseReason {
        code: CloseCode::Other(code),
        description: Some(text.to_owned()),
    }
}

/// Whether the caller still has `role` in `org`: a live session and the same membership, or an
/// active key.
async fn still_allowed(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    role: Role,
) -> Result<bool, crate::error::ApiError> {
    let principal = caller.principal.clone();
    let session = caller.access.as_ref().map(|access| access.session.clone());
    let org = org.clone();
    state
        .read(move |conn| match &principal {
            Principal::User(user) => {
                let live = match &session {
                    Some(session) => upstate_store::sessions::is_live(conn, session)?,
                    None => false,
                };
                Ok(live && upstate_store::memberships::role_of(conn, &org, user)? == Some(role))
            }
            Principal::ApiKey { id, .. } => upstate_store::api_keys::is_active(conn, id),
        })
        .await
}
