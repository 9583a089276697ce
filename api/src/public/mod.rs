//! The public read path and real time: the cached public summary and uptime, the hub that
//! fans events out to WebSocket clients, and (on PostgreSQL) the listener that brings other
//! replicas' events in.

pub mod cache;
pub mod directory;
pub mod hub;
pub mod listener;
pub mod page;
pub mod sockets;
pub mod summary;
pub mod uptime;
pub mod ws;
