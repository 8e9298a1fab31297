//! Fills a school with generated data for the benchmarks (`make
//! bench-schedule`, `make bench-people`): seeds the demo school if the
//! database is empty, then adds COURSES courses and STUDENTS students.
//! Reads the same settings as the server.
//!
//! ```text
//! cargo run --release --features ssr --example seed_load -- COURSES [STUDENTS]
//! ```
use kulisy::server::{Config, db, seed};

#[tokio::main]
async fn main() -> Result<(), String> {
    let arg = |i: usize| std::env::args().nth(i).and_then(|n| n.parse::<usize>().ok());
    let courses = arg(1).ok_or("usage: seed_load COURSES [STUDENTS]")?;
    let students = arg(2).unwrap_or(0);
    let config = Config::from_env("127.0.0.1:3000".parse().expect("address")).map_err(|e| e.to_string())?;
    let conn = db::connect(&config.database_url).await.map_err(|e| e.to_string())?;
    db::migrate(&conn).await.map_err(|e| e.to_string())?;
    seed::ensure_demo_school(&conn, config.time_zone).await.map_err(|e| e.to_string())?;
    let today = chrono::Utc::now().with_timezone(&config.time_zone).date_naive();
    seed::add_generated_courses(&conn, courses, today).await.map_err(|e| e.to_string())?;
    seed::add_generated_students(&conn, students).await.map_err(|e| e.to_string())?;
    println!("added {courses} courses and {students} students");
    Ok(())
}
