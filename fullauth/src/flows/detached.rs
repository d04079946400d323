//! Work that must finish even when the client hangs up.

use std::future::Future;

use crate::error::Error;

/// Runs a multi-step operation to completion even if the request that started it is dropped.
pub(crate) async fn spawn_detached<T: Send + 'static>(
    work: impl Future<Output = Result<T, Error>> + Send + 'static,
) -> Result<T, Error> {
    tokio::spawn(work).await.unwrap_or_else(|error| {
        tracing::error!(%error, "a detached authentication task failed");
        Err(Error::Task(error))
    })
}
