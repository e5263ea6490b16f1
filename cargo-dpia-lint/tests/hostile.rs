//! Hostile repositories (issue G): each test builds one attack in a temp dir
//! at test time, runs the binary on it the way CI does, and asserts the safe outcome:
//! nothing from the repository runs, real partial checkouts are linted, no file outside
//! the checkout is read or printed, and nothing blocks.
//!
//! The binary runs with `CARGO` and `RUSTUP_TOOLCHAIN` removed from its environment, as in
//! a user's shell or a CI step (`cargo test` sets both, which would hide what rustup does
//! with a repository's `rust-toolchain.toml`), and with a bounded wait: a run that does not
//! finish in [`LIMIT`] is killed and the test fails.
//!
//! `DPIA_LINT_HOSTILE_BIN=/path/to/cargo-dpia-lint` runs the suite against another build
//! (e.g. an older one, to see each test fail there).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Far above what these small crates take, even on a loaded debug build.
const LIMIT: Duration = Duration::from_secs(120);

/// Planted in the child's environment; must never appear in its output.
const SECRET: &str = "hostile-secret-7f3a9c1e5b";

const DPIA: &str = "[dpia]\ntitle = \"t\"\nreference = \"r\"\nversion = \"0\"\nreviewed = 2026-01-01\nregime = \"uk-gdpr\"\ncontroller = \"c\"\n";

/// A field that looks like personal data: one DPIA201 finding, so that a run that lints
/// the file says so.
const LIB: &str = "pub struct Account {\n    pub email: String,\n}\n";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// Exit 0 or 1: the run was done.
    fn linted(&self) -> &Run {
        assert!(
            matches!(self.code, Some(0 | 1)),
            "exit {:?}\n{}",
            self.code,
            self.all()
        );
        self
    }
}

fn bin() -> PathBuf {
    std::env::var_os("DPIA_LINT_HOSTILE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_cargo-dpia-lint")))
}

/// Runs the binary in `cwd` with `args`; stdin is a pipe nobody writes to, held open.
fn run_in(cwd: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .env_remove("CARGO")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env("RUSTUP_AUTO_INSTALL", "0")
        .env("DPIA_HOSTILE_SECRET", SECRET)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the run did not finish in {LIMIT:?}: it blocked");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(child.stdin.take());
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&out_t.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err_t.join().unwrap()).into_owned(),
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A package `victim` with `extra` after its `[package]` table, a `dpia.toml` and a
/// `src/lib.rs` with one finding.
fn package(root: &Path, extra: &str) {
    write(
        root,
        "Cargo.toml",
        &format!(
            "[package]\nname = \"victim\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n{extra}"
        ),
    );
    write(root, "dpia.toml", DPIA);
    write(root, "src/lib.rs", LIB);
}

#[cfg(unix)]
fn script(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(unix)]
fn fifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

/// The linted file was analysed: its finding is in the output.
fn saw_the_lib(r: &Run) {
    assert!(r.stdout.contains("src/lib.rs"), "{}", r.all());
}

#[cfg(unix)]
#[test]
fn a_toolchain_path_in_the_checkout_never_runs() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("repo");
    package(&root, "");
    let marker = d.path().join("ran");
    // rustup runs `<path>/bin/cargo` for any `cargo` started in this directory
    for tool in ["cargo", "rustc"] {
        script(
            &root.join(format!("evil-toolchain/bin/{tool}")),
            &format!("touch '{}'\nexit 1", marker.display()),
        );
    }
    write(
        &root,
        "rust-toolchain.toml",
        &format!(
            "[toolchain]\npath = \"{}\"\n",
            root.join("evil-toolchain").display()
        ),
    );
    let r = run_in(&root, &[]);
    assert!(!marker.exists(), "code from the checkout ran\n{}", r.all());
    r.linted();
    saw_the_lib(&r);
}

#[cfg(unix)]
#[test]
fn cargo_config_in_the_checkout_is_ignored() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("repo");
    package(&root, "");
    let marker = d.path().join("ran");
    script(
        &root.join("wrap.sh"),
        &format!("touch '{}'\nexec \"$@\"", marker.display()),
    );
    // an alias for the subcommand, a wrapper around rustc, and a value cargo rejects
    write(
        &root,
        ".cargo/config.toml",
        "[alias]\ndpia-lint = \"run --quiet --bin evil --\"\n\n[build]\nrustc-wrapper = \"./wrap.sh\"\ntarget-dir = 5\n",
    );
    let r = run_in(&root, &[]);
    assert!(!marker.exists(), "code from the checkout ran\n{}", r.all());
    r.linted();
    saw_the_lib(&r);
}

#[test]
fn a_pinned_toolchain_that_is_not_installed_does_not_matter() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    package(root, "");
    write(
        root,
        "rust-toolchain.toml",
        "[toolchain]\nchannel = \"1.23.4\"\ncomponents = [\"rustfmt\"]\n",
    );
    write(root, "rust-toolchain", "nonexistent-2099-01-01\n");
    let r = run_in(root, &[]);
    r.linted();
    saw_the_lib(&r);
}

#[test]
fn an_absent_member_is_a_note_and_the_rest_is_linted() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    write(
        root,
        "Cargo.toml",
        "[workspace]\nmembers = [\"present\", \"app\"]\nresolver = \"2\"\n",
    );
    write(root, "dpia.toml", DPIA);
    write(
        root,
        "present/Cargo.toml",
        "[package]\nname = \"present\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(root, "present/src/lib.rs", LIB);
    let r = run_in(root, &["."]);
    r.linted();
    assert!(r.stdout.contains("present/src/lib.rs"), "{}", r.all());
    assert!(
        r.stdout
            .lines()
            .any(|l| l.starts_with("note: workspace member `app` is absent")),
        "{}",
        r.all()
    );
    // and in SARIF, as a tool execution notification
    let r = run_in(root, &[".", "--format", "sarif"]);
    r.linted();
    let sarif: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let notes = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert!(
        notes
            .as_array()
            .is_some_and(|n| n.iter().any(|n| n["message"]["text"]
                .as_str()
                .is_some_and(|t| t.contains("workspace member `app` is absent")))),
        "{notes}"
    );
}

#[test]
fn an_absent_path_dependency_is_a_note() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    write(
        root,
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n",
    );
    write(root, "dpia.toml", DPIA);
    write(
        root,
        "crates/server/Cargo.toml",
        "[package]\nname = \"server\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [dependencies]\nclient = { path = \"../client\" }\n",
    );
    write(root, "crates/server/src/lib.rs", LIB);
    let r = run_in(root, &["."]);
    r.linted();
    assert!(r.stdout.contains("crates/server/src/lib.rs"), "{}", r.all());
    assert!(
        r.stdout
            .contains("note: path dependency `crates/client` of `server` is absent"),
        "{}",
        r.all()
    );
}

#[test]
fn a_git_dependency_needs_no_network() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    package(
        root,
        "[dependencies]\nleft-pad = { git = \"https://git.invalid/left-pad.git\", branch = \"main\" }\n",
    );
    let r = run_in(root, &["."]);
    r.linted();
    saw_the_lib(&r);
}

#[test]
fn running_from_src_finds_the_crate_above() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    package(root, "");
    write(root, "src/deep/mod.rs", "\n");
    let r = run_in(&root.join("src"), &[]);
    r.linted();
    assert!(r.stdout.contains("src/lib.rs"), "{}", r.all());
    // the manifest next to Cargo.toml was found, not one in src/
    assert!(!r.all().contains("no DPIA manifest"), "{}", r.all());
    let r = run_in(&root.join("src/deep"), &[]);
    r.linted();
    assert!(r.stdout.contains("src/lib.rs"), "{}", r.all());
}

#[cfg(target_os = "linux")]
#[test]
fn a_lib_path_to_proc_self_environ_is_not_read() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    package(root, "[lib]\npath = \"/proc/self/environ\"\n");
    write(root, "src/main.rs", LIB);
    let r = run_in(root, &["."]);
    assert!(
        !r.all().contains(SECRET),
        "the environment leaked:\n{}",
        r.all()
    );
    r.linted();
    assert!(r.stdout.contains("src/main.rs"), "{}", r.all());
    assert!(
        r.stdout.contains("/proc/self/environ") && r.stdout.contains("outside"),
        "{}",
        r.all()
    );
}

/// A file outside the checkout whose text would show in a diagnostic if it were read.
fn secret_file(dir: &Path) -> PathBuf {
    let p = dir.join("secret.rs");
    std::fs::write(&p, format!("fn {}( {{\n", SECRET.replace('-', "_"))).unwrap();
    p
}

fn no_secret(r: &Run) {
    let all = r.all();
    assert!(
        !all.contains(SECRET) && !all.contains(&SECRET.replace('-', "_")),
        "a file outside the checkout was printed:\n{all}"
    );
}

#[test]
fn a_bin_path_outside_the_checkout_is_not_read() {
    let d = tempfile::tempdir().unwrap();
    let outside = secret_file(d.path());
    let root = d.path().join("repo");
    package(
        &root,
        &format!(
            "[[bin]]\nname = \"victim\"\npath = \"{}\"\n\n[[bin]]\nname = \"up\"\npath = \"../secret.rs\"\n",
            outside.display()
        ),
    );
    let r = run_in(&root, &["."]);
    no_secret(&r);
    r.linted();
    saw_the_lib(&r);
    assert!(
        r.stdout.contains("outside the linted directory"),
        "{}",
        r.all()
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_crate_root_out_of_the_checkout_is_not_read() {
    let d = tempfile::tempdir().unwrap();
    let outside = secret_file(d.path());
    let root = d.path().join("repo");
    package(&root, "");
    std::fs::create_dir_all(root.join("src/bin")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("src/main.rs")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("src/bin/tool.rs")).unwrap();
    let r = run_in(&root, &["."]);
    no_secret(&r);
    r.linted();
    saw_the_lib(&r);
    assert!(r.stdout.contains("src/main.rs"), "{}", r.all());
}

#[cfg(unix)]
#[test]
fn a_dpia_toml_symlinked_out_of_the_checkout_is_not_read() {
    let d = tempfile::tempdir().unwrap();
    let secret = d.path().join("shadow.toml");
    std::fs::write(&secret, format!("root:{SECRET}:19000:0:99999:7:::\n")).unwrap();
    let root = d.path().join("repo");
    package(&root, "");
    std::fs::remove_file(root.join("dpia.toml")).unwrap();
    std::os::unix::fs::symlink(&secret, root.join("dpia.toml")).unwrap();
    let r = run_in(&root, &["."]);
    no_secret(&r);
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert!(
        r.stderr.contains("dpia.toml") && r.stderr.contains("outside the linted directory"),
        "{}",
        r.all()
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_as_a_module_or_a_crate_root_does_not_block() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    package(
        root,
        "[[bin]]\nname = \"pipe\"\npath = \"src/pipe_main.rs\"\n",
    );
    write(root, "src/lib.rs", &format!("mod pipe;\n{LIB}"));
    fifo(&root.join("src/pipe.rs"));
    fifo(&root.join("src/pipe_main.rs"));
    let r = run_in(root, &["."]);
    r.linted();
    saw_the_lib(&r);
    // the `mod` finding says why, by path
    assert!(
        r.stdout.contains("module `pipe`") && r.stdout.contains("FIFO"),
        "{}",
        r.all()
    );
    assert!(
        r.stdout.contains("src/pipe_main.rs") && r.stdout.contains("not a regular file"),
        "{}",
        r.all()
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_as_dpia_toml_does_not_block() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    package(root, "");
    std::fs::remove_file(root.join("dpia.toml")).unwrap();
    fifo(&root.join("dpia.toml"));
    let r = run_in(root, &["."]);
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert!(
        r.stderr.contains("dpia.toml") && r.stderr.contains("not a regular file"),
        "{}",
        r.all()
    );
}

#[cfg(unix)]
#[test]
fn dev_stdin_as_dpia_is_refused_without_blocking() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    package(root, "");
    for given in ["/dev/stdin", "/dev/zero"] {
        let r = run_in(root, &[".", "--dpia", given]);
        assert_eq!(r.code, Some(2), "{given}: {}", r.all());
        assert!(
            r.stderr.contains(given) && r.stderr.contains("not a regular file"),
            "{given}: {}",
            r.all()
        );
    }
    // a FIFO given on the command line, too
    fifo(&root.join("given.toml"));
    let r = run_in(root, &[".", "--dpia", "given.toml"]);
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert!(r.stderr.contains("FIFO"), "{}", r.all());
    // and as --manifest-path
    let r = run_in(root, &["--manifest-path", "/dev/stdin"]);
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert!(r.stderr.contains("not a regular file"), "{}", r.all());
}
