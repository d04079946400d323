//! Code generation, one file per derive, sharing the column helpers of [`columns`].

mod columns;
pub mod link;
pub mod mfa;
pub mod named;
pub mod oauth_account;
mod owned_table;
pub mod passkey;
pub mod refresh_token;
mod session_statement;
pub mod user;
mod user_queries;

#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;

use crate::ctxt::Ctxt;
use crate::kind::Kind;
use crate::model::Model;
use crate::parse::ParsedStruct;

/// Parses, models, checks, then expands with `expand`; errors become `compile_error!`s.
fn run(input: TokenStream, kind: Kind, expand: fn(&Model) -> TokenStream) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let ctxt = Ctxt::default();
    check_diesel_dependency(&ctxt, &input.ident);
    let model = ParsedStruct::from_syn(&ctxt, &input, kind)
        .and_then(|parsed| Model::from_parsed(&ctxt, parsed, kind));
    if let Some(model) = &model {
        crate::check::model(&ctxt, model);
    }
    if let Err(errors) = ctxt.check() {
        return errors;
    }
    model.map(|model| expand(&model)).unwrap_or_default()
}

/// The generated `diesel::table!` needs `diesel` among the crate's own dependencies (Diesel's macro names it by
/// absolute path). Say so plainly when the manifest shows no such dependency, instead of letting the expansion
/// fail with an unresolved import.
fn check_diesel_dependency(ctxt: &Ctxt, ident: &syn::Ident) {
    // The derive's own unit tests expand outside any application crate.
    if cfg!(test) {
        return;
    }
    let Some(directory) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return;
    };
    let Ok(manifest) = std::fs::read_to_string(std::path::Path::new(&directory).join("Cargo.toml"))
    else {
        return;
    };
    if !declares_diesel(&manifest) {
        ctxt.error_spanned_by(
            ident,
            "fullauth's derives generate a `diesel::table!`, which needs `diesel` in this crate's dependencies: \
             add `diesel = { version = \"2.3\", default-features = false }` to [dependencies] \
             (or run `cargo add diesel --no-default-features`)",
        );
    }
}

/// Whether a manifest declares a dependency called `diesel`, in any of the usual spellings.
fn declares_diesel(manifest: &str) -> bool {
    manifest.lines().any(|line| {
        let line = line.trim();
        let key = line
            .strip_prefix("diesel")
            .is_some_and(|rest| rest.trim_start().starts_with(['=', '.']));
        key || (line.starts_with('[')
            && line.trim_end_matches(']').ends_with("dependencies.diesel"))
    })
}

#[cfg(test)]
mod manifest_tests {
    use super::declares_diesel;

    #[test]
    fn finds_every_spelling_of_a_diesel_dependency() {
        assert!(declares_diesel("[dependencies]\ndiesel = \"2.3\"\n"));
        assert!(declares_diesel("[dependencies]\ndiesel.workspace = true\n"));
        assert!(declares_diesel(
            "[dependencies]\n  diesel={ version = \"2\" }\n"
        ));
        assert!(declares_diesel(
            "[dependencies.diesel]\nversion = \"2.3\"\n"
        ));
        assert!(declares_diesel(
            "[target.'cfg(unix)'.dependencies.diesel]\nversion = \"2.3\"\n"
        ));
        assert!(!declares_diesel(
            "[dependencies]\ndiesel-async = \"0.9\"\nfullauth = \"0.1\"\n"
        ));
        assert!(!declares_diesel(
            "[dependencies]\ndiesel_migrations = \"2\"\n"
        ));
    }
}
