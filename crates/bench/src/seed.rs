//! The measured organization, made the way its owner would: an account, the org, an API key,
//! 5 groups of 10 services and 5 open incidents of 5 updates each, all through the API. Its
//! past (resolved incidents and the status changes they caused, one every two days) is written
//! straight into the database with back-dated times, since the API only writes "now".

use chrono::{Duration, NaiveDateTime, SubsecRound, Utc};
use diesel::prelude::*;
use serde_json::json;
use upstate_e2e::Api;
use upstate_store::schema::{
    incident_services, incident_updates, incidents, organizations, service_status_changes, services,
};
use upstate_store::{Db, PoolOptions, StoreResult};

pub const GROUPS: usize = 5;
pub const SERVICES_PER_GROUP: usize = 10;
pub const OPEN_INCIDENTS: usize = 5;
pub const UPDATES_PER_INCIDENT: usize = 5;
/// One resolved incident every this many days of history.
const DAYS_PER_PAST_INCIDENT: i64 = 2;

/// A seeded org and what it takes to write to it.
pub struct Seeded {
    pub slug: String,
    pub api_key: String,
    pub service_ids: Vec<String>,
}

/// Makes the org `slug` on the server at `base` (whose database is `database_url`), with
/// `history_days` days of past incidents.
pub async fn org(base: &str, database_url: &str, slug: &str, history_days: i64) -> Seeded {
    let owner = Api::register_at(base, &format!("owner@{slug}.bench")).await;
    owner
        .post(
            "/api/v1/orgs",
            json!({"name": format!("Bench {slug}"), "slug": slug}),
        )
        .await;
    let org = |rest: &str| format!("/api/v1/orgs/{slug}{rest}");
    let key = owner
        .post(&org("/api-keys"), json!({"name": "bench", "role": "admin"}))
        .await;
    let api_key = key["key"].as_str().expect("the key").to_owned();
    let client = Api::at(base, &api_key);

    let mut service_ids = Vec::new();
    for g in 0..GROUPS {
        let group = client
            .post(
                &org("/service-groups"),
                json!({"name": format!("Region {}", g + 1)}),
            )
            .await;
        for s in 0..SERVICES_PER_GROUP {
            let service = client
                .post(
                    &org("/services"),
                    json!({"name": format!("Service {}.{}", g + 1, s + 1),
                           "description": "A part of the product people depend on.",
                           "group_id": group["id"]}),
                )
                .await;
            service_ids.push(service["id"].as_str().expect("an id").to_owned());
        }
    }

    write_history(database_url, slug, &service_ids, history_days);

    for i in 0..OPEN_INCIDENTS {
        let affected = json!([
            {"service_id": service_ids[i * 7 % service_ids.len()], "status": "partial_outage"},
            {"service_id": service_ids[(i * 7 + 3) % service_ids.len()], "status": "degraded_performance"},
        ]);
        let incident = client
            .post(
                &org("/incidents"),
                json!({"title": format!("Elevated error rates in region {}", i + 1),
                       "status": "investigating", "impact": "minor",
                       "message": MESSAGE, "affected": affected}),
            )
            .await;
        let id = incident["id"].as_str().expect("an id");
        for (u, status) in ["identified", "identified", "monitoring", "monitoring"]
            .iter()
            .enumerate()
            .take(UPDATES_PER_INCIDENT - 1)
        {
            client
                .post(
                    &org(&format!("/incidents/{id}/updates")),
                    json!({"status": status, "message": format!("Update {}: {MESSAGE}", u + 2)}),
                )
                .await;
        }
    }
    Seeded {
        slug: slug.to_owned(),
        api_key,
        service_ids,
    }
}

const MESSAGE: &str = "We are seeing **elevated error rates** for some requests. Our engineers \
    are on it; the next update follows within 30 minutes. See the [runbook](https://example.com).";

/// Back-dates the org and its services to `days` ago and writes one resolved incident every two
/// days since, each with three updates, one or two affected services and their status changes.
fn write_history(database_url: &str, slug: &str, service_ids: &[String], days: i64) {
    let db = Db::connect(database_url, PoolOptions::default()).expect("the bench database");
    let now = Utc::now().naive_utc().trunc_subsecs(6);
    let start = now - Duration::days(days);
    let result: StoreResult<()> = db.write(|conn| {
        let org_id: String = organizations::table
            .filter(organizations::slug.eq(slug))
            .select(organizations::id)
            .first(conn)?;
        diesel::update(organizations::table.filter(organizations::id.eq(&org_id)))
            .set(organizations::created_at.eq(start))
            .execute(conn)?;
        diesel::update(services::table.filter(services::org_id.eq(&org_id)))
            .set(services::created_at.eq(start))
            .execute(conn)?;
        // Each service's first status, as of the start of its history.
        diesel::delete(
            service_status_changes::table.filter(service_status_changes::org_id.eq(&org_id)),
        )
        .execute(conn)?;
        for service in service_ids {
            change(conn, &org_id, service, "operational", None, start)?;
        }
        let count = (days / DAYS_PER_PAST_INCIDENT).max(1);
        for n in 0..count {
            let opened = start + Duration::hours(n * DAYS_PER_PAST_INCIDENT * 24 + 3);
            let resolved = opened + Duration::minutes(47);
            let id = id_at(opened);
            diesel::insert_into(incidents::table)
                .values((
                    incidents::id.eq(&id),
                    incidents::org_id.eq(&org_id),
                    incidents::title.eq(format!("Degraded performance #{}", n + 1)),
                    incidents::status.eq("resolved"),
                    incidents::impact.eq(if n % 5 == 0 { "major" } else { "minor" }),
                    incidents::created_at.eq(opened),
                    incidents::updated_at.eq(resolved),
                    incidents::resolved_at.eq(Some(resolved)),
                ))
                .execute(conn)?;
            for (k, (status, at)) in [
                ("investigating", opened),
                ("identified", opened + Duration::minutes(12)),
                ("resolved", resolved),
            ]
            .into_iter()
            .enumerate()
            {
                diesel::insert_into(incident_updates::table)
                    .values((
                        incident_updates::id.eq(id_at(at + Duration::microseconds(k as i64))),
                        incident_updates::org_id.eq(&org_id),
                        incident_updates::incident_id.eq(&id),
                        incident_updates::status.eq(status),
                        incident_updates::message.eq(MESSAGE),
                        incident_updates::created_at.eq(at),
                    ))
                    .execute(conn)?;
            }
            let hit = 1 + (n as usize % 2);
            for k in 0..hit {
                let service = &service_ids[(n as usize * 13 + k * 17) % service_ids.len()];
                let down = if n % 5 == 0 {
                    "major_outage"
                } else {
                    "partial_outage"
                };
                diesel::insert_into(incident_services::table)
                    .values((
                        incident_services::incident_id.eq(&id),
                        incident_services::service_id.eq(service),
                        incident_services::org_id.eq(&org_id),
                        incident_services::status.eq(down),
                    ))
                    .execute(conn)?;
                change(conn, &org_id, service, down, Some(&id), opened)?;
                change(conn, &org_id, service, "operational", Some(&id), resolved)?;
            }
        }
        Ok(())
    });
    result.expect("writing the org's history");
}

fn change(
    conn: &mut upstate_store::DbConnection,
    org_id: &str,
    service: &str,
    status: &str,
    incident: Option<&str>,
    at: NaiveDateTime,
) -> StoreResult<()> {
    diesel::insert_into(service_status_changes::table)
        .values((
            service_status_changes::id.eq(id_at(at)),
            service_status_changes::org_id.eq(org_id),
            service_status_changes::service_id.eq(service),
            service_status_changes::status.eq(status),
            service_status_changes::source.eq(if incident.is_some() {
                "incident"
            } else {
                "manual"
            }),
            service_status_changes::incident_id.eq(incident),
            service_status_changes::changed_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// A UUIDv7 of the time `at`, as the API would have made then (ids sort by time).
fn id_at(at: NaiveDateTime) -> String {
    let utc = at.and_utc();
    let timestamp = uuid::Timestamp::from_unix(
        uuid::NoContext,
        utc.timestamp() as u64,
        utc.timestamp_subsec_nanos(),
    );
    uuid::Uuid::new_v7(timestamp).to_string()
}
