//! [`LogField`]: text a client chose, made safe to write into a log line.
//!
//! A sign-in identifier, an email address or a role name goes into the audit log as the client sent it. Written
//! raw, a line feed in it would forge a log line of the attacker's choosing, an ANSI escape would rewrite what a
//! terminal shows, and a megabyte of it would flood the log.

use std::fmt::{self, Write as _};

/// Longest client-chosen text written to a log, in characters; what is longer is cut, with a note of how much.
pub(crate) const MAX_LOGGED_CHARS: usize = 256;

/// Displays text with every control character (C0, DEL and C1) and backslash escaped as `\u{..}` and `\\`, and
/// at most [`MAX_LOGGED_CHARS`] characters of it.
#[derive(Clone, Copy)]
pub(crate) struct LogField<'a>(pub &'a str);

impl fmt::Display for LogField<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut chars = self.0.chars();
        for character in chars.by_ref().take(MAX_LOGGED_CHARS) {
            if character == '\\' {
                f.write_str("\\\\")?;
            } else if character.is_control() {
                write!(f, "\\u{{{:x}}}", u32::from(character))?;
            } else {
                f.write_char(character)?;
            }
        }
        let cut = chars.count();
        if cut > 0 {
            write!(f, "... ({cut} more characters)")?;
        }
        Ok(())
    }
}

impl fmt::Debug for LogField<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        let logged = LogField("ada@example.com\r\n2026-01-01 INFO signed in as admin").to_string();
        assert_eq!(
            logged,
            "ada@example.com\\u{d}\\u{a}2026-01-01 INFO signed in as admin"
        );
        assert_eq!(
            LogField("\u{1b}[2J\u{1b}[31m").to_string(),
            "\\u{1b}[2J\\u{1b}[31m"
        );
        assert_eq!(
            LogField("a\u{9b}31mb\u{7f}\u{0}").to_string(),
            "a\\u{9b}31mb\\u{7f}\\u{0}"
        );
        assert_eq!(LogField("\\u{a}").to_string(), "\\\\u{a}");
        assert_eq!(
            LogField("zoë@bücher.example").to_string(),
            "zoë@bücher.example"
        );
        assert!(!LogField("\u{85}\u{2028}").to_string().contains('\u{85}'));
    }

    #[test]
    fn long_text_is_cut() {
        let long = "é".repeat(20_000);
        let logged = LogField(&long).to_string();
        assert!(logged.starts_with(&"é".repeat(MAX_LOGGED_CHARS)));
        assert!(logged.ends_with("... (19744 more characters)"), "{logged}");
        assert_eq!(
            LogField(&"a".repeat(MAX_LOGGED_CHARS)).to_string().len(),
            MAX_LOGGED_CHARS
        );
    }
}
