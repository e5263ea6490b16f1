//! Text from the repository (source lines, file names, tag strings, messages that quote
//! them) made harmless for a terminal and a CI log. A pull request must not be able to
//! clear the screen (`ESC [2J`), plant a hyperlink (`ESC ]8;;…`), ring, overwrite a line with
//! `\r`, or reorder text with bidi overrides, nor make a log line that GitHub Actions reads
//! as a workflow command.
//!
//! What is replaced, as rustc does in its diagnostics ([`replacement`]): C0 controls but tab
//! and newline become Unicode Control Pictures (`ESC` → `␛`, `\r` → `␍`, BEL → `␇`), DEL
//! `␡`, C1 controls (U+0080–U+009F, 8-bit CSI and OSC included) and bidi overrides `�`.
//! For the CI log ([`Sanitised`]): a `:` that starts a line (after blanks: the runner trims
//! them) becomes `：`, so no line begins with `::`; the `[` of `##[` becomes `［` (the
//! runner's older command syntax, found anywhere in a line). Our own colour escapes are
//! written through [`termcolor::WriteColor`], not as text, so they are kept.

use std::borrow::Cow;
use std::io::{self, Write};

use codespan_reporting::term::termcolor::{self, ColorSpec, WriteColor};

/// The visible stand-in of a character a terminal would act on, if `c` is one.
pub fn replacement(c: char) -> Option<char> {
    match c {
        '\t' | '\n' => None,
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32),
        '\u{7f}' => Some('\u{2421}'),
        '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => Some('\u{fffd}'),
        _ => None,
    }
}

/// `s` with every character of [`replacement`] replaced; borrowed when there is none.
pub fn sanitise(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| replacement(c).is_some()) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| replacement(c).unwrap_or(c)).collect())
}

/// A writer that sanitises the text written to it (see the module docs) and passes colour
/// changes through to `inner`.
pub struct Sanitised<W> {
    inner: W,
    /// The start of a UTF-8 sequence cut at the end of the last write.
    partial: Vec<u8>,
    /// Only blanks so far on this line.
    line_start: bool,
    /// The last two characters written (for `##[`).
    last: [char; 2],
}

impl<W: Write> Sanitised<W> {
    pub fn new(inner: W) -> Sanitised<W> {
        Sanitised {
            inner,
            partial: Vec::new(),
            line_start: true,
            last: ['\0', '\0'],
        }
    }

    fn put(&mut self, text: &str) -> io::Result<()> {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            let mut shown = replacement(c).unwrap_or(c);
            if self.line_start && c == ':' {
                shown = '\u{ff1a}';
            } else if c == '[' && self.last == ['#', '#'] {
                shown = '\u{ff3b}';
            }
            self.line_start = c == '\n' || (self.line_start && (c == ' ' || c == '\t'));
            self.last = [self.last[1], c];
            out.push(shown);
        }
        self.inner.write_all(out.as_bytes())
    }

    /// Writes out a cut UTF-8 sequence that was never completed.
    fn flush_partial(&mut self) -> io::Result<()> {
        if self.partial.is_empty() {
            return Ok(());
        }
        let bytes = std::mem::take(&mut self.partial);
        self.put(&String::from_utf8_lossy(&bytes))
    }
}

impl<W: Write> Write for Sanitised<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut bytes = std::mem::take(&mut self.partial);
        bytes.extend_from_slice(buf);
        let (text, rest) = match std::str::from_utf8(&bytes) {
            Ok(s) => (Cow::Borrowed(s), &[][..]),
            Err(e) if e.error_len().is_none() => {
                // a sequence cut at the end: keep it for the next write
                let (ok, rest) = bytes.split_at(e.valid_up_to());
                (String::from_utf8_lossy(ok), rest)
            }
            Err(_) => (String::from_utf8_lossy(&bytes), &[][..]),
        };
        let rest = rest.to_vec();
        self.put(&text)?;
        self.partial = rest;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.flush_partial()?;
        self.inner.flush()
    }
}

impl<W: WriteColor> WriteColor for Sanitised<W> {
    fn supports_color(&self) -> bool {
        self.inner.supports_color()
    }

    fn set_color(&mut self, spec: &ColorSpec) -> io::Result<()> {
        self.flush_partial()?;
        self.inner.set_color(spec)
    }

    fn reset(&mut self) -> io::Result<()> {
        self.flush_partial()?;
        self.inner.reset()
    }
}

/// Sanitised ANSI colour into `buf`.
pub fn ansi(buf: &mut Vec<u8>) -> Sanitised<termcolor::Ansi<&mut Vec<u8>>> {
    Sanitised::new(termcolor::Ansi::new(buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(parts: &[&[u8]]) -> String {
        let mut buf = Vec::new();
        {
            let mut w = Sanitised::new(&mut buf);
            for p in parts {
                w.write_all(p).unwrap();
            }
            w.flush().unwrap();
        }
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn escapes_become_visible() {
        assert_eq!(
            sanitise("a\x1b[2Jb\x1b]8;;http://x\x07c\rd\u{9b}e\u{202e}f\tg\nh\u{7f}"),
            "a\u{241b}[2Jb\u{241b}]8;;http://x\u{2407}c\u{240d}d\u{fffd}e\u{fffd}f\tg\nh\u{2421}"
        );
        assert!(matches!(sanitise("plain é → ok"), Cow::Borrowed(_)));
    }

    #[test]
    fn no_line_starts_a_workflow_command() {
        let out = through(&[
            b"x\n  ::error::boom\n::",
            b"warning::y\na::b ##[add-mask]s\n",
        ]);
        assert_eq!(
            out,
            "x\n  \u{ff1a}:error::boom\n\u{ff1a}:warning::y\na::b ##\u{ff3b}add-mask]s\n"
        );
        for line in out.lines() {
            assert!(!line.trim().starts_with("::"), "{line}");
            assert!(!line.contains("##["), "{line}");
        }
    }

    #[test]
    fn utf8_cut_between_writes_is_kept_whole() {
        let s = "é\u{9b}".as_bytes();
        assert_eq!(through(&[&s[..1], &s[1..3], &s[3..]]), "é\u{fffd}");
        assert_eq!(through(&[b"a\xff"]), "a\u{fffd}");
    }

    #[test]
    fn colour_passes_through() {
        let mut buf = Vec::new();
        {
            let mut w = ansi(&mut buf);
            w.set_color(ColorSpec::new().set_fg(Some(termcolor::Color::Red)))
                .unwrap();
            w.write_all(b"\x1b[2J").unwrap();
            w.reset().unwrap();
        }
        let out = String::from_utf8(buf).unwrap();
        assert!(out.starts_with("\x1b["), "{out:?}");
        assert!(out.contains("\u{241b}[2J"), "{out:?}");
    }
}
