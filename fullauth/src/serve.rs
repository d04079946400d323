//! [`serve`]: running an application the way fullauth needs it served.

use std::net::SocketAddr;

/// Serves `app` on `address` until Ctrl-C (or SIGTERM, where there is one), letting requests in flight finish.
///
/// fullauth's rate limits and sessions read each client's address from its connection; this serves the router
/// with that information (`into_make_service_with_connect_info`), which `axum::serve(listener, app)` alone does
/// not. The address it listens on is logged (`fullauth::serve`, info level), the port included when `address`
/// asks for any free one (`127.0.0.1:0`).
///
/// ```no_run
/// # async fn run(app: axum::Router) -> std::io::Result<()> {
/// fullauth::serve("127.0.0.1:8000", app).await
/// # }
/// ```
pub async fn serve(
    address: impl tokio::net::ToSocketAddrs,
    app: axum::Router,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(address).await?;
    let local = listener.local_addr()?;
    tracing::info!(target: "fullauth::serve", "listening on http://{local}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

/// Ctrl-C, or SIGTERM where there is one (containers, process managers).
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
