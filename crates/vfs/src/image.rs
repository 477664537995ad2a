//! Tar images unpacked into the tree as its read-only bottom layer.
//!
//! An image is read once, when the session is set up: plain or gzip tar,
//! ustar, pax and GNU long names (the `tar` crate reads them all). Its
//! files' contents are kept as shared buffers that the first write copies
//! (see [`crate::node`]), so a session can change and delete anything it
//! sees while the image itself stays as it was. Images mounted later stack
//! over earlier ones: a file replaces a file, directories merge.

use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;

use crate::node::{FileData, InodeKind};
use crate::{clean_absolute, NodeRef, Vfs, MAX_NAME_LEN};

/// Most entries one image may hold.
pub const MAX_IMAGE_ENTRIES: u64 = 1 << 20;
/// Most bytes of file contents one image may hold.
pub const MAX_IMAGE_BYTES: u64 = 4 << 30;

/// A failure to mount a tar image.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// The archive could not be read (truncated, bad gzip, bad header).
    #[error("failed to read tar archive: {0}")]
    Read(#[from] std::io::Error),
    /// An entry's path is absolute after cleaning, leaves the image with
    /// `..`, or is not UTF-8.
    #[error("entry {entry:?}: {reason}")]
    BadEntry {
        /// The entry's path as written in the archive.
        entry: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// More than [`MAX_IMAGE_ENTRIES`] entries.
    #[error("more than {MAX_IMAGE_ENTRIES} entries")]
    TooManyEntries,
    /// More than [`MAX_IMAGE_BYTES`] bytes of contents.
    #[error("more than {MAX_IMAGE_BYTES} bytes of file contents")]
    TooLarge,
    /// The guest path is not a clean absolute path.
    #[error("invalid mount point {0:?}: it must be an absolute path without `.` or `..`")]
    BadGuestPath(String),
    /// The mount point collides with a host mount or a file.
    #[error("failed to create mount point {path}: {source}")]
    MountPoint {
        /// The guest path.
        path: String,
        /// Why.
        source: crate::Errno,
    },
}

/// What an image brought into the tree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImageSummary {
    /// Entries read, of every kind.
    pub entries: u64,
    /// Bytes of file contents.
    pub bytes: u64,
}

impl Vfs {
    /// Unpacks the tar (or gzip tar) read from `reader` at the absolute
    /// guest path `guest`.
    pub fn mount_image(
        &mut self,
        guest: &str,
        reader: impl Read,
    ) -> Result<ImageSummary, ImageError> {
        let base_parts =
            clean_absolute(guest).ok_or_else(|| ImageError::BadGuestPath(guest.to_owned()))?;
        let base = self
            .setup_path(&base_parts)
            .map_err(|source| ImageError::MountPoint {
                path: guest.to_owned(),
                source,
            })?;

        let mut reader = BufReader::new(reader);
        let gzip = reader.fill_buf()?.starts_with(&[0x1f, 0x8b]);
        let reader: Box<dyn Read> = if gzip {
            Box::new(flate2::read::MultiGzDecoder::new(reader))
        } else {
            Box::new(reader)
        };
        let mut archive = tar::Archive::new(reader);
        let mut summary = ImageSummary::default();

        for entry in archive.entries()? {
            let mut entry = entry?;
            summary.entries += 1;
            if summary.entries > MAX_IMAGE_ENTRIES {
                return Err(ImageError::TooManyEntries);
            }
            let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let bad = |reason| ImageError::BadEntry {
                entry: raw.clone(),
                reason,
            };
            let path = std::str::from_utf8(&entry.path_bytes())
                .map_err(|_| bad("path is not UTF-8"))?
                .to_owned();
            let parts = entry_parts(&path).map_err(bad)?;
            let Some((name, parents)) = parts.split_last() else {
                // The image's own root ("./"): nothing to make.
                continue;
            };
            let parent = self.setup_path_from(base, parents).map_err(|_| {
                bad("a parent directory is a file or a mount point in an earlier layer")
            })?;
            let mtime = entry
                .header()
                .mtime()
                .unwrap_or(0)
                .saturating_mul(1_000_000_000);

            let kind = entry.header().entry_type();
            let ino = if kind.is_dir() {
                self.setup_dir(parent, name)
            } else if kind.is_file() || kind == tar::EntryType::Continuous {
                let size = entry.size();
                summary.bytes = summary.bytes.saturating_add(size);
                if summary.bytes > MAX_IMAGE_BYTES {
                    return Err(ImageError::TooLarge);
                }
                let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
                entry.read_to_end(&mut bytes)?;
                let data = FileData {
                    bytes: Arc::new(bytes),
                };
                self.setup_node(parent, name, InodeKind::File(data))
            } else if kind.is_symlink() {
                let target = entry
                    .link_name_bytes()
                    .ok_or_else(|| bad("symlink without a target"))?;
                let target = std::str::from_utf8(&target)
                    .map_err(|_| bad("symlink target is not UTF-8"))?
                    .to_owned();
                self.setup_node(parent, name, InodeKind::Symlink(target))
            } else if kind.is_hard_link() {
                let target = entry
                    .link_name_bytes()
                    .ok_or_else(|| bad("hard link without a target"))?;
                let target = std::str::from_utf8(&target)
                    .map_err(|_| bad("hard link target is not UTF-8"))?
                    .to_owned();
                let target_parts = entry_parts(&target).map_err(bad)?;
                let ino = self
                    .lookup_plain(base, &target_parts)
                    .ok_or_else(|| bad("hard link to a file not earlier in the image"))?;
                if let Some(inode) = self.table.get_mut(ino) {
                    inode.nlink += 1;
                }
                if let Some(d) = self.mem_dir_mut(parent) {
                    let old = d.entries.insert((*name).to_owned(), NodeRef::Mem(ino));
                    if let Some(old) = old {
                        self.drop_link(&old);
                    }
                }
                continue;
            } else {
                // Devices, FIFOs and the like have no meaning in the
                // sandbox; pax and GNU extension headers never get here.
                tracing::debug!(entry = %raw, "skipping special tar entry");
                continue;
            };
            if let Some(inode) = self.table.get_mut(ino) {
                inode.mtime = mtime;
                inode.atime = mtime;
                inode.ctime = mtime;
            }
        }
        Ok(summary)
    }

    /// Like [`Vfs::setup_path`], from directory `dir`.
    pub(crate) fn setup_path_from(&mut self, mut dir: u64, parts: &[&str]) -> crate::Result<u64> {
        for name in parts {
            match self
                .mem_dir(dir)
                .and_then(|d| d.entries.get(*name))
                .cloned()
            {
                Some(NodeRef::Mem(ino)) => {
                    if self.mem_dir(ino).is_some() {
                        dir = ino;
                    } else {
                        return Err(crate::Errno::NotDir);
                    }
                }
                Some(NodeRef::Host { .. }) => return Err(crate::Errno::Busy),
                None => dir = self.setup_dir(dir, name),
            }
        }
        Ok(dir)
    }

    /// The regular file at `parts` under `dir`, without following links.
    fn lookup_plain(&self, mut dir: u64, parts: &[&str]) -> Option<u64> {
        let (last, parents) = parts.split_last()?;
        for name in parents {
            match self.mem_dir(dir)?.entries.get(*name)? {
                NodeRef::Mem(ino) => dir = *ino,
                NodeRef::Host { .. } => return None,
            }
        }
        match self.mem_dir(dir)?.entries.get(*last)? {
            NodeRef::Mem(ino) if matches!(self.table.get(*ino)?.kind, InodeKind::File(_)) => {
                Some(*ino)
            }
            _ => None,
        }
    }
}

/// An entry's path as clean components: leading `/` and `./` dropped, `.`
/// skipped, `..` refused.
fn entry_parts(path: &str) -> Result<Vec<&str>, &'static str> {
    let mut parts = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err("path leaves the image with `..`"),
            p if p.len() > MAX_NAME_LEN => return Err("path component longer than 255 bytes"),
            p => parts.push(p),
        }
    }
    Ok(parts)
}
