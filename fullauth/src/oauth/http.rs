//! [`OAuthHttp`]: the one HTTP client fullauth talks to providers with.

use std::time::Duration;

use serde::de::DeserializeOwned;

use super::error::OAuthError;

/// Largest answer read from a provider's discovery, key-set or user endpoints, in bytes.
const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// An HTTP client for providers: redirects are never followed (a redirect is an error), every request times
/// out, answers are read up to a size limit.
#[derive(Debug, Clone)]
pub struct OAuthHttp {
    client: oauth2::reqwest::Client,
}

impl OAuthHttp {
    /// A client whose requests give up after `timeout`.
    pub fn new(timeout: Duration) -> Result<Self, OAuthError> {
        let client = oauth2::reqwest::Client::builder()
            .redirect(oauth2::reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(concat!("fullauth/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| {
                OAuthError::Unreachable(format!("building the HTTP client: {error}"))
            })?;
        Ok(Self { client })
    }

    /// Sends a request the `oauth2` crate built (the code exchange), reading the answer up to the size limit.
    pub(crate) async fn send(
        &self,
        request: oauth2::HttpRequest,
    ) -> Result<oauth2::HttpResponse, OAuthError> {
        let request = oauth2::reqwest::Request::try_from(request)
            .map_err(|error| OAuthError::bad_answer(format!("building a request: {error}")))?;
        let method = request.method().to_string();
        let url = request.url().to_string();
        let mut response = self.client.execute(request).await.map_err(|error| {
            OAuthError::Unreachable(format!("{method} {url}: {}", with_causes(&error)))
        })?;
        let mut answer = oauth2::http::Response::builder().status(response.status());
        for (name, value) in response.headers() {
            answer = answer.header(name, value);
        }
        let body = read_capped(&mut response, &method, &url).await?;
        answer
            .body(body)
            .map_err(|error| OAuthError::bad_answer(format!("{method} {url}: {error}")))
    }

    /// GETs `url` as JSON, with `bearer` as the access token when given.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        url: &str,
        bearer: Option<&str>,
    ) -> Result<T, OAuthError> {
        let mut request = self
            .client
            .get(url)
            .header(oauth2::http::header::ACCEPT, "application/json");
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        let mut response = request.send().await.map_err(|error| {
            OAuthError::Unreachable(format!("GET {url}: {}", with_causes(&error)))
        })?;
        let status = response.status();
        if status.is_redirection() {
            return Err(OAuthError::bad_answer(format!(
                "GET {url} redirected ({status}), not followed"
            )));
        }
        if !status.is_success() {
            return Err(OAuthError::Unreachable(format!(
                "GET {url} answered {status}"
            )));
        }
        let body = read_capped(&mut response, "GET", url).await?;
        serde_json::from_slice(&body)
            .map_err(|error| OAuthError::bad_answer(format!("GET {url}: {error}")))
    }
}

impl<'c> oauth2::AsyncHttpClient<'c> for OAuthHttp {
    type Error = OAuthError;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<oauth2::HttpResponse, OAuthError>> + Send + 'c>,
    >;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(self.send(request))
    }
}

/// The body of `response`, refused past [`MAX_ANSWER_BYTES`].
async fn read_capped(
    response: &mut oauth2::reqwest::Response,
    method: &str,
    url: &str,
) -> Result<Vec<u8>, OAuthError> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|error| {
        OAuthError::Unreachable(format!("{method} {url}: {}", with_causes(&error)))
    })? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(OAuthError::bad_answer(format!(
                "{method} {url} answered more than {MAX_ANSWER_BYTES} bytes"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// An error and its causes, `: `-separated (reqwest's own message hides the cause: refused, timed out, ...).
pub(crate) fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
