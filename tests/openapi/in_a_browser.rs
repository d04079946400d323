//! The `/docs` page at work in a real Chromium: the pinned renderer, served by the application itself as
//! `docs_router_with_renderer` allows, passes the page's hash check and shows the operations of the document.

use std::time::{Duration, Instant};

use axum::http::header;
use axum::routing::get;
use fullauth::openapi::docs_router_with_renderer;
use fullauth_tests::app::serve_router;
use fullauth_tests::browser::Browser;

use super::{everything_on, fullauth};

#[tokio::test]
async fn the_docs_page_renders_the_document() {
    let Some(script) = fullauth_tests::docs_renderer::standalone_script() else {
        return;
    };
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (auth, _db) = fullauth(everything_on).await;
    let mut document = auth.openapi();
    document.info.title = "Rendered in a browser".to_owned();
    let renderer = std::fs::read(script).unwrap();
    let app = docs_router_with_renderer(&document, "/assets/renderer.js").route(
        "/assets/renderer.js",
        get(move || async move { ([(header::CONTENT_TYPE, "text/javascript")], renderer) }),
    );
    let base = serve_router(app).await;
    browser.goto(&format!("{base}/docs")).await;

    // The renderer builds the page from the document after it loads: wait for the operations of every router.
    let expected = [
        "Rendered in a browser",
        "/api/v1/auth/logout",
        "/api/v1/auth/admin/users/{user_id}",
        "/api/v1/auth/passkeys/authenticate/complete",
        "/api/v1/auth/mfa/verify",
        "/api/v1/auth/oauth/{provider}/authorize",
    ];
    let deadline = Instant::now() + Duration::from_secs(30);
    let text = loop {
        let (_, text) = browser.page().await;
        if expected.iter().all(|shown| text.contains(shown)) || Instant::now() > deadline {
            break text;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    for shown in expected {
        assert!(
            text.contains(shown),
            "the page shows {shown:?}; it shows:\n{text}"
        );
    }
}
