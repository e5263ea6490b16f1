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
///
/// Text is gathered until the colour changes or the writer is flushed (or dropped), then
/// sanitised in one pass: codespan writes a snippet one character at a time, and this makes
/// each of those writes a push onto a buffer. A UTF-8 sequence cut between two writes is
/// therefore whole when it is read; one still cut at a colour change or a flush is shown as
/// `�`.
pub struct Sanitised<W: Write> {
    inner: W,
    /// Written, not yet sanitised.
    pending: Vec<u8>,
    /// Only blanks so far on this line.
    line_start: bool,
    /// The last two characters written (for `##[`).
    last: [char; 2],
}

impl<W: Write> Sanitised<W> {
    pub fn new(inner: W) -> Sanitised<W> {
        Sanitised {
            inner,
            pending: Vec::new(),
            line_start: true,
            last: ['\0', '\0'],
        }
    }

    /// Sanitises what is pending and writes it to `inner`: runs of characters shown as they
    /// are go as one slice.
    fn write_pending(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let bytes = std::mem::take(&mut self.pending);
        let text = String::from_utf8_lossy(&bytes);
        let t = text.as_bytes();
        let (mut run, mut i) = (0, 0);
        // printable ASCII other than the two that can start a command: as it is
        let plain = |b: u8| (b' '..0x7f).contains(&b) && b != b':' && b != b'[';
        while i < t.len() {
            let start = i;
            while i < t.len() && plain(t[i]) {
                i += 1;
            }
            if i > start {
                // the line state after a run of plain characters, from the run as a whole
                let r = &t[start..i];
                self.line_start = self.line_start && r.iter().all(|&b| b == b' ');
                self.last = match r {
                    [.., a, b] => [*a as char, *b as char],
                    [.., b] => [self.last[1], *b as char],
                    [] => self.last,
                };
                continue;
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            let shown = self.shown(c);
            if shown != c {
                self.inner.write_all(&t[run..i])?;
                self.inner
                    .write_all(shown.encode_utf8(&mut [0; 4]).as_bytes())?;
                run = i + c.len_utf8();
            }
            i += c.len_utf8();
        }
        self.inner.write_all(&t[run..])?;
        // keep the buffer's allocation for the next text
        drop(text);
        self.pending = bytes;
        self.pending.clear();
        Ok(())
    }

    /// What `c` is shown as here, and the line state after it.
    fn shown(&mut self, c: char) -> char {
        let mut shown = replacement(c).unwrap_or(c);
        if self.line_start && c == ':' {
            shown = '\u{ff1a}';
        } else if c == '[' && self.last == ['#', '#'] {
            shown = '\u{ff3b}';
        }
        self.line_start = c == '\n' || (self.line_start && (c == ' ' || c == '\t'));
        self.last = [self.last[1], c];
        shown
    }
}

impl<W: Write> Write for Sanitised<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.write_pending()?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for Sanitised<W> {
    fn drop(&mut self) {
        // as `BufWriter` does: an error here has no one to go to
        let _ = self.write_pending();
    }
}

impl<W: WriteColor> WriteColor for Sanitised<W> {
    fn supports_color(&self) -> bool {
        self.inner.supports_color()
    }

    fn set_color(&mut self, spec: &ColorSpec) -> io::Result<()> {
        self.write_pending()?;
        self.inner.set_color(spec)
    }

    fn reset(&mut self) -> io::Result<()> {
        self.write_pending()?;
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
    fn the_line_state_carries_across_colour_changes() {
        // each colour change sanitises what is pending: `##` and `[`, the blanks and the
        // `:` after them, are in different passes
        let mut buf = Vec::new();
        {
            let mut w = ansi(&mut buf);
            let colour = ColorSpec::new();
            for part in ["a ##", "[x\n  ", ":: b", "x#", "#", "[ ok ab", "[\n:"] {
                w.write_all(part.as_bytes()).unwrap();
                w.set_color(&colour).unwrap();
            }
            w.flush().unwrap();
        }
        let out = String::from_utf8(buf).unwrap().replace("\x1b[0m", "");
        assert_eq!(
            out,
            "a ##\u{ff3b}x\n  \u{ff1a}: bx##\u{ff3b} ok ab[\n\u{ff1a}"
        );
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
    fn one_write_per_byte_is_one_write() {
        // codespan writes one character at a time: the result must not depend on the cuts
        let text = "::a\n  :b ##[c é\u{1b}[2J\t\u{202e}\r\n##[d\u{7f}:";
        let whole = through(&[text.as_bytes()]);
        let bytes: Vec<&[u8]> = text.as_bytes().chunks(1).collect();
        assert_eq!(through(&bytes), whole);
        assert_eq!(
            whole,
            "\u{ff1a}:a\n  \u{ff1a}b ##\u{ff3b}c é\u{241b}[2J\t\u{fffd}\u{240d}\n##\u{ff3b}d\u{2421}:"
        );
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
