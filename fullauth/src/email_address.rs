//! Email addresses: syntax check and normalization.

/// Longest accepted address, in characters (RFC 5321 path limit plus headroom, as in most user tables).
pub const MAX_LENGTH: usize = 320;

/// The normalized form used for storage, lookups, uniqueness and lockout keys: trimmed and lower-cased.
pub fn normalize(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Whether a normalized address could be stored at all (length, no NUL). Sign-in treats any other identifier as
/// an unknown account without asking the database.
pub fn is_storable(normalized: &str) -> bool {
    normalized.chars().count() <= MAX_LENGTH && !normalized.contains('\0')
}

/// Checks the syntax of an address; the error is a sentence for the 422 `reason`.
///
/// Accepts what mail systems deliver in practice: a dot-atom local part and a domain of at least two labels
/// (letters, digits, hyphens, or internationalized labels). Quoted local parts and address literals are refused.
pub fn validate(email: &str) -> Result<(), &'static str> {
    // Check what will be stored: lower-casing can lengthen a string (`İ` becomes two characters).
    let normalized = normalize(email);
    let email = normalized.as_str();
    if email.chars().count() > MAX_LENGTH {
        return Err("The email address is too long.");
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return Err("An email address must have an @-sign.");
    };
    if local.is_empty() {
        return Err("There must be something before the @-sign.");
    }
    if domain.is_empty() {
        return Err("There must be something after the @-sign.");
    }
    if local.chars().count() > 64 {
        return Err("The email address is too long before the @-sign.");
    }
    if local.contains('@') {
        return Err("The part after the @-sign contains invalid characters: '@'.");
    }
    if email.chars().any(is_invisible) {
        return Err("The email address contains invisible, control or text-direction characters.");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err("The email address contains a period in an invalid position.");
    }
    let valid_local =
        |c: char| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c) || !c.is_ascii();
    if !local.chars().all(valid_local) {
        return Err("The email address contains invalid characters before the @-sign.");
    }
    if !domain.contains('.') {
        return Err("The part after the @-sign is not valid. It should have a period.");
    }
    for label in domain.split('.') {
        if label.is_empty() {
            return Err(
                "An email address cannot have a period in an invalid position after the @-sign.",
            );
        }
        if label.chars().count() > 63 {
            return Err("The part after the @-sign is too long.");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(
                "An email address cannot have a hyphen immediately after or before a period.",
            );
        }
        if !label.chars().all(|c| c.is_alphanumeric() || c == '-') {
            return Err("The part after the @-sign contains invalid characters.");
        }
    }
    if domain
        .rsplit('.')
        .next()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(
            "The part after the @-sign is not valid. It is not within a valid top-level domain.",
        );
    }
    Ok(())
}

/// Characters that show nothing, or change how the text around them shows, so that two addresses that look the
/// same could be two accounts: control characters (C0, DEL, C1), format characters such as the zero-width space
/// and joiners, the soft hyphen, the byte-order mark and the word joiner, the bidirectional marks, embeddings,
/// overrides and isolates, and the tag characters.
fn is_invisible(character: char) -> bool {
    character.is_control()
        || matches!(
            character,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses() {
        for address in [
            "a@b.co",
            "first.last+tag@example.com",
            "Ülrich@bücher.de",
            "x_y-z@sub.domain.org",
        ] {
            assert_eq!(validate(address), Ok(()), "{address}");
        }
    }

    #[test]
    fn refuses_malformed_addresses() {
        for address in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@localhost",
            "a..b@example.com",
            "a@b..com",
            "a@-b.com",
            "a b@example.com",
            "a@b.c_d",
            "a@1.2.3.4",
            "a@b@c.com",
        ] {
            assert!(validate(address).is_err(), "{address}");
        }
    }

    #[test]
    fn refuses_invisible_and_direction_characters() {
        for address in [
            "ada\u{200B}@example.com",
            "a\u{200D}da@example.com",
            "ad\u{00AD}a@example.com",
            "\u{FEFF}ada@example.com",
            "ada\u{2060}@example.com",
            "ada\u{202E}moc.elpmaxe@example.com",
            "ada\u{2067}x\u{2069}@example.com",
            "ada\u{200F}@example.com",
            "ada\u{0085}@example.com",
            "ada\u{009B}@example.com",
            "ada\u{E0041}@example.com",
            "ada@exam\u{200B}ple.com",
        ] {
            assert_eq!(
                validate(address),
                Err("The email address contains invisible, control or text-direction characters."),
                "{address:?}"
            );
        }
        // Letters of any script still pass.
        assert_eq!(validate("zoë.ñandú@bücher.de"), Ok(()));
        assert_eq!(validate("δοκιμή@παράδειγμα.δοκιμή"), Ok(()));
    }

    #[test]
    fn checks_the_length_of_the_stored_form() {
        let local = "İ".repeat(40);
        assert_eq!(local.chars().count(), 40);
        assert!(
            validate(&format!("{local}@example.com")).is_err(),
            "80 characters once lower-cased"
        );
        assert!(validate(&format!("a@{}.com", "b".repeat(320))).is_err());
    }

    #[test]
    fn normalizes_case_and_whitespace() {
        assert_eq!(
            normalize("  John.Doe@Example.COM \n"),
            "john.doe@example.com"
        );
    }
}
