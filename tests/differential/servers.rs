//! Both servers of a comparison, started with the same `FULLAUTH_*` settings.

use fullauth_tests::oidc::{CLIENT_ID, CLIENT_SECRET, OidcProvider, REDIRECT_URIS};
use fullauth_tests::python::PythonServer;

use crate::rust_side::RustServer;

/// The secret key both sides sign with.
pub const SECRET_KEY: &str = "differential-tests-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz";

/// The Python side's client at the OpenID provider.
const PYTHON_CLIENT_ID: &str = "fastapi-fullauth-app";
/// Its secret.
const PYTHON_CLIENT_SECRET: &str = "fastapi-fullauth-app-secret-0123456789abcdef";

/// The two servers.
pub struct Pair {
    pub python: PythonServer,
    pub rust: RustServer,
    /// The OpenID provider both sign in with, when started with one.
    pub oidc: Option<OidcProvider>,
}

/// Per-route limits high enough that a scenario from one address never meets them.
pub const NO_RATE_LIMITS: (&str, &str) = (
    "FULLAUTH_AUTH_RATE_LIMITS",
    r#"{"login": 10000, "register": 10000, "password_reset": 10000, "passkey_auth": 10000, "refresh": 10000, "reauth": 10000, "mfa": 10000}"#,
);

impl Pair {
    /// Starts both servers with `settings` (on top of a shared secret key); `python_only` goes to the Python
    /// side alone (`DIFF_*` switches of `app.py`), `rust_only` to fullauth alone (the same choice in fullauth's
    /// own words). `None` when the Python library is not installed and not required.
    pub async fn start(
        settings: &[(&str, &str)],
        python_only: &[(&str, &str)],
        rust_only: &[(&str, &str)],
    ) -> Option<Pair> {
        let common: Vec<(String, String)> = std::iter::once(("FULLAUTH_SECRET_KEY", SECRET_KEY))
            .chain(settings.iter().copied())
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        let database = fullauth_tests::example_server::TempDir::new("python");
        let python_env: Vec<(String, String)> = common
            .iter()
            .cloned()
            .chain(
                python_only
                    .iter()
                    .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
            )
            .chain(std::iter::once((
                "DIFF_DATABASE_URL".to_owned(),
                format!(
                    "sqlite+aiosqlite:///{}",
                    database.path().join("python.db").display()
                ),
            )))
            .collect();
        let python = PythonServer::start(&python_env, database).await?;
        let rust_env: Vec<(String, String)> = common
            .into_iter()
            .chain(
                rust_only
                    .iter()
                    .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
            )
            .collect();
        let rust = RustServer::start(&rust_env).await;
        Some(Pair {
            python,
            rust,
            oidc: None,
        })
    }

    /// [`Self::start`] with the tests' OpenID provider as provider `local` of both, each registered as a client
    /// of its own (fastapi-fullauth sends its client secret in the token request's body).
    pub async fn start_with_provider(settings: &[(&str, &str)]) -> Option<Pair> {
        let python_client = serde_json::json!({
            "client_id": PYTHON_CLIENT_ID,
            "client_secret": PYTHON_CLIENT_SECRET,
            "redirect_uris": REDIRECT_URIS,
            "token_endpoint_auth_method": "client_secret_post",
        });
        let provider = OidcProvider::start_with(&[python_client]).await?;
        let redirect_uris = REDIRECT_URIS.join(",");
        let python_only = [
            ("DIFF_OIDC_ISSUER", provider.issuer.as_str()),
            ("DIFF_OIDC_CLIENT_ID", PYTHON_CLIENT_ID),
            ("DIFF_OIDC_CLIENT_SECRET", PYTHON_CLIENT_SECRET),
            ("DIFF_OIDC_REDIRECT_URIS", redirect_uris.as_str()),
        ];
        let rust_only = [
            ("FULLAUTH_OAUTH_LOCAL_ISSUER", provider.issuer.as_str()),
            ("FULLAUTH_OAUTH_LOCAL_CLIENT_ID", CLIENT_ID),
            ("FULLAUTH_OAUTH_LOCAL_CLIENT_SECRET", CLIENT_SECRET),
            ("FULLAUTH_OAUTH_LOCAL_REDIRECT_URIS", redirect_uris.as_str()),
        ];
        let mut pair = Pair::start(settings, &python_only, &rust_only).await?;
        pair.oidc = Some(provider);
        Some(pair)
    }
}
