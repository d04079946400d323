//! `{:?}` of everything that carries a token, a password or a key shows its shape, never the secret: one
//! `tracing::debug!(?value)` in an application must not leak them.

#![allow(clippy::unwrap_used, missing_docs)]

use fullauth::tokens::{AccessGrants, TokenCodec};
use fullauth::{
    FullAuthConfig, FullAuthUser, LoginResponse, SecretKey, TokenPair, UserJson, UserMixin,
};

#[derive(FullAuthUser, Clone, Debug)]
struct User {
    #[fullauth(mixin)]
    auth: UserMixin,
}

const ACCESS: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhY2Nlc3MifQ.YWNjZXNzLXNpZ25hdHVyZQ";
const REFRESH: &str = "eyJhbGciOiJIUzI1NiJ9.eyJ0eXBlIjoicmVmcmVzaCJ9.cmVmcmVzaC1zaWduYXR1cmU";
const KEY: &str = "a secret key of at least thirty-two bytes, for the test";

fn assert_hidden(debug: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!debug.contains(secret), "{secret:?} shows in {debug}");
        // Not a recognisable part of it either.
        let middle = &secret[secret.len() / 3..secret.len() / 3 + 12];
        assert!(
            !debug.contains(middle),
            "part of {secret:?} shows in {debug}"
        );
    }
}

fn token_pair() -> TokenPair {
    TokenPair {
        access_token: ACCESS.to_owned(),
        refresh_token: Some(REFRESH.to_owned()),
        token_type: "bearer",
        expires_in: 900,
    }
}

#[test]
fn token_pairs_show_no_token() {
    let debug = format!("{:?}", token_pair());
    assert_hidden(&debug, &[ACCESS, REFRESH]);
    assert!(debug.contains("expires_in: 900"), "{debug}");
    assert!(debug.contains("bytes"), "{debug}");
    let pretty = format!("{:#?}", token_pair());
    assert_hidden(&pretty, &[ACCESS, REFRESH]);
}

#[test]
fn login_responses_show_no_token_and_no_hash() {
    let mut auth = UserMixin::new("ada@example.com");
    let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g";
    auth.hashed_password = Some(hash.to_owned());
    let user = UserJson {
        user: User { auth },
        roles: Some(vec!["editor".to_owned()]),
    };
    let response = LoginResponse {
        access_token: ACCESS.to_owned(),
        refresh_token: Some(REFRESH.to_owned()),
        token_type: "bearer",
        expires_in: 900,
        user,
    };
    let debug = format!("{response:?}");
    assert_hidden(&debug, &[ACCESS, REFRESH, hash]);
    assert!(
        debug.contains("ada@example.com") && debug.contains("editor"),
        "{debug}"
    );
}

#[test]
fn issued_tokens_and_keys_show_no_secret() {
    let secret = SecretKey::new(KEY).unwrap();
    let config = FullAuthConfig::default();
    let codec = TokenCodec::new(&config, &secret).unwrap();
    let issued = codec
        .issue_access(
            "user-1".to_owned(),
            uuid::Uuid::nil(),
            0,
            AccessGrants::default(),
            serde_json::Map::new(),
            time::OffsetDateTime::now_utc(),
        )
        .unwrap();
    let debug = format!("{issued:?}");
    assert_hidden(&debug, &[&issued.token]);
    assert!(debug.contains("user-1"), "the claims show: {debug}");
    assert_hidden(&format!("{secret:?}"), &[KEY]);
    assert_hidden(&format!("{codec:?}"), &[KEY]);
    let mut configured = FullAuthConfig::default();
    configured.secret_key = Some(secret);
    assert_hidden(&format!("{configured:?}"), &[KEY]);
}
