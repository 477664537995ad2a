//! In-process session figures: how long one whole sandboxed session takes
//! (set-up, instantiate, run a WASI hello world, tear down) and how much
//! memory an idle session holds, each against a peer measured in the same
//! run.
//!
//! The peer is Wasmtime itself with the same engine settings: a store with
//! no WASI at all, the imports answered by empty functions, instantiated
//! from the same pre-linked module and pool. It is the floor any sandbox
//! built on Wasmtime pays; the ratio says what the sandbox adds on top
//! (its filesystem, channels, WASI context and report).
//!
//!     cargo bench -p zerovm-runtime --bench session
//!
//! Prints medians and 99th percentiles over many sessions, sessions per
//! second on one thread, and memory per idle session; docs/benchmarks.md
//! records a run.

use std::time::{Duration, Instant};

use wasmtime::{Engine, Linker, Module, Store};
use zerovm_channels::NullChannel;
use zerovm_manifest::Session;
use zerovm_runtime::{Attach, CommitPolicy, EngineOptions, Runtime, Stdio};

/// Writes "hello, world\n" to descriptor 1 and returns.
const HELLO: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello, world\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 13))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#;

const WARMUP: usize = 2_000;
const SAMPLES: usize = 20_000;
const IDLE_SESSIONS: usize = 200;

fn quiet() -> Stdio {
    Stdio {
        stdin: Box::new(NullChannel),
        stdout: Box::new(NullChannel),
        stderr: Box::new(NullChannel),
    }
}

struct Figures {
    p50: Duration,
    p99: Duration,
    per_second: f64,
}

/// Times `SAMPLES` calls of `f` after a warm-up.
fn measure(mut f: impl FnMut()) -> Figures {
    for _ in 0..WARMUP {
        f();
    }
    let mut times = Vec::with_capacity(SAMPLES);
    let all = Instant::now();
    for _ in 0..SAMPLES {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    let total = all.elapsed();
    times.sort();
    Figures {
        p50: times[SAMPLES / 2],
        p99: times[SAMPLES * 99 / 100],
        per_second: SAMPLES as f64 / total.as_secs_f64(),
    }
}

fn show(name: &str, f: &Figures) {
    println!(
        "{name:<44} p50 {:>7.1} µs   p99 {:>7.1} µs   {:>9.0} sessions/s",
        f.p50.as_secs_f64() * 1e6,
        f.p99.as_secs_f64() * 1e6,
        f.per_second
    );
}

/// Resident memory of this process, in bytes.
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hello.wat");
    std::fs::write(&path, HELLO).expect("write module");
    let session = Session::new(&path);

    // The sandbox, pooled and pre-linked: the fast path.
    let pooled = Runtime::new(EngineOptions {
        pooling: true,
        ..Default::default()
    })
    .expect("runtime");
    let module = pooled.load(&path).expect("module");
    let prepared = pooled.prepare(&module, false).expect("prepare");
    let sandbox = measure(|| {
        let out = pooled
            .run_prepared(
                &session,
                &prepared,
                quiet(),
                CommitPolicy::OnSuccess,
                Attach::default(),
            )
            .expect("session");
        assert!(out.exit.is_ok());
    });

    // The sandbox without a pool, linking per run: what `zerovm run` does.
    let plain = Runtime::new(EngineOptions::default()).expect("runtime");
    let plain_module = plain.load(&path).expect("module");
    let unpooled = measure(|| {
        let out = plain
            .run_module(&session, &plain_module, quiet())
            .expect("session");
        assert!(out.exit.is_ok());
    });

    // The peer: bare Wasmtime, same pooled engine settings, no WASI.
    let engine: &Engine = pooled.engine();
    let peer_module = Module::new(engine, HELLO).expect("peer module");
    let mut linker: Linker<()> = Linker::new(engine);
    linker
        .func_wrap(
            "wasi_snapshot_preview1",
            "fd_write",
            |_: i32, _: i32, _: i32, _: i32| -> i32 { 0 },
        )
        .expect("stub");
    let pre = linker.instantiate_pre(&peer_module).expect("peer pre");
    let peer = measure(|| {
        let mut store = Store::new(engine, ());
        let instance = pre.instantiate(&mut store).expect("peer instance");
        let start = instance
            .get_typed_func::<(), ()>(&mut store, "_start")
            .expect("start");
        start.call(&mut store, ()).expect("peer run");
    });

    println!("(a) in-process session, WASI hello world, one thread");
    show("zerovm, pooled + pre-linked", &sandbox);
    show("zerovm, no pool, linked per run", &unpooled);
    show("peer: bare Wasmtime, pooled, no WASI", &peer);
    println!(
        "    ratio zerovm/peer at p50: {:.2}x; target p50 <= 20 µs: {}",
        sandbox.p50.as_secs_f64() / peer.p50.as_secs_f64(),
        if sandbox.p50 <= Duration::from_micros(20) {
            "MET"
        } else {
            "NOT MET"
        }
    );

    // (e) Memory per idle session: sessions set up and instantiated, kept
    // alive without running.
    let before = rss();
    let mut idle = Vec::with_capacity(IDLE_SESSIONS);
    for _ in 0..IDLE_SESSIONS {
        idle.push(
            pooled
                .idle_session(&session, &prepared, quiet())
                .expect("idle"),
        );
    }
    let after = rss();
    let per = after.saturating_sub(before) / IDLE_SESSIONS as u64;
    drop(idle);

    let before = rss();
    let mut bare = Vec::with_capacity(IDLE_SESSIONS);
    for _ in 0..IDLE_SESSIONS {
        let mut store = Store::new(engine, ());
        let instance = pre.instantiate(&mut store).expect("peer instance");
        bare.push((store, instance));
    }
    let after = rss();
    let bare_per = after.saturating_sub(before) / IDLE_SESSIONS as u64;
    drop(bare);
    println!("(e) memory per idle session ({IDLE_SESSIONS} alive)");
    println!(
        "    zerovm: {:.1} KiB   peer (bare Wasmtime store + instance): {:.1} KiB",
        per as f64 / 1024.0,
        bare_per as f64 / 1024.0
    );
    println!(
        "    beyond the peer: {:.1} KiB; target <= 64 KiB beyond the guest's own: {}",
        per.saturating_sub(bare_per) as f64 / 1024.0,
        if per.saturating_sub(bare_per) <= 64 * 1024 {
            "MET"
        } else {
            "NOT MET"
        }
    );
}
