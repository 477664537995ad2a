//! The host process's own standard streams, and the empty channel.

use std::io::{Read, Write};

use crate::{Channel, ChannelError};

/// The host's standard input.
#[derive(Debug, Default)]
pub struct HostStdin;

impl Channel for HostStdin {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ChannelError> {
        Ok(std::io::stdin().lock().read(buf)?)
    }

    fn readable(&self) -> bool {
        true
    }

    fn writable(&self) -> bool {
        false
    }
}

/// The host's standard output. Writes go straight through (std's stdout
/// line-buffers), so nothing is lost when a session is cut short.
#[derive(Debug, Default)]
pub struct HostStdout;

impl Channel for HostStdout {
    fn write(&mut self, data: &[u8]) -> Result<usize, ChannelError> {
        let mut out = std::io::stdout().lock();
        out.write_all(data).map_err(broken_pipe)?;
        out.flush().map_err(broken_pipe)?;
        Ok(data.len())
    }

    fn readable(&self) -> bool {
        false
    }

    fn writable(&self) -> bool {
        true
    }
}

/// The host's standard error.
#[derive(Debug, Default)]
pub struct HostStderr;

impl Channel for HostStderr {
    fn write(&mut self, data: &[u8]) -> Result<usize, ChannelError> {
        std::io::stderr().write_all(data).map_err(broken_pipe)?;
        Ok(data.len())
    }

    fn readable(&self) -> bool {
        false
    }

    fn writable(&self) -> bool {
        true
    }
}

/// Reads end at once; writes are taken and dropped.
#[derive(Debug, Default)]
pub struct NullChannel;

impl Channel for NullChannel {
    fn read(&mut self, _buf: &mut [u8]) -> Result<usize, ChannelError> {
        Ok(0)
    }

    fn write(&mut self, data: &[u8]) -> Result<usize, ChannelError> {
        Ok(data.len())
    }

    fn readable(&self) -> bool {
        true
    }

    fn writable(&self) -> bool {
        true
    }
}

fn broken_pipe(err: std::io::Error) -> ChannelError {
    if err.kind() == std::io::ErrorKind::BrokenPipe {
        ChannelError::BrokenPipe
    } else {
        ChannelError::Io(err)
    }
}

/// Bytes held in memory, read once from the start (standard input replayed
/// for `--verify`, test input).
#[derive(Debug, Default)]
pub struct BytesChannel {
    data: Vec<u8>,
    pos: usize,
}

impl BytesChannel {
    /// A channel that reads `data`.
    pub fn new(data: Vec<u8>) -> Self {
        BytesChannel { data, pos: 0 }
    }
}

impl Channel for BytesChannel {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ChannelError> {
        let rest = &self.data[self.pos.min(self.data.len())..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.pos += n;
        Ok(n)
    }

    fn readable(&self) -> bool {
        true
    }

    fn writable(&self) -> bool {
        false
    }
}
