//! Mounting: a subset of the routers, a single router nested by hand, and configured prefixes.

use fullauth::{FullAuth, Routers};
use fullauth_tests::models::User;
use fullauth_tests::{Backend, TestDatabase, TestResponse};
use serde_json::json;

crate::on_every_backend!(
    router_with_mounts_only_the_chosen_routers,
    single_routers_nest_anywhere
);

const PASSWORD: &str = "correct horse battery";

use fullauth_tests::app::serve_router as serve;

async fn fullauth(
    db: &TestDatabase,
    configure: impl FnOnce(&mut fullauth::FullAuthConfig),
) -> FullAuth<User> {
    let mut config = fullauth_tests::app::test_config();
    configure(&mut config);
    fullauth_tests::app::fullauth_on(db, config).await
}

async fn post(url: String, body: serde_json::Value) -> TestResponse {
    TestResponse::read(
        reqwest::Client::new()
            .post(url)
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn router_with_mounts_only_the_chosen_routers(backend: Backend) {
    let Some(db) = TestDatabase::create(backend).await else {
        return;
    };
    let auth = fullauth(&db, |config| config.routes.api_prefix = "/v2".into()).await;
    let app: axum::Router = axum::Router::new()
        .merge(auth.router_with([Routers::Auth]))
        .fallback(fullauth::not_found);
    let base = serve(app).await;
    let body = json!({"email": "ada@example.com", "password": PASSWORD});
    assert_eq!(
        post(format!("{base}/v2/auth/register"), body.clone())
            .await
            .status,
        202
    );
    let login = post(format!("{base}/v2/auth/login"), body).await;
    assert_eq!(login.status, 200);
    let me = reqwest::Client::new()
        .get(format!("{base}/v2/auth/me"))
        .bearer_auth(login.str("access_token"));
    TestResponse::read(me.send().await.unwrap())
        .await
        .assert_detail(404, "Not Found");
    for path in [
        "/sessions",
        "/verify-email/request",
        "/password-reset/request",
    ] {
        let absent = post(
            format!("{base}/v2/auth{path}"),
            json!({"email": "ada@example.com"}),
        )
        .await;
        assert_eq!(absent.status, 404, "{path} is not mounted");
    }
    let old_prefix = post(format!("{base}/api/v1/auth/login"), json!({})).await;
    assert_eq!(old_prefix.status, 404);
}

async fn single_routers_nest_anywhere(backend: Backend) {
    let Some(db) = TestDatabase::create(backend).await else {
        return;
    };
    let auth = fullauth(&db, |_| {}).await;
    let app: axum::Router = axum::Router::new()
        .nest("/accounts", auth.auth_router())
        .nest("/people", auth.profile_router())
        .nest("/mail", auth.verify_router())
        .nest("/devices", auth.sessions_router());
    let base = serve(app).await;
    let body = json!({"email": "ada@example.com", "password": PASSWORD});
    post(format!("{base}/accounts/register"), body.clone()).await;
    let login = post(format!("{base}/accounts/login"), body).await;
    let me = reqwest::Client::new()
        .get(format!("{base}/people/me"))
        .bearer_auth(login.str("access_token"));
    let me = TestResponse::read(me.send().await.unwrap()).await;
    assert_eq!(me.json["email"], "ada@example.com");
    let reset = post(
        format!("{base}/mail/password-reset/request"),
        json!({"email": "ada@example.com"}),
    )
    .await;
    assert_eq!(reset.status, 202);
    let sessions = reqwest::Client::new()
        .get(format!("{base}/devices/sessions"))
        .bearer_auth(login.str("access_token"));
    let sessions = TestResponse::read(sessions.send().await.unwrap()).await;
    assert_eq!(sessions.json.as_array().map(Vec::len), Some(1));
}

/// A `FullAuth` in memory, for the start-up checks below.
fn in_memory<U: fullauth::FullAuthUser>() -> FullAuth<U> {
    FullAuth::builder()
        .adapter(fullauth::store::MemoryStore::<U>::new())
        .config(fullauth_tests::app::test_config())
        .build()
        .unwrap()
}

#[tokio::test]
#[should_panic(expected = "the admin router needs roles")]
async fn the_admin_router_without_role_models_stops_at_start_up() {
    let auth = in_memory::<fullauth_tests::models::string_ids::Account>();
    let _: axum::Router = auth.router_with([Routers::Admin]);
}

#[tokio::test]
#[should_panic(expected = "a role guard needs at least one role name")]
async fn a_role_layer_without_names_stops_at_start_up() {
    let auth = in_memory::<User>();
    let _ = auth.require_role(Vec::<String>::new());
}

#[tokio::test]
#[should_panic(
    expected = "the permission name \"posts:edit \" must not start or end with whitespace"
)]
async fn a_permission_layer_with_a_bad_name_stops_at_start_up() {
    let auth = in_memory::<User>();
    let _ = auth.require_permission(["posts:read", "posts:edit "]);
}
