//! Cookie sessions in a real browser: headless Chromium signs in through fullauth's routes with the CSRF token,
//! cannot read the token cookies, and a forged form post from a neighbouring origin, which the browser sends with
//! the session cookies, is refused by the CSRF layer (and goes through without it).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::response::Html;
use axum::routing::{get, post};
use fullauth::CurrentUser;
use fullauth_tests::browser::Browser;
use fullauth_tests::models::User;
use fullauth_tests::{Backend, TestDatabase};
use serde_json::json;

/// An application whose `POST /action` counts the signed-in user's actions, with or without the CSRF layer.
async fn application(db: &TestDatabase, csrf: bool) -> (String, Arc<AtomicUsize>) {
    let mut config = fullauth_tests::app::test_config();
    config.cookies.transport = true;
    let auth = fullauth_tests::app::fullauth_on(db, config).await;
    let actions = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&actions);
    let mut router: axum::Router = axum::Router::new()
        .route(
            "/app.html",
            get(|| async { Html("<html><body>the application</body></html>") }),
        )
        .route(
            "/action",
            post(move |CurrentUser(_user): CurrentUser<User>| {
                let counter = Arc::clone(&counter);
                async move {
                    counter.fetch_add(1, Ordering::SeqCst);
                    "done"
                }
            }),
        )
        .merge(auth.router())
        .with_state(auth.clone());
    if csrf {
        router = router.layer(auth.csrf());
    }
    let base = fullauth_tests::app::serve_router(router).await;
    (base.replace("127.0.0.1", "localhost"), actions)
}

/// Signs up and in from the application's page with `fetch`, the CSRF token read from its cookie.
const SIGN_IN: &str = r#"
const done = arguments[arguments.length - 1];
const token = () => (document.cookie.split('; ').find((c) => c.startsWith('fullauth_csrf=')) || '=').split('=')[1];
const post = (path, body) => fetch(path, {
  method: 'POST',
  headers: {'Content-Type': 'application/json', 'X-CSRF-Token': token()},
  body: JSON.stringify(body),
});
(async () => {
  const credentials = {email: 'ada@example.com', password: 'correct horse battery'};
  const register = await post('/api/v1/auth/register', credentials);
  const login = await post('/api/v1/auth/login', credentials);
  const body = await login.json();
  const me = await fetch('/api/v1/auth/me');
  const action = await post('/action', {});
  const unprotected = await fetch('/action', {method: 'POST'});
  done({
    register: register.status, login: login.status, refresh_token: body.refresh_token,
    cookies: document.cookie, me: me.status, action: action.status, without_token: unprotected.status,
  });
})().catch((failure) => done({failure: String(failure)}));
"#;

/// From the attacker's page: a cross-origin `fetch` with credentials and a made-up token.
const FORGED_FETCH: &str = r#"
const done = arguments[arguments.length - 1];
fetch(arguments[0], {method: 'POST', credentials: 'include', headers: {'X-CSRF-Token': 'guessed'}})
  .then((answer) => done('answered ' + answer.status))
  .catch((failure) => done('blocked: ' + failure.name));
"#;

/// A page that posts a form to `target` as soon as it loads.
fn attack_page(target: &str) -> String {
    format!(
        "<html><body><form id=\"forged\" method=\"POST\" action=\"{target}\"></form>\
         <script>document.getElementById('forged').submit()</script></body></html>"
    )
}

/// Waits for the tab to land on `url` and returns the text it shows there.
async fn text_at(browser: &Browser, url: &str) -> String {
    for _ in 0..50 {
        let (current, text) = browser.page().await;
        if current == url && !text.is_empty() {
            return text;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "the browser never reached {url}: {:?}",
        browser.page().await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_session_holds_against_forged_requests() {
    let Some(db) = TestDatabase::create(Backend::Sqlite).await else {
        return;
    };
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (protected, protected_actions) = application(&db, true).await;
    let (unprotected, unprotected_actions) = application(&db, false).await;

    browser.goto(&format!("{protected}/app.html")).await;
    let signed_in = browser.run(SIGN_IN, json!([])).await;
    assert_eq!(signed_in["register"], 202, "{signed_in}");
    assert_eq!(signed_in["login"], 200, "{signed_in}");
    assert_eq!(signed_in["refresh_token"], serde_json::Value::Null);
    // Scripts see the CSRF cookie, never the tokens.
    let cookies = signed_in["cookies"].as_str().unwrap();
    assert!(cookies.contains("fullauth_csrf="), "{cookies}");
    assert!(!cookies.contains("fullauth_access"), "{cookies}");
    assert!(!cookies.contains("fullauth_refresh"), "{cookies}");
    // The browser sends the access cookie on its own; a same-origin post without the header is refused.
    assert_eq!(signed_in["me"], 200, "{signed_in}");
    assert_eq!(signed_in["action"], 200, "{signed_in}");
    assert_eq!(signed_in["without_token"], 403, "{signed_in}");
    assert_eq!(protected_actions.load(Ordering::SeqCst), 1);

    // The attacker: another origin on the same site, so the browser attaches the SameSite=Lax cookies.
    let targets = [
        format!("{protected}/action"),
        format!("{unprotected}/action"),
    ];
    let attacker: axum::Router = axum::Router::new()
        .route("/protected", get(Html(attack_page(&targets[0]))))
        .route("/unprotected", get(Html(attack_page(&targets[1]))))
        .route("/blank", get(Html("<html><body>attacker</body></html>")));
    let attacker = fullauth_tests::app::serve_router(attacker)
        .await
        .replace("127.0.0.1", "localhost");

    browser.goto(&format!("{attacker}/protected")).await;
    let refused = text_at(&browser, &targets[0]).await;
    assert!(refused.contains("CSRF origin check failed."), "{refused}");
    assert_eq!(protected_actions.load(Ordering::SeqCst), 1, "nothing done");

    browser.goto(&format!("{attacker}/blank")).await;
    let forged = browser.run(FORGED_FETCH, json!([targets[0]])).await;
    assert!(forged.as_str().unwrap().starts_with("blocked"), "{forged}");
    assert_eq!(protected_actions.load(Ordering::SeqCst), 1, "nothing done");

    // Without the layer the very same forged form goes through: the browser did send the session cookie.
    browser.goto(&format!("{attacker}/unprotected")).await;
    let done = text_at(&browser, &targets[1]).await;
    assert_eq!(done, "done");
    assert_eq!(unprotected_actions.load(Ordering::SeqCst), 1);
}

/// From a front end on another origin: sign up and in through CORS with credentials, the CSRF token read from the
/// cookie the API set (cookies belong to the host, whatever the port).
const CROSS_ORIGIN_SIGN_IN: &str = r#"
const done = arguments[arguments.length - 1];
const api = arguments[0];
const token = () => (document.cookie.split('; ').find((c) => c.startsWith('fullauth_csrf=')) || '=').split('=')[1];
const post = (path, body) => fetch(api + path, {
  method: 'POST',
  credentials: 'include',
  headers: {'Content-Type': 'application/json', 'X-CSRF-Token': token()},
  body: JSON.stringify(body),
});
(async () => {
  const first = await fetch(api + '/api/v1/auth/me', {credentials: 'include'});
  const credentials = {email: 'grace@example.com', password: 'correct horse battery'};
  const register = await post('/api/v1/auth/register', credentials);
  const login = await post('/api/v1/auth/login', credentials);
  const me = await fetch(api + '/api/v1/auth/me', {credentials: 'include'});
  const body = await me.json();
  done({first: first.status, register: register.status, login: login.status, me: me.status, email: body.email});
})().catch((failure) => done({failure: String(failure)}));
"#;

/// From a page on an origin the API does not list: read the signed-in user.
const UNLISTED_READ: &str = r#"
const done = arguments[arguments.length - 1];
fetch(arguments[0] + '/api/v1/auth/me', {credentials: 'include'})
  .then((answer) => answer.text().then((text) => done('read: ' + text)))
  .catch((failure) => done('blocked: ' + failure.name));
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_front_end_on_a_listed_origin_signs_in_through_cors() {
    let Some(db) = TestDatabase::create(Backend::Sqlite).await else {
        return;
    };
    let Some(browser) = Browser::start().await else {
        return;
    };
    let page = || {
        axum::Router::new().route(
            "/index.html",
            get(Html("<html><body>front end</body></html>")),
        )
    };
    let front_end = fullauth_tests::app::serve_router(page())
        .await
        .replace("127.0.0.1", "localhost");
    let stranger = fullauth_tests::app::serve_router(page())
        .await
        .replace("127.0.0.1", "localhost");
    let mut config = fullauth_tests::app::test_config();
    config.cookies.transport = true;
    config.cors.origins = vec![front_end.clone()];
    let auth = fullauth_tests::app::fullauth_on(&db, config).await;
    let api: axum::Router = auth.router().layer(auth.csrf()).layer(auth.cors());
    let api = fullauth_tests::app::serve_router(api)
        .await
        .replace("127.0.0.1", "localhost");

    browser.goto(&format!("{front_end}/index.html")).await;
    let signed_in = browser.run(CROSS_ORIGIN_SIGN_IN, json!([api])).await;
    assert_eq!(signed_in["first"], 401, "{signed_in}");
    assert_eq!(signed_in["register"], 202, "{signed_in}");
    assert_eq!(signed_in["login"], 200, "{signed_in}");
    assert_eq!(signed_in["me"], 200, "{signed_in}");
    assert_eq!(signed_in["email"], "grace@example.com");

    // The same browser, signed in, on a page of an origin the API does not list: its scripts read nothing.
    browser.goto(&format!("{stranger}/index.html")).await;
    let read = browser.run(UNLISTED_READ, json!([api])).await;
    assert!(read.as_str().unwrap().starts_with("blocked"), "{read}");
}
