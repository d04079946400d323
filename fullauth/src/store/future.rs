//! [`StoreFuture`]: what every store operation returns.

use std::future::Future;
use std::pin::Pin;

use super::error::StoreError;

/// The future of a store operation: boxed, so that the store traits can be used behind `dyn` as they are.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;
