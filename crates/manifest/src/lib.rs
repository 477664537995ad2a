//! The session description: one validated, format-independent value.
//!
//! Every front end (the command line today; TOML and the original ZeroVM
//! manifest later) builds a [`Session`], and nothing below this layer
//! parses user configuration. Units are human: sizes like `64MiB`,
//! durations like `10s` (see [`units`]).

pub mod legacy;
pub mod modern;
pub mod nvram;
pub mod units;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use zerovm_channels::file::FileMode;
pub use zerovm_channels::{EtagAlgorithm, Limits as ChannelLimits};

/// Default guest memory limit: 64 MiB.
pub const DEFAULT_MEMORY: u64 = 64 << 20;
/// Default budget of the sandbox's writable in-memory filesystem: 256 MiB.
pub const DEFAULT_FS_BYTES: u64 = 256 << 20;
/// Largest guest memory a session may ask for: 4 GiB, all a 32-bit
/// WebAssembly memory can address.
pub const MAX_MEMORY: u64 = 4 << 30;

/// Everything one sandboxed run needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The program: a `.wasm` binary or `.wat` text module on the host.
    pub program: PathBuf,
    /// `argv`, `argv[0]` included.
    pub args: Vec<String>,
    /// Environment variables, in order; nothing is inherited from the host.
    pub env: Vec<(String, String)>,
    /// Filesystem mounts, applied in order (later ones stack over earlier).
    pub mounts: Vec<Mount>,
    /// Resource limits.
    pub limits: Limits,
    /// Start of the virtual clocks, in seconds since the epoch.
    pub start_time: u64,
    /// Seed of the random generator.
    pub seed: u64,
    /// Imports the runtime does not provide become functions that trap when
    /// called, instead of failing the session before it starts.
    pub trap_unknown_imports: bool,
    /// Declared channels, in declaration order. `/dev/stdin`,
    /// `/dev/stdout` and `/dev/stderr` default to the host's streams when
    /// not declared.
    pub channels: Vec<ChannelSpec>,
    /// Hash used by channels that ask for an etag.
    pub etag_algorithm: EtagAlgorithm,
    /// Whether the report carries a hash of the final linear memory.
    pub memory_etag: bool,
    /// Which kind of description the session came from; the legacy form
    /// reports in ZeroVM's 6-line text and exits as ZeroVM did.
    pub format: Format,
    /// Directories saved as tar archives into channels when the session
    /// ends well (ZRT's `[fstab]` `access=wo`).
    pub exports: Vec<TarExport>,
    /// Daemon mode: serve requests on a Unix socket from the fork point.
    pub daemon: Option<Daemon>,
}

/// Daemon mode (ZeroVM's `Job`): at its fork point (the first read of
/// `/dev/stdin`, or `zerovm.fork()`) the session becomes a server, and each
/// request on the socket gets a copy of it with the request's channels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Daemon {
    /// The Unix socket to listen on (replaced if it exists).
    pub socket: PathBuf,
    /// Stop after serving this many requests; `None` serves for ever.
    pub max_requests: Option<u64>,
}

/// A directory of the sandbox saved as a tar into a channel at the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TarExport {
    /// The directory inside the sandbox.
    pub dir: String,
    /// The alias of the channel that receives the tar.
    pub channel: String,
}

/// Where a session description came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// Command-line flags.
    #[default]
    CommandLine,
    /// A TOML manifest.
    Toml,
    /// An original ZeroVM manifest (`Version = 20130611`).
    Legacy,
}

/// One declared channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelSpec {
    /// The path the program opens, under `/dev/`.
    pub alias: String,
    /// What is behind it.
    pub source: ChannelSource,
    /// How it is used.
    pub mode: FileMode,
    /// Its four quotas.
    pub limits: ChannelLimits,
    /// Whether to keep an etag of its bytes.
    pub etag: bool,
}

/// What a channel connects to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelSource {
    /// A host file, FIFO or character device.
    File(PathBuf),
    /// Nothing: reads end at once, writes vanish.
    Null,
    /// The host process's standard input.
    HostStdin,
    /// The host process's standard output.
    HostStdout,
    /// The host process's standard error.
    HostStderr,
    /// A TCP stream: a reading channel binds this address, a writing one
    /// connects to it.
    Tcp(std::net::SocketAddr),
}

/// The aliases of the three standard channels, in descriptor order.
pub const STD_ALIASES: [&str; 3] = ["/dev/stdin", "/dev/stdout", "/dev/stderr"];

/// Most channels one session may declare (ZeroVM's limit).
pub const MAX_CHANNELS: usize = 10914;

impl Session {
    /// Checks what every description must satisfy: unique aliases under
    /// `/dev/`, standard channels going the right way, a memory limit in
    /// range.
    pub fn validate(&self) -> Result<(), ValueError> {
        if self.limits.memory == 0 || self.limits.memory > MAX_MEMORY {
            return Err(ValueError::new(
                "memory",
                &self.limits.memory.to_string(),
                "must be more than 0 and at most 4 GiB",
            ));
        }
        if self.channels.len() > MAX_CHANNELS {
            return Err(ValueError::new(
                "channels",
                &self.channels.len().to_string(),
                format!("at most {MAX_CHANNELS} channels"),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for ch in &self.channels {
            check_alias(&ch.alias)?;
            if !seen.insert(ch.alias.as_str()) {
                return Err(ValueError::new(
                    "channel alias",
                    &ch.alias,
                    "declared twice",
                ));
            }
            let wants = match ch.alias.as_str() {
                "/dev/stdin" => Some(true),
                "/dev/stdout" | "/dev/stderr" => Some(false),
                _ => None,
            };
            if let Some(read) = wants {
                if ch.mode.reads() != read || ch.mode.writes() == read {
                    let way = if read { "read-only" } else { "write-only" };
                    return Err(ValueError::new(
                        "channel mode",
                        &ch.alias,
                        format!("the standard channel must be {way}"),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Checks a channel alias: absolute, under `/dev/`, clean.
pub fn check_alias(alias: &str) -> Result<(), ValueError> {
    let Some(rest) = alias.strip_prefix("/dev/") else {
        return Err(ValueError::new(
            "channel alias",
            alias,
            "must be a path under /dev/",
        ));
    };
    if rest.is_empty()
        || rest
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == ".." || c.len() > 255)
    {
        return Err(ValueError::new(
            "channel alias",
            alias,
            "must be a clean path under /dev/ (no empty, `.` or `..` parts)",
        ));
    }
    if ["null", "zero", "full", "random", "urandom"].contains(&rest) {
        return Err(ValueError::new(
            "channel alias",
            alias,
            "names a built-in device",
        ));
    }
    Ok(())
}

/// Resolves a host path written in a manifest against the manifest's own
/// directory.
pub fn resolve(base: &Path, path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        p.to_owned()
    } else {
        base.join(p)
    }
}

/// A failure to read a session description, naming the file, line and
/// field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {message}", file.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ManifestError {
    /// The manifest file.
    pub file: PathBuf,
    /// The line, when one is to blame.
    pub line: Option<usize>,
    /// What is wrong, naming the field.
    pub message: String,
    /// The errno ZeroVM exited with for this error (legacy manifests).
    pub errno: i32,
}

impl Session {
    /// A session running `program` with `argv[0]` set to its path and every
    /// other setting at its default.
    pub fn new(program: impl Into<PathBuf>) -> Self {
        let program = program.into();
        Session {
            args: vec![program.to_string_lossy().into_owned()],
            program,
            env: Vec::new(),
            mounts: Vec::new(),
            limits: Limits::default(),
            start_time: 0,
            seed: 0,
            trap_unknown_imports: false,
            channels: Vec::new(),
            etag_algorithm: EtagAlgorithm::Md5,
            memory_etag: false,
            format: Format::CommandLine,
            exports: Vec::new(),
            daemon: None,
        }
    }
}

/// Limits of one session. Every limit ends the session with its own exit
/// state when broken; only the timeout depends on the host's speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Guest linear memory in bytes ([`DEFAULT_MEMORY`]); growth past it
    /// fails inside the guest (`memory.grow` returns -1).
    pub memory: u64,
    /// Instructions' fuel; `None` is unlimited.
    pub fuel: Option<u64>,
    /// Wall-clock limit; `None` is unlimited.
    pub timeout: Option<Duration>,
    /// Bytes the guest may write into the in-memory filesystem
    /// ([`DEFAULT_FS_BYTES`]).
    pub fs_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory: DEFAULT_MEMORY,
            fuel: None,
            timeout: None,
            fs_bytes: DEFAULT_FS_BYTES,
        }
    }
}

/// Something mounted into the sandbox's filesystem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mount {
    /// A tar or gzip tar image, read-only under a writable layer.
    Image {
        /// The archive on the host.
        tar: PathBuf,
        /// Where it appears in the sandbox.
        guest: String,
    },
    /// A host directory.
    Dir {
        /// The directory on the host.
        host: PathBuf,
        /// Where it appears in the sandbox.
        guest: String,
        /// Whether the guest may change it.
        writable: bool,
    },
}

/// A malformed command-line or manifest value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} {value:?}: {reason}")]
pub struct ValueError {
    /// Which setting.
    pub what: &'static str,
    /// The text given.
    pub value: String,
    /// What is wrong with it.
    pub reason: String,
}

impl ValueError {
    pub(crate) fn new(what: &'static str, value: &str, reason: impl Into<String>) -> Self {
        ValueError {
            what,
            value: value.to_owned(),
            reason: reason.into(),
        }
    }
}

/// Splits `HOST[::GUEST]`; the guest path defaults to `default_guest`
/// (the host path itself when `None`), and must be absolute.
pub fn parse_mapping(
    what: &'static str,
    spec: &str,
    default_guest: Option<&str>,
) -> Result<(PathBuf, String), ValueError> {
    let (host, guest) = match spec.split_once("::") {
        Some((h, g)) => (h, g.to_owned()),
        None => (spec, default_guest.unwrap_or(spec).to_owned()),
    };
    if host.is_empty() {
        return Err(ValueError::new(what, spec, "the host path is empty"));
    }
    let guest = if guest.starts_with('/') {
        guest
    } else if default_guest.is_none() && !spec.contains("::") {
        // `--dir data` mounts ./data at /data.
        format!("/{}", guest.trim_start_matches("./"))
    } else {
        return Err(ValueError::new(
            what,
            spec,
            "the guest path must be absolute (start with `/`)",
        ));
    };
    if guest.split('/').any(|c| c == ".." || c == ".") {
        return Err(ValueError::new(
            what,
            spec,
            "the guest path may not contain `.` or `..`",
        ));
    }
    Ok((PathBuf::from(host), guest))
}

/// Splits `KEY=VALUE`.
pub fn parse_env(spec: &str) -> Result<(String, String), ValueError> {
    match spec.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(ValueError::new("--env", spec, "expected KEY=VALUE")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mappings() {
        assert_eq!(
            parse_mapping("dir", "/a::/b", None).unwrap(),
            (PathBuf::from("/a"), "/b".to_owned())
        );
        assert_eq!(
            parse_mapping("dir", "data", None).unwrap(),
            (PathBuf::from("data"), "/data".to_owned())
        );
        assert_eq!(
            parse_mapping("image", "x.tar", Some("/")).unwrap(),
            (PathBuf::from("x.tar"), "/".to_owned())
        );
        assert!(parse_mapping("dir", "/a::b", None).is_err());
        assert!(parse_mapping("dir", "/a::/b/../c", None).is_err());
        assert!(parse_mapping("dir", "::/b", None).is_err());
    }

    #[test]
    fn env() {
        assert_eq!(parse_env("A=b=c").unwrap(), ("A".into(), "b=c".into()));
        assert!(parse_env("=x").is_err());
        assert!(parse_env("novalue").is_err());
    }
}
