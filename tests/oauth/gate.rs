//! An OAuth callback is the password sign-in's gate: the same events, cookies with cookie transport, the `login`
//! rate limit; and a provider's key rotation is followed.

use std::sync::{Arc, Mutex};

use fullauth::events::AuthEvent;
use fullauth_tests::cookies::set_cookie;
use fullauth_tests::oidc::OidcProvider;
use fullauth_tests::oidc_tamper::TamperingFront;
use fullauth_tests::{Backend, TestApp};
use serde_json::Value;

use crate::{assert_failed, assert_signed_in, callback, consented, openid_provider, sign_in};

crate::on_sqlite_and_postgres!(
    a_callback_emits_the_sign_in_events,
    cookie_transport_puts_the_tokens_in_cookies,
    callbacks_count_against_the_login_rate_limit,
    a_rotated_provider_key_is_fetched_when_a_token_names_it,
    a_callback_carries_the_custom_claims,
);

async fn a_callback_emits_the_sign_in_events(backend: Backend) {
    let Some(idp) = OidcProvider::start().await else {
        return;
    };
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let handle = Arc::clone(&seen);
    let issuer = idp.issuer.clone();
    let Some(app) = TestApp::start_customized(
        backend,
        |config| config.oauth.providers.push(openid_provider("idp", &issuer)),
        Box::new(move |builder| {
            builder.on_event(move |event: AuthEvent<fullauth_tests::models::User>| {
                let handle = Arc::clone(&handle);
                async move {
                    handle.lock().unwrap().push(event.name().to_owned());
                    Ok::<(), String>(())
                }
            })
        }),
    )
    .await
    else {
        return;
    };
    assert_signed_in(
        &sign_in(&app, &idp, "ev:ev@example.com:1").await,
        "ev@example.com",
    );
    assert_signed_in(
        &sign_in(&app, &idp, "ev:ev@example.com:1").await,
        "ev@example.com",
    );
    for _ in 0..100 {
        if seen.lock().unwrap().len() >= 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        *seen.lock().unwrap(),
        ["after_register", "after_login", "after_login"]
    );
}

async fn cookie_transport_puts_the_tokens_in_cookies(backend: Backend) {
    crate::with_provider(
        backend,
        |config, _| config.cookies.transport = true,
        |app, idp| async move {
            let response = sign_in(&app, &idp, "ck:ck@example.com:1").await;
            assert_eq!(response.status, 200, "{}", response.text);
            assert_eq!(response.json["refresh_token"], Value::Null);
            assert!(set_cookie(&response.headers, "fullauth_access").is_some());
            let refresh =
                set_cookie(&response.headers, "fullauth_refresh").expect("a refresh cookie");
            assert!(
                refresh.to_ascii_lowercase().contains("httponly"),
                "{refresh}"
            );
        },
    )
    .await;
}

async fn callbacks_count_against_the_login_rate_limit(backend: Backend) {
    crate::with_provider(
        backend,
        |config, _| {
            config.rate_limits.enabled = true;
            config.rate_limits.login = 2;
        },
        |app, idp| async move {
            let (answer, binding) = consented(&app, &idp, "idp", "rl:rl@example.com:1", None).await;
            assert_failed(&callback(&app, "idp", &answer, "wrong", None).await);
            assert_failed(&callback(&app, "idp", &answer, "wrong", None).await);
            let limited = callback(&app, "idp", &answer, &binding, None).await;
            assert_eq!(limited.status, 429, "{}", limited.text);
            // Password sign-ins share the bucket.
            let login = app
                .post(
                    "/login",
                    serde_json::json!({ "email": "x@example.com", "password": "whatever123" }),
                )
                .await;
            assert_eq!(login.status, 429);
        },
    )
    .await;
}

async fn a_rotated_provider_key_is_fetched_when_a_token_names_it(backend: Backend) {
    let Some(idp) = OidcProvider::start().await else {
        return;
    };
    let front = TamperingFront::start(&idp).await;
    let issuer = front.issuer("rotating");
    let Some(app) = TestApp::start(backend, |config| {
        config
            .oauth
            .providers
            .push(openid_provider("rotating", &issuer));
    })
    .await
    else {
        return;
    };
    let (answer, binding) = consented(&app, &idp, "rotating", "kr:kr@example.com:1", None).await;
    assert_signed_in(
        &callback(&app, "rotating", &answer, &binding, None).await,
        "kr@example.com",
    );
    front.rotate();
    // The cached key set does not hold the new key: it is read again (at most every two seconds).
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let (answer, binding) = consented(&app, &idp, "rotating", "kr:kr@example.com:1", None).await;
    assert_signed_in(
        &callback(&app, "rotating", &answer, &binding, None).await,
        "kr@example.com",
    );
}

async fn a_callback_carries_the_custom_claims(backend: Backend) {
    let Some(idp) = OidcProvider::start().await else {
        return;
    };
    let issuer = idp.issuer.clone();
    let Some(app) = TestApp::start_customized(
        backend,
        |config| config.oauth.providers.push(openid_provider("idp", &issuer)),
        Box::new(|builder| {
            builder.custom_claims(|user: fullauth_tests::models::User| async move {
                Ok(serde_json::json!({ "tenant": user.auth.email }))
            })
        }),
    )
    .await
    else {
        return;
    };
    let (access, _) = assert_signed_in(
        &sign_in(&app, &idp, "cc:cc@example.com:1").await,
        "cc@example.com",
    );
    assert_eq!(
        fullauth_tests::tokens::payload(&access)["extra"],
        serde_json::json!({ "tenant": "cc@example.com" })
    );
}
