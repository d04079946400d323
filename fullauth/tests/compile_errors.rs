//! Misusing the derives is a compile error on the offending tokens, with a message that says how to fix it.

#[test]
fn derive_misuse_fails_to_compile_with_a_clear_message() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
