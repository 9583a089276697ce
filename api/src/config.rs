//! Settings of a running server, resolved once at start: the data directory is made (and must
//! be writable) and the JWT secret and the secrets key are read or generated there.

use crate::cli::ServeArgs;
use std::io::Write;
use std::path::{Path, PathBuf};
use upstate_store::StoreError;

/// Why the server could not start: one sentence for the operator.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StartError(pub String);

impl From<StoreError> for StartError {
    fn from(err: StoreError) -> Self {
        StartError(err.to_string())
    }
}

/// The smallest JWT secret accepted: 256 bits of hex or text.
const MIN_SECRET_LEN: usize = 32;
const SECRET_FILE: &str = "jwt_secret";
/// Where the secrets key is kept when `UPSTATE_SECRETS_KEY` is unset.
const SECRETS_KEY_FILE: &str = "secrets_key";
/// The shortest metrics token accepted: guessing it must not be a matter of a few requests.
const MIN_METRICS_TOKEN_LEN: usize = 16;

/// What the server runs with.
#[derive(Clone)]
pub struct Settings {
    pub bind: String,
    pub database_url: String,
    pub db_pool_size: u32,
    pub data_dir: PathBuf,
    /// Without a trailing slash.
    pub public_url: String,
    pub jwt_secret: String,
    /// Seals secrets the server reads back (TOTP secrets): see [`crate::auth::sealed`].
    pub secrets_key: crate::auth::sealed::SecretsKey,
    /// The key before a rotation, still used to open what it sealed.
    pub secrets_key_previous: Option<crate::auth::sealed::SecretsKey>,
    /// SMTP server for outbound mail; without it, mail goes to the log.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Which proxies name the client in `X-Forwarded-For`.
    pub trust_proxy: crate::auth::client_address::TrustProxy,
    /// Caps on open WebSockets.
    pub ws_caps: crate::public::sockets::Caps,
    /// How long records that are only needed for a while are kept.
    pub retention: upstate_store::retention::Policy,
    /// Which addresses webhooks and integrations may reach.
    pub egress: upstate_egress::Policy,
    /// Failed attempts in a row after which a webhook is disabled.
    pub webhook_disable_after: u32,
    /// The first retry of a failed delivery.
    pub delivery_retry: std::time::Duration,
    /// How long a worker holds what it claimed (a dead one's is taken up again after it).
    pub delivery_lease: std::time::Duration,
    /// Emails handed to the SMTP server per second, at most.
    pub mails_per_second: std::num::NonZeroU32,
    /// Certificate authorities monitors trust besides the system's.
    pub monitor_roots: upstate_egress::RootCertificates,
    /// A listener of its own that serves only `/metrics`, without a token.
    pub metrics_bind: Option<String>,
    /// With it, `/metrics` on the main listener answers `Authorization: Bearer <token>`.
    pub metrics_token: Option<String>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field("db_pool_size", &self.db_pool_size)
            .field("data_dir", &self.data_dir)
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// Resolves flags and environment into settings, preparing the data directory. Every
    /// problem of the settings is told at once, one sentence (and line) each.
    pub fn resolve(args: ServeArgs) -> Result<Settings, StartError> {
        let problems = problems(&args);
        if !problems.is_empty() {
            return Err(StartError(problems.join("\n")));
        }
        let public_url = public_url(&args);
        let data_dir = args.database.data_dir.clone();
        prepare_data_dir(&data_dir)?;
        let jwt_secret = match args.jwt_secret {
            Some(secret) => secret,
            None => load_or_create_secret(&data_dir)?,
        };
        let secrets_key = match args.secrets_key.as_deref() {
            Some(given) => crate::auth::sealed::parse_key(given),
            None => load_or_create_secrets_key(&data_dir)?,
        }
        .ok_or_else(|| StartError(SECRETS_KEY_FORM.replace("{}", "UPSTATE_SECRETS_KEY")))?;
        let secrets_key_previous = args
            .secrets_key_previous
            .as_deref()
            .and_then(crate::auth::sealed::parse_key);
        let monitor_roots = match &args.monitor_ca_file {
            Some(path) => upstate_egress::RootCertificates::from_pem_file(path).map_err(|err| {
                StartError(format!("UPSTATE_MONITOR_CA_FILE cannot be used: {err}"))
            })?,
            None => upstate_egress::RootCertificates::default(),
        };
        Ok(Settings {
            metrics_bind: args.metrics_bind,
            metrics_token: args.metrics_token,
            bind: args.bind,
            database_url: args.database.url(),
            db_pool_size: args.database.db_pool_size,
            data_dir,
            public_url,
            jwt_secret,
            secrets_key,
            secrets_key_previous,
            smtp_url: args.smtp_url,
            mail_from: args.mail_from,
            trust_proxy: args.trust_proxy,
            ws_caps: crate::public::sockets::Caps {
                total: args.ws_max_connections,
                per_address: args.ws_max_per_address,
            },
            retention: upstate_store::retention::Policy {
                events: chrono::Duration::days(i64::from(args.event_retention_days)),
                monitor_results: chrono::Duration::hours(i64::from(args.monitor_results_hours)),
                ..Default::default()
            },
            egress: upstate_egress::Policy {
                allow_private: args.allow_private_targets,
            },
            webhook_disable_after: args.webhook_disable_after,
            delivery_retry: std::time::Duration::from_secs(u64::from(args.delivery_retry_secs)),
            delivery_lease: std::time::Duration::from_secs(u64::from(args.delivery_lease_secs)),
            monitor_roots,
            mails_per_second: std::num::NonZeroU32::new(args.mails_per_second)
                .unwrap_or(std::num::NonZeroU32::MIN),
        })
    }

    /// Whether links and cookies are for https.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// The address people reach the server at, without a trailing slash.
fn public_url(args: &ServeArgs) -> String {
    args.public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", args.bind))
        .trim_end_matches('/')
        .to_owned()
}

/// What is wrong with `args`, found without changing anything: one sentence each.
pub fn problems(args: &ServeArgs) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(secret) = &args.jwt_secret
        && secret.len() < MIN_SECRET_LEN
    {
        problems.push(format!(
            "UPSTATE_JWT_SECRET must be at least {MIN_SECRET_LEN} characters long"
        ));
    }
    for (name, key) in [
        ("UPSTATE_SECRETS_KEY", &args.secrets_key),
        ("UPSTATE_SECRETS_KEY_PREVIOUS", &args.secrets_key_previous),
    ] {
        if let Some(key) = key
            && crate::auth::sealed::parse_key(key).is_none()
        {
            problems.push(SECRETS_KEY_FORM.replace("{}", name));
        }
    }
    let public_url = public_url(args);
    if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
        problems.push(format!(
            "UPSTATE_PUBLIC_URL must start with http:// or https://, not `{public_url}`"
        ));
    }
    if args.bind.parse::<std::net::SocketAddr>().is_err()
        && std::net::ToSocketAddrs::to_socket_addrs(&args.bind).is_err()
    {
        problems.push(format!(
            "UPSTATE_BIND must be an address and a port (`127.0.0.1:8080`), not `{}`",
            args.bind
        ));
    }
    if let Err(err) = upstate_store::db::Target::parse(&args.database.url()) {
        problems.push(err.to_string());
    }
    if let Some(path) = &args.monitor_ca_file
        && let Err(err) = upstate_egress::RootCertificates::from_pem_file(path)
    {
        problems.push(format!("UPSTATE_MONITOR_CA_FILE cannot be used: {err}"));
    }
    if args
        .metrics_token
        .as_deref()
        .is_some_and(|token| token.len() < MIN_METRICS_TOKEN_LEN)
    {
        problems.push(format!(
            "UPSTATE_METRICS_TOKEN must be at least {MIN_METRICS_TOKEN_LEN} characters long"
        ));
    }
    if let Some(bind) = &args.metrics_bind
        && bind.trim() == args.bind.trim()
    {
        problems.push(format!(
            "UPSTATE_METRICS_BIND must differ from UPSTATE_BIND ({bind}): the metrics listener serves only /metrics"
        ));
    }
    problems
}

/// `upstate config check`: prints each setting `serve` would run with, where it came from and
/// (for secrets) only whether it is set; then checks them.
pub fn check(
    args: &ServeArgs,
    definition: &clap::Command,
    matches: &clap::ArgMatches,
    file: Option<&crate::config_file::FileSettings>,
) -> Result<(), StartError> {
    use clap::parser::ValueSource;
    if let Some(file) = file {
        println!("# settings file: {}", file.path.display());
    }
    for arg in definition.get_arguments() {
        let Some(env) = arg.get_env().and_then(|env| env.to_str()) else {
            continue;
        };
        let id = arg.get_id().as_str();
        let values: Vec<String> = matches
            .get_raw(id)
            .map(|raw| {
                raw.map(|value| value.to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        let name = env.trim_start_matches("UPSTATE_").to_lowercase();
        let from = match matches.value_source(id) {
            Some(ValueSource::CommandLine) => "flag",
            Some(ValueSource::EnvVariable) => "environment",
            Some(ValueSource::DefaultValue)
                if file.is_some_and(|file| file.values.contains_key(&name)) =>
            {
                "settings file"
            }
            Some(ValueSource::DefaultValue) => "default",
            _ => "unset",
        };
        let shown = if values.is_empty() {
            "(unset)".to_owned()
        } else if arg.is_hide_env_values_set() {
            "(set, hidden)".to_owned()
        } else {
            values
                .iter()
                .map(|value| upstate_store::db::redact_password(value))
                .collect::<Vec<_>>()
                .join(",")
        };
        println!("{env} = {shown}  # {from}");
    }
    let problems = problems(args);
    if problems.is_empty() {
        println!("# the settings are valid");
        Ok(())
    } else {
        Err(StartError(problems.join("\n")))
    }
}

pub(crate) fn prepare_data_dir(dir: &Path) -> Result<(), StartError> {
    let cannot = |err: std::io::Error| {
        StartError(format!(
            "the data directory {} cannot be written: {}",
            dir.display(),
            plain_io_error(&err)
        ))
    };
    std::fs::create_dir_all(dir).map_err(cannot)?;
    // Creating the folder can succeed on a read-only one that already exists: try a file.
    let probe = dir.join(".write-test");
    std::fs::write(&probe, b"ok").map_err(cannot)?;
    std::fs::remove_file(&probe).map_err(cannot)?;
    Ok(())
}

/// The server's key: the one given (`UPSTATE_JWT_SECRET`), or the one kept in the data
/// directory (generated there the first time).
pub fn jwt_secret(given: Option<String>, data_dir: &Path) -> Result<String, StartError> {
    match given {
        Some(secret) if secret.len() < MIN_SECRET_LEN => Err(StartError(format!(
            "UPSTATE_JWT_SECRET must be at least {MIN_SECRET_LEN} characters long"
        ))),
        Some(secret) => Ok(secret),
        None => load_or_create_secret(data_dir),
    }
}

fn load_or_create_secret(dir: &Path) -> Result<String, StartError> {
    let path = dir.join(SECRET_FILE);
    match std::fs::read_to_string(&path) {
        Ok(secret) if secret.trim().len() >= MIN_SECRET_LEN => return Ok(secret.trim().to_owned()),
        Ok(_) => {
            return Err(StartError(format!(
                "the JWT secret in {} is shorter than {MIN_SECRET_LEN} characters; remove the file to have a new one generated",
                path.display()
            )));
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => {
            return Err(StartError(format!(
                "the JWT secret {} cannot be read: {}",
                path.display(),
                plain_io_error(&err)
            )));
        }
    }
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let secret = hex::encode(bytes);
    let write = || -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&path)?;
        file.write_all(secret.as_bytes())?;
        file.sync_all()
    };
    write().map_err(|err| {
        StartError(format!(
            "the JWT secret {} cannot be written: {}",
            path.display(),
            plain_io_error(&err)
        ))
    })?;
    tracing::info!(path = %path.display(), "generated a JWT secret");
    Ok(secret)
}

/// What a secrets key must look like (`{}` is the setting's name).
const SECRETS_KEY_FORM: &str =
    "{} must be 64 hexadecimal digits (256 bits), e.g. from `openssl rand -hex 32`";

/// The secrets key kept in the data directory, generated there the first time (like the JWT
/// secret, and in the same way: 0600, never overwritten). `None` when the file holds no key.
fn load_or_create_secrets_key(
    dir: &Path,
) -> Result<Option<crate::auth::sealed::SecretsKey>, StartError> {
    let path = dir.join(SECRETS_KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            return crate::auth::sealed::parse_key(&text).map(Some).ok_or_else(|| {
                StartError(format!(
                    "the secrets key in {} is not 64 hexadecimal digits; restore it from a backup (two-factor secrets sealed with it do not open without it)",
                    path.display()
                ))
            });
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => {
            return Err(StartError(format!(
                "the secrets key {} cannot be read: {}",
                path.display(),
                plain_io_error(&err)
            )));
        }
    }
    let mut key = [0u8; crate::auth::sealed::KEY_LEN];
    rand::fill(&mut key);
    let write = || -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&path)?;
        file.write_all(hex::encode(key).as_bytes())?;
        file.sync_all()
    };
    write().map_err(|err| {
        StartError(format!(
            "the secrets key {} cannot be written: {}",
            path.display(),
            plain_io_error(&err)
        ))
    })?;
    tracing::info!(path = %path.display(), "generated a secrets key");
    Ok(Some(key))
}

/// `Permission denied` rather than `Permission denied (os error 13)`.
fn plain_io_error(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(end) => text[..end].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::DatabaseArgs;

    fn args(dir: &Path) -> ServeArgs {
        ServeArgs {
            bind: "127.0.0.1:0".into(),
            database: DatabaseArgs {
                database_url: None,
                db_pool_size: 2,
                data_dir: dir.to_owned(),
            },
            public_url: None,
            jwt_secret: None,
            secrets_key: None,
            secrets_key_previous: None,
            smtp_url: None,
            mail_from: "Upstate <upstate@localhost>".into(),
            trust_proxy: Default::default(),
            ws_max_connections: 10,
            ws_max_per_address: 2,
            event_retention_days: 7,
            allow_private_targets: false,
            monitor_ca_file: None,
            monitor_results_hours: 48,
            webhook_disable_after: 20,
            delivery_retry_secs: 30,
            delivery_lease_secs: 120,
            mails_per_second: 250,
            metrics_bind: None,
            metrics_token: None,
        }
    }

    #[test]
    fn the_sqlite_file_is_in_the_data_directory_unless_a_url_is_given() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings::resolve(args(dir.path())).unwrap();
        assert_eq!(
            settings.database_url,
            format!("sqlite://{}", dir.path().join("upstate.db").display())
        );
        let mut given = args(dir.path());
        given.database.database_url = Some("postgres://db/upstate".into());
        assert_eq!(
            Settings::resolve(given).unwrap().database_url,
            "postgres://db/upstate"
        );
    }

    #[test]
    fn a_generated_secret_is_kept_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = Settings::resolve(args(dir.path())).unwrap();
        let second = Settings::resolve(args(dir.path())).unwrap();
        assert_eq!(first.jwt_secret.len(), 64);
        assert_eq!(first.jwt_secret, second.jwt_secret);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(SECRET_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "only the owner may read the secret");
        }
    }

    #[test]
    fn a_generated_secrets_key_is_kept_and_reused_and_a_malformed_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let first = Settings::resolve(args(dir.path())).unwrap();
        let second = Settings::resolve(args(dir.path())).unwrap();
        assert_eq!(first.secrets_key, second.secrets_key);
        assert_ne!(first.secrets_key, [0; crate::auth::sealed::KEY_LEN]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(SECRETS_KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "only the owner may read the key");
        }
        let mut given = args(dir.path());
        given.secrets_key = Some("ab".repeat(32));
        given.secrets_key_previous = Some("not hex".into());
        let err = Settings::resolve(given).unwrap_err().to_string();
        assert!(
            err.contains("UPSTATE_SECRETS_KEY_PREVIOUS must be 64 hexadecimal digits"),
            "{err}"
        );
        let mut given = args(dir.path());
        given.secrets_key = Some("ab".repeat(32));
        assert_eq!(Settings::resolve(given).unwrap().secrets_key, [0xab; 32]);
    }

    #[test]
    fn a_short_metrics_token_and_a_metrics_bind_on_the_main_address_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = args(dir.path());
        a.metrics_token = Some("short".into());
        assert_eq!(
            Settings::resolve(a).unwrap_err().to_string(),
            "UPSTATE_METRICS_TOKEN must be at least 16 characters long"
        );
        let mut a = args(dir.path());
        a.metrics_bind = Some("127.0.0.1:0".into());
        assert!(
            Settings::resolve(a)
                .unwrap_err()
                .to_string()
                .starts_with("UPSTATE_METRICS_BIND must differ from UPSTATE_BIND")
        );
    }

    #[test]
    fn a_short_secret_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = args(dir.path());
        a.jwt_secret = Some("short".into());
        let err = Settings::resolve(a).unwrap_err();
        assert_eq!(
            err.to_string(),
            "UPSTATE_JWT_SECRET must be at least 32 characters long"
        );
    }

    #[test]
    fn public_url_defaults_to_the_bind_address_and_loses_its_slash() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings::resolve(args(dir.path())).unwrap();
        assert_eq!(settings.public_url, "http://127.0.0.1:0");
        assert!(!settings.is_https());
        let mut a = args(dir.path());
        a.public_url = Some("https://status.example.com/".into());
        let settings = Settings::resolve(a).unwrap();
        assert_eq!(settings.public_url, "https://status.example.com");
        assert!(settings.is_https());
    }
}
