//! How many pages render at the same moment. A render is CPU work from
//! start to end (the schedule's 200 cards, a few milliseconds), so more
//! renders at once than the machine has cores only share the cores more
//! finely: at 64 connections each waited for all the others, threads and
//! heaps fought over the two cores, and 64 renders' memory was held at once.
//! Past the gate, pages wait their turn in arrival order.
use super::AppState;
use axum::{extract::{Request, State}, middleware::Next, response::Response};
use tokio::sync::{Semaphore, SemaphorePermit};

pub struct RenderGate {
    turns: Semaphore,
    size: usize,
}

impl Default for RenderGate {
    /// Two renders per core: one on the CPU while the other waits for the database.
    fn default() -> Self {
        let size = 2 * std::thread::available_parallelism().map_or(2, usize::from);
        RenderGate { turns: Semaphore::new(size), size }
    }
}

impl RenderGate {
    /// How many pages may render at once.
    pub fn size(&self) -> usize {
        self.size
    }

    /// A turn to render, waited for in arrival order.
    pub async fn turn(&self) -> SemaphorePermit<'_> {
        // The semaphore is never closed.
        self.turns.acquire().await.expect("the render gate stays open")
    }
}

/// Middleware around the page routes. Server functions share their router
/// but not the gate: a sign-in waiting for its hash, or a booking for the
/// database's writer, must not hold a page's turn.
pub async fn admit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let _turn = state.renders.turn().await;
    next.run(req).await
}
