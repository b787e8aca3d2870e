//! Walks `tests/fixtures/`: every file under `good/` must read; every `bad/<name>` must fail
//! with an error containing the text of `bad/<name>.expected` (which includes the line number).
//! A seeded mutation test then damages every good fixture in many ways (truncation, dropped
//! and duplicated lines, swapped tokens, NaN and huge numbers, binary garbage) and demands an
//! error or a structure, never a panic.
//!
//! Files are read by extension with the types `Fe, W` (LAMMPS type 1 / MLIP type 0 = Fe).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use fe_structure::io::{read, Format, Frames, ReadOptions};
use fe_structure::Element;

fn dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(kind)
}

fn options() -> ReadOptions {
    ReadOptions {
        types: Some(vec![Element::FE, Element::W]),
        frames: Frames::All,
    }
}

fn files(kind: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir(kind))
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| {
        p.is_file()
            && p.extension().is_none_or(|e| e != "expected")
            && p.file_name().is_some_and(|n| n != ".gitkeep")
    });
    v.sort();
    v
}

fn format_of(p: &Path) -> Format {
    Format::from_path(p).unwrap_or_else(|| panic!("fixture {} has no known format", p.display()))
}

#[test]
fn every_good_fixture_reads() {
    let good = files("good");
    for p in &good {
        let text = std::fs::read(p).unwrap();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let frames = read(&text[..], &name, format_of(p), &options())
            .unwrap_or_else(|e| panic!("good fixture failed: {e}"));
        assert!(!frames.is_empty(), "{name}: no frames");
    }
}

#[test]
fn every_bad_fixture_fails_with_its_expected_message() {
    for p in files("bad") {
        let expected_path = PathBuf::from(format!("{}.expected", p.display()));
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} has no .expected file", p.display()));
        let expected = expected.trim_end_matches(['\n', '\r']);
        let text = std::fs::read(&p).unwrap();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        match read(&text[..], &name, format_of(&p), &options()) {
            Ok(_) => panic!("bad fixture {name} was read without error"),
            Err(e) => {
                let msg = e.to_string();
                assert!(
                    msg.contains(expected),
                    "{name}: error `{msg}` does not contain `{expected}`"
                );
            }
        }
    }
}

/// A small deterministic generator (SplitMix64) so the mutations repeat exactly.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(text: &str, rng: &mut SplitMix) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        return String::new();
    }
    let i = rng.below(lines.len());
    match rng.below(9) {
        0 => return text[..rng.below(text.len())].to_string(),
        1 => {
            lines.remove(i);
        }
        2 => {
            let l = lines[i].clone();
            lines.insert(i, l);
        }
        3 => {
            let mut toks: Vec<&str> = lines[i].split_whitespace().collect();
            if toks.len() > 1 {
                let (a, b) = (rng.below(toks.len()), rng.below(toks.len()));
                toks.swap(a, b);
            }
            lines[i] = toks.join(" ");
        }
        4 | 5 => {
            let bad = [
                "NaN",
                "inf",
                "-inf",
                "1e400",
                "-1e308",
                "",
                "x",
                "99999999999999999999",
                "-1",
            ];
            let pick = bad[rng.below(bad.len())];
            let mut toks: Vec<String> = lines[i].split_whitespace().map(str::to_string).collect();
            if toks.is_empty() {
                lines[i] = pick.to_string();
            } else {
                let k = rng.below(toks.len());
                toks[k] = pick.to_string();
                lines[i] = toks.join(" ");
            }
        }
        6 => {
            let mut toks: Vec<&str> = lines[i].split_whitespace().collect();
            if !toks.is_empty() {
                toks.remove(rng.below(toks.len()));
            }
            lines[i] = toks.join(" ");
        }
        7 => lines[i] = "\u{0}\u{1}\u{7f}garbage ######".to_string(),
        _ => lines.truncate(i),
    }
    lines.join("\n") + "\n"
}

#[test]
fn mutated_good_fixtures_give_errors_not_panics() {
    let mut rng = SplitMix(20_261_121);
    let mut cases = 0;
    for p in files("good") {
        let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        for round in 0..300 {
            let damaged = mutate(&text, &mut rng);
            let result = catch_unwind(AssertUnwindSafe(|| {
                read(damaged.as_bytes(), &name, format_of(&p), &options())
            }));
            assert!(
                result.is_ok(),
                "{name}: the reader panicked on mutation round {round}:\n{damaged}"
            );
            if let Ok(Ok(frames)) = result {
                for s in frames {
                    assert!(s
                        .positions()
                        .iter()
                        .all(|r| r.iter().all(|x| x.is_finite())));
                }
            }
            cases += 1;
        }
    }
    // An empty fixtures folder would make this test vacuous.
    assert!(
        cases >= 300,
        "no good fixtures found in {}",
        dir("good").display()
    );
}
