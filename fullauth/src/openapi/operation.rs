//! [`Op`]: one operation of the document, with the answers every route of its kind gives added for it.

use std::collections::BTreeMap;

use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, Parameter, ParameterBuilder, ParameterIn,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{Content, Header, Required, Response, ResponseBuilder};

use super::schema_kit::{Shape, component, detail_body, integer, string};

/// How an operation learns who is calling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Caller {
    /// Anyone may call it.
    Anyone,
    /// A valid access token is required: 401 without one.
    SignedIn,
    /// A superuser's access token is required: 401 without a token, 403 for anyone else.
    Superuser,
}

/// An operation being described: its route, what it reads, and every answer it can give.
pub(crate) struct Op {
    method: HttpMethod,
    path: String,
    id: &'static str,
    summary: &'static str,
    caller: Caller,
    reads_refresh_cookie: bool,
    /// Whether fullauth's routers serve it, behind their body limit (413).
    behind_body_limit: bool,
    parameters: Vec<Parameter>,
    /// Whether a parameter's value is checked (a 422 when it is not of its type).
    checks_parameters: bool,
    body: Option<RequestBody>,
    answers: BTreeMap<u16, Answer>,
}

/// The JSON body an operation reads.
struct RequestBody {
    shape: Shape,
    required: bool,
}

/// What an operation answers with one status: every reason it does, its body and its headers.
#[derive(Default)]
struct Answer {
    descriptions: Vec<String>,
    shape: Option<Shape>,
    headers: Vec<(&'static str, Header)>,
}

/// A described operation, ready to be put at its path.
pub(crate) struct Described {
    /// The full path, prefix included.
    pub(crate) path: String,
    /// The method.
    pub(crate) method: HttpMethod,
    /// The operation.
    pub(crate) operation: Operation,
}

impl Op {
    /// `method path`, named `id` (unique in the document) and summarized.
    pub(crate) fn new(
        method: HttpMethod,
        path: String,
        id: &'static str,
        summary: &'static str,
    ) -> Self {
        Op {
            method,
            path,
            id,
            summary,
            caller: Caller::Anyone,
            reads_refresh_cookie: false,
            behind_body_limit: true,
            parameters: Vec::new(),
            checks_parameters: false,
            body: None,
            answers: BTreeMap::new(),
        }
    }

    /// Who may call it.
    pub(crate) fn caller(mut self, caller: Caller) -> Self {
        self.caller = caller;
        self
    }

    /// It is one of the application's own routes, outside fullauth's routers and their body limit.
    pub(crate) fn of_the_application(mut self) -> Self {
        self.behind_body_limit = false;
        self
    }

    /// It reads the refresh cookie (when cookies carry the tokens).
    pub(crate) fn reads_refresh_cookie(mut self) -> Self {
        self.reads_refresh_cookie = true;
        self
    }

    /// A JSON request body of this shape; `required` false when it may be left out.
    pub(crate) fn body(mut self, shape: Shape, required: bool) -> Self {
        self.body = Some(RequestBody { shape, required });
        self
    }

    /// A path parameter whose value is looked up as it is: any value is accepted, and one that names nothing
    /// gets the route's own answer (a 404, or an empty list).
    pub(crate) fn path_parameter(self, name: &str, shape: Shape, description: &str) -> Self {
        self.parameter(ParameterIn::Path, name, shape, true, description)
    }

    /// A path parameter of a type (an id): a value not of the type is a 422.
    pub(crate) fn typed_path_parameter(
        mut self,
        name: &str,
        shape: Shape,
        description: &str,
    ) -> Self {
        self.checks_parameters = true;
        self.path_parameter(name, shape, description)
    }

    /// A query parameter; its value is checked (422).
    pub(crate) fn query_parameter(
        mut self,
        name: &str,
        shape: Shape,
        required: bool,
        description: &str,
    ) -> Self {
        self.checks_parameters = true;
        self.parameter(ParameterIn::Query, name, shape, required, description)
    }

    fn parameter(
        mut self,
        place: ParameterIn,
        name: &str,
        shape: Shape,
        required: bool,
        description: &str,
    ) -> Self {
        self.parameters.push(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(place)
                .required(required_if(required))
                .description(Some(description))
                .schema(Some(shape))
                .build(),
        );
        self
    }

    /// An answer with a JSON body of `shape`.
    pub(crate) fn answer(self, status: u16, description: &str, shape: Shape) -> Self {
        self.add(status, description, Some(shape), Vec::new())
    }

    /// 202 with the `mfa_token` of a sign-in that waits for its second factor, when `mfa_on`.
    pub(crate) fn second_factor(self, mfa_on: bool, description: &str) -> Self {
        if mfa_on {
            self.answer(202, description, component("MfaRequired"))
        } else {
            self
        }
    }

    /// An answer without a body (204).
    pub(crate) fn empty(self, status: u16, description: &str) -> Self {
        self.add(status, description, None, Vec::new())
    }

    /// An answer with the body `{"detail": "..."}`, a message; a 422's detail may also be pydantic's list, so
    /// its shape says both.
    pub(crate) fn detail(self, status: u16, description: &str) -> Self {
        let shape = if status == 422 {
            component("HTTPValidationError")
        } else {
            detail_body()
        };
        self.add(status, description, Some(shape), Vec::new())
    }

    /// 401 `Could not validate credentials`, with `WWW-Authenticate: Bearer`.
    pub(crate) fn unauthorized(self, description: &str) -> Self {
        let headers = vec![("WWW-Authenticate", header(string().into(), "`Bearer`."))];
        self.add(401, description, Some(detail_body()), headers)
    }

    /// The per-route rate limit: 429 with its headers.
    pub(crate) fn rate_limited(self, bucket: &str) -> Self {
        let seconds = |description| header(integer("int64").into(), description);
        let headers = vec![
            ("X-RateLimit-Limit", seconds("Requests allowed per window.")),
            ("X-RateLimit-Remaining", seconds("Always 0 on this answer.")),
            (
                "X-RateLimit-Reset",
                seconds("Seconds until the window resets."),
            ),
            ("Retry-After", seconds("Whole seconds to wait, rounded up.")),
        ];
        let description = format!("Too many requests from this address (the `{bucket}` limit).");
        self.add(429, &description, Some(detail_body()), headers)
    }

    fn add(
        mut self,
        status: u16,
        description: &str,
        shape: Option<Shape>,
        headers: Vec<(&'static str, Header)>,
    ) -> Self {
        let answer = self.answers.entry(status).or_default();
        answer.descriptions.push(description.to_owned());
        match (&answer.shape, shape) {
            (None, shape) => answer.shape = shape,
            (Some(kept), Some(shape)) => {
                debug_assert!(*kept == shape, "two bodies for {status} of {}", self.id);
            }
            (Some(_), None) => {}
        }
        answer.headers.extend(headers);
        self
    }

    /// The operation, with the answers every operation of its kind gives, tagged with `tags`; a signed-in
    /// caller satisfies one of `security`, and `cookies` says whether cookies carry the tokens.
    pub(crate) fn describe(
        mut self,
        tags: &[String],
        security: &[SecurityRequirement],
        cookies: bool,
    ) -> Described {
        let signed_in = "No valid access token: `Could not validate credentials`.";
        match self.caller {
            Caller::Anyone => {}
            Caller::SignedIn => self = self.unauthorized(signed_in),
            Caller::Superuser => {
                self = self.unauthorized(signed_in).detail(
                    403,
                    "The caller is not a superuser: `Not enough permissions`.",
                );
            }
        }
        if cookies && (self.reads_refresh_cookie || self.caller != Caller::Anyone) {
            self = self.detail(
                400,
                "A token cookie was sent more than once: fullauth's cookies are cleared, sign in again.",
            );
        }
        if self.body.is_some() || self.checks_parameters {
            self = self.add(
                422,
                "The request does not validate: a list of problems, one per field (pydantic's shape), or a \
                 message.",
                Some(component("HTTPValidationError")),
                Vec::new(),
            );
        }
        if self.body.is_some() {
            self = self.detail(
                400,
                "The body could not be read (the connection broke while sending it).",
            );
        }
        if self.behind_body_limit {
            self = self.detail(413, "The body is larger than `routes.max_body_bytes`.");
        }
        self = self.add(
            503,
            "The database or the shared state is unreachable for a moment; try again.",
            Some(detail_body()),
            vec![(
                "Retry-After",
                header(integer("int64").into(), "Seconds to wait."),
            )],
        );

        let mut builder = OperationBuilder::new()
            .operation_id(Some(self.id))
            .summary(Some(self.summary))
            .tags(Some(tags.iter().cloned()));
        if !self.parameters.is_empty() {
            builder = builder.parameters(Some(self.parameters));
        }
        if let Some(body) = self.body {
            builder = builder.request_body(Some(
                RequestBodyBuilder::new()
                    .content("application/json", Content::new(Some(body.shape)))
                    .required(Some(required_if(body.required)))
                    .build(),
            ));
        }
        if self.caller != Caller::Anyone {
            builder = builder.securities(Some(security.iter().cloned()));
        }
        for (status, answer) in self.answers {
            builder = builder.response(status.to_string(), response(answer));
        }
        Described {
            path: self.path,
            method: self.method,
            operation: builder.build(),
        }
    }
}

fn required_if(required: bool) -> Required {
    if required {
        Required::True
    } else {
        Required::False
    }
}

fn header(shape: Shape, description: &str) -> Header {
    let mut header = Header::new(shape);
    header.description = Some(description.to_owned());
    header
}

fn response(answer: Answer) -> Response {
    let mut builder = ResponseBuilder::new().description(answer.descriptions.join(" "));
    if let Some(shape) = answer.shape {
        builder = builder.content("application/json", Content::new(Some(shape)));
    }
    for (name, header) in answer.headers {
        builder = builder.header(name, header);
    }
    builder.build()
}
