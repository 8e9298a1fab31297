//! A large school for the benchmarks (`make bench`, `make bench-schedule`,
//! `make bench-people`), and the two loads `wrk` cannot make: many students
//! booking at once, each with their own session, and logins at a fixed rate.
//! Reads the same settings as the server (`DATABASE_URL`, `KULISY_DATA`).
//!
//! ```text
//! school_load seed COURSES [STUDENTS [HISTORY]]
//!     seed the demo school if the database is empty, then add COURSES
//!     courses, STUDENTS students and HISTORY enrollments of past years
//! school_load storm ADDR[,ADDR…] REQUESTS COURSES
//!     REQUESTS students, each signed in, book a seat at the same moment,
//!     spread over COURSES courses that have no bookings yet (and over the
//!     app hosts ADDR…, in turn); prints the rate and latency, and checks
//!     that each course booked what it was asked for, up to its capacity
//! school_load logins ADDR PER_SECOND SECONDS
//!     demo students sign in at a fixed rate (argon2 on every one)
//! school_load session EMAIL
//!     prints a session cookie for EMAIL (a generated student: no password)
//! school_load lesson ADDR STUDENTS ROUNDS
//!     a class of STUDENTS with passes; its teacher marks a whole lesson in
//!     one request ROUNDS times (all present, then all absent: each round
//!     writes off or returns a lesson of every pass); prints the latencies
//! school_load money-year STUDENTS TEACHERS
//!     adds a year of money: a course and a rate per teacher, every week
//!     marked, a pass invoiced and paid every month (`make bench-reports`)
//! school_load reports ADDR ROUNDS
//!     the office asks for the money reports and the payroll of the past
//!     year ROUNDS times each, as data and as pages; prints the latencies
//! ```
use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::{client::legacy::Client, rt::TokioExecutor};
use kulisy::domain::EnrollmentStatus;
use kulisy::server::{Config, auth, db, entities::*, seed};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

type HttpClient = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

#[tokio::main]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize| args.get(i).and_then(|n| n.parse::<usize>().ok());
    let config = Config::from_env("127.0.0.1:3000".parse().expect("address")).map_err(|e| e.to_string())?;
    let conn = db::connect(&config.database_url).await.map_err(|e| e.to_string())?;
    let today = chrono::Utc::now().with_timezone(&config.time_zone).date_naive();
    let usage = "usage: see the head of examples/school_load.rs";
    match args.first().map(String::as_str) {
        Some("seed") => {
            let courses = number(1).ok_or(usage)?;
            let (students, history) = (number(2).unwrap_or(0), number(3).unwrap_or(0));
            db::migrate(&conn).await.map_err(|e| e.to_string())?;
            seed::ensure_demo_school(&conn, config.time_zone).await.map_err(|e| e.to_string())?;
            seed::add_generated_courses(&conn, courses, today).await.map_err(|e| e.to_string())?;
            seed::add_generated_students(&conn, students).await.map_err(|e| e.to_string())?;
            seed::add_enrollment_history(&conn, history, today).await.map_err(|e| e.to_string())?;
            println!("added {courses} courses, {students} students and {history} past enrollments");
            Ok(())
        }
        Some("storm") => {
            let (addr, requests, courses) = (args.get(1).ok_or(usage)?, number(2).ok_or(usage)?, number(3).ok_or(usage)?);
            storm(&conn, addr, requests, courses, today).await
        }
        Some("logins") => {
            let (addr, rate, seconds) = (args.get(1).ok_or(usage)?, number(2).ok_or(usage)?, number(3).ok_or(usage)?);
            logins(addr, rate, seconds).await
        }
        Some("session") => {
            let email = args.get(1).ok_or(usage)?;
            let student = user::Entity::find()
                .filter(user::Column::Email.eq(email.as_str()))
                .one(&conn)
                .await
                .map_err(|e| e.to_string())?
                .ok_or("no such user")?;
            let token = auth::start_session(&conn, &student, true, None).await.map_err(|e| e.to_string())?;
            println!("{}={token}", auth::SESSION_COOKIE);
            Ok(())
        }
        Some("lesson") => {
            let (addr, students, rounds) = (args.get(1).ok_or(usage)?, number(2).ok_or(usage)?, number(3).ok_or(usage)?);
            lesson(&conn, addr, students, rounds, today).await
        }
        Some("money-year") => {
            let (students, teachers) = (number(1).ok_or(usage)?, number(2).ok_or(usage)?);
            println!("{}", seed::add_money_year(&conn, students, teachers, today).await.map_err(|e| e.to_string())?);
            Ok(())
        }
        Some("reports") => {
            let (addr, rounds) = (args.get(1).ok_or(usage)?, number(2).ok_or(usage)?);
            reports(&conn, addr, rounds, today).await
        }
        _ => Err(usage.into()),
    }
}

/// The office reads the past year's reports, `rounds` times each.
async fn reports(conn: &DatabaseConnection, addr: &str, rounds: usize, today: chrono::NaiveDate) -> Result<(), String> {
    let admin = user::Entity::find().filter(user::Column::Email.eq("admin@kulisy.test")).one(conn).await.map_err(|e| e.to_string())?.ok_or("no office")?;
    let cookie = format!("{}={}", auth::SESSION_COOKIE, auth::start_session(conn, &admin, true, None).await.map_err(|e| e.to_string())?);
    let period = format!("from={}&to={today}", today - chrono::Days::new(364));
    let client = client();
    for (what, path, page) in [
        ("revenue, refunds and debts (data)", "/api/payments/reports", false),
        ("payroll (data)", "/api/payments/payroll", false),
        ("«Отчёты» page", "/admin/reports", true),
        ("«Зарплата педагогов» page", "/admin/payroll", true),
    ] {
        let mut times = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let (status, took) = if page {
                get(&client, &format!("http://{addr}{path}?{period}"), &cookie).await
            } else {
                post(&client, &format!("http://{addr}{path}"), Some(&cookie), period.clone()).await
            };
            if status != 200 {
                return Err(format!("{path}: status {status}"));
            }
            times.push(took);
        }
        times.sort();
        println!("{what} over a year, {rounds} rounds: median {:.1} ms, p95 {:.1} ms", percentile(&times, 0.5), percentile(&times, 0.95));
    }
    Ok(())
}

/// Fetches a page; its status and how long the whole answer took.
async fn get(client: &HttpClient, url: &str, cookie: &str) -> (u16, Duration) {
    timed(client, http::Request::get(url).header("cookie", cookie).body(Full::new(Bytes::new())).expect("request")).await
}

/// A teacher marks a whole lesson of `students` in one request, `rounds` times.
async fn lesson(conn: &DatabaseConnection, addr: &str, students: usize, rounds: usize, today: chrono::NaiveDate) -> Result<(), String> {
    let (course_id, enrollments) = seed::add_class_with_passes(conn, students, today).await.map_err(|e| e.to_string())?;
    let teacher = course_teacher::Entity::find()
        .filter(course_teacher::Column::CourseId.eq(course_id))
        .one(conn)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no teacher")?;
    let t = teacher::Entity::find_by_id(teacher.teacher_id).one(conn).await.map_err(|e| e.to_string())?.ok_or("no teacher")?;
    let u = user::Entity::find_by_id(t.user_id).one(conn).await.map_err(|e| e.to_string())?.ok_or("no account")?;
    let cookie = format!("{}={}", auth::SESSION_COOKIE, auth::start_session(conn, &u, true, None).await.map_err(|e| e.to_string())?);
    let client = client();
    let url = format!("http://{addr}/api/teaching/attendance/session");
    let date = today - chrono::Days::new(1);
    let mut times = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let mut form = format!("date={date}");
        for id in &enrollments {
            form.push_str(&format!("&marked[]={id}"));
            if round % 2 == 0 {
                form.push_str(&format!("&attended[]={id}"));
            }
        }
        let (status, took) = post(&client, &url, Some(&cookie), form).await;
        if status != 200 {
            return Err(format!("round {round}: status {status}"));
        }
        times.push(took);
    }
    times.sort();
    println!(
        "whole lesson of {students} marked in one request, {rounds} rounds: median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        percentile(&times, 1.0)
    );
    Ok(())
}

fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).pool_max_idle_per_host(2000).build_http()
}

/// Sends one form post; returns its status and how long the answer took.
async fn post(client: &HttpClient, url: &str, cookie: Option<&str>, form: String) -> (u16, Duration) {
    let mut req = http::Request::post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json");
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    timed(client, req.body(Full::new(Bytes::from(form))).expect("request")).await
}

/// Sends a request; its answer's status (0: none) and how long the whole answer took.
async fn timed(client: &HttpClient, req: http::Request<Full<Bytes>>) -> (u16, Duration) {
    let started = Instant::now();
    let status = match client.request(req).await {
        Ok(res) => {
            let status = res.status().as_u16();
            let _ = res.into_body().collect().await;
            status
        }
        Err(_) => 0,
    };
    (status, started.elapsed())
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

/// Waits for every request started at `started` and prints the rate, the
/// latencies and the statuses of the answers.
async fn report(what: &str, started: Instant, tasks: Vec<tokio::task::JoinHandle<(u16, Duration)>>) -> Result<(), String> {
    let mut latencies = Vec::with_capacity(tasks.len());
    let mut statuses = BTreeMap::new();
    for task in tasks {
        let (status, took) = task.await.map_err(|e| e.to_string())?;
        *statuses.entry(status).or_insert(0) += 1;
        latencies.push(took);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let n = latencies.len();
    println!(
        "{what}: {n} requests in {:.2} s = {:.0} req/s; p50 {:.1} ms, p99 {:.1} ms; statuses {statuses:?}",
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
    );
    Ok(())
}

/// The first `courses` published courses that offer personal lessons, start
/// after today and hold no seats yet: each gets an equal share of the
/// `requests`, all for the whole term.
/// The values of one column of the enrollments: of all, or of those holding seats.
async fn enrollment_column(conn: &DatabaseConnection, column: enrollment::Column, holding_seats: bool) -> Result<HashSet<i32>, String> {
    let mut query = enrollment::Entity::find().select_only().column(column);
    if holding_seats {
        query = query.filter(enrollment::Column::Status.is_in(EnrollmentStatus::HOLDING_SEATS));
    }
    Ok(query.into_tuple::<i32>().all(conn).await.map_err(|e| e.to_string())?.into_iter().collect())
}

async fn storm(conn: &DatabaseConnection, addr: &str, requests: usize, courses: usize, today: chrono::NaiveDate) -> Result<(), String> {
    let err = |e: sea_orm::DbErr| e.to_string();
    let booked = enrollment_column(conn, enrollment::Column::CourseId, true).await?;
    let targets: Vec<course::Model> = course::Entity::find()
        .filter(course::Column::IsPublished.eq(true))
        .filter(course::Column::OffersPersonal.eq(true))
        .filter(course::Column::TermStart.gt(today))
        .all(conn)
        .await
        .map_err(err)?
        .into_iter()
        .filter(|c| !booked.contains(&c.id))
        .take(courses)
        .collect();
    if targets.len() < courses {
        return Err(format!("only {} courses are free to book; seed more", targets.len()));
    }
    let mut teacher_of = BTreeMap::new();
    for link in course_teacher::Entity::find().all(conn).await.map_err(err)? {
        teacher_of.entry(link.course_id).or_insert(link.teacher_id);
    }
    // Students with no booking yet: a second storm on the same school books
    // with others (a student's own rules would refuse some of the requests).
    let booking = enrollment_column(conn, enrollment::Column::StudentId, false).await?;
    let students: Vec<user::Model> = user::Entity::find()
        .filter(user::Column::Email.like("student%@example.ru"))
        .all(conn)
        .await
        .map_err(err)?
        .into_iter()
        .filter(|s| !booking.contains(&s.id))
        .take(requests)
        .collect();
    if students.len() < requests {
        return Err(format!("only {} generated students; seed more", students.len()));
    }
    // Sessions first, so that the storm measures booking alone.
    let mut forms = Vec::with_capacity(requests);
    for (i, student) in students.iter().enumerate() {
        let token = auth::start_session(conn, student, true, None).await.map_err(|e| e.to_string())?;
        let c = &targets[i % targets.len()];
        forms.push((
            format!("{}={token}", auth::SESSION_COOKIE),
            format!(
                "course_id={}&teacher_id={}&format=personal&partner_email=&period_start={}&period_end={}",
                c.id, teacher_of[&c.id], c.term_start, c.term_end
            ),
        ));
    }
    let urls: Vec<String> = addr.split(',').map(|a| format!("http://{a}/api/enrollments/enroll")).collect();
    let client = client();
    let gate = std::sync::Arc::new(tokio::sync::Barrier::new(requests + 1));
    let tasks: Vec<_> = forms
        .into_iter()
        .enumerate()
        .map(|(i, (cookie, form))| {
            let (client, url, gate) = (client.clone(), urls[i % urls.len()].clone(), gate.clone());
            tokio::spawn(async move {
                gate.wait().await;
                post(&client, &url, Some(&cookie), form).await
            })
        })
        .collect();
    gate.wait().await;
    report("enrollment storm", Instant::now(), tasks).await?;

    let ids: Vec<i32> = targets.iter().map(|c| c.id).collect();
    let held: Vec<(i32, i16)> = enrollment::Entity::find()
        .select_only()
        .column(enrollment::Column::CourseId)
        .column(enrollment::Column::Seats)
        .filter(enrollment::Column::CourseId.is_in(ids))
        .filter(enrollment::Column::Status.is_in(EnrollmentStatus::HOLDING_SEATS))
        .into_tuple()
        .all(conn)
        .await
        .map_err(err)?;
    // Each course was asked for one seat by every `targets.len()`-th student:
    // it must hold as many as it was asked for, up to its capacity.
    let asked = |i: usize| (requests + targets.len() - 1 - i) / targets.len();
    let expected: i32 = targets.iter().enumerate().map(|(i, c)| c.capacity.min(asked(i) as i32)).sum();
    let seats: i32 = held.iter().map(|(_, s)| i32::from(*s)).sum();
    let overbooked = targets.iter().filter(|c| {
        held.iter().filter(|(id, _)| *id == c.id).map(|(_, s)| i32::from(*s)).sum::<i32>() > c.capacity
    });
    let overbooked = overbooked.count();
    println!("seats booked: {seats} of the {expected} asked for and free, over {courses} courses; overbooked courses: {overbooked}");
    if seats != expected || overbooked > 0 {
        return Err("the storm did not book exactly the free seats asked for".into());
    }
    Ok(())
}

/// `rate` demo logins a second for `seconds`, started on the beat whether or
/// not the earlier ones have finished (an open-loop load).
async fn logins(addr: &str, rate: usize, seconds: usize) -> Result<(), String> {
    let url = format!("http://{addr}/api/account/login");
    let client = client();
    let students = ["anna", "dmitry", "maria", "nikita"];
    let mut beat = tokio::time::interval(Duration::from_secs(1) / rate as u32);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..rate * seconds {
        beat.tick().await;
        let form = format!("email={}%40kulisy.test&password={}", students[i % students.len()], seed::DEMO_PASSWORD);
        let (client, url) = (client.clone(), url.clone());
        tasks.push(tokio::spawn(async move { post(&client, &url, None, form).await }));
    }
    report("logins", started, tasks).await
}
