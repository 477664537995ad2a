//! The host side of `wasi_snapshot_preview1`, every function, over the
//! sandbox's own filesystem ([`zerovm_vfs`]) and channels
//! ([`zerovm_channels`]).
//!
//! Each host call has three outcomes, as in Wasmtime's own WASI: an errno
//! for a guest mistake (a bad pointer is `EFAULT`, a bad descriptor
//! `EBADF`), the guest's own exit through [`Exit`], or a trap for what the
//! guest cannot be allowed to go on from. Nothing a guest passes can panic
//! the host: every pointer and length goes through the checked accessors of
//! `memory`.
//!
//! Determinism: the clocks are virtual ([`WasiConfig::start_time_ns`],
//! advancing [`CLOCK_STEP_NS`] per reading; waiting advances them instead
//! of sleeping), random bytes come from ChaCha20 seeded with
//! [`WasiConfig::seed`], and the standard streams report the same file type
//! whatever the host's streams are.

mod errno;
// Host calls take preview 1's own parameter lists, however long.
#[allow(clippy::too_many_arguments, reason = "signatures fixed by preview 1")]
mod fd;
mod fdtable;
mod memory;
#[allow(clippy::too_many_arguments, reason = "signatures fixed by preview 1")]
mod misc;
#[allow(clippy::too_many_arguments, reason = "signatures fixed by preview 1")]
mod path;
pub mod rights;
pub mod zerovm_api;

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use wasmtime::{Caller, Extern, Linker, Memory};
use zerovm_channels::Port;
use zerovm_vfs::{Device, Vfs};

pub use errno::Errno;
pub use fdtable::MAX_FDS;
pub use zerovm_api::add_zerovm_to_linker;

use fdtable::{Fd, FdKind, FdTable};
use memory::GuestMemory;

/// The import module name of preview 1.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// How far the virtual clock moves at each reading, in ns.
pub const CLOCK_STEP_NS: u64 = 1_000;

/// Most iovecs one read or write may pass (Linux's `IOV_MAX`).
pub const MAX_IOVS: u32 = 1024;

/// Most subscriptions one `poll_oneoff` may pass.
pub const MAX_SUBSCRIPTIONS: u32 = 4096;

/// The guest called `proc_exit`: travels through Wasmtime as the error of
/// the call, so the runtime can tell it apart from a trap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("guest exited with code {0}")]
pub struct Exit(pub u32);

/// Everything a session's WASI view is built from. Nothing is granted by
/// default: no arguments, no environment, and the filesystem is what the
/// caller built.
pub struct WasiConfig {
    /// `argv`, including `argv[0]`.
    pub args: Vec<String>,
    /// Environment variables, in order.
    pub env: Vec<(String, String)>,
    /// Where the virtual clocks start, in ns since the epoch (default 0).
    pub start_time_ns: u64,
    /// Seed of the random generator (default 0).
    pub seed: u64,
    /// The declared channels. Each appears as a file at its alias; the ones
    /// aliased `/dev/stdin`, `/dev/stdout` and `/dev/stderr` are also
    /// descriptors 0, 1 and 2 (a missing one is a closed descriptor).
    pub ports: Vec<Port>,
}

/// A host-side failure that ends the session instead of being returned to
/// the guest as an errno.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Fault {
    /// The host's disk (or quota) is full under a channel's file.
    #[error("disk quota exceeded writing {0}")]
    DiskQuota(String),
    /// A network channel's bytes arrived damaged (the end-of-stream digest
    /// did not match).
    #[error("channel corrupted: {0}")]
    Corrupted(String),
    /// A daemon has served all its requests; the session ends with this
    /// exit code.
    #[error("daemon finished")]
    DaemonDone(u32),
}

/// The per-session state behind the preview 1 functions.
pub struct WasiCtx {
    args: Vec<String>,
    env: Vec<String>,
    clock_ns: u64,
    rng: ChaCha20Rng,
    vfs: Vfs,
    fds: FdTable,
    ports: Vec<Port>,
    /// The `zerovm` module's handles: the index into `ports` of each.
    handles: Vec<Option<u32>>,
    /// Set by a host call that must end the session; checked after each.
    fault: Option<Fault>,
    memory: Option<Memory>,
    /// Daemon mode: called once, at the fork point (the first read of
    /// `/dev/stdin` or `zerovm.fork()`).
    fork_hook: Option<ForkHook>,
}

/// What the fork point does in daemon mode (see [`WasiCtx::set_fork_hook`]).
pub type ForkHook = Box<dyn FnOnce(&mut WasiCtx) -> ForkOutcome + Send>;

/// How the fork point ended, as seen by the process that returns from it.
#[derive(Debug)]
pub enum ForkOutcome {
    /// This process is a copy serving one request: the guest carries on.
    Child,
    /// This process is the daemon and has served all it will: the session
    /// ends, as if the guest had exited with this code.
    Done(u32),
}

impl WasiCtx {
    /// Builds the state: descriptors 0 to 2 are the standard channels and
    /// descriptor 3 is the filesystem root, preopened as `/`. Every channel
    /// appears in the filesystem at its alias.
    pub fn new(config: WasiConfig, mut vfs: Vfs) -> Result<Self, zerovm_vfs::MountError> {
        let mut seed = [0u8; 32];
        seed[..8].copy_from_slice(&config.seed.to_le_bytes());
        let ports = config.ports;
        for (index, port) in ports.iter().enumerate() {
            // Fewer channels than u32::MAX: the manifest layer caps them.
            vfs.add_device(port.alias(), Device::Channel(index as u32))?;
        }
        let mut fds = FdTable::default();
        for alias in ["/dev/stdin", "/dev/stdout", "/dev/stderr"] {
            let found = ports.iter().position(|p| p.alias() == alias);
            let fd = found.map(|index| {
                let port = &ports[index];
                Fd {
                    kind: FdKind::Channel {
                        index: index as u32,
                        offset: 0,
                    },
                    rights_base: rights::channel(
                        port.readable(),
                        port.writable(),
                        port.size().is_some(),
                    ),
                    rights_inheriting: 0,
                    flags: 0,
                }
            });
            // The table is empty: these cannot hit MAX_FDS.
            let _ = fds.insert_slot(fd);
        }
        let root = vfs.open_root();
        let _ = fds.insert(Fd {
            kind: FdKind::Dir {
                handle: root,
                preopen: Some("/".to_owned()),
            },
            rights_base: rights::DIR_BASE,
            rights_inheriting: rights::DIR_BASE | rights::FILE_BASE,
            flags: 0,
        });
        Ok(WasiCtx {
            args: config.args,
            env: config
                .env
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect(),
            clock_ns: config.start_time_ns,
            rng: ChaCha20Rng::from_seed(seed),
            vfs,
            fds,
            handles: zerovm_api::handle_table(&ports),
            ports,
            fault: None,
            memory: None,
            fork_hook: None,
        })
    }

    /// Arms daemon mode: `hook` runs once, at the fork point.
    pub fn set_fork_hook(&mut self, hook: ForkHook) {
        self.fork_hook = Some(hook);
    }

    /// Runs the fork point if daemon mode is armed; `Err(code)` means the
    /// session must end with that exit code.
    pub(crate) fn fork_point(&mut self) -> Result<(), u32> {
        match self.fork_hook.take() {
            None => Ok(()),
            Some(hook) => match hook(self) {
                ForkOutcome::Child => Ok(()),
                ForkOutcome::Done(code) => Err(code),
            },
        }
    }

    /// Replaces the channel at `alias` (a daemon's copy takes a request's
    /// channels); descriptors on it start again at offset 0.
    /// Returns false, leaving everything as it was, when the session has
    /// no channel `alias`.
    pub fn replace_port(&mut self, alias: &str, port: Port) -> bool {
        let Some(index) = self.ports.iter().position(|p| p.alias() == alias) else {
            return false;
        };
        self.ports[index] = port;
        self.fds.reset_channel_offsets(index as u32);
        true
    }

    /// The channels, with their counters and etags so far.
    pub fn ports(&self) -> &[Port] {
        &self.ports
    }

    /// The channels, to write exported directories into them.
    pub fn ports_mut(&mut self) -> &mut [Port] {
        &mut self.ports
    }

    /// Takes the channels out, to finish them and report on them.
    pub fn take_ports(&mut self) -> Vec<Port> {
        std::mem::take(&mut self.ports)
    }

    /// The filesystem, for exporting directories at the end.
    pub fn vfs_mut(&mut self) -> &mut Vfs {
        &mut self.vfs
    }

    /// Tells the context which memory the guest exports, so host calls need
    /// not look it up by name each time.
    pub fn set_memory(&mut self, memory: Memory) {
        self.memory = Some(memory);
    }

    /// The filesystem.
    pub fn vfs(&self) -> &Vfs {
        &self.vfs
    }

    /// The virtual clock's current reading, in ns, without advancing it.
    pub fn clock_ns(&self) -> u64 {
        self.clock_ns
    }

    /// Reads the virtual clock and moves it on by one step.
    fn tick(&mut self) -> u64 {
        let now = self.clock_ns;
        self.clock_ns = self.clock_ns.saturating_add(CLOCK_STEP_NS);
        now
    }

    /// Flushes every stream and closes every descriptor.
    pub fn close_all(&mut self) {
        let fds: Vec<Fd> = self.fds.drain().collect();
        for fd in fds {
            self.close_fd(fd);
        }
    }

    fn close_fd(&mut self, fd: Fd) {
        match fd.kind {
            // Channels stay open until the session ends and they are
            // finished; closing a descriptor only flushes.
            FdKind::Channel { index, .. } => {
                if let Some(port) = self.ports.get_mut(index as usize) {
                    if let Err(err) = port.flush() {
                        tracing::debug!(alias = port.alias(), %err, "failed to flush channel at close");
                    }
                }
            }
            FdKind::File { handle, .. } | FdKind::Dir { handle, .. } => self.vfs.close(handle),
        }
    }
}

impl Drop for WasiCtx {
    fn drop(&mut self) {
        self.close_all();
    }
}

/// Runs one host call of either module: finds the guest's memory and the
/// context and calls `f`; a host fault that `f` recorded ends the session.
pub(crate) fn with_memory<T, R>(
    caller: &mut Caller<'_, T>,
    get: fn(&mut T) -> &mut WasiCtx,
    name: &'static str,
    f: impl FnOnce(&mut GuestMemory<'_>, &mut WasiCtx) -> R,
) -> wasmtime::Result<R> {
    let memory = match get(caller.data_mut()).memory {
        Some(m) => Some(m),
        None => match caller.get_export("memory") {
            Some(Extern::Memory(m)) => Some(m),
            _ => None,
        },
    };
    let result = match memory {
        Some(memory) => {
            let (bytes, data) = memory.data_and_store_mut(&mut *caller);
            f(&mut GuestMemory::new(bytes), get(data))
        }
        // Without an exported memory every pointer is out of bounds.
        None => f(&mut GuestMemory::new(&mut []), get(caller.data_mut())),
    };
    if let Some(fault) = get(caller.data_mut()).fault.take() {
        tracing::debug!(call = name, %fault, "host fault ends the session");
        return Err(fault.into());
    }
    Ok(result)
}

/// Runs one preview 1 call and turns its outcome into the errno result.
fn dispatch<T>(
    caller: &mut Caller<'_, T>,
    get: fn(&mut T) -> &mut WasiCtx,
    name: &'static str,
    f: impl FnOnce(&mut GuestMemory<'_>, &mut WasiCtx) -> Result<(), Errno>,
) -> wasmtime::Result<i32> {
    match with_memory(caller, get, name, f)? {
        Ok(()) => {
            tracing::trace!(call = name, "ok");
            Ok(0)
        }
        Err(errno) => {
            tracing::trace!(call = name, ?errno, "errno");
            Ok(errno as i32)
        }
    }
}

/// Registers one preview 1 function: `name` calls `func(mem, ctx, args…)`.
macro_rules! wasi_fn {
    ($linker:ident, $get:ident, $name:literal, $func:path, ($($arg:ident: $ty:ty),*)) => {
        $linker.func_wrap(
            MODULE,
            $name,
            move |mut caller: Caller<'_, T>, $($arg: $ty),*| -> wasmtime::Result<i32> {
                dispatch(&mut caller, $get, $name, |mem, ctx| $func(mem, ctx, $($arg),*))
            },
        )?;
    };
}

/// Adds every function of `wasi_snapshot_preview1` to `linker`; `get`
/// finds the [`WasiCtx`] in the store's data.
pub fn add_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    get: fn(&mut T) -> &mut WasiCtx,
) -> wasmtime::Result<()> {
    // Arguments, environment, clocks, randomness, scheduling.
    wasi_fn!(linker, get, "args_get", misc::args_get, (argv: u32, buf: u32));
    wasi_fn!(linker, get, "args_sizes_get", misc::args_sizes_get, (argc: u32, size: u32));
    wasi_fn!(linker, get, "environ_get", misc::environ_get, (env: u32, buf: u32));
    wasi_fn!(linker, get, "environ_sizes_get", misc::environ_sizes_get, (count: u32, size: u32));
    wasi_fn!(linker, get, "clock_res_get", misc::clock_res_get, (id: u32, out: u32));
    wasi_fn!(linker, get, "clock_time_get", misc::clock_time_get, (id: u32, precision: u64, out: u32));
    wasi_fn!(linker, get, "random_get", misc::random_get, (buf: u32, len: u32));
    wasi_fn!(linker, get, "sched_yield", misc::sched_yield, ());
    wasi_fn!(linker, get, "poll_oneoff", misc::poll_oneoff, (subs: u32, events: u32, count: u32, out: u32));
    wasi_fn!(linker, get, "proc_raise", misc::proc_raise, (signal: u32));
    linker.func_wrap(MODULE, "proc_exit", |code: u32| -> wasmtime::Result<()> {
        Err(Exit(code).into())
    })?;

    // Sockets: none exist until socket channels do.
    wasi_fn!(linker, get, "sock_accept", misc::sock_accept, (fd: u32, flags: u32, out: u32));
    wasi_fn!(linker, get, "sock_recv", misc::sock_recv, (fd: u32, iovs: u32, len: u32, flags: u32, nread: u32, oflags: u32));
    wasi_fn!(linker, get, "sock_send", misc::sock_send, (fd: u32, iovs: u32, len: u32, flags: u32, nwritten: u32));
    wasi_fn!(linker, get, "sock_shutdown", misc::sock_shutdown, (fd: u32, how: u32));

    // Descriptors.
    wasi_fn!(linker, get, "fd_advise", fd::advise, (fd: u32, offset: u64, len: u64, advice: u32));
    wasi_fn!(linker, get, "fd_allocate", fd::allocate, (fd: u32, offset: u64, len: u64));
    wasi_fn!(linker, get, "fd_close", fd::close, (fd: u32));
    wasi_fn!(linker, get, "fd_datasync", fd::sync, (fd: u32));
    wasi_fn!(linker, get, "fd_fdstat_get", fd::fdstat_get, (fd: u32, out: u32));
    wasi_fn!(linker, get, "fd_fdstat_set_flags", fd::fdstat_set_flags, (fd: u32, flags: u32));
    wasi_fn!(linker, get, "fd_fdstat_set_rights", fd::fdstat_set_rights, (fd: u32, base: u64, inheriting: u64));
    wasi_fn!(linker, get, "fd_filestat_get", fd::filestat_get, (fd: u32, out: u32));
    wasi_fn!(linker, get, "fd_filestat_set_size", fd::filestat_set_size, (fd: u32, size: u64));
    wasi_fn!(linker, get, "fd_filestat_set_times", fd::filestat_set_times, (fd: u32, atim: u64, mtim: u64, flags: u32));
    wasi_fn!(linker, get, "fd_pread", fd::pread, (fd: u32, iovs: u32, len: u32, offset: u64, nread: u32));
    wasi_fn!(linker, get, "fd_prestat_get", fd::prestat_get, (fd: u32, out: u32));
    wasi_fn!(linker, get, "fd_prestat_dir_name", fd::prestat_dir_name, (fd: u32, buf: u32, len: u32));
    wasi_fn!(linker, get, "fd_pwrite", fd::pwrite, (fd: u32, iovs: u32, len: u32, offset: u64, nwritten: u32));
    wasi_fn!(linker, get, "fd_read", fd::read, (fd: u32, iovs: u32, len: u32, nread: u32));
    wasi_fn!(linker, get, "fd_readdir", fd::readdir, (fd: u32, buf: u32, len: u32, cookie: u64, used: u32));
    wasi_fn!(linker, get, "fd_renumber", fd::renumber, (from: u32, to: u32));
    wasi_fn!(linker, get, "fd_seek", fd::seek, (fd: u32, offset: i64, whence: u32, out: u32));
    wasi_fn!(linker, get, "fd_sync", fd::sync, (fd: u32));
    wasi_fn!(linker, get, "fd_tell", fd::tell, (fd: u32, out: u32));
    wasi_fn!(linker, get, "fd_write", fd::write, (fd: u32, iovs: u32, len: u32, nwritten: u32));

    // Paths.
    wasi_fn!(linker, get, "path_create_directory", path::create_directory, (fd: u32, path: u32, len: u32));
    wasi_fn!(linker, get, "path_filestat_get", path::filestat_get, (fd: u32, flags: u32, path: u32, len: u32, out: u32));
    wasi_fn!(linker, get, "path_filestat_set_times", path::filestat_set_times, (fd: u32, flags: u32, path: u32, len: u32, atim: u64, mtim: u64, fst: u32));
    wasi_fn!(linker, get, "path_link", path::link, (old_fd: u32, old_flags: u32, old_path: u32, old_len: u32, new_fd: u32, new_path: u32, new_len: u32));
    wasi_fn!(linker, get, "path_open", path::open, (fd: u32, dirflags: u32, path: u32, len: u32, oflags: u32, base: u64, inheriting: u64, fdflags: u32, out: u32));
    wasi_fn!(linker, get, "path_readlink", path::readlink, (fd: u32, path: u32, len: u32, buf: u32, buf_len: u32, used: u32));
    wasi_fn!(linker, get, "path_remove_directory", path::remove_directory, (fd: u32, path: u32, len: u32));
    wasi_fn!(linker, get, "path_rename", path::rename, (fd: u32, old_path: u32, old_len: u32, new_fd: u32, new_path: u32, new_len: u32));
    wasi_fn!(linker, get, "path_symlink", path::symlink, (old_path: u32, old_len: u32, fd: u32, new_path: u32, new_len: u32));
    wasi_fn!(linker, get, "path_unlink_file", path::unlink_file, (fd: u32, path: u32, len: u32));
    Ok(())
}

#[cfg(test)]
mod tests;
