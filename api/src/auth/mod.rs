//! Who is calling: passwords, tokens, the caller extractors and the rate limits of the
//! sign-in paths.

pub mod caller;
pub mod client_address;
pub mod cookies;
pub mod lifetime;
pub mod password;
pub mod rate_limit;
pub mod sealed;
pub mod tokens;
pub mod totp;

pub use caller::{Admin, Caller, Editor, OrgAccess, Owner, Principal, Viewer};
