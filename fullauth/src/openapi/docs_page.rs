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

/// The version of the page's renderer: the file `dist/browser/standalone.js` of the npm package
/// `@scalar/api-reference` at this version. The page checks that file by its hash wherever it is loaded from.
pub const RENDERER_VERSION: &str = "1.76.4";

/// Where the page loads its renderer by default: that file, from the npm registry through the jsDelivr CDN.
pub const RENDERER_CDN_URL: &str =
    "https://cdn.jsdelivr.net/npm/@scalar/api-reference@1.76.4/dist/browser/standalone.js";
/// The hash of that file, so that the browser runs nothing else.
const RENDERER_INTEGRITY: &str =
    "sha384-hwB9WroDTpZaI38gr+u9CXA6ksz5gUYgD2GxXazKl/agT1L2GWUiRFWGJYNiFu4Q";

/// `GET /openapi.json` (the document) and `GET /docs` (a page rendering it), at the root of the router it is
/// merged into (nest it to serve both elsewhere: the page finds the document beside itself).
///
/// The page loads its renderer, Scalar's API reference, from a CDN when someone opens it (pinned to one version
/// and checked by its hash): nothing is downloaded when the application is built, and the document itself is
/// served by the application. The renderer runs on the application's origin; serve `/docs` from another
/// origin, serve the renderer yourself ([`docs_router_with_renderer`]), or leave the page out, if no third-party
/// script may run there.
///
/// # Panics
///
/// When the document does not serialize to JSON, which a document of utoipa's types always does.
pub fn docs_router<S: Clone + Send + Sync + 'static>(document: &OpenApi) -> Router<S> {
    docs_router_with_renderer(document, RENDERER_CDN_URL)
}

/// Like [`docs_router`], with the page loading its renderer from `renderer_url`: a copy the application serves
/// itself (say `/assets/scalar.js`, the file `package/dist/browser/standalone.js` of
/// `npm pack @scalar/api-reference@<RENDERER_VERSION>`), so that no script comes from another origin. The page
/// still checks the file by its hash: it must be that version's file, byte for byte.
///
/// # Panics
///
/// When the document does not serialize to JSON, which a document of utoipa's types always does.
pub fn docs_router_with_renderer<S: Clone + Send + Sync + 'static>(
    document: &OpenApi,
    renderer_url: &str,
) -> Router<S> {
    // Serialized once: the document does not change while the application runs.
    let json = match document.to_json() {
        Ok(json) => Bytes::from(json),
        Err(error) => {
            // The document is built from strings and numbers only; this would be a defect in utoipa.
            panic!("the OpenAPI document does not serialize: {error}")
        }
    };
    let page = docs_page_with_renderer(
        &format!(".{OPENAPI_PATH}"),
        &document.info.title,
        renderer_url,
    );
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
    docs_page_with_renderer(document_url, title, RENDERER_CDN_URL)
}

/// Like [`docs_page`], loading the renderer from `renderer_url` (see [`docs_router_with_renderer`]).
pub fn docs_page_with_renderer(document_url: &str, title: &str, renderer_url: &str) -> String {
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
<script src="{renderer}" integrity="{integrity}" crossorigin="anonymous"></script>
<script>Scalar.createApiReference('#app', {{ url: {url} }})</script>
</body>
</html>
"#,
        title = escape_html(title),
        renderer = escape_html(renderer_url),
        integrity = RENDERER_INTEGRITY,
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

#[cfg(test)]
mod tests {
    use super::{RENDERER_VERSION, docs_page, docs_page_with_renderer};

    #[test]
    fn neither_the_title_nor_the_url_can_leave_their_place() {
        let page = docs_page("/x</script><script>alert(1)</script>", "<b>\"T\"</b>");
        assert!(
            page.contains("<title>&lt;b&gt;&quot;T&quot;&lt;/b&gt;</title>"),
            "{page}"
        );
        assert!(
            page.contains(r#"url: "/x\u003c/script>\u003cscript>alert(1)\u003c/script>""#),
            "{page}"
        );
        assert_eq!(
            page.matches("</script>").count(),
            2,
            "only the page's own two script elements close"
        );
    }

    #[test]
    fn the_renderer_is_pinned_and_checked() {
        let page = docs_page("./openapi.json", "T");
        assert!(
            page.contains(&format!("@scalar/api-reference@{RENDERER_VERSION}/")),
            "{page}"
        );
        assert!(
            page.contains(r#"integrity="sha384-"#) && page.contains(r#"crossorigin="anonymous""#)
        );
        let own = docs_page_with_renderer("./openapi.json", "T", "/assets/\"scalar\".js");
        assert!(
            own.contains(r#"<script src="/assets/&quot;scalar&quot;.js" integrity="sha384-"#),
            "{own}"
        );
    }
}
