//! The quickstart serves the OpenAPI document of what it mounts, its own routes merged in, and the page that
//! renders it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fullauth_tests::ExampleServer;
use serde_json::{Value, json};

#[tokio::test]
async fn the_document_describes_the_mounted_routes_and_the_application_s_own() {
    let server = ExampleServer::start(
        env!("CARGO_BIN_EXE_quickstart"),
        &[
            ("FULLAUTH_MFA_ISSUER", "Quickstart"),
            ("FULLAUTH_ROUTER_TAGS", "Accounts, Sign-in"),
        ],
    );
    let response = reqwest::get(format!("{}/openapi.json", server.base))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let document: Value = response.json().await.unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document["info"]["title"], "fullauth quickstart");

    let paths = document["paths"].as_object().unwrap();
    for mounted in [
        "/profile",
        "/dashboard",
        "/api/v1/auth/login",
        "/api/v1/auth/mfa/verify",
    ] {
        assert!(paths.contains_key(mounted), "{mounted} is described");
    }
    for absent in [
        "/api/v1/auth/admin/roles",
        "/api/v1/auth/passkeys",
        "/api/v1/auth/oauth/providers",
    ] {
        assert!(
            !paths.contains_key(absent),
            "{absent} is not mounted, so not described"
        );
    }
    assert_eq!(
        document["paths"]["/api/v1/auth/login"]["post"]["tags"],
        json!(["Accounts", "Sign-in"])
    );
    assert_eq!(
        document["paths"]["/profile"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/PublicUser"})
    );
    let user = &document["components"]["schemas"]["User"]["properties"];
    assert_eq!(
        user["display_name"],
        json!({"type": "string", "maxLength": 100, "default": ""})
    );
    assert_eq!(
        user["phone"],
        json!({"type": "string", "maxLength": 20, "default": ""})
    );
    assert!(
        user.get("roles").is_none(),
        "the quickstart declares no role models"
    );

    let page = reqwest::get(format!("{}/docs", server.base)).await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<title>fullauth quickstart</title>") && html.contains("/openapi.json"));
}
