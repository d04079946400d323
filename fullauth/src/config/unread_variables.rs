//! Naming the `FULLAUTH_*` variables no setting reads: a misspelt name leaves its option at the default without
//! a word otherwise.

use super::env::reader;
use super::full_auth_config::FullAuthConfig;
use super::setting::ConfigError;

impl FullAuthConfig {
    /// The `FULLAUTH_*` variables among `vars` that no setting reads, in name order: a misspelt name, or a
    /// setting of another library or version, which would otherwise leave its option at the default without a
    /// word. An application's own variables under the same prefix are named too.
    ///
    /// The error is the one [`Self::from_vars`] gives when the variables do not make a valid configuration.
    ///
    /// ```
    /// # use fullauth::FullAuthConfig;
    /// let unread = FullAuthConfig::unread_variables([
    ///     ("FULLAUTH_ACCESS_TOKEN_EXPIRE_MINUTES", "15"),
    ///     ("FULLAUTH_ACCES_TOKEN_EXPIRE_MINUTES", "15"),
    ///     ("HOME", "/root"),
    /// ])?;
    /// assert_eq!(unread, ["FULLAUTH_ACCES_TOKEN_EXPIRE_MINUTES"]);
    /// # Ok::<(), fullauth::ConfigError>(())
    /// ```
    pub fn unread_variables<I, K, V>(vars: I) -> Result<Vec<String>, ConfigError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let env = reader(vars);
        Self::read(&env)?;
        Ok(env.unread())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_variables_no_setting_reads() {
        let unread = FullAuthConfig::unread_variables([
            ("FULLAUTH_SECRET_KEY", "0123456789abcdef0123456789abcdef"),
            ("FULLAUTH_PASWORD_MIN_LENGTH", "12"),
            ("FULLAUTH_OAUTH_STATE_EXPIRE_SECONDS", "120"),
            ("FULLAUTH_OAUTH_GITHUB_CLIENT_ID", "client"),
            ("FULLAUTH_OAUTH_GITHUB_CLIENT_SECRET", "secret"),
            (
                "FULLAUTH_OAUTH_GITHUB_REDIRECT_URIS",
                "https://app.example.com/cb",
            ),
            ("FULLAUTH_OAUTH_GITHUB_CLIENTSECRET", "secret"),
            ("FULLAUTH_SMTP_URL", "smtp://127.0.0.1:2525"),
            ("FULLAUTH_FRONTEND_URL", "https://app.example.com"),
            ("FULLAUTH_SUPERUSER_EMAIL", "admin@example.com"),
            ("FULLAUTH_TRUSTED_PROXIES", ""),
            ("DATABASE_URL", "sqlite://app.db"),
        ])
        .unwrap();
        assert_eq!(
            unread,
            [
                "FULLAUTH_OAUTH_GITHUB_CLIENTSECRET",
                "FULLAUTH_PASWORD_MIN_LENGTH",
                "FULLAUTH_SUPERUSER_EMAIL",
            ]
        );
        assert!(
            FullAuthConfig::unread_variables([(
                "FULLAUTH_SECRET_KEY",
                "0123456789abcdef0123456789abcdef"
            )])
            .unwrap()
            .is_empty()
        );
        let refused =
            FullAuthConfig::unread_variables([("FULLAUTH_ACCESS_TOKEN_EXPIRE_MINUTES", "soon")])
                .unwrap_err();
        assert_eq!(refused.option(), "FULLAUTH_ACCESS_TOKEN_EXPIRE_MINUTES");
    }
}
