//! Personal-data flow analysis.
//!
//! - [`lower`] turns each function body into a small IR ([`ir`]) on the parse worker.
//! - [`index`] resolves paths, types, methods and the categories each type carries.
//! - [`eval`] interprets one body against the summaries of its callees.
//! - [`analyse`] runs the bodies to a fixpoint (each round in parallel, reading the previous
//!   round's summaries, so the result does not depend on the thread count), then derives
//!   the purposes in effect in every function and hands [`Flows`] to the rules.

pub mod eval;
pub mod index;
pub mod ir;
pub mod lower;

use std::collections::{BTreeMap, VecDeque};

use rustc_hash::FxHashMap as HashMap;

use dpia_annotations::{Tag, TagKind};

use crate::diag::Label;
use crate::manifest::Manifest;
use crate::model::{ItemId, ItemKind, Model};
use crate::source::Span;

/// Rounds of the summary fixpoint before giving up (recursion converges well before).
const MAX_ROUNDS: usize = 32;

/// Where personal data goes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Recipient {
    /// A built-in sink kind: `log`, `storage`, `network`, `http-response`, `file`,
    /// `export`, `process`.
    Builtin(&'static str),
    /// A `#[dpia::sink(recipient = "...")]` function's recipient.
    User(String),
    /// An `#[dpia::audit_log]` function: the purpose's recipient of kind `audit`.
    Audit,
}

impl Recipient {
    pub fn id(&self) -> &str {
        match self {
            Recipient::Builtin(k) => k,
            Recipient::User(id) => id,
            Recipient::Audit => "audit",
        }
    }
}

/// The first place a function handles a category.
#[derive(Clone, Debug)]
pub struct CatUse {
    pub category: String,
    pub span: Span,
    /// From the declaring tag to this use.
    pub trace: Vec<Label>,
}

/// Personal data reaching a sink, directly or through a call.
#[derive(Clone, Debug)]
pub struct SinkFlow {
    pub recipient: Recipient,
    /// The sink expression, or the call that leads to it.
    pub span: Span,
    /// `the log (`tracing::info!`)`.
    pub what: String,
    /// Each category with its path from the declaring tag to the sink.
    pub categories: Vec<(String, Vec<Label>)>,
    /// The function called at `span` when the sink is further down.
    pub via: Option<ItemId>,
    /// The categories of `categories` that reach the sink only pseudonymised (hashed):
    /// still personal data; DPIA302 reports them at `warn`.
    pub pseudonymised: Vec<String>,
    /// For the `#[instrument]` span: the argument it records (the fix adds it to `skip`).
    pub instrument_arg: Option<String>,
}

#[derive(Clone, Debug)]
pub struct CallSite {
    pub callee: ItemId,
    pub span: Span,
    /// Categories passed in the arguments.
    pub arg_cats: std::collections::BTreeSet<String>,
}

/// Where a function alters or combines personal data (s62 operations inferred from the
/// code): the write or the expression that joins, the categories, and what it does.
#[derive(Clone, Debug)]
pub struct OpAt {
    pub span: Span,
    pub categories: Vec<String>,
    pub what: String,
}

/// How a purpose comes to be in effect in a function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Its own `processing` tag (or its impl's): the tag's span.
    Tag(Span),
    /// The manifest's `modules = [...]` of the purpose.
    Module,
    /// Inherited from a tagged function through calls: the tagged function and the first
    /// call on the way.
    Caller { root: ItemId, call: Span },
}

#[derive(Clone, Debug)]
pub struct PurposeInEffect {
    pub purpose: String,
    pub origin: Origin,
}

/// What the analysis found in one function.
#[derive(Clone, Debug, Default)]
pub struct FnFlow {
    pub item: ItemId,
    /// In an `impl Trait for T` block or a trait's default method.
    pub trait_method: bool,
    pub uses: Vec<CatUse>,
    pub sinks: Vec<SinkFlow>,
    pub calls: Vec<CallSite>,
    /// Field writes on a value that carries personal data (alteration), first few.
    pub alters: Vec<OpAt>,
    /// Values built from personal data of two or more sources (combination), first few.
    pub combines: Vec<OpAt>,
    pub purposes: Vec<PurposeInEffect>,
    /// Called (through untagged functions) from an `erases`, `audit_log` or `sink`
    /// function: part of the controller's duties or a recipient's mechanics.
    pub serves_duty: bool,
}

/// A function parameter that looks like personal data ([`crate::looks::param`]), with what
/// the index resolved its type to.
#[derive(Clone, Debug)]
pub struct LooksParam {
    /// The parameter (`field: None`, `param: Some(index)`; the item is the function).
    pub candidate: crate::looks::Candidate,
    /// Only its type's name says it looks personal, not the parameter's name.
    pub by_type: bool,
    /// Its type names a workspace type with a `personal_data` tag or a field tag.
    pub tagged_type: bool,
    /// Its type names a workspace type that carries personal data: a declared category or
    /// a field that looks personal, its own or a nested type's.
    pub personal_type: bool,
}

/// The result of the flow analysis, for the rules.
#[derive(Debug, Default)]
pub struct Flows {
    /// One per analysed function, in model order.
    pub fns: Vec<FnFlow>,
    by_item: HashMap<ItemId, usize>,
    /// Rounds the fixpoint took.
    pub rounds: usize,
    /// Untagged fields and newtypes that look like personal data, by type, in model order:
    /// where looks-like data starts (DPIA303); DPIA201 reports them.
    pub looks_personal: Vec<(ItemId, Vec<crate::looks::Candidate>)>,
    /// Function parameters that look like personal data, by function, in model order;
    /// DPIA201 chooses the ones it reports.
    pub looks_params: Vec<(ItemId, Vec<LooksParam>)>,
    /// Functions whose evaluation panicked (caught; reported as DPIA001 on their file).
    pub internal_errors: Vec<(ItemId, String)>,
}

impl Flows {
    pub fn of(&self, item: ItemId) -> Option<&FnFlow> {
        self.by_item.get(&item).map(|&i| &self.fns[i])
    }

    /// Every function reachable from `from` through calls (not `from` itself, unless it
    /// calls itself).
    pub fn reachable(&self, from: ItemId) -> Vec<ItemId> {
        let mut seen = std::collections::HashSet::new();
        let mut queue = VecDeque::from([from]);
        let mut out = Vec::new();
        while let Some(f) = queue.pop_front() {
            let Some(ff) = self.of(f) else { continue };
            for c in &ff.calls {
                if seen.insert(c.callee) {
                    out.push(c.callee);
                    queue.push_back(c.callee);
                }
            }
        }
        out
    }
}

/// Runs the analysis.
pub fn analyse(model: &Model, flow: &ir::FileFlow, manifest: &Manifest) -> Flows {
    use rayon::prelude::*;

    let mut ix = index::Index::new(model, flow);
    let pack = crate::models::Pack::new(
        &manifest.models,
        manifest
            .categories
            .iter()
            .map(|c| c.id.value.clone())
            .collect(),
    );
    let bodies = &flow.bodies;
    let body_of: HashMap<ItemId, usize> = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| (b.item, i))
        .collect();
    let mut summaries = vec![eval::Summary::default(); bodies.len()];
    // round 1 evaluates every body; later rounds only the callers of a function whose
    // summary changed (the callees of a body do not depend on summaries)
    let mut results: Vec<Option<FnFlow>> = vec![None; bodies.len()];
    let mut dirty: Vec<usize> = (0..bodies.len()).collect();
    let mut callers: Vec<Vec<usize>> = Vec::new();
    let mut rounds = 0;
    let panics = std::sync::Mutex::new(Vec::new());
    while !dirty.is_empty() {
        rounds += 1;
        let fresh: Vec<(usize, (eval::Summary, FnFlow))> = dirty
            .par_iter()
            .map(|&i| {
                let body = &bodies[i];
                let run = crate::panics::catch(|| {
                    eval::Eval::run(&ix, &pack, bodies, &summaries, &body_of, body)
                });
                (
                    i,
                    run.unwrap_or_else(|panic| {
                        panics
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .push((body.item, panic));
                        let flow = FnFlow {
                            item: body.item,
                            trait_method: body.trait_method,
                            ..FnFlow::default()
                        };
                        (eval::Summary::default(), flow)
                    }),
                )
            })
            .collect();
        if rounds == 1 {
            callers = vec![Vec::new(); bodies.len()];
            for (i, (_, f)) in &fresh {
                for c in &f.calls {
                    if let Some(&j) = body_of.get(&c.callee) {
                        if callers[j].last() != Some(i) {
                            callers[j].push(*i);
                        }
                    }
                }
            }
        }
        let mut next = Vec::new();
        for (i, (summary, f)) in fresh {
            if !summary.same(&summaries[i]) {
                next.extend(callers[i].iter().copied());
            }
            summaries[i] = summary;
            results[i] = Some(f);
        }
        next.sort_unstable();
        next.dedup();
        dirty = if rounds >= MAX_ROUNDS {
            Vec::new()
        } else {
            next
        };
    }
    // every body's last evaluation saw the final summaries of its callees: a body is
    // evaluated again whenever one of them changes
    let mut fns: Vec<FnFlow> = results.into_iter().flatten().collect();
    fns.sort_by_key(|f| f.item);
    let by_item = fns.iter().enumerate().map(|(i, f)| (f.item, i)).collect();
    let mut flows = Flows {
        fns,
        by_item,
        rounds,
        looks_params: ix.looks_params(),
        looks_personal: std::mem::take(&mut ix.looks_personal),
        internal_errors: {
            let mut p = panics.into_inner().unwrap_or_else(|p| p.into_inner());
            p.sort_by_key(|(item, _)| *item);
            p.dedup_by_key(|(item, _)| *item);
            p
        },
    };
    purposes(model, manifest, &mut flows);
    flows
}

/// The purposes in effect in every function: its own tag, else its impl's, else the
/// manifest's `modules`, else those of every tagged caller (through untagged calls).
fn purposes(model: &Model, manifest: &Manifest, flows: &mut Flows) {
    let own: Vec<Vec<PurposeInEffect>> = flows
        .fns
        .iter()
        .map(|f| {
            if let Some(t) = model.processing_tag(f.item) {
                if let Tag::Processing(p) = &t.tag {
                    return vec![PurposeInEffect {
                        purpose: p.purpose.value.clone(),
                        origin: Origin::Tag(t.span),
                    }];
                }
            }
            let path = &model.item(f.item).path;
            manifest
                .purposes
                .iter()
                .filter(|p| {
                    p.modules.iter().any(|m| {
                        let m = m.value.trim_end_matches("::*");
                        path.starts_with(&format!("{m}::"))
                    })
                })
                .map(|p| PurposeInEffect {
                    purpose: p.id.value.clone(),
                    origin: Origin::Module,
                })
                .collect()
        })
        .collect();
    let mut inherited: Vec<BTreeMap<String, Origin>> = vec![BTreeMap::new(); flows.fns.len()];
    for (i, f) in flows.fns.iter().enumerate() {
        if own[i].is_empty() {
            continue;
        }
        // breadth-first through untagged callees
        let mut queue = VecDeque::new();
        for c in &f.calls {
            queue.push_back((c.callee, c.span));
        }
        let mut seen = std::collections::HashSet::new();
        while let Some((callee, first_call)) = queue.pop_front() {
            if !seen.insert(callee) {
                continue;
            }
            let Some(&j) = flows.by_item.get(&callee) else {
                continue;
            };
            if !own[j].is_empty() || is_duty(model, callee) {
                continue;
            }
            for p in &own[i] {
                inherited[j]
                    .entry(p.purpose.clone())
                    .or_insert(Origin::Caller {
                        root: f.item,
                        call: first_call,
                    });
            }
            for c in &flows.fns[j].calls {
                queue.push_back((c.callee, first_call));
            }
        }
    }
    let mut duty = vec![false; flows.fns.len()];
    let mut queue: VecDeque<ItemId> = flows
        .fns
        .iter()
        .filter(|f| is_duty(model, f.item))
        .map(|f| f.item)
        .collect();
    while let Some(id) = queue.pop_front() {
        let Some(&i) = flows.by_item.get(&id) else {
            continue;
        };
        for c in &flows.fns[i].calls {
            if let Some(&j) = flows.by_item.get(&c.callee) {
                if !duty[j] && own[j].is_empty() {
                    duty[j] = true;
                    queue.push_back(c.callee);
                }
            }
        }
    }
    for (i, f) in flows.fns.iter_mut().enumerate() {
        f.serves_duty = duty[i] || is_duty(model, f.item);
        f.purposes = if own[i].is_empty() {
            std::mem::take(&mut inherited[i])
                .into_iter()
                .map(|(purpose, origin)| PurposeInEffect { purpose, origin })
                .collect()
        } else {
            own[i].clone()
        };
    }
}

/// `erases`, `audit_log` and `sink` functions serve the controller's duties or are a
/// recipient's mechanics: no purpose flows into them.
pub fn is_duty(model: &Model, id: ItemId) -> bool {
    let it = model.item(id);
    it.tag(TagKind::Erases).is_some()
        || it.tag(TagKind::AuditLog).is_some()
        || it.tag(TagKind::Sink).is_some()
}

/// Is the method in an `impl Trait for T` block (or a trait's default method)?
pub fn is_trait_method(model: &Model, flow: &ir::FileFlow, id: ItemId) -> bool {
    let it = model.item(id);
    if it.kind != ItemKind::Method {
        return false;
    }
    match it.parent {
        Some(p) if model.item(p).kind == ItemKind::Trait => true,
        Some(p) => flow
            .impl_scopes
            .iter()
            .any(|(i, _, tr)| *i == p && !tr.is_empty()),
        None => false,
    }
}

#[cfg(test)]
mod core_tests;
