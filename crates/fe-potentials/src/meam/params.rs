//! The MEAM parameter set as LAMMPS holds it after `pair_coeff`: library values, LAMMPS'
//! defaults, the parameter-file settings, t1 augmentation and the off-diagonal alloy rules.

use crate::error::{PotentialError, Result};

use super::lattice::Lattice;
use super::parse::{LibraryEntry, Setting, Value};

/// Every MEAM parameter of `n` elements. Pair arrays are `n * n` (row a, column b), triplet
/// arrays `n * n * n` (i, j, k with k the screening atom).
#[derive(Debug, Clone)]
pub(crate) struct Params {
    pub n: usize,
    // per element
    pub ielt: Vec<i32>,
    pub mass: Vec<f64>,
    pub a: Vec<f64>,
    pub rho0: Vec<f64>,
    /// beta0..beta3 per element.
    pub beta: Vec<[f64; 4]>,
    /// t1..t3 per element (t1 augmented when `augt1` = 1).
    pub t: Vec<[f64; 3]>,
    pub ibar: Vec<i32>,
    // per pair
    pub ec: Vec<f64>,
    pub re: Vec<f64>,
    pub alpha: Vec<f64>,
    pub delta: Vec<f64>,
    pub lattce: Vec<Lattice>,
    pub attrac: Vec<f64>,
    pub repuls: Vec<f64>,
    pub nn2: Vec<bool>,
    pub zbl: Vec<bool>,
    pub stheta: Vec<f64>,
    pub ctheta: Vec<f64>,
    /// max over k of Cmax^2 / (4 (Cmax - 1)), at least LAMMPS' default 2.8^2 / 7.2.
    pub ebound: Vec<f64>,
    // per triplet
    pub cmin: Vec<f64>,
    pub cmax: Vec<f64>,
    // global
    pub rc: f64,
    pub delr: f64,
    pub augt1: bool,
    pub gsmooth: f64,
    pub ialloy: i32,
    pub mix_ref_t: bool,
    pub erose_form: i32,
    pub emb_lin_neg: bool,
    pub bkgd_dyn: bool,
}

impl Params {
    /// Pair index (a, b).
    #[inline]
    pub fn ab(&self, a: usize, b: usize) -> usize {
        a * self.n + b
    }

    /// Triplet index (i, j, k).
    #[inline]
    pub fn ijk(&self, i: usize, j: usize, k: usize) -> usize {
        (i * self.n + j) * self.n + k
    }

    /// The library values with LAMMPS' defaults (`meam_setup_global`).
    pub fn from_library(entries: &[LibraryEntry]) -> Params {
        let n = entries.len();
        let mut p = Params {
            n,
            ielt: entries.iter().map(|e| e.ielement).collect(),
            mass: entries.iter().map(|e| e.atwt).collect(),
            a: entries.iter().map(|e| e.asub).collect(),
            rho0: entries.iter().map(|e| e.rozero).collect(),
            beta: entries.iter().map(|e| e.beta).collect(),
            t: entries.iter().map(|e| e.t).collect(),
            ibar: entries.iter().map(|e| e.ibar).collect(),
            ec: vec![0.0; n * n],
            re: vec![0.0; n * n],
            alpha: vec![0.0; n * n],
            delta: vec![0.0; n * n],
            lattce: vec![Lattice::Fcc; n * n],
            attrac: vec![0.0; n * n],
            repuls: vec![0.0; n * n],
            nn2: vec![false; n * n],
            zbl: vec![true; n * n],
            stheta: vec![1.0; n * n],
            ctheta: vec![0.0; n * n],
            ebound: vec![2.8 * 2.8 / (4.0 * (2.8 - 1.0)); n * n],
            cmin: vec![2.0; n * n * n],
            cmax: vec![2.8; n * n * n],
            rc: 4.0,
            delr: 0.1,
            augt1: true,
            gsmooth: 99.0,
            ialloy: 0,
            mix_ref_t: false,
            erose_form: 0,
            emb_lin_neg: false,
            bkgd_dyn: false,
        };
        for (i, e) in entries.iter().enumerate() {
            let ii = p.ab(i, i);
            p.lattce[ii] = e.lat;
            p.alpha[ii] = e.alpha;
            p.ec[ii] = e.esub;
            if let Some(f) = e.lat.re_over_alat() {
                p.re[ii] = e.alat * f;
            }
        }
        p
    }

    /// Apply one parameter-file setting (as LAMMPS `meam_setup_param`).
    pub fn apply(&mut self, s: &Setting, file: &str) -> Result<()> {
        let bad = |message: String| PotentialError::Parse {
            file: file.to_string(),
            line: s.line,
            message,
        };
        let x = match s.value {
            Value::Number(x) => x,
            Value::Lattice(l) => {
                let k = self.ab(s.index[0], s.index[1]);
                self.lattce[k] = l;
                return Ok(());
            }
        };
        let flag = |name: &str| -> Result<bool> {
            if x == 0.0 || x == 1.0 {
                Ok(x == 1.0)
            } else {
                Err(bad(format!("`{name}` must be 0 or 1, found {x}")))
            }
        };
        let choice = |name: &str, max: i32| -> Result<i32> {
            if x.fract() == 0.0 && (0.0..=f64::from(max)).contains(&x) {
                Ok(x as i32)
            } else {
                Err(bad(format!("`{name}` must be 0..={max}, found {x}")))
            }
        };
        let idx = &s.index;
        let pair = if idx.len() >= 2 {
            self.ab(idx[0], idx[1])
        } else {
            0
        };
        let trip = if idx.len() == 3 {
            self.ijk(idx[0], idx[1], idx[2])
        } else {
            0
        };
        match s.keyword {
            "Ec" => self.ec[pair] = x,
            "alpha" => self.alpha[pair] = x,
            "rho0" => self.rho0[idx[0]] = x,
            "delta" => self.delta[pair] = x,
            "attrac" => self.attrac[pair] = x,
            "repuls" => self.repuls[pair] = x,
            "nn2" => {
                let k = self.ab(idx[0].min(idx[1]), idx[0].max(idx[1]));
                self.nn2[k] = flag("nn2")?;
            }
            "zbl" => {
                let k = self.ab(idx[0].min(idx[1]), idx[0].max(idx[1]));
                self.zbl[k] = flag("zbl")?;
            }
            "Cmin" => self.cmin[trip] = x,
            "Cmax" => self.cmax[trip] = x,
            "rc" => self.rc = x,
            "delr" => self.delr = x,
            "augt1" => self.augt1 = flag("augt1")?,
            "gsmooth_factor" => self.gsmooth = x,
            "re" => self.re[pair] = x,
            "ialloy" => self.ialloy = choice("ialloy", 2)?,
            "mixture_ref_t" => self.mix_ref_t = flag("mixture_ref_t")?,
            "erose_form" => self.erose_form = choice("erose_form", 2)?,
            "emb_lin_neg" => self.emb_lin_neg = flag("emb_lin_neg")?,
            "bkgd_dyn" => self.bkgd_dyn = flag("bkgd_dyn")?,
            "theta" => {
                let k = self.ab(idx[0].min(idx[1]), idx[0].max(idx[1]));
                let half = x / 2.0 * std::f64::consts::PI / 180.0;
                self.stheta[k] = half.sin();
                self.ctheta[k] = half.cos();
            }
            other => return Err(bad(format!("keyword `{other}` is not handled"))),
        }
        Ok(())
    }

    /// LAMMPS `meam_setup_done` before the tables: t1 augmentation, off-diagonal alloy
    /// parameters (upper triangle wins, unset values from the means), symmetric Cmin/Cmax in
    /// (i, j), and the screening ellipse bound. Then our checks of what we support.
    pub fn finish(&mut self, names: &[String], file: &str) -> Result<()> {
        let n = self.n;
        if self.augt1 {
            for t in &mut self.t {
                t[0] += 3.0 / 5.0 * t[2];
            }
        }
        for i in 0..n {
            for j in 0..n {
                let (ij, ji) = (self.ab(i, j), self.ab(j, i));
                if i > j {
                    self.re[ij] = self.re[ji];
                    self.ec[ij] = self.ec[ji];
                    self.alpha[ij] = self.alpha[ji];
                    self.lattce[ij] = self.lattce[ji];
                    self.nn2[ij] = self.nn2[ji];
                    self.stheta[ij] = self.stheta[ji];
                    self.ctheta[ij] = self.ctheta[ji];
                } else if j > i {
                    let (ii, jj) = (self.ab(i, i), self.ab(j, j));
                    if self.ec[ij].abs() < 1e-20 {
                        self.ec[ij] = match self.lattce[ij] {
                            Lattice::L12 => (3.0 * self.ec[ii] + self.ec[jj]) / 4.0,
                            Lattice::C11 if self.lattce[ii] == Lattice::Dia => {
                                (2.0 * self.ec[ii] + self.ec[jj]) / 3.0
                            }
                            Lattice::C11 => (self.ec[ii] + 2.0 * self.ec[jj]) / 3.0,
                            _ => (self.ec[ii] + self.ec[jj]) / 2.0,
                        } - self.delta[ij];
                    }
                    if self.alpha[ij].abs() < 1e-20 {
                        self.alpha[ij] = (self.alpha[ii] + self.alpha[jj]) / 2.0;
                    }
                    if self.re[ij].abs() < 1e-20 {
                        self.re[ij] = (self.re[ii] + self.re[jj]) / 2.0;
                    }
                }
            }
        }
        for i in 1..n {
            for j in 0..i {
                for k in 0..n {
                    let (a, b) = (self.ijk(i, j, k), self.ijk(j, i, k));
                    self.cmin[a] = self.cmin[b];
                    self.cmax[a] = self.cmax[b];
                }
            }
        }
        for i in 0..n {
            for j in 0..n {
                for k in 0..n {
                    let c = self.cmax[self.ijk(i, j, k)];
                    let eb = c * c / (4.0 * (c - 1.0));
                    let ij = self.ab(i, j);
                    self.ebound[ij] = self.ebound[ij].max(eb);
                }
            }
        }
        self.check(names, file)
    }

    /// Refuse what would give wrong or undefined numbers.
    fn check(&self, names: &[String], file: &str) -> Result<()> {
        let bad = |message: String| {
            Err(PotentialError::File {
                file: file.to_string(),
                message,
            })
        };
        if !(self.rc > 0.0 && self.delr > 0.0 && self.delr <= self.rc) {
            return bad(format!(
                "rc = {} and delr = {} must satisfy 0 < delr <= rc",
                self.rc, self.delr
            ));
        }
        if self.gsmooth.is_nan() || self.gsmooth <= 0.0 {
            return bad(format!(
                "gsmooth_factor must be positive, found {}",
                self.gsmooth
            ));
        }
        let n = self.n;
        for a in 0..n {
            for b in a..n {
                let ab = self.ab(a, b);
                let pair = format!("{}-{}", names[a], names[b]);
                let lat = self.lattce[ab];
                if !lat.supported() {
                    return bad(format!(
                        "reference lattice `{}` of {pair} is not supported (supported: fcc, bcc, hcp, dim, dia, dia3, sc, b1, b2)",
                        lat.name()
                    ));
                }
                if self.re[ab] <= 0.0 {
                    return bad(format!(
                        "re({},{}) of {pair} is not set (needed for the {} lattice)",
                        a + 1,
                        b + 1,
                        lat.name()
                    ));
                }
                if self.nn2[ab] && !lat.has_second() {
                    return bad(format!(
                        "nn2 = 1 for {pair}, but the {} lattice has no second neighbours",
                        lat.name()
                    ));
                }
                if self.zbl[ab] && (self.ielt[a] <= 0 || self.ielt[b] <= 0) {
                    return bad(format!("zbl = 1 for {pair} needs positive ielement values"));
                }
            }
        }
        for k in 0..n * n * n {
            if !(self.cmax[k] > self.cmin[k] && self.cmax[k] > 1.0) {
                return bad(format!(
                    "Cmin = {} and Cmax = {} must satisfy Cmin < Cmax and Cmax > 1",
                    self.cmin[k], self.cmax[k]
                ));
            }
        }
        Ok(())
    }
}
