//! The OpenAPI document: what it describes follows what is mounted and configured, the user schema follows the
//! application's model, and the documented routes answer where the document says.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod document;
mod in_a_browser;
mod served;

use fullauth::FullAuth;
use fullauth::config::{FullAuthConfig, OAuthProviderConfig, ProviderKind};
use fullauth_tests::models::User;
use fullauth_tests::{Backend, TestDatabase};
use serde_json::Value;

/// A `FullAuth` of the suites' user model (custom fields of every kind, role models declared) on the in-memory
/// store, with the test configuration changed by `configure`.
pub async fn fullauth(
    configure: impl FnOnce(&mut FullAuthConfig),
) -> (FullAuth<User>, TestDatabase) {
    let db = TestDatabase::create(Backend::Memory)
        .await
        .expect("the in-memory store is always available");
    let mut config = fullauth_tests::app::test_config();
    configure(&mut config);
    (fullauth_tests::app::fullauth_on(&db, config).await, db)
}

/// Every optional router turned on: a GitHub provider, passkeys and MFA.
pub fn everything_on(config: &mut FullAuthConfig) {
    config.oauth.providers.push(OAuthProviderConfig::new(
        "github",
        ProviderKind::GitHub,
        "client",
        "secret",
        ["http://localhost/callback"],
    ));
    config.passkey.rp_id = Some("localhost".into());
    config.passkey.origins = vec!["http://localhost:8000".into()];
    config.mfa.issuer = Some("fullauth tests".into());
}

/// The document as JSON.
pub fn document_json(auth: &FullAuth<User>) -> Value {
    serde_json::to_value(auth.openapi()).expect("the document serializes")
}

/// `(METHOD, path)` of every operation of a document, sorted.
pub fn operations(document: &Value) -> Vec<(String, String)> {
    let mut operations: Vec<_> = document["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("a path item")
                .keys()
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect();
    operations.sort();
    operations
}
