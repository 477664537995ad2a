//! Building a [`Session`] from `zerovm run`'s flags and, if given, a
//! manifest.

use std::path::Path;

use zerovm_manifest::units::{parse_duration, parse_size};
use zerovm_manifest::{
    legacy, modern, parse_env, parse_mapping, ChannelLimits, ChannelSource, ChannelSpec,
    EtagAlgorithm, FileMode, Mount, Session, MAX_MEMORY,
};

use crate::RunArgs;

/// Why the session could not be built.
pub struct BuildError {
    /// One line naming the file, line or flag at fault.
    pub message: String,
    /// ZeroVM's exit status, for errors in an original manifest.
    pub errno: Option<i32>,
}

impl From<zerovm_manifest::ValueError> for BuildError {
    fn from(e: zerovm_manifest::ValueError) -> Self {
        BuildError {
            message: e.to_string(),
            errno: None,
        }
    }
}

/// The session the flags describe.
pub fn build(args: &RunArgs) -> Result<Session, BuildError> {
    let mut session = match (&args.manifest, &args.program) {
        (Some(path), _) => load_manifest(path)?,
        (None, Some(program)) => {
            let mut s = Session::new(program);
            s.args.extend(args.args.iter().cloned());
            s
        }
        (None, None) => {
            return Err(BuildError {
                message: "give a PROGRAM or --manifest FILE".into(),
                errno: None,
            })
        }
    };

    for e in &args.env {
        session.env.push(parse_env(e)?);
    }
    for spec in &args.images {
        let (tar, guest) = parse_mapping("--image", spec, Some("/"))?;
        session.mounts.push(Mount::Image { tar, guest });
    }
    for (specs, writable, what) in [
        (&args.dirs, true, "--dir"),
        (&args.dirs_ro, false, "--dir-ro"),
    ] {
        for spec in specs {
            let (host, guest) = parse_mapping(what, spec, None)?;
            session.mounts.push(Mount::Dir {
                host,
                guest,
                writable,
            });
        }
    }
    for spec in &args.channels {
        session.channels.push(parse_channel(spec)?);
    }
    map_at_files(&mut session)?;
    if let Some(algo) = &args.etag {
        session.etag_algorithm =
            EtagAlgorithm::parse(algo).ok_or_else(|| zerovm_manifest::ValueError {
                what: "--etag",
                value: algo.clone(),
                reason: "unknown algorithm (use md5, sha256 or blake3)".into(),
            })?;
        for ch in &mut session.channels {
            ch.etag = true;
        }
        add_std_channels_with_etags(&mut session);
    }
    if let Some(m) = &args.memory {
        session.limits.memory = parse_size("--memory", m)?;
        if session.limits.memory == 0 || session.limits.memory > MAX_MEMORY {
            return Err(zerovm_manifest::ValueError {
                what: "--memory",
                value: m.clone(),
                reason: "must be more than 0 and at most the 4 GiB a 32-bit memory can address"
                    .into(),
            }
            .into());
        }
    }
    if let Some(f) = &args.fs_size {
        session.limits.fs_bytes = parse_size("--fs-size", f)?;
    }
    if args.fuel.is_some() {
        session.limits.fuel = args.fuel;
    }
    if let Some(t) = &args.timeout {
        session.limits.timeout = Some(parse_duration("--timeout", t)?);
    }
    if let Some(t) = args.time {
        session.start_time = t;
    }
    if let Some(s) = args.seed {
        session.seed = s;
    }
    session.trap_unknown_imports |= args.trap_unknown_imports;
    if let Some(socket) = &args.daemon {
        session.daemon = Some(zerovm_manifest::Daemon {
            socket: socket.clone(),
            max_requests: args.daemon_requests,
        });
    }
    session.validate()?;
    Ok(session)
}

fn load_manifest(path: &Path) -> Result<Session, BuildError> {
    let text = std::fs::read(path).map_err(|e| BuildError {
        message: format!("failed to read manifest {}: {e}", path.display()),
        errno: None,
    })?;
    let text = String::from_utf8_lossy(&text);
    if legacy::is_legacy(&text) {
        legacy::parse(&text, path).map_err(|e| BuildError {
            message: e.to_string(),
            errno: Some(e.errno),
        })
    } else {
        modern::parse(&text, path).map_err(|e| BuildError {
            message: e.to_string(),
            errno: None,
        })
    }
}

/// Parses `HOST::ALIAS[:MODE]`.
fn parse_channel(spec: &str) -> Result<ChannelSpec, zerovm_manifest::ValueError> {
    let bad = |reason: &str| zerovm_manifest::ValueError {
        what: "--channel",
        value: spec.to_owned(),
        reason: reason.to_owned(),
    };
    let (host, rest) = spec
        .split_once("::")
        .ok_or_else(|| bad("expected HOST::ALIAS[:MODE]"))?;
    let (alias, mode) = match rest.rsplit_once(':') {
        Some((alias, mode)) => (
            alias,
            modern::parse_mode(mode)
                .ok_or_else(|| bad("unknown mode (use ro, random-read, wo, append or rw)"))?,
        ),
        None => (rest, FileMode::Read),
    };
    if host.is_empty() {
        return Err(bad("the host path is empty"));
    }
    zerovm_manifest::check_alias(alias)?;
    let source = match host.strip_prefix("tcp:") {
        Some(addr) => ChannelSource::Tcp(
            addr.parse()
                .map_err(|_| bad("tcp:ADDRESS must be tcp:IP:PORT"))?,
        ),
        None => ChannelSource::File(host.into()),
    };
    Ok(ChannelSpec {
        alias: alias.to_owned(),
        source,
        mode,
        limits: ChannelLimits::UNLIMITED,
        etag: false,
    })
}

/// Turns `@FILE` arguments into read-only channels, as zvsh did.
fn map_at_files(session: &mut Session) -> Result<(), zerovm_manifest::ValueError> {
    for index in 1..session.args.len() {
        let Some(path) = session.args[index].strip_prefix('@') else {
            continue;
        };
        let path = Path::new(path);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| zerovm_manifest::ValueError {
                what: "argument",
                value: session.args[index].clone(),
                reason: "`@` must be followed by a file name".into(),
            })?;
        let alias = format!("/dev/{index}.{name}");
        session.channels.push(ChannelSpec {
            alias: alias.clone(),
            source: ChannelSource::File(path.to_owned()),
            mode: FileMode::RandomRead,
            limits: ChannelLimits::UNLIMITED,
            etag: false,
        });
        session.args[index] = alias;
    }
    Ok(())
}

/// With `--etag`, the standard streams are hashed too: declare them.
fn add_std_channels_with_etags(session: &mut Session) {
    let std = [
        ("/dev/stdin", ChannelSource::HostStdin, FileMode::Read),
        ("/dev/stdout", ChannelSource::HostStdout, FileMode::Write),
        ("/dev/stderr", ChannelSource::HostStderr, FileMode::Write),
    ];
    for (alias, source, mode) in std {
        if !session.channels.iter().any(|c| c.alias == alias) {
            session.channels.push(ChannelSpec {
                alias: alias.to_owned(),
                source,
                mode,
                limits: ChannelLimits::UNLIMITED,
                etag: true,
            });
        }
    }
}
