//! The oauth router: `GET /oauth/providers`, `GET /oauth/{provider}/authorize`, `POST /oauth/{provider}/callback`,
//! `GET /oauth/accounts`, `DELETE /oauth/accounts/{provider}`, `GET /oauth/{provider}/link/authorize`,
//! `POST /oauth/{provider}/link/callback`.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{Value, json};

use super::caller::{caller, no_store};
use super::fields::required_string;
use super::mount::Mount;
use super::query_string::QueryString;
use crate::error::{Error, OAuthFailure};
use crate::flows::{Bucket, FullAuth};
use crate::http::{ApiError, Client, SignInClient};
use crate::json::{Issue, Issues, JsonBody, Location};
use crate::model::FullAuthUser;
use crate::store::OAuthAccountOf;
use crate::tokens::OAuthPurpose;

pub(super) fn routes<U: FullAuthUser>(mount: &Mount) -> Router<FullAuth<U>> {
    Router::new()
        .route(&mount.path("/oauth/providers"), get(providers::<U>))
        .route(&mount.path("/oauth/accounts"), get(accounts::<U>))
        .route(
            &mount.path("/oauth/accounts/{provider}"),
            delete(unlink::<U>),
        )
        .route(
            &mount.path("/oauth/{provider}/authorize"),
            get(authorize::<U>),
        )
        .route(
            &mount.path("/oauth/{provider}/callback"),
            post(callback::<U>),
        )
        .route(
            &mount.path("/oauth/{provider}/link/authorize"),
            get(link_authorize::<U>),
        )
        .route(
            &mount.path("/oauth/{provider}/link/callback"),
            post(link_callback::<U>),
        )
}

/// A linked provider account as the routes show it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub(crate) struct AccountView {
    /// The provider's configured name.
    provider: String,
    /// The account's id at the provider.
    provider_user_id: String,
    /// The address the provider gave, when it gave one.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    provider_email: Option<String>,
}

impl<Id> From<crate::model::OAuthAccountMixin<Id>> for AccountView {
    fn from(account: crate::model::OAuthAccountMixin<Id>) -> Self {
        Self {
            provider: account.provider,
            provider_user_id: account.provider_user_id,
            provider_email: account.provider_email,
        }
    }
}

/// The callback body: `code`, `state` and `binding`, all required strings.
struct CallbackBody {
    code: String,
    state: String,
    binding: String,
}

impl CallbackBody {
    fn read(body: JsonBody) -> Result<Self, ApiError> {
        let body = body.into_object()?;
        let mut issues = Issues::new();
        let code = required_string(&body, "code", &mut issues);
        let state = required_string(&body, "state", &mut issues);
        let binding = required_string(&body, "binding", &mut issues);
        match (code, state, binding) {
            (Some(code), Some(state), Some(binding)) if issues.is_empty() => Ok(Self {
                code,
                state,
                binding,
            }),
            _ => Err(issues.into()),
        }
    }
}

/// The provider named in the path; an unreadable one is an unknown one.
fn provider_name(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    match path {
        Ok(Path(name)) => Ok(name),
        Err(_) => Err(Error::OAuth(OAuthFailure::ProviderNotConfigured(String::new())).into()),
    }
}

/// The required `redirect_uri` query parameter.
fn redirect_uri(query: Option<&str>) -> Result<String, ApiError> {
    let query = QueryString::parse(query);
    match query.get("redirect_uri") {
        Some(uri) => Ok(uri.to_owned()),
        None => {
            let mut issues = Issues::new();
            issues.push(Issue::missing(
                vec![Location::from("query"), Location::from("redirect_uri")],
                Value::Null,
            ));
            Err(issues.into())
        }
    }
}

async fn providers<U: FullAuthUser>(State(auth): State<FullAuth<U>>) -> Json<Value> {
    Json(json!({ "providers": auth.oauth_provider_names() }))
}

async fn authorize<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    provider: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let provider = provider_name(provider)?;
    let redirect_uri = redirect_uri(query.as_deref())?;
    let start = auth
        .oauth_authorize(&provider, &redirect_uri, OAuthPurpose::SignIn)
        .await?;
    Ok(no_store(Json(start).into_response()))
}

async fn callback<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    SignInClient(client): SignInClient,
    address: Client,
    provider: Result<Path<String>, PathRejection>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let provider = provider_name(provider)?;
    auth.registered_provider(&provider)?;
    let body = CallbackBody::read(body)?;
    auth.rate_limit(Bucket::Login, &address.0).await?;
    let (user, passed) = auth
        .oauth_sign_in_granting(&provider, body.code, &body.state, &body.binding, &client)
        .await?;
    Ok(super::signed_in::signed_in(&auth, user, passed))
}

async fn accounts<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (user, _) = caller(&auth, &headers).await?;
    let accounts: Vec<AccountView> = auth
        .oauth_accounts(&user)
        .await?
        .into_iter()
        .map(AccountView::from)
        .collect();
    Ok(Json(accounts).into_response())
}

async fn unlink<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    provider: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let (user, _) = caller(&auth, &headers).await?;
    let Ok(Path(provider)) = provider else {
        return Err(Error::OAuth(OAuthFailure::AccountNotFound).into());
    };
    auth.oauth_unlink(&user, &provider).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn link_authorize<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    provider: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let provider = provider_name(provider)?;
    let redirect_uri = redirect_uri(query.as_deref())?;
    let (user, _) = caller(&auth, &headers).await?;
    let subject = user.id().to_string();
    let start = auth
        .oauth_authorize(&provider, &redirect_uri, OAuthPurpose::Link(&subject))
        .await?;
    Ok(no_store(Json(start).into_response()))
}

async fn link_callback<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    provider: Result<Path<String>, PathRejection>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let provider = provider_name(provider)?;
    let body = CallbackBody::read(body)?;
    let (user, _) = caller(&auth, &headers).await?;
    let account: OAuthAccountOf<U> = auth
        .oauth_link(&user, &provider, body.code, &body.state, &body.binding)
        .await?;
    Ok(Json(AccountView::from(account)).into_response())
}
