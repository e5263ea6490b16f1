//! Tests of the manifest reader: one per error kind (message and exact span), a full valid
//! manifest, accumulation, and robustness on garbage.

use dpia_annotations::basis::Regime;
use dpia_annotations::{Duration, Operation};

use super::{Manifest, ManifestError, RecipientKind};
use crate::diag::Level;

/// `dpia_annotations::parse_duration` is written concurrently by another engineer: while it
/// is still `unimplemented!()`, tests use a local stand-in (probed once). Production code
/// always calls the real one. Remove the stand-in once the grammar lands.
pub(super) fn parse_duration(text: &str) -> Result<Duration, String> {
    static REAL: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let real = *REAL.get_or_init(|| {
        std::panic::catch_unwind(|| dpia_annotations::parse_duration("1d")).is_ok()
    });
    if real {
        dpia_annotations::parse_duration(text)
    } else {
        stand_in_duration(text)
    }
}

fn stand_in_duration(text: &str) -> Result<Duration, String> {
    const UNITS: &[(&str, u64)] = &[
        ("s", 1),
        ("min", 60),
        ("h", 3600),
        ("d", 86_400),
        ("w", 7 * 86_400),
        ("y", 365 * 86_400),
    ];
    let t = text.trim();
    let seconds = if let Some(iso) = t.strip_prefix('P') {
        let (date, time) = iso.split_once('T').unwrap_or((iso, ""));
        let mut total = 0u64;
        for (part, units) in [
            (
                date,
                &[
                    ('Y', 365 * 86_400),
                    ('M', 30 * 86_400),
                    ('W', 7 * 86_400),
                    ('D', 86_400),
                ][..],
            ),
            (time, &[('H', 3600), ('M', 60), ('S', 1)][..]),
        ] {
            let mut n = String::new();
            for ch in part.chars() {
                if ch.is_ascii_digit() {
                    n.push(ch);
                } else {
                    let unit = units
                        .iter()
                        .find(|(u, _)| *u == ch)
                        .ok_or("bad ISO 8601 duration")?;
                    let v: u64 = n.parse().map_err(|_| "bad ISO 8601 duration")?;
                    total = total.saturating_add(v.saturating_mul(unit.1));
                    n.clear();
                }
            }
            if !n.is_empty() {
                return Err("bad ISO 8601 duration".into());
            }
        }
        total
    } else {
        let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (n, unit) = t.split_at(digits);
        let n: u64 = n
            .parse()
            .map_err(|_| "expected an integer and a unit".to_string())?;
        if unit == "m" {
            return Err("`m` is ambiguous: write `min` for minutes".into());
        }
        let (_, factor) = UNITS
            .iter()
            .find(|(u, _)| *u == unit)
            .ok_or_else(|| format!("unknown unit `{unit}`"))?;
        n.saturating_mul(*factor)
    };
    Ok(Duration {
        seconds,
        text: text.to_string(),
    })
}

const RULES: &[&str] = &[
    "DPIA102",
    "function-creep",
    "DPIA201",
    "undeclared-personal-data",
    "DPIA203",
    "unused-declaration",
    "DPIA301",
    "undeclared-recipient",
    "DPIA302",
    "personal-data-in-logs",
];

fn is_rule(name: &str) -> bool {
    RULES
        .iter()
        .any(|r| r.eq_ignore_ascii_case(name) || *r == name.replace('_', "-"))
}

fn parse(text: &str) -> Result<Manifest, Vec<ManifestError>> {
    Manifest::parse(text, &is_rule, RULES)
}

fn errors(text: &str) -> Vec<ManifestError> {
    match parse(text) {
        Ok(_) => panic!("expected errors in:\n{text}"),
        Err(e) => e,
    }
}

/// Exactly one error; checks its message and that its span covers exactly `token`.
#[track_caller]
fn one(text: &str, message: &str, token: &str) -> ManifestError {
    let errs = errors(text);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let e = errs.into_iter().next().unwrap();
    assert_eq!(e.message, message, "{e:#?}");
    assert_eq!(&text[e.span.clone()], token, "{e:#?}");
    e
}

const PART3: &str = "[dpia]\nregime = \"dpa2018-part3\"\n";
const GDPR: &str = "[dpia]\nregime = \"uk-gdpr\"\n";

fn with(head: &str, rest: &str) -> String {
    format!("{head}{rest}")
}

const FIND_AND_PROFILE: &str = r#"# Find and Profile: the machine-readable twin of the DPIA.
[dpia]
title = "Find and Profile: ANPR analytics for county lines"
reference = "2023-08-31 Find and Profile"   # the DPO's register number
version = "2"
reviewed = 2023-11-23
regime = "dpa2018-part3"
controller = "NPCC lead for ANPR"

[categories.vrm]
description = "Vehicle registration mark"
kind = "vehicle-registration"
subjects = ["registered-keeper", "driver"]
retention = "1d"
sensitive = false

[categories.anpr-read]
description = "One camera read: VRM, camera, time and place"
subjects = ["driver"]
retention = "24h"

[categories.location]
description = "Where a camera saw the vehicle"
kind = "location"
retention = "P1D"

[categories.welfare-note]
description = "Safeguarding note on a child found in a flagged vehicle"
kind = "health"
subjects = ["child"]
retention = "7y"

[purposes.county-lines-detection]
description = "Find vehicles involved in county-lines drug trafficking"
basis = "part3.task"
conditions = []
categories = ["vrm", "anpr-read", "location"]
recipients = ["local-police-export", "audit-log", "storage"]
compatible-with = ["safeguarding-referral"]
modules = ["crate::analysis", "crate::convoy"]
human-review = "A trained analyst reviews every lead before it is exported"

[purposes.safeguarding-referral]
description = "Refer children at risk found in county-lines vehicles"
basis = "part3.task"
conditions = ["part3.strictly-necessary", "sch8.safeguarding"]
categories = ["vrm", "welfare-note"]
recipients = ["local-police-export", "audit-log"]

[recipients.local-police-export]
kind = "export"
region = "uk"
description = "CSV export to the requesting force"

[recipients.audit-log]
kind = "audit"
region = "uk"

[recipients.storage]   # the built-in recipient, given a region
region = "uk"

[transfers]
allowed-regions = ["uk"]

[logging]   # DPA 2018 s62
operations = ["collect", "alter", "consult", "disclose", "combine", "erase"]

[lints]
function-creep = "deny"
undeclared_personal_data = "warn"
DPIA203 = "allow"

[[waivers]]
rule = "undeclared-recipient"
item = "crate::export::one_off"
reason = "DPO approved, ref DP-118"
owner = "dpo@example.org"
expires = 2024-06-01

[[waivers]]
rule = "personal-data-in-logs"
path = "src/debug.rs"
expires = "2024-03-31"
"#;

#[test]
fn find_and_profile_parses_with_every_field() {
    let text = FIND_AND_PROFILE;
    let m = parse(text).unwrap_or_else(|e| panic!("{e:#?}"));
    let at = |span: &std::ops::Range<usize>| &text[span.clone()];

    let d = &m.dpia;
    assert_eq!(
        d.title.as_ref().unwrap().value,
        "Find and Profile: ANPR analytics for county lines"
    );
    assert_eq!(
        d.reference.as_ref().unwrap().value,
        "2023-08-31 Find and Profile"
    );
    assert_eq!(d.version.as_ref().unwrap().value, "2");
    assert_eq!(d.reviewed.as_ref().unwrap().value, "2023-11-23");
    assert_eq!(at(&d.reviewed.as_ref().unwrap().span), "2023-11-23");
    assert_eq!(d.regime.value, Regime::Part3);
    assert_eq!(at(&d.regime.span), "\"dpa2018-part3\"");
    assert_eq!(d.controller.as_ref().unwrap().value, "NPCC lead for ANPR");
    assert_eq!(at(&d.span), "[dpia]");

    // declaration order, not alphabetical
    let ids: Vec<&str> = m.categories.iter().map(|c| c.id.value.as_str()).collect();
    assert_eq!(ids, ["vrm", "anpr-read", "location", "welfare-note"]);
    for c in &m.categories {
        assert_eq!(at(&c.id.span), c.id.value);
    }
    let vrm = m.category("vrm").unwrap();
    assert_eq!(
        vrm.description.as_ref().unwrap().value,
        "Vehicle registration mark"
    );
    assert_eq!(vrm.kind.as_ref().unwrap().value, "vehicle-registration");
    let subjects: Vec<&str> = vrm.subjects.iter().map(|s| s.value.as_str()).collect();
    assert_eq!(subjects, ["registered-keeper", "driver"]);
    assert_eq!(at(&vrm.subjects[1].span), "\"driver\"");
    let retention = vrm.retention.as_ref().unwrap();
    assert_eq!(retention.value.seconds, 86_400);
    assert_eq!(at(&retention.span), "\"1d\"");
    assert!(!vrm.sensitive.as_ref().unwrap().value);
    assert!(!m.is_sensitive(vrm));
    assert_eq!(
        m.category("anpr-read")
            .unwrap()
            .retention
            .as_ref()
            .unwrap()
            .value
            .seconds,
        86_400
    );
    assert_eq!(
        m.category("location")
            .unwrap()
            .retention
            .as_ref()
            .unwrap()
            .value
            .seconds,
        86_400
    );
    let note = m.category("welfare-note").unwrap();
    assert!(note.sensitive.is_none());
    assert!(m.is_sensitive(note), "health is a special kind");

    let ids: Vec<&str> = m.purposes.iter().map(|p| p.id.value.as_str()).collect();
    assert_eq!(ids, ["county-lines-detection", "safeguarding-referral"]);
    let p = m.purpose("county-lines-detection").unwrap();
    assert_eq!(at(&p.id.span), "county-lines-detection");
    assert_eq!(
        p.description.as_ref().unwrap().value,
        "Find vehicles involved in county-lines drug trafficking"
    );
    assert_eq!(p.basis.as_ref().unwrap().value, "part3.task");
    assert!(p.conditions.is_empty());
    let list = |v: &[super::Sp<String>]| v.iter().map(|s| s.value.clone()).collect::<Vec<_>>();
    assert_eq!(list(&p.categories), ["vrm", "anpr-read", "location"]);
    assert_eq!(
        list(&p.recipients),
        ["local-police-export", "audit-log", "storage"]
    );
    assert_eq!(list(&p.compatible_with), ["safeguarding-referral"]);
    assert_eq!(list(&p.modules), ["crate::analysis", "crate::convoy"]);
    assert_eq!(
        p.human_review.as_ref().unwrap().value,
        "A trained analyst reviews every lead before it is exported"
    );
    let s = m.purpose("safeguarding-referral").unwrap();
    assert_eq!(
        list(&s.conditions),
        ["part3.strictly-necessary", "sch8.safeguarding"]
    );
    assert!(s.human_review.is_none());

    let ids: Vec<&str> = m.recipients.iter().map(|r| r.id.value.as_str()).collect();
    assert_eq!(ids, ["local-police-export", "audit-log", "storage"]);
    let export = m.recipient("local-police-export").unwrap();
    assert_eq!(export.kind.value, RecipientKind::Export);
    assert_eq!(export.region.as_ref().unwrap().value, "uk");
    assert_eq!(
        export.description.as_ref().unwrap().value,
        "CSV export to the requesting force"
    );
    assert_eq!(
        m.recipient("audit-log").unwrap().kind.value,
        RecipientKind::Audit
    );
    let storage = m.recipient("storage").unwrap();
    assert_eq!(
        storage.kind.value,
        RecipientKind::Storage,
        "inferred from the built-in id"
    );
    assert_eq!(at(&storage.kind.span), "storage");
    assert!(m.knows_recipient("log") && m.knows_recipient("audit-log") && !m.knows_recipient("x"));

    let t = m.transfers.as_ref().unwrap();
    assert_eq!(list(&t.allowed_regions), ["uk"]);
    assert_eq!(at(&t.span), "[transfers]");
    let l = m.logging.as_ref().unwrap();
    let ops: Vec<Operation> = l.operations.iter().map(|o| o.value).collect();
    assert_eq!(ops, Operation::ALL);
    assert_eq!(at(&l.operations[2].span), "\"consult\"");

    let lints: Vec<(&str, Level)> = m
        .lints
        .iter()
        .map(|(k, v)| (k.value.as_str(), v.value))
        .collect();
    assert_eq!(
        lints,
        [
            ("function-creep", Level::Deny),
            ("undeclared_personal_data", Level::Warn),
            ("DPIA203", Level::Allow)
        ]
    );
    assert_eq!(at(&m.lints[0].0.span), "function-creep");
    assert_eq!(at(&m.lints[0].1.span), "\"deny\"");

    assert_eq!(m.waivers.len(), 2);
    let w = &m.waivers[0];
    assert_eq!(w.rule.value, "undeclared-recipient");
    assert_eq!(w.item.as_ref().unwrap().value, "crate::export::one_off");
    assert!(w.path.is_none());
    assert_eq!(w.reason.as_ref().unwrap().value, "DPO approved, ref DP-118");
    assert_eq!(w.owner.as_ref().unwrap().value, "dpo@example.org");
    assert_eq!(w.expires.as_ref().unwrap().value, "2024-06-01");
    let whole = at(&w.span);
    assert!(
        whole.starts_with("[[waivers]]") && whole.ends_with("expires = 2024-06-01"),
        "{whole}"
    );
    let w = &m.waivers[1];
    assert_eq!(w.path.as_ref().unwrap().value, "src/debug.rs");
    assert!(
        w.reason.is_none(),
        "a missing reason is DPIA901, not a manifest error"
    );
    assert_eq!(w.expires.as_ref().unwrap().value, "2024-03-31");
}

#[test]
fn minimal_manifest() {
    let m = parse(GDPR).unwrap();
    assert_eq!(m.dpia.regime.value, Regime::UkGdpr);
    assert!(m.categories.is_empty() && m.purposes.is_empty() && m.recipients.is_empty());
    assert!(
        m.transfers.is_none() && m.logging.is_none() && m.lints.is_empty() && m.waivers.is_empty()
    );
}

#[test]
fn inline_and_dotted_forms() {
    let text = format!(
        "categories = {{ vrm = {{ retention = \"1d\" }} }}\n{PART3}[purposes]\ndetect.categories = [\"vrm\"]\n"
    );
    let m = parse(&text).unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(&text[m.categories[0].id.span.clone()], "vrm");
    assert_eq!(&text[m.purposes[0].id.span.clone()], "detect");
}

#[test]
fn syntax_error() {
    let text = with(PART3, "[categories.vrm]\nretention = \"1d\nkind = 1\n");
    let errs = errors(&text);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].message.starts_with("invalid TOML: "), "{errs:#?}");
    assert!(errs[0].span.start >= PART3.len() + 17, "{errs:#?}");
}

#[test]
fn duplicate_table() {
    let text = with(PART3, "[categories.vrm]\n[categories.vrm]\n");
    let errs = errors(&text);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].message, "invalid TOML: duplicate key");
    assert!(errs[0].help.is_some());
}

#[test]
fn unknown_key_with_suggestion() {
    let text = with(PART3, "[categories.vrm]\nretension = \"1d\"\n");
    let e = one(
        &text,
        "unknown key `retension` in `[categories.vrm]`",
        "retension",
    );
    assert_eq!(e.label, "unknown key");
    assert_eq!(e.help.as_deref(), Some("did you mean `retention`?"));
}

#[test]
fn unknown_key_lists_valid_keys() {
    let text = with(PART3, "[recipients.x]\nkind = \"file\"\nzzz = 1\n");
    let e = one(&text, "unknown key `zzz` in `[recipients.x]`", "zzz");
    assert_eq!(
        e.help.as_deref(),
        Some("valid keys: `kind`, `region`, `description`")
    );
}

#[test]
fn unknown_key_at_top_level() {
    let text = format!("purpose = 1\n{PART3}");
    let e = one(&text, "unknown key `purpose` at the top level", "purpose");
    assert_eq!(e.help.as_deref(), Some("did you mean `purposes`?"));
    let text = format!("title = \"x\"\n{PART3}");
    let e = one(&text, "unknown key `title` at the top level", "title");
    assert_eq!(
        e.help.as_deref(),
        Some("`title` belongs in the `[dpia]` table")
    );
}

#[test]
fn unknown_key_in_kebab_case_sections() {
    let text = with(
        PART3,
        "[transfers]\nallowed_regions = [\"uk\"]\n[purposes.p]\ncompatible_with = []\n",
    );
    let errs = errors(&text);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert_eq!(&text[errs[0].span.clone()], "allowed_regions");
    assert_eq!(
        errs[0].help.as_deref(),
        Some("did you mean `allowed-regions`?")
    );
    assert_eq!(&text[errs[1].span.clone()], "compatible_with");
    assert_eq!(
        errs[1].help.as_deref(),
        Some("did you mean `compatible-with`?")
    );
}

#[test]
fn wrong_type() {
    let text = "[dpia]\ntitle = 5\nregime = \"uk-gdpr\"\n";
    let e = one(text, "expected a string, found an integer", "5");
    assert_eq!(e.label, "expected a string");
}

#[test]
fn wrong_type_in_list() {
    let text = with(PART3, "[categories.vrm]\nsubjects = [\"driver\", true]\n");
    one(&text, "expected a string, found a boolean", "true");
    let text = with(PART3, "[categories.vrm]\nsubjects = \"driver\"\n");
    let e = one(
        &text,
        "expected an array of strings, found a string",
        "\"driver\"",
    );
    assert_eq!(e.help.as_deref(), Some("write a list: `[\"driver\"]`"));
    let text = with(PART3, "[categories.vrm]\nsensitive = \"yes\"\n");
    one(&text, "expected a boolean, found a string", "\"yes\"");
}

#[test]
fn entry_must_be_a_table() {
    let text = with(PART3, "[categories]\nvrm = \"Vehicle registration mark\"\n");
    let e = one(
        &text,
        "expected a table, found a string",
        "\"Vehicle registration mark\"",
    );
    assert_eq!(
        e.help.as_deref(),
        Some("declare it as a `[categories.vrm]` table")
    );
    let text = format!("categories = [\"vrm\"]\n{PART3}");
    one(&text, "expected a table, found an array", "[\"vrm\"]");
    let text = with(PART3, "categories = [\"vrm\"]\n");
    let e = one(&text, "unknown key `categories` in `[dpia]`", "categories");
    assert!(e
        .help
        .unwrap()
        .starts_with("`categories` is a top-level table"));
}

#[test]
fn missing_dpia() {
    let text = "[categories.vrm]\nretention = \"1d\"\n";
    let e = one(text, "missing `[dpia]` table", "");
    assert_eq!(e.span, 0..0);
}

#[test]
fn missing_regime() {
    let text = "[dpia]\ntitle = \"x\"\n";
    let e = one(text, "missing key `regime` in `[dpia]`", "[dpia]");
    assert!(e.help.unwrap().contains("dpa2018-part3"));
}

#[test]
fn unknown_regime() {
    let text = "[dpia]\nregime = \"uk-gpdr\"\n";
    let e = one(text, "unknown regime `uk-gpdr`", "\"uk-gpdr\"");
    assert_eq!(e.help.as_deref(), Some("did you mean `uk-gdpr`?"));
    let text = "[dpia]\nregime = \"eu\"\n";
    let e = one(text, "unknown regime `eu`", "\"eu\"");
    assert!(e.help.unwrap().starts_with("expected `uk-gdpr`"));
}

#[test]
fn reviewed_date() {
    let m = parse("[dpia]\nregime = \"uk-gdpr\"\nreviewed = \"2024-02-29\"\n").unwrap();
    assert_eq!(m.dpia.reviewed.unwrap().value, "2024-02-29");
    let text = "[dpia]\nregime = \"uk-gdpr\"\nreviewed = \"2023-02-29\"\n";
    one(text, "invalid date `2023-02-29`", "\"2023-02-29\"");
    let text = "[dpia]\nregime = \"uk-gdpr\"\nreviewed = 2023-11-23T10:00:00\n";
    one(
        text,
        "expected a date (YYYY-MM-DD), found a date-time",
        "2023-11-23T10:00:00",
    );
    let text = "[dpia]\nregime = \"uk-gdpr\"\nreviewed = 20231123\n";
    one(
        text,
        "expected a date (YYYY-MM-DD), found an integer",
        "20231123",
    );
}

#[test]
fn version_as_number() {
    let m = parse("[dpia]\nregime = \"uk-gdpr\"\nversion = 2\n").unwrap();
    assert_eq!(m.dpia.version.unwrap().value, "2");
}

#[test]
fn unknown_basis() {
    let text = with(PART3, "[purposes.p]\nbasis = \"part3.tsk\"\n");
    let e = one(&text, "unknown lawful basis `part3.tsk`", "\"part3.tsk\"");
    assert_eq!(e.help.as_deref(), Some("did you mean `part3.task`?"));
}

#[test]
fn basis_of_the_wrong_regime() {
    let text = with(PART3, "[purposes.p]\nbasis = \"art6.public-task\"\n");
    let e = one(
        &text,
        "`art6.public-task` (UK GDPR Art 6(1)(e)) is not a lawful basis under regime `dpa2018-part3`",
        "\"art6.public-task\"",
    );
    assert!(e.help.unwrap().contains("`part3.task`"));
}

#[test]
fn condition_in_basis() {
    let text = with(
        PART3,
        "[purposes.p]\nbasis = \"part3.strictly-necessary\"\n",
    );
    let e = one(
        &text,
        "`part3.strictly-necessary` is a condition (DPA 2018 s35(5)), not a lawful basis: it belongs in `conditions`",
        "\"part3.strictly-necessary\"",
    );
    assert!(e
        .help
        .unwrap()
        .starts_with("move `part3.strictly-necessary` to `conditions`"));
}

#[test]
fn basis_checked_without_a_valid_regime() {
    let text = "[dpia]\nregime = \"eu\"\n[purposes.p]\nbasis = \"nonsense\"\nconditions = [\"art9.health-care\"]\n";
    let errs = errors(text);
    let msgs: Vec<&str> = errs.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        msgs,
        ["unknown regime `eu`", "unknown lawful basis `nonsense`"]
    );
}

#[test]
fn bad_conditions() {
    let text = with(PART3, "[purposes.p]\nconditions = [\"art9.health-care\"]\n");
    let e = one(
        &text,
        "`art9.health-care` (UK GDPR Art 9(2)(h)) is not a condition under regime `dpa2018-part3`",
        "\"art9.health-care\"",
    );
    assert!(e.help.unwrap().contains("`sch8.statutory`"));
    let text = with(
        GDPR,
        "[purposes.p]\nconditions = [\"art9.explicit-consnt\"]\n",
    );
    let e = one(
        &text,
        "unknown condition `art9.explicit-consnt`",
        "\"art9.explicit-consnt\"",
    );
    assert_eq!(
        e.help.as_deref(),
        Some("did you mean `art9.explicit-consent`?")
    );
    let text = with(GDPR, "[purposes.p]\nconditions = [\"art6.consent\"]\n");
    let e = one(
        &text,
        "`art6.consent` is a lawful basis (UK GDPR Art 6(1)(a)), not a condition: it belongs in `basis`",
        "\"art6.consent\"",
    );
    assert_eq!(e.help.as_deref(), Some("move `art6.consent` to `basis`"));
}

#[test]
fn strictly_necessary_without_schedule_8_is_not_a_manifest_error() {
    let text = with(
        PART3,
        "[purposes.p]\nbasis = \"part3.task\"\nconditions = [\"part3.strictly-necessary\"]\n",
    );
    parse(&text).unwrap();
}

#[test]
fn undeclared_category() {
    let text = with(
        PART3,
        "[categories.vrm]\n[purposes.p]\ncategories = [\"vmr\"]\n",
    );
    let e = one(
        &text,
        "undeclared category `vmr` in `[purposes.p]`",
        "\"vmr\"",
    );
    assert_eq!(e.help.as_deref(), Some("did you mean `vrm`?"));
}

#[test]
fn undeclared_recipient() {
    let text = with(
        PART3,
        "[recipients.police]\nkind = \"export\"\n[purposes.p]\nrecipients = [\"police\", \"log\", \"http-response\", \"process\", \"slack\"]\n",
    );
    let e = one(
        &text,
        "undeclared recipient `slack` in `[purposes.p]`",
        "\"slack\"",
    );
    assert!(e
        .help
        .unwrap()
        .starts_with("declare it as `[recipients.slack]`"));
}

#[test]
fn undeclared_compatible_purpose() {
    let text = with(
        PART3,
        "[purposes.detect]\ncompatible-with = [\"referal\"]\n[purposes.referral]\n",
    );
    let e = one(
        &text,
        "undeclared purpose `referal` in `compatible-with` of `[purposes.detect]`",
        "\"referal\"",
    );
    assert_eq!(e.help.as_deref(), Some("did you mean `referral`?"));
}

#[test]
fn unknown_recipient_kind() {
    let text = with(PART3, "[recipients.police]\nkind = \"exprt\"\n");
    let e = one(&text, "unknown recipient kind `exprt`", "\"exprt\"");
    assert_eq!(e.help.as_deref(), Some("did you mean `export`?"));
}

#[test]
fn missing_recipient_kind() {
    let text = with(PART3, "[recipients.police]\nregion = \"uk\"\n");
    one(
        &text,
        "missing key `kind` in `[recipients.police]`",
        "[recipients.police]",
    );
}

#[test]
fn built_in_recipient_redeclared() {
    let m = parse(&with(
        PART3,
        "[recipients.log]\nkind = \"log\"\nregion = \"uk\"\n",
    ))
    .unwrap();
    assert_eq!(m.recipients[0].kind.value, RecipientKind::Log);
    let text = with(PART3, "[recipients.log]\nkind = \"export\"\n");
    let e = one(
        &text,
        "recipient `log` is built in with kind `log`, not `export`",
        "\"export\"",
    );
    assert_eq!(e.label, "conflicts with the built-in recipient");
}

#[test]
fn unknown_category_kind() {
    let text = with(PART3, "[categories.vrm]\nkind = \"vehicle-registraton\"\n");
    let e = one(
        &text,
        "unknown personal-data kind `vehicle-registraton`",
        "\"vehicle-registraton\"",
    );
    assert_eq!(
        e.help.as_deref(),
        Some("did you mean `vehicle-registration`?")
    );
    // aliases and other spellings are accepted
    parse(&with(
        PART3,
        "[categories.a]\nkind = \"vrm\"\n[categories.b]\nkind = \"date_of_birth\"\n",
    ))
    .unwrap();
}

#[test]
fn bad_retention() {
    let text = with(PART3, "[categories.vrm]\nretention = \"6m\"\n");
    let e = one_prefix(&text, "invalid duration `6m`: ", "\"6m\"");
    assert_eq!(e.label, "invalid duration");
    let text = with(PART3, "[categories.vrm]\nretention = 30\n");
    let e = one(&text, "expected a duration string, found an integer", "30");
    assert!(e.help.is_some());
}

#[track_caller]
fn one_prefix(text: &str, prefix: &str, token: &str) -> ManifestError {
    let errs = errors(text);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let e = errs.into_iter().next().unwrap();
    assert!(e.message.starts_with(prefix), "{e:#?}");
    assert_eq!(&text[e.span.clone()], token, "{e:#?}");
    e
}

#[test]
fn logging_under_uk_gdpr() {
    let text = with(GDPR, "[logging]\noperations = [\"consult\"]\n");
    let e = one(
        &text,
        "`[logging]` applies only under regime `dpa2018-part3`",
        "[logging]",
    );
    assert!(e.help.unwrap().contains("s62"));
}

#[test]
fn unknown_logging_operation() {
    let text = with(
        PART3,
        "[logging]\noperations = [\"consult\", \"disclosure\"]\n",
    );
    let e = one(&text, "unknown operation `disclosure`", "\"disclosure\"");
    assert_eq!(e.help.as_deref(), Some("did you mean `disclose`?"));
}

#[test]
fn unknown_lint() {
    let text = with(PART3, "[lints]\nfunction-crep = \"deny\"\n");
    let e = one(
        &text,
        "unknown rule `function-crep` in `[lints]`",
        "function-crep",
    );
    assert_eq!(e.help.as_deref(), Some("did you mean `function-creep`?"));
}

#[test]
fn bad_lint_level() {
    let text = with(PART3, "[lints]\nfunction-creep = \"error\"\n");
    let e = one(&text, "invalid lint level `error`", "\"error\"");
    assert_eq!(e.help.as_deref(), Some("did you mean `deny`?"));
    let text = with(PART3, "[lints]\nfunction_creep = true\n");
    one(
        &text,
        "expected a lint level (`deny`, `warn` or `allow`), found a boolean",
        "true",
    );
}

#[test]
fn waiver_unknown_rule() {
    let text = with(
        PART3,
        "[[waivers]]\nrule = \"undeclared-recipeint\"\nitem = \"crate::x\"\n",
    );
    let e = one(
        &text,
        "unknown rule `undeclared-recipeint`",
        "\"undeclared-recipeint\"",
    );
    assert_eq!(
        e.help.as_deref(),
        Some("did you mean `undeclared-recipient`?")
    );
}

#[test]
fn waiver_targets() {
    let text = with(
        PART3,
        "[[waivers]]\nrule = \"DPIA301\"\nitem = \"crate::x\"\npath = \"src/x.rs\"\n",
    );
    one(
        &text,
        "a waiver takes `item` or `path`, not both",
        "\"src/x.rs\"",
    );
    let text = with(PART3, "[[waivers]]\nrule = \"DPIA301\"\nreason = \"r\"\n");
    one(
        &text,
        "missing key `item` or `path` in `[[waivers]]`",
        "[[waivers]]",
    );
    let text = with(PART3, "[[waivers]]\nitem = \"crate::x\"\n");
    one(&text, "missing key `rule` in `[[waivers]]`", "[[waivers]]");
    // the rest of an incomplete entry is still checked
    let text = with(PART3, "[[waivers]]\nitem = \"crate::x\"\nexpires = 1\n");
    assert_eq!(errors(&text).len(), 2);
    let text = with(PART3, "[recipients.x]\nregion = 44\n");
    assert_eq!(errors(&text).len(), 2);
}

#[test]
fn waiver_expiry() {
    let text = with(
        PART3,
        "[[waivers]]\nrule = \"DPIA301\"\npath = \"src/x.rs\"\nexpires = \"next week\"\n",
    );
    let e = one(&text, "invalid date `next week`", "\"next week\"");
    assert_eq!(
        e.help.as_deref(),
        Some("write a date as `YYYY-MM-DD`, e.g. `2024-06-01`")
    );
}

#[test]
fn waivers_must_be_an_array_of_tables() {
    let text = with(PART3, "[waivers]\nrule = \"DPIA301\"\n");
    let e = one(
        &text,
        "expected an array of tables, found a table",
        "[waivers]",
    );
    assert_eq!(
        e.help.as_deref(),
        Some("write each waiver as a `[[waivers]]` table")
    );
}

#[test]
fn errors_accumulate_in_source_order() {
    let text = with(
        PART3,
        "[categories.vrm]\nretension = \"1d\"\n[purposes.p]\nbasis = \"part3.tsk\"\ncategories = [\"vmr\"]\n",
    );
    let errs = errors(&text);
    let got: Vec<(&str, &str)> = errs
        .iter()
        .map(|e| (e.message.as_str(), &text[e.span.clone()]))
        .collect();
    assert_eq!(
        got,
        [
            ("unknown key `retension` in `[categories.vrm]`", "retension"),
            ("unknown lawful basis `part3.tsk`", "\"part3.tsk\""),
            ("undeclared category `vmr` in `[purposes.p]`", "\"vmr\""),
        ]
    );
}

/// Every error, rendered one per line, for review.
fn render(text: &str, errs: &[ManifestError]) -> String {
    let mut out = String::new();
    for e in errs {
        let line = text[..e.span.start].matches('\n').count() + 1;
        let col = e.span.start - text[..e.span.start].rfind('\n').map_or(0, |i| i + 1) + 1;
        out += &format!(
            "{line}:{col}: {} [{}: `{}`]\n",
            e.message,
            e.label,
            &text[e.span.clone()]
        );
        if let Some(h) = &e.help {
            out += &format!("    help: {h}\n");
        }
    }
    out
}

#[test]
fn everything_wrong_at_once() {
    let text = r#"[dpia]
title = "Live facial recognition"
reviewed = "2024-13-01"
regime = "uk-gdpr"
owner = "DPO"

[categories.face]
kind = "biometrics"
retention = 6
sensitive = "yes"

[purposes.watchlist-matching]
basis = "part3.task"
conditions = ["art9.substantial-public-interest", "sch8.statutory"]
categories = ["face", "watchlist"]
recipients = ["control-room", "log"]
compatible-with = ["training"]
human_review = "officer"

[recipients.control-room]
kind = "thirdparty"
region = 44

[logging]
operations = ["read"]

[lints]
personal-data-in-log = "deny"
unused-declaration = "off"

[[waivers]]
rule = "unused-declaration"
expires = 2024-06-01T00:00:00Z
"#;
    let errs = errors(text);
    insta::assert_snapshot!("everything_wrong_at_once", render(text, &errs));
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[track_caller]
fn survives(text: &str) {
    if let Err(errs) = parse(text) {
        assert!(!errs.is_empty());
        for e in errs {
            assert!(
                e.span.start <= e.span.end && e.span.end <= text.len(),
                "{e:?} in {text:?}"
            );
            assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
            assert!(!e.message.is_empty());
        }
    }
}

#[test]
fn never_panics_on_truncated_manifests() {
    let text = FIND_AND_PROFILE;
    for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
        survives(&text[..end]);
    }
}

#[test]
fn never_panics_on_garbage() {
    let mut rng = Rng(0x5EED_D91A_2024_0001);
    const ALPHABET: &[u8] = b"[]{}=\"',.#\n\t -_:0123456789abcdrtyzTZP\\\xc3\xa9";
    for _ in 0..400 {
        // random bytes, lossily decoded
        let len = rng.below(200);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        survives(&String::from_utf8_lossy(&bytes));
        // random TOML-ish punctuation
        let bytes: Vec<u8> = (0..len)
            .map(|_| ALPHABET[rng.below(ALPHABET.len())])
            .collect();
        survives(&String::from_utf8_lossy(&bytes));
        // the valid manifest with a few bytes replaced
        let mut bytes = FIND_AND_PROFILE.as_bytes().to_vec();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(bytes.len());
            bytes[at] = ALPHABET[rng.below(ALPHABET.len())];
        }
        survives(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn models_parse() {
    let text = with(
        GDPR,
        "[recipients.crm]\nkind = \"third-party\"\n\n[[models]]\nkind = \"sink\"\nfunction = \"crm::push\"\nargs = [1, \"self\"]\nrecipient = \"crm\"\n\n[[models]]\nkind = \"sink\"\nmacro = \"crate::err\"\nrecipient = \"email\"\n",
    );
    let m = parse(&text).unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(m.models.len(), 2);
    assert_eq!(m.models[0].recipient.as_deref(), Some("crm"));
    assert_eq!(
        m.models[0].args,
        vec![crate::models::Arg::Index(1), crate::models::Arg::Receiver]
    );
}

#[test]
fn model_unknown_key() {
    let text = with(
        GDPR,
        "[[models]]\nkind = \"sink\"\nfunction = \"a::b\"\nrecipient = \"log\"\nrecipeint = \"log\"\n",
    );
    let e = one(
        &text,
        "unknown key `recipeint` in `[[models]]`",
        "recipeint",
    );
    assert!(e.help.is_some());
}

#[test]
fn model_unresolvable_recipient() {
    let text = with(
        GDPR,
        "[[models]]\nkind = \"sink\"\nfunction = \"a::b\"\nrecipient = \"nowhere\"\n",
    );
    one(
        &text,
        "unresolvable recipient `nowhere` in `[[models]]`",
        "\"nowhere\"",
    );
}

#[test]
fn model_needs_exactly_one_target() {
    let text = with(
        GDPR,
        "[[models]]\nkind = \"sanitiser\"\nfunction = \"a::b\"\nmacro = \"a::m\"\n",
    );
    one(
        &text,
        "a model takes exactly one of `function`, `method`, `macro` or `type`",
        "\"a::m\"",
    );
    let text = with(GDPR, "[[models]]\nkind = \"sinc\"\nmethod = \"a::T::m\"\n");
    one(&text, "unknown model kind `sinc`", "\"sinc\"");
}

#[test]
fn type_models() {
    let m = parse(&with(
        GDPR,
        "[[models]]\nkind = \"source\"\ntype = \"idp::Subject\"\ncategory = \"user-id\"\n",
    ))
    .unwrap();
    assert_eq!(
        m.models[0].target,
        crate::models::Target::Type(vec!["idp".into(), "Subject".into()])
    );
    let text = with(
        GDPR,
        "[[models]]\nkind = \"sink\"\ntype = \"a::T\"\nrecipient = \"log\"\n",
    );
    one(
        &text,
        "a type model is a `sanitiser` or a `source`",
        "\"a::T\"",
    );
    let text = with(
        GDPR,
        "[[models]]\nkind = \"sanitiser\"\ntype = \"a::T\"\nargs = [0]\n",
    );
    one(&text, "a type model takes no `args`", "[0]");
}

#[test]
fn schedule_1_and_art_10_ids_are_uk_gdpr_conditions() {
    let m = parse(&with(
        GDPR,
        "[purposes.p]\nbasis = \"art6.legal-obligation\"\nconditions = [\"art9.employment\", \"sch1.employment\", \"art10.official-authority\", \"sch1.legal-claims\"]\nappropriate-policy = \"APD-7, HR intranet\"\n",
    ))
    .unwrap();
    let p = &m.purposes[0];
    assert_eq!(p.conditions.len(), 4);
    assert_eq!(
        p.appropriate_policy.as_ref().unwrap().value,
        "APD-7, HR intranet"
    );
    let text = with(PART3, "[purposes.p]\nconditions = [\"sch1.employment\"]\n");
    let e = one(
        &text,
        "`sch1.employment` (DPA 2018 Sch 1 para 1) is not a condition under regime `dpa2018-part3`",
        "\"sch1.employment\"",
    );
    assert!(e.help.unwrap().contains("`sch8.statutory`"));
    let text = with(
        PART3,
        "[purposes.p]\nconditions = [\"art10.official-authority\"]\n",
    );
    one(
        &text,
        "`art10.official-authority` (UK GDPR Art 10(1)) is not a condition under regime `dpa2018-part3`",
        "\"art10.official-authority\"",
    );
    let text = with(GDPR, "[purposes.p]\nconditions = [\"sch8.statutory\"]\n");
    one(
        &text,
        "`sch8.statutory` (DPA 2018 Sch 8 para 1) is not a condition under regime `uk-gdpr`",
        "\"sch8.statutory\"",
    );
    let text = with(GDPR, "[purposes.p]\nconditions = [\"sch1.employmnt\"]\n");
    let e = one(
        &text,
        "unknown condition `sch1.employmnt`",
        "\"sch1.employmnt\"",
    );
    assert_eq!(e.help.as_deref(), Some("did you mean `sch1.employment`?"));
    let text = with(GDPR, "[purposes.p]\nappropriate-policy = [\"x\"]\n");
    assert_eq!(errors(&text).len(), 1);
    // an appropriate policy document under Part 3 too (s42)
    parse(&with(
        PART3,
        "[purposes.p]\nappropriate-policy = \"APD (s42)\"\n",
    ))
    .unwrap();
}

#[test]
fn internal_recipients_and_the_built_in_email() {
    let m = parse(&with(
        PART3,
        "[recipients.officers]\nkind = \"internal\"\nregion = \"uk\"\n[purposes.p]\nrecipients = [\"officers\", \"email\"]\n",
    ))
    .unwrap();
    assert_eq!(m.recipients[0].kind.value, RecipientKind::Internal);
    assert!(m.knows_recipient("email"));
    let text = with(PART3, "[recipients.email]\nkind = \"internal\"\n");
    one(
        &text,
        "recipient `email` is built in with kind `email`, not `internal`",
        "\"internal\"",
    );
}
