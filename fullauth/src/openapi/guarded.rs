//! [`Guard`] and [`FullAuth::guarded_operation`]: the application's own routes behind fullauth's guards, described
//! with the answers those guards give.

use utoipa::openapi::path::{HttpMethod, OperationBuilder};
use utoipa::openapi::{Content, RefOr, Response, ResponseBuilder, Schema};

use super::operation::{Caller, Op};
use crate::flows::FullAuth;
use crate::model::FullAuthUser;

/// Who may call one of the application's own routes, as the extractor or layer guarding it decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Guard {
    /// [`crate::CurrentUser`] or [`crate::AccessClaims`]: any valid access token, 401 without one.
    SignedIn,
    /// [`crate::VerifiedUser`], [`crate::SuperUser`], the role and permission guards and
    /// [`FullAuth::require_role`]: 401 without a valid access token, 403 `Not enough permissions` for a user who
    /// does not qualify.
    Restricted,
}

impl<U: FullAuthUser> FullAuth<U> {
    /// The start of the description of one of the application's own routes behind `guard`, for a document merged
    /// with [`FullAuth::openapi`]: its summary, the security schemes of that document (`bearer`, and `cookie`
    /// when cookies carry the tokens), and every answer the guard gives besides the route's own: 401 with
    /// `WWW-Authenticate`, 403 for [`Guard::Restricted`], 400 for a token cookie sent twice (with cookies) and
    /// 503 while the database or the shared state is out of reach. Add the route's own answers, then put it at its path.
    ///
    /// ```no_run
    /// use fullauth::openapi::utoipa::openapi::path::{HttpMethod, PathItem, PathsBuilder};
    /// use fullauth::openapi::utoipa::openapi::{OpenApiBuilder, Ref};
    /// use fullauth::openapi::{Guard, json_answer};
    /// # async fn run(fullauth: fullauth::FullAuth<impl fullauth::FullAuthUser>) {
    /// let profile = fullauth
    ///     .guarded_operation(Guard::SignedIn, "The signed-in user's profile")
    ///     .response("200", json_answer("The user.", Ref::from_schema_name("PublicUser")));
    /// let own = OpenApiBuilder::new()
    ///     .paths(PathsBuilder::new().path("/profile", PathItem::new(HttpMethod::Get, profile)))
    ///     .build();
    /// let mut document = fullauth.openapi();
    /// document.merge(own);
    /// # }
    /// ```
    pub fn guarded_operation(&self, guard: Guard, summary: &str) -> OperationBuilder {
        let mut op = Op::new(HttpMethod::Get, String::new(), "", "")
            .caller(Caller::SignedIn)
            .of_the_application();
        if guard == Guard::Restricted {
            op = op.detail(
                403,
                "The user does not qualify for this route: `Not enough permissions`.",
            );
        }
        let context = self.openapi_context();
        let mut operation = context.describe_one(op).operation;
        operation.operation_id = None;
        operation.tags = None;
        operation.summary = Some(summary.to_owned());
        operation.into()
    }
}

/// An answer with a JSON body of schema `body`, for describing the application's own routes.
pub fn json_answer(description: &str, body: impl Into<RefOr<Schema>>) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", Content::new(Some(body.into())))
        .build()
}
