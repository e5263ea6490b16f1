//! Where output goes, and the two promises about it:
//!
//! - **stdout**: a reader that goes away (`cargo dpia-lint rules | head -1`) ends the output
//!   quietly: the command keeps the exit code it would have had (what was written was what
//!   the reader wanted, as ripgrep does). Any other write error (a full disk, `>/dev/full`)
//!   is a message on stderr and exit 2. Never a panic: the CLI writes through [`to_stdout`],
//!   never `println!` (the crate denies `clippy::print_stdout`).
//! - **`--output FILE`** ([`write_output`]): when nothing is at FILE or it is a regular file,
//!   the report goes to a temp file created exclusively (`O_EXCL`, a random name: a symlink
//!   planted beside it is never followed) in the same directory, gets the destination's
//!   mode (a 0600 report stays 0600; a new one gets the umask's mode, as `File::create`),
//!   and is renamed over FILE: an interrupted run (a signal, `kill`) never leaves a truncated
//!   report (there is no `fsync`: surviving a power cut is not what a report needs). Anything
//!   else (a symlink, a FIFO, a character device) is opened and written through, so the node
//!   itself is never replaced: a symlink stays a symlink (its target gets the report), a
//!   device stays a device.

use std::fs::{self, Metadata, OpenOptions, Permissions};
use std::io::{self, ErrorKind, Write};
use std::path::{Path, PathBuf};

/// How [`write_output`] writes to its destination.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// Nothing there yet: a new regular file.
    New,
    /// A regular file: replaced atomically, its permissions kept.
    Replace(Permissions),
    /// A symlink, FIFO, device, directory…: opened for writing in place, never replaced.
    WriteThrough,
}

/// The way to write to a path, from its `symlink_metadata` (the node itself, not what a
/// symlink points to).
pub fn destination(node: io::Result<Metadata>) -> io::Result<Destination> {
    match node {
        Ok(m) if m.file_type().is_file() => Ok(Destination::Replace(m.permissions())),
        Ok(_) => Ok(Destination::WriteThrough),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(Destination::New),
        Err(e) => Err(e),
    }
}

/// Writes `bytes` to `path` as the module docs say.
pub fn write_output(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_output_with(path, |w| w.write_all(bytes))
}

/// What `write` writes, to `path` as the module docs say (a report written as it is
/// rendered: it is never whole in memory).
pub fn write_output_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    match destination(fs::symlink_metadata(path))? {
        Destination::WriteThrough => {
            // no `create`: a dangling symlink is an error, not a file made at its target
            let mut f = OpenOptions::new().write(true).truncate(true).open(path)?;
            write(&mut f)?;
            f.flush()
        }
        d => replace(path, write, d),
    }
}

fn replace(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    d: Destination,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let prefix = match path.file_name() {
        Some(n) => format!(".{}.", n.to_string_lossy()),
        None => ".report.".to_string(),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // a new file: 0666 less the umask, as `File::create`; a replacement: private until
        // the destination's own mode is set below
        let mode = if d == Destination::New { 0o666 } else { 0o600 };
        builder.permissions(Permissions::from_mode(mode));
    }
    let mut tmp = builder.tempfile_in(&dir)?;
    write(tmp.as_file_mut())?;
    if let Destination::Replace(permissions) = d {
        tmp.as_file().set_permissions(permissions)?;
    }
    // no `fsync`: the rename is what keeps an interrupted run (a signal, `kill`) from
    // leaving a truncated report; surviving a power cut is not worth a disk flush per run
    // (a 12 MB SARIF log took 100–200 ms to flush, more than rendering it)
    // on error the temp file is removed when `tmp` drops
    tmp.persist(path).map(drop).map_err(|e| e.error)
}

/// Writes all of `bytes` to stdout and flushes. A closed pipe is not an error: the reader
/// took what it wanted. Other errors are returned.
pub fn to_stdout(bytes: &[u8]) -> io::Result<()> {
    to_stdout_with(|w| w.write_all(bytes))
}

/// What `write` writes, to stdout, flushed; a closed pipe is not an error ([`to_stdout`]).
pub fn to_stdout_with(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        r => r,
    }
}

/// Writes `text` and a newline to stderr; a failure to write there is ignored (there is
/// nowhere left to say it), never a panic as with `eprintln!`.
pub fn to_stderr(text: &str) {
    let mut err = io::stderr().lock();
    let _ = err
        .write_all(text.as_bytes())
        .and_then(|()| err.write_all(b"\n"))
        .and_then(|()| err.flush());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decision_follows_the_node_type() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a");
        fs::write(&file, "x").unwrap();
        assert!(matches!(
            destination(fs::symlink_metadata(&file)),
            Ok(Destination::Replace(_))
        ));
        assert_eq!(
            destination(fs::symlink_metadata(dir.path().join("none"))).unwrap(),
            Destination::New
        );
        assert_eq!(
            destination(fs::symlink_metadata(dir.path())).unwrap(),
            Destination::WriteThrough
        );
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert_eq!(
                destination(fs::symlink_metadata(&link)).unwrap(),
                Destination::WriteThrough
            );
        }
    }

    /// Only the metadata of /dev/null is read: the decision for a character device.
    #[cfg(unix)]
    #[test]
    fn a_character_device_is_written_through() {
        use std::os::unix::fs::FileTypeExt;
        let Ok(m) = fs::symlink_metadata("/dev/null") else {
            return;
        };
        assert!(m.file_type().is_char_device());
        assert_eq!(destination(Ok(m)).unwrap(), Destination::WriteThrough);
    }

    #[test]
    fn other_errors_are_errors() {
        let e = io::Error::from(ErrorKind::PermissionDenied);
        assert!(destination(Err(e)).is_err());
    }

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[cfg(unix)]
    #[test]
    fn a_regular_file_is_replaced_and_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.sarif");
        fs::write(&p, "old").unwrap();
        fs::set_permissions(&p, Permissions::from_mode(0o600)).unwrap();
        write_output(&p, b"new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(mode(&p), 0o600);
        // and a mode the umask would narrow is kept exactly
        fs::set_permissions(&p, Permissions::from_mode(0o664)).unwrap();
        write_output(&p, b"newer").unwrap();
        assert_eq!(mode(&p), 0o664);
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_the_mode_file_create_gives() {
        let dir = tempfile::tempdir().unwrap();
        let reference = dir.path().join("reference");
        fs::File::create(&reference).unwrap();
        let p = dir.path().join("new.sarif");
        write_output(&p, b"x").unwrap();
        assert_eq!(mode(&p), mode(&reference));
    }

    #[test]
    fn a_missing_directory_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_output(&dir.path().join("no/such/out.sarif"), b"x").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_stays_a_symlink_and_its_target_gets_the_report() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.sarif");
        fs::write(&target, "old").unwrap();
        let link = dir.path().join("out.sarif");
        std::os::unix::fs::symlink("real.sarif", &link).unwrap();
        write_output(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        // a dangling symlink is refused, not followed to create its target
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink("nowhere", &dangling).unwrap();
        assert!(write_output(&dangling, b"x").is_err());
        assert!(!dir.path().join("nowhere").exists());
    }

    /// The temp file used to be `.NAME.PID.tmp`, opened with `File::create`: a symlink
    /// planted at that name sent the report into its target.
    #[cfg(unix)]
    #[test]
    fn a_symlink_planted_at_a_predictable_temp_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let p = dir.path().join("out.sarif");
        for name in [
            format!(".out.sarif.{}.tmp", std::process::id()),
            ".out.sarif.tmp".to_string(),
            "out.sarif.tmp".to_string(),
        ] {
            std::os::unix::fs::symlink(&victim, dir.path().join(name)).unwrap();
        }
        write_output(&p, b"report").unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert!(fs::symlink_metadata(&p).unwrap().file_type().is_file());
        assert_eq!(fs::read_to_string(&p).unwrap(), "report");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_through_and_stays_a_fifo() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("out.fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this machine
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = fifo.clone();
        std::thread::spawn(move || {
            let _ = tx.send(fs::read_to_string(&reader));
        });
        write_output(&fifo, b"through the pipe").unwrap();
        let got = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("the reader got the report (the FIFO was not replaced)")
            .unwrap();
        assert_eq!(got, "through the pipe");
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    }
}
