//! The one fence for every read. Whatever is reached from the repository
//! (crate roots, `[lib]`/`[[bin]]` paths, child modules and `#[path]` files, `Cargo.toml`
//! files, the `dpia.toml` found next to the crate) is read through [`read`]: it must
//! resolve, symlinks and `..` followed, inside the fence directory, be a regular file (not a
//! FIFO, device, socket or directory) and be no larger than a cap. A path the user gives on
//! the command line (`--dpia`, `--manifest-path`) may be anywhere, but is still read only if
//! it is a regular file ([`read_given`]).
//!
//! What is refused is described by a [`Refusal`]: callers report it with the path, never
//! with the content.
//!
//! How a read is done, so that nothing blocks and a swapped file is noticed:
//! 1. the path is canonicalised and checked against the fence;
//! 2. its metadata must say regular file and not larger than the cap;
//! 3. it is opened with `O_NONBLOCK | O_NOFOLLOW` (unix): a FIFO swapped in after step 2
//!    does not block the open, and a symlink swapped in for the last component fails;
//! 4. the opened handle's own metadata is checked again (regular, size), and on Linux the
//!    handle's real path (`/proc/self/fd/N`) is checked against the fence again;
//! 5. at most cap + 1 bytes are read through the handle: a file that grows, or a `/proc`
//!    file that reports size 0, cannot make the read unbounded.

use std::fmt;
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Largest Rust source file read (16 MiB). Real generated files (bindgen output, unicode
/// tables) stay well below; anything larger is refused, not read.
pub const MAX_SOURCE_BYTES: u64 = 16 << 20;

/// Largest `dpia.toml` or `Cargo.toml` read (1 MiB); real ones are a few KiB.
pub const MAX_MANIFEST_BYTES: u64 = 1 << 20;

/// Why a file was not read. Its `Display` completes "`path` …" and never holds content.
#[derive(Debug)]
pub enum Refusal {
    /// Nothing there (or a dangling symlink).
    Missing,
    /// Resolves (through a symlink or `..`) outside the fence; the resolved path.
    Outside(PathBuf),
    /// Exists but is not a regular file: "a FIFO", "a directory", …
    NotRegular(&'static str),
    /// Larger than the cap (size, cap).
    TooLarge(u64, u64),
    /// Any other error of the operating system.
    Io(io::Error),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Missing => f.write_str("does not exist"),
            Refusal::Outside(p) => write!(
                f,
                "resolves to `{}`, outside the linted directory",
                p.display()
            ),
            Refusal::NotRegular(kind) => write!(f, "is {kind}, not a regular file"),
            Refusal::TooLarge(size, cap) => write!(
                f,
                "is larger than the {} MiB dpia-lint reads ({size} bytes)",
                cap >> 20
            ),
            Refusal::Io(e) => write!(f, "cannot be read: {e}"),
        }
    }
}

impl Refusal {
    fn from_io(e: io::Error) -> Refusal {
        if e.kind() == io::ErrorKind::NotFound {
            Refusal::Missing
        } else {
            Refusal::Io(e)
        }
    }
}

/// The canonical form of a fence directory (the directory itself if it cannot be resolved).
pub fn canonical_dir(dir: &Path) -> PathBuf {
    std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// Checks `path` without reading it: it resolves inside `fence` (a canonical directory),
/// is a regular file and is at most `cap` bytes. Returns the resolved path.
pub fn check(path: &Path, fence: &Path, cap: u64) -> Result<PathBuf, Refusal> {
    let real = resolve(path, cap)?;
    if !real.starts_with(fence) {
        return Err(Refusal::Outside(real));
    }
    let meta = std::fs::metadata(&real).map_err(Refusal::from_io)?;
    regular(&meta, cap)?;
    Ok(real)
}

/// Reads a file reached from the repository: see the module docs.
pub fn read(path: &Path, fence: &Path, cap: u64) -> Result<Vec<u8>, Refusal> {
    let real = check(path, fence, cap)?;
    read_checked(&real, Some(fence), cap)
}

/// [`read`] of a path [`check`] has resolved: the path is not resolved again (a dozen
/// system calls on a deep path); the handle is checked as it is opened, as [`read`] does,
/// so a path changed since is refused all the same.
pub fn read_resolved(real: &Path, fence: &Path, cap: u64) -> Result<Vec<u8>, Refusal> {
    if !real.starts_with(fence) {
        return Err(Refusal::Outside(real.to_path_buf()));
    }
    read_checked(real, Some(fence), cap)
}

/// Reads a file the user named on the command line: anywhere, but only a regular file of
/// at most `cap` bytes.
pub fn read_given(path: &Path, cap: u64) -> Result<Vec<u8>, Refusal> {
    let real = check_given(path, cap)?;
    read_checked(&real, None, cap)
}

/// [`check`] without the fence, for a path the user gave.
pub fn check_given(path: &Path, cap: u64) -> Result<PathBuf, Refusal> {
    let real = resolve(path, cap)?;
    let meta = std::fs::metadata(&real).map_err(Refusal::from_io)?;
    regular(&meta, cap)?;
    Ok(real)
}

/// The canonical path. A path that exists but has no canonical form (`/dev/stdin` on a
/// pipe is a link to `pipe:[N]`) is refused for what it is.
fn resolve(path: &Path, cap: u64) -> Result<PathBuf, Refusal> {
    match std::fs::canonicalize(path) {
        Ok(real) => Ok(real),
        Err(e) => match std::fs::metadata(path) {
            Ok(meta) => {
                regular(&meta, cap)?;
                Err(Refusal::Io(e))
            }
            Err(_) => Err(Refusal::from_io(e)),
        },
    }
}

/// Does anything (a file, a FIFO, a dangling symlink…) exist at `path`?
pub fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

fn regular(meta: &Metadata, cap: u64) -> Result<(), Refusal> {
    if !meta.is_file() {
        return Err(Refusal::NotRegular(kind(meta)));
    }
    if meta.len() > cap {
        return Err(Refusal::TooLarge(meta.len(), cap));
    }
    Ok(())
}

fn kind(meta: &Metadata) -> &'static str {
    let ft = meta.file_type();
    if ft.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// Opens the resolved path without blocking or following a last symlink, re-checks the
/// handle, reads at most `cap` bytes through it.
fn read_checked(real: &Path, fence: Option<&Path>, cap: u64) -> Result<Vec<u8>, Refusal> {
    let file = open(real).map_err(Refusal::from_io)?;
    let meta = file.metadata().map_err(Refusal::Io)?;
    regular(&meta, cap)?;
    if let Some(fence) = fence {
        if let Some(now) = handle_path(&file) {
            if !now.starts_with(fence) {
                return Err(Refusal::Outside(now));
            }
        }
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(Refusal::Io)?;
    if bytes.len() as u64 > cap {
        return Err(Refusal::TooLarge(bytes.len() as u64, cap));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Where an open handle really is (Linux: `/proc/self/fd/N`); `None` where that cannot be
/// known.
#[cfg(target_os = "linux")]
fn handle_path(file: &File) -> Option<PathBuf> {
    use std::os::fd::AsRawFd;
    std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())).ok()
}

#[cfg(not(target_os = "linux"))]
fn handle_path(_: &File) -> Option<PathBuf> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_inside_is_read_and_one_outside_is_refused() {
        let outer = tempfile::tempdir().unwrap();
        let fence_dir = outer.path().join("repo");
        std::fs::create_dir_all(&fence_dir).unwrap();
        std::fs::write(fence_dir.join("a.rs"), "fn a() {}").unwrap();
        std::fs::write(outer.path().join("secret"), "s3cr3t").unwrap();
        let fence = canonical_dir(&fence_dir);
        assert_eq!(
            read(&fence_dir.join("a.rs"), &fence, MAX_SOURCE_BYTES).unwrap(),
            b"fn a() {}"
        );
        let up = fence_dir.join("../secret");
        let e = read(&up, &fence, MAX_SOURCE_BYTES).unwrap_err();
        assert!(matches!(e, Refusal::Outside(_)), "{e}");
        assert!(!e.to_string().contains("s3cr3t"));
        assert!(matches!(
            read(&fence_dir.join("nope.rs"), &fence, MAX_SOURCE_BYTES),
            Err(Refusal::Missing)
        ));
        // given on the command line: anywhere
        assert_eq!(read_given(&up, MAX_MANIFEST_BYTES).unwrap(), b"s3cr3t");
    }

    // Linux: the handle's own path is checked (`/proc/self/fd`)
    #[cfg(target_os = "linux")]
    #[test]
    fn a_resolved_path_changed_since_is_refused() {
        // the path was resolved inside the fence; then the file, or a directory on its
        // way, became a symlink out of it
        let outer = tempfile::tempdir().unwrap();
        let fence_dir = outer.path().join("repo");
        std::fs::create_dir_all(fence_dir.join("src")).unwrap();
        std::fs::create_dir_all(outer.path().join("elsewhere")).unwrap();
        std::fs::write(fence_dir.join("src/a.rs"), "fn a() {}").unwrap();
        std::fs::write(outer.path().join("secret"), "s3cr3t").unwrap();
        std::fs::write(outer.path().join("elsewhere/a.rs"), "s3cr3t").unwrap();
        let fence = canonical_dir(&fence_dir);
        let real = check(&fence_dir.join("src/a.rs"), &fence, MAX_SOURCE_BYTES).unwrap();
        assert_eq!(
            read_resolved(&real, &fence, MAX_SOURCE_BYTES).unwrap(),
            b"fn a() {}"
        );
        std::fs::remove_file(&real).unwrap();
        std::os::unix::fs::symlink(outer.path().join("secret"), &real).unwrap();
        assert!(read_resolved(&real, &fence, MAX_SOURCE_BYTES).is_err());
        std::fs::remove_dir_all(fence.join("src")).unwrap();
        std::os::unix::fs::symlink(outer.path().join("elsewhere"), fence.join("src")).unwrap();
        let e = read_resolved(&real, &fence, MAX_SOURCE_BYTES).unwrap_err();
        assert!(matches!(e, Refusal::Outside(_)), "{e}");
        // and a path that was never inside
        let e = read_resolved(&outer.path().join("secret"), &fence, MAX_SOURCE_BYTES);
        assert!(matches!(e, Err(Refusal::Outside(_))));
    }

    #[test]
    fn directories_and_large_files_are_refused() {
        let d = tempfile::tempdir().unwrap();
        let fence = canonical_dir(d.path());
        assert!(matches!(
            read(d.path(), &fence, MAX_SOURCE_BYTES),
            Err(Refusal::NotRegular("a directory"))
        ));
        std::fs::write(d.path().join("big"), vec![b' '; 2048]).unwrap();
        let e = read(&d.path().join("big"), &fence, 1024).unwrap_err();
        assert!(matches!(e, Refusal::TooLarge(2048, 1024)), "{e}");
        assert!(read(&d.path().join("big"), &fence, 2048).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_blocking() {
        assert!(matches!(
            read_given(Path::new("/dev/null"), MAX_MANIFEST_BYTES),
            Err(Refusal::NotRegular("a character device"))
        ));
    }
}
