//! Parsing and the per-file model. One job per file, run in parallel: read, guard against
//! pathological input, parse with syn, extract the items and tags with engine spans, and
//! find the child module files. Spans are converted on the worker thread that parsed the
//! file: proc-macro2 span locations are thread-local.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dpia_annotations::{Tag, TagKind};
use quote::ToTokens;
use syn::spanned::Spanned as _;

use crate::flow::ir::{Alias, FileFlow};
use crate::flow::lower::{self, Lower};
use crate::model::{Field, Item, ItemId, ItemKind, ParseProblem, TagAt, TagProblem};
use crate::source::{FileId, SourceFile, Span};
use crate::spans::Offsets;
use crate::uses::Import;

/// At most this many problems are reported for one tag; then one finding counts the rest
/// (a tag with 10 000 bad keys must not print 10 000 findings).
const MAX_PROBLEMS_PER_TAG: usize = 20;

/// Modules nested deeper than this (through `mod x;` files) are reported, not read: every
/// item's path names all its modules, so a chain of 20 000 `#[path]` files would cost
/// quadratic time and memory.
const MAX_MODULE_DEPTH: usize = 128;

/// One file to parse.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    pub path: PathBuf,
    pub module_path: String,
    pub krate: usize,
    pub follow_mods: bool,
    /// Child module files live in the file's own directory (`lib.rs`, `main.rs`, `mod.rs`,
    /// `#[path]` files) rather than in a directory named after it.
    pub mod_rs: bool,
    /// The canonical path, once resolved inside the fence (by the `mod` declaration's check
    /// or the wave's deduplication): reading the file does not resolve it again.
    pub real: Option<PathBuf>,
}

/// What one job produced.
pub(crate) struct Parsed {
    pub text: Arc<str>,
    /// Parents are indices into this vector.
    pub items: Vec<Item>,
    pub tag_problems: Vec<TagProblem>,
    pub problems: Vec<ParseProblem>,
    pub children: Vec<Job>,
    /// Function bodies and scopes for the flow analysis (file-local indices).
    pub flow: FileFlow,
    pub parse_time: Duration,
    pub model_time: Duration,
}

impl Parsed {
    /// A file whose analysis panicked: nothing but the DPIA001 problem that says so.
    fn internal_error(file: FileId, panic: &str) -> Parsed {
        Parsed {
            text: Arc::from(""),
            items: Vec::new(),
            tag_problems: Vec::new(),
            problems: vec![ParseProblem {
                file,
                span: Span::new(file, 0..0),
                message: crate::panics::message("this file", panic),
            }],
            children: Vec::new(),
            flow: FileFlow::default(),
            parse_time: Duration::ZERO,
            model_time: Duration::ZERO,
        }
    }
}

/// Where a child module's file may be, and the span of its `mod` declaration.
struct ChildDecl {
    candidates: Vec<PathBuf>,
    name: String,
    module_path: String,
    by_path_attr: bool,
    span: Span,
}

/// Reads, parses and extracts one file, and builds its entry for the
/// [`crate::SourceDb`] (named relative to `root`, see [`SourceFile::at`]) on this worker.
pub(crate) fn process(
    job: &Job,
    file: FileId,
    include_tests: bool,
    fence: &Path,
    root: &Path,
) -> (Parsed, SourceFile) {
    let mut out = crate::panics::catch(|| read_and_extract(job, file, include_tests, fence))
        .unwrap_or_else(|panic| {
            // the panic may have left spans in this thread's table
            proc_macro2::extra::invalidate_current_thread_spans();
            Parsed::internal_error(file, &panic)
        });
    let t = Instant::now();
    let source = SourceFile::at(root, job.path.clone(), out.text.clone());
    out.model_time += t.elapsed();
    (out, source)
}

fn read_and_extract(job: &Job, file: FileId, include_tests: bool, fence: &Path) -> Parsed {
    let mut out = Parsed {
        text: Arc::from(""),
        items: Vec::new(),
        tag_problems: Vec::new(),
        problems: Vec::new(),
        children: Vec::new(),
        flow: FileFlow::default(),
        parse_time: Duration::ZERO,
        model_time: Duration::ZERO,
    };
    let whole = |out: &Parsed| Span::new(file, 0..out.text.len().min(1));
    let t = Instant::now();
    let text = match read_text(job, file, fence) {
        Ok(text) => text,
        Err((text, problem)) => {
            if let Some(text) = text {
                out.text = text;
            }
            out.problems.push(problem);
            return out;
        }
    };
    out.text = Arc::from(text);
    let clean = sanitise(&out.text);
    let parsed = crate::guard::parse_file(&clean);
    out.parse_time = t.elapsed();
    let t = Instant::now();
    match parsed {
        Err(crate::guard::Failure::Refused(r)) => {
            let at = r.span.byte_range().start;
            out.problems.push(ParseProblem {
                file,
                span: Span::new(file, at..at + 1),
                message: r.message,
            });
        }
        Err(crate::guard::Failure::Syntax(e)) => {
            let r = e.span().byte_range();
            let span = if r == (0..0) {
                whole(&out)
            } else {
                Span::new(file, r)
            };
            out.problems.push(ParseProblem {
                file,
                span,
                message: format!("this file cannot be parsed: {e}"),
            });
        }
        Ok(ast) => {
            let dir = job.path.parent().unwrap_or(Path::new(".")).to_path_buf();
            let mod_dir = if job.mod_rs {
                dir.clone()
            } else {
                let stem = job.path.file_stem().unwrap_or_default();
                dir.join(stem)
            };
            let offsets = Offsets::new(match clean {
                std::borrow::Cow::Borrowed(_) => out.text.clone(),
                std::borrow::Cow::Owned(s) => Arc::from(s),
            });
            let mut cx = Extract {
                file,
                offsets: &offsets,
                include_tests,
                items: Vec::new(),
                tag_problems: Vec::new(),
                children: Vec::new(),
                problems: Vec::new(),
                flow: FileFlow::default(),
                cur_scope: 0,
            };
            let scope = Scope {
                module_path: job.module_path.clone(),
                mod_dir,
                path_attr_dir: dir.clone(),
                follow_mods: job.follow_mods,
            };
            cx.items_in(&ast.items, &scope, None);
            out.items = cx.items;
            out.tag_problems = cx.tag_problems;
            out.problems.append(&mut cx.problems);
            out.flow = cx.flow;
            for child in cx.children {
                match child_job(child, job, file, &dir, fence) {
                    Ok(next) => out.children.push(next),
                    Err(problem) => out.problems.push(problem),
                }
            }
        }
    }
    // Free this thread's span table: nothing below holds a proc-macro2 span any more.
    proc_macro2::extra::invalidate_current_thread_spans();
    out.model_time = t.elapsed();
    out
}

/// The text of the job's file, read through the fence (the same fence discovery checked,
/// again at the read: the file may have changed). A file that is not UTF-8 is no text: the
/// problem, with its lossy text for the report.
fn read_text(
    job: &Job,
    file: FileId,
    fence: &Path,
) -> Result<String, (Option<Arc<str>>, ParseProblem)> {
    let cap = crate::fence::MAX_SOURCE_BYTES;
    let bytes = match &job.real {
        Some(real) => crate::fence::read_resolved(real, fence, cap),
        None => crate::fence::read(&job.path, fence, cap),
    };
    let bytes = bytes.map_err(|r| {
        let problem = ParseProblem {
            file,
            span: Span::new(file, 0..0),
            message: format!("this file was not read: it {r}"),
        };
        (None, problem)
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let text = Arc::from(String::from_utf8_lossy(e.as_bytes()).into_owned());
        let problem = ParseProblem {
            file,
            span: Span::new(file, valid..valid),
            message: format!("this file is not valid UTF-8 (first invalid byte at offset {valid}); it was not analysed"),
        };
        (Some(text), problem)
    })
}

/// The job of a `mod child;` declaration: the first candidate file there is (a file, a
/// FIFO, a symlink…), then the fence: inside the linted directory, a regular file, not too
/// large. Otherwise the problem to report at the declaration.
fn child_job(
    child: ChildDecl,
    job: &Job,
    file: FileId,
    dir: &Path,
    fence: &Path,
) -> Result<Job, ParseProblem> {
    let problem = |message: String| ParseProblem {
        file,
        span: child.span,
        message,
    };
    let found = child.candidates.iter().find_map(|c| {
        if !crate::fence::exists(c) {
            return None;
        }
        match crate::fence::check(c, fence, crate::fence::MAX_SOURCE_BYTES) {
            Err(crate::fence::Refusal::Missing) => None,
            checked => Some((c, checked)),
        }
    });
    let Some((found, checked)) = found else {
        return Err(problem(format!(
            "file not found for module `{}` (looked for {})",
            child.name,
            child
                .candidates
                .iter()
                .map(|c| format!("`{}`", crate::source::rel_path(dir, c)))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    let real = match checked {
        Ok(real) => real,
        Err(crate::fence::Refusal::Outside(_)) => {
            return Err(problem(format!(
                "module `{}` leads outside the linted directory (through a symlink or `#[path]`); it was not analysed",
                child.name
            )));
        }
        Err(r) => {
            return Err(problem(format!(
                "the file of module `{}` (`{}`) {r}; it was not read",
                child.name,
                crate::source::rel_path(dir, found)
            )));
        }
    };
    let mod_rs = child.by_path_attr || found.file_name().is_some_and(|n| n == "mod.rs");
    Ok(Job {
        path: found.clone(),
        module_path: child.module_path,
        krate: job.krate,
        follow_mods: true,
        mod_rs,
        real: Some(real),
    })
}

/// Blanks a byte-order mark and a shebang line with spaces of the same byte length, so
/// that syn's byte offsets are offsets into the original text.
fn sanitise(text: &str) -> std::borrow::Cow<'_, str> {
    let bom = text.starts_with('\u{feff}');
    let body = if bom { &text[3..] } else { text };
    let shebang = body.starts_with("#!") && !body[2..].trim_start().starts_with('[');
    if !bom && !shebang {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut s = String::with_capacity(text.len());
    if bom {
        s.push_str("   ");
    }
    if shebang {
        let end = body.find('\n').unwrap_or(body.len());
        s.extend(std::iter::repeat_n(' ', end));
        s.push_str(&body[end..]);
    } else {
        s.push_str(body);
    }
    std::borrow::Cow::Owned(s)
}

/// The module a list of items is in.
struct Scope {
    module_path: String,
    /// Where child `mod x;` files are looked up.
    mod_dir: PathBuf,
    /// Base directory of `#[path]` attributes on child modules.
    path_attr_dir: PathBuf,
    follow_mods: bool,
}

/// How attribute paths resolve to dpia tags in one module (its `use` items).
#[derive(Default)]
struct Imports {
    /// Local name → tag (`use dpia::processing as purpose;`).
    named: HashMap<String, TagKind>,
    /// `use dpia::*;`.
    glob: bool,
    /// Names the dpia crates go by (`dpia`, `dpia_macros`, `use dpia as d;`).
    crates: Vec<String>,
}

impl Imports {
    fn of(uses: &[Import]) -> Imports {
        let mut im = Imports {
            crates: vec!["dpia".into(), "dpia_macros".into()],
            ..Imports::default()
        };
        for u in uses {
            match u {
                Import::Name {
                    prefix,
                    name,
                    rename,
                } => im.import(prefix, name, &Import::local(name, rename)),
                Import::Glob { prefix } => {
                    if prefix.len() == 1 && im.is_crate(&prefix[0]) {
                        im.glob = true;
                    }
                }
                Import::ExternCrate { name, rename } => {
                    if name == "dpia" || name == "dpia_macros" {
                        if let Some(alias) = rename {
                            im.crates.push(alias.clone());
                        }
                    }
                }
            }
        }
        im
    }

    fn is_crate(&self, name: &str) -> bool {
        self.crates.iter().any(|c| c == name)
    }

    fn import(&mut self, prefix: &[String], name: &str, local: &str) {
        match prefix {
            [] if name == "dpia" || name == "dpia_macros" => self.crates.push(local.to_string()),
            [krate] if self.is_crate(krate) && name == "self" && local != "self" => {
                self.crates.push(local.to_string());
            }
            [krate] if self.is_crate(krate) => {
                if let Some(kind) = TagKind::from_macro_name(name) {
                    self.named.insert(local.to_string(), kind);
                }
            }
            _ => {}
        }
    }

    /// What an attribute path is.
    fn classify(&self, path: &syn::Path) -> AttrClass {
        let segs: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        match segs.as_slice() {
            [krate, name] if self.is_crate(krate) => match TagKind::from_macro_name(name) {
                Some(k) => AttrClass::Tag(k),
                None => AttrClass::Unknown(name.clone()),
            },
            // a bare `allow` is always Rust's own lint attribute
            [name] if name == "allow" => AttrClass::Other,
            [name] => match self.named.get(name) {
                Some(k) => AttrClass::Tag(*k),
                None if self.glob => TagKind::from_macro_name(name)
                    .map(AttrClass::Tag)
                    .unwrap_or(AttrClass::Other),
                None => AttrClass::Other,
            },
            _ => AttrClass::Other,
        }
    }
}

/// `#[graphql(skip)]` on a method of a GraphQL object: not a resolver.
fn has_graphql_skip(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("graphql")
            && matches!(&a.meta, syn::Meta::List(l) if l.tokens.to_string().contains("skip"))
    })
}

enum AttrClass {
    Tag(TagKind),
    /// `dpia::<name>` with a name that is no tag.
    Unknown(String),
    Other,
}

struct Extract<'o> {
    file: FileId,
    offsets: &'o Offsets,
    include_tests: bool,
    items: Vec<Item>,
    tag_problems: Vec<TagProblem>,
    children: Vec<ChildDecl>,
    /// Problems that make part of the crate unanalysed (DPIA001).
    problems: Vec<ParseProblem>,
    flow: FileFlow,
    /// The module scope of the items being extracted, in `flow.scopes`.
    cur_scope: u32,
}

impl Extract<'_> {
    fn span(&self, s: proc_macro2::Span) -> Span {
        Span::new(self.file, self.offsets.range(s))
    }

    fn items_in(&mut self, items: &[syn::Item], scope: &Scope, parent: Option<ItemId>) {
        // the module's `use` items, read once for its tags and its flow scope
        let uses = crate::uses::read(items);
        let imports = Imports::of(&uses);
        let outer = self.cur_scope;
        self.cur_scope = self.flow.scopes.len() as u32;
        self.flow
            .scopes
            .push(lower::scope_of(&uses, &scope.module_path));
        for item in items {
            if !self.include_tests && is_test_only(item_attrs(item)) {
                continue;
            }
            self.item(item, scope, &imports, parent);
        }
        self.cur_scope = outer;
    }

    fn lower_body(
        &mut self,
        id: ItemId,
        self_ty: Option<Vec<String>>,
        trait_method: bool,
        sig: &syn::Signature,
        attrs: &[syn::Attribute],
        block: &syn::Block,
    ) {
        let body = Lower::new(self.file, self.offsets).body(
            id,
            self.cur_scope,
            self_ty,
            trait_method,
            sig,
            attrs,
            block,
        );
        self.flow.bodies.push(body);
    }

    fn item_range(&self, item: &syn::Item) -> std::ops::Range<usize> {
        self.offsets
            .item(item)
            .unwrap_or_else(|| self.offsets.range(item.span()))
    }

    fn push(&mut self, item: Item) -> ItemId {
        self.items.push(item);
        ItemId(self.items.len() as u32 - 1)
    }

    /// The item `head` describes, with its tags.
    fn new_item(&mut self, head: Head<'_>, imports: &Imports, parent: Option<ItemId>) -> Item {
        let tags = self.tags(head.attrs, imports, &head.path);
        Item {
            kind: head.kind,
            name: head.name,
            path: head.path,
            file: self.file,
            name_span: self.span(head.name_span),
            span: Span::new(self.file, head.whole),
            tags,
            parent,
            fields: Vec::new(),
            in_test: is_test_only(head.attrs),
            context: table_names(head.attrs),
            generated_by: None,
        }
    }

    fn item(&mut self, item: &syn::Item, scope: &Scope, imports: &Imports, parent: Option<ItemId>) {
        let mp = &scope.module_path;
        match item {
            syn::Item::Struct(s) => {
                let head = Head::named(
                    ItemKind::Struct,
                    mp,
                    &s.ident,
                    self.item_range(item),
                    &s.attrs,
                );
                let fmts = lower::error_fmt(&s.attrs, None, &s.fields)
                    .into_iter()
                    .collect();
                self.data_type(head, &[(None, &s.fields)], imports, parent, fmts);
            }
            syn::Item::Union(u) => {
                let head = Head::named(
                    ItemKind::Union,
                    mp,
                    &u.ident,
                    self.item_range(item),
                    &u.attrs,
                );
                let fields = syn::Fields::Named(u.fields.clone());
                self.data_type(head, &[(None, &fields)], imports, parent, Vec::new());
            }
            syn::Item::Enum(e) => {
                let head = Head::named(
                    ItemKind::Enum,
                    mp,
                    &e.ident,
                    self.item_range(item),
                    &e.attrs,
                );
                let variants: Vec<(Option<String>, &syn::Fields)> = e
                    .variants
                    .iter()
                    .map(|v| (Some(v.ident.to_string()), &v.fields))
                    .collect();
                // `thiserror`: what each variant's `#[error(...)]` formats
                let fmts = e
                    .variants
                    .iter()
                    .filter_map(|v| {
                        lower::error_fmt(&v.attrs, Some(v.ident.to_string()), &v.fields)
                    })
                    .collect();
                self.data_type(head, &variants, imports, parent, fmts);
            }
            syn::Item::Fn(f) => {
                let head = Head::named(
                    ItemKind::Fn,
                    mp,
                    &f.sig.ident,
                    self.item_range(item),
                    &f.attrs,
                );
                let it = self.new_item(head, imports, parent);
                let id = self.push(it);
                self.lower_body(id, None, false, &f.sig, &f.attrs, &f.block);
                self.nested_items(&f.block, scope, imports, id);
            }
            syn::Item::Impl(i) => self.impl_block(i, self.item_range(item), scope, imports, parent),
            syn::Item::Trait(t) => {
                self.trait_block(t, self.item_range(item), scope, imports, parent)
            }
            syn::Item::Mod(m) => self.module(m, self.item_range(item), scope, imports, parent),
            syn::Item::Macro(m) => {
                // `newtype!(Email)`: the macro defines the type it is given, as a newtype
                let Some((ident, mac)) = generated_type(m) else {
                    return self.other_item(item, scope, imports, parent);
                };
                let head = Head::named(
                    ItemKind::Struct,
                    mp,
                    &ident,
                    self.item_range(item),
                    &m.attrs,
                );
                let mut it = self.new_item(head, imports, parent);
                it.generated_by = Some(mac);
                it.fields = vec![Field {
                    name: "0".into(),
                    span: self.span(ident.span()),
                    ty: "_".into(),
                    tag: None,
                }];
                let id = self.push(it);
                self.flow
                    .field_types
                    .push((id, self.cur_scope, vec![Default::default()]));
            }
            other => self.other_item(other, scope, imports, parent),
        }
    }

    /// A struct, union or enum: its fields (per variant), their tags and their types.
    fn data_type(
        &mut self,
        head: Head<'_>,
        variants: &[(Option<String>, &syn::Fields)],
        imports: &Imports,
        parent: Option<ItemId>,
        error_fmts: Vec<crate::flow::ir::ErrorFmt>,
    ) {
        let (ident, attrs) = (head.name_span, head.attrs);
        let mut it = self.new_item(head, imports, parent);
        let before = self.tag_problems.len();
        let mut tys = Vec::new();
        for (variant, fields) in variants {
            let found = self.fields(fields, variant.as_deref(), &it.path);
            it.fields.extend(found);
            tys.extend(fields.iter().map(|f| lower::ty(&f.ty)));
        }
        self.untagged_fields(&it, before, ident);
        self.helpers_need_personal_data(
            attrs,
            imports,
            variants.iter().flat_map(|(_, f)| f.iter()),
            &it.path,
        );
        let id = self.push(it);
        self.flow.field_types.push((id, self.cur_scope, tys));
        if !error_fmts.is_empty() {
            self.flow.error_fmts.push((id, error_fmts));
        }
    }

    /// An impl block and its methods (resolvers of GraphQL objects are handlers).
    fn impl_block(
        &mut self,
        i: &syn::ItemImpl,
        whole: std::ops::Range<usize>,
        scope: &Scope,
        imports: &Imports,
        parent: Option<ItemId>,
    ) {
        let mp = &scope.module_path;
        let ty_name = type_name(&i.self_ty);
        let path = format!("{mp}::{ty_name}");
        let head = Head {
            kind: ItemKind::Impl,
            name: ty_name.clone(),
            path: path.clone(),
            name_span: i.self_ty.span(),
            whole,
            attrs: &i.attrs,
        };
        let it = self.new_item(head, imports, parent);
        let id = self.push(it);
        let self_segs: Option<Vec<String>> = match &*i.self_ty {
            syn::Type::Path(p) => Some(
                p.path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect(),
            ),
            _ => None,
        };
        let trait_segs: Vec<String> = i
            .trait_
            .as_ref()
            .map(|(p, _)| p.segments.iter().map(|s| s.ident.to_string()).collect())
            .unwrap_or_default();
        let is_trait_impl = !trait_segs.is_empty();
        // async-graphql `#[Object]`, juniper `#[graphql_object]`: every method is a
        // resolver whose result goes to the API client
        let resolver = i.attrs.iter().any(|a| {
            a.path().segments.last().is_some_and(|s| {
                matches!(
                    s.ident.to_string().as_str(),
                    "Object" | "ComplexObject" | "Subscription" | "graphql_object"
                )
            })
        });
        self.flow.impl_scopes.push((id, self.cur_scope, trait_segs));
        for ii in &i.items {
            if let syn::ImplItem::Fn(f) = ii {
                if !self.include_tests && is_test_only(&f.attrs) {
                    continue;
                }
                let whole = self.offsets.impl_fn(f);
                let head = Head::named(ItemKind::Method, &path, &f.sig.ident, whole, &f.attrs);
                let m = self.new_item(head, imports, Some(id));
                let mid = self.push(m);
                self.lower_body(
                    mid,
                    self_segs.clone(),
                    is_trait_impl,
                    &f.sig,
                    &f.attrs,
                    &f.block,
                );
                if resolver && !has_graphql_skip(&f.attrs) {
                    if let Some(b) = self.flow.bodies.last_mut() {
                        b.handler = true;
                    }
                }
                self.nested_items(&f.block, scope, imports, mid);
            }
        }
    }

    /// A trait and its methods (default bodies are lowered).
    fn trait_block(
        &mut self,
        t: &syn::ItemTrait,
        whole: std::ops::Range<usize>,
        scope: &Scope,
        imports: &Imports,
        parent: Option<ItemId>,
    ) {
        let mp = &scope.module_path;
        let head = Head::named(ItemKind::Trait, mp, &t.ident, whole, &t.attrs);
        let path = head.path.clone();
        let it = self.new_item(head, imports, parent);
        let id = self.push(it);
        for ti in &t.items {
            if let syn::TraitItem::Fn(f) = ti {
                let whole = self.offsets.trait_fn(f);
                let head = Head::named(ItemKind::Method, &path, &f.sig.ident, whole, &f.attrs);
                let m = self.new_item(head, imports, Some(id));
                let mid = self.push(m);
                if let Some(block) = &f.default {
                    self.lower_body(mid, None, true, &f.sig, &f.attrs, block);
                    self.nested_items(block, scope, imports, mid);
                }
            }
        }
    }

    /// A module: its inline items, or the file to read next (a child job).
    fn module(
        &mut self,
        m: &syn::ItemMod,
        whole: std::ops::Range<usize>,
        scope: &Scope,
        imports: &Imports,
        parent: Option<ItemId>,
    ) {
        let mp = &scope.module_path;
        let name = m.ident.to_string();
        // `mod r#match;` is in `match.rs`
        let file_name = syn::ext::IdentExt::unraw(&m.ident).to_string();
        let child_path = format!("{mp}::{name}");
        let head = Head {
            kind: ItemKind::Mod,
            name: name.clone(),
            path: child_path.clone(),
            name_span: m.ident.span(),
            whole,
            attrs: &m.attrs,
        };
        let it = self.new_item(head, imports, parent);
        let id = self.push(it);
        let path_attr = path_attr(&m.attrs);
        match &m.content {
            Some((_, items)) => {
                let inner = Scope {
                    module_path: child_path,
                    mod_dir: match &path_attr {
                        Some(p) => scope.mod_dir.join(p),
                        None => scope.mod_dir.join(&file_name),
                    },
                    path_attr_dir: scope.mod_dir.join(&file_name),
                    follow_mods: scope.follow_mods,
                };
                self.items_in(items, &inner, Some(id));
            }
            None if scope.follow_mods && child_path.matches("::").count() > MAX_MODULE_DEPTH => {
                let span = self.span(m.ident.span());
                self.problems.push(ParseProblem {
                    file: self.file,
                    span,
                    message: format!(
                        "module `{name}` is nested more than {MAX_MODULE_DEPTH} modules deep; its file was not analysed"
                    ),
                });
            }
            None if scope.follow_mods => {
                let (candidates, by_path_attr) = match path_attr {
                    Some(p) => (vec![scope.path_attr_dir.join(p)], true),
                    None => (
                        vec![
                            scope.mod_dir.join(format!("{file_name}.rs")),
                            scope.mod_dir.join(&file_name).join("mod.rs"),
                        ],
                        false,
                    ),
                };
                let span = self.span(m.ident.span());
                self.children.push(ChildDecl {
                    candidates,
                    name,
                    module_path: child_path,
                    by_path_attr,
                    span,
                });
            }
            None => {}
        }
    }

    /// Any other item: a type alias for the flows, and an item only when it carries tags
    /// (`allow` on a const, a misplaced tag).
    fn other_item(
        &mut self,
        other: &syn::Item,
        scope: &Scope,
        imports: &Imports,
        parent: Option<ItemId>,
    ) {
        let mp = &scope.module_path;
        if let syn::Item::Type(t) = other {
            self.flow.aliases.push(Alias {
                path: format!("{mp}::{}", t.ident),
                scope: self.cur_scope,
                target: lower::ty(&t.ty),
            });
        }
        // Other items matter only for the tags on them (`allow` on a const, a
        // misplaced tag).
        let attrs = item_attrs(other);
        if attrs
            .iter()
            .any(|a| !matches!(imports.classify(a.path()), AttrClass::Other))
        {
            let name = item_ident(other).unwrap_or_else(|| "_".into());
            let path = format!("{mp}::{name}");
            let head = Head {
                kind: ItemKind::Other,
                name,
                path,
                name_span: other.span(),
                whole: self.item_range(other),
                attrs,
            };
            let it = self.new_item(head, imports, parent);
            self.push(it);
        }
    }

    /// Items inside a function body (nested fns, impls, structs…), at any depth of its
    /// blocks: analysed like the module's own items, in the module's namespace (so that the
    /// body's calls of a nested fn resolve), with the function as their parent.
    fn nested_items(
        &mut self,
        block: &syn::Block,
        scope: &Scope,
        imports: &Imports,
        parent: ItemId,
    ) {
        struct Collect<'a>(Vec<&'a syn::Item>);
        impl<'a> syn::visit::Visit<'a> for Collect<'a> {
            fn visit_item(&mut self, i: &'a syn::Item) {
                // not into the item: `item` below handles its own nested items
                self.0.push(i);
            }
        }
        let mut found = Collect(Vec::new());
        syn::visit::Visit::visit_block(&mut found, block);
        if found.0.is_empty() {
            return;
        }
        // `mod x;` cannot appear in a block: never look for files from here
        let inner = Scope {
            module_path: scope.module_path.clone(),
            mod_dir: scope.mod_dir.clone(),
            path_attr_dir: scope.path_attr_dir.clone(),
            follow_mods: false,
        };
        for item in found.0 {
            if !self.include_tests && is_test_only(item_attrs(item)) {
                continue;
            }
            self.item(item, &inner, imports, Some(parent));
        }
    }

    /// `#[personal_data]` without `category` needs a tag on every field (the macro's
    /// error, with its text). `before`: the tag problems before the fields were read; a
    /// field whose own tag is malformed is already reported.
    fn untagged_fields(&mut self, it: &Item, before: usize, ident: proc_macro2::Span) {
        let no_category = it
            .tags
            .iter()
            .any(|t| matches!(&t.tag, Tag::PersonalData(p) if p.category.is_none()));
        if !no_category || self.tag_problems.len() > before {
            return;
        }
        let untagged: Vec<String> = it
            .fields
            .iter()
            .filter(|f| f.tag.is_none())
            .map(|f| f.name.clone())
            .collect();
        if untagged.is_empty() {
            return;
        }
        let (message, help) = dpia_annotations::untagged_fields_error(&untagged);
        self.problem(ident, message, Some(help.to_string()), &it.path);
    }

    /// DPIA002 for each `#[dpia(...)]` field helper of a type with no `#[personal_data]`
    /// (rustc rejects it: only that tag removes the helpers). A type whose dpia tags did not
    /// resolve (a misspelt `#[dpia::personal_dat]`) is already reported.
    fn helpers_need_personal_data<'f>(
        &mut self,
        attrs: &[syn::Attribute],
        imports: &Imports,
        fields: impl Iterator<Item = &'f syn::Field>,
        owner: &str,
    ) {
        let tagged = attrs.iter().any(|a| {
            matches!(
                imports.classify(a.path()),
                AttrClass::Tag(TagKind::PersonalData) | AttrClass::Unknown(_)
            )
        });
        if tagged {
            return;
        }
        for f in fields {
            for a in f.attrs.iter().filter(|a| a.path().is_ident("dpia")) {
                let e = dpia_annotations::field_helper_without_personal_data(a.span());
                self.problem(e.span, e.message, e.help, owner);
            }
        }
    }

    fn fields(&mut self, fields: &syn::Fields, variant: Option<&str>, owner: &str) -> Vec<Field> {
        let mut out = Vec::new();
        for (i, f) in fields.iter().enumerate() {
            let base = f
                .ident
                .as_ref()
                .map(|id| id.to_string())
                .unwrap_or_else(|| i.to_string());
            let name = match variant {
                Some(v) => format!("{v}.{base}"),
                None => base,
            };
            let span = match &f.ident {
                Some(id) => self.span(id.span()),
                None => self.span(f.ty.span()),
            };
            let mut tag = None;
            for a in &f.attrs {
                if !a.path().is_ident("dpia") {
                    continue;
                }
                let item_path = format!("{owner}.{name}");
                if tag.is_some() {
                    self.problem(
                        a.span(),
                        "more than one `#[dpia(...)]` on this field".into(),
                        Some("merge them into one".into()),
                        &item_path,
                    );
                    continue;
                }
                tag = self.parse_attr(TagKind::Field, a, &item_path);
            }
            out.push(Field {
                name,
                span,
                ty: type_string(&f.ty),
                tag,
            });
        }
        out
    }

    fn tags(&mut self, attrs: &[syn::Attribute], imports: &Imports, item_path: &str) -> Vec<TagAt> {
        let mut tags = Vec::new();
        for a in attrs {
            match imports.classify(a.path()) {
                AttrClass::Other => {}
                AttrClass::Unknown(name) => {
                    let names = TagKind::MACROS.map(TagKind::name);
                    let suggestion = dpia_annotations::suggest(&name, names);
                    let help = suggestion
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| {
                            format!(
                                "the dpia tags are {}",
                                names.map(|n| format!("`{n}`")).join(", ")
                            )
                        });
                    self.problem(
                        a.path().span(),
                        format!("unknown dpia tag `{name}`"),
                        Some(help),
                        item_path,
                    );
                    // the fix rewrites the whole path: `dpia::procesing` → `dpia::processing`
                    if let (Some(s), Some(p)) = (suggestion, self.tag_problems.last_mut()) {
                        let path = a.path();
                        let lead = if path.leading_colon.is_some() {
                            "::"
                        } else {
                            ""
                        };
                        p.replacement = Some(format!("{lead}{}::{s}", path.segments[0].ident));
                    }
                }
                AttrClass::Tag(kind) => {
                    if let Some(t) = self.parse_attr(kind, a, item_path) {
                        tags.push(t);
                    }
                }
            }
        }
        tags
    }

    fn parse_attr(&mut self, kind: TagKind, a: &syn::Attribute, item_path: &str) -> Option<TagAt> {
        match dpia_annotations::parse_tag_attr(kind, a) {
            Ok(tag) => {
                let file = self.file;
                let tag: Tag<Span> =
                    tag.map_spans(&mut |s: proc_macro2::Span| Span::new(file, s.byte_range()));
                Some(TagAt {
                    tag,
                    span: self.span(a.span()),
                })
            }
            Err(errors) => {
                let more = errors.len().saturating_sub(MAX_PROBLEMS_PER_TAG);
                for e in errors.into_iter().take(MAX_PROBLEMS_PER_TAG) {
                    let exact = e.span.byte_range() != (0..0);
                    let span = if exact { e.span } else { a.span() };
                    self.problem(span, e.message, e.help, item_path);
                    if let (true, Some(r), Some(p)) =
                        (exact, e.replacement, self.tag_problems.last_mut())
                    {
                        p.replacement = Some(r);
                    }
                }
                if more > 0 {
                    self.problem(
                        a.path().span(),
                        format!("{more} more problems in this tag"),
                        Some(format!(
                            "fix the {MAX_PROBLEMS_PER_TAG} problems above and run again to see the rest"
                        )),
                        item_path,
                    );
                }
                None
            }
        }
    }

    fn problem(
        &mut self,
        span: proc_macro2::Span,
        message: String,
        help: Option<String>,
        item_path: &str,
    ) {
        let span = self.span(span);
        self.tag_problems.push(TagProblem {
            span,
            message,
            help,
            replacement: None,
            item_path: item_path.to_string(),
        });
    }
}

/// An item-level macro call that defines a type: its only argument is an UpperCamel
/// identifier (`make_case_insensitive_comparable_string!(Email)`). Calls of macros that
/// implement or check something for an existing type (`impl_*!`, `assert_*!`, `derive_*!`)
/// are not definitions; the index also drops a generated type a real item of the crate
/// already defines.
fn generated_type(m: &syn::ItemMacro) -> Option<(syn::Ident, String)> {
    if m.ident.is_some() {
        return None;
    }
    let name = m.mac.path.segments.last()?.ident.to_string();
    if [
        "impl", "assert", "derive", "test", "bench", "cfg", "include", "debug",
    ]
    .iter()
    .any(|p| name.starts_with(p))
    {
        return None;
    }
    let mut toks = m.mac.tokens.clone().into_iter();
    let ident = match toks.next()? {
        proc_macro2::TokenTree::Ident(i) => i,
        _ => return None,
    };
    match toks.next() {
        None => {}
        Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == ',' && toks.next().is_none() => {}
        _ => return None,
    }
    let s = ident.to_string();
    let upper_camel = s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.chars().any(|c| c.is_ascii_lowercase())
        && !s.contains('_');
    upper_camel.then_some((ident, name))
}

/// A type as its tokens joined by spaces (`Option < Vec < String > >`), as
/// `to_token_stream().to_string()` writes it, without building a token stream for the
/// common shapes (paths, references, slices, arrays, tuples).
pub(crate) fn type_string(ty: &syn::Type) -> String {
    let mut out = String::new();
    write_type(ty, &mut out, 0);
    out
}

fn push_tok(out: &mut String, tok: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(tok);
}

fn write_type(ty: &syn::Type, out: &mut String, depth: u32) {
    if depth > 64 {
        return;
    }
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => {
            if p.path.leading_colon.is_some() {
                push_tok(out, "::");
            }
            for (i, seg) in p.path.segments.iter().enumerate() {
                if i > 0 {
                    push_tok(out, "::");
                }
                push_tok(out, &seg.ident.to_string());
                if let syn::PathArguments::AngleBracketed(a) = &seg.arguments {
                    push_tok(out, "<");
                    for (j, arg) in a.args.iter().enumerate() {
                        if j > 0 {
                            push_tok(out, ",");
                        }
                        match arg {
                            syn::GenericArgument::Type(t) => write_type(t, out, depth + 1),
                            other => push_tok(out, &other.to_token_stream().to_string()),
                        }
                    }
                    push_tok(out, ">");
                } else if !matches!(seg.arguments, syn::PathArguments::None) {
                    push_tok(out, &seg.arguments.to_token_stream().to_string());
                }
            }
        }
        syn::Type::Reference(r) => {
            push_tok(out, "&");
            if let Some(l) = &r.lifetime {
                push_tok(out, &l.to_string());
            }
            if r.mutability.is_some() {
                push_tok(out, "mut");
            }
            write_type(&r.elem, out, depth + 1);
        }
        // a delimited group prints without spaces inside its delimiters
        syn::Type::Slice(s) => {
            let mut inner = String::new();
            write_type(&s.elem, &mut inner, depth + 1);
            push_tok(out, &format!("[{inner}]"));
        }
        syn::Type::Tuple(t) => {
            let mut inner = String::new();
            for (i, e) in t.elems.iter().enumerate() {
                if i > 0 {
                    push_tok(&mut inner, ",");
                }
                write_type(e, &mut inner, depth + 1);
            }
            push_tok(out, &format!("({inner})"));
        }
        other => push_tok(out, &other.to_token_stream().to_string()),
    }
}

/// The last path segment of a type (`crate::a::Profiler<T>` → `Profiler`), or the type as
/// written when it is no path.
fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        syn::Type::Reference(r) => type_name(&r.elem),
        other => other.to_token_stream().to_string().replace(' ', ""),
    }
}

/// `#[diesel(table_name = users)]`, `#[sea_orm(table_name = "users")]`…: the table a
/// struct maps, which says what its rows are about.
fn table_names(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for a in attrs {
        let syn::Meta::List(l) = &a.meta else {
            continue;
        };
        let toks: Vec<proc_macro2::TokenTree> = l.tokens.clone().into_iter().collect();
        for w in toks.windows(3) {
            if let [proc_macro2::TokenTree::Ident(k), proc_macro2::TokenTree::Punct(eq), v] = w {
                if k == "table_name" && eq.as_char() == '=' {
                    out.push(v.to_string().trim_matches('"').to_string());
                }
            }
        }
    }
    out
}

fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// `#[cfg(test)]` (also inside `all(...)`/`any(...)`) or `#[test]`.
pub(crate) fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        if a.path().is_ident("test") {
            return true;
        }
        if !a.path().is_ident("cfg") {
            return false;
        }
        match &a.meta {
            syn::Meta::List(l) => {
                let s = l.tokens.to_string();
                !s.contains("not")
                    && s.split(|c: char| !c.is_alphanumeric() && c != '_')
                        .any(|w| w == "test")
            }
            _ => false,
        }
    })
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::ExternCrate(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::ForeignMod(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::TraitAlias(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Union(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

fn item_ident(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Const(i) => Some(i.ident.to_string()),
        syn::Item::Static(i) => Some(i.ident.to_string()),
        syn::Item::Type(i) => Some(i.ident.to_string()),
        syn::Item::TraitAlias(i) => Some(i.ident.to_string()),
        syn::Item::Macro(i) => i.ident.as_ref().map(|i| i.to_string()),
        _ => None,
    }
}

/// What every item is made of: its kind, name, path, the span of its name, its byte range
/// and its attributes.
struct Head<'a> {
    kind: ItemKind,
    name: String,
    path: String,
    name_span: proc_macro2::Span,
    whole: std::ops::Range<usize>,
    attrs: &'a [syn::Attribute],
}

impl<'a> Head<'a> {
    /// An item named by `ident`, at `parent_path::ident`.
    fn named(
        kind: ItemKind,
        parent_path: &str,
        ident: &syn::Ident,
        whole: std::ops::Range<usize>,
        attrs: &'a [syn::Attribute],
    ) -> Head<'a> {
        Head {
            kind,
            name: ident.to_string(),
            path: format!("{parent_path}::{ident}"),
            name_span: ident.span(),
            whole,
            attrs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_strings_match_the_token_printer() {
        for t in [
            "Option<Vec<String>>",
            "&'a mut [crate::reads::AnprRead]",
            "HashMap<String, (u32, f64)>",
            "::std::net::IpAddr",
            "Box<dyn Fn(u32) -> u32 + Send>",
            "[u8; 32]",
            "Cow<'static, str>",
            "<T as Trait>::Assoc",
        ] {
            let ty: syn::Type = syn::parse_str(t).unwrap();
            assert_eq!(type_string(&ty), ty.to_token_stream().to_string(), "{t}");
        }
    }

    #[test]
    fn sanitise_keeps_byte_offsets() {
        let t = "\u{feff}#!/usr/bin/env run-cargo-script é\nfn main() {}\n";
        let s = sanitise(t);
        assert_eq!(s.len(), t.len());
        assert!(s.trim_start().starts_with("fn main"));
        let inner = "#![allow(dead_code)]\nfn f() {}";
        assert_eq!(sanitise(inner), inner);
    }
}
