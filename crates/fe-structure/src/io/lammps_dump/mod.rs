//! LAMMPS text dumps (`dump custom` and `dump atom`), any number of frames.
//!
//! # Reading
//!
//! A frame is a run of `ITEM:` blocks: `TIMESTEP` (kept as the info value `timestep`, an
//! integer), optional `TIME` (info `time`) and `UNITS`, `NUMBER OF ATOMS`, `BOX BOUNDS` and
//! `ATOMS <columns>`, whose atom lines follow.
//!
//! - **Box.** `ITEM: BOX BOUNDS [xy xz yz] xx yy zz`: a boundary flag starting with `p` makes
//!   the axis periodic, anything else (`ff`, `ss`, `fs`, `mm`, ...) open; no flags (old dumps)
//!   means periodic. With tilt factors the bound lines hold LAMMPS' *bounding* box
//!   (`xlo_bound xhi_bound xy`), converted with [`LammpsBox::from_dump_bounds`]. The general
//!   triclinic form `ITEM: BOX BOUNDS abc origin` (lines `ax ay az ox`, ...) gives the cell rows
//!   a, b, c directly.
//! - **Positions.** Columns may come in any order. The first complete set found among
//!   `xu yu zu` (unwrapped), `xsu ysu zsu` (scaled unwrapped), `x y z` and `xs ys zs` (scaled,
//!   i.e. fractional in the LAMMPS box: r = lo + s H) gives the positions; with `x y z` or
//!   `xs ys zs` and image flags `ix iy iz` the positions are unwrapped,
//!   $$ \mathbf r = \mathbf x + i_x\,\mathbf a + i_y\,\mathbf b + i_z\,\mathbf c. $$
//!   Positions keep their absolute coordinates (the box origin is not part of a
//!   [`Cell`](crate::Cell)).
//! - **Species.** From an `element` column, else from `type` through
//!   [`ReadOptions::types`] (type 1 is `types[0]`); without either the reader stops with an
//!   error saying how to fix it. A `mass` column differing from the element's standard mass
//!   is kept as explicit masses.
//! - **Other columns.** `vx vy vz` are the velocities; `fx fy fz` become the real property
//!   `forces` (3 components); every other column (`q`, `c_pe`, `v_*`, `f_*`, ...) becomes a
//!   real property of its name, and columns `name[1]` .. `name[K]` form one property `name`
//!   with K components. Position columns not chosen and unused image flags are dropped.
//! - **Order.** With an `id` column the atoms are sorted by id (dumps are unsorted unless
//!   `dump_modify sort id`); ids must be unique.
//! - **Frames.** Frames are read one at a time; frames that [`ReadOptions::frames`] does not
//!   select are skipped line by line without parsing their numbers, and reading stops after
//!   the selected frame. Memory for a frame is its per-atom arrays (reserved from
//!   `NUMBER OF ATOMS`) plus, when the atoms need sorting, a copy of the largest array.
//!
//! # Writing
//!
//! Each frame is written as `ITEM: TIMESTEP` (the info value `timestep`, else the frame
//! index), `ITEM: NUMBER OF ATOMS`, `ITEM: BOX BOUNDS` (`xy xz yz` bounding-box form when the
//! LAMMPS box is tilted; `pp` for periodic axes, `ff` for open ones) and
//! `ITEM: ATOMS id type element [mass] x y z [vx vy vz] [fx fy fz] [properties]`. The cell is
//! rotated into LAMMPS' restricted form ([`Cell::to_lammps`]) with the box at the origin, and
//! positions, velocities and a 3-component `forces` property are rotated with it (other
//! properties are written as they are). Positions are not wrapped. Numbers use the shortest
//! text that reads back to the same `f64`, so a frame whose cell is already in LAMMPS form
//! reads back exactly. Types follow [`WriteOptions::type_order`]; `mass` is written when the
//! frame has explicit masses; real properties are written as `name` (one component) or
//! `name[1] .. name[K]`, other property kinds are not written.
//!
//! [`LammpsBox::from_dump_bounds`]: crate::LammpsBox::from_dump_bounds
//! [`ReadOptions::types`]: super::ReadOptions::types
//! [`ReadOptions::frames`]: super::ReadOptions::frames
//! [`WriteOptions::type_order`]: super::WriteOptions::type_order
//! [`Cell::to_lammps`]: crate::Cell::to_lammps

mod columns;
mod read;
mod write;

pub use read::read;
pub use write::write;
