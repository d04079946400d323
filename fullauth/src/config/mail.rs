//! Mail: where mails go out, who sends them, and where the links in them lead.

use super::env_reader::EnvReader;
use super::secret::redacted_url;
use super::setting::{ConfigError, Setting};
use super::tokens::MAX_MINUTES;

const SMTP_URL: Setting = Setting::new("mail.smtp_url", "SMTP_URL");
const SMTP_CA_FILE: Setting = Setting::new("mail.smtp_ca_file", "SMTP_CA_FILE");
const MAIL_FROM: Setting = Setting::new("mail.from", "MAIL_FROM");
const FRONTEND_URL: Setting = Setting::new("mail.frontend_url", "FRONTEND_URL");
const VERIFY_EMAIL_PATH: Setting = Setting::new("mail.verify_email_path", "VERIFY_EMAIL_PATH");
const PASSWORD_RESET_PATH: Setting =
    Setting::new("mail.password_reset_path", "PASSWORD_RESET_PATH");
const PASSWORD_RESET_EXPIRE_MINUTES: Setting = Setting::new(
    "mail.password_reset_expire_minutes",
    "PASSWORD_RESET_EXPIRE_MINUTES",
);
const EMAIL_VERIFY_EXPIRE_MINUTES: Setting = Setting::new(
    "mail.email_verify_expire_minutes",
    "EMAIL_VERIFY_EXPIRE_MINUTES",
);
const PER_ACCOUNT_PER_HOUR: Setting =
    Setting::new("mail.per_account_per_hour", "MAIL_PER_ACCOUNT_PER_HOUR");

/// The mails of email verification and password reset.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MailConfig {
    /// SMTP server for mails (needs the `smtp` feature): `smtps://user:pass@mail.example.com` (TLS, port 465),
    /// `smtp://user:pass@mail.example.com:587?tls=required` (STARTTLS), or `smtp://127.0.0.1:2525` (plain, for
    /// local development). Unset, mails are printed (console mailer) (`FULLAUTH_SMTP_URL`).
    pub smtp_url: Option<SmtpUrl>,
    /// A PEM file of root certificates to trust, besides the public ones, for the SMTP server's TLS
    /// certificate: for a relay with a certificate from an internal authority (`FULLAUTH_SMTP_CA_FILE`).
    pub smtp_ca_file: Option<std::path::PathBuf>,
    /// Sender of every mail, e.g. `Example <no-reply@example.com>` (`FULLAUTH_MAIL_FROM`).
    pub from: String,
    /// Where the front end lives, e.g. `https://app.example.com`: every link in a mail starts with it, never
    /// with the request's `Host`. Unset, links are relative (`/verify-email?token=...`), good for development
    /// only; SMTP delivery requires it (`FULLAUTH_FRONTEND_URL`).
    pub frontend_url: Option<String>,
    /// Path of the front end's email-verification page (`FULLAUTH_VERIFY_EMAIL_PATH`).
    pub verify_email_path: String,
    /// Path of the front end's password-reset page (`FULLAUTH_PASSWORD_RESET_PATH`).
    pub password_reset_path: String,
    /// Lifetime of password-reset links, in minutes (`FULLAUTH_PASSWORD_RESET_EXPIRE_MINUTES`).
    pub password_reset_expire_minutes: u64,
    /// Lifetime of email-verification links, in minutes (`FULLAUTH_EMAIL_VERIFY_EXPIRE_MINUTES`).
    pub email_verify_expire_minutes: u64,
    /// How many verification and reset mails one account receives in an hour, both kinds counted together
    /// (`FULLAUTH_MAIL_PER_ACCOUNT_PER_HOUR`): past it, requests are answered as always and nothing is sent, so
    /// that many client addresses together cannot flood one inbox, and the answer tells nothing.
    pub per_account_per_hour: u64,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            smtp_url: None,
            smtp_ca_file: None,
            from: "fullauth <no-reply@localhost>".to_owned(),
            frontend_url: None,
            verify_email_path: "/verify-email".to_owned(),
            password_reset_path: "/reset-password".to_owned(),
            password_reset_expire_minutes: 15,
            email_verify_expire_minutes: 1440,
            per_account_per_hour: 5,
        }
    }
}

impl MailConfig {
    /// The link a mail carries: `frontend_url` + `path` + `?token=<token>`.
    pub fn link(&self, path: &str, token: &str) -> String {
        let base = self
            .frontend_url
            .as_deref()
            .unwrap_or("")
            .trim_end_matches('/');
        format!("{base}{path}?token={token}")
    }

    pub(super) fn read(&mut self, env: &EnvReader) -> Result<(), ConfigError> {
        let mut smtp_url = None;
        env.optional_text(SMTP_URL, &mut smtp_url);
        if smtp_url.is_some() {
            self.smtp_url = smtp_url.map(SmtpUrl);
        }
        let mut ca_file = None;
        env.optional_text(SMTP_CA_FILE, &mut ca_file);
        if ca_file.is_some() {
            self.smtp_ca_file = ca_file.map(std::path::PathBuf::from);
        }
        env.text(MAIL_FROM, &mut self.from);
        env.optional_text(FRONTEND_URL, &mut self.frontend_url);
        env.text(VERIFY_EMAIL_PATH, &mut self.verify_email_path);
        env.text(PASSWORD_RESET_PATH, &mut self.password_reset_path);
        env.parse(
            PASSWORD_RESET_EXPIRE_MINUTES,
            &mut self.password_reset_expire_minutes,
        )?;
        env.parse(
            EMAIL_VERIFY_EXPIRE_MINUTES,
            &mut self.email_verify_expire_minutes,
        )?;
        env.parse(PER_ACCOUNT_PER_HOUR, &mut self.per_account_per_hour)
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if self.per_account_per_hour == 0 {
            return Err(PER_ACCOUNT_PER_HOUR.invalid("must be at least 1"));
        }
        for (setting, minutes) in [
            (
                PASSWORD_RESET_EXPIRE_MINUTES,
                self.password_reset_expire_minutes,
            ),
            (
                EMAIL_VERIFY_EXPIRE_MINUTES,
                self.email_verify_expire_minutes,
            ),
        ] {
            if !(1..=MAX_MINUTES).contains(&minutes) {
                return Err(setting.invalid("must be between 1 and 525600"));
            }
        }
        if let Some(url) = &self.frontend_url {
            let scheme = url.starts_with("https://") || url.starts_with("http://");
            let host = url.split("://").nth(1).unwrap_or_default();
            if !scheme
                || host.is_empty()
                || host.starts_with('/')
                || url.contains(['?', '#', ' ', '\t', '\n', '\r'])
            {
                return Err(FRONTEND_URL.invalid(
                    "must be an absolute http:// or https:// URL without query or fragment",
                ));
            }
        }
        if self.smtp_ca_file.is_some() && self.smtp_url.is_none() {
            return Err(SMTP_CA_FILE
                .invalid("is set without mail.smtp_url: it is for the SMTP server's certificate"));
        }
        if self.smtp_url.is_some() && self.frontend_url.is_none() {
            return Err(FRONTEND_URL.invalid(
                "must be set when mails are delivered over SMTP: links in mails need an absolute address",
            ));
        }
        for (setting, path) in [
            (VERIFY_EMAIL_PATH, &self.verify_email_path),
            (PASSWORD_RESET_PATH, &self.password_reset_path),
        ] {
            if !path.starts_with('/') || path.contains(['?', '#']) {
                return Err(setting.invalid("must be a path starting with `/`, without `?` or `#`"));
            }
        }
        Ok(())
    }
}

/// An SMTP URL; its `Debug` output hides the credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl(pub String);

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("SmtpUrl")
            .field(&redacted_url(&self.0))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(change: fn(&mut MailConfig)) -> bool {
        let mut mail = MailConfig::default();
        change(&mut mail);
        mail.validate().is_ok()
    }

    #[test]
    fn mail_options_are_checked() {
        assert!(valid(
            |c| c.frontend_url = Some("https://app.example.com/base".into())
        ));
        assert!(valid(
            |c| c.frontend_url = Some("http://localhost:3000".into())
        ));
        assert!(!valid(|c| c.frontend_url = Some("app.example.com".into())));
        assert!(!valid(|c| c.frontend_url = Some("https://".into())));
        assert!(!valid(
            |c| c.frontend_url = Some("javascript:alert(1)".into())
        ));
        assert!(!valid(
            |c| c.frontend_url = Some("https://app.example.com/?next=x".into())
        ));
        assert!(!valid(|c| c.verify_email_path = "verify".into()));
        assert!(!valid(|c| c.password_reset_path = "/reset?x=1".into()));
        assert!(!valid(|c| c.password_reset_expire_minutes = 0));
        assert!(!valid(
            |c| c.smtp_url = Some(SmtpUrl("smtp://127.0.0.1:2525".into()))
        ));
        assert!(valid(|c| {
            c.smtp_url = Some(SmtpUrl("smtp://127.0.0.1:2525".into()));
            c.frontend_url = Some("https://app.example.com".into());
        }));
    }

    #[test]
    fn links_start_with_the_front_end() {
        let mut mail = MailConfig::default();
        assert_eq!(
            mail.link("/verify-email", "t.k.n"),
            "/verify-email?token=t.k.n"
        );
        mail.frontend_url = Some("https://app.example.com/".into());
        assert_eq!(
            mail.link("/reset-password", "t.k.n"),
            "https://app.example.com/reset-password?token=t.k.n"
        );
    }

    #[test]
    fn smtp_credentials_stay_out_of_debug_output() {
        let url = SmtpUrl("smtps://mailer:s3cret@mail.example.com:465".into());
        let shown = format!("{url:?}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("mailer"),
            "{shown}"
        );
        assert!(shown.contains("mail.example.com:465"), "{shown}");
    }
}
