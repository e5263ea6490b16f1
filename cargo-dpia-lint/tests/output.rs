//! Where the binary's output goes: a reader that went away, a full disk, `--output` onto
//! a symlink. Never a panic (exit 101); the node at `--output` is never replaced unless it
//! is a regular file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cargo-dpia-lint"));
    c.current_dir(repo());
    c
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The write end of a pipe whose read end is already closed: every write gets EPIPE, as
/// in `cargo dpia-lint rules | head -1` once `head` has exited.
#[cfg(unix)]
fn closed_pipe() -> Stdio {
    let (reader, writer) = rustix::pipe::pipe().unwrap();
    drop(reader);
    Stdio::from(writer)
}

#[cfg(unix)]
fn into_closed_pipe(args: &[&str]) -> Output {
    bin()
        .args(args)
        .stdout(closed_pipe())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    for args in [
        &["rules"][..],
        &["rules", "--format", "json"],
        &["explain", "DPIA102"],
        &["--help"],
    ] {
        let out = into_closed_pipe(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(text(&out.stderr), "", "{args:?}");
    }
}

/// The exit code still says whether there were findings: the reader chose to stop reading.
#[cfg(unix)]
#[test]
fn a_lint_into_a_closed_pipe_keeps_its_exit_code() {
    let out = into_closed_pipe(&["examples/find-and-profile"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    // the example's two deliberate findings allowed
    let out = into_closed_pipe(&[
        "examples/find-and-profile",
        "-A",
        "DPIA101",
        "-A",
        "DPIA502",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// `>/dev/full`: opened for writing as a shell redirection does (the node is untouched).
#[cfg(unix)]
#[test]
fn a_full_disk_is_exit_2_with_a_message() {
    let full = Path::new("/dev/full");
    if !full.exists() {
        return; // not Linux
    }
    for (args, says) in [
        (&["rules"][..], "error: cannot write to stdout"),
        (&["explain", "DPIA102"], "error: cannot write to stdout"),
        (
            &["examples/find-and-profile"],
            "error: cannot write the report to stdout",
        ),
    ] {
        let dev = std::fs::OpenOptions::new().write(true).open(full).unwrap();
        let out = bin()
            .args(args)
            .stdout(Stdio::from(dev))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(err.contains("No space left on device"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[cfg(unix)]
#[test]
fn output_onto_a_symlink_writes_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.sarif");
    std::fs::write(&real, "").unwrap();
    let link = dir.path().join("out.sarif");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let out = bin()
        .args(["examples/find-and-profile", "--format", "sarif", "--output"])
        .arg(&link)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&real).unwrap()).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

const MANIFEST: &str = "[dpia]\ntitle = \"t\"\nregime = \"dpa2018-part3\"\n\n\
    [categories.vrm]\nkind = \"vehicle-registration\"\nretention = \"1d\"\n\n\
    [purposes.county-lines-detection]\nbasis = \"part3.task\"\ncategories = [\"vrm\"]\n";

/// Text that would clear the screen, plant a hyperlink, ring, rewrite the line, or start
/// a workflow command if printed raw.
const HOSTILE: &str = "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07\x1b[2J\r\u{9b}31m";

/// Escapes in a file name and in a string literal on the line a finding points at (a
/// parse error in a directory linted file by file).
#[cfg(unix)]
#[test]
fn escapes_from_the_repository_are_shown_not_obeyed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dpia.toml"), MANIFEST).unwrap();
    let name = "evil\x1b[2J\x1b]8;;x\x07.rs";
    std::fs::write(
        dir.path().join(name),
        format!("fn f() {{ let s = \"{HOSTILE}\"; ( }}\n"),
    )
    .unwrap();
    let run = |format: &str| {
        let out = bin()
            .current_dir(dir.path())
            .args([".", "--format", format, "--color", "always"])
            .output()
            .unwrap();
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "{}",
            text(&out.stderr)
        );
        text(&out.stdout)
    };
    let human = run("human");
    assert!(human.contains("DPIA001"), "{human}");
    assert!(
        human.contains("evil\u{241b}[2J\u{241b}]8;;x\u{2407}.rs"),
        "{human}"
    );
    assert!(
        human.contains("\u{241b}]8;;https://evil.example\u{2407}click"),
        "{human}"
    );
    // our own colour is still there (SGR: ESC [ digits m), but no escape of the repository's
    assert!(human.contains("\x1b["), "colour was asked for");
    for (at, _) in human.match_indices('\x1b') {
        let rest = &human[at + 1..];
        let sgr = rest.strip_prefix('[').and_then(|r| {
            let end = r.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
            r[end..].starts_with('m').then_some(())
        });
        assert!(
            sgr.is_some(),
            "a raw escape: {:?}",
            &human[at..(at + 12).min(human.len())]
        );
    }
    for c in ['\x07', '\r', '\u{9b}'] {
        assert!(!human.contains(c), "{c:?} in {human:?}");
    }
    let github = run("github");
    for c in ['\x1b', '\x07', '\r', '\u{9b}'] {
        assert!(!github.contains(c), "{c:?} in {github:?}");
    }
    let (summary, commands) = github
        .trim_end()
        .lines()
        .collect::<Vec<_>>()
        .split_last()
        .map(|(s, c)| (*s, c.to_vec()))
        .unwrap();
    assert!(!summary.trim().starts_with("::"), "{github}");
    for l in &commands {
        assert!(
            l.starts_with("::error file=") || l.starts_with("::warning file="),
            "{l}"
        );
    }
    assert!(
        commands.iter().any(|l| l.contains("file=evil\u{241b}[2J")),
        "{github}"
    );
}

/// Issue G: `--dpia nope.toml` said "no DPIA manifest found".
#[test]
fn a_missing_dpia_file_says_no_such_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lib.rs"), "pub fn f() {}\n").unwrap();
    let out = bin()
        .current_dir(dir.path())
        .args([".", "--dpia", "nope.toml"])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("`--dpia nope.toml`: no such file"), "{err}");
    assert!(!err.contains("no DPIA manifest found"), "{err}");
    let out = bin()
        .current_dir(dir.path())
        .args([".", "--dpia", "."])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("`--dpia .`: it is a directory"), "{err}");
}

/// Issue G: a `--dpia` outside the lint root printed as `//srv/…`, and in SARIF as the
/// URI `//srv/…` (a host name, SARIF1004). Files named with spaces, `%`, `#` gave URIs
/// that are not URIs (SARIF1002).
#[test]
fn paths_outside_the_root_and_odd_names_render_as_paths_and_uris() {
    let code = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    // an unused category: a finding at the manifest, outside the root
    let manifest = elsewhere.path().join("dpia.toml");
    std::fs::write(
        &manifest,
        format!("{MANIFEST}\n[categories.email]\nkind = \"email\"\nretention = \"1d\"\n"),
    )
    .unwrap();
    std::fs::write(code.path().join("a b%#é.rs"), "fn broken( {\n").unwrap();
    let abs = manifest.to_str().unwrap();
    let run = |format: &str| {
        let out = bin()
            .current_dir(code.path())
            .args([".", "--dpia", abs, "--format", format])
            .output()
            .unwrap();
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "{}",
            text(&out.stderr)
        );
        text(&out.stdout)
    };
    let human = run("human");
    assert!(human.contains(&format!("--> {abs}:")), "{human}");
    assert!(!human.contains(&format!("/{abs}")), "{human}");
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let mut uris = Vec::new();
    collect_uris(&sarif, &mut uris);
    let name = ("a%20b%25%23%C3%A9.rs".to_string(), "%SRCROOT%".to_string());
    assert!(uris.contains(&name), "{uris:?}");
    let outside = ("dpia.toml".to_string(), "EXTERNAL".to_string());
    assert!(uris.contains(&outside), "{uris:?}");
    assert!(uris.iter().all(|(u, _)| !u.starts_with('/')), "{uris:?}");
    let bases = &sarif["runs"][0]["originalUriBaseIds"];
    assert!(bases["EXTERNAL"].is_object(), "{bases}");
}

/// Every `artifactLocation` of a SARIF log: (uri, uriBaseId).
fn collect_uris(v: &serde_json::Value, out: &mut Vec<(String, String)>) {
    match v {
        serde_json::Value::Object(m) => {
            if let Some(a) = m.get("artifactLocation") {
                let s = |k: &str| a[k].as_str().unwrap_or_default().to_string();
                out.push((s("uri"), s("uriBaseId")));
            }
            m.values().for_each(|v| collect_uris(v, out));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| collect_uris(v, out)),
        _ => {}
    }
}
