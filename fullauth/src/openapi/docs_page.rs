//! Serving the document at `/openapi.json`, and a page at `/docs` that renders it.

use axum::Router;
use axum::body::Bytes;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use utoipa::openapi::OpenApi;

/// Where [`docs_router`] serves the document.
pub const OPENAPI_PATH: &str = "/openapi.json";
/// Where [`docs_router`] serves the page.
pub const DOCS_PATH: &str = "/docs";

/// `GET /openapi.json` (the document) and `GET /docs` (a page rendering it), for the root of the application.
///
/// The page loads its renderer, Scalar's API reference, from a CDN when someone opens it: nothing is downloaded
/// when the application is built, and the document itself is served by the application.
pub fn docs_router<S: Clone + Send + Sync + 'static>(document: &OpenApi) -> Router<S> {
    // Serialized once: the document does not change while the application runs.
    let json = match document.to_json() {
        Ok(json) => Bytes::from(json),
        Err(error) => {
            // The document is built from strings and numbers only; this would be a defect in utoipa.
            panic!("the OpenAPI document does not serialize: {error}")
        }
    };
    let page = docs_page(OPENAPI_PATH, &document.info.title);
    Router::new()
        .route(
            OPENAPI_PATH,
            get(move || async move {
                ([(header::CONTENT_TYPE, "application/json")], json).into_response()
            }),
        )
        .route(DOCS_PATH, get(move || async move { Html(page) }))
}

/// The HTML of a page that renders the document served at `document_url`, titled `title`.
pub fn docs_page(document_url: &str, title: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
</head>
<body>
<div id="app"></div>
<script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference@1"></script>
<script>Scalar.createApiReference('#app', {{ url: {url} }})</script>
</body>
</html>
"#,
        title = escape_html(title),
        // A JSON string inside a script element: `<` escaped so that the URL cannot close the element.
        url = serde_json::Value::String(document_url.to_owned())
            .to_string()
            .replace('<', "\\u003c"),
    )
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
