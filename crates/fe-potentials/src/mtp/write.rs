//! Writer of MLIP `.mtp` text in MLIP's layout (MTP.md 4.1 and 4.3): same keys, order, tabs
//! and list syntax; floats as C `%.15e`.

use std::fmt::Write as _;

use super::model::{MtpModel, RADIAL_BASIS_TYPE};

/// `x` as C's `printf("%.{digits}e")`: one digit, the point, `digits` digits, `e`, the
/// exponent's sign and at least two exponent digits (`1.400000000000000e+00`).
pub(crate) fn c_sci(x: f64, digits: usize) -> String {
    let s = format!("{x:.digits$e}");
    match s.split_once('e') {
        Some((mantissa, exp)) => {
            let e: i32 = exp.parse().unwrap_or(0);
            let sign = if e < 0 { '-' } else { '+' };
            format!("{mantissa}e{sign}{:02}", e.unsigned_abs())
        }
        None => s, // inf / NaN never reach the writer (validated models)
    }
}

fn list<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    let v: Vec<String> = items.iter().map(f).collect();
    format!("{{{}}}", v.join(", "))
}

fn rows4(rows: &[[usize; 4]]) -> String {
    list(rows, |r| {
        format!("{{{}, {}, {}, {}}}", r[0], r[1], r[2], r[3])
    })
}

/// The `.mtp` text of `m` exactly as MLIP writes it.
///
/// A trained model (radial, species and moment coefficients present) is written as MLIP's
/// `Save`: `min_dist`/`max_dist` as `%.15e`, `scaling` only when it is not 1, and no line end
/// after the final `}` of `moment_coeffs`. A template (no coefficients) is written as MLIP's
/// distributed templates, with `min_dist`/`max_dist` in the shortest form that reads back to
/// the same number and a final line end.
pub fn write_mtp(m: &MtpModel) -> String {
    let mut o = String::new();
    let trained = m.radial_coeffs.is_some();
    let dist = |x: f64| {
        if trained {
            c_sci(x, 15)
        } else {
            format!("{x}")
        }
    };
    // Writing to a String cannot fail.
    let _ = writeln!(o, "MTP\nversion = 1.1.0");
    if let Some(n) = &m.potential_name {
        let _ = writeln!(o, "potential_name = {n}");
    }
    if m.scaling != 1.0 {
        let _ = writeln!(o, "scaling = {}", c_sci(m.scaling, 15));
    }
    if let Some(c) = m.species_count {
        let _ = writeln!(o, "species_count = {c}");
    }
    if let Some(t) = &m.potential_tag {
        let _ = writeln!(o, "potential_tag = {t}");
    }
    let _ = writeln!(o, "radial_basis_type = {RADIAL_BASIS_TYPE}");
    let _ = writeln!(o, "\tmin_dist = {}", dist(m.min_dist));
    let _ = writeln!(o, "\tmax_dist = {}", dist(m.max_dist));
    let _ = writeln!(o, "\tradial_basis_size = {}", m.radial_basis_size);
    let _ = writeln!(o, "\tradial_funcs_count = {}", m.radial_funcs_count);
    if let Some(rc) = &m.radial_coeffs {
        let _ = writeln!(o, "\tradial_coeffs");
        let r = m.radial_basis_size.max(1);
        let per_block = m.radial_funcs_count * r;
        for (b, label) in rc.labels.iter().enumerate() {
            let _ = writeln!(o, "\t\t{label}");
            let block = rc
                .values
                .get(b * per_block..(b + 1) * per_block)
                .unwrap_or(&[]);
            for row in block.chunks(r) {
                let _ = writeln!(o, "\t\t\t{}", list(row, |x| c_sci(*x, 15)));
            }
        }
    }
    let _ = writeln!(o, "alpha_moments_count = {}", m.alpha_moments_count);
    let _ = writeln!(o, "alpha_index_basic_count = {}", m.alpha_index_basic.len());
    let _ = writeln!(o, "alpha_index_basic = {}", rows4(&m.alpha_index_basic));
    let _ = writeln!(o, "alpha_index_times_count = {}", m.alpha_index_times.len());
    let _ = writeln!(o, "alpha_index_times = {}", rows4(&m.alpha_index_times));
    let _ = writeln!(o, "alpha_scalar_moments = {}", m.alpha_moment_mapping.len());
    let _ = writeln!(
        o,
        "alpha_moment_mapping = {}",
        list(&m.alpha_moment_mapping, |x| x.to_string())
    );
    if let Some(xi) = &m.species_coeffs {
        let _ = writeln!(o, "species_coeffs = {}", list(xi, |x| c_sci(*x, 15)));
    }
    if let Some(th) = &m.moment_coeffs {
        let _ = write!(o, "moment_coeffs = {}", list(th, |x| c_sci(*x, 15)));
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_sci_matches_printf() {
        assert_eq!(c_sci(1.4, 15), "1.400000000000000e+00");
        assert_eq!(c_sci(-0.1373149462924124, 15), "-1.373149462924124e-01");
        assert_eq!(c_sci(0.0, 15), "0.000000000000000e+00");
        assert_eq!(c_sci(1e-100, 3), "1.000e-100");
        assert_eq!(c_sci(1e6, 16), "1.0000000000000000e+06");
    }
}
