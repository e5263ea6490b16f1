//! The recipe of docs/tags.md, "Depending on `dpia` before it is published", tried as a new
//! user would: a fresh crate outside this workspace whose `Cargo.toml` is the documented
//! path dependency (pointed at this checkout) builds with tags on its items.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The `toml` blocks of the section.
fn documented_blocks() -> Vec<String> {
    let doc = std::fs::read_to_string(repo().join("docs/tags.md")).unwrap();
    let start = doc
        .find("## Depending on `dpia` before it is published")
        .expect("docs/tags.md has the section");
    let section = &doc[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let mut blocks = Vec::new();
    let mut rest = section;
    while let Some(i) = rest.find("```toml\n") {
        let body = &rest[i + 8..];
        let end = body.find("```").unwrap();
        // the blocks are indented under their list item
        let text: Vec<&str> = body[..end].lines().map(str::trim).collect();
        blocks.push(text.join("\n").trim().to_string());
        rest = &body[end..];
    }
    blocks
}

#[test]
fn the_documented_forms_are_there() {
    let blocks = documented_blocks();
    assert_eq!(blocks.len(), 2, "{blocks:?}");
    assert!(blocks[0]
        .contains("dpia = { git = \"https://github.com/dpia-lint/dpia-lint\", tag = \"v0.1.0\" }"));
    // the git URL is the workspace's repository
    let root = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    assert!(root.contains("repository = \"https://github.com/dpia-lint/dpia-lint\""));
    assert!(blocks[1].contains("dpia = { path = \"../dpia-lint/dpia\" }"));
}

#[test]
fn a_fresh_crate_builds_with_the_path_form() {
    let block = documented_blocks()
        .into_iter()
        .find(|b| b.contains("path = "))
        .expect("a path form");
    let dpia = repo().join("dpia");
    let deps = block.replace(
        "\"../dpia-lint/dpia\"",
        &format!("{:?}", dpia.display().to_string()),
    );
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("fresh");
    std::fs::create_dir_all(d.join("src")).unwrap();
    std::fs::write(
        d.join("Cargo.toml"),
        format!("[package]\nname = \"fresh\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n{deps}\n"),
    )
    .unwrap();
    std::fs::write(
        d.join("src/main.rs"),
        r#"use dpia::{personal_data, processing};

#[personal_data(category = "contact", retention = "30d")]
pub struct Subscriber {
    pub email: String,
    #[dpia(not_personal)]
    pub plan: u32,
}

#[processing(purpose = "newsletter", basis = "art6.consent")]
pub fn send(s: &Subscriber) -> usize {
    s.email.len() + s.plan as usize
}

fn main() {
    let s = Subscriber { email: String::new(), plan: 0 };
    assert_eq!(send(&s), 0);
}
"#,
    )
    .unwrap();
    // the versions this workspace locks, so that the build needs no network
    std::fs::copy(repo().join("Cargo.lock"), d.join("Cargo.lock")).unwrap();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"))
        .join("dpia-recipe");
    let out = Command::new(env!("CARGO"))
        .args(["run", "--offline", "--quiet"])
        .current_dir(&d)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the documented path dependency does not build:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
