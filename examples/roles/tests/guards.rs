//! Who passes which guard, tested the way an application tests its routes: with `fullauth::testing`, no
//! database and no login route.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use fullauth::{FullAuth, UserMixin, testing};
use roles::{ROLE_PERMISSIONS, User};
use serde_json::{Value, json};
use tower::ServiceExt;

/// The application with its permissions given, and a signed-in user of each kind.
struct Site {
    auth: FullAuth<User>,
    app: axum::Router,
}

impl Site {
    async fn new() -> Self {
        let auth = testing::fullauth::<User>();
        for (role, permission) in ROLE_PERMISSIONS {
            auth.assign_permission(role, permission).await.unwrap();
        }
        let app = roles::app(auth.clone());
        Self { auth, app }
    }

    /// A signed-in user with these roles: their id and access token.
    async fn user(&self, email: &str, roles: &[&str]) -> (uuid::Uuid, String) {
        let user = User {
            auth: UserMixin::new(email),
        };
        let user = testing::create_user(&self.auth, user, "password123").await;
        for role in roles {
            assert!(self.auth.assign_role(&user.auth.id, role).await.unwrap());
        }
        let token = testing::sign_in(&self.auth, &user).await.access_token;
        (user.auth.id, token)
    }

    async fn get(&self, path: &str, token: &str) -> StatusCode {
        self.call(Request::get(path), token, Body::empty()).await.0
    }

    async fn call(
        &self,
        request: axum::http::request::Builder,
        token: &str,
        body: Body,
    ) -> (StatusCode, Value) {
        let request = request
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(body)
            .unwrap();
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }
}

#[tokio::test]
async fn each_guard_admits_its_roles_and_refuses_the_rest() {
    let site = Site::new().await;
    let (_, reader) = site.user("reader@example.com", &[]).await;
    let (_, editor) = site.user("editor@example.com", &["editor"]).await;
    let (_, admin) = site.user("admin@example.com", &["admin"]).await;

    let routes = ["/staff", "/posts/drafts", "/admin/reports"];
    let answers = |token| {
        let site = &site;
        async move {
            let mut statuses = Vec::new();
            for path in routes {
                statuses.push(site.get(path, token).await);
            }
            statuses
        }
    };
    let (ok, no) = (StatusCode::OK, StatusCode::FORBIDDEN);
    assert_eq!(answers(&reader).await, [no, no, no]);
    assert_eq!(answers(&editor).await, [ok, ok, no]);
    assert_eq!(answers(&admin).await, [ok, ok, ok]);
    assert_eq!(
        answers("not a token").await,
        [StatusCode::UNAUTHORIZED; 3],
        "without a valid token every guard answers 401"
    );
}

#[tokio::test]
async fn a_removed_role_stops_working_at_the_next_request() {
    let site = Site::new().await;
    let (id, editor) = site.user("editor@example.com", &["editor"]).await;
    assert_eq!(site.get("/posts/drafts", &editor).await, StatusCode::OK);
    site.auth.remove_role(&id, "editor").await.unwrap();
    assert_eq!(
        site.get("/posts/drafts", &editor).await,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_superuser_passes_every_guard_and_gives_roles_through_the_admin_router() {
    let site = Site::new().await;
    let superuser = site
        .auth
        .create_superuser("boss@example.com", "a long password")
        .await
        .unwrap();
    let boss = testing::sign_in(&site.auth, superuser.user())
        .await
        .access_token;
    for path in ["/staff", "/posts/drafts", "/admin/reports"] {
        assert_eq!(site.get(path, &boss).await, StatusCode::OK, "{path}");
    }

    let (reader_id, reader) = site.user("reader@example.com", &[]).await;
    assert_eq!(site.get("/staff", &reader).await, StatusCode::FORBIDDEN);
    let body = json!({"user_id": reader_id, "role": "editor"});
    let (status, answer) = site
        .call(
            Request::post("/api/v1/auth/admin/assign-role"),
            &boss,
            Body::from(body.to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(site.get("/staff", &reader).await, StatusCode::OK);
    // The reader is no superuser: the admin router refuses them.
    let (status, _) = site
        .call(
            Request::post("/api/v1/auth/admin/assign-role"),
            &reader,
            Body::from(body.to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_document_describes_the_guarded_routes_with_their_refusals() {
    let site = Site::new().await;
    let (status, document) = site
        .call(Request::get("/openapi.json"), "", Body::empty())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(document["info"]["title"], "fullauth roles example");
    for path in ["/staff", "/posts/drafts", "/admin/reports"] {
        let responses = &document["paths"][path]["get"]["responses"];
        for status in ["200", "401", "403", "503"] {
            assert!(responses[status].is_object(), "{path} answers {status}");
        }
    }
    assert!(document["paths"]["/api/v1/auth/admin/roles"].is_object());
}
