//! How often a client may try what costs the school (a password check, a
//! letter, a new account) and how often anyone may be sent a letter. The
//! counters live in the database (`rate_limits`), so every app process
//! behind one proxy counts together and a restart forgets nothing.
//!
//! Sign-in failures slow down their source, never the account: failures
//! from one client address are capped, and each (address typed, client)
//! pair waits ever longer between attempts. The owner of an account signs
//! in from their own device while someone else guesses from theirs.
use chrono::Utc;
use sea_orm::{ConnectionTrait, DbErr, Statement, Value};
use std::{net::IpAddr, time::Duration};

/// At most `max` counted events per `window`, per bucket.
struct Rule {
    name: &'static str,
    max: u32,
    window: Duration,
}

/// Sign-in failures (passwords and codes) from one client address.
const FAILURES_FROM_CLIENT: Rule = Rule { name: "sign-in-client", max: 30, window: Duration::from_secs(10 * 60) };
/// Sign-in failures of one address typed from one client: the wait grows.
const FAILURES_OF_PAIR: Rule = Rule { name: "sign-in-pair", max: u32::MAX, window: Duration::from_secs(15 * 60) };
/// Letters anyone may cause to be sent to one address.
const LETTERS_TO_ADDRESS: Rule = Rule { name: "letters-to", max: 3, window: Duration::from_secs(60 * 60) };
/// Letters one client may cause to be sent (a class registering from one
/// school network stays well within it).
const LETTERS_FROM_CLIENT: Rule = Rule { name: "letters-from", max: 30, window: Duration::from_secs(60 * 60) };
/// New accounts from one client address (each costs a password hash).
const REGISTRATIONS_FROM_CLIENT: Rule = Rule { name: "register-from", max: 20, window: Duration::from_secs(60 * 60) };

/// Failures of one pair before waiting begins.
const FREE_FAILURES: u32 = 3;
/// The longest wait between attempts of one pair.
const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn bucket(rule: &Rule, key: &str) -> String {
    // Keys are addresses and e-mail addresses (at most 254 characters).
    format!("{}:{}", rule.name, key.chars().take(300).collect::<String>())
}

fn window_ms(rule: &Rule) -> i64 {
    i64::try_from(rule.window.as_millis()).unwrap_or(i64::MAX)
}

/// Counts one event in `key`'s bucket and returns the count in the current
/// window, this one included. One statement: concurrent counts never get
/// lost, on SQLite or PostgreSQL.
async fn hit(db: &impl ConnectionTrait, rule: &Rule, key: &str) -> Result<u32, DbErr> {
    let now = now_ms();
    let sql = "INSERT INTO rate_limits (bucket, hits, window_started_ms, last_hit_ms) VALUES ($1, 1, $2, $2) \
               ON CONFLICT (bucket) DO UPDATE SET \
                 hits = CASE WHEN rate_limits.window_started_ms <= $3 THEN 1 ELSE rate_limits.hits + 1 END, \
                 window_started_ms = CASE WHEN rate_limits.window_started_ms <= $3 THEN $2 ELSE rate_limits.window_started_ms END, \
                 last_hit_ms = $2 \
               RETURNING hits";
    let values: Vec<Value> = vec![bucket(rule, key).into(), now.into(), (now - window_ms(rule)).into()];
    let row = db
        .query_one_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("rate_limits upsert returned nothing".into()))?;
    let hits: i32 = row.try_get("", "hits")?;
    Ok(u32::try_from(hits).unwrap_or(0))
}

/// The count in `key`'s current window and the time of its last event.
async fn peek(db: &impl ConnectionTrait, rule: &Rule, key: &str) -> Result<(u32, i64), DbErr> {
    let sql = "SELECT hits, window_started_ms, last_hit_ms FROM rate_limits WHERE bucket = $1";
    let row = db
        .query_one_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, [bucket(rule, key).into()]))
        .await?;
    let Some(row) = row else { return Ok((0, 0)) };
    let (hits, started, last): (i32, i64, i64) =
        (row.try_get("", "hits")?, row.try_get("", "window_started_ms")?, row.try_get("", "last_hit_ms")?);
    if started <= now_ms() - window_ms(rule) {
        return Ok((0, last));
    }
    Ok((u32::try_from(hits).unwrap_or(0), last))
}

async fn forget(db: &impl ConnectionTrait, rule: &Rule, key: &str) -> Result<(), DbErr> {
    let sql = "DELETE FROM rate_limits WHERE bucket = $1";
    db.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, [bucket(rule, key).into()]))
        .await?;
    Ok(())
}

/// How long a pair waits after its `failures`-th failure.
pub fn wait_after(failures: u32) -> Duration {
    if failures < FREE_FAILURES {
        return Duration::ZERO;
    }
    let doublings = (failures - FREE_FAILURES).min(20);
    Duration::from_secs(1u64 << doublings).min(LONGEST_WAIT)
}

/// Who is trying to sign in, as the limits see them: what was typed as the
/// account (an e-mail address, or the account of a code step) and from where.
pub struct SignInSource<'a> {
    pub account: &'a str,
    pub client: IpAddr,
}

impl SignInSource<'_> {
    fn pair(&self) -> String {
        format!("{}|{}", self.account, self.client)
    }

    /// Whether this source must wait before trying again.
    pub async fn must_wait(&self, db: &impl ConnectionTrait) -> Result<bool, DbErr> {
        let (from_client, _) = peek(db, &FAILURES_FROM_CLIENT, &self.client.to_string()).await?;
        if from_client >= FAILURES_FROM_CLIENT.max {
            return Ok(true);
        }
        let (failures, last) = peek(db, &FAILURES_OF_PAIR, &self.pair()).await?;
        let wait = i64::try_from(wait_after(failures).as_millis()).unwrap_or(i64::MAX);
        Ok(now_ms() < last.saturating_add(wait))
    }

    pub async fn failed(&self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        hit(db, &FAILURES_FROM_CLIENT, &self.client.to_string()).await?;
        hit(db, &FAILURES_OF_PAIR, &self.pair()).await?;
        Ok(())
    }

    /// The right password: this pair starts afresh.
    pub async fn succeeded(&self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        forget(db, &FAILURES_OF_PAIR, &self.pair()).await
    }
}

/// Counts a letter to `to` caused by `client`; false when either is over
/// its limit, and then the letter must not be sent. Counting first makes
/// concurrent requests unable to slip past the limit together.
pub async fn may_send_letter(db: &impl ConnectionTrait, to: &str, client: IpAddr) -> Result<bool, DbErr> {
    if hit(db, &LETTERS_TO_ADDRESS, to).await? > LETTERS_TO_ADDRESS.max {
        return Ok(false);
    }
    Ok(hit(db, &LETTERS_FROM_CLIENT, &client.to_string()).await? <= LETTERS_FROM_CLIENT.max)
}

/// Counts a registration attempt from `client`; false past the limit.
pub async fn may_register(db: &impl ConnectionTrait, client: IpAddr) -> Result<bool, DbErr> {
    Ok(hit(db, &REGISTRATIONS_FROM_CLIENT, &client.to_string()).await? <= REGISTRATIONS_FROM_CLIENT.max)
}

/// Removes counters nobody has touched for a day (the longest window is an
/// hour): the retention job calls it.
pub async fn forget_stale(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    let cutoff = now_ms() - 24 * 60 * 60 * 1000;
    let sql = "DELETE FROM rate_limits WHERE last_hit_ms < $1";
    let done = db.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, [cutoff.into()])).await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_grows_after_a_few_free_failures_and_is_capped() {
        assert_eq!(wait_after(0), Duration::ZERO);
        assert_eq!(wait_after(2), Duration::ZERO);
        assert_eq!(wait_after(3), Duration::from_secs(1));
        assert_eq!(wait_after(4), Duration::from_secs(2));
        assert_eq!(wait_after(8), Duration::from_secs(32));
        assert_eq!(wait_after(30), LONGEST_WAIT);
        assert_eq!(wait_after(u32::MAX), LONGEST_WAIT);
    }
}
