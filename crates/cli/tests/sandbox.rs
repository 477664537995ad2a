//! Integration tests of `zerovm run`: the real binary, run on the guest
//! programs of `tests/guests/` (C built by `scripts/build-guests.sh`, WAT
//! passed as is), with exit codes and output checked exactly.

mod common;

use std::fs;
use std::time::Duration;

use common::{guest, make_tar, wat, zerovm, zerovm_run};

// ---------------------------------------------------------------------------
// Self-checking guests, one per group of WASI calls.
// ---------------------------------------------------------------------------

#[test]
fn args_and_environment_pass_through_exactly() {
    let program = guest("args_env");
    let run = zerovm_run()
        .args([
            "--env",
            "ZV_A=hello",
            "--env",
            "ZV_EQ=a=b=c",
            "--env",
            "ZV_EMPTY=",
        ])
        .arg(&program)
        .args(["héllo wörld", "", "--not-an-option", "-x"])
        .run();
    run.assert_stderr("args_env: stderr works\n");
    run.assert_code(0);
    let out = run.stdout_str();
    let (body, summary) = out.trim_end().rsplit_once('\n').expect("summary line");
    assert_eq!(
        body,
        format!(
            "argv[0]={}\nargv[1]=héllo wörld\nargv[2]=\nargv[3]=--not-an-option\n\
             argv[4]=-x\nenv[0]=ZV_A=hello\nenv[1]=ZV_EQ=a=b=c\nenv[2]=ZV_EMPTY=",
            program.display()
        ),
        "{}",
        run.describe()
    );
    assert!(summary.ends_with(" checks passed"), "{}", run.describe());
}

#[test]
fn environment_is_empty_unless_given() {
    let program = guest("args_env");
    let run = zerovm_run().arg(&program).run();
    run.assert_stderr("args_env: stderr works\n");
    run.assert_code(0);
    let out = run.stdout_str();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.describe());
    assert_eq!(lines[0], format!("argv[0]={}", program.display()));
    assert!(lines[1].starts_with("args_env: ") && lines[1].ends_with(" checks passed"));
}

#[test]
fn argv0_is_the_program_as_given() {
    let program = guest("args_env");
    let dir = program.parent().unwrap();
    let run = zerovm_run()
        .arg("args_env.wasm")
        .arg("one")
        .current_dir(dir)
        .run();
    run.assert_code(0);
    assert!(
        run.stdout_str()
            .starts_with("argv[0]=args_env.wasm\nargv[1]=one\n"),
        "{}",
        run.describe()
    );
}

#[test]
fn virtual_clock_starts_at_time_and_ticks_one_microsecond() {
    let run = zerovm_run()
        .args(["--time", "1000"])
        .arg(guest("clocks"))
        .arg("1000")
        .run();
    let lines = run.assert_guest_passed("clocks");
    // The CPU-time clocks may be refused, but only with EINVAL.
    assert_eq!(lines.len(), 2, "{}", run.describe());
    for (line, name) in lines.iter().zip(["process cputime", "thread cputime"]) {
        assert!(
            *line == format!("{name}: ok") || *line == format!("{name}: INVAL"),
            "{}",
            run.describe()
        );
    }
}

#[test]
fn virtual_clock_starts_at_zero_by_default() {
    let run = zerovm_run().arg(guest("clocks")).arg("0").run();
    run.assert_guest_passed("clocks");
}

#[test]
fn random_sources_work_and_follow_the_seed() {
    let program = guest("random");
    let seeded = |seed: &str| {
        let run = zerovm_run().args(["--seed", seed]).arg(&program).run();
        run.assert_guest_passed("random");
        run.stdout_str()
    };
    let first = seeded("1");
    assert_eq!(first, seeded("1"), "same seed, different random bytes");
    let other = seeded("2");
    // Every source (two random_get lines, getentropy, both devices) moves.
    let differing = first
        .lines()
        .zip(other.lines())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(differing, 5, "seed 1:\n{first}\nseed 2:\n{other}");
}

#[test]
fn device_files_behave() {
    zerovm_run()
        .arg(guest("devices"))
        .run()
        .assert_guest_passed("devices");
}

#[test]
fn fd_calls_on_files() {
    zerovm_run()
        .arg(guest("fd_ops"))
        .run()
        .assert_guest_passed("fd_ops");
}

#[test]
fn path_calls() {
    zerovm_run()
        .arg(guest("paths"))
        .run()
        .assert_guest_passed("paths");
}

#[test]
fn poll_waits_advance_the_virtual_clock_instantly() {
    // The guest sleeps 5 s + 2 s + 1.5 s + 3 s + 20 h of virtual time.
    let run = zerovm_run().arg(guest("poll")).arg("virtual").run();
    run.assert_guest_passed("poll");
    assert!(
        run.elapsed < Duration::from_secs(5),
        "virtual sleeps took real time\n{}",
        run.describe()
    );
}

// ---------------------------------------------------------------------------
// Exit codes.
// ---------------------------------------------------------------------------

#[test]
fn guest_exit_codes_pass_through() {
    let program = guest("exit_code");
    for code in [0, 1, 7, 42, 120, 255] {
        let status = code.to_string();
        zerovm_run()
            .arg(&program)
            .arg(&status)
            .run()
            .assert_code(code)
            .assert_stdout(&format!("exit_code: exiting {code}\n"))
            .assert_stderr("");
        zerovm_run()
            .arg(&program)
            .args([status.as_str(), "return"])
            .run()
            .assert_code(code)
            .assert_stdout(&format!("exit_code: returning {code}\n"));
    }
}

/// There are no signals in the sandbox: zerovm answers NOSYS today; an
/// ignored signal (SUCCESS) would be acceptable too.
#[test]
fn proc_raise_is_refused_or_ignored() {
    let run = zerovm_run().arg(guest("proc_raise")).run();
    run.assert_code(0).assert_stderr("");
    let out = run.stdout_str();
    assert!(
        out == "proc_raise(SIGUSR1) -> 52 (NOSYS)\n"
            || out == "proc_raise(SIGUSR1) -> 0 (SUCCESS)\n",
        "{}",
        run.describe()
    );
}

#[test]
fn trap_names_the_kind_and_the_function() {
    let run = zerovm_run().arg(wat("trap")).run();
    run.assert_zerovm_error(134, &["unreachable", "boom"]);
    run.assert_stdout("");
}

#[test]
fn missing_import_is_bad_input_naming_it() {
    let run = zerovm_run().arg(wat("missing_import")).run();
    run.assert_zerovm_error(120, &["env", "nope"]);
}

#[test]
fn bad_pointers_give_efault_not_a_trap() {
    let run = zerovm_run().arg(wat("bad_pointer")).run();
    run.assert_code(21).assert_stdout("").assert_stderr("");
}

// ---------------------------------------------------------------------------
// Limits.
// ---------------------------------------------------------------------------

/// Runs memory_bomb under `memory` and returns the MiB it got.
fn memory_bomb_mib(memory: Option<&str>) -> u64 {
    let mut inv = zerovm_run();
    if let Some(m) = memory {
        inv = inv.args(["--memory", m]);
    }
    let run = inv.arg(guest("memory_bomb")).run();
    run.assert_code(0).assert_stderr("");
    let out = run.stdout_str();
    out.strip_prefix("memory_bomb: got ")
        .and_then(|s| s.strip_suffix(" MiB\n"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("bad output\n{}", run.describe()))
}

#[test]
fn memory_limit_defaults_to_64_mib() {
    let mib = memory_bomb_mib(None);
    assert!((56..64).contains(&mib), "got {mib} MiB under the default");
}

#[test]
fn memory_limit_is_enforced() {
    let mib = memory_bomb_mib(Some("16MiB"));
    assert!((10..16).contains(&mib), "got {mib} MiB under 16MiB");
    let mib = memory_bomb_mib(Some("33554432"));
    assert!(
        (26..32).contains(&mib),
        "got {mib} MiB under 32 MiB in bytes"
    );
}

#[test]
fn trap_after_memory_refusal_is_a_memory_limit() {
    let run = zerovm_run()
        .args(["--memory", "16MiB"])
        .arg(guest("memory_bomb"))
        .arg("abort")
        .run();
    run.assert_zerovm_error(122, &[]);
    run.assert_stdout("");
}

#[test]
fn memory_grow_past_the_limit_returns_minus_one() {
    // Exit 1 would mean the 4 GiB grow succeeded, 2 that it changed the
    // size, 3 that a one-page grow within the limit failed.
    zerovm_run()
        .arg(wat("grow"))
        .run()
        .assert_code(0)
        .assert_stderr("");
    zerovm_run()
        .args(["--memory", "1G"])
        .arg(wat("grow"))
        .run()
        .assert_code(0);
    // With a one-page limit even the small grow must be refused.
    zerovm_run()
        .args(["--memory", "65536"])
        .arg(wat("grow"))
        .run()
        .assert_code(3)
        .assert_stderr("");
}

#[test]
fn fuel_exhaustion_stops_a_loop() {
    let run = zerovm_run()
        .args(["--fuel", "10000000"])
        .arg(guest("infinite_loop"))
        .run();
    run.assert_zerovm_error(123, &["fuel"]);
    run.assert_stdout("infinite_loop: started\n");
}

#[test]
fn enough_fuel_changes_nothing() {
    zerovm_run()
        .args(["--fuel", "100000000"])
        .arg(guest("exit_code"))
        .arg("3")
        .run()
        .assert_code(3)
        .assert_stdout("exit_code: exiting 3\n");
}

#[test]
fn timeout_stops_a_loop() {
    let run = zerovm_run()
        .args(["--timeout", "500ms"])
        .arg(guest("infinite_loop"))
        .run();
    run.assert_zerovm_error(124, &["timeout"]);
    run.assert_stdout("infinite_loop: started\n");
    assert!(
        run.elapsed < Duration::from_secs(10),
        "a 500ms timeout took {:?}",
        run.elapsed
    );
}

// ---------------------------------------------------------------------------
// Determinism.
// ---------------------------------------------------------------------------

fn determinism_run(seed: &str) -> String {
    let run = zerovm_run()
        .args(["--seed", seed, "--time", "1700000000"])
        .arg(guest("determinism"))
        .run();
    run.assert_guest_passed("determinism");
    run.stdout_str()
}

#[test]
fn same_seed_gives_identical_output() {
    let first = determinism_run("7");
    let second = determinism_run("7");
    assert_eq!(first, second, "two runs with the same seed differ");
}

#[test]
fn another_seed_changes_only_the_random_bytes() {
    let a = determinism_run("7");
    let b = determinism_run("8");
    let a_lines: Vec<&str> = a.lines().collect();
    let b_lines: Vec<&str> = b.lines().collect();
    assert_eq!(a_lines.len(), b_lines.len(), "seed 7:\n{a}\nseed 8:\n{b}");
    for (x, y) in a_lines.iter().zip(&b_lines) {
        if x.starts_with("random ") {
            assert_ne!(x, y, "random bytes did not follow the seed");
        } else {
            assert_eq!(x, y, "a line other than the random one changed");
        }
    }
}

#[test]
fn directory_listings_are_sorted_and_metadata_uses_the_virtual_clock() {
    let out = determinism_run("0");
    let names: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("entry "))
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        names,
        [".", "..", "a-link", "a.txt", "b-sym", "b.txt", "c.txt", "sub"],
        "{out}"
    );
    // Files made during the run carry times of the run's virtual clock.
    for line in out.lines().filter(|l| l.starts_with("entry c.txt")) {
        assert!(line.contains("mtime 1700000000."), "{line}");
    }
}

#[test]
fn nan_results_are_canonical() {
    // Hardware picks the sign and payload of a NaN it produces (x86 sets
    // the sign bit); deterministic runs across machines need Wasmtime's
    // NaN canonicalisation, which yields the positive quiet NaN.
    let out = determinism_run("0");
    for expected in [
        "0.0/0.0 bits 7ff8000000000000",
        "sqrt(-1) bits 7ff8000000000000",
        "0.0f/0.0f bits 7fc00000",
        "nan+1 bits 7ff8000000000000",
    ] {
        assert!(
            out.lines().any(|l| l == expected),
            "no {expected:?} in\n{out}"
        );
    }
}

// ---------------------------------------------------------------------------
// Standard streams.
// ---------------------------------------------------------------------------

#[test]
fn stdin_is_copied_byte_for_byte() {
    let input: Vec<u8> = (0..(1 << 20) + 17)
        .map(|i: u32| (i * 7 % 256) as u8)
        .collect();
    let run = zerovm_run().arg(guest("cat")).stdin(input.clone()).run();
    run.assert_code(0)
        .assert_stderr(&format!("cat: {} bytes\n", input.len()));
    assert!(
        run.stdout == input,
        "stdout differs from stdin ({} bytes out)",
        run.stdout.len()
    );
}

#[test]
fn empty_stdin_is_end_of_file() {
    zerovm_run()
        .arg(guest("cat"))
        .run()
        .assert_code(0)
        .assert_stdout("")
        .assert_stderr("cat: 0 bytes\n");
}

// ---------------------------------------------------------------------------
// Mounts.
// ---------------------------------------------------------------------------

fn host_dir_with_file() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("in.txt"), "from host\n").unwrap();
    dir
}

#[test]
fn dir_mount_is_read_write() {
    let host = host_dir_with_file();
    let mapping = format!("{}::/data", host.path().display());
    zerovm_run()
        .args(["--dir", &mapping])
        .arg(guest("fsutil"))
        .args([
            "cat",
            "/data/in.txt",
            "write",
            "/data/out.txt",
            "made inside",
        ])
        .args(["mkdir", "/data/sub", "ls", "/data/sub"])
        .run()
        .assert_code(0)
        .assert_stdout("from host\n")
        .assert_stderr("");
    assert_eq!(
        fs::read_to_string(host.path().join("out.txt")).unwrap(),
        "made inside"
    );
    assert!(host.path().join("sub").is_dir());
}

#[test]
fn dir_mount_defaults_to_the_host_path() {
    let host = host_dir_with_file();
    let inside = format!("{}/in.txt", host.path().display());
    zerovm_run()
        .args(["--dir".as_ref(), host.path().as_os_str()])
        .arg(guest("fsutil"))
        .args(["cat", &inside])
        .run()
        .assert_code(0)
        .assert_stdout("from host\n");
}

#[test]
fn dir_ro_mount_refuses_changes() {
    let host = host_dir_with_file();
    let mapping = format!("{}::/data", host.path().display());
    let run = zerovm_run()
        .args(["--dir-ro", &mapping])
        .arg(guest("fsutil"))
        .args(["cat", "/data/in.txt", "write", "/data/new.txt", "x"])
        .run();
    run.assert_code(1).assert_stdout("from host\n");
    assert!(
        run.stderr.starts_with("fsutil: write /data/new.txt: "),
        "{}",
        run.describe()
    );
    for args in [
        ["rm", "/data/in.txt"],
        ["write", "/data/in.txt"],
        ["mkdir", "/data/d"],
    ] {
        let mut inv = zerovm_run()
            .args(["--dir-ro", &mapping])
            .arg(guest("fsutil"));
        inv = inv.args(args);
        if args[0] == "write" {
            inv = inv.arg("overwritten");
        }
        inv.run().assert_code(1).assert_stdout("");
    }
    assert_eq!(
        fs::read_to_string(host.path().join("in.txt")).unwrap(),
        "from host\n"
    );
    let names: Vec<_> = fs::read_dir(host.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "the read-only mount was changed");
}

#[test]
fn tmp_exists_and_is_not_persisted() {
    let fsutil = guest("fsutil");
    zerovm_run()
        .arg(&fsutil)
        .args(["write", "/tmp/x", "one run", "cat", "/tmp/x"])
        .run()
        .assert_code(0)
        .assert_stdout("one run");
    let run = zerovm_run().arg(&fsutil).args(["cat", "/tmp/x"]).run();
    run.assert_code(1)
        .assert_stdout("")
        .assert_stderr("fsutil: cat /tmp/x: ENOENT\n");
}

/// A directory tree for images: etc/greeting, sub/inner.txt, shared.txt.
fn image_tree(shared: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("etc")).unwrap();
    fs::create_dir_all(dir.path().join("sub")).unwrap();
    fs::write(dir.path().join("etc/greeting"), "hi from the image\n").unwrap();
    fs::write(dir.path().join("sub/inner.txt"), "inner").unwrap();
    fs::write(dir.path().join("shared.txt"), shared).unwrap();
    dir
}

#[test]
fn image_is_readable_with_a_writable_layer_and_left_unchanged() {
    for gz in [false, true] {
        let tree = image_tree("one");
        let work = tempfile::tempdir().unwrap();
        let tar = work.path().join(if gz { "img.tar.gz" } else { "img.tar" });
        make_tar(tree.path(), &tar, gz);
        let before = fs::read(&tar).unwrap();
        zerovm_run()
            .arg("--image")
            .arg(&tar)
            .arg(guest("fsutil"))
            .args(["cat", "/etc/greeting", "ls", "/sub"])
            .args([
                "write",
                "/etc/greeting",
                "changed\n",
                "cat",
                "/etc/greeting",
            ])
            .args([
                "write",
                "/sub/new.txt",
                "new",
                "rm",
                "/sub/inner.txt",
                "ls",
                "/sub",
            ])
            .args(["write", "/tmp/t", "tmp works", "cat", "/tmp/t"])
            .run()
            .assert_code(0)
            .assert_stderr("")
            .assert_stdout("hi from the image\ninner.txt f 5\nchanged\nnew.txt f 3\ntmp works");
        assert_eq!(fs::read(&tar).unwrap(), before, "the image file changed");
    }
}

#[test]
fn image_mounts_at_a_guest_path() {
    let tree = image_tree("one");
    let work = tempfile::tempdir().unwrap();
    let tar = work.path().join("img.tar");
    make_tar(tree.path(), &tar, false);
    zerovm_run()
        .arg("--image")
        .arg(format!("{}::/opt/app", tar.display()))
        .arg(guest("fsutil"))
        .args(["cat", "/opt/app/etc/greeting", "cat", "/opt/app/shared.txt"])
        .run()
        .assert_code(0)
        .assert_stdout("hi from the image\none");
}

#[test]
fn later_images_stack_over_earlier_ones() {
    let lower = image_tree("lower");
    fs::write(lower.path().join("only-lower.txt"), "L").unwrap();
    let upper = tempfile::tempdir().unwrap();
    fs::write(upper.path().join("shared.txt"), "upper").unwrap();
    fs::write(upper.path().join("only-upper.txt"), "U").unwrap();
    let work = tempfile::tempdir().unwrap();
    let (lower_tar, upper_tar) = (work.path().join("l.tar"), work.path().join("u.tar"));
    make_tar(lower.path(), &lower_tar, false);
    make_tar(upper.path(), &upper_tar, true);
    zerovm_run()
        .arg("--image")
        .arg(&lower_tar)
        .arg("--image")
        .arg(&upper_tar)
        .arg(guest("fsutil"))
        .args([
            "cat",
            "/shared.txt",
            "cat",
            "/only-lower.txt",
            "cat",
            "/only-upper.txt",
        ])
        .args(["cat", "/sub/inner.txt"])
        .run()
        .assert_code(0)
        .assert_stdout("upperLUinner");
}

// ---------------------------------------------------------------------------
// Command-line and input errors.
// ---------------------------------------------------------------------------

#[test]
fn usage_errors_exit_2() {
    let run = zerovm().run();
    run.assert_code(2);
    let run = zerovm_run().run();
    run.assert_code(2);
    let run = zerovm_run()
        .arg("--no-such-option")
        .arg(guest("exit_code"))
        .run();
    run.assert_code(2);
}

#[test]
fn missing_program_is_bad_input() {
    let work = tempfile::tempdir().unwrap();
    let missing = work.path().join("missing.wasm");
    let line = zerovm_run()
        .arg(&missing)
        .run()
        .assert_zerovm_error(120, &[]);
    assert!(line.contains("missing.wasm"), "{line}");
}

#[test]
fn non_webassembly_is_bad_input() {
    let work = tempfile::tempdir().unwrap();
    let text = work.path().join("text.wasm");
    fs::write(&text, "this is not a module\n").unwrap();
    zerovm_run().arg(&text).run().assert_zerovm_error(120, &[]);
    let bad_wat = work.path().join("bad.wat");
    fs::write(&bad_wat, "(module (func $f (i32.add)))\n").unwrap();
    zerovm_run()
        .arg(&bad_wat)
        .run()
        .assert_zerovm_error(120, &[]);
}

#[test]
fn bad_option_values_are_bad_input() {
    let program = guest("exit_code");
    for (flag, value) in [
        ("--memory", "lots"),
        ("--memory", "8G"),
        ("--timeout", "forever"),
        ("--env", "NO_EQUALS_SIGN"),
    ] {
        zerovm_run()
            .args([flag, value])
            .arg(&program)
            .arg("0")
            .run()
            .assert_zerovm_error(120, &[flag]);
    }
}

#[test]
fn bad_mounts_are_bad_input() {
    let work = tempfile::tempdir().unwrap();
    let junk = work.path().join("junk.tar");
    fs::write(&junk, vec![0x5a_u8; 2000]).unwrap();
    let missing = work.path().join("none");
    let program = guest("exit_code");
    for (flag, value) in [
        ("--image", junk.display().to_string()),
        ("--image", missing.display().to_string()),
        ("--dir", missing.display().to_string()),
        ("--dir-ro", format!("{}::/x", missing.display())),
    ] {
        zerovm_run()
            .args([flag, value.as_str()])
            .arg(&program)
            .arg("0")
            .run()
            .assert_zerovm_error(120, &[]);
    }
}

// ---------------------------------------------------------------------------
// Escapes from mounts.
// ---------------------------------------------------------------------------

#[test]
fn host_symlinks_cannot_leave_a_dir_mount() {
    // <tmp>/secret.txt sits beside the mounted <tmp>/mount, which holds a
    // relative and an absolute symlink to it.
    let outer = tempfile::tempdir().unwrap();
    let secret = outer.path().join("secret.txt");
    fs::write(&secret, "host secret").unwrap();
    let mount = outer.path().join("mount");
    fs::create_dir(&mount).unwrap();
    std::os::unix::fs::symlink("../secret.txt", mount.join("rel")).unwrap();
    std::os::unix::fs::symlink(&secret, mount.join("abs")).unwrap();
    std::os::unix::fs::symlink("..", mount.join("up")).unwrap();
    let mapping = format!("{}::/data", mount.display());

    for path in [
        "/data/rel",
        "/data/abs",
        "/data/up/secret.txt",
        "/data/../secret.txt",
    ] {
        let run = zerovm_run()
            .args(["--dir", &mapping])
            .arg(guest("fsutil"))
            .args(["cat", path])
            .run();
        run.assert_code(1).assert_stdout("");
        assert!(
            run.stderr.starts_with(&format!("fsutil: cat {path}: ")),
            "{}",
            run.describe()
        );
        // Symlinks resolve in the guest's namespace: a write may land in
        // the in-memory root (`..` of /data is /), never on the host.
        let run = zerovm_run()
            .args(["--dir", &mapping])
            .arg(guest("fsutil"))
            .args(["write", path, "overwritten"])
            .run();
        assert!(run.code() <= 1, "{}", run.describe());
    }
    assert_eq!(fs::read_to_string(&secret).unwrap(), "host secret");
    assert_eq!(fs::read_dir(outer.path()).unwrap().count(), 2);
}

#[test]
fn image_symlinks_resolve_inside_the_sandbox() {
    let host_file = std::path::Path::new("/etc/os-release");
    assert!(host_file.exists(), "the test needs a host file to aim at");
    let tree = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(host_file, tree.path().join("abs")).unwrap();
    std::os::unix::fs::symlink("../../../../etc/os-release", tree.path().join("rel")).unwrap();
    let work = tempfile::tempdir().unwrap();
    let tar = work.path().join("links.tar");
    make_tar(tree.path(), &tar, false);

    for link in ["/abs", "/rel"] {
        let run = zerovm_run()
            .arg("--image")
            .arg(&tar)
            .arg(guest("fsutil"))
            .args(["stat", link, "cat", link])
            .run();
        run.assert_code(1).assert_stdout(&format!(
            "{link} l {}\n",
            fs::read_link(tree.path().join(&link[1..]))
                .unwrap()
                .as_os_str()
                .len()
        ));
        assert!(
            run.stderr.starts_with(&format!("fsutil: cat {link}: ")),
            "{}",
            run.describe()
        );
    }
}
