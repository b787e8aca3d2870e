//! Per-atom Voronoi volume and coordination against the distance to the GB centre
//! (METHODS.md 4.2 and 4.3).
//!
//! - Profiles: atoms binned by $d_i$ (bin $b$ holds $b w \le d < (b+1) w$, $w$ = 0.25 Angstrom
//!   by default); per bin the count, mean, standard deviation (population,
//!   $\sigma^2 = \langle x^2\rangle - \langle x\rangle^2$ computed by Welford's update), min and
//!   max of the volume $V_i$ and of the face count.
//! - Layers: layer $k = 1, 2, \ldots$ holds $(k-1)\ell \le d < k\ell$, $\ell$ = 2.45 Angstrom;
//!   histograms of $V_i$ per layer on common bin edges.
//! - Relative volume $\delta_i = V_i / V_\text{bulk} - 1$; looser ($\delta_i > 0$) and tighter
//!   ($\delta_i < 0$; $|\delta_i| \le 10^{-9}$ counts as neither) fractions among the atoms within the first layers ($d < n\ell$).
//! - The GB-centre volume change $\langle V\rangle_{d < d_c} / V_\text{bulk} - 1$ for
//!   $d_c$ = 0.25 and 0.5 Angstrom.

use serde::Serialize;

use crate::error::{GbError, Result};

/// $|\delta_i|$ up to this counts as neither looser nor tighter (round-off of $V_i$).
pub const EQUAL_VOLUME: f64 = 1e-9;

/// Options of the profiles.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ProfileOptions {
    /// Bulk Voronoi volume per atom $V_\text{bulk}$ (Angstrom^3; $a^3/2$ for bcc).
    #[serde(rename = "v_bulk_A3")]
    pub v_bulk: f64,
    /// Distance bin width (Angstrom).
    #[serde(rename = "bin_width_A")]
    pub bin_width: f64,
    /// One atomic layer (Angstrom).
    #[serde(rename = "layer_width_A")]
    pub layer_width: f64,
    /// Number of layers histogrammed and used for the looser/tighter fractions.
    pub layers: usize,
    /// Bin width of the volume histograms (Angstrom^3).
    #[serde(rename = "volume_bin_width_A3")]
    pub volume_bin_width: f64,
    /// Voronoi faces with area not above this (Angstrom^2, absolute) are not counted.
    #[serde(rename = "face_area_threshold_A2")]
    pub face_area_threshold: f64,
}

impl ProfileOptions {
    /// The defaults of METHODS.md 4.3 (0.25 Angstrom bins, 2.45 Angstrom layers, three layers,
    /// 0.05 Angstrom^3 volume bins, every face counted) for a bcc crystal of lattice constant
    /// `a` ($V_\text{bulk} = a^3/2$).
    pub fn bcc(a: f64) -> ProfileOptions {
        ProfileOptions {
            v_bulk: 0.5 * a * a * a,
            bin_width: 0.25,
            layer_width: 2.45,
            layers: 3,
            volume_bin_width: 0.05,
            face_area_threshold: 0.0,
        }
    }

    fn check(&self) -> Result<()> {
        let positive = |name: &str, x: f64| {
            if x > 0.0 && x.is_finite() {
                Ok(())
            } else {
                Err(GbError::Input(format!("{name} must be positive, got {x}")))
            }
        };
        positive("V_bulk", self.v_bulk)?;
        positive("the distance bin width", self.bin_width)?;
        positive("the layer width", self.layer_width)?;
        positive("the volume bin width", self.volume_bin_width)?;
        if self.layers == 0 {
            return Err(GbError::Input(
                "the number of layers must be at least 1".into(),
            ));
        }
        if !(self.face_area_threshold >= 0.0 && self.face_area_threshold.is_finite()) {
            return Err(GbError::Input(format!(
                "the face-area threshold must be finite and non-negative, got {}",
                self.face_area_threshold
            )));
        }
        Ok(())
    }
}

/// Count, mean, standard deviation, min and max of a set of numbers (all `None` when empty).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Stats {
    /// Number of values.
    pub count: usize,
    /// Mean.
    pub mean: Option<f64>,
    /// Population standard deviation.
    pub std: Option<f64>,
    /// Smallest value.
    pub min: Option<f64>,
    /// Largest value.
    pub max: Option<f64>,
}

/// Welford accumulator behind [`Stats`].
#[derive(Debug, Clone, Copy)]
struct Acc {
    n: usize,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
}

impl Acc {
    fn new() -> Acc {
        Acc {
            n: 0,
            mean: 0.0,
            m2: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    fn stats(&self) -> Stats {
        if self.n == 0 {
            return Stats::default();
        }
        Stats {
            count: self.n,
            mean: Some(self.mean),
            std: Some((self.m2 / self.n as f64).max(0.0).sqrt()),
            min: Some(self.min),
            max: Some(self.max),
        }
    }
}

/// One distance bin of the profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileBin {
    /// Lower edge (Angstrom).
    #[serde(rename = "d_lo_A")]
    pub d_lo: f64,
    /// Upper edge (Angstrom).
    #[serde(rename = "d_hi_A")]
    pub d_hi: f64,
    /// Voronoi volumes (Angstrom^3).
    #[serde(rename = "volume_A3")]
    pub volume: Stats,
    /// Voronoi face counts (coordination).
    pub faces: Stats,
}

/// The volume histogram of one atomic layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerHistogram {
    /// Layer number (1 = closest to the GB centre).
    pub layer: usize,
    /// Lower distance edge (Angstrom).
    #[serde(rename = "d_lo_A")]
    pub d_lo: f64,
    /// Upper distance edge (Angstrom).
    #[serde(rename = "d_hi_A")]
    pub d_hi: f64,
    /// Atoms in the layer.
    pub atoms: usize,
    /// Counts per volume bin (edges in [`VolumeProfile::volume_edges`]).
    pub counts: Vec<usize>,
}

/// Voronoi volume and coordination against the distance to the GB centre.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VolumeProfile {
    /// The options used.
    pub options: ProfileOptions,
    /// Distance bins from 0 to past the largest distance.
    pub bins: Vec<ProfileBin>,
    /// Common volume-bin edges of the layer histograms (Angstrom^3).
    #[serde(rename = "volume_edges_A3")]
    pub volume_edges: Vec<f64>,
    /// Volume histograms of the first layers.
    pub layers: Vec<LayerHistogram>,
    /// Atoms within the first layers ($d < n \ell$).
    pub atoms_within_layers: usize,
    /// Fraction of those with $V_i > V_\text{bulk}$.
    pub looser_fraction: f64,
    /// Fraction of those with $V_i < V_\text{bulk}$.
    pub tighter_fraction: f64,
    /// Smallest and largest $\delta_i = V_i/V_\text{bulk} - 1$ within the first layers.
    pub delta_range: Option<[f64; 2]>,
    /// $\langle V\rangle_{d<0.25}/V_\text{bulk} - 1$ (no atom: `None`).
    pub centre_volume_change_0_25: Option<f64>,
    /// $\langle V\rangle_{d<0.5}/V_\text{bulk} - 1$.
    pub centre_volume_change_0_5: Option<f64>,
    /// Mean face count of the atoms with $d < 0.25$ Angstrom.
    pub centre_faces_0_25: Option<f64>,
}

/// Profiles of per-atom `volumes` (Angstrom^3) and `faces` against `distances` (Angstrom).
///
/// # Errors
/// [`GbError::Input`] for lengths that differ, invalid options, or a negative or non-finite
/// distance or volume.
pub fn volume_profile(
    distances: &[f64],
    volumes: &[f64],
    faces: &[u32],
    options: &ProfileOptions,
) -> Result<VolumeProfile> {
    options.check()?;
    if distances.len() != volumes.len() || distances.len() != faces.len() {
        return Err(GbError::Input(format!(
            "{} distances, {} volumes and {} face counts",
            distances.len(),
            volumes.len(),
            faces.len()
        )));
    }
    if let Some(i) = distances.iter().position(|d| !(*d >= 0.0 && d.is_finite())) {
        return Err(GbError::Input(format!(
            "atom {i} has distance {} A",
            distances[i]
        )));
    }
    if let Some(i) = volumes.iter().position(|v| !(*v > 0.0 && v.is_finite())) {
        return Err(GbError::Input(format!(
            "atom {i} has Voronoi volume {} A^3",
            volumes[i]
        )));
    }
    let w = options.bin_width;
    let dmax = distances.iter().copied().fold(0.0, f64::max);
    let nbins = (dmax / w).floor() as usize + 1;
    let mut vacc = vec![Acc::new(); nbins];
    let mut facc = vec![Acc::new(); nbins];
    let mut centre = [Acc::new(), Acc::new()];
    let mut centre_faces = Acc::new();
    for ((&d, &v), &f) in distances.iter().zip(volumes).zip(faces) {
        let b = ((d / w).floor() as usize).min(nbins - 1);
        vacc[b].push(v);
        facc[b].push(f64::from(f));
        if d < 0.25 {
            centre[0].push(v);
            centre_faces.push(f64::from(f));
        }
        if d < 0.5 {
            centre[1].push(v);
        }
    }
    let bins = (0..nbins)
        .map(|b| ProfileBin {
            d_lo: b as f64 * w,
            d_hi: (b + 1) as f64 * w,
            volume: vacc[b].stats(),
            faces: facc[b].stats(),
        })
        .collect();

    let l = options.layer_width;
    let reach = l * options.layers as f64;
    let near: Vec<(f64, f64)> = distances
        .iter()
        .zip(volumes)
        .filter(|(&d, _)| d < reach)
        .map(|(&d, &v)| (d, v))
        .collect();
    let vw = options.volume_bin_width;
    let (vlo, vhi) = near
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &(_, v)| {
            (a.min(v), b.max(v))
        });
    let (first, nv) = if near.is_empty() {
        (0i64, 0usize)
    } else {
        let first = (vlo / vw).floor() as i64;
        (first, ((vhi / vw).floor() as i64 - first + 1) as usize)
    };
    let volume_edges: Vec<f64> = (0..=nv).map(|j| (first + j as i64) as f64 * vw).collect();
    let mut layers: Vec<LayerHistogram> = (0..options.layers)
        .map(|k| LayerHistogram {
            layer: k + 1,
            d_lo: k as f64 * l,
            d_hi: (k + 1) as f64 * l,
            atoms: 0,
            counts: vec![0; nv],
        })
        .collect();
    let (mut looser, mut tighter) = (0usize, 0usize);
    let v_bulk = options.v_bulk;
    let mut delta = Acc::new();
    for &(d, v) in &near {
        let k = ((d / l).floor() as usize).min(options.layers - 1);
        let j = (((v / vw).floor() as i64 - first).max(0) as usize).min(nv - 1);
        layers[k].atoms += 1;
        layers[k].counts[j] += 1;
        let dv = v / v_bulk - 1.0;
        delta.push(dv);
        if dv > EQUAL_VOLUME {
            looser += 1;
        } else if dv < -EQUAL_VOLUME {
            tighter += 1;
        }
    }
    let fraction = |n: usize| {
        if near.is_empty() {
            0.0
        } else {
            n as f64 / near.len() as f64
        }
    };
    let ds = delta.stats();
    Ok(VolumeProfile {
        options: *options,
        bins,
        volume_edges,
        layers,
        atoms_within_layers: near.len(),
        looser_fraction: fraction(looser),
        tighter_fraction: fraction(tighter),
        delta_range: ds.min.zip(ds.max).map(|(a, b)| [a, b]),
        centre_volume_change_0_25: centre[0].stats().mean.map(|m| m / v_bulk - 1.0),
        centre_volume_change_0_5: centre[1].stats().mean.map(|m| m / v_bulk - 1.0),
        centre_faces_0_25: centre_faces.stats().mean,
    })
}

fn opt(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// The distance profile as CSV (one row per bin; empty cells for empty bins).
pub fn profile_csv(p: &VolumeProfile) -> String {
    let mut s = String::from(
        "d_lo_A,d_hi_A,count,volume_mean_A3,volume_std_A3,volume_min_A3,volume_max_A3,\
         faces_mean,faces_std,faces_min,faces_max\n",
    );
    for b in &p.bins {
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{}\n",
            b.d_lo,
            b.d_hi,
            b.volume.count,
            opt(b.volume.mean),
            opt(b.volume.std),
            opt(b.volume.min),
            opt(b.volume.max),
            opt(b.faces.mean),
            opt(b.faces.std),
            opt(b.faces.min),
            opt(b.faces.max)
        ));
    }
    s
}

/// The layer volume histograms as CSV: one row per volume bin, one count column per layer.
pub fn layers_csv(p: &VolumeProfile) -> String {
    let mut s = String::from("volume_lo_A3,volume_hi_A3");
    for l in &p.layers {
        s.push_str(&format!(",layer_{}", l.layer));
    }
    s.push('\n');
    for j in 0..p.volume_edges.len().saturating_sub(1) {
        s.push_str(&format!("{},{}", p.volume_edges[j], p.volume_edges[j + 1]));
        for l in &p.layers {
            s.push_str(&format!(",{}", l.counts[j]));
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn stats_bins_layers_and_fractions_by_hand() {
        let o = ProfileOptions {
            v_bulk: 10.0,
            bin_width: 1.0,
            layer_width: 2.0,
            layers: 2,
            volume_bin_width: 1.0,
            face_area_threshold: 0.0,
        };
        let d = [0.1, 0.4, 1.5, 2.5, 5.0];
        let v = [12.0, 11.0, 9.5, 10.0, 10.0];
        let f = [15, 13, 14, 14, 14];
        let p = volume_profile(&d, &v, &f, &o).unwrap();
        assert_eq!(p.bins.len(), 6);
        assert_eq!(p.bins[0].volume.count, 2);
        assert_relative_eq!(p.bins[0].volume.mean.unwrap(), 11.5);
        assert_relative_eq!(p.bins[0].volume.std.unwrap(), 0.5);
        assert_relative_eq!(p.bins[0].faces.mean.unwrap(), 14.0);
        assert_eq!(p.bins[2].volume.count, 1);
        assert_eq!(p.bins[3].volume.count, 0);
        assert!(p.bins[3].volume.mean.is_none());
        // Within 2 layers (d < 4): 4 atoms, 2 looser, 1 tighter, 1 equal.
        assert_eq!(p.atoms_within_layers, 4);
        assert_relative_eq!(p.looser_fraction, 0.5);
        assert_relative_eq!(p.tighter_fraction, 0.25);
        assert_eq!(p.layers[0].atoms, 3);
        assert_eq!(p.layers[1].atoms, 1);
        assert_eq!(p.volume_edges.first().copied(), Some(9.0));
        assert_eq!(p.layers[0].counts.iter().sum::<usize>(), 3);
        assert_relative_eq!(p.centre_volume_change_0_25.unwrap(), 0.2);
        assert_relative_eq!(p.centre_volume_change_0_5.unwrap(), 0.15);
        assert!(profile_csv(&p).lines().count() == 7);
        assert!(layers_csv(&p).starts_with("volume_lo_A3,volume_hi_A3,layer_1,layer_2\n"));
        assert!(volume_profile(&d, &v[..4], &f, &o).is_err());
        assert!(volume_profile(&[-1.0], &[1.0], &[1], &o).is_err());
    }
}
