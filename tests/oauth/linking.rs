//! Linking and unlinking providers on a signed-in account: the link flow, its conflicts, and the last sign-in
//! method kept.

use fullauth_tests::Backend;
use fullauth_tests::inspect::Connection;
use reqwest::Method;
use serde_json::json;

use crate::{assert_failed, assert_signed_in, callback, consented, sign_in, with_provider};

fullauth_tests::on_every_backend!(
    a_second_account_links_and_unlinks_a_provider,
    links_conflict_with_other_users_and_existing_links,
    the_only_sign_in_method_cannot_be_unlinked,
    the_refusal_names_passkeys_when_they_are_on,
    link_routes_need_a_signed_in_user,
);

const PASSWORD: &str = "correct horse battery";

async fn a_second_account_links_and_unlinks_a_provider(backend: Backend) {
    with_provider(
        backend,
        |_, _| {},
        |app, idp| async move {
            assert_signed_in(
                &sign_in(&app, &idp, "first:first@example.com:1").await,
                "first@example.com",
            );
            let (access, _) = app.signed_up("second@example.com", PASSWORD).await;
            let (answer, binding) = consented(
                &app,
                &idp,
                "idp",
                "second-at-idp:other@example.org:1",
                Some(&access),
            )
            .await;
            let linked = callback(&app, "idp", &answer, &binding, Some(&access)).await;
            assert_eq!(linked.status, 200, "{}", linked.text);
            assert_eq!(
                linked.json,
                json!({
                    "provider": "idp",
                    "provider_user_id": "second-at-idp:other@example.org:1",
                    "provider_email": "other@example.org",
                })
            );
            let listed = app.get("/oauth/accounts", &access).await;
            assert_eq!(listed.json, json!([linked.json]));
            // The linked identity now signs in the second account.
            let through_link = sign_in(&app, &idp, "second-at-idp:other@example.org:1").await;
            assert_signed_in(&through_link, "second@example.com");

            let unlinked = app
                .call(Method::DELETE, "/oauth/accounts/idp", Some(&access), None)
                .await;
            assert_eq!(unlinked.status, 204, "{}", unlinked.text);
            let again = app
                .call(Method::DELETE, "/oauth/accounts/idp", Some(&access), None)
                .await;
            again.assert_detail(404, "OAuth account not found");
            let unknown = app
                .call(Method::DELETE, "/oauth/accounts/nope", Some(&access), None)
                .await;
            unknown.assert_detail(404, "OAuth account not found");
            assert_eq!(app.get("/oauth/accounts", &access).await.json, json!([]));
            let mut db = Connection::open(&app.db).await;
            assert_eq!(
                db.oauth_links().await.len(),
                1,
                "the first user's link stays"
            );
        },
    )
    .await;
}

async fn links_conflict_with_other_users_and_existing_links(backend: Backend) {
    with_provider(
        backend,
        |_, _| {},
        |app, idp| async move {
            assert_signed_in(
                &sign_in(&app, &idp, "owner:owner@example.com:1").await,
                "owner@example.com",
            );
            let (access, _) = app.signed_up("taker@example.com", PASSWORD).await;
            let (answer, binding) = consented(
                &app,
                &idp,
                "idp",
                "owner:owner@example.com:1",
                Some(&access),
            )
            .await;
            let owned = callback(&app, "idp", &answer, &binding, Some(&access)).await;
            assert_eq!(owned.status, 409, "{}", owned.text);

            let (answer, binding) =
                consented(&app, &idp, "idp", "taker-1:t1@example.com:1", Some(&access)).await;
            assert_eq!(
                callback(&app, "idp", &answer, &binding, Some(&access))
                    .await
                    .status,
                200
            );
            let (answer, binding) =
                consented(&app, &idp, "idp", "taker-2:t2@example.com:1", Some(&access)).await;
            let second = callback(&app, "idp", &answer, &binding, Some(&access)).await;
            assert_eq!(second.status, 409, "{}", second.text);
            let (answer, binding) =
                consented(&app, &idp, "idp", "taker-1:t1@example.com:1", Some(&access)).await;
            let same = callback(&app, "idp", &answer, &binding, Some(&access)).await;
            assert_eq!(same.status, 409, "{}", same.text);

            let mut db = Connection::open(&app.db).await;
            assert_eq!(
                db.oauth_links().await,
                [
                    (
                        "owner@example.com".to_owned(),
                        "idp".to_owned(),
                        "owner:owner@example.com:1".to_owned()
                    ),
                    (
                        "taker@example.com".to_owned(),
                        "idp".to_owned(),
                        "taker-1:t1@example.com:1".to_owned()
                    ),
                ]
            );
        },
    )
    .await;
}

async fn the_only_sign_in_method_cannot_be_unlinked(backend: Backend) {
    with_provider(
        backend,
        |_, _| {},
        |app, idp| async move {
            let response = sign_in(&app, &idp, "solo:solo@example.com:1").await;
            let (access, _) = assert_signed_in(&response, "solo@example.com");
            let refused = app
                .call(Method::DELETE, "/oauth/accounts/idp", Some(&access), None)
                .await;
            refused.assert_detail(
                400,
                "Cannot remove your only sign-in method. Set a password first.",
            );
            let mut db = Connection::open(&app.db).await;
            assert_eq!(db.oauth_links().await.len(), 1);
            assert_signed_in(
                &sign_in(&app, &idp, "solo:solo@example.com:1").await,
                "solo@example.com",
            );
        },
    )
    .await;
}

async fn the_refusal_names_passkeys_when_they_are_on(backend: Backend) {
    with_provider(
        backend,
        |config, _| {
            config.passkey.rp_id = Some("localhost".into());
            config.passkey.origins = vec!["http://localhost:8000".into()];
        },
        |app, idp| async move {
            let response = sign_in(&app, &idp, "solo:solo@example.com:1").await;
            let (access, _) = assert_signed_in(&response, "solo@example.com");
            app.call(Method::DELETE, "/oauth/accounts/idp", Some(&access), None)
                .await
                .assert_detail(
                    400,
                    "Cannot remove your only sign-in method. Set a password or add a passkey first.",
                );
        },
    )
    .await;
}

async fn link_routes_need_a_signed_in_user(backend: Backend) {
    with_provider(
        backend,
        |_, _| {},
        |app, idp| async move {
            for (method, path) in [
                (Method::GET, "/oauth/accounts"),
                (Method::DELETE, "/oauth/accounts/idp"),
                (Method::GET, "/oauth/idp/link/authorize?redirect_uri=x"),
                (Method::POST, "/oauth/idp/link/callback"),
            ] {
                let body = (method == Method::POST)
                    .then(|| json!({"code": "c", "state": "s", "binding": "b"}));
                app.call(method, path, None, body)
                    .await
                    .assert_unauthorized();
            }
            // A sign-in state does not complete a link, nor a link state a sign-in.
            let (access, _) = app.signed_up("lin@example.com", PASSWORD).await;
            let (answer, binding) =
                consented(&app, &idp, "idp", "lin-1:lin1@example.com:1", None).await;
            assert_failed(&callback(&app, "idp", &answer, &binding, Some(&access)).await);
            let (answer, binding) =
                consented(&app, &idp, "idp", "lin-2:lin2@example.com:1", Some(&access)).await;
            assert_failed(&callback(&app, "idp", &answer, &binding, None).await);
            // Another user's link state does not link to this one.
            let (other, _) = app.signed_up("lin-other@example.com", PASSWORD).await;
            let (answer, binding) =
                consented(&app, &idp, "idp", "lin-3:lin3@example.com:1", Some(&access)).await;
            assert_failed(&callback(&app, "idp", &answer, &binding, Some(&other)).await);
            let bad_uri = app
                .call(
                    Method::GET,
                    "/oauth/idp/link/authorize?redirect_uri=https://evil.example/cb",
                    Some(&access),
                    None,
                )
                .await;
            bad_uri.assert_detail(400, "Invalid redirect URI");
            let mut db = Connection::open(&app.db).await;
            assert!(db.oauth_links().await.is_empty());
        },
    )
    .await;
}
