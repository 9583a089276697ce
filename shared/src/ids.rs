//! Typed identifiers. Ids are opaque strings on the wire and text in the database; the newtypes
//! keep an incident id from ever being passed where a service id is expected. With the `diesel`
//! feature (the store's; the SPA leaves it off) each one is also a text column's value, so the
//! store's rows hold these types, not strings.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(
            feature = "diesel",
            derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow),
            diesel(sql_type = diesel::sql_types::Text)
        )]
        #[serde(transparent)]
        pub struct $name(pub String);

        // Read and written as the text it is, on every backend that reads and writes text
        // (SQLite, PostgreSQL, and the store's `MultiConnection` backend over both).
        #[cfg(feature = "diesel")]
        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(
                    bytes,
                )
                .map(Self)
            }
        }

        #[cfg(feature = "diesel")]
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(
                    self.0.as_str(),
                    out,
                )
            }
        }

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
    /// Someone who hears about an org's incidents and maintenance: a subscriber or a team
    /// integration.
    SubscriptionId,
    /// Something to tell subscribers (an incident's update, a maintenance window starting).
    NotificationId,
    /// One notification to one subscription.
    DeliveryId,
    /// An automated check that drives a service's status.
    MonitorId,
    /// A named incident to declare again and again.
    IncidentTemplateId,
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
