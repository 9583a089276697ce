//! Upstate's automated monitors (issue 17): what a monitor checks, how one check is run, and how
//! a run of results becomes a service's state.
//!
//! Here, with no storage and no I/O beyond the probes themselves:
//! - [`definition`]: a monitor as plain data ([`Check`] and [`Settings`]), serializable so it
//!   can be stored as JSON and sent over the API, and [`validate`] that names each field's
//!   problem the way the API answers a 422;
//! - [`probe()`]: one HTTP(S), TCP or DNS check, run through `upstate-egress` (the same
//!   server-side request forgery guard as webhooks, for the first request and every redirect
//!   followed), answering an [`Outcome`] whose message an owner can read and which never
//!   carries credentials; an https certificate close to its expiry makes it degraded;
//! - [`Decision`]: the anti-flap rule, a pure state machine fed with outcomes;
//! - [`heartbeat_state`]: whether a heartbeat monitor (a cron job calling a secret URL) has been
//!   silent too long.
//!
//! What comes next: the monitors' tables in `store` (definitions, results, the decided state,
//! the heartbeat token), a runner that schedules probes at each monitor's interval and holds a
//! database lease so one replica runs each monitor, the API (CRUD, the heartbeat URL, the
//! result history) and the dashboard pages.

pub mod decision;
pub mod definition;
pub mod heartbeat;
pub mod probe;
pub mod runner;

pub use decision::{Change, Decision};
pub use definition::{
    Check, Header, HttpCheck, HttpMethod, JsonExpectation, Settings, StatusRange, validate,
    validate_monitor,
};
pub use heartbeat::heartbeat_state;
pub use probe::{Outcome, Prober, probe, probe_with_roots};

/// How a service is doing, as one probe saw it ([`Outcome`]) or as the anti-flap rule decided
/// ([`Decision`]).
pub use upstate_shared::monitor::MonitorState as State;
