//! `zerovm job`: run a ZeroCloud job on this machine, over a directory
//! of objects.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use zerovm_job::report::JobReport;
use zerovm_job::{Event, JobOptions, JobOutcome, JobSource, Store};
use zerovm_manifest::units::{parse_duration, parse_size};
use zerovm_runtime::ExitState;

use crate::exit_code;

/// The flags of `zerovm job`.
#[derive(Args, Debug)]
pub struct JobArgs {
    /// The object store: `swift://ACCOUNT/CONTAINER/OBJECT` is the file
    /// DIR/ACCOUNT/CONTAINER/OBJECT, its content type and metadata in
    /// OBJECT.meta.json beside it.
    #[arg(long, value_name = "DIR")]
    pub store: PathBuf,

    /// The account that `swift://~/…` and `swift://./…` stand for.
    #[arg(long, value_name = "NAME", default_value = "local")]
    pub account: String,

    /// Write the job's report (every node's report and the X-Nexe-*
    /// summaries) as JSON to FILE, or to standard error with `-`.
    #[arg(long, value_name = "FILE")]
    pub report: Option<String>,

    /// Nodes computing at once (default: the machine's cores). Nodes
    /// waiting on a pipe do not count.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Each node's memory limit (default 64MiB).
    #[arg(long, value_name = "SIZE")]
    pub memory: Option<String>,

    /// Each node's fuel limit.
    #[arg(long, value_name = "N")]
    pub fuel: Option<u64>,

    /// Each node's wall-clock limit, like 10s.
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,

    /// Where every node's virtual clock starts, in seconds since 1970.
    #[arg(long, value_name = "SECONDS")]
    pub time: Option<u64>,

    /// Compile programs afresh instead of using the compiled-code cache.
    #[arg(long)]
    pub no_cache: bool,

    /// The job: a JSON job description, or a zapp (a directory or a tar
    /// holding boot/system.map, mounted at / in every node).
    #[arg(value_name = "JOB")]
    pub job: PathBuf,
}

/// Runs the job and returns the exit code: 0 when every node ended well,
/// else the failed node's own code (its guest exit code, or the sandbox's
/// code for a trap or a limit), 119 when replicas disagree, 120 for a
/// bad job, 125 when outputs could not be stored.
pub fn run(args: &JobArgs) -> u8 {
    let options = match options(args) {
        Ok(o) => o,
        Err(message) => return fail(exit_code::BAD_INPUT, &message),
    };
    let source = match JobSource::load(&args.job) {
        Ok(s) => s,
        Err(err) => return fail(exit_code::BAD_INPUT, &err.to_string()),
    };
    let store = Store::new(&args.store, &args.account);
    let job = match zerovm_job::expand(&source, &store) {
        Ok(j) => j,
        Err(err) => {
            return fail(
                exit_code::BAD_INPUT,
                &format!("{}: {err}", args.job.display()),
            )
        }
    };
    let runtime = match crate::runtime(options.engine(), args.no_cache) {
        Ok(r) => r,
        Err(err) => return fail(exit_code::INTERNAL, &err.to_string()),
    };

    let progress = Progress::new(job.nodes.len());
    let observer = |e: &Event| progress.event(e);
    let mut stdout = std::io::stdout().lock();
    let result = zerovm_job::run(&job, &store, &runtime, &options, &observer, &mut stdout);
    progress.finish();
    let outcome = match result {
        Ok(o) => o,
        Err(err @ zerovm_job::run::RunError::Program { .. }) => {
            return fail(exit_code::BAD_INPUT, &err.to_string())
        }
        Err(err) => return fail(exit_code::INTERNAL, &err.to_string()),
    };
    let code = exit_for(&outcome);
    let report = JobReport::new(&outcome, code);
    match args.report.as_deref() {
        None => {}
        Some("-") => eprintln!("{}", report.to_json()),
        Some(path) => {
            if let Err(err) = std::fs::write(path, report.to_json() + "\n") {
                eprintln!("zerovm: failed to write report {path}: {err}");
            }
        }
    }
    if let Some(error) = &report.error {
        eprintln!("zerovm: job failed: {error}");
    }
    code
}

fn options(args: &JobArgs) -> Result<JobOptions, String> {
    let mut o = JobOptions::default();
    if let Some(n) = args.jobs {
        if n == 0 {
            return Err("invalid --jobs 0: at least one node must run at a time".into());
        }
        o.jobs = n;
    }
    if let Some(m) = &args.memory {
        o.memory = parse_size("--memory", m).map_err(|e| e.to_string())?;
        if o.memory == 0 || o.memory > zerovm_manifest::MAX_MEMORY {
            return Err(format!(
                "invalid --memory {m:?}: must be more than 0 and at most 4 GiB"
            ));
        }
    }
    if let Some(t) = &args.timeout {
        o.timeout = Some(parse_duration("--timeout", t).map_err(|e| e.to_string())?);
    }
    o.fuel = args.fuel;
    o.start_time = args.time.unwrap_or(0);
    Ok(o)
}

/// The job's exit code.
fn exit_for(outcome: &JobOutcome) -> u8 {
    if let Some(i) = outcome.failed {
        return match &outcome.nodes[i].outcome {
            Ok(o) => match &o.exit {
                ExitState::Exited(code) => (*code & 0xff) as u8,
                ExitState::Timeout => exit_code::TIMEOUT,
                ExitState::FuelExhausted => exit_code::FUEL_EXHAUSTED,
                ExitState::MemoryLimit => exit_code::MEMORY_LIMIT,
                ExitState::Trap { .. } => exit_code::TRAP,
                ExitState::Cancelled => exit_code::INTERNAL,
                _ => exit_code::OUTPUT,
            },
            Err(_) => exit_code::BAD_INPUT,
        };
    }
    match &outcome.error {
        Some(e) if e.starts_with("replicas") => exit_code::VERIFY_FAILED,
        Some(_) => exit_code::OUTPUT,
        None => 0,
    }
}

fn fail(code: u8, message: &str) -> u8 {
    eprintln!("zerovm: {message}");
    code
}

/// Counts of nodes, shown live on a terminal or as plain lines.
struct Progress {
    bar: Option<ProgressBar>,
    counts: Mutex<[usize; 4]>,
}

impl Progress {
    fn new(total: usize) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(total as u64);
            let style =
                ProgressStyle::with_template("{spinner} [{elapsed}] {bar:30} {pos}/{len} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Progress {
            bar,
            counts: Mutex::new([total, 0, 0, 0]),
        }
    }

    fn event(&self, event: &Event) {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let line = match *event {
            Event::Queued { total } => format!("{total} nodes queued"),
            Event::Started { node } => {
                c[0] = c[0].saturating_sub(1);
                c[1] += 1;
                format!("{node} started")
            }
            Event::Finished { node, ok, state } => {
                c[1] = c[1].saturating_sub(1);
                c[if ok { 2 } else { 3 }] += 1;
                if ok {
                    format!("{node} done")
                } else {
                    format!("{node} failed: {state}")
                }
            }
        };
        let summary = format!(
            "queued {} running {} done {} failed {}",
            c[0], c[1], c[2], c[3]
        );
        match &self.bar {
            Some(bar) => {
                bar.set_position((c[2] + c[3]) as u64);
                bar.set_message(summary);
                if matches!(event, Event::Finished { ok: false, .. }) {
                    bar.println(line);
                }
            }
            None => {
                let mut err = std::io::stderr().lock();
                let _ = writeln!(err, "zerovm job: {line} ({summary})");
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
    }
}
