//! Byte ranges of syn nodes, cheaply.
//!
//! Two costs of the obvious way are avoided here (they were a tenth of a whole run):
//!
//! - `Span::byte_range` keeps a per-thread char→byte cache in a `BTreeMap` and inserts
//!   into it on every call; [`Offsets`] maps proc-macro2's line/column to bytes with the
//!   file's own line table instead (columns are counted in chars only on non-ASCII lines).
//! - `Spanned::span()` of an item or an expression prints the whole node back to tokens to
//!   find its first and last token, so the span of an inline module re-prints everything
//!   in it; [`Offsets`] takes the first and last token from the node's fields.
//!
//! Both give exactly the ranges the obvious way gives (tested below, on every Rust file of
//! this repository).

use std::ops::Range;

use proc_macro2::Span as PmSpan;
use syn::spanned::Spanned as _;

/// Byte offsets of the spans of one parsed text.
pub(crate) struct Offsets {
    /// The text syn parsed (after [`crate::parse`]'s sanitising).
    text: std::sync::Arc<str>,
    line_starts: Vec<u32>,
    /// Per line: does it hold only ASCII (so a char column is a byte column)? Empty when
    /// the whole text does.
    ascii: Vec<bool>,
}

impl Offsets {
    pub(crate) fn new(text: std::sync::Arc<str>) -> Offsets {
        // newlines found with the `memchr` crate (SIMD; a byte loop, or `match_indices`,
        // was a tenth of the model phase); lines are told apart by ASCII only in a file
        // that is not all ASCII
        let line_starts: Vec<u32> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|nl| nl as u32 + 1))
            .collect();
        let ascii = if text.is_ascii() {
            Vec::new()
        } else {
            let bytes = text.as_bytes();
            let ends = line_starts.iter().skip(1).map(|&s| s as usize - 1);
            line_starts
                .iter()
                .map(|&s| s as usize)
                .zip(ends.chain([bytes.len()]))
                .map(|(s, e)| bytes[s..e].is_ascii())
                .collect()
        };
        Offsets {
            text,
            line_starts,
            ascii,
        }
    }

    /// The byte offset of a proc-macro2 line (1-based) and column (in chars).
    fn offset(&self, at: proc_macro2::LineColumn) -> usize {
        let line = at.line.saturating_sub(1);
        let Some(&start) = self.line_starts.get(line) else {
            return self.text.len();
        };
        let start = start as usize;
        if self.ascii.get(line).copied().unwrap_or(true) {
            return (start + at.column).min(self.text.len());
        }
        self.text[start..]
            .char_indices()
            .nth(at.column)
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    /// What `span.byte_range()` gives.
    pub(crate) fn range(&self, span: PmSpan) -> Range<usize> {
        self.offset(span.start())..self.offset(span.end())
    }

    /// From the start of `first`, a token that exists (not an inherited visibility), to
    /// the end of `last`.
    fn between(&self, first: PmSpan, last: PmSpan) -> Range<usize> {
        let end = self.offset(last.end());
        self.offset(first.start()).min(end)..end
    }

    /// The range of a function, struct, enum, union, impl, trait or module item; `None`
    /// for other items (small: their `Spanned` span is cheap enough).
    pub(crate) fn item(&self, item: &syn::Item) -> Option<Range<usize>> {
        use syn::Item as I;
        Some(match item {
            I::Fn(f) => {
                let first = lead(&f.attrs, &f.vis)
                    .or(f.modifiers.defaultness.map(|t| t.span))
                    .unwrap_or_else(|| sig_first(&f.sig));
                self.between(first, f.block.brace_token.span.close())
            }
            I::Struct(s) => {
                let first = lead(&s.attrs, &s.vis).unwrap_or(s.struct_token.span);
                let last = match (&s.semi_token, &s.fields) {
                    (Some(semi), _) => semi.spans[0],
                    (None, syn::Fields::Named(n)) => n.brace_token.span.close(),
                    _ => return None,
                };
                self.between(first, last)
            }
            I::Enum(e) => {
                let first = lead(&e.attrs, &e.vis).unwrap_or(e.enum_token.span);
                self.between(first, e.brace_token.span.close())
            }
            I::Union(u) => {
                let first = lead(&u.attrs, &u.vis).unwrap_or(u.union_token.span);
                self.between(first, u.fields.brace_token.span.close())
            }
            I::Impl(i) => {
                let first = first_outer_attr(&i.attrs)
                    .or(i.modifiers.defaultness.map(|t| t.span))
                    .or(i.unsafety.map(|t| t.span))
                    .unwrap_or(i.impl_token.span);
                self.between(first, i.brace_token.span.close())
            }
            I::Trait(t) => {
                let first = lead(&t.attrs, &t.vis)
                    .or(t.modifiers.auto_token.map(|t| t.span))
                    .or(t.unsafety.map(|t| t.span))
                    .unwrap_or(t.trait_token.span);
                self.between(first, t.brace_token.span.close())
            }
            I::Mod(m) => {
                let first = lead(&m.attrs, &m.vis)
                    .or(m.unsafety.map(|t| t.span))
                    .unwrap_or(m.mod_token.span);
                let last = match (&m.content, &m.semi) {
                    (Some((brace, _)), _) => brace.span.close(),
                    (None, Some(semi)) => semi.spans[0],
                    (None, None) => return None,
                };
                self.between(first, last)
            }
            _ => return None,
        })
    }

    /// The range of a method in an impl block.
    pub(crate) fn impl_fn(&self, f: &syn::ImplItemFn) -> Range<usize> {
        let first = lead(&f.attrs, &f.vis)
            .or(f.modifiers.defaultness.map(|t| t.span))
            .unwrap_or_else(|| sig_first(&f.sig));
        self.between(first, f.block.brace_token.span.close())
    }

    /// The range of a method declared in a trait.
    pub(crate) fn trait_fn(&self, f: &syn::TraitItemFn) -> Range<usize> {
        let first = first_outer_attr(&f.attrs)
            .or(f.modifiers.defaultness.map(|t| t.span))
            .unwrap_or_else(|| sig_first(&f.sig));
        let last = match (&f.default, &f.semi_token) {
            (_, Some(semi)) => semi.spans[0],
            (Some(block), None) => block.brace_token.span.close(),
            (None, None) => f.sig.span(),
        };
        self.between(first, last)
    }

    /// The range of a call `f(args)`.
    pub(crate) fn call(&self, c: &syn::ExprCall) -> Range<usize> {
        let first = first_outer_attr(&c.attrs).unwrap_or_else(|| expr_head(&c.func));
        self.between(first, c.paren_token.span.close())
    }

    /// The range of a path expression.
    pub(crate) fn path(&self, p: &syn::ExprPath) -> Range<usize> {
        let last = match p.path.segments.last() {
            Some(seg) if seg.arguments.is_none() => seg.ident.span(),
            Some(seg) => seg.arguments.span(),
            None => return self.range(p.span()),
        };
        let first =
            first_outer_attr(&p.attrs).unwrap_or_else(|| path_head(p.qself.as_ref(), &p.path));
        self.between(first, last)
    }

    /// The range of a struct literal.
    pub(crate) fn struct_lit(&self, s: &syn::ExprStruct) -> Range<usize> {
        let first =
            first_outer_attr(&s.attrs).unwrap_or_else(|| path_head(s.qself.as_ref(), &s.path));
        self.between(first, s.brace_token.span.close())
    }

    /// The range of a macro call (without a trailing `;`).
    pub(crate) fn mac(&self, m: &syn::Macro) -> Range<usize> {
        let last = match &m.delimiter {
            syn::MacroDelimiter::Paren(p) => p.span.close(),
            syn::MacroDelimiter::Brace(b) => b.span.close(),
            syn::MacroDelimiter::Bracket(b) => b.span.close(),
        };
        self.between(path_head(None, &m.path), last)
    }
}

/// The first outer attribute (`#` or `///`): items print their outer attributes first and
/// their inner ones inside their braces.
fn first_outer_attr(attrs: &[syn::Attribute]) -> Option<PmSpan> {
    attrs
        .iter()
        .find(|a| matches!(a.style, syn::AttrStyle::Outer))
        .map(|a| a.pound_token.span)
}

/// The first token of an item: its first outer attribute, else its visibility's (none
/// when inherited).
fn lead(attrs: &[syn::Attribute], vis: &syn::Visibility) -> Option<PmSpan> {
    first_outer_attr(attrs).or(match vis {
        syn::Visibility::Public(t) => Some(t.span),
        syn::Visibility::Restricted(r) => Some(r.pub_token.span),
        syn::Visibility::Inherited => None,
    })
}

/// The first token of a signature (`const`, `async`, `unsafe`, `extern` or `fn`).
fn sig_first(sig: &syn::Signature) -> PmSpan {
    let safety = match &sig.safety {
        syn::Safety::Safe(t) => Some(t.span),
        syn::Safety::Unsafe(t) => Some(t.span),
        syn::Safety::Default => None,
    };
    sig.constness
        .map(|t| t.span)
        .or(sig.asyncness.map(|t| t.span))
        .or(safety)
        .or(sig.abi.as_ref().map(|a| a.extern_token.span))
        .unwrap_or(sig.fn_token.span)
}

fn path_head(qself: Option<&syn::QSelf>, path: &syn::Path) -> PmSpan {
    if let Some(q) = qself {
        return q.lt_token.spans[0];
    }
    if let Some(c) = &path.leading_colon {
        return c.spans[0];
    }
    match path.segments.first() {
        Some(seg) => seg.ident.span(),
        None => path.span(),
    }
}

/// The first token of an expression, cheaply for the usual callee (a path).
fn expr_head(e: &syn::Expr) -> PmSpan {
    match e {
        syn::Expr::Path(p) if p.attrs.is_empty() => path_head(p.qself.as_ref(), &p.path),
        other => other.span(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::visit::Visit;

    /// Compares every item, method, call, path, struct literal and macro of `text` with
    /// what `Spanned` gives.
    fn check(text: &str) -> usize {
        let Ok(file) = syn::parse_file(text) else {
            return 0;
        };
        struct V<'a> {
            o: &'a Offsets,
            n: usize,
        }
        impl V<'_> {
            fn same(&mut self, what: &str, ours: Range<usize>, theirs: PmSpan) {
                self.n += 1;
                assert_eq!(ours, self.o.range(theirs), "{what}");
                assert_eq!(ours, theirs.byte_range(), "{what}");
            }
        }
        impl<'ast> Visit<'ast> for V<'_> {
            fn visit_item(&mut self, i: &'ast syn::Item) {
                if let Some(r) = self.o.item(i) {
                    self.same("item", r, i.span());
                }
                syn::visit::visit_item(self, i);
            }
            fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
                self.same("impl fn", self.o.impl_fn(f), f.span());
                syn::visit::visit_impl_item_fn(self, f);
            }
            fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
                self.same("trait fn", self.o.trait_fn(f), f.span());
                syn::visit::visit_trait_item_fn(self, f);
            }
            fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
                self.same("call", self.o.call(c), c.span());
                syn::visit::visit_expr_call(self, c);
            }
            fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
                self.same("path", self.o.path(p), p.span());
                syn::visit::visit_expr_path(self, p);
            }
            fn visit_expr_struct(&mut self, s: &'ast syn::ExprStruct) {
                self.same("struct literal", self.o.struct_lit(s), s.span());
                syn::visit::visit_expr_struct(self, s);
            }
            fn visit_macro(&mut self, m: &'ast syn::Macro) {
                self.same("macro", self.o.mac(m), m.span());
                syn::visit::visit_macro(self, m);
            }
        }
        let o = Offsets::new(std::sync::Arc::from(text));
        let mut v = V { o: &o, n: 0 };
        v.visit_file(&file);
        v.n
    }

    #[test]
    fn shapes_of_items_and_expressions() {
        let text = r#"
//! inner doc
#![allow(dead_code)]
/// A doc comment. Ünïcödé — here and in a string: "é"
#[derive(Debug)]
pub(crate) struct Named<T> where T: Clone { a: T, /** b */ pub b: Vec<u8> }
pub struct Tuple(pub String, u8) where String: Clone;
struct Unit;
enum E { A { x: u8 }, B(String), C }
union U { a: u32, b: f32 }
pub const async unsafe extern "C" fn f<'a>(x: &'a str) -> &'a str { x }
unsafe impl<T> Send for Named<T> {}
impl<T: Clone> Named<T> {
    /// méthode
    #[inline]
    pub(super) fn m(&self) -> usize { Self::n(1) + <Self as Tr>::k() }
    unsafe fn n(x: u8) -> usize { x as usize }
}
pub unsafe trait Tr { fn k() -> usize; fn d(&self) { let _ = ::std::vec::Vec::<u8>::new(); } }
pub(in crate::inline) const fn c() {}
async fn a() {}
extern "C" fn x() {}
#[allow(unused)] default unsafe impl<T> Tr for Vec<T> { default fn k() -> usize { 0 } }
auto trait Au {}
#[doc = "t"] unsafe trait Ut { #[inline] unsafe fn u(); const fn v() {} }
pub(crate) mod pm { pub(self) enum Pe { A } pub union Pu { a: u8 } }
mod inline { #![allow(unused)] fn g() { println!("{}", 1); vec![1, 2]; } }
#[cfg(any())]
mod outline;
fn h() {
    let s = Named::<String> { a: String::new(), b: vec![] };
    let t = crate::Tuple(String::from("ö"), 2);
    (f)("x"); #[allow(unused)] f("y");
    m! { a b }; m![c];
    let _ = (s, t, Unit, E::C, <Vec<u8>>::new());
}
"#;
        assert!(check(text) > 30);
        // Windows line ends, tabs and multi-byte characters before the tokens on a line
        let crlf = text.replace('\n', "\r\n").replace("    ", "\t");
        assert_eq!(check(&crlf), check(text));
        let wide =
            "/// ✓ — 日本語\r\nfn é() { let π = \"∂\"; g(π, \"\u{1F600}\"); S { a: π }; m!(π); }\n";
        assert!(check(wide) >= 3);
    }

    #[test]
    fn every_rust_file_of_the_repository() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut n = 0;
        for entry in walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_entry(|e| e.file_name() != "target" && e.file_name() != ".git")
            .flatten()
        {
            if entry.path().extension().is_some_and(|e| e == "rs") {
                if let Ok(text) = std::fs::read_to_string(entry.path()) {
                    n += check(&text);
                }
            }
        }
        assert!(n > 5_000, "only {n} nodes checked");
    }
}
