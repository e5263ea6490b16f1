//! Name resolution over the whole crate: paths to items through `use` (globs, renames,
//! `self`/`super`/`crate`), type aliases, methods by self type, trait methods, and the
//! personal-data categories each type carries.

use std::collections::BTreeMap;
use std::sync::Arc;

// FxHash: the keys are the model's own names and ids, hashed for every path of every body
use rustc_hash::FxHashMap as HashMap;

use dpia_annotations::{FieldTag, Tag, TagKind};

use super::ir::{FileFlow, Segs, TyRef};
use crate::model::{ItemId, ItemKind, Model};
use crate::source::Span;

/// Where a type's category comes from: the tag that declares it.
#[derive(Clone, Debug)]
pub struct CatDecl {
    pub category: String,
    /// The `personal_data` tag or the field's `#[dpia(...)]`.
    pub span: Span,
}

pub struct Index<'a> {
    pub model: &'a Model,
    pub flow: &'a FileFlow,
    krate_of_file: Vec<u32>,
    /// Crate names as written in paths (`lldap_domain`) → crate index.
    krate_names: HashMap<String, u32>,
    paths: PerCrate<'a, ItemId>,
    aliases: PerCrate<'a, usize>,
    /// Self type name → method name → methods.
    methods: PerCrate<'a, HashMap<&'a str, Vec<ItemId>>>,
    trait_methods: PerCrate<'a, Vec<ItemId>>,
    /// Inherent and trait methods by name alone.
    methods_by_name: PerCrate<'a, Vec<ItemId>>,
    fns_by_name: PerCrate<'a, Vec<ItemId>>,
    types_by_name: PerCrate<'a, Vec<ItemId>>,
    /// Module paths (`crate::configuration`): tells a `use` of a module of the crate from
    /// a `use` of another crate (`Index::names_library`).
    modules: PerCrate<'a, ()>,
    /// Type name → the one type of that name in the workspace (`None`: several).
    types_anywhere: HashMap<&'a str, Option<ItemId>>,
    /// Field name → the types (as written) of every workspace struct field of that name.
    field_tys_by_name: HashMap<&'a str, Vec<&'a str>>,
    field_types: HashMap<ItemId, (u32, usize)>,
    /// Types with `thiserror` `#[error(...)]`: the index of their entry in
    /// [`FileFlow::error_fmts`].
    error_fmts: HashMap<ItemId, usize>,
    /// Methods of trait impls for a type of another crate of the workspace
    /// (`impl IntoObject for kitsune_db::Account` in the federation crate), by the type.
    foreign_impls: HashMap<ItemId, Vec<ItemId>>,
    /// Every category a value of the type carries, with its declaring tag.
    whole: HashMap<ItemId, BTreeMap<String, Span>>,
    /// Untagged fields (and newtypes, as field `None`) that look like personal data: their
    /// pseudo-category and where they are declared.
    looks: HashMap<(ItemId, Option<usize>), (String, Span)>,
    /// Every untagged type's fields and newtypes that look like personal data (the keys of
    /// `looks`), by type, in model order.
    pub looks_personal: Vec<(ItemId, Vec<crate::looks::Candidate>)>,
    /// Types and functions already resolved by path, one table per worker thread.
    memo: Vec<std::sync::Mutex<Memo>>,
    /// The user types of each body's return type (slot 0) and parameters (slot 1 + i).
    sig_types: TypeSlots,
    /// The user types of each struct's fields, by entry of [`FileFlow::field_types`].
    field_slot_types: TypeSlots,
    /// Functions a router registers as web handlers (`flow::routed_handlers`).
    pub routed: rustc_hash::FxHashSet<ItemId>,
    /// Methods of impls of a library's trait ([`Index::drop_library_trait_methods`]).
    library_impl_methods: std::collections::HashSet<ItemId>,
}

/// Resolutions by path already made on one thread: a body resolves the same paths again
/// and again (each field read, each call), and so do the other bodies of its module.
/// Resolving is a pure lookup, so an answer is the same whichever thread made it.
#[derive(Default)]
struct Memo(HashMap<u64, Vec<(MemoKey, Resolved)>>);

/// What a path resolves to, shared by every lookup of it.
type Resolved = Arc<[ItemId]>;

/// The resolutions of the types the IR declares, one slot each, filled on first use
/// ([`Index::ret_types`], [`Index::param_types`], [`Index::field_type`]): a call resolves
/// its callee's parameter and return types and a field read its field's type thousands of
/// times a run, and each memo lookup hashes and compares the path's segments. A slot is
/// filled with what [`Index::types`] gives, which is the same on every thread.
struct TypeSlots {
    /// The first slot of each group (a body, a struct); one more entry at the end.
    at: Vec<usize>,
    slots: Vec<std::sync::OnceLock<Box<[ItemId]>>>,
}

impl TypeSlots {
    fn new(lens: impl Iterator<Item = usize>) -> TypeSlots {
        let mut at = vec![0];
        for n in lens {
            at.push(at[at.len() - 1] + n);
        }
        let n = at[at.len() - 1];
        TypeSlots {
            at,
            slots: (0..n).map(|_| std::sync::OnceLock::new()).collect(),
        }
    }

    /// Slot `k` of group `group`, filled by `resolve` the first time; nothing for a slot
    /// the group does not have.
    fn get(&self, group: usize, k: usize, resolve: impl FnOnce() -> Vec<ItemId>) -> &[ItemId] {
        let slot = match (self.at.get(group), self.at.get(group + 1)) {
            (Some(&first), Some(&end)) if first + k < end => &self.slots[first + k],
            _ => return &[],
        };
        slot.get_or_init(|| resolve().into_boxed_slice())
    }
}

#[derive(PartialEq, Eq)]
struct MemoKey {
    what: Resolve,
    scope: u32,
    segs: Segs,
    self_ty: Option<Segs>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Resolve {
    Type,
    Fn,
}

impl<'a> Index<'a> {
    pub fn new(model: &'a Model, flow: &'a FileFlow) -> Index<'a> {
        let mut krate_of_file = Vec::new();
        for (k, c) in model.crates.iter().enumerate() {
            for f in &c.files {
                let i = f.0 as usize;
                if krate_of_file.len() <= i {
                    krate_of_file.resize(i + 1, 0);
                }
                krate_of_file[i] = k as u32;
            }
        }
        // by package name, then by alias (a renamed dependency, a `[lib] name`): the first
        // crate of a name wins
        let mut krate_names = HashMap::default();
        for (k, c) in model.crates.iter().enumerate() {
            krate_names
                .entry(c.name.replace('-', "_"))
                .or_insert(k as u32);
        }
        for (k, c) in model.crates.iter().enumerate() {
            for a in &c.aliases {
                krate_names.entry(a.replace('-', "_")).or_insert(k as u32);
            }
        }
        let mut ix = Index {
            model,
            flow,
            krate_of_file,
            krate_names,
            paths: PerCrate::default(),
            aliases: PerCrate::default(),
            methods: PerCrate::default(),
            trait_methods: PerCrate::default(),
            methods_by_name: PerCrate::default(),
            fns_by_name: PerCrate::default(),
            types_by_name: PerCrate::default(),
            modules: PerCrate::default(),
            types_anywhere: HashMap::default(),
            field_tys_by_name: HashMap::default(),
            field_types: HashMap::default(),
            error_fmts: flow
                .error_fmts
                .iter()
                .enumerate()
                .map(|(i, (id, _))| (*id, i))
                .collect(),
            foreign_impls: HashMap::default(),
            whole: HashMap::default(),
            looks: HashMap::default(),
            looks_personal: Vec::new(),
            memo: (0..rayon::current_num_threads() + 1)
                .map(|_| Default::default())
                .collect(),
            sig_types: TypeSlots::new(flow.bodies.iter().map(|b| 1 + b.params.len())),
            field_slot_types: TypeSlots::new(flow.field_types.iter().map(|(_, _, fs)| fs.len())),
            routed: Default::default(),
            library_impl_methods: Default::default(),
        };
        let trait_impls: std::collections::HashSet<ItemId> = flow
            .impl_scopes
            .iter()
            .filter(|(_, _, tr)| !tr.is_empty())
            .map(|(i, _, _)| *i)
            .collect();
        ix.index_items(&trait_impls);
        ix.index_foreign_impls(&trait_impls);
        ix.drop_library_trait_methods();
        for (i, (id, _, _)) in flow.field_types.iter().enumerate() {
            ix.field_types.insert(*id, (flow.field_types[i].1, i));
        }
        let personal: Vec<ItemId> = model
            .items()
            .filter(|(_, it)| {
                matches!(it.kind, ItemKind::Struct | ItemKind::Enum | ItemKind::Union)
            })
            .map(|(id, _)| id)
            .collect();
        ix.find_looks_personal(&personal);
        ix.compute_wholes(personal);
        ix
    }

    /// Paths, names and methods of every item, and the type aliases.
    fn index_items(&mut self, trait_impls: &std::collections::HashSet<ItemId>) {
        let (model, flow) = (self.model, self.flow);
        for (id, item) in model.items() {
            let k = self.krate(id);
            match item.kind {
                ItemKind::Struct | ItemKind::Enum | ItemKind::Union | ItemKind::Trait => {
                    if item.kind == ItemKind::Struct {
                        for f in &item.fields {
                            let tys = self.field_tys_by_name.entry(&f.name).or_default();
                            if !tys.contains(&f.ty.as_str()) {
                                tys.push(&f.ty);
                            }
                        }
                    }
                    self.paths.insert(k, &item.path, id);
                    self.types_by_name
                        .entry(k, &item.name)
                        .or_default()
                        .push(id);
                    self.types_anywhere
                        .entry(&item.name)
                        .and_modify(|e| *e = None)
                        .or_insert(Some(id));
                }
                ItemKind::Mod => self.modules.insert(k, &item.path, ()),
                ItemKind::Fn => {
                    self.paths.insert(k, &item.path, id);
                    self.fns_by_name.entry(k, &item.name).or_default().push(id);
                }
                ItemKind::Method => {
                    if let Some(parent) = item.parent {
                        let p = model.item(parent);
                        self.methods
                            .entry(k, &p.name)
                            .or_default()
                            .entry(&item.name)
                            .or_default()
                            .push(id);
                        self.methods_by_name
                            .entry(k, &item.name)
                            .or_default()
                            .push(id);
                        let in_trait = p.kind == ItemKind::Trait || trait_impls.contains(&parent);
                        if in_trait {
                            self.trait_methods
                                .entry(k, &item.name)
                                .or_default()
                                .push(id);
                        }
                    }
                }
                _ => {}
            }
        }
        for (i, a) in flow.aliases.iter().enumerate() {
            let k = self.scope_krate_fast(a.scope);
            self.aliases.insert(k, &a.path, i);
        }
    }

    /// Trait impls for a type of another crate of the workspace, by that type.
    fn index_foreign_impls(&mut self, trait_impls: &std::collections::HashSet<ItemId>) {
        let (model, flow) = (self.model, self.flow);
        // a trait impl's self type is resolved once: a method call on a value of that
        // type finds the impl wherever in the workspace it is
        for body in &flow.bodies {
            let (Some(st), true) = (&body.self_ty, body.trait_method) else {
                continue;
            };
            let Some(parent) = model.item(body.item).parent else {
                continue;
            };
            if !trait_impls.contains(&parent) {
                continue;
            }
            let mut tys = Vec::new();
            self.type_into(body.scope, st, None, &mut tys);
            let k = self.krate(body.item);
            for t in tys {
                if self.krate(t) != k {
                    self.foreign_impls.entry(t).or_default().push(body.item);
                }
            }
        }
    }

    /// Methods of impls of a library's trait (`impl IntoResponse for ApiError`) are no
    /// guess for a call on a value of unknown type: any library type may implement that
    /// trait (`(StatusCode, String).into_response()` is axum's). They stay methods of their
    /// type; they leave the by-name tables of [`Index::trait_methods`] and
    /// [`Index::unique_method`].
    fn drop_library_trait_methods(&mut self) {
        let library: std::collections::HashSet<ItemId> = self
            .flow
            .impl_scopes
            .iter()
            .filter(|(_, scope, tr)| !tr.is_empty() && !self.names_workspace_trait(*scope, tr))
            .map(|(i, _, _)| *i)
            .collect();
        if library.is_empty() {
            return;
        }
        let model = self.model;
        let of_library = |m: &ItemId| model.item(*m).parent.is_some_and(|p| library.contains(&p));
        for table in self.trait_methods.0.iter_mut() {
            for ms in table.values_mut() {
                ms.retain(|m| !of_library(m));
            }
        }
        self.library_impl_methods = model
            .items()
            .filter(|(id, it)| it.kind == ItemKind::Method && of_library(id))
            .map(|(id, _)| id)
            .collect();
    }

    /// Does a trait path of an `impl Trait for T` name a trait of the workspace?
    fn names_workspace_trait(&self, scope: u32, tr: &[String]) -> bool {
        let is_trait = |id: ItemId| self.model.item(id).kind == ItemKind::Trait;
        let found = self.find_candidate(scope, tr, |k, cand| {
            self.paths.get(k, cand).copied().filter(|&id| is_trait(id))
        });
        if found.is_some() {
            return true;
        }
        if self.names_library(scope, tr) {
            return false;
        }
        let k = self.scope_krate_fast(scope);
        tr.last().is_some_and(|last| {
            let unique = match self.types_by_name.get(k, last) {
                Some(v) => v.iter().any(|&id| is_trait(id)),
                None => matches!(self.types_anywhere.get(last.as_str()), Some(&Some(id)) if is_trait(id)),
            };
            unique
        })
    }

    /// The untagged types (of `personal`: the structs, enums and unions) whose fields or newtype
    /// look like personal data, and the looks-like pseudo-category of each such field.
    fn find_looks_personal(&mut self, personal: &[ItemId]) {
        let model = self.model;
        {
            use rayon::prelude::*;
            // a type a macro call seems to generate, where the crate defines it for real,
            // was only passed to the macro (`impl_traits!(Email)`)
            let real = |id: ItemId| {
                let it = model.item(id);
                it.generated_by.is_none()
                    || !self
                        .types_by_name
                        .get(self.krate(id), &it.name)
                        .is_some_and(|ts| ts.iter().any(|&t| model.item(t).generated_by.is_none()))
            };
            self.looks_personal = personal
                .par_iter()
                .filter(|&&id| real(id))
                .map(|&id| (id, crate::looks::candidates(model.item(id))))
                .filter(|(_, c)| !c.is_empty())
                .collect();
        }
        for (id, cands) in &self.looks_personal {
            for c in cands {
                self.looks.insert(
                    (*id, c.field),
                    (crate::looks::pseudo_category(c.looks.kind), c.span),
                );
            }
        }
    }

    /// The categories every type carries that can carry any (`personal`: the structs, enums
    /// and unions).
    fn compute_wholes(&mut self, personal: Vec<ItemId>) {
        let (model, flow) = (self.model, self.flow);
        let looks_types: std::collections::HashSet<ItemId> =
            self.looks.keys().map(|(t, _)| *t).collect();
        // only types that are tagged, look personal, or (transitively) hold such a type can
        // carry categories: find them by name first, then resolve only those
        let mut names: std::collections::HashSet<&str> = personal
            .iter()
            .filter(|&&id| {
                let it = model.item(id);
                it.tag(TagKind::PersonalData).is_some()
                    || it.fields.iter().any(|f| f.tag.is_some())
                    || looks_types.contains(&id)
            })
            .map(|&id| model.item(id).name.as_str())
            .collect();
        // the closure of "holds a field (or is an alias) of a type named so": who holds
        // each name, then a worklist from the names above
        let mut holders: HashMap<&str, Vec<&str>> = HashMap::default();
        for &id in &personal {
            let Some(&(_, i)) = self.field_types.get(&id) else {
                continue;
            };
            for t in &flow.field_types[i].2 {
                for n in &t.names {
                    if let Some(l) = n.last() {
                        holders
                            .entry(l.as_str())
                            .or_default()
                            .push(model.item(id).name.as_str());
                    }
                }
            }
        }
        for a in &flow.aliases {
            let alias = a.path.rsplit("::").next().unwrap_or(&a.path);
            for n in &a.target.names {
                if let Some(l) = n.last() {
                    holders.entry(l.as_str()).or_default().push(alias);
                }
            }
        }
        let mut work: Vec<&str> = names.iter().copied().collect();
        while let Some(n) = work.pop() {
            for &h in holders.get(n).into_iter().flatten() {
                if names.insert(h) {
                    work.push(h);
                }
            }
        }
        let personal: Vec<ItemId> = personal
            .into_iter()
            .filter(|&id| names.contains(model.item(id).name.as_str()))
            .collect();
        for id in personal {
            let mut seen = Vec::new();
            let w = self.compute_whole(id, &mut seen);
            if !w.is_empty() {
                self.whole.insert(id, w);
            }
        }
    }

    /// The parameters that look like personal data ([`crate::looks::param`]: by their name,
    /// with the function as the owner, or by their type), per function outside test code,
    /// in model order, with what the index knows of their types.
    pub fn looks_params(&self) -> Vec<(ItemId, Vec<super::LooksParam>)> {
        use rayon::prelude::*;
        // in parallel: the name heuristics cost tens of microseconds per parameter
        let mut out: Vec<_> = self
            .flow
            .bodies
            .par_iter()
            .enumerate()
            .filter_map(|(b, body)| {
                let id = body.item;
                let item = self.model.item(id);
                if item.in_test {
                    return None;
                }
                let module = self
                    .flow
                    .scopes
                    .get(body.scope as usize)
                    .map_or("", |s| s.module.as_str());
                let self_ty = body
                    .self_ty
                    .as_ref()
                    .and_then(|s| s.last())
                    .map(String::as_str);
                let mut params = Vec::new();
                let mut owner = None;
                for (i, p) in body.params.iter().enumerate() {
                    if p.name == "self" {
                        continue;
                    }
                    let owner = owner.get_or_insert_with(|| {
                        crate::looks::ParamOwner::new(&item.name, self_ty, module)
                    });
                    let Some(found) = owner.param(&p.name, &p.ty_text) else {
                        continue;
                    };
                    let local = self.param_types(b, i);
                    params.push(super::LooksParam {
                        candidate: crate::looks::Candidate {
                            field: None,
                            param: Some(i),
                            span: p.span,
                            what: format!("{}({})", item.name, p.name),
                            looks: found.looks,
                        },
                        by_type: found.by_type,
                        tagged_type: local.iter().any(|&t| self.is_tagged(t)),
                        personal_type: local.iter().any(|t| self.whole.contains_key(t)),
                    });
                }
                (!params.is_empty()).then_some((id, params))
            })
            .collect();
        out.sort_by_key(|(id, _)| *id);
        out
    }

    pub fn krate(&self, id: ItemId) -> u32 {
        let f = self.model.item(id).file.0 as usize;
        self.krate_of_file.get(f).copied().unwrap_or(0)
    }

    /// Does the type carry personal data (its own or a field's tag, or a nested type's)?
    pub fn whole(&self, ty: ItemId) -> Option<&BTreeMap<String, Span>> {
        self.whole.get(&ty)
    }

    /// Is the type tagged at all (struct tag or a field tag)? Field reads on such a type
    /// are exact; on an untagged type they pass the whole value on.
    pub fn is_tagged(&self, ty: ItemId) -> bool {
        let it = self.model.item(ty);
        it.tag(TagKind::PersonalData).is_some() || it.fields.iter().any(|f| f.tag.is_some())
    }

    fn compute_whole(&self, id: ItemId, seen: &mut Vec<ItemId>) -> BTreeMap<String, Span> {
        let mut out = BTreeMap::new();
        if seen.contains(&id) || seen.len() > 16 {
            return out;
        }
        seen.push(id);
        let it = self.model.item(id);
        if let Some((c, span)) = self.looks.get(&(id, None)) {
            out.insert(c.clone(), *span);
        }
        if let Some(t) = it.tag(TagKind::PersonalData) {
            if let Tag::PersonalData(pd) = &t.tag {
                if let Some(c) = &pd.category {
                    out.insert(c.value.clone(), t.span);
                }
            }
        }
        for (i, f) in it.fields.iter().enumerate() {
            match f.tag.as_ref().map(|t| (&t.tag, t.span)) {
                Some((Tag::Field(FieldTag::NotPersonal(_)), _)) => continue,
                Some((Tag::Field(FieldTag::Category(c)), span)) => {
                    out.entry(c.value.clone()).or_insert(span);
                }
                _ => {
                    if let Some((c, span)) = self.looks.get(&(id, Some(i))) {
                        out.entry(c.clone()).or_insert(*span);
                    }
                }
            }
            for &n in self.field_type(id, i) {
                let nested = self.compute_whole(n, seen);
                for (c, s) in nested {
                    out.entry(c).or_insert(s);
                }
            }
        }
        seen.pop();
        out
    }

    /// The categories of one field read, and its declaring tag: `None` for a
    /// `not_personal` field.
    pub fn field_cats(&self, ty: ItemId, field: usize) -> BTreeMap<String, Span> {
        let it = self.model.item(ty);
        let f = &it.fields[field];
        let mut out = BTreeMap::new();
        match f.tag.as_ref().map(|t| (&t.tag, t.span)) {
            Some((Tag::Field(FieldTag::NotPersonal(_)), _)) => return out,
            Some((Tag::Field(FieldTag::Category(c)), span)) => {
                out.insert(c.value.clone(), span);
            }
            _ => {
                if let Some(t) = it.tag(TagKind::PersonalData) {
                    if let Tag::PersonalData(pd) = &t.tag {
                        if let Some(c) = &pd.category {
                            out.insert(c.value.clone(), t.span);
                        }
                    }
                } else if let Some((c, span)) = self
                    .looks
                    .get(&(ty, Some(field)))
                    .or_else(|| self.looks.get(&(ty, None)))
                {
                    out.insert(c.clone(), *span);
                }
            }
        }
        for &n in self.field_type(ty, field) {
            if let Some(w) = self.whole(n) {
                for (c, s) in w {
                    out.entry(c.clone()).or_insert(*s);
                }
            }
        }
        out
    }

    /// The index of a field by name (`vrm`, or `Variant.vrm` in an enum).
    pub fn field_index(&self, ty: ItemId, name: &str) -> Option<usize> {
        let it = self.model.item(ty);
        it.fields
            .iter()
            .position(|f| f.name == name || f.name.rsplit_once('.').is_some_and(|(_, n)| n == name))
    }

    /// The types (as written) of the workspace's struct fields named `name`: what a field
    /// read on a value of unknown type may be.
    pub fn field_tys_named(&self, name: &str) -> &[&'a str] {
        self.field_tys_by_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// The user types a field's type names.
    pub fn field_type(&self, ty: ItemId, field: usize) -> &[ItemId] {
        let Some(&(scope, i)) = self.field_types.get(&ty) else {
            return &[];
        };
        self.field_slot_types.get(i, field, || {
            self.flow.field_types[i]
                .2
                .get(field)
                .map_or_else(Vec::new, |t| self.types(scope, t, None))
        })
    }

    /// The user types body `b`'s return type names (`b` indexes [`FileFlow::bodies`]).
    pub fn ret_types(&self, b: usize) -> &[ItemId] {
        self.sig_types.get(b, 0, || {
            let body = &self.flow.bodies[b];
            self.types(body.scope, &body.ret, body.self_ty.as_ref())
        })
    }

    /// The user types parameter `p` of body `b` names (nothing when it has no such
    /// parameter).
    pub fn param_types(&self, b: usize, p: usize) -> &[ItemId] {
        self.sig_types.get(b, 1 + p, || {
            let body = &self.flow.bodies[b];
            body.params.get(p).map_or_else(Vec::new, |param| {
                self.types(body.scope, &param.ty, body.self_ty.as_ref())
            })
        })
    }

    /// The fields a `thiserror` variant's (or struct's, `variant` `None`) `Display` formats,
    /// each with whether with `Debug`; `None` when it has no `#[error(...)]`.
    pub fn error_fmt(&self, ty: ItemId, variant: Option<&str>) -> Option<&[(String, bool)]> {
        let &i = self.error_fmts.get(&ty)?;
        self.flow.error_fmts[i]
            .1
            .iter()
            .find(|f| f.variant.as_deref() == variant)
            .map(|f| f.fields.as_slice())
    }

    /// Has the type any `thiserror` `#[error(...)]`?
    pub fn error_fmt_any(&self, ty: ItemId) -> bool {
        self.error_fmts.contains_key(&ty)
    }

    pub fn field_tyref(&self, ty: ItemId, field: usize) -> Option<(u32, &TyRef)> {
        let &(scope, i) = self.field_types.get(&ty)?;
        self.flow.field_types[i].2.get(field).map(|t| (scope, t))
    }

    /// The user struct/enum types of a `TyRef` (aliases followed).
    pub fn types(&self, scope: u32, t: &TyRef, self_ty: Option<&Segs>) -> Vec<ItemId> {
        if t.sanitised {
            return Vec::new();
        }
        let mut out = Vec::new();
        for n in &t.names {
            self.type_into(scope, n, self_ty, &mut out);
        }
        out
    }

    /// `compute`'s answer for this path, from this thread's memo when it was asked before.
    fn memoised(
        &self,
        what: Resolve,
        scope: u32,
        segs: &[String],
        self_ty: Option<&Segs>,
        compute: impl FnOnce() -> Vec<ItemId>,
    ) -> Resolved {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        (what, scope, segs, self_ty).hash(&mut h);
        let h = h.finish();
        let slot = rayon::current_thread_index()
            .unwrap_or(usize::MAX)
            .min(self.memo.len() - 1);
        let lock = || self.memo[slot].lock().unwrap_or_else(|p| p.into_inner());
        let same = |k: &MemoKey| {
            k.what == what && k.scope == scope && k.segs == segs && k.self_ty.as_ref() == self_ty
        };
        if let Some(v) = lock()
            .0
            .get(&h)
            .and_then(|e| e.iter().find(|(k, _)| same(k)))
        {
            return v.1.clone();
        }
        // computed unlocked: resolving a path may resolve others (aliases, `Self`)
        let v: Resolved = compute().into();
        let key = MemoKey {
            what,
            scope,
            segs: segs.to_vec(),
            self_ty: self_ty.cloned(),
        };
        lock().0.entry(h).or_default().push((key, v.clone()));
        v
    }

    /// Adds the types `segs` names in `scope` to `out` (once each), from the memo.
    fn type_into(
        &self,
        scope: u32,
        segs: &[String],
        self_ty: Option<&Segs>,
        out: &mut Vec<ItemId>,
    ) {
        let found = self.memoised(Resolve::Type, scope, segs, self_ty, || {
            let mut v = Vec::new();
            self.type_into_uncached(scope, segs, self_ty, &mut v, 0);
            v
        });
        for &id in found.iter() {
            if !out.contains(&id) {
                out.push(id);
            }
        }
    }

    /// [`Index::type_into`] without the memo; `depth` counts the aliases followed.
    fn type_into_uncached(
        &self,
        scope: u32,
        segs: &[String],
        self_ty: Option<&Segs>,
        out: &mut Vec<ItemId>,
        depth: u32,
    ) {
        if depth > 8 {
            return;
        }
        let segs = with_self(segs, self_ty);
        let k = self.scope_krate_fast(scope);
        let found = self.find_candidate(scope, &segs, |k, cand| {
            if let Some(&id) = self.paths.get(k, cand) {
                if matches!(
                    self.model.item(id).kind,
                    ItemKind::Struct | ItemKind::Enum | ItemKind::Union
                ) && !out.contains(&id)
                {
                    out.push(id);
                }
                return Some(());
            }
            let &a = self.aliases.get(k, cand)?;
            let alias = &self.flow.aliases[a];
            for n in &alias.target.names {
                self.type_into_uncached(alias.scope, n, None, out, depth + 1);
            }
            Some(())
        });
        if found.is_some() || self.names_library(scope, &segs) {
            return;
        }
        // fallback: a unique type of that name in the crate, else in the workspace
        if let Some(last) = segs.last() {
            let unique = match self.types_by_name.get(k, last) {
                Some(v) => match v.as_slice() {
                    [id] => Some(*id),
                    _ => None,
                },
                None => match self.types_anywhere.get(last.as_str()) {
                    Some(&Some(id)) => Some(id),
                    _ => None,
                },
            };
            if let Some(id) = unique.filter(|id| !out.contains(id)) {
                if self.model.item(id).kind != ItemKind::Trait {
                    out.push(id);
                }
            }
        }
    }

    /// Does the path start with a name the module imports from another crate
    /// (`use lettre::message::Mailbox;`, then `Mailbox`)? Then it is that crate's item,
    /// never a workspace type of the same name (lldap's own `Mailbox` newtype). A `use`
    /// of a module of the crate written without `crate::` (`use configuration::Mailbox`)
    /// is the crate's.
    fn names_library(&self, scope: u32, segs: &[String]) -> bool {
        let (Some(sc), Some(first)) = (self.flow.scopes.get(scope as usize), segs.first()) else {
            return false;
        };
        let Some((_, target)) = sc.uses.iter().rev().find(|(n, _)| n == first) else {
            return false;
        };
        let Some(head) = target.first().map(String::as_str) else {
            return false;
        };
        if matches!(head, "crate" | "self" | "super") || self.krate_names.contains_key(head) {
            return false;
        }
        let k = self.scope_krate_fast(scope);
        let local = |m: &str| self.modules.get(k, &format!("{m}::{head}")).is_some();
        !local(&sc.module) && !local("crate")
    }

    fn scope_krate_fast(&self, scope: u32) -> u32 {
        self.flow
            .scope_krates
            .get(scope as usize)
            .copied()
            .unwrap_or(0)
    }

    /// Calls `f` with each absolute path `segs` may stand for in `scope`, most likely
    /// first, until it returns `Some` (one buffer for all of them: this runs for every
    /// path of every body).
    fn find_candidate<T>(
        &self,
        scope: u32,
        segs: &[String],
        mut f: impl FnMut(u32, &str) -> Option<T>,
    ) -> Option<T> {
        let sc = self.flow.scopes.get(scope as usize)?;
        let first = segs.first()?;
        let k = self.scope_krate_fast(scope);
        let mut buf = String::with_capacity(64);
        let krates = &self.krate_names;
        // the candidate `heads::mid::tail`, built in `buf` without collecting the parts
        let mut try_path = |heads: &[&str], mid: &[String], tail: &[String]| {
            buf.clear();
            // a path into another crate of the workspace: `lldap_domain::types::User`
            let parts = heads
                .iter()
                .copied()
                .chain(mid.iter().map(String::as_str))
                .chain(tail.iter().map(String::as_str));
            let mut kk = k;
            for (i, part) in parts.enumerate() {
                if i == 0 && part != "crate" {
                    if let Some(&other) = krates.get(part) {
                        kk = other;
                        buf.push_str("crate");
                        continue;
                    }
                }
                if !buf.is_empty() {
                    buf.push_str("::");
                }
                buf.push_str(part);
            }
            f(kk, &buf)
        };
        let module = sc.module.as_str();
        match first.as_str() {
            "crate" => try_path(&[], &[], segs),
            "self" | "super" => try_path(&[], &[], &super::lower::absolute(segs, module)),
            _ => {
                if let Some((_, target)) = sc.uses.iter().rev().find(|(n, _)| n == first) {
                    // `target` followed by `segs[1..]`
                    let rest = &segs[1..];
                    let head = target.first().or(rest.first()).map(String::as_str);
                    let extern_crate = head.is_some_and(|c| self.krate_names.contains_key(c));
                    if head == Some("crate") || extern_crate {
                        if let Some(t) = try_path(&[], target, rest) {
                            return Some(t);
                        }
                    } else {
                        if let Some(t) = try_path(&[module], target, rest) {
                            return Some(t);
                        }
                        if let Some(t) = try_path(&["crate"], target, rest) {
                            return Some(t);
                        }
                    }
                }
                if self.krate_names.contains_key(first.as_str()) {
                    if let Some(t) = try_path(&[], &[], segs) {
                        return Some(t);
                    }
                }
                if let Some(t) = try_path(&[module], &[], segs) {
                    return Some(t);
                }
                for g in &sc.globs {
                    let head = g.first().map(String::as_str);
                    let extern_crate = head.is_some_and(|c| self.krate_names.contains_key(c));
                    if head == Some("crate") || extern_crate {
                        if let Some(t) = try_path(&[], g, segs) {
                            return Some(t);
                        }
                    } else {
                        if let Some(t) = try_path(&[module], g, segs) {
                            return Some(t);
                        }
                        if let Some(t) = try_path(&["crate"], g, segs) {
                            return Some(t);
                        }
                    }
                }
                try_path(&["crate"], &[], segs)
            }
        }
    }

    /// The function a call path names: a free function, or `Type::method`.
    pub fn resolve_fn(&self, scope: u32, segs: &[String], self_ty: Option<&Segs>) -> Resolved {
        self.memoised(Resolve::Fn, scope, segs, self_ty, || {
            self.resolve_fn_uncached(scope, segs, self_ty)
        })
    }

    /// The item a path names through the module's scope: `Some(Some(f))` for a function,
    /// `Some(None)` for another item (a type: its `Type::f` is resolved elsewhere).
    fn fn_in_scope(&self, scope: u32, segs: &[String]) -> Option<Option<ItemId>> {
        self.find_candidate(scope, segs, |k, cand| {
            let &id = self.paths.get(k, cand)?;
            Some((self.model.item(id).kind == ItemKind::Fn).then_some(id))
        })
    }

    /// [`Index::resolve_fn`] without its guesses: the path resolves through the module's
    /// scope (its `use` items, its module, the crate), or names a method of a type that
    /// does; never a function found by its name alone.
    pub fn resolve_fn_in_scope(
        &self,
        scope: u32,
        segs: &[String],
        self_ty: Option<&Segs>,
    ) -> Vec<ItemId> {
        let segs = with_self(segs, self_ty);
        if let Some(found) = self.fn_in_scope(scope, &segs) {
            return found.into_iter().collect();
        }
        match &segs[..] {
            [ty @ .., method] if !ty.is_empty() => {
                let mut tys = Vec::new();
                self.type_into(scope, ty, None, &mut tys);
                tys.iter()
                    .flat_map(|&t| self.methods_of(t, method))
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    fn resolve_fn_uncached(
        &self,
        scope: u32,
        segs: &[String],
        self_ty: Option<&Segs>,
    ) -> Vec<ItemId> {
        let segs = with_self(segs, self_ty);
        let k = self.scope_krate_fast(scope);
        if let Some(found) = self.fn_in_scope(scope, &segs) {
            return found.into_iter().collect();
        }
        if segs.len() >= 2 {
            let ty_segs = &segs[..segs.len() - 1];
            let mut tys = Vec::new();
            self.type_into(scope, ty_segs, None, &mut tys);
            let method = &segs[segs.len() - 1];
            let mut out = Vec::new();
            for t in tys {
                out.extend(self.methods_of(t, method));
            }
            if out.is_empty() && !self.names_library(scope, ty_segs) {
                // a trait or a type we could not resolve: by its last name
                if let Some(v) = self
                    .methods
                    .get(k, &segs[segs.len() - 2])
                    .and_then(|m| m.get(method.as_str()))
                {
                    out.extend(v.iter().copied());
                }
            }
            return out;
        }
        match self.fns_by_name.get(k, &segs[0]) {
            Some(v) if v.len() == 1 => v.clone(),
            _ => Vec::new(),
        }
    }

    /// Methods named `name` of a type (in any impl of it, inherent or trait).
    pub fn methods_of(&self, ty: ItemId, name: &str) -> Vec<ItemId> {
        let it = self.model.item(ty);
        let mut out = self
            .methods
            .get(self.krate(ty), &it.name)
            .and_then(|m| m.get(name))
            .cloned()
            .unwrap_or_default();
        if let Some(ms) = self.foreign_impls.get(&ty) {
            out.extend(
                ms.iter()
                    .copied()
                    .filter(|&m| self.model.item(m).name == name),
            );
        }
        out
    }

    /// The one method of the crate named `name`, when there is exactly one (for calls on
    /// a value the analysis could not type: `state.usecase.find_auth_user(id)`).
    pub fn unique_method(&self, krate: u32, name: &str) -> Option<ItemId> {
        match self.methods_by_name.get(krate, name)?.as_slice() {
            [one] if !self.library_impl_methods.contains(one) => Some(*one),
            _ => None,
        }
    }

    /// Every method of the crate named `name`.
    pub fn methods_named(&self, krate: u32, name: &str) -> &[ItemId] {
        self.methods_by_name
            .get(krate, name)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Trait methods named `name` (for calls on values of unknown type: generics, `dyn`).
    pub fn trait_methods(&self, krate: u32, name: &str) -> &[ItemId] {
        self.trait_methods
            .get(krate, name)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

/// `Self::x` in an impl: the impl's self type in front.
fn with_self<'s>(segs: &'s [String], self_ty: Option<&Segs>) -> std::borrow::Cow<'s, [String]> {
    match (segs.first().map(String::as_str), self_ty) {
        (Some("Self"), Some(st)) => st.iter().chain(&segs[1..]).cloned().collect(),
        _ => std::borrow::Cow::Borrowed(segs),
    }
}

/// One map per crate of the run, keyed by names borrowed from the model.
struct PerCrate<'a, V>(Vec<HashMap<&'a str, V>>);

impl<V> Default for PerCrate<'_, V> {
    fn default() -> Self {
        PerCrate(Vec::new())
    }
}

impl<'a, V> PerCrate<'a, V> {
    fn get(&self, krate: u32, key: &str) -> Option<&V> {
        self.0.get(krate as usize)?.get(key)
    }

    fn map(&mut self, krate: u32) -> &mut HashMap<&'a str, V> {
        let k = krate as usize;
        if self.0.len() <= k {
            self.0.resize_with(k + 1, HashMap::default);
        }
        &mut self.0[k]
    }

    fn insert(&mut self, krate: u32, key: &'a str, value: V) {
        self.map(krate).insert(key, value);
    }

    fn entry(
        &mut self,
        krate: u32,
        key: &'a str,
    ) -> std::collections::hash_map::Entry<'_, &'a str, V> {
        self.map(krate).entry(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_type_slot_is_resolved_once_and_only_where_its_group_has_it() {
        // two bodies: one with a return type only, one with a return type and two parameters
        let slots = TypeSlots::new([1, 3].into_iter());
        let calls = std::cell::Cell::new(0);
        let resolve = |id: u32| {
            calls.set(calls.get() + 1);
            vec![ItemId(id)]
        };
        assert_eq!(slots.get(1, 2, || resolve(7)), &[ItemId(7)]);
        assert_eq!(slots.get(1, 2, || resolve(8)), &[ItemId(7)], "filled once");
        assert_eq!(slots.get(0, 0, || resolve(9)), &[ItemId(9)]);
        assert_eq!(calls.get(), 2);
        // past the end of a group or of the table: nothing, and nothing resolved
        assert!(slots.get(0, 1, || resolve(1)).is_empty());
        assert!(slots.get(2, 0, || resolve(1)).is_empty());
        assert_eq!(calls.get(), 2);
    }
}
