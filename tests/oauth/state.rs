//! The `state` of a flow: signed, expiring, bound to the client that started it, used once (also across
//! instances and under parallel replays); and the answers to unknown providers, foreign redirect URIs and
//! refused codes.

use std::sync::Arc;

use fullauth::shared_state::MemoryState;
use fullauth_tests::inspect::Connection;
use fullauth_tests::{Backend, TestApp};
use reqwest::Method;
use serde_json::json;

use crate::{assert_failed, assert_signed_in, callback, consented, openid_provider, with_provider};

crate::on_sqlite_and_postgres!(
    tampered_foreign_and_unbound_states_fail,
    a_state_works_once_even_when_replayed_in_parallel,
    a_state_used_on_one_instance_is_refused_on_another,
    an_expired_state_fails,
    unknown_providers_and_foreign_redirect_uris_are_refused,
    a_code_the_provider_refuses_fails,
    hostile_callback_bodies_get_a_clear_4xx,
);

async fn tampered_foreign_and_unbound_states_fail(backend: Backend) {
    with_provider(
        backend,
        |_, _| {},
        |app, idp| async move {
            let (answer, binding) = consented(&app, &idp, "idp", "s1:s1@example.com:1", None).await;
            let mut tampered = answer.clone();
            let last = tampered.state.pop().unwrap();
            tampered.state.push(if last == 'A' { 'B' } else { 'A' });
            assert_failed(&callback(&app, "idp", &tampered, &binding, None).await);
            assert_failed(&callback(&app, "idp", &answer, "another-binding", None).await);
            let empty = callback(&app, "idp", &answer, "", None).await;
            assert!(matches!(empty.status, 400 | 422), "{}", empty.text);
            let missing = app
                .call(
                    Method::POST,
                    "/oauth/idp/callback",
                    None,
                    Some(json!({ "code": answer.code, "state": answer.state })),
                )
                .await;
            assert_eq!(missing.status, 422, "{}", missing.text);
            assert_eq!(missing.json["detail"][0]["loc"], json!(["body", "binding"]));
            // A state another deployment (another secret) issued.
            let stranger = TestApp::start(backend, |config| {
                *config = fullauth::FullAuthConfig::with_secret(
                    "another-secret-0123456789abcdef0123456789",
                )
                .unwrap();
                config.rate_limits.enabled = false;
                config
                    .oauth
                    .providers
                    .push(openid_provider("idp", &idp.issuer));
            })
            .await
            .unwrap();
            let (foreign, foreign_binding) =
                consented(&stranger, &idp, "idp", "s2:s2@example.com:1", None).await;
            assert_failed(&callback(&app, "idp", &foreign, &foreign_binding, None).await);
            // None of the refused attempts used the state up: the right client still completes its flow.
            assert_signed_in(
                &callback(&app, "idp", &answer, &binding, None).await,
                "s1@example.com",
            );
            let mut db = Connection::open(&app.db).await;
            assert_eq!(db.user_count().await, 1);
        },
    )
    .await;
}

async fn a_state_works_once_even_when_replayed_in_parallel(backend: Backend) {
    with_provider(
        backend,
        |_, _| {},
        |app, idp| async move {
            let (answer, binding) = consented(&app, &idp, "idp", "r1:r1@example.com:1", None).await;
            let attempts = (0..6).map(|_| callback(&app, "idp", &answer, &binding, None));
            let answers = futures::future::join_all(attempts).await;
            let statuses: Vec<u16> = answers.iter().map(|answer| answer.status).collect();
            assert_eq!(
                statuses.iter().filter(|status| **status == 200).count(),
                1,
                "{statuses:?}"
            );
            for refused in answers.iter().filter(|answer| answer.status != 200) {
                assert_failed(refused);
            }
            assert_failed(&callback(&app, "idp", &answer, &binding, None).await);
        },
    )
    .await;
}

async fn a_state_used_on_one_instance_is_refused_on_another(backend: Backend) {
    let state = Arc::new(MemoryState::new());
    let Some(idp) = fullauth_tests::oidc::OidcProvider::start().await else {
        return;
    };
    let issuer = idp.issuer.clone();
    let handle = Arc::clone(&state);
    let Some(app) = TestApp::start_customized(
        backend,
        |config| config.oauth.providers.push(openid_provider("idp", &issuer)),
        Box::new(move |builder| builder.shared_state(handle)),
    )
    .await
    else {
        return;
    };
    let handle = Arc::clone(&state);
    let second = app
        .another_instance_with(Box::new(move |builder| builder.shared_state(handle)))
        .await;
    let (answer, binding) = consented(&app, &idp, "idp", "i1:i1@example.com:1", None).await;
    assert_signed_in(
        &callback(&second, "idp", &answer, &binding, None).await,
        "i1@example.com",
    );
    assert_failed(&callback(&app, "idp", &answer, &binding, None).await);
}

async fn an_expired_state_fails(backend: Backend) {
    with_provider(
        backend,
        |config, _| {
            config.oauth.state_expire_seconds = 1;
            config.tokens.jwt_leeway_seconds = 0;
        },
        |app, idp| async move {
            let (answer, binding) = consented(&app, &idp, "idp", "x1:x1@example.com:1", None).await;
            tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
            assert_failed(&callback(&app, "idp", &answer, &binding, None).await);
            let mut db = Connection::open(&app.db).await;
            assert_eq!(db.user_count().await, 0);
        },
    )
    .await;
}

async fn unknown_providers_and_foreign_redirect_uris_are_refused(backend: Backend) {
    with_provider(
        backend,
        |_, _| {},
        |app, idp| async move {
            let _provider_runs_until_the_end = &idp;
            let unknown = app
                .call(
                    Method::GET,
                    "/oauth/nope/authorize?redirect_uri=https://app.example.com/oauth/callback",
                    None,
                    None,
                )
                .await;
            unknown.assert_detail(404, "OAuth provider 'nope' not configured");
            let unknown_callback = app
                .call(
                    Method::POST,
                    "/oauth/nope/callback",
                    None,
                    Some(json!({ "code": "c", "state": "s", "binding": "b" })),
                )
                .await;
            unknown_callback.assert_detail(404, "OAuth provider 'nope' not configured");
            for uri in [
                "https://evil.example/oauth/callback",
                "https://app.example.com/oauth/callback/",
                "https://app.example.com/oauth/callback?next=/",
                "HTTPS://app.example.com/oauth/callback",
                "",
            ] {
                let query = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("redirect_uri", uri)
                    .finish();
                let refused = app
                    .call(
                        Method::GET,
                        &format!("/oauth/idp/authorize?{query}"),
                        None,
                        None,
                    )
                    .await;
                refused.assert_detail(400, "Invalid redirect URI");
            }
            let missing = app
                .call(Method::GET, "/oauth/idp/authorize", None, None)
                .await;
            assert_eq!(missing.status, 422, "{}", missing.text);
            let started = crate::authorize(&app, "idp", None).await;
            assert_eq!(started.status, 200);
            let url = started.str("authorization_url");
            assert!(url.contains("code_challenge_method=S256"), "{url}");
            assert!(url.contains("nonce="), "{url}");
            assert!(!url.contains("code_verifier"), "{url}");
            assert!(started.str("binding").len() >= 43);
            assert!(!url.contains(&started.str("binding")));
        },
    )
    .await;
}

async fn a_code_the_provider_refuses_fails(backend: Backend) {
    with_provider(
        backend,
        |_, _| {},
        |app, idp| async move {
            let (mut answer, binding) =
                consented(&app, &idp, "idp", "c1:c1@example.com:1", None).await;
            answer.code = "not-a-code-the-provider-issued".into();
            assert_failed(&callback(&app, "idp", &answer, &binding, None).await);
            // A real code, already redeemed once, under a fresh state of the same client.
            let (first, first_binding) =
                consented(&app, &idp, "idp", "c2:c2@example.com:1", None).await;
            assert_signed_in(
                &callback(&app, "idp", &first, &first_binding, None).await,
                "c2@example.com",
            );
            let (mut second, second_binding) =
                consented(&app, &idp, "idp", "c2:c2@example.com:1", None).await;
            second.code = first.code.clone();
            assert_failed(&callback(&app, "idp", &second, &second_binding, None).await);
            let mut db = Connection::open(&app.db).await;
            assert_eq!(db.user_count().await, 1);
        },
    )
    .await;
}

async fn hostile_callback_bodies_get_a_clear_4xx(backend: Backend) {
    with_provider(
        backend,
        |_, _| {},
        |app, idp| async move {
            let _provider_runs_until_the_end = &idp;
            let huge = "A".repeat(200_000);
            for (body, statuses) in [
                (
                    json!({ "code": "c", "state": huge, "binding": "b" }),
                    &[400, 413][..],
                ),
                (
                    json!({ "code": huge, "state": "s", "binding": "b" }),
                    &[400, 413][..],
                ),
                (
                    json!({ "code": 7, "state": "s", "binding": "b" }),
                    &[422][..],
                ),
                (
                    json!({ "code": null, "state": "s", "binding": "b" }),
                    &[422][..],
                ),
                (json!(["code", "state", "binding"]), &[422][..]),
                (
                    json!({ "code": "c", "state": "a.b.c", "binding": "b" }),
                    &[400][..],
                ),
                (
                    json!({ "code": "c", "state": "", "binding": "" }),
                    &[400, 422][..],
                ),
            ] {
                let answer = app
                    .call(Method::POST, "/oauth/idp/callback", None, Some(body))
                    .await;
                assert!(
                    statuses.contains(&answer.status),
                    "{}: {}",
                    answer.status,
                    answer.text
                );
            }
            for path in [
                "/oauth/%00/callback",
                "/oauth/..%2F..%2Fadmin/callback",
                "/oauth/IDP/callback",
            ] {
                let answer = app
                    .call(
                        Method::POST,
                        path,
                        None,
                        Some(json!({ "code": "c", "state": "s", "binding": "b" })),
                    )
                    .await;
                assert_eq!(answer.status, 404, "{path}: {}", answer.text);
            }
            let mut db = Connection::open(&app.db).await;
            assert_eq!(db.user_count().await, 0);
        },
    )
    .await;
}
