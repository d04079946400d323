//! `GET /.well-known/jwks.json`, the key set [`crate::FullAuth::jwks_router`] serves at the application's root.

use utoipa::openapi::path::HttpMethod::Get;

use super::operation::Op;
use super::schema_kit::{Shape, array, object, string};
use crate::routes::JWKS_PATH;

pub(super) fn operations() -> Vec<Op> {
    let key: Shape = object([
        ("kty", string().into(), true),
        ("kid", string().into(), true),
        ("use", string().into(), false),
        ("alg", string().into(), false),
    ])
    .description(Some(
        "A public JSON Web Key (RFC 7517), with the members of its type (`crv` and `x`, `y`, or `n` and `e`).",
    ))
    .into();
    vec![
        Op::new(
            Get,
            JWKS_PATH.to_owned(),
            "jwks",
            "The public keys that verify access tokens",
        )
        .answer(
            200,
            "The signing key and the retired keys still verifying tokens, each with its `kid`; verifiers may \
             keep the set for five minutes.",
            object([("keys", array(key), true)]).into(),
        ),
    ]
}
