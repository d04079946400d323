//! `GET /sessions`, `DELETE /sessions/{family_id}`, `POST /sessions/revoke-others`.

use fullauth_tests::{Backend, TestApp, TestResponse};
use reqwest::Method;
use serde_json::{Value, json};

use crate::{run, run_with};

const PASSWORD: &str = "correct horse battery";

crate::on_every_backend!(
    two_sign_ins_are_two_sessions,
    ending_a_session_ends_its_tokens_at_once,
    another_users_session_is_not_found,
    ending_the_other_sessions_counts_sessions,
    a_refresh_moves_a_session_to_the_top,
    session_routes_need_a_valid_access_token,
    ending_sessions_wins_over_refreshes_in_flight,
    a_session_records_the_address_a_trusted_proxy_saw,
);

/// Signs in with a `User-Agent` of its own; returns `(access, refresh, family_id)`.
async fn sign_in_from(app: &TestApp, email: &str, agent: &str) -> (String, String, String) {
    let request = app
        .client
        .post(app.auth_url("/login"))
        .header("user-agent", agent)
        .json(&json!({"email": email, "password": PASSWORD}));
    let response = TestResponse::read(request.send().await.unwrap()).await;
    assert_eq!(response.status, 200, "{response:?}");
    let access = response.str("access_token");
    let family = family_of(&access);
    (access, response.str("refresh_token"), family)
}

fn family_of(token: &str) -> String {
    fullauth_tests::tokens::payload(token)["family_id"]
        .as_str()
        .expect("a session id in the token")
        .to_owned()
}

async fn sessions(app: &TestApp, access: &str) -> Vec<Value> {
    let response = app.get("/sessions", access).await;
    assert_eq!(response.status, 200, "{response:?}");
    response.json.as_array().unwrap().clone()
}

fn families(sessions: &[Value]) -> Vec<String> {
    sessions
        .iter()
        .map(|session| session["family_id"].as_str().unwrap().to_owned())
        .collect()
}

fn timestamp(value: &Value) -> time::OffsetDateTime {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("not a timestamp: {value}"));
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap()
}

async fn end_session(app: &TestApp, access: &str, family: &str) -> TestResponse {
    app.call(
        Method::DELETE,
        &format!("/sessions/{family}"),
        Some(access),
        None,
    )
    .await
}

async fn two_sign_ins_are_two_sessions(backend: Backend) {
    run(backend, |app| async move {
        app.register("ada@example.com", PASSWORD).await;
        let (laptop, _, laptop_family) = sign_in_from(&app, "ada@example.com", "Laptop/1.0").await;
        let (_, _, phone_family) = sign_in_from(&app, "ada@example.com", "Phone/2.0").await;
        app.register("bob@example.com", PASSWORD).await;
        sign_in_from(&app, "bob@example.com", "Bob/1.0").await;

        let listed = sessions(&app, &laptop).await;
        assert_eq!(
            families(&listed),
            [phone_family.clone(), laptop_family.clone()]
        );
        let (phone, laptop_session) = (&listed[0], &listed[1]);
        assert_eq!(phone["user_agent"], "Phone/2.0");
        assert_eq!(laptop_session["user_agent"], "Laptop/1.0");
        assert_eq!(
            (phone["current"].clone(), laptop_session["current"].clone()),
            (json!(false), json!(true))
        );
        for session in &listed {
            let keys: Vec<&str> = session
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(
                keys,
                [
                    "family_id",
                    "ip_address",
                    "user_agent",
                    "created_at",
                    "last_used_at",
                    "expires_at",
                    "current"
                ]
            );
            assert_eq!(session["ip_address"], "127.0.0.1");
            let created = timestamp(&session["created_at"]);
            assert_eq!(created, timestamp(&session["last_used_at"]));
            let lifetime = timestamp(&session["expires_at"]) - created;
            assert!(
                (lifetime - time::Duration::days(30)).abs() < time::Duration::seconds(5),
                "{lifetime}"
            );
        }
    })
    .await;
}

async fn ending_a_session_ends_its_tokens_at_once(backend: Backend) {
    run(backend, |app| async move {
        app.register("ada@example.com", PASSWORD).await;
        let (laptop, laptop_refresh, laptop_family) =
            sign_in_from(&app, "ada@example.com", "Laptop/1.0").await;
        let (phone, phone_refresh, phone_family) =
            sign_in_from(&app, "ada@example.com", "Phone/2.0").await;

        let ended = end_session(&app, &laptop, &phone_family).await;
        assert_eq!(ended.status, 204, "{ended:?}");
        assert!(ended.text.is_empty());
        app.get("/me", &phone).await.assert_unauthorized();
        app.get_app("/whoami", Some(&phone))
            .await
            .assert_unauthorized();
        app.post("/refresh", json!({ "refresh_token": phone_refresh }))
            .await
            .assert_unauthorized();

        assert_eq!(app.get("/me", &laptop).await.status, 200);
        assert_eq!(
            families(&sessions(&app, &laptop).await),
            [laptop_family.as_str()]
        );
        let again = end_session(&app, &laptop, &phone_family).await;
        assert_eq!(
            again.status, 204,
            "ending an ended session of one's own is fine"
        );

        // Ending one's own current session signs out.
        assert_eq!(end_session(&app, &laptop, &laptop_family).await.status, 204);
        app.get("/me", &laptop).await.assert_unauthorized();
        app.post("/refresh", json!({ "refresh_token": laptop_refresh }))
            .await
            .assert_unauthorized();
    })
    .await;
}

async fn another_users_session_is_not_found(backend: Backend) {
    run(backend, |app| async move {
        app.register("ada@example.com", PASSWORD).await;
        app.register("bob@example.com", PASSWORD).await;
        let (ada, ada_refresh, ada_family) = sign_in_from(&app, "ada@example.com", "Ada/1.0").await;
        let (bob, _, _) = sign_in_from(&app, "bob@example.com", "Bob/1.0").await;
        for family in [
            ada_family.clone(),
            uuid::Uuid::now_v7().to_string(),
            "not-a-uuid".to_owned(),
            "%E2%82".to_owned(),
            "x".repeat(5_000),
        ] {
            end_session(&app, &bob, &family)
                .await
                .assert_detail(404, "Session not found");
        }
        assert_eq!(app.get("/me", &ada).await.status, 200);
        let refreshed = app
            .post("/refresh", json!({ "refresh_token": ada_refresh }))
            .await;
        assert_eq!(refreshed.status, 200);
        assert_eq!(families(&sessions(&app, &ada).await), [ada_family]);
        assert_eq!(sessions(&app, &bob).await.len(), 1, "bob sees only his own");
    })
    .await;
}

async fn ending_the_other_sessions_counts_sessions(backend: Backend) {
    run(backend, |app| async move {
        app.register("ada@example.com", PASSWORD).await;
        let (current, current_refresh, current_family) =
            sign_in_from(&app, "ada@example.com", "A/1").await;
        let (tablet, tablet_refresh, _) = sign_in_from(&app, "ada@example.com", "B/1").await;
        let (phone, mut phone_refresh, _) = sign_in_from(&app, "ada@example.com", "C/1").await;
        // Refreshes add rows to the phone's session, not sessions.
        for _ in 0..2 {
            let refreshed = app
                .post("/refresh", json!({ "refresh_token": phone_refresh }))
                .await;
            assert_eq!(refreshed.status, 200);
            phone_refresh = refreshed.str("refresh_token");
        }
        app.register("bob@example.com", PASSWORD).await;
        let (bob, _, _) = sign_in_from(&app, "bob@example.com", "Bob/1.0").await;

        let response = app
            .call(
                Method::POST,
                "/sessions/revoke-others",
                Some(&current),
                None,
            )
            .await;
        response.assert_detail(200, "Signed out 2 other session(s).");
        for token in [&tablet, &phone] {
            app.get("/me", token).await.assert_unauthorized();
        }
        for token in [&tablet_refresh, &phone_refresh] {
            app.post("/refresh", json!({ "refresh_token": token }))
                .await
                .assert_unauthorized();
        }
        assert_eq!(app.get("/me", &current).await.status, 200);
        assert_eq!(app.get("/me", &bob).await.status, 200);
        assert_eq!(families(&sessions(&app, &current).await), [current_family]);
        app.call(
            Method::POST,
            "/sessions/revoke-others",
            Some(&current),
            None,
        )
        .await
        .assert_detail(200, "Signed out 0 other session(s).");
        let refreshed = app
            .post("/refresh", json!({ "refresh_token": current_refresh }))
            .await;
        assert_eq!(refreshed.status, 200);
    })
    .await;
}

async fn a_refresh_moves_a_session_to_the_top(backend: Backend) {
    run(backend, |app| async move {
        app.register("ada@example.com", PASSWORD).await;
        let (first, first_refresh, first_family) =
            sign_in_from(&app, "ada@example.com", "First/1").await;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let (_, _, second_family) = sign_in_from(&app, "ada@example.com", "Second/1").await;
        assert_eq!(
            families(&sessions(&app, &first).await),
            [second_family.clone(), first_family.clone()]
        );

        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let refreshed = app
            .post("/refresh", json!({ "refresh_token": first_refresh }))
            .await;
        assert_eq!(refreshed.status, 200);
        let access = refreshed.str("access_token");
        let listed = sessions(&app, &access).await;
        assert_eq!(families(&listed), [first_family, second_family]);
        let top = &listed[0];
        assert_eq!(top["current"], true);
        assert_eq!(
            top["user_agent"], "First/1",
            "a refresh keeps the session's client"
        );
        assert!(timestamp(&top["created_at"]) < timestamp(&top["last_used_at"]));
        assert!(timestamp(&top["last_used_at"]) > timestamp(&listed[1]["last_used_at"]));
    })
    .await;
}

async fn session_routes_need_a_valid_access_token(backend: Backend) {
    run(backend, |app| async move {
        let (access, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        let family = family_of(&access);
        for token in [None, Some(refresh.as_str()), Some("not.a.token")] {
            app.call(Method::GET, "/sessions", token, None)
                .await
                .assert_unauthorized();
            app.call(Method::DELETE, &format!("/sessions/{family}"), token, None)
                .await
                .assert_unauthorized();
            app.call(Method::POST, "/sessions/revoke-others", token, None)
                .await
                .assert_unauthorized();
        }
        let logout = app.call(Method::POST, "/logout", Some(&access), None).await;
        assert_eq!(logout.status, 204);
        app.get("/sessions", &access).await.assert_unauthorized();
        assert_eq!(
            app.call(Method::PUT, "/sessions", Some(&access), None)
                .await
                .status,
            405
        );
    })
    .await;
}

/// Refreshes a session over and over until a refresh is refused; returns its last refresh and access tokens.
fn keep_refreshing(
    app: &TestApp,
    refresh: String,
) -> tokio::task::JoinHandle<(String, Option<String>)> {
    let client = app.client.clone();
    let url = app.auth_url("/refresh");
    tokio::spawn(async move {
        let (mut refresh, mut access) = (refresh, None);
        for _ in 0..200 {
            let request = client.post(&url).json(&json!({ "refresh_token": refresh }));
            let response = TestResponse::read(request.send().await.unwrap()).await;
            if response.status != 200 {
                response.assert_unauthorized();
                break;
            }
            refresh = response.str("refresh_token");
            access = Some(response.str("access_token"));
        }
        (refresh, access)
    })
}

async fn ending_sessions_wins_over_refreshes_in_flight(backend: Backend) {
    run(backend, |app| async move {
        app.register("ada@example.com", PASSWORD).await;
        let (current, _, _) = sign_in_from(&app, "ada@example.com", "Current/1").await;

        // Ending the other sessions while one of them refreshes as fast as it can.
        let (_, refresh, _) = sign_in_from(&app, "ada@example.com", "Busy/1").await;
        let refresher = keep_refreshing(&app, refresh);
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        app.call(
            Method::POST,
            "/sessions/revoke-others",
            Some(&current),
            None,
        )
        .await
        .assert_detail(200, "Signed out 1 other session(s).");
        let (last_refresh, last_access) = refresher.await.unwrap();
        app.post("/refresh", json!({ "refresh_token": last_refresh }))
            .await
            .assert_unauthorized();
        if let Some(access) = last_access {
            app.get("/me", &access).await.assert_unauthorized();
        }

        // Ending one session by its id while it refreshes.
        let (_, refresh, family) = sign_in_from(&app, "ada@example.com", "Busy/2").await;
        let refresher = keep_refreshing(&app, refresh);
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        assert_eq!(end_session(&app, &current, &family).await.status, 204);
        let (last_refresh, last_access) = refresher.await.unwrap();
        app.post("/refresh", json!({ "refresh_token": last_refresh }))
            .await
            .assert_unauthorized();
        if let Some(access) = last_access {
            app.get("/me", &access).await.assert_unauthorized();
        }
        assert_eq!(sessions(&app, &current).await.len(), 1);
    })
    .await;
}

/// Signs in through a proxy that says the client is `forwarded_for`; returns the address the session recorded.
async fn address_recorded(app: &TestApp, email: &str, forwarded_for: &str) -> Value {
    let request = app
        .client
        .post(app.auth_url("/login"))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"email": email, "password": PASSWORD}));
    let response = TestResponse::read(request.send().await.unwrap()).await;
    assert_eq!(response.status, 200, "{response:?}");
    let listed = sessions(app, &response.str("access_token")).await;
    let current = listed.iter().find(|session| session["current"] == true);
    current.expect("the current session")["ip_address"].clone()
}

async fn a_session_records_the_address_a_trusted_proxy_saw(backend: Backend) {
    run_with(
        backend,
        |config| config.proxies.trusted_headers = vec!["X-Forwarded-For".to_owned()],
        |app| async move {
            app.register("proxied@example.com", PASSWORD).await;
            // The client's own entry is forged; the proxy appended the address it saw.
            let seen = address_recorded(&app, "proxied@example.com", "10.9.9.9, 2001:db8::7").await;
            assert_eq!(seen, "2001:db8::7", "the whole address, not its /64");
        },
    )
    .await;
    run(backend, |app| async move {
        app.register("direct@example.com", PASSWORD).await;
        let seen = address_recorded(&app, "direct@example.com", "203.0.113.9").await;
        assert_eq!(seen, "127.0.0.1", "an untrusted header is not believed");
    })
    .await;
}
