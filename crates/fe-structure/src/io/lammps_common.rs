//! Helpers shared by the LAMMPS data and dump formats: number formatting, comments, image
//! flags and LAMMPS atom-ID order.

use std::fmt;

use nalgebra::{Matrix3, Vector3};

use crate::error::StructureError;

/// A real number printed in the shortest form that reads back to the same `f64`: plain
/// decimals for 1e-5 <= |x| < 1e16 (and zero), exponent notation otherwise (`1e-20`,
/// `2.5e17`). Both forms are accepted by LAMMPS, ASE and C's `strtod`.
#[derive(Clone, Copy)]
pub(crate) struct Real(pub f64);

impl fmt::Display for Real {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.0.abs();
        if a == 0.0 || (1e-5..1e16).contains(&a) {
            write!(f, "{}", self.0)
        } else {
            write!(f, "{:e}", self.0)
        }
    }
}

/// The text before a `#` comment (trimmed) and the comment after it (trimmed), if any.
pub(crate) fn split_comment(text: &str) -> (&str, Option<&str>) {
    match text.split_once('#') {
        Some((body, comment)) => (body.trim(), Some(comment.trim())),
        None => (text.trim(), None),
    }
}

/// The unwrapped position r + ix a + iy b + iz c, with a, b, c the rows of `h`.
pub(crate) fn unwrap_image(r: Vector3<f64>, image: [i64; 3], h: &Matrix3<f64>) -> Vector3<f64> {
    if image == [0, 0, 0] {
        return r;
    }
    // Image flags are small integers; the conversion to f64 is exact below 2^53.
    let n = Vector3::new(image[0] as f64, image[1] as f64, image[2] as f64);
    r + h.tr_mul(&n)
}

/// The order that sorts atoms by id: `Ok(None)` when the ids are already strictly increasing,
/// `Ok(Some(order))` with `order[k]` the file index of the atom with the k-th smallest id, or
/// `Err((first, second))`, the file indices of two atoms sharing an id.
pub(crate) fn id_order(ids: &[i64]) -> Result<Option<Vec<usize>>, (usize, usize)> {
    if ids.windows(2).all(|w| w[0] < w[1]) {
        return Ok(None);
    }
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_unstable_by_key(|&i| (ids[i], i));
    if let Some(w) = order.windows(2).find(|w| ids[w[0]] == ids[w[1]]) {
        return Err((w[0], w[1]));
    }
    Ok(Some(order))
}

/// Reorder `v` so that `v[k]` becomes the old `v[order[k] * c .. (order[k] + 1) * c]` row
/// (`c` values per atom).
pub(crate) fn permute_rows<T: Copy>(v: &mut Vec<T>, order: &[usize], c: usize) {
    let mut out = Vec::with_capacity(v.len());
    for &i in order {
        out.extend_from_slice(&v[i * c..(i + 1) * c]);
    }
    *v = out;
}

/// An I/O error while writing `name`.
pub(crate) fn write_err(name: &str) -> impl Fn(std::io::Error) -> StructureError + '_ {
    move |source| StructureError::Io {
        file: name.to_string(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_prints_shortest_round_trip_text() {
        for x in [
            0.0, -0.0, 1.0, 0.1, -2.855, 1e-20, 1.2345e-7, 3e17, 1e16, 123456.789, 1e-5,
        ] {
            let s = Real(x).to_string();
            assert_eq!(s.parse::<f64>().unwrap().to_bits(), x.to_bits(), "{s}");
        }
        assert_eq!(Real(1.5).to_string(), "1.5");
        assert_eq!(Real(2.0).to_string(), "2");
        assert_eq!(Real(1e-20).to_string(), "1e-20");
    }

    #[test]
    fn id_order_sorts_and_finds_duplicates() {
        assert_eq!(id_order(&[1, 2, 5]), Ok(None));
        assert_eq!(id_order(&[3, 1, 2]), Ok(Some(vec![1, 2, 0])));
        assert_eq!(id_order(&[3, 1, 3]), Err((0, 2)));
        let mut v = vec![10, 11, 20, 21, 30, 31];
        permute_rows(&mut v, &[2, 0, 1], 2);
        assert_eq!(v, [30, 31, 10, 11, 20, 21]);
    }

    #[test]
    fn unwrap_image_adds_lattice_rows() {
        let h = Matrix3::new(2.0, 0.0, 0.0, 1.0, 3.0, 0.0, 0.5, 0.25, 4.0);
        let r = unwrap_image(Vector3::new(0.1, 0.2, 0.3), [1, -1, 2], &h);
        let expected = Vector3::new(0.1 + 2.0 - 1.0 + 1.0, 0.2 - 3.0 + 0.5, 0.3 + 8.0);
        assert!((r - expected).norm() < 1e-14);
        assert_eq!(split_comment(" 1 55.845 # Fe "), ("1 55.845", Some("Fe")));
    }
}
