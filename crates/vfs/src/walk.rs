//! Path resolution, relative to a directory and never above it.
//!
//! The walk keeps the chain of directories it went through, so `..` steps
//! back along that chain and fails once it would leave the starting
//! directory; it crosses between the in-memory tree and host mounts in both
//! directions. Symlinks are followed here, for both kinds of node, so the
//! same rules hold everywhere: a relative target continues from the link's
//! directory, an absolute one restarts at the filesystem root and is only
//! allowed when the walk started there, and more than
//! [`MAX_SYMLINKS`](crate::MAX_SYMLINKS) links end the walk with `ELOOP`.

use std::collections::VecDeque;

use crate::node::InodeKind;
use crate::{Errno, FileType, NodeRef, Result, Vfs, MAX_NAME_LEN, MAX_PATH_LEN, MAX_SYMLINKS};

/// Where a path leads.
#[derive(Debug, Clone)]
pub(crate) struct Walk {
    /// The directory holding the last component.
    pub parent: NodeRef,
    /// The last component; `None` when the path names a directory through
    /// `.` or `..` (such a path cannot be created or removed).
    pub name: Option<String>,
    /// The object at the path, if it exists, and its type (a symlink when
    /// the last component is one and was not followed).
    pub found: Option<(NodeRef, FileType)>,
    /// The path ended in `/`: the object must be a directory.
    pub trailing_slash: bool,
}

pub(crate) fn walk(vfs: &Vfs, base: &NodeRef, path: &str, follow: bool) -> Result<Walk> {
    if path.is_empty() {
        return Err(Errno::NoEnt);
    }
    if path.len() > MAX_PATH_LEN {
        return Err(Errno::NameTooLong);
    }
    if path.starts_with('/') {
        return Err(Errno::NotCapable);
    }
    // No name can hold a NUL byte (a host would cut the path there).
    if path.contains('\0') {
        return Err(Errno::Inval);
    }
    let trailing_slash = path.ends_with('/');
    let mut pending: VecDeque<String> = components(path)?;
    let mut chain: Vec<NodeRef> = vec![base.clone()];
    let mut links = 0u32;
    let mut last_name: Option<String> = None;

    while let Some(name) = pending.pop_front() {
        let is_last = pending.is_empty();
        let dir = chain.last().cloned().ok_or(Errno::NotCapable)?;
        match name.as_str() {
            "." => {
                last_name = None;
                continue;
            }
            ".." => {
                if chain.len() == 1 {
                    return Err(Errno::NotCapable);
                }
                chain.pop();
                last_name = None;
                continue;
            }
            _ => {}
        }

        let child = lookup(vfs, &dir, &name)?;
        let Some((node, file_type)) = child else {
            if is_last {
                return Ok(Walk {
                    parent: dir,
                    name: Some(name),
                    found: None,
                    trailing_slash,
                });
            }
            return Err(Errno::NoEnt);
        };

        match file_type {
            FileType::Symlink if !is_last || follow || trailing_slash => {
                links += 1;
                if links > MAX_SYMLINKS {
                    return Err(Errno::Loop);
                }
                let target = link_target(vfs, &node)?;
                if target.is_empty() {
                    return Err(Errno::NoEnt);
                }
                if target.starts_with('/') {
                    if chain[0] != vfs.root {
                        return Err(Errno::NotCapable);
                    }
                    chain.truncate(1);
                }
                let mut spliced = components(&target)?;
                spliced.extend(pending.drain(..));
                pending = spliced;
                // A link to `.` or `..` at the end names the directory.
                last_name = None;
            }
            FileType::Directory if !is_last => chain.push(node),
            _ if !is_last => return Err(Errno::NotDir),
            FileType::Directory | FileType::Symlink => {
                return Ok(Walk {
                    parent: dir,
                    name: Some(name),
                    found: Some((node, file_type)),
                    trailing_slash,
                })
            }
            _ => {
                if trailing_slash {
                    return Err(Errno::NotDir);
                }
                return Ok(Walk {
                    parent: dir,
                    name: Some(name),
                    found: Some((node, file_type)),
                    trailing_slash,
                });
            }
        }
    }

    // The path ended on `.`, `..` or a followed link to a directory path:
    // it names the directory at the end of the chain.
    let node = chain.pop().ok_or(Errno::NotCapable)?;
    let parent = chain.last().cloned().unwrap_or_else(|| node.clone());
    Ok(Walk {
        parent,
        name: last_name,
        found: Some((node, FileType::Directory)),
        trailing_slash,
    })
}

/// Splits a relative path into its non-empty components.
fn components(path: &str) -> Result<VecDeque<String>> {
    let mut out = VecDeque::new();
    for part in path.split('/').filter(|c| !c.is_empty()) {
        if part.len() > MAX_NAME_LEN {
            return Err(Errno::NameTooLong);
        }
        out.push_back(part.to_owned());
    }
    if out.is_empty() {
        // "/" alone, or "//": the directory itself.
        out.push_back(".".to_owned());
    }
    Ok(out)
}

/// The child `name` of directory `dir`, with its type.
fn lookup(vfs: &Vfs, dir: &NodeRef, name: &str) -> Result<Option<(NodeRef, FileType)>> {
    match dir {
        NodeRef::Mem(ino) => {
            let inode = vfs.inode(*ino)?;
            let InodeKind::Dir(d) = &inode.kind else {
                return Err(Errno::NotDir);
            };
            match d.entries.get(name) {
                None => Ok(None),
                Some(child) => {
                    let file_type = vfs.node_type(child)?;
                    Ok(Some((child.clone(), file_type)))
                }
            }
        }
        NodeRef::Host { mount, path } => {
            let child = path.join(name);
            match vfs.mount(*mount)?.lstat(&child) {
                Ok(meta) => Ok(Some((
                    NodeRef::Host {
                        mount: *mount,
                        path: child,
                    },
                    crate::host::file_type(&meta),
                ))),
                Err(Errno::NoEnt) => Ok(None),
                Err(e) => Err(e),
            }
        }
    }
}

fn link_target(vfs: &Vfs, node: &NodeRef) -> Result<String> {
    vfs.link_target(node)
}
