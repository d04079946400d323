//! What the document says, for each configuration.

use fullauth::Routers;
use fullauth_tests::models::PUBLIC_USER_KEYS;
use serde_json::json;

use super::{document_json, everything_on, fullauth, operations};

#[tokio::test]
async fn the_document_is_openapi_3_1_with_every_default_router_at_the_configured_prefix() {
    let (auth, _db) = fullauth(|_| {}).await;
    let document = document_json(&auth);
    assert_eq!(document["openapi"], "3.1.0");
    let paths: Vec<_> = operations(&document)
        .into_iter()
        .map(|(method, path)| format!("{method} {path}"))
        .collect();
    let expected = [
        "DELETE /api/v1/auth/me",
        "DELETE /api/v1/auth/sessions/{family_id}",
        "GET /api/v1/auth/admin/role-permissions/{role_name}",
        "GET /api/v1/auth/admin/roles",
        "GET /api/v1/auth/admin/users",
        "GET /api/v1/auth/admin/users/{user_id}",
        "GET /api/v1/auth/admin/users/{user_id}/roles",
        "GET /api/v1/auth/me",
        "GET /api/v1/auth/me/verified",
        "GET /api/v1/auth/sessions",
        "PATCH /api/v1/auth/me",
        "POST /api/v1/auth/admin/assign-permission",
        "POST /api/v1/auth/admin/assign-role",
        "POST /api/v1/auth/admin/remove-permission",
        "POST /api/v1/auth/admin/remove-role",
        "POST /api/v1/auth/admin/users/{user_id}/activate",
        "POST /api/v1/auth/admin/users/{user_id}/deactivate",
        "POST /api/v1/auth/change-password",
        "POST /api/v1/auth/login",
        "POST /api/v1/auth/logout",
        "POST /api/v1/auth/password-reset/confirm",
        "POST /api/v1/auth/password-reset/request",
        "POST /api/v1/auth/refresh",
        "POST /api/v1/auth/register",
        "POST /api/v1/auth/sessions/revoke-others",
        "POST /api/v1/auth/verify-email/confirm",
        "POST /api/v1/auth/verify-email/request",
    ];
    assert_eq!(paths, expected);
}

#[tokio::test]
async fn optional_routers_appear_only_when_configured_and_chosen() {
    let (auth, _db) = fullauth(everything_on).await;
    let document = document_json(&auth);
    let paths: Vec<String> = operations(&document)
        .into_iter()
        .map(|(_, path)| path)
        .collect();
    for present in [
        "/api/v1/auth/oauth/{provider}/callback",
        "/api/v1/auth/passkeys/authenticate/complete",
        "/api/v1/auth/mfa/verify",
    ] {
        assert!(
            paths.iter().any(|path| path == present),
            "{present} is described"
        );
    }

    let only_auth = serde_json::to_value(auth.openapi_with([Routers::Auth])).unwrap();
    let paths: Vec<String> = operations(&only_auth)
        .into_iter()
        .map(|(_, path)| path)
        .collect();
    assert_eq!(
        paths,
        [
            "/api/v1/auth/login",
            "/api/v1/auth/logout",
            "/api/v1/auth/refresh",
            "/api/v1/auth/register"
        ]
    );

    // Routers this configuration cannot mount are left out rather than described.
    let (plain, _db) = fullauth(|_| {}).await;
    let asked = serde_json::to_value(plain.openapi_with([Routers::OAuth, Routers::Mfa])).unwrap();
    assert!(operations(&asked).is_empty());
}

#[tokio::test]
async fn prefixes_tags_login_field_and_cookies_follow_the_configuration() {
    let (auth, _db) = fullauth(|config| {
        config.routes.api_prefix = "/v2".into();
        config.routes.auth_router_prefix = "/accounts/".into();
        config.routes.router_tags = vec!["Accounts".into(), "Auth".into()];
        config.sign_in.login_field = "username".into();
        config.cookies.transport = true;
        config.cookies.host_prefix = true;
    })
    .await;
    let document = document_json(&auth);
    let login = &document["paths"]["/v2/accounts/login"]["post"];
    assert_eq!(login["tags"], json!(["Accounts", "Auth"]));
    let body = &login["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(body["required"], json!(["username", "password"]));
    assert_eq!(
        document["components"]["securitySchemes"]["cookie"],
        json!({"type": "apiKey", "in": "cookie", "name": "__Host-fullauth_access",
               "description": "The access token in the `HttpOnly` cookie a sign-in sets when cookies carry the tokens."})
    );
    let me = &document["paths"]["/v2/accounts/me"]["get"];
    assert_eq!(me["security"], json!([{"bearer": []}, {"cookie": []}]));
    assert!(
        me["responses"]["400"].is_object(),
        "a doubled cookie is answered 400"
    );

    let (bearer_only, _db) = fullauth(|_| {}).await;
    let document = document_json(&bearer_only);
    assert!(
        document["components"]["securitySchemes"]
            .get("cookie")
            .is_none()
    );
    let me = &document["paths"]["/api/v1/auth/me"]["get"];
    assert_eq!(me["security"], json!([{"bearer": []}]));
    assert!(me["responses"].get("400").is_none());
}

#[tokio::test]
async fn the_user_schema_is_the_application_model() {
    let (auth, _db) = fullauth(|_| {}).await;
    let document = document_json(&auth);
    let schemas = &document["components"]["schemas"];
    let user = &schemas["User"];
    let keys: Vec<&str> = user["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys, PUBLIC_USER_KEYS,
        "declaration order, the hidden field left out, the role names last"
    );
    let properties = &user["properties"];
    assert_eq!(
        properties["id"],
        json!({"type": "string", "format": "uuid"})
    );
    assert_eq!(
        properties["display_name"],
        json!({"type": "string", "maxLength": 100, "default": ""})
    );
    assert_eq!(properties["nickname"]["type"], json!(["string", "null"]));
    assert_eq!(properties["plan"]["readOnly"], true);
    assert_eq!(properties["age"]["format"], "int32");
    assert_eq!(properties["last_seen_at"]["format"], "date-time");
    assert_eq!(properties["rating"]["type"], json!(["number", "null"]));
    assert_eq!(
        properties["roles"],
        json!({"type": "array", "items": {"type": "string"}})
    );

    let registration = &schemas["UserRegistration"];
    assert_eq!(registration["required"], json!(["email", "password"]));
    let writable: Vec<&str> = registration["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert!(!writable.contains(&"plan") && !writable.contains(&"internal_note"));
    assert!(writable.contains(&"nickname") && writable.contains(&"referrer"));

    let update = &schemas["UserUpdate"];
    assert_eq!(update["minProperties"], 1);
    assert!(update["properties"].get("plan").is_none());
}

#[tokio::test]
async fn answers_carry_their_refusals_and_headers() {
    let (auth, _db) = fullauth(|_| {}).await;
    let document = document_json(&auth);
    let login = &document["paths"]["/api/v1/auth/login"]["post"]["responses"];
    for status in ["200", "400", "401", "413", "422", "429", "503"] {
        assert!(login[status].is_object(), "login documents {status}");
    }
    assert!(
        login.get("202").is_none(),
        "no second factor is asked for with MFA off"
    );
    let (with_mfa, _db) = fullauth(everything_on).await;
    let asking = document_json(&with_mfa);
    for (path, method) in [
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/oauth/{provider}/callback", "post"),
        ("/api/v1/auth/passkeys/authenticate/complete", "post"),
    ] {
        assert_eq!(
            asking["paths"][path][method]["responses"]["202"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/MfaRequired"}),
            "{path} may ask for the second factor"
        );
    }
    let limited = login["429"]["headers"].as_object().unwrap();
    for header in [
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
        "Retry-After",
    ] {
        assert!(limited.contains_key(header), "429 documents {header}");
    }
    assert!(login["401"]["headers"]["WWW-Authenticate"].is_object());
    assert_eq!(
        login["422"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/HTTPValidationError"})
    );
    let admin = &document["paths"]["/api/v1/auth/admin/roles"]["get"]["responses"];
    assert!(admin["403"].is_object() && admin["401"].is_object());
    assert!(
        admin.get("429").is_none(),
        "the admin routes have no rate limit"
    );
    let deleted =
        &document["paths"]["/api/v1/auth/sessions/{family_id}"]["delete"]["responses"]["204"];
    assert!(deleted.get("content").is_none(), "204 has no body");
}

#[tokio::test]
async fn the_key_set_is_described_when_there_is_one() {
    let (hmac, _db) = fullauth(|_| {}).await;
    assert!(
        hmac.jwks_openapi().is_none(),
        "HS256 has no key set to publish"
    );

    let (signing, _db) = fullauth(|config| {
        config.tokens.algorithm = fullauth::config::JwtAlgorithm::EdDSA;
        config.tokens.private_key_file = Some(
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("keys/ed25519-first.pem"),
        );
    })
    .await;
    let key_set = serde_json::to_value(signing.jwks_openapi().expect("a key set")).unwrap();
    assert_eq!(
        operations(&key_set),
        [("GET".to_owned(), "/.well-known/jwks.json".to_owned())]
    );
    let answer = &key_set["paths"]["/.well-known/jwks.json"]["get"]["responses"]["200"];
    assert_eq!(
        answer["content"]["application/json"]["schema"]["required"],
        json!(["keys"])
    );
}

#[tokio::test]
async fn a_root_mount_and_an_unbounded_password_are_described_as_served() {
    let (auth, _db) = fullauth(|config| {
        config.routes.api_prefix = "/".into();
        config.routes.auth_router_prefix = "".into();
        config.passwords.max_length = 0;
    })
    .await;
    let document = document_json(&auth);
    assert!(
        document["paths"]["/login"].is_object(),
        "{:?}",
        operations(&document)
    );
    assert!(
        operations(&document)
            .iter()
            .all(|(_, path)| !path.starts_with("//"))
    );
    let password = &document["components"]["schemas"]["UserRegistration"]["properties"]["password"];
    assert_eq!(
        password,
        &json!({"type": "string", "minLength": 8}),
        "0 means no longest password"
    );
}

#[tokio::test]
async fn the_application_s_guarded_routes_carry_their_guards_answers() {
    use fullauth::openapi::utoipa::openapi::Ref;
    use fullauth::openapi::{Guard, json_answer};

    let describe = |auth: &fullauth::FullAuth<fullauth_tests::models::User>, guard| {
        let operation = auth
            .guarded_operation(guard, "Reports")
            .response(
                "200",
                json_answer("The reports.", Ref::from_schema_name("PublicUser")),
            )
            .build();
        serde_json::to_value(operation).unwrap()
    };
    let (auth, _db) = fullauth(|_| {}).await;
    let signed_in = describe(&auth, Guard::SignedIn);
    assert_eq!(signed_in["summary"], "Reports");
    assert_eq!(signed_in["security"], json!([{"bearer": []}]));
    assert!(signed_in.get("tags").is_none() && signed_in.get("operationId").is_none());
    let statuses = |operation: &serde_json::Value| {
        let mut statuses: Vec<String> = operation["responses"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        statuses.sort();
        statuses
    };
    assert_eq!(statuses(&signed_in), ["200", "401", "503"]);
    assert_eq!(
        signed_in["responses"]["401"]["headers"]["WWW-Authenticate"]["schema"]["type"],
        "string"
    );
    assert_eq!(
        signed_in["responses"]["200"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/PublicUser"})
    );
    let restricted = describe(&auth, Guard::Restricted);
    assert_eq!(statuses(&restricted), ["200", "401", "403", "503"]);

    let (in_cookies, _db) = fullauth(|config| config.cookies.transport = true).await;
    let restricted = describe(&in_cookies, Guard::Restricted);
    assert_eq!(
        restricted["security"],
        json!([{"bearer": []}, {"cookie": []}])
    );
    assert_eq!(statuses(&restricted), ["200", "400", "401", "403", "503"]);
}
