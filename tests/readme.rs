//! The README's sample output is what the examples really print: each ```text block that
//! starts with `$ cargo run --release -p cargo-dpia-lint -- examples/<name>` must equal the
//! human output of linting that example from the repository root.
//! `UPDATE_README=1 cargo test -p dpia-lint-e2e --test readme` rewrites the blocks.

use std::path::{Path, PathBuf};

use cargo_dpia_lint::cli::Format;
use dpia_lint_e2e::render;
use dpia_lint_engine::Options;

const PROMPT: &str = "$ cargo run --release -p cargo-dpia-lint -- ";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// What `cargo dpia-lint examples/<name>` prints from the repository root (no colour).
fn output(example: &str) -> String {
    let root = repo();
    let opts = Options {
        path: root.join(example),
        root: Some(root.clone()),
        ..Options::default()
    };
    let report = dpia_lint_engine::lint(&opts, dpia_lint_rules::all())
        .unwrap_or_else(|e| panic!("{example}: {e}"));
    render(&report, Format::Human, false)
}

/// The README with every sample block replaced by the real output; the examples it shows.
fn refreshed(readme: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut shown = Vec::new();
    let mut lines = readme.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        if line.trim_end() != "```text" {
            continue;
        }
        let Some(example) = lines
            .peek()
            .and_then(|l| l.trim_end().strip_prefix(PROMPT))
            .map(str::to_string)
        else {
            continue;
        };
        out.push_str(lines.next().unwrap_or_default());
        // skip the old output up to the closing fence
        for l in lines.by_ref() {
            if l.trim_end() == "```" {
                break;
            }
        }
        let text = output(&example);
        out.push_str(&text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("```\n");
        shown.push(example);
    }
    (out, shown)
}

#[test]
fn readme_sample_output_is_what_the_examples_print() {
    let path = repo().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (fresh, shown) = refreshed(&readme);
    assert_eq!(
        shown,
        [
            "examples/find-and-profile",
            "examples/live-facial-recognition"
        ],
        "the README shows the output of both examples"
    );
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    assert!(
        readme == fresh,
        "the README's sample output differs from what the examples print: run `UPDATE_README=1 cargo test -p dpia-lint-e2e --test readme`"
    );
}
