//! ZRT's nvram: the configuration a ZeroVM program read from `/dev/nvram`.
//!
//! An INI-like text: `#` comments, `[section]` headers, and records of
//! comma-separated `key=value` pairs, one record a line. A raw comma,
//! quote, backslash or newline inside a value is written `\xHH`. The
//! sections the sandbox honours:
//!
//! - `[args] args = prog arg1 "two words"`: argv, split on blanks, double
//!   quotes grouping;
//! - `[env] name=VAR, value=VAL`: one variable per record;
//! - `[fstab] channel=/dev/x.tar, mountpoint=/path, access=ro|wo`: `ro`
//!   mounts the tar behind that channel; `wo` saves the directory at the
//!   mount point into the channel as a tar when the session ends well;
//! - `[mapping] channel=/dev/stdout, mode=pipe|char|file`: how a channel
//!   looks to `stat`;
//! - `[time] seconds=N`: where the virtual clock starts.
//!
//! `[debug]` and `[precache]` are accepted and ignored. Limits follow ZRT's:
//! 10 KiB of text, 100 records a section, 5 pairs a record.

/// Most bytes of nvram text.
pub const MAX_NVRAM_BYTES: usize = 10 * 1024;
/// Most records in one section.
pub const MAX_RECORDS: usize = 100;
/// Most `key=value` pairs in one record.
pub const MAX_PAIRS: usize = 5;

/// An `[fstab]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FstabEntry {
    /// The channel alias holding the tar.
    pub channel: String,
    /// Where it is mounted, or which directory is saved.
    pub mountpoint: String,
    /// `true` for `wo` (save at exit), `false` for `ro` (mount).
    pub save: bool,
}

/// How a channel shows to `stat`, from `[mapping]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mapping {
    /// A FIFO.
    Pipe,
    /// A character device.
    Char,
    /// A regular file.
    File,
}

/// Everything nvram said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Nvram {
    /// `[args]`, argv[0] first.
    pub args: Option<Vec<String>>,
    /// `[env]`.
    pub env: Vec<(String, String)>,
    /// `[fstab]`.
    pub fstab: Vec<FstabEntry>,
    /// `[mapping]`.
    pub mapping: Vec<(String, Mapping)>,
    /// `[time] seconds`.
    pub time: Option<u64>,
}

/// What is wrong with an nvram text, and on which line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("nvram line {line}: {message}")]
pub struct NvramError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Parses nvram text.
pub fn parse(text: &str) -> Result<Nvram, NvramError> {
    if text.len() > MAX_NVRAM_BYTES {
        return Err(NvramError {
            line: 1,
            message: format!("more than {MAX_NVRAM_BYTES} bytes"),
        });
    }
    let mut out = Nvram::default();
    let mut section = String::new();
    let mut records = 0usize;
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let err = |message: String| NvramError {
            line: line_no,
            message,
        };
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[') {
            let name = name
                .strip_suffix(']')
                .ok_or_else(|| err("section header without `]`".into()))?;
            section = name.trim().to_owned();
            records = 0;
            continue;
        }
        records += 1;
        if records > MAX_RECORDS {
            return Err(err(format!(
                "more than {MAX_RECORDS} records in [{section}]"
            )));
        }
        let pairs = record(line).map_err(&err)?;
        let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let need =
            |key: &str| get(key).ok_or_else(|| err(format!("[{section}] record lacks `{key}`")));
        match section.as_str() {
            "args" => out.args = Some(split_args(&need("args")?)),
            "env" => out.env.push((need("name")?, need("value")?)),
            "fstab" => {
                let access = need("access")?;
                let save = match access.as_str() {
                    "ro" => false,
                    "wo" => true,
                    other => return Err(err(format!("[fstab] access {other:?}: use ro or wo"))),
                };
                let mountpoint = need("mountpoint")?;
                if save && mountpoint.trim_end_matches('/').is_empty() {
                    return Err(err("[fstab] a wo mount cannot save `/`".into()));
                }
                out.fstab.push(FstabEntry {
                    channel: need("channel")?,
                    mountpoint,
                    save,
                });
            }
            "mapping" => {
                let mode = match need("mode")?.as_str() {
                    "pipe" => Mapping::Pipe,
                    "char" => Mapping::Char,
                    "file" => Mapping::File,
                    other => {
                        return Err(err(format!(
                            "[mapping] mode {other:?}: use pipe, char or file"
                        )))
                    }
                };
                out.mapping.push((need("channel")?, mode));
            }
            "time" => {
                let s = need("seconds")?;
                out.time = Some(
                    s.parse()
                        .map_err(|_| err(format!("[time] seconds {s:?} is not a number")))?,
                );
            }
            // Logging and preloading have no meaning here.
            "debug" | "precache" => {}
            other => return Err(err(format!("unknown section [{other}]"))),
        }
    }
    Ok(out)
}

/// Splits one record into unescaped `key=value` pairs.
fn record(line: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    for part in line.split(',') {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| format!("{:?} is not key=value", part.trim()))?;
        pairs.push((k.trim().to_owned(), unescape(v.trim())?));
        if pairs.len() > MAX_PAIRS {
            return Err(format!("more than {MAX_PAIRS} pairs in a record"));
        }
    }
    Ok(pairs)
}

/// Decodes `\xHH` escapes.
fn unescape(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'x') {
            let hex = text
                .get(i + 2..i + 4)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad escape in {text:?}: expected \\xHH"))?;
            out.push(hex);
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("escapes in {text:?} make invalid UTF-8"))
}

/// Splits an `[args]` line on blanks, double quotes grouping words.
fn split_args(text: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' | '\t' if !quoted => {
                if any {
                    args.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        args.push(cur);
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_nvram() {
        let n = parse(
            r#"
# comment
[args]
args = prog one "two words" x\x2cy
[env]
name=LANG, value=C
name=LIST, value=a\x2cb
[fstab]
channel=/dev/python.tar, mountpoint=/, access=ro
channel=/dev/out.tar, mountpoint=/out, access=wo
[mapping]
channel=/dev/stdout, mode=char
[time]
seconds=1000
[debug]
verbosity=4
"#,
        )
        .unwrap();
        assert_eq!(n.args.unwrap(), ["prog", "one", "two words", "x,y"]);
        assert_eq!(n.env[1], ("LIST".into(), "a,b".into()));
        assert_eq!(n.fstab.len(), 2);
        assert!(n.fstab[1].save);
        assert_eq!(n.mapping, [("/dev/stdout".to_owned(), Mapping::Char)]);
        assert_eq!(n.time, Some(1000));
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("[time]\nseconds=soon\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse("[fstab]\nchannel=/dev/x, mountpoint=/, access=wo\n").unwrap_err();
        assert!(e.message.contains("wo"), "{e}");
        let e = parse("[nonsense]\na=b\n").unwrap_err();
        assert!(e.message.contains("nonsense"));
        let e = parse("[env]\nname=A, value=\\xZZ\n").unwrap_err();
        assert!(e.message.contains("escape"));
        assert!(parse(&"#".repeat(MAX_NVRAM_BYTES + 1)).is_err());
    }
}
