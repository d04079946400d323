//! Email addresses: syntax check and normalization.
//!
//! Two addresses that a person would read as the same are one account. The normalized form, used for storage,
//! lookups, uniqueness and lockout keys, is the trimmed address with
//! - the part before the @-sign lower-cased and in Unicode normalization form C (NFC), so that a letter typed as
//!   one code point or as a base letter and a combining accent is one letter;
//! - the domain through IDNA processing (UTS 46: case and width folded, NFC, checked, Punycode decoded), kept in
//!   its Unicode form, so that `BÜCHER.de`, `bücher.de` and `xn--bcher-kva.de` are one domain.
//!
//! Addresses with characters that show nothing or turn the text around them are refused outright (see
//! [`validate`]).

use std::borrow::Cow;

use icu_normalizer::{ComposingNormalizerBorrowed, DecomposingNormalizerBorrowed};
use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};

/// Longest accepted address, in characters (RFC 5321 path limit plus headroom, as in most user tables).
pub const MAX_LENGTH: usize = 320;

/// The normalized form of an address (see the module documentation).
///
/// An address whose domain IDNA refuses cannot be registered ([`validate`] says why); for lookups it is only
/// trimmed and lower-cased.
pub fn normalize(email: &str) -> String {
    let trimmed = email.trim();
    if trimmed.is_ascii() {
        let lowered = trimmed.to_ascii_lowercase();
        if !lowered.contains("xn--") {
            // Nothing to compose and nothing to decode: the common case, without the Unicode tables.
            return lowered;
        }
    }
    canonical(trimmed).unwrap_or_else(|| lowered(trimmed))
}

/// The form addresses were stored in before Unicode normalization: trimmed and lower-cased.
fn lowered(email: &str) -> String {
    email.trim().to_lowercase()
}

fn canonical(trimmed: &str) -> Option<String> {
    let (local, domain) = trimmed.rsplit_once('@')?;
    // Lower-casing is applied to the decomposed text, so that canonically equivalent inputs give one result.
    let decomposed = DecomposingNormalizerBorrowed::new_nfd().normalize(local);
    let lower = decomposed.to_lowercase();
    let local = ComposingNormalizerBorrowed::new_nfc().normalize(&lower);
    let domain = idna_domain(domain)?;
    Some(format!("{local}@{domain}"))
}

/// The domain after IDNA processing, in Unicode; `None` when IDNA refuses it (a disallowed character, a label
/// that breaks the bidirectional or joiner rules, a bad Punycode label, a label or name too long for DNS).
fn idna_domain(domain: &str) -> Option<String> {
    let ascii = ascii_domain(domain)?;
    let (unicode, checked) = Uts46::new().to_unicode(
        ascii.as_bytes(),
        AsciiDenyList::STD3,
        Hyphens::CheckFirstLast,
    );
    checked.ok()?;
    Some(unicode.into_owned())
}

/// The domain after IDNA processing, in ASCII (Punycode); `None` when IDNA refuses it.
fn ascii_domain(domain: &str) -> Option<String> {
    Uts46::new()
        .to_ascii(
            domain.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::CheckFirstLast,
            DnsLength::Verify,
        )
        .ok()
        .map(|ascii| ascii.into_owned())
}

/// The address with its domain in ASCII (Punycode), the form every mail server accepts; the address unchanged
/// when its domain is ASCII already or IDNA refuses it.
pub(crate) fn with_ascii_domain(email: &str) -> Cow<'_, str> {
    match email.rsplit_once('@') {
        Some((local, domain)) if !domain.is_ascii() => match ascii_domain(domain) {
            Some(ascii) => format!("{local}@{ascii}").into(),
            None => email.into(),
        },
        _ => email.into(),
    }
}

/// The forms a row written before addresses were normalized to NFC and IDNA may hold for the address typed as
/// `typed` (whose normalized form is `normalized`), other than the normalized form: the typed address trimmed
/// and lower-cased, and the normalized address with its domain in Punycode (as someone who typed it so would
/// have stored it). Empty for addresses without non-ASCII characters or Punycode labels.
pub(crate) fn earlier_forms(typed: &str, normalized: &str) -> Vec<String> {
    let mut forms = Vec::new();
    for form in [lowered(typed), with_ascii_domain(normalized).into_owned()] {
        if form != normalized && is_storable(&form) && !forms.contains(&form) {
            forms.push(form);
        }
    }
    forms
}

/// Whether a normalized address could be stored at all (length, no NUL). Sign-in treats any other identifier as
/// an unknown account without asking the database.
pub fn is_storable(normalized: &str) -> bool {
    normalized.chars().count() <= MAX_LENGTH && !normalized.contains('\0')
}

/// Checks the syntax of an address; the error is a sentence for the 422 `reason`.
///
/// Accepts what mail systems deliver in practice: a dot-atom local part and a domain of at least two labels
/// (letters, digits, hyphens, or internationalized labels that IDNA accepts). Quoted local parts and address
/// literals are refused, and so are invisible, control and text-direction characters anywhere.
pub fn validate(email: &str) -> Result<(), &'static str> {
    // Judged on what was sent: IDNA would silently drop some of these characters from the domain.
    if email.trim().chars().any(is_invisible) {
        return Err("The email address contains invisible, control or text-direction characters.");
    }
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
        // Non-ASCII letters, digits and marks are for IDNA to judge, below.
        if !label
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || !c.is_ascii())
        {
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
    if idna_domain(domain).is_none() {
        return Err("The part after the @-sign is not a valid internationalized domain name.");
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
            "a@ab--cd.example",
            "a@ตัวอย่าง.ไทย",
            "a@xn--bcher-kva.de",
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
    fn refuses_domains_that_idna_refuses() {
        for address in [
            // Not Punycode at all.
            "a@xn--999999999999.example",
            "a@xn--a.com",
            // A left-to-right letter and a right-to-left one in one label break the bidirectional rule.
            "a@a\u{05D0}.com",
            // A combining mark cannot start a label.
            "a@\u{0301}b.com",
            // Too long for DNS once in Punycode, though short in characters.
            &format!("a@{}.de", "ü".repeat(60)),
        ] {
            assert_eq!(
                validate(address),
                Err("The part after the @-sign is not a valid internationalized domain name."),
                "{address:?}"
            );
        }
    }

    #[test]
    fn one_address_in_every_form_normalizes_to_one_string() {
        let forms = [
            "ülrich@bücher.de",
            "Ülrich@BÜCHER.DE",
            // Decomposed: a base letter and a combining diaeresis, in both parts.
            "U\u{0308}lrich@bu\u{0308}cher.de",
            "ülrich@xn--bcher-kva.de",
            "ülrich@XN--BCHER-KVA.DE",
            // Full-width letters in the domain, as some input methods type them.
            "ülrich@ｂüｃｈｅｒ.ｄｅ",
            "  ülrich@bücher.de\t",
        ];
        for form in forms {
            assert_eq!(normalize(form), "ülrich@bücher.de", "{form:?}");
            assert_eq!(validate(form), Ok(()), "{form:?}");
        }
        assert_eq!(normalize("Ada@Example.COM"), "ada@example.com");
        assert_eq!(normalize("ada@xn--bcher-kva.de"), "ada@bücher.de");
    }

    #[test]
    fn mail_goes_to_the_ascii_form_of_the_domain() {
        assert_eq!(
            with_ascii_domain("ülrich@bücher.de"),
            "ülrich@xn--bcher-kva.de"
        );
        assert_eq!(with_ascii_domain("ada@example.com"), "ada@example.com");
    }

    #[test]
    fn normalizing_twice_changes_nothing() {
        for address in [
            "U\u{0308}lrich@BU\u{0308}CHER.de",
            "Σίσυφος@παράδειγμα.ελ",
            "İlkay@örnek.com.tr",
            "ada@xn--bcher-kva.de",
            "not-an-address",
            "a@b_c.com",
        ] {
            let once = normalize(address);
            assert_eq!(normalize(&once), once, "{address:?}");
        }
    }

    #[test]
    fn earlier_forms_exist_only_where_unicode_rules_apply() {
        let earlier = |typed: &str| earlier_forms(typed, &normalize(typed));
        assert!(earlier("  Ada@Example.com ").is_empty());
        assert_eq!(earlier("Ülrich@Bücher.de"), ["ülrich@xn--bcher-kva.de"]);
        assert_eq!(earlier("ada@XN--BCHER-KVA.de"), ["ada@xn--bcher-kva.de"]);
        assert_eq!(
            earlier("u\u{0308}lrich@b.de"),
            ["u\u{0308}lrich@b.de"],
            "decomposed, as typed"
        );
        assert!(
            earlier("a@b_c.com").is_empty(),
            "IDNA refuses it: no other form"
        );
    }

    #[test]
    fn domains_that_idna_refuses_are_only_lower_cased_for_lookups() {
        assert_eq!(normalize(" A@B_C.Com "), "a@b_c.com");
        assert_eq!(normalize("Ü@A\u{05D0}.com"), "ü@a\u{05D0}.com");
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
