//! The `upstate` server: HTTP API, WebSocket endpoints and the embedded SPA on one port.
//!
//! A request flows: route (one table in [`routes`]) → extractors → handler → a store function
//! on a pooled connection off the async workers ([`state::AppState::read`] / `write`) → JSON.

pub mod activity;
pub mod auth;
pub mod cli;
pub mod config;
pub mod config_file;
pub mod error;
pub mod headers;
pub mod healthcheck;
pub mod json;
pub mod mail;
pub mod metrics;
pub mod monitors;
pub mod negotiate;
pub mod openapi;
pub mod public;
pub mod routes;
pub mod scheduler;
pub mod server;
pub mod spa;
pub mod sso;
pub mod state;
pub mod telemetry;
pub mod views;

pub use config::Settings;
pub use error::ApiError;
