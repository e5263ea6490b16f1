//! Attribute macros of dpia. Each validates its arguments with the shared grammar of
//! `dpia-annotations` (the same the linter reads), strips the `#[dpia(...)]` field helpers
//! and emits the item unchanged: the tags cost nothing at run time.
//!
//! Each attribute is a one-line shim over an `expand_*` function in [`expand`], which is
//! plain Rust and unit-tested.

use proc_macro::TokenStream;

mod expand;

/// `#[personal_data(category = "...", retention = "1d", subjects = [...])]` on a struct or enum.
#[proc_macro_attribute]
pub fn personal_data(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::personal_data(attr.into(), item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// `#[processing(purpose = "...", basis = "...", operations = [...], automated_decision = bool)]` on a fn or impl.
#[proc_macro_attribute]
pub fn processing(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::processing(attr.into(), item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// `#[sink(recipient = "...")]` on a fn: personal data passed to it reaches that recipient.
#[proc_macro_attribute]
pub fn sink(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::sink(attr.into(), item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// `#[erases(categories = [...], schedule = "...")]` on a fn that deletes those categories.
#[proc_macro_attribute]
pub fn erases(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::erases(attr.into(), item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// `#[audit_log]` on a fn that writes the DPA 2018 s62 log.
#[proc_macro_attribute]
pub fn audit_log(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::audit_log(attr.into(), item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// `#[dpia::allow(rule_name, reason = "...")]` on any item: accepts a finding, with the reason.
#[proc_macro_attribute]
pub fn allow(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::allow(attr.into(), item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
