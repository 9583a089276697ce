//! Upstate's web app: one Leptos SPA (client-side rendered) for the public status pages and the
//! dashboard. [`api`] is the typed client of the HTTP API over the `shared` wire types.

pub mod api;
mod app;
mod components;
mod live;
mod pages;
mod passkey;
mod time;

pub use app::App;
