//! The processing inventory (what `dpia.lock` keeps and `report` renders): the facts the code shows about the
//! processing, read from the model, the flows and the manifest. Per purpose: the categories
//! it processes, the recipients it reaches (with sink kind, region and the places in code),
//! the s62 operations it performs (declared and inferred as DPIA502 infers them),
//! sensitive categories and automated decisions; erasure coverage per category; s62 audit
//! coverage; the ICO screening items the code can answer. One typed structure in a
//! deterministic order: `dpia.lock` (DPIA601), `cargo dpia-lint report` and DPIA602 read it.
//!
//! No fact names a function, a module or a line: a refactor that keeps what the code does
//! keeps the facts. Places (file, line, item) are kept beside each fact, for findings and
//! the report only.

use std::collections::{BTreeMap, BTreeSet};

use dpia_annotations::{Operation, Tag, TagKind};
use serde::Serialize;

use crate::flow::{CatUse, Flows, FnFlow, Recipient};
use crate::manifest::{Manifest, RecipientKind};
use crate::model::{ItemId, Model};
use crate::source::{SourceDb, Span};

/// A place in code: where a fact comes from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Place {
    /// Relative to the lint root, `/`-separated.
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The item path (`crate::export::export_csv`).
    pub item: String,
    #[serde(skip)]
    pub span: Span,
}

/// One fact of the inventory, as `dpia.lock` keeps it (one `[[processing]]` entry). Exactly one of
/// `category` alone, `category` + `recipient`, `operation`, or `automated_decision` is set
/// besides `purpose`.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Fact {
    pub purpose: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub automated_decision: bool,
}

impl Fact {
    /// "purpose `p` sends `vrm` to `local-police-export`".
    pub fn describe(&self) -> String {
        let p = &self.purpose;
        let sens = if self.sensitive { "sensitive " } else { "" };
        match (&self.category, &self.recipient, &self.operation) {
            (Some(c), Some(r), _) => {
                format!("purpose `{p}` sends {sens}category `{c}` to recipient `{r}`")
            }
            (Some(c), None, _) => format!("purpose `{p}` processes {sens}category `{c}`"),
            (None, _, Some(o)) => format!("purpose `{p}` performs the operation `{o}`"),
            _ if self.automated_decision => {
                format!("purpose `{p}` takes automated decisions")
            }
            _ => format!("purpose `{p}`"),
        }
    }
}

/// A category processed under a purpose.
#[derive(Clone, Debug, Serialize)]
pub struct CategoryUse {
    pub category: String,
    pub sensitive: bool,
    pub places: Vec<Place>,
}

/// A recipient a purpose reaches.
#[derive(Clone, Debug, Serialize)]
pub struct RecipientUse {
    /// The declared id, or the built-in one (`log`, `storage`, …).
    pub recipient: String,
    /// The recipient's kind (declared, or the built-in sink kind).
    pub kind: String,
    pub region: Option<String>,
    /// Outside `[transfers] allowed-regions`.
    pub transfer: bool,
    /// Is it declared in the manifest and listed by the purpose?
    pub listed: bool,
    pub categories: Vec<String>,
    /// What the sinks are (`the log (`println!`)`), first few.
    pub sinks: Vec<String>,
    pub places: Vec<Place>,
}

/// An s62 operation a purpose performs.
#[derive(Clone, Debug, Serialize)]
pub struct OperationUse {
    pub operation: String,
    /// Declared in a `processing` tag's `operations`.
    pub declared: bool,
    /// Inferred from what the code does (a read is a consultation, …).
    pub inferred: bool,
    pub places: Vec<Place>,
}

/// Everything the code shows about one purpose.
#[derive(Clone, Debug, Serialize)]
pub struct PurposeInventory {
    pub purpose: String,
    /// Declared in the manifest (else DPIA101).
    pub declared: bool,
    pub description: Option<String>,
    pub basis: Option<String>,
    pub conditions: Vec<String>,
    pub appropriate_policy: Option<String>,
    pub human_review: Option<String>,
    /// The functions in which the purpose is in effect.
    pub functions: Vec<Place>,
    pub categories: Vec<CategoryUse>,
    pub recipients: Vec<RecipientUse>,
    pub operations: Vec<OperationUse>,
    /// `automated_decision = true` tags.
    pub automated_decisions: Vec<Place>,
}

/// An `erases` function.
#[derive(Clone, Debug, Serialize)]
pub struct Erasure {
    pub schedule: Option<String>,
    pub place: Place,
}

/// A category of the manifest (or of the code) with what covers it.
#[derive(Clone, Debug, Serialize)]
pub struct CategoryInventory {
    pub category: String,
    pub declared: bool,
    pub description: Option<String>,
    pub kind: Option<String>,
    pub sensitive: bool,
    pub subjects: Vec<String>,
    /// The manifest's maximum retention, as written.
    pub retention: Option<String>,
    /// Shorter retentions in `personal_data` tags, as written, with where.
    pub tag_retentions: Vec<(String, Place)>,
    /// The types tagged with it.
    pub types: Vec<Place>,
    /// The purposes the code processes it under.
    pub purposes: Vec<String>,
    pub erasure: Vec<Erasure>,
}

/// s62 audit coverage: of the functions that perform an operation, how many reach the log.
#[derive(Clone, Debug, Default, Serialize)]
pub struct AuditCoverage {
    /// Functions tagged `#[dpia::audit_log]`.
    pub audit_functions: Vec<Place>,
    /// Functions with a purpose in effect that perform an s62 operation.
    pub performing: usize,
    /// Of those, how many reach an audit-log function (or are only called from such).
    pub logged: usize,
    /// The others.
    pub unlogged: Vec<Place>,
}

/// The answer the code gives to one screening item (UK GDPR Art 35(3) and the ICO's Art 35(4) list).
#[derive(Clone, Debug, Serialize)]
pub struct ScreeningItem {
    /// The screening id (`biometric`, `tracking`, …).
    pub id: String,
    /// The question, in the ICO's words (shortened).
    pub question: String,
    /// What the code shows: `Some(true)` when it shows the item, `Some(false)` when the
    /// code can answer and does not show it, `None` when only the controller can answer.
    pub from_code: Option<bool>,
    /// Why, with the facts that show it.
    pub evidence: String,
    pub places: Vec<Place>,
    /// The controller's answer in `[screening]`, if any.
    pub answer: Option<bool>,
}

/// The processing inventory.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Inventory {
    pub title: Option<String>,
    pub reference: Option<String>,
    pub controller: Option<String>,
    /// `[dpia] version`.
    pub dpia_version: Option<String>,
    /// `[dpia] reviewed`.
    pub reviewed: Option<String>,
    pub regime: String,
    pub allowed_regions: Vec<String>,
    /// By purpose id.
    pub purposes: Vec<PurposeInventory>,
    /// In manifest order, then the undeclared ones the code uses by id.
    pub categories: Vec<CategoryInventory>,
    pub audit: AuditCoverage,
    pub screening: Vec<ScreeningItem>,
    /// The flat facts (sorted, unique), what `dpia.lock` records.
    pub facts: Vec<Fact>,
    /// Where each fact comes from, same order as `facts`.
    #[serde(skip)]
    pub fact_places: Vec<Vec<Place>>,
}

/// An s62 operation the code of a function shows (the operations DPA 2018 s62(1) logs): what DPIA502 and the
/// inventory share.
#[derive(Clone, Debug)]
pub struct InferredOp {
    pub op: Operation,
    pub span: Span,
    /// What the code does, e.g. "reads `vrm`".
    pub why: String,
}

/// The operations the code of `f` shows, first place of each: an `erases` function erases;
/// a read of declared personal data is a consultation; building a value of a tagged type is
/// a collection; personal data reaching a sink (not the audit log) is a disclosure;
/// personal data of two parameters used together is a combination.
pub fn inferred_operations(model: &Model, manifest: &Manifest, f: &FnFlow) -> Vec<InferredOp> {
    let declared = |c: &str| manifest.category(c).is_some();
    let mut ops = Vec::new();
    let item = model.item(f.item);
    if item.tag(TagKind::Erases).is_some() {
        // what an erasure routine reads, it reads to erase
        ops.push(InferredOp {
            op: Operation::Erase,
            span: item.name_span,
            why: "an `erases` function".into(),
        });
        return ops;
    }
    let uses: Vec<_> = f.uses.iter().filter(|u| declared(&u.category)).collect();
    // a value of a tagged type made here: the use's trace ends in "a `T` value" at the use
    let built = |u: &CatUse| {
        u.trace
            .iter()
            .skip(1)
            .find(|l| {
                l.span == u.span && l.message.starts_with("a `") && l.message.ends_with("` value")
            })
            .map(|l| l.message[2..l.message.len() - 6].to_string())
    };
    if let Some(u) = uses.iter().find(|u| built(u).is_none()) {
        ops.push(InferredOp {
            op: Operation::Consult,
            span: u.span,
            why: format!("reads `{}`", u.category),
        });
    }
    if let Some((u, ty)) = uses.iter().find_map(|u| built(u).map(|t| (u, t))) {
        ops.push(InferredOp {
            op: Operation::Collect,
            span: u.span,
            why: format!("builds {ty}"),
        });
    }
    if let Some(s) = f
        .sinks
        .iter()
        .find(|s| s.recipient != Recipient::Audit && s.categories.iter().any(|(c, _)| declared(c)))
    {
        ops.push(InferredOp {
            op: Operation::Disclose,
            span: s.span,
            why: format!("personal data reaches {}", s.what),
        });
    }
    // a field written on a value that carries personal data
    if let Some(a) = f
        .alters
        .iter()
        .find(|a| a.categories.iter().any(|c| declared(c)))
    {
        ops.push(InferredOp {
            op: Operation::Alter,
            span: a.span,
            why: a.what.clone(),
        });
    }
    // personal data of two or more sources joined into one value
    if let Some(c) = f
        .combines
        .iter()
        .find(|c| c.categories.iter().any(|c| declared(c)))
    {
        ops.push(InferredOp {
            op: Operation::Combine,
            span: c.span,
            why: c.what.clone(),
        });
    }
    ops
}

/// The functions whose operations are logged: every function that reaches an
/// `#[dpia::audit_log]` function through calls, and every function all of whose callers
/// are logged (the log is on the path). The audit-log functions are included.
pub fn audit_covered(model: &Model, flows: &Flows) -> BTreeSet<ItemId> {
    let audit: Vec<ItemId> = model
        .items()
        .filter(|(_, it)| it.tag(TagKind::AuditLog).is_some())
        .map(|(id, _)| id)
        .collect();
    let callers = callers(flows);
    let mut covered: BTreeSet<ItemId> = audit.iter().copied().collect();
    let mut queue: Vec<ItemId> = audit;
    while let Some(f) = queue.pop() {
        for c in callers.get(&f).into_iter().flatten() {
            if covered.insert(*c) {
                queue.push(*c);
            }
        }
    }
    loop {
        let more: Vec<ItemId> = callers
            .iter()
            .filter(|(f, cs)| !covered.contains(f) && cs.iter().all(|c| covered.contains(c)))
            .map(|(f, _)| *f)
            .collect();
        if more.is_empty() {
            break;
        }
        covered.extend(more);
    }
    covered
}

/// Callee → its callers (not itself).
pub fn callers(flows: &Flows) -> BTreeMap<ItemId, BTreeSet<ItemId>> {
    let mut callers: BTreeMap<ItemId, BTreeSet<ItemId>> = BTreeMap::new();
    for f in &flows.fns {
        for c in &f.calls {
            if c.callee != f.item {
                callers.entry(c.callee).or_default().insert(f.item);
            }
        }
    }
    callers
}

/// The screening items (UK GDPR Art 35(3) and the ICO's Art 35(4) list), in order: id and question.
pub const SCREENING: &[(&str, &str)] = &[
    ("systematic-evaluation", "systematic and extensive evaluation of people based on automated processing, including profiling, with legal or similarly significant effects"),
    ("large-scale-special", "large-scale processing of special category or criminal offence data"),
    ("public-monitoring", "systematic monitoring of a publicly accessible area on a large scale"),
    ("innovative-tech", "innovative technology"),
    ("denial-of-service", "decisions about access to a product, service, opportunity or benefit based on automated decision-making"),
    ("large-scale-profiling", "profiling of individuals on a large scale"),
    ("biometric", "biometric data"),
    ("genetic", "genetic data"),
    ("data-matching", "combining, comparing or matching data from multiple sources"),
    ("invisible-processing", "personal data not obtained from the data subject where giving privacy information would be impossible or involve disproportionate effort"),
    ("tracking", "tracking individuals' location or behaviour"),
    ("vulnerable-targeting", "targeting children or other vulnerable individuals"),
    ("physical-harm", "processing that could endanger physical health or safety in the event of a breach"),
];

/// Is `id` an ICO screening id?
pub fn is_screening_id(id: &str) -> bool {
    SCREENING.iter().any(|(s, _)| *s == id)
}

struct Builder<'a> {
    model: &'a Model,
    manifest: &'a Manifest,
    db: &'a SourceDb,
}

impl Builder<'_> {
    fn place(&self, span: Span, item: ItemId) -> Place {
        let file = self.db.get(span.file);
        let (line, column) = file.line_col(span.start as usize);
        Place {
            file: file.rel_path.clone(),
            line,
            column,
            item: self.model.item(item).path.clone(),
            span,
        }
    }

    fn sensitive(&self, category: &str) -> bool {
        self.manifest
            .category(category)
            .is_some_and(|c| self.manifest.is_sensitive(c))
    }

    /// The recipient id and kind a sink reaches under a purpose: a built-in kind or the
    /// audit log resolves to the purpose's declared recipient of that kind, if it lists one.
    fn resolve(&self, purpose: &str, r: &Recipient) -> (String, String) {
        let kind = match r {
            Recipient::Builtin(k) => RecipientKind::parse(k),
            Recipient::Audit => Some(RecipientKind::Audit),
            Recipient::User(_) => None,
        };
        if let (Some(kind), Some(p)) = (kind, self.manifest.purpose(purpose)) {
            if let Some(d) = p.recipients.iter().find_map(|l| {
                self.manifest
                    .recipient(&l.value)
                    .filter(|d| d.kind.value == kind)
            }) {
                return (d.id.value.clone(), kind.as_str().to_string());
            }
        }
        let id = r.id().to_string();
        let kind = match (kind, self.manifest.recipient(&id)) {
            (_, Some(d)) => d.kind.value.as_str().to_string(),
            (Some(k), None) => k.as_str().to_string(),
            (None, None) => "undeclared".to_string(),
        };
        (id, kind)
    }
}

#[derive(Default)]
struct PurposeAcc {
    functions: BTreeSet<Place>,
    categories: BTreeMap<String, BTreeSet<Place>>,
    /// (recipient, category) → places; recipient → (kind, sinks)
    /// (direct sinks, calls that lead to one)
    flows: BTreeMap<(String, String), (BTreeSet<Place>, BTreeSet<Place>)>,
    recipient_kind: BTreeMap<String, (String, BTreeSet<String>)>,
    /// operation → (declared, inferred, places)
    operations: BTreeMap<Operation, (bool, bool, BTreeSet<Place>)>,
    automated: BTreeSet<Place>,
}

/// Builds the inventory. `screening` is the manifest's `[screening]` answers.
pub fn build(model: &Model, flows: &Flows, manifest: &Manifest, db: &SourceDb) -> Inventory {
    let b = Builder {
        model,
        manifest,
        db,
    };
    let mut acc: BTreeMap<String, PurposeAcc> = BTreeMap::new();
    let covered = audit_covered(model, flows);
    let mut audit = AuditCoverage::default();
    for f in &flows.fns {
        let item = model.item(f.item);
        if item.in_test {
            continue;
        }
        let tag = model.processing_tag(f.item);
        let inferred = inferred_operations(model, manifest, f);
        // the log itself and a recipient's mechanics are no operation of a purpose
        let mechanics = item.tag(TagKind::AuditLog).is_some() || item.tag(TagKind::Sink).is_some();
        let mut performs = false;
        for pe in &f.purposes {
            let a = acc.entry(pe.purpose.clone()).or_default();
            let fn_place = b.place(item.name_span, f.item);
            a.functions.insert(fn_place.clone());
            for u in &f.uses {
                if manifest.category(&u.category).is_some() {
                    a.categories
                        .entry(u.category.clone())
                        .or_default()
                        .insert(b.place(u.span, f.item));
                }
            }
            for s in &f.sinks {
                let (rid, kind) = b.resolve(&pe.purpose, &s.recipient);
                let mut any = false;
                for (c, _) in &s.categories {
                    if manifest.category(c).is_none() {
                        continue;
                    }
                    any = true;
                    let e = a.flows.entry((rid.clone(), c.clone())).or_default();
                    let set = if s.via.is_none() { &mut e.0 } else { &mut e.1 };
                    set.insert(b.place(s.span, f.item));
                }
                if any {
                    let e = a
                        .recipient_kind
                        .entry(rid)
                        .or_insert((kind, BTreeSet::new()));
                    if s.via.is_none() {
                        e.1.insert(s.what.clone());
                    }
                }
            }
            if let Some(Tag::Processing(p)) = tag.map(|t| &t.tag) {
                for o in &p.operations {
                    let e = a.operations.entry(o.value).or_default();
                    e.0 = true;
                    e.2.insert(b.place(o.span, f.item));
                    performs = true;
                }
                if p.automated_decision.as_ref().is_some_and(|d| d.value) {
                    if let Some(t) = tag {
                        a.automated.insert(b.place(t.span, f.item));
                    }
                }
            }
            if !mechanics {
                for o in &inferred {
                    let e = a.operations.entry(o.op).or_default();
                    e.1 = true;
                    e.2.insert(b.place(o.span, f.item));
                    performs = true;
                }
            }
        }
        // a `#[dpia::sink]` function no tagged code calls: the data it takes reaches its
        // recipient under the purposes whose DPIA entry lists that recipient
        if let (Some(Tag::Sink(sk)), true) = (
            item.tag(TagKind::Sink).map(|t| &t.tag),
            f.purposes.is_empty(),
        ) {
            let rid = &sk.recipient.value;
            let kind = manifest
                .recipient(rid)
                .map(|d| d.kind.value.as_str().to_string())
                .unwrap_or_else(|| "undeclared".into());
            for p in manifest
                .purposes
                .iter()
                .filter(|p| p.recipients.iter().any(|r| r.value == *rid))
            {
                let a = acc.entry(p.id.value.clone()).or_default();
                let mut any = false;
                for u in &f.uses {
                    if manifest.category(&u.category).is_none() {
                        continue;
                    }
                    any = true;
                    let e = a
                        .flows
                        .entry((rid.clone(), u.category.clone()))
                        .or_default();
                    e.0.insert(b.place(item.name_span, f.item));
                }
                if any {
                    a.recipient_kind
                        .entry(rid.clone())
                        .or_insert((kind.clone(), BTreeSet::new()))
                        .1
                        .insert(format!("`{}` (`#[dpia::sink]`)", item.name));
                }
            }
        }
        if performs && !mechanics {
            audit.performing += 1;
            if covered.contains(&f.item) {
                audit.logged += 1;
            } else {
                audit.unlogged.push(b.place(item.name_span, f.item));
            }
        }
    }
    audit.audit_functions = model
        .items()
        .filter(|(_, it)| it.tag(TagKind::AuditLog).is_some() && !it.in_test)
        .map(|(id, it)| b.place(it.name_span, id))
        .collect();
    audit.unlogged.sort();

    let allowed: Vec<String> = manifest
        .transfers
        .as_ref()
        .map(|t| t.allowed_regions.iter().map(|r| r.value.clone()).collect())
        .unwrap_or_default();
    let mut facts: BTreeMap<Fact, Vec<Place>> = BTreeMap::new();
    let mut purposes = Vec::new();
    for (id, a) in acc {
        let mp = manifest.purpose(&id);
        let mut categories = Vec::new();
        for (c, places) in &a.categories {
            let sensitive = b.sensitive(c);
            facts
                .entry(Fact {
                    purpose: id.clone(),
                    category: Some(c.clone()),
                    sensitive,
                    ..Fact::default()
                })
                .or_default()
                .extend(places.iter().cloned());
            categories.push(CategoryUse {
                category: c.clone(),
                sensitive,
                places: places.iter().cloned().collect(),
            });
        }
        let mut recipients: BTreeMap<String, RecipientUse> = BTreeMap::new();
        for ((r, c), (direct, via)) in &a.flows {
            // the sink itself first, then the calls that lead to it
            let places: Vec<Place> = direct.iter().chain(via).cloned().collect();
            let sensitive = b.sensitive(c);
            facts
                .entry(Fact {
                    purpose: id.clone(),
                    category: Some(c.clone()),
                    recipient: Some(r.clone()),
                    sensitive,
                    ..Fact::default()
                })
                .or_default()
                .extend(places.iter().cloned());
            let (kind, sinks) = a.recipient_kind.get(r).cloned().unwrap_or_default();
            let region = manifest
                .recipient(r)
                .and_then(|d| d.region.as_ref().map(|x| x.value.clone()));
            let e = recipients.entry(r.clone()).or_insert_with(|| RecipientUse {
                recipient: r.clone(),
                transfer: region
                    .as_ref()
                    .is_some_and(|x| !allowed.is_empty() && !allowed.contains(x)),
                region,
                kind,
                listed: mp.is_some_and(|p| p.recipients.iter().any(|l| l.value == *r)),
                categories: Vec::new(),
                sinks: sinks.into_iter().take(4).collect(),
                places: Vec::new(),
            });
            e.categories.push(c.clone());
            e.places.extend(places.iter().cloned());
        }
        let recipients: Vec<RecipientUse> = recipients
            .into_values()
            .map(|mut r| {
                let mut seen = BTreeSet::new();
                r.places.retain(|p| seen.insert(p.clone()));
                r
            })
            .collect();
        let mut operations = Vec::new();
        for (op, (declared, inferred, places)) in &a.operations {
            facts
                .entry(Fact {
                    purpose: id.clone(),
                    operation: Some(op.as_str().to_string()),
                    ..Fact::default()
                })
                .or_default()
                .extend(places.iter().cloned());
            operations.push(OperationUse {
                operation: op.as_str().to_string(),
                declared: *declared,
                inferred: *inferred,
                places: places.iter().cloned().collect(),
            });
        }
        if !a.automated.is_empty() {
            facts
                .entry(Fact {
                    purpose: id.clone(),
                    automated_decision: true,
                    ..Fact::default()
                })
                .or_default()
                .extend(a.automated.iter().cloned());
        }
        let s = |v: &Option<crate::manifest::Sp<String>>| v.as_ref().map(|x| x.value.clone());
        purposes.push(PurposeInventory {
            purpose: id.clone(),
            declared: mp.is_some(),
            description: mp.and_then(|p| s(&p.description)),
            basis: mp.and_then(|p| s(&p.basis)),
            conditions: mp
                .map(|p| p.conditions.iter().map(|c| c.value.clone()).collect())
                .unwrap_or_default(),
            appropriate_policy: mp.and_then(|p| s(&p.appropriate_policy)),
            human_review: mp.and_then(|p| s(&p.human_review)),
            functions: a.functions.into_iter().collect(),
            categories,
            recipients,
            operations,
            automated_decisions: a.automated.into_iter().collect(),
        });
    }

    let categories = categories(&b, &purposes);
    let screening = screening(&b, &purposes, &categories);
    let (facts, fact_places): (Vec<Fact>, Vec<Vec<Place>>) = facts
        .into_iter()
        .map(|(f, mut p)| {
            let mut seen = BTreeSet::new();
            p.retain(|x| seen.insert(x.clone()));
            (f, p)
        })
        .unzip();
    let d = &manifest.dpia;
    let s = |v: &Option<crate::manifest::Sp<String>>| v.as_ref().map(|x| x.value.clone());
    Inventory {
        title: s(&d.title),
        reference: s(&d.reference),
        controller: s(&d.controller),
        dpia_version: s(&d.version),
        reviewed: s(&d.reviewed),
        regime: d.regime.value.as_str().to_string(),
        allowed_regions: allowed,
        purposes,
        categories,
        audit,
        screening,
        facts,
        fact_places,
    }
}

fn categories(b: &Builder<'_>, purposes: &[PurposeInventory]) -> Vec<CategoryInventory> {
    let mut out = Vec::new();
    let used_under = |c: &str| -> Vec<String> {
        purposes
            .iter()
            .filter(|p| p.categories.iter().any(|u| u.category == c))
            .map(|p| p.purpose.clone())
            .collect()
    };
    // one pass over the items: what tags each category, what erases it
    #[derive(Default)]
    struct Acc {
        types: Vec<Place>,
        tag_retentions: Vec<(String, Place)>,
        erasure: Vec<Erasure>,
    }
    let mut by_cat: BTreeMap<&str, Acc> = BTreeMap::new();
    for (iid, it) in b.model.items() {
        if it.in_test {
            continue;
        }
        for t in &it.tags {
            match &t.tag {
                Tag::PersonalData(pd) => {
                    if let Some(c) = &pd.category {
                        let a = by_cat.entry(c.value.as_str()).or_default();
                        a.types.push(b.place(it.name_span, iid));
                        if let Some(r) = &pd.retention {
                            a.tag_retentions
                                .push((r.value.text.clone(), b.place(r.span, iid)));
                        }
                    }
                }
                Tag::Erases(e) => {
                    for c in &e.categories {
                        by_cat
                            .entry(c.value.as_str())
                            .or_default()
                            .erasure
                            .push(Erasure {
                                schedule: e.schedule.as_ref().map(|s| s.value.clone()),
                                place: b.place(it.name_span, iid),
                            });
                    }
                }
                _ => {}
            }
        }
        for f in &it.fields {
            if let Some(crate::model::TagAt {
                tag: Tag::Field(dpia_annotations::FieldTag::Category(fc)),
                ..
            }) = &f.tag
            {
                by_cat
                    .entry(fc.value.as_str())
                    .or_default()
                    .types
                    .push(b.place(f.span, iid));
            }
        }
    }
    for c in &b.manifest.categories {
        let id = &c.id.value;
        let Acc {
            types,
            tag_retentions,
            erasure,
        } = by_cat.remove(id.as_str()).unwrap_or_default();
        out.push(CategoryInventory {
            category: id.clone(),
            declared: true,
            description: c.description.as_ref().map(|d| d.value.clone()),
            kind: c.kind.as_ref().map(|k| k.value.clone()),
            sensitive: b.manifest.is_sensitive(c),
            subjects: c.subjects.iter().map(|s| s.value.clone()).collect(),
            retention: c.retention.as_ref().map(|r| r.value.text.clone()),
            tag_retentions,
            types,
            purposes: used_under(id),
            erasure,
        });
    }
    out
}

fn screening(
    b: &Builder<'_>,
    purposes: &[PurposeInventory],
    categories: &[CategoryInventory],
) -> Vec<ScreeningItem> {
    let used: Vec<&CategoryInventory> = categories
        .iter()
        .filter(|c| !c.purposes.is_empty())
        .collect();
    let places_of = |c: &str| -> Vec<Place> {
        purposes
            .iter()
            .flat_map(|p| p.categories.iter().filter(|u| u.category == c))
            .flat_map(|u| u.places.first().cloned())
            .take(3)
            .collect()
    };
    let by_kind = |kinds: &[&str]| -> (Vec<String>, Vec<Place>) {
        let cats: Vec<String> = used
            .iter()
            .filter(|c| c.kind.as_deref().is_some_and(|k| kinds.contains(&k)))
            .map(|c| c.category.clone())
            .collect();
        let places = cats.iter().flat_map(|c| places_of(c)).take(3).collect();
        (cats, places)
    };
    let list = |v: &[String]| -> String {
        v.iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = Vec::new();
    let answer = |id: &str| -> Option<bool> {
        b.manifest
            .screening
            .iter()
            .find(|(k, _)| k.value == id)
            .map(|(_, v)| v.value)
    };
    for (id, question) in SCREENING {
        let (from_code, evidence, places): (Option<bool>, String, Vec<Place>) = match *id {
            "biometric" | "genetic" => {
                let (cats, places) = by_kind(&[id]);
                if cats.is_empty() {
                    (
                        Some(false),
                        format!("no category of kind `{id}` is processed"),
                        places,
                    )
                } else {
                    (
                        Some(true),
                        format!("processes {} (kind `{id}`)", list(&cats)),
                        places,
                    )
                }
            }
            "tracking" => {
                // location together with data about a person, under one purpose
                let hit = purposes.iter().find_map(|p| {
                    let loc: Vec<&CategoryUse> = p
                        .categories
                        .iter()
                        .filter(|u| {
                            b.manifest
                                .category(&u.category)
                                .and_then(|c| c.kind.as_ref())
                                .is_some_and(|k| k.value == "location")
                        })
                        .collect();
                    let other = p
                        .categories
                        .iter()
                        .find(|u| !loc.iter().any(|l| l.category == u.category));
                    match (loc.first().copied(), other) {
                        (Some(l), Some(o)) => Some((p, l, o)),
                        _ => None,
                    }
                });
                match hit {
                    Some((p, l, o)) => (
                        Some(true),
                        format!(
                            "purpose `{}` processes location (`{}`) together with `{}`",
                            p.purpose, l.category, o.category
                        ),
                        l.places.iter().take(3).cloned().collect(),
                    ),
                    None => (
                        Some(false),
                        "no purpose processes a category of kind `location` with other personal data".into(),
                        Vec::new(),
                    ),
                }
            }
            "data-matching" => {
                let hit = purposes.iter().find_map(|p| {
                    p.operations
                        .iter()
                        .find(|o| o.operation == "combine")
                        .map(|o| (p, o))
                });
                match hit {
                    Some((p, o)) => (
                        Some(true),
                        format!(
                            "purpose `{}` combines personal data (`combine`, {})",
                            p.purpose,
                            if o.declared { "declared" } else { "inferred" }
                        ),
                        o.places.iter().take(3).cloned().collect(),
                    ),
                    None => (
                        Some(false),
                        "no function combines personal data".into(),
                        Vec::new(),
                    ),
                }
            }
            "systematic-evaluation" | "denial-of-service" => {
                let ads: Vec<(&str, &Place)> = purposes
                    .iter()
                    .flat_map(|p| {
                        p.automated_decisions
                            .iter()
                            .map(move |a| (p.purpose.as_str(), a))
                    })
                    .collect();
                match ads.first() {
                    Some((p, _)) => (
                        Some(true),
                        format!(
                            "purpose `{p}` takes automated decisions (`automated_decision = true`)"
                        ),
                        ads.iter().take(3).map(|(_, a)| (*a).clone()).collect(),
                    ),
                    None => (
                        Some(false),
                        "no processing is tagged `automated_decision = true`".into(),
                        Vec::new(),
                    ),
                }
            }
            "vulnerable-targeting" => {
                let cats: Vec<String> = used
                    .iter()
                    .filter(|c| c.subjects.iter().any(|s| is_vulnerable(s)))
                    .map(|c| c.category.clone())
                    .collect();
                if cats.is_empty() {
                    (
                        Some(false),
                        "no processed category names children or vulnerable people among its `subjects`".into(),
                        Vec::new(),
                    )
                } else {
                    let places = cats.iter().flat_map(|c| places_of(c)).take(3).collect();
                    (
                        Some(true),
                        format!(
                            "the subjects of {} are children or vulnerable people",
                            list(&cats)
                        ),
                        places,
                    )
                }
            }
            "public-monitoring" => {
                let cats: Vec<String> = used
                    .iter()
                    .filter(|c| is_camera_input(c))
                    .map(|c| c.category.clone())
                    .collect();
                if cats.is_empty() {
                    (
                        Some(false),
                        "no processed category is camera, ANPR or face input".into(),
                        Vec::new(),
                    )
                } else {
                    let places = cats.iter().flat_map(|c| places_of(c)).take(3).collect();
                    (
                        Some(true),
                        format!("processes camera input: {} (whether the area is public and the scale large is for the controller)", list(&cats)),
                        places,
                    )
                }
            }
            "large-scale-special" => {
                let cats: Vec<String> = used
                    .iter()
                    .filter(|c| {
                        c.sensitive
                            || (c.kind.as_deref() == Some("criminal-offence")
                                && b.manifest.dpia.regime.value.as_str() == "uk-gdpr")
                    })
                    .map(|c| c.category.clone())
                    .collect();
                let evidence = if cats.is_empty() {
                    "no special category or criminal offence data is processed; the scale is for the controller".to_string()
                } else {
                    format!(
                        "processes {}; whether it is large-scale is for the controller",
                        list(&cats)
                    )
                };
                let places = cats.iter().flat_map(|c| places_of(c)).take(3).collect();
                // special category data is necessary, not sufficient: only "no" is certain
                (cats.is_empty().then_some(false), evidence, places)
            }
            _ => (None, "only the controller can answer".into(), Vec::new()),
        };
        let mut seen = BTreeSet::new();
        let places = places
            .into_iter()
            .filter(|p| seen.insert(p.clone()))
            .collect();
        out.push(ScreeningItem {
            id: id.to_string(),
            question: question.to_string(),
            from_code,
            evidence,
            places,
            answer: answer(id),
        });
    }
    out
}

fn is_vulnerable(subject: &str) -> bool {
    let s = subject.to_ascii_lowercase();
    s.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
        matches!(
            w,
            "child"
                | "children"
                | "minor"
                | "minors"
                | "pupil"
                | "pupils"
                | "vulnerable"
                | "juvenile"
                | "juveniles"
                | "infant"
                | "infants"
        )
    })
}

fn is_camera_input(c: &CategoryInventory) -> bool {
    if matches!(c.kind.as_deref(), Some("vehicle-registration")) {
        return true;
    }
    let text = format!(
        "{} {}",
        c.category,
        c.description.as_deref().unwrap_or_default()
    )
    .to_ascii_lowercase();
    text.split(|ch: char| !ch.is_ascii_alphanumeric()).any(|w| {
        matches!(
            w,
            "camera" | "cameras" | "cctv" | "anpr" | "face" | "faces" | "facial"
        )
    })
}

impl Inventory {
    /// The places of a fact (empty when the fact is not in the inventory).
    pub fn places(&self, fact: &Fact) -> &[Place] {
        match self.facts.binary_search(fact) {
            Ok(i) => &self.fact_places[i],
            Err(_) => &[],
        }
    }
}
