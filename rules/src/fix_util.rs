//! Suggestions that add to the source: an attribute above an item or a field,
//! and an argument in `#[instrument(skip(…))]`. Each edit is written the way a person would
//! write it (its own line, the line's indentation) so that the fixed code compiles and
//! reads like the rest of the file; a trybuild test compiles the results.

use std::str::FromStr;

use dpia_lint_engine::{Applicability, Edit, SourceDb, Span, Suggestion};
use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// The placeholder of a purpose the developer picks (a `HasPlaceholders` suggestion).
pub const PURPOSE_PLACEHOLDER: &str = "<purpose id from dpia.toml>";

/// An edit inserting `attr` before the code at `at`: on its own line above, with that
/// line's indentation, when only whitespace precedes `at` on its line; else inline
/// (`#[attr] ` before `at`), e.g. in a one-line struct.
pub fn insert_attr(db: &SourceDb, at: Span, attr: &str) -> Edit {
    let text = &db.get(at.file).text;
    let start = (at.start as usize).min(text.len());
    let line = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line..start];
    if prefix.chars().all(char::is_whitespace) {
        let eol = if text[start..]
            .split('\n')
            .next()
            .unwrap_or("")
            .ends_with('\r')
        {
            "\r\n"
        } else {
            "\n"
        };
        Edit {
            span: Span::new(at.file, line..line),
            replacement: format!("{prefix}{attr}{eol}"),
        }
    } else {
        Edit {
            span: Span::new(at.file, start..start),
            replacement: format!("{attr} "),
        }
    }
}

/// Where a field starts: its visibility (`pub`, `pub(crate)`) before `ident`, if any.
pub fn field_start(db: &SourceDb, ident: Span) -> Span {
    let text = &db.get(ident.file).text;
    let start = (ident.start as usize).min(text.len());
    let before = text[..start].trim_end();
    let is_pub = |s: &str| {
        s.ends_with("pub")
            && !s[..s.len() - 3]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
    };
    let mut vis = None;
    if is_pub(before) {
        vis = Some(before.len() - 3);
    } else if before.ends_with(')') {
        if let Some(open) = before.rfind('(') {
            let pre = before[..open].trim_end();
            if is_pub(pre) && !before[open..].contains(['\n', ';', '{', '}']) {
                vis = Some(pre.len() - 3);
            }
        }
    }
    match vis {
        Some(v) => Span::new(ident.file, v..ident.end as usize),
        None => ident,
    }
}

/// A suggestion that inserts attributes, each above its own span.
pub fn insert_attrs(
    db: &SourceDb,
    message: String,
    attrs: &[(Span, String)],
    applicability: Applicability,
) -> Suggestion {
    Suggestion {
        message,
        edits: attrs
            .iter()
            .map(|(at, attr)| insert_attr(db, *at, attr))
            .collect(),
        applicability,
    }
}

/// Adds `arg` to `skip(…)` of the `#[instrument]` attribute at `attr` (the whole
/// `#[…]`): appended to an existing `skip(…)`, else `skip(arg)` as the first argument
/// (`#[instrument]` becomes `#[instrument(skip(arg))]`). `None` when the attribute is not
/// one that can take it (not written as `#[…instrument…]`, `skip_all`, or `arg` is not a
/// plain identifier).
pub fn instrument_skip(db: &SourceDb, attr: Span, arg: &str) -> Option<Suggestion> {
    let ident_like = !arg.is_empty()
        && arg.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !arg.starts_with(|c: char| c.is_ascii_digit());
    if !ident_like {
        return None;
    }
    let text = db.get(attr.file).text.get(attr.range())?;
    let base = attr.start as usize;
    let toks = TokenStream::from_str(text).ok()?;
    let mut it = toks.into_iter();
    match it.next()? {
        TokenTree::Punct(p) if p.as_char() == '#' => {}
        _ => return None,
    }
    let TokenTree::Group(bracket) = it.next()? else {
        return None;
    };
    if bracket.delimiter() != Delimiter::Bracket {
        return None;
    }
    // the path, then its arguments
    let inner: Vec<TokenTree> = bracket.stream().into_iter().collect();
    let mut last_ident = None;
    let mut args = None;
    for t in &inner {
        match t {
            TokenTree::Ident(i) => last_ident = Some(i.clone()),
            TokenTree::Punct(p) if p.as_char() == ':' => {}
            TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis => {
                args = Some(g.clone());
                break;
            }
            _ => return None,
        }
    }
    let name = last_ident?;
    if name != "instrument" {
        return None;
    }
    let at = |byte: usize| Span::new(attr.file, base + byte..base + byte);
    let edit = match args {
        None => Edit {
            span: at(name.span().byte_range().end),
            replacement: format!("(skip({arg}))"),
        },
        Some(g) => {
            let toks: Vec<TokenTree> = g.stream().into_iter().collect();
            let skip = toks.windows(2).find_map(|w| match (&w[0], &w[1]) {
                (TokenTree::Ident(i), TokenTree::Group(s))
                    if i == "skip" && s.delimiter() == Delimiter::Parenthesis =>
                {
                    Some(s.clone())
                }
                _ => None,
            });
            if toks
                .iter()
                .any(|t| matches!(t, TokenTree::Ident(i) if i == "skip_all"))
            {
                return None;
            }
            match skip {
                Some(s) => {
                    let listed: Vec<TokenTree> = s.stream().into_iter().collect();
                    if listed
                        .iter()
                        .any(|t| matches!(t, TokenTree::Ident(i) if i == arg))
                    {
                        return None;
                    }
                    let trailing_comma =
                        matches!(listed.last(), Some(TokenTree::Punct(p)) if p.as_char() == ',');
                    let close = s.span_close().byte_range().start;
                    Edit {
                        span: at(close),
                        replacement: if listed.is_empty() || trailing_comma {
                            arg.to_string()
                        } else {
                            format!(", {arg}")
                        },
                    }
                }
                None => Edit {
                    span: at(g.span_open().byte_range().end),
                    replacement: if toks.is_empty() {
                        format!("skip({arg})")
                    } else {
                        format!("skip({arg}), ")
                    },
                },
            }
        }
    };
    Some(Suggestion {
        message: format!("skip `{arg}` in the `#[instrument]` span"),
        edits: vec![edit],
        applicability: Applicability::MaybeIncorrect,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies the suggestion to `attr`, the only text of a file.
    fn skip(attr: &str, arg: &str) -> Option<String> {
        let mut db = SourceDb::new("r".into());
        let id = db.add_with_rel("a.rs".into(), "r/a.rs".into(), attr.into());
        let s = instrument_skip(&db, Span::new(id, 0..attr.len()), arg)?;
        let mut out = attr.to_string();
        for e in s.edits.iter().rev() {
            out.replace_range(e.span.range(), &e.replacement);
        }
        Some(out)
    }

    #[test]
    fn skip_is_created_or_extended() {
        let some = |s: &str| Some(s.to_string());
        assert_eq!(skip("#[instrument]", "v"), some("#[instrument(skip(v))]"));
        assert_eq!(
            skip("#[tracing::instrument]", "v"),
            some("#[tracing::instrument(skip(v))]")
        );
        assert_eq!(skip("#[instrument()]", "v"), some("#[instrument(skip(v))]"));
        assert_eq!(
            skip("#[instrument(level = \"info\")]", "v"),
            some("#[instrument(skip(v), level = \"info\")]")
        );
        assert_eq!(
            skip("#[instrument(skip(a, b), ret)]", "v"),
            some("#[instrument(skip(a, b, v), ret)]")
        );
        assert_eq!(
            skip("#[instrument(skip(a,))]", "v"),
            some("#[instrument(skip(a,v))]")
        );
        assert_eq!(
            skip("#[instrument(skip())]", "v"),
            some("#[instrument(skip(v))]")
        );
        // a string that looks like `skip(` is no argument list
        assert_eq!(
            skip("#[instrument(fields(m = \"skip(\"))]", "v"),
            some("#[instrument(skip(v), fields(m = \"skip(\"))]")
        );
    }

    #[test]
    fn nothing_when_it_cannot_apply() {
        assert_eq!(skip("#[instrument(skip_all)]", "v"), None);
        assert_eq!(skip("#[instrument(skip(v))]", "v"), None);
        assert_eq!(skip("#[instrument]", "Path(u)"), None);
        assert_eq!(skip("#[other]", "v"), None);
        assert_eq!(skip("#[instrument = 1]", "v"), None);
    }

    #[test]
    fn attributes_go_on_their_own_line_or_inline() {
        let text = "mod m {\n    pub struct S { pub email: String }\n}\n";
        let mut db = SourceDb::new("r".into());
        let id = db.add_with_rel("a.rs".into(), "r/a.rs".into(), text.into());
        let item = text.find("pub struct").unwrap();
        let e = insert_attr(&db, Span::new(id, item..item + 3), "#[a]");
        assert_eq!(e.span.range(), 8..8);
        assert_eq!(e.replacement, "    #[a]\n");
        let field = text.find("email").unwrap();
        let start = field_start(&db, Span::new(id, field..field + 5));
        assert_eq!(&text[start.range()], "pub email");
        let e = insert_attr(&db, start, "#[b]");
        assert_eq!(e.replacement, "#[b] ");
        assert_eq!(e.span.start as usize, field - 4);
    }
}
