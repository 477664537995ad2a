//! `zerovm`: the command line over the sandbox library.
//!
//! It only translates flags into a [`Session`] and an outcome into an exit
//! code (see [`exit_code`]); everything else lives in the library crates.

mod exit_code;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use zerovm_manifest::units::{parse_duration, parse_size};
use zerovm_manifest::{parse_env, parse_mapping, Mount, Session, ValueError, MAX_MEMORY};
use zerovm_runtime::{EngineOptions, ExitState, ModuleCache, RunError, Runtime, Stdio};

/// Run untrusted WebAssembly programs in a deterministic sandbox.
///
/// A program sees only what is declared for it: its arguments and
/// environment, an in-memory filesystem with the images and directories
/// mounted into it, and its standard streams. Clocks are virtual and
/// randomness is seeded, so the same input gives the same output on every
/// run. Set ZEROVM_LOG (for example ZEROVM_LOG=debug) for diagnostics on
/// standard error.
#[derive(Parser, Debug)]
#[command(name = "zerovm", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a WASI (preview 1) command module in the sandbox.
    ///
    /// The exit code is the guest's own, or one of the sandbox's: 120 bad
    /// input, 121 internal error, 122 memory limit, 123 fuel exhausted,
    /// 124 timeout, 134 trap.
    Run(Box<RunArgs>),

    /// Compile a program into the cache ahead of time, so that its first run
    /// starts at once (ZeroCloud's pre-validation).
    ///
    /// Compiled code depends on whether fuel or a timeout is in force; pass
    /// the same kinds of limit that the runs will use.
    Compile(CompileArgs),
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

#[derive(Args, Debug)]
#[command(trailing_var_arg = true)]
struct RunArgs {
    /// Set an environment variable for the program (repeatable); nothing is
    /// inherited from the host.
    #[arg(long = "env", value_name = "KEY=VALUE")]
    env: Vec<String>,

    /// Mount a host directory read-write at GUEST (default: /HOST).
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    dirs: Vec<String>,

    /// Mount a host directory read-only at GUEST (default: /HOST).
    #[arg(long = "dir-ro", value_name = "HOST[::GUEST]")]
    dirs_ro: Vec<String>,

    /// Mount a tar or tar.gz image at GUEST (default: /); the image stays
    /// unchanged under an in-memory writable layer. Repeatable: later
    /// images stack over earlier ones. Images are mounted before
    /// directories.
    #[arg(long = "image", value_name = "TAR[::GUEST]")]
    images: Vec<String>,

    /// Limit of the program's linear memory, like 64MiB or 1G. Growth past
    /// it fails inside the program.
    #[arg(long, value_name = "SIZE", default_value = "64MiB")]
    memory: String,

    /// Limit of the bytes the program may write into the in-memory
    /// filesystem.
    #[arg(long = "fs-size", value_name = "SIZE", default_value = "256MiB")]
    fs_size: String,

    /// Stop the program after this much fuel (roughly one unit per
    /// WebAssembly instruction); deterministic.
    #[arg(long, value_name = "N")]
    fuel: Option<u64>,

    /// Stop the program after this much wall-clock time, like 10s or
    /// 500ms; the one limit that depends on the host's speed.
    #[arg(long, value_name = "DURATION")]
    timeout: Option<String>,

    /// Where the program's virtual clocks start, in seconds since 1970.
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    time: u64,

    /// Seed of the program's random numbers.
    #[arg(long, value_name = "N", default_value_t = 0)]
    seed: u64,

    /// Let the program start even if it imports functions the sandbox does
    /// not provide; calling one traps.
    #[arg(long)]
    trap_unknown_imports: bool,

    /// Compile the program afresh instead of using the compiled-code cache
    /// (kept in $ZEROVM_CACHE_DIR, else $XDG_CACHE_HOME/zerovm, else
    /// ~/.cache/zerovm).
    #[arg(long)]
    no_cache: bool,

    /// The program: a .wasm module or .wat text.
    #[arg(value_name = "PROGRAM")]
    program: PathBuf,

    /// Arguments for the program.
    #[arg(value_name = "ARGS", allow_hyphen_values = true)]
    args: Vec<String>,
}

impl RunArgs {
    /// Builds the session these flags describe.
    fn session(&self) -> Result<Session, ValueError> {
        let mut session = Session::new(&self.program);
        session.args.extend(self.args.iter().cloned());
        session.env = self
            .env
            .iter()
            .map(|e| parse_env(e))
            .collect::<Result<_, _>>()?;
        for spec in &self.images {
            let (tar, guest) = parse_mapping("--image", spec, Some("/"))?;
            session.mounts.push(Mount::Image { tar, guest });
        }
        for (specs, writable, what) in [
            (&self.dirs, true, "--dir"),
            (&self.dirs_ro, false, "--dir-ro"),
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
        session.limits.memory = parse_size("--memory", &self.memory)?;
        if session.limits.memory > MAX_MEMORY {
            return Err(ValueError {
                what: "--memory",
                value: self.memory.clone(),
                reason: "more than the 4 GiB a 32-bit memory can address".into(),
            });
        }
        session.limits.fs_bytes = parse_size("--fs-size", &self.fs_size)?;
        session.limits.fuel = self.fuel;
        session.limits.timeout = match &self.timeout {
            Some(t) => Some(parse_duration("--timeout", t)?),
            None => None,
        };
        session.start_time = self.time;
        session.seed = self.seed;
        session.trap_unknown_imports = self.trap_unknown_imports;
        Ok(session)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    match cli.command {
        Command::Run(args) => ExitCode::from(run(&args)),
        Command::Compile(args) => ExitCode::from(compile(&args)),
    }
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
    };
    let result = runtime(options, false).and_then(|rt| rt.load(&args.program).map(drop));
    match result {
        Ok(()) => 0,
        Err(err @ RunError::Internal(_)) => fail(exit_code::INTERNAL, &err.to_string()),
        Err(err) => fail(exit_code::BAD_INPUT, &err.to_string()),
    }
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

fn run(args: &RunArgs) -> u8 {
    let session = match args.session() {
        Ok(s) => s,
        Err(err) => return fail(exit_code::USAGE, &err.to_string()),
    };
    let outcome = runtime(EngineOptions::for_session(&session), args.no_cache)
        .and_then(|runtime| runtime.run(&session, Stdio::inherit()));
    let outcome = match outcome {
        Ok(o) => o,
        Err(err @ RunError::Internal(_)) => return fail(exit_code::INTERNAL, &err.to_string()),
        Err(err) => return fail(exit_code::BAD_INPUT, &err.to_string()),
    };
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
                "memory limit: the program trapped after growing past {}",
                args.memory
            ),
        ),
        trap @ ExitState::Trap { .. } => fail(exit_code::TRAP, &trap.describe()),
    }
}

fn fail(code: u8, message: &str) -> u8 {
    eprintln!("zerovm: {message}");
    code
}
