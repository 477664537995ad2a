//! From node groups to concrete nodes.
//!
//! - A `*` in a readable device's path (container or object part) is
//!   matched against the store's listings: one node per matching object,
//!   named `<group>-1` … `<group>-N` in listing order, `count` ignored.
//! - A `*` in a writable path takes, in order, the texts the input's `*`s
//!   matched (`in_log_345` → `out_log_345`), or the node's name when the
//!   group has no input wildcard (`out.sort-1`).
//! - `count: N` makes N copies, `<group>-1` … `<group>-N`; a group of one
//!   node keeps the group's name.
//! - `A connect [B]` makes a pipe from every node of A to every node of
//!   B (but not from a node to itself): `/dev/out/<b>` in A,
//!   `/dev/in/<a>` in B.
//! - `replicate: R` runs R copies of each node; they must write the same
//!   bytes.
//!
//! Everything that can be checked before a node runs is checked here: the
//! objects read exist, no two nodes write one object, the program exists.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::source::{Image, JobSource};
use crate::spec::{Device, Group, SpecError};
use crate::store::{ObjectPath, Store};

/// Most nodes a job may expand to (each is a thread and a sandbox).
pub const MAX_NODES: usize = 4096;

/// An expanded job.
#[derive(Debug, Clone)]
pub struct Job {
    /// Every node, replicas included, in creation order.
    pub nodes: Vec<Node>,
    /// Pipes, as (writer, reader) indices into `nodes`.
    pub pipes: Vec<(usize, usize)>,
    /// The zapp's image, mounted at `/` in every node.
    pub image: Option<Image>,
}

/// Where a node's program is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Program {
    /// A host file (an object of the store).
    File(PathBuf),
    /// A file inside the zapp's image.
    InImage(String),
}

/// One sandbox of the job.
#[derive(Debug, Clone)]
pub struct Node {
    /// ZeroCloud's node id: 1…N in creation order (replicas share it).
    pub id: usize,
    /// Its name: `argv[0]` and the name its peers see it by.
    pub name: String,
    /// The group it came from.
    pub group: String,
    /// 0 for the node itself, 1 and 2 for its replicas.
    pub replica: u8,
    /// Its program.
    pub program: Program,
    /// `argv`, `argv[0]` included.
    pub args: Vec<String>,
    /// Its environment.
    pub env: Vec<(String, String)>,
    /// Its devices, with concrete paths.
    pub devices: Vec<NodeDevice>,
}

/// A device with its concrete object.
#[derive(Debug, Clone)]
pub struct NodeDevice {
    /// The device's settings as written in the job.
    pub spec: Device,
    /// The object behind it; `None` for an output to the job's response.
    pub object: Option<ObjectPath>,
}

/// Expands the groups of `source` against `store`.
pub fn expand(source: &JobSource, store: &Store) -> Result<Job, SpecError> {
    let mut nodes: Vec<Node> = Vec::new();
    let mut members: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut next_id = 1;

    for group in &source.spec.groups {
        let program = resolve_program(group, store, source.image.as_ref())?;
        let instances = instances(group, store)?;
        let many = instances.len() > 1;
        if nodes.len() + instances.len() * usize::from(group.replicate) > MAX_NODES {
            return Err(SpecError::new(
                Some(&group.name),
                "count",
                format!("the job would have more than {MAX_NODES} nodes"),
            ));
        }
        let mut indices = Vec::new();
        for (i, inst) in instances.into_iter().enumerate() {
            let name = if many {
                format!("{}-{}", group.name, i + 1)
            } else {
                group.name.clone()
            };
            let devices = concrete_devices(group, &name, &inst, store)?;
            let mut args = vec![group.exec.name.clone().unwrap_or_else(|| name.clone())];
            args.extend(group.exec.args.iter().cloned());
            for replica in 0..group.replicate {
                if replica == 0 {
                    indices.push(nodes.len());
                }
                nodes.push(Node {
                    id: next_id,
                    name: name.clone(),
                    group: group.name.clone(),
                    replica,
                    program: program.clone(),
                    args: args.clone(),
                    env: group.exec.env.clone(),
                    devices: devices.clone(),
                });
            }
            next_id += 1;
        }
        members.insert(&group.name, indices);
    }

    check_unique_outputs(&nodes)?;

    let mut pipes = Vec::new();
    for group in &source.spec.groups {
        for (j, to) in group.connect.iter().enumerate() {
            let other = &source.spec.groups.iter().find(|g| &g.name == to);
            if group.replicate > 1 || other.is_some_and(|o| o.replicate > 1) {
                return Err(SpecError::new(
                    Some(&group.name),
                    format!("connect[{j}]"),
                    "replicated groups cannot be connected on one machine",
                ));
            }
            let (Some(from), Some(into)) =
                (members.get(group.name.as_str()), members.get(to.as_str()))
            else {
                return Err(SpecError::new(
                    Some(&group.name),
                    format!("connect[{j}]"),
                    format!("no node group is named {to:?}"),
                ));
            };
            for &a in from {
                for &b in into {
                    if a != b && !pipes.contains(&(a, b)) {
                        pipes.push((a, b));
                    }
                }
            }
        }
    }
    Ok(Job {
        nodes,
        pipes,
        image: source.image.clone(),
    })
}

/// One node-to-be of a group: the objects its input wildcard matched and
/// the texts its `*`s stood for.
#[derive(Debug, Default)]
struct Instance {
    /// (device index, object) for the wildcard device.
    input: Option<(usize, ObjectPath)>,
    /// What each `*` matched, in order.
    captures: Vec<String>,
    /// Whether the group has an input wildcard.
    wildcard: bool,
}

fn instances(group: &Group, store: &Store) -> Result<Vec<Instance>, SpecError> {
    let node = Some(group.name.as_str());
    let mut wild = group
        .devices
        .iter()
        .enumerate()
        .filter(|(_, d)| d.readable() && d.path.as_deref().is_some_and(|p| p.contains('*')));
    let Some((index, device)) = wild.next() else {
        return Ok((0..group.count).map(|_| Instance::default()).collect());
    };
    let field = format!("devices[{index}].path");
    if let Some((second, _)) = wild.next() {
        return Err(SpecError::new(
            node,
            format!("devices[{second}].path"),
            "only one readable device of a group may hold a wildcard",
        ));
    }
    let url = device.path.as_deref().unwrap_or_default();
    let pattern = store
        .parse(url)
        .map_err(|m| SpecError::new(node, &field, m))?;
    if pattern.account.contains('*') {
        return Err(SpecError::new(
            node,
            &field,
            "a wildcard may stand in the container or object name, not the account",
        ));
    }
    if pattern.object.is_empty() {
        return Err(SpecError::new(
            node,
            &field,
            "container paths cannot be read on one machine: name objects",
        ));
    }

    let list_err =
        |e: std::io::Error| SpecError::new(node, &field, format!("failed to list the store: {e}"));
    let containers = if pattern.container.contains('*') {
        store.containers(&pattern.account).map_err(list_err)?
    } else {
        vec![pattern.container.clone()]
    };
    let mut out = Vec::new();
    for container in containers {
        let Some(mut captures) = glob(&pattern.container, &container) else {
            continue;
        };
        for object in store
            .objects(&pattern.account, &container)
            .map_err(list_err)?
        {
            if let Some(more) = glob(&pattern.object, &object) {
                let mut all = captures.clone();
                all.extend(more);
                out.push(Instance {
                    input: Some((
                        index,
                        ObjectPath {
                            account: pattern.account.clone(),
                            container: container.clone(),
                            object,
                        },
                    )),
                    captures: all,
                    wildcard: true,
                });
            }
        }
        captures.clear();
    }
    if out.is_empty() {
        return Err(SpecError::new(
            node,
            &field,
            format!("no object matches {url:?}"),
        ));
    }
    Ok(out)
}

fn concrete_devices(
    group: &Group,
    name: &str,
    inst: &Instance,
    store: &Store,
) -> Result<Vec<NodeDevice>, SpecError> {
    let node = Some(group.name.as_str());
    let mut out = Vec::with_capacity(group.devices.len());
    for (i, device) in group.devices.iter().enumerate() {
        let field = format!("devices[{i}].path");
        let err = |m: String| SpecError::new(node, &field, m);
        if device.name == "debug" {
            return Err(SpecError::new(
                node,
                format!("devices[{i}].name"),
                "debug devices (network logging) are not supported on one machine",
            ));
        }
        let object = match (&device.path, &inst.input) {
            (_, Some((index, object))) if *index == i => Some(object.clone()),
            (None, _) if device.writable() => None,
            (None, _) => {
                return Err(err(format!(
                    "the {} device needs a path: on one machine there is no request body to read",
                    device.name
                )))
            }
            (Some(url), _) => {
                let url = if device.writable() && url.contains('*') {
                    fill_wildcards(url, name, inst).map_err(err)?
                } else if device.writable() && inst.wildcard {
                    return Err(err(format!(
                        "wildcards in input cannot be resolved into output path {url:?}"
                    )));
                } else {
                    url.clone()
                };
                let object = store.parse(&url).map_err(err)?;
                if object.object.is_empty() {
                    return Err(err(format!(
                        "{url:?} is a container: devices need objects on one machine"
                    )));
                }
                if device.readable() && !store.exists(&object) {
                    return Err(err(format!("no such object {url:?}")));
                }
                Some(object)
            }
        };
        out.push(NodeDevice {
            spec: device.clone(),
            object,
        });
    }
    Ok(out)
}

/// Puts the input's captures (or the node's name) in place of each `*`.
fn fill_wildcards(url: &str, name: &str, inst: &Instance) -> Result<String, String> {
    let mut out = String::with_capacity(url.len());
    let mut captures = inst.captures.iter();
    for (k, piece) in url.split('*').enumerate() {
        if k > 0 {
            if !inst.wildcard {
                out.push_str(name);
            } else {
                let text = captures.next().ok_or_else(|| {
                    format!("the output path {url:?} has more wildcards than the input path")
                })?;
                out.push_str(text);
            }
        }
        out.push_str(piece);
    }
    Ok(out)
}

fn resolve_program(
    group: &Group,
    store: &Store,
    image: Option<&Image>,
) -> Result<Program, SpecError> {
    let node = Some(group.name.as_str());
    let path = &group.exec.path;
    let err = |m: String| SpecError::new(node, "exec.path", m);
    if path.starts_with("swift://") {
        let object = store.parse(path).map_err(err)?;
        if !store.exists(&object) {
            return Err(err(format!("no such object {path:?}")));
        }
        return Ok(Program::File(store.file(&object)));
    }
    let inner = match path.strip_prefix("file://") {
        Some(rest) if rest.contains(':') => {
            return Err(err(format!(
                "{path:?} names a system image; none are configured on this machine"
            )))
        }
        Some(rest) => rest,
        None if path.contains("://") => {
            return Err(err(format!(
                "{path:?}: expected a swift:// or file:// path"
            )))
        }
        None => path.as_str(),
    };
    let Some(image) = image else {
        return Err(err(format!(
            "{path:?} is a path inside an image, but the job came without one (run a zapp)"
        )));
    };
    image
        .read(inner)
        .map_err(|e| err(format!("failed to find {inner:?} in the image: {e}")))?;
    Ok(Program::InImage(inner.to_owned()))
}

fn check_unique_outputs(nodes: &[Node]) -> Result<(), SpecError> {
    let mut writers: BTreeMap<String, &Node> = BTreeMap::new();
    for node in nodes.iter().filter(|n| n.replica == 0) {
        for (i, d) in node.devices.iter().enumerate() {
            let (true, Some(object)) = (d.spec.writable(), &d.object) else {
                continue;
            };
            if let Some(first) = writers.insert(object.url(), node) {
                return Err(SpecError::new(
                    Some(&node.name),
                    format!("devices[{i}].path"),
                    format!(
                        "{} is written by two nodes ({} and {}): give the path a `*`",
                        object.url(),
                        first.name,
                        node.name
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Matches `text` against `pattern`, where `*` stands for any text (as
/// ZeroCloud's `.*`, greedily); returns what each `*` matched.
pub fn glob(pattern: &str, text: &str) -> Option<Vec<String>> {
    fn go<'t>(p: &[u8], t: &'t str, at: usize, caps: &mut Vec<&'t str>) -> bool {
        match p.split_first() {
            None => at == t.len(),
            Some((b'*', rest)) => {
                // Longest first, like a greedy `.*`.
                for end in (at..=t.len()).rev() {
                    if !t.is_char_boundary(end) {
                        continue;
                    }
                    caps.push(&t[at..end]);
                    if go(rest, t, end, caps) {
                        return true;
                    }
                    caps.pop();
                }
                false
            }
            Some((&c, rest)) => t.as_bytes().get(at) == Some(&c) && go(rest, t, at + 1, caps),
        }
    }
    let mut caps = Vec::new();
    go(pattern.as_bytes(), text, 0, &mut caps)
        .then(|| caps.into_iter().map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec;
    use crate::store::Metadata;

    #[test]
    fn globs() {
        assert_eq!(glob("in_*.txt", "in_log_3.txt").unwrap(), ["log_3"]);
        assert_eq!(glob("*", "a/b").unwrap(), ["a/b"]);
        assert_eq!(glob("a*b*", "aXbYb").unwrap(), ["XbY", ""]);
        assert!(glob("in_*", "out_1").is_none());
        assert_eq!(glob("exact", "exact").unwrap(), Vec::<String>::new());
    }

    fn setup(objects: &[&str]) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path(), "me");
        for o in objects {
            let p = store.parse(&format!("swift://me/{o}")).unwrap();
            store.put(&p, b"x", &Metadata::default()).unwrap();
        }
        (dir, store)
    }

    fn job(json: &str, store: &Store) -> Result<Job, String> {
        let source = JobSource {
            path: "job.json".into(),
            spec: spec::parse(json.as_bytes()).map_err(|e| e.to_string())?,
            image: None,
        };
        expand(&source, store).map_err(|e| e.to_string())
    }

    #[test]
    fn wildcards_counts_and_pipes() {
        let (_d, store) = setup(&["bin/p.wasm", "in/log_1", "in/log_2", "in/other"]);
        let j = job(
            r#"[{"name":"map","exec":{"path":"swift://me/bin/p.wasm"},
                 "devices":[{"name":"input","path":"swift://me/in/log_*"},
                            {"name":"output","path":"swift://me/out/res_*"}],
                 "connect":["red"]},
                {"name":"red","exec":{"path":"swift://me/bin/p.wasm"},"count":2,
                 "devices":[{"name":"output","path":"swift://me/out/red.*"}]}]"#,
            &store,
        )
        .unwrap();
        let names: Vec<_> = j.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["map-1", "map-2", "red-1", "red-2"]);
        let out = |n: usize, d: usize| j.nodes[n].devices[d].object.as_ref().unwrap().url();
        assert_eq!(out(1, 0), "swift://me/in/log_2");
        assert_eq!(out(1, 1), "swift://me/out/res_2");
        assert_eq!(out(3, 0), "swift://me/out/red.red-2");
        assert_eq!(j.pipes, [(0, 2), (0, 3), (1, 2), (1, 3)]);
        assert_eq!(j.nodes[2].args, ["red-1"]);
        assert_eq!(j.nodes[3].id, 4);
    }

    #[test]
    fn bad_wildcards() {
        let (_d, store) = setup(&["bin/p.wasm", "in/log_1", "in/log_2"]);
        let e = job(
            r#"[{"name":"m","exec":{"path":"swift://me/bin/p.wasm"},
                 "devices":[{"name":"input","path":"swift://me/in/nothing*"}]}]"#,
            &store,
        )
        .unwrap_err();
        assert!(
            e.contains("node \"m\": devices[0].path: no object matches"),
            "{e}"
        );
        let e = job(
            r#"[{"name":"m","exec":{"path":"swift://me/bin/p.wasm"},
                 "devices":[{"name":"input","path":"swift://me/in/log_*"},
                            {"name":"output","path":"swift://me/out/one"}]}]"#,
            &store,
        )
        .unwrap_err();
        assert!(
            e.contains("wildcards in input cannot be resolved into output path"),
            "{e}"
        );
        let e = job(
            r#"[{"name":"m","exec":{"path":"swift://me/bin/p.wasm"},"count":2,
                 "devices":[{"name":"output","path":"swift://me/out/one"}]}]"#,
            &store,
        )
        .unwrap_err();
        assert!(
            e.contains("node \"m-2\": devices[0].path: swift://me/out/one is written by two nodes"),
            "{e}"
        );
        let e = job(
            r#"[{"name":"m","exec":{"path":"swift://me/bin/missing.wasm"}}]"#,
            &store,
        )
        .unwrap_err();
        assert!(e.contains("exec.path: no such object"), "{e}");
    }
}
