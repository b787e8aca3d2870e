//! C `printf` number formats as MLIP writes them (`%.16e`, `%W.Pf`, `%Wd`).
//!
//! Rust's float formatting is correctly rounded, like glibc's `printf` (ties to even on exact
//! binary ties), so the digits agree; only the exponent of `%e` differs in spelling (Rust
//! writes `e-1`, C `e-01`, `e+00`).

use std::fmt::Write as _;

/// Append `x` as C's `%.16e`: one digit, a point, 16 decimals, `e`, the exponent's sign and
/// at least two exponent digits (`-1.2345000000000000e+00`).
pub(super) fn push_sci16(buf: &mut String, x: f64) {
    let start = buf.len();
    write!(buf, "{x:.16e}").expect("writing to a String cannot fail");
    let Some(e) = buf[start..].find('e').map(|k| start + k) else {
        return; // NaN or infinity: callers reject them before formatting
    };
    let exp: i32 = buf[e + 1..]
        .parse()
        .expect("Rust writes a decimal exponent");
    buf.truncate(e);
    let sign = if exp < 0 { '-' } else { '+' };
    write!(buf, "e{sign}{:02}", exp.unsigned_abs()).expect("writing to a String cannot fail");
}

/// Append `x` as C's `%{width}.{precision}f` (right-aligned, padded with spaces).
pub(super) fn push_fixed(buf: &mut String, x: f64, width: usize, precision: usize) {
    write!(buf, "{x:>width$.precision$}").expect("writing to a String cannot fail");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sci(x: f64) -> String {
        let mut s = String::new();
        push_sci16(&mut s, x);
        s
    }

    fn fixed(x: f64, w: usize, p: usize) -> String {
        let mut s = String::new();
        push_fixed(&mut s, x, w, p);
        s
    }

    // Expected strings below were produced by Python's `%` operator (C printf semantics).
    #[test]
    fn sci16_matches_c_printf() {
        assert_eq!(sci(0.25), "2.5000000000000000e-01");
        assert_eq!(sci(2.5), "2.5000000000000000e+00");
        assert_eq!(sci(-0.0), "-0.0000000000000000e+00");
        assert_eq!(sci(0.0), "0.0000000000000000e+00");
        assert_eq!(sci(-1e-9), "-1.0000000000000001e-09");
        assert_eq!(sci(1e300), "1.0000000000000001e+300");
        assert_eq!(sci(12345678.1234565), "1.2345678123456500e+07");
        assert_eq!(sci(5e-324), "4.9406564584124654e-324");
        assert_eq!(sci(-1683.61588355), "-1.6836158835500000e+03");
    }

    #[test]
    fn fixed_matches_c_printf_including_ties_and_negative_zero() {
        assert_eq!(fixed(0.25, 13, 6), "     0.250000");
        assert_eq!(fixed(0.25, 0, 1), "0.2");
        assert_eq!(fixed(2.5, 0, 0), "2");
        assert_eq!(fixed(-1e-9, 13, 6), "    -0.000000");
        assert_eq!(fixed(0.1234565, 13, 6), "     0.123456");
        assert_eq!(fixed(12345678.1234565, 13, 6), "12345678.123457");
        assert_eq!(fixed(-2.5e-7, 11, 5), "   -0.00000");
    }
}
