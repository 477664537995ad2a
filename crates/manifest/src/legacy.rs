//! The original ZeroVM manifest (`Version = 20130611`), so that a manifest
//! written for ZeroVM runs with a `.wasm` program in place of the `.nexe`.
//!
//! One `Key = Value` a line; a line that does not split on `=` into
//! exactly two parts, and an unknown key, are ignored (ZeroVM's test
//! manifests rely on it for comments). Numbers are C's `strtoll` base 0:
//! decimal, `0x` hex, leading-`0` octal. Each error carries the errno ZeroVM
//! exited with for it, so the legacy mode can exit the same way:
//! `EFAULT` (14) for a malformed manifest, `ENOENT` (2) for a missing
//! program, `EIO` (5) for a program that is not a regular file, `ENOMEM`
//! (12) for a bad memory size, `EINVAL` (22) for a channel that goes
//! nowhere, `EPROTONOSUPPORT` (93) for a channel source that cannot be one.
//!
//! A channel aliased `/dev/nvram` is read as ZRT's configuration (see
//! [`crate::nvram`]). Host paths that are relative resolve against the
//! manifest's directory.
//!
//! Network channels take `tcp:<ipv4>:<port>` (the reading side binds, the
//! writing side connects). Not yet supported, and refused with a clear
//! error naming the line: node ids in network channels (they need the name
//! server) and multi-source channels (`a;b`). `Job` turns daemon mode on
//! with that socket.

use std::collections::HashMap;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::time::Duration;

use crate::nvram::{self, Mapping};
use crate::{
    resolve, ChannelLimits, ChannelSource, ChannelSpec, EtagAlgorithm, FileMode, Format,
    ManifestError, Mount, Session, TarExport, MAX_MEMORY,
};

/// The only version there is.
pub const VERSION: &str = "20130611";
/// Largest manifest, in bytes.
pub const MAX_MANIFEST_BYTES: usize = 512 * 1024;
/// Most lines in a manifest.
pub const MAX_LINES: usize = 8192;
/// Most `;`-separated sources of one channel.
pub const MAX_SOURCES: usize = 16;

const EIO: i32 = 5;
const ENOENT: i32 = 2;
const ENOMEM: i32 = 12;
const EFAULT: i32 = 14;
const EINVAL: i32 = 22;
const EPROTONOSUPPORT: i32 = 93;

const KEYS: [&str; 9] = [
    "Version",
    "Program",
    "Memory",
    "Timeout",
    "Channel",
    "NameServer",
    "Node",
    "Job",
    "Etag",
];

/// Whether `text` looks like an original manifest: some line sets
/// `Version`.
pub fn is_legacy(text: &str) -> bool {
    text.lines()
        .filter_map(|l| l.split_once('='))
        .any(|(k, _)| k.trim() == "Version")
}

/// Reads the manifest at `path`.
pub fn load(path: &Path) -> Result<Session, ManifestError> {
    let text = std::fs::read(path).map_err(|e| ManifestError {
        file: path.to_owned(),
        line: None,
        message: format!("failed to read manifest: {e}"),
        errno: ENOENT,
    })?;
    let text = String::from_utf8_lossy(&text);
    parse(&text, path)
}

/// Parses manifest `text` read from `path`.
pub fn parse(text: &str, path: &Path) -> Result<Session, ManifestError> {
    let fail = |line: Option<usize>, errno: i32, message: String| ManifestError {
        file: path.to_owned(),
        line,
        message,
        errno,
    };
    if text.len() > MAX_MANIFEST_BYTES {
        return Err(fail(
            None,
            EFAULT,
            format!("manifest larger than {MAX_MANIFEST_BYTES} bytes"),
        ));
    }
    if text.lines().count() > MAX_LINES {
        return Err(fail(
            None,
            EFAULT,
            format!("manifest longer than {MAX_LINES} lines"),
        ));
    }
    let base = path.parent().unwrap_or(Path::new("."));

    // Gather the known keys with their lines.
    let mut values: HashMap<&str, Vec<(usize, &str)>> = HashMap::new();
    for (index, line) in text.lines().enumerate() {
        let parts: Vec<&str> = line.split('=').collect();
        if parts.len() != 2 {
            continue;
        }
        let key = parts[0].trim();
        if let Some(known) = KEYS.iter().find(|k| **k == key) {
            values
                .entry(known)
                .or_default()
                .push((index + 1, parts[1].trim()));
        }
    }
    for key in KEYS.iter().filter(|k| **k != "Channel") {
        if let Some(list) = values.get(key) {
            if list.len() > 1 {
                return Err(fail(
                    Some(list[1].0),
                    EFAULT,
                    format!("duplicate {key} keyword"),
                ));
            }
        }
    }
    let one = |key: &str| values.get(key).map(|v| v[0]);
    let required =
        |key: &str| one(key).ok_or_else(|| fail(None, EFAULT, format!("{key} not specified")));

    let (line, version) = required("Version")?;
    if version != VERSION {
        return Err(fail(
            Some(line),
            EFAULT,
            format!("invalid manifest version {version:?} (expected {VERSION})"),
        ));
    }

    // The program must exist and be a regular file.
    let (line, program) = required("Program")?;
    let program = resolve(base, program);
    match std::fs::metadata(&program) {
        Ok(m) if m.is_file() => {}
        Ok(_) => {
            return Err(fail(
                Some(line),
                EIO,
                format!("Program {} is not a regular file", program.display()),
            ))
        }
        Err(e) => {
            return Err(fail(
                Some(line),
                ENOENT,
                format!("Program {}: {e}", program.display()),
            ))
        }
    }

    let (line, memory) = required("Memory")?;
    let parts: Vec<&str> = memory.split(',').map(str::trim).collect();
    if parts.len() != 2 {
        return Err(fail(
            Some(line),
            EFAULT,
            "Memory needs `<bytes>, <etag 0|1>`: missed memory etag token".into(),
        ));
    }
    let bytes = strtoll(parts[0]).ok_or_else(|| {
        fail(
            Some(line),
            EFAULT,
            format!("invalid numeric value {:?}", parts[0]),
        )
    })?;
    if bytes <= 0 || bytes as u64 > MAX_MEMORY {
        return Err(fail(
            Some(line),
            ENOMEM,
            format!("invalid memory size {bytes}"),
        ));
    }
    let memory_etag = match parts[1] {
        "0" => false,
        "1" => true,
        other => {
            return Err(fail(
                Some(line),
                EFAULT,
                format!("invalid memory etag token {other:?}"),
            ))
        }
    };

    let (line, timeout) = required("Timeout")?;
    let timeout = strtoll(timeout).filter(|t| *t >= 1).ok_or_else(|| {
        fail(
            Some(line),
            EFAULT,
            format!("invalid timeout {timeout:?} (whole seconds, at least 1)"),
        )
    })?;

    if let Some((line, ns)) = one("NameServer") {
        check_name_server(ns).map_err(|m| fail(Some(line), EFAULT, m))?;
        if one("Node").is_none() {
            return Err(fail(
                None,
                EFAULT,
                "Node not specified (required with NameServer)".into(),
            ));
        }
    }
    if let Some((line, node)) = one("Node") {
        if strtoll(node).is_none_or(|n| n < 1) {
            return Err(fail(
                Some(line),
                EFAULT,
                format!("invalid node {node:?} (an integer from 1)"),
            ));
        }
    }
    let job = match one("Job") {
        Some((line, socket)) if socket.is_empty() || socket.len() > 108 => {
            return Err(fail(
                Some(line),
                EFAULT,
                format!("invalid Job socket path {socket:?} (1 to 108 characters)"),
            ))
        }
        Some((_, socket)) => Some(resolve(base, socket)),
        None => None,
    };

    let mut session = Session::new(&program);
    session.format = Format::Legacy;
    session.daemon = job.map(|socket| crate::Daemon {
        socket,
        max_requests: None,
    });
    session.limits.memory = bytes as u64;
    session.limits.timeout = Some(Duration::from_secs(timeout as u64));
    session.memory_etag = memory_etag;
    // Debian's ZeroVM, and so ZeroCloud, hashed with MD5.
    session.etag_algorithm = EtagAlgorithm::Md5;

    let channels = values.get("Channel").cloned().unwrap_or_default();
    for (line, value) in channels {
        let spec = channel(value, base).map_err(|(errno, m)| fail(Some(line), errno, m))?;
        if session.channels.iter().any(|c| c.alias == spec.alias) {
            return Err(fail(
                Some(line),
                EFAULT,
                format!("channel alias {} is already allocated", spec.alias),
            ));
        }
        session.channels.push(spec);
    }
    for std in crate::STD_ALIASES {
        if !session.channels.iter().any(|c| c.alias == std) {
            return Err(fail(
                None,
                EFAULT,
                format!("missing standard channels in manifest ({std})"),
            ));
        }
    }
    session
        .validate()
        .map_err(|e| fail(None, EFAULT, e.to_string()))?;

    apply_nvram(&mut session, path)?;
    Ok(session)
}

/// Parses one `Channel` value.
fn channel(value: &str, base: &Path) -> Result<ChannelSpec, (i32, String)> {
    let fields: Vec<&str> = value.split(',').map(str::trim).collect();
    if fields.len() != 8 {
        return Err((
            EFAULT,
            format!("Channel needs 8 fields, found {}", fields.len()),
        ));
    }
    let uris: Vec<&str> = fields[0].split(';').map(str::trim).collect();
    if uris.len() > MAX_SOURCES {
        return Err((EFAULT, format!("more than {MAX_SOURCES} sources")));
    }
    if uris.len() > 1 {
        return Err((
            EPROTONOSUPPORT,
            "multi-source channels are not supported yet".into(),
        ));
    }
    let uri = uris[0];
    let alias = fields[1].to_owned();
    let kind = strtoll(fields[2])
        .filter(|t| (0..=3).contains(t))
        .ok_or_else(|| {
            (
                EFAULT,
                format!("invalid channel access type {:?} (0 to 3)", fields[2]),
            )
        })?;
    let etag = match fields[3] {
        "0" => false,
        "1" => true,
        other => return Err((EFAULT, format!("invalid channel etag {other:?}"))),
    };
    let mut limits = [0u64; 4];
    for (slot, text) in limits.iter_mut().zip(&fields[4..8]) {
        *slot = strtoll(text)
            .and_then(|n| u64::try_from(n).ok())
            .ok_or_else(|| (EFAULT, format!("invalid channel limit {text:?}")))?;
    }
    let [reads, read_bytes, writes, write_bytes] = limits;
    let readable = reads > 0 && read_bytes > 0;
    let writable = writes > 0 && write_bytes > 0;
    let mode = match (readable, writable, kind) {
        (false, false, _) => {
            return Err((
                EINVAL,
                format!("channel {alias} can neither be read nor written"),
            ))
        }
        (true, false, 0 | 2) => FileMode::Read,
        (true, false, _) => FileMode::RandomRead,
        (false, true, 0) => FileMode::Write,
        (false, true, 1) => FileMode::Append,
        (false, true, _) => FileMode::ReadWrite,
        (true, true, 1 | 3) => FileMode::ReadWrite,
        (true, true, _) => {
            return Err((
                EFAULT,
                format!("channel {alias}: sequential channels (type 0 or 2) go one way only"),
            ))
        }
    };

    let source = match uri {
        "/dev/stdin" => ChannelSource::HostStdin,
        "/dev/stdout" => ChannelSource::HostStdout,
        "/dev/stderr" => ChannelSource::HostStderr,
        "/dev/null" => ChannelSource::Null,
        _ if uri.starts_with("tcp:") => {
            // `tcp:<ipv4>:<port>`; a node id in place of the address needs
            // ZeroVM's name server, which is not built.
            let addr = uri[4..].parse::<std::net::SocketAddrV4>().map_err(|_| {
                (
                    EPROTONOSUPPORT,
                    format!(
                        "network channel {uri}: only tcp:<ipv4>:<port> is supported \
                         (node ids need the name server, which is not built)"
                    ),
                )
            })?;
            if readable == writable {
                return Err((EFAULT, format!("network channel {uri} must go one way")));
            }
            ChannelSource::Tcp(addr.into())
        }
        _ if uri.contains(':') && !uri.starts_with('/') => {
            return Err((
                EPROTONOSUPPORT,
                format!("network channel {uri} is not supported (only tcp)"),
            ))
        }
        _ if !uri.starts_with('/') => {
            return Err((
                EFAULT,
                format!("invalid channel path {uri:?}: it must be absolute"),
            ))
        }
        _ => {
            let path = resolve(base, uri);
            match std::fs::metadata(&path) {
                Ok(m) => {
                    let t = m.file_type();
                    if t.is_dir() || t.is_socket() || t.is_block_device() {
                        return Err((
                            EPROTONOSUPPORT,
                            format!("channel source {uri} is not a file, FIFO or character device"),
                        ));
                    }
                }
                Err(_) if !writable => {
                    return Err((EFAULT, format!("channel source {uri} does not exist")))
                }
                Err(_) => {}
            }
            ChannelSource::File(path)
        }
    };
    Ok(ChannelSpec {
        alias,
        source,
        mode,
        limits: ChannelLimits {
            reads,
            read_bytes,
            writes,
            write_bytes,
        },
        etag,
    })
}

/// Checks `udp:<ipv4>:<port>`.
fn check_name_server(value: &str) -> Result<(), String> {
    let parts: Vec<&str> = value.split(':').collect();
    if parts.len() != 3 {
        return Err(format!("invalid name server {value:?} (udp:<ipv4>:<port>)"));
    }
    if parts[0] != "udp" {
        return Err(format!(
            "invalid name server protocol {:?} (only udp)",
            parts[0]
        ));
    }
    if parts[1].parse::<std::net::Ipv4Addr>().is_err() {
        return Err(format!(
            "invalid name server host {:?} (a dotted IPv4 address)",
            parts[1]
        ));
    }
    if parts[2].parse::<u16>().is_err() {
        return Err(format!("invalid name server port {:?}", parts[2]));
    }
    Ok(())
}

/// Reads `/dev/nvram`, if declared, into the session.
fn apply_nvram(session: &mut Session, manifest: &Path) -> Result<(), ManifestError> {
    let Some(ch) = session.channels.iter().find(|c| c.alias == "/dev/nvram") else {
        return Ok(());
    };
    let ChannelSource::File(path) = &ch.source else {
        return Ok(());
    };
    let fail = |line: Option<usize>, message: String| ManifestError {
        file: path.clone(),
        line,
        message,
        errno: EFAULT,
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| fail(None, format!("failed to read nvram: {e}")))?;
    let nv = nvram::parse(&text).map_err(|e| fail(Some(e.line), e.message))?;
    let _ = manifest;

    if let Some(args) = nv.args {
        if !args.is_empty() {
            session.args = args;
        }
    }
    session.env.extend(nv.env);
    if let Some(t) = nv.time {
        session.start_time = t;
    }
    for entry in nv.fstab {
        let source = session
            .channels
            .iter()
            .find(|c| c.alias == entry.channel)
            .map(|c| c.source.clone())
            .ok_or_else(|| {
                fail(
                    None,
                    format!(
                        "[fstab] names channel {} that the manifest does not declare",
                        entry.channel
                    ),
                )
            })?;
        if entry.save {
            session.exports.push(TarExport {
                dir: entry.mountpoint,
                channel: entry.channel,
            });
        } else {
            let ChannelSource::File(tar) = source else {
                return Err(fail(
                    None,
                    format!("[fstab] channel {} is not a file", entry.channel),
                ));
            };
            session.mounts.push(Mount::Image {
                tar,
                guest: entry.mountpoint,
            });
        }
    }
    // `[mapping]` only changes how ZRT's stat showed a channel; WASI
    // programs see channels as streams or files by their mode.
    let _: Vec<(String, Mapping)> = nv.mapping;
    Ok(())
}

/// C's `strtoll(text, &end, 0)` with nothing allowed after the number.
fn strtoll(text: &str) -> Option<i64> {
    let t = text.trim();
    let (neg, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let value = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        i64::from_str_radix(hex, 16).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()?
    } else {
        digits.parse::<i64>().ok()?
    };
    Some(if neg { -value } else { value })
}

#[cfg(test)]
mod tests;
