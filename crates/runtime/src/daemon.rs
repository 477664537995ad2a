//! Daemon mode, as ZeroVM had it: pay a slow start once, then serve each
//! request from a copy of the process taken at the fork point.
//!
//! A session with [`Daemon`] runs normally until its fork point: the first
//! read of `/dev/stdin`, or a call of `zerovm.fork()`. There it binds the
//! Unix socket and serves requests, one connection each:
//!
//! - the client sends a 4-byte big-endian length and that many bytes (at
//!   most [`MAX_REQUEST`]) of JSON:
//!   `{"channels": {"/dev/stdin": "/abs/in.txt", "/dev/stdout": "/abs/out.txt"}}`,
//!   mapping channel aliases of the session (the standard ones, or ones it
//!   declared) to host files;
//! - the daemon checks the request, then `fork()`s: the copy opens the
//!   request's files in the modes of the channels they replace (`/dev/stdin`
//!   read, `/dev/stdout` and `/dev/stderr` write), and returns from the fork
//!   point into the guest, which carries on with its state as it was: an
//!   interpreter with its library already loaded;
//! - when the copy's session ends, it answers on the connection with a
//!   4-byte big-endian length and the JSON report (see [`crate::report`]),
//!   and exits. A request the daemon refuses is answered the same way with
//!   `{"error": "..."}`.
//!
//! Memory is copied on write by the kernel, so a copy costs page tables,
//! not a reload. At most [`MAX_CHILDREN`] copies run at once; the daemon
//! stops after `max_requests` requests (if given) once its copies have
//! ended, and its own session then ends with exit code 0.
//!
//! Known limits: a session with a timeout keeps it in each copy (the epoch
//! thread is started again there), but fuel is shared history: a copy
//! starts with the fuel the daemon had left at the fork point. Data the
//! guest wrote to its channels before the fork point went to the daemon's
//! own channels.

use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::Mutex;

use zerovm_channels::file::{FileMode, HostFile};
use zerovm_channels::{EtagAlgorithm, Port};
use zerovm_manifest::{Daemon, Session};
use zerovm_wasi::{ForkHook, ForkOutcome, WasiCtx};

/// Largest request, in bytes.
pub const MAX_REQUEST: usize = 64 * 1024;
/// Most copies serving requests at once; the daemon waits for one to end
/// before taking the next request beyond this.
pub const MAX_CHILDREN: usize = 64;

/// In a copy serving a request: the connection to answer on.
static CHILD_CONNECTION: Mutex<Option<UnixStream>> = Mutex::new(None);

/// In a copy serving a request, takes the connection its report goes to.
/// `None` in every other process.
pub fn take_child_connection() -> Option<UnixStream> {
    CHILD_CONNECTION
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take()
}

/// Sends one framed message.
pub fn send_frame(conn: &mut UnixStream, body: &[u8]) -> std::io::Result<()> {
    let len = u32::try_from(body.len()).map_err(std::io::Error::other)?;
    conn.write_all(&len.to_be_bytes())?;
    conn.write_all(body)?;
    conn.flush()
}

/// Reads one framed message of at most `limit` bytes.
pub fn read_frame(conn: &mut UnixStream, limit: usize) -> Result<Vec<u8>, String> {
    let mut len = [0u8; 4];
    conn.read_exact(&mut len)
        .map_err(|e| format!("failed to read the request length: {e}"))?;
    let len = u32::from_be_bytes(len) as usize;
    if len > limit {
        return Err(format!(
            "request of {len} bytes is over the {limit}-byte limit"
        ));
    }
    let mut body = vec![0u8; len];
    conn.read_exact(&mut body)
        .map_err(|e| format!("failed to read the request: {e}"))?;
    Ok(body)
}

/// A checked request: channel aliases to host files, with their modes.
struct Request {
    channels: Vec<(String, PathBuf, FileMode)>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestDoc {
    #[serde(default)]
    channels: std::collections::BTreeMap<String, PathBuf>,
}

fn parse_request(body: &[u8], session: &Session) -> Result<Request, String> {
    let doc: RequestDoc =
        serde_json::from_slice(body).map_err(|e| format!("invalid request: {e}"))?;
    let mut channels = Vec::new();
    for (alias, path) in doc.channels {
        let mode = match alias.as_str() {
            "/dev/stdin" => FileMode::Read,
            "/dev/stdout" | "/dev/stderr" => FileMode::Write,
            _ => session
                .channels
                .iter()
                .find(|c| c.alias == alias)
                .map(|c| c.mode)
                .ok_or_else(|| {
                    format!("request names channel {alias}, which the session does not declare")
                })?,
        };
        if !path.is_absolute() {
            return Err(format!(
                "request path {} for {alias} must be absolute",
                path.display()
            ));
        }
        // Checked here, before the fork, so that a request that cannot be
        // served is refused by the daemon rather than counted as served.
        if mode.reads() && !mode.writes() {
            std::fs::metadata(&path)
                .map_err(|e| format!("failed to open {} for {alias}: {e}", path.display()))?;
        } else if let Some(dir) = path.parent() {
            if !dir.is_dir() {
                return Err(format!(
                    "failed to open {} for {alias}: its directory does not exist",
                    path.display()
                ));
            }
        }
        channels.push((alias, path, mode));
    }
    Ok(Request { channels })
}

fn refuse(conn: &mut UnixStream, why: &str) {
    tracing::warn!(why, "daemon refused a request");
    let body = serde_json::json!({ "error": why }).to_string();
    let _ = send_frame(conn, body.as_bytes());
}

/// The fork point's work for `session`'s daemon settings.
pub(crate) fn hook(
    session: &Session,
    daemon: &Daemon,
    engine: wasmtime::EngineWeak,
    restart_ticker: bool,
) -> ForkHook {
    let session = session.clone();
    let daemon = daemon.clone();
    Box::new(move |ctx: &mut WasiCtx| serve(ctx, &session, &daemon, engine, restart_ticker))
}

fn serve(
    ctx: &mut WasiCtx,
    session: &Session,
    daemon: &Daemon,
    engine: wasmtime::EngineWeak,
    restart_ticker: bool,
) -> ForkOutcome {
    let _ = std::fs::remove_file(&daemon.socket);
    let listener = match UnixListener::bind(&daemon.socket) {
        Ok(l) => l,
        Err(err) => {
            tracing::error!(socket = %daemon.socket.display(), %err, "failed to bind the daemon socket");
            return ForkOutcome::Done(1);
        }
    };
    tracing::info!(socket = %daemon.socket.display(), "daemon ready");
    let mut served = 0u64;
    let mut alive = 0usize;
    loop {
        if daemon.max_requests.is_some_and(|m| served >= m) {
            break;
        }
        let mut conn = match listener.accept() {
            Ok((conn, _)) => conn,
            Err(err) => {
                tracing::warn!(%err, "failed to accept a daemon connection");
                continue;
            }
        };
        let request = match read_frame(&mut conn, MAX_REQUEST)
            .and_then(|body| parse_request(&body, session))
        {
            Ok(r) => r,
            Err(why) => {
                refuse(&mut conn, &why);
                continue;
            }
        };
        alive -= reap(false, alive);
        while alive >= MAX_CHILDREN {
            alive -= reap(true, alive);
        }

        // SAFETY: fork() has no memory-safety preconditions. The copy runs
        // on this thread alone; the only other thread this process may
        // have is the epoch ticker, which holds no lock the copy needs, and
        // it is started again in the copy below.
        let pid = unsafe { libc::fork() };
        match pid {
            -1 => refuse(&mut conn, "fork failed"),
            0 => {
                drop(listener);
                return match open_request(ctx, session, request) {
                    Ok(()) => {
                        if restart_ticker {
                            crate::limits::spawn_epoch_ticker(engine);
                        }
                        *CHILD_CONNECTION.lock().unwrap_or_else(|p| p.into_inner()) = Some(conn);
                        ForkOutcome::Child
                    }
                    Err(why) => {
                        refuse(&mut conn, &why);
                        // A copy that cannot serve ends without running on.
                        std::process::exit(1);
                    }
                };
            }
            _ => {
                drop(conn);
                served += 1;
                alive += 1;
            }
        }
    }
    while alive > 0 {
        alive -= reap(true, alive);
    }
    let _ = std::fs::remove_file(&daemon.socket);
    tracing::info!(served, "daemon finished");
    ForkOutcome::Done(0)
}

/// Collects ended copies; waits for one when `block`. Returns how many.
fn reap(block: bool, alive: usize) -> usize {
    let mut reaped = 0;
    while reaped < alive {
        let flags = if block && reaped == 0 {
            0
        } else {
            libc::WNOHANG
        };
        let mut status = 0;
        // SAFETY: waitpid with a valid pointer to an int; -1 waits for any
        // child of this process.
        let pid = unsafe { libc::waitpid(-1, &mut status, flags) };
        if pid <= 0 {
            break;
        }
        reaped += 1;
    }
    reaped
}

/// In the copy: puts the request's files in place of the channels.
fn open_request(ctx: &mut WasiCtx, session: &Session, request: Request) -> Result<(), String> {
    for (alias, path, mode) in request.channels {
        let old = ctx.ports().iter().find(|p| p.alias() == alias);
        let (limits, etag) = match old {
            Some(p) => (p.limits(), p.etag().map(|_| session.etag_algorithm)),
            None => return Err(format!("no channel {alias}")),
        };
        let channel = HostFile::open(&path, mode).map_err(|e| e.to_string())?;
        let port = Port::new(
            alias.clone(),
            Box::new(channel),
            limits,
            etag.or(None::<EtagAlgorithm>),
        );
        if !ctx.replace_port(&alias, port) {
            return Err(format!("no channel {alias}"));
        }
    }
    Ok(())
}
