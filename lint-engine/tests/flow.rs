//! The flow analysis through a probe rule that reports every sink flow with its purposes:
//! name resolution across modules, value shapes, and code the analysis does not model
//! (which must degrade to fewer findings, never to a panic or a hang).

use std::path::Path;

use dpia_lint_engine::{
    lint, Finding, Label, Level, Options, Precision, Rule, RuleContext, RuleMeta,
};

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
    file: file!(),
};

struct Probe;

impl Rule for Probe {
    fn meta(&self) -> &'static RuleMeta {
        &PROBE
    }
    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for f in &cx.flows.fns {
            let item = cx.model.item(f.item);
            let purposes: Vec<&str> = f.purposes.iter().map(|p| p.purpose.as_str()).collect();
            for s in &f.sinks {
                let cats: Vec<&str> = s.categories.iter().map(|(c, _)| c.as_str()).collect();
                out.push(Finding::new(
                    "DPIA000",
                    Level::Warn,
                    Label::new(s.span, ""),
                    format!(
                        "{} [{}] -> {} under [{}]",
                        item.name,
                        cats.join(","),
                        s.recipient.id(),
                        purposes.join(",")
                    ),
                ));
            }
        }
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
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

fn run(root: &Path) -> Vec<String> {
    let opts = Options {
        path: root.to_path_buf(),
        root: Some(root.to_path_buf()),
        ..Options::default()
    };
    let report = lint(&opts, &[&Probe]).unwrap();
    report
        .findings
        .iter()
        .map(|f| {
            let file = report.db.get(f.primary.span.file);
            let (line, _) = file.line_col(f.primary.span.start as usize);
            format!("{}:{line}: {}", file.rel_path, f.message)
        })
        .collect()
}

fn krate(root: &Path) {
    write(
        root,
        "Cargo.toml",
        "[package]\nname = \"probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n[workspace]\n",
    );
    write(root, "dpia.toml", MANIFEST);
}

#[test]
fn resolution_across_modules_aliases_impls_and_traits() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    krate(root);
    write(
        root,
        "src/lib.rs",
        r#"
pub mod model;
pub mod helpers;
use crate::model::Read as R;
use helpers::*;

#[dpia::processing(purpose = "p")]
pub fn entry(r: &R, rs: model::Reads) {
    sink_a(&r.vrm);
    model::Read::shout(r);
    r.whisper();
    let g = Gen;
    generic(&g, r);
    let first = rs.into_iter().next().unwrap();
    println!("{}", first.vrm);
}
"#,
    );
    write(
        root,
        "src/model.rs",
        r#"
#[dpia::personal_data(category = "vrm")]
pub struct Read { pub vrm: String, #[dpia(not_personal)] pub n: u32 }
pub type Reads = Vec<Read>;
impl Read {
    pub fn shout(r: &Read) { super::helpers::sink_b(r.n, &r.vrm) }
    pub fn whisper(&self) { eprintln!("{}", self.n) }
}
"#,
    );
    write(
        root,
        "src/helpers.rs",
        r#"
pub trait Speak { fn speak(&self, s: &str); }
pub struct Gen;
impl Speak for Gen { fn speak(&self, s: &str) { tracing::info!(s) } }
pub fn generic<S: Speak>(s: &S, r: &crate::model::Read) { s.speak(&r.vrm) }
pub fn sink_a(s: &str) { log::info!("{s}") }
pub fn sink_b(n: u32, s: &str) { println!("{n} {s}") }
"#,
    );
    let got = run(root);
    assert_eq!(
        got,
        vec![
            // the helpers inherit `p`, and the sinks with typed data are reported in them
            "src/helpers.rs:5: generic [vrm] -> log under [p]",
            "src/lib.rs:9: entry [vrm] -> log under [p]",
            "src/lib.rs:15: entry [vrm] -> log under [p]",
            "src/model.rs:6: shout [vrm] -> log under [p]",
        ],
        "{got:#?}"
    );
}

#[test]
fn unusual_code_degrades_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    krate(root);
    let chain = vec!["r.vrm.len()"; 20_000].join(" + ");
    let nested = format!("{}r.vrm.clone(){}", "Some(".repeat(200), ")".repeat(200));
    write(
        root,
        "src/lib.rs",
        &format!(
            r#"
#[dpia::personal_data(category = "vrm")]
pub struct Read {{ pub vrm: String }}

macro_rules! mystery {{ ($($t:tt)*) => {{}} }}

#[dpia::processing(purpose = "p")]
pub async unsafe fn odd(r: &Read) -> usize {{
    let n = {chain};
    let deep = {nested};
    mystery!(r.vrm => whatever ; !!);
    let f = |x: &str| x.to_string();
    let s = f(&r.vrm);
    let p = &r.vrm as *const String;
    let _ = unsafe {{ &*p }};
    async {{ println!("{{}}", s) }}.await;
    loop {{ break; }}
    let _ = deep;
    n
}}

fn recurse_a(s: &str) {{ recurse_b(s) }}
fn recurse_b(s: &str) {{ recurse_a(s); println!("{{s}}") }}

#[dpia::processing(purpose = "p")]
pub fn mutual(r: &Read) {{ recurse_a(&r.vrm) }}
"#
        ),
    );
    let got = run(root);
    // the closure result and the recursion are followed; the unknown macro is not
    assert!(
        got.iter().any(|l| l.contains("odd [vrm] -> log")),
        "{got:#?}"
    );
    assert!(
        got.iter().any(|l| l.contains("mutual [vrm] -> log")),
        "{got:#?}"
    );
}

/// An untagged type's value built in one place and sent in another: the callee reports what
/// its parameter's type looks like, the caller what it built into the value (here from
/// another crate's type, through a trait impl that lives in the sending crate).
#[test]
fn untyped_data_built_into_a_parameter_is_reported_at_the_call() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "Cargo.toml",
        "[workspace]\nmembers = [\"db\", \"fed\"]\nresolver = \"2\"\n",
    );
    write(root, "dpia.toml", MANIFEST);
    write(
        root,
        "db/Cargo.toml",
        "[package]\nname = \"db\"\nversion = \"0.0.0\"\nedition = \"2021\"\n",
    );
    write(
        root,
        "db/src/lib.rs",
        "pub struct Account { pub id: u64, pub display_name: String }\n",
    );
    write(
        root,
        "fed/Cargo.toml",
        "[package]\nname = \"fed\"\nversion = \"0.0.0\"\nedition = \"2021\"\n[dependencies]\ndb = { path = \"../db\" }\n",
    );
    write(
        root,
        "fed/src/lib.rs",
        r#"
use db::Account;
pub struct Actor { pub id: String, pub name: String }
pub struct Activity { pub id: String, pub object: Actor }
pub trait IntoActivity { fn into_activity(self) -> Activity; }
impl IntoActivity for Account {
    fn into_activity(self) -> Activity {
        Activity { id: String::new(), object: Actor { id: self.id.to_string(), name: self.display_name } }
    }
}
pub struct Core { client: reqwest::Client }
impl Core {
    pub async fn deliver(&self, account: &Account, activity: &Activity) {
        let _ = self.client.post("https://remote.example/inbox").json(activity).send().await;
        let _ = account.id;
    }
    pub async fn deliver_many(&self, account: &Account, activity: &Activity) {
        self.deliver(account, activity).await
    }
}
pub async fn update(core: &Core, account: Account) {
    let activity = account.into_activity();
    core.deliver_many(&account, &activity).await;
}
pub async fn relay(core: &Core, account: &Account, activity: &Activity) {
    core.deliver_many(account, activity).await;
}
"#,
    );
    let got = run(root);
    assert_eq!(
        got,
        vec![
            // the callee: what `Activity` looks like it carries
            "fed/src/lib.rs:14: deliver [looks-like:name] -> network under []",
            // the caller built it from an `Account` (trait impl found across crates);
            // `relay` and `deliver_many` pass on what their parameters' types account for
            "fed/src/lib.rs:23: update [looks-like:name] -> network under []",
        ],
        "{got:#?}"
    );
}
