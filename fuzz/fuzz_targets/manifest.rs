//! Any text as `dpia.toml`: the parser returns a manifest or errors with spans inside the
//! text, and never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let names = ["function-creep", "DPIA102", "personal-data-in-logs", "DPIA302"];
    let is_rule = |n: &str| names.contains(&n.replace('_', "-").as_str());
    if let Err(errors) = dpia_lint_engine::Manifest::parse(text, &is_rule, &names) {
        for e in errors {
            assert!(e.span.start <= e.span.end && e.span.end <= text.len());
        }
    }
});
