//! The session description: one validated, format-independent value.
//!
//! Every front end (the command line today; TOML and the original ZeroVM
//! manifest later) builds a [`Session`], and nothing below this layer
//! parses user configuration. Units are human: sizes like `64MiB`,
//! durations like `10s` (see [`units`]).

pub mod units;

use std::path::PathBuf;
use std::time::Duration;

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
        _ => Err(ValueError::new(
            "environment variable",
            spec,
            "expected KEY=VALUE",
        )),
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
