//! The pre-check that keeps syn (which recurses) and the engine's own walkers off input
//! that would overflow the stack. It works on tokens, as lexed by proc-macro2 (whose lexer
//! and token drop do not recurse), so comments, doc comments and string, char, byte and
//! raw-string literals never count: only code does.
//!
//! Two measures, each with a fixed bound:
//! - delimiter nesting (`(`, `[`, `{`), at most [`MAX_NESTING`] levels;
//! - recursion "pressure": syn also recurses without delimiters, on prefix operators
//!   (`!!!x`, `&mut &mut x`), closures (`|x| |y| …`), `fn() -> fn() -> …` and
//!   `impl`/`dyn` types, generic arguments (`A<A<…>>`), `if if …`/`match match …`,
//!   right-associative operators (`a = b = …`), `@` patterns, `return return …`, and
//!   builds deep left-nested trees for chains (`a.b().c()…`, `a + b + …`, `f()()…`).
//!   Every operator, keyword of that kind and delimited group adds one to a counter that
//!   only a point where syn loops instead of recursing resets: `;`, `=>`, a `,` outside
//!   generic arguments and closure parameters, and the start of a new item or statement
//!   after a `{ … }`. A group starts its counter at its parent's, so the bound holds along
//!   every path through the tree.
//!
//! Both bounds are far above anything written by hand (the registry smoke test lints every
//! dependency of the corpus apps without one refusal) and far below what the parse
//! workers' stacks hold (`lint-engine/tests/hostile_input.rs` builds each construct at
//! several times the bound).

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// Deeper delimiter nesting than this is reported instead of parsed.
pub(crate) const MAX_NESTING: usize = 256;

/// The most recursion pressure (see the module docs) admitted along any path.
pub(crate) const MAX_PRESSURE: u32 = 2048;

/// Why a file is refused: where, and the message of its DPIA001 finding.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub span: proc_macro2::Span,
    pub message: String,
}

/// Keywords after which syn parses another expression, type or pattern by recursion.
const RECURSIVE_KEYWORDS: &[&str] = &[
    "fn", "impl", "dyn", "mut", "const", "return", "break", "yield", "box", "move", "async", "if",
    "match", "while", "let", "else", "ref", "raw", "unsafe", "extern", "static", "become",
];

struct Level {
    /// The pressure this level started with (its parent's when it was entered).
    base: u32,
    pressure: u32,
    /// Unclosed `<` at this level (generic arguments, or comparisons).
    angle: u32,
    /// Inside closure parameters (`|a, b|`).
    in_params: bool,
    /// The previous token ends an operand (a name, a literal, a group, `?`): an operator
    /// now is binary or postfix, which syn parses in a loop.
    operand: bool,
    /// The previous token was a brace group.
    after_brace: bool,
    /// The previous token began a binary operator of several characters.
    cont: bool,
    /// The previous token was a joint punctuation (`-` of `->`, `=` of `=>`, `<` of `<=`).
    joint: Option<char>,
    /// The previous tokens began an attribute (`#`, `#!`): its `[…]` is no operand, and
    /// syn parses a run of attributes (a long doc comment) in a loop.
    attr: bool,
}

impl Level {
    fn new(base: u32) -> Level {
        Level {
            base,
            pressure: base,
            angle: 0,
            in_params: false,
            operand: false,
            after_brace: false,
            cont: false,
            joint: None,
            attr: false,
        }
    }

    fn reset(&mut self) {
        self.pressure = self.base;
        self.angle = 0;
        self.in_params = false;
    }
}

/// Why a file was not parsed.
pub(crate) enum Failure {
    /// Refused by [`check`]: the message is the whole finding.
    Refused(Refusal),
    /// A lexer or syn error.
    Syntax(syn::Error),
}

/// Lexes `text` once, checks the tokens, then parses them with syn (which is what
/// `syn::parse_file` does, after the byte-order mark and shebang that the caller blanked).
pub(crate) fn parse_file(text: &str) -> Result<syn::File, Failure> {
    let tokens: TokenStream = text.parse().map_err(|e: proc_macro2::LexError| {
        Failure::Syntax(syn::Error::new(
            e.span(),
            "unbalanced delimiters or an invalid token",
        ))
    })?;
    check(&tokens).map_err(Failure::Refused)?;
    syn::parse2(tokens).map_err(Failure::Syntax)
}

/// Checks a lexed file against both bounds.
pub(crate) fn check(tokens: &TokenStream) -> Result<(), Refusal> {
    let mut stack: Vec<(proc_macro2::token_stream::IntoIter, Level)> = Vec::new();
    let mut iter = tokens.clone().into_iter();
    let mut level = Level::new(0);
    loop {
        let Some(tt) = iter.next() else {
            match stack.pop() {
                Some((it, lv)) => {
                    iter = it;
                    level = lv;
                    continue;
                }
                None => return Ok(()),
            }
        };
        let after_brace = std::mem::take(&mut level.after_brace);
        let joint = level.joint.take();
        let operand = std::mem::replace(&mut level.operand, false);
        let cont = std::mem::take(&mut level.cont);
        let attr = std::mem::take(&mut level.attr);
        let mut add = 0;
        let at;
        match &tt {
            TokenTree::Group(g) => {
                at = g.span_open();
                let is_attr = attr && g.delimiter() == Delimiter::Bracket;
                // a call, an index or a literal's body after an operand is a chain (a loop)
                if !operand && !is_attr {
                    add = 1;
                }
                if level.pressure + add > MAX_PRESSURE {
                    return Err(pressure(at));
                }
                if stack.len() + 1 > MAX_NESTING {
                    return Err(Refusal {
                        span: at,
                        message: format!(
                            "delimiters nest deeper than {MAX_NESTING} levels here; this file was not analysed"
                        ),
                    });
                }
                level.pressure += add;
                // after an attribute, what it is on begins: no operand yet
                level.operand = !is_attr;
                let child = Level::new(level.pressure);
                let brace = g.delimiter() == Delimiter::Brace;
                let mut parent = std::mem::replace(&mut level, child);
                parent.after_brace = brace;
                let inner = g.stream().into_iter();
                stack.push((std::mem::replace(&mut iter, inner), parent));
                continue;
            }
            TokenTree::Punct(p) => {
                at = p.span();
                let c = p.as_char();
                if p.spacing() == Spacing::Joint {
                    level.joint = Some(c);
                }
                match c {
                    ';' => level.reset(),
                    ',' if level.angle == 0 && !level.in_params => level.pressure = level.base,
                    ',' | ':' | '#' | '\'' => {
                        if c == '#' && after_brace {
                            level.reset();
                        }
                        level.attr = c == '#';
                    }
                    // `#!` of an inner attribute (`//!` docs lex as `#![doc = "…"]`)
                    '!' if attr => level.attr = true,
                    '>' if joint == Some('=') => level.reset(),
                    // a return type: `fn() -> fn() -> …` recurses
                    '>' if joint == Some('-') => add = 1,
                    '>' => level.angle = level.angle.saturating_sub(1),
                    '=' if joint == Some('<') => level.angle = level.angle.saturating_sub(1),
                    '?' => level.operand = true,
                    '<' => {
                        level.angle += 1;
                        add = 1;
                    }
                    '|' if level.in_params => {
                        level.in_params = false;
                        add = 1;
                    }
                    '|' if !operand && joint != Some('|') => {
                        level.in_params = true;
                        add = 1;
                    }
                    // right-associative (assignments) or prefix (`!x`, `&x`, `-x`, `*x`,
                    // `..x`, `a @ b`): syn recurses
                    '=' | '@' => add = 1,
                    // the rest of a binary operator (`&&`, `..`, `<<`) stays binary
                    _ if operand || cont => level.cont = p.spacing() == Spacing::Joint,
                    _ => add = 1,
                }
            }
            TokenTree::Ident(id) => {
                at = id.span();
                let s = id.to_string();
                if after_brace && s != "else" && s != "as" {
                    // a new statement or item begins: syn loops over those
                    level.reset();
                }
                if RECURSIVE_KEYWORDS.contains(&s.as_str()) {
                    add = 1;
                } else {
                    level.operand = s != "as" && s != "in";
                }
            }
            TokenTree::Literal(l) => {
                at = l.span();
                level.operand = true;
            }
        }
        level.pressure += add;
        if level.pressure > MAX_PRESSURE {
            return Err(pressure(at));
        }
    }
}

fn pressure(span: proc_macro2::Span) -> Refusal {
    Refusal {
        span,
        message: format!(
            "expression, type or pattern nested more than {MAX_PRESSURE} levels deep here (operators, closures, generic arguments or chains without a `;` or `,` between them); this file was not analysed"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(src: &str) -> bool {
        let ts: TokenStream = src.parse().expect("lexes");
        check(&ts).is_err()
    }

    #[test]
    fn comments_and_literals_do_not_count() {
        let dashes = format!("/*{}*/ fn f() {{}}", "-".repeat(100_000));
        assert!(!refused(&dashes));
        let parens = format!("// {}\nfn f() {{}}", "(".repeat(100_000));
        assert!(!refused(&parens));
        let brackets = format!("const S: &str = \"{}\";", "[".repeat(100_000));
        assert!(!refused(&brackets));
        let raw = format!("const S: &str = r##\"{}\"##;", "{(".repeat(100_000));
        assert!(!refused(&raw));
        let doc = format!("/// {}\nfn f() {{}}", "&mut ".repeat(100_000));
        assert!(!refused(&doc));
        let chars = "fn f() { let _ = ['(', '[', '{', b'(']; }".repeat(10_000);
        assert!(!refused(&chars));
    }

    /// Found by the registry smoke test: mockall 0.14's and quick-xml 0.38's module docs
    /// (over a thousand `//!` lines, each lexed as `#![doc = "…"]`) were refused as deep.
    #[test]
    fn long_doc_comments_and_attribute_runs_are_admitted() {
        let inner = format!(
            "{}\npub fn f() {{}}",
            "//! docs `a -> b`, &mut x\n".repeat(10_000)
        );
        assert!(!refused(&inner));
        let outer = format!("{}pub struct S;", "/// docs\n".repeat(10_000));
        assert!(!refused(&outer));
        let attrs = format!("{}fn f() {{}}", "#[cfg_attr(a, b)] ".repeat(10_000));
        assert!(!refused(&attrs));
        let on_expr = format!("fn f() {{ {}x }}", "#[allow(x)] ".repeat(10_000));
        assert!(!refused(&on_expr));
        // an attribute admits no deep code: `!` after `#` begins it, other `!` still count
        let n = MAX_PRESSURE as usize + 1;
        assert!(refused(&format!(
            "fn f() {{ #[a] let _ = {}x; }}",
            "!".repeat(n)
        )));
    }

    #[test]
    fn long_flat_code_is_admitted() {
        let fns = "#[inline] pub fn f(a: &mut Vec<u8>) -> Option<u8> { if a.len() < 3 { None } else { a.pop() } }\n".repeat(5_000);
        assert!(!refused(&fns));
        let stmts = format!(
            "fn f() {{ {} }}",
            "if a < b { x() } if let Some(y) = z { y.w() }\n".repeat(5_000)
        );
        assert!(!refused(&stmts));
        let arms = format!(
            "fn f() {{ match x {{ {} }} }}",
            "A | B if a < b => |x: &mut u8| *x + 1,\n".repeat(5_000)
        );
        assert!(!refused(&arms));
        let table = format!("const T: &[u8] = &[{}];", "1, ".repeat(100_000));
        assert!(!refused(&table));
        // chains are loops in syn: a long sum or builder is fine
        let sum = format!(
            "fn f() {{ let n = {}; }}",
            vec!["r.vrm.len()"; 20_000].join(" + ")
        );
        assert!(!refused(&sum));
        let calls = format!("fn f() {{ x{}; }}", ".a(1)?".repeat(20_000));
        assert!(!refused(&calls));
    }

    #[test]
    fn deep_code_is_refused() {
        let n = MAX_PRESSURE as usize + 1;
        for src in [
            format!("fn f() {{ {}1{} }}", "(".repeat(300), ")".repeat(300)),
            format!("fn f() {{ let _ = {}x; }}", "!".repeat(n)),
            format!("fn f() {{ let _ = {}1; }}", "|x| ".repeat(n)),
            format!("fn f() {{ let _ = {}1; }}", "|a, b| ".repeat(n)),
            format!("type T = {}u8{};", "A<".repeat(n), ">".repeat(n)),
            format!("type T = {}u8{};", "A<B, ".repeat(n), ">".repeat(n)),
            format!("type T = {}u8;", "fn() -> ".repeat(n)),
            format!("fn f() {{ let _ = {}x; }}", "&mut ".repeat(n)),
            format!("fn f() {{ {}x{} }}", "if ".repeat(n), "{}".repeat(n)),
            format!("fn f() {{ {}x; }}", "a = ".repeat(n)),
            // pressure adds up through groups
            format!(
                "fn f() {{ {}x{} }}",
                "!!!!!!!!!!(".repeat(250),
                ")".repeat(250)
            ),
        ] {
            assert!(refused(&src), "{}", &src[..60]);
        }
    }
}
