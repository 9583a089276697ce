//! `upstate export` and `upstate import upstate`: one organization as a JSON document, and
//! back into this server or another (docs/export.md).

use super::DatabaseArgs;
use crate::config::StartError;
use clap::Args;
use std::path::PathBuf;

/// `upstate export`'s settings.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The organization (its slug) to export.
    #[arg(long)]
    pub org: String,
    /// Where to write the document; without it, standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// `upstate import upstate`'s settings.
#[derive(Debug, Clone, Args)]
pub struct UpstateImportArgs {
    /// The export document (`upstate export --out PATH`, or the dashboard's download).
    #[arg(long)]
    pub file: PathBuf,
    /// The organization (its slug) that receives it: created when there is none. Default: the
    /// slug in the document.
    #[arg(long)]
    pub org: Option<String>,
    /// This server's key (as `upstate serve` has it): subscribers' links are derived from it.
    /// When unset, the one kept in the data directory.
    #[arg(long, env = "UPSTATE_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

pub fn export(args: ExportArgs) -> Result<(), StartError> {
    let db = args.database.open()?;
    let slug = args.org.clone();
    let doc = db
        .read(move |conn| crate::routes::export::document(conn, &slug))
        .map_err(|err| match err {
            upstate_store::StoreError::NotFound(_) => {
                StartError(format!("there is no organization `{}`", args.org))
            }
            other => StartError(format!("the export of `{}` failed: {other}", args.org)),
        })?;
    let mut text = serde_json::to_string_pretty(&doc)
        .map_err(|err| StartError(format!("the export cannot be written: {err}")))?;
    text.push('\n');
    match &args.out {
        None => {
            use std::io::Write;
            std::io::stdout()
                .write_all(text.as_bytes())
                .map_err(|err| StartError(format!("the export cannot be written: {err}")))?;
        }
        Some(path) => {
            // Written beside it and renamed: a reader never sees half a document.
            let partial = path.with_extension("partial");
            std::fs::write(&partial, &text)
                .and_then(|()| std::fs::rename(&partial, path))
                .map_err(|err| {
                    let _ = std::fs::remove_file(&partial);
                    StartError(format!("cannot write {}: {err}", path.display()))
                })?;
            eprintln!(
                "exported {}: {} services, {} incidents, {} maintenance windows, {} subscribers, \
                 {} monitors, {} members to {}",
                doc.org.slug,
                doc.services.len(),
                doc.incidents.len(),
                doc.maintenances.len(),
                doc.subscribers.len(),
                doc.monitors.len(),
                doc.members.len(),
                path.display()
            );
        }
    }
    Ok(())
}

/// Reads an export document: its header first, so that another format or version is refused
/// for what it is.
pub fn read_document(text: &[u8]) -> Result<upstate_shared::export::OrgExport, String> {
    use upstate_shared::export::{Header, OrgExport};
    let header: Header = serde_json::from_slice(text)
        .map_err(|err| format!("the file is not a JSON export document: {err}"))?;
    header.check()?;
    let mut json = serde_json::Deserializer::from_slice(text);
    serde_path_to_error::deserialize::<_, OrgExport>(&mut json).map_err(|err| {
        format!(
            "the export does not fit its format at `{}`: {}",
            err.path(),
            err.inner()
        )
    })
}

/// Imports `doc` into the org `slug` (created if there is none) in the caller's transaction,
/// and tells the page's readers (live clients, caches of every replica) that it changed.
pub fn import_document(
    conn: &mut upstate_store::DbConnection,
    doc: &upstate_shared::export::OrgExport,
    slug: &str,
    jwt_secret: &str,
) -> upstate_store::StoreResult<upstate_store::export::Report> {
    let hash =
        |id: &upstate_shared::SubscriptionId| upstate_notify::links::token_hash(jwt_secret, id);
    let heartbeat = || crate::auth::tokens::random_token("hb_");
    let keys = upstate_store::export::Keys {
        subscription_token_hash: &hash,
        heartbeat_token: &heartbeat,
    };
    let report = upstate_store::export::import(conn, doc, slug, &keys)?;
    let org = upstate_store::organizations::get(conn, &report.org_id)?;
    let act = crate::activity::Activity::system(org.id.clone());
    let page = crate::views::org(&org);
    let public =
        serde_json::json!({ "name": page.name, "slug": page.slug, "branding": page.branding });
    act.event(conn, upstate_shared::EventKind::PageUpdated, &public, &page)?;
    act.audit(
        conn,
        "org.imported",
        "org",
        org.id.as_str(),
        serde_json::json!({
            "source": doc.org.id,
            "exported_at": doc.exported_at,
            "services_created": report.services.created,
            "incidents_created": report.incidents.created,
        }),
    )?;
    Ok(report)
}

pub fn import_upstate(args: UpstateImportArgs) -> Result<(), StartError> {
    let text = std::fs::read(&args.file)
        .map_err(|err| StartError(format!("cannot read {}: {err}", args.file.display())))?;
    let doc = read_document(&text).map_err(|err| {
        StartError(format!(
            "{}: {err}; nothing was imported",
            args.file.display()
        ))
    })?;
    let given = args.org.clone().unwrap_or_else(|| doc.org.slug.clone());
    let slug = upstate_shared::input::Slug::parse(&given)
        .map_err(|err| {
            StartError(format!(
                "`{given}` cannot be an organization's slug: it {err}"
            ))
        })?
        .as_str()
        .to_owned();
    let secret = crate::config::jwt_secret(args.jwt_secret.clone(), &args.database.data_dir)?;
    let db = args.database.open()?;
    let into = slug.clone();
    let report = db
        .write(move |conn| import_document(conn, &doc, &into, &secret))
        .map_err(|err| match err {
            upstate_store::StoreError::Invalid(field, message) if field == "document" => {
                StartError(format!(
                    "{}: {message}; nothing was imported",
                    args.file.display()
                ))
            }
            other => StartError(format!(
                "the import into `{slug}` failed, and nothing was imported: {other}"
            )),
        })?;
    let tally =
        |t: upstate_store::export::Tally| format!("{} new, {} already here", t.created, t.existing);
    println!(
        "imported into {} ({}):",
        report.slug,
        if report.org_created {
            "a new organization"
        } else {
            "an existing organization"
        }
    );
    println!("  groups: {}", tally(report.groups));
    println!("  services: {}", tally(report.services));
    println!("  status changes: {} new", report.status_changes);
    println!("  incidents: {}", tally(report.incidents));
    println!("  maintenance windows: {}", tally(report.maintenances));
    println!("  subscribers: {}", tally(report.subscribers));
    println!("  monitors: {}", tally(report.monitors));
    println!("  incident templates: {}", tally(report.incident_templates));
    println!("  members added: {}", report.members_added.len());
    let list = |title: &str, items: &[String]| {
        if !items.is_empty() {
            println!("{title}");
            for item in items {
                println!("  {item}");
            }
        }
    };
    list(
        "members without an account on this server (invite them again):",
        &report.members_missing,
    );
    list(
        "monitors imported paused (their headers' values are not in an export; fill them in and resume):",
        &report.monitors_paused,
    );
    list(
        "heartbeat monitors with a new URL (point their jobs at it):",
        &report.heartbeats_renewed,
    );
    list(
        "to set up again (an export carries no webhook addresses or secrets):",
        &report.to_set_up_again,
    );
    list("notes:", &report.notes);
    Ok(())
}
