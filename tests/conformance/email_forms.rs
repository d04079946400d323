//! One address, one account: every form of an address that reads the same (case, composed or decomposed
//! letters, Unicode or Punycode domain, full-width letters in the domain) registers, signs in and resets as one.

use fullauth::FullAuthConfig;
use fullauth_tests::inspect::Connection;
use fullauth_tests::{Backend, TestApp};
use serde_json::json;

use crate::{run, run_with_mail};

const PASSWORD: &str = "correct horse battery";

crate::on_every_backend!(
    look_alike_forms_of_an_address_are_one_account,
    an_account_stored_in_the_earlier_form_stays_reachable,
    a_reset_asked_for_in_another_form_reaches_the_account,
);

/// The forms of `ülrich@bücher.de` that a person cannot tell apart, or that name the same mailbox.
const FORMS: [&str; 5] = [
    "U\u{0308}lrich@bu\u{0308}cher.de",
    "ülrich@xn--bcher-kva.de",
    "ÜLRICH@XN--BCHER-KVA.DE",
    "ülrich@ｂüｃｈｅｒ.ｄｅ",
    "ülrich@BÜCHER.DE",
];

fn with_enumeration_answers(config: &mut FullAuthConfig) {
    config.sign_in.prevent_registration_enumeration = false;
}

async fn look_alike_forms_of_an_address_are_one_account(backend: Backend) {
    crate::run_with(backend, with_enumeration_answers, |app| async move {
        let created = app
            .post(
                "/register",
                json!({"email": "Ülrich@bücher.de", "password": PASSWORD}),
            )
            .await;
        assert_eq!(created.status, 201, "{created:?}");
        assert_eq!(created.json["email"], "ülrich@bücher.de");
        for form in FORMS {
            let again = app
                .post("/register", json!({"email": form, "password": PASSWORD}))
                .await;
            again.assert_detail(409, "A user with this email already exists");
        }
        let mut db = Connection::open(&app.db).await;
        assert_eq!(db.emails().await, vec!["ülrich@bücher.de".to_owned()]);
        for form in FORMS {
            let (access, _) = app.login(form, PASSWORD).await;
            let me = app.get("/me", &access).await;
            assert_eq!(me.json["email"], "ülrich@bücher.de", "{form:?}");
        }
    })
    .await;
}

async fn an_account_stored_in_the_earlier_form_stays_reachable(backend: Backend) {
    run(backend, |app| async move {
        app.register("grace@example.org", PASSWORD).await;
        // A row written before addresses were normalized to Unicode: the Punycode domain as typed.
        let mut db = Connection::open(&app.db).await;
        db.set_email("grace@example.org", "grace@xn--bcher-kva.de")
            .await;
        app.login("Grace@XN--BCHER-KVA.DE", PASSWORD).await;
        // Registering that form again finds the earlier row.
        app.register("GRACE@xn--bcher-kva.de", PASSWORD).await;
        assert_eq!(db.user_count().await, 1);
    })
    .await;
}

async fn a_reset_asked_for_in_another_form_reaches_the_account(backend: Backend) {
    run_with_mail(
        backend,
        |_| {},
        |app: TestApp, sink| async move {
            app.register("ada@bücher.de", PASSWORD).await;
            let asked = app
                .post(
                    "/password-reset/request",
                    json!({"email": "ADA@XN--BCHER-KVA.DE"}),
                )
                .await;
            assert_eq!(asked.status, 202);
            // Mail servers get the domain in Punycode.
            let token = sink.next_to("ada@xn--bcher-kva.de").await.token();
            app.post(
                "/password-reset/confirm",
                json!({"token": token, "new_password": "a new horse battery"}),
            )
            .await
            .assert_detail(200, "Password has been reset.");
            app.login("Ada@bu\u{0308}cher.de", "a new horse battery")
                .await;
        },
    )
    .await;
}
