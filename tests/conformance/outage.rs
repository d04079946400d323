//! The database goes away: connections cut (a failover) or refused (a restart). Requests get a clear 503, never
//! a 500, and the server recovers by itself when the database is back.

use fullauth_tests::{TestApp, TestDatabase, TestResponse};

const PASSWORD: &str = "correct horse battery";

async fn me(app: &TestApp, access: &str) -> TestResponse {
    let request = app.client.get(app.auth_url("/me")).bearer_auth(access);
    TestResponse::read_unchecked(request.send().await.unwrap()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_down_then_back() {
    let Some(db) = TestDatabase::create_postgres_database().await else {
        return;
    };
    let app = TestApp::start_on(db, |_| {}).await;
    let (access, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
    // Hold several pooled connections, so that several of them are cut.
    for response in futures::future::join_all((0..4).map(|_| me(&app, &access))).await {
        assert_eq!(response.status, 200);
    }

    app.db.set_reachable(false).await;
    for _ in 0..3 {
        let response = me(&app, &access).await;
        response.assert_detail(503, "Service temporarily unavailable");
        assert_eq!(response.header("retry-after").as_deref(), Some("1"));
    }
    let login = app
        .client
        .post(app.auth_url("/login"))
        .json(&serde_json::json!({"email": "ada@example.com", "password": PASSWORD}));
    assert_eq!(
        TestResponse::read_unchecked(login.send().await.unwrap())
            .await
            .status,
        503
    );

    app.db.set_reachable(true).await;
    for _ in 0..5 {
        assert_eq!(me(&app, &access).await.status, 200);
    }
    assert_eq!(
        app.post("/refresh", serde_json::json!({"refresh_token": refresh}))
            .await
            .status,
        200,
        "nothing was lost"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_connections_cut_are_replaced() {
    let Some(db) = TestDatabase::create_postgres_database().await else {
        return;
    };
    let app = TestApp::start_on(db, |_| {}).await;
    let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
    for response in futures::future::join_all((0..4).map(|_| me(&app, &access))).await {
        assert_eq!(response.status, 200);
    }
    app.db.set_reachable(false).await;
    app.db.set_reachable(true).await;
    let mut statuses = Vec::new();
    for _ in 0..10 {
        statuses.push(me(&app, &access).await.status);
    }
    assert!(
        statuses.iter().all(|status| matches!(status, 200 | 503)),
        "{statuses:?}"
    );
    assert!(
        statuses[5..].iter().all(|status| *status == 200),
        "recovered: {statuses:?}"
    );
}
