//! The document: the described operations at their paths, the shared components and the security schemes.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathItem, Paths};

use super::operation::Described;
use super::schema_kit::Shape;

/// An OpenAPI 3.1 document of `operations`, with `schemas` as its components; `access_cookie` names the cookie
/// that carries the access token when cookies do.
pub(crate) fn document(
    operations: Vec<Described>,
    schemas: Vec<(&'static str, Shape)>,
    access_cookie: Option<String>,
) -> OpenApi {
    let mut paths = Paths::new();
    for described in operations {
        let item = PathItem::new(described.method, described.operation);
        match paths.paths.get_mut(&described.path) {
            Some(existing) => existing.merge_operations(item),
            None => {
                paths.paths.insert(described.path, item);
            }
        }
    }
    let mut components = ComponentsBuilder::new()
        .schemas_from_iter(schemas)
        .security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "The access token of `POST /login` (or of any other sign-in), as \
                         `Authorization: Bearer <token>`.",
                    ))
                    .build(),
            ),
        );
    if let Some(cookie) = access_cookie {
        components = components.security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                cookie,
                "The access token in the `HttpOnly` cookie a sign-in sets when cookies carry the tokens."
                    .to_owned(),
            ))),
        );
    }
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("fullauth")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Authentication and authorization: accounts, sessions, roles, and the sign-in methods \
                     this application turned on.",
                ))
                .build(),
        )
        .paths(paths)
        .components(Some(components.build()))
        .build()
}
