//! The command line: flags, each with its environment variable, and the commands.

mod admin;
mod backup;
mod export;

use crate::config::{Settings, StartError};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use upstate_store::{Db, PoolOptions};

#[derive(Debug, Parser)]
#[command(
    name = "upstate",
    version,
    about = "Self-hostable status pages: API, live updates and the web app in one binary."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Log format: `text` for people, `json` for log collectors.
    #[arg(
        long,
        env = "UPSTATE_LOG_FORMAT",
        default_value = "text",
        global = true
    )]
    log_format: crate::telemetry::LogFormat,
    /// A settings file (TOML; see docs/deploy.md). Default: `upstate.toml` in the working
    /// directory, when there is one. Flags and environment variables win over it.
    #[arg(long, env = "UPSTATE_CONFIG", global = true)]
    config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API, the live updates and the web app (applies pending migrations first).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate(DatabaseArgs),
    /// Print the OpenAPI document of the API (as committed in openapi/openapi.json).
    Openapi,
    /// Write everything of an organization as one JSON document (no passwords, tokens or
    /// secrets), for `upstate import upstate` on another server or engine.
    Export(export::ExportArgs),
    /// Bring a status page over from another product, or an Upstate export, into an
    /// organization.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Copy the SQLite database to a new file, consistently, while a server runs and writes.
    Backup(backup::BackupArgs),
    /// Put a backup back as the SQLite database (refused while a server uses it).
    Restore(backup::RestoreArgs),
    /// The operator's commands on accounts, for when the only owner is locked out.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// Exit 0 when the server on this machine and its database answer (`GET /readyz`), else 1
    /// with the reason: a container's health check, where there is no shell or curl.
    Healthcheck(HealthcheckArgs),
    /// The settings.
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Print the settings `upstate serve` would run with (from flags, environment, the settings
    /// file and defaults, each marked with where it came from; secrets hidden) and check them:
    /// every problem in one sentence each, and exit 1 when there is one.
    Check(ServeArgs),
}

/// `upstate healthcheck`'s settings.
#[derive(Debug, Clone, Args)]
pub struct HealthcheckArgs {
    /// The server's listening address, as given to `upstate serve` (an unspecified address such
    /// as `0.0.0.0` is reached on loopback).
    #[arg(long, env = "UPSTATE_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// From Atlassian Statuspage: its groups, its services with their status now, and its
    /// incident history with updates. Running it again creates nothing twice.
    Statuspage(StatuspageImportArgs),
    /// From an Upstate export (`upstate export`): the whole organization, on this server's
    /// database. Running it again creates nothing twice; a bad document writes nothing.
    Upstate(export::UpstateImportArgs),
}

/// `upstate import statuspage`'s settings.
#[derive(Debug, Clone, Args)]
pub struct StatuspageImportArgs {
    /// The organization (its slug) that receives the page.
    #[arg(long)]
    pub org: String,
    /// The page's `summary.json`, saved from `https://PAGE/api/v2/summary.json`.
    #[arg(long, conflicts_with = "url", required_unless_present = "url")]
    pub summary: Option<PathBuf>,
    /// The page's `incidents.json` (its 50 newest incidents), saved from
    /// `https://PAGE/api/v2/incidents.json`.
    #[arg(long, conflicts_with = "url", requires = "summary")]
    pub incidents: Option<PathBuf>,
    /// Instead of files: the page's address (`https://status.example.com`), from which both
    /// documents are fetched.
    #[arg(long)]
    pub url: Option<String>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Where the database is.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// `sqlite://PATH` or `postgres://USER:PASSWORD@HOST/DB`. Default: `upstate.db` (SQLite) in
    /// the data directory.
    #[arg(long, env = "UPSTATE_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Connections kept in the pool.
    #[arg(long, env = "UPSTATE_DB_POOL_SIZE", default_value_t = 10)]
    pub db_pool_size: u32,
    /// Where Upstate keeps its files (the generated JWT secret; the SQLite file by default).
    #[arg(long, env = "UPSTATE_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
}

impl DatabaseArgs {
    /// A pool of one connection on this database, for a command; the data directory is made
    /// when the database is its default SQLite file.
    pub fn connect(&self) -> Result<Db, StartError> {
        if self.database_url.is_none() {
            crate::config::prepare_data_dir(&self.data_dir)?;
        }
        Ok(Db::connect(
            &self.url(),
            PoolOptions {
                max_size: 1,
                ..PoolOptions::default()
            },
        )?)
    }

    /// The same, with its pending migrations applied.
    pub fn open(&self) -> Result<Db, StartError> {
        let db = self.connect()?;
        db.migrate()?;
        Ok(db)
    }

    /// The database URL given, or the SQLite file in the data directory.
    pub fn url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("upstate.db").display()),
        }
    }
}

/// `upstate serve`'s settings.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// The address and port to listen on.
    #[arg(long, env = "UPSTATE_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The address people reach this server at, e.g. `https://status.example.com`; used in
    /// links (invitations, password resets) and to mark cookies `Secure`. Default: `http://BIND`.
    #[arg(long, env = "UPSTATE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The key that signs access tokens (at least 32 characters). When unset, one is generated
    /// once and kept in the data directory.
    #[arg(long, env = "UPSTATE_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// The key that seals secrets the server reads back, such as two-factor (TOTP) secrets:
    /// 64 hexadecimal digits (256 bits). When unset, one is generated once and kept in the data
    /// directory (`secrets_key`).
    #[arg(long, env = "UPSTATE_SECRETS_KEY", hide_env_values = true)]
    pub secrets_key: Option<String>,
    /// The secrets key before a rotation: what it sealed still opens, and is sealed again with
    /// the current key when read (docs/two-factor.md).
    #[arg(long, env = "UPSTATE_SECRETS_KEY_PREVIOUS", hide_env_values = true)]
    pub secrets_key_previous: Option<String>,
    /// SMTP server for outbound mail, e.g. `smtps://user:password@smtp.example.com`. Without
    /// it, emails (reset links, invitations) are written to the log.
    #[arg(long, env = "UPSTATE_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of outbound mail.
    #[arg(
        long,
        env = "UPSTATE_MAIL_FROM",
        default_value = "Upstate <upstate@localhost>"
    )]
    pub mail_from: String,
    /// Behind reverse proxies: how many there are (`1` for one; `true` means 1), or their
    /// addresses and networks (`10.0.0.0/8,192.0.2.7`). The client address (for rate limits,
    /// socket caps and the audit log) is then the rightmost `X-Forwarded-For` entry they did not
    /// add. `false` (the default): the TCP peer, and the header is ignored.
    #[arg(long, env = "UPSTATE_TRUST_PROXY", default_value = "false")]
    pub trust_proxy: crate::auth::client_address::TrustProxy,
    /// Days the realtime events are kept (for clients catching up; one further behind resyncs
    /// from the summary). Delivered mail is kept 7 days, expired sessions, reset links and
    /// invitations 30.
    #[arg(long, env = "UPSTATE_EVENT_RETENTION_DAYS", default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub event_retention_days: u32,
    /// Open WebSockets (status pages and dashboards) at most (about 12 KiB each); beyond, 503
    /// with `Retry-After`. Lowered at start to what the open-files limit leaves.
    #[arg(long, env = "UPSTATE_WS_MAX_CONNECTIONS", default_value_t = 60_000)]
    pub ws_max_connections: usize,
    /// Open WebSockets per client address (an IPv6 /64) at most; beyond, 503.
    #[arg(long, env = "UPSTATE_WS_MAX_PER_ADDRESS", default_value_t = 100)]
    pub ws_max_per_address: usize,
    /// Let webhooks, integrations and monitors reach loopback, private and link-local addresses (a
    /// self-hoster telling services on their own network). Off: only public addresses.
    #[arg(long, env = "UPSTATE_ALLOW_PRIVATE_TARGETS", default_value_t = false)]
    pub allow_private_targets: bool,
    /// A PEM file of certificate authorities that monitors trust besides the system's (an
    /// internal CA that signed the certificates of services on the operator's network).
    #[arg(long, env = "UPSTATE_MONITOR_CA_FILE")]
    pub monitor_ca_file: Option<std::path::PathBuf>,
    /// Hours each monitor check's own result is kept (the results list and the 24-hour chart);
    /// per-hour sums are kept 400 days.
    #[arg(long, env = "UPSTATE_MONITOR_RESULTS_HOURS", default_value_t = 48, value_parser = clap::value_parser!(u32).range(25..=8760))]
    pub monitor_results_hours: u32,
    /// Failed attempts in a row after which a webhook or an integration is disabled (and its
    /// contact told).
    #[arg(long, env = "UPSTATE_WEBHOOK_DISABLE_AFTER", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub webhook_disable_after: u32,
    /// The first retry of a failed delivery, in seconds; each next one waits twice as long (at
    /// most an hour), for up to a day.
    #[arg(long, env = "UPSTATE_DELIVERY_RETRY_SECS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub delivery_retry_secs: u32,
    /// How long a worker holds the notifications and deliveries it claimed, in seconds: one
    /// whose server died is taken up again after this. Longer than a delivery may take (a
    /// webhook times out after 10 s) and than a batch waits for its turn, or two replicas may
    /// send the same delivery.
    #[arg(long, env = "UPSTATE_DELIVERY_LEASE_SECS", default_value_t = 120, value_parser = clap::value_parser!(u32).range(2..=3600))]
    pub delivery_lease_secs: u32,
    /// Emails handed to the SMTP server per second, at most (per server): what the mail relay
    /// allows, and what keeps a fan-out to every subscriber from slowing the status page.
    #[arg(long, env = "UPSTATE_MAILS_PER_SECOND", default_value_t = 250, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub mails_per_second: u32,
    /// A separate address and port (e.g. `127.0.0.1:9090`) that serves only the Prometheus
    /// metrics at `/metrics`, without a token. Keep it off the public network.
    #[arg(long, env = "UPSTATE_METRICS_BIND")]
    pub metrics_bind: Option<String>,
    /// When set, `/metrics` on the main listener answers requests with
    /// `Authorization: Bearer <this token>` (at least 16 characters). With neither this nor
    /// UPSTATE_METRICS_BIND, the metrics are not served.
    #[arg(long, env = "UPSTATE_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
}

/// Runs the command line; failures print one sentence and exit non-zero.
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut command = Cli::command();
    let mut file = None;
    if let Some(path) = crate::config_file::locate(&args) {
        match crate::config_file::read(&path)
            .and_then(|read| Ok((crate::config_file::apply(command.clone(), &read)?, read)))
        {
            Ok((with_file, read)) => {
                command = with_file;
                file = Some(read);
            }
            Err(problems) => {
                for problem in problems {
                    eprintln!("upstate: {problem}");
                }
                return ExitCode::FAILURE;
            }
        }
    }
    let matches = command.get_matches_from(&args);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|err| err.exit());
    crate::telemetry::init(cli.log_format);
    let result = match cli.command {
        Command::Serve(args) => serve(args),
        Command::Migrate(args) => migrate(args),
        Command::Openapi => {
            print!("{}", crate::openapi::pretty_json());
            Ok(())
        }
        Command::Import(ImportCommand::Statuspage(args)) => import_statuspage(args),
        Command::Backup(args) => backup::backup(args),
        Command::Restore(args) => backup::restore(args),
        Command::Admin(command) => admin::run(command),
        Command::Export(args) => export::export(args),
        Command::Import(ImportCommand::Upstate(args)) => export::import_upstate(args),
        Command::Healthcheck(args) => crate::healthcheck::check(&args.bind),
        Command::Config(ConfigCommand::Check(args)) => {
            let checked = matches
                .subcommand_matches("config")
                .and_then(|config| config.subcommand_matches("check"));
            let command = Cli::command();
            let definition = command
                .find_subcommand("config")
                .and_then(|config| config.find_subcommand("check"));
            match (checked, definition) {
                (Some(checked), Some(definition)) => {
                    crate::config::check(&args, definition, checked, file.as_ref())
                }
                _ => Err(StartError(
                    "`config check` could not read its settings".into(),
                )),
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err}");
            eprintln!("upstate: {err}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: ServeArgs) -> Result<(), StartError> {
    let mut settings = Settings::resolve(args)?;
    settings.ws_caps.total = crate::public::sockets::fit_to_open_files(settings.ws_caps.total);
    actix_web::rt::System::new().block_on(async move {
        let running = crate::server::start(settings, crate::spa::embedded()).await?;
        running
            .server
            .await
            .map_err(|err| StartError(format!("the server stopped with an error: {err}")))
    })
}

fn migrate(args: DatabaseArgs) -> Result<(), StartError> {
    let db = args.connect()?;
    let applied = db.migrate()?;
    if applied.is_empty() {
        tracing::info!(database = %db.describe(), "the database is up to date");
    } else {
        tracing::info!(database = %db.describe(), count = applied.len(), "migrations applied");
    }
    Ok(())
}

fn import_statuspage(args: StatuspageImportArgs) -> Result<(), StartError> {
    use crate::public::statuspage::{Incidents, Summary};
    fn read<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> Result<T, StartError> {
        let text = std::fs::read(path)
            .map_err(|err| StartError(format!("cannot read {}: {err}", path.display())))?;
        let mut json = serde_json::Deserializer::from_slice(&text);
        serde_path_to_error::deserialize(&mut json).map_err(|err| {
            StartError(format!(
                "{} is not Statuspage's format at `{}`: {}",
                path.display(),
                err.path(),
                err.inner()
            ))
        })
    }
    // A refusal names its problems: each on a line of its own.
    let explained = |err: crate::error::ApiError| match err {
        crate::error::ApiError::Validation { message, fields } => StartError(format!(
            "{message}\n{}",
            fields
                .iter()
                .flat_map(|(field, problems)| problems
                    .iter()
                    .map(move |p| format!("  {field}: {p}")))
                .collect::<Vec<_>>()
                .join("\n")
        )),
        other => StartError(other.to_string()),
    };
    let (summary, incidents): (Summary, Option<Incidents>) = match (&args.url, &args.summary) {
        (Some(url), _) => {
            // An operator's command: any address it names may be reached.
            let policy = upstate_egress::Policy {
                allow_private: true,
            };
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|err| StartError(err.to_string()))?;
            let (summary, incidents) = runtime
                .block_on(crate::routes::imports::fetch(policy, url))
                .map_err(explained)?;
            (summary, Some(incidents))
        }
        (None, Some(summary)) => (
            read(summary)?,
            args.incidents.as_deref().map(read).transpose()?,
        ),
        (None, None) => return Err(StartError("give --summary or --url".into())),
    };
    let plan = crate::routes::imports::plan(&summary, incidents.as_ref()).map_err(explained)?;
    let db = args.database.open()?;
    let slug = args.org.clone();
    let done = db
        .write(move |conn| {
            let org = upstate_store::organizations::find_by_slug(conn, &slug)?.ok_or(
                upstate_store::StoreError::NotFound(upstate_store::Missing::Organization),
            )?;
            let act = crate::activity::Activity::system(org.id);
            crate::routes::imports::apply(conn, &act, &plan)
        })
        .map_err(|err| StartError(format!("the import into `{}` failed: {err}", args.org)))?;
    println!(
        "imported into {}: {} groups, {} services ({} brought up to date), {} incidents \
         ({} imported before, left as they are), {} maintenance windows ({} imported before)",
        args.org,
        done.groups_created,
        done.services_created,
        done.services_updated,
        done.incidents_created,
        done.incidents_skipped,
        done.maintenances_created,
        done.maintenances_skipped
    );
    Ok(())
}
