//! Limits and exit states, driven by WAT guests.

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
