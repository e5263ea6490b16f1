//! dpia-lint findings as SARIF 2.1.0, the format GitHub code scanning ingests.
//!
//! Knows nothing of syn: it reads the engine's [`Report`] (findings with byte spans into the
//! [`SourceDb`](dpia_lint_engine::SourceDb)) and the rules' [`RuleMeta`].
//!
//! Choices worth knowing:
//! - every location is relative to `%SRCROOT%` (the lint root); `run.originalUriBaseIds`
//!   describes it without an absolute URI, so the log holds no machine path and stays
//!   deterministic (GitHub resolves `%SRCROOT%` to the checkout). URIs are percent-encoded
//!   as RFC 3986 requires ([`artifact_location`]: a file named `a b#1.rs` is `a%20b%231.rs`).
//!   The one file that can be outside the root, a `--dpia` manifest given elsewhere, is its
//!   file name under the base `EXTERNAL` (never `//etc/…`, which names a host, SARIF1004;
//!   not an absolute `file:` URI either, which GitHub rejects without a checkout path,
//!   GH1006, and which would put a machine path in the log);
//! - `partialFingerprints["dpiaLint/v1"]` comes from [`Report::unique_fingerprints`] (`dpia_lint_engine::diag`), which the
//!   GitLab renderer uses too, so both formats name a finding alike;
//! - GitHub's limits (25 000 results per run, 1 000 related locations and 1 000 thread-flow
//!   locations per result) are enforced by truncation, each cut reported as a
//!   `toolExecutionNotifications` entry.

use std::collections::BTreeMap;

use dpia_lint_engine::diag::SuppressionKind;
use dpia_lint_engine::source::SourceFile;
use dpia_lint_engine::{BaselineState, Finding, Label, Level, Report, RuleMeta, Suggestion};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactChange, ArtifactContent, ArtifactLocation, CodeFlow, Fix, Invocation, Location,
    Message, MultiformatMessageString, Notification, PhysicalLocation, PropertyBag, Region,
    Replacement, ReportingConfiguration, ReportingDescriptor, ReportingDescriptorReference,
    Result as SarifResult, ResultBaselineState, ResultLevel, Run, RunAutomationDetails, Sarif,
    Suppression, ThreadFlow, ThreadFlowLocation, Tool, ToolComponent,
};

/// GitHub code scanning accepts at most this many results per run.
pub const MAX_RESULTS: usize = 25_000;
/// GitHub code scanning reads at most this many `relatedLocations` per result, and this
/// many locations per thread flow.
pub const MAX_LOCATIONS: usize = 1_000;

/// The `uriBaseId` of every location: the lint root.
pub const SRCROOT: &str = "%SRCROOT%";
/// The `uriBaseId` of a file outside the lint root (a `--dpia` manifest given elsewhere);
/// its `uri` is the file name.
pub const EXTERNAL: &str = "EXTERNAL";
/// `$schema` of the log.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The key of our entry in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "dpiaLint/v1";
/// `run.automationDetails.id`: GitHub's analysis category.
pub const AUTOMATION_ID: &str = "dpia-lint/";
/// The rule whose findings are also tool execution notifications.
pub const PARSE_ERROR: &str = "DPIA001";

/// How to write the log.
#[derive(Clone, Debug)]
pub struct SarifOptions {
    /// `tool.driver.semanticVersion`.
    pub tool_version: String,
    /// Leave suppressed findings out (GitHub does not honour SARIF suppressions).
    pub no_suppressed: bool,
    /// The manifest's regime (`uk-gdpr`, `dpa2018-part3`), added to every rule's tags;
    /// `None`: the report's.
    pub regime: Option<String>,
    /// `tool.driver.informationUri`: the repository; rule `helpUri`s point into its
    /// `docs/rules.md`.
    pub information_uri: String,
}

impl Default for SarifOptions {
    fn default() -> SarifOptions {
        SarifOptions {
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            no_suppressed: false,
            regime: None,
            information_uri: "https://github.com/dpia-lint/dpia-lint".to_string(),
        }
    }
}

/// The SARIF log of a report: one run, every rule in `tool.driver.rules`, one result per
/// finding that is not at level `allow` (and not suppressed, with `no_suppressed`).
pub fn to_sarif(report: &Report, rules: &[&'static RuleMeta], opts: &SarifOptions) -> Sarif {
    use rayon::prelude::*;

    let log = Log::new(report, rules, opts);
    let results = log.kept.par_iter().map(|&i| log.result(i)).collect();
    let mut sarif = log.skeleton;
    if let Some(run) = sarif.runs.first_mut() {
        run.results = Some(results);
    }
    sarif
}

/// [`to_sarif`] as pretty JSON with a trailing newline: [`write_to`] into a string.
pub fn to_string(report: &Report, rules: &[&'static RuleMeta], opts: &SarifOptions) -> String {
    let mut out = Vec::new();
    write_to(report, rules, opts, &mut out).expect("writing to a Vec never fails");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// How many results are pretty-printed (in parallel) while the ones before them are
/// written.
const RESULTS_PER_CHUNK: usize = 64;

/// Writes [`to_sarif`] as pretty JSON with a trailing newline.
///
/// The results are most of a large log: each is built and pretty-printed on its own, in
/// parallel, at the depth it has in the log (`runs[0].results[i]`), a chunk of them while
/// the chunk before is written, so rendering and writing overlap and the log is never
/// whole in memory. The bytes are those of pretty-printing the whole log at once (a test
/// checks it).
pub fn write_to(
    report: &Report,
    rules: &[&'static RuleMeta],
    opts: &SarifOptions,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use rayon::prelude::*;

    let log = Log::new(report, rules, opts);
    let s = pretty(&log.skeleton);
    // a key never occurs inside a JSON string, where its quotes are escaped
    const EMPTY: &str = "\"results\": []";
    let at = s.find(EMPTY).expect("the run has its results key");
    if log.kept.is_empty() {
        w.write_all(s.as_bytes())?;
        return w.write_all(b"\n");
    }
    w.write_all(&s.as_bytes()[..at])?;
    w.write_all(b"\"results\": [\n")?;
    let render = |chunk: &[usize], first: bool| -> Vec<u8> {
        let items: Vec<String> = chunk
            .par_iter()
            .map(|&i| pretty_at(&log.result(i), RESULT_DEPTH))
            .collect();
        let len = items
            .iter()
            .map(|i| i.len() + RESULT_INDENT.len() + 2)
            .sum();
        let mut out = Vec::with_capacity(len);
        for (k, item) in items.iter().enumerate() {
            if k > 0 || !first {
                out.extend_from_slice(b",\n");
            }
            out.extend_from_slice(RESULT_INDENT.as_bytes());
            out.extend_from_slice(item.as_bytes());
        }
        out
    };
    // a thread renders chunks (on the pool) while this one writes the one before
    std::thread::scope(|threads| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(1);
        let log = &log;
        threads.spawn(move || {
            for (k, chunk) in log.kept.chunks(RESULTS_PER_CHUNK).enumerate() {
                // a failed write drops the receiver: stop rendering
                if tx.send(render(chunk, k == 0)).is_err() {
                    break;
                }
            }
        });
        rx.iter().try_for_each(|chunk| w.write_all(&chunk))
    })?;
    w.write_all(b"\n")?;
    w.write_all(&RESULT_INDENT.as_bytes()[2..])?;
    w.write_all(b"]")?;
    w.write_all(&s.as_bytes()[at + EMPTY.len()..])?;
    w.write_all(b"\n")
}

/// A log about to be written: the findings that are results, and everything else.
struct Log<'a> {
    report: &'a Report,
    rules: &'a [&'static RuleMeta],
    /// The findings that are results (the first [`MAX_RESULTS`] that are reported), in
    /// report order.
    kept: Vec<usize>,
    fingerprints: Vec<String>,
    /// Each file's URI, encoded once: a log names few files many times (a flow step each).
    uris: Vec<ArtifactLocation>,
    /// The log without its results (`"results": []`), notifications included.
    skeleton: Sarif,
}

impl<'a> Log<'a> {
    fn new(report: &'a Report, rules: &'a [&'static RuleMeta], opts: &SarifOptions) -> Self {
        let uris: Vec<ArtifactLocation> = report
            .db
            .files()
            .map(|(_, f)| artifact_location(f))
            .collect();
        let regime = opts
            .regime
            .as_deref()
            .or((!report.regime.is_empty()).then_some(report.regime));
        let mut kept = Vec::new();
        let mut left_out = 0usize;
        for (i, f) in report.findings.iter().enumerate() {
            if f.level == Level::Allow || (opts.no_suppressed && f.suppression.is_some()) {
                continue;
            }
            if kept.len() == MAX_RESULTS {
                left_out += 1;
            } else {
                kept.push(i);
            }
        }
        // the notifications of parse errors and, after each result's finding, what was cut
        // from that result, in report order
        let mut notifications = Vec::new();
        let mut results = kept.iter().peekable();
        for (i, f) in report.findings.iter().enumerate() {
            if f.level != Level::Allow && f.code == PARSE_ERROR {
                let mut n = notification("error", &f.message);
                n.locations = Some(vec![location(report, &uris, &f.primary, false)]);
                n.associated_rule = Some(rule_reference(rules, f.code));
                notifications.push(n);
            }
            if results.next_if_eq(&&i).is_some() {
                notifications.extend(truncations(report, f));
            }
        }
        // what discovery left out (absent members, refused files)
        for n in &report.notes {
            notifications.push(notification("warning", &n.message));
        }
        if left_out > 0 {
            notifications.push(notification(
                "warning",
                &format!(
                    "{left_out} more results were left out: GitHub code scanning accepts at most {MAX_RESULTS} per run"
                ),
            ));
        }
        Log {
            report,
            rules,
            kept,
            fingerprints: report.unique_fingerprints(),
            skeleton: skeleton(report, rules, opts, regime, notifications),
            uris,
        }
    }

    /// The result of finding `i`.
    fn result(&self, i: usize) -> SarifResult {
        result(
            self.report,
            &self.uris,
            self.rules,
            &self.report.findings[i],
            &self.fingerprints[i],
        )
    }
}

/// The log without results: the tool with every rule, the invocation with its
/// notifications, the base URIs.
fn skeleton(
    report: &Report,
    rules: &[&'static RuleMeta],
    opts: &SarifOptions,
    regime: Option<&str>,
    notifications: Vec<Notification>,
) -> Sarif {
    let driver = ToolComponent::builder()
        .name("dpia-lint")
        .semantic_version(opts.tool_version.clone())
        .information_uri(opts.information_uri.clone())
        .rules(
            rules
                .iter()
                .map(|m| descriptor(m, regime, opts))
                .collect::<Vec<_>>(),
        )
        .build();
    let mut invocation = Invocation::builder().execution_successful(true).build();
    if !notifications.is_empty() {
        invocation.tool_execution_notifications = Some(notifications);
    }
    let mut base_ids = BTreeMap::new();
    base_ids.insert(
        SRCROOT.to_string(),
        ArtifactLocation::builder()
            .description(text(
                "The directory dpia-lint was run on; every path is relative to it",
            ))
            .build(),
    );
    if report.db.files().any(|(_, f)| outside_root(f)) {
        base_ids.insert(
            EXTERNAL.to_string(),
            ArtifactLocation::builder()
                .description(text(
                    "Outside the directory dpia-lint was run on: the DPIA manifest given with --dpia",
                ))
                .build(),
        );
    }
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(Vec::new())
        .invocations(vec![invocation])
        .original_uri_base_ids(base_ids)
        .column_kind(json!("unicodeCodePoints"))
        .automation_details(RunAutomationDetails::builder().id(AUTOMATION_ID).build())
        .build();
    Sarif::builder()
        .schema(SCHEMA)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build()
}

/// What [`result`] cuts from a finding to stay within GitHub's limits, as notifications:
/// related locations, then flow steps.
fn truncations(report: &Report, f: &Finding) -> Vec<Notification> {
    let cut = |what: &str, total: usize| {
        (total > MAX_LOCATIONS).then(|| {
            notification(
                "warning",
                &format!(
                    "{} at {}: kept the first {MAX_LOCATIONS} of {total} {what} (GitHub's limit)",
                    f.code,
                    position(report, &f.primary)
                ),
            )
        })
    };
    cut("related locations", f.secondary.len())
        .into_iter()
        .chain(cut("flow steps", f.flow.len()))
        .collect()
}

/// The depth of a result in the pretty log: `{ "runs": [ { "results": [ {`.
const RESULT_DEPTH: usize = 4;
/// Its indentation.
const RESULT_INDENT: &str = "        ";

fn pretty<T: serde::Serialize>(value: &T) -> String {
    pretty_at(value, 0)
}

/// `value` as serde_json's pretty JSON (two spaces a level), laid out as if it were nested
/// `depth` levels deep: every line after the first indented by `depth` levels more.
fn pretty_at<T: serde::Serialize>(value: &T, depth: usize) -> String {
    let mut out = Vec::with_capacity(1024);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Pretty::at(depth));
    value
        .serialize(&mut ser)
        .expect("a SARIF log always serialises");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// The layout of `serde_json::ser::PrettyFormatter` with a two-space indent, byte for byte,
/// but each line break and its indentation is one write (serde_json's writes the indent
/// once per level: most of a large log's rendering time was those writes).
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    fn at(depth: usize) -> Pretty {
        Pretty {
            depth,
            has_value: false,
        }
    }

    /// A line break and the indentation of the current depth.
    fn line<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        const BREAK: &[u8] = b"\n                                                                ";
        let mut n = 2 * self.depth;
        let first = n.min(BREAK.len() - 1);
        w.write_all(&BREAK[..1 + first])?;
        n -= first;
        while n > 0 {
            let k = n.min(BREAK.len() - 1);
            w.write_all(&BREAK[1..1 + k])?;
            n -= k;
        }
        Ok(())
    }

    /// `[` or `{`: one level deeper, nothing in it yet.
    fn open<W: ?Sized + std::io::Write>(&mut self, w: &mut W, b: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b)
    }

    /// `]` or `}`: on its own line when something was in it.
    fn close<W: ?Sized + std::io::Write>(&mut self, w: &mut W, b: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(w)?;
        }
        w.write_all(b)
    }

    /// An array element or an object key: after a comma unless first, on a new line.
    fn item<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.line(w)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `s` as a sentence: SARIF messages end with a period (SARIF2001), rustc's do not.
fn sentence(s: &str) -> String {
    let s = s.trim_end();
    if s.ends_with(['.', '?', '!']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

fn text(s: &str) -> Message {
    Message::builder().text(sentence(s)).build()
}

fn notification(level: &str, message: &str) -> Notification {
    Notification::builder()
        .level(json!(level))
        .message(text(message))
        .build()
}

fn rule_reference(rules: &[&'static RuleMeta], code: &str) -> ReportingDescriptorReference {
    let mut r = ReportingDescriptorReference::builder().id(code).build();
    r.index = rules.iter().position(|m| m.code == code).map(|i| i as i64);
    r
}

/// The text under a `## heading` of the docs, up to the next heading.
fn section(docs: &str, heading: &str) -> Option<String> {
    let mut lines = docs.lines().map(str::trim);
    lines.find(|l| l.trim_start_matches('#').trim() == heading && l.starts_with('#'))?;
    let body: Vec<&str> = lines.take_while(|l| !l.starts_with("## ")).collect();
    let body = body
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!body.is_empty()).then_some(body)
}

fn sarif_level(l: Level) -> &'static str {
    l.severity()
}

/// GitHub's `problem.severity`: `error`, `warning` or `recommendation`.
fn problem_severity(l: Level) -> &'static str {
    match l {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Allow => "recommendation",
    }
}

fn descriptor(m: &RuleMeta, regime: Option<&str>, opts: &SarifOptions) -> ReportingDescriptor {
    let mut tags = vec!["privacy".to_string(), "dpia".to_string()];
    tags.extend(regime.map(str::to_string));
    let mut props = BTreeMap::new();
    props.insert("precision".to_string(), json!(m.precision.as_str()));
    props.insert(
        "problem.severity".to_string(),
        json!(problem_severity(m.default_level)),
    );
    props.insert(
        "legalReference".to_string(),
        json!(m.legal_reference(regime.unwrap_or(""))),
    );
    props.insert("dpiaStep".to_string(), json!(m.dpia_step));
    let docs = m.docs_markdown().trim_end().to_string();
    let full = section(&docs, "What it does").unwrap_or_else(|| m.summary.to_string());
    let help_text = format!(
        "{} {}: {}\nLegal reference: {}\nDPIA step: {}\n\n{}",
        m.code,
        m.name,
        m.summary,
        m.legal_references(),
        m.dpia_step,
        docs
    );
    let help_md = format!(
        "**{} {}**: {}\n\n*Legal reference*: {}  \n*DPIA step*: {}\n\n{}",
        m.code,
        m.name,
        m.summary,
        m.legal_references(),
        m.dpia_step,
        docs
    );
    ReportingDescriptor::builder()
        .id(m.code)
        .name(m.name)
        .short_description(
            MultiformatMessageString::builder()
                .text(sentence(m.summary))
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(sentence(&full))
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(help_text)
                .markdown(help_md)
                .build(),
        )
        .help_uri(format!(
            "{}/blob/main/docs/rules.md#{}",
            opts.information_uri.trim_end_matches('/'),
            m.name
        ))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(sarif_level(m.default_level)))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(tags)
                .additional_properties(props)
                .build(),
        )
        .build()
}

/// 1-based lines and columns (Unicode code points); `endColumn` is exclusive. An empty
/// span still covers one column: GitHub wants a non-empty region.
fn region(report: &Report, label: &Label) -> Region {
    let file = report.db.get(label.span.file);
    let (sl, sc) = file.line_col(label.span.start as usize);
    let (el, ec) = file.line_col(label.span.end as usize);
    let (el, ec) = if (el, ec) <= (sl, sc) {
        (sl, sc + 1)
    } else {
        (el, ec)
    };
    Region::builder()
        .start_line(sl as i64)
        .start_column(sc as i64)
        .end_line(el as i64)
        .end_column(ec as i64)
        .build()
}

/// What stays as it is in a relative URI path: RFC 3986 `unreserved` and `/`. Everything
/// else, `:` included (`a:b.rs` would read as a scheme), is percent-encoded as UTF-8.
const RELATIVE_PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');
/// Is the file outside the lint root (an absolute path, or one that climbs out with `..`)?
fn outside_root(file: &SourceFile) -> bool {
    let rel = &file.rel_path;
    rel.starts_with('/')
        || std::path::Path::new(rel).is_absolute()
        || rel.split('/').any(|c| c == "..")
}

/// The artifact location of a file: its path relative to `%SRCROOT%`, percent-encoded; a
/// file outside the root as its file name, percent-encoded, under [`EXTERNAL`].
pub fn artifact_location(file: &SourceFile) -> ArtifactLocation {
    if outside_root(file) {
        let name = file.rel_path.rsplit('/').next().unwrap_or_default();
        return ArtifactLocation::builder()
            .uri(utf8_percent_encode(name, RELATIVE_PATH).to_string())
            .uri_base_id(EXTERNAL)
            .build();
    }
    ArtifactLocation::builder()
        .uri(utf8_percent_encode(&file.rel_path, RELATIVE_PATH).to_string())
        .uri_base_id(SRCROOT)
        .build()
}

/// The artifact location of each file of the report, by `FileId`.
type Uris = [ArtifactLocation];

fn location(report: &Report, uris: &Uris, label: &Label, with_message: bool) -> Location {
    let physical = PhysicalLocation::builder()
        .artifact_location(uris[label.span.file.0 as usize].clone())
        .region(region(report, label))
        .build();
    let mut loc = Location::builder().physical_location(physical).build();
    if with_message && !label.message.is_empty() {
        loc.message = Some(text(&label.message));
    }
    loc
}

/// A suggestion as a SARIF `fix`: one `artifactChange` per file, its edits as
/// `replacements` (a deleted region, exact to the column, and the inserted text).
fn fix(report: &Report, uris: &Uris, s: &Suggestion) -> Fix {
    let mut by_file: BTreeMap<u32, Vec<&dpia_lint_engine::Edit>> = BTreeMap::new();
    for e in &s.edits {
        by_file.entry(e.span.file.0).or_default().push(e);
    }
    let changes = by_file
        .into_values()
        .map(|edits| {
            let artifact = location(report, uris, &Label::new(edits[0].span, ""), false)
                .physical_location
                .and_then(|p| p.artifact_location)
                .unwrap_or_else(|| ArtifactLocation::builder().build());
            let replacements = edits
                .iter()
                .map(|e| {
                    let file = report.db.get(e.span.file);
                    let (sl, sc) = file.line_col(e.span.start as usize);
                    let (el, ec) = file.line_col(e.span.end as usize);
                    let deleted = Region::builder()
                        .start_line(sl as i64)
                        .start_column(sc as i64)
                        .end_line(el as i64)
                        .end_column(ec as i64)
                        .build();
                    let mut r = Replacement::builder().deleted_region(deleted).build();
                    if !e.replacement.is_empty() {
                        r.inserted_content = Some(
                            ArtifactContent::builder()
                                .text(e.replacement.clone())
                                .build(),
                        );
                    }
                    r
                })
                .collect::<Vec<_>>();
            ArtifactChange::builder()
                .artifact_location(artifact)
                .replacements(replacements)
                .build()
        })
        .collect::<Vec<_>>();
    Fix::builder()
        .description(text(&s.message))
        .artifact_changes(changes)
        .build()
}

/// `rel/path.rs:LINE` of a label, for notifications.
fn position(report: &Report, label: &Label) -> String {
    let file = report.db.get(label.span.file);
    let (line, _) = file.line_col(label.span.start as usize);
    format!("{}:{line}", file.rel_path)
}

fn result(
    report: &Report,
    uris: &Uris,
    rules: &[&'static RuleMeta],
    f: &Finding,
    fingerprint: &str,
) -> SarifResult {
    let index = rules.iter().position(|m| m.code == f.code);
    let meta = index.map(|i| rules[i]);
    let message = match &f.help {
        Some(help) => format!("{}.\nHelp: {help}", f.message.trim_end_matches('.')),
        None => f.message.clone(),
    };
    let mut props = BTreeMap::new();
    let facts = &f.facts;
    for (k, v) in [
        ("category", &facts.category),
        ("purpose", &facts.purpose),
        ("basis", &facts.basis),
        ("recipient", &facts.recipient),
    ] {
        if let Some(v) = v {
            props.insert(k.to_string(), json!(v));
        }
    }
    if let Some(m) = meta {
        let legal = match f.legal_reference {
            "" => m.legal_reference(report.regime),
            l => l,
        };
        props.insert("legalReference".to_string(), json!(legal));
    }
    let mut fps = BTreeMap::new();
    fps.insert(FINGERPRINT_KEY.to_string(), fingerprint.to_string());

    let mut r = SarifResult::builder()
        .rule_id(f.code)
        .level(match f.level {
            Level::Deny => ResultLevel::Error,
            Level::Warn => ResultLevel::Warning,
            Level::Allow => ResultLevel::None,
        })
        .message(text(&message))
        .locations(vec![location(report, uris, &f.primary, false)])
        .partial_fingerprints(fps)
        .build();
    if !props.is_empty() {
        r.properties = Some(PropertyBag::builder().additional_properties(props).build());
    }
    if !f.suggestions.is_empty() {
        r.fixes = Some(f.suggestions.iter().map(|s| fix(report, uris, s)).collect());
    }
    r.baseline_state = f.baseline.map(|b| {
        json!(match b {
            BaselineState::New => ResultBaselineState::New,
            BaselineState::Unchanged => ResultBaselineState::Unchanged,
        })
    });
    r.rule_index = index.map(|i| i as i64);
    // what is cut here is a notification ([`truncations`])
    if !f.secondary.is_empty() {
        let related: Vec<Location> = f
            .secondary
            .iter()
            .take(MAX_LOCATIONS)
            .zip(1..)
            .map(|(l, id)| {
                let mut loc = location(report, uris, l, true);
                loc.id = Some(id);
                loc
            })
            .collect();
        r.related_locations = Some(related);
    }
    if !f.flow.is_empty() {
        let code_flow = |path: &[Label]| {
            let steps: Vec<ThreadFlowLocation> = path
                .iter()
                .take(MAX_LOCATIONS)
                .map(|l| {
                    ThreadFlowLocation::builder()
                        .location(location(report, uris, l, true))
                        .build()
                })
                .collect();
            CodeFlow::builder()
                .thread_flows(vec![ThreadFlow::builder().locations(steps).build()])
                .build()
        };
        // one code flow per path: the first category's, then the others'
        let flows = std::iter::once(&f.flow)
            .chain(&f.more_flows)
            .filter(|p| !p.is_empty())
            .map(|p| code_flow(p))
            .collect();
        r.code_flows = Some(flows);
    }
    if let Some(s) = &f.suppression {
        let kind = match s.kind {
            SuppressionKind::InSource => "inSource",
            SuppressionKind::External => "external",
        };
        let mut sup = Suppression::builder()
            .kind(json!(kind))
            .status(json!("accepted"))
            .build();
        if !s.reason.is_empty() {
            sup.justification = Some(s.reason.clone());
        }
        if let Some(span) = s.span {
            sup.location = Some(location(report, uris, &Label::new(span, ""), false));
        }
        r.suppressions = Some(vec![sup]);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pretty_layout_is_serde_jsons() {
        // empty and nested arrays and objects, escapes, and a nesting deeper than one
        // write of indentation (40 levels: 80 spaces)
        let mut deep = json!({"leaf": [1, {"a": []}, {}], "s": "a\nb\"c"});
        for i in 0..40 {
            deep = if i % 2 == 0 {
                json!([deep, [], {}])
            } else {
                json!({"k": deep, "e": {}})
            };
        }
        assert_eq!(pretty(&deep), serde_json::to_string_pretty(&deep).unwrap());
        // at a depth: serde_json's lines, each after the first indented two more a level
        let v = json!({"a": [1, {"b": null}], "c": {}});
        let at3: String = serde_json::to_string_pretty(&v)
            .unwrap()
            .split('\n')
            .enumerate()
            .map(|(i, l)| {
                if i == 0 {
                    l.to_string()
                } else {
                    format!("      {l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(pretty_at(&v, 3), at3);
    }

    #[test]
    fn messages_end_with_a_period() {
        assert_eq!(text("a b").text.as_deref(), Some("a b."));
        assert_eq!(text("a b.").text.as_deref(), Some("a b."));
        assert_eq!(text("why?").text.as_deref(), Some("why?"));
    }

    fn file(root: &str, path: &str) -> SourceFile {
        SourceFile::at(
            std::path::Path::new(root),
            std::path::PathBuf::from(path),
            "".into(),
        )
    }

    #[test]
    fn uris_are_percent_encoded() {
        let a = artifact_location(&file("r", "r/src/a b%#?[1]é:x.rs"));
        assert_eq!(
            a.uri.as_deref(),
            Some("src/a%20b%25%23%3F%5B1%5D%C3%A9%3Ax.rs")
        );
        assert_eq!(a.uri_base_id.as_deref(), Some(SRCROOT));
        let a = artifact_location(&file("r", "r/src/lib.rs"));
        assert_eq!(a.uri.as_deref(), Some("src/lib.rs"));
    }

    #[test]
    fn a_file_outside_the_root_is_its_name_under_external() {
        let a = artifact_location(&file("/r", "/etc/pass wd"));
        assert_eq!(a.uri.as_deref(), Some("pass%20wd"));
        assert_eq!(a.uri_base_id.as_deref(), Some(EXTERNAL));
        let a = artifact_location(&file("r", "../elsewhere/dpia.toml"));
        assert_eq!(a.uri.as_deref(), Some("dpia.toml"));
        assert_eq!(a.uri_base_id.as_deref(), Some(EXTERNAL));
    }

    #[test]
    fn sections_are_found() {
        let d = "## What it does\nReports a\nthing.\n\n## Why it matters\nBecause.\n";
        assert_eq!(
            section(d, "What it does").as_deref(),
            Some("Reports a thing.")
        );
        assert_eq!(section(d, "Why it matters").as_deref(), Some("Because."));
        assert_eq!(section(d, "Example"), None);
    }
}
