//! How a session ended, and why one could not start.

use std::path::PathBuf;
use std::time::Duration;

use zerovm_channels::Counters;

/// How a session that started came to its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExitState {
    /// The guest returned from `_start` (code 0) or called `proc_exit`.
    Exited(u32),
    /// The wall-clock timeout struck: the one outcome that depends on the
    /// host's speed.
    Timeout,
    /// The fuel ran out.
    FuelExhausted,
    /// The guest trapped after the runtime refused it memory (or its
    /// initial memory is larger than the limit).
    MemoryLimit,
    /// The host's disk filled up under an output channel.
    DiskQuota(String),
    /// A network channel's bytes arrived damaged.
    Corrupted(String),
    /// The guest trapped.
    Trap {
        /// The trap, as Wasmtime names it (`wasm trap: wasm `unreachable`
        /// instruction executed`).
        kind: String,
        /// The innermost guest function, when the module names it.
        function: Option<String>,
    },
    /// The session ended well but its outputs could not be saved.
    OutputFailed(String),
    /// The caller stopped it (another session of its job failed).
    Cancelled,
}

impl ExitState {
    /// The state's name in reports: `ok`, `session timeout`, ….
    pub fn describe(&self) -> String {
        match self {
            ExitState::Exited(_) => "ok".to_owned(),
            ExitState::Timeout => "session timeout".to_owned(),
            ExitState::FuelExhausted => "fuel exhausted".to_owned(),
            ExitState::MemoryLimit => "memory limit".to_owned(),
            ExitState::DiskQuota(alias) => format!("disk quota exceeded ({alias})"),
            ExitState::Corrupted(why) => format!("channel corrupted ({why})"),
            ExitState::Trap { kind, function } => match function {
                Some(f) => format!("trap in {f}: {kind}"),
                None => format!("trap: {kind}"),
            },
            ExitState::OutputFailed(why) => format!("output failed: {why}"),
            ExitState::Cancelled => "cancelled".to_owned(),
        }
    }

    /// Whether the session ended well, so its outputs are kept.
    pub fn is_ok(&self) -> bool {
        matches!(self, ExitState::Exited(_))
    }
}

/// What passed through one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelReport {
    /// Its alias.
    pub alias: String,
    /// Its counters.
    pub counters: Counters,
    /// Its etag, when one was asked for.
    pub etag: Option<String>,
    /// Whether its bytes crossed the network.
    pub network: bool,
}

/// What a finished session reports.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// How it ended.
    pub exit: ExitState,
    /// Fuel consumed, when fuel was limited.
    pub fuel_used: Option<u64>,
    /// Largest linear memory the guest had, in bytes.
    pub peak_memory: u64,
    /// Whether a memory growth was refused at some point.
    pub memory_refused: bool,
    /// Wall time from instantiation to the end.
    pub wall_time: Duration,
    /// CPU time in user mode spent by the session's thread.
    pub user_time: Duration,
    /// CPU time in the kernel spent by the session's thread.
    pub system_time: Duration,
    /// Where the virtual clock stood at the end, in ns.
    pub virtual_time_ns: u64,
    /// Every channel, in declaration order.
    pub channels: Vec<ChannelReport>,
    /// Hash of the final linear memory, when asked for.
    pub memory_etag: Option<String>,
    /// Host files an output channel replaced.
    pub committed: Vec<PathBuf>,
    /// Host files left as they were because the session failed.
    pub discarded: Vec<PathBuf>,
}

/// Why a session could not start. Each names the input at fault.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The program file could not be read.
    #[error("failed to read program {path}: {source}")]
    ReadProgram {
        /// The path given.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The program is not a valid WebAssembly module.
    #[error("failed to load program {path}: {reason}")]
    InvalidModule {
        /// The path given.
        path: PathBuf,
        /// Wasmtime's reason, on one line.
        reason: String,
    },
    /// The module imports something the sandbox does not provide.
    #[error("program imports `{module}::{name}`, which the sandbox does not provide (--trap-unknown-imports makes such imports trap when called)")]
    MissingImport {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
    },
    /// The module has no `_start` function.
    #[error("program exports no `_start` function: only WASI command modules can run")]
    NoStart,
    /// A tar image could not be mounted.
    #[error("failed to mount image {path}: {source}")]
    Image {
        /// The archive.
        path: PathBuf,
        /// Why.
        source: zerovm_vfs::ImageError,
    },
    /// A tar image could not be opened.
    #[error("failed to open image {path}: {source}")]
    OpenImage {
        /// The archive.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A host directory could not be mounted, or a channel alias placed.
    #[error(transparent)]
    Mount(#[from] zerovm_vfs::MountError),
    /// A channel could not be opened.
    #[error("failed to open channel {alias}: {source}")]
    Channel {
        /// The channel's alias.
        alias: String,
        /// Why.
        source: zerovm_channels::file::OpenError,
    },
    /// The runtime itself failed.
    #[error("internal error: {0:#}")]
    Internal(wasmtime::Error),
}

impl RunError {
    /// The errno ZeroVM exited with for this kind of failure (legacy mode).
    pub fn errno(&self) -> i32 {
        match self {
            RunError::ReadProgram { source, .. } => source.raw_os_error().unwrap_or(2),
            RunError::InvalidModule { .. } | RunError::MissingImport { .. } | RunError::NoStart => {
                8
            }
            RunError::Image { .. } | RunError::OpenImage { .. } | RunError::Mount(_) => 5,
            RunError::Channel { source, .. } => match source {
                zerovm_channels::file::OpenError::Io { source, .. } => {
                    source.raw_os_error().unwrap_or(5)
                }
                _ => 93,
            },
            RunError::Internal(_) => 14,
        }
    }
}
