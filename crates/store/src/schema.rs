//! The diesel schema, the same on both engines (migrations/sqlite and migrations/postgres).

diesel::table! {
    organizations (id) {
        id -> Text,
        name -> Text,
        slug -> Text,
        accent_color -> Nullable<Text>,
        logo_url -> Nullable<Text>,
        support_url -> Nullable<Text>,
        event_seq -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        reminder_minutes -> Integer,
        custom_domain -> Nullable<Text>,
        favicon_url -> Nullable<Text>,
        home_url -> Nullable<Text>,
        footer_text -> Nullable<Text>,
        theme -> Text,
        custom_css -> Nullable<Text>,
        default_language -> Text,
        require_two_factor -> Bool,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        email_verified_at -> Nullable<Timestamp>,
        erased_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    memberships (org_id, user_id) {
        org_id -> Text,
        user_id -> Text,
        role -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    invitations (id) {
        id -> Text,
        org_id -> Text,
        email -> Text,
        role -> Text,
        token_hash -> Text,
        invited_by -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        accepted_by -> Nullable<Text>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Text,
        org_id -> Text,
        name -> Text,
        role -> Text,
        key_prefix -> Text,
        key_hash -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        rotated_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    service_groups (id) {
        id -> Text,
        org_id -> Text,
        name -> Text,
        position -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    services (id) {
        id -> Text,
        org_id -> Text,
        group_id -> Nullable<Text>,
        name -> Text,
        description -> Text,
        status -> Text,
        manual_status -> Text,
        position -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        monitor_status -> Nullable<Text>,
        display -> Text,
    }
}

diesel::table! {
    incidents (id) {
        id -> Text,
        org_id -> Text,
        title -> Text,
        status -> Text,
        impact -> Text,
        postmortem -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
        deleted_at -> Nullable<Timestamp>,
        postmortem_html -> Nullable<Text>,
    }
}

diesel::table! {
    incident_updates (id) {
        id -> Text,
        org_id -> Text,
        incident_id -> Text,
        status -> Text,
        message -> Text,
        author_user_id -> Nullable<Text>,
        author_api_key_id -> Nullable<Text>,
        created_at -> Timestamp,
        message_html -> Nullable<Text>,
    }
}

diesel::table! {
    incident_services (incident_id, service_id) {
        incident_id -> Text,
        service_id -> Text,
        org_id -> Text,
        status -> Text,
    }
}

diesel::table! {
    maintenances (id) {
        id -> Text,
        org_id -> Text,
        title -> Text,
        description -> Text,
        status -> Text,
        scheduled_start -> Timestamp,
        scheduled_end -> Timestamp,
        auto_transition -> Bool,
        started_at -> Nullable<Timestamp>,
        ended_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        description_html -> Nullable<Text>,
        reminded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    maintenance_services (maintenance_id, service_id) {
        maintenance_id -> Text,
        service_id -> Text,
        org_id -> Text,
    }
}

diesel::table! {
    maintenance_updates (id) {
        id -> Text,
        org_id -> Text,
        maintenance_id -> Text,
        status -> Text,
        message -> Text,
        author_user_id -> Nullable<Text>,
        author_api_key_id -> Nullable<Text>,
        created_at -> Timestamp,
        message_html -> Nullable<Text>,
    }
}

diesel::table! {
    service_status_changes (id) {
        id -> Text,
        org_id -> Text,
        service_id -> Text,
        status -> Text,
        source -> Text,
        changed_by_user_id -> Nullable<Text>,
        changed_by_api_key_id -> Nullable<Text>,
        incident_id -> Nullable<Text>,
        maintenance_id -> Nullable<Text>,
        changed_at -> Timestamp,
        monitor_id -> Nullable<Text>,
    }
}

diesel::table! {
    monitors (id) {
        id -> Text,
        org_id -> Text,
        service_id -> Text,
        name -> Text,
        kind -> Text,
        definition -> Text,
        interval_seconds -> Integer,
        timeout_seconds -> Integer,
        failures_to_fail -> Integer,
        successes_to_recover -> Integer,
        paused -> Bool,
        state -> Text,
        recent -> Text,
        next_run_at -> Timestamp,
        last_checked_at -> Nullable<Timestamp>,
        last_state -> Nullable<Text>,
        last_latency_ms -> Nullable<Integer>,
        last_message -> Nullable<Text>,
        auto_incident -> Nullable<Text>,
        open_incident_id -> Nullable<Text>,
        heartbeat_token -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    monitor_results (monitor_id, checked_at) {
        monitor_id -> Text,
        checked_at -> Timestamp,
        state -> SmallInt,
        latency_ms -> Integer,
        message -> Nullable<Text>,
    }
}

diesel::table! {
    monitor_hours (monitor_id, hour) {
        monitor_id -> Text,
        hour -> Timestamp,
        up -> Integer,
        degraded -> Integer,
        down -> Integer,
        latency_ms_sum -> BigInt,
        latency_ms_max -> Integer,
    }
}

diesel::table! {
    events (org_id, seq) {
        org_id -> Text,
        seq -> BigInt,
        event_type -> Text,
        payload -> Text,
        member_payload -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        org_id -> Nullable<Text>,
        actor_user_id -> Nullable<Text>,
        actor_api_key_id -> Nullable<Text>,
        action -> Text,
        target_type -> Text,
        target_id -> Nullable<Text>,
        details -> Text,
        ip -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    link_tokens (id) {
        id -> Text,
        user_id -> Text,
        purpose -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        org_id -> Nullable<Text>,
        kind -> Text,
        payload -> Text,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        available_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        delivered_at -> Nullable<Timestamp>,
        on_behalf_of -> Nullable<Text>,
    }
}

diesel::table! {
    subscriptions (id) {
        id -> Text,
        org_id -> Text,
        audience -> Text,
        channel -> Text,
        target -> Text,
        contact_email -> Nullable<Text>,
        name -> Nullable<Text>,
        secret -> Nullable<Text>,
        events -> Nullable<Text>,
        token_hash -> Text,
        created_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        confirmation_sent_at -> Nullable<Timestamp>,
        failures -> Integer,
        disabled_at -> Nullable<Timestamp>,
        disabled_reason -> Nullable<Text>,
        locale -> Text,
    }
}

diesel::table! {
    subscription_services (subscription_id, service_id) {
        subscription_id -> Text,
        service_id -> Text,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        org_id -> Text,
        event -> Text,
        subject_id -> Text,
        service_ids -> Text,
        notice -> Text,
        created_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        fanned_out_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    deliveries (id) {
        id -> Text,
        org_id -> Text,
        notification_id -> Text,
        subscription_id -> Text,
        created_at -> Timestamp,
        available_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        delivered_at -> Nullable<Timestamp>,
        abandoned_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    delivery_attempts (id) {
        id -> Text,
        delivery_id -> Text,
        subscription_id -> Text,
        at -> Timestamp,
        status_code -> Nullable<Integer>,
        latency_ms -> BigInt,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    imported_records (org_id, source, kind, external_id) {
        org_id -> Text,
        source -> Text,
        kind -> Text,
        external_id -> Text,
        local_id -> Text,
        imported_at -> Timestamp,
    }
}

diesel::table! {
    incident_templates (id) {
        id -> Text,
        org_id -> Text,
        name -> Text,
        title -> Text,
        impact -> Text,
        status -> Text,
        message -> Text,
        affected -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Nullable<Text>,
    }
}

diesel::table! {
    page_access (org_id) {
        org_id -> Text,
        mode -> Text,
        ranges -> Text,
        password_hash -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(memberships -> organizations (org_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(invitations -> organizations (org_id));
diesel::joinable!(api_keys -> organizations (org_id));
diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
        client_address -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(sessions -> users (user_id));

// Two-factor sign-in (migration 2026-12-08-100000_two_factor).
diesel::table! {
    totp_credentials (user_id) {
        user_id -> Text,
        sealed_secret -> Text,
        created_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        last_used_step -> Nullable<BigInt>,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> Text,
        user_id -> Text,
        code_hash -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_challenges (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sso_configs (org_id) {
        org_id -> Text,
        issuer_url -> Text,
        client_id -> Text,
        sealed_secret -> Text,
        email_domains -> Text,
        default_role -> Text,
        sso_only -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sso_pending (id) {
        id -> Text,
        org_id -> Text,
        state_hash -> Text,
        nonce -> Text,
        pkce_verifier -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(sso_configs -> organizations (org_id));
diesel::joinable!(sso_pending -> organizations (org_id));
diesel::joinable!(totp_credentials -> users (user_id));
diesel::joinable!(recovery_codes -> users (user_id));
diesel::joinable!(login_challenges -> users (user_id));

// Passkeys (migration 2026-12-09-200000_passkeys).
diesel::table! {
    passkeys (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        credential_id -> Text,
        credential -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    passkey_ceremonies (id) {
        id -> Text,
        user_id -> Nullable<Text>,
        purpose -> Text,
        state -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::joinable!(passkeys -> users (user_id));
diesel::joinable!(passkey_ceremonies -> users (user_id));

diesel::joinable!(link_tokens -> users (user_id));
diesel::joinable!(service_groups -> organizations (org_id));
diesel::joinable!(services -> organizations (org_id));
diesel::joinable!(services -> service_groups (group_id));
diesel::joinable!(incidents -> organizations (org_id));
diesel::joinable!(incident_updates -> incidents (incident_id));
diesel::joinable!(incident_services -> incidents (incident_id));
diesel::joinable!(incident_services -> services (service_id));
diesel::joinable!(maintenances -> organizations (org_id));
diesel::joinable!(maintenance_services -> maintenances (maintenance_id));
diesel::joinable!(maintenance_services -> services (service_id));
diesel::joinable!(maintenance_updates -> maintenances (maintenance_id));
diesel::joinable!(service_status_changes -> services (service_id));
diesel::joinable!(events -> organizations (org_id));
diesel::joinable!(audit_log -> organizations (org_id));
diesel::joinable!(subscriptions -> organizations (org_id));
diesel::joinable!(subscription_services -> subscriptions (subscription_id));
diesel::joinable!(subscription_services -> services (service_id));
diesel::joinable!(deliveries -> notifications (notification_id));
diesel::joinable!(deliveries -> subscriptions (subscription_id));
diesel::joinable!(delivery_attempts -> deliveries (delivery_id));
diesel::joinable!(monitors -> organizations (org_id));
diesel::joinable!(monitors -> services (service_id));
diesel::joinable!(monitor_results -> monitors (monitor_id));
diesel::joinable!(monitor_hours -> monitors (monitor_id));
diesel::joinable!(incident_templates -> organizations (org_id));
diesel::joinable!(page_access -> organizations (org_id));

diesel::allow_tables_to_appear_in_same_query!(
    sessions,
    organizations,
    monitors,
    monitor_results,
    monitor_hours,
    users,
    memberships,
    invitations,
    api_keys,
    refresh_tokens,
    link_tokens,
    service_groups,
    services,
    incidents,
    incident_updates,
    incident_services,
    maintenances,
    maintenance_services,
    maintenance_updates,
    service_status_changes,
    events,
    audit_log,
    outbox,
    subscriptions,
    subscription_services,
    notifications,
    deliveries,
    delivery_attempts,
    imported_records,
    incident_templates,
    page_access,
    totp_credentials,
    recovery_codes,
    login_challenges,
    sso_configs,
    sso_pending,
    passkeys,
    passkey_ceremonies,
);
