//! The DPIA as a living document: `lock`, `--locked` (DPIA601),
//! `report` (md/html/json), `[screening]`; on the examples and on copies of them in temp
//! dirs. The examples ship their `dpia.lock` and `DPIA-report.{md,html}`; a test keeps them
//! in sync (`UPDATE_REPORTS=1` rewrites them).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{run, text};

fn examples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut v: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("dpia.toml").is_file())
        .collect();
    v.sort();
    v
}

/// A copy of an example as a stand-alone crate (its Cargo.toml inherits from our workspace).
fn copy_example(name: &str) -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    let tmp = tempfile::tempdir().unwrap();
    let dst = tmp.path();
    std::fs::write(
        dst.join("Cargo.toml"),
        format!("[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[workspace]\n"),
    )
    .unwrap();
    for f in ["dpia.toml", "dpia.lock"] {
        std::fs::copy(src.join(f), dst.join(f)).unwrap();
    }
    std::fs::create_dir_all(dst.join("src")).unwrap();
    for e in std::fs::read_dir(src.join("src")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dst.join("src").join(p.file_name().unwrap())).unwrap();
    }
    tmp
}

/// `(line, message)` of every DPIA601 in human output.
fn drift(out: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = out.lines().collect();
    let mut v = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with("error[DPIA601]") {
            let at = lines
                .get(i + 1)
                .map(|a| a.trim().to_string())
                .unwrap_or_default();
            v.push((at, l.to_string()));
        }
    }
    v
}

#[test]
fn the_examples_lock_is_current_and_locked_exits_as_before() {
    for dir in examples() {
        let plain = run(&dir, &[]);
        let locked = run(&dir, &["--locked"]);
        assert_eq!(
            plain.status.code(),
            locked.status.code(),
            "{}: {}",
            dir.display(),
            text(&locked.stderr)
        );
        let out = text(&locked.stdout);
        assert!(!out.contains("DPIA601"), "{}: {out}", dir.display());
        assert!(
            !out.contains("dpia.lock:"),
            "{}: a removed fact: {out}",
            dir.display()
        );
    }
}

#[test]
fn the_shipped_locks_and_reports_are_in_sync() {
    let update = std::env::var_os("UPDATE_REPORTS").is_some();
    for dir in examples() {
        let tmp = tempfile::tempdir().unwrap();
        // lock: written to a copy, compared with the shipped one
        let copy = copy_example(dir.file_name().unwrap().to_str().unwrap());
        let o = run(copy.path(), &["lock"]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let fresh = std::fs::read_to_string(copy.path().join("dpia.lock")).unwrap();
        let shipped = std::fs::read_to_string(dir.join("dpia.lock")).unwrap();
        if update {
            std::fs::write(dir.join("dpia.lock"), &fresh).unwrap();
        } else {
            assert_eq!(
                shipped,
                fresh,
                "{}: dpia.lock is stale; run `cargo dpia-lint lock` there (after review)",
                dir.display()
            );
        }
        for (format, file) in [("md", "DPIA-report.md"), ("html", "DPIA-report.html")] {
            let out = tmp.path().join(file);
            let o = run(
                &dir,
                &[
                    "report",
                    ".",
                    "--format",
                    format,
                    "--output",
                    out.to_str().unwrap(),
                ],
            );
            assert!(o.status.success(), "{}", text(&o.stderr));
            let fresh = std::fs::read_to_string(&out).unwrap();
            if format == "html" {
                // the README's picture of the diagram
                let svg = format!(
                    "{}</svg>\n",
                    fresh
                        .split_once("<svg")
                        .and_then(|(_, r)| r.split_once("</svg>"))
                        .map(|(svg, _)| format!("<svg{svg}"))
                        .unwrap_or_default()
                );
                let name = dir.file_name().unwrap().to_string_lossy().into_owned();
                let picture = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../docs/img")
                    .join(format!("{name}-data-flow.svg"));
                if update {
                    std::fs::create_dir_all(picture.parent().unwrap()).unwrap();
                    std::fs::write(&picture, &svg).unwrap();
                } else {
                    assert!(
                        std::fs::read_to_string(&picture).unwrap_or_default() == svg,
                        "{} is out of date: run `UPDATE_REPORTS=1 cargo test -p cargo-dpia-lint --test dpia_lock_report`",
                        picture.display()
                    );
                }
            }
            if update {
                std::fs::write(dir.join(file), &fresh).unwrap();
                continue;
            }
            let shipped = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
            assert!(
                shipped == fresh,
                "{}/{file} is out of date: run `UPDATE_REPORTS=1 cargo test -p cargo-dpia-lint --test dpia_lock_report`",
                dir.display()
            );
        }
    }
}

#[test]
fn a_new_recipient_flow_is_exactly_one_drift_at_its_line() {
    let tmp = copy_example("find-and-profile");
    let dir = tmp.path();
    let analysis = dir.join("src/analysis.rs");
    let mut src = std::fs::read_to_string(&analysis).unwrap();
    src.push_str(
        "\n#[dpia::processing(purpose = \"county-lines-detection\")]\npub fn keep_lead(lead: &Lead) {\n    let _ = std::fs::write(\"lead.txt\", &lead.vrm);\n}\n",
    );
    let line = src.lines().count() - 1;
    std::fs::write(&analysis, &src).unwrap();
    let o = run(dir, &["--locked", "--color", "never"]);
    let out = text(&o.stdout);
    let d = drift(&out);
    assert_eq!(d.len(), 1, "{out}");
    assert!(
        d[0].0.ends_with(&format!("src/analysis.rs:{line}:13")),
        "{:?}\n{out}",
        d[0]
    );
    assert!(d[0].1.contains("`vrm` to recipient `file`"), "{out}");
    assert!(out.contains("dpia.lock lacks [[processing]] purpose = \"county-lines-detection\", category = \"vrm\", recipient = \"file\""), "{out}");
    assert!(out.contains("the controller must review the DPIA"), "{out}");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn refactors_never_drift() {
    let tmp = copy_example("live-facial-recognition");
    let dir = tmp.path();
    // rename every function, split a function, move a module: the same processing
    rename_all(dir);
    let matching = dir.join("src/matching.rs");
    let m = std::fs::read_to_string(&matching).unwrap();
    let split = split_first_tagged(&m);
    assert_ne!(split, m, "the split happened");
    std::fs::write(&matching, split).unwrap();
    // `crate::watchlist` becomes `crate::lists::watchlist`, in a directory of its own
    let watchlist = std::fs::read_to_string(dir.join("src/watchlist.rs")).unwrap();
    std::fs::remove_file(dir.join("src/watchlist.rs")).unwrap();
    std::fs::create_dir_all(dir.join("src/lists")).unwrap();
    std::fs::write(dir.join("src/lists/watchlist.rs"), watchlist).unwrap();
    for e in std::fs::read_dir(dir.join("src")).unwrap() {
        let p = e.unwrap().path();
        if !p.is_file() {
            continue;
        }
        let s = std::fs::read_to_string(&p).unwrap();
        let s = s
            .replace(
                "pub mod watchlist;",
                "pub mod lists {\n    pub mod watchlist;\n}",
            )
            .replace("crate::watchlist", "crate::lists::watchlist");
        std::fs::write(&p, s).unwrap();
    }
    let w = dir.join("src/lists/watchlist.rs");
    let s = std::fs::read_to_string(&w).unwrap();
    std::fs::write(&w, s.replace("super::", "crate::")).unwrap();
    let o = run(dir, &["--locked", "--color", "never"]);
    let out = text(&o.stdout);
    assert!(o.status.code().unwrap_or(2) < 2, "{}", text(&o.stderr));
    assert!(drift(&out).is_empty(), "{out}");
    // not by losing the flows: every locked fact is still there
    assert!(!out.contains("dpia.lock:"), "a fact was lost: {out}");
}

/// Renames every free function and method the crate defines, consistently in every file.
fn rename_all(dir: &Path) {
    let files: Vec<PathBuf> = std::fs::read_dir(dir.join("src"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let mut names = std::collections::BTreeSet::new();
    for p in &files {
        let s = std::fs::read_to_string(p).unwrap();
        for r in s.split("fn ").skip(1) {
            let n: String = r
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if n.len() > 2 && !matches!(n.as_str(), "new" | "main" | "default" | "fmt" | "drop") {
                names.insert(n);
            }
        }
    }
    for p in &files {
        let mut s = std::fs::read_to_string(p).unwrap();
        for n in &names {
            s = replace_word(&s, n, &format!("renamed_{n}"));
        }
        std::fs::write(p, s).unwrap();
    }
}

fn replace_word(s: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
        if s[i..].starts_with(from)
            && (i == 0 || !word(bytes[i - 1]))
            && bytes.get(i + from.len()).is_none_or(|c| !word(*c))
        {
            out.push_str(to);
            i += from.len();
        } else {
            let c = s[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The first `#[processing]` function's body moved into an untagged helper it calls.
fn split_first_tagged(s: &str) -> String {
    let Some(tag) = s.find("#[processing(") else {
        return s.to_string();
    };
    let Some(fn_at) = s[tag..].find("pub fn ").map(|i| i + tag) else {
        return s.to_string();
    };
    let Some(open) = s[fn_at..].find('{').map(|i| i + fn_at) else {
        return s.to_string();
    };
    // the matching close brace
    let mut depth = 0;
    let mut close = None;
    for (i, c) in s[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + i);
                    break;
                }
            }
            _ => {}
        }
    }
    let Some(close) = close else {
        return s.to_string();
    };
    let sig = &s[fn_at + "pub fn ".len()..open];
    let name: String = sig
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let params = &sig[sig.find('(').unwrap() + 1..sig.rfind(')').unwrap()];
    let args: Vec<&str> = params
        .split(',')
        .filter_map(|p| p.split(':').next())
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let helper_sig = sig.replacen(&name, &format!("{name}_body"), 1);
    format!(
        "{}pub fn {sig}{{\n    {name}_body({})\n}}\n\nfn {helper_sig}{}{}",
        &s[..fn_at],
        args.join(", "),
        &s[open..=close],
        &s[close + 1..]
    )
}

#[test]
fn a_missing_or_stale_lock_is_exit_2_with_how_to_write_it() {
    let tmp = copy_example("find-and-profile");
    let dir = tmp.path();
    std::fs::remove_file(dir.join("dpia.lock")).unwrap();
    let o = run(dir, &["--locked"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("dpia.lock") && err.contains("cargo dpia-lint lock"),
        "{err}"
    );
    // made, then the DPIA is reviewed again: the lock is stale
    assert!(run(dir, &["lock"]).status.success());
    assert_eq!(run(dir, &["--locked"]).status.code(), Some(1));
    let m = std::fs::read_to_string(dir.join("dpia.toml")).unwrap();
    std::fs::write(
        dir.join("dpia.toml"),
        m.replace("version = \"2\"", "version = \"3\""),
    )
    .unwrap();
    let o = run(dir, &["--locked"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("version 2") && err.contains("version 3"),
        "{err}"
    );
    assert!(err.contains("cargo dpia-lint lock"), "{err}");
    // edited by hand
    assert!(run(dir, &["lock"]).status.success());
    let l = std::fs::read_to_string(dir.join("dpia.lock")).unwrap();
    std::fs::write(dir.join("dpia.lock"), l.replacen("\"vrm\"", "\"lead\"", 1)).unwrap();
    let o = run(dir, &["--locked"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("edited by hand"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn a_bad_screening_table_is_exit_2_with_its_span() {
    let tmp = copy_example("find-and-profile");
    let dir = tmp.path();
    let m = std::fs::read_to_string(dir.join("dpia.toml")).unwrap();
    std::fs::write(
        dir.join("dpia.toml"),
        m.replace("\nbiometric = false", "\nbiometrik = false")
            .replace("\ngenetic = false", "\ngenetic = \"no\""),
    )
    .unwrap();
    let o = run(dir, &["--color", "never"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("unknown screening item `biometrik`"), "{err}");
    assert!(err.contains("did you mean `biometric`?"), "{err}");
    assert!(err.contains("expected a boolean"), "{err}");
    assert!(err.contains("dpia.toml:"), "{err}");
}

#[test]
fn the_json_report_is_the_inventory() {
    for dir in examples() {
        let o = run(&dir, &["report", ".", "--format", "json"]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_json_snapshot!(format!("report_json__{name}"), v);
        });
    }
}

/// Chromium, if installed (`.ci/run` installs it from Debian's packages).
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|b| {
            std::env::var_os("PATH")
                .map(|p| {
                    std::env::split_paths(&p)
                        .map(|d| d.join(b))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
        .find(|p| p.is_file())
}

#[test]
fn the_html_report_renders_in_a_real_browser() {
    let Some(browser) = chromium() else {
        eprintln!(
            "SKIPPED the_html_report_renders_in_a_real_browser: no chromium on PATH (`apt-get install -y chromium`; .ci/run installs it)"
        );
        return;
    };
    for dir in examples() {
        let tmp = tempfile::tempdir().unwrap();
        let html = tmp.path().join("report.html");
        let o = run(
            &dir,
            &[
                "report",
                ".",
                "--format",
                "html",
                "--output",
                html.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", text(&o.stderr));
        let source = std::fs::read_to_string(&html).unwrap();
        assert!(!source.contains("<script"), "no JavaScript");
        assert!(
            !source.contains("http://") || !source.contains("src=\"http"),
            "no network"
        );
        let profile = tmp.path().join("profile");
        let url = format!("file://{}", html.display());
        let common = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ];
        let dom = Command::new(&browser)
            .args(common)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("--dump-dom")
            .arg(&url)
            .output()
            .unwrap();
        let dom = text(&dom.stdout);
        // the browser built the tables and the diagram
        assert!(
            dom.matches("<table>").count() >= 4,
            "{}: tables\n{dom}",
            dir.display()
        );
        assert!(dom.contains("Record of processing"), "{}", dir.display());
        let svg = dom
            .split("<svg")
            .nth(1)
            .unwrap_or_else(|| panic!("{}: no svg in the DOM", dir.display()));
        assert!(
            svg.matches("<rect").count() >= 3,
            "{}: diagram nodes",
            dir.display()
        );
        assert!(
            svg.contains("<path class=\"edge\""),
            "{}: diagram edges",
            dir.display()
        );
        // and painted it: a screenshot of the page
        let png = tmp.path().join("page.png");
        let shot = Command::new(&browser)
            .args(common)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--screenshot={}", png.display()))
            .arg("--window-size=1280,2400")
            .arg(&url)
            .output()
            .unwrap();
        let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
        assert!(
            size > 20_000,
            "{}: screenshot {size} bytes: {}",
            dir.display(),
            text(&shot.stderr)
        );
    }
}
