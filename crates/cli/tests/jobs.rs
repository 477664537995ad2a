//! End-to-end tests of `zerovm job`: the examples in examples/ (word
//! count, external sort, grep) checked against the same computation done
//! by plain host code on the same data, determinism across runs, a failed
//! node stopping the job, and bad jobs refused before anything runs.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{workspace_root, zerovm, Finished};

/// Builds the example programs once per test process.
fn examples_dir() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let bin = Path::new(env!("CARGO_BIN_EXE_zerovm"));
        let out = bin
            .parent()
            .and_then(Path::parent)
            .expect("the zerovm binary lies in <target>/<profile>/")
            .join("examples-wasm");
        let script = workspace_root().join("scripts/build-examples.sh");
        let result = Command::new("bash")
            .arg(&script)
            .arg(&out)
            .output()
            .expect("failed to run build-examples.sh");
        assert!(
            result.status.success(),
            "building the examples failed:\n{}{}",
            String::from_utf8_lossy(&result.stdout),
            String::from_utf8_lossy(&result.stderr)
        );
        out
    })
}

/// A store in a temporary directory, with the example programs in
/// `swift://me/bin/`.
struct Store {
    dir: tempfile::TempDir,
}

impl Store {
    fn new() -> Self {
        let store = Store {
            dir: tempfile::tempdir().unwrap(),
        };
        for (example, prog) in [
            ("wordcount", "map"),
            ("wordcount", "reduce"),
            ("wordcount", "collect"),
            ("sort", "sort"),
            ("sort", "merge"),
            ("grep", "grep"),
        ] {
            let wasm = examples_dir().join(example).join(format!("{prog}.wasm"));
            store.put(&format!("bin/{prog}.wasm"), &fs::read(wasm).unwrap());
        }
        store
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn put(&self, name: &str, bytes: &[u8]) {
        let path = self.root().join("me").join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    fn get(&self, name: &str) -> Vec<u8> {
        fs::read(self.root().join("me").join(name))
            .unwrap_or_else(|e| panic!("no object me/{name}: {e}"))
    }

    fn exists(&self, name: &str) -> bool {
        self.root().join("me").join(name).exists()
    }

    /// Runs `job` (JSON text) over this store.
    fn run(&self, job: &str, extra: &[&str]) -> (Finished, serde_json::Value) {
        let file = self.root().join("job.json");
        fs::write(&file, job).unwrap();
        let report = self.root().join("report.json");
        let _ = fs::remove_file(&report);
        let done = zerovm()
            .arg("job")
            .arg("--store")
            .arg(self.root())
            .args(["--account", "me", "--report"])
            .arg(&report)
            .args(extra)
            .arg(&file)
            .run();
        let report = fs::read(&report)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or(serde_json::Value::Null);
        (done, report)
    }
}

/// Deterministic pseudo-random numbers (an LCG), so the data is the same
/// on every run without a dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

const WORDS: &[&str] = &[
    "The",
    "sandbox",
    "runs",
    "one",
    "program",
    "Channels",
    "pipe",
    "data",
    "between",
    "nodes",
    "a",
    "of",
    "and",
    "to",
    "in",
    "is",
    "deterministic",
    "WebAssembly",
    "ZeroVM",
    "job",
    "map",
    "reduce",
    "object",
    "store",
    "swift",
    "container",
    "word",
    "count",
    "sort",
    "grep",
    "x86",
    "2013",
    "it's",
    "e-mail",
    "naïve",
    "déjà",
    "UPPER",
    "lower",
    "Mixed",
];

/// Text of `words` words with punctuation and line breaks.
fn text(rng: &mut Lcg, words: usize) -> String {
    let mut out = String::new();
    for i in 0..words {
        out.push_str(WORDS[rng.next(WORDS.len() as u64) as usize]);
        out.push_str(match rng.next(10) {
            0 => ", ",
            1 => ".\n",
            2 => " -- ",
            _ => " ",
        });
        if i % 17 == 16 {
            out.push('\n');
        }
    }
    out
}

/// The word count done on the host: words are runs of ASCII letters and
/// digits, lower-cased; the table most frequent first, ties by word.
fn host_wordcount(texts: &[String]) -> String {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for t in texts {
        for w in t
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            *counts.entry(w.to_ascii_lowercase()).or_default() += 1;
        }
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows.iter().map(|(w, c)| format!("{c} {w}\n")).collect()
}

const WORDCOUNT_JOB: &str = r#"[
  {"name": "map", "exec": {"path": "swift://me/bin/map.wasm"},
   "devices": [{"name": "input", "path": "swift://me/texts/*.txt"}],
   "connect": ["reduce"]},
  {"name": "reduce", "exec": {"path": "swift://me/bin/reduce.wasm"}, "count": 2,
   "connect": ["collect"]},
  {"name": "collect", "exec": {"path": "swift://me/bin/collect.wasm"},
   "devices": [{"name": "stdout", "path": "swift://me/results/wordcount.txt",
                "content_type": "text/plain", "meta": {"example": "wordcount"}}]}
]"#;

fn wordcount_store(objects: usize) -> (Store, Vec<String>) {
    let store = Store::new();
    let mut rng = Lcg(7);
    let mut texts = Vec::new();
    for i in 0..objects {
        let t = text(&mut rng, 300 + 40 * i);
        store.put(&format!("texts/part{i:03}.txt"), t.as_bytes());
        texts.push(t);
    }
    // Not matched by the wildcard: must not be counted.
    store.put("texts/notes.md", b"ignored ignored ignored");
    (store, texts)
}

#[test]
fn wordcount_matches_the_host() {
    let (store, texts) = wordcount_store(12);
    let (done, report) = store.run(WORDCOUNT_JOB, &[]);
    done.assert_code(0);
    let got = String::from_utf8(store.get("results/wordcount.txt")).unwrap();
    assert_eq!(got, host_wordcount(&texts));

    let meta: serde_json::Value =
        serde_json::from_slice(&store.get("results/wordcount.txt.meta.json")).unwrap();
    assert_eq!(meta["content_type"], "text/plain");
    assert_eq!(meta["meta"]["example"], "wordcount");

    let system = report["headers"]["X-Nexe-System"].as_str().unwrap();
    let names: Vec<_> = system.split(',').collect();
    assert_eq!(names.len(), 12 + 2 + 1);
    assert_eq!(names[0], "map-1");
    assert_eq!(&names[12..], ["reduce-1", "reduce-2", "collect"]);
    assert_eq!(
        report["headers"]["X-Nexe-Retcode"],
        vec!["0"; 15].join(",").as_str()
    );
    assert_eq!(report["status"], "ok");
    assert_eq!(report["nodes"].as_array().unwrap().len(), 15);
}

#[test]
fn sixty_seven_nodes_on_two_slots_do_not_deadlock() {
    // 64 mappers, 2 reducers and a collector with 2 compute slots: a
    // mapper blocked on a reducer must give its slot back.
    let (store, texts) = wordcount_store(64);
    let (done, report) = store.run(WORDCOUNT_JOB, &["--jobs", "2"]);
    done.assert_code(0);
    assert_eq!(report["nodes"].as_array().unwrap().len(), 67);
    let got = String::from_utf8(store.get("results/wordcount.txt")).unwrap();
    assert_eq!(got, host_wordcount(&texts));
}

#[test]
fn running_a_job_twice_gives_the_same_outputs_and_etags() {
    let (store, _) = wordcount_store(6);
    let (first, r1) = store.run(WORDCOUNT_JOB, &[]);
    first.assert_code(0);
    let out1 = store.get("results/wordcount.txt");
    let (second, r2) = store.run(WORDCOUNT_JOB, &["--jobs", "1"]);
    second.assert_code(0);
    assert_eq!(store.get("results/wordcount.txt"), out1);
    assert_eq!(r1["headers"]["X-Nexe-Etag"], r2["headers"]["X-Nexe-Etag"]);
    assert!(r1["headers"]["X-Nexe-Etag"]
        .as_str()
        .unwrap()
        .contains("/dev/stdout "));
}

const SORT_JOB: &str = r#"[
  {"name": "sort", "exec": {"path": "swift://me/bin/sort.wasm"},
   "devices": [{"name": "input", "path": "swift://me/unsorted/part-*"},
               {"name": "output", "path": "swift://me/runs/part-*.sorted"}],
   "connect": ["merge"]},
  {"name": "merge", "exec": {"path": "swift://me/bin/merge.wasm"},
   "devices": [{"name": "stdout", "path": "swift://me/sorted/all.txt"}]}
]"#;

#[test]
fn external_sort_matches_the_host() {
    let store = Store::new();
    let mut rng = Lcg(11);
    let mut all: Vec<String> = Vec::new();
    for part in 0..5 {
        let mut lines = Vec::new();
        for _ in 0..2000 + part * 500 {
            let len = 1 + rng.next(30) as usize;
            let line: String = (0..len)
                .map(|_| (b' ' + rng.next(95) as u8) as char)
                .collect();
            lines.push(line);
        }
        store.put(
            &format!("unsorted/part-{part}"),
            (lines.join("\n") + "\n").as_bytes(),
        );
        all.extend(lines);
    }
    let (done, _) = store.run(SORT_JOB, &["--jobs", "2"]);
    done.assert_code(0);

    all.sort();
    let expected = all.join("\n") + "\n";
    assert_eq!(
        String::from_utf8(store.get("sorted/all.txt")).unwrap(),
        expected
    );
    // Each sorted run was kept, named after the part it came from.
    let run = String::from_utf8(store.get("runs/part-3.sorted")).unwrap();
    assert!(run.lines().is_sorted());
    assert_eq!(run.lines().count(), 2000 + 3 * 500);
}

const GREP_JOB: &str = r#"[
  {"name": "grep", "exec": {"path": "swift://me/bin/grep.wasm", "args": "ERROR"},
   "devices": [{"name": "input", "path": "swift://me/logs/*.log"},
               {"name": "stdout"}]}
]"#;

fn grep_store() -> (Store, String) {
    let store = Store::new();
    let mut rng = Lcg(3);
    let mut expected = String::new();
    for day in 1..=4 {
        let mut log = String::new();
        for n in 1..=300 {
            let level = ["INFO", "WARN", "ERROR", "DEBUG"][rng.next(4) as usize];
            let line = format!("2026-01-0{day} {n:04} {level} request {}", rng.next(1000));
            if line.contains("ERROR") {
                expected.push_str(&format!("{n}:{line}\n"));
            }
            log.push_str(&line);
            log.push('\n');
        }
        store.put(&format!("logs/day{day}.log"), log.as_bytes());
    }
    (store, expected)
}

#[test]
fn grep_matches_the_host_and_answers_on_stdout() {
    let (store, expected) = grep_store();
    let (done, report) = store.run(GREP_JOB, &[]);
    done.assert_code(0);
    // Path-less outputs are the job's response, in node order.
    assert_eq!(done.stdout_str(), expected);
    assert_eq!(
        report["headers"]["X-Nexe-System"],
        "grep-1,grep-2,grep-3,grep-4"
    );
}

#[test]
fn replicas_agree_and_store_once() {
    let (store, expected) = grep_store();
    let job = GREP_JOB.replace(
        r#""args": "ERROR"},"#,
        r#""args": "ERROR"}, "replicate": 2,"#,
    );
    let (done, report) = store.run(&job, &[]);
    done.assert_code(0);
    assert_eq!(done.stdout_str(), expected);
    assert_eq!(report["nodes"].as_array().unwrap().len(), 8);
}

#[test]
fn a_failed_node_ends_the_job_with_its_status_and_stores_nothing() {
    let store = Store::new();
    let big: String = (0..200_000)
        .map(|i| format!("{}\n", (i * 7919) % 100_003))
        .collect();
    store.put("unsorted/part-0", big.as_bytes());
    // `bad` runs grep without a pattern (exit 2) while the sorter streams
    // into the merger, which reads /dev/in/bad first.
    let job = r#"[
      {"name": "sort", "exec": {"path": "swift://me/bin/sort.wasm"},
       "devices": [{"name": "input", "path": "swift://me/unsorted/part-0"},
                   {"name": "output", "path": "swift://me/runs/part-0.sorted"}],
       "connect": ["merge"]},
      {"name": "bad", "exec": {"path": "swift://me/bin/grep.wasm"},
       "devices": [{"name": "input", "path": "swift://me/unsorted/part-0"}],
       "connect": ["merge"]},
      {"name": "merge", "exec": {"path": "swift://me/bin/merge.wasm"},
       "devices": [{"name": "stdout", "path": "swift://me/sorted/all.txt"}]}
    ]"#;
    let (done, report) = store.run(job, &["--jobs", "1"]);
    done.assert_code(2);
    assert!(
        done.stderr
            .contains("job failed: node \"bad\" failed: exit code 2"),
        "{}",
        done.describe()
    );
    assert_eq!(report["status"], "failed");
    assert!(!store.exists("sorted/all.txt"));
    assert!(!store.exists("runs/part-0.sorted"));
    let nodes = report["nodes"].as_array().unwrap();
    assert!(nodes
        .iter()
        .filter(|n| n["name"] != "bad")
        .all(|n| n["cancelled"] == true));
    // The staging area is gone.
    let staging = store.root().join(".zerovm-staging");
    assert_eq!(fs::read_dir(staging).unwrap().count(), 0);
}

#[test]
fn bad_jobs_are_refused_before_anything_runs() {
    let (store, _) = grep_store();
    let cases: &[(&str, &str)] = &[
        ("[{", "job: invalid JSON"),
        (
            r#"[{"name": "g", "exec": {"args": "x"}}]"#,
            "node \"g\": exec.path: missing required field",
        ),
        (
            r#"[{"name": "g", "exec": {"path": "swift://me/bin/grep.wasm"},
                 "devices": [{"name": "tape", "path": "swift://me/logs/day1.log"}]}]"#,
            "node \"g\": devices[0].name: unknown device \"tape\"",
        ),
        (
            r#"[{"name": "g", "exec": {"path": "swift://me/bin/grep.wasm"}, "connect": ["h"]}]"#,
            "node \"g\": connect[0]: no node group is named \"h\"",
        ),
        (
            r#"[{"name": "g", "exec": {"path": "swift://me/bin/grep.wasm"},
                 "devices": [{"name": "input", "path": "swift://me/logs/*.txt"}]}]"#,
            "node \"g\": devices[0].path: no object matches \"swift://me/logs/*.txt\"",
        ),
        (
            r#"[{"name": "g", "exec": {"path": "swift://me/bin/grep.wasm"},
                 "devices": [{"name": "input", "path": "swift://me/logs/*.log"},
                             {"name": "stdout", "path": "swift://me/out/one"}]}]"#,
            "node \"g\": devices[1].path: wildcards in input cannot be resolved into output path",
        ),
        (
            r#"[{"name": "g", "exec": {"path": "swift://me/bin/grep.wasm"}, "count": 2,
                 "devices": [{"name": "stdout", "path": "swift://me/out/one"}]}]"#,
            "node \"g-2\": devices[0].path: swift://me/out/one is written by two nodes (g-1 and g-2)",
        ),
    ];
    for (job, message) in cases {
        let (done, _) = store.run(job, &[]);
        done.assert_code(120);
        assert!(
            done.stderr.contains(message),
            "expected {message:?}\n{}",
            done.describe()
        );
        assert!(done.stdout.is_empty());
        assert!(!store.exists("out"));
    }
}

#[test]
fn a_zapp_directory_runs_its_system_map_with_the_program_inside() {
    let (store, expected) = grep_store();
    let app = tempfile::tempdir().unwrap();
    fs::create_dir_all(app.path().join("boot")).unwrap();
    fs::create_dir_all(app.path().join("bin")).unwrap();
    fs::copy(
        examples_dir().join("grep/grep.wasm"),
        app.path().join("bin/grep.wasm"),
    )
    .unwrap();
    fs::write(
        app.path().join("boot/system.map"),
        GREP_JOB.replace("swift://me/bin/grep.wasm", "file://bin/grep.wasm"),
    )
    .unwrap();
    let done = zerovm()
        .arg("job")
        .arg("--store")
        .arg(store.root())
        .args(["--account", "me"])
        .arg(app.path())
        .run();
    done.assert_code(0);
    assert_eq!(done.stdout_str(), expected);
}

#[test]
fn a_node_computing_for_ever_is_cancelled_when_another_fails() {
    let (store, _) = grep_store();
    store.put(
        "bin/spin.wasm",
        &fs::read(common::guest("infinite_loop")).unwrap(),
    );
    let job = r#"[
      {"name": "spin", "exec": {"path": "swift://me/bin/spin.wasm"},
       "devices": [{"name": "stdout", "path": "swift://me/out/spin"}]},
      {"name": "bad", "exec": {"path": "swift://me/bin/grep.wasm"},
       "devices": [{"name": "input", "path": "swift://me/logs/day1.log"}]}
    ]"#;
    let (done, report) = store.run(job, &["--jobs", "2"]);
    done.assert_code(2);
    let spin = &report["nodes"][0];
    assert_eq!(spin["name"], "spin");
    assert_eq!(spin["report"]["exit_state"], "cancelled");
    assert_eq!(spin["cancelled"], true);
    assert!(!store.exists("out/spin"));
    assert!(
        done.elapsed < std::time::Duration::from_secs(30),
        "{}",
        done.describe()
    );
}
