//! Fills a school with generated courses for the schedule benchmark
//! (`make bench-schedule`): seeds the demo school if the database is empty,
//! then adds N courses. Reads the same settings as the server.
//!
//! ```text
//! cargo run --release --features ssr --example seed_courses -- 194
//! ```
use kulisy::server::{Config, db, seed};

#[tokio::main]
async fn main() -> Result<(), String> {
    let n: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).ok_or("usage: seed_courses N")?;
    let config = Config::from_env("127.0.0.1:3000".parse().expect("address")).map_err(|e| e.to_string())?;
    let conn = db::connect(&config.database_url).await.map_err(|e| e.to_string())?;
    db::migrate(&conn).await.map_err(|e| e.to_string())?;
    seed::ensure_demo_school(&conn, config.time_zone).await.map_err(|e| e.to_string())?;
    let today = chrono::Utc::now().with_timezone(&config.time_zone).date_naive();
    seed::add_generated_courses(&conn, n, today).await.map_err(|e| e.to_string())?;
    println!("added {n} courses");
    Ok(())
}
