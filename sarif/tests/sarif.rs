//! The SARIF log of a hand-built report: valid against the official OASIS schema
//! (`tests/data/`, see its NOTICE.md), snapshotted, and checked field by field where GitHub
//! code scanning cares.

use std::path::PathBuf;
use std::sync::Arc;

use dpia_lint_engine::diag::{Suppression, SuppressionKind};
use dpia_lint_engine::{
    Facts, FileId, Finding, Label, Level, Precision, Report, RuleMeta, SourceDb, Span, Timings,
};
use dpia_lint_sarif::{to_sarif, to_string, SarifOptions, MAX_LOCATIONS};
use serde_json::Value;

const DOCS: &str = " ## What it does\n Reports a thing\n over two lines.\n\n ## Why it matters\n Because.\n\n ## Example\n ```dpia-fail\n fn f() {}\n ```\n\n ## How to fix\n Tag it.\n";

static PARSE_ERROR: RuleMeta = RuleMeta {
    code: "DPIA001",
    name: "parse-error",
    summary: "a source file cannot be parsed",
    default_level: Level::Warn,
    legal_uk_gdpr: "UK GDPR Art 35(7)(a)",
    legal_part3: "DPA 2018 s64(3)(a)",
    dpia_step: "Step 2",
    precision: Precision::VeryHigh,
    docs: DOCS,
    implemented: true,
    file: "rules/src/syntax/parse_error.rs",
};
static FUNCTION_CREEP: RuleMeta = RuleMeta {
    code: "DPIA102",
    name: "function-creep",
    summary: "a category is processed under a purpose the manifest does not allow for it",
    default_level: Level::Deny,
    legal_uk_gdpr: "UK GDPR Art 5(1)(b), 8A",
    legal_part3: "DPA 2018 s36(1)(b), (3)–(4)",
    dpia_step: "Step 4(d) function creep",
    precision: Precision::High,
    docs: DOCS,
    implemented: true,
    file: "rules/src/purposes/function_creep.rs",
};
static IN_LOGS: RuleMeta = RuleMeta {
    code: "DPIA302",
    name: "personal-data-in-logs",
    summary: "declared personal data reaches a logging sink and its purpose does not list `log`",
    default_level: Level::Deny,
    legal_uk_gdpr: "UK GDPR Art 5(1)(f)",
    legal_part3: "DPA 2018 s64(3)(a)",
    dpia_step: "Step 5 risks",
    precision: Precision::Medium,
    docs: DOCS,
    implemented: true,
    file: "rules/src/flows/personal_data_in_logs.rs",
};
static UNUSED: RuleMeta = RuleMeta {
    code: "DPIA203",
    name: "unused-declaration",
    summary: "the manifest declares a purpose, category or recipient no code uses",
    default_level: Level::Warn,
    legal_uk_gdpr: "UK GDPR Art 35(7)(a)",
    legal_part3: "DPA 2018 s64(3)(a)",
    dpia_step: "Step 2",
    precision: Precision::Low,
    docs: "no headings here",
    implemented: false,
    file: "rules/src/discovery/unused_declaration.rs",
};

fn rules() -> Vec<&'static RuleMeta> {
    vec![&PARSE_ERROR, &FUNCTION_CREEP, &UNUSED, &IN_LOGS]
}

const LIB: &str = "use dpia::processing;\n\n#[processing(purpose = \"marketing\")]\npub fn mail(vrm: &Vrm) {\n    send(vrm); // é → ok\n    log::info!(\"{vrm}\");\n}\n";
const BROKEN: &str = "fn broken( {\n";
const MANIFEST: &str =
    "[dpia]\nregime = \"dpa2018-part3\"\n\n[purposes.marketing]\nbasis = \"part3.task\"\n";

fn span(db: &SourceDb, file: FileId, needle: &str) -> Span {
    let start = db.get(file).text.find(needle).expect(needle);
    Span::new(file, start..start + needle.len())
}

/// Every kind of finding the writer handles: parse error, plain, with related locations
/// and a flow, suppressed in source and by a waiver, a repeated fingerprint, and one at
/// level `allow`.
fn report() -> Report {
    let mut db = SourceDb::new(PathBuf::from("crate-root"));
    let manifest = db.add(PathBuf::from("crate-root/dpia.toml"), Arc::from(MANIFEST));
    let lib = db.add(PathBuf::from("crate-root/src/lib.rs"), Arc::from(LIB));
    let broken = db.add(PathBuf::from("crate-root/src/broken.rs"), Arc::from(BROKEN));
    let facts = Facts {
        category: Some("vrm".into()),
        purpose: Some("marketing".into()),
        basis: Some("part3.task".into()),
        recipient: None,
    };
    let creep = Finding::new(
        "DPIA102",
        Level::Deny,
        Label::new(span(&db, lib, "send(vrm)"), "`vrm` processed here"),
        "category `vrm` is processed under purpose `marketing`, which the DPIA does not allow for it",
    )
    .with_label(Label::new(span(&db, lib, "purpose = \"marketing\""), "purpose declared here"))
    .with_label(Label::new(span(&db, manifest, "[purposes.marketing]"), "purpose in the DPIA"))
    .with_note("`vrm` is allowed under: county-lines-detection")
    .with_help("add `vrm` to the purpose's categories in dpia.toml, or stop processing it here")
    .with_item("crate::mail")
    .with_facts(facts.clone());
    let mut in_logs = Finding::new(
        "DPIA302",
        Level::Deny,
        Label::new(span(&db, lib, "log::info!(\"{vrm}\")"), "logged here"),
        "`vrm` reaches a log",
    )
    .with_item("crate::mail")
    .with_facts(Facts {
        recipient: Some("log".into()),
        ..facts.clone()
    });
    in_logs.flow = vec![
        Label::new(
            span(&db, lib, "vrm: &Vrm"),
            "source: `vrm` (category `vrm`)",
        ),
        Label::new(span(&db, lib, "log::info!(\"{vrm}\")"), "sink: log"),
    ];
    let mut waived = Finding::new(
        "DPIA203",
        Level::Warn,
        Label::new(span(&db, manifest, "[purposes.marketing]"), "never used"),
        "purpose `marketing` is declared but no code uses it",
    );
    waived.suppression = Some(Suppression {
        kind: SuppressionKind::External,
        reason: "DPO approved 2024-01-10, ref DP-118".into(),
        span: Some(span(&db, manifest, "[dpia]")),
    });
    let mut allowed = creep.clone();
    allowed.suppression = Some(Suppression {
        kind: SuppressionKind::InSource,
        reason: "one-off export, ref DP-120".into(),
        span: Some(span(&db, lib, "#[processing(purpose = \"marketing\")]")),
    });
    let mut off = creep.clone();
    off.level = Level::Allow;
    let findings = vec![
        waived,
        Finding::new(
            "DPIA001",
            Level::Warn,
            Label::new(Span::new(broken, 10..10), "expected one of `)`, `,`"),
            "cannot parse `src/broken.rs`: expected one of `)`, `,`",
        )
        .with_item("src/broken.rs"),
        creep.clone(),
        allowed,
        creep,
        in_logs,
        off,
    ];
    Report {
        db,
        findings,
        manifest_file: manifest,
        timings: Timings::default(),
        files_analysed: 2,
        regime: "dpa2018-part3",
        notes: Vec::new(),
        baseline: None,
        baseline_file: "crate-root/dpia-baseline.json".into(),
        inventory: Default::default(),
        lock_file: "crate-root/dpia.lock".into(),
    }
}

fn options() -> SarifOptions {
    SarifOptions {
        tool_version: "0.1.0".into(),
        no_suppressed: false,
        regime: Some("dpa2018-part3".into()),
        information_uri: "https://github.com/dpia-lint/dpia-lint".into(),
    }
}

fn json(report: &Report, opts: &SarifOptions) -> Value {
    serde_json::from_str(&to_string(report, &rules(), opts)).unwrap()
}

fn schema_errors(log: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn log_is_valid_against_the_sarif_schema() {
    for no_suppressed in [false, true] {
        let log = json(
            &report(),
            &SarifOptions {
                no_suppressed,
                ..options()
            },
        );
        assert_eq!(schema_errors(&log), Vec::<String>::new());
    }
}

#[test]
fn schema_check_catches_an_invalid_log() {
    let mut log = json(&report(), &options());
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!schema_errors(&log).is_empty());
}

#[test]
fn snapshot() {
    let text = to_string(&report(), &rules(), &options());
    assert!(text.ends_with("}\n"));
    insta::assert_snapshot!("report.sarif", text);
}

#[test]
fn the_spliced_log_is_the_whole_log_pretty_printed() {
    let r = report();
    assert!(json(&r, &options())["runs"][0]["results"]
        .as_array()
        .is_some_and(|a| a.len() >= 2));
    assert_eq!(to_string(&r, &rules(), &options()), whole(&r));
}

/// The whole log pretty-printed at once by serde_json: what the streamed log must be.
fn whole(r: &Report) -> String {
    serde_json::to_string_pretty(&to_sarif(r, &rules(), &options())).unwrap() + "\n"
}

#[test]
fn the_streamed_log_is_the_whole_log_across_chunks() {
    // several chunks of results (of 64), the last one short; and no results at all
    let mut r = report();
    let all = r.findings.clone();
    r.findings = all.iter().cycle().take(400).cloned().collect();
    assert!(json(&r, &options())["runs"][0]["results"]
        .as_array()
        .is_some_and(|a| a.len() > 3 * 64));
    assert_eq!(to_string(&r, &rules(), &options()), whole(&r));
    r.findings.clear();
    let empty = to_string(&r, &rules(), &options());
    assert!(empty.contains("\"results\": []"));
    assert_eq!(empty, whole(&r));
}

#[test]
fn a_write_error_ends_the_log_with_that_error() {
    /// Takes `left` bytes, then fails.
    struct Full {
        left: usize,
    }
    impl std::io::Write for Full {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.left == 0 {
                return Err(std::io::Error::other("disk full"));
            }
            let n = buf.len().min(self.left);
            self.left -= n;
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut r = report();
    let all = r.findings.clone();
    r.findings = all.iter().cycle().take(500).cloned().collect();
    let size = to_string(&r, &rules(), &options()).len();
    // in the skeleton, in the first chunk of results, in a later one, at the very end
    for left in [100, 40_000, size / 2, size - 1] {
        let e = dpia_lint_sarif::write_to(&r, &rules(), &options(), &mut Full { left })
            .expect_err("the writer fails");
        assert_eq!(e.to_string(), "disk full");
    }
    let mut exact = Full { left: size };
    assert!(dpia_lint_sarif::write_to(&r, &rules(), &options(), &mut exact).is_ok());
}

#[test]
fn tool_driver_lists_every_rule() {
    let log = json(&report(), &options());
    let run = &log["runs"][0];
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    assert_eq!(log["version"], "2.1.0");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "dpia-lint");
    assert_eq!(driver["semanticVersion"], "0.1.0");
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 4);
    let creep = &rules[1];
    assert_eq!(creep["id"], "DPIA102");
    assert_eq!(creep["name"], "function-creep");
    assert_eq!(
        creep["fullDescription"]["text"],
        "Reports a thing over two lines."
    );
    assert_eq!(
        creep["helpUri"],
        "https://github.com/dpia-lint/dpia-lint/blob/main/docs/rules.md#function-creep"
    );
    assert_eq!(creep["defaultConfiguration"]["level"], "error");
    assert_eq!(
        creep["properties"]["tags"],
        serde_json::json!(["privacy", "dpia", "dpa2018-part3"])
    );
    assert_eq!(creep["properties"]["precision"], "high");
    assert_eq!(creep["properties"]["problem.severity"], "error");
    assert!(creep["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("## How to fix\nTag it."));
    // no "What it does" section: the summary
    assert_eq!(
        rules[2]["fullDescription"]["text"],
        "the manifest declares a purpose, category or recipient no code uses."
    );
    assert_eq!(rules[2]["defaultConfiguration"]["level"], "warning");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["automationDetails"]["id"], "dpia-lint/");
}

#[test]
fn results_carry_rule_location_and_properties() {
    let log = json(&report(), &options());
    let results = log["runs"][0]["results"].as_array().unwrap();
    // the `allow` finding is left out
    assert_eq!(results.len(), 6);
    let creep = &results[2];
    assert_eq!(creep["ruleId"], "DPIA102");
    assert_eq!(creep["ruleIndex"], 1);
    assert_eq!(creep["level"], "error");
    let loc = &creep["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "src/lib.rs");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(
        loc["region"],
        serde_json::json!({"startLine": 5, "startColumn": 5, "endLine": 5, "endColumn": 14})
    );
    let related = creep["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 2);
    assert_eq!(related[0]["id"], 1);
    assert_eq!(
        related[1]["physicalLocation"]["artifactLocation"]["uri"],
        "dpia.toml"
    );
    assert_eq!(related[1]["message"]["text"], "purpose in the DPIA.");
    assert_eq!(creep["properties"]["category"], "vrm");
    assert_eq!(creep["properties"]["purpose"], "marketing");
    assert_eq!(creep["properties"]["basis"], "part3.task");
    // the reference of the report's regime (Part 3), not the UK GDPR one
    assert_eq!(
        creep["properties"]["legalReference"],
        "DPA 2018 s36(1)(b), (3)–(4)"
    );
    assert!(creep.get("suppressions").is_none());

    // an empty span still covers a column
    let parse = &results[1];
    assert_eq!(
        parse["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 1, "startColumn": 11, "endLine": 1, "endColumn": 12})
    );

    let flow = &results[5];
    assert_eq!(flow["ruleId"], "DPIA302");
    let steps = flow["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[1]["location"]["message"]["text"], "sink: log.");
    assert_eq!(flow["properties"]["recipient"], "log");
}

#[test]
fn columns_count_code_points() {
    let mut r = report();
    let lib = FileId(1);
    let start = LIB.find("ok").unwrap();
    r.findings = vec![Finding::new(
        "DPIA102",
        Level::Deny,
        Label::new(Span::new(lib, start..start + 2), ""),
        "x",
    )];
    let log = json(&r, &options());
    let region = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    // `    send(vrm); // é → ok`: é and → are one column each
    assert_eq!(region["startColumn"], 23);
    assert_eq!(region["endColumn"], 25);
}

#[test]
fn suppressions_are_kept_or_dropped() {
    let log = json(&report(), &options());
    let results = log["runs"][0]["results"].as_array().unwrap();
    let waiver = &results[0]["suppressions"][0];
    assert_eq!(waiver["kind"], "external");
    assert_eq!(waiver["status"], "accepted");
    assert_eq!(
        waiver["justification"],
        "DPO approved 2024-01-10, ref DP-118"
    );
    let allow = &results[3]["suppressions"][0];
    assert_eq!(allow["kind"], "inSource");
    assert_eq!(allow["justification"], "one-off export, ref DP-120");

    let log = json(
        &report(),
        &SarifOptions {
            no_suppressed: true,
            ..options()
        },
    );
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    assert!(results.iter().all(|r| r.get("suppressions").is_none()));
}

#[test]
fn fingerprints_are_unique_and_stable() {
    let r = report();
    let fps = r.unique_fingerprints();
    // creep, allowed creep, creep and the `allow` one share a base fingerprint
    assert_eq!(fps[3], format!("{}:2", fps[2]));
    assert_eq!(fps[4], format!("{}:3", fps[2]));
    assert_eq!(fps[6], format!("{}:4", fps[2]));
    assert_eq!(fps, report().unique_fingerprints());

    // dropping suppressed results changes no fingerprint
    let all = json(&r, &options());
    let kept = json(
        &r,
        &SarifOptions {
            no_suppressed: true,
            ..options()
        },
    );
    let fp = |v: &Value| -> Vec<String> {
        v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["dpiaLint/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let (all, kept) = (fp(&all), fp(&kept));
    assert!(kept.iter().all(|k| all.contains(k)));
    assert_eq!(kept[1], fps[2]);
    assert_eq!(kept[2], fps[4]);

    // line numbers do not matter
    let mut moved = report();
    let lib = FileId(1);
    moved.findings[2].primary.span = Span::new(lib, 0..3);
    assert_eq!(moved.unique_fingerprints()[2], fps[2]);
}

#[test]
fn parse_errors_are_tool_notifications() {
    let log = json(&report(), &options());
    let inv = &log["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], true);
    let notes = inv["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["level"], "error");
    assert_eq!(notes[0]["associatedRule"]["id"], "DPIA001");
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "src/broken.rs"
    );
}

#[test]
fn github_limits_truncate_with_a_notification() {
    let mut r = report();
    let lib = FileId(1);
    let many: Vec<Label> = (0..MAX_LOCATIONS + 5)
        .map(|i| Label::new(Span::new(lib, i % 10..i % 10 + 1), "step"))
        .collect();
    r.findings[5].flow = many.clone();
    r.findings[5].secondary = many;
    r.findings.truncate(6);
    let log = json(&r, &options());
    let result = &log["runs"][0]["results"][5];
    assert_eq!(
        result["relatedLocations"].as_array().unwrap().len(),
        MAX_LOCATIONS
    );
    assert_eq!(
        result["codeFlows"][0]["threadFlows"][0]["locations"]
            .as_array()
            .unwrap()
            .len(),
        MAX_LOCATIONS
    );
    let notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    let texts: Vec<&str> = notes
        .iter()
        .map(|n| n["message"]["text"].as_str().unwrap())
        .collect();
    assert!(texts.contains(&"DPIA302 at src/lib.rs:6: kept the first 1000 of 1005 related locations (GitHub's limit)."), "{texts:?}");
    assert!(
        texts.iter().any(|t| t.contains("1005 flow steps")),
        "{texts:?}"
    );
    assert_eq!(schema_errors(&log), Vec::<String>::new());
}

#[test]
fn results_are_capped_at_githubs_limit() {
    let mut r = report();
    let one = r.findings[2].clone();
    r.findings = vec![one; dpia_lint_sarif::MAX_RESULTS + 3];
    let log = to_sarif(&r, &rules(), &options());
    let run = &log.runs[0];
    assert_eq!(
        run.results.as_ref().unwrap().len(),
        dpia_lint_sarif::MAX_RESULTS
    );
    let notes = run.invocations.as_ref().unwrap()[0]
        .tool_execution_notifications
        .as_ref()
        .unwrap();
    assert_eq!(
        notes[0].message.text.as_deref(),
        Some("3 more results were left out: GitHub code scanning accepts at most 25000 per run.")
    );
}
