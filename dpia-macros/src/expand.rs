//! The expansions, as plain functions over `proc_macro2` tokens.

use dpia_annotations::{parse_tag, FieldTag, Tag, TagError, TagKind};
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::spanned::Spanned;

fn to_syn(errors: Vec<TagError>) -> syn::Error {
    let mut all: Option<syn::Error> = None;
    for e in errors {
        let msg = match e.help {
            Some(h) => format!("{}\n\nhelp: {h}", e.message),
            None => e.message,
        };
        let err = syn::Error::new(e.span, msg);
        match &mut all {
            Some(a) => a.combine(err),
            None => all = Some(err),
        }
    }
    all.unwrap_or_else(|| syn::Error::new(Span::call_site(), "invalid tag"))
}

fn tag(kind: TagKind, attr: TokenStream) -> syn::Result<Tag> {
    parse_tag(kind, attr).map_err(to_syn)
}

/// An item a tag may stand on: anything `syn::Item` parses, or a method inside an impl.
enum Target {
    Item(syn::Item),
    Method(syn::ImplItemFn),
}

fn target(item: TokenStream) -> syn::Result<Target> {
    match syn::parse2::<syn::Item>(item.clone()) {
        Ok(i) => Ok(Target::Item(i)),
        Err(e) => syn::parse2::<syn::ImplItemFn>(item)
            .map(Target::Method)
            .map_err(|_| e),
    }
}

fn is_fn(t: &Target) -> bool {
    matches!(t, Target::Method(_) | Target::Item(syn::Item::Fn(_)))
}

fn misplaced(kind: TagKind, t: &Target, expected: &str) -> syn::Error {
    let span = match t {
        Target::Item(i) => i.span(),
        Target::Method(m) => m.sig.ident.span(),
    };
    syn::Error::new(span, format!("`#[{}]` goes on {expected}", kind.name()))
}

fn fn_only(kind: TagKind, attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    tag(kind, attr)?;
    let t = target(item.clone())?;
    if !is_fn(&t) {
        return Err(misplaced(kind, &t, "a function"));
    }
    Ok(item)
}

pub fn processing(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let t = tag(TagKind::Processing, attr)?;
    if let Tag::Processing(p) = &t {
        if let Some(b) = &p.basis {
            if let Some(e) = dpia_annotations::basis_error(b) {
                return Err(to_syn(vec![e]));
            }
        }
    }
    let target = target(item.clone())?;
    if !is_fn(&target) && !matches!(target, Target::Item(syn::Item::Impl(_))) {
        return Err(misplaced(
            TagKind::Processing,
            &target,
            "a function or an impl block",
        ));
    }
    Ok(item)
}

pub fn sink(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    fn_only(TagKind::Sink, attr, item)
}

pub fn erases(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    fn_only(TagKind::Erases, attr, item)
}

pub fn audit_log(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    fn_only(TagKind::AuditLog, attr, item)
}

pub fn allow(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let whole = attr.clone();
    if let Tag::Allow(a) = tag(TagKind::Allow, attr)? {
        if a.reason.is_none() {
            let span = whole
                .into_iter()
                .next()
                .map(|t| t.span())
                .unwrap_or_else(Span::call_site);
            return Err(syn::Error::new(
                span,
                "`reason` is required: say why this finding is accepted (e.g. the DPO's approval reference)\n\nhelp: write `#[dpia::allow(function_creep, reason = \"DPO approved 2024-01-10, ref DP-118\")]`",
            ));
        }
    }
    helpers_need_personal_data(&item)?;
    Ok(item)
}

/// A type under another dpia tag (`allow`) whose fields carry `#[dpia(...)]` helpers but
/// which has no `#[personal_data]` (that tag removes them): the same error the linter
/// reports as DPIA002, instead of rustc's "cannot find attribute `dpia`".
fn helpers_need_personal_data(item: &TokenStream) -> syn::Result<()> {
    let Ok(item) = syn::parse2::<syn::Item>(item.clone()) else {
        return Ok(());
    };
    let (attrs, fields): (&[syn::Attribute], Vec<&syn::Field>) = match &item {
        syn::Item::Struct(s) => (&s.attrs, s.fields.iter().collect()),
        syn::Item::Enum(e) => (
            &e.attrs,
            e.variants.iter().flat_map(|v| v.fields.iter()).collect(),
        ),
        syn::Item::Union(u) => (&u.attrs, u.fields.named.iter().collect()),
        _ => return Ok(()),
    };
    let tagged = attrs.iter().any(|a| {
        a.path()
            .segments
            .last()
            .is_some_and(|s| s.ident == "personal_data")
    });
    if tagged {
        return Ok(());
    }
    let errors: Vec<TagError> = fields
        .iter()
        .flat_map(|f| f.attrs.iter())
        .filter(|a| a.path().is_ident("dpia"))
        .map(|a| dpia_annotations::field_helper_without_personal_data(a.span()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(to_syn(errors))
    }
}

pub fn personal_data(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let Tag::PersonalData(p) = tag(TagKind::PersonalData, attr)? else {
        unreachable!("parse_tag returns the kind it was asked for")
    };
    let mut item: syn::Item = syn::parse2(item)?;
    let mut errors: Option<syn::Error> = None;
    let mut untagged = Vec::new();
    {
        let mut fields: Vec<&mut syn::Field> = match &mut item {
            syn::Item::Struct(s) => s.fields.iter_mut().collect(),
            syn::Item::Enum(e) => e
                .variants
                .iter_mut()
                .flat_map(|v| v.fields.iter_mut())
                .collect(),
            syn::Item::Union(u) => u.fields.named.iter_mut().collect(),
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    "`#[personal_data]` goes on a struct, an enum or a union",
                ))
            }
        };
        for (i, f) in fields.iter_mut().enumerate() {
            let mut tagged = false;
            let mut kept = Vec::with_capacity(f.attrs.len());
            for a in std::mem::take(&mut f.attrs) {
                if !a.path().is_ident("dpia") {
                    kept.push(a);
                    continue;
                }
                match dpia_annotations::parse_tag_attr(TagKind::Field, &a) {
                    Ok(Tag::Field(FieldTag::Category(_) | FieldTag::NotPersonal(_))) => {
                        tagged = true
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let e = to_syn(e);
                        match &mut errors {
                            Some(all) => all.combine(e),
                            None => errors = Some(e),
                        }
                    }
                }
            }
            f.attrs = kept;
            if !tagged {
                untagged.push(
                    f.ident
                        .as_ref()
                        .map(|i| i.to_string())
                        .unwrap_or_else(|| i.to_string()),
                );
            }
        }
    }
    if let Some(e) = errors {
        return Err(e);
    }
    if p.category.is_none() && !untagged.is_empty() {
        let (message, help) = dpia_annotations::untagged_fields_error(&untagged);
        return Err(syn::Error::new(
            item_ident_span(&item),
            format!("{message}\n\nhelp: {help}"),
        ));
    }
    Ok(item.into_token_stream())
}

fn item_ident_span(item: &syn::Item) -> Span {
    match item {
        syn::Item::Struct(s) => s.ident.span(),
        syn::Item::Enum(e) => e.ident.span(),
        syn::Item::Union(u) => u.ident.span(),
        other => other.span(),
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn err(r: syn::Result<TokenStream>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn personal_data_strips_field_helpers_and_keeps_the_rest() {
        let out = personal_data(
            quote!(category = "anpr-read", retention = "1d"),
            quote!(
                #[derive(Debug)]
                pub struct AnprRead {
                    #[dpia(category = "vrm")]
                    #[serde(rename = "plate")]
                    pub vrm: String,
                    #[dpia(not_personal)]
                    pub camera_id: u32,
                }
            ),
        )
        .unwrap()
        .to_string();
        assert!(!out.contains("dpia"), "{out}");
        assert!(out.contains("serde") && out.contains("derive"), "{out}");
    }

    #[test]
    fn personal_data_without_category_needs_every_field_tagged() {
        let e = err(personal_data(
            quote!(),
            quote!(
                pub struct R {
                    #[dpia(category = "vrm")]
                    pub vrm: String,
                    pub seen_at: u64,
                }
            ),
        ));
        assert!(e.contains("untagged: `seen_at`"), "{e}");
        assert!(personal_data(
            quote!(),
            quote!(
                pub struct R {
                    #[dpia(category = "vrm")]
                    pub vrm: String,
                }
            )
        )
        .is_ok());
    }

    #[test]
    fn errors_carry_the_grammar_messages() {
        let e = err(personal_data(
            quote!(category = "x", retension = "1d"),
            quote!(
                struct S;
            ),
        ));
        assert!(
            e.contains("unknown key `retension`") && e.contains("did you mean `retention`?"),
            "{e}"
        );
        let e = err(personal_data(
            quote!(category = "x"),
            quote!(
                struct S {
                    #[dpia(not_persnal)]
                    a: u8,
                }
            ),
        ));
        assert!(e.contains("not_persnal"), "{e}");
        let e = err(processing(
            quote!(purpose = "p", basis = "part3.tsk"),
            quote!(
                fn f() {}
            ),
        ));
        assert!(e.contains("did you mean `part3.task`?"), "{e}");
    }

    #[test]
    fn placement_is_checked() {
        assert!(err(personal_data(
            quote!(category = "x"),
            quote!(
                fn f() {}
            )
        ))
        .contains("goes on a struct"));
        assert!(err(sink(
            quote!(recipient = "r"),
            quote!(
                struct S;
            )
        ))
        .contains("goes on a function"));
        assert!(processing(quote!(purpose = "p"), quote!(impl S { fn f(&self) {} })).is_ok());
        assert!(
            processing(
                quote!(purpose = "p"),
                quote!(
                    pub fn m(&self) {}
                )
            )
            .is_ok(),
            "a method inside an impl"
        );
        assert!(audit_log(
            quote!(),
            quote!(
                fn log() {}
            )
        )
        .is_ok());
    }

    #[test]
    fn allow_needs_a_reason() {
        assert!(err(allow(
            quote!(function_creep),
            quote!(
                fn f() {}
            )
        ))
        .contains("`reason` is required"));
        assert!(allow(
            quote!(function_creep, reason = "DPO approved, ref DP-118"),
            quote!(
                fn f() {}
            )
        )
        .is_ok());
    }
}
