//! The `bli-involvert` binary: runs the site, or imports/exports content.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};
use server::Config;

#[derive(Parser)]
#[command(name = "bli-involvert", about = "Nettressursen Bli involvert", version)]
struct Cli {
    /// SQLite database file (created and migrated when missing).
    #[arg(
        long,
        env = "BLI_DATABASE",
        default_value = "data/bli-involvert.db",
        global = true
    )]
    database: PathBuf,
    /// Folder with taxonomy.toml, organisations.toml and resources/.
    #[arg(long, env = "BLI_CONTENT", default_value = "content", global = true)]
    content: PathBuf,
    /// Log filter, e.g. `info`, `debug`, `server=debug,tower_http=info`.
    #[arg(long, env = "BLI_LOG", default_value = "info", global = true)]
    log: String,
    /// Log as JSON lines instead of text.
    #[arg(long, env = "BLI_LOG_JSON", global = true)]
    log_json: bool,
    /// Address the site listens on.
    #[arg(
        long,
        env = "BLI_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    addr: SocketAddr,
    /// Folder holding the built browser assets (pkg/…).
    #[arg(
        long,
        env = "BLI_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    site_root: PathBuf,
    /// The address visitors use (for feeds and links), e.g. https://bli-involvert.no.
    #[arg(long, env = "BLI_PUBLIC_URL", global = true)]
    public_url: Option<String>,
    /// Days feedback is kept before it is deleted automatically.
    #[arg(long, env = "BLI_FEEDBACK_RETENTION_DAYS", default_value_t = app::state::DEFAULT_RETENTION_DAYS, global = true)]
    feedback_retention_days: u32,
    /// Feedback submissions (and page answers) one client may make per ten minutes.
    #[arg(long, env = "BLI_FEEDBACK_LIMIT", default_value_t = app::state::DEFAULT_SUBMISSIONS_PER_WINDOW, global = true)]
    feedback_limit: u32,
    /// Reverse proxies (addresses or CIDR networks, comma-separated) whose
    /// X-Forwarded-For / Forwarded headers give the client's address.
    #[arg(long, env = "BLI_TRUSTED_PROXIES", default_value = "", global = true)]
    trusted_proxies: String,
    /// Memory for rendered public pages, in MiB (0 turns the page cache off).
    #[arg(long, env = "BLI_PAGE_CACHE_MB", default_value_t = 64, global = true)]
    page_cache_mb: usize,
    /// Seconds a cached page is used at most (writes through the site
    /// invalidate at once; this bounds what another process writes).
    #[arg(long, env = "BLI_PAGE_CACHE_TTL", default_value_t = 60, global = true)]
    page_cache_ttl: u64,
    /// Anonymous visitor statistics: "on" (the default) or "off".
    #[arg(long, env = "BLI_STATS", default_value = "on", global = true)]
    stats: String,
    /// How often every external link is checked: "daily" (the default),
    /// "weekly", "hourly", a number with a unit (6h, 30m, 2d), or "off".
    #[arg(
        long,
        env = "BLI_LINK_CHECK_INTERVAL",
        default_value = "daily",
        global = true
    )]
    link_check_interval: String,
    /// Internal hosts the link checker may request after all, comma-separated
    /// `host` or `host:port` (e.g. intranett.example,10.0.0.5:8080). Unset:
    /// only public addresses on ports 80 and 443.
    #[arg(long, env = "BLI_LINK_CHECK_ALLOW", default_value = "", global = true)]
    link_check_allow: String,
    /// The SMTP relay for the editors' digest, e.g. smtps://user:pass@smtp.example.no
    /// or smtp://localhost:25; unset: no e-mail.
    #[arg(long, env = "BLI_SMTP_URL", global = true, hide_env_values = true)]
    smtp_url: Option<String>,
    /// How often an editor who opted in gets the digest: "weekly" (the default) or
    /// an interval like the link check's.
    #[arg(
        long,
        env = "BLI_DIGEST_INTERVAL",
        default_value = "weekly",
        global = true
    )]
    digest_interval: String,
    /// Connections open at once, over all clients; past it new ones wait.
    #[arg(long, env = "BLI_MAX_CONNECTIONS", default_value_t = server::http::listener::MAX_CONNECTIONS, global = true)]
    max_connections: usize,
    /// Connections open at once from one client address (IPv6: per /64);
    /// more are closed. The trusted proxies are exempt.
    #[arg(long, env = "BLI_MAX_CONNECTIONS_PER_CLIENT", default_value_t = server::http::listener::MAX_CONNECTIONS_PER_CLIENT, global = true)]
    max_connections_per_client: usize,
    /// Megabytes all uploaded pictures and documents may take together.
    #[arg(long, env = "BLI_MEDIA_QUOTA_MB", default_value_t = app::state::DEFAULT_MEDIA_QUOTA_MB, global = true)]
    media_quota_mb: u64,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web site (the default).
    Serve,
    /// Import the content folder into the database (create or update by slug).
    Import,
    /// Export the database's content to a folder in the same format.
    Export {
        /// Where to write; defaults to the content folder.
        #[arg(long)]
        to: Option<PathBuf>,
    },
    /// Create an account, or set a new password for an existing one. The
    /// password is read from standard input (one line), never from the
    /// command line, so it stays out of shell history and process lists.
    SetPassword {
        /// User name (case-insensitive).
        #[arg(long)]
        username: String,
        /// Name shown in the audit log; defaults to the user name.
        #[arg(long)]
        name: Option<String>,
        /// `admin` (also manages accounts and taxonomy) or `editor`.
        #[arg(long, default_value = "admin")]
        role: String,
        /// Also give the account a second factor (TOTP): `new` makes a
        /// secret and prints it with the `otpauth://` address; a base32
        /// secret (at least 16 characters) uses that one. Prints ten new
        /// recovery codes either way. Without it an existing factor is kept,
        /// and an administrator without one sets it up at first sign-in.
        #[arg(long, value_name = "new|BASE32")]
        totp_secret: Option<String>,
    },
    /// Copy the database to a new file while the site runs (a consistent
    /// snapshot, checked after writing). See README: "Backups".
    Backup {
        /// The backup file to create; it must not exist.
        #[arg(long)]
        to: PathBuf,
    },
    /// Replace the database with a checked backup. Stop the site first; the
    /// replaced database is kept as <database>.before-restore.
    Restore {
        /// The backup file to restore.
        #[arg(long)]
        from: PathBuf,
    },
    /// Check every external link of the published content now, and print
    /// what was found (the site may be running).
    CheckLinks,
    /// Benchmarks: the link checker over N synthetic resources against
    /// servers on loopback (no request leaves the machine).
    #[command(hide = true)]
    BenchLinks {
        #[arg(long, default_value_t = 10_000)]
        resources: usize,
        /// Fake hosts (loopback servers) the links are spread over.
        #[arg(long, default_value_t = 8)]
        hosts: usize,
        /// Requests under way at once, over all hosts.
        #[arg(long, default_value_t = 6)]
        concurrency: usize,
        /// Milliseconds each fake server takes to answer.
        #[arg(long, default_value_t = 2)]
        latency_ms: u64,
    },
    /// Benchmarks: add N synthetic resources to the database.
    #[command(hide = true)]
    BenchGenerate {
        #[arg(long)]
        resources: usize,
    },
    /// Benchmarks: time the catalogue query mix in-process.
    #[command(hide = true)]
    BenchQueries {
        #[arg(long, default_value_t = 50)]
        rounds: usize,
    },
    /// Benchmarks: size and time of each compression level on saved pages.
    #[command(hide = true)]
    BenchCompression {
        /// Pages (HTML files) to compress.
        files: Vec<PathBuf>,
    },
    /// Benchmarks: a 12-megapixel photo through the upload path (in a new
    /// database in a temporary folder), the bytes a phone loads, the backup.
    #[command(hide = true)]
    BenchUpload {
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// Benchmarks: time searches alone in-process, uncached and cached.
    #[command(hide = true)]
    BenchSearch {
        #[arg(long, default_value_t = 20)]
        rounds: usize,
    },
}

fn init_logging(filter: &str, json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut cli = Cli::parse();
    init_logging(&cli.log, cli.log_json);
    let result = match cli.command.take().unwrap_or(Command::Serve) {
        Command::Serve => {
            let trusted_proxies = match app::client::TrustedProxies::parse(&cli.trusted_proxies) {
                Ok(list) => list,
                Err(message) => {
                    eprintln!("error: BLI_TRUSTED_PROXIES: {message}");
                    return ExitCode::FAILURE;
                }
            };
            let background = match background(&cli) {
                Ok(background) => background,
                Err(message) => {
                    eprintln!("error: {message}");
                    return ExitCode::FAILURE;
                }
            };
            let config = Config {
                background,
                trusted_proxies,
                page_cache: app::page_cache::Limits {
                    max_bytes: cli.page_cache_mb << 20,
                    ttl: std::time::Duration::from_secs(cli.page_cache_ttl),
                },
                database: cli.database,
                addr: cli.addr,
                site_root: cli.site_root,
                content_dir: cli.content,
                public_url: cli.public_url,
                feedback_retention_days: cli.feedback_retention_days,
                feedback_limit: cli.feedback_limit,
                stats: cli.stats != "off",
                max_connections: cli.max_connections,
                max_connections_per_client: cli.max_connections_per_client,
                media_quota_mb: cli.media_quota_mb,
            };
            server::serve(config).await.map_err(|e| e.to_string())
        }
        Command::Import => import(&cli.database, &cli.content).await,
        Command::Export { to } => {
            export(&cli.database, to.as_deref().unwrap_or(&cli.content)).await
        }
        Command::SetPassword {
            username,
            name,
            role,
            totp_secret,
        } => {
            set_password(
                &cli.database,
                &username,
                name.as_deref(),
                &role,
                totp_secret.as_deref(),
            )
            .await
        }
        Command::Backup { to } => server::cli::backup::backup(&cli.database, &to)
            .await
            .map(|r| report("backup", &to, &r))
            .map_err(|e| e.to_string()),
        Command::Restore { from } => server::cli::backup::restore(&from, &cli.database)
            .await
            .map(|r| report("restored", &cli.database, &r))
            .map_err(|e| e.to_string()),
        Command::BenchGenerate { resources } => {
            bench_generate(&cli.database, &cli.content, resources).await
        }
        Command::BenchQueries { rounds } => bench_queries(&cli.database, rounds).await,
        Command::BenchCompression { files } => server::bench::compression(&files),
        Command::CheckLinks => {
            check_links(&cli.database, &public_url(&cli), link_check_allow(&cli)).await
        }
        Command::BenchLinks {
            resources,
            hosts,
            concurrency,
            latency_ms,
        } => server::bench::links::run(server::bench::links::LinkBench {
            resources,
            hosts,
            concurrency,
            latency: std::time::Duration::from_millis(latency_ms),
        })
        .await
        .map_err(|e| e.to_string()),
        Command::BenchSearch { rounds } => bench_search(&cli.database, rounds).await,
        Command::BenchUpload { rounds } => {
            let dir = std::env::temp_dir().join(format!("bli-bench-upload-{}", std::process::id()));
            let _ = std::fs::create_dir_all(&dir);
            let result = server::bench::media::run(&dir, &cli.content, rounds).await;
            let _ = std::fs::remove_dir_all(&dir);
            result
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The timers' settings, checked before anything starts.
fn background(cli: &Cli) -> Result<server::Background, String> {
    let link_check_interval = server::jobs::links::parse_interval(&cli.link_check_interval)
        .map_err(|m| format!("BLI_LINK_CHECK_INTERVAL: {m}"))?;
    let digest_interval = server::jobs::links::parse_interval(&cli.digest_interval)
        .map_err(|m| format!("BLI_DIGEST_INTERVAL: {m}"))?
        .unwrap_or(server::jobs::digest::DEFAULT_INTERVAL);
    Ok(server::Background {
        link_check_interval,
        smtp_url: cli.smtp_url.clone().filter(|u| !u.trim().is_empty()),
        digest_interval,
        link_check_allow: link_check_allow(cli),
    })
}

/// `BLI_LINK_CHECK_ALLOW` as a list.
fn link_check_allow(cli: &Cli) -> Vec<String> {
    cli.link_check_allow
        .split(',')
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .collect()
}

fn public_url(cli: &Cli) -> String {
    cli.public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", cli.addr))
}

async fn check_links(
    database: &std::path::Path,
    public_url: &str,
    allow: Vec<String>,
) -> Result<(), String> {
    let pool = server::open_database(database)
        .await
        .map_err(|e| e.to_string())?;
    let settings = app::domain::links::CheckSettings {
        allow,
        ..app::domain::links::CheckSettings::for_site(public_url)
    };
    let report = server::jobs::links::run(&pool, &settings, "cli")
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "checked {} of {} links in {:.1} s; {} broken",
        report.checked,
        report.links,
        report.elapsed.as_secs_f64(),
        report.broken
    );
    for (host, requests) in &report.requests_per_host {
        println!("  {host}: {requests} requests");
    }
    Ok(())
}

fn report(what: &str, path: &std::path::Path, r: &server::cli::backup::Report) {
    println!(
        "{what}: {} ({:.1} MB, {} resources, integrity ok) in {:.2} s",
        path.display(),
        r.bytes as f64 / 1e6,
        r.resources,
        r.elapsed.as_secs_f64()
    );
}

async fn import(database: &std::path::Path, content: &std::path::Path) -> Result<(), String> {
    let pool = server::open_database(database)
        .await
        .map_err(|e| e.to_string())?;
    let set = app::content::load_dir(content).map_err(|e| e.to_string())?;
    let report = app::content::import(&pool, &set)
        .await
        .map_err(|e| e.to_string())?;
    let files = server::media::import_content_files(&pool, content)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "imported {} facets ({} values), {} organisations; resources: {} created, {} updated, {} unchanged",
        report.facets,
        report.facet_values,
        report.organisations,
        report.resources_created,
        report.resources_updated,
        report.resources_unchanged
    );
    println!(
        "files: {} stored, {} already there, {} attached to resources",
        files.stored, files.unchanged, files.attached
    );
    Ok(())
}

async fn export(database: &std::path::Path, to: &std::path::Path) -> Result<(), String> {
    let pool = server::open_database(database)
        .await
        .map_err(|e| e.to_string())?;
    let report = app::content::export_dir(&pool, to)
        .await
        .map_err(|e| e.to_string())?;
    let files = app::content::export_files(&pool, to)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "exported {} facets, {} organisations, {} resources, {} files to {}",
        report.facets,
        report.organisations,
        report.resources,
        files,
        to.display()
    );
    Ok(())
}

async fn bench_generate(
    database: &std::path::Path,
    content: &std::path::Path,
    resources: usize,
) -> Result<(), String> {
    let pool = server::open_database(database)
        .await
        .map_err(|e| e.to_string())?;
    app::content::import_dir_if_empty(&pool, content)
        .await
        .map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    server::bench::generate(&pool, resources)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "generated {resources} resources in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn bench_search(database: &std::path::Path, rounds: usize) -> Result<(), String> {
    let pool = server::open_database(database)
        .await
        .map_err(|e| e.to_string())?;
    server::bench::run_search(&pool, rounds)
        .await
        .map_err(|e| e.to_string())
}

async fn bench_queries(database: &std::path::Path, rounds: usize) -> Result<(), String> {
    let pool = server::open_database(database)
        .await
        .map_err(|e| e.to_string())?;
    server::bench::run_queries(&pool, rounds)
        .await
        .map_err(|e| e.to_string())
}

async fn set_password(
    database: &std::path::Path,
    username: &str,
    name: Option<&str>,
    role: &str,
    totp_secret: Option<&str>,
) -> Result<(), String> {
    let role = app::domain::account::Role::parse(role).ok_or("role must be admin or editor")?;
    let secret =
        match totp_secret {
            None => None,
            Some("new") => Some(app::auth::totp::new_secret()),
            Some(text) => Some(app::auth::totp::decode_secret(text).ok_or(
                "--totp-secret must be `new` or a base32 secret of at least 16 characters",
            )?),
        };
    if username.trim().is_empty() || username.len() > 60 {
        return Err("the user name must have 1-60 characters".into());
    }
    let mut password = String::new();
    std::io::stdin()
        .read_line(&mut password)
        .map_err(|e| e.to_string())?;
    let password = password.trim_end_matches(['\r', '\n']);
    // The one password rule, the same as the accounts form's.
    let name = name.unwrap_or(username);
    if let Some(problem) = app::domain::account::check_password(password, &[username, name]) {
        return Err(format!("the password is refused: {}", problem.message));
    }
    let pool = server::open_database(database)
        .await
        .map_err(|e| e.to_string())?;
    let id = app::auth::upsert_account(&pool, username, name, password, role)
        .await
        .map_err(|e| e.to_string())?;
    println!("password set for {username} ({})", role.key());
    if let Some(secret) = secret {
        let codes = app::auth::factor::provision(&pool, id, &secret)
            .await
            .map_err(|e| e.to_string())?;
        let text = app::auth::totp::encode_secret(&secret);
        println!(
            "second factor (TOTP) set; secret {}",
            app::auth::totp::grouped(&text)
        );
        println!("{}", app::auth::totp::otpauth_uri(username, &text));
        println!("recovery codes (each works once): {}", codes.join(" "));
    }
    Ok(())
}
