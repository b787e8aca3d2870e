//! [`AlState`]: an MTP with its active set (the active-learning state), built from a training
//! set, decoded from an MLIP-3 `.almtp` file, or saved and loaded in our JSON format
//! (`docs/maxvol-state.md`).

use std::path::Path;

use fe_potentials::mtp::{parse_mtp_str, write_mtp, Almtp, Mtp, MtpModel};
use fe_potentials::Potential;
use fe_structure::io::mlip_cfg::{self, Layout};
use fe_structure::io::{Frames, ReadOptions};
use fe_structure::{Element, Structure};
use serde_json::{json, Value};

use crate::active::{ActiveSet, Link, Pool, SelectOptions, SelectReport, INIT_VALUE};
use crate::error::{MaxVolError, Result};
use crate::grade::Grades;
use crate::rows::{config_pool, site_rows, site_rows_with_list, ParamLayout, RowMode};
use fe_neighbors::NeighborList;

/// The `format` value of our state files.
pub const STATE_FORMAT: &str = "fe-maxvol-state";
/// The `version` of our state files.
pub const STATE_VERSION: u64 = 1;

/// An MTP together with its MaxVol active set and the configurations its rows come from.
#[derive(Debug, Clone)]
pub struct AlState {
    mtp: Mtp,
    mode: RowMode,
    active: ActiveSet,
    configurations: Vec<Structure>,
}

/// What [`AlState::select_add`] chose.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SelectAdd {
    /// Indices (into the candidate list, ascending) of the candidates that ended up in the
    /// active set.
    pub selected: Vec<usize>,
    /// The three selection passes (training, candidates, training again).
    pub reports: [SelectReport; 3],
}

impl AlState {
    /// A state with the initial active set $\varepsilon I$ (MTP.md 8.3).
    ///
    /// # Errors
    /// [`MaxVolError::Invalid`] for `eps` not positive.
    pub fn initial(mtp: Mtp, mode: RowMode, eps: f64) -> Result<AlState> {
        let n = mtp.model().n_params();
        Ok(AlState {
            active: ActiveSet::initial(n, eps)?,
            mtp,
            mode,
            configurations: Vec::new(),
        })
    }

    /// Build an active set from a training set: all its rows form one pool, selected from
    /// $\varepsilon I$ ([`INIT_VALUE`]) by [`ActiveSet::select`]. `progress` is called
    /// once per configuration whose rows are ready.
    ///
    /// # Errors
    /// [`MaxVolError::EmptyTrainingSet`] without configurations or atoms; errors of the rows
    /// and of the selection.
    pub fn build(
        mtp: Mtp,
        training: &[Structure],
        mode: RowMode,
        opts: &SelectOptions,
        progress: &mut dyn FnMut(usize),
    ) -> Result<(AlState, SelectReport)> {
        if training.iter().all(Structure::is_empty) {
            return Err(MaxVolError::EmptyTrainingSet(format!(
                "{} configurations, no atom",
                training.len()
            )));
        }
        let mut state = AlState::initial(mtp, mode, INIT_VALUE)?;
        let refs: Vec<&Structure> = training.iter().collect();
        let mut pool = state.pool_of(&refs, 0, progress)?;
        let report = state.active.select(&mut pool, opts)?;
        state.keep_active_configurations(&refs);
        Ok((state, report))
    }

    /// The rows of configurations `list`, numbered from `first`.
    fn pool_of(
        &self,
        list: &[&Structure],
        first: usize,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Pool> {
        let mut pool = Pool::default();
        for (k, s) in list.iter().enumerate() {
            pool.extend(config_pool(&self.mtp, s, first + k, self.mode)?);
            progress(k + 1);
        }
        Ok(pool)
    }

    /// Keep only the configurations that rows of `A` refer to (`universe[cfg]`), renumbered
    /// in order of first use.
    fn keep_active_configurations(&mut self, universe: &[&Structure]) {
        let mut used: Vec<i64> = self
            .active
            .links()
            .iter()
            .filter(|l| !l.is_initial())
            .map(|l| l.cfg)
            .collect();
        used.sort_unstable();
        used.dedup();
        let links: Vec<Link> = self
            .active
            .links()
            .iter()
            .map(|l| match used.binary_search(&l.cfg) {
                Ok(k) if !l.is_initial() => Link {
                    cfg: k as i64,
                    eqn: l.eqn,
                },
                _ => *l,
            })
            .collect();
        self.configurations = used.iter().map(|&c| universe[c as usize].clone()).collect();
        self.active.set_links(links);
    }

    /// The state stored in an MLIP-3 `.almtp` file (MTP.md 6): its potential for `elements`,
    /// `A` as stored, $A^{-1} = S^T$, the links and the embedded configurations. Site-energy
    /// weight non-zero gives [`RowMode::Neighbourhood`]; energy weight alone
    /// [`RowMode::Configuration`].
    ///
    /// # Errors
    /// Potential errors; [`MaxVolError::State`] for force or stress rows (not supported) or
    /// unreadable embedded configurations; [`MaxVolError::Singular`] when $S^T$ does not
    /// invert `A`.
    pub fn from_almtp(a: &Almtp, elements: &[Element]) -> Result<AlState> {
        let bad = |message: String| MaxVolError::State {
            file: ".almtp".into(),
            message,
        };
        let mode = if a.site_en_weight != 0.0 {
            if a.energy_weight != 0.0 || a.force_weight != 0.0 || a.stress_weight != 0.0 {
                return Err(bad(
                    "mixed site-energy and other rows are not supported".into()
                ));
            }
            RowMode::Neighbourhood
        } else if a.force_weight != 0.0 || a.stress_weight != 0.0 {
            return Err(bad(
                "force or stress rows are not supported (only site-energy or energy rows)".into(),
            ));
        } else {
            RowMode::Configuration {
                energy_weight: a.energy_weight,
                weight_scaling: a.weight_scaling,
            }
        };
        let mtp = Mtp::from_almtp(a, elements)?;
        let n = mtp.model().n_params();
        let mut inverse = vec![0.0; n * n];
        for r in 0..n {
            for c in 0..n {
                inverse[c * n + r] = a.inverse_transposed[r * n + c];
            }
        }
        let links = a
            .links
            .iter()
            .map(|&(cfg, eqn)| Link { cfg, eqn })
            .collect();
        let active = ActiveSet::from_parts(a.active.clone(), inverse, links)?;
        let configurations = read_cfg_text(&a.configurations, elements, ".almtp configurations")?;
        Ok(AlState {
            mtp,
            mode,
            active,
            configurations,
        })
    }

    /// [`AlState::from_almtp`] of the file at `path`.
    ///
    /// # Errors
    /// As [`Almtp::from_path`] and [`AlState::from_almtp`].
    pub fn read_almtp(path: &Path, elements: &[Element]) -> Result<AlState> {
        let a = Almtp::from_path(path)?;
        AlState::from_almtp(&a, elements)
    }

    /// The potential.
    pub fn mtp(&self) -> &Mtp {
        &self.mtp
    }

    /// The row mode.
    pub fn mode(&self) -> RowMode {
        self.mode
    }

    /// The active set.
    pub fn active(&self) -> &ActiveSet {
        &self.active
    }

    /// The configurations the rows of `A` come from (`Link::cfg` indexes them).
    pub fn configurations(&self) -> &[Structure] {
        &self.configurations
    }

    /// Per species: whether some row of `A` that is not an initial row has a non-zero
    /// species-offset entry for it (MTP.md 8.8), i.e. whether the active set has seen a
    /// neighbourhood (or configuration) with that species.
    pub fn covered_species(&self) -> Vec<bool> {
        let lay = ParamLayout::of(&self.mtp);
        let n = lay.n;
        let a = self.active.matrix();
        (0..lay.species)
            .map(|t| {
                self.active
                    .links()
                    .iter()
                    .enumerate()
                    .any(|(r, l)| !l.is_initial() && a[r * n + lay.offsets + t] != 0.0)
            })
            .collect()
    }

    /// The rows of `s` in this state's mode.
    ///
    /// # Errors
    /// As [`config_pool`].
    pub fn rows(&self, s: &Structure) -> Result<Vec<f64>> {
        Ok(config_pool(&self.mtp, s, 0, self.mode)?.rows)
    }

    /// The extrapolation grades of `s` (MTP.md 8.2): per atom in neighbourhood mode (one
    /// value in configuration mode) and their maximum.
    ///
    /// # Errors
    /// [`MaxVolError::Invalid`] for a structure without atoms; potential errors for an element
    /// the potential lacks; [`MaxVolError::UncoveredSpecies`] for an element the active set
    /// has not seen; [`MaxVolError::NonFinite`].
    pub fn grade(&self, s: &Structure) -> Result<Grades> {
        if s.is_empty() {
            return Err(MaxVolError::Invalid(
                "cannot grade a structure without atoms".into(),
            ));
        }
        self.check_species(s)?;
        let rows = self.rows(s)?;
        let g = self.active.grades(&rows)?;
        let max = g.iter().copied().fold(0.0, f64::max);
        Ok(Grades { rows: g, max })
    }

    /// The neighbourhood grades of `s` with a caller's full neighbour list (at least at the
    /// potential's cutoff), e.g. the list of the force evaluation of an MD step.
    ///
    /// # Errors
    /// As [`AlState::grade`], and a list that does not fit.
    pub fn grade_with_list(&self, s: &Structure, list: &NeighborList) -> Result<Grades> {
        if s.is_empty() {
            return Err(MaxVolError::Invalid(
                "cannot grade a structure without atoms".into(),
            ));
        }
        self.check_species(s)?;
        let r = site_rows_with_list(&self.mtp, s, list)?;
        let g = self.active.grades(&r.rows)?;
        let max = g.iter().copied().fold(0.0, f64::max);
        Ok(Grades { rows: g, max })
    }

    fn check_species(&self, s: &Structure) -> Result<()> {
        let covered = self.covered_species();
        let known = self.mtp.elements();
        for e in s.elements() {
            if let Some(t) = known.iter().position(|&k| k == e) {
                if !covered[t] {
                    return Err(MaxVolError::UncoveredSpecies {
                        element: e.symbol().to_string(),
                        species: t,
                    });
                }
            }
        }
        Ok(())
    }

    /// The grades of the atoms of `s` by site rows alone (neighbourhood grades), whatever the
    /// mode; used for cutting neighbourhoods.
    ///
    /// # Errors
    /// As [`AlState::grade`].
    pub fn neighbourhood_grades(&self, s: &Structure) -> Result<Vec<f64>> {
        self.check_species(s)?;
        let r = site_rows(&self.mtp, s)?;
        self.active.grades(&r.rows)
    }

    /// MLIP-3's `select_add` (MTP.md 8.5): select the training set's rows at
    /// [`crate::SELECT_THRESHOLD`] (bringing `A` up to date), then the candidates' rows with
    /// `opts` (stopping early once `limit` candidate configurations hold rows of `A`), then
    /// the training rows again; returns the candidates that ended up in the active set.
    ///
    /// # Errors
    /// Errors of the rows and of the selections.
    pub fn select_add(
        &mut self,
        training: &[Structure],
        candidates: &[Structure],
        opts: &SelectOptions,
        limit: Option<usize>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<SelectAdd> {
        let stored = std::mem::take(&mut self.configurations);
        let mut universe: Vec<&Structure> = stored.iter().collect();
        let t0 = universe.len();
        universe.extend(training.iter());
        let c0 = universe.len();
        universe.extend(candidates.iter());
        let base = SelectOptions {
            threshold: crate::active::SELECT_THRESHOLD,
            ..*opts
        };
        let mut done = 0;
        let mut tick = |_: usize| {
            done += 1;
            progress(done)
        };
        let mut train_pool = self.pool_of(&universe[t0..c0], t0, &mut tick)?;
        let r0 = self.active.select(&mut train_pool, &base)?;
        let mut cand_pool = self.pool_of(&universe[c0..], c0, &mut tick)?;
        let c0i = c0 as i64;
        let r1 = self.active.select_until(&mut cand_pool, opts, |links| {
            limit.is_some_and(|lim| {
                let mut c: Vec<i64> = links
                    .iter()
                    .filter(|l| l.cfg >= c0i)
                    .map(|l| l.cfg)
                    .collect();
                c.sort_unstable();
                c.dedup();
                c.len() >= lim
            })
        })?;
        let mut train_pool = self.pool_of(&universe[t0..c0], t0, &mut |_| {})?;
        let r2 = self.active.select(&mut train_pool, &base)?;
        let mut selected: Vec<usize> = self
            .active
            .links()
            .iter()
            .filter(|l| l.cfg >= c0i)
            .map(|l| (l.cfg - c0i) as usize)
            .collect();
        selected.sort_unstable();
        selected.dedup();
        self.keep_active_configurations(&universe);
        Ok(SelectAdd {
            selected,
            reports: [r0, r1, r2],
        })
    }

    /// Our state file as JSON (`docs/maxvol-state.md`): format, version, elements, the MTP
    /// text, the row mode, `A` and $A^{-1}$ (row-major, shortest round-trip decimal), the
    /// links and the active configurations as lossless `.cfg` text.
    ///
    /// # Errors
    /// Writing the configurations fails (non-finite values).
    pub fn to_json(&self) -> Result<Value> {
        let elements: Vec<&str> = self.mtp.elements().iter().map(|e| e.symbol()).collect();
        let mode = match self.mode {
            RowMode::Neighbourhood => json!({"kind": "neighbourhood"}),
            RowMode::Configuration {
                energy_weight,
                weight_scaling,
            } => {
                json!({"kind": "configuration", "energy_weight": energy_weight, "weight_scaling": weight_scaling})
            }
        };
        let mut cfg = Vec::new();
        mlip_cfg::write_with_layout(
            &mut cfg,
            "state configurations",
            &self.configurations,
            self.mtp.elements(),
            Layout::Lossless,
        )?;
        let links: Vec<[i64; 2]> = self.active.links().iter().map(|l| [l.cfg, l.eqn]).collect();
        Ok(json!({
            "format": STATE_FORMAT,
            "version": STATE_VERSION,
            "elements": elements,
            "mtp": write_mtp(self.mtp.model()),
            "exact": exact_numbers(self.mtp.model()),
            "mode": mode,
            "n": self.active.n(),
            "active": self.active.matrix(),
            "inverse": self.active.inverse(),
            "links": links,
            "configurations": String::from_utf8_lossy(&cfg),
        }))
    }

    /// Read a state from [`AlState::to_json`]'s value; `file` names it in errors.
    ///
    /// # Errors
    /// [`MaxVolError::State`] naming the missing or malformed key; potential and matrix
    /// errors.
    pub fn from_json(v: &Value, file: &str) -> Result<AlState> {
        let bad = |message: String| MaxVolError::State {
            file: file.to_string(),
            message,
        };
        if v.get("format").and_then(Value::as_str) != Some(STATE_FORMAT) {
            return Err(bad(format!(
                "not a state file (`format` is not `{STATE_FORMAT}`)"
            )));
        }
        if v.get("version").and_then(Value::as_u64) != Some(STATE_VERSION) {
            return Err(bad(format!(
                "unsupported `version` (expected {STATE_VERSION})"
            )));
        }
        let elements: Vec<Element> = v
            .get("elements")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("`elements` must be a list of symbols".into()))?
            .iter()
            .map(|e| {
                e.as_str()
                    .and_then(|s| s.parse::<Element>().ok())
                    .ok_or_else(|| bad(format!("`elements`: `{e}` is not an element")))
            })
            .collect::<Result<_>>()?;
        let text = v
            .get("mtp")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("`mtp` must be the potential's .mtp text".into()))?;
        let mut model = parse_mtp_str(text, &format!("{file} (mtp)"))?;
        if let Some(x) = v.get("exact") {
            apply_exact_numbers(&mut model, x).map_err(|m| bad(format!("`exact`: {m}")))?;
        }
        let mtp = Mtp::new(model, &elements)?;
        let mode = v.get("mode").ok_or_else(|| bad("missing `mode`".into()))?;
        let mode = match mode.get("kind").and_then(Value::as_str) {
            Some("neighbourhood") => RowMode::Neighbourhood,
            Some("configuration") => RowMode::Configuration {
                energy_weight: mode
                    .get("energy_weight")
                    .and_then(Value::as_f64)
                    .ok_or_else(|| bad("`mode.energy_weight` must be a number".into()))?,
                weight_scaling: mode
                    .get("weight_scaling")
                    .and_then(Value::as_i64)
                    .ok_or_else(|| bad("`mode.weight_scaling` must be an integer".into()))?,
            },
            _ => {
                return Err(bad(
                    "`mode.kind` must be `neighbourhood` or `configuration`".into(),
                ))
            }
        };
        let n = mtp.model().n_params();
        if v.get("n").and_then(Value::as_u64) != Some(n as u64) {
            return Err(bad(format!(
                "`n` must equal the potential's {n} parameters"
            )));
        }
        let reals = |key: &str| -> Result<Vec<f64>> {
            let a = v
                .get(key)
                .and_then(Value::as_array)
                .ok_or_else(|| bad(format!("`{key}` must be a list of {} numbers", n * n)))?;
            if a.len() != n * n {
                return Err(bad(format!(
                    "`{key}` has {} numbers, expected {}",
                    a.len(),
                    n * n
                )));
            }
            a.iter()
                .map(|x| {
                    x.as_f64()
                        .ok_or_else(|| bad(format!("`{key}`: `{x}` is not a number")))
                })
                .collect()
        };
        let active = reals("active")?;
        let inverse = reals("inverse")?;
        let links = v
            .get("links")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("`links` must be a list of [cfg, eqn] pairs".into()))?
            .iter()
            .map(|l| match l.as_array().map(|p| p.as_slice()) {
                Some([c, e]) => match (c.as_i64(), e.as_i64()) {
                    (Some(cfg), Some(eqn)) => Ok(Link { cfg, eqn }),
                    _ => Err(bad(format!("`links`: `{l}` is not two integers"))),
                },
                _ => Err(bad(format!("`links`: `{l}` is not a [cfg, eqn] pair"))),
            })
            .collect::<Result<Vec<Link>>>()?;
        if links.len() != n {
            return Err(bad(format!(
                "`links` has {} pairs, expected {n}",
                links.len()
            )));
        }
        let cfg = v
            .get("configurations")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("`configurations` must be .cfg text".into()))?;
        let configurations = read_cfg_text(cfg, &elements, &format!("{file} (configurations)"))?;
        if let Some(l) = links
            .iter()
            .find(|l| !l.is_initial() && (l.cfg < 0 || l.cfg as usize >= configurations.len()))
        {
            return Err(bad(format!(
                "link to configuration {} of {}",
                l.cfg,
                configurations.len()
            )));
        }
        let active = ActiveSet::from_parts(active, inverse, links)?;
        Ok(AlState {
            mtp,
            mode,
            active,
            configurations,
        })
    }

    /// Write the state file (JSON, `docs/maxvol-state.md`).
    ///
    /// # Errors
    /// As [`AlState::to_json`]; I/O errors.
    pub fn save(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string(&self.to_json()?).map_err(|e| MaxVolError::Io {
            file: path.display().to_string(),
            source: e.into(),
        })?;
        std::fs::write(path, text + "\n").map_err(|source| MaxVolError::Io {
            file: path.display().to_string(),
            source,
        })
    }

    /// Read a state file: ours (JSON), or an MLIP-3 `.almtp` (by extension; `elements` give
    /// its species, default the single element of a one-species potential is required).
    ///
    /// # Errors
    /// I/O and format errors naming the file.
    pub fn load(path: &Path, elements: Option<&[Element]>) -> Result<AlState> {
        let name = path.display().to_string();
        if name.to_ascii_lowercase().ends_with(".almtp") {
            let a = Almtp::from_path(path)?;
            let els = match elements {
                Some(e) => e.to_vec(),
                None => {
                    return Err(MaxVolError::State {
                        file: name,
                        message:
                            "an .almtp file numbers its species: name the elements (--types W)"
                                .into(),
                    })
                }
            };
            return AlState::from_almtp(&a, &els);
        }
        let text = std::fs::read_to_string(path).map_err(|source| MaxVolError::Io {
            file: name.clone(),
            source,
        })?;
        let v: Value = serde_json::from_str(&text).map_err(|e| MaxVolError::State {
            file: name.clone(),
            message: format!("not JSON: {e}"),
        })?;
        AlState::from_json(&v, &name)
    }
}

/// The real numbers of a model that the `.mtp` text (`%.15e`) may round: scaling, distances
/// and coefficients, as shortest round-trip JSON numbers.
fn exact_numbers(m: &MtpModel) -> Value {
    json!({
        "scaling": m.scaling,
        "min_dist": m.min_dist,
        "max_dist": m.max_dist,
        "radial_coeffs": m.radial_coeffs.as_ref().map(|r| r.values.clone()),
        "species_coeffs": m.species_coeffs,
        "moment_coeffs": m.moment_coeffs,
    })
}

/// Put the numbers of [`exact_numbers`] back, checking every length against the text's.
fn apply_exact_numbers(m: &mut MtpModel, x: &Value) -> std::result::Result<(), String> {
    let real = |k: &str| {
        x.get(k)
            .and_then(Value::as_f64)
            .ok_or_else(|| format!("`{k}` must be a number"))
    };
    let list = |k: &str, len: usize| -> std::result::Result<Vec<f64>, String> {
        let a = x
            .get(k)
            .and_then(Value::as_array)
            .ok_or_else(|| format!("`{k}` must be a list of numbers"))?;
        if a.len() != len {
            return Err(format!(
                "`{k}` has {} numbers, the potential {len}",
                a.len()
            ));
        }
        a.iter()
            .map(|v| {
                v.as_f64()
                    .ok_or_else(|| format!("`{k}`: `{v}` is not a number"))
            })
            .collect()
    };
    m.scaling = real("scaling")?;
    m.min_dist = real("min_dist")?;
    m.max_dist = real("max_dist")?;
    if let Some(r) = m.radial_coeffs.as_mut() {
        r.values = list("radial_coeffs", r.values.len())?;
    }
    if let Some(c) = m.species_coeffs.as_mut() {
        *c = list("species_coeffs", c.len())?;
    }
    if let Some(c) = m.moment_coeffs.as_mut() {
        *c = list("moment_coeffs", c.len())?;
    }
    Ok(())
}

/// Configurations from `.cfg` text with type `t` = `elements[t]`.
fn read_cfg_text(text: &str, elements: &[Element], name: &str) -> Result<Vec<Structure>> {
    let opts = ReadOptions {
        types: Some(elements.to_vec()),
        frames: Frames::All,
    };
    Ok(mlip_cfg::read(text.as_bytes(), name, &opts)?)
}
