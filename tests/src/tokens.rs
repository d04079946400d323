//! Reading and forging JWTs, for the tests that attack them.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// The payload of a JWT, without checking anything.
pub fn payload(token: &str) -> Value {
    let part = token.split('.').nth(1).expect("a JWT has three parts");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

/// The header of a JWT.
pub fn header(token: &str) -> Value {
    let part = token.split('.').next().unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

/// A token with the given header and payload, signed with HS256 under `secret`.
pub fn sign(header: &Value, payload: &Value, secret: &[u8]) -> String {
    let encoded = |value: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap());
    let message = format!("{}.{}", encoded(header), encoded(payload));
    let key = jsonwebtoken::EncodingKey::from_secret(secret);
    let _ = jsonwebtoken::crypto::CryptoProvider::install_default(
        &jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER,
    );
    let signature =
        jsonwebtoken::crypto::sign(message.as_bytes(), &key, jsonwebtoken::Algorithm::HS256)
            .unwrap();
    format!("{message}.{signature}")
}

/// A token with the given header and payload and no signature (`alg: none` style).
pub fn unsigned(header: &Value, payload: &Value) -> String {
    let encoded = |value: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap());
    format!("{}.{}.", encoded(header), encoded(payload))
}

/// The name fullauth gives an account (its normalized email) in the shared state's keys, for a server whose secret
/// key is `secret`: HMAC-SHA256 under HMAC-SHA256(secret, "fullauth account key"), in lower-case hex.
pub fn account_key(secret: &[u8], email: &str) -> String {
    use hmac::{Hmac, Mac};
    type HmacSha256 = Hmac<sha2::Sha256>;
    let mut derive = HmacSha256::new_from_slice(secret).unwrap();
    derive.update(b"fullauth account key");
    let key = derive.finalize().into_bytes();
    let mut mac = HmacSha256::new_from_slice(&key).unwrap();
    mac.update(email.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Resets the password of `email` (whose id is `user_id` and whose password hash is `hashed_password`) to
/// `new_password` with a reset token issued as the mail would carry it; expects 200.
pub async fn reset_password(
    app: &crate::TestApp,
    user_id: &str,
    email: &str,
    hashed_password: Option<&str>,
    new_password: &str,
) {
    use fullauth::tokens::TokenType;
    let tokens = app.auth.tokens();
    let fingerprint = tokens.account_fingerprint(TokenType::PasswordReset, email, hashed_password);
    let token = tokens
        .issue_mail_token(
            TokenType::PasswordReset,
            user_id.to_owned(),
            std::time::Duration::from_secs(600),
            fingerprint,
            time::OffsetDateTime::now_utc(),
        )
        .unwrap();
    let reset = app
        .post(
            "/password-reset/confirm",
            serde_json::json!({ "token": token.token, "new_password": new_password }),
        )
        .await;
    assert_eq!(reset.status, 200, "{}", reset.text);
}
