//! In-memory pipes between sandboxes of one job.
//!
//! A bounded buffer shared by one writer and one reader, each on its own
//! thread. The reader waits for bytes or the writer's end; the writer waits
//! for room. When the reader goes away, the writer's next write fails with
//! a broken pipe instead of waiting for ever; when the writer goes away,
//! the reader drains what is left and then sees end of stream. A
//! [`PipeAbort`] breaks the pipe from outside (a job stopping its nodes):
//! both ends then fail at once, blocked or not.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use crate::{Channel, ChannelError, Finish};

#[derive(Debug, Default)]
struct State {
    buf: VecDeque<u8>,
    writer_gone: bool,
    reader_gone: bool,
    aborted: bool,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    capacity: usize,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain bytes and flags behind,
        // which stay consistent; carry on with them.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The reading end of a pipe.
#[derive(Debug)]
pub struct PipeReader(Arc<Shared>);

/// The writing end of a pipe.
#[derive(Debug)]
pub struct PipeWriter(Arc<Shared>);

/// A new pipe holding at most `capacity` bytes in flight.
pub fn pipe(capacity: usize) -> (PipeReader, PipeWriter) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State::default()),
        changed: Condvar::new(),
        capacity: capacity.max(1),
    });
    (PipeReader(shared.clone()), PipeWriter(shared))
}

impl Channel for PipeReader {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ChannelError> {
        let shared = &self.0;
        let mut state = shared.lock();
        while state.buf.is_empty() && !state.writer_gone && !state.aborted {
            state = shared
                .changed
                .wait(state)
                .unwrap_or_else(|p| p.into_inner());
        }
        if state.aborted {
            return Err(ChannelError::BrokenPipe);
        }
        let n = buf.len().min(state.buf.len());
        for (slot, byte) in buf.iter_mut().zip(state.buf.drain(..n)) {
            *slot = byte;
        }
        shared.changed.notify_all();
        Ok(n)
    }

    fn finish(&mut self, _commit: bool) -> Result<Finish, ChannelError> {
        close_reader(&self.0);
        Ok(Finish::Nothing)
    }

    fn readable(&self) -> bool {
        true
    }

    fn writable(&self) -> bool {
        false
    }
}

impl Channel for PipeWriter {
    fn write(&mut self, data: &[u8]) -> Result<usize, ChannelError> {
        let shared = &self.0;
        let mut state = shared.lock();
        loop {
            if state.reader_gone || state.aborted {
                return Err(ChannelError::BrokenPipe);
            }
            let room = shared.capacity.saturating_sub(state.buf.len());
            if room > 0 {
                let n = room.min(data.len());
                state.buf.extend(&data[..n]);
                shared.changed.notify_all();
                return Ok(n);
            }
            state = shared
                .changed
                .wait(state)
                .unwrap_or_else(|p| p.into_inner());
        }
    }

    fn finish(&mut self, _commit: bool) -> Result<Finish, ChannelError> {
        close_writer(&self.0);
        Ok(Finish::Nothing)
    }

    fn readable(&self) -> bool {
        false
    }

    fn writable(&self) -> bool {
        true
    }
}

/// Breaks a pipe from outside its two ends.
#[derive(Debug, Clone)]
pub struct PipeAbort(Arc<Shared>);

impl PipeAbort {
    /// Makes every read and write of the pipe, pending or later, fail with
    /// [`ChannelError::BrokenPipe`].
    pub fn abort(&self) {
        let mut state = self.0.lock();
        state.aborted = true;
        state.buf.clear();
        self.0.changed.notify_all();
    }
}

impl PipeReader {
    /// A handle that can break this pipe.
    pub fn abort_handle(&self) -> PipeAbort {
        PipeAbort(self.0.clone())
    }
}

fn close_reader(shared: &Shared) {
    let mut state = shared.lock();
    state.reader_gone = true;
    state.buf.clear();
    shared.changed.notify_all();
}

fn close_writer(shared: &Shared) {
    shared.lock().writer_gone = true;
    shared.changed.notify_all();
}

impl Drop for PipeReader {
    fn drop(&mut self) {
        close_reader(&self.0);
    }
}

impl Drop for PipeWriter {
    fn drop(&mut self) {
        close_writer(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_flow_and_end() {
        let (mut r, mut w) = pipe(4);
        let writer = std::thread::spawn(move || {
            let mut data: &[u8] = b"hello, pipe";
            while !data.is_empty() {
                let n = w.write(data).unwrap();
                data = &data[n..];
            }
        });
        let mut got = Vec::new();
        let mut buf = [0u8; 3];
        loop {
            let n = r.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        writer.join().unwrap();
        assert_eq!(got, b"hello, pipe");
    }

    #[test]
    fn an_abort_wakes_a_blocked_reader() {
        let (mut r, w) = pipe(4);
        let abort = r.abort_handle();
        let reader = std::thread::spawn(move || r.read(&mut [0u8; 4]));
        std::thread::sleep(std::time::Duration::from_millis(20));
        abort.abort();
        assert!(matches!(
            reader.join().unwrap(),
            Err(ChannelError::BrokenPipe)
        ));
        drop(w);
    }

    #[test]
    fn a_reader_that_leaves_never_hangs_the_writer() {
        let (r, mut w) = pipe(2);
        let writer = std::thread::spawn(move || loop {
            if let Err(e) = w.write(b"xxxx") {
                return e;
            }
        });
        std::thread::sleep(std::time::Duration::from_millis(20));
        drop(r);
        assert!(matches!(writer.join().unwrap(), ChannelError::BrokenPipe));
    }
}
