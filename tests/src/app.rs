//! The application under test, served on a real socket, and a client for it.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::routing::get;
use fullauth::{
    AccessClaims, CurrentUser, DieselAdapter, FullAuth, FullAuthBuilder, FullAuthConfig,
    PublicUser, RequirePermission, RequireRole, SuperUser, VerifiedUser,
};
use reqwest::Method;
use serde_json::{Value, json};

use crate::database::{Backend, TestDatabase};
use crate::models::{RefreshToken, User};
use crate::smtp::SmtpSink;

/// The secret every test app signs with.
pub const SECRET: &str = "test-secret-key-0123456789abcdef0123456789abcdef";

/// The front end that links in the test apps' mails point at.
pub const FRONTEND_URL: &str = "https://app.example.com";

/// The sender of the test apps' mails.
pub const MAIL_FROM: &str = "Example App <no-reply@example.com>";

/// The configuration of the test apps: the defaults with a fixed secret, and without per-route rate limits (the
/// suites sign in far more often than a client would; the rate-limit tests turn them on).
pub fn test_config() -> FullAuthConfig {
    let mut config = FullAuthConfig::with_secret(SECRET).unwrap();
    config.rate_limits.enabled = false;
    config
}

/// A running application: fullauth's routers plus the routes an application adds, like the quickstart's.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub auth: FullAuth<User>,
    pub db: Arc<TestDatabase>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn profile(CurrentUser(user): CurrentUser<User>) -> Json<PublicUser<User>> {
    Json(PublicUser(user))
}

async fn dashboard(VerifiedUser(user): VerifiedUser<User>) -> Json<Value> {
    Json(json!({ "email": user.auth.email }))
}

async fn admin(SuperUser(user): SuperUser<User>) -> Json<Value> {
    Json(json!({ "admin": user.auth.email }))
}

async fn greeting(user: Option<CurrentUser<User>>) -> Json<Value> {
    Json(json!({ "user": user.map(|CurrentUser(user)| user.auth.email) }))
}

async fn whoami(claims: AccessClaims<User>) -> Json<Value> {
    Json(json!({ "sub": claims.sub, "family_id": claims.family_id }))
}

/// The claims the custom-claims tests give their users.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct TenantClaims {
    pub tenant: String,
    pub level: u32,
}

async fn tenant(claims: fullauth::CustomClaims<TenantClaims, User>) -> Json<Value> {
    Json(json!({ "tenant": claims.tenant, "level": claims.level }))
}

fullauth::roles! {
    for User;
    /// Administrators.
    pub Admin = "admin";
    /// Anyone who edits or administers.
    pub Staff = "admin" | "editor";
}

fullauth::permissions! {
    for User;
    /// May edit posts.
    pub EditPosts = "posts:edit";
}

async fn admins_only(guard: RequireRole<Admin>) -> Json<Value> {
    Json(json!({ "sub": guard.sub }))
}

async fn staff_only(guard: RequireRole<Staff>) -> Json<Value> {
    Json(json!({ "sub": guard.sub }))
}

async fn editors_only(guard: RequirePermission<EditPosts>) -> Json<Value> {
    Json(json!({ "sub": guard.sub }))
}

async fn behind_a_layer(
    axum::Extension(claims): axum::Extension<fullauth::tokens::Claims>,
) -> Json<Value> {
    Json(json!({ "sub": claims.sub }))
}

/// Serves `router` on a free loopback port, recording peer addresses; returns `http://127.0.0.1:<port>`.
pub async fn serve_router(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    format!("http://{address}")
}

/// A migrated `FullAuth` on a test database: the Diesel adapter, or the in-memory store it holds.
pub async fn fullauth_on(db: &TestDatabase, config: FullAuthConfig) -> FullAuth<User> {
    fullauth_built_on(db, config, Box::new(|builder| builder)).await
}

/// Changes a builder before `build`: to add event handlers, a mailer, shared state.
pub type Customize = Box<dyn FnOnce(FullAuthBuilder<User>) -> FullAuthBuilder<User> + Send>;

async fn fullauth_built_on(
    db: &TestDatabase,
    config: FullAuthConfig,
    customize: Customize,
) -> FullAuth<User> {
    let builder = customize(FullAuth::builder().config(config));
    let auth = if db.backend == Backend::Memory {
        builder.adapter(db.memory_store().clone()).build().unwrap()
    } else {
        let adapter = DieselAdapter::connect(&db.url)
            .await
            .unwrap()
            .user::<User>()
            .refresh_tokens::<RefreshToken>();
        builder.adapter(adapter).build().unwrap()
    };
    auth.migrate().await.unwrap();
    auth
}

impl TestApp {
    /// Starts an app on a fresh database of `backend` with the test configuration changed by `configure`;
    /// `None` when the backend is not available (and not required).
    pub async fn start(
        backend: Backend,
        configure: impl FnOnce(&mut FullAuthConfig),
    ) -> Option<TestApp> {
        let db = TestDatabase::create(backend).await?;
        Some(Self::start_on(db, configure).await)
    }

    /// Starts an app that delivers its mails to a real SMTP server of its own, with links to
    /// [`FRONTEND_URL`]; `None` when the backend or the SMTP server is not available (and not required).
    pub async fn start_with_mail(
        backend: Backend,
        configure: impl FnOnce(&mut FullAuthConfig),
    ) -> Option<(TestApp, SmtpSink)> {
        let sink = SmtpSink::start().await?;
        let url = sink.url();
        let app = Self::start(backend, |config| {
            config.mail.smtp_url = Some(fullauth::SmtpUrl(url));
            config.mail.frontend_url = Some(FRONTEND_URL.to_owned());
            config.mail.from = MAIL_FROM.to_owned();
            configure(config);
        })
        .await?;
        Some((app, sink))
    }

    /// Starts an app on a database prepared by the caller.
    pub async fn start_on(
        db: TestDatabase,
        configure: impl FnOnce(&mut FullAuthConfig),
    ) -> TestApp {
        let mut config = test_config();
        configure(&mut config);
        Self::serve(Arc::new(db), config, Box::new(|builder| builder)).await
    }

    /// Starts an app on a fresh database of `backend` whose builder `customize` changes before `build`.
    pub async fn start_customized(
        backend: Backend,
        configure: impl FnOnce(&mut FullAuthConfig),
        customize: Customize,
    ) -> Option<TestApp> {
        let db = TestDatabase::create(backend).await?;
        let mut config = test_config();
        configure(&mut config);
        Some(Self::serve(Arc::new(db), config, customize).await)
    }

    /// Another server on the same database, with the same configuration and nothing else shared: the same
    /// application after a restart, or a second instance behind a load balancer.
    pub async fn another_instance(&self) -> TestApp {
        Self::serve(
            Arc::clone(&self.db),
            self.auth.config().clone(),
            Box::new(|builder| builder),
        )
        .await
    }

    /// Another server on the same database with the configuration `config`: the same application restarted
    /// with other settings.
    pub async fn another_instance_configured(&self, config: FullAuthConfig) -> TestApp {
        Self::serve(Arc::clone(&self.db), config, Box::new(|builder| builder)).await
    }

    /// Another server on the same database and configuration whose builder `customize` changes: a second instance
    /// sharing, say, a Redis state with this one.
    pub async fn another_instance_with(&self, customize: Customize) -> TestApp {
        Self::serve(Arc::clone(&self.db), self.auth.config().clone(), customize).await
    }

    async fn serve(db: Arc<TestDatabase>, config: FullAuthConfig, customize: Customize) -> TestApp {
        let auth = fullauth_built_on(&db, config, customize).await;
        let app = axum::Router::new()
            .route("/profile", get(profile))
            .route("/dashboard", get(dashboard))
            .route("/admin", get(admin))
            .route("/greeting", get(greeting))
            .route("/whoami", get(whoami))
            .route("/tenant", get(tenant))
            .route("/guarded/admin", get(admins_only))
            .route("/guarded/staff", get(staff_only))
            .route("/guarded/edit", get(editors_only))
            .merge(
                axum::Router::new()
                    .route("/layered/admin", get(behind_a_layer))
                    .route_layer(auth.require_role(["admin"])),
            )
            .merge(
                axum::Router::new()
                    .route("/layered/edit", get(behind_a_layer))
                    .route_layer(auth.require_permission(["posts:edit", "posts:publish"])),
            )
            .merge(auth.router())
            .merge(if auth.tokens().jwks().is_some() {
                auth.jwks_router()
            } else {
                axum::Router::new()
            })
            .fallback(fullauth::not_found)
            .with_state(auth.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap();
        });
        let client = reqwest::Client::builder()
            .user_agent("fullauth-tests/1.0")
            .build()
            .unwrap();
        TestApp {
            base: format!("http://{address}"),
            client,
            auth,
            db,
            server,
        }
    }

    /// The URL of an auth route, e.g. `auth_url("/login")`.
    pub fn auth_url(&self, path: &str) -> String {
        format!(
            "{}{}{path}",
            self.base,
            self.auth.config().routes.mount_path()
        )
    }

    /// Sends a request to an auth route with an optional bearer token and JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> TestResponse {
        let mut request = self.client.request(method, self.auth_url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        TestResponse::read(request.send().await.unwrap()).await
    }

    /// Announces a JSON body of `length` bytes to an auth route, sends its first bytes, and reads the answer.
    ///
    /// A server refusing the body by its announced length answers before it arrives and closes the
    /// connection; an HTTP client library still busy writing the rest would see a reset instead of the answer.
    pub async fn send_oversized(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        length: usize,
    ) -> (u16, String) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let address = self.base.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        let path = format!("{}{path}", self.auth.config().routes.mount_path());
        let authorization = token
            .map(|token| format!("Authorization: Bearer {token}\r\n"))
            .unwrap_or_default();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
             {authorization}Content-Length: {length}\r\nConnection: close\r\n\r\n{{\"display_name\": \""
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let _ = stream.write_all(&vec![b'x'; 16 * 1024]).await;
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let status = answer
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        let body = answer
            .split_once("\r\n\r\n")
            .map(|(_, body)| body.to_owned())
            .unwrap_or_default();
        assert!(
            status < 500 && status != 0,
            "no answer or a server error: {answer}"
        );
        (status, body)
    }

    /// `POST` a JSON body to an auth route.
    pub async fn post(&self, path: &str, body: Value) -> TestResponse {
        self.call(Method::POST, path, None, Some(body)).await
    }

    /// `GET` an auth route with a token.
    pub async fn get(&self, path: &str, token: &str) -> TestResponse {
        self.call(Method::GET, path, Some(token), None).await
    }

    /// `GET` an application route (outside the auth prefix).
    pub async fn get_app(&self, path: &str, token: Option<&str>) -> TestResponse {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        TestResponse::read(request.send().await.unwrap()).await
    }

    /// Sends raw bytes to an auth route.
    pub async fn post_raw(
        &self,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> TestResponse {
        let mut request = self.client.post(self.auth_url(path)).body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        TestResponse::read(request.send().await.unwrap()).await
    }

    /// Registers a user (expects 202 or 201).
    pub async fn register(&self, email: &str, password: &str) -> TestResponse {
        let response = self
            .post("/register", json!({ "email": email, "password": password }))
            .await;
        assert!(
            matches!(response.status, 201 | 202),
            "register failed: {response:?}"
        );
        response
    }

    /// Signs in (expects 200) and returns `(access_token, refresh_token)`.
    pub async fn login(&self, email: &str, password: &str) -> (String, String) {
        let response = self
            .post("/login", json!({ "email": email, "password": password }))
            .await;
        assert_eq!(response.status, 200, "login failed: {response:?}");
        (response.str("access_token"), response.str("refresh_token"))
    }

    /// Signs in and expects the answer to wrong credentials (401), whatever the reason for the refusal.
    pub async fn assert_login_refused(&self, email: &str, password: &str) {
        self.post("/login", json!({ "email": email, "password": password }))
            .await
            .assert_unauthorized();
    }

    /// Whether `password` signs `email` in within four seconds of tries: for a server recovering from an outage.
    pub async fn signs_in_soon(&self, email: &str, password: &str) -> bool {
        for _ in 0..40 {
            let answer = self
                .post("/login", json!({ "email": email, "password": password }))
                .await;
            if answer.status == 200 {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        false
    }

    /// Registers and signs in a user.
    pub async fn signed_up(&self, email: &str, password: &str) -> (String, String) {
        self.register(email, password).await;
        self.login(email, password).await
    }

    /// Creates a superuser with `create_superuser` and signs them in.
    pub async fn superuser(&self, email: &str, password: &str) -> (String, String) {
        self.auth.create_superuser(email, password).await.unwrap();
        self.login(email, password).await
    }

    /// The id of a user, as the public JSON shows it.
    pub async fn user_id(&self, access_token: &str) -> Value {
        let me = self.get("/me", access_token).await;
        assert_eq!(me.status, 200, "{me:?}");
        me.json["id"].clone()
    }

    /// `GET` an application route and return the status.
    pub async fn app_status(&self, path: &str, token: &str) -> u16 {
        self.get_app(path, Some(token)).await.status
    }
}

/// An answer, read completely. Reading one with a 5xx status fails the test: no request may produce one.
#[derive(Debug, Clone)]
pub struct TestResponse {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
    pub json: Value,
}

impl TestResponse {
    pub async fn read(response: reqwest::Response) -> Self {
        let response = Self::read_unchecked(response).await;
        assert!(
            response.status < 500,
            "server error {}: {}",
            response.status,
            response.text
        );
        response
    }

    /// Reads an answer that may be a 5xx, for the tests that take a service away on purpose.
    pub async fn read_unchecked(response: reqwest::Response) -> Self {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        TestResponse {
            status,
            headers,
            text,
            json,
        }
    }

    /// A string field of the JSON body.
    pub fn str(&self, field: &str) -> String {
        self.json[field]
            .as_str()
            .unwrap_or_else(|| panic!("no string `{field}` in {}", self.text))
            .to_owned()
    }

    /// A header as a string.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    }

    /// Asserts the 401 every authentication failure gives.
    pub fn assert_unauthorized(&self) {
        assert_eq!(self.status, 401, "expected 401: {self:?}");
        assert_eq!(
            self.json,
            json!({"detail": "Could not validate credentials"})
        );
        assert_eq!(self.header("www-authenticate").as_deref(), Some("Bearer"));
    }

    /// Asserts a status with `{"detail": detail}`.
    pub fn assert_detail(&self, status: u16, detail: &str) {
        assert_eq!(self.status, status, "unexpected status: {self:?}");
        assert_eq!(self.json, json!({ "detail": detail }), "unexpected body");
    }
}
