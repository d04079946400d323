//! The document and its page as `docs_router` serves them, and the routes answering where the document says.

use fullauth::openapi::docs_router;
use fullauth_tests::app::serve_router;

use super::{document_json, everything_on, fullauth, operations};

#[tokio::test]
async fn the_document_and_the_page_are_served() {
    let (auth, _db) = fullauth(|_| {}).await;
    let mut document = auth.openapi();
    document.info.title = "An <application>".to_owned();
    let base = serve_router(docs_router(&document)).await;

    let served = reqwest::get(format!("{base}/openapi.json")).await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "application/json");
    let served: serde_json::Value = served.json().await.unwrap();
    assert_eq!(served, serde_json::to_value(&document).unwrap());

    let page = reqwest::get(format!("{base}/docs")).await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<title>An &lt;application&gt;</title>"),
        "{html}"
    );
    assert!(html.contains(r#"url: "./openapi.json""#), "{html}");
    assert!(
        html.contains("<script src=\"https://"),
        "the renderer loads when the page is opened"
    );
}

/// Every documented operation is routed: none of them falls through to the 404 of unknown paths or to 405.
#[tokio::test]
async fn every_documented_operation_is_mounted() {
    let (auth, _db) = fullauth(everything_on).await;
    let document = document_json(&auth);
    let app: axum::Router = axum::Router::new()
        .merge(auth.router())
        .fallback(fullauth::not_found);
    let base = serve_router(app).await;
    let client = reqwest::Client::new();
    let described = operations(&document);
    assert!(
        described.len() > 40,
        "every router is described: {described:?}"
    );
    for (method, path) in described {
        let concrete = path
            .replace("{provider}", "github")
            .replace("{family_id}", "0123456789abcdef0123456789abcdef")
            .replace("{user_id}", "5f0c5a4e-8a8e-4b8a-9d4e-0c1a2b3c4d5e")
            .replace("{role_name}", "editor")
            .replace("{passkey_id}", "5f0c5a4e-8a8e-4b8a-9d4e-0c1a2b3c4d5e");
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let response = client
            .request(method.clone(), format!("{base}{concrete}"))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        assert_ne!(status, 405, "{method} {concrete} is routed");
        assert!(
            !(status == 404 && body == r#"{"detail":"Not Found"}"#),
            "{method} {concrete} is routed"
        );
        assert!(status < 500, "{method} {concrete}: {status} {body}");
    }
}

/// Every method a mounted path answers (anything but 405) is documented: the paths come from the routers'
/// sources, so a route added without its description fails here.
#[tokio::test]
async fn every_mounted_operation_is_documented() {
    let (auth, _db) = fullauth(everything_on).await;
    let described = operations(&document_json(&auth));
    let app: axum::Router = axum::Router::new().merge(auth.router());
    let base = serve_router(app).await;
    let client = reqwest::Client::new();
    let routes = mounted_paths();
    assert!(
        routes.len() > 35,
        "the routers' paths are found: {routes:?}"
    );
    for route in routes {
        let path = format!("/api/v1/auth{route}");
        let concrete = path.replace("{provider}", "github").replace(['{', '}'], "");
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let response = client
                .request(
                    reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                    format!("{base}{concrete}"),
                )
                .send()
                .await
                .unwrap();
            if response.status() == 405 {
                continue;
            }
            assert!(
                described.contains(&(method.to_owned(), path.clone())),
                "{method} {path} answers {} but is not documented",
                response.status()
            );
        }
    }
}

/// The paths the routers register, read from their sources: the literal after each `mount.path(`.
fn mounted_paths() -> Vec<String> {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../fullauth/src/routes");
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let source = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for (_, rest) in source
            .match_indices("mount.path(")
            .map(|(at, _)| source.split_at(at))
        {
            let literal = rest.split('"').nth(1).unwrap();
            paths.push(literal.to_owned());
        }
    }
    paths.sort();
    paths.dedup();
    paths
}
