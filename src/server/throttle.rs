//! Failed logins per client address, in memory: a password-guessing burst
//! from one address is cut off whatever accounts it tries. (Per-account
//! lockout lives in the database and works across instances.)
use std::{collections::HashMap, net::IpAddr, sync::Mutex, time::{Duration, Instant}};

pub const WINDOW: Duration = Duration::from_secs(10 * 60);
pub const MAX_FAILURES: u32 = 30;

#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

impl LoginThrottle {
    pub fn is_blocked(&self, ip: IpAddr) -> bool {
        let map = self.failures.lock().expect("throttle lock");
        map.get(&ip).is_some_and(|(count, since)| *count >= MAX_FAILURES && since.elapsed() < WINDOW)
    }

    /// Counts a failure; returns how many the address has in the window.
    pub fn record_failure(&self, ip: IpAddr) -> u32 {
        let mut map = self.failures.lock().expect("throttle lock");
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| since.elapsed() < WINDOW);
        }
        let entry = map.entry(ip).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
        entry.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_blocked_after_too_many_failures() {
        let t = LoginThrottle::default();
        let ip: IpAddr = "10.1.2.3".parse().unwrap();
        for _ in 0..MAX_FAILURES - 1 {
            t.record_failure(ip);
        }
        assert!(!t.is_blocked(ip));
        t.record_failure(ip);
        assert!(t.is_blocked(ip));
        assert!(!t.is_blocked("10.1.2.4".parse().unwrap()));
    }
}
