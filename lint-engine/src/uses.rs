//! The `use` items (and `extern crate` renames) of one module, read once. `parse` resolves
//! tag attributes through them (which local names stand for a dpia tag), `flow::lower`
//! builds the module's flow scope from them (which path each local name stands for).

/// One name (or glob) a module's `use` or `extern crate` items bring into scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Import {
    /// `use a::b::name;`, `use a::b::name as rename;`; `name` may be `self`
    /// (`use a::b::{self};`). `prefix` is the path before `name`, as written.
    Name {
        prefix: Vec<String>,
        name: String,
        rename: Option<String>,
    },
    /// `use a::b::*;`
    Glob { prefix: Vec<String> },
    /// `extern crate name;`, `extern crate name as rename;`
    ExternCrate {
        name: String,
        rename: Option<String>,
    },
}

impl Import {
    /// The name a `Name` import binds as written: the rename, else the name (`self` for
    /// `use a::{self}`).
    pub(crate) fn local(name: &str, rename: &Option<String>) -> String {
        rename.clone().unwrap_or_else(|| name.to_string())
    }
}

/// Every import of a list of items, in source order (nested groups in order too).
pub(crate) fn read(items: &[syn::Item]) -> Vec<Import> {
    let mut out = Vec::new();
    for item in items {
        match item {
            syn::Item::Use(u) => tree(&u.tree, &mut Vec::new(), &mut out),
            syn::Item::ExternCrate(e) => out.push(Import::ExternCrate {
                name: e.ident.to_string(),
                rename: e.rename.as_ref().map(|(_, r)| r.to_string()),
            }),
            _ => {}
        }
    }
    out
}

fn tree(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Import>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            self::tree(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => out.push(Import::Name {
            prefix: prefix.clone(),
            name: n.ident.to_string(),
            rename: None,
        }),
        syn::UseTree::Rename(r) => out.push(Import::Name {
            prefix: prefix.clone(),
            name: r.ident.to_string(),
            rename: Some(r.rename.to_string()),
        }),
        syn::UseTree::Glob(_) => out.push(Import::Glob {
            prefix: prefix.clone(),
        }),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                self::tree(t, prefix, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(src: &str) -> Vec<Import> {
        let file: syn::File = syn::parse_str(src).unwrap();
        read(&file.items)
    }

    #[test]
    fn groups_renames_globs_and_extern_crates_in_order() {
        let v = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            names("extern crate dpia as d; use a::{b::{self, c as e}, *}; use f;"),
            vec![
                Import::ExternCrate {
                    name: "dpia".into(),
                    rename: Some("d".into())
                },
                Import::Name {
                    prefix: v(&["a", "b"]),
                    name: "self".into(),
                    rename: None
                },
                Import::Name {
                    prefix: v(&["a", "b"]),
                    name: "c".into(),
                    rename: Some("e".into())
                },
                Import::Glob { prefix: v(&["a"]) },
                Import::Name {
                    prefix: vec![],
                    name: "f".into(),
                    rename: None
                },
            ]
        );
    }
}
