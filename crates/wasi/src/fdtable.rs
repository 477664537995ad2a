//! The guest's file descriptors.

use zerovm_vfs::{Device, Handle};

use crate::Errno;

/// Most descriptors a guest may hold open at once; one more is `EMFILE`.
pub const MAX_FDS: usize = 1024;

/// What a descriptor refers to.
pub(crate) enum FdKind {
    /// A declared channel (the standard streams among them): an index into
    /// the session's ports, and the position for random-access channels.
    Channel { index: u32, offset: u64 },
    /// A regular file or a device of the filesystem.
    File {
        handle: Handle,
        offset: u64,
        /// Set for `/dev/null` and its kin, whose bytes the WASI layer makes.
        device: Option<Device>,
    },
    /// A directory.
    Dir {
        handle: Handle,
        /// The guest path it was preopened at, if it was.
        preopen: Option<String>,
    },
}

/// One open descriptor.
pub(crate) struct Fd {
    pub kind: FdKind,
    pub rights_base: u64,
    pub rights_inheriting: u64,
    /// Preview 1 `fdflags`; only `APPEND` changes behaviour.
    pub flags: u16,
}

/// Descriptors by number; new ones take the lowest free number.
#[derive(Default)]
pub(crate) struct FdTable {
    slots: Vec<Option<Fd>>,
}

impl FdTable {
    pub fn insert(&mut self, fd: Fd) -> Result<u32, Errno> {
        let index = match self.slots.iter().position(Option::is_none) {
            Some(i) => i,
            None if self.slots.len() < MAX_FDS => {
                self.slots.push(None);
                self.slots.len() - 1
            }
            None => return Err(Errno::Mfile),
        };
        self.slots[index] = Some(fd);
        // MAX_FDS is far below u32::MAX.
        Ok(index as u32)
    }

    /// Appends a slot, open or closed (for the standard descriptors).
    pub fn insert_slot(&mut self, fd: Option<Fd>) -> Result<u32, Errno> {
        if self.slots.len() >= MAX_FDS {
            return Err(Errno::Mfile);
        }
        self.slots.push(fd);
        Ok((self.slots.len() - 1) as u32)
    }

    pub fn get(&self, fd: u32) -> Result<&Fd, Errno> {
        self.slots
            .get(fd as usize)
            .and_then(Option::as_ref)
            .ok_or(Errno::Badf)
    }

    pub fn get_mut(&mut self, fd: u32) -> Result<&mut Fd, Errno> {
        self.slots
            .get_mut(fd as usize)
            .and_then(Option::as_mut)
            .ok_or(Errno::Badf)
    }

    pub fn remove(&mut self, fd: u32) -> Result<Fd, Errno> {
        self.slots
            .get_mut(fd as usize)
            .and_then(Option::take)
            .ok_or(Errno::Badf)
    }

    /// Puts `fd` at number `to`, which must be open; returns what was there.
    pub fn replace(&mut self, to: u32, fd: Fd) -> Result<Fd, Errno> {
        let slot = self.slots.get_mut(to as usize).ok_or(Errno::Badf)?;
        slot.replace(fd).ok_or(Errno::Badf)
    }

    /// Sets the position of every descriptor on channel `index` to 0.
    pub fn reset_channel_offsets(&mut self, index: u32) {
        for fd in self.slots.iter_mut().flatten() {
            if let FdKind::Channel { index: i, offset } = &mut fd.kind {
                if *i == index {
                    *offset = 0;
                }
            }
        }
    }

    /// Takes every descriptor out, for closing at the end of a session.
    pub fn drain(&mut self) -> impl Iterator<Item = Fd> + '_ {
        self.slots.drain(..).flatten()
    }
}
