//! A passkey sign-in is the password sign-in's gate: inactive users refused, the same events, cookies with cookie
//! transport, its own rate-limit bucket shared by its two routes; and an unverified account's passkeys do not
//! outlive a password reset.

use fullauth_tests::Backend;
use fullauth_tests::cookies::set_cookie;
use fullauth_tests::inspect::Connection;
use fullauth_tests::tokens::reset_password;
use serde_json::{Value, json};

use super::{
    Device, PASSWORD, assert_sign_in_failed, passkeys_on, registered, sign_in, sign_in_begin,
    sign_in_complete, user, with_passkeys,
};

on_databases!(
    an_inactive_user_cannot_sign_in_with_a_passkey,
    passkey_ceremonies_emit_their_events,
    cookie_transport_puts_the_tokens_in_cookies,
    both_sign_in_routes_count_in_the_passkey_auth_bucket,
    a_password_reset_of_an_unverified_account_drops_its_passkeys,
    a_passkey_sign_in_carries_the_custom_claims,
);

async fn an_inactive_user_cannot_sign_in_with_a_passkey(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let token = user(&app, "ada@example.com").await;
            let mut device = Device::verifying();
            registered(&app, &token, &mut device, "").await;
            let mut db = Connection::open(&app.db).await;
            db.set_active("ada@example.com", false).await;
            assert_sign_in_failed(&sign_in(&app, &mut device, "ada@example.com").await);
            db.set_active("ada@example.com", true).await;
            let signed_in = sign_in(&app, &mut device, "ada@example.com").await;
            assert_eq!(signed_in.status, 200, "{}", signed_in.text);
        },
    )
    .await;
}

async fn passkey_ceremonies_emit_their_events(backend: Backend) {
    let Some((app, events)) = super::with_event_log(backend).await else {
        return;
    };
    let token = user(&app, "ada@example.com").await;
    let mut device = Device::verifying();
    let passkey = registered(&app, &token, &mut device, "").await.passkey;
    let signed_in = sign_in(&app, &mut device, "ada@example.com").await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
    let second = registered(&app, &token, &mut Device::verifying(), "").await;
    assert_ne!(second.passkey["id"], passkey["id"]);
    let id = passkey["id"].as_str().unwrap();
    let deleted = app
        .call(
            reqwest::Method::DELETE,
            &format!("/passkeys/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    // Each event's handlers run on a task of their own: compare what arrived, not in which order.
    let mut expected = [
        "after_register",
        "after_login",
        "after_passkey_registered",
        "after_login",
        "after_passkey_registered",
        "after_passkey_deleted",
    ];
    expected.sort_unstable();
    let mut names = events.names(expected.len()).await;
    names.sort_unstable();
    assert_eq!(names, expected);
}

async fn cookie_transport_puts_the_tokens_in_cookies(backend: Backend) {
    with_passkeys(
        backend,
        |config| config.cookies.transport = true,
        |app| async move {
            app.register("ada@example.com", PASSWORD).await;
            let login = app
                .post(
                    "/login",
                    json!({ "email": "ada@example.com", "password": PASSWORD }),
                )
                .await;
            let token = login.str("access_token");
            let mut device = Device::verifying();
            registered(&app, &token, &mut device, "").await;
            let response = sign_in(&app, &mut device, "ada@example.com").await;
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

async fn both_sign_in_routes_count_in_the_passkey_auth_bucket(backend: Backend) {
    with_passkeys(
        backend,
        |config| {
            config.rate_limits.enabled = true;
            config.rate_limits.passkey_auth = 3;
        },
        |app| async move {
            let first = sign_in_begin(&app, None).await;
            assert_eq!(first.status, 200, "{}", first.text);
            assert_sign_in_failed(
                &sign_in_complete(&app, &first.str("challenge_key"), json!({})).await,
            );
            assert_eq!(
                sign_in_begin(&app, Some("ada@example.com")).await.status,
                200
            );
            let limited = sign_in_begin(&app, None).await;
            assert_eq!(limited.status, 429, "{}", limited.text);
            let limited = sign_in_complete(&app, &first.str("challenge_key"), json!({})).await;
            assert_eq!(limited.status, 429, "{}", limited.text);
            // Password sign-ins have their own bucket.
            let login = app
                .post(
                    "/login",
                    json!({ "email": "x@example.com", "password": "whatever123" }),
                )
                .await;
            assert_eq!(login.status, 401, "{}", login.text);
        },
    )
    .await;
}

async fn a_password_reset_of_an_unverified_account_drops_its_passkeys(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            // Someone signs up with another's address and adds a passkey before the owner proves the mailbox.
            let squatter = user(&app, "owner@example.com").await;
            let mut squatter_device = Device::verifying();
            let squatted = registered(&app, &squatter, &mut squatter_device, "").await;
            let id = app.user_id(&squatter).await;
            let mut db = Connection::open(&app.db).await;
            let hash = db.password_hash("owner@example.com").await;
            reset_password(
                &app,
                id.as_str().unwrap(),
                "owner@example.com",
                hash.as_deref(),
                PASSWORD,
            )
            .await;
            let begin = sign_in_begin(&app, Some("owner@example.com")).await;
            assert_eq!(begin.json["allowCredentials"], json!([]));
            let assertion = squatter_device.get(
                &begin.json,
                Some((&squatted.credential_id, id.as_str().unwrap())),
            );
            assert_sign_in_failed(
                &sign_in_complete(&app, &begin.str("challenge_key"), assertion).await,
            );
            let (owner, _) = app.login("owner@example.com", PASSWORD).await;
            assert!(super::passkeys(&app, &owner).await.is_empty());
            // A verified account keeps its passkeys.
            let keeper = user(&app, "keeper@example.com").await;
            let mut keeper_device = Device::verifying();
            registered(&app, &keeper, &mut keeper_device, "").await;
            db.set_verified("keeper@example.com", true).await;
            let id = app.user_id(&keeper).await;
            let hash = db.password_hash("keeper@example.com").await;
            reset_password(
                &app,
                id.as_str().unwrap(),
                "keeper@example.com",
                hash.as_deref(),
                PASSWORD,
            )
            .await;
            let signed_in = sign_in(&app, &mut keeper_device, "keeper@example.com").await;
            assert_eq!(signed_in.status, 200, "{}", signed_in.text);
        },
    )
    .await;
}

#[tokio::test]
async fn passkeys_on_without_a_passkey_model_is_a_start_up_error() {
    use fullauth_tests::models::string_ids::Account;
    let mut config = fullauth_tests::app::test_config();
    passkeys_on(&mut config);
    let built = fullauth::FullAuth::builder()
        .adapter(fullauth::store::MemoryStore::<Account>::new())
        .config(config.clone())
        .build();
    let Err(fullauth::Error::Config(error)) = built else {
        panic!("a user model without passkeys cannot turn them on");
    };
    assert_eq!(error.option(), "passkey.rp_id");
    assert!(
        error.reason().contains("#[derive(FullAuthPasskey)]"),
        "{error}"
    );
    config.passkey.origins.clear();
    let built = fullauth::FullAuth::builder()
        .adapter(fullauth::store::MemoryStore::<fullauth_tests::models::User>::new())
        .config(config)
        .build();
    let Err(fullauth::Error::Config(error)) = built else {
        panic!("passkeys need their origins");
    };
    assert_eq!(error.option(), "passkey.origins");
}

async fn a_passkey_sign_in_carries_the_custom_claims(backend: Backend) {
    let Some(app) = fullauth_tests::TestApp::start_customized(
        backend,
        passkeys_on,
        Box::new(|builder| {
            builder.custom_claims(|user: fullauth_tests::models::User| async move {
                Ok(json!({ "tenant": user.auth.email }))
            })
        }),
    )
    .await
    else {
        return;
    };
    let token = user(&app, "ada@example.com").await;
    let mut device = Device::verifying();
    registered(&app, &token, &mut device, "").await;
    let signed_in = sign_in(&app, &mut device, "ada@example.com").await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
    assert_eq!(
        fullauth_tests::tokens::payload(&signed_in.str("access_token"))["extra"],
        json!({ "tenant": "ada@example.com" })
    );
}
