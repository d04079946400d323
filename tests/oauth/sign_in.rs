//! Signing in through a real OpenID provider: the first sign-in creates a password-less user, later ones sign
//! the same user in; an existing account is linked only when both sides have verified the email.

use fullauth_tests::inspect::Connection;
use fullauth_tests::tokens::reset_password;
use fullauth_tests::{Backend, TestApp};
use serde_json::json;

use crate::{assert_failed, assert_signed_in, sign_in, with_provider};

fullauth_tests::on_every_backend!(
    the_first_sign_in_creates_a_password_less_user_and_later_ones_sign_it_in,
    a_verified_email_links_to_a_verified_account,
    with_linking_by_email_off_an_existing_account_is_never_linked,
    an_unverified_side_links_nothing,
    an_identity_without_email_cannot_create_an_account,
    inactive_users_are_refused,
    provider_tokens_are_kept_only_encrypted_and_only_on_request,
    a_password_reset_of_an_unverified_account_drops_its_links,
);

const PASSWORD: &str = "correct horse battery";

async fn the_first_sign_in_creates_a_password_less_user_and_later_ones_sign_it_in(
    backend: Backend,
) {
    with_provider(
        backend,
        |_, _| {},
        |app, idp| async move {
            let providers = app
                .call(reqwest::Method::GET, "/oauth/providers", None, None)
                .await;
            assert_eq!(providers.json, json!({ "providers": ["idp"] }));

            let first = sign_in(&app, &idp, "ada:ada@example.com:1").await;
            let (access, user) = assert_signed_in(&first, "ada@example.com");
            assert_eq!(user["is_verified"], true);
            assert_eq!(first.header("cache-control").as_deref(), Some("no-store"));
            let me = app.get("/me", &access).await;
            assert_eq!(me.status, 200, "{}", me.text);
            assert_eq!(me.json["id"], user["id"]);

            let again = sign_in(&app, &idp, "ada:ada@example.com:1").await;
            let (_, same) = assert_signed_in(&again, "ada@example.com");
            assert_eq!(same["id"], user["id"]);

            let mut db = Connection::open(&app.db).await;
            assert_eq!(db.user_count().await, 1);
            assert_eq!(db.password_hash("ada@example.com").await, None);
            assert_eq!(
                db.oauth_links().await,
                [(
                    "ada@example.com".to_owned(),
                    "idp".to_owned(),
                    "ada:ada@example.com:1".to_owned()
                )]
            );
            let accounts = app.get("/oauth/accounts", &access).await;
            assert_eq!(
                accounts.json,
                json!([{
                    "provider": "idp",
                    "provider_user_id": "ada:ada@example.com:1",
                    "provider_email": "ada@example.com",
                }])
            );
            // The password route cannot sign in an account without a password.
            app.assert_login_refused("ada@example.com", PASSWORD).await;
        },
    )
    .await;
}

async fn a_verified_email_links_to_a_verified_account(backend: Backend) {
    with_provider(
        backend,
        |_, _| {},
        |app, idp| async move {
            app.signed_up("bo@example.com", PASSWORD).await;
            let mut db = Connection::open(&app.db).await;
            db.set_verified("bo@example.com", true).await;

            let response = sign_in(&app, &idp, "bo-at-idp:Bo@Example.com:1").await;
            let (_, user) = assert_signed_in(&response, "bo@example.com");
            assert_eq!(db.user_count().await, 1);
            assert_eq!(db.oauth_links().await.len(), 1);
            // The password still works: linking added a way in.
            app.login("bo@example.com", PASSWORD).await;
            let again = sign_in(&app, &idp, "bo-at-idp:Bo@Example.com:1").await;
            assert_eq!(
                assert_signed_in(&again, "bo@example.com").1["id"],
                user["id"]
            );
        },
    )
    .await;
}

async fn with_linking_by_email_off_an_existing_account_is_never_linked(backend: Backend) {
    with_provider(
        backend,
        |config, _| config.oauth.auto_link_by_email = false,
        |app, idp| async move {
            app.signed_up("bo@example.com", PASSWORD).await;
            let mut db = Connection::open(&app.db).await;
            db.set_verified("bo@example.com", true).await;
            assert_failed(&sign_in(&app, &idp, "bo-at-idp:bo@example.com:1").await);
            assert!(db.oauth_links().await.is_empty());
            assert_eq!(db.user_count().await, 1);
            // A new email still makes a new account, and a linked identity still signs in.
            let new = sign_in(&app, &idp, "di-at-idp:di@example.com:1").await;
            assert_signed_in(&new, "di@example.com");
            let again = sign_in(&app, &idp, "di-at-idp:di@example.com:1").await;
            assert_signed_in(&again, "di@example.com");
            assert_eq!(db.user_count().await, 2);
        },
    )
    .await;
}

async fn an_unverified_side_links_nothing(backend: Backend) {
    with_provider(
        backend,
        |_, _| {},
        |app, idp| async move {
            app.signed_up("cy@example.com", PASSWORD).await;
            let mut db = Connection::open(&app.db).await;
            // The local account is unverified: even a verified provider email does not take it over.
            assert_failed(&sign_in(&app, &idp, "cy-at-idp:cy@example.com:1").await);
            // The provider has not verified the email: nothing linked either, verified account or not.
            assert_failed(&sign_in(&app, &idp, "cy-2:cy@example.com:0").await);
            db.set_verified("cy@example.com", true).await;
            assert_failed(&sign_in(&app, &idp, "cy-2:cy@example.com:0").await);
            assert!(db.oauth_links().await.is_empty());
            assert_eq!(db.user_count().await, 1);
            app.login("cy@example.com", PASSWORD).await;
            // An unverified email no account has still makes an (unverified) account.
            let fresh = sign_in(&app, &idp, "dee:dee@example.com:0").await;
            assert_eq!(
                assert_signed_in(&fresh, "dee@example.com").1["is_verified"],
                false
            );
        },
    )
    .await;
}

async fn an_identity_without_email_cannot_create_an_account(backend: Backend) {
    with_provider(
        backend,
        |_, _| {},
        |app, idp| async move {
            assert_failed(&sign_in(&app, &idp, "nomail::0").await);
            let mut db = Connection::open(&app.db).await;
            assert_eq!(db.user_count().await, 0);
        },
    )
    .await;
}

async fn inactive_users_are_refused(backend: Backend) {
    with_provider(
        backend,
        |_, _| {},
        |app, idp| async move {
            assert_signed_in(
                &sign_in(&app, &idp, "eve:eve@example.com:1").await,
                "eve@example.com",
            );
            let mut db = Connection::open(&app.db).await;
            db.set_active("eve@example.com", false).await;
            assert_failed(&sign_in(&app, &idp, "eve:eve@example.com:1").await);
        },
    )
    .await;
}

async fn provider_tokens_are_kept_only_encrypted_and_only_on_request(backend: Backend) {
    for keep in [false, true] {
        with_provider(
            backend,
            |config, _| config.oauth.keep_provider_tokens = keep,
            |app: TestApp, idp| async move {
                let response = sign_in(&app, &idp, "fay:fay@example.com:1").await;
                let (access, _) = assert_signed_in(&response, "fay@example.com");
                let user = app.auth.authenticate(&access).await.unwrap().0;
                let account = app.auth.oauth_accounts(&user).await.unwrap().remove(0);
                assert_eq!(account.access_token.is_some(), keep);
                match app.auth.oauth_access_token(&account) {
                    Some(token) => {
                        assert!(keep);
                        assert_ne!(account.access_token.as_deref(), Some(token.as_str()));
                        assert!(!format!("{account:?}").contains(&token));
                        // The token works at the provider: it is the provider's, decrypted.
                        let info = idp
                            .http()
                            .get(format!("{}/me", idp.issuer))
                            .bearer_auth(&token)
                            .send()
                            .await
                            .unwrap();
                        assert_eq!(info.status(), 200);
                    }
                    None => assert!(!keep),
                }
            },
        )
        .await;
    }
}

async fn a_password_reset_of_an_unverified_account_drops_its_links(backend: Backend) {
    with_provider(
        backend,
        |_, _| {},
        |app, idp| async move {
            // Someone signs in with a provider that does not vouch for the address: the account is theirs only
            // until the mailbox's owner resets the password.
            let squatter = sign_in(&app, &idp, "squatter:owner@example.com:0").await;
            let (_, user) = assert_signed_in(&squatter, "owner@example.com");
            reset_password(
                &app,
                user["id"].as_str().unwrap(),
                "owner@example.com",
                None,
                PASSWORD,
            )
            .await;
            let mut db = Connection::open(&app.db).await;
            assert!(db.oauth_links().await.is_empty());
            assert_failed(&sign_in(&app, &idp, "squatter:owner@example.com:0").await);
            app.login("owner@example.com", PASSWORD).await;
            // A verified account keeps its links.
            let verified = sign_in(&app, &idp, "keeper:keeper@example.com:1").await;
            let (_, user) = assert_signed_in(&verified, "keeper@example.com");
            reset_password(
                &app,
                user["id"].as_str().unwrap(),
                "keeper@example.com",
                None,
                PASSWORD,
            )
            .await;
            assert_eq!(db.oauth_links().await.len(), 1);
            assert_signed_in(
                &sign_in(&app, &idp, "keeper:keeper@example.com:1").await,
                "keeper@example.com",
            );
        },
    )
    .await;
}
