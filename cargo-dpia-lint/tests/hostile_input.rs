//! Hostile input (issue G, items 4, 5 and 7): each attack is built at test time in a temp
//! dir and linted by the binary, which must end normally (exit 0 or 1, never a signal or
//! 101), within a generous deadline, with bounded output, and must not hide findings.

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MANIFEST: &str = r#"[dpia]
title = "Hostile"
reference = "H-1"
version = "1"
reviewed = 2024-01-01
regime = "uk-gdpr"
controller = "Test"

[categories.contact]
description = "contact details"
retention = "1d"

[purposes.billing]
description = "billing"
basis = "art6.contract"
categories = ["contact"]
recipients = []
"#;

/// A leak that must be found: `contact` data printed under a purpose that does not list
/// `log` (DPIA302, an error).
const LEAK: &str = r#"
use dpia::{erases, personal_data, processing};

#[personal_data(category = "contact")]
pub struct Customer {
    pub email: String,
}

#[processing(purpose = "billing")]
pub fn bill(c: &Customer) {
    println!("{}", c.email);
}

#[erases(categories = ["contact"])]
pub fn purge() {}
"#;

fn krate(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Cargo.toml",
        "[package]\nname = \"hostile\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    );
    write(dir.path(), "dpia.toml", MANIFEST);
    for (rel, text) in files {
        write(dir.path(), rel, text);
    }
    dir
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

struct Run {
    code: Option<i32>,
    stdout: String,
    elapsed: Duration,
}

/// Lints `dir`; kills the run after `deadline`.
fn lint(dir: &Path, deadline: Duration) -> Run {
    let t = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cargo-dpia-lint"))
        .arg(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if t.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = String::from_utf8_lossy(&reader.join().unwrap()).into_owned();
    let elapsed = t.elapsed();
    let status = status.unwrap_or_else(|| panic!("killed after {elapsed:?}: the run did not end"));
    Run {
        code: status.code(),
        stdout,
        elapsed,
    }
}

const DEADLINE: Duration = Duration::from_secs(120);

fn assert_ends_normally(r: &Run, what: &str) {
    assert!(
        matches!(r.code, Some(0 | 1)),
        "{what}: exit {:?} (a signal or a panic), output:\n{}",
        r.code,
        &r.stdout[..r.stdout.len().min(2000)]
    );
}

#[test]
fn comments_and_literals_do_not_hide_findings() {
    // a banner comment: 13 lines of 80 dashes (the old raw-text scan saw 1040 prefix `-`)
    let dashes = format!("/*\n{}*/\n", format!("{}\n", "-".repeat(80)).repeat(13));
    for (what, noise) in [
        ("13 lines of dashes", dashes),
        ("a comment of parens", format!("// {}\n", "(".repeat(300))),
        ("a block comment", format!("/* {} */\n", "{[(".repeat(300))),
        (
            "a string of brackets",
            format!("pub const S: &str = \"{}\";\n", "[".repeat(300)),
        ),
        (
            "a raw string",
            format!("pub const R: &str = r##\"{}\"##;\n", "!&*-".repeat(2000)),
        ),
        (
            "a doc comment",
            format!("/// {}\npub fn doc() {{}}\n", "&mut ".repeat(2000)),
        ),
    ] {
        let dir = krate(&[("src/lib.rs", format!("{noise}{LEAK}"))]);
        let r = lint(dir.path(), DEADLINE);
        assert_eq!(r.code, Some(1), "{what}:\n{}", r.stdout);
        assert!(r.stdout.contains("error[DPIA302]"), "{what}:\n{}", r.stdout);
        assert!(!r.stdout.contains("DPIA001"), "{what}:\n{}", r.stdout);
    }
}

#[test]
fn raw_identifiers_in_mod() {
    let dir = krate(&[
        (
            "src/lib.rs",
            "mod r#match;\nmod r#type {\n    mod inner;\n}\n".to_string(),
        ),
        ("src/match.rs", LEAK.to_string()),
        ("src/type/inner.rs", "pub fn i() {}\n".to_string()),
    ]);
    let r = lint(dir.path(), DEADLINE);
    assert!(!r.stdout.contains("DPIA001"), "{}", r.stdout);
    assert!(r.stdout.contains("error[DPIA302]"), "{}", r.stdout);
}

#[test]
fn nested_items_are_analysed() {
    let src = LEAK.replace(
        "pub fn bill(c: &Customer) {\n    println!(\"{}\", c.email);\n}",
        "pub fn bill(c: &Customer) {\n    fn inner(c: &Customer) {\n        println!(\"{}\", c.email);\n    }\n    inner(c);\n}",
    );
    assert_ne!(src, LEAK);
    let dir = krate(&[("src/lib.rs", src)]);
    let r = lint(dir.path(), DEADLINE);
    assert_eq!(r.code, Some(1), "{}", r.stdout);
    assert!(r.stdout.contains("error[DPIA302]"), "{}", r.stdout);
}

#[test]
fn personal_data_without_category_and_untagged_fields() {
    let src = "use dpia::personal_data;\n#[personal_data]\npub struct Loose {\n    pub email: String,\n    #[dpia(not_personal)]\n    pub id: u32,\n}\n";
    let dir = krate(&[("src/lib.rs", src.to_string())]);
    let r = lint(dir.path(), DEADLINE);
    assert!(
        r.stdout.contains("error[DPIA002]: `#[personal_data]` without `category` needs a category on every field; untagged: `email`"),
        "{}",
        r.stdout
    );
}

/// 50 KB of each construct syn recurses on: refused with a DPIA001 that says why (the rest
/// of the crate analysed: the leak in another file is found), never a stack overflow.
#[test]
fn deep_constructs_are_refused_not_crashed() {
    const K: usize = 50_000;
    let attacks = [
        (
            "closures",
            format!("pub fn f() {{ let _ = {}1; }}\n", "|x| ".repeat(K / 4)),
        ),
        (
            "pipes",
            format!("pub fn f() {{ let _ = {}1; }}\n", "||".repeat(K / 2)),
        ),
        (
            "generics",
            format!(
                "pub type T = {}u8{};\n",
                "A<".repeat(K / 2),
                ">".repeat(K / 2)
            ),
        ),
        (
            "fn types",
            format!("pub type T = {}u8;\n", "fn() -> ".repeat(K / 8)),
        ),
        (
            "&mut",
            format!("pub fn f() {{ let _ = {}x; }}\n", "&mut ".repeat(K / 5)),
        ),
        (
            "&mut types",
            format!("pub type T = {}u8;\n", "&mut ".repeat(K / 5)),
        ),
        (
            "!",
            format!("pub fn f() {{ let _ = {}x; }}\n", "!".repeat(K)),
        ),
        (
            "assignments",
            format!("pub fn f() {{ {}x; }}\n", "a=".repeat(K / 2)),
        ),
        (
            "@ patterns",
            format!("pub fn f() {{ let {}x = 1; }}\n", "a@".repeat(K / 2)),
        ),
        (
            "return",
            format!("pub fn f() {{ {}x; }}\n", "return ".repeat(K / 7)),
        ),
        (
            "if if",
            format!(
                "pub fn f() {{ {}x{} }}\n",
                "if ".repeat(K / 5),
                "{}".repeat(K / 5)
            ),
        ),
        (
            "impl Fn",
            format!("pub fn f() -> {}u8 {{}}\n", "impl Fn() -> ".repeat(K / 13)),
        ),
        (
            "qualified paths",
            format!(
                "pub type T = {}u8{};\n",
                "<".repeat(K / 9),
                " as A>::B".repeat(K / 9)
            ),
        ),
        (
            "parens",
            format!(
                "pub fn f() {{ let _ = {}1{}; }}\n",
                "(".repeat(K / 2),
                ")".repeat(K / 2)
            ),
        ),
    ];
    for (what, src) in attacks {
        let dir = krate(&[
            ("src/lib.rs", format!("mod deep;\n{LEAK}")),
            ("src/deep.rs", src),
        ]);
        let r = lint(dir.path(), DEADLINE);
        assert_ends_normally(&r, what);
        assert!(
            r.stdout.contains("warning[DPIA001]"),
            "{what}:\n{}",
            r.stdout
        );
        assert!(r.stdout.contains("this file was not analysed"), "{what}");
        assert!(r.stdout.contains("error[DPIA302]"), "{what}:\n{}", r.stdout);
    }
}

/// Just below the bounds, in combination (pressure along a path of nested groups): parsed
/// and analysed, on the workers' stacks, without a crash.
#[test]
fn deep_but_admitted_input_is_analysed() {
    let per_level = "!".repeat(7);
    for (what, src) in [
        (
            "pressure through 250 groups",
            format!(
                "pub fn f() {{ let _ = {}x{}; }}\n",
                format!("{per_level}(").repeat(250),
                ")".repeat(250)
            ),
        ),
        (
            "closures",
            format!("pub fn f() {{ let _ = {}1; }}\n", "|x| ".repeat(1000)),
        ),
        (
            "generics",
            format!(
                "pub type T = {}u8{};\n",
                "A<".repeat(2000),
                ">".repeat(2000)
            ),
        ),
        (
            "fn types",
            format!("pub type T = {}u8;\n", "fn() -> ".repeat(600)),
        ),
        (
            "&mut",
            format!("pub fn f() {{ let _ = {}x; }}\n", "&mut ".repeat(1000)),
        ),
        (
            "if if",
            format!(
                "pub fn f() {{ {}x{} }}\n",
                "if ".repeat(1000),
                "{}".repeat(1000)
            ),
        ),
        (
            "return",
            format!("pub fn f() {{ {}x; }}\n", "return ".repeat(2000)),
        ),
        (
            "method chain",
            format!("pub fn f() {{ x{}; }}\n", ".a()".repeat(12_500)),
        ),
        // chains are loops in syn: 50 KB of them are admitted
        (
            "sum",
            format!("pub fn f() {{ let _ = x{}; }}\n", "+x".repeat(25_000)),
        ),
    ] {
        let dir = krate(&[
            ("src/lib.rs", format!("mod deep;\n{LEAK}")),
            ("src/deep.rs", src),
        ]);
        let r = lint(dir.path(), DEADLINE);
        assert_ends_normally(&r, what);
        assert!(!r.stdout.contains("DPIA001"), "{what}:\n{}", r.stdout);
        assert!(r.stdout.contains("error[DPIA302]"), "{what}");
    }
}

/// One function with 100 000 `let`s that each read a parameter: linear, so it ends well
/// inside the deadline (the old environment scan took minutes).
#[test]
fn many_lets_in_one_body() {
    let mut src = String::from("pub fn f(x: u8) {\n");
    for i in 0..100_000 {
        src.push_str(&format!("    let a{i} = x;\n"));
    }
    src.push_str("}\n");
    let dir = krate(&[("src/lib.rs", format!("{LEAK}\n{src}"))]);
    let r = lint(dir.path(), Duration::from_secs(60));
    assert_ends_normally(&r, "100k lets");
    assert!(r.stdout.contains("error[DPIA302]"));
}

/// A chain of 20 000 modules linked by `#[path]`: the module tree stops at its depth cap
/// with a DPIA001, instead of building 20 000 ever longer module paths.
#[test]
fn a_chain_of_path_modules() {
    const N: usize = 20_000;
    let mut files = vec![(
        "src/lib.rs".to_string(),
        format!("#[path = \"m0.rs\"]\nmod m0;\n{LEAK}"),
    )];
    for i in 0..N {
        let next = if i + 1 < N {
            format!("#[path = \"m{}.rs\"]\nmod m{};\n", i + 1, i + 1)
        } else {
            String::new()
        };
        files.push((format!("src/m{i}.rs"), format!("{next}pub fn f() {{}}\n")));
    }
    let files: Vec<(&str, String)> = files.iter().map(|(p, t)| (p.as_str(), t.clone())).collect();
    let dir = krate(&files);
    let r = lint(dir.path(), Duration::from_secs(60));
    assert_ends_normally(&r, "module chain");
    assert!(
        r.stdout.contains("modules deep; its file was not analysed"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("error[DPIA302]"));
    assert!(r.elapsed < Duration::from_secs(60));
}

/// One tag with 10 000 bad keys: at most 20 findings for it and one that counts the rest.
#[test]
fn a_tag_with_many_bad_keys() {
    let keys: Vec<String> = (0..10_000).map(|i| format!("bad{i} = 1")).collect();
    let src = format!(
        "use dpia::processing;\n#[processing(purpose = \"billing\", {})]\npub fn f() {{}}\n",
        keys.join(", ")
    );
    let dir = krate(&[("src/lib.rs", src)]);
    let r = lint(dir.path(), DEADLINE);
    assert_eq!(r.code, Some(1));
    assert_eq!(
        r.stdout.matches("error[DPIA002]").count(),
        21,
        "{}",
        &r.stdout[..2000]
    );
    assert!(r.stdout.contains("9980 more problems in this tag"));
    // each finding shows the 100 KB line once: about 2 MB, not 1 GB
    assert!(r.stdout.len() < 8 << 20, "{} bytes", r.stdout.len());
}

/// bindgen's callback types (libsqlite3-sys) on fields that look like personal data.
#[test]
fn bindgen_types() {
    let src = "pub struct S {\n    pub email: ::std::option::Option<unsafe extern \"C\" fn(arg1: *mut ::std::os::raw::c_void, arg2: ::std::os::raw::c_int) -> ::std::os::raw::c_int>,\n    pub name: Option<unsafe extern \"C\" fn(arg1: *mut c_void, arg2: c_int) -> Option<Box<u8>>>,\n}\n";
    let dir = krate(&[("src/lib.rs", src.to_string())]);
    let r = lint(dir.path(), DEADLINE);
    assert_ends_normally(&r, "bindgen types");
    assert!(!r.stdout.contains("DPIA001"), "{}", r.stdout);
}
