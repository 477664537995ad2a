//! Running a [`Session`]: one configured Wasmtime engine, the sandbox's
//! filesystem and WASI view (with the `zerovm` import module beside
//! preview 1), the limits, and the outcome.
//!
//! The engine is set up for determinism (NaN canonicalisation,
//! deterministic relaxed SIMD, no threads); fuel and epoch interruption are
//! switched on only when a session asks for a fuel limit or a timeout,
//! since each costs speed in the compiled code.

mod cache;
pub mod daemon;
mod limits;
mod outcome;
mod ports;
pub mod report;
mod usage;

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use wasmtime::{
    Config, Engine, InstanceAllocationStrategy, InstancePre, Linker, PoolingAllocationConfig,
    Store, Trap, UpdateDeadline, WasmBacktrace,
};
use zerovm_channels::{Channel, HostStderr, HostStdin, HostStdout};
use zerovm_manifest::{Mount, Session};
use zerovm_vfs::{Vfs, VfsConfig};
use zerovm_wasi::{Exit, Fault, WasiConfig, WasiCtx};

pub use cache::ModuleCache;
pub use limits::{EPOCH_TICK, MAX_TABLE_ELEMENTS};
pub use outcome::{ChannelReport, ExitState, Outcome, RunError};
pub use wasmtime::Module;
pub use zerovm_channels as channels;

use limits::MemoryLimiter;

/// Instance slots of a pooling engine: sessions that can be alive at once.
pub const POOL_SLOTS: u32 = 256;

/// The standard streams of a session, used for whichever of
/// `/dev/stdin`, `/dev/stdout` and `/dev/stderr` the session does not
/// declare itself.
pub struct Stdio {
    /// Descriptor 0.
    pub stdin: Box<dyn Channel>,
    /// Descriptor 1.
    pub stdout: Box<dyn Channel>,
    /// Descriptor 2.
    pub stderr: Box<dyn Channel>,
}

impl Stdio {
    /// The host process's own standard streams.
    pub fn inherit() -> Self {
        Stdio {
            stdin: Box::new(HostStdin),
            stdout: Box::new(HostStdout),
            stderr: Box::new(HostStderr),
        }
    }
}

/// What a caller that runs many sessions together (a job) adds to one
/// session beyond its description.
#[derive(Default)]
pub struct Attach {
    /// Channels built by the caller (pipes between sessions), placed after
    /// the declared ones and before the standard defaults.
    pub ports: Vec<zerovm_channels::Port>,
    /// Set to stop the session from another thread: it ends with
    /// [`ExitState::Cancelled`] within one [`EPOCH_TICK`] of guest code.
    /// Needs an engine built with `epochs`. A session blocked in a host
    /// call (a pipe read) is not woken by it; the caller closes the pipe.
    pub cancel: Option<Arc<AtomicBool>>,
}

/// A module linked once for many sessions (see [`Runtime::prepare`]).
pub struct Prepared {
    pre: InstancePre<State>,
}

/// A session kept alive without running (see [`Runtime::idle_session`]).
pub struct IdleSession {
    _store: Store<State>,
    _instance: wasmtime::Instance,
}

/// When a session's outputs replace their targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitPolicy {
    /// When the session ends well (the guest exited).
    OnSuccess,
    /// Never: a dry run.
    Never,
    /// When the session ends well and every channel's etag equals the one
    /// given for it, in declaration order (for verified runs).
    IfEtagsMatch(Vec<(String, Option<String>)>),
}

impl CommitPolicy {
    fn allows(&self, ports: &[zerovm_channels::Port]) -> bool {
        match self {
            CommitPolicy::OnSuccess => true,
            CommitPolicy::Never => false,
            CommitPolicy::IfEtagsMatch(expected) => {
                expected.len() == ports.len()
                    && expected
                        .iter()
                        .zip(ports)
                        .all(|((alias, etag), port)| alias == port.alias() && *etag == port.etag())
            }
        }
    }
}

/// Engine-wide settings: what compiled code must be able to do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EngineOptions {
    /// Count fuel (needed for fuel limits).
    pub fuel: bool,
    /// Check epochs (needed for timeouts).
    pub epochs: bool,
    /// Take instances from a pool of pre-reserved slots with copy-on-write
    /// memory images: the fastest start for a process that runs many
    /// sessions, at the price of reserving address space up front.
    pub pooling: bool,
}

impl EngineOptions {
    /// The options a session needs.
    pub fn for_session(session: &Session) -> Self {
        EngineOptions {
            fuel: session.limits.fuel.is_some(),
            epochs: session.limits.timeout.is_some(),
            pooling: false,
        }
    }
}

/// The store's data: the WASI view and the memory limiter.
struct State {
    wasi: WasiCtx,
    limiter: MemoryLimiter,
}

/// A configured engine with its linker, able to run many sessions.
pub struct Runtime {
    engine: Engine,
    linker: Linker<State>,
    options: EngineOptions,
    ticker: OnceLock<()>,
    cache: Option<ModuleCache>,
}

impl Runtime {
    /// Builds the engine and links the WASI functions once.
    pub fn new(options: EngineOptions) -> Result<Self, RunError> {
        let mut config = Config::new();
        config
            .cranelift_nan_canonicalization(true)
            .relaxed_simd_deterministic(true)
            .consume_fuel(options.fuel)
            .epoch_interruption(options.epochs)
            // Interpreters built for WASI (MicroPython, CPython 3.15) use
            // exception handling; it is deterministic like the rest.
            .wasm_exceptions(true);
        if options.pooling {
            let mut pool = PoolingAllocationConfig::default();
            // Enough slots for a job's worth of concurrent sessions; each
            // memory slot can hold the largest memory a session may ask for.
            pool.total_core_instances(POOL_SLOTS)
                .total_memories(POOL_SLOTS)
                .total_tables(POOL_SLOTS)
                .max_memory_size(zerovm_manifest::MAX_MEMORY as usize);
            config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        }
        let engine = Engine::new(&config).map_err(RunError::Internal)?;
        let mut linker = Linker::new(&engine);
        zerovm_wasi::add_to_linker(&mut linker, |s: &mut State| &mut s.wasi)
            .map_err(RunError::Internal)?;
        zerovm_wasi::add_zerovm_to_linker(&mut linker, |s: &mut State| &mut s.wasi)
            .map_err(RunError::Internal)?;
        Ok(Runtime {
            engine,
            linker,
            options,
            ticker: OnceLock::new(),
            cache: None,
        })
    }

    /// Keeps compiled modules in `cache` and loads them from it.
    pub fn with_cache(mut self, cache: ModuleCache) -> Self {
        self.cache = Some(cache);
        self
    }

    /// Compiles the module at `path` (binary or text).
    pub fn load(&self, path: &Path) -> Result<Module, RunError> {
        let bytes = std::fs::read(path).map_err(|source| RunError::ReadProgram {
            path: path.to_owned(),
            source,
        })?;
        let invalid = |err: wasmtime::Error| RunError::InvalidModule {
            path: path.to_owned(),
            reason: one_line(&err),
        };
        match &self.cache {
            Some(cache) => {
                let (module, hit) = cache
                    .load_or_compile(&self.engine, &bytes)
                    .map_err(invalid)?;
                tracing::debug!(program = %path.display(), hit, "module from cache");
                Ok(module)
            }
            None => Module::new(&self.engine, &bytes).map_err(invalid),
        }
    }

    /// Runs `session` to its end with the given standard streams.
    pub fn run(&self, session: &Session, stdio: Stdio) -> Result<Outcome, RunError> {
        self.run_with(session, stdio, CommitPolicy::OnSuccess)
    }

    /// Runs `session`, deciding by `policy` whether its outputs are kept.
    pub fn run_with(
        &self,
        session: &Session,
        stdio: Stdio,
        policy: CommitPolicy,
    ) -> Result<Outcome, RunError> {
        let module = self.load(&session.program)?;
        self.run_module_with(session, &module, stdio, policy)
    }

    /// Runs an already compiled module as `session`.
    pub fn run_module(
        &self,
        session: &Session,
        module: &Module,
        stdio: Stdio,
    ) -> Result<Outcome, RunError> {
        self.run_module_with(session, module, stdio, CommitPolicy::OnSuccess)
    }

    /// Runs an already compiled module as `session` under `policy`.
    pub fn run_module_with(
        &self,
        session: &Session,
        module: &Module,
        stdio: Stdio,
        policy: CommitPolicy,
    ) -> Result<Outcome, RunError> {
        self.run_attached(session, module, stdio, policy, Attach::default())
    }

    /// Runs an already compiled module as `session` under `policy`, with
    /// the caller's extra channels and cancel flag.
    pub fn run_attached(
        &self,
        session: &Session,
        module: &Module,
        stdio: Stdio,
        policy: CommitPolicy,
        attach: Attach,
    ) -> Result<Outcome, RunError> {
        let prepared = self.prepare(module, session.trap_unknown_imports)?;
        self.run_prepared(session, &prepared, stdio, policy, attach)
    }

    /// Links `module` once, ready for many sessions: checks that it is a
    /// WASI command and that the sandbox provides every import (or, with
    /// `trap_unknown_imports`, makes the missing ones trap).
    pub fn prepare(
        &self,
        module: &Module,
        trap_unknown_imports: bool,
    ) -> Result<Prepared, RunError> {
        let has_start = module
            .get_export("_start")
            .and_then(|e| e.func().cloned())
            .is_some_and(|f| f.params().len() == 0 && f.results().len() == 0);
        if !has_start {
            return Err(RunError::NoStart);
        }
        let linked = if trap_unknown_imports {
            let mut linker = self.linker.clone();
            linker
                .define_unknown_imports_as_traps(module)
                .map_err(RunError::Internal)?;
            linker.instantiate_pre(module)
        } else {
            self.linker.instantiate_pre(module)
        };
        match linked {
            Ok(pre) => Ok(Prepared { pre }),
            Err(err) => Err(self
                .missing_import(module)
                .unwrap_or(RunError::InvalidModule {
                    path: PathBuf::new(),
                    reason: one_line(&err),
                })),
        }
    }

    /// The first import of `module` the linker lacks, as an error.
    fn missing_import(&self, module: &Module) -> Option<RunError> {
        // Looking an import up needs a store; an empty one serves.
        let wasi = WasiCtx::new(
            WasiConfig {
                args: Vec::new(),
                env: Vec::new(),
                start_time_ns: 0,
                seed: 0,
                ports: Vec::new(),
            },
            Vfs::new(VfsConfig::default()),
        )
        .ok()?;
        let mut store = Store::new(
            &self.engine,
            State {
                wasi,
                limiter: MemoryLimiter {
                    limit: 0,
                    peak: 0,
                    refused: false,
                },
            },
        );
        check_imports(&self.linker, &mut store, module).err()
    }

    /// A session's store: its filesystem, channels, WASI view and limits.
    fn new_store(
        &self,
        session: &Session,
        stdio: Stdio,
        attach: Attach,
    ) -> Result<Store<State>, RunError> {
        let vfs = build_vfs(session)?;
        let ports = ports::open(session, stdio, attach.ports)?;
        let wasi = WasiCtx::new(
            WasiConfig {
                args: session.args.clone(),
                env: session.env.clone(),
                start_time_ns: session.start_time.saturating_mul(1_000_000_000),
                seed: session.seed,
                ports,
            },
            vfs,
        )?;
        let mut store = Store::new(
            &self.engine,
            State {
                wasi,
                limiter: MemoryLimiter {
                    limit: session.limits.memory,
                    peak: 0,
                    refused: false,
                },
            },
        );
        store.limiter(|s| &mut s.limiter);
        self.arm_limits(session, &mut store, attach.cancel)?;
        Ok(store)
    }

    /// A session set up and instantiated but not started, for measuring
    /// what an idle session holds. Dropping it ends it; its outputs are
    /// discarded.
    pub fn idle_session(
        &self,
        session: &Session,
        prepared: &Prepared,
        stdio: Stdio,
    ) -> Result<IdleSession, RunError> {
        let mut store = self.new_store(session, stdio, Attach::default())?;
        let instance = prepared
            .pre
            .instantiate(&mut store)
            .map_err(RunError::Internal)?;
        Ok(IdleSession {
            _store: store,
            _instance: instance,
        })
    }

    /// The engine, for callers that measure against bare Wasmtime.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Runs one session of a prepared module: the fast path for callers
    /// that run a module many times.
    pub fn run_prepared(
        &self,
        session: &Session,
        prepared: &Prepared,
        stdio: Stdio,
        policy: CommitPolicy,
        attach: Attach,
    ) -> Result<Outcome, RunError> {
        let span = tracing::info_span!("session", program = %session.program.display());
        let _guard = span.enter();
        let mut store = self.new_store(session, stdio, attach)?;
        if let Some(daemon) = &session.daemon {
            let hook = daemon::hook(
                session,
                daemon,
                self.engine.weak(),
                session.limits.timeout.is_some(),
            );
            store.data_mut().wasi.set_fork_hook(hook);
        }

        let cpu_start = usage::thread_cpu();
        let started = Instant::now();
        let mut memory = None;
        let result = prepared.pre.instantiate(&mut store).and_then(|instance| {
            memory = instance.get_memory(&mut store, "memory");
            if let Some(memory) = memory {
                store.data_mut().wasi.set_memory(memory);
            }
            let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
            start.call(&mut store, ())
        });
        let wall_time = started.elapsed();
        let (user_time, system_time) = usage::since(cpu_start);

        let refused = store.data().limiter.refused;
        let mut exit = match result {
            Ok(()) => ExitState::Exited(0),
            Err(err) => classify(&err, refused),
        };
        let fuel_used = session
            .limits
            .fuel
            .map(|fuel| fuel.saturating_sub(store.get_fuel().unwrap_or(0)));
        let memory_etag = match (session.memory_etag, memory) {
            (true, Some(m)) => Some(zerovm_channels::etag::digest(
                session.etag_algorithm,
                m.data(&store),
            )),
            _ => None,
        };

        // Close what the guest left open, save exported directories, then
        // keep or throw away every output at once.
        let state = store.data_mut();
        state.wasi.close_all();
        if exit.is_ok() {
            if let Err(why) = ports::export_dirs(session, &mut state.wasi) {
                exit = ExitState::OutputFailed(why);
            }
        }
        let commit = exit.is_ok() && policy.allows(state.wasi.ports());
        let mut finished = ports::finish(state.wasi.take_ports(), commit);
        if let (true, Some(why)) = (exit.is_ok(), finished.failure.take()) {
            exit = ExitState::OutputFailed(why);
        }
        let outcome = Outcome {
            exit,
            fuel_used,
            peak_memory: state.limiter.peak,
            memory_refused: state.limiter.refused,
            wall_time,
            user_time,
            system_time,
            virtual_time_ns: state.wasi.clock_ns(),
            channels: finished.channels,
            memory_etag,
            committed: finished.committed,
            discarded: finished.discarded,
        };
        tracing::debug!(exit = %outcome.exit.describe(), ?wall_time, "session ended");
        Ok(outcome)
    }

    fn arm_limits(
        &self,
        session: &Session,
        store: &mut Store<State>,
        cancel: Option<Arc<AtomicBool>>,
    ) -> Result<(), RunError> {
        if let Some(fuel) = session.limits.fuel {
            if !self.options.fuel {
                return Err(RunError::Internal(wasmtime::Error::msg(
                    "the engine was built without fuel, but the session limits fuel",
                )));
            }
            store.set_fuel(fuel).map_err(RunError::Internal)?;
        }
        if let Some(timeout) = session.limits.timeout {
            if !self.options.epochs {
                return Err(RunError::Internal(wasmtime::Error::msg(
                    "the engine was built without epochs, but the session has a timeout",
                )));
            }
            if cancel.is_none() {
                limits::start_epoch_ticker(self.engine.weak(), &self.ticker);
                store.set_epoch_deadline(limits::timeout_ticks(timeout));
                store.epoch_deadline_trap();
            }
        }
        if let Some(cancel) = cancel {
            if !self.options.epochs {
                return Err(RunError::Internal(wasmtime::Error::msg(
                    "the engine was built without epochs, but the session can be cancelled",
                )));
            }
            // Every tick, look at the flag and at the clock; the timeout
            // is then measured from here rather than counted in ticks.
            limits::start_epoch_ticker(self.engine.weak(), &self.ticker);
            let deadline = session.limits.timeout.map(|t| Instant::now() + t);
            store.set_epoch_deadline(1);
            store.epoch_deadline_callback(move |_| {
                if cancel.load(Ordering::Relaxed) {
                    return Err(wasmtime::Error::new(Cancelled));
                }
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    return Ok(UpdateDeadline::Interrupt);
                }
                Ok(UpdateDeadline::Continue(1))
            });
        }
        Ok(())
    }
}

/// Builds the session's filesystem from its mounts, in order.
fn build_vfs(session: &Session) -> Result<Vfs, RunError> {
    let mut vfs = Vfs::new(VfsConfig {
        max_bytes: session.limits.fs_bytes,
        start_time: session.start_time.saturating_mul(1_000_000_000),
    });
    for mount in &session.mounts {
        match mount {
            Mount::Image { tar, guest } => {
                let file = File::open(tar).map_err(|source| RunError::OpenImage {
                    path: tar.clone(),
                    source,
                })?;
                let summary = vfs
                    .mount_image(guest, BufReader::new(file))
                    .map_err(|source| RunError::Image {
                        path: tar.clone(),
                        source,
                    })?;
                tracing::debug!(image = %tar.display(), guest, entries = summary.entries, "image mounted");
            }
            Mount::Dir {
                host,
                guest,
                writable,
            } => vfs.mount_host(guest, host, *writable)?,
        }
    }
    Ok(vfs)
}

/// Fails with the first import the linker cannot satisfy.
fn check_imports(
    linker: &Linker<State>,
    store: &mut Store<State>,
    module: &Module,
) -> Result<(), RunError> {
    for import in module.imports() {
        if linker
            .get(&mut *store, import.module(), import.name())
            .is_err()
        {
            return Err(RunError::MissingImport {
                module: import.module().to_owned(),
                name: import.name().to_owned(),
            });
        }
    }
    Ok(())
}

/// The error a cancelled session's guest code is stopped with.
#[derive(Debug)]
struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cancelled")
    }
}

impl std::error::Error for Cancelled {}

/// Tells how a failed call ended.
fn classify(err: &wasmtime::Error, memory_refused: bool) -> ExitState {
    if let Some(Exit(code)) = err.downcast_ref::<Exit>() {
        return ExitState::Exited(*code);
    }
    if err.downcast_ref::<Cancelled>().is_some() {
        return ExitState::Cancelled;
    }
    match err.downcast_ref::<Fault>() {
        Some(Fault::DiskQuota(alias)) => return ExitState::DiskQuota(alias.clone()),
        Some(Fault::Corrupted(why)) => return ExitState::Corrupted(why.clone()),
        Some(Fault::DaemonDone(code)) => return ExitState::Exited(*code),
        None => {}
    }
    let function = err.downcast_ref::<WasmBacktrace>().and_then(|bt| {
        bt.frames()
            .iter()
            .find_map(|f| f.func_name().map(str::to_owned))
    });
    match err.downcast_ref::<Trap>() {
        Some(Trap::OutOfFuel) => ExitState::FuelExhausted,
        Some(Trap::Interrupt) => ExitState::Timeout,
        _ if memory_refused => ExitState::MemoryLimit,
        Some(trap) => ExitState::Trap {
            kind: trap.to_string(),
            function,
        },
        None => ExitState::Trap {
            kind: one_line(err),
            function,
        },
    }
}

/// An error chain on one line.
fn one_line(err: &wasmtime::Error) -> String {
    let text = format!("{err:#}");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
