//! The in-memory inode table: files, directories, symlinks and devices.
//!
//! Inode numbers are handed out in creation order and never reused within a
//! session, so the same sequence of operations always yields the same
//! numbers. File contents are shared with the tar image they came from until
//! the first write copies them (`Arc::make_mut`), which is what makes an
//! image read-only underneath a writable layer.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::{Device, FileType, NodeRef};

/// An inode number of the in-memory tree.
pub type Ino = u64;

/// The inode number of the root directory.
pub const ROOT_INO: Ino = 1;

/// One in-memory object.
#[derive(Debug)]
pub(crate) struct Inode {
    pub kind: InodeKind,
    /// Names of this inode. A directory counts as on Linux: 2 for its entry
    /// and its `.`, plus one per subdirectory's `..`; 0 once removed.
    pub nlink: u64,
    /// Open handles; an unlinked inode lives until the last one closes.
    pub open: u64,
    pub atime: u64,
    pub mtime: u64,
    pub ctime: u64,
    /// Bytes charged to the filesystem budget for this inode: nothing for
    /// what an image or the set-up created, the object's overhead plus the
    /// owned contents for what the guest created or wrote.
    pub charged: u64,
}

#[derive(Debug)]
pub(crate) enum InodeKind {
    File(FileData),
    Dir(DirData),
    Symlink(String),
    Device(Device),
}

#[derive(Debug, Default)]
pub(crate) struct FileData {
    /// Shared with the image until the first write copies it.
    pub bytes: Arc<Vec<u8>>,
}

#[derive(Debug)]
pub(crate) struct DirData {
    /// Sorted by name, which gives sorted listings for free.
    pub entries: BTreeMap<String, NodeRef>,
    pub parent: Ino,
}

impl Inode {
    pub fn file_type(&self) -> FileType {
        match &self.kind {
            InodeKind::File(_) => FileType::Regular,
            InodeKind::Dir(_) => FileType::Directory,
            InodeKind::Symlink(_) => FileType::Symlink,
            InodeKind::Device(_) => FileType::CharDevice,
        }
    }

    pub fn size(&self) -> u64 {
        match &self.kind {
            InodeKind::File(f) => f.bytes.len() as u64,
            InodeKind::Dir(d) => d.entries.len() as u64,
            InodeKind::Symlink(t) => t.len() as u64,
            InodeKind::Device(_) => 0,
        }
    }
}

/// The table itself: a dense vector indexed by inode number.
#[derive(Debug, Default)]
pub(crate) struct Table {
    slots: Vec<Option<Inode>>,
}

impl Table {
    pub fn insert(&mut self, kind: InodeKind, now: u64) -> Ino {
        let nlink = if matches!(kind, InodeKind::Dir(_)) {
            2
        } else {
            1
        };
        if self.slots.is_empty() {
            // Slot 0 is never used: inode 0 means "none" to many programs.
            self.slots.push(None);
        }
        self.slots.push(Some(Inode {
            kind,
            nlink,
            open: 0,
            atime: now,
            mtime: now,
            ctime: now,
            charged: 0,
        }));
        (self.slots.len() - 1) as Ino
    }

    pub fn get(&self, ino: Ino) -> Option<&Inode> {
        self.slots.get(usize::try_from(ino).ok()?)?.as_ref()
    }

    pub fn get_mut(&mut self, ino: Ino) -> Option<&mut Inode> {
        self.slots.get_mut(usize::try_from(ino).ok()?)?.as_mut()
    }

    /// Frees an inode nobody names or holds open, returning the bytes it
    /// had charged to the budget.
    pub fn collect(&mut self, ino: Ino) -> u64 {
        let Some(slot) = usize::try_from(ino)
            .ok()
            .and_then(|i| self.slots.get_mut(i))
        else {
            return 0;
        };
        match slot {
            Some(inode) if inode.nlink == 0 && inode.open == 0 => {
                slot.take().map_or(0, |inode| inode.charged)
            }
            _ => 0,
        }
    }
}
