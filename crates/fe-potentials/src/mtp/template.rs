//! Untrained MTP templates of any level (MTP.md 3): the basic-moment list of MLIP (3.4), the
//! scalar basis as all non-isomorphic contraction graphs of 1-4 moment tensors (3.1-3.2),
//! and a product table that evaluates every graph by vertex absorption (3.5).

use std::collections::{BTreeSet, HashMap};

use super::model::MtpModel;
use crate::error::{PotentialError, Result};

/// Largest radial-function index of a template (MLIP's cap).
const MU_CAP: usize = 5;
/// Largest tensor rank of a template (MLIP's cap).
const NU_CAP: usize = 10;

/// `K = min(5, (L - 2) / 4) + 1` radial functions of level `level`.
pub fn radial_funcs_of_level(level: usize) -> usize {
    MU_CAP.min(level.saturating_sub(2) / 4) + 1
}

/// Largest rank of `M_{mu, nu}` in the basic list of level `level`:
/// `min(10, max(0, floor((L - 4 - 4 mu) / 2)))`.
fn nu_max(level: usize, mu: usize) -> usize {
    let x = level as i64 - 4 - 4 * mu as i64;
    NU_CAP.min(if x < 0 { 0 } else { (x / 2) as usize })
}

/// The compositions `(a, b, c)` of `n` in basic-list order (a descending, then b).
fn comps(n: usize) -> Vec<[usize; 3]> {
    let mut v = Vec::with_capacity((n + 1) * (n + 2) / 2);
    for a in (0..=n).rev() {
        for b in (0..=n - a).rev() {
            v.push([a, b, n - a - b]);
        }
    }
    v
}

/// The multinomial `n! / (a! b! c!)`.
fn multinomial(c: [usize; 3]) -> usize {
    let n = c[0] + c[1] + c[2];
    let fact = |k: usize| (1..=k).product::<usize>();
    fact(n) / (fact(c[0]) * fact(c[1]) * fact(c[2]))
}

/// MLIP's `alpha_index_basic` of level `level` (MTP.md 3.4), rows `(mu, a, b, c)`.
pub fn basic_moments(level: usize) -> Vec<[usize; 4]> {
    let mut v = Vec::new();
    for mu in 0..radial_funcs_of_level(level) {
        for nu in 0..=nu_max(level, mu) {
            for [a, b, c] in comps(nu) {
                v.push([mu, a, b, c]);
            }
        }
    }
    v
}

/// A contraction graph (MTP.md 3.1): vertex labels `mu` and multiplicities `p[u][v]`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Contraction {
    /// Radial function of every vertex.
    pub mu: Vec<usize>,
    /// Symmetric multiplicities between vertices (zero diagonal), row-major `k x k`.
    pub p: Vec<usize>,
}

impl Contraction {
    fn k(&self) -> usize {
        self.mu.len()
    }
    fn pm(&self, u: usize, v: usize) -> usize {
        self.p[u * self.k() + v]
    }
    /// Rank of vertex `v`.
    pub fn rank(&self, v: usize) -> usize {
        (0..self.k()).map(|u| self.pm(u, v)).sum()
    }
    /// Level `2k + 4 sum mu + 2 sum_{u<v} p_uv`.
    pub fn level(&self) -> usize {
        let k = self.k();
        let pairs: usize = (0..k)
            .flat_map(|u| (u + 1..k).map(move |v| (u, v)))
            .map(|(u, v)| self.pm(u, v))
            .sum();
        2 * k + 4 * self.mu.iter().sum::<usize>() + 2 * pairs
    }
    /// The tuple `(mu_0.., p_01, p_02, p_03, p_12, p_13, p_23)` of the graph relabelled by
    /// `perm` (new vertex `i` is old vertex `perm[i]`).
    fn tuple(&self, perm: &[usize]) -> Vec<usize> {
        let k = self.k();
        let mut t: Vec<usize> = perm.iter().map(|&o| self.mu[o]).collect();
        for u in 0..k {
            for v in u + 1..k {
                t.push(self.pm(perm[u], perm[v]));
            }
        }
        t
    }
    /// The canonical form: the relabelling with the smallest tuple.
    fn canonical(&self) -> Contraction {
        let k = self.k();
        let best = permutations(k)
            .into_iter()
            .min_by(|a, b| self.tuple(a).cmp(&self.tuple(b)))
            .unwrap_or_default();
        self.relabel(&best)
    }
    fn relabel(&self, perm: &[usize]) -> Contraction {
        let k = self.k();
        let mut p = vec![0; k * k];
        for u in 0..k {
            for v in 0..k {
                p[u * k + v] = self.pm(perm[u], perm[v]);
            }
        }
        Contraction {
            mu: perm.iter().map(|&o| self.mu[o]).collect(),
            p,
        }
    }
}

/// All permutations of `0..k` in lexicographic order.
fn permutations(k: usize) -> Vec<Vec<usize>> {
    if k == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for first in 0..k {
        for rest in permutations(k - 1) {
            let mut v = vec![first];
            v.extend(rest.into_iter().map(|x| if x >= first { x + 1 } else { x }));
            out.push(v);
        }
    }
    out
}

/// Every vector of `n` non-negative integers with sum <= `budget`.
fn bounded(n: usize, budget: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for first in 0..=budget {
        for mut rest in bounded(n - 1, budget - first) {
            rest.insert(0, first);
            out.push(rest);
        }
    }
    out
}

/// All non-isomorphic contraction graphs of level <= `level` (MTP.md 3.2: 1-4 vertices,
/// `mu <= 5`, rank <= 10, every tensor present in the basic list), ordered by
/// `(level, k, canonical tuple)`.
pub fn contractions(level: usize) -> Vec<Contraction> {
    let kmax_mu = radial_funcs_of_level(level) - 1;
    let mut set = BTreeSet::new();
    for k in 1..=4usize {
        if 2 * k > level {
            break;
        }
        let pairs: Vec<(usize, usize)> = (0..k)
            .flat_map(|u| (u + 1..k).map(move |v| (u, v)))
            .collect();
        // multiplicities: budget for the sum of p is (level - 2k) / 2 minus 2 sum mu
        let budget = (level - 2 * k) / 2;
        let mut mus = vec![0; k];
        loop {
            let mu_sum: usize = mus.iter().sum();
            if 2 * mu_sum <= budget {
                let pbudget = budget - 2 * mu_sum;
                for ps in bounded(pairs.len(), pbudget) {
                    let mut p = vec![0; k * k];
                    for (&(u, v), &x) in pairs.iter().zip(&ps) {
                        p[u * k + v] = x;
                        p[v * k + u] = x;
                    }
                    let g = Contraction { mu: mus.clone(), p };
                    let ok = (0..k).all(|v| {
                        let nu = g.rank(v);
                        nu <= NU_CAP && nu <= nu_max(level, g.mu[v])
                    }) && (k > 1 || g.rank(0) == 0);
                    if ok && g.level() <= level {
                        set.insert(g.canonical());
                    }
                }
            }
            let mut i = 0;
            while i < k {
                mus[i] += 1;
                if mus[i] <= kmax_mu.min(MU_CAP) {
                    break;
                }
                mus[i] = 0;
                i += 1;
            }
            if i == k {
                break;
            }
        }
    }
    let mut v: Vec<Contraction> = set.into_iter().collect();
    v.sort_by_key(|g| (g.level(), g.k(), g.tuple(&(0..g.k()).collect::<Vec<_>>())));
    v
}

/// Builds product rows with shared intermediate states.
struct Builder {
    n_b: usize,
    /// Index of basic moment (mu, a, b, c).
    basic: HashMap<[usize; 4], usize>,
    next_slot: usize,
    /// state key -> (index tuple -> slot)
    states: HashMap<Vec<usize>, HashMap<Vec<[usize; 3]>, usize>>,
    rows: HashMap<(usize, usize, usize), usize>,
}

impl Builder {
    fn moment(&self, mu: usize, c: [usize; 3]) -> usize {
        self.basic[&[mu, c[0], c[1], c[2]]]
    }

    /// Slots of the state after absorbing `order[..=s]` (s >= 1): builds it if new. Returns
    /// the map from index tuples (compositions toward `order[s+1..]`) to slots.
    fn state(
        &mut self,
        g: &Contraction,
        order: &[usize],
        s: usize,
    ) -> HashMap<Vec<[usize; 3]>, usize> {
        let k = order.len();
        let absorbed = &order[..=s];
        let remaining = &order[s + 1..];
        let mut key: Vec<usize> = absorbed.iter().map(|&v| g.mu[v]).collect();
        key.push(usize::MAX);
        for (i, &a) in absorbed.iter().enumerate() {
            for &b in &absorbed[i + 1..] {
                key.push(g.pm(a, b));
            }
        }
        for &u in remaining {
            key.push(usize::MAX - 1);
            for &a in absorbed {
                key.push(g.pm(a, u));
            }
        }
        if let Some(st) = self.states.get(&key) {
            return st.clone();
        }
        let mut slots: HashMap<Vec<[usize; 3]>, usize> = HashMap::new();
        let mut new_rows: Vec<(usize, usize, usize, Vec<[usize; 3]>)> = Vec::new();
        if s == 1 {
            let (o0, o1) = (order[0], order[1]);
            for c01 in comps(g.pm(o0, o1)) {
                for c0 in product(remaining.iter().map(|&u| comps(g.pm(o0, u))).collect()) {
                    for c1 in product(remaining.iter().map(|&u| comps(g.pm(o1, u))).collect()) {
                        let i0 = self.moment(g.mu[o0], add(c01, sum(&c0)));
                        let i1 = self.moment(g.mu[o1], add(c01, sum(&c1)));
                        let mult = multinomial(c01)
                            * c0.iter()
                                .chain(&c1)
                                .map(|&c| multinomial(c))
                                .product::<usize>();
                        let idx: Vec<[usize; 3]> =
                            c0.iter().zip(&c1).map(|(&a, &b)| add(a, b)).collect();
                        new_rows.push((i0.min(i1), i0.max(i1), mult, idx));
                    }
                }
            }
        } else {
            let prev = self.state(g, order, s - 1);
            let mut prev_sorted: Vec<(&Vec<[usize; 3]>, &usize)> = prev.iter().collect();
            prev_sorted.sort_by_key(|(_, &slot)| slot);
            let os = order[s];
            for (idx, &slot) in prev_sorted {
                // idx[0] is toward o_s, idx[1..] toward remaining
                for cs in product(remaining.iter().map(|&u| comps(g.pm(os, u))).collect()) {
                    let m = self.moment(g.mu[os], add(idx[0], sum(&cs)));
                    let mult = cs.iter().map(|&c| multinomial(c)).product::<usize>();
                    let nidx: Vec<[usize; 3]> =
                        idx[1..].iter().zip(&cs).map(|(&a, &b)| add(a, b)).collect();
                    new_rows.push((slot, m, mult, nidx));
                }
            }
        }
        for (i, j, mult, idx) in new_rows {
            let len = slots.len();
            let slot = *slots.entry(idx).or_insert(self.next_slot + len);
            *self.rows.entry((i.min(j), i.max(j), slot)).or_insert(0) += mult;
        }
        self.next_slot += slots.len();
        let _ = k;
        self.states.insert(key, slots.clone());
        slots
    }
}

fn add(a: [usize; 3], b: [usize; 3]) -> [usize; 3] {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}

fn sum(v: &[[usize; 3]]) -> [usize; 3] {
    v.iter().fold([0; 3], |acc, &c| add(acc, c))
}

/// Cartesian product of lists, first list outermost.
fn product(lists: Vec<Vec<[usize; 3]>>) -> Vec<Vec<[usize; 3]>> {
    let mut out = vec![Vec::new()];
    for l in lists {
        let mut next = Vec::with_capacity(out.len() * l.len());
        for prefix in &out {
            for &c in &l {
                let mut v = prefix.clone();
                v.push(c);
                next.push(v);
            }
        }
        out = next;
    }
    out
}

/// Row count of absorbing `g` in `order` (MTP.md 3.5's cost).
fn cost(g: &Contraction, o: &[usize]) -> usize {
    let nc = |n: usize| (n + 1) * (n + 2) / 2;
    let k = o.len();
    let mut c = nc(g.pm(o[0], o[1]));
    for &u in &o[2..] {
        c *= nc(g.pm(o[0], u)) * nc(g.pm(o[1], u));
    }
    for s in 2..k {
        let mut t = 1;
        for &u in &o[s..] {
            t *= nc(o[..s].iter().map(|&v| g.pm(v, u)).sum());
        }
        for &u in &o[s + 1..] {
            t *= nc(g.pm(o[s], u));
        }
        c += t;
    }
    c
}

/// An untrained template of level `level` for `species` species (MTP.md 4.3): MLIP's basic
/// list, every contraction graph of the level, and our product table; no coefficients.
///
/// # Errors
/// [`PotentialError::Unsupported`] for a level outside 2..=28 or zero species or basis size,
/// or distances that are not `0 <= min < max`.
pub fn template(
    level: usize,
    species: usize,
    min_dist: f64,
    max_dist: f64,
    radial_basis_size: usize,
) -> Result<MtpModel> {
    if !(2..=28).contains(&level) {
        return Err(PotentialError::Unsupported(format!(
            "MTP level {level}: templates exist for levels 2 to 28"
        )));
    }
    if species == 0 || radial_basis_size == 0 {
        return Err(PotentialError::Unsupported(
            "a template needs at least one species and one radial basis function".into(),
        ));
    }
    if !(min_dist.is_finite() && max_dist.is_finite() && min_dist >= 0.0 && min_dist < max_dist) {
        return Err(PotentialError::Unsupported(format!(
            "need 0 <= min_dist < max_dist, found {min_dist} and {max_dist}"
        )));
    }
    let basic_list = basic_moments(level);
    let n_b = basic_list.len();
    let mut b = Builder {
        n_b,
        basic: basic_list
            .iter()
            .enumerate()
            .map(|(i, r)| (*r, i))
            .collect(),
        next_slot: n_b,
        states: HashMap::new(),
        rows: HashMap::new(),
    };
    let mut mapping = Vec::new();
    for g in contractions(level) {
        let k = g.k();
        if k == 1 {
            mapping.push(b.moment(g.mu[0], [0, 0, 0]));
            continue;
        }
        let order = permutations(k)
            .into_iter()
            .min_by(|x, y| cost(&g, x).cmp(&cost(&g, y)).then(x.cmp(y)))
            .unwrap_or_default();
        let st = b.state(&g, &order, k - 1);
        mapping.push(*st.values().next().unwrap_or(&0));
    }
    let mut rows: Vec<[usize; 4]> = b.rows.iter().map(|(&(i, j, k), &m)| [i, j, m, k]).collect();
    rows.sort_by_key(|r| (r[3], r[0], r[1]));
    let _ = b.n_b;
    Ok(MtpModel {
        potential_name: Some("MTP1m".into()),
        scaling: 1.0,
        species_count: Some(species),
        potential_tag: Some(String::new()),
        min_dist,
        max_dist,
        radial_basis_size,
        radial_funcs_count: radial_funcs_of_level(level),
        radial_coeffs: None,
        alpha_moments_count: b.next_slot,
        alpha_index_basic: basic_list,
        alpha_index_times: rows,
        alpha_moment_mapping: mapping,
        species_coeffs: None,
        moment_coeffs: None,
    })
}
