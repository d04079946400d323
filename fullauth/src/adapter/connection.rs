//! Pooled connections of whichever backend is in use, and write transactions on them.

use diesel_async::pooled_connection::deadpool::{Object, Pool};

use crate::store::StoreError;

use super::error::pool_error;

pub(crate) async fn checkout<C>(pool: &Pool<C>) -> Result<Object<C>, StoreError>
where
    C: diesel_async::pooled_connection::PoolableConnection + Send + 'static,
    diesel_async::pooled_connection::AsyncDieselConnectionManager<C>:
        deadpool::managed::Manager<Type = C, Error = diesel_async::pooled_connection::PoolError>,
{
    pool.get().await.map_err(pool_error)
}

/// Runs `$body` with `$conn` bound (`$pools` is a `&Pools`) to a pooled connection of whichever backend is in use.
macro_rules! with_connection {
    ($pools:expr, |$conn:ident| $body:expr) => {
        match $pools {
            #[cfg(feature = "sqlite")]
            $crate::adapter::backend::Pools::Sqlite(pool, _) => {
                let mut object = $crate::adapter::connection::checkout(pool).await?;
                let $conn = &mut *object;
                $body
            }
            #[cfg(feature = "postgres")]
            $crate::adapter::backend::Pools::Postgres(pool) => {
                let mut object = $crate::adapter::connection::checkout(pool).await?;
                let $conn = &mut *object;
                $body
            }
            #[cfg(feature = "mysql")]
            $crate::adapter::backend::Pools::Mysql(pool) => {
                let mut object = $crate::adapter::connection::checkout(pool).await?;
                let $conn = &mut *object;
                $body
            }
        }
    };
}

/// Runs `$body` in a write transaction: `BEGIN IMMEDIATE` on SQLite, the default isolation elsewhere.
/// `$body` is an expression of type `Result<T, diesel::result::Error>`; an error rolls everything back.
macro_rules! in_transaction {
    ($pools:expr, |$conn:ident| $body:expr) => {
        match $pools {
            #[cfg(feature = "sqlite")]
            $crate::adapter::backend::Pools::Sqlite(pool, writers) => {
                // Queue behind this process's other writers before taking a connection (see `SqliteWriters`).
                let _turn = writers.turn().await;
                let mut object = $crate::adapter::connection::checkout(pool).await?;
                object
                    .immediate_transaction(async |$conn| $body)
                    .await
                    .map_err($crate::adapter::error::store_error)
            }
            #[cfg(feature = "postgres")]
            $crate::adapter::backend::Pools::Postgres(pool) => {
                let mut object = $crate::adapter::connection::checkout(pool).await?;
                diesel_async::AsyncConnection::transaction(&mut *object, async |$conn| $body)
                    .await
                    .map_err($crate::adapter::error::store_error)
            }
            #[cfg(feature = "mysql")]
            $crate::adapter::backend::Pools::Mysql(pool) => {
                let mut object = $crate::adapter::connection::checkout(pool).await?;
                diesel_async::AsyncConnection::transaction(&mut *object, async |$conn| $body)
                    .await
                    .map_err($crate::adapter::error::store_error)
            }
        }
    };
}
