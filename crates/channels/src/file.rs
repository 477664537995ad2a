//! Host files as channels, in ZeroVM's access modes.
//!
//! | mode | ZeroVM type | behaviour |
//! | --- | --- | --- |
//! | [`FileMode::Read`] | 0, read | sequential reads from the start |
//! | [`FileMode::RandomRead`] | 1 or 3, read | reads at any offset |
//! | [`FileMode::Write`] | 0, write | sequential writes into an empty file that replaces the target |
//! | [`FileMode::Append`] | 1, write | writes after the target's existing bytes |
//! | [`FileMode::ReadWrite`] | 3 | reads and writes at any offset over the target's bytes |
//!
//! Every writing mode works on a temporary file beside the target (named
//! `.NAME.zerovm-XXXXXX`); append and read-write modes start from a copy
//! of the target. Only [`Channel::finish`] with `commit` renames it over
//! the target, so a session that fails leaves the target exactly as it
//! was, whatever the mode. The price is a copy of the target for append and
//! read-write channels, and twice its size on disk while the session runs.
//!
//! FIFOs and character devices are used directly in one direction: bytes
//! written to them are gone when written, so they cannot be held back.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{FileExt, FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::{Channel, ChannelError, Finish};

/// How a host file is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileMode {
    /// Sequential reads.
    Read,
    /// Reads at any offset.
    RandomRead,
    /// Sequential writes to a fresh file.
    Write,
    /// Writes after the existing bytes.
    Append,
    /// Reads and writes at any offset.
    ReadWrite,
}

impl FileMode {
    /// Whether the mode reads.
    pub fn reads(self) -> bool {
        matches!(
            self,
            FileMode::Read | FileMode::RandomRead | FileMode::ReadWrite
        )
    }

    /// Whether the mode writes.
    pub fn writes(self) -> bool {
        matches!(
            self,
            FileMode::Write | FileMode::Append | FileMode::ReadWrite
        )
    }

    /// Whether offsets mean anything.
    pub fn random(self) -> bool {
        matches!(self, FileMode::RandomRead | FileMode::ReadWrite)
    }
}

/// Why a host file could not become a channel.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The file could not be opened or prepared.
    #[error("failed to open {path}: {source}")]
    Io {
        /// The host path.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// Directories, sockets and block devices are not channels.
    #[error("{path} is a {kind}, which cannot be a channel")]
    Unsupported {
        /// The host path.
        path: PathBuf,
        /// What it is.
        kind: &'static str,
    },
    /// A FIFO or device asked to go both ways or at random offsets.
    #[error("{path} is a FIFO or character device: it can only be read or written sequentially, one way")]
    OneWayOnly {
        /// The host path.
        path: PathBuf,
    },
}

/// A host file channel.
#[derive(Debug)]
pub struct HostFile {
    mode: FileMode,
    file: File,
    /// Where sequential reads and writes are.
    pos: u64,
    /// The temporary file to rename over `target` on commit.
    pending: Option<(NamedTempFile, PathBuf)>,
}

impl HostFile {
    /// Opens `path` in `mode`.
    pub fn open(path: &Path, mode: FileMode) -> Result<Self, OpenError> {
        let io_err = |source| OpenError::Io {
            path: path.to_owned(),
            source,
        };
        match fs::metadata(path) {
            Ok(meta) => {
                let t = meta.file_type();
                if t.is_dir() {
                    return Err(OpenError::Unsupported {
                        path: path.to_owned(),
                        kind: "directory",
                    });
                }
                if t.is_socket() || t.is_block_device() {
                    return Err(OpenError::Unsupported {
                        path: path.to_owned(),
                        kind: if t.is_socket() {
                            "socket"
                        } else {
                            "block device"
                        },
                    });
                }
                if t.is_fifo() || t.is_char_device() {
                    if mode.random() {
                        return Err(OpenError::OneWayOnly {
                            path: path.to_owned(),
                        });
                    }
                    let file = OpenOptions::new()
                        .read(mode.reads())
                        .write(mode.writes())
                        .open(path)
                        .map_err(io_err)?;
                    return Ok(HostFile {
                        mode,
                        file,
                        pos: 0,
                        pending: None,
                    });
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound && mode.writes() => {}
            Err(e) => return Err(io_err(e)),
        }

        if !mode.writes() {
            let file = File::open(path).map_err(io_err)?;
            return Ok(HostFile {
                mode,
                file,
                pos: 0,
                pending: None,
            });
        }

        // A writer works on a temporary file beside the target.
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut temp = tempfile::Builder::new()
            .prefix(&format!(".{name}.zerovm-"))
            .tempfile_in(dir)
            .map_err(io_err)?;
        let existing = match File::open(path) {
            Ok(f) => Some(f),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(io_err(e)),
        };
        let mut perms = fs::Permissions::from_mode(0o644);
        if let Some(mut original) = existing {
            perms = original.metadata().map_err(io_err)?.permissions();
            if mode != FileMode::Write {
                io::copy(&mut original, temp.as_file_mut()).map_err(io_err)?;
            }
        }
        temp.as_file().set_permissions(perms).map_err(io_err)?;
        let mut file = temp.reopen().map_err(io_err)?;
        let pos = if mode == FileMode::Append {
            file.seek(SeekFrom::End(0)).map_err(io_err)?
        } else {
            0
        };
        Ok(HostFile {
            mode,
            file,
            pos,
            pending: Some((temp, path.to_owned())),
        })
    }
}

impl Channel for HostFile {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ChannelError> {
        if !self.mode.reads() {
            return Err(ChannelError::WrongDirection("readable"));
        }
        let n = if self.pending.is_some() || self.mode.random() {
            self.file.read_at(buf, self.pos)?
        } else {
            self.file.read(buf)?
        };
        self.pos += n as u64;
        Ok(n)
    }

    fn write(&mut self, data: &[u8]) -> Result<usize, ChannelError> {
        if !self.mode.writes() {
            return Err(ChannelError::WrongDirection("writable"));
        }
        let n = if self.pending.is_some() {
            self.file.write_at(data, self.pos)?
        } else {
            self.file.write(data)?
        };
        self.pos += n as u64;
        Ok(n)
    }

    fn read_at(&mut self, buf: &mut [u8], offset: u64) -> Result<usize, ChannelError> {
        if !self.mode.random() {
            return Err(ChannelError::NotSeekable);
        }
        Ok(self.file.read_at(buf, offset)?)
    }

    fn write_at(&mut self, data: &[u8], offset: u64) -> Result<usize, ChannelError> {
        if self.mode != FileMode::ReadWrite {
            return Err(ChannelError::NotSeekable);
        }
        Ok(self.file.write_at(data, offset)?)
    }

    fn size(&self) -> Option<u64> {
        if self.mode.random() {
            self.file.metadata().ok().map(|m| m.len())
        } else {
            None
        }
    }

    fn flush(&mut self) -> Result<(), ChannelError> {
        Ok(self.file.flush()?)
    }

    fn finish(&mut self, commit: bool) -> Result<Finish, ChannelError> {
        let Some((temp, target)) = self.pending.take() else {
            return Ok(Finish::Nothing);
        };
        if !commit {
            // Dropping the temporary file deletes it.
            drop(temp);
            return Ok(Finish::Discarded(target));
        }
        self.file.sync_data()?;
        temp.persist(&target)
            .map_err(|e| ChannelError::Io(e.error))?;
        Ok(Finish::Committed(target))
    }

    fn readable(&self) -> bool {
        self.mode.reads()
    }

    fn writable(&self) -> bool {
        self.mode.writes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_commits_only_on_success() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.txt");
        fs::write(&out, b"old").unwrap();

        let mut ch = HostFile::open(&out, FileMode::Write).unwrap();
        ch.write(b"new data").unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"old");
        assert_eq!(ch.finish(false).unwrap(), Finish::Discarded(out.clone()));
        assert_eq!(fs::read(&out).unwrap(), b"old");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temp file left"
        );

        let mut ch = HostFile::open(&out, FileMode::Write).unwrap();
        ch.write(b"new").unwrap();
        assert_eq!(ch.finish(true).unwrap(), Finish::Committed(out.clone()));
        assert_eq!(fs::read(&out).unwrap(), b"new");
    }

    #[test]
    fn append_and_read_write_work_on_a_copy() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        fs::write(&log, b"one\n").unwrap();
        let mut ch = HostFile::open(&log, FileMode::Append).unwrap();
        ch.write(b"two\n").unwrap();
        ch.finish(true).unwrap();
        assert_eq!(fs::read(&log).unwrap(), b"one\ntwo\n");

        let mut ch = HostFile::open(&log, FileMode::ReadWrite).unwrap();
        ch.write_at(b"ONE", 0).unwrap();
        let mut buf = [0u8; 8];
        assert_eq!(ch.read_at(&mut buf, 0).unwrap(), 8);
        assert_eq!(&buf, b"ONE\ntwo\n");
        assert_eq!(ch.size(), Some(8));
        ch.finish(false).unwrap();
        assert_eq!(fs::read(&log).unwrap(), b"one\ntwo\n");
    }

    #[test]
    fn reads_and_refusals() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        fs::write(&input, b"abcdef").unwrap();
        let mut ch = HostFile::open(&input, FileMode::Read).unwrap();
        let mut buf = [0u8; 4];
        assert_eq!(ch.read(&mut buf).unwrap(), 4);
        assert_eq!(ch.read(&mut buf).unwrap(), 2);
        assert!(matches!(
            ch.read_at(&mut buf, 0),
            Err(ChannelError::NotSeekable)
        ));
        assert!(matches!(
            ch.write(b"x"),
            Err(ChannelError::WrongDirection(_))
        ));
        let mut ch = HostFile::open(&input, FileMode::RandomRead).unwrap();
        assert_eq!(ch.read_at(&mut buf, 4).unwrap(), 2);

        let err = HostFile::open(dir.path(), FileMode::Read).unwrap_err();
        assert!(err.to_string().contains("directory"), "{err}");
        let err = HostFile::open(&dir.path().join("missing"), FileMode::Read).unwrap_err();
        assert!(err.to_string().contains("missing"), "{err}");
        let err = HostFile::open(Path::new("/dev/null"), FileMode::ReadWrite).unwrap_err();
        assert!(matches!(err, OpenError::OneWayOnly { .. }), "{err}");
        let mut null = HostFile::open(Path::new("/dev/null"), FileMode::Write).unwrap();
        assert_eq!(null.write(b"gone").unwrap(), 4);
        assert_eq!(null.finish(true).unwrap(), Finish::Nothing);
    }
}
