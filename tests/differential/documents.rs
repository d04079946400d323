//! The OpenAPI documents: every operation fastapi-fullauth describes, fullauth describes at the same path, with
//! the same method and tags; what fullauth adds is listed in COMPATIBILITY.md.

use serde_json::Value;

use crate::servers::{NO_RATE_LIMITS, Pair};

/// fullauth's operations that fastapi-fullauth does not have (`admin-account-routes` in COMPATIBILITY.md).
const ADDED: [&str; 6] = [
    "GET /api/v1/auth/admin/roles",
    "GET /api/v1/auth/admin/users",
    "GET /api/v1/auth/admin/users/{user_id}",
    "GET /api/v1/auth/admin/users/{user_id}/roles",
    "POST /api/v1/auth/admin/users/{user_id}/activate",
    "POST /api/v1/auth/admin/users/{user_id}/deactivate",
];

/// `METHOD path` of every operation under the auth prefix, with its tags.
fn operations(document: &Value) -> Vec<(String, Value)> {
    let mut operations: Vec<(String, Value)> = document["paths"]
        .as_object()
        .expect("the document has paths")
        .iter()
        .filter(|(path, _)| path.starts_with("/api/v1/auth/"))
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("a path item")
                .iter()
                .map(move |(method, operation)| {
                    (
                        format!("{} {path}", method.to_uppercase()),
                        operation["tags"].clone(),
                    )
                })
        })
        .collect();
    operations.sort_by(|a, b| a.0.cmp(&b.0));
    operations
}

async fn document(base: &str) -> Value {
    let response = reqwest::get(format!("{base}/openapi.json"))
        .await
        .expect("the document is served");
    assert_eq!(response.status(), 200);
    response.json().await.expect("the document is JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_documents_describe_the_same_routes() {
    let settings = [
        NO_RATE_LIMITS,
        ("FULLAUTH_MFA_ENABLED", "true"),
        ("FULLAUTH_MFA_ISSUER", "Differential"),
        ("FULLAUTH_PASSKEY_ENABLED", "true"),
        ("FULLAUTH_PASSKEY_RP_ID", "localhost"),
        (
            "FULLAUTH_PASSKEY_ORIGINS",
            fullauth_tests::passkey_device::ORIGIN,
        ),
        ("FULLAUTH_ROUTER_TAGS", "Accounts,Auth"),
    ];
    let Some(pair) = Pair::start_with_provider(&settings).await else {
        return;
    };
    let python = document(&pair.python.base).await;
    let rust = document(&pair.rust.base).await;
    assert_eq!(
        python["openapi"].as_str().map(|version| &version[..3]),
        Some("3.1")
    );
    assert_eq!(rust["openapi"], "3.1.0");

    let python = operations(&python);
    let rust = operations(&rust);
    assert!(
        python.len() > 30,
        "the Python side describes its routers: {python:?}"
    );
    let mut added = Vec::new();
    for (operation, tags) in &rust {
        match python.iter().find(|(other, _)| other == operation) {
            Some((_, python_tags)) => assert_eq!(tags, python_tags, "the tags of {operation}"),
            None => added.push(operation.as_str()),
        }
    }
    let missing: Vec<&str> = python
        .iter()
        .map(|(operation, _)| operation.as_str())
        .filter(|operation| !rust.iter().any(|(other, _)| other == operation))
        .collect();
    assert!(
        missing.is_empty(),
        "fastapi-fullauth describes {missing:?}, fullauth does not"
    );
    assert_eq!(added, ADDED, "fullauth's additions are the listed ones");
}
