//! The `fe` command. Being written.
fn main() {}
