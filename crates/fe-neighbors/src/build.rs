//! The parallel cell-list build of [`NeighborList`](crate::NeighborList) rows.
//!
//! Atoms are processed in fixed chunks of [`CHUNK`] atoms. Each chunk writes, per atom, the
//! entries as sortable 64-bit keys `j << 24 | (S0 + 128) << 16 | (S1 + 128) << 8 | (S2 + 128)`
//! and sorts each row; at the end of the chunk the keys are decoded into exact-size index and
//! shift arrays. Chunks run in parallel waves of [`WAVE`]; after each wave its rows are appended
//! in order to the list's arrays and released, and the arrays are shrunk to their length at
//! the end. Nothing depends on the thread count.

use fe_structure::Cell;
use nalgebra::Vector3;
use rayon::prelude::*;

use crate::error::{NeighborError, Result};
use crate::grid::{Grid, Scratch, CHUNK};
use crate::list::ListKind;

/// Chunks per wave (see [`build_rows`]).
const WAVE: usize = 32;

/// Rows of one chunk: entry count per atom and the sorted keys, row after row.
struct ChunkRows {
    counts: Vec<usize>,
    neighbors: Vec<u32>,
    shifts: Vec<[i8; 3]>,
}

/// Offsets, neighbour indices and shifts of the list.
pub(crate) type Rows = (Vec<usize>, Vec<u32>, Vec<[i8; 3]>);

pub(crate) fn build_rows(
    cell: &Cell,
    positions: &[Vector3<f64>],
    cutoff: f64,
    kind: ListKind,
) -> Result<Rows> {
    let n = positions.len();
    if n == 0 {
        return Ok((vec![0], Vec::new(), Vec::new()));
    }
    check_images_fit(cell, cutoff)?;
    let grid = Grid::new(cell, positions, cutoff)?;
    let n_chunks = n.div_ceil(CHUNK);
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0_usize);
    let mut neighbors: Vec<u32> = Vec::new();
    let mut shifts: Vec<[i8; 3]> = Vec::new();
    // Waves of chunks: each wave is searched in parallel, appended, and released, so the
    // memory held beyond the list itself is one wave's rows.
    for wave in (0..n_chunks).step_by(WAVE) {
        let chunks = (wave..(wave + WAVE).min(n_chunks))
            .into_par_iter()
            .map(|c| {
                chunk_rows(
                    &grid,
                    cell,
                    positions,
                    cutoff,
                    kind,
                    c * CHUNK..((c + 1) * CHUNK).min(n),
                )
            })
            .collect::<Vec<Result<ChunkRows>>>();
        for ch in chunks {
            let ch = ch?;
            for &c in &ch.counts {
                offsets.push(offsets[offsets.len() - 1] + c);
            }
            neighbors.extend_from_slice(&ch.neighbors);
            shifts.extend_from_slice(&ch.shifts);
        }
    }
    // Growth left spare capacity; give it back (large blocks shrink in place).
    neighbors.shrink_to_fit();
    shifts.shrink_to_fit();
    Ok((offsets, neighbors, shifts))
}

/// A periodic lattice vector shorter than cutoff / 128 means an atom sees its own image at a
/// shift beyond `i8`: refuse before enumerating an enormous number of images.
fn check_images_fit(cell: &Cell, cutoff: f64) -> Result<()> {
    for a in 0..3 {
        if cell.pbc()[a] && 128.0 * cell.vector(a).norm() < cutoff {
            let mut shift = [0_i64; 3];
            shift[a] = 128;
            return Err(NeighborError::ShiftOverflow {
                i: 0,
                j: 0,
                shift,
                cutoff,
            });
        }
    }
    Ok(())
}

/// True when (i, j, S) belongs in a half list.
#[inline]
pub(crate) fn keep_in_half(i: usize, j: usize, s: [i64; 3]) -> bool {
    i < j || (i == j && s > [0, 0, 0])
}

/// The sortable key of an entry (see the module documentation).
#[inline]
fn key(j: u32, s: [i8; 3]) -> u64 {
    (u64::from(j) << 24)
        | (u64::from((i16::from(s[0]) + 128) as u8) << 16)
        | (u64::from((i16::from(s[1]) + 128) as u8) << 8)
        | u64::from((i16::from(s[2]) + 128) as u8)
}

fn chunk_rows(
    grid: &Grid,
    cell: &Cell,
    positions: &[Vector3<f64>],
    cutoff: f64,
    kind: ListKind,
    atoms: std::ops::Range<usize>,
) -> Result<ChunkRows> {
    let lo2 = (cutoff - grid.tol).max(0.0).powi(2);
    let hi2 = (cutoff + grid.tol).powi(2);
    let half = kind == ListKind::Half;
    let mut counts = Vec::with_capacity(atoms.len());
    let mut keys: Vec<u64> = Vec::new();
    let mut scratch = Scratch::default();
    for i in atoms {
        let slot = grid.atom_slot[i] as usize;
        let ni = grid.slot_image[slot];
        let centre = grid.slot_position(slot);
        let row_start = keys.len();
        let mut failure: Option<NeighborError> = None;
        let bin = grid.atom_bin[i];
        let offset = grid.offset_in_bin(&centre, bin.map(i64::from));
        grid.visit(
            grid.runs_of(bin),
            &centre,
            &offset,
            hi2,
            &mut scratch,
            |k, d2, q| {
                let j = grid.slot_atom[k];
                let ju = j as usize;
                if half && ju < i {
                    return;
                }
                let nj = grid.slot_image[k];
                let s = [0, 1, 2].map(|a| i64::from(q[a]) + i64::from(ni[a]) - i64::from(nj[a]));
                if ju == i && s == [0, 0, 0] {
                    return;
                }
                if half && !keep_in_half(i, ju, s) {
                    return;
                }
                let Ok(s8) = s_to_i8(s) else {
                    if d2 < lo2 || exact_distance(cell, positions, i, ju, s) < cutoff {
                        failure.get_or_insert(NeighborError::ShiftOverflow {
                            i,
                            j: ju,
                            shift: s,
                            cutoff,
                        });
                    }
                    return;
                };
                if d2 >= lo2 && exact_distance(cell, positions, i, ju, s) >= cutoff {
                    return;
                }
                keys.push(key(j, s8));
            },
        );
        if let Some(e) = failure {
            return Err(e);
        }
        keys[row_start..].sort_unstable();
        counts.push(keys.len() - row_start);
    }
    // Decode into exact-size arrays (7 bytes per entry) and release the 8-byte keys.
    let neighbors = keys.iter().map(|key| (key >> 24) as u32).collect();
    let shifts = keys
        .iter()
        .map(|key| [16, 8, 0].map(|b| (((key >> b) & 0xff) as i16 - 128) as i8))
        .collect();
    Ok(ChunkRows {
        counts,
        neighbors,
        shifts,
    })
}

fn s_to_i8(s: [i64; 3]) -> std::result::Result<[i8; 3], std::num::TryFromIntError> {
    Ok([
        i8::try_from(s[0])?,
        i8::try_from(s[1])?,
        i8::try_from(s[2])?,
    ])
}

/// |r_j + S H - r_i| computed from the positions as given, exactly as
/// [`NeighborList::displacement`](crate::NeighborList::displacement) does.
pub(crate) fn exact_distance(
    cell: &Cell,
    positions: &[Vector3<f64>],
    i: usize,
    j: usize,
    s: [i64; 3],
) -> f64 {
    let n = Vector3::new(s[0] as f64, s[1] as f64, s[2] as f64);
    (positions[j] + cell.matrix().tr_mul(&n) - positions[i]).norm()
}
