//! Naming the `FULLAUTH_*` variables no setting reads: a misspelt name leaves its option at the default without
//! a word otherwise.

use super::env::reader;
use super::full_auth_config::FullAuthConfig;
use super::oauth::is_provider_variable;
use super::setting::ENV_PREFIX;

impl FullAuthConfig {
    /// The `FULLAUTH_*` variables among `vars` that no setting reads, in name order: a misspelt name, or a
    /// setting of another library or version, which would otherwise leave its option at the default without a
    /// word. An application's own variables under the same prefix are named too. The values do not matter: the
    /// names are found whether or not the variables make a valid configuration.
    ///
    /// ```
    /// # use fullauth::FullAuthConfig;
    /// let unread = FullAuthConfig::unread_variables([
    ///     ("FULLAUTH_ACCESS_TOKEN_EXPIRE_MINUTES", "15"),
    ///     ("FULLAUTH_ACCES_TOKEN_EXPIRE_MINUTES", "15"),
    ///     ("HOME", "/root"),
    /// ]);
    /// assert_eq!(unread, ["FULLAUTH_ACCES_TOKEN_EXPIRE_MINUTES"]);
    /// ```
    pub fn unread_variables<I, K, V>(vars: I) -> Vec<String>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        // Every setting asks for its variable whatever the others hold, so reading nothing names them all.
        let empty = reader(std::iter::empty::<(String, String)>());
        // The defaults always make a configuration; only the names asked for matter here.
        let _ = Self::read(&empty);
        let known = empty.asked_for();
        let mut unread: Vec<String> = vars
            .into_iter()
            .map(|(name, _)| name.into())
            .filter(|name| name.starts_with(ENV_PREFIX))
            .filter(|name| !known.contains(name) && !is_provider_variable(name))
            .collect();
        unread.sort_unstable();
        unread.dedup();
        unread
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
            ("FULLAUTH_OAUTH_", "no provider"),
            ("FULLAUTH_SMTP_URL", "smtp://127.0.0.1:2525"),
            ("FULLAUTH_SUPERUSER_EMAIL", "admin@example.com"),
            ("FULLAUTH_TRUSTED_PROXIES", ""),
            ("DATABASE_URL", "sqlite://app.db"),
        ]);
        assert_eq!(
            unread,
            [
                "FULLAUTH_OAUTH_",
                "FULLAUTH_OAUTH_GITHUB_CLIENTSECRET",
                "FULLAUTH_PASWORD_MIN_LENGTH",
                "FULLAUTH_SUPERUSER_EMAIL",
            ]
        );
        assert!(FullAuthConfig::unread_variables([("FULLAUTH_MFA_ENABLED", "true")]).is_empty());
    }

    #[test]
    fn the_names_are_found_when_the_values_are_refused() {
        let vars = [
            ("FULLAUTH_ACCESS_TOKEN_EXPIRE_MINUTES", "soon"),
            ("FULLAUTH_OAUTH_GITHUB_CLIENTSECRET", "secret"),
            ("FULLAUTH_OAUTH_GITHUB_CLIENT_ID", "client"),
            ("FULLAUTH_MFA_ISUER", "Example"),
        ];
        assert!(FullAuthConfig::from_vars(vars).is_err());
        assert_eq!(
            FullAuthConfig::unread_variables(vars),
            ["FULLAUTH_MFA_ISUER", "FULLAUTH_OAUTH_GITHUB_CLIENTSECRET"]
        );
    }

    #[test]
    fn no_variables_read_every_group() {
        // `unread_variables` reads the empty environment to learn every name: that must get past every group.
        assert!(FullAuthConfig::from_vars(std::iter::empty::<(String, String)>()).is_ok());
    }
}
