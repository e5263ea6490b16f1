//! Every text the run reads (Rust sources and the manifest), addressed by [`FileId`], with
//! paths relative to the lint root and line/column lookup.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Index of a file in the [`SourceDb`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        Span {
            file,
            start: range.start as u32,
            end: range.end.max(range.start) as u32,
        }
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Does `self` contain `other` (same file, range inside)?
    pub fn contains(self, other: Span) -> bool {
        self.file == other.file && self.start <= other.start && other.end <= self.end
    }
}

/// One text.
#[derive(Debug)]
pub struct SourceFile {
    /// Relative to the lint root, with `/` separators: what users and SARIF see.
    pub rel_path: String,
    /// Where it was read from.
    pub abs_path: PathBuf,
    pub text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// A file read from `abs_path`, named relative to `root` (see [`rel_path`]). Built
    /// on the worker that read it; [`SourceDb::push`] adds it.
    pub fn at(root: &Path, abs_path: PathBuf, text: Arc<str>) -> SourceFile {
        SourceFile::new(rel_path(root, &abs_path), abs_path, text)
    }

    fn new(rel_path: String, abs_path: PathBuf, text: Arc<str>) -> SourceFile {
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        SourceFile {
            rel_path,
            abs_path,
            text,
            line_starts,
        }
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, byte: usize) -> usize {
        match self.line_starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte offset where 0-based line `line` starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    /// 1-based line and 1-based column (in Unicode scalar values) of a byte offset.
    pub fn line_col(&self, byte: usize) -> (usize, usize) {
        let byte = byte.min(self.text.len());
        let line = self.line_index(byte);
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..byte)
            .map(|s| s.chars().count())
            .unwrap_or(byte - start);
        (line + 1, col + 1)
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// Every file the run read.
#[derive(Debug, Default)]
pub struct SourceDb {
    /// The lint root: relative paths are relative to it.
    pub root: PathBuf,
    files: Vec<SourceFile>,
}

impl SourceDb {
    pub fn new(root: PathBuf) -> SourceDb {
        SourceDb {
            root,
            files: Vec::new(),
        }
    }

    /// Adds a file; its relative path is computed against the root.
    pub fn add(&mut self, abs_path: PathBuf, text: Arc<str>) -> FileId {
        let rel = rel_path(&self.root, &abs_path);
        self.add_with_rel(rel, abs_path, text)
    }

    pub fn add_with_rel(&mut self, rel_path: String, abs_path: PathBuf, text: Arc<str>) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(rel_path, abs_path, text));
        id
    }

    /// Adds a file built with [`SourceFile::at`].
    pub fn push(&mut self, file: SourceFile) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(file);
        id
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// `path` relative to `root` with `/` separators; the path itself (lossy, `/` separators)
/// if it is outside: `/srv/x/dpia.toml`, never `//srv/x/dpia.toml`.
pub fn rel_path(root: &Path, path: &Path) -> String {
    use std::path::Component;
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::new();
    for c in rel.components() {
        match c {
            Component::CurDir => {}
            Component::Prefix(p) => out.push_str(&p.as_os_str().to_string_lossy()),
            Component::RootDir => out.push('/'),
            c => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(&c.as_os_str().to_string_lossy());
            }
        }
    }
    if out.is_empty() {
        ".".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rel_paths() {
        let root = Path::new("/r");
        assert_eq!(rel_path(root, Path::new("/r/src/lib.rs")), "src/lib.rs");
        assert_eq!(rel_path(root, Path::new("/r")), ".");
        assert_eq!(
            rel_path(root, Path::new("/srv/x/dpia.toml")),
            "/srv/x/dpia.toml"
        );
        assert_eq!(rel_path(Path::new("."), Path::new("./a/b.rs")), "a/b.rs");
        assert_eq!(
            rel_path(Path::new("r"), Path::new("../x.toml")),
            "../x.toml"
        );
    }

    #[test]
    fn line_col_counts_chars() {
        let f = SourceFile::new("a.rs".into(), "a.rs".into(), "ab\ncé d\n".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // `d` is after `c`, `é` (2 bytes), ` `
        assert_eq!(f.line_col(7), (2, 4));
        assert_eq!(f.line_col(1000), (3, 1));
    }
}
