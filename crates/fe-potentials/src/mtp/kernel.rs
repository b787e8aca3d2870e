//! The MTP kernel (MTP.md 2.10): per atom, gather the pairs within the cutoff, evaluate the
//! radial functions once per pair, the basic moments as dot products over pairs, the product
//! table forward and backward, and the pair gradients; rayon over fixed chunks of atoms.
//!
//! Memory layout: every per-pair quantity is stored pair-contiguous (`[quantity][pair]`,
//! stride = the workspace capacity), so the basic moments are dot products and the backward
//! pass is a sequence of axpys over pairs, both vectorisable. Workspaces are created once
//! per rayon task and only grow.

use fe_neighbors::NeighborList;

use super::model::MtpModel;
use crate::potential::BoundAtoms;

/// One basic moment `(mu, alpha, beta, gamma)` with the monomial indices it needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BasicMoment {
    /// Radial function.
    pub mu: usize,
    /// Monomial `u_x^a u_y^b u_z^c`.
    pub m: usize,
    /// Monomials with one power of x, y, z fewer (0 when that power is 0).
    pub lowered: [usize; 3],
    /// The powers `(a, b, c)` as reals.
    pub powers: [f64; 3],
}

/// One product row `M_k += mult M_i M_j`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Product {
    pub i: u32,
    pub j: u32,
    pub k: u32,
    pub mult: f64,
}

/// Everything the kernel reads, precomputed from a model.
#[derive(Debug, Clone)]
pub(crate) struct Basis {
    pub n_species: usize,
    pub k: usize,
    pub r: usize,
    pub n_b: usize,
    pub n_m: usize,
    pub min_dist: f64,
    pub max_dist: f64,
    /// `scaling * c[a][b][mu][beta]` at `((a C + b) K + mu) R + beta`.
    pub coef: Vec<f64>,
    /// Number of monomials of degree <= the largest rank.
    pub n_mono: usize,
    /// Monomial m (m >= 1) is monomial `parent[m].0` times `u[parent[m].1]`.
    pub parent: Vec<(usize, usize)>,
    pub basic: Vec<BasicMoment>,
    /// Basic moment of (radial function, monomial) at `mu * n_mono + m`, or `usize::MAX`.
    pub kidx: Vec<usize>,
    /// Per radial function: one past the largest monomial index its basic moments use.
    pub m_end: Vec<usize>,
    pub times: Vec<Product>,
    pub mapping: Vec<usize>,
    pub theta: Vec<f64>,
    pub xi: Vec<f64>,
}

impl Basis {
    /// Tables of a validated, trained model.
    pub(crate) fn new(m: &MtpModel) -> Basis {
        let max_nu = m
            .alpha_index_basic
            .iter()
            .map(|b| b[1] + b[2] + b[3])
            .max()
            .unwrap_or(0);
        let d = max_nu + 1;
        let mut index = vec![usize::MAX; d * d * d];
        let at = |a: usize, b: usize, c: usize| (a * d + b) * d + c;
        let mut parent = Vec::new();
        let mut n_mono = 0;
        for deg in 0..=max_nu {
            for a in (0..=deg).rev() {
                for b in (0..=deg - a).rev() {
                    let c = deg - a - b;
                    index[at(a, b, c)] = n_mono;
                    parent.push(if a > 0 {
                        (index[at(a - 1, b, c)], 0)
                    } else if b > 0 {
                        (index[at(a, b - 1, c)], 1)
                    } else if c > 0 {
                        (index[at(a, b, c - 1)], 2)
                    } else {
                        (0, 0)
                    });
                    n_mono += 1;
                }
            }
        }
        let basic: Vec<BasicMoment> = m
            .alpha_index_basic
            .iter()
            .map(|&[mu, a, b, c]| BasicMoment {
                mu,
                m: index[at(a, b, c)],
                lowered: [
                    if a > 0 { index[at(a - 1, b, c)] } else { 0 },
                    if b > 0 { index[at(a, b - 1, c)] } else { 0 },
                    if c > 0 { index[at(a, b, c - 1)] } else { 0 },
                ],
                powers: [a as f64, b as f64, c as f64],
            })
            .collect();
        let kk = m.radial_funcs_count;
        let mut kidx = vec![usize::MAX; kk * n_mono];
        let mut m_end = vec![0; kk];
        for (k, bm) in basic.iter().enumerate() {
            // a repeated (mu, m) row would be a second copy of the same moment: keep the first
            // for the forward pass (it is copied below) and let the backward pass add both.
            if kidx[bm.mu * n_mono + bm.m] == usize::MAX {
                kidx[bm.mu * n_mono + bm.m] = k;
            }
            m_end[bm.mu] = m_end[bm.mu].max(bm.m + 1);
        }
        let times = m
            .alpha_index_times
            .iter()
            .map(|&[i, j, mult, k]| Product {
                i: i as u32,
                j: j as u32,
                k: k as u32,
                mult: mult as f64,
            })
            .collect();
        let coef = m
            .radial_coeffs
            .as_ref()
            .map(|rc| rc.values.iter().map(|c| m.scaling * c).collect())
            .unwrap_or_default();
        Basis {
            n_species: m.n_species(),
            k: m.radial_funcs_count,
            r: m.radial_basis_size,
            n_b: m.alpha_index_basic.len(),
            n_m: m.alpha_moments_count,
            min_dist: m.min_dist,
            max_dist: m.max_dist,
            coef,
            n_mono,
            parent,
            basic,
            kidx,
            m_end,
            times,
            mapping: m.alpha_moment_mapping.clone(),
            theta: m.moment_coeffs.clone().unwrap_or_default(),
            xi: m.species_coeffs.clone().unwrap_or_default(),
        }
    }

    /// Chebyshev values `T_beta(ksi)` and derivatives `dT/dksi` into `t`, `dt` (length R).
    #[inline(always)]
    fn chebyshev(ksi: f64, t: &mut [f64], dt: &mut [f64]) {
        let r = t.len();
        t[0] = 1.0;
        dt[0] = 0.0;
        if r > 1 {
            t[1] = ksi;
            dt[1] = 1.0;
        }
        for b in 2..r {
            t[b] = 2.0 * ksi * t[b - 1] - t[b - 2];
            dt[b] = 2.0 * t[b - 1] + 2.0 * ksi * dt[b - 1] - dt[b - 2];
        }
    }
}

/// Scratch space of one rayon task: the pairs of the current atom and every per-pair and
/// per-moment quantity.
pub(crate) struct Work {
    cap: usize,
    /// Row stride of the pair-contiguous arrays for the current atom (`np` rounded up to 4).
    stride: usize,
    /// Pairs of the current atom within the cutoff.
    pub np: usize,
    /// Pair vectors `r_ij = x_j + shift - x_i`.
    pub d: Vec<[f64; 3]>,
    r: Vec<f64>,
    u: [Vec<f64>; 3],
    /// Neighbour atom of every pair.
    pub nb: Vec<u32>,
    /// List entry of every pair.
    pub entry: Vec<usize>,
    tj: Vec<usize>,
    /// Chebyshev values and derivatives of each pair, `[beta][pair]`.
    q: Vec<f64>,
    dq: Vec<f64>,
    f: Vec<f64>,
    df: Vec<f64>,
    mono: Vec<f64>,
    /// Moments `M` (basic and products) of the current atom.
    pub m: Vec<f64>,
    /// Adjoints `dE/dM` of the current atom.
    pub g: Vec<f64>,
    /// Backward coefficients per (radial function, monomial): `g_k` and `g_k alpha_k`,
    /// `g_k beta_k`, `g_k gamma_k` placed at the lowered monomials.
    coef4: Vec<[f64; 4]>,
    /// `Phi_mu(u_p) = sum_{k: mu_k = mu} g_k P_k(u_p)` of the last backward pass.
    phi: Vec<f64>,
    /// `dE_i/dr_ij` of every pair after [`Work::backward`].
    pub grad: Vec<[f64; 3]>,
    tbuf: Vec<f64>,
    dtbuf: Vec<f64>,
}

impl Work {
    pub(crate) fn new(basis: &Basis) -> Work {
        let mut w = Work {
            cap: 0,
            stride: 0,
            np: 0,
            d: Vec::new(),
            r: Vec::new(),
            u: [Vec::new(), Vec::new(), Vec::new()],
            nb: Vec::new(),
            entry: Vec::new(),
            tj: Vec::new(),
            q: Vec::new(),
            dq: Vec::new(),
            f: Vec::new(),
            df: Vec::new(),
            mono: Vec::new(),
            m: vec![0.0; basis.n_m],
            g: vec![0.0; basis.n_m],
            coef4: vec![[0.0; 4]; basis.k * basis.n_mono],
            phi: Vec::new(),
            grad: Vec::new(),
            tbuf: vec![0.0; basis.r],
            dtbuf: vec![0.0; basis.r],
        };
        w.reserve(basis, 128);
        w
    }

    /// Room for `n` pairs (only grows; rounded up to a multiple of 8).
    fn reserve(&mut self, basis: &Basis, n: usize) {
        if n <= self.cap {
            return;
        }
        let cap = n.next_multiple_of(4).max(4);
        self.cap = cap;
        self.d = vec![[0.0; 3]; cap];
        self.r = vec![0.0; cap];
        self.u = [vec![0.0; cap], vec![0.0; cap], vec![0.0; cap]];
        self.nb = vec![0; cap];
        self.entry = vec![0; cap];
        self.tj = vec![0; cap];
        self.q = vec![0.0; basis.r * cap];
        self.dq = vec![0.0; basis.r * cap];
        self.f = vec![0.0; basis.k * cap];
        self.df = vec![0.0; basis.k * cap];
        self.mono = vec![0.0; basis.n_mono * cap];
        self.phi = vec![0.0; basis.k * cap];
        self.grad = vec![[0.0; 3]; cap];
    }

    /// Collect the pairs of atom `i` within the cutoff from its list row: the vectors
    /// `r_ij = x_j + S H - x_i` (`rows` are the lattice vectors), distances and unit vectors.
    pub(crate) fn gather(
        &mut self,
        basis: &Basis,
        i: usize,
        atoms: &BoundAtoms<'_>,
        list: &NeighborList,
        rows: &[[f64; 3]; 3],
    ) {
        let (pos, species) = (atoms.structure().positions(), atoms.species());
        let (row, neighbors, shifts) = (list.row(i), list.neighbors(), list.shifts());
        self.reserve(basis, row.len());
        let cut2 = basis.max_dist * basis.max_dist;
        let pi = pos[i];
        let mut np = 0;
        for e in row {
            let j = neighbors[e] as usize;
            let s = shifts[e].map(f64::from);
            let pj = pos[j];
            let mut d = [0.0; 3];
            for a in 0..3 {
                d[a] = pj[a] + (s[0] * rows[0][a] + s[1] * rows[1][a] + s[2] * rows[2][a]) - pi[a];
            }
            let r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            if r2 < cut2 {
                let r = r2.sqrt();
                self.d[np] = d;
                self.r[np] = r;
                let inv = 1.0 / r;
                self.u[0][np] = d[0] * inv;
                self.u[1][np] = d[1] * inv;
                self.u[2][np] = d[2] * inv;
                self.nb[np] = j as u32;
                self.entry[np] = e;
                self.tj[np] = usize::from(species[j]);
                np += 1;
            }
        }
        self.np = np;
        // Padding lanes up to the stride: harmless finite values, never read back.
        self.stride = np.next_multiple_of(4).max(4);
        for p in np..self.stride {
            self.r[p] = 1.0;
            for u in &mut self.u {
                u[p] = 0.0;
            }
        }
    }

    /// Radial functions, monomials, basic moments and products of the gathered pairs of a
    /// centre of species `ti` (MTP.md 2.2-2.5); returns `sum_s theta_s B_s` (without `xi`).
    pub(crate) fn forward(&mut self, basis: &Basis, ti: usize) -> f64 {
        let (np, cap, kk, rr) = (self.np, self.stride, basis.k, basis.r);
        // Radial basis Q_beta, dQ_beta/dr and functions f_mu, f'_mu.
        let (rmin, rcut) = (basis.min_dist, basis.max_dist);
        let scale = 2.0 / (rcut - rmin);
        for p in 0..cap {
            let r = self.r[p];
            let ksi = (2.0 * r - (rmin + rcut)) / (rcut - rmin);
            Basis::chebyshev(ksi, &mut self.tbuf, &mut self.dtbuf);
            let w = rcut - r;
            let w2 = w * w;
            for b in 0..rr {
                self.q[b * cap + p] = self.tbuf[b] * w2;
                self.dq[b * cap + p] = self.dtbuf[b] * scale * w2 - 2.0 * self.tbuf[b] * w;
            }
        }
        if basis.n_species == 1 {
            let coef = &basis.coef[..kk * rr];
            for mu in 0..kk {
                let c = &coef[mu * rr..(mu + 1) * rr];
                let (f, df) = (
                    &mut self.f[mu * cap..(mu + 1) * cap],
                    &mut self.df[mu * cap..(mu + 1) * cap],
                );
                f.fill(0.0);
                df.fill(0.0);
                for (b, &cb) in c.iter().enumerate() {
                    let q = &self.q[b * cap..(b + 1) * cap];
                    let dq = &self.dq[b * cap..(b + 1) * cap];
                    for p in 0..cap {
                        f[p] += cb * q[p];
                        df[p] += cb * dq[p];
                    }
                }
            }
        } else {
            for p in 0..cap {
                let tj = if p < np { self.tj[p] } else { 0 };
                let blk = (ti * basis.n_species + tj) * kk * rr;
                for mu in 0..kk {
                    let c = &basis.coef[blk + mu * rr..blk + (mu + 1) * rr];
                    let (mut f, mut df) = (0.0, 0.0);
                    for (b, &cb) in c.iter().enumerate() {
                        f += cb * self.q[b * cap + p];
                        df += cb * self.dq[b * cap + p];
                    }
                    self.f[mu * cap + p] = f;
                    self.df[mu * cap + p] = df;
                }
            }
        }
        // Monomials u_x^a u_y^b u_z^c, [monomial][pair].
        self.mono[..cap].fill(1.0);
        for m in 1..basis.n_mono {
            let (par, axis) = basis.parent[m];
            let (lo, hi) = self.mono.split_at_mut(m * cap);
            let src = &lo[par * cap..(par + 1) * cap];
            let u = &self.u[axis][..cap];
            for ((x, &s), &ua) in hi[..cap].iter_mut().zip(src).zip(u) {
                *x = s * ua;
            }
        }
        // Basic moments: M_k = sum_p f_mu(r_p) P_k(u_p).
        // One monomial row at a time, against every radial function that uses it.
        for m in 0..basis.n_mono {
            let row = &self.mono[m * cap..m * cap + np];
            for mu in 0..kk {
                let k = basis.kidx[mu * basis.n_mono + m];
                if k != usize::MAX {
                    self.m[k] = dot(&self.f[mu * cap..mu * cap + np], row);
                }
            }
        }
        for (k, bm) in basis.basic.iter().enumerate() {
            let first = basis.kidx[bm.mu * basis.n_mono + bm.m];
            if first != k {
                self.m[k] = self.m[first];
            }
        }
        // Products, in order. Consecutive rows with the same target are summed in registers
        // (two partial sums) and stored once: no row reads a slot that it or a later row
        // writes (checked by `MtpModel::validate`), so deferring the store changes nothing.
        self.m[basis.n_b..].fill(0.0);
        let m = &mut self.m;
        let mut rows = basis.times.iter().peekable();
        while let Some(first) = rows.next() {
            let k = first.k;
            let mut acc = [first.mult * m[first.i as usize] * m[first.j as usize], 0.0];
            let mut lane = 1;
            while let Some(t) = rows.next_if(|t| t.k == k) {
                acc[lane] += t.mult * m[t.i as usize] * m[t.j as usize];
                lane ^= 1;
            }
            m[k as usize] += acc[0] + acc[1];
        }
        basis
            .mapping
            .iter()
            .zip(&basis.theta)
            .map(|(&s, &th)| th * self.m[s])
            .sum()
    }

    /// Set the adjoints to the energy's: `g[mapping[s]] += theta[s]`.
    pub(crate) fn seed_energy(&mut self, basis: &Basis) {
        self.g.fill(0.0);
        for (&s, &th) in basis.mapping.iter().zip(&basis.theta) {
            self.g[s] += th;
        }
    }

    /// Set the adjoints to those of basis function `s` alone.
    pub(crate) fn seed_basis(&mut self, basis: &Basis, s: usize) {
        self.g.fill(0.0);
        self.g[basis.mapping[s]] = 1.0;
    }

    /// Backward pass (MTP.md 2.7) from the adjoints in `g`: products in reverse, then the
    /// pair gradients `grad[p] = d(sum_k g_k M_k)/d r_p` of the basic moments. With
    /// $\Phi_\mu(\hat u) = \sum_{k: \mu_k = \mu} g_k P_k(\hat u)$,
    /// $$ \mathbf G_p = \sum_\mu \Big[ f'_\mu \Phi_\mu \hat u + \frac{f_\mu}{r}
    ///    \big(\nabla\Phi_\mu - (\hat u \cdot \nabla\Phi_\mu)\, \hat u\big) \Big], $$
    /// which equals MTP.md's $f' P \hat u + (f/r)(\nabla P - \nu P \hat u)$ summed over
    /// $k$ because $\hat u \cdot \nabla P_k = \nu_k P_k$ (Euler). Leaves $\Phi_\mu$ per
    /// pair (the radial-coefficient derivatives need it).
    pub(crate) fn backward(&mut self, basis: &Basis) {
        let (np, kk) = (self.np, basis.k);
        {
            let (m, g) = (&self.m, &mut self.g);
            // g[k] is final when its rows are reached (rows reading k come later in forward
            // order), so it is loaded once per run of rows with the same target.
            let mut rows = basis.times.iter().rev().peekable();
            while let Some(first) = rows.next() {
                let k = first.k;
                let gk = g[k as usize];
                let mut t = first;
                loop {
                    let w = t.mult * gk;
                    let (i, j) = (t.i as usize, t.j as usize);
                    g[i] += w * m[j];
                    g[j] += w * m[i];
                    match rows.next_if(|t| t.k == k) {
                        Some(next) => t = next,
                        None => break,
                    }
                }
            }
        }
        // Coefficients of Phi_mu and of its gradient on the monomials.
        let nmono = basis.n_mono;
        self.coef4.fill([0.0; 4]);
        for (k, bm) in basis.basic.iter().enumerate() {
            let gk = self.g[k];
            if gk == 0.0 {
                continue;
            }
            let base = bm.mu * nmono;
            self.coef4[base + bm.m][0] += gk;
            for axis in 0..3 {
                if bm.powers[axis] > 0.0 {
                    self.coef4[base + bm.lowered[axis]][1 + axis] += gk * bm.powers[axis];
                }
            }
        }
        // Per block of four pairs and radial function: Phi and grad Phi as a small matrix
        // product of the coefficients with the monomials, then the pair gradients.
        let st = self.stride;
        for pb in (0..np).step_by(4) {
            let mut grad = [[0.0; 3]; 4];
            for mu in 0..kk {
                // acc[l] = (Phi, dPhi/dux, dPhi/duy, dPhi/duz) of pair pb + l.
                let mut acc = [[0.0; 4]; 4];
                let coefs = &self.coef4[mu * nmono..mu * nmono + basis.m_end[mu]];
                for (m, c) in coefs.iter().enumerate() {
                    let v = &self.mono[m * st + pb..m * st + pb + 4];
                    for (a, &vl) in acc.iter_mut().zip(v) {
                        for q in 0..4 {
                            a[q] += c[q] * vl;
                        }
                    }
                }
                for (l, gl) in grad.iter_mut().enumerate() {
                    let p = pb + l;
                    if p >= np {
                        break;
                    }
                    let at = mu * st + p;
                    self.phi[at] = acc[l][0];
                    let u = [self.u[0][p], self.u[1][p], self.u[2][p]];
                    let dphi = [acc[l][1], acc[l][2], acc[l][3]];
                    let ud = u[0] * dphi[0] + u[1] * dphi[1] + u[2] * dphi[2];
                    let radial = self.df[at] * acc[l][0];
                    let tang = self.f[at] / self.r[p];
                    for a in 0..3 {
                        gl[a] += u[a] * radial + tang * (dphi[a] - ud * u[a]);
                    }
                }
            }
            for (l, gl) in grad.iter().enumerate() {
                if pb + l < np {
                    self.grad[pb + l] = *gl;
                }
            }
        }
    }

    /// `sum_{k: mu_k = mu} g_k P_k(u_p)` of the last backward pass.
    pub(crate) fn radial_adjoint(&self, mu: usize, p: usize) -> f64 {
        self.phi[mu * self.stride + p]
    }

    /// `Q_beta(r_p) / scaling`-free Chebyshev term of the last forward pass:
    /// `T_beta(ksi) (R_cut - r)^2`.
    pub(crate) fn q(&self, beta: usize, p: usize) -> f64 {
        self.q[beta * self.stride + p]
    }

    /// Species of the neighbour of pair `p`.
    pub(crate) fn neighbor_species(&self, p: usize) -> usize {
        self.tj[p]
    }
}

/// `sum_p a_p b_p` with four partial sums (vectorisable).
#[inline(always)]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut s = [0.0; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for l in 0..4 {
            s[l] += x[l] * y[l];
        }
    }
    let mut t = (s[0] + s[2]) + (s[1] + s[3]);
    for (x, y) in ra.iter().zip(rb) {
        t += x * y;
    }
    t
}
