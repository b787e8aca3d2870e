//! The MTP kernel (MTP.md 2.10): per atom, gather the pairs within the cutoff, evaluate the
//! radial functions once per pair, the basic moments as dot products over pairs; then the
//! product table forward and backward for [`LANES`] atoms at once; then the pair gradients
//! of each atom. Rayon over fixed chunks of atoms.
//!
//! Memory layout: every per-pair quantity is stored pair-contiguous (`[quantity][pair]`,
//! stride = the pair count rounded up to [`PAIR_BLOCK`]), so the radial functions, the
//! monomials and the basic moments (four dot products over pairs per pass) are vector loops
//! over pairs. The monomials are built pair-contiguous in one scratch per task for the
//! forward pass and rebuilt per block of [`PAIR_BLOCK`] pairs in the backward pass
//! (`[monomial][pair]`, 9 KB at level 24, instead of a strided walk through a 290 KB
//! array), where $\Phi_\mu$ and its gradient are a small matrix product with vectors over
//! the block's pairs.
//!
//! Moments and adjoints are stored `[moment][lane]`: one product row `M_k += m M_i M_j`
//! reads its indices once and updates [`LANES`] atoms (or, for [`Work::seed_basis`],
//! [`LANES`] basis functions of one atom) with vector instructions (two AVX2 or four SSE2
//! operations per step, see `isa.rs`; eight lanes fill a cache line per moment); the rows
//! are latency-bound scalar work otherwise. Every lane does the same arithmetic in the same
//! order as a lone atom would, so results do not depend on which atoms share a batch.
//! Workspaces are created once per rayon task and only grow. The hot methods are
//! `#[inline(always)]` so that each instruction-set variant of the entry points
//! (`isa.rs`) compiles all of them.

use fe_neighbors::NeighborList;

use super::model::MtpModel;
use crate::potential::BoundAtoms;

/// What one evaluation reads besides the tables: the bound atoms, their neighbour list
/// (checked against the cutoff) and the lattice vectors `rows` = rows of `H` that turn the
/// list's integer shifts into Angstrom.
#[derive(Clone, Copy)]
pub(crate) struct Input<'a, 'b> {
    pub atoms: &'a BoundAtoms<'b>,
    pub list: &'a NeighborList,
    pub rows: [[f64; 3]; 3],
}

/// Atoms (or basis functions of one atom) that go through the product table together.
pub(crate) const LANES: usize = 8;

/// One value per lane.
pub(crate) type Lanes = [f64; LANES];

/// Pairs per block of the backward pass over pairs; pair arrays are padded to a multiple.
const PAIR_BLOCK: usize = 4;

/// One basic moment `(mu, alpha, beta, gamma)` with the monomial it needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BasicMoment {
    /// Radial function.
    pub mu: usize,
    /// Monomial `u_x^a u_y^b u_z^c`.
    pub m: usize,
    /// The first basic moment with the same `(mu, m)` (itself when it is the first).
    pub first: usize,
    /// Monomials with one power of x, y, z fewer (0 when that power is 0).
    pub lowered: [usize; 3],
    /// The powers `(a, b, c)` as reals.
    pub powers: [f64; 3],
}

/// Monomials `dst..dst + len` are monomials `src..src + len` times `u[axis]`
/// (`src + len <= dst`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct MonoStep {
    pub dst: usize,
    pub src: usize,
    pub len: usize,
    pub axis: usize,
}

/// One product row `M_k += mult M_i M_j` (its target `k` is that of its [`Run`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    pub i: u32,
    pub j: u32,
    pub mult: f64,
}

/// Consecutive product rows `start..end` with the same target `k`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Run {
    pub k: usize,
    pub start: usize,
    pub end: usize,
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
    /// How to build the monomials from monomial 0 (= 1): every monomial `m >= 1` is an
    /// earlier one (its parent) times one component of the unit vector, and runs of
    /// consecutive monomials whose parents are consecutive too form one [`MonoStep`]
    /// (three per degree).
    pub mono_plan: Vec<MonoStep>,
    pub basic: Vec<BasicMoment>,
    /// The basic moments that are computed: the first of every `(mu, m)`.
    pub distinct: Vec<usize>,
    /// Per radial function: one past the largest monomial index its basic moments use.
    pub m_end: Vec<usize>,
    /// The product table in order, cut in runs of equal targets.
    pub rows: Vec<Row>,
    pub runs: Vec<Run>,
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
        let mut mono_plan: Vec<MonoStep> = Vec::new();
        for (mo, &(src, axis)) in parent.iter().enumerate().skip(1) {
            match mono_plan.last_mut() {
                Some(st) if st.axis == axis && st.dst + st.len == mo && st.src + st.len == src => {
                    st.len += 1;
                }
                _ => mono_plan.push(MonoStep {
                    dst: mo,
                    src,
                    len: 1,
                    axis,
                }),
            }
        }
        let kk = m.radial_funcs_count;
        // A repeated (mu, m) row is a second copy of the same moment: the forward pass
        // copies the first, the backward pass adds both.
        let mut seen = vec![usize::MAX; kk * n_mono];
        let basic: Vec<BasicMoment> = m
            .alpha_index_basic
            .iter()
            .enumerate()
            .map(|(k, &[mu, a, b, c])| {
                let mono = index[at(a, b, c)];
                let slot = &mut seen[mu * n_mono + mono];
                if *slot == usize::MAX {
                    *slot = k;
                }
                BasicMoment {
                    mu,
                    m: mono,
                    first: *slot,
                    lowered: [
                        if a > 0 { index[at(a - 1, b, c)] } else { 0 },
                        if b > 0 { index[at(a, b - 1, c)] } else { 0 },
                        if c > 0 { index[at(a, b, c - 1)] } else { 0 },
                    ],
                    powers: [a as f64, b as f64, c as f64],
                }
            })
            .collect();
        let distinct = (0..basic.len()).filter(|&k| basic[k].first == k).collect();
        let mut m_end = vec![0; kk];
        for bm in &basic {
            m_end[bm.mu] = m_end[bm.mu].max(bm.m + 1);
        }
        let rows = m
            .alpha_index_times
            .iter()
            .map(|&[i, j, mult, _]| Row {
                i: i as u32,
                j: j as u32,
                mult: mult as f64,
            })
            .collect();
        let mut runs: Vec<Run> = Vec::new();
        for (n, &[_, _, _, k]) in m.alpha_index_times.iter().enumerate() {
            match runs.last_mut() {
                Some(run) if run.k == k => run.end = n + 1,
                _ => runs.push(Run {
                    k,
                    start: n,
                    end: n + 1,
                }),
            }
        }
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
            mono_plan,
            basic,
            distinct,
            m_end,
            rows,
            runs,
            mapping: m.alpha_moment_mapping.clone(),
            theta: m.moment_coeffs.clone().unwrap_or_default(),
            xi: m.species_coeffs.clone().unwrap_or_default(),
        }
    }
}

/// The pairs of one atom and every per-pair quantity.
pub(crate) struct Pairs {
    cap: usize,
    /// Row stride of the pair-contiguous arrays for the current atom (`np` rounded up to
    /// [`PAIR_BLOCK`]).
    stride: usize,
    /// Pairs of the current atom within the cutoff.
    pub np: usize,
    /// Pair vectors `r_ij = x_j + shift - x_i`.
    pub d: Vec<[f64; 3]>,
    r: Vec<f64>,
    u: [Vec<f64>; 3],
    /// Neighbour atom of every pair.
    pub nb: Vec<u32>,
    tj: Vec<usize>,
    /// Chebyshev values and derivatives of each pair, `[beta][pair]`.
    q: Vec<f64>,
    dq: Vec<f64>,
    f: Vec<f64>,
    df: Vec<f64>,
    /// Monomials of the current block of pairs, `[monomial][pair in block]` (recomputed by
    /// the backward pass rather than stored for every pair).
    mono: Vec<[f64; PAIR_BLOCK]>,
    /// `Phi_mu(u_p) = sum_{k: mu_k = mu} g_k P_k(u_p)` of the last backward pass.
    phi: Vec<f64>,
    /// `dE_i/dr_ij` of every pair after [`Pairs::backward`].
    pub grad: Vec<[f64; 3]>,
    /// Backward coefficients per (radial function, monomial): `g_k` and `g_k alpha_k`,
    /// `g_k beta_k`, `g_k gamma_k` placed at the lowered monomials.
    coef4: Vec<[f64; 4]>,
}

impl Pairs {
    fn new(basis: &Basis) -> Pairs {
        let mut w = Pairs {
            cap: 0,
            stride: 0,
            np: 0,
            d: Vec::new(),
            r: Vec::new(),
            u: [Vec::new(), Vec::new(), Vec::new()],
            nb: Vec::new(),
            tj: Vec::new(),
            q: Vec::new(),
            dq: Vec::new(),
            f: Vec::new(),
            df: Vec::new(),
            mono: vec![[0.0; PAIR_BLOCK]; basis.n_mono],
            phi: Vec::new(),
            grad: Vec::new(),
            coef4: vec![[0.0; 4]; basis.k * basis.n_mono],
        };
        w.reserve(basis, 128);
        w
    }

    /// Room for `n` pairs (only grows; rounded up to a multiple of [`PAIR_BLOCK`]).
    fn reserve(&mut self, basis: &Basis, n: usize) {
        if n <= self.cap {
            return;
        }
        let cap = n.next_multiple_of(PAIR_BLOCK).max(PAIR_BLOCK);
        self.cap = cap;
        self.d = vec![[0.0; 3]; cap];
        self.r = vec![0.0; cap];
        self.u = [vec![0.0; cap], vec![0.0; cap], vec![0.0; cap]];
        self.nb = vec![0; cap];
        self.tj = vec![0; cap];
        self.q = vec![0.0; basis.r * cap];
        self.dq = vec![0.0; basis.r * cap];
        self.f = vec![0.0; basis.k * cap];
        self.df = vec![0.0; basis.k * cap];
        self.phi = vec![0.0; basis.k * cap];
        self.grad = vec![[0.0; 3]; cap];
    }

    /// Collect the pairs of atom `i` within the cutoff from its list row: the vectors
    /// `r_ij = x_j + S H - x_i` (`rows` are the lattice vectors), distances and unit vectors.
    #[inline(always)]
    fn gather(&mut self, basis: &Basis, i: usize, input: &Input<'_, '_>) {
        let (atoms, list, rows) = (input.atoms, input.list, &input.rows);
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
                self.tj[np] = usize::from(species[j]);
                np += 1;
            }
        }
        self.np = np;
        // Padding lanes up to the stride: harmless finite values, never read back.
        self.stride = np.next_multiple_of(PAIR_BLOCK).max(PAIR_BLOCK);
        for p in np..self.stride {
            self.r[p] = 1.0;
            for u in &mut self.u {
                u[p] = 0.0;
            }
        }
    }

    /// Radial functions, monomials and basic moments of the gathered pairs of a centre of
    /// species `ti` (MTP.md 2.2-2.4), written to lane `lane` of `m`.
    #[inline(always)]
    fn basic_moments(
        &mut self,
        basis: &Basis,
        ti: usize,
        m: &mut [Lanes],
        lane: usize,
        rows: &mut Vec<f64>,
    ) {
        let (np, cap, kk, rr) = (self.np, self.stride, basis.k, basis.r);
        // Radial basis Q_beta, dQ_beta/dr and functions f_mu, f'_mu.
        let (rmin, rcut) = (basis.min_dist, basis.max_dist);
        let scale = 2.0 / (rcut - rmin);
        // Chebyshev recursion T_b = 2 ksi T_{b-1} - T_{b-2},
        // dT_b/dksi = 2 T_{b-1} + 2 ksi dT_{b-1}/dksi - dT_{b-2}/dksi, for a block of pairs
        // at once; Q_b = T_b w^2 and dQ_b/dr = (2/(R_cut - R_min)) dT_b/dksi w^2 - 2 T_b w
        // with w = R_cut - r.
        for pb in (0..cap).step_by(PAIR_BLOCK) {
            let r = load(&self.r, pb);
            let ksi = r.map(|r| (2.0 * r - (rmin + rcut)) / (rcut - rmin));
            let w = r.map(|r| rcut - r);
            let w2 = w.map(|w| w * w);
            let (mut t, mut dt) = ([1.0; PAIR_BLOCK], [0.0; PAIR_BLOCK]);
            let (mut t1, mut dt1) = (ksi, [1.0; PAIR_BLOCK]);
            for b in 0..rr {
                if b >= 2 {
                    let t2 = std::array::from_fn(|l| 2.0 * ksi[l] * t1[l] - t[l]);
                    let dt2 = std::array::from_fn(|l| 2.0 * t1[l] + 2.0 * ksi[l] * dt1[l] - dt[l]);
                    (t, dt, t1, dt1) = (t1, dt1, t2, dt2);
                }
                let (tb, dtb) = if b == 0 { (t, dt) } else { (t1, dt1) };
                let q = &mut self.q[b * cap + pb..b * cap + pb + PAIR_BLOCK];
                for (l, q) in q.iter_mut().enumerate() {
                    *q = tb[l] * w2[l];
                }
                let dq = &mut self.dq[b * cap + pb..b * cap + pb + PAIR_BLOCK];
                for (l, dq) in dq.iter_mut().enumerate() {
                    *dq = dtb[l] * scale * w2[l] - 2.0 * tb[l] * w[l];
                }
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
        // Padding pairs contribute nothing.
        for mu in 0..kk {
            self.f[mu * cap + np..(mu + 1) * cap].fill(0.0);
            self.df[mu * cap + np..(mu + 1) * cap].fill(0.0);
        }
        // Monomials u_x^a u_y^b u_z^c, [monomial][pair], in the task's shared scratch.
        let need = basis.n_mono * cap;
        if rows.len() < need {
            rows.resize(need, 0.0);
        }
        rows[..cap].fill(1.0);
        for st in &basis.mono_plan {
            let (lo, hi) = rows.split_at_mut(st.dst * cap);
            let src = &lo[st.src * cap..(st.src + st.len) * cap];
            let u = &self.u[st.axis][..cap];
            for (d, s) in hi[..st.len * cap]
                .chunks_exact_mut(cap)
                .zip(src.chunks_exact(cap))
            {
                for ((x, &y), &ua) in d.iter_mut().zip(s).zip(u) {
                    *x = y * ua;
                }
            }
        }
        // Four moments at a time: independent sums overlap their latencies.
        let f_of = |k: usize| &self.f[basis.basic[k].mu * cap..basis.basic[k].mu * cap + np];
        let mono_of = |k: usize| &rows[basis.basic[k].m * cap..basis.basic[k].m * cap + np];
        let mut four = basis.distinct.chunks_exact(4);
        for ks in &mut four {
            let sums = dots::<4>(std::array::from_fn(|q| [f_of(ks[q]), mono_of(ks[q])]));
            for (&k, sum) in ks.iter().zip(sums) {
                m[k][lane] = sum;
            }
        }
        for &k in four.remainder() {
            m[k][lane] = dot(f_of(k), mono_of(k));
        }
        for (k, bm) in basis.basic.iter().enumerate() {
            if bm.first != k {
                m[k][lane] = m[bm.first][lane];
            }
        }
    }

    /// The monomials of the block of pairs from `pb` into `mono`.
    #[inline(always)]
    fn monomials(&mut self, basis: &Basis, pb: usize) {
        let mono = &mut self.mono;
        mono[0] = [1.0; PAIR_BLOCK];
        let u = [
            load(&self.u[0], pb),
            load(&self.u[1], pb),
            load(&self.u[2], pb),
        ];
        for st in &basis.mono_plan {
            let (lo, hi) = mono.split_at_mut(st.dst);
            let ua = u[st.axis];
            for (d, s) in hi[..st.len].iter_mut().zip(&lo[st.src..st.src + st.len]) {
                *d = std::array::from_fn(|l| s[l] * ua[l]);
            }
        }
    }

    /// Pair gradients `grad[p] = d(sum_k g_k M_k)/d r_p` of the basic moments (MTP.md 2.7)
    /// from lane `lane` of the adjoints `g`. With
    /// $\Phi_\mu(\hat u) = \sum_{k: \mu_k = \mu} g_k P_k(\hat u)$,
    /// $$ \mathbf G_p = \sum_\mu \Big[ f'_\mu \Phi_\mu \hat u + \frac{f_\mu}{r}
    ///    \big(\nabla\Phi_\mu - (\hat u \cdot \nabla\Phi_\mu)\, \hat u\big) \Big], $$
    /// which equals MTP.md's $f' P \hat u + (f/r)(\nabla P - \nu P \hat u)$ summed over
    /// $k$ because $\hat u \cdot \nabla P_k = \nu_k P_k$ (Euler). Leaves $\Phi_\mu$ per
    /// pair (the radial-coefficient derivatives need it).
    #[inline(always)]
    fn backward(&mut self, basis: &Basis, g: &[Lanes], lane: usize) {
        let (np, st, kk, nm) = (self.np, self.stride, basis.k, basis.n_mono);
        const B: usize = PAIR_BLOCK;
        // Coefficients of Phi_mu and of its gradient on the monomials.
        self.coef4.fill([0.0; 4]);
        for (k, bm) in basis.basic.iter().enumerate() {
            let gk = g[k][lane];
            if gk == 0.0 {
                continue;
            }
            let base = bm.mu * nm;
            self.coef4[base + bm.m][0] += gk;
            for axis in 0..3 {
                if bm.powers[axis] > 0.0 {
                    self.coef4[base + bm.lowered[axis]][1 + axis] += gk * bm.powers[axis];
                }
            }
        }
        // Per block of pairs and radial function: Phi and grad Phi as a small matrix
        // product of the coefficients with the block's monomials, then the pair gradients.
        for pb in (0..np).step_by(B) {
            self.monomials(basis, pb);
            let mono = &self.mono;
            let (ux, uy, uz) = (
                load(&self.u[0], pb),
                load(&self.u[1], pb),
                load(&self.u[2], pb),
            );
            let r = load(&self.r, pb);
            let u = [ux, uy, uz];
            // grad[a][l]: component a of the gradient of pair pb + l.
            let mut grad = [[0.0; B]; 3];
            for mu in 0..kk {
                // acc[q][l]: q = 0..4 are Phi, dPhi/dux, dPhi/duy, dPhi/duz of pair pb + l;
                // vectors over the block's pairs, so each monomial costs four
                // multiply-adds of B lanes.
                let mut acc = [[0.0; B]; 4];
                let coefs = &self.coef4[mu * nm..mu * nm + basis.m_end[mu]];
                for (c, &v) in coefs.iter().zip(mono) {
                    for (a, &cq) in acc.iter_mut().zip(c) {
                        *a = axpy4(*a, v, cq);
                    }
                }
                let (f, df) = (load(&self.f, mu * st + pb), load(&self.df, mu * st + pb));
                self.phi[mu * st + pb..mu * st + pb + B].copy_from_slice(&acc[0]);
                let ud: [f64; B] = std::array::from_fn(|l| {
                    ux[l] * acc[1][l] + uy[l] * acc[2][l] + uz[l] * acc[3][l]
                });
                let radial: [f64; B] = std::array::from_fn(|l| df[l] * acc[0][l]);
                let tang: [f64; B] = std::array::from_fn(|l| f[l] / r[l]);
                for (a, ga) in grad.iter_mut().enumerate() {
                    let (ua, dphi) = (u[a], acc[1 + a]);
                    *ga = std::array::from_fn(|l| {
                        ga[l] + (ua[l] * radial[l] + tang[l] * (dphi[l] - ud[l] * ua[l]))
                    });
                }
            }
            let n = B.min(np - pb);
            for (l, g) in self.grad[pb..pb + n].iter_mut().enumerate() {
                *g = [grad[0][l], grad[1][l], grad[2][l]];
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

/// Scratch space of one rayon task: the pairs of [`LANES`] atoms and the moments and
/// adjoints of all lanes.
pub(crate) struct Work {
    /// The pairs of the atom in each lane.
    pub pairs: Vec<Pairs>,
    /// Moments `M` (basic and products), `[moment][lane]`.
    pub m: Vec<Lanes>,
    /// Adjoints `dE/dM`, `[moment][lane]`.
    g: Vec<Lanes>,
    /// Monomials of the atom being loaded, `[monomial][pair]`.
    mono: Vec<f64>,
}

impl Work {
    pub(crate) fn new(basis: &Basis) -> Work {
        Work {
            pairs: (0..LANES).map(|_| Pairs::new(basis)).collect(),
            m: vec![[0.0; LANES]; basis.n_m],
            g: vec![[0.0; LANES]; basis.n_m],
            mono: Vec::new(),
        }
    }

    /// Gather the pairs of atom `i` (of species `ti`) into lane `lane` and compute its
    /// basic moments there.
    #[inline(always)]
    pub(crate) fn load(&mut self, basis: &Basis, lane: usize, i: usize, input: &Input<'_, '_>) {
        let ti = usize::from(input.atoms.species()[i]);
        let p = &mut self.pairs[lane];
        p.gather(basis, i, input);
        p.basic_moments(basis, ti, &mut self.m, lane, &mut self.mono);
    }

    /// Load atoms `first..first + n` (`n <= LANES`) into the lanes and clear the others.
    #[inline(always)]
    pub(crate) fn load_batch(
        &mut self,
        basis: &Basis,
        first: usize,
        n: usize,
        input: &Input<'_, '_>,
    ) {
        for l in 0..LANES {
            if l < n {
                self.load(basis, l, first + l, input);
            } else {
                self.clear(basis, l);
            }
        }
    }

    /// Lane `lane` holds no atom: zero basic moments.
    #[inline(always)]
    pub(crate) fn clear(&mut self, basis: &Basis, lane: usize) {
        for m in &mut self.m[..basis.n_b] {
            m[lane] = 0.0;
        }
        self.pairs[lane].np = 0;
    }

    /// Copy the basic moments of lane 0 to every lane (to differentiate several basis
    /// functions of one atom at once).
    #[inline(always)]
    pub(crate) fn broadcast(&mut self, basis: &Basis) {
        for m in &mut self.m[..basis.n_b] {
            *m = [m[0]; LANES];
        }
    }

    /// The product table in order (MTP.md 2.5) on every lane; returns `sum_s theta_s B_s`
    /// (without `xi`) per lane. Consecutive rows with the same target are summed in
    /// registers (two partial sums, even and odd rows of the run) and stored once: no row
    /// reads a slot that it or a later row writes (checked by `MtpModel::validate`), so
    /// deferring the store changes nothing.
    #[inline(always)]
    pub(crate) fn products(&mut self, basis: &Basis) -> Lanes {
        let m = &mut self.m;
        m[basis.n_b..].fill([0.0; LANES]);
        for run in &basis.runs {
            let rows = &basis.rows[run.start..run.end];
            let (mut a0, mut a1) = ([0.0; LANES], [0.0; LANES]);
            let mut pairs = rows.chunks_exact(2);
            for t in &mut pairs {
                let (x0, y0, x1, y1) = (
                    m[t[0].i as usize],
                    m[t[0].j as usize],
                    m[t[1].i as usize],
                    m[t[1].j as usize],
                );
                for l in 0..LANES {
                    a0[l] += t[0].mult * x0[l] * y0[l];
                    a1[l] += t[1].mult * x1[l] * y1[l];
                }
            }
            if let [t] = pairs.remainder() {
                let (x, y) = (m[t.i as usize], m[t.j as usize]);
                for l in 0..LANES {
                    a0[l] += t.mult * x[l] * y[l];
                }
            }
            let mk = &mut m[run.k];
            for l in 0..LANES {
                mk[l] += a0[l] + a1[l];
            }
        }
        let mut e = [0.0; LANES];
        for (&s, &th) in basis.mapping.iter().zip(&basis.theta) {
            for l in 0..LANES {
                e[l] += th * m[s][l];
            }
        }
        e
    }

    /// Set the adjoints of every lane to the energy's: `g[mapping[s]] += theta[s]`.
    #[inline(always)]
    pub(crate) fn seed_energy(&mut self, basis: &Basis) {
        self.g.fill([0.0; LANES]);
        for (&s, &th) in basis.mapping.iter().zip(&basis.theta) {
            for l in 0..LANES {
                self.g[s][l] += th;
            }
        }
    }

    /// Set the adjoints of lane `l` to those of basis function `s[l]` alone (none for
    /// `None`).
    #[inline(always)]
    pub(crate) fn seed_basis(&mut self, basis: &Basis, s: [Option<usize>; LANES]) {
        self.g.fill([0.0; LANES]);
        for (l, s) in s.iter().enumerate() {
            if let Some(s) = *s {
                self.g[basis.mapping[s]][l] = 1.0;
            }
        }
    }

    /// Backward pass (MTP.md 2.7) of the product table on every lane: after it, `g[k]` for
    /// `k < n_b` are the adjoints of the basic moments.
    #[inline(always)]
    pub(crate) fn backward_products(&mut self, basis: &Basis) {
        let (m, g) = (&self.m, &mut self.g);
        // g[k] is final when its rows are reached (rows reading k come later in forward
        // order), so it is loaded once per run.
        for run in basis.runs.iter().rev() {
            let gk = g[run.k];
            for t in basis.rows[run.start..run.end].iter().rev() {
                let (i, j) = (t.i as usize, t.j as usize);
                let (mi, mj) = (m[i], m[j]);
                let mut w = [0.0; LANES];
                for l in 0..LANES {
                    w[l] = t.mult * gk[l];
                }
                let gi = &mut g[i];
                for l in 0..LANES {
                    gi[l] += w[l] * mj[l];
                }
                let gj = &mut g[j];
                for l in 0..LANES {
                    gj[l] += w[l] * mi[l];
                }
            }
        }
    }

    /// Pair gradients of the atom in lane `pairs` from the adjoints of lane `lane` (the same
    /// lane for a batch of atoms; lane 0's pairs for [`Work::broadcast`]).
    #[inline(always)]
    pub(crate) fn backward_pairs(&mut self, basis: &Basis, pairs: usize, lane: usize) {
        self.pairs[pairs].backward(basis, &self.g, lane);
    }
}

/// `sum_p a_p b_p` with four partial sums (vectorisable): `s_l = sum_{p = l mod 4} a_p b_p`
/// over the whole blocks of four, then `(s_0 + s_2) + (s_1 + s_3)`, then the rest in order.
#[inline(always)]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    dots::<1>([[a, b]])[0]
}

/// `N` sums of [`dot`] in one loop, each with exactly [`dot`]'s order of operations;
/// independent sums overlap their latencies.
#[inline(always)]
fn dots<const N: usize>(ab: [[&[f64]; 2]; N]) -> [f64; N] {
    let n = ab
        .iter()
        .map(|[a, b]| a.len().min(b.len()))
        .min()
        .unwrap_or(0);
    let ab = ab.map(|[a, b]| [&a[..n], &b[..n]]);
    let mut s = [[0.0; 4]; N];
    let whole = n - n % 4;
    for p in (0..whole).step_by(4) {
        for (s, [a, b]) in s.iter_mut().zip(&ab) {
            let (a, b) = (load(a, p), load(b, p));
            *s = std::array::from_fn(|l| s[l] + a[l] * b[l]);
        }
    }
    std::array::from_fn(|k| {
        let [a, b] = ab[k];
        let mut t = (s[k][0] + s[k][2]) + (s[k][1] + s[k][3]);
        for p in whole..n {
            t += a[p] * b[p];
        }
        t
    })
}

/// `a + c s` element by element: one AVX2 (or two SSE2) multiply and add, never fused.
#[inline(always)]
fn axpy4(a: [f64; 4], c: [f64; 4], s: f64) -> [f64; 4] {
    [
        a[0] + c[0] * s,
        a[1] + c[1] * s,
        a[2] + c[2] * s,
        a[3] + c[3] * s,
    ]
}

/// The `PAIR_BLOCK` values of `v` from `o`.
#[inline(always)]
fn load(v: &[f64], o: usize) -> [f64; PAIR_BLOCK] {
    let s = &v[o..o + PAIR_BLOCK];
    std::array::from_fn(|l| s[l])
}
