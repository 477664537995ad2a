//! The job description: ZeroCloud's JSON list of node groups.
//!
//! ```json
//! [ { "name": "map",
//!     "exec": { "path": "swift://acct/bin/map.wasm", "args": "-v 2",
//!               "env": { "K": "V" }, "name": "argv0" },
//!     "devices": [ { "name": "input", "path": "swift://acct/texts/*.txt" },
//!                  { "name": "stdout", "content_type": "text/plain" } ],
//!     "count": 1, "connect": ["reduce"], "replicate": 1, "attach": "input" } ]
//! ```
//!
//! The older key `file_list` is taken for `devices`, and `device` for a
//! device's `name`. The JSON is read by hand rather than derived, so that
//! every mistake names its node and field. Keys this engine does not know
//! are refused too, so that a misspelt key does not silently change a job.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// Largest job description read, as ZeroCloud's `zerovm_maxconfig`.
pub const MAX_JOB_BYTES: usize = 64 << 10;

/// Most nodes one group may ask for with `count`.
pub const MAX_COUNT: u64 = 1024;

/// The devices a node may declare, as ZeroCloud's `DEVICE_MAP`.
pub const DEVICES: [&str; 8] = [
    "stdin", "stdout", "stderr", "input", "output", "image", "debug", "script",
];

/// A parsed job: its groups in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSpec {
    /// The node groups.
    pub groups: Vec<Group>,
}

/// One node group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Its name; nodes are named after it.
    pub name: String,
    /// What it runs.
    pub exec: Exec,
    /// Its devices, in order.
    pub devices: Vec<Device>,
    /// How many nodes (1 unless given; ignored with an input wildcard).
    pub count: u64,
    /// Groups every node of this one sends a pipe to.
    pub connect: Vec<String>,
    /// How many copies of each node run and must agree (1, 2 or 3; 0 is
    /// taken as 1).
    pub replicate: u8,
    /// `default` or one of its device names: where the node would run in a
    /// cluster. Kept for the report; every node runs here.
    pub attach: Option<String>,
    /// A co-location hint; meaningless on one machine.
    pub location: Option<String>,
}

/// The program of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exec {
    /// `swift://…`, `file://…` (inside the image), or a path inside the
    /// zapp's image.
    pub path: String,
    /// Arguments, split from ZeroCloud's command-line string.
    pub args: Vec<String>,
    /// Environment variables, sorted by name.
    pub env: Vec<(String, String)>,
    /// `argv[0]` when given; the node's name otherwise.
    pub name: Option<String>,
}

/// One device of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// One of [`DEVICES`].
    pub name: String,
    /// Its object path; outputs without one go to the job's response.
    pub path: Option<String>,
    /// Content type stored with an output.
    pub content_type: Option<String>,
    /// Metadata stored with an output.
    pub meta: BTreeMap<String, String>,
    /// `file`, `char`, `pipe` or `block`: the stat type in the original.
    pub mode: Option<String>,
    /// Outputs smaller than this are dropped instead of stored.
    pub min_size: u64,
}

impl Device {
    /// Whether the program reads it.
    pub fn readable(&self) -> bool {
        matches!(self.name.as_str(), "stdin" | "input" | "script" | "image")
    }

    /// Whether the program writes it.
    pub fn writable(&self) -> bool {
        matches!(self.name.as_str(), "stdout" | "stderr" | "output")
    }
}

/// A mistake in a job description, naming the node and the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{field}: {message}", node.as_ref().map(|n| format!("node {n:?}: ")).unwrap_or_default())]
pub struct SpecError {
    /// The group or node at fault, when one is.
    pub node: Option<String>,
    /// The field, like `devices[1].name`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl SpecError {
    /// An error in `field` of `node`.
    pub fn new(node: Option<&str>, field: impl Into<String>, message: impl Into<String>) -> Self {
        SpecError {
            node: node.map(str::to_owned),
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Parses a job description.
pub fn parse(text: &[u8]) -> Result<JobSpec, SpecError> {
    if text.len() > MAX_JOB_BYTES {
        return Err(SpecError::new(
            None,
            "job",
            format!("the description is larger than {MAX_JOB_BYTES} bytes"),
        ));
    }
    let value: Value = serde_json::from_slice(text)
        .map_err(|e| SpecError::new(None, "job", format!("invalid JSON: {e}")))?;
    let Value::Array(items) = value else {
        return Err(SpecError::new(
            None,
            "job",
            "expected a JSON list of node groups",
        ));
    };
    if items.is_empty() {
        return Err(SpecError::new(None, "job", "the job has no node groups"));
    }

    let mut groups = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let group = parse_group(i, item)?;
        if groups.iter().any(|g: &Group| g.name == group.name) {
            return Err(SpecError::new(
                Some(&group.name),
                "name",
                "two node groups have this name",
            ));
        }
        groups.push(group);
    }

    // Now that every name is known, check the links.
    for g in &groups {
        for (j, to) in g.connect.iter().enumerate() {
            let Some(target) = groups.iter().find(|t| &t.name == to) else {
                return Err(SpecError::new(
                    Some(&g.name),
                    format!("connect[{j}]"),
                    format!("no node group is named {to:?}"),
                ));
            };
            if target.name == g.name && g.count < 2 && !has_read_wildcard(g) {
                return Err(SpecError::new(
                    Some(&g.name),
                    format!("connect[{j}]"),
                    "a group may connect to itself only when it has more than one node",
                ));
            }
        }
    }
    Ok(JobSpec { groups })
}

fn has_read_wildcard(g: &Group) -> bool {
    g.devices
        .iter()
        .any(|d| d.readable() && d.path.as_deref().is_some_and(|p| p.contains('*')))
}

/// Reads the fields of one object, refusing keys not in `known`.
struct Fields<'a> {
    node: Option<&'a str>,
    prefix: String,
    map: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    fn new(
        node: Option<&'a str>,
        prefix: String,
        value: &'a Value,
        known: &[&str],
    ) -> Result<Self, SpecError> {
        let Value::Object(map) = value else {
            let field = if prefix.is_empty() { "group" } else { &prefix };
            return Err(SpecError::new(node, field, "expected a JSON object"));
        };
        let fields = Fields { node, prefix, map };
        if let Some(key) = map.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(fields.error(key, format!("unknown field (known: {})", known.join(", "))));
        }
        Ok(fields)
    }

    fn field(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    fn error(&self, key: &str, message: impl Into<String>) -> SpecError {
        SpecError::new(self.node, self.field(key), message)
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn string(&self, key: &str) -> Result<Option<String>, SpecError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.error(key, "expected a string")),
        }
    }

    fn required_string(&self, key: &str) -> Result<String, SpecError> {
        match self.string(key)? {
            Some(s) if !s.is_empty() => Ok(s),
            Some(_) => Err(self.error(key, "must not be empty")),
            None => Err(self.error(key, "missing required field")),
        }
    }

    fn uint(&self, key: &str, default: u64) -> Result<u64, SpecError> {
        match self.get(key) {
            None => Ok(default),
            Some(v) => v
                .as_u64()
                .ok_or_else(|| self.error(key, "expected a whole number, 0 or more")),
        }
    }

    fn string_map(&self, key: &str) -> Result<BTreeMap<String, String>, SpecError> {
        let Some(value) = self.get(key) else {
            return Ok(BTreeMap::new());
        };
        let Value::Object(map) = value else {
            return Err(self.error(key, "expected an object of strings"));
        };
        let mut out = BTreeMap::new();
        for (k, v) in map {
            let v = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return Err(self.error(&format!("{key}.{k}"), "expected a string")),
            };
            out.insert(k.clone(), v);
        }
        Ok(out)
    }
}

fn parse_group(index: usize, value: &Value) -> Result<Group, SpecError> {
    const KNOWN: [&str; 9] = [
        "name",
        "exec",
        "devices",
        "file_list",
        "count",
        "connect",
        "replicate",
        "attach",
        "location",
    ];
    // The name first, so that later errors can carry it.
    let name = match value.get("name") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            return Err(SpecError::new(
                None,
                format!("[{index}].name"),
                "expected a string",
            ))
        }
        None => {
            return Err(SpecError::new(
                None,
                format!("[{index}].name"),
                "missing required field",
            ))
        }
    };
    check_name(&name).map_err(|m| SpecError::new(Some(&name), "name", m))?;
    let node = Some(name.as_str());
    let f = Fields::new(node, String::new(), value, &KNOWN)?;

    let exec = match f.get("exec") {
        Some(v) => parse_exec(node, v)?,
        None => return Err(f.error("exec", "missing required field")),
    };

    let key = match (f.get("devices"), f.get("file_list")) {
        (Some(_), Some(_)) => {
            return Err(f.error("file_list", "give devices or file_list, not both"))
        }
        (None, Some(_)) => "file_list",
        _ => "devices",
    };
    let mut devices: Vec<Device> = Vec::new();
    if let Some(list) = f.get(key) {
        let Value::Array(items) = list else {
            return Err(f.error(key, "expected a list of devices"));
        };
        for (i, item) in items.iter().enumerate() {
            let device = parse_device(node, &format!("{key}[{i}]"), item)?;
            if devices.iter().any(|d| d.name == device.name) {
                return Err(SpecError::new(
                    node,
                    format!("{key}[{i}].name"),
                    format!("device {:?} is declared twice", device.name),
                ));
            }
            devices.push(device);
        }
    }

    let count = f.uint("count", 1)?;
    if count == 0 || count > MAX_COUNT {
        return Err(f.error("count", format!("must be 1 to {MAX_COUNT}")));
    }
    let replicate = match f.uint("replicate", 1)? {
        0 | 1 => 1,
        n @ (2 | 3) => n as u8,
        _ => return Err(f.error("replicate", "must be 0, 1, 2 or 3")),
    };
    let connect = match f.get("connect") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(j, v)| match v {
                Value::String(s) => Ok(s.clone()),
                _ => Err(f.error(&format!("connect[{j}]"), "expected a group name")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(f.error("connect", "expected a list of group names")),
    };
    let attach = f.string("attach")?;
    if let Some(a) = &attach {
        if a != "default" && !devices.iter().any(|d| &d.name == a) {
            return Err(f.error(
                "attach",
                format!("{a:?} is neither \"default\" nor a device of this group"),
            ));
        }
    }
    let location = f.string("location")?;
    Ok(Group {
        name: name.clone(),
        exec,
        devices,
        count,
        connect,
        replicate,
        attach,
        location,
    })
}

fn parse_exec(node: Option<&str>, value: &Value) -> Result<Exec, SpecError> {
    let f = Fields::new(node, "exec".into(), value, &["path", "args", "env", "name"])?;
    let path = f.required_string("path")?;
    let args = match f.string("args")? {
        Some(line) => split_args(&line).map_err(|m| f.error("args", m))?,
        None => Vec::new(),
    };
    let env = f.string_map("env")?.into_iter().collect();
    Ok(Exec {
        path,
        args,
        env,
        name: f.string("name")?,
    })
}

fn parse_device(node: Option<&str>, prefix: &str, value: &Value) -> Result<Device, SpecError> {
    const KNOWN: [&str; 7] = [
        "name",
        "device",
        "path",
        "content_type",
        "meta",
        "mode",
        "min_size",
    ];
    let f = Fields::new(node, prefix.to_owned(), value, &KNOWN)?;
    let key = if f.get("name").is_none() && f.get("device").is_some() {
        "device"
    } else {
        "name"
    };
    let name = f.required_string(key)?;
    if !DEVICES.contains(&name.as_str()) {
        return Err(f.error(
            key,
            format!("unknown device {name:?} (known: {})", DEVICES.join(", ")),
        ));
    }
    let mode = f.string("mode")?;
    if let Some(m) = &mode {
        if !["file", "char", "pipe", "block"].contains(&m.as_str()) {
            return Err(f.error("mode", format!("{m:?} is not file, char, pipe or block")));
        }
    }
    Ok(Device {
        name,
        path: f.string("path")?,
        content_type: f.string("content_type")?,
        meta: f.string_map("meta")?,
        mode,
        min_size: f.uint("min_size", 0)?,
    })
}

/// Checks a group name: letters, digits, `_`, `-` and `.`, not starting
/// with `.` (it becomes a file name under `/dev/in` and `/dev/out`).
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 128 {
        return Err("must be 1 to 128 characters".into());
    }
    if name.starts_with('.')
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Err(format!(
            "{name:?} may hold only letters, digits, `_`, `-` and `.`, and not start with `.`"
        ));
    }
    Ok(())
}

/// Splits ZeroCloud's argument string on spaces, decoding the `\xHH`
/// escapes zpm writes for spaces, commas, quotes and backslashes.
pub fn split_args(line: &str) -> Result<Vec<String>, String> {
    line.split_ascii_whitespace().map(unescape).collect()
}

fn unescape(word: &str) -> Result<String, String> {
    let bytes = word.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'x') {
            let hex = word
                .get(i + 2..i + 4)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad escape in {word:?}: expected \\xHH"))?;
            out.push(hex);
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("escapes in {word:?} are not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(text.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn a_full_group() {
        let job = parse(
            br#"[{"name":"map","exec":{"path":"swift://a/b/m.wasm","args":"-n 2 a\\x20b",
                 "env":{"K":"V"}},"file_list":[{"device":"input","path":"swift://a/c/*"},
                 {"name":"stdout","content_type":"text/plain","meta":{"k":"v"}}],
                 "connect":["red"]},
                {"name":"red","exec":{"path":"swift://a/b/r.wasm"},"count":2,"replicate":0}]"#,
        )
        .unwrap();
        let map = &job.groups[0];
        assert_eq!(map.exec.args, ["-n", "2", "a b"]);
        assert_eq!(map.exec.env, [("K".to_owned(), "V".to_owned())]);
        assert_eq!(map.devices[0].name, "input");
        assert_eq!(map.devices[1].meta["k"], "v");
        assert_eq!(job.groups[1].count, 2);
        assert_eq!(job.groups[1].replicate, 1);
    }

    #[test]
    fn mistakes_name_node_and_field() {
        assert!(err("[{").starts_with("job: invalid JSON"));
        assert_eq!(err("[{}]"), "[0].name: missing required field");
        assert_eq!(
            err(r#"[{"name":"a"}]"#),
            "node \"a\": exec: missing required field"
        );
        assert_eq!(
            err(r#"[{"name":"a","exec":{}}]"#),
            "node \"a\": exec.path: missing required field"
        );
        assert!(err(
            r#"[{"name":"a","exec":{"path":"x"},"devices":[{"name":"stdout"},{"name":"tape"}]}]"#
        )
        .starts_with("node \"a\": devices[1].name: unknown device \"tape\""));
        assert_eq!(
            err(r#"[{"name":"a","exec":{"path":"x"},"connect":["b"]}]"#),
            "node \"a\": connect[0]: no node group is named \"b\""
        );
        assert!(err(r#"[{"name":"a","exec":{"path":"x"},"cuont":2}]"#)
            .starts_with("node \"a\": cuont: unknown field"));
        assert_eq!(
            err(r#"[{"name":"a","exec":{"path":"x"},"count":0}]"#),
            "node \"a\": count: must be 1 to 1024"
        );
        assert!(err(r#"[{"name":"a","exec":{"path":"x"},"connect":["a"]}]"#)
            .contains("connect to itself"));
        assert!(err(r#"[{"name":"a/b","exec":{"path":"x"}}]"#).starts_with("node \"a/b\": name"));
    }
}
