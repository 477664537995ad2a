//! `zerovm`: the command line over the sandbox library.
//!
//! It only translates flags and manifests into a [`Session`], runs it, and
//! turns the outcome into a report and an exit code (see [`exit_code`]);
//! everything else lives in the library crates.

mod exit_code;
mod job;
mod session;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use zerovm_manifest::Format;
use zerovm_runtime::channels::{self as zerovm_channels, Channel};
use zerovm_runtime::report::Report;
use zerovm_runtime::{
    CommitPolicy, EngineOptions, ExitState, ModuleCache, Outcome, RunError, Runtime, Stdio,
};

/// Run untrusted WebAssembly programs in a deterministic sandbox.
///
/// A program sees only what is declared for it: its arguments and
/// environment, an in-memory filesystem with the images and directories
/// mounted into it, and its channels. Clocks are virtual and randomness is
/// seeded, so the same input gives the same output on every run.
///
/// `zerovm MANIFEST` runs a manifest (TOML, or an original ZeroVM
/// manifest). Set ZEROVM_LOG (for example ZEROVM_LOG=debug) for
/// diagnostics on standard error.
#[derive(Parser, Debug)]
#[command(
    name = "zerovm",
    version,
    about,
    long_about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// A manifest to run: TOML, or an original ZeroVM manifest (`Version =
    /// 20130611`), whose 6-line report then goes to standard output.
    #[arg(value_name = "MANIFEST")]
    manifest: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a WASI (preview 1) command module in the sandbox.
    ///
    /// The exit code is the guest's own, or one of the sandbox's: 2 usage,
    /// 119 verification failed, 120 bad input, 121 internal error, 122
    /// memory limit, 123 fuel exhausted, 124 timeout, 125 disk quota or
    /// outputs not saved, 134 trap.
    Run(Box<RunArgs>),

    /// Compile a program into the cache ahead of time, so that its first run
    /// starts at once (ZeroCloud's pre-validation).
    ///
    /// Compiled code depends on whether fuel or a timeout is in force; pass
    /// the same kinds of limit that the runs will use.
    Compile(CompileArgs),

    /// Run a ZeroCloud job (JSON node groups, or a zapp) on this machine,
    /// over a directory of objects: nodes run concurrently, connected by
    /// pipes; outputs with a path are stored, path-less ones go to
    /// standard output.
    Job(Box<job::JobArgs>),
}

#[derive(Args, Debug)]
struct CompileArgs {
    /// Compile for runs with a --fuel limit.
    #[arg(long)]
    with_fuel: bool,

    /// Compile for runs with a --timeout.
    #[arg(long)]
    with_timeout: bool,

    /// The program: a .wasm module or .wat text.
    #[arg(value_name = "PROGRAM")]
    program: PathBuf,
}

/// The flags of `zerovm run`.
#[derive(Args, Debug, Default)]
#[command(trailing_var_arg = true)]
pub struct RunArgs {
    /// Read the session from a manifest (TOML or original ZeroVM); the
    /// other flags add to it. PROGRAM is then not given.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,

    /// Set an environment variable for the program (repeatable); nothing is
    /// inherited from the host.
    #[arg(long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,

    /// Mount a host directory read-write at GUEST (default: /HOST).
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    pub dirs: Vec<String>,

    /// Mount a host directory read-only at GUEST (default: /HOST).
    #[arg(long = "dir-ro", value_name = "HOST[::GUEST]")]
    pub dirs_ro: Vec<String>,

    /// Mount a tar or tar.gz image at GUEST (default: /); the image stays
    /// unchanged under an in-memory writable layer. Repeatable: later
    /// images stack over earlier ones. Images are mounted before
    /// directories.
    #[arg(long = "image", value_name = "TAR[::GUEST]")]
    pub images: Vec<String>,

    /// Declare a channel: the host file (or FIFO, or character device)
    /// appears at ALIAS under /dev. MODE is ro (default), random-read, wo,
    /// append or rw; wo, append and rw outputs replace the host file only
    /// when the session ends well. Repeatable.
    #[arg(long = "channel", value_name = "HOST::ALIAS[:MODE]")]
    pub channels: Vec<String>,

    /// Keep an etag of every channel, with ALGO (`--etag=sha256`; md5,
    /// sha256 or blake3; default md5), and print them in the report.
    #[arg(
        long,
        value_name = "ALGO",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "md5"
    )]
    pub etag: Option<String>,

    /// Write the session's report as JSON to FILE, or to standard error
    /// with `-`.
    #[arg(long, value_name = "FILE")]
    pub report: Option<String>,

    /// Run the session twice and fail (exit 119) unless every etag is the
    /// same both times; outputs are kept only if they are.
    #[arg(long)]
    pub verify: bool,

    /// Daemon mode: at the program's fork point (its first read of
    /// /dev/stdin, or zerovm.fork()) serve requests on this Unix socket,
    /// each from a copy of the process at that point (see the README).
    #[arg(long, value_name = "SOCKET")]
    pub daemon: Option<PathBuf>,

    /// With --daemon: stop after serving N requests.
    #[arg(long, value_name = "N", requires = "daemon")]
    pub daemon_requests: Option<u64>,

    /// Limit of the program's linear memory, like 64MiB or 1G (default
    /// 64MiB). Growth past it fails inside the program.
    #[arg(long, value_name = "SIZE")]
    pub memory: Option<String>,

    /// Limit of the bytes the program may write into the in-memory
    /// filesystem (default 256MiB).
    #[arg(long = "fs-size", value_name = "SIZE")]
    pub fs_size: Option<String>,

    /// Stop the program after this much fuel (roughly one unit per
    /// WebAssembly instruction); deterministic.
    #[arg(long, value_name = "N")]
    pub fuel: Option<u64>,

    /// Stop the program after this much wall-clock time, like 10s or
    /// 500ms; the one limit that depends on the host's speed.
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,

    /// Where the program's virtual clocks start, in seconds since 1970
    /// (default 0).
    #[arg(long, value_name = "SECONDS")]
    pub time: Option<u64>,

    /// Seed of the program's random numbers (default 0).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Let the program start even if it imports functions the sandbox does
    /// not provide; calling one traps.
    #[arg(long)]
    pub trap_unknown_imports: bool,

    /// Compile the program afresh instead of using the compiled-code cache
    /// (kept in $ZEROVM_CACHE_DIR, else $XDG_CACHE_HOME/zerovm, else
    /// ~/.cache/zerovm).
    #[arg(long)]
    pub no_cache: bool,

    /// The program: a .wasm module or .wat text.
    #[arg(value_name = "PROGRAM", required_unless_present = "manifest")]
    pub program: Option<PathBuf>,

    /// Arguments for the program. An argument `@FILE` becomes a read-only
    /// channel `/dev/N.NAME` (N its position, NAME the file's name) and is
    /// replaced by that path, as ZeroVM's zvsh did.
    #[arg(value_name = "ARGS", allow_hyphen_values = true)]
    pub args: Vec<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let code = match (cli.command, cli.manifest) {
        (Some(Command::Run(args)), _) => run(&args),
        (Some(Command::Compile(args)), _) => compile(&args),
        (Some(Command::Job(args)), _) => job::run(&args),
        (None, Some(manifest)) => run(&RunArgs {
            manifest: Some(manifest),
            ..Default::default()
        }),
        (None, None) => {
            eprintln!("zerovm: nothing to do: give a MANIFEST or a command (see zerovm --help)");
            exit_code::USAGE
        }
    };
    ExitCode::from(code)
}

/// Logs go to standard error, quiet unless `ZEROVM_LOG` asks.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ZEROVM_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

/// A runtime for `options`, with the user's compiled-code cache unless
/// `no_cache`; a cache that cannot be opened is warned about and skipped.
fn runtime(options: EngineOptions, no_cache: bool) -> Result<Runtime, RunError> {
    let runtime = Runtime::new(options)?;
    if no_cache {
        return Ok(runtime);
    }
    let Some(dir) = ModuleCache::default_dir() else {
        return Ok(runtime);
    };
    match ModuleCache::open(&dir) {
        Ok(cache) => Ok(runtime.with_cache(cache)),
        Err(err) => {
            tracing::warn!(dir = %dir.display(), %err, "failed to open the compiled-code cache; compiling without it");
            Ok(runtime)
        }
    }
}

fn compile(args: &CompileArgs) -> u8 {
    let options = EngineOptions {
        fuel: args.with_fuel,
        epochs: args.with_timeout,
        pooling: false,
    };
    let result = runtime(options, false).and_then(|rt| rt.load(&args.program).map(drop));
    match result {
        Ok(()) => 0,
        Err(err @ RunError::Internal(_)) => fail(exit_code::INTERNAL, &err.to_string()),
        Err(err) => fail(exit_code::BAD_INPUT, &err.to_string()),
    }
}

fn run(args: &RunArgs) -> u8 {
    let session = match session::build(args) {
        Ok(s) => s,
        Err(err) => {
            let legacy = err.errno.is_some();
            write_report(args, &Report::from_error(&err.message), legacy);
            if let Some(errno) = err.errno {
                eprintln!("zerovm: {}", err.message);
                return errno_code(errno);
            }
            return fail(exit_code::BAD_INPUT, &err.message);
        }
    };
    let legacy = session.format == Format::Legacy;

    let result = runtime(EngineOptions::for_session(&session), args.no_cache).and_then(|rt| {
        if args.verify {
            verify(&rt, &session)
        } else {
            rt.run(&session, Stdio::inherit()).map(|o| (o, None))
        }
    });
    let (outcome, mismatch) = match result {
        Ok(r) => r,
        Err(err) => {
            write_report(args, &Report::from_error(&err.to_string()), legacy);
            if legacy {
                eprintln!("zerovm: {err}");
                return errno_code(err.errno());
            }
            let code = match err {
                RunError::Internal(_) => exit_code::INTERNAL,
                _ => exit_code::BAD_INPUT,
            };
            return fail(code, &err.to_string());
        }
    };
    // A daemon's copy answers its request with the report and is done.
    if let Some(mut conn) = zerovm_runtime::daemon::take_child_connection() {
        let report = Report::from_outcome(&outcome).to_json();
        let sent = zerovm_runtime::daemon::send_frame(&mut conn, report.as_bytes());
        std::process::exit(i32::from(sent.is_err()));
    }
    write_report(args, &Report::from_outcome(&outcome), legacy);
    if let Some(alias) = mismatch {
        return fail(
            exit_code::VERIFY_FAILED,
            &format!("verification failed: the etag of {alias} differs between two runs; outputs discarded"),
        );
    }
    if legacy {
        return legacy_code(&outcome);
    }
    exit_for(&outcome, &session)
}

/// Runs `session` twice: first with outputs held back, then for real,
/// keeping the outputs only if every etag matches. Returns the second
/// outcome and the first channel whose etag differed.
fn verify(
    rt: &Runtime,
    session: &zerovm_manifest::Session,
) -> Result<(Outcome, Option<String>), RunError> {
    let mut session = session.clone();
    for ch in &mut session.channels {
        ch.etag = true;
    }
    session.memory_etag = true;
    // Standard input is read once and given to both runs.
    let mut input = Vec::new();
    if let Err(err) = std::io::stdin().read_to_end(&mut input) {
        tracing::warn!(%err, "failed to read standard input for --verify");
    }
    let quiet = || -> Box<dyn Channel> { Box::new(zerovm_channels::NullChannel) };
    let first = rt.run_with(
        &session,
        Stdio {
            stdin: Box::new(zerovm_channels::BytesChannel::new(input.clone())),
            stdout: quiet(),
            stderr: quiet(),
        },
        CommitPolicy::Never,
    )?;
    let expected: Vec<(String, Option<String>)> = first
        .channels
        .iter()
        .map(|c| (c.alias.clone(), c.etag.clone()))
        .collect();
    let second = rt.run_with(
        &session,
        Stdio {
            stdin: Box::new(zerovm_channels::BytesChannel::new(input)),
            stdout: Box::new(zerovm_channels::HostStdout),
            stderr: Box::new(zerovm_channels::HostStderr),
        },
        CommitPolicy::IfEtagsMatch(expected.clone()),
    )?;
    let mut mismatch = expected
        .iter()
        .zip(&second.channels)
        .find(|((_, a), b)| *a != b.etag)
        .map(|((alias, _), _)| alias.clone());
    if first.memory_etag != second.memory_etag {
        mismatch.get_or_insert_with(|| "/dev/memory".to_owned());
    }
    if first.exit != second.exit {
        mismatch.get_or_insert_with(|| "the exit state".to_owned());
    }
    Ok((second, mismatch))
}

/// Writes the report where `--report` asks; a legacy session always
/// prints ZeroVM's 6-line form on standard output.
fn write_report(args: &RunArgs, report: &Report, legacy: bool) {
    if legacy {
        print!("{}", report.to_legacy_text());
    }
    match args.report.as_deref() {
        None => {}
        Some("-") => eprintln!("{}", report.to_json()),
        Some(path) => {
            if let Err(err) = std::fs::write(path, report.to_json() + "\n") {
                eprintln!("zerovm: failed to write report {path}: {err}");
            }
        }
    }
}

/// The exit code of a session that ran (command line and TOML).
fn exit_for(outcome: &Outcome, session: &zerovm_manifest::Session) -> u8 {
    match &outcome.exit {
        // Truncation to the low byte is what the OS does to exit codes.
        ExitState::Exited(code) => (*code & 0xff) as u8,
        ExitState::Timeout => fail(
            exit_code::TIMEOUT,
            "session timeout: the program ran out of wall-clock time",
        ),
        ExitState::FuelExhausted => fail(
            exit_code::FUEL_EXHAUSTED,
            "fuel exhausted: the program ran out of fuel",
        ),
        ExitState::MemoryLimit => fail(
            exit_code::MEMORY_LIMIT,
            &format!(
                "memory limit: the program trapped after growing past {} bytes",
                session.limits.memory
            ),
        ),
        ExitState::DiskQuota(_) | ExitState::Corrupted(_) | ExitState::OutputFailed(_) => {
            fail(exit_code::OUTPUT, &outcome.exit.describe())
        }
        trap @ ExitState::Trap { .. } => fail(exit_code::TRAP, &trap.describe()),
        ExitState::Cancelled => fail(exit_code::INTERNAL, "the session was cancelled"),
    }
}

/// ZeroVM's own exit status: 0 when the session ran, whatever the guest
/// returned (that code is the report's third line); the errno of the
/// failure otherwise.
fn legacy_code(outcome: &Outcome) -> u8 {
    match &outcome.exit {
        ExitState::Exited(_) => 0,
        // Any signal, the alarm included, ended ZeroVM with EINTR.
        ExitState::Timeout
        | ExitState::FuelExhausted
        | ExitState::MemoryLimit
        | ExitState::Cancelled
        | ExitState::Trap { .. } => 4,
        ExitState::DiskQuota(_) => 122,
        // ZeroVM: "<alias> corrupted upon eof", EPIPE.
        ExitState::Corrupted(_) => 32,
        ExitState::OutputFailed(_) => 5,
    }
}

fn errno_code(errno: i32) -> u8 {
    u8::try_from(errno).unwrap_or(exit_code::INTERNAL)
}

fn fail(code: u8, message: &str) -> u8 {
    eprintln!("zerovm: {message}");
    code
}
