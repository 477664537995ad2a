//! Running an expanded job: every node on its own thread, at most
//! [`JobOptions::jobs`] computing at once (see the pool), pipes between
//! them, outputs staged and stored only when the whole job ends well.
//!
//! **Stopping cleanly.** When a node fails (a non-zero exit, a trap, a
//! limit), the job is over: every other node's cancel flag is raised, so
//! guest code stops within one epoch tick (10 ms) with the state
//! `cancelled`; every pipe of the job is broken, so a node blocked in a
//! pipe wakes at once with `EPIPE`; nodes not yet started never start.
//! Each node's session still ends the normal way (its channels closed,
//! its report made), and since the job failed, no output of any node is
//! stored and nothing goes to the response: outputs are written to a
//! staging directory under the store, which is removed.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zerovm_manifest::{ChannelLimits, ChannelSource, ChannelSpec, FileMode, Mount, Session};
use zerovm_runtime::channels::pipe::{pipe, PipeAbort};
use zerovm_runtime::channels::{Channel, EtagAlgorithm, NullChannel, Port};
use zerovm_runtime::report::Report;
use zerovm_runtime::{
    Attach, CommitPolicy, EngineOptions, ExitState, Module, Outcome, Runtime, Stdio,
};

use crate::expand::{Job, Node, Program};
use crate::pool::{Pooled, Slots};
use crate::source::Image;
use crate::store::{Metadata, Store};

/// Name of the staging directory under the store's root.
pub const STAGING: &str = ".zerovm-staging";

/// How a job runs.
#[derive(Debug, Clone)]
pub struct JobOptions {
    /// Nodes computing at once (the pool); the machine's cores by default.
    pub jobs: usize,
    /// Each node's memory limit.
    pub memory: u64,
    /// Each node's fuel, if limited.
    pub fuel: Option<u64>,
    /// Each node's wall-clock limit, if any.
    pub timeout: Option<Duration>,
    /// Where every node's virtual clock starts (seconds since 1970).
    pub start_time: u64,
    /// The etag of every output.
    pub etag_algorithm: EtagAlgorithm,
    /// Bytes a pipe holds in flight.
    pub pipe_capacity: usize,
}

impl Default for JobOptions {
    fn default() -> Self {
        JobOptions {
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory: zerovm_manifest::DEFAULT_MEMORY,
            fuel: None,
            timeout: None,
            start_time: 0,
            etag_algorithm: EtagAlgorithm::Md5,
            pipe_capacity: 64 << 10,
        }
    }
}

impl JobOptions {
    /// The engine a job's runtime needs: epochs always (they carry the
    /// cancel flag), fuel when limited.
    pub fn engine(&self) -> EngineOptions {
        EngineOptions {
            fuel: self.fuel.is_some(),
            epochs: true,
            pooling: false,
        }
    }
}

/// Progress of a job, for a display.
#[derive(Debug, Clone)]
pub enum Event<'a> {
    /// The job is about to start `total` nodes.
    Queued {
        /// How many.
        total: usize,
    },
    /// A node got a slot and started.
    Started {
        /// Its name.
        node: &'a str,
    },
    /// A node ended.
    Finished {
        /// Its name.
        node: &'a str,
        /// Whether it ended well.
        ok: bool,
        /// Its exit state, as the report says it.
        state: &'a str,
    },
}

/// How one node ended.
#[derive(Debug, Clone)]
pub struct NodeResult {
    /// ZeroCloud's node id.
    pub id: usize,
    /// Its name.
    pub name: String,
    /// Its group.
    pub group: String,
    /// 0, or which replica.
    pub replica: u8,
    /// The session's outcome, or why it could not run.
    pub outcome: Result<Outcome, String>,
    /// Whether it was stopped because another node failed.
    pub cancelled: bool,
}

impl NodeResult {
    /// Whether the node ended well: exit code 0.
    pub fn ok(&self) -> bool {
        matches!(&self.outcome, Ok(o) if o.exit == ExitState::Exited(0))
    }

    /// Its session report.
    pub fn report(&self) -> Report {
        match &self.outcome {
            Ok(o) => {
                let mut r = Report::from_outcome(o);
                if self.cancelled && r.exit_state == "ok" {
                    r.exit_state = "cancelled".into();
                }
                r
            }
            Err(e) => Report::from_error(e),
        }
    }
}

/// How the job ended.
#[derive(Debug, Clone)]
pub struct JobOutcome {
    /// Every node, in creation order.
    pub nodes: Vec<NodeResult>,
    /// The node whose failure ended the job, if one did.
    pub failed: Option<usize>,
    /// Why the job failed when no one node is to blame (replicas that
    /// disagree, an output that could not be stored).
    pub error: Option<String>,
    /// Objects stored, as `swift://` paths.
    pub stored: Vec<String>,
    /// Wall time of the whole job.
    pub wall_time: Duration,
}

impl JobOutcome {
    /// Whether every node ended well and every output was stored.
    pub fn ok(&self) -> bool {
        self.failed.is_none() && self.error.is_none()
    }
}

/// Why a job could not start.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A program could not be loaded.
    #[error("node {node:?}: exec.path: {source}")]
    Program {
        /// The first node running it.
        node: String,
        /// Why.
        source: zerovm_runtime::RunError,
    },
    /// The staging area could not be made.
    #[error("failed to prepare {path}: {source}")]
    Staging {
        /// Where.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

/// A node ready to run.
struct Prepared {
    session: Session,
    module: Module,
    ports: Vec<Port>,
    /// (device index, staged file) of each writable device.
    staged: Vec<(usize, PathBuf)>,
}

/// What the node threads share.
struct Shared<'a> {
    slots: Arc<Slots>,
    cancel: Arc<AtomicBool>,
    aborts: Vec<PipeAbort>,
    failed: Mutex<Option<usize>>,
    observer: &'a (dyn Fn(&Event) + Sync),
}

impl Shared<'_> {
    /// Ends the job because node `index` failed (the first one to say so
    /// is the one to blame).
    fn fail(&self, index: usize) {
        let mut failed = self.failed.lock().unwrap_or_else(|p| p.into_inner());
        if failed.is_none() {
            *failed = Some(index);
            self.cancel.store(true, Ordering::SeqCst);
            for abort in &self.aborts {
                abort.abort();
            }
        }
    }
}

/// Runs `job` against `store`, writing path-less outputs to `response`
/// (in node order) when it ends well. `runtime` must be built with
/// [`JobOptions::engine`].
pub fn run(
    job: &Job,
    store: &Store,
    runtime: &Runtime,
    options: &JobOptions,
    observer: &(dyn Fn(&Event) + Sync),
    response: &mut dyn Write,
) -> Result<JobOutcome, RunError> {
    let started = Instant::now();
    let span = tracing::info_span!("job", nodes = job.nodes.len());
    let _guard = span.enter();

    // Stage outputs under the store, so storing them is a rename.
    let staging_root = store.root().join(STAGING);
    let staging_err = |source| RunError::Staging {
        path: staging_root.clone(),
        source,
    };
    std::fs::create_dir_all(&staging_root).map_err(staging_err)?;
    let staging = tempfile::Builder::new()
        .prefix("job-")
        .tempdir_in(&staging_root)
        .map_err(staging_err)?;

    // Load each program once, before anything runs.
    let modules = load_programs(job, runtime, staging.path())?;
    let image = match &job.image {
        Some(Image::Dir(dir)) => Some(tar_of_dir(dir, staging.path())?),
        Some(Image::Tar(tar)) => Some(tar.clone()),
        None => None,
    };
    let slots = Slots::new(options.jobs);
    let mut prepared: Vec<Prepared> = job
        .nodes
        .iter()
        .zip(modules)
        .enumerate()
        .map(|(i, (node, module))| {
            prepare(
                i,
                node,
                image.as_deref(),
                store,
                options,
                staging.path(),
                module,
            )
        })
        .collect();

    // Wire the pipes: writer `a` sees /dev/out/<b>, reader `b` sees
    // /dev/in/<a>.
    let mut aborts = Vec::with_capacity(job.pipes.len());
    for &(a, b) in &job.pipes {
        let (reader, writer) = pipe(options.pipe_capacity);
        aborts.push(reader.abort_handle());
        prepared[a].ports.push(Port::new(
            format!("/dev/out/{}", job.nodes[b].name),
            Box::new(Pooled {
                inner: writer,
                slots: slots.clone(),
            }),
            ChannelLimits::UNLIMITED,
            None,
        ));
        prepared[b].ports.push(Port::new(
            format!("/dev/in/{}", job.nodes[a].name),
            Box::new(Pooled {
                inner: reader,
                slots: slots.clone(),
            }),
            ChannelLimits::UNLIMITED,
            None,
        ));
    }

    let shared = Shared {
        slots,
        cancel: Arc::new(AtomicBool::new(false)),
        aborts,
        failed: Mutex::new(None),
        observer,
    };
    observer(&Event::Queued {
        total: job.nodes.len(),
    });
    let mut staged_files = Vec::with_capacity(prepared.len());
    let mut work = Vec::with_capacity(prepared.len());
    for p in prepared.drain(..) {
        staged_files.push(p.staged.clone());
        work.push(p);
    }
    let results: Vec<NodeResult> = std::thread::scope(|scope| {
        let handles: Vec<_> = work
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                let shared = &shared;
                let node = &job.nodes[i];
                std::thread::Builder::new()
                    .name(format!("node-{}", node.name))
                    .spawn_scoped(scope, move || run_node(i, node, p, runtime, shared))
            })
            .collect();
        handles
            .into_iter()
            .zip(&job.nodes)
            .map(|(h, node)| {
                let outcome = match h {
                    Ok(h) => h
                        .join()
                        .unwrap_or_else(|_| Err("the node's thread panicked".to_owned())),
                    Err(e) => Err(format!("failed to start the node's thread: {e}")),
                };
                (node, outcome)
            })
            .map(|(node, outcome)| NodeResult {
                id: node.id,
                name: node.name.clone(),
                group: node.group.clone(),
                replica: node.replica,
                outcome,
                cancelled: false,
            })
            .collect()
    });

    let mut results = results;
    let mut failed = *shared.failed.lock().unwrap_or_else(|p| p.into_inner());
    // A node whose thread could not start counts too.
    if failed.is_none() {
        failed = results.iter().position(|r| !r.ok());
    }
    // Every other node was stopped, or its outputs thrown away with the
    // job's.
    for (i, r) in results.iter_mut().enumerate() {
        r.cancelled = failed.is_some_and(|f| f != i);
    }

    let mut outcome = JobOutcome {
        nodes: results,
        failed,
        error: None,
        stored: Vec::new(),
        wall_time: Duration::ZERO,
    };
    if outcome.failed.is_none() {
        outcome.error = check_replicas(job, &outcome.nodes);
    }
    if outcome.ok() {
        match store_outputs(job, store, &staged_files, response) {
            Ok(stored) => outcome.stored = stored,
            Err(e) => outcome.error = Some(e),
        }
    }
    outcome.wall_time = started.elapsed();
    Ok(outcome)
}

fn run_node(
    index: usize,
    node: &Node,
    p: Prepared,
    runtime: &Runtime,
    shared: &Shared,
) -> Result<Outcome, String> {
    shared.slots.acquire();
    let result = if shared.cancel.load(Ordering::SeqCst) {
        Err("not started: another node failed".to_owned())
    } else {
        (shared.observer)(&Event::Started { node: &node.name });
        let null = || -> Box<dyn Channel> { Box::new(NullChannel) };
        runtime
            .run_attached(
                &p.session,
                &p.module,
                Stdio {
                    stdin: null(),
                    stdout: null(),
                    stderr: null(),
                },
                CommitPolicy::OnSuccess,
                Attach {
                    ports: p.ports,
                    cancel: Some(shared.cancel.clone()),
                },
            )
            .map_err(|e| e.to_string())
    };
    shared.slots.release();

    let ok = matches!(&result, Ok(o) if o.exit == ExitState::Exited(0));
    if !ok {
        shared.fail(index);
    }
    let state = match &result {
        Ok(o) => match o.exit {
            ExitState::Exited(code) if code != 0 => format!("exit code {code}"),
            ref e => e.describe(),
        },
        Err(e) => e.clone(),
    };
    (shared.observer)(&Event::Finished {
        node: &node.name,
        ok,
        state: &state,
    });
    tracing::debug!(node = %node.name, %state, "node ended");
    result
}

/// Compiles every distinct program once, extracting those inside the
/// image; returns each node's module.
fn load_programs(job: &Job, runtime: &Runtime, staging: &Path) -> Result<Vec<Module>, RunError> {
    let mut modules: BTreeMap<&Program, Module> = BTreeMap::new();
    let mut out = Vec::with_capacity(job.nodes.len());
    for node in &job.nodes {
        if let Some(module) = modules.get(&node.program) {
            out.push(module.clone());
            continue;
        }
        let path = match &node.program {
            Program::File(p) => p.clone(),
            Program::InImage(inner) => {
                let bytes = job
                    .image
                    .as_ref()
                    .map(|i| i.read(inner))
                    .unwrap_or_else(|| Err(io::Error::other("no image")))
                    .map_err(|source| RunError::Program {
                        node: node.name.clone(),
                        source: zerovm_runtime::RunError::ReadProgram {
                            path: inner.into(),
                            source,
                        },
                    })?;
                let path = staging.join(format!("program-{}.wasm", modules.len()));
                std::fs::write(&path, bytes).map_err(|source| RunError::Staging {
                    path: path.clone(),
                    source,
                })?;
                path
            }
        };
        let module = runtime.load(&path).map_err(|source| RunError::Program {
            node: node.name.clone(),
            source,
        })?;
        modules.insert(&node.program, module.clone());
        out.push(module);
    }
    Ok(out)
}

/// A zapp directory as a tar in the staging area, so it mounts at `/`
/// like a tar zapp, under a writable layer where `/dev` and `/tmp` live.
fn tar_of_dir(dir: &Path, staging: &Path) -> Result<PathBuf, RunError> {
    let path = staging.join("image.tar");
    let err = |source| RunError::Staging {
        path: path.clone(),
        source,
    };
    let file = std::fs::File::create(&path).map_err(err)?;
    let mut builder = tar::Builder::new(io::BufWriter::new(file));
    builder.follow_symlinks(false);
    builder.append_dir_all(".", dir).map_err(err)?;
    builder
        .into_inner()
        .and_then(|mut w| w.flush())
        .map_err(err)?;
    Ok(path)
}

/// Builds a node's session: its devices as channels (inputs straight
/// from the store, outputs into the staging directory), the images at
/// `/`.
fn prepare(
    index: usize,
    node: &Node,
    image: Option<&Path>,
    store: &Store,
    options: &JobOptions,
    staging: &Path,
    module: Module,
) -> Prepared {
    let mut session = Session::new(match &node.program {
        Program::File(p) => p.clone(),
        Program::InImage(inner) => PathBuf::from(inner),
    });
    session.args = node.args.clone();
    session.env = node.env.clone();
    session.limits.memory = options.memory;
    session.limits.fuel = options.fuel;
    session.limits.timeout = options.timeout;
    session.start_time = options.start_time;
    session.seed = node.id as u64;
    session.etag_algorithm = options.etag_algorithm;
    if let Some(tar) = image {
        session.mounts.push(Mount::Image {
            tar: tar.to_owned(),
            guest: "/".into(),
        });
    }

    let mut staged = Vec::new();
    for (d, device) in node.devices.iter().enumerate() {
        let name = device.spec.name.as_str();
        if name == "image" {
            if let Some(object) = &device.object {
                session.mounts.push(Mount::Image {
                    tar: store.file(object),
                    guest: "/".into(),
                });
            }
            continue;
        }
        let (source, mode) = if device.spec.writable() {
            let file = staging.join(format!("{index}.{name}"));
            staged.push((d, file.clone()));
            let mode = if name == "output" {
                FileMode::ReadWrite
            } else {
                FileMode::Write
            };
            (ChannelSource::File(file), mode)
        } else {
            let Some(object) = &device.object else {
                continue;
            };
            let mode = if name == "stdin" {
                FileMode::Read
            } else {
                FileMode::RandomRead
            };
            (ChannelSource::File(store.file(object)), mode)
        };
        session.channels.push(ChannelSpec {
            alias: format!("/dev/{name}"),
            source,
            mode,
            limits: ChannelLimits::UNLIMITED,
            etag: device.spec.writable(),
        });
    }
    Prepared {
        session,
        module,
        ports: Vec::new(),
        staged,
    }
}

/// Replicas of a node must have written the same bytes.
fn check_replicas(job: &Job, results: &[NodeResult]) -> Option<String> {
    for (i, node) in job.nodes.iter().enumerate() {
        if node.replica == 0 {
            continue;
        }
        let first = job
            .nodes
            .iter()
            .position(|n| n.id == node.id && n.replica == 0)?;
        let etags = |r: &NodeResult| match &r.outcome {
            Ok(o) => o
                .channels
                .iter()
                .filter_map(|c| c.etag.clone().map(|e| (c.alias.clone(), e)))
                .collect::<Vec<_>>(),
            Err(_) => Vec::new(),
        };
        let (a, b) = (etags(&results[first]), etags(&results[i]));
        if let Some(((alias, x), (_, y))) = a.iter().zip(&b).find(|(x, y)| x != y) {
            return Some(format!(
                "replicas of node {:?} disagree: {alias} has etag {x} in one and {y} in replica {}",
                node.name, node.replica
            ));
        }
    }
    None
}

/// Moves every staged output of the first replicas into the store, and
/// copies path-less ones to `response`, in node order.
fn store_outputs(
    job: &Job,
    store: &Store,
    staged: &[Vec<(usize, PathBuf)>],
    response: &mut dyn Write,
) -> Result<Vec<String>, String> {
    let mut stored = Vec::new();
    for (node, files) in job.nodes.iter().zip(staged) {
        if node.replica != 0 {
            continue;
        }
        for (d, file) in files {
            let device = &node.devices[*d];
            let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
            match &device.object {
                Some(object) => {
                    if size < device.spec.min_size {
                        continue;
                    }
                    let meta = Metadata {
                        content_type: device.spec.content_type.clone(),
                        meta: device.spec.meta.clone(),
                    };
                    store.put_file(object, file, &meta).map_err(|e| {
                        format!(
                            "node {:?}: failed to store {}: {e}",
                            node.name,
                            object.url()
                        )
                    })?;
                    stored.push(object.url());
                }
                None => {
                    let mut f = match std::fs::File::open(file) {
                        Ok(f) => f,
                        Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                        Err(e) => {
                            return Err(format!(
                                "node {:?}: failed to read /dev/{}: {e}",
                                node.name, device.spec.name
                            ))
                        }
                    };
                    io::copy(&mut f, response)
                        .map_err(|e| format!("failed to write the job's output: {e}"))?;
                }
            }
        }
    }
    response
        .flush()
        .map_err(|e| format!("failed to write the job's output: {e}"))?;
    Ok(stored)
}
