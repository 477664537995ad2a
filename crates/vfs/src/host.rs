//! Host directories mounted into the tree, reached only through `cap-std`.
//!
//! Every operation names a path relative to the mount's root that the walk
//! in [`crate::walk`] has already cleaned of `..` and symlinks; `cap-std`
//! still resolves it beneath the root directory handle with the kernel's
//! help, so even a symlink swapped in by a host process between the walk and
//! the operation cannot lead out.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::Path;

use cap_fs_ext::{DirExt, SystemTimeSpec};
use cap_std::fs::{Dir, Metadata, OpenOptions};

use crate::{Errno, FileType, Result, SetTime};

#[derive(Debug)]
pub(crate) struct HostMount {
    dir: Dir,
    pub writable: bool,
    pub dev: u64,
    /// Inode of the in-memory directory holding the mount point, which is
    /// the mount root's `..`.
    pub parent_ino: u64,
}

impl HostMount {
    pub fn open(host: &Path, writable: bool, dev: u64) -> io::Result<Self> {
        let dir = Dir::open_ambient_dir(host, cap_std::ambient_authority())?;
        Ok(HostMount {
            dir,
            writable,
            dev,
            parent_ino: crate::ROOT_INO,
        })
    }

    /// Metadata without following a final symlink; the mount root itself
    /// for an empty path.
    pub fn lstat(&self, path: &Path) -> Result<Metadata> {
        if path.as_os_str().is_empty() {
            return Ok(self.dir.dir_metadata()?);
        }
        Ok(self.dir.symlink_metadata(path)?)
    }

    pub fn read_link(&self, path: &Path) -> Result<String> {
        let target = self.dir.read_link_contents(path)?;
        target
            .into_os_string()
            .into_string()
            .map_err(|_| Errno::Inval)
    }

    pub fn open_file(&self, path: &Path, write: bool) -> Result<File> {
        let mut opts = OpenOptions::new();
        opts.read(true).write(write);
        match self.dir.open_with(path, &opts) {
            Ok(f) => Ok(f.into_std()),
            // A write-only host file still opens for writing.
            Err(e) if write && e.kind() == io::ErrorKind::PermissionDenied => {
                let mut opts = OpenOptions::new();
                opts.write(true);
                Ok(self.dir.open_with(path, &opts)?.into_std())
            }
            Err(e) => Err(e.into()),
        }
    }

    pub fn create_file(&self, path: &Path) -> Result<()> {
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        self.dir.open_with(path, &opts)?;
        Ok(())
    }

    pub fn create_dir(&self, path: &Path) -> Result<()> {
        Ok(self.dir.create_dir(path)?)
    }

    pub fn remove_file(&self, path: &Path) -> Result<()> {
        Ok(self.dir.remove_file_or_symlink(path)?)
    }

    pub fn remove_dir(&self, path: &Path) -> Result<()> {
        Ok(self.dir.remove_dir(path)?)
    }

    pub fn rename(&self, from: &Path, to: &Path) -> Result<()> {
        Ok(self.dir.rename(from, &self.dir, to)?)
    }

    pub fn hard_link(&self, from: &Path, to: &Path) -> Result<()> {
        Ok(self.dir.hard_link(from, &self.dir, to)?)
    }

    pub fn symlink(&self, target: &str, path: &Path) -> Result<()> {
        Ok(self.dir.symlink(target, path)?)
    }

    pub fn list(&self, path: &Path) -> Result<Vec<(String, Metadata)>> {
        let entries = if path.as_os_str().is_empty() {
            self.dir.entries()?
        } else {
            self.dir.read_dir(path)?
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry?;
            // Names that are not UTF-8 cannot be passed to a WASI guest.
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let meta = entry.metadata()?;
            out.push((name, meta));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    pub fn set_times(
        &self,
        path: &Path,
        atime: SetTime,
        mtime: SetTime,
        now: u64,
        follow: bool,
    ) -> Result<()> {
        let spec = |t: SetTime| match t {
            SetTime::Keep => None,
            SetTime::Now => Some(SystemTimeSpec::Absolute(system_time(now))),
            SetTime::At(ns) => Some(SystemTimeSpec::Absolute(system_time(ns))),
        };
        let target = if path.as_os_str().is_empty() {
            Path::new(".")
        } else {
            path
        };
        if follow {
            self.dir.set_times(target, spec(atime), spec(mtime))?;
        } else {
            self.dir
                .set_symlink_times(target, spec(atime), spec(mtime))?;
        }
        Ok(())
    }
}

pub(crate) fn read_at(file: &File, offset: u64, buf: &mut [u8]) -> Result<usize> {
    Ok(file.read_at(buf, offset)?)
}

pub(crate) fn write_at(file: &File, offset: u64, data: &[u8]) -> Result<usize> {
    Ok(file.write_at(data, offset)?)
}

pub(crate) fn file_type(meta: &Metadata) -> FileType {
    use cap_std::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_file() {
        FileType::Regular
    } else if t.is_dir() {
        FileType::Directory
    } else if t.is_symlink() {
        FileType::Symlink
    } else if t.is_char_device() {
        FileType::CharDevice
    } else if t.is_block_device() {
        FileType::BlockDevice
    } else {
        FileType::Unknown
    }
}

/// Seconds and nanoseconds since the epoch as one count of ns; times before
/// the epoch show as 0.
pub(crate) fn nanos(secs: i64, nsec: i64) -> u64 {
    let secs = u64::try_from(secs).unwrap_or(0);
    let nsec = u64::try_from(nsec).unwrap_or(0);
    secs.saturating_mul(1_000_000_000).saturating_add(nsec)
}

fn system_time(ns: u64) -> cap_std::time::SystemTime {
    cap_std::time::SystemTime::from_std(std::time::UNIX_EPOCH + std::time::Duration::from_nanos(ns))
}
