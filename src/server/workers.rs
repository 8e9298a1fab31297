//! The school's background work (letters, reminders, the closer, retention,
//! the sweep of unnamed files): each worker is a round repeated on a timer in
//! every process. A round is written so that any number of processes may run
//! it at once and each change still happens once (claims and conditional
//! updates, in each worker's own module); this is only the timer, the log and
//! the count.
use std::{fmt::Display, future::Future, time::Duration};

/// Runs `round` now and then every `period`, for as long as the server runs.
pub fn every<F, Fut, E>(worker: &'static str, period: Duration, mut round: F)
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = Result<u64, E>> + Send,
    E: Display,
{
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(period);
        loop {
            tick.tick().await;
            let result = round().await;
            super::metrics::worker_ran(worker, &result);
            match result {
                Ok(0) => {}
                Ok(done) => tracing::info!(worker, done, "worker round"),
                Err(error) => tracing::error!(worker, %error, "worker round failed"),
            }
        }
    });
}
