//! A channel as the sandbox holds it: quotas, counters and the etag.

use crate::{Channel, ChannelError, Etag, EtagAlgorithm, Finish};

/// The four quotas of a channel, ZeroVM's gets, getsize, puts and putsize.
/// `u64::MAX` means no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Read operations.
    pub reads: u64,
    /// Bytes read.
    pub read_bytes: u64,
    /// Write operations.
    pub writes: u64,
    /// Bytes written.
    pub write_bytes: u64,
}

impl Limits {
    /// No limit on anything.
    pub const UNLIMITED: Limits = Limits {
        reads: u64::MAX,
        read_bytes: u64::MAX,
        writes: u64::MAX,
        write_bytes: u64::MAX,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::UNLIMITED
    }
}

/// What passed through a channel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// Read operations that succeeded (a read at end of file counts).
    pub reads: u64,
    /// Bytes read.
    pub read_bytes: u64,
    /// Write operations that succeeded.
    pub writes: u64,
    /// Bytes written.
    pub write_bytes: u64,
}

/// A channel with its alias, quotas, counters and etag.
///
/// A read or write past a quota fails with [`ChannelError::Quota`]
/// (`EDQUOT` in the sandbox); one longer than the bytes left is shortened.
/// End of file counts as ZeroVM counted it: a 10-byte file read with a
/// 10-byte quota never returns 0, since the read that would find the end
/// finds the quota used up first.
pub struct Port {
    alias: String,
    channel: Box<dyn Channel>,
    limits: Limits,
    counters: Counters,
    etag: Option<Etag>,
}

impl std::fmt::Debug for Port {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Port")
            .field("alias", &self.alias)
            .field("limits", &self.limits)
            .field("counters", &self.counters)
            .finish()
    }
}

impl Port {
    /// Wraps `channel` under `alias`; `etag` asks for a running hash.
    pub fn new(
        alias: impl Into<String>,
        channel: Box<dyn Channel>,
        limits: Limits,
        etag: Option<EtagAlgorithm>,
    ) -> Self {
        Port {
            alias: alias.into(),
            channel,
            limits,
            counters: Counters::default(),
            etag: etag.map(Etag::new),
        }
    }

    /// The path the sandbox sees, like `/dev/input`.
    pub fn alias(&self) -> &str {
        &self.alias
    }

    /// The quotas.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// What has passed so far.
    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// The etag so far, as hex, if one was asked for.
    pub fn etag(&self) -> Option<String> {
        self.etag.as_ref().map(Etag::hex)
    }

    /// Whether the sandbox may read.
    pub fn readable(&self) -> bool {
        self.channel.readable()
    }

    /// Whether the sandbox may write.
    pub fn writable(&self) -> bool {
        self.channel.writable()
    }

    /// The size of a random-access channel.
    pub fn size(&self) -> Option<u64> {
        self.channel.size()
    }

    /// Whether the channel's bytes cross the network.
    pub fn is_network(&self) -> bool {
        self.channel.is_network()
    }

    /// How many bytes a read may move now.
    fn read_room(&self, wanted: usize) -> Result<usize, ChannelError> {
        if !self.channel.readable() {
            return Err(ChannelError::WrongDirection("readable"));
        }
        let left = self
            .limits
            .read_bytes
            .saturating_sub(self.counters.read_bytes);
        if self.counters.reads >= self.limits.reads || left == 0 {
            return Err(ChannelError::Quota);
        }
        Ok(wanted.min(usize::try_from(left).unwrap_or(usize::MAX)))
    }

    fn write_room(&self, wanted: usize) -> Result<usize, ChannelError> {
        if !self.channel.writable() {
            return Err(ChannelError::WrongDirection("writable"));
        }
        let left = self
            .limits
            .write_bytes
            .saturating_sub(self.counters.write_bytes);
        if self.counters.writes >= self.limits.writes || left == 0 {
            return Err(ChannelError::Quota);
        }
        Ok(wanted.min(usize::try_from(left).unwrap_or(usize::MAX)))
    }

    fn count_read(&mut self, bytes: &[u8]) {
        self.counters.reads += 1;
        self.counters.read_bytes += bytes.len() as u64;
        if let Some(etag) = &mut self.etag {
            etag.update(bytes);
        }
    }

    fn count_write(&mut self, bytes: &[u8]) {
        self.counters.writes += 1;
        self.counters.write_bytes += bytes.len() as u64;
        if let Some(etag) = &mut self.etag {
            etag.update(bytes);
        }
    }

    /// Reads the next bytes of the stream.
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, ChannelError> {
        if buf.is_empty() {
            return Ok(0);
        }
        let room = self.read_room(buf.len())?;
        let n = self.channel.read(&mut buf[..room])?;
        self.count_read(&buf[..n]);
        Ok(n)
    }

    /// Reads at `offset` of a random-access channel.
    pub fn read_at(&mut self, buf: &mut [u8], offset: u64) -> Result<usize, ChannelError> {
        if buf.is_empty() {
            return Ok(0);
        }
        let room = self.read_room(buf.len())?;
        let n = self.channel.read_at(&mut buf[..room], offset)?;
        self.count_read(&buf[..n]);
        Ok(n)
    }

    /// Writes to the stream.
    pub fn write(&mut self, data: &[u8]) -> Result<usize, ChannelError> {
        if data.is_empty() {
            return Ok(0);
        }
        let room = self.write_room(data.len())?;
        let n = self.channel.write(&data[..room])?;
        self.count_write(&data[..n]);
        Ok(n)
    }

    /// Writes at `offset` of a random-access channel.
    pub fn write_at(&mut self, data: &[u8], offset: u64) -> Result<usize, ChannelError> {
        if data.is_empty() {
            return Ok(0);
        }
        let room = self.write_room(data.len())?;
        let n = self.channel.write_at(&data[..room], offset)?;
        self.count_write(&data[..n]);
        Ok(n)
    }

    /// Flushes buffered output.
    pub fn flush(&mut self) -> Result<(), ChannelError> {
        self.channel.flush()
    }

    /// Ends the channel, committing or discarding its output.
    pub fn finish(&mut self, commit: bool) -> Result<Finish, ChannelError> {
        self.channel.finish(commit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipe;

    struct Bytes(std::io::Cursor<Vec<u8>>);

    impl Channel for Bytes {
        fn read(&mut self, buf: &mut [u8]) -> Result<usize, ChannelError> {
            Ok(std::io::Read::read(&mut self.0, buf)?)
        }
        fn readable(&self) -> bool {
            true
        }
        fn writable(&self) -> bool {
            false
        }
    }

    fn input(data: &[u8], limits: Limits) -> Port {
        Port::new(
            "/dev/input",
            Box::new(Bytes(std::io::Cursor::new(data.to_vec()))),
            limits,
            Some(EtagAlgorithm::Md5),
        )
    }

    #[test]
    fn read_byte_quota_shortens_then_refuses() {
        let limits = Limits {
            read_bytes: 10,
            ..Limits::UNLIMITED
        };
        let mut port = input(b"0123456789abcdef", limits);
        let mut buf = [0u8; 6];
        assert_eq!(port.read(&mut buf).unwrap(), 6);
        assert_eq!(port.read(&mut buf).unwrap(), 4);
        assert!(matches!(port.read(&mut buf), Err(ChannelError::Quota)));
        assert_eq!(port.counters().read_bytes, 10);
    }

    #[test]
    fn end_of_file_counts_like_zerovm() {
        // A 10-byte file with a 10-byte quota never reports end of file.
        let limits = Limits {
            read_bytes: 10,
            ..Limits::UNLIMITED
        };
        let mut port = input(b"0123456789", limits);
        let mut buf = [0u8; 64];
        assert_eq!(port.read(&mut buf).unwrap(), 10);
        assert!(matches!(port.read(&mut buf), Err(ChannelError::Quota)));
        // With room to spare, end of file is a read of 0 that counts.
        let mut port = input(b"0123456789", Limits::UNLIMITED);
        assert_eq!(port.read(&mut buf).unwrap(), 10);
        assert_eq!(port.read(&mut buf).unwrap(), 0);
        assert_eq!(port.counters().reads, 2);
        assert_eq!(
            port.etag().unwrap(),
            crate::etag::digest(EtagAlgorithm::Md5, b"0123456789")
        );
    }

    #[test]
    fn operation_quotas() {
        let limits = Limits {
            reads: 2,
            ..Limits::UNLIMITED
        };
        let mut port = input(b"abc", limits);
        let mut buf = [0u8; 1];
        port.read(&mut buf).unwrap();
        port.read(&mut buf).unwrap();
        assert!(matches!(port.read(&mut buf), Err(ChannelError::Quota)));

        let (_r, w) = pipe::pipe(16);
        let limits = Limits {
            writes: 1,
            write_bytes: 3,
            ..Limits::UNLIMITED
        };
        let mut out = Port::new("/dev/out", Box::new(w), limits, None);
        assert_eq!(out.write(b"hello").unwrap(), 3);
        assert!(matches!(out.write(b"x"), Err(ChannelError::Quota)));
        assert!(matches!(
            out.read(&mut buf),
            Err(ChannelError::WrongDirection(_))
        ));
    }
}
