//! `DPIA303` undeclared-personal-data-flow: untagged data that looks personal reaches a sink.

use dpia_lint_engine::looks::{self, Category};
use dpia_lint_engine::{Facts, Finding, RuleContext};

use crate::declare::finding;
use crate::discovery::undeclared_personal_data;
use crate::flow_util::with_flow;

/// Paths shown besides the first, one per other category (SARIF code flows).
const MORE_FLOWS: usize = 7;

crate::declare_rule! {
    /// ## What it does
    /// Reports data that looks like personal data but carries no tag when it reaches any sink: logs, storage, network, HTTP responses, email, files, exports, processes, `#[dpia::sink]` functions. Such data starts at fields of untagged types and untagged newtypes that look personal (the heuristics of DPIA201), at request extractors and parameters named like personal data, at fields and accessors of values the analysis has no type for (`row.email`, `user.email()`), and at values read by a key that names personal data (`row.get("email")`, `headers.get(USER_AGENT)`). The flow is followed like that of declared categories (fields, calls and their summaries, closures), and reported at the sink or the call that leads to it, with the path from the source; when several look-alike categories reach the sink, SARIF has one code flow per category.
    ///
    /// ## Why it matters
    /// Undeclared personal data leaving the system is the highest-risk kind of drift: nothing in the DPIA covers it.
    ///
    /// ## Example
    /// ```dpia-fail
    /// pub struct Subscriber { pub id: u64, pub email: String }
    /// fn welcome(s: &Subscriber) { println!("new subscriber {}", s.email) }
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// fn welcome(s: &Subscriber) { println!("new subscriber {}", s.id) }
    /// ```
    ///
    /// ## How to fix
    /// Tag the data (`personal_data`) so its flows are checked against the DPIA, or stop the flow.
    ///
    /// ## Precision
    /// Medium: it inherits DPIA201's heuristics (measured by `cargo run -p xtask -- eval-discovery`) and the flow analysis' approximations. Names are read as words: a parameter, field or key named like personal data may hold none (`email_sent: bool` is excluded by its type, a `String` is not).
    pub struct UndeclaredPersonalDataFlow;
    code: "DPIA303",
    summary: "untagged data that looks personal reaches a sink",
    legal_uk_gdpr: "UK GDPR Art 5(1)(a), (f), 30(1)(c), 32",
    legal_part3: "DPA 2018 s35(1), s40, s61(2)(f)",
    step: "Step 2: describe the processing (nature: what data)",
    precision: Medium,
    implemented: true,
    check: check,
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    // DPIA201's candidates, worked out at the first sink that needs them
    let reported = std::cell::OnceCell::new();
    for f in &cx.flows.fns {
        let item = cx.model.item(f.item);
        for s in &f.sinks {
            let kinds: Vec<(&str, &Vec<dpia_lint_engine::Label>)> = s
                .categories
                .iter()
                .filter_map(|(c, t)| Category::of(c).looks_like().map(|k| (k, t)))
                .collect();
            let Some((first, trace)) = kinds.first().copied() else {
                continue;
            };
            let phrases: Vec<String> = kinds.iter().map(|(k, _)| looks::kind_phrase(k)).collect();
            let names = match phrases.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                _ => phrases.join(""),
            };
            // why it looks personal: the words, owner or type DPIA201 saw at the source
            let why = trace.first().and_then(|l| {
                reported
                    .get_or_init(|| undeclared_personal_data::candidates(cx))
                    .iter()
                    .flat_map(|(_, cs)| cs)
                    .find(|c| c.span == l.span && c.looks.kind == first)
                    .map(|c| c.looks.reason())
            });
            let source = trace
                .first()
                .map(|l| cx.db.get(l.span.file).text[l.span.range()].to_string())
                .unwrap_or_default();
            let mut fd = finding(
                &META,
                s.span,
                format!("reaches {} here", s.what),
                format!(
                    "data that looks like {names} but carries no tag reaches {}",
                    s.what
                ),
            )
            .with_item(item.path.clone())
            .with_note(format!(
                "the DPIA does not know this data{}: no purpose, recipient or retention is checked for it",
                if source.is_empty() { String::new() } else { format!(" (`{source}`)") }
            ))
            .with_help("tag it (`#[dpia::personal_data(category = ...)]` on its type, see DPIA201) so that its flows are checked against the DPIA, or stop the flow; if it is not personal data, tag its type `#[dpia::personal_data(category = \"…\")]` with `#[dpia(not_personal)]` on the field, or put `#[dpia::allow(undeclared_personal_data_flow, reason = \"…\")]` on this function")
            .with_facts(Facts {
                category: Some(first.to_string()),
                recipient: Some(s.recipient.id().to_string()),
                ..Facts::default()
            });
            if let Some(w) = why {
                fd = fd.with_note(format!("why it looks personal: {w}"));
            }
            // hashed on the way: pseudonymised, still personal data
            let pseudonymised = kinds.iter().all(|(k, _)| {
                s.pseudonymised
                    .iter()
                    .any(|c| Category::of(c).looks_like() == Some(*k))
            });
            let fd = match pseudonymised {
                true => fd.with_note(
                    "the data is pseudonymised (hashed): still personal data, not anonymous",
                ),
                false => fd,
            };
            let mut fd = with_flow(fd, trace);
            // the other categories' paths, each from its own source (SARIF code flows)
            fd.more_flows = kinds
                .iter()
                .skip(1)
                .take(MORE_FLOWS)
                .filter(|(_, t)| t.first().map(|l| l.span) != trace.first().map(|l| l.span))
                .map(|(_, t)| t.to_vec())
                .collect();
            out.push(fd);
        }
    }
}
