//! Listing and deleting passkeys: each user sees and deletes only their own, and nobody deletes their last way
//! to sign in.

use fullauth_tests::inspect::Connection;
use fullauth_tests::{Backend, TestApp};
use reqwest::Method;
use serde_json::json;

use super::{Device, register_begin, registered, sign_in, user, with_passkeys};

on_databases!(
    a_user_lists_and_deletes_only_their_own_passkeys,
    the_last_way_to_sign_in_cannot_be_deleted,
    the_routes_need_a_signed_in_user,
);

async fn delete(app: &TestApp, token: &str, id: &str) -> fullauth_tests::TestResponse {
    app.call(
        Method::DELETE,
        &format!("/passkeys/{id}"),
        Some(token),
        None,
    )
    .await
}

async fn a_user_lists_and_deletes_only_their_own_passkeys(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let ada = user(&app, "ada@example.com").await;
            let grace = user(&app, "grace@example.com").await;
            let first = registered(&app, &ada, &mut Device::verifying(), "laptop").await;
            let second = registered(&app, &ada, &mut Device::verifying(), "phone").await;
            let theirs = registered(&app, &grace, &mut Device::verifying(), "key").await;
            let names: Vec<_> = super::passkeys(&app, &ada)
                .await
                .iter()
                .map(|passkey| passkey["device_name"].clone())
                .collect();
            assert_eq!(names, [json!("laptop"), json!("phone")], "oldest first");
            assert_eq!(
                super::passkeys(&app, &grace).await,
                vec![theirs.passkey.clone()]
            );

            let not_found = delete(&app, &ada, theirs.passkey["id"].as_str().unwrap()).await;
            assert_eq!(not_found.status, 404, "{}", not_found.text);
            assert_eq!(not_found.json, json!({ "detail": "Passkey not found" }));
            assert_eq!(super::passkeys(&app, &grace).await.len(), 1);
            let unknown = delete(&app, &ada, &uuid::Uuid::new_v4().to_string()).await;
            assert_eq!(unknown.status, 404);
            let malformed = delete(&app, &ada, "not-a-uuid").await;
            assert_eq!(malformed.status, 422, "{}", malformed.text);
            assert_eq!(malformed.json["detail"][0]["type"], "uuid_parsing");
            assert_eq!(
                malformed.json["detail"][0]["loc"],
                json!(["path", "passkey_id"])
            );

            let deleted = delete(&app, &ada, first.passkey["id"].as_str().unwrap()).await;
            assert_eq!(deleted.status, 204, "{}", deleted.text);
            assert!(deleted.text.is_empty());
            assert_eq!(
                super::passkeys(&app, &ada).await,
                vec![second.passkey.clone()]
            );
            let again = delete(&app, &ada, first.passkey["id"].as_str().unwrap()).await;
            assert_eq!(again.status, 404);
        },
    )
    .await;
}

async fn the_last_way_to_sign_in_cannot_be_deleted(backend: Backend) {
    with_passkeys(backend, |_| {}, |app| async move {
        let token = user(&app, "ada@example.com").await;
        let mut device = Device::verifying();
        let only = registered(&app, &token, &mut device, "").await;
        // Without a password, the passkey is her only way in.
        let mut db = Connection::open(&app.db).await;
        db.set_password_hash("ada@example.com", None).await;
        let refused = delete(&app, &token, only.passkey["id"].as_str().unwrap()).await;
        assert_eq!(refused.status, 400, "{}", refused.text);
        assert_eq!(
            refused.json,
            json!({ "detail": "Cannot remove your only sign-in method. Set a password or add a passkey first." })
        );
        let signed_in = sign_in(&app, &mut device, "ada@example.com").await;
        assert_eq!(signed_in.status, 200, "{}", signed_in.text);
        let spare = registered(&app, &token, &mut Device::verifying(), "spare").await;
        let deleted = delete(&app, &token, only.passkey["id"].as_str().unwrap()).await;
        assert_eq!(deleted.status, 204, "{}", deleted.text);
        let refused = delete(&app, &token, spare.passkey["id"].as_str().unwrap()).await;
        assert_eq!(refused.status, 400, "{}", refused.text);
    })
    .await;
}

async fn the_routes_need_a_signed_in_user(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let id = uuid::Uuid::new_v4().to_string();
            for (method, path) in [
                (Method::GET, "/passkeys".to_owned()),
                (Method::DELETE, format!("/passkeys/{id}")),
                (Method::POST, "/passkeys/register/begin".to_owned()),
            ] {
                app.call(method.clone(), &path, None, None)
                    .await
                    .assert_unauthorized();
                app.call(method, &path, Some("not.a.token"), None)
                    .await
                    .assert_unauthorized();
            }
            let token = user(&app, "ada@example.com").await;
            assert_eq!(register_begin(&app, &token).await.status, 200);
        },
    )
    .await;
}
