//! Host-call tests driven by small WAT guests.

use std::sync::{Arc, Mutex};

use wasmtime::{Engine, Linker, Module, Store};
use zerovm_channels::{Channel, ChannelError, Limits, NullChannel, Port};
use zerovm_vfs::{Vfs, VfsConfig};

use super::*;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Channel for Capture {
    fn write(&mut self, data: &[u8]) -> Result<usize, ChannelError> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn readable(&self) -> bool {
        false
    }
    fn writable(&self) -> bool {
        true
    }
}

/// Runs `_start` of `wat` and returns (exit code or 0, stdout).
fn run(wat: &str, seed: u64) -> (Option<u32>, Vec<u8>) {
    let engine = Engine::default();
    let module = Module::new(&engine, wat).unwrap();
    let mut linker = Linker::new(&engine);
    add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx).unwrap();
    let out = Capture::default();
    let ctx = WasiCtx::new(
        WasiConfig {
            args: vec!["prog".into(), "arg".into()],
            env: vec![],
            start_time_ns: 5_000,
            seed,
            ports: vec![
                Port::new("/dev/stdin", Box::new(NullChannel), Limits::UNLIMITED, None),
                Port::new(
                    "/dev/stdout",
                    Box::new(out.clone()),
                    Limits::UNLIMITED,
                    None,
                ),
                Port::new(
                    "/dev/stderr",
                    Box::new(NullChannel),
                    Limits::UNLIMITED,
                    None,
                ),
            ],
        },
        Vfs::new(VfsConfig::default()),
    )
    .unwrap();
    let mut store = Store::new(&engine, ctx);
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let start = instance
        .get_typed_func::<(), ()>(&mut store, "_start")
        .unwrap();
    let code = match start.call(&mut store, ()) {
        Ok(()) => None,
        Err(e) => Some(e.downcast_ref::<Exit>().expect("only exits expected").0),
    };
    let bytes = out.0.lock().unwrap().clone();
    (code, bytes)
}

const PRELUDE: &str = r#"
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
"#;

#[test]
fn bad_iovec_pointer_is_efault() {
    let wat = format!(
        r#"(module {PRELUDE}
          (func (export "_start")
            (call $exit (call $fd_write (i32.const 1) (i32.const 65532) (i32.const 1) (i32.const 0)))))"#
    );
    assert_eq!(run(&wat, 0).0, Some(Errno::Fault as u32));
}

#[test]
fn write_reaches_stdout() {
    let wat = format!(
        r#"(module {PRELUDE}
          (data (i32.const 16) "hi\n")
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 16))
            (i32.store (i32.const 4) (i32.const 3))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#
    );
    assert_eq!(run(&wat, 0), (None, b"hi\n".to_vec()));
}

#[test]
fn random_follows_the_seed_and_clock_steps() {
    // Writes 8 random bytes and two clock readings to stdout.
    let wat = format!(
        r#"(module {PRELUDE}
          (func (export "_start")
            (drop (call $random (i32.const 100) (i32.const 8)))
            (drop (call $clock (i32.const 0) (i64.const 0) (i32.const 108)))
            (drop (call $clock (i32.const 1) (i64.const 0) (i32.const 116)))
            (i32.store (i32.const 0) (i32.const 100))
            (i32.store (i32.const 4) (i32.const 24))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#
    );
    let (_, a) = run(&wat, 1);
    let (_, b) = run(&wat, 1);
    let (_, c) = run(&wat, 2);
    assert_eq!(a, b);
    assert_ne!(a[..8], c[..8]);
    let t1 = u64::from_le_bytes(a[8..16].try_into().unwrap());
    let t2 = u64::from_le_bytes(a[16..24].try_into().unwrap());
    assert_eq!((t1, t2), (5_000, 5_000 + CLOCK_STEP_NS));
}
