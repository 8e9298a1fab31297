//! Accepting connections. `axum::serve` gives hyper no timer, so a client
//! that opens a connection and sends half a request (or nothing at all)
//! holds it forever; a few thousand such clients hold every socket the
//! process has. Here each connection must deliver a request's headers
//! within [`HEADER_TIMEOUT`] of the server being ready to read them (at
//! the start, and between keep-alive requests), or it is closed.
//!
//! HTTP/1.1 only: browsers speak HTTP/2 to nginx, which speaks HTTP/1.1 to
//! the app; hyper's automatic version detection would wait for a silent
//! client's first bytes without any timeout.
use axum::{Router, extract::ConnectInfo};
use hyper::server::conn::http1;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
    service::TowerToHyperService,
};
use std::{future::Future, net::SocketAddr, time::Duration};
use tokio::net::TcpListener;
use tower::ServiceExt as _;

/// How long a connection may take to send a request's headers, and how
/// long an idle keep-alive connection stays open.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(20);

/// Serves `app` on `listener` until `shutdown` completes, then lets the
/// requests in flight finish (at most 30 s).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    header_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(header_timeout);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: wait, do not spin.
                Err(e) => {
                    tracing::warn!(error = %e, "accepting a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // A response written in two parts (headers, then a file) would
        // otherwise wait for the client's delayed ACK: 40 ms per request.
        let _ = stream.set_nodelay(true);
        let service = app.clone().map_request(move |req: hyper::Request<hyper::body::Incoming>| {
            let mut req = req.map(axum::body::Body::new);
            req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
            req
        });
        let connection = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended");
            }
        });
    }
    if tokio::time::timeout(Duration::from_secs(30), graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still running after 30 s at shutdown");
    }
    Ok(())
}
