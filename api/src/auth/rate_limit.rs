//! Rate limits of the paths that guess passwords or send mail: register, login, second factors, password reset,
//! and the tokens of single-use links, each per client address and per account (the email, or
//! the token);
//! invitations per address and per org. In memory per replica.

use crate::error::ApiError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::time::Duration;

type Limiter = DefaultKeyedRateLimiter<String>;

fn quota(burst: u32, per: Duration) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    // One more attempt each `per / burst` once the burst is spent.
    Quota::with_period(per / burst.get())
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

/// Which path is being limited.
#[derive(Debug, Clone, Copy)]
pub enum Action {
    Register,
    Login,
    PasswordReset,
    /// Presenting the token of a single-use link: a password reset or an address confirmation
    /// (per address, and per token).
    LinkToken,
    /// Sending an invitation (per address, and per org).
    Invite,
    /// Subscribing to a status page (per client address, and per subscribed address).
    Subscribe,
    /// Subscribing to one org's page (per client address, and per org): a page is not a way to
    /// send confirmation mails by the thousand.
    SubscribeToOrg,
    /// Trying a private status page's password (per client address, and per org).
    PagePassword,
    /// Presenting a second factor (a TOTP or recovery code) at sign-in or to change two-factor
    /// settings: per client address, and per account, with the limits of `Login`.
    TwoFactor,
}

/// The limiters, one per action and key kind.
pub struct RateLimits {
    register_ip: Limiter,
    register_account: Limiter,
    login_ip: Limiter,
    login_account: Limiter,
    reset_ip: Limiter,
    reset_account: Limiter,
    link_ip: Limiter,
    link_token: Limiter,
    invite_ip: Limiter,
    invite_org: Limiter,
    subscribe_ip: Limiter,
    subscribe_address: Limiter,
    subscribe_org_ip: Limiter,
    subscribe_org: Limiter,
    page_password_ip: Limiter,
    page_password_org: Limiter,
    two_factor_ip: Limiter,
    two_factor_account: Limiter,
}

impl Default for RateLimits {
    fn default() -> Self {
        let minute = Duration::from_secs(60);
        let hour = Duration::from_secs(3600);
        RateLimits {
            register_ip: RateLimiter::keyed(quota(10, hour)),
            register_account: RateLimiter::keyed(quota(3, hour)),
            login_ip: RateLimiter::keyed(quota(30, 5 * minute)),
            login_account: RateLimiter::keyed(quota(10, 15 * minute)),
            reset_ip: RateLimiter::keyed(quota(10, hour)),
            reset_account: RateLimiter::keyed(quota(3, hour)),
            link_ip: RateLimiter::keyed(quota(10, 15 * minute)),
            link_token: RateLimiter::keyed(quota(5, 15 * minute)),
            invite_ip: RateLimiter::keyed(quota(50, hour)),
            invite_org: RateLimiter::keyed(quota(30, hour)),
            subscribe_ip: RateLimiter::keyed(quota(20, hour)),
            subscribe_address: RateLimiter::keyed(quota(5, hour)),
            subscribe_org_ip: RateLimiter::keyed(quota(20, hour)),
            subscribe_org: RateLimiter::keyed(quota(1000, hour)),
            page_password_ip: RateLimiter::keyed(quota(30, 5 * minute)),
            page_password_org: RateLimiter::keyed(quota(300, 5 * minute)),
            two_factor_ip: RateLimiter::keyed(quota(30, 5 * minute)),
            two_factor_account: RateLimiter::keyed(quota(10, 15 * minute)),
        }
    }
}

impl RateLimits {
    /// Counts an attempt of `action` from `ip` for `account`; 429 with `Retry-After` when either
    /// is over its limit.
    pub fn check(&self, action: Action, ip: Option<&str>, account: &str) -> Result<(), ApiError> {
        let (by_ip, by_account) = match action {
            Action::Register => (&self.register_ip, &self.register_account),
            Action::Login => (&self.login_ip, &self.login_account),
            Action::PasswordReset => (&self.reset_ip, &self.reset_account),
            Action::LinkToken => (&self.link_ip, &self.link_token),
            Action::Invite => (&self.invite_ip, &self.invite_org),
            Action::Subscribe => (&self.subscribe_ip, &self.subscribe_address),
            Action::SubscribeToOrg => (&self.subscribe_org_ip, &self.subscribe_org),
            Action::PagePassword => (&self.page_password_ip, &self.page_password_org),
            Action::TwoFactor => (&self.two_factor_ip, &self.two_factor_account),
        };
        // An IPv6 client is counted by its /64: it can have billions of addresses in it.
        let ip = ip.and_then(|ip| ip.parse().ok()).map_or_else(
            || "unknown".to_owned(),
            crate::auth::client_address::limit_key,
        );
        limit(by_ip, ip)?;
        limit(by_account, account.trim().to_lowercase())
    }

    /// Forgets keys that are back to a full allowance (run now and then, so memory stays flat).
    pub fn forget_idle(&self) {
        for limiter in [
            &self.register_ip,
            &self.register_account,
            &self.login_ip,
            &self.login_account,
            &self.reset_ip,
            &self.reset_account,
            &self.link_ip,
            &self.link_token,
            &self.invite_ip,
            &self.invite_org,
            &self.subscribe_ip,
            &self.subscribe_address,
            &self.subscribe_org_ip,
            &self.subscribe_org,
            &self.page_password_ip,
            &self.page_password_org,
            &self.two_factor_ip,
            &self.two_factor_account,
        ] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

fn limit(limiter: &Limiter, key: String) -> Result<(), ApiError> {
    limiter.check_key(&key).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        ApiError::RateLimited {
            retry_after_secs: wait.as_secs().max(1),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_limited_whatever_the_address() {
        let limits = RateLimits::default();
        for attempt in 0..10 {
            let ip = format!("10.0.0.{attempt}");
            limits
                .check(Action::Login, Some(&ip), "ada@example.com")
                .unwrap();
        }
        let err = limits
            .check(Action::Login, Some("10.0.1.1"), "ADA@example.com")
            .unwrap_err();
        match err {
            ApiError::RateLimited { retry_after_secs } => {
                assert!((1..=90).contains(&retry_after_secs))
            }
            other => panic!("expected a rate limit, got {other:?}"),
        }
        limits
            .check(Action::Login, Some("10.0.1.1"), "bob@example.com")
            .unwrap();
    }

    #[test]
    fn an_address_is_limited_whatever_the_account() {
        let limits = RateLimits::default();
        for n in 0..10 {
            limits
                .check(
                    Action::Register,
                    Some("192.0.2.1"),
                    &format!("user{n}@example.com"),
                )
                .unwrap();
        }
        assert!(
            limits
                .check(Action::Register, Some("192.0.2.1"), "new@example.com")
                .is_err()
        );
        assert!(
            limits
                .check(Action::Register, Some("192.0.2.2"), "new@example.com")
                .is_ok()
        );
    }
}
