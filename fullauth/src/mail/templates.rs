use super::message::Mail;

/// What a template fills in.
#[derive(Debug, Clone, Copy)]
pub struct MailContext<'a> {
    /// The recipient's address.
    pub to: &'a str,
    /// The link to follow: the configured front end, its page, and the token.
    pub link: &'a str,
    /// The bare token, for templates that build their own link.
    pub token: &'a str,
    /// How long the link works, in minutes.
    pub expires_in_minutes: u64,
}

/// Renders the mails fullauth sends. Implement it to use your own wording and layout.
pub trait MailTemplates: Send + Sync + 'static {
    /// The mail asking to confirm an email address.
    fn verification(&self, context: &MailContext<'_>) -> Mail;
    /// The mail carrying a password-reset link.
    fn password_reset(&self, context: &MailContext<'_>) -> Mail;
}

/// Plain, short mails naming the application.
#[derive(Debug, Clone)]
pub struct DefaultTemplates {
    /// The name mails sign with, e.g. `Example`.
    pub app_name: String,
}

impl Default for DefaultTemplates {
    fn default() -> Self {
        Self {
            app_name: "fullauth".to_owned(),
        }
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

fn duration(minutes: u64) -> String {
    match minutes {
        minutes if minutes % 1440 == 0 && minutes >= 1440 => plural(minutes / 1440, "day"),
        minutes if minutes % 60 == 0 && minutes >= 60 => plural(minutes / 60, "hour"),
        minutes => plural(minutes, "minute"),
    }
}

fn plural(count: u64, unit: &str) -> String {
    if count == 1 {
        format!("1 {unit}")
    } else {
        format!("{count} {unit}s")
    }
}

impl DefaultTemplates {
    fn render(
        &self,
        context: &MailContext<'_>,
        subject: &str,
        intro: &str,
        action: &str,
        outro: &str,
    ) -> Mail {
        let expiry = duration(context.expires_in_minutes);
        let text = format!(
            "{intro}\n\n{action}:\n{link}\n\nThe link works for {expiry}. {outro}\n\n-- {app}\n",
            link = context.link,
            app = self.app_name
        );
        let html = format!(
            "<!doctype html>\n<html><body>\n<p>{intro}</p>\n<p><a href=\"{link}\">{action}</a></p>\n\
             <p>The link works for {expiry}. {outro}</p>\n<p>&mdash; {app}</p>\n</body></html>\n",
            intro = escape_html(intro),
            link = escape_html(context.link),
            action = escape_html(action),
            outro = escape_html(outro),
            app = escape_html(&self.app_name)
        );
        Mail {
            to: context.to.to_owned(),
            subject: format!("{subject} - {}", self.app_name),
            text,
            html,
        }
    }
}

impl MailTemplates for DefaultTemplates {
    fn verification(&self, context: &MailContext<'_>) -> Mail {
        self.render(
            context,
            "Confirm your email address",
            "Please confirm that this is your email address.",
            "Confirm your email address",
            "If you did not create an account, ignore this mail.",
        )
    }

    fn password_reset(&self, context: &MailContext<'_>) -> Mail {
        self.render(
            context,
            "Reset your password",
            "Someone asked to reset the password of the account with this email address.",
            "Choose a new password",
            "If it was not you, ignore this mail: your password stays as it is.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_both_versions_with_the_link() {
        let context = MailContext {
            to: "ada@example.com",
            link: "https://app.example.com/verify-email?token=a.b.c&x=<y>",
            token: "a.b.c",
            expires_in_minutes: 1440,
        };
        let mail = DefaultTemplates {
            app_name: "Example".into(),
        }
        .verification(&context);
        assert_eq!(mail.to, "ada@example.com");
        assert!(
            mail.text
                .contains("https://app.example.com/verify-email?token=a.b.c&x=<y>")
        );
        assert!(mail.text.contains("1 day"));
        assert!(
            mail.html.contains(
                "href=\"https://app.example.com/verify-email?token=a.b.c&amp;x=&lt;y&gt;\""
            )
        );
        assert!(!mail.html.contains("<y>"));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(15), "15 minutes");
        assert_eq!(duration(60), "1 hour");
        assert_eq!(duration(2880), "2 days");
    }
}
