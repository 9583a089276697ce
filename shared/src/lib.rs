//! Wire types of Upstate: everything that crosses the HTTP boundary between the API, the SPA and
//! integrators. No I/O, no database, no web framework: this crate compiles to wasm32.

#[cfg(feature = "css")]
pub mod css;
pub mod dto;
pub mod error;
pub mod events;
pub mod export;
pub mod ids;
pub mod input;
pub mod locale;
pub mod monitor;
pub mod status;
pub mod valid;

pub use error::{ErrorBody, ErrorCode, ErrorDetail, FieldErrors};
pub use events::{EventKind, NotificationEvent, ServerFrame};
pub use ids::*;
pub use locale::Locale;
pub use status::{
    Channel, ImpactLevel, IncidentStatus, MaintenanceStatus, PageAccessMode, ParseEnumError, Role,
    ServiceDisplay, ServiceStatus, StatusIndicator, Theme,
};
