//! [`ActiveSet`]: the MaxVol active matrix `A`, its inverse and the origin of every row, with
//! selection by greedy row swaps (MTP.md 8.3) and grades (MTP.md 8.2).

use nalgebra::{DMatrix, DMatrixView};
use rayon::prelude::*;

use crate::error::{MaxVolError, Result};

/// MLIP-3's initial active matrix `eps I` (MTP.md 8.3).
pub const INIT_VALUE: f64 = 1e-6;

/// MLIP-3's selection threshold: a row is swapped in when a coefficient exceeds it.
pub const SELECT_THRESHOLD: f64 = 1.001;

/// Rows per parallel block of a grade or coefficient product.
const BLOCK: usize = 256;

/// Where a row of `A` comes from: equation `eqn` (MTP.md 6.2 numbering) of configuration
/// `cfg`, or `(-1, -1)` for an initial row `eps e_k`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Link {
    /// Configuration index (0-based) in the list the rows came from; -1 for an initial row.
    pub cfg: i64,
    /// Equation index within the configuration (MTP.md 6.2); -1 for an initial row.
    pub eqn: i64,
}

impl Link {
    /// The link of an initial row.
    pub const INITIAL: Link = Link { cfg: -1, eqn: -1 };

    /// The site-energy equation of `atom` in configuration `cfg` of `n_atoms` atoms:
    /// index $1 + 3N + 9 + \text{atom}$ (MTP.md 6.2).
    pub fn site(cfg: usize, n_atoms: usize, atom: usize) -> Link {
        Link {
            cfg: cfg as i64,
            eqn: (1 + 3 * n_atoms + 9 + atom) as i64,
        }
    }

    /// The total-energy equation (index 0) of configuration `cfg`.
    pub fn energy(cfg: usize) -> Link {
        Link {
            cfg: cfg as i64,
            eqn: 0,
        }
    }

    /// True for an initial row.
    pub fn is_initial(&self) -> bool {
        self.cfg < 0
    }
}

/// Candidate rows for a selection: `rows[r * n .. (r + 1) * n]` with their links. After
/// [`ActiveSet::select`] the pool holds the rows that were swapped out of `A` in place of the
/// ones swapped in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pool {
    /// Row-major rows, `n` values each.
    pub rows: Vec<f64>,
    /// One link per row.
    pub links: Vec<Link>,
}

impl Pool {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.links.len()
    }

    /// True when the pool has no rows.
    pub fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    /// Append the rows of another pool.
    pub fn extend(&mut self, other: Pool) {
        self.rows.extend(other.rows);
        self.links.extend(other.links);
    }
}

/// Options of [`ActiveSet::select`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SelectOptions {
    /// Swap a row in while some coefficient $|c_{ij}|$ exceeds this (MLIP-3: 1.001; must be
    /// above 1 so that every swap grows $|\det A|$ by at least this factor).
    pub threshold: f64,
    /// At most this many swaps (MLIP's `swap_limit`); `None`: until no coefficient exceeds
    /// the threshold.
    pub swap_limit: Option<usize>,
    /// Re-invert `A` afresh (full-pivot LU) and recompute the coefficients after this many
    /// rank-one updates, bounding their round-off drift.
    pub refresh_every: usize,
}

impl Default for SelectOptions {
    fn default() -> Self {
        SelectOptions {
            threshold: SELECT_THRESHOLD,
            swap_limit: None,
            refresh_every: 64,
        }
    }
}

/// What a selection did.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SelectReport {
    /// Number of row swaps.
    pub swaps: usize,
    /// $\ln |\det A_\text{after}| - \ln |\det A_\text{before}| = \sum \ln |c|$ over the swaps.
    pub log_det_gain: f64,
    /// Largest $|c_{ij}|$ left in the pool (with a freshly inverted `A`).
    pub max_coefficient: f64,
    /// Fresh re-inversions done on the way.
    pub refreshes: usize,
    /// Largest relative difference $\max|X - A^{-1}| / \max|A^{-1}|$ between the rank-one
    /// updated inverse $X$ and the fresh one, over the refreshes.
    pub inverse_drift: f64,
}

/// The MaxVol state: an `n x n` active matrix `A` whose rows are selected equations (MTP.md
/// 8.1), its inverse, and the [`Link`] of every row.
///
/// Invariant: `inverse` is $A^{-1}$ up to round-off (rank-one updated during a selection,
/// re-inverted afresh every [`SelectOptions::refresh_every`] swaps and at its end).
#[derive(Debug, Clone, PartialEq)]
pub struct ActiveSet {
    n: usize,
    a: Vec<f64>,
    inverse: Vec<f64>,
    links: Vec<Link>,
}

impl ActiveSet {
    /// The initial state $A = \varepsilon I$, $A^{-1} = I/\varepsilon$, every link initial.
    ///
    /// # Errors
    /// [`MaxVolError::Invalid`] for `n = 0` or `eps` not finite and positive.
    pub fn initial(n: usize, eps: f64) -> Result<ActiveSet> {
        if n == 0 || !(eps.is_finite() && eps > 0.0) {
            return Err(MaxVolError::Invalid(format!(
                "initial active set needs n > 0 and eps > 0 (got n = {n}, eps = {eps})"
            )));
        }
        let mut a = vec![0.0; n * n];
        let mut inverse = vec![0.0; n * n];
        for k in 0..n {
            a[k * n + k] = eps;
            inverse[k * n + k] = 1.0 / eps;
        }
        Ok(ActiveSet {
            n,
            a,
            inverse,
            links: vec![Link::INITIAL; n],
        })
    }

    /// An active set from its matrix (row-major `n x n`), inverted here by a full-pivot LU.
    ///
    /// # Errors
    /// [`MaxVolError::Dimension`] for sizes that do not match, [`MaxVolError::NonFinite`],
    /// [`MaxVolError::Singular`] (see [`invert`]).
    pub fn from_matrix(a: Vec<f64>, links: Vec<Link>) -> Result<ActiveSet> {
        let n = links.len();
        check_square(&a, n, "active matrix")?;
        let inverse = invert(&a, n, "active matrix")?;
        Ok(ActiveSet {
            n,
            a,
            inverse,
            links,
        })
    }

    /// An active set from its matrix and a stored inverse (both row-major), kept as given so
    /// that a saved state loads bit for bit. The inverse is checked against the backward
    /// error bound of a stable inversion: $\max|A X - I| \le 10^3\, n \varepsilon
    /// \|A\|_\infty \|X\|_\infty$.
    ///
    /// # Errors
    /// As [`ActiveSet::from_matrix`], and [`MaxVolError::Singular`] when the inverse does not
    /// invert `A`.
    pub fn from_parts(a: Vec<f64>, inverse: Vec<f64>, links: Vec<Link>) -> Result<ActiveSet> {
        let n = links.len();
        check_square(&a, n, "active matrix")?;
        check_square(&inverse, n, "inverse")?;
        let norm_inf = |m: &[f64]| {
            m.chunks_exact(n)
                .map(|r| r.iter().map(|x| x.abs()).sum::<f64>())
                .fold(0.0, f64::max)
        };
        let tol = 1e3 * n as f64 * f64::EPSILON * norm_inf(&a) * norm_inf(&inverse);
        let s = ActiveSet {
            n,
            a,
            inverse,
            links,
        };
        let err = s.inverse_error();
        if err.is_nan() || err > tol.max(1e-12) {
            return Err(MaxVolError::Singular {
                what: "stored state".into(),
                detail: format!(
                    "the stored inverse does not invert A: max |A A^-1 - I| = {err:e} (bound {tol:e})"
                ),
            });
        }
        Ok(s)
    }

    /// Number of parameters `n` (columns, and rows of `A`).
    pub fn n(&self) -> usize {
        self.n
    }

    /// The active matrix, row-major.
    pub fn matrix(&self) -> &[f64] {
        &self.a
    }

    /// The inverse $A^{-1}$, row-major.
    pub fn inverse(&self) -> &[f64] {
        &self.inverse
    }

    /// The link of every row of `A`.
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// Replace the links (same length; the rows do not change).
    pub(crate) fn set_links(&mut self, links: Vec<Link>) {
        debug_assert_eq!(links.len(), self.n);
        self.links = links;
    }

    /// Number of rows that are still initial rows.
    pub fn initial_rows(&self) -> usize {
        self.links.iter().filter(|l| l.is_initial()).count()
    }

    /// $\max_{ij} |(A A^{-1} - I)_{ij}|$.
    pub fn inverse_error(&self) -> f64 {
        let n = self.n;
        let prod = view(&self.inverse, n, n) * view(&self.a, n, n); // (A A^-1)^T
        let mut err: f64 = 0.0;
        for (k, x) in prod.iter().enumerate() {
            let id = if k % n == k / n { 1.0 } else { 0.0 };
            let d = (x - id).abs();
            err = if d.is_nan() { f64::NAN } else { err.max(d) };
        }
        err
    }

    /// $\ln |\det A|$ from a full-pivot LU.
    pub fn log_abs_det(&self) -> f64 {
        let n = self.n;
        let lu = DMatrix::from_row_slice(n, n, &self.a).full_piv_lu();
        let u = lu.u();
        (0..n).map(|k| u[(k, k)].abs().ln()).sum()
    }

    /// Re-invert `A` afresh (full-pivot LU).
    ///
    /// # Errors
    /// [`MaxVolError::Singular`] or [`MaxVolError::NonFinite`] (see [`invert`]).
    pub fn refresh(&mut self) -> Result<()> {
        self.inverse = invert(&self.a, self.n, "active matrix")?;
        Ok(())
    }

    /// [`ActiveSet::refresh`], returning the relative change of the inverse.
    fn refresh_drift(&mut self) -> Result<f64> {
        let fresh = invert(&self.a, self.n, "active matrix")?;
        let scale = fresh.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
        let diff = fresh
            .iter()
            .zip(&self.inverse)
            .fold(0.0_f64, |m, (x, y)| m.max((x - y).abs()));
        self.inverse = fresh;
        Ok(diff / scale)
    }

    /// The coefficients $c = b A^{-1}$ of every row `b` (row-major `m x n` in, same out).
    ///
    /// # Errors
    /// [`MaxVolError::Dimension`] when the length is not a multiple of `n`.
    pub fn coefficients(&self, rows: &[f64]) -> Result<Vec<f64>> {
        let n = self.n;
        let mut out = vec![0.0; rows.len()];
        self.blocks_times_inverse(rows, &mut out, n, |o, ct| o.copy_from_slice(ct))?;
        Ok(out)
    }

    /// Grades $\gamma(b) = \max_j |(b A^{-1})_j|$ of every row (MTP.md 8.2), in row order.
    ///
    /// # Errors
    /// [`MaxVolError::Dimension`] for a length that is not a multiple of `n`;
    /// [`MaxVolError::NonFinite`] when a row or the result is not finite.
    pub fn grades(&self, rows: &[f64]) -> Result<Vec<f64>> {
        let n = self.n;
        let mut out = vec![0.0; rows.len() / n];
        self.blocks_times_inverse(rows, &mut out, 1, |g, ct| {
            for (gi, col) in g.iter_mut().zip(ct.chunks_exact(n)) {
                *gi = max_abs(col);
            }
        })?;
        if let Some(i) = out.iter().position(|g| !g.is_finite()) {
            return Err(MaxVolError::NonFinite(format!(
                "grade of row {i} (a non-finite entry in its row)"
            )));
        }
        Ok(out)
    }

    /// $C = B A^{-1}$ for the rows `B` (row-major, whole rows of `n`) in blocks of
    /// [`BLOCK`] rows in parallel: `f` gets each block's slice of `out` (`per_row` values per
    /// row) and the block's $C$ as row-major rows of `n` (column-major $C^\mathsf T$).
    fn blocks_times_inverse(
        &self,
        rows: &[f64],
        out: &mut [f64],
        per_row: usize,
        f: impl Fn(&mut [f64], &[f64]) + Sync,
    ) -> Result<()> {
        let n = self.n;
        if rows.len() % n != 0 {
            return Err(MaxVolError::Dimension(format!(
                "{} values are not whole rows of {n}",
                rows.len()
            )));
        }
        let inv_t = view(&self.inverse, n, n);
        out.par_chunks_mut(BLOCK * per_row)
            .zip(rows.par_chunks(BLOCK * n))
            .for_each(|(o, r)| {
                // Column-major views: r is B^T (n x m), inverse is A^{-T}; C^T = A^{-T} B^T.
                let ct = inv_t * view(r, n, r.len() / n);
                f(o, ct.as_slice());
            });
        Ok(())
    }

    /// MaxVol selection (MTP.md 8.3): while some coefficient $|c_{i_0 j_0}| = \max |B A^{-1}|$
    /// (first in row-major order on ties) exceeds the threshold, swap pool row $i_0$ into row
    /// $j_0$ of `A`. The inverse and the coefficients follow by Sherman-Morrison:
    /// with $v = c_{i_0,:} - e_{j_0}$ and $u = c_{:,j_0} + e_{i_0}$,
    /// $$ A^{-1} \leftarrow A^{-1} - A^{-1}_{:,j_0} v / c, \qquad
    ///    C \leftarrow C - u v / c, $$
    /// and the displaced row of `A` returns to the pool at $i_0$. Each swap multiplies
    /// $|\det A|$ by $|c| > 1$, so the loop ends. `A` is re-inverted afresh every
    /// `refresh_every` swaps and at the end.
    ///
    /// # Errors
    /// [`MaxVolError::Invalid`] for a threshold not above 1; [`MaxVolError::Dimension`];
    /// [`MaxVolError::NonFinite`] for a non-finite row; [`MaxVolError::Singular`] if a fresh
    /// inversion fails.
    pub fn select(&mut self, pool: &mut Pool, opts: &SelectOptions) -> Result<SelectReport> {
        self.select_until(pool, opts, |_| false)
    }

    /// [`ActiveSet::select`] that also stops as soon as `stop(links of A)` is true after a
    /// swap (e.g. once enough candidate configurations are in the active set).
    ///
    /// # Errors
    /// As [`ActiveSet::select`].
    pub fn select_until(
        &mut self,
        pool: &mut Pool,
        opts: &SelectOptions,
        mut stop: impl FnMut(&[Link]) -> bool,
    ) -> Result<SelectReport> {
        let n = self.n;
        if !(opts.threshold > 1.0 && opts.threshold.is_finite()) {
            return Err(MaxVolError::Invalid(format!(
                "selection threshold must be a finite number above 1, got {}",
                opts.threshold
            )));
        }
        if pool.rows.len() != pool.links.len() * n {
            return Err(MaxVolError::Dimension(format!(
                "pool of {} links holds {} values, expected {} per row",
                pool.links.len(),
                pool.rows.len(),
                n
            )));
        }
        if let Some(k) = pool.rows.iter().position(|x| !x.is_finite()) {
            return Err(MaxVolError::NonFinite(format!(
                "entry of pool row {}",
                k / n
            )));
        }
        let mut report = SelectReport::default();
        let m = pool.len();
        if m == 0 {
            return Ok(report);
        }
        let mut c = self.coefficients(&pool.rows)?;
        let mut since = 0;
        let mut v = vec![0.0; n];
        let mut col = vec![0.0; n];
        loop {
            let (k0, cv) = argmax_abs(&c);
            if !cv.is_finite() {
                return Err(MaxVolError::NonFinite("selection coefficient".into()));
            }
            if cv.abs() <= opts.threshold || opts.swap_limit.is_some_and(|l| report.swaps >= l) {
                break;
            }
            let (i0, j0) = (k0 / n, k0 % n);
            v.copy_from_slice(&c[i0 * n..(i0 + 1) * n]);
            v[j0] -= 1.0;
            let inv_c = 1.0 / cv;
            for (r, cr) in col.iter_mut().enumerate() {
                *cr = self.inverse[r * n + j0];
            }
            self.inverse
                .par_chunks_mut(n)
                .zip(col.par_iter())
                .for_each(|(row, &f)| axpy(row, -f * inv_c, &v));
            c.par_chunks_mut(n).enumerate().for_each(|(i, row)| {
                let u = row[j0] + if i == i0 { 1.0 } else { 0.0 };
                if u != 0.0 {
                    axpy(row, -u * inv_c, &v);
                }
            });
            self.a[j0 * n..(j0 + 1) * n].swap_with_slice(&mut pool.rows[i0 * n..(i0 + 1) * n]);
            std::mem::swap(&mut self.links[j0], &mut pool.links[i0]);
            report.swaps += 1;
            report.log_det_gain += cv.abs().ln();
            since += 1;
            if stop(&self.links) {
                break;
            }
            if since >= opts.refresh_every.max(1) {
                report.inverse_drift = report.inverse_drift.max(self.refresh_drift()?);
                c = self.coefficients(&pool.rows)?;
                report.refreshes += 1;
                since = 0;
            }
        }
        if report.swaps > 0 {
            report.inverse_drift = report.inverse_drift.max(self.refresh_drift()?);
            c = self.coefficients(&pool.rows)?;
            report.refreshes += 1;
        }
        report.max_coefficient = argmax_abs(&c).1.abs();
        Ok(report)
    }
}

/// Column-major view of a row-major `rows x cols` slice: the transposed matrix (`cols x rows`).
fn view(data: &[f64], cols: usize, rows: usize) -> DMatrixView<'_, f64> {
    DMatrixView::from_slice(data, cols, rows)
}

fn check_square(a: &[f64], n: usize, what: &str) -> Result<()> {
    if n == 0 || a.len() != n * n {
        return Err(MaxVolError::Dimension(format!(
            "{what}: {} values for {n} rows (expected {n} x {n})",
            a.len()
        )));
    }
    if a.iter().any(|x| !x.is_finite()) {
        return Err(MaxVolError::NonFinite(format!("entry of the {what}")));
    }
    Ok(())
}

/// The inverse of a row-major `n x n` matrix by a full-pivot LU (row-major out).
///
/// Rank and conditioning are checked before the inverse is trusted: with pivots
/// $|u_{11}| \ge |u_{22}| \ge \dots$ of the full-pivot LU, the matrix is rank-deficient when
/// $|u_{nn}| \le n \varepsilon |u_{11}|$; and the reciprocal condition number
/// $1 / (\|A\|_1 \|A^{-1}\|_1)$ must exceed $n \varepsilon$ ($\varepsilon$ = machine epsilon).
///
/// # Errors
/// [`MaxVolError::Singular`] with the numerical rank or the condition estimate;
/// [`MaxVolError::NonFinite`] for a non-finite entry.
pub fn invert(a: &[f64], n: usize, what: &str) -> Result<Vec<f64>> {
    check_square(a, n, what)?;
    let m = DMatrix::from_row_slice(n, n, a);
    let norm1 = (0..n)
        .map(|j| m.column(j).iter().map(|x| x.abs()).sum::<f64>())
        .fold(0.0, f64::max);
    let lu = m.full_piv_lu();
    let u = lu.u();
    let tol = n as f64 * f64::EPSILON * u[(0, 0)].abs();
    let rank = (0..n).filter(|&k| u[(k, k)].abs() > tol).count();
    if rank < n || norm1 == 0.0 {
        return Err(MaxVolError::Singular {
            what: what.into(),
            detail: format!("numerical rank {rank} of {n} (full-pivot LU pivots below {tol:e})"),
        });
    }
    let inv = lu.try_inverse().ok_or_else(|| MaxVolError::Singular {
        what: what.into(),
        detail: "LU inversion failed".into(),
    })?;
    let inorm1 = (0..n)
        .map(|j| inv.column(j).iter().map(|x| x.abs()).sum::<f64>())
        .fold(0.0, f64::max);
    let rcond = 1.0 / (norm1 * inorm1);
    if rcond.is_nan() || rcond <= n as f64 * f64::EPSILON {
        return Err(MaxVolError::Singular {
            what: what.into(),
            detail: format!("reciprocal condition number {rcond:e} (1-norm)"),
        });
    }
    Ok(inv.transpose().as_slice().to_vec())
}

/// Index and value of the entry of largest magnitude (first on ties; NaN wins).
fn argmax_abs(c: &[f64]) -> (usize, f64) {
    let mut best = (0, 0.0_f64);
    for (k, &x) in c.iter().enumerate() {
        if x.is_nan() {
            return (k, x);
        }
        if x.abs() > best.1.abs() {
            best = (k, x);
        }
    }
    best
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0_f64, |m, x| {
        if x.is_nan() || m.is_nan() {
            f64::NAN
        } else {
            m.max(x.abs())
        }
    })
}

#[inline]
fn axpy(y: &mut [f64], a: f64, x: &[f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}
