//! SVG plots of a grain-boundary report, after the figures of Paper I (Ito et al.): the
//! per-GB energy histogram (Fig. 7), GB energy against misorientation (Fig. 9c), the
//! misorientation histogram with Mackenzie's density (Fig. 9a) and distance-to-GB profiles
//! of the Voronoi volume or coordination, mean $\pm$ standard deviation with the bulk value
//! (Fig. 8).
//!
//! Every function takes plain slices, writes one SVG file (plotters' pure-Rust SVG backend:
//! no font or system library; text is written as SVG `<text>` and laid out by the viewer) and
//! checks its input: empty, non-finite or mismatched data are [`GbError::Input`], drawing or
//! file errors [`GbError::Plot`].

use std::path::Path;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::error::{GbError, Result};
use crate::misorientation::{mackenzie_density_per_degree, Histogram, MACKENZIE_MAX_DEG};
use crate::report::GbReport;

/// Size of every plot in pixels (width, height).
pub const PLOT_SIZE: (u32, u32) = (720, 480);

const FONT: &str = "sans-serif";
const BAR: RGBColor = RGBColor(70, 110, 180);
const CURVE: RGBColor = RGBColor(200, 50, 40);

fn plot_error(path: &Path) -> impl Fn(&dyn std::fmt::Display) -> GbError + '_ {
    move |e| GbError::Plot {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// A chart with two real axes on the SVG backend.
type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// What plotters' drawing calls return on the SVG backend.
type Drawn = std::result::Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// The frame of one chart: caption, axis ranges and labels, legend place.
struct Frame<'s> {
    caption: String,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
    x_desc: &'s str,
    y_desc: &'s str,
    /// Width of the y label area (pixels).
    y_label_area: u32,
    /// Vertical grid lines (off for histograms).
    x_mesh: bool,
    legend: SeriesLabelPosition,
}

/// Draw one chart into the SVG file `path`: white background, [`PLOT_SIZE`], the frame's
/// caption, mesh and axis labels, the series that `series` draws, then the legend.
fn draw_chart(path: &Path, frame: Frame, series: impl FnOnce(&mut Chart) -> Drawn) -> Result<()> {
    let e = plot_error(path);
    let root = SVGBackend::new(path, PLOT_SIZE).into_drawing_area();
    root.fill(&WHITE).map_err(|x| e(&x))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(frame.caption, (FONT, 22))
        .margin(12)
        .x_label_area_size(45)
        .y_label_area_size(frame.y_label_area)
        .build_cartesian_2d(frame.x, frame.y)
        .map_err(|x| e(&x))?;
    let mut mesh = chart.configure_mesh();
    mesh.label_style((FONT, 14))
        .axis_desc_style((FONT, 16))
        .x_desc(frame.x_desc)
        .y_desc(frame.y_desc);
    if !frame.x_mesh {
        mesh.disable_x_mesh();
    }
    mesh.draw().map_err(|x| e(&x))?;
    series(&mut chart).map_err(|x| e(&x))?;
    chart
        .configure_series_labels()
        .label_font((FONT, 14))
        .position(frame.legend)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|x| e(&x))?;
    root.present().map_err(|x| e(&x))
}

/// Check that `values` is non-empty and finite.
fn check(values: &[f64], what: &str) -> Result<()> {
    if values.is_empty() {
        return Err(GbError::Input(format!("nothing to plot: no {what}")));
    }
    if let Some(x) = values.iter().find(|x| !x.is_finite()) {
        return Err(GbError::Input(format!("cannot plot the {what} value {x}")));
    }
    Ok(())
}

fn check_same_length(a: usize, b: usize, what: &str) -> Result<()> {
    if a == b {
        Ok(())
    } else {
        Err(GbError::Input(format!(
            "{what}: {a} and {b} values do not pair up"
        )))
    }
}

/// The range of `values` widened by 5 % on each side (by 1 when all are equal).
fn padded_range(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
        (lo.min(x), hi.max(x))
    });
    let pad = if hi > lo { 0.05 * (hi - lo) } else { 1.0 };
    (lo - pad)..(hi + pad)
}

/// The histogram of the per-GB energies `energies` (J/m^2) in bins of `bin_width` J/m^2, with
/// a vertical line at their plain mean (Paper I, Fig. 7).
///
/// # Errors
/// [`GbError::Input`] for no or non-finite energies or a non-positive bin width;
/// [`GbError::Plot`] when the file cannot be written.
pub fn gb_energy_histogram(path: &Path, energies: &[f64], bin_width: f64) -> Result<()> {
    check(energies, "GB energy")?;
    if !(bin_width > 0.0 && bin_width.is_finite()) {
        return Err(GbError::Input(format!(
            "the bin width must be positive, got {bin_width}"
        )));
    }
    let (lo, hi) = energies
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        });
    let lo = (lo / bin_width).floor() * bin_width;
    let bins = (((hi - lo) / bin_width).floor() as usize + 1).max(1);
    let hist = Histogram::new(energies, lo, lo + bins as f64 * bin_width, bins)?;
    let mean = energies.iter().sum::<f64>() / energies.len() as f64;
    let ymax = hist.counts.iter().copied().max().unwrap_or(0) as f64 * 1.15 + 0.5;
    let frame = Frame {
        caption: "Energy of the grain boundaries".into(),
        x: (lo - bin_width)..(lo + (bins + 1) as f64 * bin_width),
        y: 0.0..ymax,
        x_desc: "GB energy (J/m^2)",
        y_desc: "number of GBs",
        y_label_area: 55,
        x_mesh: false,
        legend: SeriesLabelPosition::MiddleRight,
    };
    draw_chart(path, frame, |chart| {
        chart
            .draw_series(hist.counts.iter().enumerate().map(|(k, &n)| {
                let x0 = lo + k as f64 * bin_width;
                Rectangle::new([(x0, 0.0), (x0 + bin_width, n as f64)], BAR.filled())
            }))?
            .label(format!("{} GBs", energies.len()))
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], BAR.filled()));
        chart
            .draw_series(LineSeries::new(
                [(mean, 0.0), (mean, ymax)],
                CURVE.stroke_width(2),
            ))?
            .label(format!("mean {mean:.3} J/m^2"))
            .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], CURVE.stroke_width(2)));
        Ok(())
    })
}

/// GB energy (J/m^2) against disorientation angle (degrees), one point per GB (Paper I,
/// Fig. 9c).
///
/// # Errors
/// [`GbError::Input`] for no, non-finite or unpaired values; [`GbError::Plot`] when the file
/// cannot be written.
pub fn energy_vs_misorientation(path: &Path, angles_deg: &[f64], energies: &[f64]) -> Result<()> {
    check(angles_deg, "misorientation")?;
    check(energies, "GB energy")?;
    check_same_length(angles_deg.len(), energies.len(), "angles and energies")?;
    let frame = Frame {
        caption: "GB energy against misorientation".into(),
        x: 0.0..65.0,
        y: padded_range(energies.iter().copied()),
        x_desc: "disorientation angle (degrees)",
        y_desc: "GB energy (J/m^2)",
        y_label_area: 55,
        x_mesh: true,
        legend: SeriesLabelPosition::MiddleRight,
    };
    draw_chart(path, frame, |chart| {
        chart
            .draw_series(
                angles_deg
                    .iter()
                    .zip(energies)
                    .map(|(&a, &g)| Circle::new((a, g), 4, BAR.filled())),
            )?
            .label(format!("{} GBs", energies.len()))
            .legend(|(x, y)| Circle::new((x + 7, y), 4, BAR.filled()));
        Ok(())
    })
}

/// The histogram of disorientation angles (degrees) as a density per degree, in bins of
/// `bin_width_deg` from 0 to 63 degrees, with Mackenzie's density of random orientations
/// ([`mackenzie_density_per_degree`]; Paper I, Fig. 9a).
///
/// # Errors
/// [`GbError::Input`] for no or non-finite angles, angles outside $[0, 63]$ degrees or a bin
/// width outside $(0, 63]$; [`GbError::Plot`] when the file cannot be written.
pub fn misorientation_histogram(path: &Path, angles_deg: &[f64], bin_width_deg: f64) -> Result<()> {
    check(angles_deg, "misorientation")?;
    if !(bin_width_deg > 0.0 && bin_width_deg <= 63.0) {
        return Err(GbError::Input(format!(
            "the bin width must be in (0, 63] degrees, got {bin_width_deg}"
        )));
    }
    let bins = (63.0 / bin_width_deg).ceil() as usize;
    let hi = bins as f64 * bin_width_deg;
    let hist = Histogram::new(angles_deg, 0.0, hi, bins)?;
    if hist.outside > 0 {
        return Err(GbError::Input(format!(
            "{} disorientation angles lie outside [0, {hi}] degrees",
            hist.outside
        )));
    }
    let density = hist.density();
    let curve: Vec<(f64, f64)> = (0..=630)
        .map(|k| {
            let t = (k as f64 * 0.1).min(MACKENZIE_MAX_DEG);
            (t, mackenzie_density_per_degree(t))
        })
        .collect();
    let ymax = density
        .iter()
        .chain(curve.iter().map(|(_, p)| p))
        .fold(0.0f64, |m, &x| m.max(x))
        * 1.15;
    let frame = Frame {
        caption: "Misorientation of the grain boundaries".into(),
        x: 0.0..hi.max(65.0),
        y: 0.0..ymax,
        x_desc: "disorientation angle (degrees)",
        y_desc: "probability density (1/degree)",
        y_label_area: 65,
        x_mesh: false,
        legend: SeriesLabelPosition::UpperLeft,
    };
    draw_chart(path, frame, |chart| {
        chart
            .draw_series(density.iter().enumerate().map(|(k, &p)| {
                let x0 = k as f64 * bin_width_deg;
                Rectangle::new([(x0, 0.0), (x0 + bin_width_deg, p)], BAR.mix(0.8).filled())
            }))?
            .label(format!("{} GBs", angles_deg.len()))
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], BAR.filled()));
        chart
            .draw_series(LineSeries::new(curve, CURVE.stroke_width(2)))?
            .label("Mackenzie (random orientations)")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], CURVE.stroke_width(2)));
        Ok(())
    })
}

/// A binned profile against the distance to the GB centre: `mean` $\pm$ `std` of a per-atom
/// quantity (Voronoi volume in Angstrom^3, coordination) at bin centres `distance` (Angstrom),
/// drawn as a line over a shaded band, with a dashed line at the `bulk` value when given
/// (Paper I, Fig. 8). `quantity` labels the y axis, for example `"Voronoi volume (A^3)"`.
///
/// # Errors
/// [`GbError::Input`] for no, non-finite or unpaired values or a negative standard deviation;
/// [`GbError::Plot`] when the file cannot be written.
pub fn profile(
    path: &Path,
    distance: &[f64],
    mean: &[f64],
    std: &[f64],
    bulk: Option<f64>,
    quantity: &str,
) -> Result<()> {
    check(distance, "distance")?;
    check(mean, "mean")?;
    check(std, "standard deviation")?;
    check_same_length(distance.len(), mean.len(), "distances and means")?;
    check_same_length(
        distance.len(),
        std.len(),
        "distances and standard deviations",
    )?;
    if let Some(s) = std.iter().find(|&&s| s < 0.0) {
        return Err(GbError::Input(format!(
            "a standard deviation cannot be negative, got {s}"
        )));
    }
    if let Some(b) = bulk {
        check(&[b], "bulk")?;
    }
    let y = padded_range(
        mean.iter()
            .zip(std)
            .flat_map(|(m, s)| [m - s, m + s])
            .chain(bulk),
    );
    let x = padded_range(distance.iter().copied());
    let x = x.start.max(0.0)..x.end;
    let band: Vec<(f64, f64)> = distance
        .iter()
        .zip(mean.iter().zip(std))
        .map(|(&d, (m, s))| (d, m + s))
        .chain(
            distance
                .iter()
                .zip(mean.iter().zip(std))
                .rev()
                .map(|(&d, (m, s))| (d, m - s)),
        )
        .collect();
    let frame = Frame {
        caption: format!("{quantity} against distance to the GB"),
        x: x.clone(),
        y,
        x_desc: "distance to the GB centre (A)",
        y_desc: quantity,
        y_label_area: 60,
        x_mesh: true,
        legend: SeriesLabelPosition::UpperRight,
    };
    draw_chart(path, frame, |chart| {
        chart
            .draw_series(std::iter::once(Polygon::new(band, BAR.mix(0.25).filled())))?
            .label("mean +- standard deviation")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], BAR.mix(0.25).filled()));
        chart
            .draw_series(LineSeries::new(
                distance.iter().copied().zip(mean.iter().copied()),
                BAR.stroke_width(2),
            ))?
            .label("mean")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], BAR.stroke_width(2)));
        if let Some(b) = bulk {
            chart
                .draw_series(DashedLineSeries::new(
                    [(x.start, b), (x.end, b)],
                    8,
                    5,
                    CURVE.stroke_width(2),
                ))?
                .label(format!("bulk {b:.3}"))
                .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], CURVE.stroke_width(2)));
        }
        Ok(())
    })
}

/// File names of [`report_plots`], in the order they are written.
pub const REPORT_PLOTS: [&str; 5] = [
    "gb_energy_histogram.svg",
    "gb_energy_vs_misorientation.svg",
    "misorientation_histogram.svg",
    "volume_profile.svg",
    "coordination_profile.svg",
];

/// Every plot of a GB report in the folder `dir`, named as [`REPORT_PLOTS`]: the energy
/// histogram of the [plotted GBs](GbReport::plotted_gbs) (bins of 0.05 J/m^2), their energy
/// against misorientation and the misorientation histogram (bins of 5 degrees; when the
/// rotations are known), and with profiles the Voronoi volume (bulk $a_0^3/2$) and face
/// count (bulk 14) against the distance to the GB centre (bins with more than one atom).
/// Plots without data are skipped; returns the names written.
///
/// # Errors
/// [`GbError::Plot`] naming a file that cannot be written.
pub fn report_plots(report: &GbReport, dir: &Path) -> Result<Vec<&'static str>> {
    let [energy_hist, energy_mis, mis_hist, volume, faces] = REPORT_PLOTS;
    let shown = report.plotted_gbs();
    let energies: Vec<f64> = shown.iter().map(|g| g.energy_j_per_m2).collect();
    let (angles, paired): (Vec<f64>, Vec<f64>) = shown
        .iter()
        .filter_map(|g| g.misorientation_deg.map(|m| (m, g.energy_j_per_m2)))
        .unzip();
    let mut written = Vec::new();
    if !energies.is_empty() {
        gb_energy_histogram(&dir.join(energy_hist), &energies, 0.05)?;
        written.push(energy_hist);
    }
    if !angles.is_empty() {
        energy_vs_misorientation(&dir.join(energy_mis), &angles, &paired)?;
        misorientation_histogram(&dir.join(mis_hist), &angles, 5.0)?;
        written.extend([energy_mis, mis_hist]);
    }
    if let Some(p) = &report.profile {
        let bins: Vec<_> = p
            .bins
            .iter()
            .filter(|b| b.volume.count > 1 && b.volume.mean.is_some())
            .collect();
        let d: Vec<f64> = bins.iter().map(|b| 0.5 * (b.d_lo + b.d_hi)).collect();
        let (vm, vs): (Vec<f64>, Vec<f64>) = bins
            .iter()
            .map(|b| (b.volume.mean.unwrap_or(0.0), b.volume.std.unwrap_or(0.0)))
            .unzip();
        let (fm, fs): (Vec<f64>, Vec<f64>) = bins
            .iter()
            .map(|b| (b.faces.mean.unwrap_or(0.0), b.faces.std.unwrap_or(0.0)))
            .unzip();
        if !d.is_empty() {
            let v_bulk = Some(p.options.v_bulk);
            profile(
                &dir.join(volume),
                &d,
                &vm,
                &vs,
                v_bulk,
                "Voronoi volume (A^3)",
            )?;
            let label = "Voronoi faces (coordination)";
            profile(&dir.join(faces), &d, &fm, &fs, Some(14.0), label)?;
            written.extend([volume, faces]);
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("fe-gbanalysis-plot-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    /// Read an SVG file and check that it is well formed: one `<svg>` root, every element
    /// closed in order (`<a ...>...</a>` or `<a .../>`), no stray `<`.
    fn read_svg(path: &Path) -> String {
        let text = std::fs::read_to_string(path).unwrap();
        let body = text.trim_start();
        let body = if body.starts_with("<?xml") {
            &body[body.find("?>").unwrap() + 2..]
        } else {
            body
        };
        assert!(body.trim_start().starts_with("<svg"), "{}", &text[..80]);
        assert!(text.trim_end().ends_with("</svg>"));
        let mut stack: Vec<String> = Vec::new();
        let mut rest = body;
        while let Some(i) = rest.find('<') {
            let j = rest[i..].find('>').unwrap() + i;
            let tag = &rest[i + 1..j];
            assert!(!tag.contains('<'), "stray '<' in {tag}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name.trim()), "closing {name}");
            } else if !tag.ends_with('/') && !tag.starts_with('!') && !tag.starts_with('?') {
                let name = tag.split_whitespace().next().unwrap().to_string();
                stack.push(name);
            }
            rest = &rest[j + 1..];
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
        text
    }

    #[test]
    fn energy_histogram_is_written_with_its_bars_and_mean() {
        let p = temp("energy.svg");
        let g = [1.1, 1.15, 1.2, 1.22, 1.24, 1.3, 1.3, 0.9];
        gb_energy_histogram(&p, &g, 0.05).unwrap();
        let svg = read_svg(&p);
        assert!(svg.contains("8 GBs"));
        assert!(svg.contains("mean 1.176 J/m^2"));
        assert!(svg.contains("GB energy (J/m^2)"));
        assert!(svg.matches("<rect").count() >= 9);
        assert!(gb_energy_histogram(&p, &[], 0.05).is_err());
        assert!(gb_energy_histogram(&p, &[1.0, f64::NAN], 0.05).is_err());
        assert!(gb_energy_histogram(&p, &g, 0.0).is_err());
    }

    #[test]
    fn misorientation_plots_are_written() {
        let p = temp("mis.svg");
        let a = [12.0, 35.0, 41.0, 44.0, 47.0, 52.0, 58.0, 60.0];
        let g = [0.8, 1.1, 1.2, 1.25, 1.2, 1.3, 1.22, 1.15];
        misorientation_histogram(&p, &a, 5.0).unwrap();
        let svg = read_svg(&p);
        assert!(svg.contains("Mackenzie (random orientations)"));
        assert!(svg.contains("<polyline"));
        assert!(misorientation_histogram(&p, &[70.0], 5.0).is_err());
        let q = temp("mis-energy.svg");
        energy_vs_misorientation(&q, &a, &g).unwrap();
        let svg = read_svg(&q);
        assert!(svg.matches("<circle").count() >= a.len());
        assert!(energy_vs_misorientation(&q, &a, &g[1..]).is_err());
    }

    #[test]
    fn profile_is_written_with_band_mean_and_bulk() {
        let p = temp("profile.svg");
        let d: Vec<f64> = (0..40).map(|k| 0.125 + 0.25 * k as f64).collect();
        let m: Vec<f64> = d.iter().map(|x| 11.64 + 0.7 * (-x / 2.0).exp()).collect();
        let s: Vec<f64> = d.iter().map(|x| 0.05 + 0.6 * (-x / 3.0).exp()).collect();
        profile(&p, &d, &m, &s, Some(11.64), "Voronoi volume (A^3)").unwrap();
        let svg = read_svg(&p);
        assert!(svg.contains("bulk 11.640"));
        assert!(svg.contains("<polygon"));
        assert!(svg.contains("Voronoi volume (A^3)"));
        assert!(profile(&p, &d, &m, &s[1..], None, "x").is_err());
        let neg: Vec<f64> = s.iter().map(|x| -x).collect();
        assert!(profile(&p, &d, &m, &neg, None, "x").is_err());
        let bad = temp("no-such-dir/profile.svg").with_file_name("x/y/z.svg");
        assert!(matches!(
            profile(&bad, &d, &m, &s, None, "x"),
            Err(GbError::Plot { .. })
        ));
    }
}
