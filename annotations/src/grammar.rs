//! The grammar itself: one table of keys per tag, one tolerant reader of `key = value`
//! lists, one conversion per value type. Every error is collected, none is fatal.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};

use crate::{
    basis, Allow, Duration, Erases, FieldTag, Operation, PersonalData, Processing, Sink, Spanned,
    Tag, TagError, TagKind,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ty {
    Str,
    Bool,
    StrList,
    Duration,
    Operations,
}

impl Ty {
    fn describe(self) -> &'static str {
        match self {
            Ty::Str => "a string literal",
            Ty::Bool => "`true` or `false`",
            Ty::StrList => "a list of string literals, `[\"...\", ...]`",
            Ty::Duration => "a duration string such as `\"1d\"` or `\"P1D\"`",
            Ty::Operations => "a list of operations, e.g. `[\"consult\", \"combine\"]`",
        }
    }
}

struct Key {
    name: &'static str,
    ty: Ty,
    required: bool,
}

/// The keys each tag accepts.
fn keys(kind: TagKind) -> &'static [Key] {
    match kind {
        TagKind::PersonalData => &[
            Key {
                name: "category",
                ty: Ty::Str,
                required: false,
            },
            Key {
                name: "retention",
                ty: Ty::Duration,
                required: false,
            },
            Key {
                name: "subjects",
                ty: Ty::StrList,
                required: false,
            },
        ],
        TagKind::Processing => &[
            Key {
                name: "purpose",
                ty: Ty::Str,
                required: true,
            },
            Key {
                name: "basis",
                ty: Ty::Str,
                required: false,
            },
            Key {
                name: "operations",
                ty: Ty::Operations,
                required: false,
            },
            Key {
                name: "automated_decision",
                ty: Ty::Bool,
                required: false,
            },
        ],
        TagKind::Sink => &[Key {
            name: "recipient",
            ty: Ty::Str,
            required: true,
        }],
        TagKind::Erases => &[
            Key {
                name: "categories",
                ty: Ty::StrList,
                required: true,
            },
            Key {
                name: "schedule",
                ty: Ty::Str,
                required: false,
            },
        ],
        TagKind::AuditLog => &[],
        TagKind::Allow => &[Key {
            name: "reason",
            ty: Ty::Str,
            required: false,
        }],
        TagKind::Field => &[Key {
            name: "category",
            ty: Ty::Str,
            required: false,
        }],
    }
}

/// A parsed value, before conversion to the key's type.
enum Value {
    Str(String, Span),
    Bool(bool, Span),
    List(Vec<(String, Span)>, Span),
    Other(&'static str, Span),
}

impl Value {
    fn span(&self) -> Span {
        match self {
            Value::Str(_, s) | Value::Bool(_, s) | Value::List(_, s) | Value::Other(_, s) => *s,
        }
    }

    fn found(&self) -> &'static str {
        match self {
            Value::Str(..) => "a string literal",
            Value::Bool(..) => "a boolean",
            Value::List(..) => "a list",
            Value::Other(what, _) => what,
        }
    }
}

/// One comma-separated argument.
enum Arg {
    KeyValue(String, Span, Value),
    /// A bare identifier (`not_personal`, an `allow` rule name).
    Word(String, Span),
    /// A bare string literal (an `allow` rule name written as a string).
    Str(String, Span),
    Junk(Span),
}

struct Errors(Vec<TagError>);

impl Errors {
    fn push(&mut self, span: Span, message: String, help: Option<String>) {
        self.0.push(TagError {
            span,
            message,
            help,
            replacement: None,
        });
    }

    /// An error whose fix is to write `replacement` in place of `span`.
    fn push_fix(&mut self, span: Span, message: String, help: String, replacement: String) {
        self.0.push(TagError {
            span,
            message,
            help: Some(help),
            replacement: Some(replacement),
        });
    }
}

pub(crate) fn parse(kind: TagKind, args: TokenStream) -> Result<Tag, Vec<TagError>> {
    let mut errors = Errors(Vec::new());
    let whole = span_of(&args);
    let mut fields: Vec<(&'static Key, Value)> = Vec::new();
    let mut words: Vec<(String, Span)> = Vec::new();
    let known = keys(kind);
    for arg in split_args(args, &mut errors) {
        match arg {
            Arg::KeyValue(name, span, value) => {
                let Some(k) = known.iter().find(|k| k.name == name) else {
                    let message = format!("unknown key `{name}` in `{}`", kind.name());
                    match crate::suggest(&name, known.iter().map(|k| k.name)) {
                        Some(s) => errors.push_fix(
                            span,
                            message,
                            format!("did you mean `{s}`?"),
                            s.to_string(),
                        ),
                        None => errors.push(span, message, valid_keys(kind)),
                    }
                    continue;
                };
                if fields.iter().any(|(f, _)| f.name == name) {
                    errors.push(
                        span,
                        format!("duplicate key `{name}`"),
                        Some("give each key once".into()),
                    );
                    continue;
                }
                fields.push((k, value));
            }
            Arg::Word(w, span) => words.push((w, span)),
            Arg::Str(s, span) if kind == TagKind::Allow => words.push((s, span)),
            Arg::Str(_, span) | Arg::Junk(span) => errors.push(
                span,
                format!("expected `key = value` in `{}`", kind.name()),
                valid_keys(kind),
            ),
        }
    }

    // bare words: only `allow`'s rule name and the field helper's `not_personal`
    let mut rule = None;
    let mut not_personal = None;
    for (w, span) in words {
        match kind {
            TagKind::Allow if rule.is_none() => rule = Some((w, span)),
            TagKind::Field if w == "not_personal" && not_personal.is_none() => {
                not_personal = Some(span)
            }
            _ => {
                let help = if kind == TagKind::Field {
                    Some("write `category = \"...\"` or `not_personal`".to_string())
                } else {
                    valid_keys(kind)
                };
                errors.push(span, format!("unexpected `{w}` in `{}`", kind.name()), help);
            }
        }
    }

    for k in known.iter().filter(|k| k.required) {
        if !fields.iter().any(|(f, _)| f.name == k.name) {
            errors.push(
                whole,
                format!("`{}` needs `{}`", kind.name(), k.name),
                Some(format!("add `{} = {}`", k.name, example(k))),
            );
        }
    }

    let mut get = |name: &str| -> Option<Value> {
        fields
            .iter()
            .position(|(f, _)| f.name == name)
            .map(|i| fields.remove(i).1)
    };
    let tag = match kind {
        TagKind::PersonalData => Tag::PersonalData(PersonalData {
            category: get("category")
                .and_then(|v| nonempty(string(v, &mut errors), "category", &mut errors)),
            retention: get("retention").and_then(|v| duration(v, &mut errors)),
            subjects: get("subjects")
                .map(|v| list(v, &mut errors))
                .unwrap_or_default(),
        }),
        TagKind::Processing => {
            let purpose = get("purpose")
                .and_then(|v| nonempty(string(v, &mut errors), "purpose", &mut errors));
            // an unknown or misplaced basis id is not a grammar error: the linter reports it
            // as DPIA104 against the manifest's regime; the macros reject it with `basis_error`
            let basis = get("basis").and_then(|v| string(v, &mut errors));
            let operations = get("operations")
                .map(|v| operations(v, &mut errors))
                .unwrap_or_default();
            let automated_decision =
                get("automated_decision").and_then(|v| boolean(v, &mut errors));
            match purpose {
                Some(purpose) => Tag::Processing(Processing {
                    purpose,
                    basis,
                    operations,
                    automated_decision,
                }),
                None => return Err(errors.0).and_then(|_: ()| unreachable_tag()),
            }
        }
        TagKind::Sink => match get("recipient")
            .and_then(|v| nonempty(string(v, &mut errors), "recipient", &mut errors))
        {
            Some(recipient) => Tag::Sink(Sink { recipient }),
            None => return Err(errors.0).and_then(|_: ()| unreachable_tag()),
        },
        TagKind::Erases => {
            let categories = get("categories")
                .map(|v| list(v, &mut errors))
                .unwrap_or_default();
            if categories.is_empty() && errors.0.is_empty() {
                errors.push(
                    whole,
                    "`erases` needs at least one category".into(),
                    Some(
                        "list the categories this function deletes: `categories = [\"anpr-read\"]`"
                            .into(),
                    ),
                );
            }
            Tag::Erases(Erases {
                categories,
                schedule: get("schedule").and_then(|v| string(v, &mut errors)),
            })
        }
        TagKind::AuditLog => Tag::AuditLog,
        TagKind::Allow => {
            let reason = get("reason").and_then(|v| string(v, &mut errors));
            match rule {
                Some((name, span)) => {
                    if crate::catalogue::rule(&name).is_none() {
                        let help = crate::suggest(
                            &name.replace('_', "-"),
                            crate::RULES.iter().map(|r| r.name),
                        )
                        .map(|s| format!("did you mean `{}`?", s.replace('-', "_")))
                        .or_else(|| Some("`cargo dpia-lint rules` lists the rules".into()));
                        errors.push(span, format!("unknown rule `{name}`"), help);
                    }
                    Tag::Allow(Allow {
                        rule: Spanned { value: name, span },
                        reason,
                    })
                }
                None => {
                    errors.push(
                        whole,
                        "`allow` needs the rule it allows".into(),
                        Some("write `#[dpia::allow(function_creep, reason = \"...\")]`".into()),
                    );
                    return Err(errors.0);
                }
            }
        }
        TagKind::Field => {
            let category = get("category")
                .and_then(|v| nonempty(string(v, &mut errors), "category", &mut errors));
            match (category, not_personal) {
                (Some(c), None) => Tag::Field(FieldTag::Category(c)),
                (None, Some(s)) => Tag::Field(FieldTag::NotPersonal(s)),
                (Some(c), Some(_)) => {
                    errors.push(
                        c.span,
                        "a field is either `not_personal` or has a `category`, not both".into(),
                        None,
                    );
                    return Err(errors.0);
                }
                (None, None) => {
                    if errors.0.is_empty() {
                        errors.push(
                            whole,
                            "`#[dpia(...)]` needs `category = \"...\"` or `not_personal`".into(),
                            None,
                        );
                    }
                    return Err(errors.0);
                }
            }
        }
    };
    if errors.0.is_empty() {
        Ok(tag)
    } else {
        Err(errors.0)
    }
}

/// Helps the `return Err(..)` arms above type-check without a dummy tag.
fn unreachable_tag() -> Result<Tag, Vec<TagError>> {
    Err(Vec::new())
}

fn valid_keys(kind: TagKind) -> Option<String> {
    let ks = keys(kind);
    if ks.is_empty() {
        return Some(format!("`{}` takes no arguments", kind.name()));
    }
    Some(format!(
        "`{}` takes {}",
        kind.name(),
        ks.iter()
            .map(|k| format!("`{}`", k.name))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

fn example(key: &Key) -> &'static str {
    match (key.name, key.ty) {
        ("purpose", _) => "\"county-lines-detection\"",
        ("recipient", _) => "\"local-police-export\"",
        ("categories", _) => "[\"anpr-read\"]",
        (_, Ty::Bool) => "true",
        (_, Ty::StrList | Ty::Operations) => "[\"...\"]",
        (_, Ty::Duration) => "\"1d\"",
        (_, Ty::Str) => "\"...\"",
    }
}

fn span_of(ts: &TokenStream) -> Span {
    let mut it = ts.clone().into_iter();
    let first = it.next().map(|t| t.span());
    let last = it.last().map(|t| t.span());
    match (first, last) {
        (Some(f), Some(l)) => f.join(l).unwrap_or(f),
        (Some(f), None) => f,
        _ => Span::call_site(),
    }
}

/// Splits at top-level commas and reads each piece.
fn split_args(args: TokenStream, errors: &mut Errors) -> Vec<Arg> {
    let mut pieces: Vec<Vec<TokenTree>> = vec![Vec::new()];
    for tt in args {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' => pieces.push(Vec::new()),
            _ => pieces.last_mut().expect("never empty").push(tt),
        }
    }
    pieces
        .into_iter()
        .filter(|p| !p.is_empty())
        .map(|p| read_arg(p, errors))
        .collect()
}

fn read_arg(piece: Vec<TokenTree>, errors: &mut Errors) -> Arg {
    let span = piece
        .first()
        .map(|f| {
            let l = piece.last().map(|t| t.span()).unwrap_or(f.span());
            f.span().join(l).unwrap_or(f.span())
        })
        .unwrap_or_else(Span::call_site);
    match piece.as_slice() {
        [TokenTree::Ident(i)] => Arg::Word(unraw(&i.to_string()), i.span()),
        [TokenTree::Literal(l)] => match syn::Lit::new(l.clone()) {
            syn::Lit::Str(s) => Arg::Str(s.value(), l.span()),
            _ => Arg::Junk(l.span()),
        },
        [TokenTree::Ident(k), TokenTree::Punct(eq), rest @ ..] if eq.as_char() == '=' => {
            let value = read_value(rest, errors);
            Arg::KeyValue(unraw(&k.to_string()), k.span(), value)
        }
        _ => Arg::Junk(span),
    }
}

fn unraw(s: &str) -> String {
    s.strip_prefix("r#").unwrap_or(s).to_string()
}

fn read_value(tokens: &[TokenTree], errors: &mut Errors) -> Value {
    match tokens {
        [] => Value::Other("nothing", Span::call_site()),
        [TokenTree::Literal(l)] => match syn::Lit::new(l.clone()) {
            syn::Lit::Str(s) => Value::Str(s.value(), l.span()),
            syn::Lit::Int(_) => Value::Other("an integer", l.span()),
            syn::Lit::Float(_) => Value::Other("a float", l.span()),
            syn::Lit::Bool(b) => Value::Bool(b.value, l.span()),
            _ => Value::Other("a literal of another kind", l.span()),
        },
        [TokenTree::Ident(i)] if i == "true" || i == "false" => Value::Bool(i == "true", i.span()),
        [TokenTree::Ident(i)] => Value::Other("an identifier", i.span()),
        [TokenTree::Group(g)] if g.delimiter() == Delimiter::Bracket => {
            let mut items = Vec::new();
            for piece in split_plain(g.stream()) {
                match piece.as_slice() {
                    [TokenTree::Literal(l)] => match syn::Lit::new(l.clone()) {
                        syn::Lit::Str(s) => items.push((s.value(), l.span())),
                        _ => errors.push(
                            l.span(),
                            "expected a string literal in this list".into(),
                            None,
                        ),
                    },
                    [first, ..] => errors.push(
                        first.span(),
                        "expected a string literal in this list".into(),
                        None,
                    ),
                    [] => {}
                }
            }
            Value::List(items, g.span())
        }
        [first, ..] => Value::Other("an expression", first.span()),
    }
}

fn split_plain(ts: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut pieces: Vec<Vec<TokenTree>> = vec![Vec::new()];
    for tt in ts {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' => pieces.push(Vec::new()),
            _ => pieces.last_mut().expect("never empty").push(tt),
        }
    }
    pieces
}

fn mismatch(v: &Value, ty: Ty, errors: &mut Errors) {
    errors.push(
        v.span(),
        format!("expected {}, found {}", ty.describe(), v.found()),
        None,
    );
}

fn string(v: Value, errors: &mut Errors) -> Option<Spanned<String>> {
    match v {
        Value::Str(s, span) => Some(Spanned { value: s, span }),
        other => {
            mismatch(&other, Ty::Str, errors);
            None
        }
    }
}

fn nonempty(s: Option<Spanned<String>>, key: &str, errors: &mut Errors) -> Option<Spanned<String>> {
    match s {
        Some(s) if s.value.trim().is_empty() => {
            errors.push(s.span, format!("`{key}` must not be empty"), None);
            None
        }
        s => s,
    }
}

fn boolean(v: Value, errors: &mut Errors) -> Option<Spanned<bool>> {
    match v {
        Value::Bool(b, span) => Some(Spanned { value: b, span }),
        other => {
            mismatch(&other, Ty::Bool, errors);
            None
        }
    }
}

fn list(v: Value, errors: &mut Errors) -> Vec<Spanned<String>> {
    match v {
        Value::List(items, _) => items
            .into_iter()
            .map(|(value, span)| Spanned { value, span })
            .collect(),
        other => {
            mismatch(&other, Ty::StrList, errors);
            Vec::new()
        }
    }
}

fn duration(v: Value, errors: &mut Errors) -> Option<Spanned<Duration>> {
    match v {
        Value::Str(s, span) => match crate::parse_duration(&s) {
            Ok(d) => Some(Spanned { value: d, span }),
            Err(e) => {
                errors.push(span, e, None);
                None
            }
        },
        other => {
            mismatch(&other, Ty::Duration, errors);
            None
        }
    }
}

fn operations(v: Value, errors: &mut Errors) -> Vec<Spanned<Operation>> {
    let Value::List(items, _) = v else {
        mismatch(&v, Ty::Operations, errors);
        return Vec::new();
    };
    let mut out = Vec::new();
    for (s, span) in items {
        match Operation::parse(&s) {
            Some(op) => out.push(Spanned { value: op, span }),
            None => {
                let names = Operation::ALL.map(Operation::as_str);
                let message = format!("unknown operation `{s}`");
                match crate::suggest(&s, names) {
                    Some(n) => errors.push_fix(
                        span,
                        message,
                        format!("did you mean `{n}`?"),
                        format!("{n:?}"),
                    ),
                    None => {
                        let help = format!(
                            "the DPA 2018 s62 operations are {}",
                            names.map(|n| format!("`{n}`")).join(", ")
                        );
                        errors.push(span, message, Some(help));
                    }
                }
            }
        }
    }
    out
}

/// Why a tag's `basis` id is no lawful basis of any regime, for the macros (the linter
/// reports the same as DPIA104, knowing the regime).
pub fn basis_error(b: &Spanned<String>) -> Option<TagError> {
    let mut errors = Errors(Vec::new());
    match basis::lookup(&b.value) {
        Some(l) if l.kind == basis::IdKind::Basis => {}
        Some(l) => errors.push(
            b.span,
            format!("`{}` is a condition ({}), not a lawful basis", l.id, l.legal_reference),
            Some("conditions belong in the manifest's `conditions`; `basis` takes an `art6.*` id (UK GDPR) or `part3.consent`/`part3.task` (DPA 2018 Part 3)".into()),
        ),
        None => {
            let help = crate::suggest(&b.value, basis::ALL.iter().filter(|l| l.kind == basis::IdKind::Basis).map(|l| l.id))
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| "`basis` takes an `art6.*` id (UK GDPR) or `part3.consent`/`part3.task` (DPA 2018 Part 3)".into());
            errors.push(b.span, format!("unknown lawful basis `{}`", b.value), Some(help));
        }
    }
    errors.0.pop()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn err(kind: TagKind, ts: TokenStream) -> Vec<String> {
        parse(kind, ts)
            .expect_err("should fail")
            .into_iter()
            .map(|e| match e.help {
                Some(h) => format!("{} (help: {h})", e.message),
                None => e.message,
            })
            .collect()
    }

    #[test]
    fn personal_data_full() {
        let Tag::PersonalData(p) = parse(
            TagKind::PersonalData,
            quote!(
                category = "anpr-read",
                retention = "1d",
                subjects = ["registered-keeper"]
            ),
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(p.category.unwrap().value, "anpr-read");
        assert_eq!(p.retention.unwrap().value.seconds, 86_400);
        assert_eq!(p.subjects[0].value, "registered-keeper");
    }

    #[test]
    fn processing_full() {
        let t = parse(
            TagKind::Processing,
            quote!(
                purpose = "county-lines-detection",
                basis = "part3.task",
                operations = ["consult", "combine"],
                automated_decision = false
            ),
        )
        .unwrap();
        let Tag::Processing(p) = t else { panic!() };
        assert_eq!(p.purpose.value, "county-lines-detection");
        assert_eq!(p.basis.unwrap().value, "part3.task");
        assert_eq!(
            p.operations.iter().map(|o| o.value).collect::<Vec<_>>(),
            vec![Operation::Consult, Operation::Combine]
        );
        assert!(!p.automated_decision.unwrap().value);
    }

    #[test]
    fn unknown_key_suggests() {
        assert_eq!(
            err(
                TagKind::PersonalData,
                quote!(category = "vrm", retension = "1d")
            ),
            vec!["unknown key `retension` in `personal_data` (help: did you mean `retention`?)"]
        );
    }

    #[test]
    fn errors_accumulate() {
        let e = err(
            TagKind::Processing,
            quote!(
                purpose = 3,
                basis = 4,
                operations = ["consul"],
                automated_decision = "yes"
            ),
        );
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(e[0].contains("expected a string literal, found an integer"));
        assert!(e[1].contains("expected a string literal, found an integer"));
        assert!(e
            .iter()
            .any(|m| m.contains("unknown operation `consul` (help: did you mean `consult`?)")));
        assert!(e
            .iter()
            .any(|m| m.contains("expected `true` or `false`, found a string literal")));
    }

    #[test]
    fn missing_required_and_conditions_as_basis() {
        assert!(err(TagKind::Processing, quote!(basis = "part3.task"))[0]
            .contains("`processing` needs `purpose`"));
        assert!(err(TagKind::Sink, quote!())[0].contains("`sink` needs `recipient`"));
        let basis = |s: &str| {
            basis_error(&Spanned {
                value: s.to_string(),
                span: Span::call_site(),
            })
            .map(|e| format!("{} ({:?})", e.message, e.help))
        };
        assert!(basis("sch8.statutory").unwrap().contains("is a condition"));
        assert!(basis("part3.tsk")
            .unwrap()
            .contains("did you mean `part3.task`?"));
        assert_eq!(basis("part3.task"), None);
        assert!(
            parse(
                TagKind::Processing,
                quote!(purpose = "p", basis = "part3.tsk")
            )
            .is_ok(),
            "DPIA104's job, not the grammar's"
        );
        assert!(err(TagKind::Erases, quote!(categories = []))[0].contains("at least one category"));
    }

    #[test]
    fn bad_duration() {
        assert!(
            err(TagKind::PersonalData, quote!(retention = "6m"))[0].contains("ambiguous unit `m`")
        );
    }

    #[test]
    fn allow_forms() {
        let Tag::Allow(a) = parse(
            TagKind::Allow,
            quote!(function_creep, reason = "DPO approved, ref DP-118"),
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(a.rule.value, "function_creep");
        assert!(a.reason.is_some());
        let Tag::Allow(a) = parse(TagKind::Allow, quote!("function-creep")).unwrap() else {
            panic!()
        };
        assert!(
            a.reason.is_none(),
            "a missing reason is the linter's DPIA901, not a grammar error"
        );
        let Tag::Allow(_) = parse(TagKind::Allow, quote!(DPIA102, reason = "x")).unwrap() else {
            panic!()
        };
        assert!(err(TagKind::Allow, quote!(function_crep, reason = "x"))[0]
            .contains("did you mean `function_creep`?"));
    }

    #[test]
    fn field_helper() {
        assert!(matches!(
            parse(TagKind::Field, quote!(not_personal)).unwrap(),
            Tag::Field(FieldTag::NotPersonal(_))
        ));
        assert!(matches!(
            parse(TagKind::Field, quote!(category = "vrm")).unwrap(),
            Tag::Field(FieldTag::Category(_))
        ));
        assert!(parse(TagKind::Field, quote!()).is_err());
        assert!(parse(TagKind::Field, quote!(not_persnal)).is_err());
    }

    #[test]
    fn audit_log_takes_nothing() {
        assert!(matches!(
            parse(TagKind::AuditLog, quote!()).unwrap(),
            Tag::AuditLog
        ));
        assert!(err(TagKind::AuditLog, quote!(level = "x"))[0].contains("takes no arguments"));
    }

    #[test]
    fn odd_tokens_never_panic() {
        for ts in [
            quote!(= = =),
            quote!(,,,),
            quote!(purpose),
            quote!(purpose =),
            quote!(purpose = [1, 2]),
            quote!(purpose = "a" "b"),
            quote!({ purpose = "a" }),
            quote!(categories = ["a", 1, b]),
            quote!(r#purpose = "x"),
        ] {
            for kind in TagKind::MACROS.into_iter().chain([TagKind::Field]) {
                let _ = parse(kind, ts.clone());
            }
        }
    }
}
