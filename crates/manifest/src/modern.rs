//! The modern manifest: TOML with human units.
//!
//! ```toml
//! program = "wordfreq.wasm"        # host path, relative to this file
//! args = ["/data/texts", "15"]     # argv[1..]
//! argv0 = "wordfreq"               # argv[0], default: program as written
//! env = { LANG = "C" }
//! memory = "256 MiB"               # default 64 MiB
//! fs_size = "256 MiB"              # writable in-memory filesystem
//! fuel = 100_000_000               # optional
//! timeout = "10s"                  # optional
//! time = 1767225600                # virtual clock start, seconds
//! seed = 7
//! etag = "md5"                     # md5 | sha256 | blake3
//! memory_etag = false
//! trap_unknown_imports = false
//!
//! [[channel]]
//! alias = "/dev/input"
//! path = "input.txt"               # or source = "null" | "stdin" | "stdout" | "stderr"
//! mode = "read"                    # read | random-read | write | append | read-write
//! etag = true
//! limits = { reads = 1000, read_bytes = "1 GiB" }
//!
//! [[mount]]
//! image = "texts.tar"              # or dir = "data", with writable = true|false
//! at = "/data"
//! ```
//!
//! Unknown keys are errors (a misspelt limit must not silently become no
//! limit). Every error names the file, the line and the field.

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::units::{parse_duration, parse_size};
use crate::{
    resolve, ChannelLimits, ChannelSource, ChannelSpec, EtagAlgorithm, FileMode, Format,
    ManifestError, Mount, Session,
};

/// A size written as a number of bytes or a string with a unit.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Size {
    Bytes(u64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc {
    program: Spanned<String>,
    #[serde(default)]
    args: Vec<String>,
    argv0: Option<String>,
    #[serde(default)]
    env: toml::Table,
    memory: Option<Spanned<Size>>,
    fs_size: Option<Spanned<Size>>,
    fuel: Option<u64>,
    timeout: Option<Spanned<String>>,
    #[serde(default)]
    time: u64,
    #[serde(default)]
    seed: u64,
    etag: Option<Spanned<String>>,
    #[serde(default)]
    memory_etag: bool,
    #[serde(default)]
    trap_unknown_imports: bool,
    #[serde(default)]
    channel: Vec<Spanned<ChannelDoc>>,
    #[serde(default)]
    mount: Vec<Spanned<MountDoc>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChannelDoc {
    alias: String,
    path: Option<String>,
    source: Option<String>,
    address: Option<String>,
    mode: Option<String>,
    #[serde(default)]
    etag: bool,
    #[serde(default)]
    limits: LimitsDoc,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitsDoc {
    reads: Option<u64>,
    read_bytes: Option<Spanned<Size>>,
    writes: Option<u64>,
    write_bytes: Option<Spanned<Size>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MountDoc {
    image: Option<String>,
    dir: Option<String>,
    #[serde(default = "root")]
    at: String,
    #[serde(default)]
    writable: bool,
}

fn root() -> String {
    "/".to_owned()
}

/// Reads the TOML manifest at `path`.
pub fn load(path: &Path) -> Result<Session, ManifestError> {
    let text = std::fs::read_to_string(path).map_err(|e| ManifestError {
        file: path.to_owned(),
        line: None,
        message: format!("failed to read manifest: {e}"),
        errno: 2,
    })?;
    parse(&text, path)
}

/// Parses TOML `text` read from `path` (used for error messages and to
/// resolve relative host paths).
pub fn parse(text: &str, path: &Path) -> Result<Session, ManifestError> {
    let err = |span: Option<Range<usize>>, message: String| ManifestError {
        file: path.to_owned(),
        line: span.map(|s| line_of(text, s.start)),
        message,
        errno: 14,
    };
    let doc: Doc = toml::from_str(text).map_err(|e| err(e.span(), e.message().to_owned()))?;
    let base = path.parent().unwrap_or(Path::new("."));

    let program = doc.program.get_ref();
    if program.is_empty() {
        return Err(err(
            Some(doc.program.span()),
            "program: must not be empty".into(),
        ));
    }
    let mut session = Session::new(resolve(base, program));
    session.format = Format::Toml;
    session.args = vec![doc.argv0.clone().unwrap_or_else(|| program.clone())];
    session.args.extend(doc.args.iter().cloned());
    for (key, value) in &doc.env {
        let toml::Value::String(v) = value else {
            return Err(err(None, format!("env.{key}: must be a string")));
        };
        session.env.push((key.clone(), v.clone()));
    }

    let size = |field: &'static str, value: &Spanned<Size>| match value.get_ref() {
        Size::Bytes(n) => Ok(*n),
        Size::Text(t) => {
            parse_size(field, t).map_err(|e| err(Some(value.span()), format!("{field}: {e}")))
        }
    };
    if let Some(m) = &doc.memory {
        session.limits.memory = size("memory", m)?;
    }
    if let Some(f) = &doc.fs_size {
        session.limits.fs_bytes = size("fs_size", f)?;
    }
    session.limits.fuel = doc.fuel;
    if let Some(t) = &doc.timeout {
        let d = parse_duration("timeout", t.get_ref())
            .map_err(|e| err(Some(t.span()), format!("timeout: {e}")))?;
        session.limits.timeout = Some(d);
    }
    session.start_time = doc.time;
    session.seed = doc.seed;
    if let Some(e) = &doc.etag {
        session.etag_algorithm = EtagAlgorithm::parse(e.get_ref()).ok_or_else(|| {
            err(
                Some(e.span()),
                format!(
                    "etag: unknown algorithm {:?} (use md5, sha256 or blake3)",
                    e.get_ref()
                ),
            )
        })?;
    }
    session.memory_etag = doc.memory_etag;
    session.trap_unknown_imports = doc.trap_unknown_imports;

    for ch in &doc.channel {
        let span = Some(ch.span());
        let c = ch.get_ref();
        let at = |m: String| err(span.clone(), format!("channel {}: {m}", c.alias));
        if c.address.is_some() && c.source.as_deref() != Some("tcp") {
            return Err(at("address: only a tcp source has an address".into()));
        }
        let source = match (&c.path, c.source.as_deref()) {
            (Some(p), None) => ChannelSource::File(resolve(base, p)),
            (None, Some("tcp")) => {
                let address = c
                    .address
                    .as_deref()
                    .ok_or_else(|| at("a tcp source needs address = \"IP:PORT\"".into()))?;
                ChannelSource::Tcp(address.parse().map_err(|_| {
                    at(format!("address: {address:?} is not IP:PORT"))
                })?)
            }
            (None, Some("null")) => ChannelSource::Null,
            (None, Some("stdin")) => ChannelSource::HostStdin,
            (None, Some("stdout")) => ChannelSource::HostStdout,
            (None, Some("stderr")) => ChannelSource::HostStderr,
            (None, Some(other)) => {
                return Err(at(format!(
                    "source: unknown source {other:?} (use null, stdin, stdout, stderr or tcp, or give a path)"
                )))
            }
            (Some(_), Some(_)) => return Err(at("give either path or source, not both".into())),
            (None, None) => return Err(at("needs a path or a source".into())),
        };
        let mode = match c.mode.as_deref() {
            Some(m) => parse_mode(m).ok_or_else(|| {
                at(format!(
                    "mode: unknown mode {m:?} (use read, random-read, write, append or read-write)"
                ))
            })?,
            None => default_mode(&c.alias, &source),
        };
        let l = &c.limits;
        let bytes = |field: &'static str, v: &Option<Spanned<Size>>| match v {
            Some(v) => size(field, v),
            None => Ok(u64::MAX),
        };
        let limits = ChannelLimits {
            reads: l.reads.unwrap_or(u64::MAX),
            read_bytes: bytes("limits.read_bytes", &l.read_bytes)?,
            writes: l.writes.unwrap_or(u64::MAX),
            write_bytes: bytes("limits.write_bytes", &l.write_bytes)?,
        };
        session.channels.push(ChannelSpec {
            alias: c.alias.clone(),
            source,
            mode,
            limits,
            etag: c.etag,
        });
    }

    for m in &doc.mount {
        let span = Some(m.span());
        let md = m.get_ref();
        let mount = match (&md.image, &md.dir) {
            (Some(image), None) => {
                if md.writable {
                    return Err(err(
                        span,
                        "mount: an image is read-only; drop `writable`".into(),
                    ));
                }
                Mount::Image {
                    tar: resolve(base, image),
                    guest: md.at.clone(),
                }
            }
            (None, Some(dir)) => Mount::Dir {
                host: resolve(base, dir),
                guest: md.at.clone(),
                writable: md.writable,
            },
            _ => return Err(err(span, "mount: give exactly one of image or dir".into())),
        };
        let guest = match &mount {
            Mount::Image { guest, .. } | Mount::Dir { guest, .. } => guest,
        };
        if !guest.starts_with('/') || guest.split('/').any(|c| c == "." || c == "..") {
            return Err(err(
                Some(m.span()),
                format!("mount: at {guest:?} must be an absolute path without `.` or `..`"),
            ));
        }
        session.mounts.push(mount);
    }

    session.validate().map_err(|e| err(None, e.to_string()))?;
    Ok(session)
}

/// Parses a channel mode name.
pub fn parse_mode(name: &str) -> Option<FileMode> {
    Some(match name {
        "read" | "ro" => FileMode::Read,
        "random-read" => FileMode::RandomRead,
        "write" | "wo" => FileMode::Write,
        "append" => FileMode::Append,
        "read-write" | "rw" => FileMode::ReadWrite,
        _ => return None,
    })
}

/// The mode a channel gets when none is written.
fn default_mode(alias: &str, source: &ChannelSource) -> FileMode {
    match (alias, source) {
        ("/dev/stdout" | "/dev/stderr", _) => FileMode::Write,
        (_, ChannelSource::HostStdout | ChannelSource::HostStderr) => FileMode::Write,
        _ => FileMode::Read,
    }
}

/// 1-based line of byte offset `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Session, ManifestError> {
        parse(text, Path::new("/jobs/m.toml"))
    }

    #[test]
    fn full_manifest() {
        let s = parse_str(
            r#"
program = "prog.wasm"
args = ["a", "b"]
env = { K = "v" }
memory = "128 MiB"
timeout = "2s"
fuel = 5
time = 100
seed = 9
etag = "sha256"

[[channel]]
alias = "/dev/input"
path = "/data/in.txt"
etag = true
limits = { reads = 10, read_bytes = "1 KiB" }

[[channel]]
alias = "/dev/output"
path = "out.txt"
mode = "write"

[[mount]]
image = "lib.tar"
at = "/lib"
"#,
        )
        .unwrap();
        assert_eq!(s.program, Path::new("/jobs/prog.wasm"));
        assert_eq!(s.args, ["prog.wasm", "a", "b"]);
        assert_eq!(s.env, [("K".to_owned(), "v".to_owned())]);
        assert_eq!(s.limits.memory, 128 << 20);
        assert_eq!(s.limits.fuel, Some(5));
        assert_eq!(s.etag_algorithm, EtagAlgorithm::Sha256);
        assert_eq!(s.channels[0].limits.read_bytes, 1024);
        assert_eq!(s.channels[0].limits.writes, u64::MAX);
        assert_eq!(
            s.channels[1].source,
            ChannelSource::File("/jobs/out.txt".into())
        );
        assert_eq!(s.channels[1].mode, FileMode::Write);
        assert_eq!(
            s.mounts,
            [Mount::Image {
                tar: "/jobs/lib.tar".into(),
                guest: "/lib".into()
            }]
        );
    }

    #[test]
    fn errors_name_line_and_field() {
        let e = parse_str("program = \"p.wasm\"\nmemory = \"12 parsecs\"\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("memory"), "{e}");
        assert!(e.to_string().starts_with("/jobs/m.toml:2:"), "{e}");

        let e = parse_str("program = \"p.wasm\"\nmemroy = 5\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("memroy"), "{e}");

        let e = parse_str("args = []\n").unwrap_err();
        assert!(e.message.contains("program"), "{e}");

        let e = parse_str(
            "program = \"p\"\n[[channel]]\nalias = \"/dev/x\"\nmode = \"sideways\"\npath = \"f\"\n",
        )
        .unwrap_err();
        assert!(e.message.contains("sideways") && e.line == Some(2), "{e}");

        let e = parse_str(
            "program = \"p\"\n[[channel]]\nalias = \"/dev/x\"\npath = \"a\"\n[[channel]]\nalias = \"/dev/x\"\npath = \"b\"\n",
        )
        .unwrap_err();
        assert!(e.message.contains("declared twice"), "{e}");

        let e = parse_str("program = \"p\"\n[[channel]]\nalias = \"/tmp/x\"\npath = \"a\"\n")
            .unwrap_err();
        assert!(e.message.contains("/dev/"), "{e}");
    }
}
