//! Times as a person reads them (shared with the public pages).

pub use upstate_public_page::time::{local, relative, sleep};
