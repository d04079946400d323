//! The hot reads (the user behind an access token, a user by id or by email) as the derives write them: at most
//! one row, by a query that owns its values.
//!
//! On SQLite, diesel-async's connection wrapper runs every query on a blocking thread, and to move it there it
//! renders the query's SQL text and collects its binds on each call; the statement cache is then searched by
//! that text. For a query read on every authenticated request that is a large share of the request's cost. A
//! query that owns its values can instead move to the blocking thread whole and run on the synchronous
//! connection, where its statement is found by the query's type: no SQL is rendered and no text is hashed.
//! The other backends are asynchronous already and read as before.

/// `__read_optional_row!(backend, conn, query, Row)`: runs `query` (which must own its values, `'static` and
/// `Send`) on `conn` and yields `QueryResult<Option<Row>>`, `None` when no row matched. `backend` is the name
/// [`crate::__for_each_backend`] passes.
#[macro_export]
#[doc(hidden)]
macro_rules! __read_optional_row {
    (sqlite, $conn:expr, $query:expr, $row:ty) => {{
        let query = $query;
        $conn
            .spawn_blocking(move |conn| {
                $crate::__private::diesel::OptionalExtension::optional(
                    $crate::__private::diesel::RunQueryDsl::get_result::<$row>(query, conn),
                )
            })
            .await
    }};
    ($backend:ident, $conn:expr, $query:expr, $row:ty) => {
        $crate::__private::diesel::OptionalExtension::optional(
            $crate::__private::diesel_async::RunQueryDsl::get_result::<$row>($query, $conn).await,
        )
    };
}
