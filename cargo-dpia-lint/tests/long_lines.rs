//! Human and JSON output on very long lines (issue G): a finding on a 1 MB one-line file
//! shows a window of the line around its label, never the whole line, with the file's own
//! line and column numbers; findings on ordinary lines are shown whole.

use crate::support::{run, text};

/// A temp crate with a minimal manifest and `lib` as its `src/lib.rs`.
fn krate(lib: &str) -> tempfile::TempDir {
    crate::support::krate("[dpia]\nregime = \"uk-gdpr\"\n", lib)
}

#[test]
fn a_one_megabyte_line_is_shown_as_a_window() {
    let padding: String = (0..80_000).map(|i| format!("pub f{i}: u8, ")).collect();
    // a type with personal fields at both ends of the line, and a tag with many bad keys
    let bad: Vec<String> = (0..3_000).map(|i| format!("bad{i} = 1")).collect();
    let lib = format!(
        "pub struct Subscriber {{ pub email: String, {padding}pub phone: String }} #[dpia::personal_data(category = \"x\", {})] pub struct T;",
        bad.join(", ")
    );
    assert!(lib.len() > 1_000_000);
    let dir = krate(&lib);
    let out = run(dir.path(), &["."]);
    let human = String::from_utf8_lossy(&out.stdout);
    let findings = human.matches("\n  --> src/lib.rs:1:").count()
        + usize::from(human.starts_with("warning") || human.starts_with("error"));
    assert!(findings >= 20, "{findings} findings");
    // each finding costs a window, not the line: far below one copy of the line in all
    assert!(
        human.len() < 64 * 1024,
        "{} bytes of output for {findings} findings",
        human.len()
    );
    // the field far along the line, at its real column, with its text under the caret
    let col = lib.find("phone").unwrap() + 1;
    assert!(
        human.contains(&format!("--> src/lib.rs:1:{col}\n")),
        "{}",
        &human[..human.len().min(4000)]
    );
    let phone = human
        .split("\n\n")
        .find(|d| d.contains("field `Subscriber.phone`"))
        .unwrap();
    let lines: Vec<&str> = phone.lines().collect();
    let src = lines.iter().find(|l| l.starts_with("1 | ")).unwrap();
    let carets = lines
        .iter()
        .find(|l| l.contains("^^^^^ looks like a phone number"))
        .unwrap();
    // the caret stands under `phone` in the windowed line (columns are characters: `…`
    // is one)
    let at = carets[..carets.find('^').unwrap()].chars().count();
    let under: String = src.chars().skip(at).take(5).collect();
    assert_eq!(under, "phone", "{phone}");
    assert!(src.starts_with("1 | …"), "{src}");
    assert!(src.ends_with('…'), "{src}");
    assert!(src.len() < 1024, "{}", src.len());

    // JSON: each span's `text` is the same kind of window (with its `rendered` human text)
    let out = run(dir.path(), &[".", "--format", "json"]);
    let json = String::from_utf8_lossy(&out.stdout);
    assert!(json.lines().count() >= 20);
    assert!(json.len() < 256 * 1024, "{} bytes of JSON", json.len());
    let d: serde_json::Value = json
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.contains("Subscriber.phone"))
        })
        .unwrap();
    let span = &d["spans"][0];
    assert_eq!(span["column_start"].as_u64(), Some(col as u64));
    let line = &span["text"][0];
    let text: Vec<char> = line["text"].as_str().unwrap().chars().collect();
    let (hs, he) = (
        line["highlight_start"].as_u64().unwrap() as usize,
        line["highlight_end"].as_u64().unwrap() as usize,
    );
    assert_eq!(text[hs - 1..he - 1].iter().collect::<String>(), "phone");
}

#[test]
fn ordinary_lines_are_shown_whole() {
    let long_ok = format!("// {}\n", "x".repeat(300));
    let lib = format!("{long_ok}pub struct Subscriber {{ pub email: String, pub f: u8, pub g: u8, pub h: u8, pub i: u8, pub j: u8, pub k: u8 }}\n");
    let dir = krate(&lib);
    let human = text(&run(dir.path(), &["."]).stdout);
    assert!(
        human.contains("2 | pub struct Subscriber { pub email: String, pub f: u8, pub g: u8, pub h: u8, pub i: u8, pub j: u8, pub k: u8 }\n"),
        "{human}"
    );
    assert!(!human.contains("| …"), "{human}");
}
