//! Per-atom timings of repeated runs for the side-by-side drivers (`examples/*_time.rs`,
//! the Voronoi bench's file mode), printed with the same JSON keys as the peers' tools in
//! `../shared/tools/peers/` (`us_per_atom`, `us_per_atom_min`, `cpu_us_per_atom_min`).

use std::time::Instant;

/// Wall and process-CPU microseconds per item of every repeat.
#[derive(Debug, Clone, Default)]
pub struct PerItemTimes {
    /// Wall time per item of each repeat (us).
    pub wall: Vec<f64>,
    /// Process CPU time (user + system, all threads) per item of each repeat (us).
    pub cpu: Vec<f64>,
}

impl PerItemTimes {
    /// Run `f` `repeats` times (at least once), timing each run and dividing by `items`;
    /// returns the times and the last run's value, or the first error.
    ///
    /// # Errors
    /// The first error of `f`.
    pub fn measure<R, E>(
        repeats: usize,
        items: f64,
        mut f: impl FnMut() -> Result<R, E>,
    ) -> Result<(PerItemTimes, R), E> {
        let mut t = PerItemTimes::default();
        let mut timed = || -> Result<R, E> {
            let (t0, c0) = (Instant::now(), process_cpu_seconds());
            let r = f()?;
            t.wall.push(t0.elapsed().as_secs_f64() * 1e6 / items);
            t.cpu.push((process_cpu_seconds() - c0) * 1e6 / items);
            Ok(r)
        };
        let mut last = timed()?;
        for _ in 1..repeats {
            last = timed()?;
        }
        Ok((t, last))
    }

    /// The JSON fields `"us_per_atom"` (median wall), `"us_per_atom_min"` and
    /// `"cpu_us_per_atom_min"`, comma-separated, without braces.
    pub fn json_fields(&self) -> String {
        let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
        let mut sorted = self.wall.clone();
        sorted.sort_by(f64::total_cmp);
        let median = sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN);
        format!(
            "\"us_per_atom\": {median}, \"us_per_atom_min\": {}, \"cpu_us_per_atom_min\": {}",
            min(&self.wall),
            min(&self.cpu)
        )
    }
}

/// Process CPU seconds (user + system, all threads) from Linux `/proc/self/stat`, at its
/// clock tick of 1/100 s; 0 where the file is unavailable.
pub fn process_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name in parentheses; utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |k: usize| f.get(k).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}
