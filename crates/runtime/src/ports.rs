//! Opening a session's channels, and finishing them when it ends.

use std::path::PathBuf;

use zerovm_channels::file::HostFile;
use zerovm_channels::{
    Channel, Finish, HostStderr, HostStdin, HostStdout, Limits, NullChannel, Port,
};
use zerovm_manifest::{ChannelSource, Session, STD_ALIASES};
use zerovm_vfs::{FileType, OpenOptions, Vfs};
use zerovm_wasi::WasiCtx;

use crate::{ChannelReport, RunError, Stdio};

/// Opens every declared channel, in order, adds the caller's `extra`
/// ones, then the standard ones the session left undeclared, from `stdio`.
pub(crate) fn open(
    session: &Session,
    stdio: Stdio,
    extra: Vec<Port>,
) -> Result<Vec<Port>, RunError> {
    let mut ports = Vec::with_capacity(session.channels.len() + extra.len() + 3);
    for spec in &session.channels {
        let channel: Box<dyn Channel> = match &spec.source {
            ChannelSource::File(path) => Box::new(HostFile::open(path, spec.mode).map_err(
                |source| RunError::Channel {
                    alias: spec.alias.clone(),
                    source,
                },
            )?),
            ChannelSource::Null => Box::new(NullChannel),
            ChannelSource::HostStdin => Box::new(HostStdin),
            ChannelSource::HostStdout => Box::new(HostStdout),
            ChannelSource::HostStderr => Box::new(HostStderr),
            ChannelSource::Tcp(addr) => tcp(&spec.alias, *addr, spec.mode)?,
        };
        let etag = spec.etag.then_some(session.etag_algorithm);
        ports.push(Port::new(spec.alias.clone(), channel, spec.limits, etag));
    }
    ports.extend(extra);
    let Stdio {
        stdin,
        stdout,
        stderr,
    } = stdio;
    for (alias, channel) in STD_ALIASES.into_iter().zip([stdin, stdout, stderr]) {
        if !ports.iter().any(|p| p.alias() == alias) {
            ports.push(Port::new(alias, channel, Limits::UNLIMITED, None));
        }
    }
    Ok(ports)
}

/// What finishing the channels gave.
pub(crate) struct Finished {
    pub channels: Vec<ChannelReport>,
    pub committed: Vec<PathBuf>,
    pub discarded: Vec<PathBuf>,
    /// Why an output could not be committed, if one could not.
    pub failure: Option<String>,
}

/// Commits (or discards) every output and reads the counters and etags.
pub(crate) fn finish(ports: Vec<Port>, commit: bool) -> Finished {
    let mut out = Finished {
        channels: Vec::with_capacity(ports.len()),
        committed: Vec::new(),
        discarded: Vec::new(),
        failure: None,
    };
    // If one output fails to commit, the rest are discarded too, so a
    // session's outputs change together or not at all as far as possible.
    let mut commit = commit;
    for mut port in ports {
        let _ = port.flush();
        match port.finish(commit) {
            Ok(Finish::Committed(path)) => out.committed.push(path),
            Ok(Finish::Discarded(path)) => out.discarded.push(path),
            Ok(Finish::Nothing) => {}
            Err(err) => {
                tracing::error!(alias = port.alias(), %err, "failed to commit channel output");
                out.failure
                    .get_or_insert_with(|| format!("failed to commit {}: {err}", port.alias()));
                commit = false;
            }
        }
        out.channels.push(ChannelReport {
            alias: port.alias().to_owned(),
            counters: port.counters(),
            etag: port.etag(),
            network: port.is_network(),
        });
    }
    out
}

/// Saves each exported directory as a tar into its channel.
pub(crate) fn export_dirs(session: &Session, wasi: &mut WasiCtx) -> Result<(), String> {
    for export in &session.exports {
        let tar = tar_of(wasi.vfs_mut(), &export.dir)
            .map_err(|e| format!("failed to export {} as a tar: {e}", export.dir))?;
        let index = wasi
            .ports()
            .iter()
            .position(|p| p.alias() == export.channel)
            .ok_or_else(|| format!("export channel {} is not declared", export.channel))?;
        let port = &mut wasi.ports_mut()[index];
        let mut data = &tar[..];
        while !data.is_empty() {
            let n = port
                .write(data)
                .map_err(|e| format!("failed to write {}: {e}", export.channel))?;
            if n == 0 {
                return Err(format!("{} took no more bytes", export.channel));
            }
            data = &data[n..];
        }
    }
    Ok(())
}

/// A deterministic tar of the directory `dir` of the sandbox: entries in
/// sorted order, owner 0, times from the virtual clock.
fn tar_of(vfs: &mut Vfs, dir: &str) -> Result<Vec<u8>, String> {
    let root = vfs.open_root();
    let rel = dir.trim_start_matches('/');
    let rel = if rel.is_empty() { "." } else { rel };
    let mut builder = tar::Builder::new(Vec::new());
    let result = add_tree(vfs, &root, rel, "", &mut builder);
    vfs.close(root);
    result?;
    builder.into_inner().map_err(|e| e.to_string())
}

fn add_tree(
    vfs: &mut Vfs,
    root: &zerovm_vfs::Handle,
    path: &str,
    name: &str,
    builder: &mut tar::Builder<Vec<u8>>,
) -> Result<(), String> {
    let opts = OpenOptions {
        follow: false,
        directory: true,
        ..Default::default()
    };
    let dir = vfs
        .open(root, path, opts, 0)
        .map_err(|e| format!("{path}: {e}"))?;
    let entries = vfs.read_dir(&dir).map_err(|e| format!("{path}: {e}"));
    vfs.close(dir);
    for entry in entries? {
        if entry.name == "." || entry.name == ".." {
            continue;
        }
        let child = format!("{path}/{}", entry.name);
        let child_name = if name.is_empty() {
            entry.name.clone()
        } else {
            format!("{name}/{}", entry.name)
        };
        let stat = vfs
            .path_stat(root, &child, false)
            .map_err(|e| format!("{child}: {e}"))?;
        let mut header = tar::Header::new_gnu();
        header.set_mtime(stat.mtime / 1_000_000_000);
        header.set_uid(0);
        header.set_gid(0);
        match entry.file_type {
            FileType::Directory => {
                header.set_entry_type(tar::EntryType::Directory);
                header.set_mode(0o755);
                header.set_size(0);
                builder
                    .append_data(&mut header, format!("{child_name}/"), &[][..])
                    .map_err(|e| e.to_string())?;
                add_tree(vfs, root, &child, &child_name, builder)?;
            }
            FileType::Regular => {
                let file = vfs
                    .open(root, &child, OpenOptions::default(), 0)
                    .map_err(|e| format!("{child}: {e}"))?;
                let mut data = vec![0u8; usize::try_from(stat.size).unwrap_or(0)];
                let read = vfs.read_at(&file, 0, &mut data);
                vfs.close(file);
                let n = read.map_err(|e| format!("{child}: {e}"))?;
                data.truncate(n);
                header.set_entry_type(tar::EntryType::Regular);
                header.set_mode(0o644);
                header.set_size(data.len() as u64);
                builder
                    .append_data(&mut header, &child_name, &data[..])
                    .map_err(|e| e.to_string())?;
            }
            FileType::Symlink => {
                let target = vfs
                    .readlink(root, &child)
                    .map_err(|e| format!("{child}: {e}"))?;
                header.set_entry_type(tar::EntryType::Symlink);
                header.set_mode(0o777);
                header.set_size(0);
                builder
                    .append_link(&mut header, &child_name, &target)
                    .map_err(|e| e.to_string())?;
            }
            // Devices and channels have no place in an archive.
            _ => {}
        }
    }
    Ok(())
}

/// Opens a TCP channel: a reader binds, a writer connects, both waiting
/// for the other side up to the rendezvous timeout.
fn tcp(
    alias: &str,
    addr: std::net::SocketAddr,
    mode: zerovm_manifest::FileMode,
) -> Result<Box<dyn Channel>, RunError> {
    use zerovm_channels::tcp::{TcpReader, TcpWriter, DEFAULT_RENDEZVOUS};
    let failed = |source: std::io::Error| RunError::Channel {
        alias: alias.to_owned(),
        source: zerovm_channels::file::OpenError::Io {
            path: addr.to_string().into(),
            source,
        },
    };
    match mode {
        zerovm_manifest::FileMode::Read => {
            let (reader, _) = TcpReader::bind(addr, DEFAULT_RENDEZVOUS).map_err(failed)?;
            Ok(Box::new(reader))
        }
        zerovm_manifest::FileMode::Write => Ok(Box::new(
            TcpWriter::connect(addr, DEFAULT_RENDEZVOUS).map_err(failed)?,
        )),
        _ => Err(RunError::Channel {
            alias: alias.to_owned(),
            source: zerovm_channels::file::OpenError::OneWayOnly {
                path: addr.to_string().into(),
            },
        }),
    }
}
