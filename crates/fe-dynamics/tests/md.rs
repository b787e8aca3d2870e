//! Short MD checks on small systems with the embedded Zhou 2004 EAM: energy conservation,
//! reproducibility, thermostat targets, barostat sanity, trajectories and failures.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use fe_dynamics::md::{
    maxwell_boltzmann, Barostat, Md, MdOptions, Schedule, Thermostat, Trajectory,
};
use fe_dynamics::{CellDof, DynamicsError};
use fe_potentials::eam::Zhou2004;
use fe_potentials::{Evaluator, Potential};
use fe_structure::build::bcc;
use fe_structure::io::{read_path, ReadOptions, WriteOptions};
use fe_structure::{Element, Structure};

fn zhou() -> Arc<dyn Potential> {
    Arc::new(Zhou2004::new(&[Element::FE]).unwrap())
}

fn crystal(t: f64, seed: u64) -> Structure {
    let mut s = bcc(Element::FE, 2.86595)
        .unwrap()
        .replicate(3, 3, 3)
        .unwrap();
    maxwell_boltzmann(&mut s, t, seed).unwrap();
    s
}

fn options(thermostat: Thermostat, barostat: Option<Barostat>, t: f64) -> MdOptions {
    MdOptions {
        timestep: 0.001,
        thermostat,
        barostat,
        schedule: Schedule::hold(t).unwrap(),
        seed: 42,
    }
}

#[test]
fn nve_conserves_energy_and_halving_the_step_shrinks_the_error() {
    let mut errors = Vec::new();
    for dt in [0.002, 0.001] {
        let mut ev = Evaluator::new(zhou());
        let mut o = options(Thermostat::None, None, 600.0);
        o.timestep = dt;
        let mut md = Md::new(crystal(600.0, 1), &mut ev, o).unwrap();
        let mut e = Vec::new();
        md.run((0.2 / dt) as usize, 1, |t, _| {
            e.push(t.conserved.unwrap());
            Ok(())
        })
        .unwrap();
        let worst = e.iter().map(|x| (x - e[0]).abs()).fold(0.0, f64::max);
        errors.push(worst / 54.0);
    }
    assert!(errors[1] < 5e-5, "{errors:?}");
    // Velocity Verlet: energy error O(dt^2).
    assert!(errors[1] < errors[0] / 2.5, "{errors:?}");
}

#[test]
fn same_seed_same_trajectory() {
    let run = |seed: u64| {
        let mut ev = Evaluator::new(zhou());
        let mut o = options(Thermostat::Langevin { damping: 0.05 }, None, 300.0);
        o.seed = seed;
        let mut md = Md::new(crystal(300.0, 2), &mut ev, o).unwrap();
        md.run(50, 50, |_, _| Ok(())).unwrap();
        md.structure().positions().to_vec()
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
}

#[test]
fn thermostats_follow_the_target_and_conserve_their_extended_energy() {
    for thermostat in [
        Thermostat::Langevin { damping: 0.05 },
        Thermostat::NoseHooverChain {
            damping: 0.05,
            chain: 3,
        },
    ] {
        let mut ev = Evaluator::new(zhou());
        // Start cold, thermostat to 500 K.
        let mut md = Md::new(crystal(50.0, 3), &mut ev, options(thermostat, None, 500.0)).unwrap();
        let mut temps = Vec::new();
        let mut conserved = Vec::new();
        md.run(1500, 5, |t, _| {
            if t.step > 500 {
                temps.push(t.temperature);
            }
            conserved.push(t.conserved.unwrap());
            Ok(())
        })
        .unwrap();
        let mean = temps.iter().sum::<f64>() / temps.len() as f64;
        assert!((mean - 500.0).abs() < 60.0, "{thermostat:?}: {mean}");
        let drift = conserved
            .iter()
            .map(|c| (c - conserved[0]).abs())
            .fold(0.0, f64::max);
        assert!(
            drift / 54.0 < 2e-4,
            "{thermostat:?}: conserved drift {drift}"
        );
    }
}

#[test]
fn ramp_cools_the_crystal() {
    let mut ev = Evaluator::new(zhou());
    let mut o = options(Thermostat::Langevin { damping: 0.02 }, None, 600.0);
    o.schedule = Schedule::ramp(600.0, 10.0, 1.0).unwrap();
    let mut md = Md::new(crystal(600.0, 4), &mut ev, o).unwrap();
    let mut last = 0.0;
    md.run(1000, 100, |t, _| {
        last = t.temperature;
        Ok(())
    })
    .unwrap();
    assert!(last < 80.0, "{last}");
}

#[test]
fn npt_keeps_the_cell_sane_for_every_mode() {
    for cell in [CellDof::Iso, CellDof::Aniso, CellDof::Tri] {
        let mut ev = Evaluator::new(zhou());
        let baro = Barostat {
            cell,
            every: 5,
            damping: 0.1,
            ..Barostat::isotropic(0.0)
        };
        let s = crystal(300.0, 5);
        let v0 = s.cell().volume();
        let th = Thermostat::Langevin { damping: 0.05 };
        let mut md = Md::new(s, &mut ev, options(th, Some(baro), 300.0)).unwrap();
        let mut vols = Vec::new();
        md.run(1000, 10, |t, _| {
            vols.push(t.volume);
            Ok(())
        })
        .unwrap();
        for v in vols {
            assert!((v / v0 - 1.0).abs() < 0.05, "{cell:?}: {v} vs {v0}");
        }
        let c = *md.structure().cell().matrix();
        if cell == CellDof::Iso || cell == CellDof::Aniso {
            assert!(c[(0, 1)].abs() < 1e-12 && c[(1, 2)].abs() < 1e-12);
        }
    }
}

#[test]
fn trajectory_frames_read_back() {
    for name in ["traj.extxyz", "traj.dump"] {
        let dir = std::env::temp_dir().join(format!("fe-dynamics-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        let mut ev = Evaluator::new(zhou());
        let mut md = Md::new(
            crystal(300.0, 6),
            &mut ev,
            options(Thermostat::None, None, 300.0),
        )
        .unwrap();
        let mut traj = Trajectory::create(&path, WriteOptions::default()).unwrap();
        md.run(20, 10, |t, state| {
            traj.write(&state.structure(), t.step, t.time)
        })
        .unwrap();
        traj.flush().unwrap();
        let opts = ReadOptions {
            types: Some(vec![Element::FE]),
            frames: fe_structure::io::Frames::All,
        };
        let frames = read_path(&path, &opts).unwrap();
        assert_eq!(frames.len(), 3, "{name}");
        let last = md.structure();
        for (a, b) in frames[2].positions().iter().zip(last.positions()) {
            assert!((a - b).norm() < 1e-6);
        }
        assert!(Trajectory::create(&dir.join("x.data"), WriteOptions::default()).is_err());
    }
}

#[test]
fn bad_options_are_errors() {
    let s = crystal(300.0, 7);
    let mut ev = Evaluator::new(zhou());
    let mut o = options(Thermostat::None, None, 300.0);
    o.timestep = -1.0;
    assert!(matches!(
        Md::new(s.clone(), &mut ev, o),
        Err(DynamicsError::Invalid(_))
    ));
    let o = options(
        Thermostat::NoseHooverChain {
            damping: 0.1,
            chain: 3,
        },
        None,
        0.0,
    );
    assert!(matches!(
        Md::new(s.clone(), &mut ev, o),
        Err(DynamicsError::Invalid(_))
    ));
    let o = options(Thermostat::Langevin { damping: 0.0 }, None, 300.0);
    assert!(matches!(
        Md::new(s.clone(), &mut ev, o),
        Err(DynamicsError::Invalid(_))
    ));
    let baro = Barostat {
        cell: CellDof::None,
        ..Barostat::isotropic(0.0)
    };
    let o = options(Thermostat::None, Some(baro), 300.0);
    assert!(matches!(
        Md::new(s, &mut ev, o),
        Err(DynamicsError::Invalid(_))
    ));
}

#[test]
fn an_exploding_cell_is_stopped() {
    // A huge tension with a fast barostat: the run must stop with an error, never NaN.
    let mut ev = Evaluator::new(zhou());
    let baro = Barostat {
        damping: 0.01,
        compressibility: 1e-3,
        every: 1,
        ..Barostat::isotropic(-1e6)
    };
    let th = Thermostat::Langevin { damping: 0.1 };
    let mut md = Md::new(crystal(300.0, 8), &mut ev, options(th, Some(baro), 300.0)).unwrap();
    let r = md.run(5000, 100, |_, _| Ok(()));
    assert!(
        matches!(r, Err(DynamicsError::CellExploded { .. })),
        "{r:?}"
    );
}
