//! Limits and exit states, driven by WAT guests.

use std::path::PathBuf;
use std::time::Duration;

use zerovm_channels::NullChannel;

use super::*;

fn quiet() -> Stdio {
    Stdio {
        stdin: Box::new(NullChannel),
        stdout: Box::new(NullChannel),
        stderr: Box::new(NullChannel),
    }
}

fn run_wat(wat: &str, edit: impl FnOnce(&mut Session)) -> Result<Outcome, RunError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guest.wat");
    std::fs::write(&path, wat).unwrap();
    let mut session = Session::new(&path);
    edit(&mut session);
    let runtime = Runtime::new(EngineOptions::for_session(&session))?;
    runtime.run(&session, quiet())
}

const LOOP: &str = r#"(module (memory (export "memory") 1)
  (func (export "_start") (loop $l (br $l))))"#;

#[test]
fn infinite_loop_hits_the_timeout() {
    let out = run_wat(LOOP, |s| s.limits.timeout = Some(Duration::from_millis(50))).unwrap();
    assert_eq!(out.exit, ExitState::Timeout);
}

#[test]
fn infinite_loop_runs_out_of_fuel_deterministically() {
    let a = run_wat(LOOP, |s| s.limits.fuel = Some(100_000)).unwrap();
    let b = run_wat(LOOP, |s| s.limits.fuel = Some(100_000)).unwrap();
    assert_eq!(a.exit, ExitState::FuelExhausted);
    assert_eq!(a.fuel_used, b.fuel_used);
}

#[test]
fn memory_growth_past_the_limit_fails_inside_the_guest() {
    // Grows by 2 pages against a 1-page limit; exits 7 when refused.
    let wat = r#"(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (func (export "_start")
        (if (i32.eq (memory.grow (i32.const 2)) (i32.const -1))
          (then (call $exit (i32.const 7))))))"#;
    let out = run_wat(wat, |s| s.limits.memory = 65536).unwrap();
    assert_eq!(out.exit, ExitState::Exited(7));
    assert!(out.memory_refused);
    let out = run_wat(wat, |s| s.limits.memory = 65536 * 3).unwrap();
    assert_eq!(out.exit, ExitState::Exited(0));
}

#[test]
fn initial_memory_over_the_limit_is_a_memory_limit() {
    let wat = r#"(module (memory (export "memory") 100) (func (export "_start")))"#;
    let out = run_wat(wat, |s| s.limits.memory = 65536).unwrap();
    assert_eq!(out.exit, ExitState::MemoryLimit);
}

#[test]
fn trap_names_its_function() {
    let wat = r#"(module (memory (export "memory") 1)
      (func $boom unreachable)
      (func (export "_start") (call $boom)))"#;
    match run_wat(wat, |_| {}).unwrap().exit {
        ExitState::Trap { kind, function } => {
            assert!(kind.contains("unreachable"), "{kind}");
            assert_eq!(function.as_deref(), Some("boom"));
        }
        other => panic!("expected a trap, got {other:?}"),
    }
}

#[test]
fn bad_programs_are_named() {
    let err = run_wat(
        r#"(module (import "env" "nope" (func)) (func (export "_start")))"#,
        |_| {},
    )
    .unwrap_err();
    assert!(err.to_string().contains("env::nope"), "{err}");
    let out = run_wat(
        r#"(module (import "env" "nope" (func)) (func (export "_start")))"#,
        |s| s.trap_unknown_imports = true,
    )
    .unwrap();
    assert_eq!(out.exit, ExitState::Exited(0));
    let err = run_wat("this is not wasm", |_| {}).unwrap_err();
    assert!(matches!(err, RunError::InvalidModule { .. }), "{err}");
    let err = run_wat(r#"(module (func (export "main")))"#, |_| {}).unwrap_err();
    assert!(matches!(err, RunError::NoStart), "{err}");
    let mut s = Session::new("/nonexistent/prog.wasm");
    s.args.clear();
    let err = Runtime::new(EngineOptions::default())
        .unwrap()
        .run(&s, quiet())
        .unwrap_err();
    assert!(err.to_string().contains("/nonexistent/prog.wasm"), "{err}");
}

mod cache {
    use super::*;

    const WAT: &str = r#"(module (memory (export "memory") 1) (func (export "_start")))"#;

    fn entry(dir: &Path, ext: &str) -> PathBuf {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .expect("a cache entry")
    }

    #[test]
    fn hits_and_rejects_damaged_entries() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ModuleCache::open(dir.path().join("c")).unwrap();
        let engine = Engine::default();
        let bytes = wat_bytes();
        assert!(!cache.load_or_compile(&engine, &bytes).unwrap().1);
        assert!(cache.load_or_compile(&engine, &bytes).unwrap().1);
        let code = entry(cache.dir(), "cwasm");
        let sum = entry(cache.dir(), "sum");

        // Corrupted: one byte flipped.
        let mut data = std::fs::read(&code).unwrap();
        let mid = data.len() / 2;
        data[mid] ^= 0xff;
        std::fs::write(&code, &data).unwrap();
        assert!(!cache.load_or_compile(&engine, &bytes).unwrap().1);
        assert!(cache.load_or_compile(&engine, &bytes).unwrap().1);

        // Truncated.
        let data = std::fs::read(&code).unwrap();
        std::fs::write(&code, &data[..data.len() / 3]).unwrap();
        assert!(!cache.load_or_compile(&engine, &bytes).unwrap().1);

        // Foreign: not compiled code at all, with a checksum that matches.
        let junk = b"\x7fELF not a wasmtime module".to_vec();
        std::fs::write(&code, &junk).unwrap();
        std::fs::write(&sum, blake3::hash(&junk).to_hex().as_bytes()).unwrap();
        assert!(!cache.load_or_compile(&engine, &bytes).unwrap().1);
        assert!(cache.load_or_compile(&engine, &bytes).unwrap().1);
    }

    #[test]
    fn directory_is_private_and_settings_change_the_key() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c");
        std::fs::create_dir(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o777)).unwrap();
        let cache = ModuleCache::open(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);

        let plain = Engine::default();
        let mut config = Config::new();
        config.consume_fuel(true);
        let fueled = Engine::new(&config).unwrap();
        let bytes = wat_bytes();
        assert!(!cache.load_or_compile(&plain, &bytes).unwrap().1);
        assert!(!cache.load_or_compile(&fueled, &bytes).unwrap().1);
        assert!(cache.load_or_compile(&fueled, &bytes).unwrap().1);
    }

    fn wat_bytes() -> Vec<u8> {
        WAT.as_bytes().to_vec()
    }
}

#[test]
fn a_pooled_prepared_module_runs_many_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("exit.wat");
    std::fs::write(
        &path,
        r#"(module
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func (export "_start")
            (drop (call $sizes (i32.const 0) (i32.const 4)))
            (call $exit (i32.load (i32.const 0)))))"#,
    )
    .unwrap();
    let runtime = Runtime::new(EngineOptions {
        pooling: true,
        ..Default::default()
    })
    .unwrap();
    let module = runtime.load(&path).unwrap();
    let prepared = runtime.prepare(&module, false).unwrap();
    // More sessions than pool slots: each returns its slot when it ends.
    for n in 0..(crate::POOL_SLOTS as usize + 10) {
        let mut session = Session::new(&path);
        session.args.extend((0..n % 5).map(|i| i.to_string()));
        let out = runtime
            .run_prepared(
                &session,
                &prepared,
                quiet(),
                CommitPolicy::OnSuccess,
                Attach::default(),
            )
            .unwrap();
        assert_eq!(out.exit, ExitState::Exited((n % 5 + 1) as u32));
    }
    // A module missing an import is refused when prepared, naming it.
    std::fs::write(
        &path,
        r#"(module (import "env" "nope" (func)) (func (export "_start")))"#,
    )
    .unwrap();
    let module = runtime.load(&path).unwrap();
    let err = runtime.prepare(&module, false).err().expect("refused");
    assert!(err.to_string().contains("env::nope"), "{err}");
}
