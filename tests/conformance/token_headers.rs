//! Hostile JWT headers: members that point at other keys (`jku`, `x5u`, `jwk`, `kid`) never make a token signed by
//! another key pass, their URLs are never fetched, and members the verifier does not understand (`crit`, `b64`)
//! refuse even a token signed by our own key, as RFC 7515 requires.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use fullauth_tests::{Backend, TestApp, tokens};
use serde_json::{Value, json};

use crate::run;

const PASSWORD: &str = "correct horse battery";
const ATTACKER_KEY: &[u8] = b"the attacker's own key, 32 bytes or more";

crate::on_every_backend!(header_tricks_are_refused);

/// A listener that counts the connections made to it: a key URL in a token must never be fetched.
async fn key_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&connections);
    tokio::spawn(async move {
        while listener.accept().await.is_ok() {
            counted.fetch_add(1, Ordering::SeqCst);
        }
    });
    (format!("http://{address}/keys.json"), connections)
}

fn with_header(base: &Value, members: Value) -> Value {
    let mut header = base.clone();
    for (name, value) in members.as_object().unwrap() {
        header[name] = value.clone();
    }
    header
}

async fn header_tricks_are_refused(backend: Backend) {
    run(backend, |app: TestApp| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let (url, fetched) = key_server().await;
        let header = tokens::header(&access);
        let claims = tokens::payload(&access);
        let ours = fullauth_tests::app::SECRET.as_bytes();
        let attacker_jwk = json!({
            "kty": "oct",
            "k": "dGhlIGF0dGFja2VyJ3Mgb3duIGtleSwgMzIgYnl0ZXMgb3IgbW9yZQ",
            "alg": "HS256",
        });

        let signed_elsewhere = [
            json!({ "jku": url }),
            json!({ "x5u": url }),
            json!({ "jwk": attacker_jwk }),
            json!({ "kid": "../../../../../../dev/null" }),
            json!({ "kid": "x' UNION SELECT 'the attacker''s own key, 32 bytes or more' --" }),
            json!({ "kid": "/proc/self/environ" }),
            json!({ "x5c": ["MIIBszCCAVmgAwIBAgIU"] }),
        ];
        for members in signed_elsewhere {
            let forged = tokens::sign(
                &with_header(&header, members.clone()),
                &claims,
                ATTACKER_KEY,
            );
            let answer = app.get("/me", &forged).await;
            assert_eq!(answer.status, 401, "{members}: {answer:?}");
            answer.assert_unauthorized();
        }

        // Members the verifier does not understand refuse the token whoever signed it.
        let not_understood = [
            json!({ "crit": ["exp"] }),
            json!({ "crit": ["https://example.com/policy"], "https://example.com/policy": true }),
            json!({ "crit": [] }),
            json!({ "b64": false, "crit": ["b64"] }),
            json!({ "b64": false }),
        ];
        for members in not_understood {
            let token = tokens::sign(&with_header(&header, members.clone()), &claims, ours);
            let answer = app.get("/me", &token).await;
            assert_eq!(answer.status, 401, "{members}: {answer:?}");
        }

        assert_eq!(fetched.load(Ordering::SeqCst), 0, "a key URL was fetched");
        // Our own token, with harmless members of its own, still works.
        assert_eq!(app.get("/me", &access).await.status, 200);
        let with_kid = tokens::sign(&with_header(&header, json!({"kid": "k1"})), &claims, ours);
        assert_eq!(app.get("/me", &with_kid).await.status, 200);
    })
    .await;
}
