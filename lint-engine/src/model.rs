//! The crate model: every item that matters to the rules, with its module path, spans and
//! tags (converted to engine [`Span`]s). Built per file in parallel, then merged in a
//! deterministic order.

use dpia_annotations::{Tag, TagKind};

use crate::source::{FileId, Span};

/// Index into [`Model::items`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Struct,
    Enum,
    Union,
    Fn,
    /// A fn inside an `impl` or `trait` block.
    Method,
    Impl,
    Trait,
    Mod,
    Other,
}

/// A tag on an item, with engine spans.
#[derive(Clone, Debug)]
pub struct TagAt {
    pub tag: Tag<Span>,
    /// The whole attribute, `#[...]`.
    pub span: Span,
}

impl TagAt {
    pub fn kind(&self) -> TagKind {
        self.tag.kind()
    }
}

/// A field of a struct (or of an enum variant: `name` is then `Variant.field`).
#[derive(Clone, Debug)]
pub struct Field {
    /// The field's name; `0`, `1`… for tuple fields.
    pub name: String,
    /// The field's name, or its type for a tuple field.
    pub span: Span,
    /// The type as written, tokens joined by spaces (`Option < String >`).
    pub ty: String,
    /// `#[dpia(category = "...")]` / `#[dpia(not_personal)]`.
    pub tag: Option<TagAt>,
}

/// An item.
#[derive(Clone, Debug)]
pub struct Item {
    pub kind: ItemKind,
    /// The ident; for an impl, the self type as written.
    pub name: String,
    /// `crate::module::Name`, `crate::module::Type::method` for methods.
    pub path: String,
    pub file: FileId,
    /// The ident (or the impl's self type).
    pub name_span: Span,
    /// The whole item, attributes included.
    pub span: Span,
    /// Its own dpia tags, in source order.
    pub tags: Vec<TagAt>,
    /// The enclosing impl or trait, for methods.
    pub parent: Option<ItemId>,
    pub fields: Vec<Field>,
    /// Under `#[cfg(test)]` (or `#[test]`).
    pub in_test: bool,
    /// Other names of the item that say what it is about: a diesel/sqlx `table_name`.
    pub context: Vec<String>,
    /// A type an item-level macro call defines (`newtype!(Email)`): the macro's name. Its
    /// only field (`0`) has an unknown type.
    pub generated_by: Option<String>,
}

impl Item {
    /// Its own tag of this kind, if any.
    pub fn tag(&self, kind: TagKind) -> Option<&TagAt> {
        self.tags.iter().find(|t| t.kind() == kind)
    }
}

/// A tag that did not parse (DPIA002).
#[derive(Clone, Debug)]
pub struct TagProblem {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
    /// What to write in place of `span` to fix it, when that is certain.
    pub replacement: Option<String>,
    /// The item it is on.
    pub item_path: String,
}

/// A file that did not parse (DPIA001).
#[derive(Clone, Debug)]
pub struct ParseProblem {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

/// One linted crate (a cargo target's module tree, or a bare directory).
#[derive(Clone, Debug)]
pub struct CrateInfo {
    /// The package name, or the directory name for a bare directory.
    pub name: String,
    pub files: Vec<FileId>,
    /// Other names the workspace's code calls the crate by (`CrateRoot::aliases`).
    pub aliases: Vec<String>,
}

/// The crate model.
#[derive(Debug, Default)]
pub struct Model {
    pub crates: Vec<CrateInfo>,
    /// In a deterministic order: by file, then source position.
    pub items: Vec<Item>,
    pub tag_problems: Vec<TagProblem>,
    pub parse_problems: Vec<ParseProblem>,
}

impl Model {
    pub fn item(&self, id: ItemId) -> &Item {
        &self.items[id.0 as usize]
    }

    pub fn items(&self) -> impl Iterator<Item = (ItemId, &Item)> {
        self.items
            .iter()
            .enumerate()
            .map(|(i, it)| (ItemId(i as u32), it))
    }

    /// Every tag in the crate, with the item it is on: the item's own tags and its fields'.
    pub fn tags(&self) -> impl Iterator<Item = (&Item, &TagAt)> {
        self.items.iter().flat_map(|it| {
            it.tags
                .iter()
                .chain(it.fields.iter().filter_map(|f| f.tag.as_ref()))
                .map(move |t| (it, t))
        })
    }

    /// The `processing` tag in effect on an item: its own, else its enclosing impl's.
    pub fn processing_tag(&self, id: ItemId) -> Option<&TagAt> {
        let item = self.item(id);
        item.tag(TagKind::Processing).or_else(|| {
            item.parent
                .and_then(|p| self.item(p).tag(TagKind::Processing))
        })
    }
}
