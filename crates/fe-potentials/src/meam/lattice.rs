//! MEAM reference lattices: first- and second-neighbour counts, distance ratios and shape
//! factors (LAMMPS `pair_style meam`, Baskes 1992; Lee and Baskes 2000).

/// A MEAM reference structure, named as in LAMMPS files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lattice {
    /// Face-centred cubic.
    Fcc,
    /// Body-centred cubic.
    Bcc,
    /// Ideal hexagonal close packed.
    Hcp,
    /// Dimer.
    Dim,
    /// Diamond.
    Dia,
    /// Diamond with third-neighbour screening.
    Dia3,
    /// Rock salt (two elements; parameter files only).
    B1,
    /// C11b (two elements; parameter files only).
    C11,
    /// L1_2 (two elements; parameter files only).
    L12,
    /// CsCl (two elements; parameter files only).
    B2,
    /// Methane (two elements; parameter files only).
    Ch4,
    /// Linear chain.
    Lin,
    /// Zig-zag chain.
    Zig,
    /// Trimer.
    Tri,
    /// Simple cubic.
    Sc,
}

impl Lattice {
    /// The lattice of a LAMMPS name; `single` admits only the one-element lattices a library
    /// file may name.
    pub(crate) fn from_name(name: &str, single: bool) -> Option<Lattice> {
        let l = match name {
            "fcc" => Lattice::Fcc,
            "bcc" => Lattice::Bcc,
            "hcp" => Lattice::Hcp,
            "dim" => Lattice::Dim,
            "dia" => Lattice::Dia,
            "dia3" => Lattice::Dia3,
            "lin" => Lattice::Lin,
            "zig" => Lattice::Zig,
            "tri" => Lattice::Tri,
            "sc" => Lattice::Sc,
            "b1" if !single => Lattice::B1,
            "c11" if !single => Lattice::C11,
            "l12" if !single => Lattice::L12,
            "b2" if !single => Lattice::B2,
            "ch4" if !single => Lattice::Ch4,
            _ => return None,
        };
        Some(l)
    }

    /// Whether our reference pair function supports this lattice (the others are refused by
    /// name when the potential is built).
    pub(crate) fn supported(self) -> bool {
        !matches!(
            self,
            Lattice::C11 | Lattice::L12 | Lattice::Ch4 | Lattice::Lin | Lattice::Zig | Lattice::Tri
        )
    }

    /// The LAMMPS name.
    pub fn name(self) -> &'static str {
        match self {
            Lattice::Fcc => "fcc",
            Lattice::Bcc => "bcc",
            Lattice::Hcp => "hcp",
            Lattice::Dim => "dim",
            Lattice::Dia => "dia",
            Lattice::Dia3 => "dia3",
            Lattice::B1 => "b1",
            Lattice::C11 => "c11",
            Lattice::L12 => "l12",
            Lattice::B2 => "b2",
            Lattice::Ch4 => "ch4",
            Lattice::Lin => "lin",
            Lattice::Zig => "zig",
            Lattice::Tri => "tri",
            Lattice::Sc => "sc",
        }
    }

    /// First-neighbour count Z.
    pub(crate) fn z1(self) -> i32 {
        match self {
            Lattice::Fcc | Lattice::Hcp | Lattice::L12 => 12,
            Lattice::Bcc | Lattice::B2 => 8,
            Lattice::Dim => 1,
            Lattice::Dia | Lattice::Dia3 | Lattice::Ch4 => 4,
            Lattice::B1 | Lattice::Sc => 6,
            Lattice::C11 => 10,
            Lattice::Lin | Lattice::Zig | Lattice::Tri => 2,
        }
    }

    /// r_e / alat for the lattices whose r_e follows from the library's `alat`.
    pub(crate) fn re_over_alat(self) -> Option<f64> {
        match self {
            Lattice::Fcc => Some(1.0 / 2f64.sqrt()),
            Lattice::Bcc => Some(3f64.sqrt() / 2.0),
            Lattice::Dia | Lattice::Dia3 => Some(3f64.sqrt() / 4.0),
            Lattice::Hcp
            | Lattice::Dim
            | Lattice::Ch4
            | Lattice::Lin
            | Lattice::Zig
            | Lattice::Tri
            | Lattice::Sc => Some(1.0),
            Lattice::B1 | Lattice::B2 | Lattice::C11 | Lattice::L12 => None,
        }
    }

    /// Second-neighbour data (Z2, number of screening first neighbours, distance ratio
    /// a = R2/R1, third-neighbour flag), or None for lattices without it.
    fn second(self) -> Option<(i32, i32, f64, bool)> {
        match self {
            Lattice::Fcc | Lattice::Hcp | Lattice::L12 => Some((6, 4, 2f64.sqrt(), false)),
            Lattice::Bcc | Lattice::B2 => Some((6, 4, 2.0 / 3f64.sqrt(), false)),
            Lattice::Dia => Some((12, 1, (8.0f64 / 3.0).sqrt(), false)),
            Lattice::Dia3 => Some((12, 4, (11.0f64 / 3.0).sqrt(), true)),
            Lattice::B1 | Lattice::Sc => Some((12, 2, 2f64.sqrt(), false)),
            Lattice::Zig => Some((2, 1, 2.0, false)),
            Lattice::Tri => Some((1, 2, 2.0, false)),
            _ => None,
        }
    }

    /// Whether the second-neighbour formalism is defined for this lattice.
    pub(crate) fn has_second(self) -> bool {
        self.second().is_some()
    }

    /// (Z2, a, S2): second-neighbour count, distance ratio and the screening of a second
    /// neighbour by its first neighbours, $S_2 = f_c((C - C_{min})/(C_{max} - C_{min}))^{n_s}$
    /// with $C = 4/a^2 - 1$ (C = 1 for dia3). Lattices without second neighbours give
    /// (0, 0, 0); zig and tri scale a by `stheta`.
    pub(crate) fn z2(self, cmin: f64, cmax: f64, stheta: f64) -> (i32, f64, f64) {
        let Some((z2, nscr, ratio, nn3)) = self.second() else {
            return (0, 0.0, 0.0);
        };
        let arat = if matches!(self, Lattice::Zig | Lattice::Tri) {
            ratio * stheta
        } else {
            ratio
        };
        let c = if nn3 { 1.0 } else { 4.0 / (arat * arat) - 1.0 };
        let s = super::funcs::fcut((c - cmin) / (cmax - cmin));
        (z2, arat, s.powi(nscr))
    }

    /// Shape factors (s1, s2, s3) of the reference structure.
    pub(crate) fn shape(self) -> [f64; 3] {
        match self {
            Lattice::Hcp => [0.0, 0.0, 1.0 / 3.0],
            Lattice::Dia | Lattice::Dia3 | Lattice::Ch4 => [0.0, 0.0, 32.0 / 9.0],
            Lattice::Dim => [1.0, 2.0 / 3.0, 0.4],
            // lin, zig and tri are refused before use
            _ => [0.0; 3],
        }
    }
}
