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
    /// Anonymous visitor statistics: "on" (the default) or "off".
    #[arg(long, env = "BLI_STATS", default_value = "on", global = true)]
    stats: String,
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
    let cli = Cli::parse();
    init_logging(&cli.log, cli.log_json);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let trusted_proxies = match app::client::TrustedProxies::parse(&cli.trusted_proxies) {
                Ok(list) => list,
                Err(message) => {
                    eprintln!("error: BLI_TRUSTED_PROXIES: {message}");
                    return ExitCode::FAILURE;
                }
            };
            let config = Config {
                trusted_proxies,
                database: cli.database,
                addr: cli.addr,
                site_root: cli.site_root,
                content_dir: cli.content,
                public_url: cli.public_url,
                feedback_retention_days: cli.feedback_retention_days,
                feedback_limit: cli.feedback_limit,
                stats: cli.stats != "off",
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
        } => set_password(&cli.database, &username, name.as_deref(), &role).await,
        Command::Backup { to } => server::backup::backup(&cli.database, &to)
            .await
            .map(|r| report("backup", &to, &r))
            .map_err(|e| e.to_string()),
        Command::Restore { from } => server::backup::restore(&from, &cli.database)
            .await
            .map(|r| report("restored", &cli.database, &r))
            .map_err(|e| e.to_string()),
        Command::BenchGenerate { resources } => {
            bench_generate(&cli.database, &cli.content, resources).await
        }
        Command::BenchQueries { rounds } => bench_queries(&cli.database, rounds).await,
        Command::BenchSearch { rounds } => bench_search(&cli.database, rounds).await,
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

fn report(what: &str, path: &std::path::Path, r: &server::backup::Report) {
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
    println!(
        "imported {} facets ({} values), {} organisations; resources: {} created, {} updated, {} unchanged",
        report.facets,
        report.facet_values,
        report.organisations,
        report.resources_created,
        report.resources_updated,
        report.resources_unchanged
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
    println!(
        "exported {} facets, {} organisations, {} resources to {}",
        report.facets,
        report.organisations,
        report.resources,
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
) -> Result<(), String> {
    let role = app::auth::Role::parse(role).ok_or("role must be admin or editor")?;
    if username.trim().is_empty() || username.len() > 60 {
        return Err("the user name must have 1-60 characters".into());
    }
    let mut password = String::new();
    std::io::stdin()
        .read_line(&mut password)
        .map_err(|e| e.to_string())?;
    let password = password.trim_end_matches(['\r', '\n']);
    if password.chars().count() < 12 {
        return Err("the password must have at least 12 characters".into());
    }
    let pool = server::open_database(database)
        .await
        .map_err(|e| e.to_string())?;
    app::auth::upsert_account(&pool, username, name.unwrap_or(username), password, role)
        .await
        .map_err(|e| e.to_string())?;
    println!("password set for {username} ({})", role.key());
    Ok(())
}
