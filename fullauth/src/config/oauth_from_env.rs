//! OAuth providers read from `FULLAUTH_OAUTH_*` variables, through the whole configuration.

use super::full_auth_config::FullAuthConfig;
use super::oauth_provider::ProviderKind;
use super::setting::ConfigError;

fn from(vars: &[(&str, &str)]) -> Result<FullAuthConfig, ConfigError> {
    let mut all = vec![("FULLAUTH_SECRET_KEY", "0123456789abcdef0123456789abcdef")];
    all.extend_from_slice(vars);
    FullAuthConfig::from_vars(all)
}

#[test]
fn providers_come_from_groups_of_variables() {
    let config = from(&[
        ("FULLAUTH_OAUTH_GOOGLE_CLIENT_ID", "g-id"),
        ("FULLAUTH_OAUTH_GOOGLE_CLIENT_SECRET", "g-secret"),
        (
            "FULLAUTH_OAUTH_GOOGLE_REDIRECT_URIS",
            "https://app.example.com/cb, http://localhost:3000/cb",
        ),
        ("FULLAUTH_OAUTH_MY_IDP_ISSUER", "http://127.0.0.1:9000"),
        ("FULLAUTH_OAUTH_MY_IDP_CLIENT_ID", "m-id"),
        ("FULLAUTH_OAUTH_MY_IDP_CLIENT_SECRET", "m-secret"),
        (
            "FULLAUTH_OAUTH_MY_IDP_REDIRECT_URIS",
            "https://app.example.com/cb",
        ),
        (
            "FULLAUTH_OAUTH_MY_IDP_SCOPES",
            "openid email,offline_access",
        ),
        ("FULLAUTH_OAUTH_STATE_EXPIRE_SECONDS", "120"),
    ])
    .unwrap();
    let names: Vec<_> = config
        .oauth
        .providers
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["google", "my_idp"]);
    let google = config.oauth.provider("google").unwrap();
    assert_eq!(google.kind, ProviderKind::Google);
    assert_eq!(
        google.issuer.as_deref(),
        Some("https://accounts.google.com")
    );
    assert_eq!(
        google.redirect_uris,
        ["https://app.example.com/cb", "http://localhost:3000/cb"]
    );
    assert_eq!(google.scopes, ["openid", "email", "profile"]);
    assert!(!format!("{google:?}").contains("g-secret"));
    let idp = config.oauth.provider("my_idp").unwrap();
    assert_eq!(idp.kind, ProviderKind::OpenIdConnect);
    assert_eq!(idp.scopes, ["openid", "email", "offline_access"]);
    assert_eq!(config.oauth.state_expire_seconds, 120);
}

#[test]
fn a_provider_that_cannot_work_stops_the_start_naming_its_variable() {
    for (vars, variable) in [
        (
            vec![("FULLAUTH_OAUTH_ACME_CLIENT_ID", "x")],
            "FULLAUTH_OAUTH_ACME_ISSUER",
        ),
        (
            vec![
                ("FULLAUTH_OAUTH_GITHUB_CLIENT_ID", "x"),
                (
                    "FULLAUTH_OAUTH_GITHUB_REDIRECT_URIS",
                    "https://a.example/cb",
                ),
            ],
            "FULLAUTH_OAUTH_GITHUB_CLIENT_SECRET",
        ),
        (
            vec![
                ("FULLAUTH_OAUTH_GITHUB_CLIENT_ID", "x"),
                ("FULLAUTH_OAUTH_GITHUB_CLIENT_SECRET", "y"),
            ],
            "FULLAUTH_OAUTH_GITHUB_REDIRECT_URIS",
        ),
        (
            vec![
                ("FULLAUTH_OAUTH_CORP_ISSUER", "http://idp.example.com"),
                ("FULLAUTH_OAUTH_CORP_CLIENT_ID", "x"),
                ("FULLAUTH_OAUTH_CORP_CLIENT_SECRET", "y"),
                ("FULLAUTH_OAUTH_CORP_REDIRECT_URIS", "https://a.example/cb"),
            ],
            "FULLAUTH_OAUTH_CORP_ISSUER",
        ),
        (
            vec![
                ("FULLAUTH_OAUTH_GITHUB_CLIENT_ID", "x"),
                ("FULLAUTH_OAUTH_GITHUB_CLIENT_SECRET", "y"),
                ("FULLAUTH_OAUTH_GITHUB_REDIRECT_URIS", "/relative/cb"),
            ],
            "FULLAUTH_OAUTH_GITHUB_REDIRECT_URIS",
        ),
    ] {
        let error = from(&vars).unwrap_err();
        assert_eq!(error.option(), variable, "{error}");
    }
}
