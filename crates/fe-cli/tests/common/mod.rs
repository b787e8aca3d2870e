//! Helpers shared by the CLI tests: run the built binary, find fixtures, make temporary paths,
//! parse JSON output.
#![allow(clippy::unwrap_used, dead_code)] // test helpers; not every test file uses all

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Run `fe` with `args`.
pub fn fe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fe"))
        .args(args)
        .output()
        .expect("the fe binary runs")
}

/// Path of a CLI fixture.
pub fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// A path in this test process's temporary folder.
pub fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fe-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The JSON document a successful run printed on stdout.
pub fn json_stdout(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "fe failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is exactly one JSON document")
}

/// Assert that a run succeeded, showing its stderr otherwise.
pub fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "fe failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The JSON document in the file `path`.
pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A JSON number.
pub fn num(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

/// A 4-grain 20 A Fe polycrystal (about 700 atoms) built by `fe polycrystal` into the
/// temporary folder as `NAME.extxyz` and `NAME.json` (GRAINS.json); returns both paths.
pub fn small_polycrystal(name: &str) -> (String, String) {
    let out = temp(&format!("{name}.extxyz")).display().to_string();
    let grains = temp(&format!("{name}.json")).display().to_string();
    let o = fe(&[
        "polycrystal",
        "--box",
        "20",
        "--grains",
        "4",
        "--a",
        "2.8553",
        "--seed",
        "3",
        "--output",
        &out,
        "--grains-out",
        &grains,
        "--quiet",
    ]);
    json_stdout(&o);
    (out, grains)
}
