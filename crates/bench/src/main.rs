//! `upstate-bench` (run by `just bench`): starts the release `upstate` binary on loopback, seeds
//! organizations through its API, and measures the public summary against nginx serving the
//! same bytes (wrk), the summary's cost as history grows, writes per second on SQLite and
//! PostgreSQL, WebSocket fan-out to up to 50,000 subscribers on one server and over two
//! PostgreSQL replicas, reads of the summary while writers change it (and how stale it gets),
//! the web app's size and paint time in headless Chromium, and one incident update told to
//! 10,000 email subscribers and 1,000 webhooks while the summary is read, and 1,000 HTTP monitors
//! at a 30 s interval (schedule jitter, CPU, memory). Prints every table and writes them to `docs/benchmarks.md`.
//! Traffic stays on 127.0.0.1; every loop ends by a deadline.

mod fanout;
mod lighthouse;
mod mixed;
mod monitors;
mod notify;
mod report;
mod seed;
mod server;
mod spa;
mod stats;
mod writes;
mod wrk;

use clap::Parser;
use report::Report;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use upstate_e2e::Server;

#[derive(Debug, Parser)]
#[command(about = "Measure Upstate's hot paths on this machine (loopback only)")]
struct Args {
    /// The `upstate` binary to measure (default: the release build in CARGO_TARGET_DIR).
    #[arg(long)]
    binary: Option<PathBuf>,
    /// A PostgreSQL server where a throwaway database may be created.
    #[arg(long, env = "UPSTATE_TEST_POSTGRES_URL", default_value = upstate_store::testing::DEFAULT_TEST_POSTGRES_URL)]
    postgres: String,
    /// The built web app.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/dist"))]
    dist: PathBuf,
    /// Where the Markdown report goes.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/benchmarks.md"))]
    out: PathBuf,
    /// Seconds of each wrk run.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// wrk runs of each kind against the summary and nginx (the median is reported).
    #[arg(long, default_value_t = 3)]
    summary_rounds: usize,
    /// Seconds of each writes run.
    #[arg(long, default_value_t = 5)]
    write_seconds: u64,
    /// WebSocket subscriber counts, one fan-out each on one server (SQLite).
    #[arg(long, value_delimiter = ',', default_value = "1000,10000,50000")]
    subscribers: Vec<usize>,
    /// WebSocket subscribers of the fan-out over replicas (PostgreSQL): two, or as many as the
    /// open-files limit needs to hold them.
    #[arg(long, default_value_t = 50_000)]
    replica_subscribers: usize,
    /// (Internal) Be a process of fan-out subscribers: `FIRST:COUNT` of them, on `--ws-urls`.
    #[arg(long, hide = true)]
    subscribe: Option<String>,
    #[arg(long, hide = true, value_delimiter = ',')]
    ws_urls: Vec<String>,
    /// Page loads in Chromium (the first is cold).
    #[arg(long, default_value_t = 7)]
    loads: usize,
    /// Lighthouse runs of the status page (the median is reported).
    #[arg(long, default_value_t = 3)]
    lighthouse_runs: usize,
    /// Rounds of "write, then read the summary" for the cost of computing it.
    #[arg(long, default_value_t = 15)]
    rounds: usize,
    /// HTTP monitors of the monitors' section, each checking its own path on a local receiver.
    #[arg(long, default_value_t = 1000)]
    monitors: usize,
    /// Their interval, in seconds (the API allows 10 on).
    #[arg(long, default_value_t = 30)]
    monitor_interval: u32,
    /// Seconds the monitors are measured for, after one interval of warm-up (3 intervals by
    /// default).
    #[arg(long, default_value_t = 90)]
    monitor_seconds: u64,
    /// Seconds the same server is measured idle, before the monitors are created.
    #[arg(long, default_value_t = 15)]
    monitor_idle_seconds: u64,
    /// Only these sections (all by default).
    #[arg(long, value_delimiter = ',', value_enum)]
    only: Vec<Section>,
}

#[derive(Debug, Clone, Copy, PartialEq, clap::ValueEnum)]
enum Section {
    Summary,
    Growth,
    Writes,
    Fanout,
    Mixed,
    Spa,
    Notify,
    Monitors,
}

impl Args {
    fn runs(&self, section: Section) -> bool {
        self.only.is_empty() || self.only.contains(&section)
    }
}

/// The org the page, fan-out and write measurements use: 2 years of history.
const MAIN_DAYS: i64 = 730;

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if let Some(share) = &args.subscribe {
        raise_open_files_limit();
        let (first, count) = share.split_once(':').expect("FIRST:COUNT");
        let (first, count) = (first.parse().expect("FIRST"), count.parse().expect("COUNT"));
        fanout::subscribe(first, count, &args.ws_urls).await;
        return;
    }
    let began = Instant::now();
    let binary = args.binary.clone().unwrap_or_else(server::default_binary);
    assert!(
        binary.exists(),
        "no upstate binary at {} (run `just build`)",
        binary.display()
    );
    // Tens of thousands of sockets, here and in the servers (which inherit the limit).
    let files = raise_open_files_limit();
    let mut report = Report::new(args.seconds, args.summary_rounds, files);

    eprintln!("bench: starting upstate (SQLite) and seeding an organization");
    let sqlite = Server::start_with(&binary, None).await;
    let base = sqlite.url("");
    let db_url = sqlite.database_url().to_owned();
    let main_org = seed::org(&base, &db_url, "acme", MAIN_DAYS).await;
    let http = reqwest::Client::new();

    // 1. The summary against nginx, 200 and 304.
    if args.runs(Section::Summary) {
        eprintln!("bench: summary vs nginx");
        let summary_path = "/api/v1/public/acme/summary";
        let answer = http
            .get(sqlite.url(summary_path))
            .send()
            .await
            .expect("the summary");
        let etag = answer.headers()["etag"]
            .to_str()
            .expect("an ETag")
            .to_owned();
        let body = answer.bytes().await.expect("the summary's bytes");
        let nginx = wrk::Nginx::serve(&body);
        let nginx_etag = http
            .get(nginx.url("/summary.json"))
            .send()
            .await
            .expect("nginx answers")
            .headers()["etag"]
            .to_str()
            .expect("nginx's ETag")
            .to_owned();
        // Rounds alternate between the two servers, so a slow moment of the machine does not
        // fall on one side only; each row is the round of median requests/s.
        let mut runs: [Vec<wrk::Load>; 4] = Default::default();
        for _ in 0..args.summary_rounds {
            runs[0].push(wrk::run(&sqlite.url(summary_path), args.seconds, &[]));
            runs[1].push(wrk::run(&nginx.url("/summary.json"), args.seconds, &[]));
            runs[2].push(wrk::run(
                &sqlite.url(summary_path),
                args.seconds,
                &[("If-None-Match", &etag)],
            ));
            runs[3].push(wrk::run(
                &nginx.url("/summary.json"),
                args.seconds,
                &[("If-None-Match", &nginx_etag)],
            ));
        }
        let [upstate_200, nginx_200, upstate_304, nginx_304] = runs.map(wrk::median);
        drop(nginx);
        report.summary(
            body.len(),
            &upstate_200,
            &nginx_200,
            &upstate_304,
            &nginx_304,
        );
        // Pages that do not exist: a new random slug on every request.
        eprintln!("bench: unknown pages");
        let before = server::rss_mib(&sqlite);
        let unknown = wrk::run_script(&sqlite.url(""), args.seconds, wrk::RANDOM_SLUGS);
        let after = server::rss_mib(&sqlite);
        report.unknown_pages(&unknown, &upstate_200, before, after);
    }

    // 2. Cost growth: 1 day against 10 years of history.
    if args.runs(Section::Growth) {
        eprintln!("bench: cost growth");
        let day_org = seed::org(&base, &db_url, "day", 1).await;
        let decade_org = seed::org(&base, &db_url, "decade", 3650).await;
        let day_load = wrk::run(&sqlite.url("/api/v1/public/day/summary"), args.seconds, &[]);
        let decade_load = wrk::run(
            &sqlite.url("/api/v1/public/decade/summary"),
            args.seconds,
            &[],
        );
        let day_cold = cold_costs(&http, &base, &day_org, args.rounds).await;
        let decade_cold = cold_costs(&http, &base, &decade_org, args.rounds).await;
        report.growth(&day_load, &decade_load, &day_cold, &decade_cold);
    }

    // 3. Writes on both engines.
    if args.runs(Section::Writes) {
        eprintln!("bench: writes (SQLite)");
        let sqlite_writes = writes::run(&base, &main_org, args.write_seconds, None).await;
        eprintln!("bench: writes (PostgreSQL)");
        let pg_writes = {
            let database = tokio::task::spawn_blocking({
                let admin = args.postgres.clone();
                move || upstate_store::testing::TestDb::postgres_at(&admin)
            })
            .await
            .expect("a PostgreSQL database");
            let postgres = Server::start_with(&binary, Some(&database.url)).await;
            let seeded = seed::org(&postgres.url(""), &database.url, "acme", 30).await;
            let result = writes::run(&postgres.url(""), &seeded, args.write_seconds, None).await;
            drop(postgres);
            tokio::task::spawn_blocking(move || drop(database))
                .await
                .expect("drop the database");
            result
        };
        report.writes(&sqlite_writes, &pg_writes);
    }

    // What one server can hold here: its open-files limit (inherited from this process) less
    // what it keeps for the rest (`FILES_FOR_THE_REST` in api/src/public/sockets.rs).
    let server_cap = usize::try_from(files.saturating_sub(2048)).unwrap_or(usize::MAX);
    // Replicas on one PostgreSQL database, for the fan-out and the mixed run: two, or as many
    // as the fan-out's subscribers need.
    let replicas = if args.runs(Section::Fanout) || args.runs(Section::Mixed) {
        let count = args.replica_subscribers.div_ceil(server_cap.max(1)).max(2);
        eprintln!("bench: starting {count} upstate replicas (PostgreSQL)");
        Some(Replicas::start(&binary, &args.postgres, count).await)
    } else {
        None
    };

    // 4. WebSocket fan-out.
    if args.runs(Section::Fanout) {
        let mut fanouts = Vec::new();
        for &wanted in &args.subscribers {
            let n = wanted.min(server_cap);
            eprintln!("bench: fan-out to {n} subscribers");
            let ws_url = sqlite
                .url("/api/v1/public/acme/ws")
                .replacen("http", "ws", 1);
            let setup = if n < wanted {
                format!("1 server (SQLite), {wanted} asked: the most its open-files limit allows")
            } else {
                "1 server (SQLite)".to_owned()
            };
            let result = fanout::run(
                setup,
                n,
                &[ws_url],
                || vec![server::rss_mib(&sqlite)],
                change_status(&base, &main_org, fanouts.len()),
            )
            .await;
            fanouts.push(result);
            // Let the server close the sockets before the next round.
            tokio::time::sleep(Duration::from_secs(1) + Duration::from_micros(100 * n as u64))
                .await;
        }
        if let Some(replicas) = &replicas {
            let n = args.replica_subscribers;
            let count = replicas.servers.len();
            eprintln!("bench: fan-out to {n} subscribers over {count} replicas");
            let ws_urls: Vec<String> = replicas
                .servers
                .iter()
                .map(|server| {
                    server
                        .url("/api/v1/public/acme/ws")
                        .replacen("http", "ws", 1)
                })
                .collect();
            // The change is made on the first replica; the others hear it by NOTIFY.
            let result = fanout::run(
                format!("{count} replicas (PostgreSQL)"),
                n,
                &ws_urls,
                || replicas.servers.iter().map(server::rss_mib).collect(),
                change_status(&replicas.servers[0].url(""), &replicas.seeded, 0),
            )
            .await;
            fanouts.push(result);
            tokio::time::sleep(Duration::from_secs(1) + Duration::from_micros(100 * n as u64))
                .await;
        }
        report.fanout(&fanouts, server_cap);
    }

    // 5. Reads while writing.
    if args.runs(Section::Mixed) {
        eprintln!("bench: reads while writing (SQLite)");
        let mut runs =
            vec![mixed::run("1 server (SQLite)", &base, &base, &main_org, args.seconds).await];
        if let Some(replicas) = &replicas {
            eprintln!("bench: reads while writing (two replicas)");
            runs.push(
                mixed::run(
                    "2 replicas (PostgreSQL): writes to one, reads from the other",
                    &replicas.servers[0].url(""),
                    &replicas.servers[1].url(""),
                    &replicas.seeded,
                    args.seconds,
                )
                .await,
            );
        }
        report.mixed(&runs);
    }
    if let Some(replicas) = replicas {
        replicas.stop().await;
    }

    // 6. The web app.
    if args.runs(Section::Spa) {
        eprintln!("bench: the web app in Chromium");
        let assets = spa::assets(&args.dist);
        let paint = spa::paint(&sqlite.url("/status/acme"), args.loads).await;
        eprintln!(
            "bench: Lighthouse on the status page ({} runs)",
            args.lighthouse_runs
        );
        let scores = lighthouse::scores(&sqlite.url("/status/acme"), args.lighthouse_runs);
        report.spa(&assets, &paint, &scores);
    }
    drop(sqlite);

    // 7. Telling subscribers (a server of its own, with an SMTP server).
    if args.runs(Section::Notify) {
        eprintln!("bench: notifications");
        let told = notify::run(&binary, args.seconds).await;
        report.notify(&told);
    }

    // 8. Monitors (a server of its own, with an HTTP receiver they check).
    if args.runs(Section::Monitors) {
        eprintln!("bench: monitors");
        let plan = monitors::Plan {
            monitors: args.monitors,
            interval_secs: args.monitor_interval,
            window_secs: args.monitor_seconds,
            idle_secs: args.monitor_idle_seconds,
        };
        let measured = monitors::run(&binary, plan).await;
        report.monitors(&measured);
    }

    report.finish(began.elapsed());
    print!("{}", report.text());
    if let Some(dir) = args.out.parent() {
        std::fs::create_dir_all(dir).expect("the report's folder");
    }
    std::fs::write(&args.out, report.text()).expect("write the report");
    eprintln!("bench: wrote {}", args.out.display());
}

/// The open-files limit raised (soft and hard, as root may) for 50,000 sockets on each side;
/// else as far as the hard limit allows.
fn raise_open_files_limit() -> u64 {
    const WANTED: u64 = 1 << 20;
    if rlimit::setrlimit(rlimit::Resource::NOFILE, WANTED, WANTED).is_ok() {
        return WANTED;
    }
    rlimit::increase_nofile_limit(WANTED).expect("raise the open-files limit")
}

/// A status change of one of `seeded`'s services through the API at `base` (the `round`th:
/// rounds alternate between an outage and its end).
fn change_status(
    base: &str,
    seeded: &seed::Seeded,
    round: usize,
) -> impl FnOnce() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> {
    let client = upstate_e2e::Api::at(base, &seeded.api_key);
    let path = format!(
        "/api/v1/orgs/{}/services/{}",
        seeded.slug,
        seeded.service_ids[round % seeded.service_ids.len()]
    );
    let status = if round.is_multiple_of(2) {
        "major_outage"
    } else {
        "operational"
    };
    move || {
        Box::pin(async move {
            client
                .patch(&path, serde_json::json!({ "status": status }))
                .await;
        })
    }
}

/// Servers on one PostgreSQL database (a throwaway one), with an org seeded through the
/// first: what the fan-out and the mixed run measure across replicas.
struct Replicas {
    database: upstate_store::testing::TestDb,
    servers: Vec<Server>,
    seeded: seed::Seeded,
}

impl Replicas {
    async fn start(binary: &std::path::Path, admin_url: &str, count: usize) -> Replicas {
        let database = tokio::task::spawn_blocking({
            let admin = admin_url.to_owned();
            move || upstate_store::testing::TestDb::postgres_at(&admin)
        })
        .await
        .expect("a PostgreSQL database");
        let mut servers = Vec::new();
        for _ in 0..count {
            servers.push(Server::start_with(binary, Some(&database.url)).await);
        }
        let seeded = seed::org(&servers[0].url(""), &database.url, "acme", 30).await;
        Replicas {
            database,
            servers,
            seeded,
        }
    }

    async fn stop(self) {
        let Replicas {
            database, servers, ..
        } = self;
        drop(servers);
        tokio::task::spawn_blocking(move || drop(database))
            .await
            .expect("drop the database");
    }
}

/// The cost of computing the summary and the 90-day uptime after a change: `rounds` times a
/// status change (which drops the org's cached answers), then one timed read of each.
async fn cold_costs(
    http: &reqwest::Client,
    base: &str,
    seeded: &seed::Seeded,
    rounds: usize,
) -> report::Cold {
    let writer = upstate_e2e::Api::at(base, &seeded.api_key);
    let mut summary = Vec::new();
    let mut uptime = Vec::new();
    for round in 0..rounds {
        let status = if round % 2 == 0 {
            "degraded_performance"
        } else {
            "operational"
        };
        writer
            .patch(
                &format!(
                    "/api/v1/orgs/{}/services/{}",
                    seeded.slug, seeded.service_ids[0]
                ),
                serde_json::json!({ "status": status }),
            )
            .await;
        for (path, sample) in [
            (
                format!("/api/v1/public/{}/summary", seeded.slug),
                &mut summary,
            ),
            (
                format!("/api/v1/public/{}/uptime?days=90", seeded.slug),
                &mut uptime,
            ),
        ] {
            let started = Instant::now();
            let answer = http
                .get(format!("{base}{path}"))
                .send()
                .await
                .expect("a public answer");
            assert!(answer.status().is_success(), "{path}: {}", answer.status());
            let _ = answer.bytes().await;
            sample.push(started.elapsed());
        }
    }
    report::Cold {
        summary: stats::Spread::of(&summary).expect("rounds > 0"),
        uptime: stats::Spread::of(&uptime).expect("rounds > 0"),
    }
}
