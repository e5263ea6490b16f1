//! Unit tests of the flow core (lowering, `eval`, `index`, the fixpoint): one small body per
//! construct, and what the value carries when it reaches a sink. A probe rule prints each
//! sink flow as `function: [categories] -> recipient` (with `pseudonymised [..]` when a hash
//! was on the way).

use std::path::Path;

use crate::diag::{Finding, Label, Level};
use crate::rule::{Precision, Rule, RuleContext, RuleMeta};
use crate::Options;

static PROBE: RuleMeta = RuleMeta {
    code: "DPIA000",
    name: "probe",
    summary: "reports every sink flow",
    default_level: Level::Warn,
    legal_uk_gdpr: "",
    legal_part3: "DPA 2018 s64(3)(a)",
    dpia_step: "",
    precision: Precision::High,
    docs: "",
    implemented: true,
    file: "",
};

struct Probe;

impl Rule for Probe {
    fn meta(&self) -> &'static RuleMeta {
        &PROBE
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for f in &cx.flows.fns {
            let item = cx.model.item(f.item);
            for s in &f.sinks {
                let cats: Vec<&str> = s.categories.iter().map(|(c, _)| c.as_str()).collect();
                let mut line = format!(
                    "{}: [{}] -> {}",
                    item.name,
                    cats.join(","),
                    s.recipient.id()
                );
                if !s.pseudonymised.is_empty() {
                    line.push_str(&format!(" pseudonymised [{}]", s.pseudonymised.join(",")));
                }
                out.push(Finding::new(
                    "DPIA000",
                    Level::Warn,
                    Label::new(s.span, ""),
                    line,
                ));
            }
        }
    }
}

const MANIFEST: &str = r#"
[dpia]
regime = "dpa2018-part3"
[categories.vrm]
retention = "1d"
[purposes.p]
basis = "part3.task"
categories = ["vrm"]
"#;

/// The types every snippet shares: a record with one personal field and one that is not.
const PRELUDE: &str = r#"
#[dpia::personal_data(category = "vrm", retention = "1d")]
pub struct Read {
    pub vrm: String,
    #[dpia(not_personal)]
    pub camera: u32,
}
pub struct Out { pub x: String }
"#;

/// The sink flows of `body` (after [`PRELUDE`]), sorted.
fn flows(body: &str) -> Vec<String> {
    let lib = format!("{PRELUDE}\n{body}");
    lint_tree(&[
        (
            "Cargo.toml",
            "[package]\nname = \"probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n[workspace]\n",
        ),
        ("dpia.toml", MANIFEST),
        ("src/lib.rs", &lib),
    ])
}

/// The sink flows of a tree of files (path, text) in a temporary directory, sorted.
fn lint_tree(files: &[(&str, &str)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (rel, text) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap_or(Path::new("."))).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let opts = Options {
        path: root.to_path_buf(),
        root: Some(root.to_path_buf()),
        ..Options::default()
    };
    let report = crate::lint(&opts, &[&Probe]).unwrap();
    let mut v: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.code == "DPIA000")
        .map(|f| f.message.clone())
        .collect();
    v.sort();
    v
}

#[test]
fn a_let_binding_of_a_field_read_carries_its_category() {
    let got = flows(
        r#"#[dpia::processing(purpose = "p")]
pub fn f(r: &Read) { let v = r.vrm.clone(); println!("{v}"); }"#,
    );
    assert_eq!(got, ["f: [vrm] -> log"]);
}

#[test]
fn a_field_that_is_not_personal_carries_nothing() {
    let got = flows(
        r#"#[dpia::processing(purpose = "p")]
pub fn f(r: &Read) { let c = r.camera; println!("{c}"); }"#,
    );
    assert!(got.iter().all(|l| !l.contains("vrm")), "{got:?}");
}

#[test]
fn a_struct_literal_carries_its_fields() {
    let got = flows(
        r#"#[dpia::processing(purpose = "p")]
pub fn f(r: &Read) { let o = Out { x: r.vrm.clone() }; std::fs::write("out", o.x); }"#,
    );
    assert_eq!(got, ["f: [vrm] -> file"]);
}

#[test]
fn format_and_wrappers_keep_the_category() {
    let got = flows(
        r#"#[dpia::processing(purpose = "p")]
pub fn f(r: &Read) {
    let s = format!("plate {}", r.vrm);
    let w = Some(&s);
    println!("{:?}", w);
}"#,
    );
    assert_eq!(got, ["f: [vrm] -> log"]);
}

#[test]
fn loop_and_closure_variables_over_a_collection_carry_its_elements() {
    let got = flows(
        r#"#[dpia::processing(purpose = "p")]
pub fn looped(rs: Vec<Read>) { for r in rs { println!("{}", r.vrm); } }
#[dpia::processing(purpose = "p")]
pub fn closure(rs: &[Read]) { rs.iter().for_each(|r| println!("{}", r.vrm)); }"#,
    );
    assert_eq!(got, ["closure: [vrm] -> log", "looped: [vrm] -> log"]);
}

#[test]
fn a_callee_summary_carries_an_argument_to_its_sink() {
    let got = flows(
        r#"fn log_it(s: &str) { println!("{s}"); }
#[dpia::processing(purpose = "p")]
pub fn f(r: &Read) { log_it(&r.vrm); }"#,
    );
    assert!(got.iter().any(|l| l.contains("[vrm] -> log")), "{got:?}");
}

#[test]
fn a_return_value_carries_what_the_callee_returns() {
    let got = flows(
        r#"fn plate(r: &Read) -> String { r.vrm.clone() }
#[dpia::processing(purpose = "p")]
pub fn f(r: &Read) { let v = plate(r); std::fs::write("out", v); }"#,
    );
    assert_eq!(got, ["f: [vrm] -> file"]);
}

#[test]
fn a_hash_pseudonymises_and_keeps_the_category() {
    let got = flows(
        r#"fn sha256(s: &str) -> String { s.len().to_string() }
#[dpia::processing(purpose = "p")]
pub fn f(r: &Read) { let h = sha256(&r.vrm); println!("{h}"); }"#,
    );
    assert_eq!(got, ["f: [vrm] -> log pseudonymised [vrm]"]);
}

#[test]
fn a_redaction_wrapper_clears_the_value() {
    let got = flows(
        r#"#[dpia::processing(purpose = "p")]
pub fn f(r: &Read) { let s = secrecy::SecretBox::new(r.vrm.clone()); println!("{:?}", s); }"#,
    );
    assert!(got.iter().all(|l| !l.contains("vrm")), "{got:?}");
}

#[test]
fn options_only_reports_the_named_rules_and_rejects_unknown_ones() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(root.join("dpia.toml"), MANIFEST).unwrap();
    std::fs::write(
        root.join("src/lib.rs"),
        format!("{PRELUDE}\n#[dpia::processing(purpose = \"p\")]\npub fn f(r: &Read) {{ println!(\"{{}}\", r.vrm); }}\n"),
    )
    .unwrap();
    let run = |only: &[&str]| {
        let opts = Options {
            path: root.to_path_buf(),
            root: Some(root.to_path_buf()),
            only: only.iter().map(|s| s.to_string()).collect(),
            ..Options::default()
        };
        crate::lint(&opts, &[&Probe])
    };
    assert_eq!(run(&[]).unwrap().findings.len(), 1);
    assert_eq!(run(&["probe"]).unwrap().findings.len(), 1);
    match run(&["prob"]) {
        Err(crate::RunError::Usage(m)) => {
            assert_eq!(m, "unknown rule `prob`: did you mean `probe`?")
        }
        other => panic!("{:?}", other.map(|r| r.findings.len())),
    }
}

#[test]
fn a_callee_the_first_round_could_not_order_is_still_followed() {
    // `get` has too many methods to guess by name, so round 1 may evaluate `f` before
    // `A::get` (and `g` before `f`): the bottom-up passes must still carry the data through
    let got = flows(
        r#"pub struct A; pub struct B; pub struct C; pub struct D;
impl A { pub fn get(&self, r: &Read) -> String { r.vrm.clone() } }
impl B { pub fn get(&self) -> u8 { 0 } }
impl C { pub fn get(&self) -> u8 { 0 } }
impl D { pub fn get(&self) -> u8 { 0 } }
pub fn f(a: &A, r: &Read) -> String { a.get(r) }
#[dpia::processing(purpose = "p")]
pub fn g(a: &A, r: &Read) { let v = f(a, r); println!("{v}"); }"#,
    );
    assert_eq!(got, ["g: [vrm] -> log"]);
}

#[test]
fn a_name_imported_from_another_crate_is_not_the_workspace_type_of_that_name() {
    // the crate's own `Mailbox` wraps a read; `m` below is lettre's, which holds no read
    let body = r#"
pub mod own { pub struct Mailbox { pub read: crate::Read } }
mod mail {
    use lettre::message::Mailbox;
    #[dpia::processing(purpose = "p")]
    pub fn f(m: Mailbox) { println!("{}", m.read.vrm); }
}
mod local {
    use own::Mailbox;
    #[dpia::processing(purpose = "p")]
    pub fn g(m: Mailbox) { println!("{}", m.read.vrm); }
}"#;
    let got = flows(body);
    // `f` sees lettre's mailbox (an email address) and a field named like a number plate,
    // never the declared `vrm` of the crate's own type
    let cats = |l: &str| l.split(['[', ']']).nth(1).unwrap_or("").to_string();
    let f: Vec<String> = got
        .iter()
        .filter(|l| l.starts_with("f:"))
        .map(|l| cats(l))
        .collect();
    assert!(
        f.iter().all(|c| c.split(',').all(|c| c != "vrm")),
        "{got:?}"
    );
    assert!(f.iter().any(|c| c.contains("looks-like:email")), "{got:?}");
    // a module of the crate named without `crate::` is still the crate's
    assert!(got.iter().any(|l| l == "g: [vrm] -> log"), "{got:?}");
}

#[test]
fn a_renamed_dependency_names_the_workspace_crate() {
    // `store = { package = "probe-store" }`: `store::Read` is the store's tagged type,
    // though the app has its own `Read` (so no unique-name fallback finds it)
    let got = lint_tree(&[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"app\", \"store\"]\n[workspace.dependencies]\nstore = { package = \"probe-store\", path = \"store\" }\n",
        ),
        ("dpia.toml", MANIFEST),
        (
            "store/Cargo.toml",
            "[package]\nname = \"probe-store\"\nversion = \"0.0.0\"\nedition = \"2021\"\n",
        ),
        ("store/src/lib.rs", PRELUDE),
        (
            "app/Cargo.toml",
            "[package]\nname = \"probe-app\"\nversion = \"0.0.0\"\nedition = \"2021\"\n[dependencies]\nstore.workspace = true\n",
        ),
        (
            "app/src/lib.rs",
            r#"pub struct Read { pub id: u32 }
#[dpia::processing(purpose = "p")]
pub fn f(r: &store::Read) { println!("{}", r.vrm); }"#,
        ),
    ]);
    assert_eq!(got, ["f: [vrm] -> log"]);
}

#[test]
fn a_tuple_pattern_takes_each_part_of_a_tuple_built_here() {
    // an array of (name, value) pairs: the names are the program's own words
    let got = flows(
        r#"#[dpia::processing(purpose = "p")]
pub fn names(r: &Read) {
    let pairs = [("plate", r.vrm.clone()), ("camera", String::new())];
    for (name, value) in pairs.into_iter() { println!("{name}"); let _ = value; }
}
#[dpia::processing(purpose = "p")]
pub fn values(r: &Read) {
    let pairs = [("plate", r.vrm.clone()), ("camera", String::new())];
    for (name, value) in pairs.iter() { let _ = name; println!("{value}"); }
}"#,
    );
    assert_eq!(got, ["values: [vrm] -> log"]);
}

#[test]
fn a_tuple_index_takes_its_part() {
    let got = flows(
        r#"#[dpia::processing(purpose = "p")]
pub fn first(r: &Read) { let t = (r.camera, r.vrm.clone()); println!("{}", t.0); }
#[dpia::processing(purpose = "p")]
pub fn second(r: &Read) { let t = (r.camera, r.vrm.clone()); println!("{}", t.1); }"#,
    );
    assert_eq!(got, ["second: [vrm] -> log"]);
}

#[test]
fn a_tuple_whose_parts_are_not_known_gives_each_pattern_the_whole() {
    // built by a function, or taken apart with `..`: every name may hold the plate
    let got = flows(
        r#"fn pair(v: String) -> (String, String) { (String::new(), v) }
#[dpia::processing(purpose = "p")]
pub fn called(r: &Read) { let (a, _b) = pair(r.vrm.clone()); println!("{a}"); }
#[dpia::processing(purpose = "p")]
pub fn rest(r: &Read) { let (a, ..) = (String::new(), 1, r.vrm.clone()); println!("{a}"); }"#,
    );
    assert_eq!(got, ["called: [vrm] -> log", "rest: [vrm] -> log"]);
}

#[test]
fn a_field_carries_what_another_body_stored_into_it() {
    // the notice is built from a read in one function and arrives in another through a
    // trait object (a channel or a queue breaks the call path the same way): its `text`
    // field is where the plate went
    let got = flows(
        r#"pub struct Notice { pub text: String, pub level: u8 }
pub trait Notify { fn notify(&self, n: &Notice); }
pub struct Slack;
impl Notify for Slack {
    fn notify(&self, n: &Notice) { println!("{}", n.text); }
}
pub struct Beep;
impl Notify for Beep {
    fn notify(&self, n: &Notice) { println!("{}", n.level); }
}
#[dpia::processing(purpose = "p")]
pub fn build(r: &Read) -> Notice { Notice { text: format!("plate {}", r.vrm), level: 1 } }"#,
    );
    // the field the plate was stored in carries it; the other field does not
    assert_eq!(got, ["notify: [vrm] -> log"]);
}

#[test]
fn a_field_nothing_personal_is_stored_into_carries_nothing() {
    let got = flows(
        r#"pub struct Notice { pub text: String }
pub fn notify(n: &Notice) { println!("{}", n.text); }
#[dpia::processing(purpose = "p")]
pub fn build(r: &Read) -> Notice { Notice { text: format!("camera {}", r.camera) } }"#,
    );
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn a_field_of_a_tagged_type_keeps_its_own_categories() {
    // a tagged type says exactly what each field holds: a store into it is not widened
    let got = flows(
        r#"#[dpia::personal_data(category = "vrm", retention = "1d")]
pub struct Tagged { pub vrm: String, #[dpia(not_personal)] pub note: String }
pub fn show(t: &Tagged) { println!("{}", t.note); }
#[dpia::processing(purpose = "p")]
pub fn build(r: &Read) -> Tagged { Tagged { vrm: r.vrm.clone(), note: r.vrm.clone() } }"#,
    );
    assert!(got.iter().all(|l| !l.starts_with("show")), "{got:?}");
}

#[test]
fn the_value_of_a_key_value_pair_is_not_stored_for_the_type() {
    // what `Attribute.value` holds depends on its `name`, instance by instance: the plate
    // stored into one attribute does not reach every attribute read; a field of another
    // name on a type without a key still does
    let got = flows(
        r#"pub struct Attribute { pub name: String, pub value: String }
pub struct Notice { pub value: String }
pub fn group_attr(a: &Attribute) { println!("{}", a.value); }
pub fn notify(n: &Notice) { println!("{}", n.value); }
#[dpia::processing(purpose = "p")]
pub fn build(r: &Read) -> Attribute { Attribute { name: "vrm".into(), value: r.vrm.clone() } }
#[dpia::processing(purpose = "p")]
pub fn notice(r: &Read) -> Notice { Notice { value: r.vrm.clone() } }"#,
    );
    assert_eq!(got, ["notify: [vrm] -> log"]);
}

#[test]
fn a_field_of_unknown_type_is_judged_by_the_workspace_fields_of_its_name() {
    // every `last_seen` of the workspace is a timestamp: a session's of a library type is
    // too, not where its user was; a settings struct's `email: bool` says nothing of a
    // row's `email`
    let got = flows(
        r#"pub struct Session { pub last_seen: i64 }
pub struct Notify { pub email: bool }
pub fn f(session: Sess, row: Row) { println!("{} {}", session.last_seen, row.email); }"#,
    );
    assert_eq!(got, ["f: [looks-like:email] -> log"]);
}

#[test]
fn a_getter_returns_its_field_not_the_whole_value() {
    // `Req`'s own (looks-like) categories are accounted for by the method's summary: a
    // getter of a field that holds nothing personal returns nothing personal; one of the
    // email field, or the whole value, returns the email
    let got = flows(
        r#"#[derive(Debug)]
pub struct Req { pub email: String, pub client_id: String }
impl Req {
    pub fn client(&self) -> String { self.client_id.clone() }
    pub fn address(&self) -> String { self.email.clone() }
    pub fn dump(&self) -> String { format!("{self:?}") }
}
pub fn f(r: Req) { println!("{}", r.client()); }
pub fn g(r: Req) { println!("{}", r.address()); }
pub fn h(r: Req) { println!("{}", r.dump()); }"#,
    );
    assert!(got.iter().all(|l| !l.starts_with("f:")), "{got:?}");
    assert!(
        got.contains(&"g: [looks-like:email] -> log".to_string()),
        "{got:?}"
    );
    assert!(
        got.contains(&"h: [looks-like:email] -> log".to_string()),
        "{got:?}"
    );
}
