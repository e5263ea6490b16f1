//! Any token stream as the arguments of every tag: a tag or errors, never a panic.
#![no_main]

use dpia_annotations::{parse_tag, TagKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(tokens) = text.parse::<proc_macro2::TokenStream>() else {
        return;
    };
    for kind in TagKind::MACROS.into_iter().chain([TagKind::Field]) {
        let _ = parse_tag(kind, tokens.clone());
    }
});
