//! Cookie tossing: a neighbouring subdomain can plant a cookie of fullauth's name that the browser sends beside
//! (or before) the real one. Such a request is refused, never answered with whichever cookie came first, and the
//! answer clears fullauth's cookies at every path they may have been kept.

use fullauth_tests::cookies::{attributes, value};
use fullauth_tests::{Backend, TestApp, TestResponse};
use reqwest::Method;
use serde_json::json;

use crate::run_with;

const PASSWORD: &str = "correct horse battery";

crate::on_every_backend!(a_cookie_sent_twice_is_refused_and_cleared);

async fn send(app: &TestApp, method: Method, path: &str, cookies: &str) -> TestResponse {
    let request = app
        .client
        .request(method, app.auth_url(path))
        .header("cookie", cookies);
    TestResponse::read(request.send().await.unwrap()).await
}

/// Signs up and in with cookie transport: the two cookies, as `name=value`.
async fn sign_in(app: &TestApp, email: &str) -> (String, String) {
    app.register(email, PASSWORD).await;
    let login = app
        .post("/login", json!({"email": email, "password": PASSWORD}))
        .await;
    let cookie = |name: &str| {
        let line = fullauth_tests::cookies::set_cookie(&login.headers, name).unwrap();
        format!("{name}={}", value(&line))
    };
    (cookie("fullauth_access"), cookie("fullauth_refresh"))
}

fn clearing_lines(answer: &TestResponse) -> Vec<String> {
    answer
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|line| line.to_str().unwrap().to_owned())
        .filter(|line| value(line).is_empty() && attributes(line).contains(&"Max-Age=0".to_owned()))
        .collect()
}

async fn a_cookie_sent_twice_is_refused_and_cleared(backend: Backend) {
    let transport = |config: &mut fullauth::FullAuthConfig| config.cookies.transport = true;
    run_with(backend, transport, |app| async move {
        let (access, refresh) = sign_in(&app, "ada@example.com").await;
        // The attacker's own session, planted first on a sibling subdomain.
        let (planted_access, planted_refresh) = sign_in(&app, "mallory@example.com").await;

        for (method, path, cookies, name) in [
            (Method::GET, "/me", format!("{planted_access}; {access}"), "fullauth_access"),
            (Method::GET, "/me", format!("{access}; {access}"), "fullauth_access"),
            (
                Method::POST,
                "/refresh",
                format!("{planted_refresh}; {refresh}"),
                "fullauth_refresh",
            ),
            (
                Method::POST,
                "/logout",
                format!("{access}; {planted_refresh}; {refresh}"),
                "fullauth_refresh",
            ),
        ] {
            let answer = send(&app, method, path, &cookies).await;
            answer.assert_detail(
                400,
                &format!(
                    "Conflicting cookies: {name} was sent more than once. fullauth's cookies have been cleared; \
                     sign in again."
                ),
            );
            let cleared = clearing_lines(&answer);
            for (name, path) in [
                ("fullauth_access", "/"),
                ("fullauth_refresh", "/"),
                ("fullauth_refresh", "/api/v1/auth"),
            ] {
                assert!(
                    cleared.iter().any(|line| line.starts_with(&format!("{name}="))
                        && attributes(line).contains(&format!("Path={path}"))),
                    "{name} at {path} in {cleared:#?}"
                );
            }
        }
        // Nothing was refreshed or ended by the refused requests: the real cookies still work alone.
        assert_eq!(send(&app, Method::GET, "/me", &access).await.json["email"], "ada@example.com");
        assert_eq!(send(&app, Method::POST, "/refresh", &refresh).await.status, 200);
    })
    .await;
}
