//! Code generation, one file per derive, sharing the column helpers of [`columns`].

mod columns;
pub mod refresh_token;
pub mod user;

#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;

use crate::ctxt::Ctxt;
use crate::model::{Kind, Model};

/// Parses, checks, then expands with `expand`; errors become `compile_error!`s.
fn run(input: TokenStream, kind: Kind, expand: fn(&Model) -> TokenStream) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let ctxt = Ctxt::default();
    let model = Model::from_input(&ctxt, &input, kind);
    if let Err(errors) = ctxt.check() {
        return errors;
    }
    model.map(|model| expand(&model)).unwrap_or_default()
}
