//! The domain's enumerations: statuses, impacts, roles. Each is `snake_case` on the wire and in
//! the database (as text), and parses back with `FromStr`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A text that is not one of an enumeration's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEnumError {
    /// The enumeration's name, e.g. `service status`.
    pub kind: &'static str,
    /// What was given.
    pub value: String,
    /// The values that would have been accepted.
    pub expected: &'static [&'static str],
}

impl fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a {}; expected one of: {}",
            self.value,
            self.kind,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for ParseEnumError {}

macro_rules! text_enum {
    (
        $(#[$doc:meta])*
        $name:ident ($kind:literal) {
            $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every value's text, in declaration order.
            pub const TEXTS: &'static [&'static str] = &[$($text),+];

            /// The value's text, as on the wire and in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = ParseEnumError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(ParseEnumError {
                        kind: $kind,
                        value: s.to_owned(),
                        expected: Self::TEXTS,
                    }),
                }
            }
        }
    };
}

text_enum! {
    /// What a service is doing, as its status page shows it.
    ServiceStatus ("service status") {
        Operational = "operational",
        DegradedPerformance = "degraded_performance",
        PartialOutage = "partial_outage",
        MajorOutage = "major_outage",
        UnderMaintenance = "under_maintenance",
    }
}

text_enum! {
    /// How a service is shown on the public page (and every public read: the summary, uptime,
    /// badges, the embed, feeds and the Statuspage-compatible JSON).
    ServiceDisplay ("service display") {
        /// Always shown.
        Always = "always",
        /// Shown only while its status is not `operational` (Statuspage's
        /// `only_show_if_degraded`).
        WhenNotOperational = "when_not_operational",
        /// Never shown to the public, and left out of the page's overall state.
        Hidden = "hidden",
    }
}

impl ServiceDisplay {
    /// Whether a service shown this way is on the public page while it has `status`.
    pub fn shows(self, status: ServiceStatus) -> bool {
        match self {
            ServiceDisplay::Always => true,
            ServiceDisplay::WhenNotOperational => status != ServiceStatus::Operational,
            ServiceDisplay::Hidden => false,
        }
    }

    /// The words a person reads for this choice.
    pub fn label(self) -> &'static str {
        match self {
            ServiceDisplay::Always => "Always",
            ServiceDisplay::WhenNotOperational => "Only when not operational",
            ServiceDisplay::Hidden => "Hidden from the public page",
        }
    }
}

#[expect(
    clippy::derivable_impls,
    reason = "the enum is declared by `text_enum!`, whose derives every enum shares"
)]
impl Default for ServiceDisplay {
    fn default() -> Self {
        ServiceDisplay::Always
    }
}

impl ServiceStatus {
    /// How bad the status is: the effective status of a service is the one with the highest
    /// severity among those that hold it. Maintenance is planned, so any degradation outranks it.
    pub fn severity(self) -> u8 {
        match self {
            ServiceStatus::Operational => 0,
            ServiceStatus::UnderMaintenance => 1,
            ServiceStatus::DegradedPerformance => 2,
            ServiceStatus::PartialOutage => 3,
            ServiceStatus::MajorOutage => 4,
        }
    }

    /// The worse of two statuses.
    pub fn worst(self, other: ServiceStatus) -> ServiceStatus {
        if other.severity() > self.severity() {
            other
        } else {
            self
        }
    }

    /// The words a person reads for this status.
    pub fn label(self) -> &'static str {
        match self {
            ServiceStatus::Operational => "Operational",
            ServiceStatus::DegradedPerformance => "Degraded performance",
            ServiceStatus::PartialOutage => "Partial outage",
            ServiceStatus::MajorOutage => "Major outage",
            ServiceStatus::UnderMaintenance => "Under maintenance",
        }
    }
}

text_enum! {
    /// Where an incident stands.
    IncidentStatus ("incident status") {
        Investigating = "investigating",
        Identified = "identified",
        Monitoring = "monitoring",
        Resolved = "resolved",
    }
}

impl IncidentStatus {
    /// The word a person reads for this status.
    pub fn label(self) -> &'static str {
        match self {
            IncidentStatus::Investigating => "Investigating",
            IncidentStatus::Identified => "Identified",
            IncidentStatus::Monitoring => "Monitoring",
            IncidentStatus::Resolved => "Resolved",
        }
    }
}

text_enum! {
    /// How much of the product an incident hurts.
    ImpactLevel ("impact") {
        None = "none",
        Minor = "minor",
        Major = "major",
        Critical = "critical",
    }
}

text_enum! {
    /// Where a maintenance window stands.
    MaintenanceStatus ("maintenance status") {
        Scheduled = "scheduled",
        InProgress = "in_progress",
        Completed = "completed",
        Cancelled = "cancelled",
    }
}

impl ImpactLevel {
    /// The word a person reads for this impact ("Major", as in "Major impact").
    pub fn label(self) -> &'static str {
        match self {
            ImpactLevel::None => "None",
            ImpactLevel::Minor => "Minor",
            ImpactLevel::Major => "Major",
            ImpactLevel::Critical => "Critical",
        }
    }
}

impl MaintenanceStatus {
    /// The words a person reads for this status.
    pub fn label(self) -> &'static str {
        match self {
            MaintenanceStatus::Scheduled => "Scheduled",
            MaintenanceStatus::InProgress => "In progress",
            MaintenanceStatus::Completed => "Completed",
            MaintenanceStatus::Cancelled => "Cancelled",
        }
    }

    /// The statuses a window may move to `to` from: scheduled → in progress → completed, and
    /// cancelled from scheduled or in progress. "Moving" to the status a window is in is allowed
    /// for scheduled and in progress (an update that changes nothing but says something);
    /// completed and cancelled windows are over.
    pub fn allowed_from(to: MaintenanceStatus) -> &'static [MaintenanceStatus] {
        use MaintenanceStatus as S;
        match to {
            S::Scheduled => &[S::Scheduled],
            S::InProgress => &[S::Scheduled, S::InProgress],
            S::Completed => &[S::InProgress],
            S::Cancelled => &[S::Scheduled, S::InProgress],
        }
    }

    /// Whether a window in this status may move to `to`.
    pub fn can_move_to(self, to: MaintenanceStatus) -> bool {
        MaintenanceStatus::allowed_from(to).contains(&self)
    }

    /// Whether the window is over (completed or cancelled): nothing moves it any more.
    pub fn is_over(self) -> bool {
        matches!(
            self,
            MaintenanceStatus::Completed | MaintenanceStatus::Cancelled
        )
    }
}

text_enum! {
    /// Who may see an organization's status page (and its API answers, feeds, badges and live
    /// events).
    PageAccessMode ("page access mode") {
        /// Everyone (the default).
        Public = "public",
        /// The org's signed-in members (and its API keys).
        Members = "members",
        /// Whoever knows the page's password (and the members).
        Password = "password",
        /// Clients whose address is in one of the page's ranges (and the members).
        Addresses = "addresses",
    }
}

text_enum! {
    /// A member's (or an API key's) role in an organization. Each role includes the ones below it.
    Role ("role") {
        Owner = "owner",
        Admin = "admin",
        Editor = "editor",
        Viewer = "viewer",
    }
}

impl Role {
    /// The word a person reads for this role.
    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Admin => "Admin",
            Role::Editor => "Editor",
            Role::Viewer => "Viewer",
        }
    }

    fn rank(self) -> u8 {
        match self {
            Role::Viewer => 0,
            Role::Editor => 1,
            Role::Admin => 2,
            Role::Owner => 3,
        }
    }

    /// Whether this role includes `minimum` (an owner is at least an editor).
    pub fn at_least(self, minimum: Role) -> bool {
        self.rank() >= minimum.rank()
    }
}

text_enum! {
    /// The overall state of a status page, as one word for the banner.
    StatusIndicator ("status indicator") {
        None = "none",
        Minor = "minor",
        Major = "major",
        Critical = "critical",
        Maintenance = "maintenance",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeOwned;

    #[test]
    fn every_value_has_words_for_people_not_its_wire_text() {
        fn capitalized(label: &str) -> bool {
            label.chars().next().is_some_and(char::is_uppercase) && !label.contains('_')
        }
        assert!(IncidentStatus::ALL.iter().all(|s| capitalized(s.label())));
        assert!(ImpactLevel::ALL.iter().all(|s| capitalized(s.label())));
        assert!(
            MaintenanceStatus::ALL
                .iter()
                .all(|s| capitalized(s.label()))
        );
        assert!(Role::ALL.iter().all(|s| capitalized(s.label())));
        assert!(ServiceStatus::ALL.iter().all(|s| capitalized(s.label())));
        assert_eq!(MaintenanceStatus::InProgress.label(), "In progress");
    }

    #[test]
    fn a_maintenance_window_moves_forward_only_and_stops_when_over() {
        use MaintenanceStatus as S;
        let moves: Vec<(S, S)> = S::ALL
            .iter()
            .flat_map(|&from| S::ALL.iter().map(move |&to| (from, to)))
            .filter(|&(from, to)| from != to && from.can_move_to(to))
            .collect();
        assert_eq!(
            moves,
            [
                (S::Scheduled, S::InProgress),
                (S::Scheduled, S::Cancelled),
                (S::InProgress, S::Completed),
                (S::InProgress, S::Cancelled),
            ]
        );
        for over in [S::Completed, S::Cancelled] {
            assert!(over.is_over());
            assert!(
                S::ALL.iter().all(|&to| !over.can_move_to(to)),
                "{over} is over"
            );
        }
        assert!(
            S::Scheduled.can_move_to(S::Scheduled),
            "an update while scheduled"
        );
        assert!(
            S::InProgress.can_move_to(S::InProgress),
            "an update while in progress"
        );
        assert!(!S::InProgress.can_move_to(S::Scheduled), "no way back");
    }

    fn round_trips<T>(all: &[T], texts: &[&str])
    where
        T: Serialize + DeserializeOwned + FromStr + fmt::Display + PartialEq + fmt::Debug + Copy,
        <T as FromStr>::Err: fmt::Debug,
    {
        assert_eq!(all.len(), texts.len());
        for (value, text) in all.iter().zip(texts) {
            let json = serde_json::to_string(value).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), *value);
            assert_eq!(value.to_string(), *text);
            assert_eq!(text.parse::<T>().unwrap(), *value);
        }
    }

    #[test]
    fn every_enum_round_trips_through_json_and_text() {
        round_trips(ServiceStatus::ALL, ServiceStatus::TEXTS);
        round_trips(IncidentStatus::ALL, IncidentStatus::TEXTS);
        round_trips(ImpactLevel::ALL, ImpactLevel::TEXTS);
        round_trips(MaintenanceStatus::ALL, MaintenanceStatus::TEXTS);
        round_trips(Role::ALL, Role::TEXTS);
        round_trips(StatusIndicator::ALL, StatusIndicator::TEXTS);
    }

    #[test]
    fn wire_names_are_the_ones_of_the_api_contract() {
        assert_eq!(
            ServiceStatus::TEXTS,
            [
                "operational",
                "degraded_performance",
                "partial_outage",
                "major_outage",
                "under_maintenance"
            ]
        );
        assert_eq!(MaintenanceStatus::InProgress.as_str(), "in_progress");
    }

    #[test]
    fn unknown_text_is_refused_with_the_accepted_values() {
        let err = "down".parse::<ServiceStatus>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "`down` is not a service status; expected one of: operational, \
             degraded_performance, partial_outage, major_outage, under_maintenance"
        );
        assert!(serde_json::from_str::<Role>("\"root\"").is_err());
    }

    #[test]
    fn worst_status_prefers_outages_over_maintenance() {
        use ServiceStatus::*;
        assert_eq!(Operational.worst(UnderMaintenance), UnderMaintenance);
        assert_eq!(
            UnderMaintenance.worst(DegradedPerformance),
            DegradedPerformance
        );
        assert_eq!(MajorOutage.worst(PartialOutage), MajorOutage);
        assert_eq!(PartialOutage.worst(Operational), PartialOutage);
    }

    #[test]
    fn roles_include_the_ones_below() {
        assert!(Role::Owner.at_least(Role::Admin));
        assert!(Role::Admin.at_least(Role::Editor));
        assert!(Role::Editor.at_least(Role::Editor));
        assert!(!Role::Viewer.at_least(Role::Editor));
        assert!(!Role::Admin.at_least(Role::Owner));
    }
}

text_enum! {
    /// How a subscription hears: by email, by a signed webhook, or in a team chat.
    Channel ("channel") {
        Email = "email",
        Webhook = "webhook",
        Slack = "slack",
        Discord = "discord",
        Teams = "teams",
        Mattermost = "mattermost",
    }
}

impl Channel {
    /// The name a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Email => "Email",
            Channel::Webhook => "Webhook",
            Channel::Slack => "Slack",
            Channel::Discord => "Discord",
            Channel::Teams => "Microsoft Teams",
            Channel::Mattermost => "Mattermost",
        }
    }

    /// Whether messages go to a URL (everything but email).
    pub fn is_http(self) -> bool {
        self != Channel::Email
    }
}

text_enum! {
    /// Which colours an org's public page opens in: `auto` follows the visitor's system
    /// (`prefers-color-scheme`), `light` and `dark` hold whatever the system says.
    #[derive(Default)]
    Theme ("theme") {
        #[default]
        Auto = "auto",
        Light = "light",
        Dark = "dark",
    }
}

impl Theme {
    /// The words a person reads for this choice.
    pub fn label(self) -> &'static str {
        match self {
            Theme::Auto => "Follow the visitor's system",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }
}
