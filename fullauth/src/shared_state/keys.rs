//! The names of the keys fullauth sets in the shared state.

/// The key naming a revoked token id.
pub(crate) fn revoked_token_key(jti: &str) -> String {
    format!("fullauth:revoked:jti:{jti}")
}

/// The key naming a revoked session family.
pub(crate) fn revoked_family_key(family_id: &uuid::Uuid) -> String {
    format!("fullauth:revoked:family:{family_id}")
}
