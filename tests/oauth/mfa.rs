//! An OAuth sign-in of a user with MFA on stops at the second factor, whether the account has a password or
//! not, and the code finishes it.

use fullauth_tests::Backend;
use fullauth_tests::mfa::assert_signed_in as assert_verified;
use fullauth_tests::mfa::{assert_mfa_required, mfa_on, turned_on, verify};
use serde_json::json;

use crate::{assert_signed_in, sign_in, with_provider};

crate::on_sqlite_and_postgres!(
    a_password_less_user_with_mfa_gives_the_code_after_the_provider,
    a_linked_account_with_a_password_and_mfa_gives_the_code_after_the_provider,
);

async fn a_password_less_user_with_mfa_gives_the_code_after_the_provider(backend: Backend) {
    with_provider(
        backend,
        |config, _| mfa_on(config),
        |app, idp| async move {
            let first = sign_in(&app, &idp, "ada:ada@example.com:1").await;
            let (access, _) = assert_signed_in(&first, "ada@example.com");
            // A password-less account proves its presence by the recent sign-in.
            let mut ada = turned_on(&app, access, None).await;
            let again = sign_in(&app, &idp, "ada:ada@example.com:1").await;
            let mfa_token = assert_mfa_required(&again);
            let code = ada.app.next_code().await;
            assert_verified(&verify(&app, &mfa_token, &code).await, "ada@example.com");
        },
    )
    .await;
}

async fn a_linked_account_with_a_password_and_mfa_gives_the_code_after_the_provider(
    backend: Backend,
) {
    with_provider(
        backend,
        |config, _| mfa_on(config),
        |app, idp| async move {
            let ada = fullauth_tests::mfa::enrolled(&app, "ada@example.com").await;
            let mut db = fullauth_tests::inspect::Connection::open(&app.db).await;
            db.set_verified("ada@example.com", true).await;
            let linked = sign_in(&app, &idp, "ada:ada@example.com:1").await;
            let mfa_token = assert_mfa_required(&linked);
            let signed_in = verify(&app, &mfa_token, &ada.recovery_codes[0]).await;
            assert_verified(&signed_in, "ada@example.com");
            let status = app.get("/mfa", &ada.access).await;
            assert_eq!(
                status.json,
                json!({ "enabled": true, "recovery_codes_remaining": 9 })
            );
        },
    )
    .await;
}
