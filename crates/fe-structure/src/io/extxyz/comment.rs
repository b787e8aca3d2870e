//! The comment line of a frame: splitting `key=value` pairs, ASE's type inference, and the
//! inverse (text that ASE and this crate read back as the same value).

use std::fmt::Write as _;

use crate::structure::InfoValue;

/// One `key=value` pair of a comment line; `value` is `None` for a bare key.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pair {
    pub key: String,
    pub value: Option<String>,
}

/// The closing delimiter of an opening quote or bracket.
fn closing(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '\'' => Some('\''),
        '{' => Some('}'),
        '[' => Some(']'),
        _ => None,
    }
}

/// One part (key or value piece) being built, and whether a quote made it exist even if empty.
#[derive(Default)]
struct Part {
    text: String,
    quoted: bool,
}

impl Part {
    fn is_empty(&self) -> bool {
        self.text.is_empty() && !self.quoted
    }
}

/// Split a comment line into pairs as ASE's `key_val_str_to_dict` does, character by
/// character: quotes and brackets group, a backslash escapes the next character, white space
/// separates pairs, `=` separates a key from its value (spaces around it allowed; further `=`
/// are kept in the value). Unlike ASE, an empty quoted value (`a="" b=1`) ends its pair.
///
/// # Errors
/// A message for an unclosed quote, a trailing lone backslash, or `=` without a key.
pub(crate) fn split_pairs(text: &str) -> Result<Vec<Pair>, String> {
    let mut pairs: Vec<Vec<Part>> = vec![vec![Part::default()]];
    let mut open: Option<(char, char)> = None;
    let mut escaped = false;
    for c in text.trim().chars() {
        let parts = pairs
            .last_mut()
            .expect("pairs always holds the pair being built");
        let part = parts
            .last_mut()
            .expect("a pair always holds the part being built");
        if escaped {
            part.text.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if let Some((_, close)) = open {
            if c == close {
                open = None;
            } else {
                part.text.push(c);
            }
        } else if let Some(close) = closing(c) {
            open = Some((c, close));
            part.quoted = true;
        } else if c.is_whitespace() {
            if !part.is_empty() {
                pairs.push(vec![Part::default()]);
            }
        } else if c == '=' {
            if parts.len() == 1 && parts[0].is_empty() {
                // `key =value`: the space opened a new pair; the `=` belongs to the last one.
                pairs.pop();
            }
            match pairs.last_mut() {
                Some(p) => p.push(Part::default()),
                None => return Err("expected a key before `=` in the comment line".into()),
            }
        } else {
            part.text.push(c);
        }
    }
    if let Some((q, _)) = open {
        return Err(format!("unbalanced quote `{q}` in the comment line"));
    }
    if escaped {
        return Err("the comment line ends with a lone backslash".into());
    }
    Ok(pairs
        .into_iter()
        .filter(|parts| !(parts.len() == 1 && parts[0].is_empty()))
        .map(|parts| {
            let mut it = parts.into_iter();
            let key = it.next().map(|p| p.text).unwrap_or_default();
            let rest: Vec<String> = it.map(|p| p.text).collect();
            Pair {
                key,
                value: if rest.is_empty() {
                    None
                } else {
                    Some(rest.join("="))
                },
            }
        })
        .collect())
}

/// The boolean spellings ASE's comment-line parser accepts.
fn ase_bool(tok: &str) -> Option<bool> {
    match tok {
        "T" | "true" | "True" | "TRUE" => Some(true),
        "F" | "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Tokens of a value as ASE splits them: at white space and commas.
fn tokens(value: &str) -> Vec<&str> {
    value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect()
}

/// Integers, else reals, else booleans, one per token; `None` when the tokens are mixed.
fn typed_tokens(toks: &[&str]) -> Option<InfoValue> {
    if let Ok(v) = toks
        .iter()
        .map(|t| t.parse::<i64>())
        .collect::<Result<Vec<_>, _>>()
    {
        return Some(InfoValue::Ints(v));
    }
    if let Ok(v) = toks
        .iter()
        .map(|t| t.parse::<f64>())
        .collect::<Result<Vec<_>, _>>()
    {
        return Some(InfoValue::Reals(v));
    }
    toks.iter()
        .map(|t| ase_bool(t))
        .collect::<Option<Vec<_>>>()
        .map(InfoValue::Bools)
}

/// A `_JSON [...]` list of numbers or booleans (what ASE writes for one-element arrays).
fn json_list(value: &str) -> Option<InfoValue> {
    let body = value.strip_prefix("_JSON ")?.trim();
    let inner = body.strip_prefix('[')?.strip_suffix(']')?.trim();
    if inner.is_empty() {
        return Some(InfoValue::Reals(Vec::new()));
    }
    let toks: Vec<&str> = inner.split(',').map(str::trim).collect();
    if let Some(b) = toks
        .iter()
        .map(|t| match *t {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
    {
        return Some(InfoValue::Bools(b));
    }
    match typed_tokens(&toks)? {
        InfoValue::Bools(_) => None,
        v => Some(v),
    }
}

/// ASE's type inference for the value of an info key (see the module documentation).
pub(crate) fn infer(value: &str) -> InfoValue {
    let toks = tokens(value);
    if toks.is_empty() {
        return InfoValue::Str(value.to_string());
    }
    if let Some(v) = typed_tokens(&toks) {
        return match v {
            InfoValue::Ints(mut v) if v.len() == 1 => InfoValue::Int(v.remove(0)),
            InfoValue::Reals(mut v) if v.len() == 1 => InfoValue::Real(v.remove(0)),
            InfoValue::Bools(mut v) if v.len() == 1 => InfoValue::Bool(v.remove(0)),
            v => v,
        };
    }
    json_list(value).unwrap_or_else(|| InfoValue::Str(value.to_string()))
}

/// Append the shortest text that reads back as exactly `x`, always with a `.` or an exponent
/// so that it reads back as a real (`2.0`, `1e-7`, `-0.0`, `inf`, `NaN`). Plain notation for
/// 1e-5 <= |x| < 1e16, exponent notation otherwise.
pub(crate) fn push_real(buf: &mut String, x: f64) {
    let start = buf.len();
    let a = x.abs();
    if a == 0.0 || !a.is_finite() || (1e-5..1e16).contains(&a) {
        let _ = write!(buf, "{x}");
    } else {
        let _ = write!(buf, "{x:e}");
    }
    if !buf[start..].contains(['.', 'e', 'n', 'N']) {
        buf.push_str(".0");
    }
}

/// Minimum width of a real field written by [`push_field`].
const FIELD_WIDTH: usize = 20;

/// Padding source for [`push_field`].
const SPACES: &str = "                    ";

/// Append one space and `x` ([`push_real`]) right aligned in a field of at least 20 characters.
pub(crate) fn push_field(buf: &mut String, x: f64) {
    buf.push(' ');
    let start = buf.len();
    push_real(buf, x);
    let len = buf.len() - start;
    if len < FIELD_WIDTH {
        buf.insert_str(start, &SPACES[..FIELD_WIDTH - len]);
    }
}

/// Whether a value or key must be quoted to survive ASE's parser.
fn needs_quotes(s: &str) -> bool {
    s.is_empty()
        || s.chars().any(|c| {
            c.is_whitespace() || matches!(c, '"' | '\'' | '{' | '}' | '[' | ']' | '=' | '\\')
        })
}

/// Append `s`, quoted and escaped when ASE's parser needs it.
pub(crate) fn push_quoted(buf: &mut String, s: &str) {
    if !needs_quotes(s) {
        buf.push_str(s);
        return;
    }
    buf.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            buf.push('\\');
        }
        buf.push(c);
    }
    buf.push('"');
}

/// The unquoted text of an info value: scalars bare, arrays space separated, arrays of length
/// 0 or 1 as `_JSON [...]` so they stay arrays.
pub(crate) fn value_text(v: &InfoValue) -> String {
    fn list<T>(v: &[T], mut one: impl FnMut(&mut String, &T), json: bool) -> String {
        let mut s = String::new();
        if json {
            s.push_str("_JSON [");
        }
        for (k, x) in v.iter().enumerate() {
            if k > 0 {
                s.push_str(if json { ", " } else { " " });
            }
            one(&mut s, x);
        }
        if json {
            s.push(']');
        }
        s
    }
    let tf = |s: &mut String, b: &bool| s.push_str(if *b { "T" } else { "F" });
    let json_tf = |s: &mut String, b: &bool| s.push_str(if *b { "true" } else { "false" });
    let int = |s: &mut String, i: &i64| {
        let _ = write!(s, "{i}");
    };
    let real = |s: &mut String, x: &f64| push_real(s, *x);
    match v {
        InfoValue::Bool(b) => list(std::slice::from_ref(b), tf, false),
        InfoValue::Int(i) => i.to_string(),
        InfoValue::Real(x) => list(std::slice::from_ref(x), real, false),
        InfoValue::Str(s) => s.clone(),
        InfoValue::Bools(v) if v.len() < 2 => list(v, json_tf, true),
        InfoValue::Bools(v) => list(v, tf, false),
        InfoValue::Ints(v) => list(v, int, v.len() < 2),
        InfoValue::Reals(v) => list(v, real, v.len() < 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(text: &str) -> Vec<(String, Option<String>)> {
        split_pairs(text)
            .unwrap()
            .into_iter()
            .map(|p| (p.key, p.value))
            .collect()
    }

    #[test]
    fn split_pairs_handles_quotes_escapes_spaces_and_bare_keys() {
        let got = kv(r#"Lattice="1 0 0" a = 5 flag s='x y' t={1 2} e="q\"uote" k=a=b u="""#);
        let want = [
            ("Lattice", Some("1 0 0")),
            ("a", Some("5")),
            ("flag", None),
            ("s", Some("x y")),
            ("t", Some("1 2")),
            ("e", Some("q\"uote")),
            ("k", Some("a=b")),
            ("u", Some("")),
        ];
        let want: Vec<(String, Option<String>)> = want
            .iter()
            .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
            .collect();
        assert_eq!(got, want);
        assert!(kv("   ").is_empty());
    }

    #[test]
    fn split_pairs_rejects_unbalanced_quotes_and_keyless_values() {
        assert!(split_pairs(r#"a="1 2"#)
            .unwrap_err()
            .contains("unbalanced quote `\"`"));
        assert!(split_pairs("a={1 2")
            .unwrap_err()
            .contains("unbalanced quote `{`"));
        assert!(split_pairs("=5").unwrap_err().contains("before `=`"));
        assert!(split_pairs("a=1\\").unwrap_err().contains("backslash"));
    }

    #[test]
    fn infer_follows_ase_int_real_bool_string_order() {
        assert_eq!(infer("3"), InfoValue::Int(3));
        assert_eq!(infer("-3.5"), InfoValue::Real(-3.5));
        assert_eq!(infer("1e3"), InfoValue::Real(1000.0));
        assert_eq!(infer("1 2,3"), InfoValue::Ints(vec![1, 2, 3]));
        assert_eq!(infer("1 2.5"), InfoValue::Reals(vec![1.0, 2.5]));
        assert_eq!(infer("T"), InfoValue::Bool(true));
        assert_eq!(
            infer("True F FALSE"),
            InfoValue::Bools(vec![true, false, false])
        );
        assert_eq!(infer("t"), InfoValue::Str("t".into()));
        assert_eq!(infer("1 T"), InfoValue::Str("1 T".into()));
        assert_eq!(infer("_JSON [1]"), InfoValue::Ints(vec![1]));
        assert_eq!(infer("_JSON [1, 2.5]"), InfoValue::Reals(vec![1.0, 2.5]));
        assert_eq!(infer("_JSON [true]"), InfoValue::Bools(vec![true]));
        assert_eq!(infer("_JSON []"), InfoValue::Reals(vec![]));
        assert_eq!(
            infer("_JSON {\"a\": 1}"),
            InfoValue::Str("_JSON {\"a\": 1}".into())
        );
        assert_eq!(infer(""), InfoValue::Str(String::new()));
    }

    #[test]
    fn push_real_is_shortest_round_trip_and_always_real() {
        for (x, s) in [
            (2.0, "2.0"),
            (-0.0, "-0.0"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e-7, "1e-7"),
            (1.5e300, "1.5e300"),
            (1e16, "1e16"),
            (123456.75, "123456.75"),
            (f64::INFINITY, "inf"),
            (f64::NAN, "NaN"),
        ] {
            let mut buf = String::new();
            push_real(&mut buf, x);
            assert_eq!(buf, s);
            let back: f64 = buf.parse().unwrap();
            assert!(back.to_bits() == x.to_bits() || (x.is_nan() && back.is_nan()));
        }
    }

    #[test]
    fn value_text_then_infer_round_trips_every_kind() {
        let values = [
            InfoValue::Bool(false),
            InfoValue::Int(-7),
            InfoValue::Real(3.0),
            InfoValue::Str("two words \"quoted\" a=b \\ back".into()),
            InfoValue::Bools(vec![true]),
            InfoValue::Bools(vec![true, false]),
            InfoValue::Ints(vec![4]),
            InfoValue::Ints(vec![1, 2, 3]),
            InfoValue::Reals(vec![1e-9]),
            InfoValue::Reals(vec![1.0, -2.5, 1e20]),
            InfoValue::Reals(vec![]),
        ];
        for v in values {
            let mut line = String::from("k=");
            push_quoted(&mut line, &value_text(&v));
            let pairs = split_pairs(&line).unwrap();
            assert_eq!(pairs.len(), 1, "{line}");
            assert_eq!(infer(pairs[0].value.as_deref().unwrap()), v, "{line}");
        }
    }
}
