//! The abstract interpreter: one pass over a body with the current summaries of its callees
//! gives the body's own summary (which parameter reaches which sink, what the return value
//! carries) and its events (category uses, sink flows, calls).
//!
//! A value is the set of categories it may carry (each with the first path that brought it
//! here), the parameters it may come from, and its user type when known. Evaluation is in
//! source order with block scopes; branches join; loops run once. Everything is bounded by
//! the IR's depth and a step budget.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use dpia_annotations::{Tag, TagKind};

use super::index::Index;
use super::ir::{Body, Expr, MacroCall, Pat, Segs, Stmt, TyRef};
use super::lower::{REDACTION_TYPES, WRAPPERS};
use super::{CallSite, CatUse, FnFlow, OpAt, Recipient, SinkFlow};
use crate::diag::Label;
use crate::model::ItemId;
use crate::models::{Entry, Kind, Pack, Returns};
use crate::source::Span;

/// The most categories a value stored into a field may carry ([`Eval::store`]).
const MAX_STORED_CATS: usize = 2;

/// Is `field` the value of a key–value pair (`Attribute { name, value }`, `Header { key,
/// value }`)? What such a value holds depends on its key, instance by instance: a store
/// into it ([`Eval::store`]), which is per type, would give a user's first name to every
/// group attribute read.
fn is_keyed_value(fields: &[crate::model::Field], field: &str) -> bool {
    const VALUES: &[&str] = &["value", "values", "val", "data"];
    const KEYS: &[&str] = &["name", "key", "attribute", "attr", "kind", "field", "label"];
    VALUES.contains(&field) && fields.iter().any(|f| KEYS.contains(&f.name.as_str()))
}

/// Categories that some body stores into a field of an untagged type, by type and field
/// index, with the path to the store: a read of that field anywhere may carry them.
pub type FieldStores = rustc_hash::FxHashMap<(ItemId, u32), BTreeMap<String, Trace>>;

/// The path that brought a category or parameter to a value: a shared list, newest label
/// first, so that extending it (at every step of every value) allocates one node instead
/// of copying the path.
#[derive(Clone, Debug)]
pub struct Trace(Arc<TraceNode>);

#[derive(Debug)]
struct TraceNode {
    label: Label,
    prev: Option<Trace>,
    len: usize,
    /// A hash on the path: the value is pseudonymised from here on.
    pseudo: bool,
    /// The path starts at a type, not at the data: a value of a type that may hold the
    /// category (`a `Userinfo` value`). A path from the data itself is the better
    /// evidence: it replaces this one where the two meet ([`Val::join`]).
    presumed: bool,
}

impl Trace {
    /// A path of the given labels, oldest first.
    fn of(labels: impl IntoIterator<Item = Label>) -> Trace {
        let mut it = labels.into_iter();
        let first = it.next().expect("a trace has a first label");
        let mut t = Trace(Arc::new(TraceNode {
            label: first,
            prev: None,
            len: 1,
            pseudo: false,
            presumed: false,
        }));
        for l in it {
            t = t.push(l);
        }
        t
    }

    fn push(&self, label: Label) -> Trace {
        Trace(Arc::new(TraceNode {
            label,
            prev: Some(self.clone()),
            len: self.0.len + 1,
            pseudo: self.0.pseudo,
            presumed: self.0.presumed,
        }))
    }

    /// [`Trace::of`], for a path that starts at a type rather than at the data.
    fn presumed(labels: impl IntoIterator<Item = Label>) -> Trace {
        let mut labels: Vec<Label> = labels.into_iter().collect();
        let last = labels.pop().expect("a trace has a label");
        let prev = (!labels.is_empty()).then(|| Trace::of(labels));
        let len = prev.as_ref().map_or(1, |p| p.0.len + 1);
        Trace(Arc::new(TraceNode {
            label: last,
            prev,
            len,
            pseudo: false,
            presumed: true,
        }))
    }

    /// The path on to `label`, which reads the data itself (a field of the category):
    /// no longer presumed.
    fn surely(&self, label: Label) -> Trace {
        if !self.is_presumed() {
            return extend(self, label);
        }
        // as `extend`: at the length limit, or on the same label, the path is not longer
        let (label, prev, len) = if self.len() >= MAX_TRACE || *self.last() == label {
            (self.0.label.clone(), self.0.prev.clone(), self.0.len)
        } else {
            (label, Some(self.clone()), self.0.len + 1)
        };
        Trace(Arc::new(TraceNode {
            label,
            prev,
            len,
            pseudo: self.0.pseudo,
            presumed: false,
        }))
    }

    /// Does the path start at a type rather than at the data ([`Trace::presumed`])?
    fn is_presumed(&self) -> bool {
        self.0.presumed
    }

    /// The path through a hash (`label`): pseudonymised from here on. At the length limit
    /// the hash replaces the last step, so that the mark is never lost.
    fn pseudonymise(&self, label: Label) -> Trace {
        let (prev, len) = if self.len() >= MAX_TRACE {
            (self.0.prev.clone(), self.0.len)
        } else {
            (Some(self.clone()), self.0.len + 1)
        };
        Trace(Arc::new(TraceNode {
            label,
            prev,
            len,
            pseudo: true,
            presumed: self.0.presumed,
        }))
    }

    /// Did the value pass through a hash on this path?
    pub fn is_pseudonymised(&self) -> bool {
        self.0.pseudo
    }

    fn len(&self) -> usize {
        self.0.len
    }

    fn last(&self) -> &Label {
        &self.0.label
    }

    /// The oldest label: where the category was declared or first seen.
    fn first(&self) -> &Label {
        let mut at = self;
        while let Some(p) = at.0.prev.as_ref() {
            at = p;
        }
        &at.0.label
    }

    /// The same path: the same labels and marks (not only the same allocation).
    fn same_path(&self, other: &Trace) -> bool {
        let (mut a, mut b) = (self, other);
        loop {
            if Arc::ptr_eq(&a.0, &b.0) {
                return true;
            }
            if a.0.len != b.0.len
                || a.0.pseudo != b.0.pseudo
                || a.0.presumed != b.0.presumed
                || a.0.label != b.0.label
            {
                return false;
            }
            match (a.0.prev.as_ref(), b.0.prev.as_ref()) {
                (Some(x), Some(y)) => (a, b) = (x, y),
                (None, None) => return true,
                _ => return false,
            }
        }
    }

    /// The labels, oldest first.
    pub fn to_vec(&self) -> Vec<Label> {
        let mut out = Vec::with_capacity(self.len());
        let mut at = Some(self);
        while let Some(t) = at {
            out.push(t.0.label.clone());
            at = t.0.prev.as_ref();
        }
        out.reverse();
        out
    }
}

const MAX_TRACE: usize = 24;
/// Evaluation steps per body and pass; past it the rest of the body is skipped.
const STEP_BUDGET: u32 = 200_000;

fn extend(t: &Trace, l: Label) -> Trace {
    if t.len() >= MAX_TRACE || *t.last() == l {
        return t.clone();
    }
    t.push(l)
}

/// A value's categories (or parameters), each with its path: one map shared by the copies
/// of a value until one of them changes it. A `Val` is copied at every read of a variable
/// and at every argument; most copies are read, joined into another value or dropped, never
/// changed (copying and freeing the maps, keys and all, was a fifth of body evaluation).
#[derive(Debug)]
pub struct Paths<K: PathKey>(Option<Arc<BTreeMap<K, Trace>>>);

/// A key of [`Paths`]: a category (`String`) or a parameter's index (`u16`).
pub trait PathKey: Ord + Clone + 'static {
    /// The empty map [`Paths`] reads as when it holds nothing.
    fn empty() -> &'static BTreeMap<Self, Trace>;
}

impl PathKey for String {
    fn empty() -> &'static BTreeMap<String, Trace> {
        static EMPTY: BTreeMap<String, Trace> = BTreeMap::new();
        &EMPTY
    }
}

impl PathKey for u16 {
    fn empty() -> &'static BTreeMap<u16, Trace> {
        static EMPTY: BTreeMap<u16, Trace> = BTreeMap::new();
        &EMPTY
    }
}

impl<K: PathKey> Paths<K> {
    /// The map itself, copied only when another value still shares it.
    pub fn into_map(self) -> BTreeMap<K, Trace> {
        match self.0 {
            None => BTreeMap::new(),
            Some(m) => Arc::try_unwrap(m).unwrap_or_else(|m| (*m).clone()),
        }
    }
}

impl<K: PathKey> Default for Paths<K> {
    fn default() -> Self {
        Paths(None)
    }
}

impl<K: PathKey> Clone for Paths<K> {
    fn clone(&self) -> Self {
        Paths(self.0.clone())
    }
}

impl<K: PathKey> std::ops::Deref for Paths<K> {
    type Target = BTreeMap<K, Trace>;
    fn deref(&self) -> &BTreeMap<K, Trace> {
        match &self.0 {
            Some(m) => m,
            None => K::empty(),
        }
    }
}

impl<K: PathKey> std::ops::DerefMut for Paths<K> {
    /// A change: the map is copied first when another value shares it.
    fn deref_mut(&mut self) -> &mut BTreeMap<K, Trace> {
        Arc::make_mut(self.0.get_or_insert_with(Default::default))
    }
}

impl<K: PathKey> From<BTreeMap<K, Trace>> for Paths<K> {
    fn from(m: BTreeMap<K, Trace>) -> Self {
        Paths((!m.is_empty()).then(|| Arc::new(m)))
    }
}

impl<K: PathKey> FromIterator<(K, Trace)> for Paths<K> {
    fn from_iter<I: IntoIterator<Item = (K, Trace)>>(it: I) -> Self {
        BTreeMap::from_iter(it).into()
    }
}

impl<K: PathKey> IntoIterator for Paths<K> {
    type Item = (K, Trace);
    type IntoIter = std::collections::btree_map::IntoIter<K, Trace>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_map().into_iter()
    }
}

impl<'a, K: PathKey> IntoIterator for &'a Paths<K> {
    type Item = (&'a K, &'a Trace);
    type IntoIter = std::collections::btree_map::Iter<'a, K, Trace>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[derive(Clone, Debug, Default)]
pub struct Val {
    pub cats: Paths<String>,
    pub params: Paths<u16>,
    pub ty: Option<ItemId>,
    /// Of a named type that is not the project's (`body: Bytes`): its methods are the
    /// library's, never a user trait method found by name alone.
    pub foreign: bool,
    /// The library type the value is known to have (not a user type), as its path with the
    /// first segment expanded through the module's `use` items: `["std", "fs", "File"]`,
    /// `["handlebars", "Handlebars"]`. From a parameter's, field's or `let`'s type, a
    /// constructor (`Handlebars::new()`, `File::create(..)`), `io::stdout()`; kept through
    /// the methods that return the receiver itself ([`SAME_RECEIVER_METHODS`]). Method
    /// models are chosen by it first ([`Eval::model_method`]).
    pub lib: Option<Arc<[String]>>,
    /// A `Result` whose error is known (built by `Err(..)`/`Ok(..)`, `ok_or`, `map_err`, or
    /// returned by a function whose errors are): what its `Err` carries. `None`: unknown,
    /// the error may carry the whole value.
    pub err: Option<Box<Val>>,
    /// What the value's `Display` carries when that is less than the whole value: a
    /// `thiserror` variant built here (`#[error("user {email} not found")]` shows only
    /// `email`). `None`: all of it. `Debug` always shows all of it.
    pub display: Option<Box<Val>>,
    /// A tuple built here (`(name, value)`, an array of such tuples): what each part
    /// carries, so that a tuple pattern or `.0` takes back only its part ([`Val::part`]).
    /// `None`: the parts are not known; each part may carry the whole value.
    pub elems: Option<Box<Vec<Val>>>,
}

impl Val {
    fn join(&mut self, mut other: Val) {
        // what the join's `Display` shows: each side's
        if self.display.is_some() || other.display.is_some() {
            let mut d = match self.display.take() {
                Some(d) => *d,
                None => self.whole_view(),
            };
            let od = match other.display.take() {
                Some(d) => *d,
                None => other.whole_view(),
            };
            d.join(od);
            self.display = Some(Box::new(d));
        }
        // the error part is known when it is on both sides (a side that is no value at
        // all, like the start of a join, does not count)
        let self_empty = self.is_clean() && self.err.is_none();
        let other_empty = other.is_clean() && other.err.is_none();
        // the parts of a tuple are known when they are known on both sides, with as many
        // parts (an array of tuples); a side that is no value at all does not count
        let self_none = self_empty && self.elems.is_none();
        let other_none = other_empty && other.elems.is_none();
        self.elems = match (self.elems.take(), other.elems.take()) {
            (Some(mut a), Some(b)) if a.len() == b.len() => {
                for (x, y) in a.iter_mut().zip(*b) {
                    x.join(y);
                }
                Some(a)
            }
            (Some(a), None) if other_none => Some(a),
            (None, Some(b)) if self_none => Some(b),
            _ => None,
        };
        self.err = match (self.err.take(), other.err.take()) {
            (Some(mut a), Some(b)) => {
                a.join(*b);
                Some(a)
            }
            (Some(a), None) if other_empty => Some(a),
            (None, Some(b)) if self_empty => Some(b),
            _ => None,
        };
        if self.cats.is_empty() {
            // every category is new: no map to walk
            self.cats = other.cats;
        } else if !other.cats.is_empty() {
            self.join_cats(other.cats.into_map());
        }
        if self.params.is_empty() {
            self.params = other.params;
        } else if !other.params.is_empty() {
            for (k, t) in other.params {
                self.params.entry(k).or_insert(t);
            }
        }
        if self.ty.is_none() {
            self.ty = other.ty;
        }
        if self.lib.is_none() {
            self.lib = other.lib;
        }
        self.foreign &= other.foreign;
    }

    fn join_cats(&mut self, other: BTreeMap<String, Trace>) {
        for (k, t) in other {
            match self.cats.entry(k) {
                // the category in clear on either side: the value carries it in clear
                // and a path from the data is better evidence than one from a type
                std::collections::btree_map::Entry::Occupied(mut e) => {
                    let (old, new) = (e.get(), &t);
                    let clearer = old.is_pseudonymised() && !new.is_pseudonymised();
                    let surer = old.is_presumed()
                        && !new.is_presumed()
                        && old.is_pseudonymised() == new.is_pseudonymised();
                    if clearer || surer {
                        e.insert(t);
                    }
                }
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(t);
                }
            }
        }
    }

    fn is_clean(&self) -> bool {
        self.cats.is_empty() && self.params.is_empty()
    }

    /// The categories and parameters alone.
    fn whole_view(&self) -> Val {
        Val {
            cats: self.cats.clone(),
            params: self.params.clone(),
            ..Val::default()
        }
    }

    /// What formatting the value with `Display` (`{}`, `%x`, `.to_string()`) gives: its
    /// [`Val::display`] part when known, else all of it.
    fn displayed(mut self) -> Val {
        match self.display.take() {
            Some(d) => Val {
                ty: self.ty,
                lib: self.lib,
                ..*d
            },
            None => self,
        }
    }

    fn untyped(mut self) -> Val {
        self.ty = None;
        self.foreign = false;
        self.lib = None;
        self.elems = None;
        self
    }

    /// The `i`th part of a tuple: its own part when the parts are known and still agree
    /// with the whole (every category of the whole is in some part, and in the same state:
    /// nothing was added to or pseudonymised in the whole since the tuple was built),
    /// else the whole value.
    fn part(&self, i: usize) -> Val {
        if let Some(es) = self
            .elems
            .as_deref()
            .filter(|es| i < es.len() && self.parts_agree(es))
        {
            return es[i].clone();
        }
        let mut v = self.clone();
        v.elems = None;
        v
    }

    fn parts_agree(&self, es: &[Val]) -> bool {
        let same = |whole: Option<&Trace>, t: &Trace| {
            whole.is_some_and(|w| w.is_pseudonymised() == t.is_pseudonymised())
        };
        let cats_in = |c: &String| es.iter().any(|e| e.cats.contains_key(c));
        let params_in = |p: &u16| es.iter().any(|e| e.params.contains_key(p));
        self.cats.keys().all(cats_in)
            && self.params.keys().all(params_in)
            && es.iter().all(|e| {
                e.cats.iter().all(|(c, t)| same(self.cats.get(c), t))
                    && e.params.iter().all(|(p, t)| same(self.params.get(p), t))
            })
    }

    fn step(&self, l: Label) -> Val {
        Val {
            cats: self
                .cats
                .iter()
                .map(|(k, t)| (k.clone(), extend(t, l.clone())))
                .collect(),
            params: self
                .params
                .iter()
                .map(|(k, t)| (*k, extend(t, l.clone())))
                .collect(),
            ty: self.ty,
            foreign: self.foreign,
            lib: self.lib.clone(),
            err: self.err.clone(),
            display: self.display.as_ref().map(|d| Box::new(d.step(l.clone()))),
            elems: self
                .elems
                .as_ref()
                .map(|es| Box::new(es.iter().map(|e| e.step(l.clone())).collect())),
        }
    }

    /// What the value's `Err` variant carries: its error part when known, else all of it.
    fn err_part(&self) -> Val {
        match &self.err {
            Some(e) => (**e).clone(),
            None => {
                let mut v = self.clone();
                v.err = None;
                v
            }
        }
    }

    /// A value of a pseudonymising type (`Hashed<T>`): its categories pseudonymised, the
    /// rest kept.
    fn pseudo_typed(mut self, l: Label) -> Val {
        for t in self.cats.values_mut() {
            if !t.is_pseudonymised() {
                *t = t.pseudonymise(l.clone());
            }
        }
        if let Some(d) = self.display.take() {
            self.display = Some(Box::new(d.pseudo_typed(l)));
        }
        self.elems = None;
        self
    }

    /// The value after a hash: the same categories, pseudonymised (still personal data,
    /// UK GDPR Art 4(5)); parameters are followed through it, marked, so that a caller's data
    /// passed to a hashing helper stays personal data too.
    fn pseudonymised(self, l: Label) -> Val {
        Val {
            cats: self
                .cats
                .into_iter()
                .map(|(k, t)| (k, t.pseudonymise(l.clone())))
                .collect(),
            params: self
                .params
                .into_iter()
                .map(|(k, t)| (k, t.pseudonymise(l.clone())))
                .collect(),
            ..Val::default()
        }
    }
}

/// A parameter reaching a sink inside a function (or further down its calls).
#[derive(Clone, Debug)]
pub struct SinkVia {
    /// From the parameter to the sink.
    pub trace: Trace,
    /// Categories the function itself reports at that sink (the caller does not repeat them).
    pub known: BTreeSet<String>,
    pub what: String,
}

/// What a caller needs to know about a function.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub ret_cats: BTreeMap<String, Trace>,
    pub ret_params: BTreeMap<u16, Trace>,
    /// When every error the function returns is known: what they carry.
    pub ret_err: Option<(BTreeMap<String, Trace>, BTreeMap<u16, Trace>)>,
    /// What the return value's `Display` carries, when less than all of it
    /// ([`Val::display`]); and the same for its error part.
    pub ret_display: Option<(BTreeMap<String, Trace>, BTreeMap<u16, Trace>)>,
    pub ret_err_display: Option<(BTreeMap<String, Trace>, BTreeMap<u16, Trace>)>,
    pub sinks: BTreeMap<(u16, Recipient), SinkVia>,
}

impl Summary {
    /// The same facts and the same paths to them: a caller evaluated against one would
    /// report exactly what it reports against the other.
    pub fn identical(&self, other: &Summary) -> bool {
        fn paths<K: Ord>(a: &BTreeMap<K, Trace>, b: &BTreeMap<K, Trace>) -> bool {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((k, x), (l, y))| k == l && x.same_path(y))
        }
        self.same(other)
            && paths(&self.ret_cats, &other.ret_cats)
            && paths(&self.ret_params, &other.ret_params)
            && match (&self.ret_err, &other.ret_err) {
                (Some((a, b)), Some((c, d))) => paths(a, c) && paths(b, d),
                _ => true,
            }
            && self
                .sinks
                .values()
                .zip(other.sinks.values())
                .all(|(a, b)| a.known == b.known && a.what == b.what && a.trace.same_path(&b.trace))
    }

    /// Summaries are compared by their facts, not their traces (first path wins).
    pub fn same(&self, other: &Summary) -> bool {
        self.ret_cats.keys().eq(other.ret_cats.keys())
            && self.ret_params.keys().eq(other.ret_params.keys())
            && [
                (&self.ret_err, &other.ret_err),
                (&self.ret_display, &other.ret_display),
                (&self.ret_err_display, &other.ret_err_display),
            ]
            .iter()
            .all(|(x, y)| match (x, y) {
                (Some((a, b)), Some((c, d))) => a.keys().eq(c.keys()) && b.keys().eq(d.keys()),
                (None, None) => true,
                _ => false,
            })
            && self.sinks.len() == other.sinks.len()
            && self
                .sinks
                .iter()
                .zip(&other.sinks)
                .all(|((a, va), (b, vb))| a == b && va.known == vb.known)
    }
}

/// Methods that read a value by its key: maps, headers, rows, forms, JSON objects.
const KEYED_READS: &[&str] = &["get", "try_get", "get_one", "get_all", "get_str", "get_opt"];

/// The key a keyed read names: a string literal (`"email"`) or a constant
/// (`header::USER_AGENT`, `X_FORWARDED_FOR`).
fn key_name(e: &Expr) -> Option<&str> {
    match e {
        Expr::Key(k) => Some(k),
        Expr::Path(segs, _) => segs.last().map(String::as_str).filter(|s| {
            s.len() > 1
                && s.bytes().any(|b| b.is_ascii_uppercase())
                && s.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        }),
        _ => None,
    }
}

/// Methods whose result says something about the data but carries none of it.
const CLEAN_METHODS: &[&str] = &[
    "len",
    "is_empty",
    "count",
    "is_some",
    "is_none",
    "is_ok",
    "is_err",
    "contains",
    "contains_key",
    "starts_with",
    "ends_with",
    "eq",
    "ne",
    "cmp",
    "partial_cmp",
    "lt",
    "le",
    "gt",
    "ge",
    "any",
    "all",
    "position",
    "is_match",
    "is_ascii",
    "is_empty_or_whitespace",
    "capacity",
    "elapsed",
];

/// Methods whose result is the receiver itself, or a handle on it (`lock`, `deref`): a
/// method model's receiver is recognised through them (`self.client.lock().unwrap()` is
/// the client). Unlike [`SAME_TYPE_METHODS`], not the methods that return a part of it.
const SAME_RECEIVER_METHODS: &[&str] = &[
    "clone",
    "to_owned",
    "as_ref",
    "as_mut",
    "borrow",
    "borrow_mut",
    "lock",
    "read",
    "write",
    "unwrap",
    "expect",
    "deref",
];

fn path_of(segs: &[&str]) -> Arc<[String]> {
    segs.iter().map(|s| s.to_string()).collect()
}

/// Macros that write into their first argument: `write!(dst, ..)` is
/// `dst.write_fmt(format_args!(..))` ([`Eval::write_macro`]).
const WRITE_MACROS: &[&str] = &["write", "writeln"];

/// Associated functions that return a value of their type (`Handlebars::new()`,
/// `File::create(p)`, `TcpStream::connect(a)`, `String::with_capacity(n)`).
fn is_ctor(name: &str) -> bool {
    matches!(
        name,
        "new"
            | "default"
            | "from"
            | "try_from"
            | "try_new"
            | "connect"
            | "create"
            | "open"
            | "bind"
    ) || ["new_", "with_", "from_", "connect_"]
        .iter()
        .any(|p| name.starts_with(p))
}

/// Methods that return (part of) their receiver, keeping its type.
const SAME_TYPE_METHODS: &[&str] = &[
    "clone",
    "to_owned",
    "as_ref",
    "as_mut",
    "borrow",
    "borrow_mut",
    "unwrap",
    "expect",
    "unwrap_or",
    "unwrap_or_default",
    "unwrap_or_else",
    "unwrap_unchecked",
    "iter",
    "iter_mut",
    "into_iter",
    "par_iter",
    "filter",
    "find",
    "first",
    "last",
    "get",
    "get_mut",
    "cloned",
    "copied",
    "rev",
    "skip",
    "take",
    "skip_while",
    "take_while",
    "collect",
    "to_vec",
    "lock",
    "read",
    "write",
    "ok",
    "ok_or",
    "ok_or_else",
    "as_deref",
    "values",
    "values_mut",
    "drain",
    "chain",
    "peekable",
    "next",
    "nth",
    "max_by_key",
    "min_by_key",
    "max_by",
    "min_by",
    "sorted",
    "dedup",
    "into_inner",
    "await",
];

/// Words in a function or method name that make it a sanitiser (redaction): the value
/// does not leak.
const SANITISER_WORDS: &[&str] = &["redact", "mask", "anonymi"];

/// Words in a function, method or type name that pseudonymise (hash, keyed digest,
/// encryption): the value keeps its categories, marked pseudonymised (still personal data, UK GDPR Art 4(5)).
const PSEUDONYMISING_WORDS: &[&str] = &[
    "hash",
    "digest",
    "pseudonym",
    "encrypt",
    "hmac",
    "sha256",
    "sha512",
    "blake3",
    "tokenize_pii",
];

fn contains_word(name: &str, words: &[&str]) -> bool {
    // ASCII case-insensitive `contains`, without lowercasing a copy of every name called.
    // It runs for every call and method: a position is compared with the words only when
    // its byte can start one (`key` is equal for bytes equal up to ASCII case).
    fn key(b: u8) -> u32 {
        1 << (b.to_ascii_lowercase().wrapping_sub(b'a') & 31)
    }
    let starts = words
        .iter()
        .filter_map(|w| w.as_bytes().first())
        .fold(0u32, |m, &b| m | key(b));
    let name = name.as_bytes();
    (0..name.len()).any(|i| {
        starts & key(name[i]) != 0
            && words.iter().any(|w| {
                let w = w.as_bytes();
                name.len() - i >= w.len() && name[i..i + w.len()].eq_ignore_ascii_case(w)
            })
    })
}

/// The bindings in scope: a stack (block scopes truncate it) with an index from each name
/// to its bindings on the stack, so that a lookup costs the same in a body of 200 000
/// `let`s as in one of two.
#[derive(Default)]
struct Env {
    stack: Vec<(Arc<str>, Val)>,
    by_name: rustc_hash::FxHashMap<Arc<str>, Vec<usize>>,
}

impl Env {
    fn len(&self) -> usize {
        self.stack.len()
    }

    fn push(&mut self, name: &str, v: Val) {
        let at = self.stack.len();
        match self.by_name.get_mut(name) {
            Some(slots) => {
                slots.push(at);
                let key = self.by_name.get_key_value(name).map(|(k, _)| k.clone());
                let key = key.unwrap_or_else(|| Arc::from(name));
                self.stack.push((key, v));
            }
            None => {
                let key: Arc<str> = Arc::from(name);
                self.by_name.insert(key.clone(), vec![at]);
                self.stack.push((key, v));
            }
        }
    }

    fn get(&self, name: &str) -> Option<&Val> {
        let &at = self.by_name.get(name)?.last()?;
        Some(&self.stack[at].1)
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut Val> {
        let &at = self.by_name.get(name)?.last()?;
        Some(&mut self.stack[at].1)
    }

    /// The name and value of the `i`-th binding, its value left empty until [`Env::put_at`].
    fn take_at(&mut self, i: usize) -> (Arc<str>, Val) {
        let (name, v) = &mut self.stack[i];
        (name.clone(), std::mem::take(v))
    }

    fn put_at(&mut self, i: usize, v: Val) {
        self.stack[i].1 = v;
    }

    fn truncate(&mut self, len: usize) {
        while self.stack.len() > len {
            let Some((name, _)) = self.stack.pop() else {
                break;
            };
            if let Some(slots) = self.by_name.get_mut(&name) {
                slots.pop();
                if slots.is_empty() {
                    self.by_name.remove(&name);
                }
            }
        }
    }
}

#[cfg(test)]
fn is_sanitiser_name(name: &str) -> bool {
    name_words(name).0
}

#[cfg(test)]
fn is_pseudonymising_name(name: &str) -> bool {
    name_words(name).1
}

/// Is a name a sanitiser's (`redact_email`, `mask`), a pseudonymiser's (`sha256`,
/// `hash_vrm`, `Hashed`, `Pseudonymised`; not the collections `HashMap`, `HashSet`)? Asked
/// for every segment of every call and every method at every evaluation, of a few thousand
/// distinct names: each thread keeps the answers.
fn name_words(name: &str) -> (bool, bool) {
    thread_local! {
        static SEEN: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, (bool, bool)>> =
            Default::default();
    }
    const MAX_SEEN: usize = 1 << 14;
    SEEN.with(|seen| {
        if let Some(&hit) = seen.borrow().get(name) {
            return hit;
        }
        let found = (
            contains_word(name, SANITISER_WORDS),
            !(name.ends_with("Map") || name.ends_with("Set"))
                && contains_word(name, PSEUDONYMISING_WORDS),
        );
        let mut seen = seen.borrow_mut();
        if seen.len() >= MAX_SEEN {
            seen.clear();
        }
        seen.insert(name.into(), found);
        found
    })
}

pub struct Eval<'a> {
    pub ix: &'a Index<'a>,
    pub pack: &'a Pack,
    pub bodies: &'a [Body],
    pub summaries: &'a [Summary],
    pub body_of: &'a rustc_hash::FxHashMap<ItemId, usize>,
    /// What the bodies store into the fields of untagged types ([`FieldStores`]).
    stores: &'a FieldStores,
    body: &'a Body,
    /// The body's position in `bodies`.
    this: usize,
    krate: u32,
    /// In a `sink` or `audit_log` function: its writes to built-in sinks are its mechanics.
    boundary: bool,
    env: Env,
    ret: Val,
    pub summary: Summary,
    pub flow: FnFlow,
    http_sunk: BTreeSet<String>,
    /// What the body wraps in `Err(..)`: the error it may return.
    err_val: Val,
    steps: u32,
    /// `let b = HttpResponse::Ok();`: local names bound to a builder chain, with the type
    /// path the chain starts at (method models match `b.insert_header(..)` by it).
    roots: Vec<(String, Segs)>,
}

impl<'a> Eval<'a> {
    pub fn run(
        ix: &'a Index<'a>,
        pack: &'a Pack,
        summaries: &'a [Summary],
        body_of: &'a rustc_hash::FxHashMap<ItemId, usize>,
        stores: &'a FieldStores,
        this: usize,
    ) -> (Summary, FnFlow) {
        let bodies = ix.flow.bodies.as_slice();
        let body = &bodies[this];
        let item = ix.model.item(body.item);
        let boundary = item.tag(TagKind::Sink).is_some() || item.tag(TagKind::AuditLog).is_some();
        let mut ev = Eval {
            ix,
            pack,
            bodies,
            summaries,
            body_of,
            stores,
            body,
            this,
            krate: ix.krate(body.item),
            boundary,
            env: Env::default(),
            ret: Val::default(),
            summary: Summary::default(),
            flow: FnFlow {
                item: body.item,
                trait_method: body.trait_method,
                ..FnFlow::default()
            },
            http_sunk: BTreeSet::new(),
            err_val: Val::default(),
            steps: 0,
            roots: Vec::new(),
        };
        ev.params();
        let tail = ev.expr(&body.block);
        ev.ret.join(tail);
        if let Some(ins) = body.instrument.as_ref().filter(|i| i.ret) {
            // `#[instrument(ret)]` records the return value (Debug)
            let mut v = ev.ret.clone();
            let tys = ix.ret_types(this);
            if let Some(w) = tys.first().and_then(|&t| ix.whole(t)) {
                for (c, decl) in w.clone() {
                    v.cats.entry(c.clone()).or_insert_with(|| {
                        Trace::of([
                            Self::label(decl, decl_msg(&c)),
                            Self::label(item.name_span, "returned"),
                        ])
                    });
                }
            }
            ev.sink(
                Recipient::Builtin("log"),
                ins.span,
                "the `#[instrument]` span (`ret`)",
                &v,
            );
        }
        if let Some(ins) = body.instrument.as_ref().filter(|i| i.err) {
            // `#[instrument(err)]` records the error returned (Display, level ERROR)
            let v = std::mem::take(&mut ev.err_val);
            let v = ev.shown(v);
            ev.sink(
                Recipient::Builtin("log"),
                ins.span,
                "the `#[instrument]` span (`err`)",
                &v,
            );
        }
        if body.handler || ix.routed.contains(&body.item) {
            let ret = std::mem::take(&mut ev.ret);
            let mut left = ret.clone();
            left.cats.retain(|c, _| !ev.http_sunk.contains(c));
            // at the returned expression where there is one (`Ok(Json(user))`)
            let span = tail_span(&body.block).unwrap_or(item.name_span);
            ev.sink(
                Recipient::Builtin("http-response"),
                span,
                "the handler's HTTP response",
                &left,
            );
            ev.ret = ret;
        }
        let ret = std::mem::take(&mut ev.ret);
        let parts = |d: &Val| ((*d.cats).clone(), (*d.params).clone());
        ev.summary.ret_display = ret.display.as_deref().map(parts);
        ev.summary.ret_err_display = ret
            .err
            .as_ref()
            .and_then(|e| e.display.as_deref())
            .map(parts);
        ev.summary.ret_err = ret.err.map(|e| (e.cats.into_map(), e.params.into_map()));
        ev.summary.ret_cats = ret.cats.into_map();
        ev.summary.ret_params = ret.params.into_map();
        ev.flow.reads.sort_unstable();
        ev.flow.reads.dedup();
        (ev.summary, ev.flow)
    }

    fn label(span: Span, msg: impl Into<String>) -> Label {
        Label::new(span, msg)
    }

    fn params(&mut self) {
        let body = self.body;
        for (i, p) in body.params.iter().enumerate() {
            let i = i as u16;
            let mut v = Val::default();
            let tys = self.ix.param_types(self.this, i as usize);
            let lib = if tys.is_empty() && !p.ty.sanitised {
                self.lib_of(body.scope, &p.ty)
            } else {
                None
            };
            let model = lib.as_deref().and_then(|l| self.type_model(l));
            let sanitised = p.ty.sanitised || model.is_some_and(|e| e.kind == Kind::Sanitiser);
            if !sanitised {
                v.params.insert(
                    i,
                    Trace::of([Self::label(p.span, format!("parameter `{}`", p.shown()))]),
                );
            }
            let untyped = tys.is_empty() && !sanitised;
            v.foreign = untyped && is_foreign(&p.ty);
            if untyped {
                v.lib = lib;
                v = self.lib_modelled(v, p.span, || format!("`{}`", p.shown()));
            }
            if untyped && matches!(p.pat, Pat::Bind(..)) {
                // an untyped parameter named like personal data (`email: &str`)
                let ty = ty_word(&p.ty);
                self.looks_named(&mut v, &p.name, ty, None, p.span, "parameter");
            }
            if let Some(&t) = tys.first() {
                v.ty = Some(t);
                if let Some(w) = self.ix.whole(t) {
                    // the function knows exactly what a parameter of a tagged type carries;
                    // a value of an untagged type (its categories only look personal) may
                    // hold what the caller built into it: callers report their own data at
                    // the call (see `apply`)
                    if self.ix.is_tagged(t) {
                        v.params.clear();
                    }
                    for (c, decl) in w.clone() {
                        // presumed from the type: a read of the field itself is surer
                        let trace = Trace::presumed([
                            Self::label(decl, decl_msg(&c)),
                            Self::label(
                                p.span,
                                format!(
                                    "`{}` holds {}",
                                    p.shown(),
                                    crate::looks::category_phrase(&c)
                                ),
                            ),
                        ]);
                        self.use_cat(&c, p.span, &trace);
                        v.cats.insert(c, trace);
                    }
                }
            }
            if p.ty.pseudo {
                v = v.pseudo_typed(Self::label(
                    p.span,
                    format!("`{}` is pseudonymised by its type", p.shown()),
                ));
            }
            let mark = self.env.len();
            self.bind(&p.pat, v);
            if untyped && !matches!(p.pat, Pat::Bind(..)) {
                // `Path(username): Path<String>`, `ConnectInfo(addr): ConnectInfo<SocketAddr>`
                let ty = ty_word(&p.ty);
                for i in mark..self.env.len() {
                    let (n, mut bv) = self.env.take_at(i);
                    self.looks_named(&mut bv, &n, ty, None, p.span, "parameter");
                    self.env.put_at(i, bv);
                }
            }
        }
        if let Some(ins) = &body.instrument {
            for p in &body.params {
                if ins.skip_all || ins.skip.contains(&p.name) {
                    continue;
                }
                let v = self.lookup(&p.name).cloned().unwrap_or_default();
                let what = format!("the `#[instrument]` span (argument `{}`)", p.name);
                let before = self.flow.sinks.len();
                self.sink(Recipient::Builtin("log"), ins.span, &what, &v);
                for s in &mut self.flow.sinks[before..] {
                    s.instrument_arg = Some(p.name.clone());
                }
            }
            for f in &ins.fields {
                let v = self.expr(f);
                self.sink(
                    Recipient::Builtin("log"),
                    ins.span,
                    "the `#[instrument]` span's fields",
                    &v,
                );
            }
        }
    }

    /// Untyped data named like personal data (DPIA303's sources beyond tagged types): a
    /// parameter, variable, field or accessor whose name looks personal
    /// ([`crate::looks::classify`], with the base variable as the owner context) carries
    /// the looks-like pseudo-category from here on.
    fn looks_named(
        &mut self,
        v: &mut Val,
        name: &str,
        ty: &str,
        owner: Option<&str>,
        span: Span,
        what: &str,
    ) {
        if v.cats
            .keys()
            .any(|c| crate::looks::Category::of(c).is_declared())
        {
            return;
        }
        let Some(kind) = classify_cached(name, ty, owner) else {
            return;
        };
        let c = crate::looks::pseudo_category(kind);
        if v.cats.contains_key(&c) {
            return;
        }
        let t = Trace::of([Self::label(
            span,
            format!(
                "{what} `{name}` looks like {} and carries no tag",
                crate::looks::kind_phrase(kind)
            ),
        )]);
        v.cats.insert(c, t);
    }

    /// A value built here from `parts`: when personal data of two or more sources (the
    /// declarations or parameters its paths start at) meet, the function combines them.
    fn note_combine(&mut self, span: Span, parts: &[&Val]) {
        if !self.flow.combines.is_empty() {
            return;
        }
        let mut origins: Vec<(u32, u32)> = Vec::new();
        let mut cats: Vec<String> = Vec::new();
        let mut contributing = 0;
        for v in parts {
            let mut any = false;
            for (c, t) in &v.cats {
                if !crate::looks::Category::of(c).is_declared() {
                    continue;
                }
                // the source: the parameter or read that brought it into this function
                let l = t.to_vec();
                let src = l.get(1).unwrap_or(t.first()).span;
                let key = (src.start, src.end);
                if !origins.contains(&key) {
                    origins.push(key);
                    any = true;
                }
                if !cats.contains(c) {
                    cats.push(c.clone());
                }
            }
            contributing += usize::from(any);
        }
        if contributing >= 2 && origins.len() >= 2 {
            self.flow.combines.push(OpAt {
                span,
                categories: cats,
                what: format!("joins personal data of {} sources", origins.len()),
            });
        }
    }

    fn use_cat(&mut self, cat: &str, span: Span, trace: &Trace) {
        if !self.flow.uses.iter().any(|u| u.category == cat) {
            self.flow.uses.push(CatUse {
                category: cat.to_string(),
                span,
                trace: trace.to_vec(),
            });
        }
    }

    fn lookup(&self, name: &str) -> Option<&Val> {
        self.env.get(name)
    }

    fn lookup_mut(&mut self, name: &str) -> Option<&mut Val> {
        self.env.get_mut(name)
    }

    fn bind(&mut self, pat: &Pat, v: Val) {
        match pat {
            Pat::Bind(n, _) => self.env.push(n, v),
            Pat::Each(ps) => {
                for p in ps {
                    self.bind(p, v.clone());
                }
            }
            Pat::Elems(ps) => {
                for (i, p) in ps.iter().enumerate() {
                    let part = v.part(i);
                    self.bind(p, part);
                }
            }
            Pat::Tuple(path, ps) => {
                // `Command::Generate(args)`: the variant's own fields (`Generate.0`)
                let last = path.last().map(String::as_str).unwrap_or("");
                let own = v.ty.filter(|&t| {
                    self.ix
                        .model
                        .item(t)
                        .fields
                        .iter()
                        .any(|f| f.name == format!("{last}.0"))
                });
                match own {
                    Some(_) => {
                        for (i, p) in ps.iter().enumerate() {
                            let span = first_bind_span(p).unwrap_or(Span::new(
                                self.ix.model.item(self.body.item).file,
                                0..0,
                            ));
                            let fv = self.field(v.clone(), &format!("{last}.{i}"), span);
                            self.bind(p, fv);
                        }
                    }
                    None => {
                        for p in ps {
                            self.bind(p, v.clone());
                        }
                    }
                }
            }
            Pat::Err(ps) => {
                let e = v.err_part();
                for p in ps {
                    self.bind(p, e.clone());
                }
            }
            Pat::Struct(_, fields) => {
                for (name, p) in fields {
                    let span = first_bind_span(p)
                        .unwrap_or(Span::new(self.ix.model.item(self.body.item).file, 0..0));
                    let fv = self.field(v.clone(), name, span);
                    self.bind(p, fv);
                }
            }
            Pat::Typed(p, t) => {
                let span = first_bind_span(p);
                let v = self.declared(v, t, span);
                self.bind(p, v);
            }
            Pat::Wild => {}
        }
    }

    /// A value given a type by a declaration (`let x: T`, `pat: T`): [`Eval::typed`], and
    /// the library type when `T` is not a user type.
    fn declared(&mut self, v: Val, t: &TyRef, span: Option<Span>) -> Val {
        let mut v = self.typed(v, t, span);
        if v.ty.is_none() && !t.sanitised {
            if let Some(l) = self.lib_of(self.body.scope, t) {
                v.lib = Some(l);
                if let Some(span) = span {
                    v = self.lib_modelled(v, span, || "the value".into());
                }
            }
        }
        v
    }

    /// The type model of a library type ([`Pack::type_model`]).
    fn type_model(&self, lib: &[String]) -> Option<&'a Entry> {
        let pack: &'a Pack = self.pack;
        pack.type_model(lib)
    }

    /// A value of a library type a type model names: nothing for a sanitiser type
    /// (`secrecy::SecretString`), the model's category for a source type
    /// (`lettre::Address`); `holder` says what holds it, for the flow's step.
    fn lib_modelled(&mut self, mut v: Val, span: Span, holder: impl FnOnce() -> String) -> Val {
        let Some(e) = v.lib.as_deref().and_then(|l| self.type_model(l)) else {
            return v;
        };
        match e.kind {
            Kind::Sanitiser => Val {
                lib: v.lib,
                ..Val::default()
            },
            Kind::Source => {
                if let Some(c) = self.pack.category(e) {
                    if let std::collections::btree_map::Entry::Vacant(slot) =
                        v.cats.entry(c.clone())
                    {
                        let t = Trace::of([Self::label(
                            span,
                            format!(
                                "{} has type `{}`: {} (model `{}`)",
                                holder(),
                                e.target.path().join("::"),
                                crate::looks::category_phrase(&c),
                                e.origin
                            ),
                        )]);
                        self.use_cat(&c, span, &t);
                        slot.insert(t);
                    }
                }
                v
            }
            _ => v,
        }
    }

    /// Does the call path name a sanitiser type, or a function of one (`Secret::new`,
    /// `SecretString::from`, `Redacted(x)`)? A redaction type by its name
    /// ([`REDACTION_TYPES`]), or a type model's sanitiser type.
    fn sanitiser_call(&self, segs: &[String]) -> bool {
        if segs.iter().any(|s| REDACTION_TYPES.contains(&s.as_str())) {
            return true;
        }
        let n = segs.len();
        [n, n.saturating_sub(1)].into_iter().any(|k| {
            k > 0
                && segs[k - 1].starts_with(char::is_uppercase)
                && self.pack.has_type(&segs[k - 1])
                && self
                    .lib_path(self.body.scope, &segs[..k])
                    .and_then(|l| self.type_model(&l))
                    .is_some_and(|e| e.kind == Kind::Sanitiser)
        })
    }

    /// The library type a written type names in `scope` (one named type, or one trait of an
    /// `impl Trait`), its first segment expanded through the `use` items; `None` for a
    /// generic parameter (`W`, `DB`) or several types.
    fn lib_of(&self, scope: u32, t: &TyRef) -> Option<Arc<[String]>> {
        let segs = match (t.names.as_slice(), t.traits.as_slice()) {
            ([one], _) => one,
            ([], [one]) => one,
            _ => return None,
        };
        self.lib_path(scope, segs)
    }

    /// [`Eval::lib_of`] of a path.
    fn lib_path(&self, scope: u32, segs: &[String]) -> Option<Arc<[String]>> {
        let last = segs.last()?;
        let generic = last.len() <= 2
            || last
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        // a container (an impl's self type `Vec`): its elements' type is not known
        if generic
            || !last.starts_with(char::is_uppercase)
            || WRAPPERS.contains(&last.as_str())
            || matches!(segs[0].as_str(), "Self" | "self" | "super")
        {
            return None;
        }
        Some(self.expand(scope, segs).into())
    }

    /// A written path with its first segment expanded through the module's `use` items.
    fn expand(&self, scope: u32, segs: &[String]) -> Vec<String> {
        let mut full: Vec<String> = Vec::with_capacity(segs.len() + 2);
        let to = segs.first().and_then(|first| {
            let sc = self.ix.flow.scopes.get(scope as usize)?;
            sc.uses
                .iter()
                .rev()
                .find(|(n, _)| n == first)
                .map(|(_, to)| to)
        });
        match to {
            Some(to) => {
                full.extend(to.iter().cloned());
                full.extend(segs[1..].iter().cloned());
            }
            None => full.extend(segs.iter().cloned()),
        }
        full
    }

    /// A value given a type by an annotation.
    fn typed(&mut self, mut v: Val, t: &TyRef, span: Option<Span>) -> Val {
        if t.sanitised {
            return Val::default();
        }
        let tys = self
            .ix
            .types(self.body.scope, t, self.body.self_ty.as_ref());
        if let Some(&ty) = tys.first() {
            v.ty = Some(ty);
            if let (Some(w), Some(span)) = (self.ix.whole(ty), span) {
                let tname = self.ix.model.item(ty).name.clone();
                for (c, decl) in w.clone() {
                    if v.cats.contains_key(&c) {
                        continue;
                    }
                    let trace = Trace::presumed([
                        Self::label(decl, decl_msg(&c)),
                        Self::label(span, format!("a `{tname}` value")),
                    ]);
                    self.use_cat(&c, span, &trace);
                    v.cats.insert(c, trace);
                }
            }
        }
        if let (true, Some(span)) = (t.pseudo, span) {
            v = v.pseudo_typed(Self::label(span, "pseudonymised by its type"));
        }
        v
    }

    /// The declared categories a write into `field` of `base` alters. On a value of a known
    /// type, the field's own: its tags, or its tagged type's (`store.next_id += 1` on a
    /// store of reads alters no personal data). Otherwise (`field` is `None` for a nested
    /// place) everything the value carries.
    fn written_cats(&self, base: &Val, field: Option<&str>) -> Vec<String> {
        let declared = |c: &String| crate::looks::Category::of(c).is_declared();
        if let (Some(ty), Some(name)) = (base.ty, field) {
            if let Some(fi) = self.ix.field_index(ty, name) {
                let mut own: Vec<String> = self.ix.field_cats(ty, fi).into_keys().collect();
                let fty = self.ix.field_type(ty, fi).first().copied();
                if let Some(w) = fty.and_then(|t| self.ix.whole(t)) {
                    own.extend(w.keys().cloned());
                }
                own.retain(declared);
                own.sort();
                own.dedup();
                return own;
            }
        }
        base.cats.keys().filter(|c| declared(c)).cloned().collect()
    }

    /// Drops from `v`, an argument for parameter `p` of body `b`, the categories the
    /// parameter's own untagged type accounts for: the callee's evaluation saw them (a
    /// value of the type holds them, presumed, and each field read holds its own), so its
    /// summary already says where each goes. What the caller built into the value from
    /// another type's declaration of the same category, and what the type does not
    /// declare, stay.
    fn drop_own(&self, b: usize, p: u16, v: &mut Val) {
        let own = self
            .ix
            .param_types(b, p as usize)
            .first()
            .and_then(|&t| self.ix.whole(t));
        if let Some(own) = own {
            v.cats.retain(|c, t| {
                own.get(c).is_none_or(|decl| {
                    let first = t.first();
                    first.span != *decl && first.message == decl_msg(c)
                })
            });
        }
    }

    fn field(&mut self, base: Val, name: &str, span: Span) -> Val {
        if let (Some(_), Ok(i)) = (&base.elems, name.parse::<usize>()) {
            // `pair.1` of a tuple built here
            return base.part(i).untyped();
        }
        let Some(ty) = base.ty else {
            return base.untyped();
        };
        let Some(fi) = self.ix.field_index(ty, name) else {
            return base.untyped();
        };
        let fty = self.ix.field_type(ty, fi).first().copied();
        let tname = self.ix.model.item(ty).name.clone();
        // a field of a library type (`client: tokio_postgres::Client`)
        let lib = match fty {
            Some(_) => None,
            None => self
                .ix
                .field_tyref(ty, fi)
                .and_then(|(scope, t)| self.lib_of(scope, t)),
        };
        let mut v = Val {
            ty: fty,
            lib,
            ..Val::default()
        };
        let by_name = self
            .ix
            .field_tyref(ty, fi)
            .is_some_and(|(_, t)| t.sanitised);
        let model = v.lib.as_deref().and_then(|l| self.type_model(l));
        if by_name || model.is_some_and(|e| e.kind == Kind::Sanitiser) {
            // a field of a redaction type (`password: SecretString`, `Redacted<String>`)
            // holds nothing
            return v;
        }
        if !self.ix.is_tagged(ty) {
            // an untagged carrier: the field may hold whatever was put in, except the
            // type's own (looks-like) categories, which are exact per field
            let own = self.ix.whole(ty);
            for (c, t) in &base.cats {
                if !own.is_some_and(|w| w.contains_key(c)) {
                    v.cats.insert(c.clone(), t.clone());
                }
            }
            v.params = base.params.clone();
        }
        for (c, decl) in self.ix.field_cats(ty, fi) {
            if v.cats.contains_key(&c) {
                continue;
            }
            let mut trace = base
                .cats
                .get(&c)
                .cloned()
                .unwrap_or_else(|| Trace::of([Self::label(decl, decl_msg(&c))]));
            trace = trace.surely(Self::label(span, format!("`{tname}.{name}` read here")));
            self.use_cat(&c, span, &trace);
            v.cats.insert(c, trace);
        }
        if !self.ix.is_tagged(ty) {
            // what some body stored into this field (`Notification { row_2: ip, .. }`
            // where the value was built, read where it arrived through a channel or a
            // trait object)
            self.flow.reads.push((ty, fi as u32));
            if let Some(stored) = self.stores.get(&(ty, fi as u32)) {
                for (c, t) in stored {
                    if v.cats.contains_key(c) {
                        continue;
                    }
                    let trace = extend(t, Self::label(span, format!("`{tname}.{name}` read here")));
                    self.use_cat(c, span, &trace);
                    v.cats.insert(c.clone(), trace);
                }
            }
        }
        if model.is_some_and(|e| e.kind == Kind::Source) && crate::looks::is_config_owner(&tname) {
            // the service's configuration: its `from: Mailbox` is the sender's address
            return v;
        }
        self.lib_modelled(v, span, || format!("`{tname}.{name}`"))
    }

    fn tick(&mut self) -> bool {
        self.steps += 1;
        self.steps <= STEP_BUDGET
    }

    fn block(&mut self, stmts: &[Stmt]) -> Val {
        let mark = self.env.len();
        let mut last = Val::default();
        for s in stmts {
            last = match s {
                Stmt::Let {
                    pat,
                    ty,
                    init,
                    diverge,
                } => {
                    let mut v = match init {
                        Some(e) => self.expr(e),
                        None => Val::default(),
                    };
                    if let Some(t) = ty {
                        v = self.declared(v, t, first_bind_span(pat));
                    }
                    if let (Pat::Bind(n, _), Some(e)) = (pat, init) {
                        if let Some(root) = chain_root(e) {
                            self.roots.push((n.clone(), root));
                        }
                    }
                    // a closure, a literal (`let email = "noreply@…"`: the program's own
                    // constant) and a comparison (`let health = path == "/healthz"`: a
                    // flag) are never personal data by their name
                    let by_shape = matches!(
                        init,
                        Some(Expr::Closure(..) | Expr::Lit | Expr::Key(_) | Expr::Bool(_))
                    );
                    if let (Pat::Bind(n, span), None, false) = (pat, v.ty, by_shape) {
                        // `let email = ...`: a variable named like personal data; what it
                        // is read from is the owner (`let uid = user.input.id`)
                        let tw = ty.as_ref().map(ty_word).unwrap_or("");
                        let owner = init.as_ref().and_then(read_from);
                        self.looks_named(&mut v, n, tw, owner, *span, "variable");
                    }
                    if let Some(d) = diverge {
                        self.expr(d);
                    }
                    self.bind(pat, v);
                    Val::default()
                }
                Stmt::Expr(e) => self.expr(e),
            };
        }
        self.env.truncate(mark);
        last
    }

    pub fn expr(&mut self, e: &Expr) -> Val {
        if !self.tick() {
            return Val::default();
        }
        match e {
            Expr::Lit | Expr::Key(_) => Val::default(),
            Expr::Path(segs, _) => {
                if segs.len() == 1 {
                    if let Some(v) = self.lookup(&segs[0]) {
                        return v.clone();
                    }
                }
                Val::default()
            }
            Expr::Field(base, name, span) => self.field_read(base, name, *span),
            Expr::Index(base, idx) => {
                self.expr(idx);
                self.expr(base)
            }
            Expr::Call(segs, args, span) => self.call(segs, args, *span),
            Expr::CallValue(f, args) => {
                let mut v = self.expr(f);
                for a in args {
                    let av = self.expr(a);
                    v.join(av);
                }
                v.untyped()
            }
            Expr::Method {
                recv,
                name,
                args,
                span,
            } => self.method(recv, name, args, *span),
            Expr::Macro(m) => self.mac(m),
            Expr::Struct {
                path,
                fields,
                rest,
                span,
            } => self.struct_lit(path, fields, rest.as_deref(), *span),
            Expr::Closure(params, body) => {
                let mark = self.env.len();
                for p in params {
                    self.bind(p, Val::default());
                }
                self.expr(body);
                self.env.truncate(mark);
                Val::default()
            }
            Expr::Block(stmts) => self.block(stmts),
            Expr::If { cond, then, els } => self.if_else(cond, then, els.as_deref()),
            Expr::LetCond(pat, e) => {
                let v = self.expr(e);
                self.bind(pat, v);
                Val::default()
            }
            Expr::Match(scrut, arms) => self.match_arms(scrut, arms),
            Expr::For(pat, iter, body) => {
                let it = self.expr(iter);
                let mark = self.env.len();
                self.bind(pat, it);
                self.expr(body);
                self.env.truncate(mark);
                Val::default()
            }
            Expr::Clean(es) | Expr::Bool(es) => {
                for e in es {
                    self.expr(e);
                }
                Val::default()
            }
            Expr::Join(es) => {
                let mut v = Val::default();
                for e in es {
                    let ev = self.expr(e);
                    v.join(ev);
                }
                v
            }
            Expr::Tuple(es) => {
                let mut v = Val::default();
                let mut parts = Vec::with_capacity(es.len());
                for e in es {
                    let ev = self.expr(e);
                    let mut part = ev.clone();
                    // a part's own parts are not kept: one level is what patterns use
                    part.elems = None;
                    parts.push(part);
                    v.join(ev);
                }
                if !parts.is_empty() {
                    v.elems = Some(Box::new(parts));
                }
                v
            }
            Expr::Assign(lhs, rhs) => self.assign(lhs, rhs),
            Expr::Return(e) => {
                if let Some(e) = e {
                    let v = self.expr(e);
                    self.ret.join(v);
                }
                Val::default()
            }
        }
    }

    /// `base.name`: the field of a known type, or a name that looks personal on a value
    /// the analysis does not know (`row.email`).
    fn field_read(&mut self, base: &Expr, name: &str, span: Span) -> Val {
        let b = self.expr(base);
        let untyped = b.ty.is_none_or(|t| self.ix.field_index(t, name).is_none());
        let mut v = self.field(b, name, span);
        if untyped {
            let owner = expr_name(base);
            // every field of this name in the workspace is a number or a date that does not
            // look personal (`session.last_seen: i64`): so is this one. (Not a flag: a
            // settings struct's `email: bool` says nothing of a row's `email`.)
            let tys = self.ix.field_tys_named(name);
            let never = !tys.is_empty()
                && tys.iter().all(|ty| {
                    crate::looks::is_number_or_date(ty)
                        && classify_cached(name, ty, owner).is_none()
                });
            if !never {
                self.looks_named(&mut v, name, "", owner, span, "field");
            }
        }
        v
    }

    /// `Path { a, b, ..rest }`: what the fields carry, typed as `Path`; personal data of two
    /// sources built into one value is a combination.
    fn struct_lit(
        &mut self,
        path: &[String],
        fields: &[(String, Expr)],
        rest: Option<&Expr>,
        span: Span,
    ) -> Val {
        let mut v = Val::default();
        let mut parts = Vec::with_capacity(fields.len());
        let fmt = self.error_fmt_of(path);
        let mut display = Val::default();
        let mut stored: Vec<(&str, Span, BTreeMap<String, Trace>)> = Vec::new();
        for (name, f) in fields {
            let fv = self.expr(f);
            if !fv.cats.is_empty() {
                parts.push(fv.clone());
                stored.push((name, tail_span(f).unwrap_or(span), (*fv.cats).clone()));
            }
            if let Some(&(_, debug)) = fmt.and_then(|fs| fs.iter().find(|(n, _)| n == name)) {
                let shown = if debug {
                    fv.clone()
                } else {
                    fv.clone().displayed()
                };
                display.join(shown.untyped());
            }
            v.join(fv.untyped());
        }
        if fmt.is_some() && rest.is_none() {
            v.display = Some(Box::new(display));
        }
        if parts.len() >= 2 {
            let refs: Vec<&Val> = parts.iter().collect();
            self.note_combine(span, &refs);
        }
        if let Some(r) = rest {
            let rv = self.expr(r);
            v.join(rv.untyped());
        }
        let t = TyRef {
            names: vec![path.to_vec()],
            ..TyRef::default()
        };
        let v = self.typed(v, &t, Some(span));
        if let Some(ty) =
            v.ty.filter(|&ty| !stored.is_empty() && !self.ix.is_tagged(ty))
        {
            self.store(ty, stored);
        }
        v
    }

    /// Personal data built into fields of an untagged type (`ty`): kept in
    /// [`FnFlow::stores`], first path per field and category. A store reaches every read
    /// of the field in the crate, so only the plain cases count: the data itself (not a
    /// path presumed from a type), one or two categories (a value that carries more is a
    /// whole record's worth, the analysis's over-approximation of what a call returns),
    /// into a field whose type can hold it (not a flag, a number or a setting) and whose
    /// categories its reads do not give already. A field named like a kind of data takes
    /// only that kind, or declared categories: the name is better evidence than a value
    /// the analysis over-approximated (an `email` field gets no IP address).
    fn store(&mut self, ty: ItemId, fields: Vec<(&str, Span, BTreeMap<String, Trace>)>) {
        let it = self.ix.model.item(ty);
        let tname = &it.name;
        for (name, span, cats) in fields {
            let Some(fi) = self.ix.field_index(ty, name) else {
                continue;
            };
            let fty = &it.fields[fi].ty;
            if cats.len() > MAX_STORED_CATS
                || !crate::looks::may_hold_personal_data(fty)
                || !self.ix.field_cats(ty, fi).is_empty()
                || is_keyed_value(&it.fields, name)
            {
                continue;
            }
            let named = classify_cached(name, fty, None);
            for (c, t) in cats {
                let looks = crate::looks::Category::of(&c).looks_like();
                let other_kind = named.is_some() && looks.is_some() && looks != named;
                if t.is_presumed() || other_kind {
                    continue;
                }
                let key = (ty, fi as u32);
                if self.flow.stores.iter().any(|s| s.0 == key && s.1 == c) {
                    continue;
                }
                let t = extend(&t, Self::label(span, format!("stored in `{tname}.{name}`")));
                self.flow.stores.push((key, c, t));
            }
        }
    }

    /// `if cond { then } else { els }`: the branches joined; `if let` bindings end with
    /// the `then` branch.
    fn if_else(&mut self, cond: &Expr, then: &Expr, els: Option<&Expr>) -> Val {
        let mark = self.env.len();
        self.expr(cond);
        let mut v = self.expr(then);
        self.env.truncate(mark);
        if let Some(e) = els {
            let ev = self.expr(e);
            v.join(ev);
        }
        v
    }

    /// `match scrut { pat if guard => body, .. }`: every arm binds what the scrutinee
    /// carries; the arms joined.
    fn match_arms(&mut self, scrut: &Expr, arms: &[(Pat, Option<Expr>, Expr)]) -> Val {
        let s = self.expr(scrut);
        let mut out = Val::default();
        for (pat, guard, body) in arms {
            let mark = self.env.len();
            self.bind(pat, s.clone());
            if let Some(g) = guard {
                self.expr(g);
            }
            let v = self.expr(body);
            out.join(v);
            self.env.truncate(mark);
        }
        out
    }

    /// `lhs = rhs`: the variable at the root of `lhs` carries `rhs` too (keeping its type);
    /// a field write on a value that carries personal data is an alteration.
    fn assign(&mut self, lhs: &Expr, rhs: &Expr) -> Val {
        let v = self.expr(rhs);
        if let Expr::Field(base, f, span) = lhs {
            if let Some(name) = root_var(lhs) {
                let direct = matches!(&**base, Expr::Path(s, _) if s.len() == 1);
                let cats = self
                    .lookup(&name)
                    .map(|b| self.written_cats(b, direct.then_some(f.as_str())))
                    .unwrap_or_default();
                if !cats.is_empty() && self.flow.alters.len() < 4 {
                    self.flow.alters.push(OpAt {
                        span: *span,
                        categories: cats,
                        what: format!("writes `{name}.{f}`"),
                    });
                }
            }
        }
        if let Some(name) = root_var(lhs) {
            if let Some(slot) = self.lookup_mut(&name) {
                let ty = slot.ty;
                slot.join(v.untyped());
                slot.ty = ty;
            }
        } else {
            self.expr(lhs);
        }
        Val::default()
    }

    /// Evaluates call arguments; closures get `elem` (the receiver's elements) as parameters.
    fn args(&mut self, args: &[Expr], elem: &Val) -> Vec<Val> {
        args.iter()
            .map(|a| match a {
                Expr::Closure(params, body) => {
                    let mark = self.env.len();
                    for p in params {
                        self.bind(p, elem.clone());
                    }
                    let v = self.expr(body);
                    self.env.truncate(mark);
                    v
                }
                other => self.expr(other),
            })
            .collect()
    }

    fn call(&mut self, segs: &Segs, args: &[Expr], span: Span) -> Val {
        let vals = self.args(args, &Val::default());
        let last = segs.last().map(String::as_str).unwrap_or("");
        let joined = || {
            let mut v = Val::default();
            for a in &vals {
                v.join(a.clone().untyped());
            }
            v
        };
        // each segment's words looked up once for both questions
        let (mut hash, mut redact) = (None, false);
        for s in segs {
            let (sanitiser, pseudonymising) = name_words(s);
            redact |= sanitiser;
            if pseudonymising && hash.is_none() {
                hash = Some(s);
            }
        }
        // hashes pseudonymise: `sha256(x)`, `Hashed::new(x)` keep the categories
        if let Some(h) = hash {
            return joined().pseudonymised(Self::label(span, format!("pseudonymised by `{h}`")));
        }
        // sanitisers: `Secret::new(x)`, `Redacted(x)`, `redact(x)`
        if redact || self.sanitiser_call(segs) {
            return Val::default();
        }
        let callees = self
            .ix
            .resolve_fn(self.body.scope, segs, self.body.self_ty.as_ref());
        if self.pack.has_function(last) {
            // the pack models third-party code; the project's own `[[models]]` also
            // override its functions. A constructor of the project's own tuple struct
            // (`kitsune_db::json::Json(x)`) is not a library's of that name.
            let own_ctor = || {
                last.starts_with(char::is_uppercase)
                    && !self
                        .ix
                        .types(
                            self.body.scope,
                            &TyRef {
                                names: vec![segs.clone()],
                                ..TyRef::default()
                            },
                            self.body.self_ty.as_ref(),
                        )
                        .is_empty()
            };
            if let Some(e) = self
                .model_fn(segs)
                .filter(|e| e.origin == "dpia.toml" || (callees.is_empty() && !own_ctor()))
            {
                let mut v = Val::default();
                for (i, a) in vals.iter().enumerate() {
                    if e.selects(Some(i), false, None) {
                        v.join(a.clone().untyped());
                    }
                }
                let shown = format!("`{}`", segs.join("::"));
                return self.model_result(e, span, &shown, v, None);
            }
        }
        if !callees.is_empty() {
            let mut out = Val::default();
            for &c in callees.iter() {
                let r = self.apply(c, vals.clone(), span);
                out.join(r);
            }
            return out;
        }
        // `Type::new(..)`, `Type::from(..)` of a user type without a visible body
        let mut v = joined();
        if segs.len() == 1 && last == "Err" {
            self.err_val.join(v.clone());
            v.err = Some(Box::new(v.clone()));
        } else if segs.len() == 1 && last == "Ok" {
            v.err = Some(Box::default());
        }
        if segs.len() >= 2 {
            let t = TyRef {
                names: vec![segs[..segs.len() - 1].to_vec()],
                ..TyRef::default()
            };
            v = self.typed(v, &t, Some(span));
        } else if segs.len() == 1 && last.chars().next().is_some_and(char::is_uppercase) {
            // a tuple struct or variant constructor: `Email(s)`, `Some(x)`
            let t = TyRef {
                names: vec![segs.clone()],
                ..TyRef::default()
            };
            v = self.typed(v, &t, Some(span));
        }
        if v.ty.is_none() {
            v.lib = self.returned_lib(segs, &vals);
            v = self.lib_modelled(v, span, || "the value".into());
        }
        if let Some(fmt) = self.error_fmt_of(segs) {
            // a tuple variant of a `thiserror` enum: `{0}` is the first argument
            let mut d = Val::default();
            for (i, a) in vals.iter().enumerate() {
                let name = i.to_string();
                if let Some(&(_, debug)) = fmt.iter().find(|(n, _)| *n == name) {
                    let shown = if debug {
                        a.clone()
                    } else {
                        a.clone().displayed()
                    };
                    d.join(shown.untyped());
                }
            }
            v.display = Some(Box::new(d));
        }
        v
    }

    /// What formatting `v` with `Display` shows: its [`Val::display`] part when known (a
    /// `thiserror` variant built in view); else, for a value of a `thiserror` type whose
    /// variant is not known (a parameter, a field), the categories of the fields some
    /// variant's `#[error(...)]` names (all the fields of a variant without one), what it
    /// comes from kept; else all of it.
    fn shown(&self, v: Val) -> Val {
        if v.display.is_some() {
            return v.displayed();
        }
        let Some(t) =
            v.ty.filter(|&t| !self.ix.flow.error_fmts.is_empty() && self.ix.error_fmt_any(t))
        else {
            return v;
        };
        let item = self.ix.model.item(t);
        let mut allowed: BTreeSet<String> = BTreeSet::new();
        for (i, f) in item.fields.iter().enumerate() {
            let (variant, field) = match f.name.split_once('.') {
                Some((v, f)) => (Some(v), f),
                None => (None, f.name.as_str()),
            };
            let named = match self.ix.error_fmt(t, variant) {
                Some(fmt) => fmt.iter().any(|(n, _)| n == field),
                None => true,
            };
            if named {
                allowed.extend(self.ix.field_cats(t, i).into_keys());
            }
        }
        let own = self.ix.whole(t);
        let mut v = v;
        v.cats
            .retain(|c, _| allowed.contains(c) || !own.is_some_and(|w| w.contains_key(c)));
        v
    }

    /// What `Display` formats of a `thiserror` variant `path` (`MyError::NotFound`,
    /// `Self::NotFound`) or struct: see [`Index::error_fmt`].
    fn error_fmt_of(&self, path: &[String]) -> Option<&'a [(String, bool)]> {
        let ix: &'a Index<'a> = self.ix;
        if ix.flow.error_fmts.is_empty()
            || !path.last()?.starts_with(|c: char| c.is_ascii_uppercase())
        {
            return None;
        }
        let (scope, self_ty) = (self.body.scope, self.body.self_ty.as_ref());
        let of = |names: &[String]| TyRef {
            names: vec![names.to_vec()],
            ..TyRef::default()
        };
        if path.len() >= 2 {
            let variant = path.last().map(String::as_str);
            for t in ix.types(scope, &of(&path[..path.len() - 1]), self_ty) {
                if let Some(f) = ix.error_fmt(t, variant) {
                    return Some(f);
                }
            }
        }
        ix.types(scope, &of(path), self_ty)
            .into_iter()
            .find_map(|t| ix.error_fmt(t, None))
    }

    /// The library type a call of `segs` (no user function) returns when its name says so:
    /// a constructor of a library type (`Handlebars::new()`, `File::create(p)`,
    /// `TcpStream::connect(a)`; a wrapper's, `BufWriter::new(f)`, `Arc::new(x)`, is its
    /// argument's), `io::stdout()`, `io::stderr()`.
    fn returned_lib(&self, segs: &[String], vals: &[Val]) -> Option<Arc<[String]>> {
        let n = segs.len();
        let last = segs.last()?.as_str();
        let scope = self.body.scope;
        if n >= 2 && is_ctor(last) && segs[n - 2].starts_with(char::is_uppercase) {
            let ty = segs[n - 2].as_str();
            if ty == "Vec" && (vals.is_empty() || last == "with_capacity") {
                // a byte buffer (`Vec<u8>` is an `io::Write`)
                return Some(path_of(&["std", "vec", "Vec"]));
            }
            if WRAPPERS.contains(&ty) {
                return vals.first().and_then(|inner| inner.lib.clone());
            }
            return self.lib_path(scope, &segs[..n - 1]);
        }
        if matches!(last, "stdout" | "stderr") {
            let mut full = self.expand(scope, segs);
            if full.len() >= 2 && full[full.len() - 2] == "io" {
                full.pop();
                full.push(if last == "stdout" { "Stdout" } else { "Stderr" }.into());
                return Some(full.into());
            }
        }
        None
    }

    /// A method call; a keyed read (`row.get("email")`, `headers.get(USER_AGENT)`) whose key
    /// names personal data returns data that looks so, whatever else the call is.
    fn method(&mut self, recv: &Expr, name: &str, args: &[Expr], span: Span) -> Val {
        let mut v = self.method_call(recv, name, args, span);
        if KEYED_READS.contains(&name) {
            if let Some(key) = args.first().and_then(key_name) {
                let owner = expr_name(recv);
                self.looks_named(&mut v, key, "", owner, span, "the value of key");
            }
        }
        v
    }

    fn method_call(&mut self, recv: &Expr, name: &str, args: &[Expr], span: Span) -> Val {
        let r = self.expr(recv);
        // `map_err(|e| ..)`, `or_else(|e| ..)`: the closure gets the error
        let vals = if matches!(name, "map_err" | "or_else") {
            let e = r.err_part();
            self.args(args, &e)
        } else {
            self.args(args, &r)
        };
        let mut callees: Vec<ItemId> = match r.ty {
            Some(t) => self.ix.methods_of(t, name),
            None => Vec::new(),
        };
        // the receiver's own type first; then the models; then trait methods by name
        if callees.is_empty() {
            if let Some(e) = self.model_method(recv, r.lib.as_deref(), name, args) {
                let mut v = Val::default();
                for (i, a) in vals.iter().enumerate() {
                    if e.selects(Some(i), false, None) {
                        v.join(a.clone());
                    }
                }
                if e.selects(None, true, None) {
                    v.join(r.clone());
                }
                let p = e.target.path();
                let shown = if e.recipient.as_deref() == Some("log") && p.len() >= 2 {
                    format!("`{}::{name}`", p[p.len() - 2])
                } else {
                    format!("`.{name}(..)`")
                };
                return self.model_result(e, span, &shown, v, Some((recv, r)));
            }
        }
        // a std-like name (`get`, `iter`, `len`) on a value that comes from no parameter
        // (a static, a library call's result) is the library's, not a user trait method
        let std_like = SAME_TYPE_METHODS.contains(&name) || CLEAN_METHODS.contains(&name);
        if callees.is_empty() && r.ty.is_none() && !r.foreign && !(std_like && r.params.is_empty())
        {
            let tm = self.ix.trait_methods(self.krate, name);
            if tm.len() <= 8 {
                callees = tm.to_vec();
            }
            if callees.is_empty()
                && !SAME_TYPE_METHODS.contains(&name)
                && !CLEAN_METHODS.contains(&name)
            {
                // the crate's one method of that name
                callees.extend(self.ix.unique_method(self.krate, name));
            }
        }
        let (sanitiser, pseudonymising) = if callees.is_empty() {
            name_words(name)
        } else {
            (false, false)
        };
        if pseudonymising {
            let mut v = r.clone();
            for a in &vals {
                v.join(a.clone());
            }
            return v.pseudonymised(Self::label(span, format!("pseudonymised by `{name}`")));
        }
        if callees.is_empty() && (CLEAN_METHODS.contains(&name) || sanitiser) {
            return Val::default();
        }
        if callees.len() > 1 && callees.iter().any(|c| self.body_of.contains_key(c)) {
            // a trait's bodiless declaration says nothing its implementations do not
            callees.retain(|c| self.body_of.contains_key(c));
        }
        if !callees.is_empty() {
            let mut out = Val::default();
            for c in callees {
                let has_self = self
                    .body_of
                    .get(&c)
                    .map(|&b| {
                        self.bodies[b]
                            .params
                            .first()
                            .is_some_and(|p| p.name == "self")
                    })
                    .unwrap_or(true);
                let mut all = Vec::with_capacity(vals.len() + 1);
                if has_self {
                    all.push(r.clone());
                }
                all.extend(vals.iter().cloned());
                let v = self.apply(c, all, span);
                out.join(v);
            }
            return out;
        }
        // an unknown method: its result may carry the receiver and the arguments
        let r = if name == "to_string" && args.is_empty() {
            // `Display`
            self.shown(r)
        } else {
            r
        };
        let recv_err = result_err(name, r.err.clone(), &vals);
        let keeps_type = SAME_TYPE_METHODS.contains(&name);
        let getter = args.is_empty() && !keeps_type && r.ty.is_none();
        let open_file = (name == "open").then(|| self.opens_file(recv)).flatten();
        // the library type goes where the user type goes (`iter`, `get`, `unwrap_or_else`:
        // an element or the value), and through a handle on the receiver (`deref`)
        let handle = SAME_RECEIVER_METHODS.contains(&name).then(|| r.lib.clone());
        let mut out = if keeps_type { r } else { r.untyped() };
        if let Some(lib) = handle {
            out.lib = lib;
        }
        if let Some(f) = open_file {
            out.lib = Some(f);
        }
        if name == "to_string" && args.is_empty() {
            out.lib = Some(path_of(&["std", "string", "String"]));
        }
        if getter {
            // `request.email()`, `user.username()` on a value of unknown type
            let owner = expr_name(recv);
            self.looks_named(&mut out, name, "", owner, span, "accessor");
        }
        for (a, v) in args.iter().zip(vals) {
            if matches!(a, Expr::Closure(..)) && !keeps_type {
                // `map(|r| r.vrm.clone())`: the closure's result, with its type
                let ty = v.ty;
                out.join(v);
                out.ty = ty;
            } else if matches!(a, Expr::Closure(..)) {
                // `filter(|r| ...)`: the receiver's elements go through
            } else {
                out.join(v.untyped());
            }
        }
        out.err = recv_err.map(Box::new);
        out
    }

    /// `OpenOptions::new().append(true).open(p)`: the file it opens (`std::fs::File`, or
    /// `tokio::fs::File` for tokio's `OpenOptions`).
    fn opens_file(&self, recv: &Expr) -> Option<Arc<[String]>> {
        let root = chain_root(recv)?;
        let full = self.expand(self.body.scope, &root);
        let at = full.iter().position(|s| s == "OpenOptions")?;
        let mut f = full[..at].to_vec();
        if f.is_empty() {
            f.extend(["std".to_string(), "fs".to_string()]);
        }
        f.push("File".into());
        Some(f.into())
    }

    fn mac(&mut self, m: &MacroCall) -> Val {
        let model = self.pack.mac(&m.path);
        if model.is_some_and(|e| e.origin == "std.toml")
            && WRITE_MACROS.contains(&m.path.last().map(String::as_str).unwrap_or(""))
            && !m.args.is_empty()
        {
            return self.write_macro(m);
        }
        let mut v = Val::default();
        let mut all = Val::default();
        let mut parts: Vec<Val> = Vec::new();
        // all but the first argument (an `ensure!`'s condition)
        let mut rest = Val::default();
        // a macro that builds a value (`format!`, `json!`, an unknown one), not a sink
        let builds = model.is_none_or(|e| e.kind == Kind::Passthrough);
        for (i, a) in m.args.iter().enumerate() {
            let mut av = self.expr(a);
            if m.display.get(i) == Some(&true) {
                av = self.shown(av);
            }
            let av = av.untyped();
            let key = m.keys.get(i).and_then(|k| k.as_deref());
            if model.is_none_or(|e| e.selects(Some(i), false, key)) {
                v.join(av.clone());
            }
            if builds && !av.cats.is_empty() {
                parts.push(av.clone());
            }
            if i > 0 {
                rest.join(av.clone());
            }
            all.join(av);
        }
        for (j, c) in m.captures.iter().enumerate() {
            if let Some(cv) = self.lookup(c).cloned() {
                let span = m.fmt_span.unwrap_or(m.span);
                let cv = if m.cap_display.get(j) == Some(&true) {
                    self.shown(cv)
                } else {
                    cv
                };
                let cv = cv
                    .step(Self::label(
                        span,
                        format!("`{c}` captured by the format string"),
                    ))
                    .untyped();
                if model.is_none_or(|e| e.selects(None, false, None)) {
                    v.join(cv.clone());
                }
                if builds && !cv.cats.is_empty() {
                    parts.push(cv.clone());
                }
                rest.join(cv.clone());
                all.join(cv);
            }
        }
        if parts.len() >= 2 {
            // `format!("{a} {b}")`, `json!({..})`: a value built from both
            let refs: Vec<&Val> = parts.iter().collect();
            self.note_combine(m.span, &refs);
        }
        let Some(e) = model else {
            if let Some(err) = early_err(m, &all, &rest) {
                // `bail!(..)`, `ensure!(cond, ..)`: `return Err(anyhow!(..))`
                let label = format!("returned as the error of `{}!`", m.path.join("::"));
                let err = err.step(Self::label(m.span, label)).untyped();
                let mut v = err.clone();
                v.err = Some(Box::new(err.clone()));
                self.err_val.join(err);
                self.ret.join(v);
                return Val::default();
            }
            return all;
        };
        let shown = format!("`{}!`", m.path.join("::"));
        let mut out = self.model_result(e, m.span, &shown, v, None);
        if e.origin == "std.toml" && m.path.last().is_some_and(|l| l == "format") {
            out.lib = Some(path_of(&["std", "string", "String"]));
        }
        out
    }

    /// `write!(dst, ..)` / `writeln!(dst, ..)` is `dst.write_fmt(format_args!(..))`: the
    /// formatted arguments (all but the writer, and the format string's captures) go where
    /// the writer's `write_fmt` takes them. A writer of a user type: its own `write_fmt`,
    /// `write_str`, `write_all` or `write`; of a library type: the `write_fmt` model of that
    /// type (a file, a socket, stdout; a `String` or `fmt::Formatter` carries the data);
    /// of an unknown type (a generic `W: Write`): the `by-name` model, as for
    /// `.write_fmt(..)` and `.write_all(..)` on it (a file). A writer no model knows
    /// carries the data.
    fn write_macro(&mut self, m: &MacroCall) -> Val {
        let dst = &m.args[0];
        let r = self.expr(dst);
        let mut v = Val::default();
        for (i, a) in m.args.iter().enumerate().skip(1) {
            let mut av = self.expr(a);
            if m.display.get(i) == Some(&true) {
                av = self.shown(av);
            }
            v.join(av.untyped());
        }
        let span = m.fmt_span.unwrap_or(m.span);
        for (j, c) in m.captures.iter().enumerate() {
            if let Some(mut cv) = self.lookup(c).cloned() {
                if m.cap_display.get(j) == Some(&true) {
                    cv = self.shown(cv);
                }
                let l = Self::label(span, format!("`{c}` captured by the format string"));
                v.join(cv.step(l).untyped());
            }
        }
        if v.is_clean() {
            return Val::default();
        }
        if let Some(t) = r.ty {
            for name in ["write_fmt", "write_str", "write_all", "write"] {
                let callees = self.ix.methods_of(t, name);
                if callees.is_empty() {
                    continue;
                }
                for c in callees {
                    self.apply(c, vec![r.clone(), v.clone()], m.span);
                }
                return Val::default();
            }
            self.join_receiver(dst, &v);
            return Val::default();
        }
        let shown = format!("`{}!`", m.path.join("::"));
        let fmt_write = path_of(&["std", "fmt", "Write"]);
        let known = r.lib.as_deref().filter(|l| self.pack.knows_type(l));
        let rty = match known {
            Some(l) => Some(l),
            // a writer of unknown type where the module imports `fmt::Write` and not
            // `io::Write`: a string being built
            None if self.imports_fmt_write_only() => Some(&*fmt_write),
            None => None,
        };
        match self.model_method(dst, rty, "write_fmt", &[]) {
            Some(e) => {
                self.model_result(e, m.span, &shown, v, Some((dst, r)));
            }
            None => self.join_receiver(dst, &v),
        }
        Val::default()
    }

    /// Does the body's module import `std::fmt::Write` (the trait `write!` on a string
    /// needs) and not `std::io::Write`?
    fn imports_fmt_write_only(&self) -> bool {
        let Some(sc) = self.ix.flow.scopes.get(self.body.scope as usize) else {
            return false;
        };
        let is = |to: &Segs, module: &str| matches!(to.as_slice(), [k, m, w] if matches!(k.as_str(), "std" | "core" | "alloc") && m == module && w == "Write");
        sc.uses.iter().any(|(_, to)| is(to, "fmt")) && !sc.uses.iter().any(|(_, to)| is(to, "io"))
    }

    /// What a call matched by a model does with the selected inputs `v`; `recv` is the
    /// receiver of a method.
    fn model_result(
        &mut self,
        e: &Entry,
        span: Span,
        shown: &str,
        v: Val,
        recv: Option<(&Expr, Val)>,
    ) -> Val {
        match e.kind {
            Kind::Sanitiser => Val::default(),
            Kind::Sink => {
                let mut v = v;
                if let Some(c) = self.pack.category(e) {
                    // the call sends data it gets itself (a request logger)
                    let t = Trace::of([Self::label(
                        span,
                        format!(
                            "{shown} sends {} (model `{}`)",
                            crate::looks::Category::of(&c).shown(),
                            e.origin
                        ),
                    )]);
                    v.cats.entry(c).or_insert(t);
                }
                let rk = recipient_of(e.recipient.as_deref().unwrap_or("log"));
                if rk == Recipient::Builtin("http-response") {
                    self.http_sunk.extend(v.cats.keys().cloned());
                }
                let what = describe(&rk, shown);
                self.sink(rk, span, &what, &v);
                match (e.returns, recv) {
                    (Returns::Value, _) => v,
                    (Returns::Receiver, Some((re, mut r))) => {
                        self.join_receiver(re, &v);
                        r.join(v.untyped());
                        r
                    }
                    // what the call returns is not the receiver's type
                    (_, Some((_, mut r))) => {
                        r.lib = None;
                        r
                    }
                    _ => Val::default(),
                }
            }
            Kind::Passthrough => match (e.returns, recv) {
                (Returns::Receiver, Some((re, mut r))) => {
                    self.join_receiver(re, &v);
                    let ty = r.ty;
                    r.join(v.untyped());
                    r.ty = ty;
                    r
                }
                (Returns::Value, _) => v,
                (_, Some((_, mut r))) => {
                    r.lib = None;
                    r
                }
                _ => Val::default(),
            },
            Kind::Source => {
                let mut out = v.untyped();
                if let Some(c) = self.pack.category(e) {
                    let t = Trace::of([Self::label(
                        span,
                        format!(
                            "{shown} returns {} (model `{}`)",
                            crate::looks::Category::of(&c).shown(),
                            e.origin
                        ),
                    )]);
                    self.use_cat(&c, span, &t);
                    out.cats.entry(c).or_insert(t);
                }
                out
            }
        }
    }

    /// `map.insert(k, v)`, `builder.to(x)`: the receiver variable now carries `v`.
    fn join_receiver(&mut self, recv: &Expr, v: &Val) {
        if v.is_clean() {
            return;
        }
        if let Some(name) = root_var(recv) {
            if let Some(slot) = self.lookup_mut(&name) {
                let ty = slot.ty;
                slot.join(v.clone().untyped());
                slot.ty = ty;
            }
        }
    }

    /// A user function called with `args` (the receiver first for methods).
    fn apply(&mut self, callee: ItemId, args: Vec<Val>, span: Span) -> Val {
        let item = self.ix.model.item(callee);
        let fname = item.name.as_str();
        if let Some(t) = item.tag(TagKind::Sink) {
            if let Tag::Sink(s) = &t.tag {
                let rid = s.recipient.value.clone();
                let what = format!("recipient `{rid}` (through `{fname}`)");
                let mut v = Val::default();
                for a in &args {
                    v.join(a.clone());
                }
                self.flow.calls.push(CallSite {
                    callee,
                    span,
                    arg_cats: v.cats.keys().cloned().collect(),
                });
                self.sink(Recipient::User(rid), span, &what, &v);
                return Val::default();
            }
        }
        if item.tag(TagKind::AuditLog).is_some() {
            let mut v = Val::default();
            for a in &args {
                v.join(a.clone());
            }
            self.flow.calls.push(CallSite {
                callee,
                span,
                arg_cats: v.cats.keys().cloned().collect(),
            });
            let what = format!("the audit log (through `{fname}`)");
            self.sink(Recipient::Audit, span, &what, &v);
            return Val::default();
        }
        let mut all_cats = BTreeSet::new();
        for a in &args {
            all_cats.extend(a.cats.keys().cloned());
        }
        self.flow.calls.push(CallSite {
            callee,
            span,
            arg_cats: all_cats,
        });
        let mut pass = None;
        let mut out = Val::default();
        if let Some(&b) = self.body_of.get(&callee) {
            let s = &self.summaries[b];
            let sinks: Vec<((u16, Recipient), SinkVia)> = s
                .sinks
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            for ((p, rk), via) in sinks {
                let Some(a) = args.get(p as usize) else {
                    continue;
                };
                let mut left = a.clone();
                left.cats.retain(|c, _| !via.known.contains(c));
                // what the parameter's own (untagged) type accounts for the callee reports
                // itself; the caller reports what it built into the value from another
                // type's field (`Activity` built from an `Account`) and what the type
                // does not account for
                self.drop_own(b, p, &mut left);
                if left.is_clean() {
                    continue;
                }
                let pass =
                    pass.get_or_insert_with(|| Self::label(span, format!("passed to `{fname}`")));
                let mut v = left.step(pass.clone());
                let below = via.trace.to_vec();
                for t in v.cats.values_mut().chain(v.params.values_mut()) {
                    for l in below.iter().skip(1) {
                        *t = extend(t, l.clone());
                    }
                }
                if via.trace.is_pseudonymised() {
                    // hashed on the way down: what the caller passed is pseudonymised there
                    v = v.pseudo_typed(Self::label(span, format!("pseudonymised in `{fname}`")));
                }
                self.sink_via(rk, span, &via.what, &v, &via.known, Some(callee));
            }
            let ret_step = if s.ret_cats.is_empty() && s.ret_params.is_empty() {
                Label::new(span, String::new())
            } else {
                Self::label(span, format!("returned by `{fname}`"))
            };
            for (c, t) in &s.ret_cats {
                let t = extend(t, ret_step.clone());
                self.use_cat(c, span, &t);
                out.cats.entry(c.clone()).or_insert(t);
            }
            for (p, t) in &s.ret_params {
                if let Some(a) = args.get(*p as usize) {
                    // the callee's return accounts for its parameter's own categories
                    // (`ret_cats`: a getter's `self.client_id` is not the whole request)
                    let mut a = a.clone();
                    self.drop_own(b, *p, &mut a);
                    let mut av = a.step(ret_step.clone()).untyped();
                    if t.is_pseudonymised() {
                        av = av
                            .pseudo_typed(Self::label(span, format!("pseudonymised by `{fname}`")));
                    }
                    out.join(av);
                }
            }
            if let Some((ec, ep)) = &s.ret_err {
                let mut e = Val::default();
                for (c, t) in ec {
                    e.cats.insert(c.clone(), extend(t, ret_step.clone()));
                }
                for p in ep.keys() {
                    if let Some(a) = args.get(*p as usize) {
                        e.join(a.err_part().step(ret_step.clone()).untyped());
                    }
                }
                if let Some(d) = &s.ret_err_display {
                    e.display = Some(Box::new(summary_part(d, &args, &ret_step)));
                }
                out.err = Some(Box::new(e));
            }
            if let Some(d) = &s.ret_display {
                out.display = Some(Box::new(summary_part(d, &args, &ret_step)));
            }
            let callee_body = &self.bodies[b];
            let ret_ty = &callee_body.ret;
            let tys = self.ix.ret_types(b);
            if ret_ty.sanitised {
                return Val::default();
            }
            if ret_ty.pseudo {
                out = out.pseudo_typed(Self::label(
                    span,
                    format!("pseudonymised by the type `{fname}` returns"),
                ));
            }
            if tys.is_empty() {
                // a library type returned (`-> String`, `-> reqwest::Client`)
                out.lib = self.lib_of(callee_body.scope, ret_ty);
                out = self.lib_modelled(out, span, || format!("what `{fname}` returns"));
            }
            if let Some(&t) = tys.first() {
                out.ty = Some(t);
                if let Some(w) = self.ix.whole(t) {
                    let tname = self.ix.model.item(t).name.clone();
                    for (c, decl) in w.clone() {
                        if out.cats.contains_key(&c) {
                            continue;
                        }
                        let trace = Trace::of([
                            Self::label(decl, decl_msg(&c)),
                            Self::label(span, format!("a `{tname}` returned by `{fname}`")),
                        ]);
                        self.use_cat(&c, span, &trace);
                        out.cats.insert(c, trace);
                    }
                }
            }
        } else {
            // a trait method without a body here: its result may carry its arguments
            for a in args {
                out.join(a.untyped());
            }
        }
        out
    }

    fn sink(&mut self, rk: Recipient, span: Span, what: &str, v: &Val) {
        self.sink_via(rk, span, what, v, &BTreeSet::new(), None);
    }

    fn sink_via(
        &mut self,
        rk: Recipient,
        span: Span,
        what: &str,
        v: &Val,
        known_below: &BTreeSet<String>,
        via: Option<ItemId>,
    ) {
        if v.is_clean() || (self.boundary && matches!(rk, Recipient::Builtin(_))) {
            return;
        }
        // through a call, the trace already ends at the sink inside the callee
        let reach = Self::label(span, format!("reaches {what}"));
        let end = |t: &Trace| {
            if via.is_some() {
                t.clone()
            } else {
                extend(t, reach.clone())
            }
        };
        if !v.cats.is_empty() {
            let shown = match via {
                Some(c) => format!("{what} through `{}`", self.ix.model.item(c).name),
                None => what.to_string(),
            };
            self.flow.sinks.push(SinkFlow {
                recipient: rk.clone(),
                span,
                what: shown,
                categories: v
                    .cats
                    .iter()
                    .map(|(c, t)| (c.clone(), end(t).to_vec()))
                    .collect(),
                via,
                pseudonymised: v
                    .cats
                    .iter()
                    .filter(|(_, t)| t.is_pseudonymised())
                    .map(|(c, _)| c.clone())
                    .collect(),
                instrument_arg: None,
            });
        }
        for (p, t) in &v.params {
            // a looks-like category found here from a name or a type says nothing about
            // what a caller passes in: the caller's own data is reported at its call
            let mut known: BTreeSet<String> = v
                .cats
                .keys()
                .filter(|c| crate::looks::Category::of(c).is_declared())
                .cloned()
                .collect();
            known.extend(known_below.iter().cloned());
            self.summary
                .sinks
                .entry((*p, rk.clone()))
                .or_insert_with(|| SinkVia {
                    trace: end(t),
                    known,
                    what: what.to_string(),
                });
        }
    }
}

/// A part of a summary (what a returned value's `Display` carries) as a value at the call:
/// its categories, and the arguments of its parameters (all of them).
fn summary_part(
    (cats, params): &(BTreeMap<String, Trace>, BTreeMap<u16, Trace>),
    args: &[Val],
    ret_step: &Label,
) -> Val {
    let mut v = Val::default();
    for (c, t) in cats {
        v.cats.insert(c.clone(), extend(t, ret_step.clone()));
    }
    for p in params.keys() {
        if let Some(a) = args.get(*p as usize) {
            let mut a = a.step(ret_step.clone()).untyped();
            a.display = None;
            a.err = None;
            v.join(a);
        }
    }
    v
}

/// The label of the tag that declares a category (or of the field that looks personal).
fn decl_msg(c: &str) -> String {
    match crate::looks::Category::of(c).looks_like() {
        Some(kind) => format!(
            "looks like {} and carries no tag",
            crate::looks::kind_phrase(kind)
        ),
        None => format!("category `{c}` declared here"),
    }
}

fn first_bind_span(p: &Pat) -> Option<Span> {
    match p {
        Pat::Bind(_, s) => Some(*s),
        Pat::Each(ps) | Pat::Elems(ps) | Pat::Err(ps) | Pat::Tuple(_, ps) => {
            ps.iter().find_map(first_bind_span)
        }
        Pat::Struct(_, fs) => fs.iter().find_map(|(_, p)| first_bind_span(p)),
        Pat::Typed(p, _) => first_bind_span(p),
        Pat::Wild => None,
    }
}

/// The span of a block's tail expression, when it is a call, method call, macro or struct.
fn tail_span(e: &Expr) -> Option<Span> {
    match e {
        Expr::Block(stmts) => match stmts.last()? {
            Stmt::Expr(e) => tail_span(e),
            Stmt::Let { .. } => None,
        },
        Expr::Call(_, _, s) | Expr::Method { span: s, .. } | Expr::Struct { span: s, .. } => {
            Some(*s)
        }
        Expr::Macro(m) => Some(m.span),
        Expr::Path(_, s) | Expr::Field(_, _, s) => Some(*s),
        // a tuple (`(StatusCode::CONFLICT, body)`): from its first part to its last
        Expr::Join(parts) | Expr::Tuple(parts) => {
            let first = parts.iter().find_map(tail_span)?;
            let last = parts.iter().rev().find_map(tail_span)?;
            (first.file == last.file && first.start <= last.end).then_some(Span {
                file: first.file,
                start: first.start,
                end: last.end,
            })
        }
        _ => None,
    }
}

/// A named type that is not a generic parameter (`Bytes`, `actix_web::web::Bytes`; not `T`,
/// `DB`, `impl Trait`), so that its methods are the library's.
fn is_foreign(t: &TyRef) -> bool {
    let [name] = t.names.as_slice() else {
        return false;
    };
    let Some(last) = name.last() else {
        return false;
    };
    let generic = last.len() <= 2 || last.chars().all(|c| c.is_ascii_uppercase() || c == '_');
    !generic && last.starts_with(char::is_uppercase)
}

/// [`crate::looks::classify`] of a name, memoised per thread: the same few names
/// (`email`, `user`, `id`…) are asked about in every body.
fn classify_cached(name: &str, ty: &str, owner: Option<&str>) -> Option<&'static str> {
    use std::cell::RefCell;
    thread_local! {
        static CACHE: RefCell<(String, rustc_hash::FxHashMap<String, Option<&'static str>>)> =
            RefCell::default();
    }
    CACHE.with(|c| {
        let (buf, map) = &mut *c.borrow_mut();
        buf.clear();
        for part in [name, ty, owner.unwrap_or("")] {
            buf.push_str(part);
            buf.push('\0');
        }
        if let Some(&hit) = map.get(buf.as_str()) {
            return hit;
        }
        let kind = crate::looks::classify(name, ty, owner.map(|o| (o, &[][..]))).map(|l| l.kind);
        if map.len() < 1 << 16 {
            map.insert(buf.clone(), kind);
        }
        kind
    })
}

/// The type word a name heuristic looks at (`&str` → `str`, `Option<bool>` → `bool`).
fn ty_word(t: &TyRef) -> &str {
    t.names
        .first()
        .and_then(|n| n.last())
        .map(String::as_str)
        .unwrap_or("")
}

/// The name of the value an expression reads (`user` in `user.email`, `author` in
/// `self.author.name`, `request` in `request.user()`): the owner context of a field read.
fn expr_name(e: &Expr) -> Option<&str> {
    match e {
        Expr::Path(s, _) => s.last().map(String::as_str),
        Expr::Field(_, f, _) => Some(f.as_str()),
        Expr::Method { recv, name, .. } => {
            if SAME_TYPE_METHODS.contains(&name.as_str()) {
                expr_name(recv)
            } else {
                Some(name.as_str())
            }
        }
        Expr::Call(s, _, _) => s.last().map(String::as_str),
        _ => None,
    }
}

/// The error part of what a `Result`/`Option` combinator returns, when known: `ok_or(e)`,
/// `ok_or_else(|| e)` and `map_err(|_| e)` make `e` the error; `map` keeps the receiver's,
/// `and_then` joins the receiver's and the closure's.
fn result_err(name: &str, recv: Option<Box<Val>>, args: &[Val]) -> Option<Val> {
    let arg = || {
        let mut e = Val::default();
        for a in args {
            let mut a = a.clone();
            a.err = None;
            e.join(a.untyped());
        }
        e
    };
    match name {
        "ok_or" | "ok_or_else" | "map_err" => Some(arg()),
        "map" | "inspect" | "as_ref" | "as_deref" | "clone" | "cloned" | "copied" | "await" => {
            recv.map(|e| *e)
        }
        "and_then" => {
            let mut e = *recv?;
            for a in args {
                e.join(*a.err.clone()?);
            }
            Some(e)
        }
        _ => None,
    }
}

/// The error an unmodelled `bail!(..)` or `ensure!(cond, ..)` (anyhow, eyre, and a
/// project's own of those names) returns early: its message's arguments and captures
/// (`all`), or for `ensure!` all but the condition (`rest`).
fn early_err(m: &MacroCall, all: &Val, rest: &Val) -> Option<Val> {
    match m.path.last().map(String::as_str)? {
        "bail" => Some(all.clone()),
        "ensure" => Some(rest.clone()),
        _ => None,
    }
}

/// The variable a value is read from, through fields, indexing and method calls
/// (`user` in `user.input.id.clone()`).
fn read_from(e: &Expr) -> Option<&str> {
    match e {
        Expr::Path(s, _) if s.len() == 1 => Some(s[0].as_str()),
        Expr::Field(b, _, _) | Expr::Index(b, _) => read_from(b),
        Expr::Method { recv, .. } => read_from(recv),
        _ => None,
    }
}

/// The local variable an assignment target writes into (`x`, `x.f`, `x[i]`).
fn root_var(e: &Expr) -> Option<String> {
    match e {
        Expr::Path(s, _) if s.len() == 1 => Some(s[0].clone()),
        Expr::Field(b, _, _) | Expr::Index(b, _) => root_var(b),
        _ => None,
    }
}

/// Does a receiver chain start at a path, call or field that names `ty`
/// (`HttpResponse::Ok().json(..)`, `Message::builder().to(..)`, `self.http_client.get(..)`)?
/// A lowercase name matches when it ends with the type's name (`http_client` ~ `Client`),
/// and only as the method's own receiver (through `clone`, `lock`, …): in
/// `client.get(url).query(..)` the receiver of `query` is what `get` returned, not the
/// client. A type path (`HttpResponse::Ok()`) starts a builder chain of any length.
/// `Some(true)`: the method's own receiver names it; `Some(false)`: the chain's start does.
fn rooted(e: &Expr, ty: &str, direct: bool) -> Option<bool> {
    let names = |s: &str| {
        s.starts_with(ty)
            || direct && {
                let flat: String = s.chars().filter(|c| *c != '_').collect();
                flat.len() >= ty.len()
                    && flat.is_char_boundary(flat.len() - ty.len())
                    && flat[flat.len() - ty.len()..].eq_ignore_ascii_case(ty)
                    && s.starts_with(|c: char| c.is_lowercase())
            }
    };
    match e {
        Expr::Method { recv, name, .. } => {
            // the same value: `self.client.lock().unwrap().query(..)`
            rooted(
                recv,
                ty,
                direct && SAME_RECEIVER_METHODS.contains(&name.as_str()),
            )
        }
        // `Request::builder()`: a type path starts a chain
        Expr::Call(segs, _, _)
            if !direct && segs.iter().any(|s| s.starts_with(char::is_uppercase)) =>
        {
            rooted(e, ty, true).map(|_| false)
        }
        Expr::Call(segs, _, _) | Expr::Path(segs, _) => {
            segs.iter().any(|s| names(s)).then_some(direct)
        }
        Expr::Field(b, f, _) => {
            if names(f) {
                Some(direct)
            } else {
                rooted(b, ty, direct)
            }
        }
        _ => None,
    }
}

/// The type path a builder chain starts at (`HttpResponse::Ok().x()` → `HttpResponse::Ok`),
/// when it starts at a call of an uppercase path.
fn chain_root(e: &Expr) -> Option<Segs> {
    match e {
        Expr::Method { recv, .. } => chain_root(recv),
        Expr::Call(segs, _, _) if segs.iter().any(|s| s.starts_with(char::is_uppercase)) => {
            Some(segs.clone())
        }
        _ => None,
    }
}

/// A model's recipient id as a flow recipient.
fn recipient_of(r: &str) -> Recipient {
    match crate::manifest::RecipientKind::BUILT_IN
        .iter()
        .find(|k| k.as_str() == r)
    {
        Some(k) => Recipient::Builtin(k.as_str()),
        None => Recipient::User(r.to_string()),
    }
}

/// `the log (`tracing::info!`)`, `storage (`.bind(..)`)`.
fn describe(rk: &Recipient, shown: &str) -> String {
    let place = match rk {
        Recipient::Builtin("log") => "the log",
        Recipient::Builtin("storage") => "storage",
        Recipient::Builtin("network") => "the network",
        Recipient::Builtin("http-response") => "an HTTP response",
        Recipient::Builtin("file") => "a file",
        Recipient::Builtin("export") => "an export",
        Recipient::Builtin("process") => "another process",
        Recipient::Builtin("email") => "an email",
        Recipient::Builtin(other) => other,
        Recipient::User(id) => return format!("recipient `{id}` ({shown})"),
        Recipient::Audit => "the audit log",
    };
    format!("{place} ({shown})")
}

impl<'a> Eval<'a> {
    /// The model of a call path: the path's first segment expanded through the module's
    /// `use` items; a single segment also matches through a glob import of the crate.
    fn model_fn(&self, segs: &[String]) -> Option<&'a Entry> {
        let pack: &'a Pack = self.pack;
        let scope = self.ix.flow.scopes.get(self.body.scope as usize)?;
        let mut full: Vec<String> = Vec::new();
        if let Some((_, to)) = scope.uses.iter().find(|(n, _)| *n == segs[0]) {
            full.extend(to.iter().cloned());
            full.extend(segs[1..].iter().cloned());
        } else {
            full.extend(segs.iter().cloned());
        }
        pack.function(&full, &scope.globs)
    }

    /// The model of a method call, most specific first:
    /// 1. one whose type is the receiver's known library type `rty` ([`Val::lib`]:
    ///    `let hb = Handlebars::new(); hb.render(..)`, `stream: TcpStream`);
    /// 2. with the receiver's type unknown, one whose type the receiver itself names
    ///    (`self.http_client.get(..)`, `Client::new().get(..)`);
    /// 3. one of the crate of the chain's earlier modelled call (`client.get(url).query(..)`
    ///    is reqwest's `query`, as `get` is);
    /// 4. one whose type names the type path a builder chain starts at
    ///    (`HttpResponse::Ok().json(..)`, a `let b = Message::builder()` variable), unless
    ///    that path names another model's type of the same name in another crate
    ///    (`reqwest::Client::new()` does not start a `tokio_postgres::Client` chain);
    /// 5. (when no user method of the receiver's type exists) a `by-name` one whose
    ///    selected arguments are not closures (`Iterator::filter(|x| ..)` is not diesel's
    ///    `filter`).
    ///
    /// A model whose selected arguments the call lacks never matches (`.uri(url)` on a
    /// request being built is not `request.uri()`). A model of a type with the receiver's known type's name in another crate
    /// (`tokio_postgres::Client` for a `reqwest::Client`, [`Pack::type_matches`]) never
    /// matches. A receiver type no model names (`File`, `AsyncSmtpTransport`) counts as
    /// unknown here.
    fn model_method(
        &self,
        recv: &Expr,
        rty: Option<&[String]>,
        name: &str,
        args: &[Expr],
    ) -> Option<&'a Entry> {
        self.model_method_at(recv, rty, name, args, 0)
    }

    /// [`Eval::model_method`] `depth` calls down a chain.
    fn model_method_at(
        &self,
        recv: &Expr,
        rty: Option<&[String]>,
        name: &str,
        args: &[Expr],
        depth: u32,
    ) -> Option<&'a Entry> {
        let pack: &'a Pack = self.pack;
        // a receiver type no model names says nothing here: as if unknown
        let rty = rty.filter(|rt| pack.knows_type(rt));
        let mut by_name = None;
        let mut in_chain = None;
        let mut rooted_far = None;
        let mut chain_crate: Option<Option<&str>> = None;
        // the type a builder chain starts at, as written and expanded (`reqwest::Client`)
        let mut root_ty: Option<Option<Vec<String>>> = None;
        for e in pack.methods(name) {
            let p = e.target.path();
            // a model whose selected arguments the call lacks describes another call of
            // that name (`.uri(url)` building a request is not `request.uri()`)
            if p.len() < 2 || !e.args.iter().all(|a| a.present_in(args)) {
                continue;
            }
            let mty = &p[..p.len() - 1];
            let ty = &p[p.len() - 2];
            if let Some(rt) = rty {
                if pack.type_matches(mty, rt) {
                    return Some(e);
                }
                if rt.last() == Some(ty) {
                    // a type of that name, but another crate's
                    continue;
                }
            }
            let far = match rty {
                // the receiver's own name says nothing once its type is known
                Some(_) => rooted(recv, ty, true).is_some_and(|direct| !direct),
                None => match rooted(recv, ty, true) {
                    Some(true) => return Some(e),
                    Some(false) => true,
                    None => false,
                },
            };
            // `builder.a(..).b(..)`: the chain's root variable
            let via_var = read_from(recv).is_some_and(|v| {
                self.roots
                    .iter()
                    .rev()
                    .find(|(n, _)| *n == v)
                    .is_some_and(|(_, segs)| segs.iter().any(|s| s.starts_with(ty.as_str())))
            });
            if (far || via_var) && rooted_far.is_none() {
                let root = root_ty.get_or_insert_with(|| {
                    let segs = chain_root(recv)?;
                    let full = self.expand(self.body.scope, &segs);
                    let at = full
                        .iter()
                        .rposition(|s| s.starts_with(char::is_uppercase))?;
                    Some(full[..=at].to_vec())
                });
                let conflicts = root.as_ref().is_some_and(|rt| {
                    rt.last() == Some(ty) && !pack.type_matches(mty, rt) && pack.knows_type(rt)
                });
                if !conflicts || via_var {
                    rooted_far = Some(e);
                }
            }
            let krate = *chain_crate.get_or_insert_with(|| {
                self.chain_model(recv, depth)
                    .and_then(|m| m.target.path().first().map(String::as_str))
            });
            if in_chain.is_none() && krate.is_some() && krate == p.first().map(String::as_str) {
                in_chain = Some(e);
            }
            if e.by_name && by_name.is_none() {
                // (the selected arguments are present, checked above) and not closures
                let no_closure = e.args.iter().all(|a| match a {
                    crate::models::Arg::Index(i) => args
                        .get(*i as usize)
                        .is_some_and(|a| !matches!(a, Expr::Closure(..))),
                    _ => true,
                });
                if no_closure {
                    by_name = Some(e);
                }
            }
        }
        in_chain.or(rooted_far).or(by_name)
    }

    /// The model of the nearest earlier call of a chain that has one (`client.post(url)` in
    /// `client.post(url).timeout(t)`), at most a few calls down.
    fn chain_model(&self, e: &Expr, depth: u32) -> Option<&'a Entry> {
        if depth >= 6 {
            return None;
        }
        match e {
            Expr::Method {
                recv, name, args, ..
            } => self
                .model_method_at(recv, None, name, args, depth + 1)
                .or_else(|| self.chain_model(recv, depth + 1)),
            Expr::Call(segs, _, _) if self.pack.has_function(segs.last()?) => self.model_fn(segs),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_in_any_case_at_any_position() {
        assert!(is_pseudonymising_name("sha256"));
        assert!(is_pseudonymising_name("hash_vrm"));
        assert!(is_pseudonymising_name("Hashed"));
        assert!(is_pseudonymising_name("to_HMAC"));
        assert!(is_pseudonymising_name("Pseudonymised"));
        assert!(!is_pseudonymising_name("HashMap"));
        assert!(!is_pseudonymising_name("HashSet"));
        assert!(!is_pseudonymising_name("has"));
        assert!(!is_pseudonymising_name(""));
        assert!(!is_pseudonymising_name("ash"));
        assert!(is_sanitiser_name("redact_email"));
        assert!(is_sanitiser_name("MASK"));
        assert!(is_sanitiser_name("anonymise"));
        assert!(!is_sanitiser_name("mas"));
        assert!(!is_sanitiser_name("send_email"));
        // bytes that differ from a word's first letter only in bit 5 (`@` and `` ` ``,
        // `H` and `h`) still need the whole word
        assert!(!contains_word("@ash", &["hash"]));
        assert!(contains_word("x-HaSh-y", &["hash"]));
    }
}
