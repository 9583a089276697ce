//! The one way Upstate reaches out to someone else's address: webhooks, chat integrations,
//! monitors, OpenID discovery. Nothing else in the workspace builds an outbound HTTP client.
//!
//! A URL is checked when it is saved ([`check_url`]) and again at every request ([`Client`]):
//! http or https only, no credentials in it, and a host whose addresses are all public, unless
//! the operator's [`Policy`] allows private ones. The client resolves names itself and connects
//! only to the addresses it has just checked, follows no redirect, gives up after a few seconds
//! and reads a bounded part of each answer. Failures are [`EgressError`]s whose text an
//! administrator can read in a delivery log.
//!
//! HTTPS trusts the system's certificate authorities and, when the operator names them, their
//! own ([`RootCertificates`]); an answer tells when its server's certificate expires, and a
//! refused certificate says why ([`CertificateProblem`]: expired on which day, not trusted).

mod address;
mod client;
mod error;
mod target;
mod tls;

pub use address::{ForbiddenKind, Policy, forbidden_kind};
pub use client::{Client, Response};
pub use error::EgressError;
/// HTTP methods, for [`Client::request`].
pub use reqwest::Method;
/// Header names and values for requests, and the type of [`Response::headers`].
pub use reqwest::header;
pub use target::{check_url, check_url_form, resolve};
pub use tls::{CertificateProblem, RootCertificates, RootCertificatesError};
pub use url::Url;
