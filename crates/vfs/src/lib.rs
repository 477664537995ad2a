//! The sandbox's filesystem: everything a program can reach by path.
//!
//! A [`Vfs`] is an in-memory tree of files, directories, symlinks, hard
//! links and character devices. Tar images are unpacked into it read-only
//! underneath a writable layer (see [`image`]); host directories are mounted
//! at a path and reached only through `cap-std`, so no path, symlink or
//! rename leads out of them (see [`host`]). Paths are always resolved
//! relative to a directory the caller already holds, and never above it:
//! the rules of WASI preview 1.
//!
//! Determinism: in-memory inode numbers are given in creation order, host
//! inode numbers are renumbered in order of first sight, timestamps come
//! from the caller's virtual clock (`now` arguments, in nanoseconds), and
//! directory listings are sorted by name.

pub mod error;
mod host;
pub mod image;
mod node;
mod walk;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use error::{Errno, Result};
pub use image::ImageError;
pub use node::{Ino, ROOT_INO};

use host::HostMount;
use node::{DirData, FileData, Inode, InodeKind, Table};
use walk::Walk;

/// Longest path a guest may pass, in bytes.
pub const MAX_PATH_LEN: usize = 4096;
/// Longest single path component, in bytes.
pub const MAX_NAME_LEN: usize = 255;
/// Most symbolic links followed while resolving one path.
pub const MAX_SYMLINKS: u32 = 40;
/// Bytes charged to the budget for each object a guest creates, so that a
/// guest making millions of empty files still runs into the limit.
pub const INODE_COST: u64 = 256;
/// Default budget of the writable layer: bytes of file contents and objects
/// the guest creates or copies up from an image.
pub const DEFAULT_MAX_BYTES: u64 = 256 << 20;
/// Largest size one in-memory file may have.
pub const MAX_FILE_SIZE: u64 = 1 << 40;

/// Device number of the in-memory tree; host mount `i` has `i + 2`.
const MEM_DEV: u64 = 1;

/// The kind of an object, as `stat` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    /// A regular file.
    Regular,
    /// A directory.
    Directory,
    /// A symbolic link.
    Symlink,
    /// A character device (`/dev/null` and its kin, host devices).
    CharDevice,
    /// A block device on a host mount.
    BlockDevice,
    /// Anything else a host mount may hold (FIFOs, sockets).
    Unknown,
}

/// The character devices the in-memory tree can hold. Their data is made by
/// the layer above, which owns the random generator and the channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    /// Reads end at once, writes vanish.
    Null,
    /// Reads give zeros, writes vanish.
    Zero,
    /// Reads give zeros, writes fail with "no space".
    Full,
    /// Reads give seeded random bytes (`/dev/random`, `/dev/urandom`).
    Random,
    /// A declared channel: the layer above holds the channel at this index.
    Channel(u32),
}

/// Where an object lives: the in-memory tree or a host mount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeRef {
    /// An inode of the in-memory tree.
    Mem(Ino),
    /// A path inside host mount `mount`, relative to its root, already
    /// free of `.`, `..` and symlinks in its directory part.
    Host {
        /// Index of the mount.
        mount: usize,
        /// Relative path; empty for the mount's root.
        path: PathBuf,
    },
}

/// An object held open by the layer above.
#[derive(Debug)]
pub struct Handle {
    node: NodeRef,
    file_type: FileType,
    /// The open host file, for regular files on host mounts.
    host_file: Option<std::fs::File>,
}

impl Handle {
    /// What kind of object this is.
    pub fn file_type(&self) -> FileType {
        self.file_type
    }

    /// Where the object lives.
    pub fn node(&self) -> &NodeRef {
        &self.node
    }
}

/// File metadata as `stat` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    /// Device number: 1 for the in-memory tree, 2 and up for host mounts.
    pub dev: u64,
    /// Inode number, deterministic within a session.
    pub ino: u64,
    /// Object kind.
    pub file_type: FileType,
    /// Number of hard links.
    pub nlink: u64,
    /// Size in bytes.
    pub size: u64,
    /// Last access, ns since the epoch.
    pub atime: u64,
    /// Last modification, ns since the epoch.
    pub mtime: u64,
    /// Last status change, ns since the epoch.
    pub ctime: u64,
}

/// One entry of a directory listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    /// The entry's name (`.` and `..` included).
    pub name: String,
    /// Its inode number.
    pub ino: u64,
    /// Its kind (symlinks are not followed).
    pub file_type: FileType,
}

/// How to set one timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetTime {
    /// Leave it alone.
    Keep,
    /// The current virtual time.
    Now,
    /// This many ns since the epoch.
    At(u64),
}

/// What `open` should do, mirroring `path_open`'s flags.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenOptions {
    /// Create the file if it does not exist.
    pub create: bool,
    /// Fail if the file exists (with `create`).
    pub exclusive: bool,
    /// Truncate to length 0.
    pub truncate: bool,
    /// Fail unless the object is a directory.
    pub directory: bool,
    /// Follow a symlink in the last component.
    pub follow: bool,
    /// The handle will be written through.
    pub write: bool,
}

/// Settings of a new filesystem.
#[derive(Debug, Clone, Copy)]
pub struct VfsConfig {
    /// Budget of the writable layer in bytes ([`DEFAULT_MAX_BYTES`]).
    pub max_bytes: u64,
    /// Timestamp given to the objects the set-up creates, ns since epoch.
    pub start_time: u64,
}

impl Default for VfsConfig {
    fn default() -> Self {
        VfsConfig {
            max_bytes: DEFAULT_MAX_BYTES,
            start_time: 0,
        }
    }
}

/// A failure to mount a host directory.
#[derive(Debug, thiserror::Error)]
pub enum MountError {
    /// The host directory could not be opened.
    #[error("failed to open host directory {path}: {source}")]
    Open {
        /// The host path given.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The guest path is not absolute or not clean.
    #[error("invalid mount point {0:?}: it must be an absolute path without `.` or `..`")]
    BadGuestPath(String),
    /// The guest path could not be created in the tree.
    #[error("failed to create mount point {path}: {source}")]
    MountPoint {
        /// The guest path.
        path: String,
        /// Why.
        source: Errno,
    },
}

/// The filesystem of one session.
#[derive(Debug)]
pub struct Vfs {
    table: Table,
    mounts: Vec<HostMount>,
    /// The root: the in-memory root directory, or a host mount at `/`.
    root: NodeRef,
    used: u64,
    max_bytes: u64,
    start_time: u64,
    host_inos: std::collections::HashMap<(u64, u64), u64>,
}

impl Vfs {
    /// An empty tree holding `/`, `/tmp` and `/dev` with `null`, `zero`,
    /// `full`, `random` and `urandom`.
    pub fn new(config: VfsConfig) -> Self {
        let now = config.start_time;
        let mut table = Table::default();
        let root = table.insert(
            InodeKind::Dir(DirData {
                entries: Default::default(),
                parent: ROOT_INO,
            }),
            now,
        );
        debug_assert_eq!(root, ROOT_INO);
        let mut vfs = Vfs {
            table,
            mounts: Vec::new(),
            root: NodeRef::Mem(ROOT_INO),
            used: 0,
            max_bytes: config.max_bytes,
            start_time: now,
            host_inos: Default::default(),
        };
        // These names are fresh in an empty tree, so none of this can fail.
        let tmp = vfs.setup_dir(ROOT_INO, "tmp");
        let dev = vfs.setup_dir(ROOT_INO, "dev");
        for (name, device) in [
            ("full", Device::Full),
            ("null", Device::Null),
            ("random", Device::Random),
            ("urandom", Device::Random),
            ("zero", Device::Zero),
        ] {
            vfs.setup_node(dev, name, InodeKind::Device(device));
        }
        let _ = tmp;
        vfs
    }

    /// The root directory, opened.
    pub fn open_root(&mut self) -> Handle {
        let node = self.root.clone();
        self.retain(&node);
        Handle {
            node,
            file_type: FileType::Directory,
            host_file: None,
        }
    }

    /// Puts `device` at the absolute guest path `path` (a channel under
    /// `/dev`), making missing parent directories and replacing what was
    /// there.
    pub fn add_device(
        &mut self,
        path: &str,
        device: Device,
    ) -> std::result::Result<(), MountError> {
        let components =
            clean_absolute(path).ok_or_else(|| MountError::BadGuestPath(path.to_owned()))?;
        let (name, parents) = components
            .split_last()
            .ok_or_else(|| MountError::BadGuestPath(path.to_owned()))?;
        let parent = self
            .setup_path(parents)
            .map_err(|source| MountError::MountPoint {
                path: path.to_owned(),
                source,
            })?;
        self.setup_node(parent, name, InodeKind::Device(device));
        Ok(())
    }

    /// Bytes of the writable layer in use.
    pub fn used_bytes(&self) -> u64 {
        self.used
    }

    // ---- set-up ---------------------------------------------------------

    /// Makes (or finds) the directory `name` in `parent` during set-up.
    fn setup_dir(&mut self, parent: Ino, name: &str) -> Ino {
        if let Some(NodeRef::Mem(ino)) = self.mem_dir(parent).and_then(|d| d.entries.get(name)) {
            if matches!(
                self.table.get(*ino).map(|i| &i.kind),
                Some(InodeKind::Dir(_))
            ) {
                return *ino;
            }
        }
        let kind = InodeKind::Dir(DirData {
            entries: Default::default(),
            parent,
        });
        self.setup_node(parent, name, kind)
    }

    /// Puts a new object at `parent/name` during set-up, replacing what
    /// was there. Set-up objects are not charged to the budget.
    fn setup_node(&mut self, parent: Ino, name: &str, kind: InodeKind) -> Ino {
        let is_dir = matches!(kind, InodeKind::Dir(_));
        let ino = self.table.insert(kind, self.start_time);
        self.replace_entry(parent, name, NodeRef::Mem(ino), is_dir);
        ino
    }

    /// Points `parent/name` at `node`, dropping any previous occupant.
    fn replace_entry(&mut self, parent: Ino, name: &str, node: NodeRef, is_dir: bool) {
        let old = self
            .mem_dir_mut(parent)
            .and_then(|d| d.entries.insert(name.to_owned(), node));
        if let Some(old) = old {
            self.drop_link(&old);
        }
        if is_dir {
            if let Some(p) = self.table.get_mut(parent) {
                p.nlink += 1;
            }
        }
    }

    /// Makes every directory of the absolute, clean `path` and returns the
    /// last one's inode.
    fn setup_path(&mut self, components: &[&str]) -> Result<Ino> {
        self.setup_path_from(ROOT_INO, components)
    }

    /// Mounts the host directory `host` at the absolute guest path `guest`,
    /// replacing whatever the tree held there.
    pub fn mount_host(
        &mut self,
        guest: &str,
        host: &Path,
        writable: bool,
    ) -> std::result::Result<(), MountError> {
        let components =
            clean_absolute(guest).ok_or_else(|| MountError::BadGuestPath(guest.to_owned()))?;
        let mount =
            HostMount::open(host, writable, self.mounts.len() as u64 + 2).map_err(|source| {
                MountError::Open {
                    path: host.to_owned(),
                    source,
                }
            })?;
        let index = self.mounts.len();
        let node = NodeRef::Host {
            mount: index,
            path: PathBuf::new(),
        };
        match components.split_last() {
            None => {
                self.mounts.push(mount);
                self.root = node;
            }
            Some((name, parents)) => {
                let parent = self
                    .setup_path(parents)
                    .map_err(|source| MountError::MountPoint {
                        path: guest.to_owned(),
                        source,
                    })?;
                self.mounts.push(mount);
                self.mounts[index].parent_ino = parent;
                self.replace_entry(parent, name, node, true);
            }
        }
        Ok(())
    }

    // ---- lookups ----------------------------------------------------------

    fn mem_dir(&self, ino: Ino) -> Option<&DirData> {
        match &self.table.get(ino)?.kind {
            InodeKind::Dir(d) => Some(d),
            _ => None,
        }
    }

    fn mem_dir_mut(&mut self, ino: Ino) -> Option<&mut DirData> {
        match &mut self.table.get_mut(ino)?.kind {
            InodeKind::Dir(d) => Some(d),
            _ => None,
        }
    }

    fn inode(&self, ino: Ino) -> Result<&Inode> {
        // An inode a handle names stays alive until the handle closes, so a
        // miss here means a stale reference: report it as gone.
        self.table.get(ino).ok_or(Errno::NoEnt)
    }

    fn inode_mut(&mut self, ino: Ino) -> Result<&mut Inode> {
        self.table.get_mut(ino).ok_or(Errno::NoEnt)
    }

    fn mount(&self, index: usize) -> Result<&HostMount> {
        self.mounts.get(index).ok_or(Errno::NoEnt)
    }

    fn writable_mount(&self, index: usize) -> Result<&HostMount> {
        let mount = self.mount(index)?;
        if mount.writable {
            Ok(mount)
        } else {
            Err(Errno::ReadOnly)
        }
    }

    /// The type of the object `node` names, without following symlinks.
    fn node_type(&self, node: &NodeRef) -> Result<FileType> {
        match node {
            NodeRef::Mem(ino) => Ok(self.inode(*ino)?.file_type()),
            NodeRef::Host { mount, path } => Ok(host::file_type(&self.mount(*mount)?.lstat(path)?)),
        }
    }

    fn retain(&mut self, node: &NodeRef) {
        if let NodeRef::Mem(ino) = node {
            if let Some(inode) = self.table.get_mut(*ino) {
                inode.open += 1;
            }
        }
    }

    /// Drops one directory entry's reference to `node`.
    fn drop_link(&mut self, node: &NodeRef) {
        if let NodeRef::Mem(ino) = node {
            if let Some(inode) = self.table.get_mut(*ino) {
                inode.nlink = match inode.kind {
                    InodeKind::Dir(_) => 0,
                    _ => inode.nlink.saturating_sub(1),
                };
            }
            self.collect(*ino);
        }
    }

    fn collect(&mut self, ino: Ino) {
        let freed = self.table.collect(ino);
        self.used = self.used.saturating_sub(freed);
    }

    /// Charges `bytes` to the budget of the writable layer.
    fn charge(&mut self, bytes: u64) -> Result<()> {
        let used = self.used.checked_add(bytes).ok_or(Errno::NoSpace)?;
        if used > self.max_bytes {
            return Err(Errno::NoSpace);
        }
        self.used = used;
        Ok(())
    }

    fn host_ino(&mut self, dev: u64, ino: u64) -> u64 {
        let next = self.host_inos.len() as u64 + 1;
        *self.host_inos.entry((dev, ino)).or_insert(next)
    }

    // ---- handles ----------------------------------------------------------

    /// Opens `path` relative to the directory `dir`.
    pub fn open(
        &mut self,
        dir: &Handle,
        path: &str,
        opts: OpenOptions,
        now: u64,
    ) -> Result<Handle> {
        let walk = self.walk(&dir.node, path, opts.follow)?;
        let (node, file_type) = match walk.found {
            None => {
                if !opts.create {
                    return Err(Errno::NoEnt);
                }
                if walk.trailing_slash || opts.directory {
                    return Err(Errno::IsDir);
                }
                let name = walk.name.as_deref().ok_or(Errno::Inval)?;
                let node = self.create_file(&walk.parent, name, now)?;
                (node, FileType::Regular)
            }
            Some((node, file_type)) => {
                if opts.create && opts.exclusive {
                    return Err(Errno::Exist);
                }
                match file_type {
                    // Only reached without `follow`: O_NOFOLLOW semantics.
                    FileType::Symlink => return Err(Errno::Loop),
                    FileType::Directory if opts.write || opts.truncate => return Err(Errno::IsDir),
                    FileType::Directory => {}
                    _ if opts.directory => return Err(Errno::NotDir),
                    _ => {}
                }
                (node, file_type)
            }
        };

        let host_file = match (&node, file_type) {
            (NodeRef::Host { mount, path }, FileType::Regular) => {
                let mount = if opts.write || opts.truncate {
                    self.writable_mount(*mount)?
                } else {
                    self.mount(*mount)?
                };
                Some(mount.open_file(path, opts.write || opts.truncate)?)
            }
            _ => None,
        };
        let handle = Handle {
            node,
            file_type,
            host_file,
        };
        if opts.truncate && file_type == FileType::Regular {
            self.set_size(&handle, 0, now)?;
        }
        self.retain(&handle.node);
        Ok(handle)
    }

    /// Opens the same object again (for `fd_renumber`-style duplication).
    pub fn reopen(&mut self, handle: &Handle) -> Result<Handle> {
        let host_file = match &handle.host_file {
            Some(f) => Some(f.try_clone()?),
            None => None,
        };
        self.retain(&handle.node);
        Ok(Handle {
            node: handle.node.clone(),
            file_type: handle.file_type,
            host_file,
        })
    }

    /// Closes a handle; an unlinked file goes away with its last handle.
    pub fn close(&mut self, handle: Handle) {
        if let NodeRef::Mem(ino) = handle.node {
            if let Some(inode) = self.table.get_mut(ino) {
                inode.open = inode.open.saturating_sub(1);
            }
            self.collect(ino);
        }
    }

    /// The device behind a character-device handle of the in-memory tree.
    pub fn device(&self, handle: &Handle) -> Option<Device> {
        match &handle.node {
            NodeRef::Mem(ino) => match self.table.get(*ino)?.kind {
                InodeKind::Device(d) => Some(d),
                _ => None,
            },
            NodeRef::Host { .. } => None,
        }
    }

    /// Reads at `offset`; returns the bytes read (0 at end of file).
    pub fn read_at(&mut self, handle: &Handle, offset: u64, buf: &mut [u8]) -> Result<usize> {
        if let Some(file) = &handle.host_file {
            return host::read_at(file, offset, buf);
        }
        match &handle.node {
            NodeRef::Mem(ino) => match &self.inode(*ino)?.kind {
                InodeKind::File(f) => {
                    let data = f.bytes.as_slice();
                    let start = usize::try_from(offset)
                        .unwrap_or(usize::MAX)
                        .min(data.len());
                    let n = buf.len().min(data.len() - start);
                    buf[..n].copy_from_slice(&data[start..start + n]);
                    Ok(n)
                }
                InodeKind::Dir(_) => Err(Errno::IsDir),
                _ => Err(Errno::Inval),
            },
            NodeRef::Host { .. } => Err(match handle.file_type {
                FileType::Directory => Errno::IsDir,
                _ => Errno::Inval,
            }),
        }
    }

    /// Writes at `offset`, growing the file as needed; returns the bytes
    /// written.
    pub fn write_at(
        &mut self,
        handle: &Handle,
        offset: u64,
        data: &[u8],
        now: u64,
    ) -> Result<usize> {
        if let Some(file) = &handle.host_file {
            if let NodeRef::Host { mount, .. } = &handle.node {
                self.writable_mount(*mount)?;
            }
            return host::write_at(file, offset, data);
        }
        let NodeRef::Mem(ino) = handle.node else {
            return Err(match handle.file_type {
                FileType::Directory => Errno::IsDir,
                _ => Errno::Inval,
            });
        };
        let end = offset
            .checked_add(data.len() as u64)
            .filter(|end| *end <= MAX_FILE_SIZE)
            .ok_or(Errno::FileTooBig)?;
        let (old_len, charged) = match &self.inode(ino)?.kind {
            InodeKind::File(f) => (f.bytes.len() as u64, self.inode(ino)?.charged),
            InodeKind::Dir(_) => return Err(Errno::IsDir),
            _ => return Err(Errno::Inval),
        };
        let new_len = old_len.max(end);
        self.charge_file(ino, new_len, charged)?;
        let inode = self.inode_mut(ino)?;
        if let InodeKind::File(f) = &mut inode.kind {
            let bytes = Arc::make_mut(&mut f.bytes);
            // Fits in usize: checked against the budget just above.
            let (offset, end) = (offset as usize, end as usize);
            if bytes.len() < end {
                bytes.resize(end, 0);
            }
            bytes[offset..end].copy_from_slice(data);
        }
        inode.mtime = now;
        inode.ctime = now;
        Ok(data.len())
    }

    /// Charges a file that will now own `new_len` bytes.
    fn charge_file(&mut self, ino: Ino, new_len: u64, charged: u64) -> Result<()> {
        // Once written, a file owns all of its bytes (copied up from the
        // image if it came from one), plus its fixed overhead.
        let wanted = new_len + INODE_COST;
        if wanted > charged {
            self.charge(wanted - charged)?;
        } else {
            self.used = self.used.saturating_sub(charged - wanted);
        }
        self.inode_mut(ino)?.charged = wanted;
        Ok(())
    }

    /// Sets a regular file's length.
    pub fn set_size(&mut self, handle: &Handle, size: u64, now: u64) -> Result<()> {
        if let Some(file) = &handle.host_file {
            if let NodeRef::Host { mount, .. } = &handle.node {
                self.writable_mount(*mount)?;
            }
            return Ok(file.set_len(size)?);
        }
        let NodeRef::Mem(ino) = handle.node else {
            return Err(Errno::Inval);
        };
        if size > MAX_FILE_SIZE {
            return Err(Errno::FileTooBig);
        }
        let charged = match &self.inode(ino)?.kind {
            InodeKind::File(_) => self.inode(ino)?.charged,
            InodeKind::Dir(_) => return Err(Errno::IsDir),
            _ => return Err(Errno::Inval),
        };
        self.charge_file(ino, size, charged)?;
        let inode = self.inode_mut(ino)?;
        if let InodeKind::File(f) = &mut inode.kind {
            // Fits in usize: checked against the budget just above.
            Arc::make_mut(&mut f.bytes).resize(size as usize, 0);
        }
        inode.mtime = now;
        inode.ctime = now;
        Ok(())
    }

    /// Metadata of an open object.
    pub fn stat(&mut self, handle: &Handle) -> Result<Stat> {
        if let Some(file) = &handle.host_file {
            let dev = self.mount(host_mount_of(&handle.node))?.dev;
            let meta = cap_std::fs::Metadata::from_file(file)?;
            return Ok(self.host_stat(dev, &meta));
        }
        self.node_stat(&handle.node.clone())
    }

    fn node_stat(&mut self, node: &NodeRef) -> Result<Stat> {
        match node {
            NodeRef::Mem(ino) => {
                let inode = self.inode(*ino)?;
                Ok(Stat {
                    dev: MEM_DEV,
                    ino: *ino,
                    file_type: inode.file_type(),
                    nlink: inode.nlink,
                    size: inode.size(),
                    atime: inode.atime,
                    mtime: inode.mtime,
                    ctime: inode.ctime,
                })
            }
            NodeRef::Host { mount, path } => {
                let mount = self.mount(*mount)?;
                let (dev, meta) = (mount.dev, mount.lstat(path)?);
                Ok(self.host_stat(dev, &meta))
            }
        }
    }

    fn host_stat(&mut self, dev: u64, meta: &cap_std::fs::Metadata) -> Stat {
        use cap_std::fs::MetadataExt;
        let ino = self.host_ino(meta.dev(), meta.ino());
        Stat {
            dev,
            ino,
            file_type: host::file_type(meta),
            nlink: meta.nlink(),
            size: meta.len(),
            atime: host::nanos(meta.atime(), meta.atime_nsec()),
            mtime: host::nanos(meta.mtime(), meta.mtime_nsec()),
            ctime: host::nanos(meta.ctime(), meta.ctime_nsec()),
        }
    }

    /// Sets the times of an open object.
    pub fn set_times(
        &mut self,
        handle: &Handle,
        atime: SetTime,
        mtime: SetTime,
        now: u64,
    ) -> Result<()> {
        let node = handle.node.clone();
        self.node_set_times(&node, atime, mtime, now, true)
    }

    fn node_set_times(
        &mut self,
        node: &NodeRef,
        atime: SetTime,
        mtime: SetTime,
        now: u64,
        follow: bool,
    ) -> Result<()> {
        match node {
            NodeRef::Mem(ino) => {
                let inode = self.inode_mut(*ino)?;
                match atime {
                    SetTime::Keep => {}
                    SetTime::Now => inode.atime = now,
                    SetTime::At(t) => inode.atime = t,
                }
                match mtime {
                    SetTime::Keep => {}
                    SetTime::Now => inode.mtime = now,
                    SetTime::At(t) => inode.mtime = t,
                }
                inode.ctime = now;
                Ok(())
            }
            NodeRef::Host { mount, path } => self
                .writable_mount(*mount)?
                .set_times(path, atime, mtime, now, follow),
        }
    }

    /// Flushes an open object to the host (a no-op in memory).
    pub fn sync(&mut self, handle: &Handle) -> Result<()> {
        if let Some(file) = &handle.host_file {
            file.sync_all()?;
        }
        Ok(())
    }

    /// Lists a directory, sorted by name, with `.` and `..` first.
    pub fn read_dir(&mut self, handle: &Handle) -> Result<Vec<DirEntry>> {
        match &handle.node {
            NodeRef::Mem(ino) => {
                let ino = *ino;
                let InodeKind::Dir(dir) = &self.inode(ino)?.kind else {
                    return Err(Errno::NotDir);
                };
                let parent = dir.parent;
                let children: Vec<(String, NodeRef)> = dir
                    .entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                let mut out = vec![
                    DirEntry {
                        name: ".".into(),
                        ino,
                        file_type: FileType::Directory,
                    },
                    DirEntry {
                        name: "..".into(),
                        ino: parent,
                        file_type: FileType::Directory,
                    },
                ];
                for (name, node) in children {
                    let stat = self.node_stat(&node)?;
                    out.push(DirEntry {
                        name,
                        ino: stat.ino,
                        file_type: stat.file_type,
                    });
                }
                Ok(out)
            }
            NodeRef::Host { mount, path } => {
                let (index, path) = (*mount, path.clone());
                let mount = self.mount(index)?;
                let dev = mount.dev;
                let parent_ino = mount.parent_ino;
                let self_meta = mount.lstat(&path)?;
                let parent = match path.parent() {
                    Some(p) => Some(mount.lstat(p)?),
                    None => None,
                };
                let entries = mount.list(&path)?;
                let mut out = Vec::with_capacity(entries.len() + 2);
                let self_stat = self.host_stat(dev, &self_meta);
                let parent_ino = match parent {
                    Some(meta) => self.host_stat(dev, &meta).ino,
                    None => parent_ino,
                };
                out.push(DirEntry {
                    name: ".".into(),
                    ino: self_stat.ino,
                    file_type: FileType::Directory,
                });
                out.push(DirEntry {
                    name: "..".into(),
                    ino: parent_ino,
                    file_type: FileType::Directory,
                });
                for (name, meta) in entries {
                    let stat = self.host_stat(dev, &meta);
                    out.push(DirEntry {
                        name,
                        ino: stat.ino,
                        file_type: stat.file_type,
                    });
                }
                Ok(out)
            }
        }
    }

    // ---- path operations --------------------------------------------------

    /// Metadata of `path` relative to `dir`.
    pub fn path_stat(&mut self, dir: &Handle, path: &str, follow: bool) -> Result<Stat> {
        let walk = self.walk(&dir.node, path, follow)?;
        let (node, _) = walk.found.ok_or(Errno::NoEnt)?;
        self.node_stat(&node)
    }

    /// Sets the times of `path` relative to `dir`.
    pub fn path_set_times(
        &mut self,
        dir: &Handle,
        path: &str,
        follow: bool,
        atime: SetTime,
        mtime: SetTime,
        now: u64,
    ) -> Result<()> {
        let walk = self.walk(&dir.node, path, follow)?;
        let (node, _) = walk.found.ok_or(Errno::NoEnt)?;
        self.node_set_times(&node, atime, mtime, now, follow)
    }

    /// The target of the symlink at `path`.
    pub fn readlink(&mut self, dir: &Handle, path: &str) -> Result<String> {
        let walk = self.walk(&dir.node, path, false)?;
        match walk.found {
            Some((node, FileType::Symlink)) => self.link_target(&node),
            Some(_) => Err(Errno::Inval),
            None => Err(Errno::NoEnt),
        }
    }

    fn link_target(&self, node: &NodeRef) -> Result<String> {
        match node {
            NodeRef::Mem(ino) => match &self.inode(*ino)?.kind {
                InodeKind::Symlink(t) => Ok(t.clone()),
                _ => Err(Errno::Inval),
            },
            NodeRef::Host { mount, path } => self.mount(*mount)?.read_link(path),
        }
    }

    /// Makes a new in-memory object in `parent`, charged to the budget.
    fn create_mem(&mut self, parent: Ino, name: &str, kind: InodeKind, now: u64) -> Result<Ino> {
        let cost = INODE_COST
            + match &kind {
                InodeKind::Symlink(t) => t.len() as u64,
                _ => 0,
            };
        self.charge(cost)?;
        let is_dir = matches!(kind, InodeKind::Dir(_));
        let ino = self.table.insert(kind, now);
        self.inode_mut(ino)?.charged = cost;
        let node = NodeRef::Mem(ino);
        self.replace_entry(parent, name, node, is_dir);
        self.touch_dir(parent, now);
        Ok(ino)
    }

    fn touch_dir(&mut self, ino: Ino, now: u64) {
        if let Some(inode) = self.table.get_mut(ino) {
            inode.mtime = now;
            inode.ctime = now;
        }
    }

    fn create_file(&mut self, parent: &NodeRef, name: &str, now: u64) -> Result<NodeRef> {
        match parent {
            NodeRef::Mem(dir) => {
                let kind = InodeKind::File(FileData::default());
                let ino = self.create_mem(*dir, name, kind, now)?;
                Ok(NodeRef::Mem(ino))
            }
            NodeRef::Host { mount, path } => {
                let child = path.join(name);
                self.writable_mount(*mount)?.create_file(&child)?;
                Ok(NodeRef::Host {
                    mount: *mount,
                    path: child,
                })
            }
        }
    }

    /// Resolves a path whose last component must not exist yet.
    fn walk_new(&mut self, dir: &Handle, path: &str) -> Result<(NodeRef, String)> {
        let walk = self.walk(&dir.node, path, false)?;
        if walk.found.is_some() {
            return Err(Errno::Exist);
        }
        Ok((walk.parent, walk.name.ok_or(Errno::Exist)?))
    }

    /// Creates the directory `path`.
    pub fn create_dir(&mut self, dir: &Handle, path: &str, now: u64) -> Result<()> {
        let (parent, name) = self.walk_new(dir, path)?;
        match parent {
            NodeRef::Mem(p) => {
                let kind = InodeKind::Dir(DirData {
                    entries: Default::default(),
                    parent: p,
                });
                self.create_mem(p, &name, kind, now).map(drop)
            }
            NodeRef::Host { mount, path } => {
                self.writable_mount(mount)?.create_dir(&path.join(name))
            }
        }
    }

    /// Creates a symlink at `path` pointing at `target`.
    pub fn symlink(&mut self, target: &str, dir: &Handle, path: &str, now: u64) -> Result<()> {
        if target.is_empty() {
            return Err(Errno::NoEnt);
        }
        let walk = self.walk(&dir.node, path, false)?;
        if walk.found.is_some() {
            return Err(Errno::Exist);
        }
        if walk.trailing_slash {
            return Err(Errno::NoEnt);
        }
        let name = walk.name.ok_or(Errno::Exist)?;
        match walk.parent {
            NodeRef::Mem(p) => self
                .create_mem(p, &name, InodeKind::Symlink(target.to_owned()), now)
                .map(drop),
            NodeRef::Host { mount, path } => {
                // An absolute target on the host would point somewhere real
                // for every host process that follows it later.
                if target.starts_with('/') {
                    return Err(Errno::Perm);
                }
                self.writable_mount(mount)?
                    .symlink(target, &path.join(name))
            }
        }
    }

    /// Removes the file (or symlink) `path`.
    pub fn unlink(&mut self, dir: &Handle, path: &str, now: u64) -> Result<()> {
        let walk = self.walk(&dir.node, path, false)?;
        let (node, file_type) = walk.found.ok_or(Errno::NoEnt)?;
        if file_type == FileType::Directory {
            return Err(Errno::IsDir);
        }
        if walk.trailing_slash {
            return Err(Errno::NotDir);
        }
        let name = walk.name.ok_or(Errno::IsDir)?;
        match walk.parent {
            NodeRef::Mem(p) => {
                self.remove_entry(p, &name, now);
                if let NodeRef::Mem(ino) = node {
                    self.touch_dir(ino, now);
                }
                Ok(())
            }
            NodeRef::Host { mount, path } => {
                self.writable_mount(mount)?.remove_file(&path.join(name))
            }
        }
    }

    /// Removes the empty directory `path`.
    pub fn remove_dir(&mut self, dir: &Handle, path: &str, now: u64) -> Result<()> {
        let walk = self.walk(&dir.node, path, false)?;
        let (node, file_type) = walk.found.ok_or(Errno::NoEnt)?;
        if file_type != FileType::Directory {
            return Err(Errno::NotDir);
        }
        // `.`, `..` or the base directory itself.
        let name = walk.name.ok_or(Errno::Inval)?;
        match (&walk.parent, &node) {
            (NodeRef::Mem(_), NodeRef::Host { .. }) => Err(Errno::Busy),
            (NodeRef::Mem(p), NodeRef::Mem(ino)) => {
                if !self.mem_dir(*ino).is_some_and(|d| d.entries.is_empty()) {
                    return Err(Errno::NotEmpty);
                }
                self.remove_entry(*p, &name, now);
                Ok(())
            }
            (NodeRef::Host { mount, path }, _) => {
                self.writable_mount(*mount)?.remove_dir(&path.join(name))
            }
        }
    }

    /// Removes `parent/name` from the in-memory tree.
    fn remove_entry(&mut self, parent: Ino, name: &str, now: u64) {
        let Some(old) = self
            .mem_dir_mut(parent)
            .and_then(|d| d.entries.remove(name))
        else {
            return;
        };
        if let NodeRef::Mem(ino) = old {
            if matches!(
                self.table.get(ino).map(|i| &i.kind),
                Some(InodeKind::Dir(_))
            ) {
                if let Some(p) = self.table.get_mut(parent) {
                    p.nlink = p.nlink.saturating_sub(1);
                }
            }
            if let Some(inode) = self.table.get_mut(ino) {
                inode.ctime = now;
            }
        }
        self.touch_dir(parent, now);
        self.drop_link(&old);
    }

    /// Renames `from` (relative to `from_dir`) to `to` (relative to
    /// `to_dir`), replacing a file or an empty directory there.
    pub fn rename(
        &mut self,
        from_dir: &Handle,
        from: &str,
        to_dir: &Handle,
        to: &str,
        now: u64,
    ) -> Result<()> {
        let src = self.walk(&from_dir.node, from, false)?;
        let (src_node, src_type) = src.found.clone().ok_or(Errno::NoEnt)?;
        let dst = self.walk(&to_dir.node, to, false)?;
        let src_name = src.name.clone().ok_or(Errno::Busy)?;
        let dst_name = dst.name.clone().ok_or(Errno::Busy)?;
        if src_type != FileType::Directory && (src.trailing_slash || dst.trailing_slash) {
            return Err(Errno::NotDir);
        }
        if let Some((dst_node, dst_type)) = &dst.found {
            if *dst_node == src_node {
                return Ok(());
            }
            match (
                src_type == FileType::Directory,
                *dst_type == FileType::Directory,
            ) {
                (true, false) => return Err(Errno::NotDir),
                (false, true) => return Err(Errno::IsDir),
                _ => {}
            }
        }

        match (&src.parent, &dst.parent) {
            (NodeRef::Mem(sp), NodeRef::Mem(dp)) => {
                let (sp, dp) = (*sp, *dp);
                let NodeRef::Mem(src_ino) = src_node else {
                    // A mount point cannot move.
                    return Err(Errno::Busy);
                };
                if let Some((dst_node, _)) = &dst.found {
                    match dst_node {
                        NodeRef::Host { .. } => return Err(Errno::Busy),
                        NodeRef::Mem(d) => {
                            if self.mem_dir(*d).is_some_and(|d| !d.entries.is_empty()) {
                                return Err(Errno::NotEmpty);
                            }
                        }
                    }
                }
                if src_type == FileType::Directory && self.is_ancestor(src_ino, dp) {
                    return Err(Errno::Inval);
                }

                // Take the source out without dropping its link, then put it
                // in place of whatever the target held.
                let is_dir = src_type == FileType::Directory;
                if let Some(d) = self.mem_dir_mut(sp) {
                    d.entries.remove(&src_name);
                }
                if is_dir {
                    if let Some(p) = self.table.get_mut(sp) {
                        p.nlink = p.nlink.saturating_sub(1);
                    }
                }
                if dst.found.is_some() {
                    self.remove_entry(dp, &dst_name, now);
                }
                self.replace_entry(dp, &dst_name, NodeRef::Mem(src_ino), is_dir);
                if let Some(InodeKind::Dir(d)) = self.table.get_mut(src_ino).map(|i| &mut i.kind) {
                    d.parent = dp;
                }
                if let Some(inode) = self.table.get_mut(src_ino) {
                    inode.ctime = now;
                }
                self.touch_dir(sp, now);
                self.touch_dir(dp, now);
                Ok(())
            }
            (NodeRef::Host { mount: a, path: pa }, NodeRef::Host { mount: b, path: pb })
                if a == b =>
            {
                if matches!(&src_node, NodeRef::Host { path, .. } if path.as_os_str().is_empty()) {
                    return Err(Errno::Busy);
                }
                self.writable_mount(*a)?
                    .rename(&pa.join(&src_name), &pb.join(&dst_name))
            }
            _ => Err(Errno::CrossDevice),
        }
    }

    /// Whether directory `ancestor` is `ino` or one of its parents.
    fn is_ancestor(&self, ancestor: Ino, mut ino: Ino) -> bool {
        // Bounded by the tree's depth; the root is its own parent.
        loop {
            if ino == ancestor {
                return true;
            }
            match self.mem_dir(ino) {
                Some(d) if d.parent != ino => ino = d.parent,
                _ => return false,
            }
        }
    }

    /// Makes `to` a new hard link to the file `from`.
    pub fn link(
        &mut self,
        from_dir: &Handle,
        from: &str,
        follow: bool,
        to_dir: &Handle,
        to: &str,
        now: u64,
    ) -> Result<()> {
        let src = self.walk(&from_dir.node, from, follow)?;
        let (src_node, src_type) = src.found.ok_or(Errno::NoEnt)?;
        if src_type == FileType::Directory {
            return Err(Errno::Perm);
        }
        if src.trailing_slash {
            return Err(Errno::NotDir);
        }
        let dst = self.walk(&to_dir.node, to, false)?;
        if dst.found.is_some() {
            return Err(Errno::Exist);
        }
        if dst.trailing_slash {
            return Err(Errno::NoEnt);
        }
        let name = dst.name.ok_or(Errno::Exist)?;
        match (&src_node, &dst.parent) {
            (NodeRef::Mem(ino), NodeRef::Mem(dp)) => {
                self.charge(INODE_COST)?;
                let inode = self.inode_mut(*ino)?;
                inode.nlink += 1;
                inode.ctime = now;
                inode.charged += INODE_COST;
                let dp = *dp;
                if let Some(d) = self.mem_dir_mut(dp) {
                    d.entries.insert(name, src_node.clone());
                }
                self.touch_dir(dp, now);
                Ok(())
            }
            (NodeRef::Host { mount: a, path: pa }, NodeRef::Host { mount: b, path: pb })
                if a == b =>
            {
                self.writable_mount(*a)?.hard_link(pa, &pb.join(name))
            }
            _ => Err(Errno::CrossDevice),
        }
    }

    /// Whether `node` is a directory the filesystem can list.
    pub fn is_dir(&self, node: &NodeRef) -> bool {
        self.node_type(node).is_ok_and(|t| t == FileType::Directory)
    }

    /// Resolves a path; see [`walk`].
    fn walk(&mut self, base: &NodeRef, path: &str, follow: bool) -> Result<Walk> {
        walk::walk(self, base, path, follow)
    }
}

fn host_mount_of(node: &NodeRef) -> usize {
    match node {
        NodeRef::Host { mount, .. } => *mount,
        NodeRef::Mem(_) => usize::MAX,
    }
}

/// Splits an absolute guest path into its components, refusing `.`, `..`
/// and relative paths.
fn clean_absolute(path: &str) -> Option<Vec<&str>> {
    let rest = path.strip_prefix('/')?;
    let parts: Vec<&str> = rest.split('/').filter(|c| !c.is_empty()).collect();
    if parts
        .iter()
        .any(|c| *c == "." || *c == ".." || c.len() > MAX_NAME_LEN)
    {
        return None;
    }
    Some(parts)
}

#[cfg(test)]
mod tests;
