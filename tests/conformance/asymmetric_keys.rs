//! Access tokens signed with a private key: verified by an independent implementation (ring) from the published
//! key set alone, rotated without signing anyone out, and every header trick refused.

use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fullauth::FullAuthConfig;
use fullauth::config::JwtAlgorithm;
use fullauth::tokens::TokenCodec;
use fullauth_tests::app::SECRET;
use fullauth_tests::tokens::{header, payload, sign, unsigned};
use fullauth_tests::{Backend, TestApp};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

fullauth_tests::on_backends!(
    [sqlite: Sqlite],
    [
        each_algorithm_signs_tokens_anyone_verifies_with_the_key_set,
        a_retired_key_verifies_until_it_is_removed,
        header_tricks_are_refused,
        moving_from_hs512_to_a_private_key_keeps_the_sessions,
    ]
);

const PASSWORD: &str = "correct horse battery";

fn key_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("keys")
        .join(name)
}

fn signing_with(config: &mut FullAuthConfig, algorithm: JwtAlgorithm, key: &str) {
    config.tokens.algorithm = algorithm;
    config.tokens.private_key_file = Some(key_file(key));
}

async fn key_set(app: &TestApp) -> Value {
    let answer = app.get_app("/.well-known/jwks.json", None).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(
        answer.header("cache-control").as_deref(),
        Some("public, max-age=300")
    );
    answer.json
}

fn b64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).unwrap()
}

/// Whether `token` verifies with a key of `jwks`, found by its `kid`: ring, not the JWT library fullauth uses,
/// and nothing but the published key set.
fn verifies(token: &str, jwks: &Value) -> bool {
    use ring::signature::{self, UnparsedPublicKey};
    let head = header(token);
    let Some(key) = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|key| key["kid"] == head["kid"])
    else {
        return false;
    };
    if key["alg"] != head["alg"] {
        return false;
    }
    let (message, signature) = token.rsplit_once('.').unwrap();
    let signature = b64(signature);
    let text = |name: &str| b64(key[name].as_str().unwrap());
    match key["kty"].as_str().unwrap() {
        "OKP" => UnparsedPublicKey::new(&signature::ED25519, text("x"))
            .verify(message.as_bytes(), &signature)
            .is_ok(),
        "EC" => {
            let mut point = vec![4];
            point.extend(text("x"));
            point.extend(text("y"));
            UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point)
                .verify(message.as_bytes(), &signature)
                .is_ok()
        }
        "RSA" => signature::RsaPublicKeyComponents {
            n: text("n"),
            e: text("e"),
        }
        .verify(
            &signature::RSA_PKCS1_2048_8192_SHA256,
            message.as_bytes(),
            &signature,
        )
        .is_ok(),
        other => panic!("unexpected key type {other}"),
    }
}

/// The RFC 7638 thumbprint of a key set entry, computed here from its members.
fn thumbprint(key: &Value) -> String {
    let members: &[&str] = match key["kty"].as_str().unwrap() {
        "OKP" => &["crv", "kty", "x"],
        "EC" => &["crv", "kty", "x", "y"],
        _ => &["e", "kty", "n"],
    };
    let canonical = members
        .iter()
        .map(|name| format!("\"{name}\":\"{}\"", key[*name].as_str().unwrap()))
        .collect::<Vec<_>>()
        .join(",");
    URL_SAFE_NO_PAD.encode(Sha256::digest(format!("{{{canonical}}}").as_bytes()))
}

async fn each_algorithm_signs_tokens_anyone_verifies_with_the_key_set(backend: Backend) {
    for (algorithm, key, kty) in [
        (JwtAlgorithm::EdDSA, "ed25519-first.pem", "OKP"),
        (JwtAlgorithm::ES256, "p256.pem", "EC"),
        (JwtAlgorithm::RS256, "rsa.pem", "RSA"),
    ] {
        let Some(app) =
            TestApp::start(backend, |config| signing_with(config, algorithm, key)).await
        else {
            return;
        };
        let jwks = key_set(&app).await;
        let keys = jwks["keys"].as_array().unwrap();
        assert_eq!(keys.len(), 1, "{jwks}");
        assert_eq!(keys[0]["kty"], kty);
        assert_eq!(keys[0]["use"], "sig");
        assert_eq!(keys[0]["alg"], algorithm.name());
        assert_eq!(
            keys[0]["kid"],
            thumbprint(&keys[0]),
            "the kid is the RFC 7638 thumbprint"
        );
        assert!(keys[0].get("d").is_none(), "no private member is published");

        let (access, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        assert_eq!(header(&access)["alg"], algorithm.name());
        assert_eq!(header(&access)["kid"], keys[0]["kid"]);
        assert!(verifies(&access, &jwks), "{algorithm:?}");
        // One changed byte of the payload and the signature no longer holds.
        let mut claims = payload(&access);
        claims["sub"] = json!("someone else");
        let (_, signature) = access.rsplit_once('.').unwrap();
        let forged = format!(
            "{}.{}.{signature}",
            access.split('.').next().unwrap(),
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap())
        );
        assert!(!verifies(&forged, &jwks));
        app.get("/me", &forged).await.assert_unauthorized();

        let me = app.get("/me", &access).await;
        assert_eq!(me.status, 200, "{}", me.text);
        // Tokens only fullauth reads keep their HMAC under keys derived from the secret.
        assert_eq!(header(&refresh)["alg"], "HS256");
        let refreshed = app
            .post("/refresh", json!({ "refresh_token": refresh }))
            .await;
        assert_eq!(refreshed.status, 200, "{}", refreshed.text);
        assert!(verifies(&refreshed.str("access_token"), &jwks));
    }
}

async fn a_retired_key_verifies_until_it_is_removed(backend: Backend) {
    let Some(first) = TestApp::start(backend, |config| {
        signing_with(config, JwtAlgorithm::EdDSA, "ed25519-first.pem");
    })
    .await
    else {
        return;
    };
    let (old, _) = first.signed_up("ada@example.com", PASSWORD).await;
    let old_kid = header(&old)["kid"].clone();

    // The same application restarted with a new signing key, the first one retired.
    let mut rotated = first.auth.config().clone();
    signing_with(&mut rotated, JwtAlgorithm::EdDSA, "ed25519-second.pem");
    rotated.tokens.retired_key_files = vec![key_file("ed25519-first.pem")];
    let second = first.another_instance_configured(rotated.clone()).await;
    let jwks = key_set(&second).await;
    let kids: Vec<&Value> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| &key["kid"])
        .collect();
    assert_eq!(kids.len(), 2, "{jwks}");
    assert_eq!(
        kids[1], &old_kid,
        "the signing key first, then the retired one"
    );
    let me = second.get("/me", &old).await;
    assert_eq!(
        me.status, 200,
        "a token of the retired key still works: {}",
        me.text
    );
    let (new, _) = second.login("ada@example.com", PASSWORD).await;
    assert_eq!(header(&new)["kid"], *kids[0]);
    assert!(verifies(&new, &jwks) && verifies(&old, &jwks));

    // A retired key given as its public key alone verifies too.
    let mut public_only = rotated.clone();
    public_only.tokens.retired_key_files = vec![key_file("ed25519-first.public.pem")];
    let third = first.another_instance_configured(public_only).await;
    assert_eq!(key_set(&third).await, jwks);
    assert_eq!(third.get("/me", &old).await.status, 200);

    // Removed from the set, it verifies nothing.
    let mut removed = rotated;
    removed.tokens.retired_key_files.clear();
    let fourth = first.another_instance_configured(removed).await;
    assert_eq!(key_set(&fourth).await["keys"].as_array().unwrap().len(), 1);
    fourth.get("/me", &old).await.assert_unauthorized();
    assert_eq!(fourth.get("/me", &new).await.status, 200);
}

async fn header_tricks_are_refused(backend: Backend) {
    let Some(app) = TestApp::start(backend, |config| {
        signing_with(config, JwtAlgorithm::EdDSA, "ed25519-first.pem");
    })
    .await
    else {
        return;
    };
    let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
    let claims = payload(&access);
    let kid = header(&access)["kid"].clone();
    let public_pem = std::fs::read(key_file("ed25519-first.public.pem")).unwrap();
    let with_private = |key: &str, head: jsonwebtoken::Header| {
        let pem = std::fs::read(key_file(key)).unwrap();
        let key = jsonwebtoken::EncodingKey::from_ed_pem(&pem).unwrap();
        jsonwebtoken::encode(&head, &claims, &key).unwrap()
    };
    let unknown_signer = {
        let mut head = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA);
        head.kid = Some(kid.as_str().unwrap().to_owned());
        with_private("ed25519-second.pem", head)
    };
    let unknown_kid = {
        let mut head = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA);
        head.kid = Some("not-a-key-of-the-set".into());
        with_private("ed25519-first.pem", head)
    };
    let no_kid = with_private(
        "ed25519-first.pem",
        jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA),
    );
    let (_, signature) = access.rsplit_once('.').unwrap();
    let mut other_alg_head = header(&access);
    other_alg_head["alg"] = json!("ES256");
    let other_alg = format!(
        "{}.{}.{signature}",
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&other_alg_head).unwrap()),
        access.split('.').nth(1).unwrap()
    );
    for (what, token) in [
        (
            "HS256 keyed with the public key",
            sign(
                &json!({ "alg": "HS256", "typ": "JWT", "kid": kid }),
                &claims,
                &public_pem,
            ),
        ),
        (
            "HS256 keyed with the secret",
            sign(
                &json!({ "alg": "HS256", "typ": "JWT" }),
                &claims,
                SECRET.as_bytes(),
            ),
        ),
        (
            "alg none",
            unsigned(&json!({ "alg": "none", "typ": "JWT", "kid": kid }), &claims),
        ),
        ("another key under the set's kid", unknown_signer),
        ("a kid not in the set", unknown_kid),
        ("no kid", no_kid),
        ("another alg for the kid", other_alg),
    ] {
        let answer = app.get("/me", &token).await;
        assert_eq!(answer.status, 401, "{what}: {}", answer.text);
    }
    assert_eq!(app.get("/me", &access).await.status, 200);
}

#[test]
fn the_key_options_are_checked_at_start() {
    let secret = fullauth::config::SecretKey::new(SECRET).unwrap();
    let codec = |change: &dyn Fn(&mut FullAuthConfig)| {
        let mut config = FullAuthConfig::default();
        change(&mut config);
        config
            .validate()
            .and_then(|()| TokenCodec::new(&config, &secret).map(|_| ()))
    };
    let option =
        |change: &dyn Fn(&mut FullAuthConfig)| codec(change).unwrap_err().option().to_owned();
    assert!(codec(&|c| signing_with(c, JwtAlgorithm::EdDSA, "ed25519-first.pem")).is_ok());
    assert_eq!(
        option(&|c| c.tokens.algorithm = JwtAlgorithm::EdDSA),
        "tokens.private_key_file"
    );
    for (algorithm, key) in [
        (JwtAlgorithm::EdDSA, "p256.pem"),
        (JwtAlgorithm::ES256, "rsa.pem"),
        (JwtAlgorithm::RS256, "ed25519-first.pem"),
        (JwtAlgorithm::EdDSA, "ed25519-first.public.pem"),
        (JwtAlgorithm::RS256, "rsa-1024.pem"),
        (JwtAlgorithm::EdDSA, "missing.pem"),
    ] {
        let error = codec(&|c| signing_with(c, algorithm, key)).unwrap_err();
        assert_eq!(
            error.option(),
            "tokens.private_key_file",
            "{algorithm:?} {key}: {error}"
        );
    }
    let error = codec(&|c| {
        signing_with(c, JwtAlgorithm::EdDSA, "ed25519-first.pem");
        c.tokens.retired_key_files = vec![key_file("missing.pem")];
    })
    .unwrap_err();
    assert!(error.to_string().contains("missing.pem"), "{error}");
    // Key text where a path belongs is refused without repeating it.
    let pem = std::fs::read_to_string(key_file("ed25519-first.pem")).unwrap();
    let error = codec(&|c| {
        c.tokens.algorithm = JwtAlgorithm::EdDSA;
        c.tokens.private_key_file = Some(pem.clone().into());
    })
    .unwrap_err();
    assert_eq!(error.option(), "tokens.private_key_file");
    assert!(!error.to_string().contains("BEGIN"), "{error}");
    assert_eq!(
        option(&|c| c.tokens.private_key_file = Some(key_file("ed25519-first.pem"))),
        "tokens.algorithm"
    );
}

async fn moving_from_hs512_to_a_private_key_keeps_the_sessions(backend: Backend) {
    let Some(before) = TestApp::start(backend, |config| {
        config.tokens.algorithm = JwtAlgorithm::HS512;
    })
    .await
    else {
        return;
    };
    let (_, refresh) = before.signed_up("ada@example.com", PASSWORD).await;
    assert_eq!(header(&refresh)["alg"], "HS512");
    let mut config = before.auth.config().clone();
    signing_with(&mut config, JwtAlgorithm::EdDSA, "ed25519-first.pem");
    let after = before.another_instance_configured(config).await;
    let refreshed = after
        .post("/refresh", json!({ "refresh_token": refresh }))
        .await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
    assert_eq!(header(&refreshed.str("access_token"))["alg"], "EdDSA");
    assert_eq!(header(&refreshed.str("refresh_token"))["alg"], "HS256");
}
