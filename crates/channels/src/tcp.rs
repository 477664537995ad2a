//! TCP channels between machines: the reading side binds, the writing
//! side connects.
//!
//! The stream is framed: each message is a 4-byte big-endian length and at
//! most [`MAX_FRAME`] bytes. The writer ends the stream explicitly with an
//! empty frame followed by a trailer holding the name of its hash and the
//! hex digest of every byte it sent; the reader hashes what it received
//! with the same algorithm and reports a mismatch as
//! [`ChannelError::Corrupted`]. A stream that stops without that end marker
//! is a broken pipe, never a silent end of file.
//!
//! Neither side waits for ever: both must meet within the rendezvous
//! timeout, and a reader that stops early closes its socket, so the writer
//! fails with a broken pipe instead of hanging.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use crate::etag::{Etag, EtagAlgorithm};
use crate::{Channel, ChannelError, Finish};

/// Largest payload of one frame.
pub const MAX_FRAME: usize = 64 * 1024;
/// How long the two sides wait for each other by default.
pub const DEFAULT_RENDEZVOUS: Duration = Duration::from_secs(10);
/// How often an unmet side looks again.
const POLL: Duration = Duration::from_millis(10);

/// The reading end: a bound listener until the writer arrives.
pub struct TcpReader {
    listener: Option<TcpListener>,
    stream: Option<TcpStream>,
    rendezvous: Duration,
    /// Bytes of the current frame not yet handed out.
    frame_left: usize,
    hash: Etag,
    ended: bool,
}

impl std::fmt::Debug for TcpReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcpReader")
            .field("ended", &self.ended)
            .finish()
    }
}

impl TcpReader {
    /// Binds `addr` (port 0 picks one); returns the reader and the address
    /// it listens on.
    pub fn bind(addr: SocketAddr, rendezvous: Duration) -> io::Result<(Self, SocketAddr)> {
        let listener = TcpListener::bind(addr)?;
        let local = listener.local_addr()?;
        listener.set_nonblocking(true)?;
        Ok((
            TcpReader {
                listener: Some(listener),
                stream: None,
                rendezvous,
                frame_left: 0,
                hash: Etag::new(EtagAlgorithm::Md5),
                ended: false,
            },
            local,
        ))
    }

    /// The connected stream, waiting for the writer up to the rendezvous.
    fn stream(&mut self) -> Result<&mut TcpStream, ChannelError> {
        if self.stream.is_none() {
            let listener = self.listener.take().ok_or(ChannelError::BrokenPipe)?;
            let deadline = Instant::now() + self.rendezvous;
            let stream = loop {
                match listener.accept() {
                    Ok((stream, _)) => break stream,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                        if Instant::now() >= deadline {
                            return Err(ChannelError::Io(io::Error::new(
                                io::ErrorKind::TimedOut,
                                "no writer connected within the rendezvous timeout",
                            )));
                        }
                        std::thread::sleep(POLL);
                    }
                    Err(e) => return Err(e.into()),
                }
            };
            stream.set_nonblocking(false)?;
            stream.set_nodelay(true)?;
            self.stream = Some(stream);
        }
        self.stream.as_mut().ok_or(ChannelError::BrokenPipe)
    }

    /// Reads the end-of-stream trailer and checks the writer's digest.
    fn check_trailer(&mut self) -> Result<(), ChannelError> {
        let stream = self.stream()?;
        let algorithm = read_short(stream)?;
        let digest = read_short(stream)?;
        let algorithm = EtagAlgorithm::parse(&algorithm).ok_or_else(|| {
            ChannelError::Corrupted(format!("unknown hash {algorithm:?} in the end marker"))
        })?;
        if algorithm != self.hash.algorithm() {
            // Only MD5 is hashed as the bytes arrive; the others are not
            // offered by writers of this crate.
            return Err(ChannelError::Corrupted(format!(
                "writer hashed with {}, reader with {}",
                algorithm.name(),
                self.hash.algorithm().name()
            )));
        }
        let ours = self.hash.hex();
        if ours != digest {
            return Err(ChannelError::Corrupted(format!(
                "the writer sent {digest}, the bytes received hash to {ours}"
            )));
        }
        Ok(())
    }
}

impl Channel for TcpReader {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ChannelError> {
        if self.ended || buf.is_empty() {
            return Ok(0);
        }
        if self.frame_left == 0 {
            let mut len = [0u8; 4];
            read_exact_or_broken(self.stream()?, &mut len)?;
            let len = u32::from_be_bytes(len) as usize;
            if len == 0 {
                self.check_trailer()?;
                self.ended = true;
                return Ok(0);
            }
            if len > MAX_FRAME {
                return Err(ChannelError::Corrupted(format!("frame of {len} bytes")));
            }
            self.frame_left = len;
        }
        let want = buf.len().min(self.frame_left);
        let stream = self.stream()?;
        read_exact_or_broken(stream, &mut buf[..want])?;
        self.frame_left -= want;
        self.hash.update(&buf[..want]);
        Ok(want)
    }

    fn finish(&mut self, _commit: bool) -> Result<Finish, ChannelError> {
        // Closing tells a writer still sending that nobody listens.
        if let Some(stream) = self.stream.take() {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
        self.listener = None;
        Ok(Finish::Nothing)
    }

    fn readable(&self) -> bool {
        true
    }

    fn writable(&self) -> bool {
        false
    }

    fn is_network(&self) -> bool {
        true
    }
}

/// The writing end.
pub struct TcpWriter {
    stream: TcpStream,
    hash: Etag,
    done: bool,
}

impl std::fmt::Debug for TcpWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcpWriter")
            .field("done", &self.done)
            .finish()
    }
}

impl TcpWriter {
    /// Connects to a reader at `addr`, trying again until `rendezvous`
    /// has passed (the reader may not be listening yet).
    pub fn connect(addr: SocketAddr, rendezvous: Duration) -> io::Result<Self> {
        let deadline = Instant::now() + rendezvous;
        let stream = loop {
            match TcpStream::connect_timeout(&addr, rendezvous.max(POLL)) {
                Ok(s) => break s,
                Err(e) if Instant::now() < deadline => {
                    tracing::trace!(%addr, %e, "reader not there yet");
                    std::thread::sleep(POLL);
                }
                Err(e) => return Err(e),
            }
        };
        stream.set_nodelay(true)?;
        Ok(TcpWriter {
            stream,
            hash: Etag::new(EtagAlgorithm::Md5),
            done: false,
        })
    }

    fn send(&mut self, bytes: &[u8]) -> Result<(), ChannelError> {
        self.stream.write_all(bytes).map_err(broken)
    }
}

impl Channel for TcpWriter {
    fn write(&mut self, data: &[u8]) -> Result<usize, ChannelError> {
        if self.done {
            return Err(ChannelError::BrokenPipe);
        }
        let n = data.len().min(MAX_FRAME);
        if n == 0 {
            return Ok(0);
        }
        // n <= MAX_FRAME, far below u32::MAX.
        self.send(&(n as u32).to_be_bytes())?;
        self.send(&data[..n])?;
        self.hash.update(&data[..n]);
        Ok(n)
    }

    fn finish(&mut self, commit: bool) -> Result<Finish, ChannelError> {
        if self.done {
            return Ok(Finish::Nothing);
        }
        self.done = true;
        if commit {
            // The end marker: an empty frame, then the hash's name and the
            // digest of everything sent.
            let name = self.hash.algorithm().name().as_bytes().to_vec();
            let digest = self.hash.hex().into_bytes();
            let mut trailer = vec![0u8; 4];
            trailer.push(name.len() as u8);
            trailer.extend_from_slice(&name);
            trailer.push(digest.len() as u8);
            trailer.extend_from_slice(&digest);
            self.send(&trailer)?;
        }
        // Without the marker the reader sees a broken stream, which is what
        // a failed session's output must look like.
        let _ = self.stream.shutdown(std::net::Shutdown::Write);
        Ok(Finish::Nothing)
    }

    fn readable(&self) -> bool {
        false
    }

    fn writable(&self) -> bool {
        true
    }

    fn is_network(&self) -> bool {
        true
    }
}

fn broken(e: io::Error) -> ChannelError {
    match e.kind() {
        io::ErrorKind::BrokenPipe
        | io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted => ChannelError::BrokenPipe,
        _ => ChannelError::Io(e),
    }
}

fn read_exact_or_broken(stream: &mut TcpStream, buf: &mut [u8]) -> Result<(), ChannelError> {
    stream.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => ChannelError::BrokenPipe,
        _ => broken(e),
    })
}

/// A string sent as one length byte and its bytes.
fn read_short(stream: &mut TcpStream) -> Result<String, ChannelError> {
    let mut len = [0u8; 1];
    read_exact_or_broken(stream, &mut len)?;
    let mut bytes = vec![0u8; usize::from(len[0])];
    read_exact_or_broken(stream, &mut bytes)?;
    String::from_utf8(bytes).map_err(|_| ChannelError::Corrupted("end marker is not text".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local() -> SocketAddr {
        "127.0.0.1:0".parse().unwrap()
    }

    fn read_all(r: &mut TcpReader) -> Result<Vec<u8>, ChannelError> {
        let mut out = Vec::new();
        let mut buf = [0u8; 1000];
        loop {
            let n = r.read(&mut buf)?;
            if n == 0 {
                return Ok(out);
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    #[test]
    fn bytes_arrive_and_the_end_is_checked() {
        let (mut reader, addr) = TcpReader::bind(local(), Duration::from_secs(5)).unwrap();
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let sent = data.clone();
        let writer = std::thread::spawn(move || {
            let mut w = TcpWriter::connect(addr, Duration::from_secs(5)).unwrap();
            let mut rest = &sent[..];
            while !rest.is_empty() {
                let n = w.write(rest).unwrap();
                rest = &rest[n..];
            }
            w.finish(true).unwrap();
        });
        assert_eq!(read_all(&mut reader).unwrap(), data);
        writer.join().unwrap();
    }

    #[test]
    fn a_stream_without_its_end_marker_is_broken() {
        let (mut reader, addr) = TcpReader::bind(local(), Duration::from_secs(5)).unwrap();
        let writer = std::thread::spawn(move || {
            let mut w = TcpWriter::connect(addr, Duration::from_secs(5)).unwrap();
            w.write(b"partial").unwrap();
            w.finish(false).unwrap();
        });
        assert!(matches!(
            read_all(&mut reader),
            Err(ChannelError::BrokenPipe)
        ));
        writer.join().unwrap();
    }

    #[test]
    fn a_wrong_digest_is_corruption() {
        let (mut reader, addr) = TcpReader::bind(local(), Duration::from_secs(5)).unwrap();
        let writer = std::thread::spawn(move || {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(&3u32.to_be_bytes()).unwrap();
            s.write_all(b"abc").unwrap();
            let mut trailer = vec![0, 0, 0, 0, 3];
            trailer.extend_from_slice(b"md5");
            trailer.push(32);
            trailer.extend_from_slice(&[b'0'; 32]);
            s.write_all(&trailer).unwrap();
        });
        assert!(matches!(
            read_all(&mut reader),
            Err(ChannelError::Corrupted(_))
        ));
        writer.join().unwrap();
    }

    #[test]
    fn nobody_waits_for_ever() {
        let (mut reader, _addr) = TcpReader::bind(local(), Duration::from_millis(50)).unwrap();
        let mut buf = [0u8; 4];
        assert!(matches!(reader.read(&mut buf), Err(ChannelError::Io(_))));

        // A reader that leaves early makes the writer fail, not hang.
        let (mut reader, addr) = TcpReader::bind(local(), Duration::from_secs(5)).unwrap();
        let writer = std::thread::spawn(move || {
            let mut w = TcpWriter::connect(addr, Duration::from_secs(5)).unwrap();
            let chunk = vec![7u8; MAX_FRAME];
            loop {
                if let Err(e) = w.write(&chunk) {
                    return e;
                }
            }
        });
        let mut buf = vec![0u8; 100];
        reader.read(&mut buf).unwrap();
        reader.finish(false).unwrap();
        drop(reader);
        assert!(matches!(
            writer.join().unwrap(),
            ChannelError::BrokenPipe | ChannelError::Io(_)
        ));
    }
}
