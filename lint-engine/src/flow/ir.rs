//! The flow IR: function bodies lowered from syn on the worker thread that parsed the file,
//! so that the rest of the analysis needs neither syn nor thread-local spans. The IR keeps
//! only what moves data: bindings, field reads, calls, macros, closures, control flow as
//! joins. Everything else is `Lit` (a clean value).

use crate::model::ItemId;
use crate::source::Span;

/// A path as written, by segment (`["crate", "reads", "AnprRead"]`).
pub type Segs = Vec<String>;

/// A type reduced to the named types a value of it may hold, wrappers peeled:
/// `&[AnprRead]`, `Option<Arc<AnprRead>>`, `HashMap<String, AnprRead>` → `AnprRead`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TyRef {
    pub names: Vec<Segs>,
    /// A redaction wrapper (`Secret<T>`, `SecretBox<T>`…): the value does not leak.
    pub sanitised: bool,
    /// A pseudonymising wrapper (`Hashed<T>`): the value keeps its categories, marked
    /// pseudonymised (still personal data, UK GDPR Art 4(5)).
    pub pseudo: bool,
    /// The traits of an `impl Trait` / `dyn Trait` (`impl fmt::Write`), as written: what a
    /// value of a type that names no concrete type is known to be.
    pub traits: Vec<Segs>,
}

/// A pattern, only as far as it binds names.
#[derive(Clone, Debug)]
pub enum Pat {
    Bind(String, Span),
    /// `Struct { field: pat, .. }`: each sub-pattern gets the field's value.
    Struct(Segs, Vec<(String, Pat)>),
    /// Slices, or-patterns, `x @ pat`: each sub-pattern gets the whole value.
    Each(Vec<Pat>),
    /// `(a, b)`: on a value whose tuple parts are known ([`Expr::Tuple`]), each sub-pattern
    /// gets its part; otherwise each gets the whole value. (A tuple pattern with `..` is
    /// [`Pat::Each`].)
    Elems(Vec<Pat>),
    /// `Path(a, b)` (a tuple struct or variant, not `Err`): on a value of a user type with
    /// fields `Variant.0`, `Variant.1`… each sub-pattern gets its field; otherwise (`Some`,
    /// `Ok`, a library type) each gets the whole value.
    Tuple(Segs, Vec<Pat>),
    /// `Err(pat)`: the sub-patterns get the value's error part (the whole value when the
    /// error is not known).
    Err(Vec<Pat>),
    /// `pat: Type`.
    Typed(Box<Pat>, TyRef),
    Wild,
}

#[derive(Clone, Debug)]
pub enum Stmt {
    Let {
        pat: Pat,
        ty: Option<TyRef>,
        init: Option<Expr>,
        /// `let ... else { ... }`.
        diverge: Option<Expr>,
    },
    Expr(Expr),
}

/// A macro call: its path, the inline captures of its format string and its arguments.
#[derive(Clone, Debug)]
pub struct MacroCall {
    pub path: Segs,
    pub args: Vec<Expr>,
    /// The key of each `key = value` argument (`tracing` fields), `None` for the others.
    pub keys: Vec<Option<String>>,
    /// `{vrm}` in the format string: names read by the macro.
    pub captures: Vec<String>,
    /// The span of the format string, where captures are reported.
    pub fmt_span: Option<Span>,
    /// For each argument: is it only formatted with `Display` (`{}` of a positional or
    /// named format argument, a `tracing` field `%x`)? Then a value whose `Display` carries
    /// less than the value (a `thiserror` variant) gives only that. `false`: unknown or
    /// `Debug` (`{:?}`, `?x`): the whole value.
    pub display: Vec<bool>,
    /// The same for each of [`MacroCall::captures`].
    pub cap_display: Vec<bool>,
    pub span: Span,
}

/// What a `thiserror` `#[error(...)]` on an enum variant (or a struct) formats: the fields
/// its format string names (`{email}`, `{0}`, `.email` in its arguments), each with whether
/// it is formatted with `Debug`; `#[error(transparent)]`: its one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorFmt {
    /// The variant (`None`: the struct itself).
    pub variant: Option<String>,
    pub fields: Vec<(String, bool)>,
}

#[derive(Clone, Debug)]
pub enum Expr {
    /// Carries no data (literals, `continue`, what the analysis does not model).
    Lit,
    /// A short string literal that can name a key (`"email"`, `"x-forwarded-for"`): carries
    /// no data itself, but says what a keyed read returns (`row.get("email")`).
    Key(Box<str>),
    Path(Segs, Span),
    Field(Box<Expr>, String, Span),
    Index(Box<Expr>, Box<Expr>),
    Call(Segs, Vec<Expr>, Span),
    /// A call of something that is not a path (a closure in a variable, `(f)(x)`).
    CallValue(Box<Expr>, Vec<Expr>),
    Method {
        recv: Box<Expr>,
        name: String,
        args: Vec<Expr>,
        span: Span,
    },
    Macro(Box<MacroCall>),
    Struct {
        path: Segs,
        fields: Vec<(String, Expr)>,
        rest: Option<Box<Expr>>,
        span: Span,
    },
    Closure(Vec<Pat>, Box<Expr>),
    Block(Vec<Stmt>),
    If {
        cond: Box<Expr>,
        then: Box<Expr>,
        els: Option<Box<Expr>>,
    },
    /// `let pat = e` in an `if`/`while` condition: binds, evaluates to a bool.
    LetCond(Pat, Box<Expr>),
    Match(Box<Expr>, Vec<(Pat, Option<Expr>, Expr)>),
    For(Pat, Box<Expr>, Box<Expr>),
    /// Evaluated for its effects; the result carries no data (`-`, casts).
    Clean(Vec<Expr>),
    /// A comparison, `&&`, `||` or `!`: evaluated for its effects, the result is a
    /// `bool` (a variable bound to it is a flag, whatever its name).
    Bool(Vec<Expr>),
    /// The result carries the data of every part (arrays, arithmetic, branches).
    Join(Vec<Expr>),
    /// `(a, b)`: carries the data of every part, and keeps each part apart for a tuple
    /// pattern or a `.0` that takes it apart again.
    Tuple(Vec<Expr>),
    Assign(Box<Expr>, Box<Expr>),
    Return(Option<Box<Expr>>),
}

/// `#[tracing::instrument(...)]` on a function.
#[derive(Clone, Debug)]
pub struct Instrument {
    pub skip_all: bool,
    pub skip: Vec<String>,
    pub fields: Vec<Expr>,
    /// `ret`: the return value is recorded.
    pub ret: bool,
    /// `err`: the error returned (`Err(..)`) is recorded at level ERROR.
    pub err: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Param {
    pub pat: Pat,
    pub ty: TyRef,
    pub span: Span,
    /// The name to report (`reads`, `self`).
    pub name: String,
    /// The type as written, tokens joined by spaces (`& str`), for the name heuristics.
    pub ty_text: String,
}

impl Param {
    /// The parameter as a label names it: its name, or for a struct pattern its type
    /// (`ProcessNewObject { .. }`, not every field it binds).
    pub fn shown(&self) -> std::borrow::Cow<'_, str> {
        match self.name.split_once('{') {
            Some((ty, _)) if !matches!(self.pat, Pat::Bind(..)) => {
                format!("{} {{ .. }}", ty.trim()).into()
            }
            _ => self.name.as_str().into(),
        }
    }
}

/// One function or method body.
#[derive(Clone, Debug)]
pub struct Body {
    /// The function's item (an index into the file's items until the merge).
    pub item: ItemId,
    /// The module scope its paths resolve in (an index into [`FileFlow::scopes`] until
    /// the merge).
    pub scope: u32,
    /// For methods: the impl's self type.
    pub self_ty: Option<Segs>,
    /// In an `impl Trait for T` block or a trait's default method.
    pub trait_method: bool,
    pub params: Vec<Param>,
    pub ret: TyRef,
    pub instrument: Option<Instrument>,
    /// A web handler (`#[get]`, `#[post]`, `#[route]`…): its return value is an HTTP response.
    pub handler: bool,
    pub block: Expr,
}

/// How names resolve in one module: its `use` items and where it is.
#[derive(Clone, Debug, Default)]
pub struct ModScope {
    /// `crate::a::b`.
    pub module: String,
    /// Local name → the path it stands for (absolute when it starts with `crate`).
    pub uses: Vec<(String, Segs)>,
    /// `use x::y::*;`.
    pub globs: Vec<Segs>,
}

/// `type Alias = Target;`
#[derive(Clone, Debug)]
pub struct Alias {
    pub path: String,
    pub scope: u32,
    pub target: TyRef,
}

/// Everything one file contributes to the flow analysis.
#[derive(Clone, Debug, Default)]
pub struct FileFlow {
    pub scopes: Vec<ModScope>,
    pub bodies: Vec<Body>,
    pub aliases: Vec<Alias>,
    /// For each struct or enum (file-local item index): its fields' types, in the order of
    /// `Item::fields`, and the scope they resolve in.
    pub field_types: Vec<(ItemId, u32, Vec<TyRef>)>,
    /// For each impl (file-local item index): its scope and the trait it implements
    /// (empty for an inherent impl).
    pub impl_scopes: Vec<(ItemId, u32, Segs)>,
    /// The crate of each scope (filled in at the merge).
    pub scope_krates: Vec<u32>,
    /// For each type with `thiserror` `#[error(...)]` attributes (file-local item index):
    /// what its variants' `Display` formats.
    pub error_fmts: Vec<(ItemId, Vec<ErrorFmt>)>,
}

impl FileFlow {
    /// Rebases file-local indices after the file's items and scopes are appended to the
    /// crate-wide vectors.
    pub fn rebase(&mut self, item_offset: u32, scope_offset: u32) {
        for b in &mut self.bodies {
            b.item = ItemId(b.item.0 + item_offset);
            b.scope += scope_offset;
        }
        for a in &mut self.aliases {
            a.scope += scope_offset;
        }
        for (id, scope, _) in &mut self.field_types {
            *id = ItemId(id.0 + item_offset);
            *scope += scope_offset;
        }
        for (id, scope, _) in &mut self.impl_scopes {
            *id = ItemId(id.0 + item_offset);
            *scope += scope_offset;
        }
        for (id, _) in &mut self.error_fmts {
            *id = ItemId(id.0 + item_offset);
        }
    }

    pub fn append(&mut self, other: FileFlow) {
        self.scopes.extend(other.scopes);
        self.scope_krates.extend(other.scope_krates);
        self.bodies.extend(other.bodies);
        self.aliases.extend(other.aliases);
        self.field_types.extend(other.field_types);
        self.impl_scopes.extend(other.impl_scopes);
        self.error_fmts.extend(other.error_fmts);
    }
}

/// A call in a body, as written: a path (`reads::load(..)`, `Store::new()`) or a method
/// name (`store.load(..)`).
pub enum CallRef<'a> {
    /// `path(args)`.
    Path(&'a Segs, &'a [Expr]),
    /// `recv.name(args)`.
    Method(&'a str, &'a [Expr]),
}

/// Calls `f` with every call in `e` (macro arguments, closures and nested blocks
/// included), in source order.
pub fn each_call<'a>(e: &'a Expr, f: &mut dyn FnMut(CallRef<'a>)) {
    let each = |es: &'a [Expr], f: &mut dyn FnMut(CallRef<'a>)| {
        for e in es {
            each_call(e, f);
        }
    };
    match e {
        Expr::Lit | Expr::Key(_) | Expr::Path(..) => {}
        Expr::Field(e, ..) => each_call(e, f),
        Expr::Index(a, b) | Expr::Assign(a, b) => {
            each_call(a, f);
            each_call(b, f);
        }
        Expr::Call(segs, args, _) => {
            f(CallRef::Path(segs, args));
            each(args, f);
        }
        Expr::CallValue(callee, args) => {
            each_call(callee, f);
            each(args, f);
        }
        Expr::Method {
            recv, name, args, ..
        } => {
            each_call(recv, f);
            f(CallRef::Method(name, args));
            each(args, f);
        }
        Expr::Macro(m) => each(&m.args, f),
        Expr::Struct { fields, rest, .. } => {
            for (_, e) in fields {
                each_call(e, f);
            }
            if let Some(r) = rest {
                each_call(r, f);
            }
        }
        Expr::Closure(_, body) => each_call(body, f),
        Expr::Block(stmts) => {
            for s in stmts {
                match s {
                    Stmt::Let { init, diverge, .. } => {
                        for e in init.iter().chain(diverge) {
                            each_call(e, f);
                        }
                    }
                    Stmt::Expr(e) => each_call(e, f),
                }
            }
        }
        Expr::If { cond, then, els } => {
            each_call(cond, f);
            each_call(then, f);
            if let Some(e) = els {
                each_call(e, f);
            }
        }
        Expr::LetCond(_, e) => each_call(e, f),
        Expr::Match(scrutinee, arms) => {
            each_call(scrutinee, f);
            for (_, guard, body) in arms {
                if let Some(g) = guard {
                    each_call(g, f);
                }
                each_call(body, f);
            }
        }
        Expr::For(_, iter, body) => {
            each_call(iter, f);
            each_call(body, f);
        }
        Expr::Clean(es) | Expr::Bool(es) | Expr::Join(es) | Expr::Tuple(es) => each(es, f),
        Expr::Return(e) => {
            if let Some(e) = e {
                each_call(e, f);
            }
        }
    }
}
