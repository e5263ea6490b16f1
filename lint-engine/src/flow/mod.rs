//! Personal-data flow analysis.
//!
//! - [`lower`] turns each function body into a small IR ([`ir`]) on the parse worker.
//! - [`index`] resolves paths, types, methods and the categories each type carries.
//! - [`eval`] interprets one body against the summaries of its callees.
//! - [`analyse`] runs the bodies to a fixpoint (once all, in the order of a call graph
//!   guessed from the IR, to find the real one, then bottom-up along it; each level in
//!   parallel, so the result does not depend on the thread count), then derives
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

/// Passes over one level of the call graph (a cycle of calls) before giving up; recursion
/// converges well before.
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
    /// Personal data built into a field of an untagged type (type, field index), with
    /// its path; first per field and category. The analysis only: emptied before rules.
    pub stores: Vec<((ItemId, u32), String, eval::Trace)>,
    /// The fields of untagged types the body reads, sorted. The analysis only.
    pub reads: Vec<(ItemId, u32)>,
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
    /// Rounds the fixpoint took: the first round, plus the most passes one level needed.
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

    let bodies = &flow.bodies;
    // the index is built on one thread: the model pack and the body table beside it
    let (mut ix, (pack, body_of)) = rayon::join(
        || index::Index::new(model, flow),
        || {
            let pack = crate::models::Pack::new(
                &manifest.models,
                manifest
                    .categories
                    .iter()
                    .map(|c| c.id.value.clone())
                    .collect(),
            );
            let body_of: HashMap<ItemId, usize> = bodies
                .iter()
                .enumerate()
                .map(|(i, b)| (b.item, i))
                .collect();
            (pack, body_of)
        },
    );
    let first = FirstLook::new(&ix, bodies, &body_of);
    ix.routed = first.routed;
    let guessed = first.callees;
    let panics = std::sync::Mutex::new(Vec::new());
    let eval_all = |batch: &[usize],
                    summaries: &[eval::Summary],
                    stores: &eval::FieldStores|
     -> Vec<(eval::Summary, FnFlow)> {
        batch
            .par_iter()
            .map(|&i| {
                let body = &bodies[i];
                let run = crate::panics::catch(|| {
                    eval::Eval::run(&ix, &pack, summaries, &body_of, stores, i)
                });
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
                })
            })
            .collect()
    };
    // Round 1 evaluates every body once, in the order of a call graph guessed from the IR
    // alone (callees first, each level in parallel): most bodies then see their callees'
    // final summaries already. It finds the real call graph (the callees of a body do not
    // depend on summaries). Then the bodies are evaluated again bottom-up, level by level
    // of the real graph's strongly connected components (callees first), each level in
    // parallel: a body is evaluated again when a callee's summary changed in or after the
    // batch of its last evaluation — any change, paths included, for a callee below it
    // (so its last evaluation saw exactly the final summaries below it, whatever the
    // order of round 1), a change of facts for a callee in its own cycle (first path
    // wins: paths that grow around a cycle would never settle). The order depends only on
    // the call graph, never on the thread count.
    //
    // Then the fields of untagged types: what the bodies stored into them
    // (`Notification { row_2: ip, .. }`) is carried by every read of that field, where the
    // value arrived through a channel, a queue or a trait object as much as through a
    // call. The bodies that read a field with new stores are evaluated again, with their
    // callers, bottom-up as above; up to `MAX_STORE_SWEEPS` times while stores grow.
    let fixpoint = || {
        let n = bodies.len();
        let mut summaries = vec![eval::Summary::default(); n];
        let mut results: Vec<FnFlow> = vec![FnFlow::default(); n];
        let mut batches = Batches::new(n);
        let mut stores = Stores::default();
        for level in levels(&guessed) {
            let fresh = eval_all(&level, &summaries, &stores.map);
            batches.record(&level, fresh, &mut summaries, &mut results);
            stores.grow(&level, &results, batches.last);
        }
        let callees: Vec<Vec<usize>> = results
            .iter()
            .map(|f| {
                let mut c: Vec<usize> = f
                    .calls
                    .iter()
                    .filter_map(|c| body_of.get(&c.callee).copied())
                    .collect();
                c.sort_unstable();
                c.dedup();
                c
            })
            .collect();
        let mut rounds = 1;
        let mut level_of = vec![0usize; n];
        let levels = levels(&callees);
        for (l, level) in levels.iter().enumerate() {
            for &i in level {
                level_of[i] = l;
            }
        }
        let stale = |i: usize, b: &Batches| {
            callees[i].iter().any(|&c| {
                let when = if level_of[c] == level_of[i] {
                    b.facts_changed[c]
                } else {
                    b.changed[c]
                };
                when >= b.evaluated[i]
            })
        };
        // a body is evaluated again when a callee's summary changed since, or a field it
        // reads gained stores since
        let dirty_in = |level: &[usize], b: &Batches, st: &Stores, results: &[FnFlow]| {
            level
                .iter()
                .copied()
                .filter(|&i| stale(i, b) || st.grew_for(&results[i], b.evaluated[i]))
                .collect::<Vec<usize>>()
        };
        // bottom-up sweeps; the first is the fixpoint of the real call graph, the others
        // take stores found late (a reader below its writer) to their readers
        for _ in 0..=MAX_STORE_SWEEPS {
            let mut any = false;
            for level in &levels {
                let mut dirty = dirty_in(level, &batches, &stores, &results);
                let mut passes = 0;
                while !dirty.is_empty() && passes < MAX_ROUNDS {
                    any = true;
                    passes += 1;
                    let fresh = eval_all(&dirty, &summaries, &stores.map);
                    batches.record(&dirty, fresh, &mut summaries, &mut results);
                    stores.grow(&dirty, &results, batches.last);
                    // only a callee in the same cycle can have changed since, or a store
                    // made in this level
                    dirty = dirty_in(level, &batches, &stores, &results);
                }
                rounds = rounds.max(passes + 1);
            }
            if !any {
                break;
            }
        }
        for f in &mut results {
            f.stores = Vec::new();
            f.reads = Vec::new();
        }
        (results, rounds)
    };
    // the parameter heuristics (DPIA201) need only the index: they run beside the fixpoint,
    // whose upper levels hold few bodies and leave threads idle
    let ((results, rounds), looks_params) = rayon::join(fixpoint, || ix.looks_params());
    // every body's last evaluation saw the final summaries of its callees: a body is
    // evaluated again whenever one of them changes
    let mut fns: Vec<FnFlow> = results;
    fns.sort_by_key(|f| f.item);
    let by_item = fns.iter().enumerate().map(|(i, f)| (f.item, i)).collect();
    let mut flows = Flows {
        fns,
        by_item,
        rounds,
        looks_params,
        looks_personal: std::mem::take(&mut ix.looks_personal),
        internal_errors: {
            let mut p = panics.into_inner().unwrap_or_else(|p| p.into_inner());
            p.sort_by_key(|(item, _)| *item);
            p.dedup_by_key(|(item, _)| *item);
            p
        },
    };
    // the index is many small tables: free it beside the purposes
    rayon::join(move || drop(ix), || purposes(model, manifest, &mut flows));
    flows
}

/// Bottom-up sweeps after the first for stores found late ([`analyse`]): a store made
/// below its reader reaches it in the same sweep; one made above it, in the next.
const MAX_STORE_SWEEPS: usize = 2;

/// What the bodies stored into fields of untagged types so far ([`eval::FieldStores`]),
/// and the batch in which each field last gained a category.
#[derive(Default)]
struct Stores {
    map: eval::FieldStores,
    grown: rustc_hash::FxHashMap<(ItemId, u32), u32>,
}

impl Stores {
    /// Adds the stores of the bodies of a batch (numbered `when`), first path per field
    /// and category, in batch order: deterministic.
    fn grow(&mut self, batch: &[usize], results: &[FnFlow], when: u32) {
        for &i in batch {
            for (key, cat, trace) in &results[i].stores {
                let cats = self.map.entry(*key).or_default();
                if !cats.contains_key(cat) {
                    cats.insert(cat.clone(), trace.clone());
                    self.grown.insert(*key, when);
                }
            }
        }
    }

    /// Did a field the body reads gain a category in or after batch `evaluated` (when the
    /// body was last evaluated, so that it did not see it)?
    fn grew_for(&self, f: &FnFlow, evaluated: u32) -> bool {
        !self.grown.is_empty()
            && f.reads
                .iter()
                .any(|k| self.grown.get(k).is_some_and(|&g| g >= evaluated))
    }
}

/// When each body was evaluated and its summary changed, by batch (one parallel
/// evaluation of some bodies; numbered from 1, 0 is never).
struct Batches {
    last: u32,
    /// The batch of each body's last evaluation.
    evaluated: Vec<u32>,
    /// The last batch that changed each body's summary at all, paths included.
    changed: Vec<u32>,
    /// The last batch that changed each body's summary's facts.
    facts_changed: Vec<u32>,
}

impl Batches {
    fn new(n: usize) -> Batches {
        Batches {
            last: 0,
            evaluated: vec![0; n],
            changed: vec![0; n],
            facts_changed: vec![0; n],
        }
    }

    /// Records one batch: the fresh summary and flow of each body in `batch`.
    fn record(
        &mut self,
        batch: &[usize],
        fresh: Vec<(eval::Summary, FnFlow)>,
        summaries: &mut [eval::Summary],
        results: &mut [FnFlow],
    ) {
        self.last += 1;
        for (&i, (summary, f)) in batch.iter().zip(fresh) {
            self.evaluated[i] = self.last;
            if !summary.same(&summaries[i]) {
                self.facts_changed[i] = self.last;
                self.changed[i] = self.last;
            } else if !summary.identical(&summaries[i]) {
                self.changed[i] = self.last;
            }
            summaries[i] = summary;
            results[i] = f;
        }
    }
}

/// What one walk over every body's calls finds before the first evaluation (one walk for
/// both: each walk over the whole IR cost a few percent of the flow phase).
struct FirstLook {
    /// [`FirstLook::guess`]: each body's guessed callees.
    callees: Vec<Vec<usize>>,
    /// [`FirstLook::routes`]: the functions a router registers as web handlers.
    routed: rustc_hash::FxHashSet<ItemId>,
}

impl FirstLook {
    fn new(ix: &index::Index, bodies: &[ir::Body], body_of: &HashMap<ItemId, usize>) -> Self {
        use rayon::prelude::*;

        let found: Vec<(Vec<usize>, Vec<ItemId>)> = bodies
            .par_iter()
            .map(|b| {
                let krate = ix.krate(b.item);
                let mut callees = Vec::new();
                let mut routed = Vec::new();
                ir::each_call(&b.block, &mut |call| {
                    Self::guess(ix, b, krate, &call, body_of, &mut callees);
                    Self::routes(ix, b, &call, &mut routed);
                });
                callees.sort_unstable();
                callees.dedup();
                (callees, routed)
            })
            .collect();
        let mut look = FirstLook {
            callees: Vec::with_capacity(found.len()),
            routed: Default::default(),
        };
        for (callees, routed) in found {
            look.callees.push(callees);
            look.routed.extend(routed);
        }
        look
    }

    /// A guess at the call graph from the IR alone, to order the first round: the
    /// functions a call path resolves to, and for a method call the crate's methods of that
    /// name when there are few (the receiver's type is known only once the body is
    /// evaluated). A wrong guess costs an evaluation more, never a result: the real graph
    /// orders the rest.
    fn guess(
        ix: &index::Index,
        b: &ir::Body,
        krate: u32,
        call: &ir::CallRef<'_>,
        body_of: &HashMap<ItemId, usize>,
        out: &mut Vec<usize>,
    ) {
        /// More methods of one name than this: too common a name (`new`, `get`) to guess by.
        const MAX_BY_NAME: usize = 3;
        let resolved;
        let found: &[ItemId] = match call {
            ir::CallRef::Path(segs, _) => {
                resolved = ix.resolve_fn(b.scope, segs, b.self_ty.as_ref());
                &resolved
            }
            ir::CallRef::Method(name, _) => {
                let ms = ix.methods_named(krate, name);
                if ms.len() <= MAX_BY_NAME {
                    ms
                } else {
                    &[]
                }
            }
        };
        out.extend(found.iter().filter_map(|id| body_of.get(id).copied()));
    }

    /// Functions a router registers as web handlers, passed by path to a routing function
    /// or method: axum's `get(list)`, `.route("/", post(create).delete(remove))`,
    /// `on(filter, h)`, `.fallback(h)`; actix's `web::get().to(index)`, `web::to(h)`;
    /// tide's `.at("/").get(h)`. Their return value is an HTTP response, as a `#[get]`
    /// function's is. The path must resolve through the module's scope (no guess by name)
    /// and not be the body's parameter.
    fn routes(ix: &index::Index, b: &ir::Body, call: &ir::CallRef<'_>, out: &mut Vec<ItemId>) {
        /// Routing functions and methods that take a handler (and its argument's index).
        fn handler_arg(name: &str, args: usize) -> Option<usize> {
            const METHODS: &[&str] = &[
                "get", "post", "put", "delete", "patch", "head", "options", "any", "trace", "to",
                "fallback",
            ];
            match (name, args) {
                ("on", 2) => Some(1),
                (n, 1) if METHODS.contains(&n) => Some(0),
                _ => None,
            }
        }
        let (name, args) = match call {
            ir::CallRef::Path(segs, args) => (segs.last().map_or("", String::as_str), *args),
            ir::CallRef::Method(name, args) => (*name, *args),
        };
        let Some(i) = handler_arg(name, args.len()) else {
            return;
        };
        let Some(ir::Expr::Path(segs, _)) = args.get(i) else {
            return;
        };
        if segs.len() == 1 && b.params.iter().any(|p| p.name == segs[0]) {
            return;
        }
        out.extend(ix.resolve_fn_in_scope(b.scope, segs, b.self_ty.as_ref()));
    }
}

/// The bodies grouped by level of the call graph (`callees[i]`: the bodies body `i` calls):
/// the strongly connected components (Tarjan's algorithm, iterative), a component's level
/// one more than the highest level of the components it calls; each level's bodies in
/// index order.
fn levels(callees: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = callees.len();
    const NONE: usize = usize::MAX;
    let mut index = vec![NONE; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![NONE; n];
    let mut comp_level: Vec<usize> = Vec::new();
    let mut stack = Vec::new();
    let mut next = 0;
    for root in 0..n {
        if index[root] != NONE {
            continue;
        }
        // (body, next callee to visit)
        let mut work = vec![(root, 0usize)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut k)) = work.last_mut() {
            if let Some(&w) = callees[v].get(*k) {
                *k += 1;
                if index[w] == NONE {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(u, _)) = work.last() {
                low[u] = low[u].min(low[v]);
            }
            if low[v] == index[v] {
                // a component, found after every component it calls: its level is known
                let c = comp_level.len();
                let mut members = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = c;
                    members.push(w);
                    if w == v {
                        break;
                    }
                }
                let level = members
                    .iter()
                    .flat_map(|&m| &callees[m])
                    .filter(|&&w| comp[w] != c)
                    .map(|&w| comp_level[comp[w]] + 1)
                    .max()
                    .unwrap_or(0);
                comp_level.push(level);
            }
        }
    }
    let depth = comp_level.iter().copied().max().map_or(0, |m| m + 1);
    let mut out = vec![Vec::new(); depth];
    for (i, &c) in comp.iter().enumerate() {
        out[comp_level[c]].push(i);
    }
    out
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

#[cfg(test)]
mod level_tests {
    use super::levels;

    #[test]
    fn callees_come_a_level_before_their_callers() {
        // 0 → 1 → 2, 3 → 2, 4 alone
        let callees = vec![vec![1], vec![2], vec![], vec![2], vec![]];
        assert_eq!(levels(&callees), vec![vec![2, 4], vec![1, 3], vec![0]]);
    }

    #[test]
    fn a_cycle_is_one_level_above_what_it_calls() {
        // 0 ⇄ 1 → 2; 3 calls itself and 0; no body is lost
        let callees = vec![vec![1], vec![0, 2], vec![], vec![3, 0]];
        assert_eq!(levels(&callees), vec![vec![2], vec![0, 1], vec![3]]);
    }

    #[test]
    fn a_long_chain_needs_no_deep_recursion() {
        let n = 200_000;
        let callees: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![] })
            .collect();
        let l = levels(&callees);
        assert_eq!(l.len(), n);
        assert_eq!(l[0], vec![n - 1]);
        assert_eq!(l[n - 1], vec![0]);
    }
}
