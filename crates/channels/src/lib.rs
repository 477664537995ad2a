//! Channels: the only doors between a sandbox and the outside world.
//!
//! A [`Channel`] is a byte stream (or, for random-access files, a byte
//! array) the sandbox reads from or writes to: a host file in one of
//! ZeroVM's access modes ([`file`]), a FIFO or character device, an
//! in-memory pipe between two sandboxes of a job ([`pipe`]), a TCP stream
//! between machines ([`tcp`]), the host's
//! standard streams, or nothing at all. A [`Port`] wraps a channel with
//! what ZeroVM promised about every channel: four quotas, counters for the
//! report, and an optional running hash of every byte (the etag).
//!
//! Outputs are never half-written: a host file written through a channel
//! is written under a temporary name beside its target and renamed over it
//! only when the session ends well ([`Channel::finish`]).

pub mod etag;
pub mod file;
pub mod pipe;
mod port;
mod stdio;
pub mod tcp;

pub use etag::{Etag, EtagAlgorithm};
pub use port::{Counters, Limits, Port};
pub use stdio::{BytesChannel, HostStderr, HostStdin, HostStdout, NullChannel};

/// Why a channel operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    /// The channel does not go this way (reading an output, writing an
    /// input).
    #[error("channel is not {0}")]
    WrongDirection(&'static str),
    /// A quota of the channel is used up.
    #[error("channel quota exceeded")]
    Quota,
    /// The channel is sequential: it has no offsets.
    #[error("channel is not seekable")]
    NotSeekable,
    /// An offset past what the channel allows.
    #[error("offset out of range")]
    BadOffset,
    /// The other end has gone away.
    #[error("broken pipe")]
    BrokenPipe,
    /// The data was damaged in transit (an etag mismatch at end of stream).
    #[error("data corrupted in transit: {0}")]
    Corrupted(String),
    /// The host failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// What became of a channel's output when the session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finish {
    /// Nothing to commit (inputs, streams, pipes).
    Nothing,
    /// The output replaced its target.
    Committed(std::path::PathBuf),
    /// The output was thrown away; its target is as it was.
    Discarded(std::path::PathBuf),
}

/// A byte stream or array between the sandbox and the host.
pub trait Channel: Send {
    /// Reads up to `buf.len()` bytes; 0 means end of stream.
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ChannelError> {
        let _ = buf;
        Err(ChannelError::WrongDirection("readable"))
    }

    /// Writes some of `data`; returns how much was taken.
    fn write(&mut self, data: &[u8]) -> Result<usize, ChannelError> {
        let _ = data;
        Err(ChannelError::WrongDirection("writable"))
    }

    /// Reads at `offset` (random-access channels only).
    fn read_at(&mut self, buf: &mut [u8], offset: u64) -> Result<usize, ChannelError> {
        let _ = (buf, offset);
        Err(ChannelError::NotSeekable)
    }

    /// Writes at `offset` (random-access channels only).
    fn write_at(&mut self, data: &[u8], offset: u64) -> Result<usize, ChannelError> {
        let _ = (data, offset);
        Err(ChannelError::NotSeekable)
    }

    /// The current size, for random-access channels.
    fn size(&self) -> Option<u64> {
        None
    }

    /// Pushes buffered bytes out to the host.
    fn flush(&mut self) -> Result<(), ChannelError> {
        Ok(())
    }

    /// Ends the channel: commits its output when `commit`, discards it
    /// otherwise. Called once, when the session ends.
    fn finish(&mut self, commit: bool) -> Result<Finish, ChannelError> {
        let _ = commit;
        self.flush()?;
        Ok(Finish::Nothing)
    }

    /// Whether reads are allowed.
    fn readable(&self) -> bool;

    /// Whether writes are allowed.
    fn writable(&self) -> bool;

    /// Whether the bytes cross the network (for the report's accounting).
    fn is_network(&self) -> bool {
        false
    }
}
