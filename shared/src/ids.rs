//! Typed identifiers. Ids are opaque strings on the wire; the newtypes keep an incident id from
//! ever being passed where a service id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as it is stored and sent.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    )*};
}

id_type!(
    /// An organization (a tenant).
    OrgId,
    /// A person with an account.
    UserId,
    /// An integrator's API key.
    ApiKeyId,
    /// A pending invitation to join an organization.
    InvitationId,
    /// A group of services on the status page.
    ServiceGroupId,
    /// A service on the status page.
    ServiceId,
    /// An incident.
    IncidentId,
    /// One update in an incident's timeline.
    IncidentUpdateId,
    /// A scheduled maintenance window.
    MaintenanceId,
    /// One update of a maintenance window.
    MaintenanceUpdateId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialize_as_plain_strings() {
        let id = ServiceId("svc_1".into());
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"svc_1\"");
        let back: ServiceId = serde_json::from_str("\"svc_1\"").unwrap();
        assert_eq!(back, id);
    }
}
