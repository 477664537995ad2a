//! Channels: the only doors between a sandbox and the outside world.
//!
//! A [`Channel`] is a byte stream the sandbox reads from or writes to. The
//! WASI layer serves a guest's standard streams (and, later, every declared
//! device under `/dev`) from channels and knows nothing of what is behind
//! them. This crate holds the trait and the channels every session has: the
//! host's own standard streams and `null`.

mod stdio;

pub use stdio::{HostStderr, HostStdin, HostStdout, NullChannel};

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
    /// The other end has gone away.
    #[error("broken pipe")]
    BrokenPipe,
    /// The host failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// A byte stream between the sandbox and the host.
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

    /// Pushes buffered bytes out to the host.
    fn flush(&mut self) -> Result<(), ChannelError> {
        Ok(())
    }

    /// Whether reads are allowed.
    fn readable(&self) -> bool;

    /// Whether writes are allowed.
    fn writable(&self) -> bool;
}
