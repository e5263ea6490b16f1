//! Long source lines in human output: a finding on a line longer than [`MAX_LINE`] bytes
//! (minified or generated code, a 1 MB one-line file) shows a window of that line around
//! its labels, with `…` where text is left out, instead of reprinting the whole line for
//! every finding. Line and column numbers stay those of the file.
//!
//! The diagnostic is rendered against a small file holding only the lines it shows (each
//! windowed), whose line and column numbers map back to the original; findings on ordinary
//! lines are rendered against the real file, unchanged.

use std::ops::Range;

use codespan_reporting::diagnostic::Diagnostic;
use codespan_reporting::files::{Error as FilesError, Files};
use dpia_lint_engine::{FileId, SourceDb};

/// A line longer than this (in bytes) is shown as a window.
pub const MAX_LINE: usize = 400;
/// Bytes shown before the first and after the last label of a windowed line.
pub const CONTEXT: usize = 80;
/// The most of one label's own text shown on a windowed line.
pub const MAX_LABEL: usize = 240;
pub const ELLIPSIS: &str = "…";

/// One line of a [`Mini`] file.
struct Line {
    /// 0-based line in the original file, `None` for a filler between distant lines.
    orig: Option<usize>,
    /// Where the line starts in the original text, and where its window starts.
    orig_line_start: usize,
    orig_window: Range<usize>,
    /// Where the line starts in the mini text, and the length of its `…` prefix.
    start: usize,
    prefix: usize,
}

/// The lines of one file a diagnostic shows.
struct Mini<'a> {
    id: FileId,
    name: &'a str,
    orig: &'a str,
    text: String,
    lines: Vec<Line>,
}

impl Mini<'_> {
    /// The mini-text offset of an original byte (clamped into the window of its line).
    fn map(&self, byte: usize) -> usize {
        let i = self
            .lines
            .iter()
            .rposition(|l| l.orig.is_some() && l.orig_line_start <= byte)
            .unwrap_or(0);
        let l = &self.lines[i];
        let w = &l.orig_window;
        let b = byte.clamp(w.start, w.end);
        l.start + l.prefix + (b - w.start)
    }

    fn line_of(&self, mini_byte: usize) -> usize {
        self.lines
            .iter()
            .rposition(|l| l.start <= mini_byte)
            .unwrap_or(0)
    }
}

/// The file view of a windowed diagnostic.
pub struct Windowed<'a> {
    files: Vec<Mini<'a>>,
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The windowed form of `d`, or `None` when none of its labels is on a long line.
pub fn windowed<'a>(
    db: &'a SourceDb,
    d: &Diagnostic<FileId>,
) -> Option<(Windowed<'a>, Diagnostic<FileId>)> {
    let long = d.labels.iter().any(|l| {
        if l.file_id.0 as usize >= db.len() {
            return false;
        }
        let f = db.get(l.file_id);
        [l.range.start, l.range.end].iter().any(|&b| {
            let line = f.line_index(b.min(f.text.len()));
            line_range(f, line).len() > MAX_LINE
        })
    });
    if !long {
        return None;
    }
    let mut ids: Vec<FileId> = Vec::new();
    for l in &d.labels {
        if !ids.contains(&l.file_id) && (l.file_id.0 as usize) < db.len() {
            ids.push(l.file_id);
        }
    }
    let files: Vec<Mini<'a>> = ids.iter().map(|&id| mini(db, id, d)).collect();
    let mut out = d.clone();
    for l in &mut out.labels {
        if let Some(m) = files.iter().find(|m| m.id == l.file_id) {
            let start = m.map(l.range.start);
            let end = m.map(l.range.end).max(start);
            l.range = start..end;
        } else {
            l.range = 0..0;
        }
    }
    Some((Windowed { files }, out))
}

/// The original line's byte range, without its line break.
fn line_range(f: &dpia_lint_engine::SourceFile, line: usize) -> Range<usize> {
    let start = f.line_start(line).unwrap_or(f.text.len());
    let end = f.line_start(line + 1).unwrap_or(f.text.len());
    let text = &f.text[start..end];
    let trimmed = text.trim_end_matches(['\n', '\r']);
    start..start + trimmed.len()
}

fn mini<'a>(db: &'a SourceDb, id: FileId, d: &Diagnostic<FileId>) -> Mini<'a> {
    let f = db.get(id);
    let text: &str = &f.text;
    // the lines codespan shows: each label's first and last line and those between
    // (byte, on the primary label) of each label end, per line
    let mut lines: std::collections::BTreeMap<usize, Vec<(usize, bool)>> = Default::default();
    for l in d.labels.iter().filter(|l| l.file_id == id) {
        let primary = l.style == codespan_reporting::diagnostic::LabelStyle::Primary;
        let (s, e) = (l.range.start.min(text.len()), l.range.end.min(text.len()));
        let (ls, le) = (f.line_index(s), f.line_index(e));
        lines.entry(ls).or_default().push((s, primary));
        lines.entry(le).or_default().push((e, primary));
        for between in ls + 1..le {
            lines.entry(between).or_default();
        }
    }
    // a one-line gap is shown as the line itself; a longer one stays a gap
    let keys: Vec<usize> = lines.keys().copied().collect();
    for w in keys.windows(2) {
        if w[1] == w[0] + 2 {
            lines.entry(w[0] + 1).or_default();
        }
    }
    let mut m = Mini {
        id,
        name: &f.rel_path,
        orig: text,
        text: String::new(),
        lines: Vec::new(),
    };
    let mut prev: Option<usize> = None;
    for (line, points) in lines {
        if prev.is_some_and(|p| line > p + 1) {
            for _ in 0..2 {
                m.lines.push(Line {
                    orig: None,
                    orig_line_start: usize::MAX,
                    orig_window: 0..0,
                    start: m.text.len(),
                    prefix: 0,
                });
                m.text.push('\n');
            }
        }
        prev = Some(line);
        let r = line_range(f, line);
        let window = if r.len() <= MAX_LINE {
            r.clone()
        } else {
            // centred on the primary label when it is on this line
            let any_primary = points.iter().any(|p| p.1);
            let bytes = || {
                points
                    .iter()
                    .filter(move |p| p.1 || !any_primary)
                    .map(|p| p.0)
            };
            let lo = bytes().min().unwrap_or(r.start).max(r.start);
            let hi = bytes().max().unwrap_or(r.start).min(r.end);
            let hi = hi.min(lo + MAX_LABEL);
            floor(text, lo.saturating_sub(CONTEXT).max(r.start))
                ..ceil(text, (hi + CONTEXT).min(r.end))
        };
        let prefix = if window.start > r.start { ELLIPSIS } else { "" };
        let suffix = if window.end < r.end { ELLIPSIS } else { "" };
        m.lines.push(Line {
            orig: Some(line),
            orig_line_start: r.start,
            orig_window: window.clone(),
            start: m.text.len(),
            prefix: prefix.len(),
        });
        m.text.push_str(prefix);
        m.text.push_str(&text[window]);
        m.text.push_str(suffix);
        m.text.push('\n');
    }
    m
}

impl<'a> Windowed<'a> {
    fn file(&self, id: FileId) -> Result<&Mini<'a>, FilesError> {
        self.files
            .iter()
            .find(|m| m.id == id)
            .ok_or(FilesError::FileMissing)
    }
}

impl<'a> Files<'a> for Windowed<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(self.file(id)?.name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.file(id)?.text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.file(id)?.line_of(byte_index))
    }

    fn line_number(&'a self, id: FileId, line_index: usize) -> Result<usize, FilesError> {
        let m = self.file(id)?;
        // a filler between distant lines is never printed; number it after its predecessor
        let orig = m.lines[..=line_index.min(m.lines.len().saturating_sub(1))]
            .iter()
            .rev()
            .find_map(|l| l.orig)
            .unwrap_or(0);
        Ok(orig + 1)
    }

    fn column_number(
        &'a self,
        id: FileId,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let m = self.file(id)?;
        let Some(l) = m.lines.get(line_index).filter(|l| l.orig.is_some()) else {
            return Ok(1);
        };
        let into = byte_index.saturating_sub(l.start + l.prefix);
        let orig = floor(m.orig, (l.orig_window.start + into).min(l.orig_window.end));
        Ok(m.orig[l.orig_line_start..orig].chars().count() + 1)
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let m = self.file(id)?;
        let start = m.lines.get(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: m.lines.len().saturating_sub(1),
        })?;
        let end = m
            .lines
            .get(line_index + 1)
            .map_or(m.text.len(), |l| l.start);
        Ok(start.start..end)
    }
}
