//! End-to-end tests of channels, manifests and reports: the real `zerovm`
//! binary runs `tests/guests/chanio.c` (a WASI guest that performs the
//! channel operations its arguments name and prints one line per
//! operation) and `tests/guests/zvm_copy.c` (a freestanding guest that
//! uses only the `zerovm` import module), on host files in a fresh
//! temporary directory per test.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use common::{guest, make_tar, zerovm, zerovm_run, Finished};
use md5::Digest as _;
use serde_json::Value;

/// A temporary directory with `in.txt` (16 bytes) and `out.txt` ("old").
fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("in.txt"), "0123456789abcdef").unwrap();
    fs::write(dir.path().join("out.txt"), "old").unwrap();
    dir
}

/// `HOST::ALIAS[:MODE]` for `--channel`.
fn channel(host: &Path, alias_mode: &str) -> String {
    format!("{}::{alias_mode}", host.display())
}

/// The JSON report at `path`.
fn report_at(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("no report: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad report JSON: {e}\n{text}"))
}

/// One channel's counters from a report, as (reads, read bytes, writes,
/// written bytes).
fn counters(report: &Value, alias: &str) -> (u64, u64, u64, u64) {
    let ch = report["accounting"]["channels"]
        .as_array()
        .expect("channels array")
        .iter()
        .find(|c| c["alias"] == alias)
        .unwrap_or_else(|| panic!("no channel {alias} in {report:#}"));
    let n = |k: &str| ch[k].as_u64().unwrap();
    (n("reads"), n("read_bytes"), n("writes"), n("write_bytes"))
}

/// The report's `outputs.committed` or `outputs.discarded`.
fn outputs(report: &Value, which: &str) -> Vec<String> {
    report["outputs"][which]
        .as_array()
        .unwrap_or_else(|| panic!("no outputs.{which} in {report:#}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// Temporary output files left in `dir` (`.NAME.zerovm-XXXXXX`).
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n.contains(".zerovm-"))
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {} failed", path.display());
}

fn show(path: &Path) -> String {
    path.display().to_string()
}

// ---------------------------------------------------------------------------
// Host file modes, FIFOs and /dev/null.
// ---------------------------------------------------------------------------

#[test]
fn ro_channel_reads_the_file_sequentially() {
    let dir = workdir();
    let run = zerovm_run()
        .arg("--channel")
        .arg(channel(&dir.path().join("in.txt"), "/dev/input"))
        .arg(guest("chanio"))
        .args([
            "read:/dev/input:5",
            "pread:/dev/input:0:4",
            "write:/dev/input:x",
        ])
        .run();
    run.assert_code(0).assert_stdout(
        "read /dev/input 5,5,5,1,0 \"0123456789abcdef\"\n\
         pread /dev/input 0 ESPIPE\n\
         write /dev/input EBADF\n",
    );
    assert_eq!(
        fs::read(dir.path().join("in.txt")).unwrap(),
        b"0123456789abcdef"
    );
}

#[test]
fn random_read_channel_reads_at_offsets() {
    let dir = workdir();
    let run = zerovm_run()
        .arg("--channel")
        .arg(channel(
            &dir.path().join("in.txt"),
            "/dev/input:random-read",
        ))
        .arg(guest("chanio"))
        .args([
            "pread:/dev/input:10:3",
            "pread:/dev/input:14:10",
            "pread:/dev/input:99:4",
            "read:/dev/input:16",
        ])
        .run();
    run.assert_code(0).assert_stdout(
        "pread /dev/input 10 \"abc\"\n\
         pread /dev/input 14 \"ef\"\n\
         pread /dev/input 99 \"\"\n\
         read /dev/input 16,0 \"0123456789abcdef\"\n",
    );
}

#[test]
fn wo_channel_replaces_the_file_on_success() {
    let dir = workdir();
    let out = dir.path().join("out.txt");
    let report = dir.path().join("report.json");
    let run = zerovm_run()
        .arg("--channel")
        .arg(channel(&out, "/dev/output:wo"))
        .arg("--report")
        .arg(&report)
        .arg(guest("chanio"))
        .args([
            "write:/dev/output:new",
            "write:/dev/output:er",
            "read:/dev/output:4",
        ])
        .run();
    run.assert_code(0)
        .assert_stdout("write /dev/output 3\nwrite /dev/output 2\nread /dev/output EBADF \"\"\n");
    assert_eq!(fs::read_to_string(&out).unwrap(), "newer");
    assert!(leftovers(dir.path()).is_empty());
    let report = report_at(&report);
    assert_eq!(outputs(&report, "committed"), [show(&out)]);
    assert!(outputs(&report, "discarded").is_empty());
    // A file that did not exist is created.
    let fresh = dir.path().join("fresh.txt");
    zerovm_run()
        .arg("--channel")
        .arg(channel(&fresh, "/dev/output:wo"))
        .arg(guest("chanio"))
        .arg("write:/dev/output:hi")
        .run()
        .assert_code(0);
    assert_eq!(fs::read_to_string(&fresh).unwrap(), "hi");
}

#[test]
fn append_channel_writes_after_the_existing_bytes() {
    let dir = workdir();
    let log = dir.path().join("log.txt");
    fs::write(&log, "one\n").unwrap();
    let run = zerovm_run()
        .arg("--channel")
        .arg(channel(&log, "/dev/log:append"))
        .arg(guest("chanio"))
        .args(["write:/dev/log:two", "pwrite:/dev/log:0:X"])
        .run();
    // An append channel is sequential: no writes at an offset.
    run.assert_code(0)
        .assert_stdout("write /dev/log 3\npwrite /dev/log ESPIPE\n");
    assert_eq!(fs::read_to_string(&log).unwrap(), "one\ntwo");
}

#[test]
fn rw_channel_reads_and_writes_at_offsets() {
    let dir = workdir();
    let data = dir.path().join("data.bin");
    fs::write(&data, "abcdefgh").unwrap();
    let run = zerovm_run()
        .arg("--channel")
        .arg(channel(&data, "/dev/data:rw"))
        .arg(guest("chanio"))
        .args([
            "pwrite:/dev/data:2:XY",
            "pwrite:/dev/data:8:++",
            "pread:/dev/data:0:64",
        ])
        .run();
    run.assert_code(0).assert_stdout(
        "pwrite /dev/data 2\npwrite /dev/data 2\npread /dev/data 0 \"abXYefgh++\"\n",
    );
    assert_eq!(fs::read_to_string(&data).unwrap(), "abXYefgh++");
}

#[test]
fn fifo_channels_stream_both_ways() {
    let dir = workdir();
    let fifo_in = dir.path().join("in.fifo");
    let fifo_out = dir.path().join("out.fifo");
    mkfifo(&fifo_in);
    mkfifo(&fifo_out);
    let writer = {
        let path = fifo_in.clone();
        thread::spawn(move || {
            let mut f = fs::OpenOptions::new().write(true).open(path).unwrap();
            f.write_all(b"through a fifo\n").unwrap();
        })
    };
    let reader = {
        let path = fifo_out.clone();
        thread::spawn(move || {
            let mut bytes = Vec::new();
            fs::File::open(path)
                .unwrap()
                .read_to_end(&mut bytes)
                .unwrap();
            bytes
        })
    };
    let run = zerovm_run()
        .arg("--channel")
        .arg(channel(&fifo_in, "/dev/input"))
        .arg("--channel")
        .arg(channel(&fifo_out, "/dev/output:wo"))
        .arg(guest("chanio"))
        .args(["read:/dev/input:64", "write:/dev/output:out-of-the-box"])
        .run();
    writer.join().unwrap();
    run.assert_code(0)
        .assert_stdout("read /dev/input 15,0 \"through a fifo\n\"\nwrite /dev/output 14\n");
    assert_eq!(reader.join().unwrap(), b"out-of-the-box");
    // A FIFO cannot be read at offsets.
    zerovm_run()
        .arg("--channel")
        .arg(channel(&fifo_in, "/dev/input:random-read"))
        .arg(guest("chanio"))
        .run()
        .assert_zerovm_error(120, &["/dev/input", "FIFO"]);
}

#[test]
fn dev_null_channels_read_nothing_and_swallow_writes() {
    let run = zerovm_run()
        .args(["--channel", "/dev/null::/dev/sink:wo"])
        .args(["--channel", "/dev/null::/dev/empty"])
        .arg(guest("chanio"))
        .args(["write:/dev/sink:gone", "read:/dev/empty:8"])
        .run();
    run.assert_code(0)
        .assert_stdout("write /dev/sink 4\nread /dev/empty 0 \"\"\n");
}

// ---------------------------------------------------------------------------
// Quotas, set in a TOML manifest (the --channel flag has none).
// ---------------------------------------------------------------------------

/// Runs chanio with `in.txt` as `/dev/input` and `out.txt` as
/// `/dev/output` under the given TOML `limits` tables; returns the run and
/// its report.
fn run_with_limits(
    dir: &Path,
    input_limits: &str,
    output_limits: &str,
    ops: &[&str],
) -> (Finished, Value) {
    let manifest = dir.join("quota.toml");
    let args: Vec<String> = ops.iter().map(|o| format!("{o:?}")).collect();
    fs::write(
        &manifest,
        format!(
            "program = {:?}\nargv0 = \"chanio\"\nargs = [{}]\n\n\
             [[channel]]\nalias = \"/dev/input\"\npath = \"in.txt\"\nlimits = {{ {input_limits} }}\n\n\
             [[channel]]\nalias = \"/dev/output\"\npath = \"out.txt\"\nmode = \"write\"\n\
             limits = {{ {output_limits} }}\n",
            show(&guest("chanio")),
            args.join(", ")
        ),
    )
    .unwrap();
    let report = dir.join("quota.json");
    let run = zerovm_run()
        .arg("--manifest")
        .arg(&manifest)
        .arg("--report")
        .arg(&report)
        .run();
    let report = report_at(&report);
    (run, report)
}

#[test]
fn read_operation_quota_gives_edquot() {
    let dir = workdir();
    let (run, report) = run_with_limits(dir.path(), "reads = 2", "", &["read:/dev/input:4"]);
    run.assert_code(0)
        .assert_stdout("read /dev/input 4,4,EDQUOT \"01234567\"\n");
    assert_eq!(counters(&report, "/dev/input"), (2, 8, 0, 0));
}

#[test]
fn read_byte_quota_shortens_then_gives_edquot() {
    let dir = workdir();
    let (run, report) = run_with_limits(dir.path(), "read_bytes = 10", "", &["read:/dev/input:4"]);
    run.assert_code(0)
        .assert_stdout("read /dev/input 4,4,2,EDQUOT \"0123456789\"\n");
    assert_eq!(counters(&report, "/dev/input"), (3, 10, 0, 0));

    // As in ZeroVM, a quota exactly the file's size never shows the end.
    let (run, _) = run_with_limits(dir.path(), "read_bytes = 16", "", &["read:/dev/input:8"]);
    run.assert_code(0)
        .assert_stdout("read /dev/input 8,8,EDQUOT \"0123456789abcdef\"\n");
}

#[test]
fn write_operation_quota_gives_edquot() {
    let dir = workdir();
    let (run, report) = run_with_limits(dir.path(), "", "writes = 2", &["writes:/dev/output:3:4"]);
    run.assert_code(0)
        .assert_stdout("writes /dev/output 3,3,EDQUOT\n");
    assert_eq!(counters(&report, "/dev/output"), (0, 0, 2, 6));
    assert_eq!(
        fs::read_to_string(dir.path().join("out.txt")).unwrap(),
        "xxxxxx"
    );
}

#[test]
fn write_byte_quota_shortens_then_gives_edquot() {
    let dir = workdir();
    let (run, report) = run_with_limits(
        dir.path(),
        "",
        "write_bytes = \"5 B\"",
        &["writes:/dev/output:4:3"],
    );
    run.assert_code(0)
        .assert_stdout("writes /dev/output 4,1,EDQUOT\n");
    assert_eq!(counters(&report, "/dev/output"), (0, 0, 2, 5));
    // The session ended well: what was written is committed.
    assert_eq!(
        fs::read_to_string(dir.path().join("out.txt")).unwrap(),
        "xxxxx"
    );
}

// ---------------------------------------------------------------------------
// Etags and reports.
// ---------------------------------------------------------------------------

fn digest(algo: &str, data: &[u8]) -> String {
    match algo {
        "md5" => hex(&md5::Md5::digest(data)),
        "sha256" => hex(&sha2::Sha256::digest(data)),
        "blake3" => blake3::hash(data).to_hex().to_string(),
        other => panic!("no algorithm {other}"),
    }
}

#[test]
fn etags_hash_every_byte_with_the_chosen_algorithm() {
    for (flag, algo) in [
        (None, "md5"),
        (Some("sha256"), "sha256"),
        (Some("blake3"), "blake3"),
    ] {
        let dir = workdir();
        let report = dir.path().join("report.json");
        let mut cmd = zerovm_run()
            .arg("--channel")
            .arg(channel(&dir.path().join("in.txt"), "/dev/input"))
            .arg("--channel")
            .arg(channel(&dir.path().join("out.txt"), "/dev/output:wo"))
            .arg("--report")
            .arg(&report);
        cmd = match flag {
            // A bare --etag means md5.
            None => cmd.arg("--etag"),
            Some(a) => cmd.arg(format!("--etag={a}")),
        };
        let run = cmd
            .arg(guest("chanio"))
            .args(["read:/dev/input:7", "write:/dev/output:etagged"])
            .stdin("unread")
            .run();
        run.assert_code(0);
        let report = report_at(&report);
        let etags = &report["etags"];
        assert_eq!(
            etags["/dev/input"],
            digest(algo, b"0123456789abcdef"),
            "{algo}"
        );
        assert_eq!(etags["/dev/output"], digest(algo, b"etagged"), "{algo}");
        assert_eq!(etags["/dev/stdout"], digest(algo, &run.stdout), "{algo}");
        assert_eq!(
            etags["/dev/stdin"],
            digest(algo, b""),
            "{algo}: nothing read"
        );
        assert_eq!(etags["/dev/stderr"], digest(algo, b""), "{algo}");
    }
}

#[test]
fn without_etag_the_report_has_none() {
    let dir = workdir();
    let report = dir.path().join("report.json");
    zerovm_run()
        .arg("--report")
        .arg(&report)
        .arg(guest("chanio"))
        .run()
        .assert_code(0);
    let report = report_at(&report);
    assert_eq!(report["etags"], serde_json::json!({}));
    assert_eq!(report["memory_etag"], Value::Null);
}

#[test]
fn memory_etag_is_reported_and_repeatable() {
    let dir = workdir();
    let manifest = dir.path().join("m.toml");
    let etag_of = |seed: u64| {
        fs::write(
            &manifest,
            format!(
                "program = {:?}\nargs = [\"time\"]\nmemory_etag = true\nseed = {seed}\n",
                show(&guest("chanio"))
            ),
        )
        .unwrap();
        let report = dir.path().join("m.json");
        zerovm_run()
            .arg("--manifest")
            .arg(&manifest)
            .arg("--report")
            .arg(&report)
            .run()
            .assert_code(0);
        report_at(&report)["memory_etag"]
            .as_str()
            .expect("memory_etag")
            .to_owned()
    };
    let first = etag_of(1);
    assert_eq!(first.len(), 32, "md5 hex: {first}");
    assert_eq!(first, etag_of(1));
}

#[test]
fn report_json_lists_state_counters_and_outputs() {
    let dir = workdir();
    let report = dir.path().join("report.json");
    let out = dir.path().join("out.txt");
    let run = zerovm_run()
        .arg("--channel")
        .arg(channel(&dir.path().join("in.txt"), "/dev/input"))
        .arg("--channel")
        .arg(channel(&out, "/dev/output:wo"))
        .arg("--report")
        .arg(&report)
        .arg(guest("chanio"))
        .args(["read:/dev/input:6", "writes:/dev/output:5:3", "exit:9"])
        .run();
    run.assert_code(9);
    let r = report_at(&report);
    assert_eq!(r["validation"], "passed");
    assert_eq!(r["exit_state"], "ok");
    assert_eq!(r["exit_code"], 9);
    assert_eq!(r["deterministic"], true);
    assert_eq!(counters(&r, "/dev/input"), (4, 16, 0, 0));
    assert_eq!(counters(&r, "/dev/output"), (0, 0, 3, 15));
    let (_, _, writes, bytes) = counters(&r, "/dev/stdout");
    assert!(writes >= 1, "{r:#}");
    assert_eq!(bytes, run.stdout.len() as u64);
    let local = &r["accounting"]["local"];
    assert_eq!(local["read_bytes"], 16);
    assert_eq!(local["write_bytes"], 15 + run.stdout.len() as u64);
    assert_eq!(r["accounting"]["network"]["write_bytes"], 0);
    assert_eq!(outputs(&r, "committed"), [show(&out)]);
    assert_eq!(fs::read_to_string(&out).unwrap(), "x".repeat(15));
}

#[test]
fn report_dash_goes_to_stderr() {
    let run = zerovm_run()
        .args(["--report", "-"])
        .arg(guest("chanio"))
        .arg("exit:3")
        .run();
    run.assert_code(3).assert_stdout("");
    let report: Value = serde_json::from_str(&run.stderr)
        .unwrap_or_else(|e| panic!("stderr is not one JSON report: {e}\n{}", run.describe()));
    assert_eq!(report["exit_code"], 3);
    assert_eq!(report["exit_state"], "ok");
}

// ---------------------------------------------------------------------------
// --verify.
// ---------------------------------------------------------------------------

#[test]
fn verify_passes_for_a_deterministic_guest_and_commits() {
    let dir = workdir();
    let out = dir.path().join("out.txt");
    let report = dir.path().join("report.json");
    let run = zerovm_run()
        .arg("--verify")
        .arg("--channel")
        .arg(channel(&dir.path().join("in.txt"), "/dev/input"))
        .arg("--channel")
        .arg(channel(&out, "/dev/output:wo"))
        .arg("--report")
        .arg(&report)
        .arg(guest("chanio"))
        .args(["read:/dev/input:16", "write:/dev/output:verified", "time"])
        .stdin("read twice, seen the same")
        .run();
    run.assert_code(0)
        .assert_stdout("read /dev/input 16,0 \"0123456789abcdef\"\nwrite /dev/output 8\ntime 0\n");
    assert_eq!(fs::read_to_string(&out).unwrap(), "verified");
    let r = report_at(&report);
    assert_eq!(r["etags"]["/dev/output"], digest("md5", b"verified"));
    assert!(r["memory_etag"].is_string(), "{r:#}");
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn verify_fails_with_119_when_an_input_changes_between_runs() {
    // A FIFO is the one input that can differ between the two runs. The
    // writer sends "first" once, then "other" for as long as the test
    // lasts; a read quota of one operation makes each run read exactly one
    // line and stop, so the first run sees "first" and the second "other"
    // (whatever the first left in the pipe is "other" too).
    let dir = workdir();
    let fifo = dir.path().join("in.fifo");
    mkfifo(&fifo);
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let path = fifo.clone();
        let stop = Arc::clone(&stop);
        thread::spawn(move || {
            for text in std::iter::once("first\n").chain(std::iter::repeat("other\n")) {
                // Each open waits for a reader; the reader may go away
                // before the write, which then fails: no matter.
                if let Ok(mut f) = fs::OpenOptions::new().write(true).open(&path) {
                    let _ = f.write_all(text.as_bytes());
                }
                if stop.load(Ordering::SeqCst) {
                    break;
                }
            }
        })
    };
    let manifest = dir.path().join("verify.toml");
    fs::write(
        &manifest,
        format!(
            "program = {:?}
args = [\"read:/dev/input:6\", \"write:/dev/output:unverified\"]\n\n\
             [[channel]]\nalias = \"/dev/input\"\npath = \"in.fifo\"\nlimits = {{ reads = 1 }}\n\n\
             [[channel]]\nalias = \"/dev/output\"\npath = \"out.txt\"\nmode = \"write\"\n",
            show(&guest("chanio"))
        ),
    )
    .unwrap();
    let out = dir.path().join("out.txt");
    let report = dir.path().join("report.json");
    let run = zerovm_run()
        .arg("--verify")
        .arg("--manifest")
        .arg(&manifest)
        .arg("--report")
        .arg(&report)
        .run();

    // Let the writer go: take the line it is waiting to write.
    stop.store(true, Ordering::SeqCst);
    let mut rest = Vec::new();
    let _ = fs::File::open(&fifo).and_then(|mut f| f.read_to_end(&mut rest));
    writer.join().unwrap();

    assert_eq!(run.code(), 119, "{}", run.describe());
    assert!(
        run.stderr.contains("verification failed") && run.stderr.contains("/dev/input"),
        "{}",
        run.describe()
    );
    // The second run's own output went out; its file output did not.
    assert_eq!(
        run.stdout_str(),
        "read /dev/input 6,EDQUOT \"other\n\"\nwrite /dev/output 10\n"
    );
    assert_eq!(fs::read_to_string(&out).unwrap(), "old");
    assert!(leftovers(dir.path()).is_empty());
    let r = report_at(&report);
    assert_eq!(outputs(&r, "discarded"), [show(&out)]);
    assert_eq!(r["etags"]["/dev/input"], digest("md5", b"other\n"));
}

#[test]
fn outputs_are_kept_only_when_the_expected_etags_match() {
    // The commit rule --verify relies on, through the library: a second
    // run whose etags differ from the first's discards its outputs.
    use zerovm_manifest::{ChannelLimits, ChannelSource, ChannelSpec, FileMode, Session};
    use zerovm_runtime::channels::NullChannel;
    use zerovm_runtime::{CommitPolicy, EngineOptions, Runtime, Stdio};

    let dir = workdir();
    let out = dir.path().join("out.txt");
    let mut session = Session::new(guest("chanio"));
    session.args.push("write:/dev/output:new".into());
    session.channels.push(ChannelSpec {
        alias: "/dev/output".into(),
        source: ChannelSource::File(out.clone()),
        mode: FileMode::Write,
        limits: ChannelLimits::UNLIMITED,
        etag: true,
    });
    let rt = Runtime::new(EngineOptions::default()).unwrap();
    let quiet = || Stdio {
        stdin: Box::new(NullChannel),
        stdout: Box::new(NullChannel),
        stderr: Box::new(NullChannel),
    };
    let right = digest("md5", b"new");
    let policy = |etag: &str| {
        CommitPolicy::IfEtagsMatch(vec![
            ("/dev/output".into(), Some(etag.to_owned())),
            ("/dev/stdin".into(), None),
            ("/dev/stdout".into(), None),
            ("/dev/stderr".into(), None),
        ])
    };

    let wrong = rt
        .run_with(&session, quiet(), policy(&digest("md5", b"nope")))
        .unwrap();
    assert!(wrong.exit.is_ok());
    assert_eq!(wrong.discarded, std::slice::from_ref(&out));
    assert_eq!(fs::read_to_string(&out).unwrap(), "old");

    let matching = rt.run_with(&session, quiet(), policy(&right)).unwrap();
    assert_eq!(matching.committed, std::slice::from_ref(&out));
    assert_eq!(fs::read_to_string(&out).unwrap(), "new");
}

// ---------------------------------------------------------------------------
// @FILE arguments and manifests.
// ---------------------------------------------------------------------------

#[test]
fn at_file_arguments_become_read_only_channels() {
    let dir = workdir();
    let data = dir.path().join("data.txt");
    fs::write(&data, "at-file").unwrap();
    let run = zerovm_run()
        .arg(guest("chanio"))
        .arg("args")
        .arg(format!("@{}", data.display()))
        .arg("write:/dev/2.data.txt:x")
        .run();
    let program = show(&guest("chanio"));
    run.assert_code(0).assert_stdout(&format!(
        "args {program} args /dev/2.data.txt write:/dev/2.data.txt:x\n\
         file /dev/2.data.txt 7,0 \"at-file\"\n\
         write /dev/2.data.txt EBADF\n"
    ));
    assert_eq!(fs::read_to_string(&data).unwrap(), "at-file");
}

#[test]
fn toml_manifest_runs_by_itself_and_with_run_manifest() {
    let dir = workdir();
    let manifest = dir.path().join("job.toml");
    fs::write(
        &manifest,
        format!(
            r#"program = {:?}
argv0 = "chanio"
args = ["args", "env", "time", "read:/dev/input:64", "write:/dev/output:from toml"]
env = {{ ZV_MODE = "toml" }}
time = 1767225600

[[channel]]
alias = "/dev/input"
path = "in.txt"

[[channel]]
alias = "/dev/output"
path = "out.txt"
mode = "write"
"#,
            show(&guest("chanio"))
        ),
    )
    .unwrap();
    let expected = "args chanio args env time read:/dev/input:64 write:/dev/output:from toml\n\
                    env ZV_MODE=toml\n\
                    time 1767225600\n\
                    read /dev/input 16,0 \"0123456789abcdef\"\n\
                    write /dev/output 9\n";
    zerovm()
        .arg(&manifest)
        .run()
        .assert_code(0)
        .assert_stdout(expected);
    assert_eq!(
        fs::read_to_string(dir.path().join("out.txt")).unwrap(),
        "from toml"
    );
    fs::write(dir.path().join("out.txt"), "old").unwrap();
    zerovm_run()
        .arg("--manifest")
        .arg(&manifest)
        .run()
        .assert_code(0)
        .assert_stdout(expected);
    assert_eq!(
        fs::read_to_string(dir.path().join("out.txt")).unwrap(),
        "from toml"
    );
}

#[test]
fn toml_manifest_errors_name_file_and_line() {
    let dir = workdir();
    let manifest = dir.path().join("bad.toml");
    fs::write(
        &manifest,
        "program = \"chanio.wasm\"\n# a comment\nmemory = \"12 parsecs\"\n",
    )
    .unwrap();
    let line = format!("{}:3:", manifest.display());
    zerovm()
        .arg(&manifest)
        .run()
        .assert_zerovm_error(120, &[&line, "memory"]);

    fs::write(
        &manifest,
        "program = \"chanio.wasm\"\n\n[[channel]]\nalias = \"/dev/input\"\npath = \"in.txt\"\nlimits = { reeds = 5 }\n",
    )
    .unwrap();
    zerovm_run()
        .arg("--manifest")
        .arg(&manifest)
        .run()
        .assert_zerovm_error(120, &[&show(&manifest), "reeds"]);
}

/// Writes an original ZeroVM manifest into `dir` for `program`, with
/// stdout into `stdout.txt` and `extra` channel lines.
fn legacy_manifest(dir: &Path, program: &Path, extra: &[String]) -> PathBuf {
    let d = dir.display();
    let mut text = format!(
        "Version = 20130611\n\
         Program = {}\n\
         Memory = 67108864, 0\n\
         Timeout = 10\n\
         Channel = /dev/stdin, /dev/stdin, 0, 0, 100, 100000, 0, 0\n\
         Channel = {d}/stdout.txt, /dev/stdout, 0, 0, 0, 0, 1000, 1000000\n\
         Channel = /dev/stderr, /dev/stderr, 0, 0, 0, 0, 1000, 1000000\n",
        program.display()
    );
    for line in extra {
        text.push_str(line);
        text.push('\n');
    }
    let path = dir.join("job.manifest");
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn legacy_manifest_with_nvram_prints_the_six_line_report() {
    let dir = workdir();
    let d = dir.path();

    // The image mounted read-only at /data.
    let tree = d.join("tree");
    fs::create_dir(&tree).unwrap();
    fs::write(tree.join("hello.txt"), "from the image").unwrap();
    make_tar(&tree, &d.join("image.tar"), false);

    fs::write(
        d.join("nvram"),
        "[args]\n\
         args = chanio args env time read:/data/hello.txt:64 mkdir:/out put:/out/result.txt:done exit:7\n\
         [env]\n\
         name=ZV_FROM, value=nvram\n\
         [time]\n\
         seconds=1000\n\
         [fstab]\n\
         channel=/dev/image.tar, mountpoint=/data, access=ro\n\
         channel=/dev/out.tar, mountpoint=/out, access=wo\n",
    )
    .unwrap();
    let dd = d.display();
    let manifest = legacy_manifest(
        d,
        &guest("chanio"),
        &[
            format!("Channel = {dd}/nvram, /dev/nvram, 0, 0, 100, 100000, 0, 0"),
            format!("Channel = {dd}/image.tar, /dev/image.tar, 0, 0, 100, 10000000, 0, 0"),
            format!("Channel = {dd}/out.tar, /dev/out.tar, 0, 0, 0, 0, 1000, 10000000"),
        ],
    );
    let run = zerovm().arg(&manifest).run();
    run.assert_code(0);
    let report = run.stdout_str();
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), 6, "{}", run.describe());
    assert_eq!(lines[0], "0", "validator state");
    assert_eq!(lines[1], "0", "daemon state");
    assert_eq!(lines[2], "7", "the guest's exit code");
    assert_eq!(lines[3], "disabled", "no etags asked for");
    assert_eq!(lines[4].split(' ').count(), 10, "accounting: {}", lines[4]);
    assert_eq!(lines[5], "ok");

    assert_eq!(
        fs::read_to_string(d.join("stdout.txt")).unwrap(),
        "args chanio args env time read:/data/hello.txt:64 mkdir:/out put:/out/result.txt:done exit:7\n\
         env ZV_FROM=nvram\n\
         time 1000\n\
         read /data/hello.txt 14,0 \"from the image\"\n\
         mkdir /out ok\n\
         put /out/result.txt ok\n"
    );

    // The wo mount was exported as a tar of the directory's contents.
    let listing = Command::new("tar")
        .arg("-tf")
        .arg(d.join("out.tar"))
        .output()
        .unwrap();
    assert!(listing.status.success());
    assert_eq!(String::from_utf8_lossy(&listing.stdout), "result.txt\n");
    let content = Command::new("tar")
        .arg("-xOf")
        .arg(d.join("out.tar"))
        .arg("result.txt")
        .output()
        .unwrap();
    assert_eq!(content.stdout, b"done");
}

#[test]
fn legacy_manifest_with_etags_reports_them_on_line_four() {
    let dir = workdir();
    let d = dir.path();
    let manifest = legacy_manifest(
        d,
        &guest("chanio"),
        &[format!(
            "Channel = {}/in.txt, /dev/input, 0, 1, 100, 100000, 0, 0",
            d.display()
        )],
    );
    let run = zerovm().arg(&manifest).run();
    run.assert_code(0);
    let out = run.stdout_str();
    let lines: Vec<&str> = out.lines().collect();
    // Without nvram the guest has no arguments: it reads nothing.
    assert_eq!(lines[3], format!("/dev/input {}", digest("md5", b"")));
}

#[test]
fn legacy_manifest_failures_exit_with_zerovm_errno() {
    let dir = workdir();
    let d = dir.path();

    // A program that is not WebAssembly: ENOEXEC.
    let not_wasm = d.join("prog.nexe");
    fs::write(&not_wasm, "\x7fELF but not really").unwrap();
    let run = zerovm().arg(legacy_manifest(d, &not_wasm, &[])).run();
    run.assert_code(8);
    let report = run.stdout_str();
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), 6, "{}", run.describe());
    assert_eq!(lines[0], "1", "validator state: failed");
    assert!(lines[5].contains("prog.nexe"), "{}", run.describe());

    // A malformed manifest: EFAULT, naming the line.
    let manifest = d.join("bad.manifest");
    fs::write(
        &manifest,
        format!(
            "Version = 20130611\nProgram = {}\nMemory = 33554432\nTimeout = 1\n",
            guest("chanio").display()
        ),
    )
    .unwrap();
    let run = zerovm().arg(&manifest).run();
    run.assert_code(14);
    let line = format!("{}:3:", manifest.display());
    assert!(run.stderr.contains(&line), "{}", run.describe());
    let report = run.stdout_str();
    assert_eq!(report.lines().count(), 6, "{}", run.describe());
    assert!(report.lines().nth(5).unwrap().contains("etag"), "{report}");
}

// ---------------------------------------------------------------------------
// Nothing half-written.
// ---------------------------------------------------------------------------

/// Runs chanio writing "new" to `out.txt` (which holds "old") and then
/// doing `then` under `flags`; checks the exit code and that the output
/// was thrown away without a trace. Returns the report.
fn failing_write(flags: &[&str], then: &str, code: i32, state: &str) -> Value {
    let dir = workdir();
    let out = dir.path().join("out.txt");
    let report = dir.path().join("report.json");
    let run = zerovm_run()
        .args(flags)
        .arg("--channel")
        .arg(channel(&out, "/dev/output:wo"))
        .arg("--report")
        .arg(&report)
        .arg(guest("chanio"))
        .args(["write:/dev/output:new", then])
        .run();
    assert_eq!(run.code(), code, "{}", run.describe());
    assert_eq!(
        run.stdout_str(),
        "write /dev/output 3\n",
        "{}",
        run.describe()
    );
    assert_eq!(fs::read_to_string(&out).unwrap(), "old", "{state}");
    assert!(leftovers(dir.path()).is_empty(), "{state}: temp file left");
    let r = report_at(&report);
    assert!(
        r["exit_state"].as_str().unwrap().starts_with(state),
        "{state}: {r:#}"
    );
    assert_eq!(r["exit_code"], Value::Null);
    assert_eq!(outputs(&r, "discarded"), [show(&out)]);
    assert!(outputs(&r, "committed").is_empty());
    r
}

#[test]
fn trap_discards_outputs() {
    failing_write(&[], "trap", 134, "trap");
}

#[test]
fn timeout_discards_outputs() {
    let r = failing_write(&["--timeout", "300ms"], "spin", 124, "session timeout");
    assert_eq!(r["deterministic"], false);
}

#[test]
fn fuel_exhaustion_discards_outputs() {
    failing_write(&["--fuel", "5000000"], "spin", 123, "fuel exhausted");
}

#[test]
fn memory_limit_discards_outputs() {
    failing_write(&["--memory", "4MiB"], "grow", 122, "memory limit");
}

// ---------------------------------------------------------------------------
// The `zerovm` import module.
// ---------------------------------------------------------------------------

#[test]
fn zvm_module_lists_the_channel_table_and_copies() {
    let dir = workdir();
    let out = dir.path().join("out.txt");
    let other = dir.path().join("other.txt");
    fs::write(&other, "").unwrap();
    let run = zerovm_run()
        // Declared out of order: handles after 2 follow the aliases' order.
        .arg("--channel")
        .arg(channel(&out, "/dev/output:wo"))
        .arg("--channel")
        .arg(channel(&dir.path().join("in.txt"), "/dev/input"))
        .arg("--channel")
        .arg(channel(&other, "/dev/aaa"))
        .arg(guest("zvm_copy"))
        .run();
    run.assert_code(0).assert_stdout(
        "0 sequential 0 -1 -1 -1 -1 /dev/stdin\n\
         1 sequential 0 -1 -1 -1 -1 /dev/stdout\n\
         2 sequential 0 -1 -1 -1 -1 /dev/stderr\n\
         3 sequential 0 -1 -1 -1 -1 /dev/aaa\n\
         4 sequential 0 -1 -1 -1 -1 /dev/input\n\
         5 sequential 0 -1 -1 -1 -1 /dev/output\n\
         errors -22 -14 -22 -22 0 0 11\n\
         copied 16 end\n",
    );
    assert_eq!(fs::read_to_string(&out).unwrap(), "0123456789abcdef");
}

#[test]
fn zvm_module_reads_random_channels_at_offsets_and_meets_quotas() {
    let dir = workdir();
    let manifest = dir.path().join("zvm.toml");
    fs::write(
        &manifest,
        format!(
            "program = {:?}\n\n\
             [[channel]]\nalias = \"/dev/input\"\npath = \"in.txt\"\nmode = \"random-read\"\n\
             limits = {{ reads = 10 }}\n\n\
             [[channel]]\nalias = \"/dev/output\"\npath = \"out.txt\"\nmode = \"write\"\n\
             limits = {{ write_bytes = 5 }}\n",
            show(&guest("zvm_copy"))
        ),
    )
    .unwrap();
    let run = zerovm().arg(&manifest).run();
    // zvm_exit(4): the output quota stopped the copy.
    run.assert_code(4).assert_stdout(
        "0 sequential 0 -1 -1 -1 -1 /dev/stdin\n\
         1 sequential 0 -1 -1 -1 -1 /dev/stdout\n\
         2 sequential 0 -1 -1 -1 -1 /dev/stderr\n\
         3 random 16 10 -1 -1 -1 /dev/input\n\
         4 sequential 0 -1 -1 -1 5 /dev/output\n\
         errors -22 -14 -22 -22 0 0 11\n\
         copied 5 output quota\n",
    );
    // The guest exited: its shortened output is committed.
    assert_eq!(
        fs::read_to_string(dir.path().join("out.txt")).unwrap(),
        "01234"
    );

    // Without /dev/output the guest exits 3 through zvm_exit.
    zerovm_run()
        .arg("--channel")
        .arg(channel(
            &dir.path().join("in.txt"),
            "/dev/input:random-read",
        ))
        .arg(guest("zvm_copy"))
        .run()
        .assert_code(3);
}

#[test]
fn zvm_module_read_quota_gives_edquot() {
    let dir = workdir();
    let manifest = dir.path().join("zvm.toml");
    fs::write(
        &manifest,
        format!(
            "program = {:?}\n\n\
             [[channel]]\nalias = \"/dev/input\"\npath = \"in.txt\"\n\
             limits = {{ read_bytes = 16 }}\n\n\
             [[channel]]\nalias = \"/dev/output\"\npath = \"out.txt\"\nmode = \"write\"\n",
            show(&guest("zvm_copy"))
        ),
    )
    .unwrap();
    let run = zerovm().arg(&manifest).run();
    run.assert_code(0);
    assert!(
        run.stdout_str().ends_with("copied 16 input quota\n"),
        "{}",
        run.describe()
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("out.txt")).unwrap(),
        "0123456789abcdef"
    );
}
