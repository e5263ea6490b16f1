//! syn → flow IR, on the worker thread that parsed the file. Bounded: past
//! [`MAX_DEPTH`] nested expressions the rest of a subtree is dropped (fewer findings, never a
//! stack overflow).

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::spanned::Spanned as _;

use super::ir::{
    Body, ErrorFmt, Expr, Instrument, MacroCall, ModScope, Param, Pat, Segs, Stmt, TyRef,
};
use crate::model::ItemId;
use crate::source::{FileId, Span};
use crate::spans::Offsets;
use crate::uses::Import;

/// Deeper expressions than this are not lowered.
pub const MAX_DEPTH: u32 = 400;

/// Container types whose value is their (first) type argument.
pub(crate) const WRAPPERS: &[&str] = &[
    "Box",
    "Arc",
    "Rc",
    "Option",
    "Result",
    "Vec",
    "VecDeque",
    "LinkedList",
    "HashSet",
    "BTreeSet",
    "IndexSet",
    "BinaryHeap",
    "Cow",
    "RefCell",
    "Cell",
    "Mutex",
    "RwLock",
    "MutexGuard",
    "Pin",
    "Weak",
    "Ref",
    "RefMut",
    "Json",
    "Form",
    "Query",
    "Path",
    "State",
    "Data",
    "Extension",
    "Sender",
    "Receiver",
    "BufWriter",
    "LineWriter",
];

/// Maps: the value type is the last type argument.
const MAPS: &[&str] = &["HashMap", "BTreeMap", "IndexMap", "DashMap"];

/// Redaction wrappers by their name, whatever crate defines them: data inside does not
/// leak. A crate's redaction types are models (`type = "secrecy::SecretString"`,
/// `kind = "sanitiser"`: `lint-engine/models/secrecy.toml`), as a project's own can be.
pub const REDACTION_TYPES: &[&str] = &["Redacted", "Redactable", "Sensitive", "Masked"];

/// Pseudonymising wrappers: the data inside is pseudonymised, still personal data (UK GDPR
/// Art 4(5), Recital 26).
pub const PSEUDONYMISING_TYPES: &[&str] = &["Hashed", "Pseudonymised", "Pseudonymized"];

/// The module scope of a list of items, from its `use` items ([`crate::uses::read`]).
pub(crate) fn scope_of(uses: &[Import], module: &str) -> ModScope {
    let mut out = ModScope {
        module: module.to_string(),
        ..ModScope::default()
    };
    for u in uses {
        match u {
            // `use a::b::{self};` binds `b`
            Import::Name {
                prefix,
                name,
                rename: None,
            } if name == "self" => {
                if let Some(last) = prefix.last().cloned() {
                    out.uses.push((last, absolute(prefix, module)));
                }
            }
            Import::Name {
                prefix,
                name,
                rename,
            } => {
                let mut p = prefix.clone();
                if name != "self" {
                    p.push(name.clone());
                }
                out.uses
                    .push((Import::local(name, rename), absolute(&p, module)));
            }
            Import::Glob { prefix } => out.globs.push(absolute(prefix, module)),
            Import::ExternCrate { .. } => {}
        }
    }
    out
}

/// A string literal that can name a key ([`Expr::Key`]): short, of name characters only.
fn key_literal(text: &str) -> Expr {
    let name_like = !text.is_empty()
        && text.len() <= 40
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if name_like {
        Expr::Key(text.into())
    } else {
        Expr::Lit
    }
}

/// Resolves a leading `self`/`super` against the module path.
pub fn absolute(segs: &[String], module: &str) -> Segs {
    let mut base: Vec<String> = module.split("::").map(String::from).collect();
    let mut rest = segs;
    match rest.first().map(String::as_str) {
        Some("self") => {
            rest = &rest[1..];
        }
        Some("super") => {
            while rest.first().map(String::as_str) == Some("super") {
                if base.len() > 1 {
                    base.pop();
                }
                rest = &rest[1..];
            }
        }
        _ => return segs.to_vec(),
    }
    base.extend(rest.iter().cloned());
    base
}

/// A type reduced to the named types its values hold.
pub fn ty(t: &syn::Type) -> TyRef {
    let mut out = TyRef::default();
    ty_into(t, &mut out, 0);
    out
}

fn ty_into(t: &syn::Type, out: &mut TyRef, depth: u32) {
    if depth > 32 {
        return;
    }
    match t {
        syn::Type::Reference(r) => ty_into(&r.elem, out, depth + 1),
        syn::Type::Paren(p) => ty_into(&p.elem, out, depth + 1),
        syn::Type::Group(g) => ty_into(&g.elem, out, depth + 1),
        syn::Type::Ptr(p) => ty_into(&p.elem, out, depth + 1),
        syn::Type::Slice(s) => ty_into(&s.elem, out, depth + 1),
        syn::Type::Array(a) => ty_into(&a.elem, out, depth + 1),
        syn::Type::Tuple(tup) => {
            for e in &tup.elems {
                ty_into(e, out, depth + 1);
            }
        }
        syn::Type::ImplTrait(i) => {
            for b in &i.bounds {
                if let syn::TypeParamBound::Trait(tb) = b {
                    assoc_item(&tb.path, out, depth);
                    out.traits.push(segs(&tb.path));
                }
            }
        }
        syn::Type::TraitObject(o) => {
            for b in &o.bounds {
                if let syn::TypeParamBound::Trait(tb) = b {
                    assoc_item(&tb.path, out, depth);
                    out.traits.push(segs(&tb.path));
                }
            }
        }
        syn::Type::Path(p) => {
            let Some(last) = p.path.segments.last() else {
                return;
            };
            let name = last.ident.to_string();
            let args: Vec<&syn::Type> = match &last.arguments {
                syn::PathArguments::AngleBracketed(a) => a
                    .args
                    .iter()
                    .filter_map(|g| match g {
                        syn::GenericArgument::Type(t) => Some(t),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            if REDACTION_TYPES.contains(&name.as_str()) {
                out.sanitised = true;
            } else if PSEUDONYMISING_TYPES.contains(&name.as_str()) {
                out.pseudo = true;
                if let Some(a) = args.first() {
                    ty_into(a, out, depth + 1);
                }
            } else if WRAPPERS.contains(&name.as_str()) && !args.is_empty() {
                ty_into(args[0], out, depth + 1);
            } else if MAPS.contains(&name.as_str()) && !args.is_empty() {
                ty_into(args[args.len() - 1], out, depth + 1);
            } else {
                let segs: Segs = p
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                if !out.names.contains(&segs) {
                    out.names.push(segs);
                }
            }
        }
        _ => {}
    }
}

/// `impl Iterator<Item = T>` → `T`.
fn assoc_item(path: &syn::Path, out: &mut TyRef, depth: u32) {
    if let Some(last) = path.segments.last() {
        if let syn::PathArguments::AngleBracketed(a) = &last.arguments {
            for g in &a.args {
                match g {
                    syn::GenericArgument::AssocType(at) => ty_into(&at.ty, out, depth + 1),
                    syn::GenericArgument::Type(t) => ty_into(t, out, depth + 1),
                    _ => {}
                }
            }
        }
    }
}

fn segs(path: &syn::Path) -> Segs {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// Lowers function bodies of one file.
pub(crate) struct Lower<'o> {
    pub file: FileId,
    offsets: &'o Offsets,
    depth: u32,
}

impl<'o> Lower<'o> {
    pub(crate) fn new(file: FileId, offsets: &'o Offsets) -> Lower<'o> {
        Lower {
            file,
            offsets,
            depth: 0,
        }
    }

    fn span(&self, s: proc_macro2::Span) -> Span {
        Span::new(self.file, self.offsets.range(s))
    }

    #[allow(clippy::too_many_arguments)]
    pub fn body(
        &mut self,
        item: ItemId,
        scope: u32,
        self_ty: Option<Segs>,
        trait_method: bool,
        sig: &syn::Signature,
        attrs: &[syn::Attribute],
        block: &syn::Block,
    ) -> Body {
        let mut params = Vec::new();
        for arg in &sig.inputs {
            match arg {
                syn::FnArg::Receiver(r) => params.push(Param {
                    pat: Pat::Bind("self".into(), self.span(r.self_token.span)),
                    ty: TyRef {
                        names: self_ty.iter().cloned().collect(),
                        ..TyRef::default()
                    },
                    span: self.span(r.self_token.span),
                    name: "self".into(),
                    ty_text: String::new(),
                }),
                syn::FnArg::Typed(pt) => {
                    let pat = self.pat(&pt.pat);
                    let name = match &pat {
                        Pat::Bind(n, _) => n.clone(),
                        _ => pt.pat.to_token_stream_string(),
                    };
                    params.push(Param {
                        pat,
                        ty: ty(&pt.ty),
                        span: self.span(pt.pat.span()),
                        name,
                        ty_text: crate::parse::type_string(&pt.ty),
                    });
                }
            }
        }
        let ret = match &sig.output {
            syn::ReturnType::Default => TyRef::default(),
            syn::ReturnType::Type(_, t) => ty(t),
        };
        let mut instrument = None;
        let mut handler = false;
        for a in attrs {
            let last = a
                .path()
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            match last.as_str() {
                "instrument" => instrument = Some(self.instrument(a)),
                "get" | "post" | "put" | "delete" | "patch" | "head" | "route" | "handler" => {
                    handler = true
                }
                _ => {}
            }
        }
        let block = self.block(block);
        Body {
            item,
            scope,
            self_ty,
            trait_method,
            params,
            ret,
            instrument,
            handler,
            block,
        }
    }

    fn instrument(&mut self, a: &syn::Attribute) -> Instrument {
        let mut out = Instrument {
            skip_all: false,
            skip: Vec::new(),
            fields: Vec::new(),
            ret: false,
            err: false,
            span: self.span(a.span()),
        };
        let syn::Meta::List(list) = &a.meta else {
            return out;
        };
        let toks: Vec<TokenTree> = list.tokens.clone().into_iter().collect();
        let mut i = 0;
        while i < toks.len() {
            if let TokenTree::Ident(id) = &toks[i] {
                let group = match toks.get(i + 1) {
                    Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                        Some(g.stream())
                    }
                    _ => None,
                };
                match (id.to_string().as_str(), group) {
                    ("skip_all", _) => out.skip_all = true,
                    ("ret", _) => out.ret = true,
                    ("err", _) => out.err = true,
                    ("skip", Some(g)) => out.skip.extend(g.into_iter().filter_map(|t| match t {
                        TokenTree::Ident(i) => Some(i.to_string()),
                        _ => None,
                    })),
                    ("fields", Some(g)) => {
                        for piece in split_commas(g) {
                            if let Some(e) = self.macro_arg(piece) {
                                out.fields.push(e);
                            }
                        }
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        out
    }

    fn block(&mut self, b: &syn::Block) -> Expr {
        Expr::Block(b.stmts.iter().filter_map(|s| self.stmt(s)).collect())
    }

    fn stmt(&mut self, s: &syn::Stmt) -> Option<Stmt> {
        match s {
            syn::Stmt::Local(l) => {
                let (pat, ty) = match &l.pat {
                    syn::Pat::Type(pt) => (self.pat(&pt.pat), Some(ty(&pt.ty))),
                    p => (self.pat(p), None),
                };
                let (init, diverge) = match &l.init {
                    Some(init) => (
                        Some(self.expr(&init.expr)),
                        init.diverge.as_ref().map(|(_, e)| self.expr(e)),
                    ),
                    None => (None, None),
                };
                Some(Stmt::Let {
                    pat,
                    ty,
                    init,
                    diverge,
                })
            }
            syn::Stmt::Item(_) => None,
            syn::Stmt::Expr(e, _) => Some(Stmt::Expr(self.expr(e))),
            syn::Stmt::Macro(m) => Some(Stmt::Expr(self.mac(&m.mac))),
        }
    }

    pub fn pat(&mut self, p: &syn::Pat) -> Pat {
        if self.depth > MAX_DEPTH {
            return Pat::Wild;
        }
        self.depth += 1;
        let out = match p {
            syn::Pat::Ident(i) => match &i.subpat {
                Some((_, sub)) => Pat::Each(vec![
                    Pat::Bind(i.ident.to_string(), self.span(i.ident.span())),
                    self.pat(sub),
                ]),
                None => {
                    let name = i.ident.to_string();
                    // `None`, `Foo` (a unit variant or const) bind nothing
                    if name.chars().next().is_some_and(char::is_uppercase) {
                        Pat::Wild
                    } else {
                        Pat::Bind(name, self.span(i.ident.span()))
                    }
                }
            },
            syn::Pat::Guard(g) => self.pat(&g.pat),
            syn::Pat::Or(o) => Pat::Each(o.cases.iter().map(|c| self.pat(c)).collect()),
            syn::Pat::Paren(p) => self.pat(&p.pat),
            syn::Pat::Reference(r) => self.pat(&r.pat),
            syn::Pat::Slice(s) => Pat::Each(s.elems.iter().map(|c| self.pat(c)).collect()),
            syn::Pat::Tuple(t) => {
                let elems = t.elems.iter().map(|c| self.pat(c)).collect();
                if t.elems.iter().any(|c| matches!(c, syn::Pat::Rest(_))) {
                    Pat::Each(elems)
                } else {
                    Pat::Elems(elems)
                }
            }
            syn::Pat::TupleStruct(t) => {
                let elems = t.elems.iter().map(|c| self.pat(c)).collect();
                if t.path.segments.last().is_some_and(|s| s.ident == "Err") {
                    Pat::Err(elems)
                } else {
                    Pat::Tuple(segs(&t.path), elems)
                }
            }
            syn::Pat::Struct(s) => Pat::Struct(
                segs(&s.path),
                s.fields
                    .iter()
                    .map(|f| (member(&f.member), self.pat(&f.pat)))
                    .collect(),
            ),
            syn::Pat::Type(t) => Pat::Typed(Box::new(self.pat(&t.pat)), ty(&t.ty)),
            _ => Pat::Wild,
        };
        self.depth -= 1;
        out
    }

    fn exprs<'a>(&mut self, es: impl IntoIterator<Item = &'a syn::Expr>) -> Vec<Expr> {
        es.into_iter().map(|e| self.expr(e)).collect()
    }

    pub fn expr(&mut self, e: &syn::Expr) -> Expr {
        if self.depth > MAX_DEPTH {
            return Expr::Lit;
        }
        self.depth += 1;
        let out = self.expr_inner(e);
        self.depth -= 1;
        out
    }

    fn expr_inner(&mut self, e: &syn::Expr) -> Expr {
        use syn::Expr as E;
        match e {
            E::Array(a) => Expr::Join(self.exprs(&a.elems)),
            E::Assign(a) => {
                Expr::Assign(Box::new(self.expr(&a.left)), Box::new(self.expr(&a.right)))
            }
            E::Async(a) => self.block(&a.block),
            E::Await(a) => self.expr(&a.base),
            E::Binary(b) => {
                use syn::BinOp as B;
                let l = self.expr(&b.left);
                let r = self.expr(&b.right);
                match b.op {
                    B::Eq(_)
                    | B::Lt(_)
                    | B::Le(_)
                    | B::Ne(_)
                    | B::Ge(_)
                    | B::Gt(_)
                    | B::And(_)
                    | B::Or(_) => Expr::Bool(vec![l, r]),
                    B::AddAssign(_)
                    | B::SubAssign(_)
                    | B::MulAssign(_)
                    | B::DivAssign(_)
                    | B::RemAssign(_)
                    | B::BitXorAssign(_)
                    | B::BitAndAssign(_)
                    | B::BitOrAssign(_)
                    | B::ShlAssign(_)
                    | B::ShrAssign(_) => Expr::Assign(Box::new(l), Box::new(r)),
                    _ => Expr::Join(vec![l, r]),
                }
            }
            E::Block(b) => self.block(&b.block),
            E::Break(b) => match &b.expr {
                Some(e) => self.expr(e),
                None => Expr::Lit,
            },
            E::Call(c) => {
                let args = self.exprs(&c.args);
                match &*c.func {
                    E::Path(p) if p.qself.is_none() => Expr::Call(
                        segs(&p.path),
                        args,
                        Span::new(self.file, self.offsets.call(c)),
                    ),
                    E::Path(p) => {
                        // `<T as Trait>::f(x)`: the trait's method, by the last segment
                        let mut s = vec![p
                            .qself
                            .as_ref()
                            .map(|q| ty(&q.ty))
                            .and_then(|t| t.names.first().and_then(|n| n.last().cloned()))
                            .unwrap_or_else(|| "_".into())];
                        s.extend(p.path.segments.last().map(|l| l.ident.to_string()));
                        Expr::Call(s, args, Span::new(self.file, self.offsets.call(c)))
                    }
                    other => Expr::CallValue(Box::new(self.expr(other)), args),
                }
            }
            E::Cast(c) => Expr::Clean(vec![self.expr(&c.expr)]),
            E::Closure(c) => {
                let params = c.inputs.iter().map(|p| self.pat(p)).collect();
                Expr::Closure(params, Box::new(self.expr(&c.body)))
            }
            E::Field(f) => Expr::Field(
                Box::new(self.expr(&f.base)),
                member(&f.member),
                self.span(f.member.span()),
            ),
            E::ForLoop(f) => Expr::For(
                self.pat(&f.pat),
                Box::new(self.expr(&f.expr)),
                Box::new(self.block(&f.body)),
            ),
            E::Group(g) => self.expr(&g.expr),
            E::If(i) => Expr::If {
                cond: Box::new(self.expr(&i.cond)),
                then: Box::new(self.block(&i.then_branch)),
                els: i.else_branch.as_ref().map(|(_, e)| Box::new(self.expr(e))),
            },
            E::Index(i) => Expr::Index(Box::new(self.expr(&i.expr)), Box::new(self.expr(&i.index))),
            E::Let(l) => Expr::LetCond(self.pat(&l.pat), Box::new(self.expr(&l.expr))),
            E::Loop(l) => self.block(&l.body),
            E::Macro(m) => self.mac(&m.mac),
            E::Match(m) => {
                let scrut = self.expr(&m.expr);
                let arms = m
                    .arms
                    .iter()
                    .map(|a| {
                        let guard = match &a.pat {
                            syn::Pat::Guard(g) => Some(self.expr(&g.guard)),
                            _ => None,
                        };
                        (self.pat(&a.pat), guard, self.expr(&a.body))
                    })
                    .collect();
                Expr::Match(Box::new(scrut), arms)
            }
            E::MethodCall(m) => Expr::Method {
                recv: Box::new(self.expr(&m.receiver)),
                name: m.method.to_string(),
                args: self.exprs(&m.args),
                span: Span::new(
                    self.file,
                    self.offsets.range(m.method.span()).start
                        ..self.offsets.range(m.paren_token.span.close()).end,
                ),
            },
            E::Paren(p) => self.expr(&p.expr),
            E::Path(p) => Expr::Path(segs(&p.path), Span::new(self.file, self.offsets.path(p))),
            E::Range(r) => Expr::Join(
                r.start
                    .iter()
                    .chain(r.end.iter())
                    .map(|e| self.expr(e))
                    .collect(),
            ),
            E::RawAddr(r) => self.expr(&r.expr),
            E::Reference(r) => self.expr(&r.expr),
            E::Repeat(r) => self.expr(&r.expr),
            E::Return(r) => Expr::Return(r.expr.as_ref().map(|e| Box::new(self.expr(e)))),
            E::Struct(s) => Expr::Struct {
                path: segs(&s.path),
                fields: s
                    .fields
                    .iter()
                    .map(|f| (member(&f.member), self.expr(&f.expr)))
                    .collect(),
                rest: s.rest.as_ref().map(|r| Box::new(self.expr(r))),
                span: Span::new(self.file, self.offsets.struct_lit(s)),
            },
            E::Try(t) => self.expr(&t.expr),
            E::TryBlock(t) => self.block(&t.block),
            E::Tuple(t) => Expr::Tuple(self.exprs(&t.elems)),
            E::Unary(u) => match u.op {
                syn::UnOp::Deref(_) => self.expr(&u.expr),
                syn::UnOp::Not(_) => Expr::Bool(vec![self.expr(&u.expr)]),
                _ => Expr::Clean(vec![self.expr(&u.expr)]),
            },
            E::Unsafe(u) => self.block(&u.block),
            E::While(w) => Expr::If {
                cond: Box::new(self.expr(&w.cond)),
                then: Box::new(self.block(&w.body)),
                els: None,
            },
            E::Yield(y) => match &y.expr {
                Some(e) => self.expr(e),
                None => Expr::Lit,
            },
            E::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => key_literal(&s.value()),
            _ => Expr::Lit,
        }
    }

    /// A macro call: the arguments are parsed as expressions where they are expressions
    /// (`format!`, `info!(vrm = %r.vrm, "…")`, `vec![…]`); what does not parse is skipped.
    fn mac(&mut self, m: &syn::Macro) -> Expr {
        let path = segs(&m.path);
        let mut args = Vec::new();
        let mut keys = Vec::new();
        let mut captures = Vec::new();
        let mut fmt_span = None;
        // the first string literal is the format string: its placeholders, and for each
        // argument its position among the unnamed ones after it, and its `%`/`?` sigil
        let mut fmt: Option<Vec<(FmtRef, bool)>> = None;
        let mut pos: Vec<Option<usize>> = Vec::new();
        let mut sigils: Vec<Option<char>> = Vec::new();
        let mut next_pos = 0;
        let pieces = split_top(m.tokens.clone());
        for piece in pieces {
            if let [TokenTree::Literal(lit)] = piece.as_slice() {
                let s = lit.to_string();
                if s.starts_with('"') || s.starts_with('r') {
                    let caps = inline_captures(&s);
                    if !caps.is_empty() || fmt_span.is_none() {
                        fmt_span = Some(self.span(lit.span()));
                    }
                    if fmt.is_none() {
                        fmt = Some(placeholders(&s));
                    }
                    captures.extend(caps);
                    continue;
                }
            }
            let key = macro_key(&piece);
            let sigil = macro_sigil(&piece);
            if let Some(e) = self.macro_arg(piece) {
                let p = (fmt.is_some() && key.is_none()).then(|| {
                    next_pos += 1;
                    next_pos - 1
                });
                args.push(e);
                keys.push(key);
                pos.push(p);
                sigils.push(sigil);
            }
        }
        let fmt = fmt.unwrap_or_default();
        // `Display` only: referenced at least once, never with `Debug`
        let only_display = |refs: Vec<bool>| !refs.is_empty() && refs.iter().all(|d| !d);
        let mut next = 0;
        let resolved: Vec<(Option<usize>, Option<&str>, bool)> = fmt
            .iter()
            .map(|(r, debug)| match r {
                FmtRef::Next => {
                    next += 1;
                    (Some(next - 1), None, *debug)
                }
                FmtRef::Index(i) => (Some(*i), None, *debug),
                FmtRef::Name(n) => (None, Some(n.as_str()), *debug),
            })
            .collect();
        let display = (0..args.len())
            .map(|i| match (sigils[i], &keys[i], pos[i]) {
                (Some('%'), _, _) => true,
                (Some(_), _, _) => false,
                (None, Some(k), _) => only_display(
                    resolved
                        .iter()
                        .filter(|(_, n, _)| *n == Some(k.as_str()))
                        .map(|(_, _, d)| *d)
                        .collect(),
                ),
                (None, None, Some(p)) => only_display(
                    resolved
                        .iter()
                        .filter(|(at, _, _)| *at == Some(p))
                        .map(|(_, _, d)| *d)
                        .collect(),
                ),
                (None, None, None) => false,
            })
            .collect();
        let cap_display = captures
            .iter()
            .map(|c| {
                only_display(
                    resolved
                        .iter()
                        .filter(|(_, n, _)| *n == Some(c.as_str()))
                        .map(|(_, _, d)| *d)
                        .collect(),
                )
            })
            .collect();
        Expr::Macro(Box::new(MacroCall {
            path,
            args,
            keys,
            captures,
            fmt_span,
            display,
            cap_display,
            span: Span::new(self.file, self.offsets.mac(m)),
        }))
    }

    /// One macro argument: `expr`, `key = expr`, `key = %expr`, `?expr`, `target: "x"`.
    fn macro_arg(&mut self, mut piece: Vec<TokenTree>) -> Option<Expr> {
        // `key => value` (minijinja's `context!`, maps)
        if let Some(at) = piece.windows(2).position(|w| {
            matches!(&w[0], TokenTree::Punct(p) if p.as_char() == '=' && p.spacing() == proc_macro2::Spacing::Joint)
                && is_punct(&w[1], '>')
        }) {
            piece.drain(..at + 2);
        }
        // strip `a.b.c =` / `"a" =` / `name:`
        let eq = piece
            .iter()
            .position(|t| is_punct(t, '=') || is_punct(t, ':'));
        if let Some(at) = eq {
            let head_is_key = piece[..at].iter().all(|t| match t {
                TokenTree::Ident(_) | TokenTree::Literal(_) => true,
                TokenTree::Punct(p) => p.as_char() == '.',
                _ => false,
            });
            let single = match (piece.get(at), piece.get(at + 1)) {
                (Some(TokenTree::Punct(p)), Some(TokenTree::Punct(q))) => {
                    p.spacing() == proc_macro2::Spacing::Alone || !matches!(q.as_char(), '=' | ':')
                }
                _ => true,
            };
            if at > 0 && head_is_key && single {
                piece.drain(..=at);
            }
        }
        if let Some(TokenTree::Punct(p)) = piece.first() {
            if matches!(p.as_char(), '%' | '?') {
                piece.remove(0);
            }
        }
        if piece.is_empty() {
            return None;
        }
        // `json!({ "email": user.email, "a": { .. } })`: an object is its values
        let object = match piece.as_slice() {
            [TokenTree::Group(g)] if g.delimiter() == Delimiter::Brace => Some(g.stream()),
            _ => None,
        };
        let ts: TokenStream = piece.into_iter().collect();
        match syn::parse2::<syn::Expr>(ts) {
            Ok(e) => Some(self.expr(&e)),
            Err(_) => {
                let inner = object?;
                if self.depth > MAX_DEPTH {
                    return None;
                }
                self.depth += 1;
                let parts = split_top(inner)
                    .into_iter()
                    .filter_map(|p| self.macro_arg(p))
                    .collect();
                self.depth -= 1;
                Some(Expr::Join(parts))
            }
        }
    }
}

/// The sigil of a macro argument: `%x`, `key = %x` (`Display`), `?x`, `key = ?x` (`Debug`).
fn macro_sigil(piece: &[TokenTree]) -> Option<char> {
    let at = match piece.iter().position(|t| is_punct(t, '=')) {
        Some(at) if !matches!(piece.get(at + 1), Some(t) if is_punct(t, '=') || is_punct(t, '>')) => {
            at + 1
        }
        _ => 0,
    };
    match piece.get(at) {
        Some(TokenTree::Punct(p)) if matches!(p.as_char(), '%' | '?') => Some(p.as_char()),
        _ => None,
    }
}

/// What a format string placeholder names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FmtRef {
    /// `{}`: the next positional argument.
    Next,
    /// `{0}`.
    Index(usize),
    /// `{name}`: a named argument or an inline capture.
    Name(String),
}

/// The placeholders of a format string literal (as written, quotes included), each with
/// whether it formats with `Debug` (`{:?}`, `{x:#?}`).
pub fn placeholders(lit: &str) -> Vec<(FmtRef, bool)> {
    let cs: Vec<char> = lit.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        match cs[i] {
            '{' if cs.get(i + 1) == Some(&'{') => i += 2,
            '{' => {
                let mut j = i + 1;
                let mut arg = String::new();
                while j < cs.len() && !matches!(cs[j], '}' | ':') {
                    arg.push(cs[j]);
                    j += 1;
                }
                let mut spec = String::new();
                if cs.get(j) == Some(&':') {
                    j += 1;
                    while j < cs.len() && cs[j] != '}' {
                        spec.push(cs[j]);
                        j += 1;
                    }
                }
                let arg = arg.trim();
                let r = if arg.is_empty() {
                    FmtRef::Next
                } else if let Ok(n) = arg.parse::<usize>() {
                    FmtRef::Index(n)
                } else {
                    FmtRef::Name(arg.to_string())
                };
                out.push((r, spec.contains('?')));
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// What a `thiserror` `#[error(...)]` among `attrs` formats for a variant (or struct) with
/// `fields`: the fields its format string and arguments name, or with `transparent` all of
/// them; `None` without one.
pub fn error_fmt(
    attrs: &[syn::Attribute],
    variant: Option<String>,
    fields: &syn::Fields,
) -> Option<ErrorFmt> {
    let a = attrs.iter().find(|a| a.path().is_ident("error"))?;
    let syn::Meta::List(list) = &a.meta else {
        return None;
    };
    let names: Vec<String> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            f.ident
                .as_ref()
                .map(|id| id.to_string())
                .unwrap_or_else(|| i.to_string())
        })
        .collect();
    let toks: Vec<TokenTree> = list.tokens.clone().into_iter().collect();
    let mut out: Vec<(String, bool)> = Vec::new();
    let add = |n: &str, debug: bool, out: &mut Vec<(String, bool)>| {
        if !names.iter().any(|f| f == n) {
            return;
        }
        match out.iter_mut().find(|(f, _)| f == n) {
            Some(e) => e.1 |= debug,
            None => out.push((n.to_string(), debug)),
        }
    };
    match toks.first() {
        Some(TokenTree::Ident(id)) if id == "transparent" => {
            for n in &names {
                add(n, false, &mut out);
            }
        }
        Some(TokenTree::Literal(lit)) => {
            let text = lit.to_string();
            if !(text.starts_with('"') || text.starts_with('r')) {
                return None;
            }
            for (r, debug) in placeholders(&text) {
                // `{}` names an argument after the string, read below
                let n = match r {
                    FmtRef::Next => continue,
                    FmtRef::Index(i) => i.to_string(),
                    FmtRef::Name(n) => n,
                };
                add(&n, debug, &mut out);
            }
            // `.field` / `.0` in the arguments after the string (as Debug: how an
            // argument expression formats a field is not followed)
            fields_named_in(&toks[1..], &mut |n| add(n, true, &mut out));
        }
        _ => return None,
    }
    Some(ErrorFmt {
        variant,
        fields: out,
    })
}

/// The `.field` and `.0` references in `#[error(..)]` arguments, nested groups included.
fn fields_named_in(toks: &[TokenTree], f: &mut dyn FnMut(&str)) {
    let mut prev_value = false;
    for (i, t) in toks.iter().enumerate() {
        match t {
            TokenTree::Group(g) => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                fields_named_in(&inner, f);
                prev_value = true;
            }
            TokenTree::Punct(p) if p.as_char() == '.' && !prev_value => {
                match toks.get(i + 1) {
                    Some(TokenTree::Ident(id)) => f(&id.to_string()),
                    Some(TokenTree::Literal(l)) => f(&l.to_string()),
                    _ => {}
                }
                prev_value = false;
            }
            TokenTree::Ident(_) | TokenTree::Literal(_) => prev_value = true,
            TokenTree::Punct(_) => prev_value = false,
        }
    }
}

/// The key of a `key = value` macro argument (`user.email = %e` → `user.email`).
fn macro_key(piece: &[TokenTree]) -> Option<String> {
    let at = piece.iter().position(|t| is_punct(t, '='))?;
    if at == 0 || matches!(piece.get(at + 1), Some(t) if is_punct(t, '=')) {
        return None;
    }
    let mut key = String::new();
    for t in &piece[..at] {
        match t {
            TokenTree::Ident(i) => key.push_str(&i.to_string()),
            TokenTree::Literal(l) => key.push_str(l.to_string().trim_matches('"')),
            TokenTree::Punct(p) if p.as_char() == '.' => key.push('.'),
            _ => return None,
        }
    }
    Some(key)
}

trait TokensString {
    fn to_token_stream_string(&self) -> String;
}

impl TokensString for syn::Pat {
    fn to_token_stream_string(&self) -> String {
        quote::ToTokens::to_token_stream(self)
            .to_string()
            .replace(' ', "")
    }
}

fn member(m: &syn::Member) -> String {
    match m {
        syn::Member::Named(i) => i.to_string(),
        syn::Member::Unnamed(i) => i.index.to_string(),
    }
}

fn is_punct(t: &TokenTree, c: char) -> bool {
    matches!(t, TokenTree::Punct(p) if p.as_char() == c)
}

/// Splits a token stream at top-level commas and semicolons.
fn split_top(ts: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut out = vec![Vec::new()];
    for t in ts {
        if is_punct(&t, ',') || is_punct(&t, ';') {
            out.push(Vec::new());
        } else if let Some(last) = out.last_mut() {
            last.push(t);
        }
    }
    out.retain(|p| !p.is_empty());
    out
}

fn split_commas(ts: TokenStream) -> Vec<Vec<TokenTree>> {
    split_top(ts)
}

/// The inline captures of a format string literal: `"{vrm} at {t:?}"` → `vrm`, `t`.
pub fn inline_captures(lit: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes: Vec<char> = lit.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == '{' {
            if bytes.get(i + 1) == Some(&'{') {
                i += 2;
                continue;
            }
            let mut j = i + 1;
            let mut name = String::new();
            while j < bytes.len() && (bytes[j].is_alphanumeric() || bytes[j] == '_') {
                name.push(bytes[j]);
                j += 1;
            }
            if !name.is_empty()
                && !name.chars().next().is_some_and(|c| c.is_ascii_digit())
                && matches!(bytes.get(j), Some('}') | Some(':'))
                && !out.contains(&name)
            {
                out.push(name);
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures() {
        assert_eq!(
            inline_captures("\"{vrm} at {t:?} {{x}} {0} {} {:?}\""),
            vec!["vrm", "t"]
        );
    }

    #[test]
    fn format_placeholders() {
        use FmtRef::*;
        assert_eq!(
            placeholders("\"{} {:?} {0} {name:>8} {x:#?} {{lit}}\""),
            vec![
                (Next, false),
                (Next, true),
                (Index(0), false),
                (Name("name".into()), false),
                (Name("x".into()), true),
            ]
        );
    }

    #[test]
    fn thiserror_formats() {
        let e: syn::ItemEnum = syn::parse_str(
            r#"enum E {
                #[error("user {email} ({id:?}) not found")] A { email: String, id: u64, name: String },
                #[error("locked {0}")] B(u64, String),
                #[error("backend: {}", .detail.trim())] C { detail: String, name: String },
                #[error(transparent)] D(Inner),
                Plain(String),
            }"#,
        )
        .unwrap();
        let f: Vec<Option<ErrorFmt>> = e
            .variants
            .iter()
            .map(|v| error_fmt(&v.attrs, Some(v.ident.to_string()), &v.fields))
            .collect();
        let fields = |i: usize| f[i].as_ref().map(|x| x.fields.clone());
        assert_eq!(
            fields(0),
            Some(vec![("email".into(), false), ("id".into(), true)])
        );
        assert_eq!(fields(1), Some(vec![("0".into(), false)]));
        assert_eq!(fields(2), Some(vec![("detail".into(), true)]));
        assert_eq!(fields(3), Some(vec![("0".into(), false)]));
        assert_eq!(fields(4), None);
    }

    #[test]
    fn peels_wrappers() {
        let t: syn::Type = syn::parse_str("&mut Option<Arc<[crate::reads::AnprRead]>>").unwrap();
        assert_eq!(ty(&t).names, vec![vec!["crate", "reads", "AnprRead"]]);
        let t: syn::Type = syn::parse_str("HashMap<String, Vec<Driver>>").unwrap();
        assert_eq!(ty(&t).names, vec![vec!["Driver"]]);
        let t: syn::Type = syn::parse_str("Redacted<String>").unwrap();
        assert!(ty(&t).sanitised && ty(&t).names.is_empty());
        // a crate's redaction type is a model: named, and not looked into
        let t: syn::Type = syn::parse_str("secrecy::SecretBox<Email>").unwrap();
        assert!(!ty(&t).sanitised);
        assert_eq!(
            ty(&t).names,
            vec![vec!["secrecy".to_string(), "SecretBox".into()]]
        );
        let t: syn::Type = syn::parse_str("impl Iterator<Item = &Lead>").unwrap();
        assert_eq!(ty(&t).names, vec![vec!["Lead"]]);
    }

    #[test]
    fn use_paths_are_made_absolute() {
        assert_eq!(
            absolute(&["super".into(), "x".into()], "crate::a::b"),
            vec!["crate", "a", "x"]
        );
        assert_eq!(
            absolute(&["self".into(), "x".into()], "crate::a"),
            vec!["crate", "a", "x"]
        );
    }
}
