//! The path parameters of the routes that name a resource: one struct per resource, so a
//! handler reads `path.service_id` as a typed id (not `path.1`), and the OpenAPI document takes
//! the parameters from the same struct.

use serde::Deserialize;
use upstate_shared::{
    ApiKeyId, DeliveryId, IncidentId, IncidentTemplateId, InvitationId, MaintenanceId, MonitorId,
    ServiceGroupId, ServiceId, SubscriptionId, UserId,
};
use utoipa::IntoParams;

/// `.../orgs/{org}/services/{service_id}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ServicePath {
    /// The organization's slug
    pub org: String,
    /// The service id
    #[param(value_type = String)]
    pub service_id: ServiceId,
}

/// `.../orgs/{org}/service-groups/{group_id}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct GroupPath {
    /// The organization's slug
    pub org: String,
    /// The group id
    #[param(value_type = String)]
    pub group_id: ServiceGroupId,
}

/// `.../orgs/{org}/incidents/{incident_id}` and `/public/{org}/incidents/{incident_id}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct IncidentPath {
    /// The organization's slug
    pub org: String,
    /// The incident id
    #[param(value_type = String)]
    pub incident_id: IncidentId,
}

/// `.../orgs/{org}/maintenances/{maintenance_id}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct MaintenancePath {
    /// The organization's slug
    pub org: String,
    /// The maintenance window id
    #[param(value_type = String)]
    pub maintenance_id: MaintenanceId,
}

/// `.../orgs/{org}/members/{user_id}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct MemberPath {
    /// The organization's slug
    pub org: String,
    /// The member's user id
    #[param(value_type = String)]
    pub user_id: UserId,
}

/// `.../orgs/{org}/api-keys/{key_id}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ApiKeyPath {
    /// The organization's slug
    pub org: String,
    /// The API key id
    #[param(value_type = String)]
    pub key_id: ApiKeyId,
}

/// `.../orgs/{org}/invitations/{invitation_id}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct InvitationPath {
    /// The organization's slug
    pub org: String,
    /// The invitation id
    #[param(value_type = String)]
    pub invitation_id: InvitationId,
}

/// `.../orgs/{org}/integrations/{integration_id}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct IntegrationPath {
    /// The organization's slug
    pub org: String,
    /// The integration id
    #[param(value_type = String)]
    pub integration_id: SubscriptionId,
}

/// `.../orgs/{org}/subscribers/{subscriber_id}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct SubscriberPath {
    /// The organization's slug
    pub org: String,
    /// The subscriber id
    #[param(value_type = String)]
    pub subscriber_id: SubscriptionId,
}

/// `.../orgs/{org}/integrations/{integration_id}/deliveries/{delivery_id}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct IntegrationDeliveryPath {
    /// The organization's slug
    pub org: String,
    /// The integration id
    #[param(value_type = String)]
    pub integration_id: SubscriptionId,
    /// The delivery id (from the delivery log)
    #[param(value_type = String)]
    pub delivery_id: DeliveryId,
}

/// `.../orgs/{org}/monitors/{monitor_id}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct MonitorPath {
    /// The organization's slug
    pub org: String,
    /// The monitor id
    #[param(value_type = String)]
    pub monitor_id: MonitorId,
}

/// `/api/v1/heartbeats/{token}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct HeartbeatPath {
    /// The secret of a heartbeat monitor's URL
    #[param(max_length = 100)]
    pub token: String,
}

/// `.../orgs/{org}/incident-templates/{template_id}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct IncidentTemplatePath {
    /// The organization's slug
    pub org: String,
    /// The incident template id
    #[param(value_type = String)]
    pub template_id: IncidentTemplateId,
}
