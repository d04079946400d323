//! The quickstart's passkey page in a real headless Chromium with a virtual authenticator: a passkey added,
//! signing in with it after signing out, and a copy of it whose signature counter is behind refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fullauth_tests::ExampleServer;
use fullauth_tests::browser::Browser;
use fullauth_tests::database::free_port;
use serde_json::{Value, json};

/// Clicks the button `id` and waits for the page to report the action's outcome.
const CLICK: &str = r##"
const [id, done] = [arguments[0], arguments[arguments.length - 1]];
const before = document.body.dataset.step || "";
document.getElementById(id).click();
const timer = setInterval(() => {
  const step = document.body.dataset.step || "";
  if (step !== before) {
    clearInterval(timer);
    done({
      ok: step.endsWith(":ok"),
      status: document.getElementById("status").textContent,
      me: document.getElementById("me").textContent,
      passkeys: document.querySelectorAll("#passkeys li").length,
    });
  }
}, 50);
"##;

/// Types `value` into the input `id`.
const TYPE: &str = r#"
const [id, value, done] = arguments;
document.getElementById(id).value = value;
done(null);
"#;

async fn click(browser: &Browser, id: &str) -> Value {
    browser.run(CLICK, json!([id])).await
}

async fn type_into(browser: &Browser, id: &str, value: &str) {
    browser.run(TYPE, json!([id, value])).await;
}

#[tokio::test]
async fn a_passkey_made_in_the_browser_signs_in_and_a_lagging_copy_is_refused() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    // The passkey origin names the port, so the port is chosen before the server starts; another process may
    // take it first, and then another port is tried.
    let (server, port, origin) = (0..5)
        .find_map(|_| {
            let port = free_port();
            let origin = format!("http://localhost:{port}");
            let bind = format!("127.0.0.1:{port}");
            let server = ExampleServer::try_start(
                env!("CARGO_BIN_EXE_quickstart"),
                &[
                    ("BIND_ADDR", bind.as_str()),
                    ("FULLAUTH_PASSKEY_RP_ID", "localhost"),
                    ("FULLAUTH_PASSKEY_ORIGINS", origin.as_str()),
                ],
            )?;
            Some((server, port, origin))
        })
        .expect("the quickstart stopped before listening, five times (its output above says why)");
    assert!(
        server.base.ends_with(&format!(":{port}")),
        "{}",
        server.base
    );
    browser.goto(&format!("{origin}/")).await;
    let authenticator = browser.add_virtual_authenticator().await;

    type_into(&browser, "email", "ada@example.com").await;
    type_into(&browser, "password", "correct horse battery").await;
    let signed_up = click(&browser, "sign-up").await;
    assert_eq!(signed_up["ok"], true, "{signed_up}");
    let signed_in = click(&browser, "sign-in").await;
    assert_eq!(signed_in["me"], "ada@example.com", "{signed_in}");

    type_into(&browser, "device-name", "virtual laptop").await;
    let added = click(&browser, "add-passkey").await;
    assert_eq!(added["ok"], true, "{added}");
    assert_eq!(added["passkeys"], 1, "{added}");
    let made = browser.credentials(&authenticator).await;
    assert_eq!(made.len(), 1, "{made:?}");
    assert_eq!(
        made[0]["isResidentCredential"], true,
        "a discoverable passkey"
    );

    let signed_out = click(&browser, "sign-out").await;
    assert_eq!(signed_out["me"], "nobody", "{signed_out}");
    // No email: the browser offers the discoverable passkey.
    type_into(&browser, "email", "").await;
    let with_passkey = click(&browser, "passkey-sign-in").await;
    assert_eq!(with_passkey["ok"], true, "{with_passkey}");
    assert_eq!(with_passkey["me"], "ada@example.com", "{with_passkey}");
    let token = browser
        .run(
            "arguments[0](sessionStorage.getItem('access_token'))",
            json!([]),
        )
        .await;
    let me = reqwest::Client::new()
        .get(server.url("/api/v1/auth/me"))
        .bearer_auth(token.as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);

    // A second sign-in moves the authenticator's counter on; the server keeps where it got to.
    click(&browser, "sign-out").await;
    let again = click(&browser, "passkey-sign-in").await;
    assert_eq!(again["ok"], true, "{again}");
    let used = browser.credentials(&authenticator).await;
    let counter = used[0]["signCount"].as_u64().unwrap();
    assert!(
        counter >= 2,
        "the virtual authenticator counts signatures: {used:?}"
    );
    // A copy of the key from before those sign-ins: its next signature counts lower than the server's.
    let mut copy = used[0].clone();
    copy["signCount"] = json!(0);
    browser.remove_credentials(&authenticator).await;
    browser.add_credential(&authenticator, copy).await;
    click(&browser, "sign-out").await;
    let refused = click(&browser, "passkey-sign-in").await;
    assert_eq!(refused["ok"], false, "{refused}");
    assert_eq!(
        refused["status"],
        "passkey sign in failed: Passkey authentication failed"
    );
    assert_eq!(refused["me"], "nobody");
    let logged = server.printed_line_with("signature counter went backwards");
    assert!(logged.contains("WARN"), "{logged}");
    // The same key with its counter where the server last saw it signs in again.
    let mut caught_up = used[0].clone();
    caught_up["signCount"] = json!(counter);
    browser.remove_credentials(&authenticator).await;
    browser.add_credential(&authenticator, caught_up).await;
    let again = click(&browser, "passkey-sign-in").await;
    assert_eq!(again["ok"], true, "{again}");
}
