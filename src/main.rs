//! The `kulisy` server binary.
//!
//! ```text
//! kulisy                         serve the school (migrates and seeds first)
//! kulisy migrate                 bring the database schema up to date and exit
//! kulisy create-admin --email E [--name "Имя Фамилия"]
//!                                create an administrator; the password is read
//!                                from the terminal, or from stdin when piped
//! kulisy backup DIR              snapshot the database and files into DIR (while serving)
//! kulisy restore DIR             bring a backup back into DATABASE_URL and KULISY_DATA
//! ```
use kulisy::server::{self, AppState, Config, db, seed};
use leptos::prelude::LeptosOptions;
use std::process::ExitCode;

// Rendering a page allocates and frees many small buffers from every worker
// thread; under glibc's malloc (two shared heaps, server/heap.rs) that was
// 41 % of a signed-in page's time. mimalloc keeps a heap per thread and
// returns large blocks (a password hash's 19 MiB) to the system when freed.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into());
    // KULISY_LOG_FORMAT=json: one JSON object per line, for log collectors.
    if std::env::var("KULISY_LOG_FORMAT").is_ok_and(|format| format.trim() == "json") {
        tracing_subscriber::fmt().json().with_env_filter(filter).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }

    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => serve().await,
        Some("migrate") => migrate_only().await,
        Some("create-admin") => create_admin(&args[1..]).await,
        Some("backup") => backup(args.get(1)).await,
        Some("restore") => restore(args.get(1)).await,
        Some("-h" | "--help" | "help") => {
            println!("{}", include_str!("main.rs").lines().skip(3).take(9).map(|l| l.trim_start_matches("//! ")).collect::<Vec<_>>().join("\n"));
            Ok(())
        }
        Some(other) => Err(format!("неизвестная команда «{other}»; см. kulisy --help")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kulisy: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Runtime settings of Leptos: `Leptos.toml` when present (LEPTOS_* variables
/// override it, as cargo-leptos sets them), the environment otherwise.
fn leptos_options() -> Result<LeptosOptions, String> {
    let path = std::path::Path::new("Leptos.toml");
    let conf = leptos::config::get_configuration(path.exists().then_some("Leptos.toml"))
        .map_err(|e| format!("ошибка настройки Leptos.toml: {e}"))?;
    Ok(server::app::with_built_assets(conf.leptos_options))
}

async fn open(config: &Config) -> Result<sea_orm::DatabaseConnection, String> {
    let conn = db::connect(&config.database_url)
        .await
        .map_err(|e| format!("база данных DATABASE_URL недоступна: {e}"))?;
    db::migrate(&conn).await.map_err(|e| format!("миграция схемы не удалась: {e}"))?;
    // Records from before readable addresses (or written by hand) get theirs.
    server::addresses::settle_missing(&conn).await.map_err(|e| format!("не удалось дать страницам адреса: {e}"))?;
    Ok(conn)
}

async fn serve() -> Result<(), String> {
    server::heap::limit_growth();
    let leptos = leptos_options()?;
    let addr = leptos.site_addr;
    let config = Config::from_env(addr).map_err(|e| e.to_string())?;
    let conn = open(&config).await?;
    if config.seed_demo {
        // Several processes may start at once on one database: one seeds.
        if server::db::one_at_a_time(&conn, seed::ensure_demo_school(&conn, config.time_zone))
            .await
            .map_err(|e| format!("не удалось создать демо-школу: {e}"))?
        {
            tracing::info!("seeded the demo school");
        }
        println!("{}", seed::demo_logins_text());
    }
    let transport = server::mail::Transport::from_config(&config)?;
    server::mail::spawn_worker(conn.clone(), transport, config.mail_from.clone());
    kulisy::enrollment::service::spawn_closer(conn.clone(), config.time_zone);
    kulisy::family::service::spawn_worker(conn.clone(), config.site_url.clone(), config.time_zone);
    server::reminders::spawn_worker(conn.clone(), std::sync::Arc::new(config.clone()));
    kulisy::passes::service::letters::spawn_worker(conn.clone(), config.site_url.clone(), config.time_zone);
    kulisy::payments::service::letters::spawn_worker(conn.clone(), config.site_url.clone(), config.time_zone);
    server::retention::spawn_worker(conn.clone());
    let state = AppState::new(conn, config, leptos);
    server::storage::unnamed::spawn_sweeper(state.db.clone(), state.media.clone());
    let app = server::build_router(state);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("не удалось занять адрес {addr}: {e}"))?;
    println!("«Кулисы» работают: http://{addr}");
    server::listen::serve(listener, app, server::listen::HEADER_TIMEOUT, shutdown_signal())
        .await
        .map_err(|e| format!("сервер остановился с ошибкой: {e}"))
}

/// Ctrl-C or SIGTERM: stop accepting, finish requests in flight, exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

async fn migrate_only() -> Result<(), String> {
    let leptos = leptos_options()?;
    let config = Config::from_env(leptos.site_addr).map_err(|e| e.to_string())?;
    open(&config).await?;
    println!("Схема базы данных в актуальном состоянии.");
    Ok(())
}

async fn backup(dir: Option<&String>) -> Result<(), String> {
    let dir = dir.ok_or("укажите каталог: kulisy backup /var/backups/kulisy/2026-11-30")?;
    let leptos = leptos_options()?;
    let config = Config::from_env(leptos.site_addr).map_err(|e| e.to_string())?;
    let conn = open(&config).await?;
    let summary = server::backup::backup(&config, &conn, std::path::Path::new(dir)).await?;
    println!(
        "Резервная копия в {dir}: база ({}), файлов {} ({} МБ).",
        summary.database,
        summary.files,
        summary.bytes / (1024 * 1024)
    );
    Ok(())
}

async fn restore(dir: Option<&String>) -> Result<(), String> {
    let dir = dir.ok_or("укажите каталог резервной копии: kulisy restore /var/backups/kulisy/2026-11-30")?;
    let leptos = leptos_options()?;
    let config = Config::from_env(leptos.site_addr).map_err(|e| e.to_string())?;
    let summary = server::backup::restore(&config, std::path::Path::new(dir)).await?;
    open(&config).await?; // a backup of an older release gets the newer schema
    println!("Восстановлено из {dir}: база ({}), файлов {}.", summary.database, summary.files);
    Ok(())
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(String::as_str)
}

async fn create_admin(args: &[String]) -> Result<(), String> {
    use std::io::IsTerminal;
    let email = flag(args, "--email").ok_or("укажите --email адрес@пример.рф")?;
    let name = flag(args, "--name").unwrap_or("Администратор");
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Пароль: ").map_err(|e| e.to_string())?;
        let again = rpassword::prompt_password("Пароль ещё раз: ").map_err(|e| e.to_string())?;
        if first != again {
            return Err("пароли не совпадают".into());
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map_err(|e| e.to_string())?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    let leptos = leptos_options()?;
    let config = Config::from_env(leptos.site_addr).map_err(|e| e.to_string())?;
    let conn = open(&config).await?;
    let email = kulisy::account::service::create_admin(&conn, email, name, &password)
        .await
        .map_err(|e| e.to_string())?;
    println!("Администратор {email} создан.");
    Ok(())
}
