//! The bounded pool: every node has a thread, but only N of them compute
//! at once.
//!
//! A node takes a slot before it starts and gives it back when it ends.
//! While it waits in a pipe (a read with nothing to read, a write with no
//! room) it holds no slot, so a node blocked on a peer never keeps a peer
//! from running: with more nodes than slots, the nodes holding slots are
//! all computing, and each either ends or blocks, freeing its slot. Hence
//! no deadlock that the job itself does not contain.

use std::sync::{Arc, Condvar, Mutex};

use zerovm_runtime::channels::{Channel, ChannelError, Finish};

/// A counting semaphore of compute slots.
#[derive(Debug)]
pub(crate) struct Slots {
    free: Mutex<usize>,
    changed: Condvar,
}

impl Slots {
    pub(crate) fn new(n: usize) -> Arc<Self> {
        Arc::new(Slots {
            free: Mutex::new(n.max(1)),
            changed: Condvar::new(),
        })
    }

    /// Waits for a free slot and takes it.
    pub(crate) fn acquire(&self) {
        let mut free = self.free.lock().unwrap_or_else(|p| p.into_inner());
        while *free == 0 {
            free = self.changed.wait(free).unwrap_or_else(|p| p.into_inner());
        }
        *free -= 1;
    }

    /// Gives a slot back.
    pub(crate) fn release(&self) {
        *self.free.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        self.changed.notify_one();
    }
}

/// A pipe end that gives its node's slot back while it may block.
pub(crate) struct Pooled<C> {
    pub(crate) inner: C,
    pub(crate) slots: Arc<Slots>,
}

impl<C: Channel> Pooled<C> {
    /// Runs `op` without the slot.
    fn unslotted<T>(&mut self, op: impl FnOnce(&mut C) -> T) -> T {
        self.slots.release();
        let result = op(&mut self.inner);
        self.slots.acquire();
        result
    }
}

impl<C: Channel> Channel for Pooled<C> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ChannelError> {
        self.unslotted(|c| c.read(buf))
    }

    fn write(&mut self, data: &[u8]) -> Result<usize, ChannelError> {
        self.unslotted(|c| c.write(data))
    }

    fn flush(&mut self) -> Result<(), ChannelError> {
        self.inner.flush()
    }

    fn finish(&mut self, commit: bool) -> Result<Finish, ChannelError> {
        self.inner.finish(commit)
    }

    fn readable(&self) -> bool {
        self.inner.readable()
    }

    fn writable(&self) -> bool {
        self.inner.writable()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerovm_runtime::channels::pipe::pipe;

    #[test]
    fn a_blocked_reader_frees_its_slot() {
        // One slot: the reader takes it and blocks; the writer must still
        // get to run.
        let slots = Slots::new(1);
        let (r, w) = pipe(8);
        let mut reader = Pooled {
            inner: r,
            slots: slots.clone(),
        };
        let mut writer = Pooled {
            inner: w,
            slots: slots.clone(),
        };
        let s = slots.clone();
        let t = std::thread::spawn(move || {
            s.acquire();
            let mut buf = [0u8; 4];
            let n = reader.read(&mut buf).unwrap();
            s.release();
            buf[..n].to_vec()
        });
        std::thread::sleep(std::time::Duration::from_millis(20));
        slots.acquire();
        writer.write(b"hi").unwrap();
        slots.release();
        assert_eq!(t.join().unwrap(), b"hi");
    }
}
