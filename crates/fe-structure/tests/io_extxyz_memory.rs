//! Peak memory of reading a 2-million-atom extended XYZ file (alone in its own test binary, so
//! no other test shares the process while it measures).

// Test code: a failed unwrap is a failed test (helpers are outside `#[test]` functions).
#![allow(clippy::unwrap_used)]

use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::Instant;

use fe_structure::io::{self, ReadOptions};
use fe_structure::Element;

/// A `kB` field of /proc/self/status, in bytes.
fn status_bytes(field: &str) -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = text.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[test]
#[ignore = "slow: 2-million-atom read"]
fn extxyz_two_million_atoms_read_within_three_times_their_data() {
    let cells = 100; // 100^3 bcc cubes, 2 atoms each
    let n = 2 * cells * cells * cells;
    let a = 2.855;
    let l = a * cells as f64;
    let path = std::env::temp_dir().join(format!("fe-io-memory-{}.extxyz", std::process::id()));
    {
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&path).unwrap());
        writeln!(w, "{n}").unwrap();
        writeln!(
            w,
            "Lattice=\"{l:?} 0.0 0.0 0.0 {l:?} 0.0 0.0 0.0 {l:?}\" Properties=species:S:1:pos:R:3 pbc=\"T T T\""
        )
        .unwrap();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut jitter = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64 * 0.2 - 0.1
        };
        for i in 0..cells {
            for j in 0..cells {
                for k in 0..cells {
                    for (b, sym) in [(0.0, "Fe"), (0.5, "W")] {
                        let x = (i as f64 + b) * a + jitter();
                        let y = (j as f64 + b) * a + jitter();
                        let z = (k as f64 + b) * a + jitter();
                        writeln!(w, "{sym} {x:?} {y:?} {z:?}").unwrap();
                    }
                }
            }
        }
        w.flush().unwrap();
    }
    let file_mb = std::fs::metadata(&path).unwrap().len() as f64 / 1e6;
    let rss_before = status_bytes("VmRSS:").expect("/proc/self/status has VmRSS");
    // reset the high-water mark to the current RSS where the kernel allows it
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let start = Instant::now();
    let s = io::read_one(&path, &ReadOptions::default()).unwrap();
    let secs = start.elapsed().as_secs_f64();
    let hwm = status_bytes("VmHWM:").expect("/proc/self/status has VmHWM");
    let _ = std::fs::remove_file(&path);

    assert_eq!(s.len(), n);
    assert_eq!(s.species()[1], Element::W);
    assert!((s.positions()[n - 1].x - (l - 0.5 * a)).abs() <= 0.1 + 1e-9);
    let data = (n * (24 + 1)) as f64;
    let growth = hwm.saturating_sub(rss_before) as f64;
    eprintln!(
        "2M-atom extxyz: file {file_mb:.0} MB, read in {secs:.2} s, peak growth {:.1} MB = {:.2} x data ({:.0} MB){}",
        growth / 1e6,
        growth / data,
        data / 1e6,
        if reset { "" } else { " (high-water mark not reset: upper bound)" }
    );
    assert!(
        growth <= 3.0 * data,
        "peak memory grew by {growth} bytes for {data} bytes of data"
    );
}
