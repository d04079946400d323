//! Misusing the derives is a compile error on the offending tokens, with a message that says how to fix it.

#[test]
fn derive_misuse_fails_to_compile_with_a_clear_message() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}

#[cfg(feature = "oauth")]
#[test]
fn the_oauth_router_needs_an_oauth_account_model() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui_oauth/*.rs");
}

#[cfg(feature = "passkey")]
#[test]
fn the_passkey_router_needs_a_passkey_model() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui_passkey/*.rs");
}

#[cfg(feature = "mfa")]
#[test]
fn the_mfa_router_needs_an_mfa_model() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui_mfa/*.rs");
}
