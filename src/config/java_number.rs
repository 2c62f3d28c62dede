//! Java's number parsing and printing, as Kafka's `ConfigDef` uses them.
//!
//! Models `Double.parseDouble` (the grammar of Java floating-point literals,
//! decimal and hexadecimal, with an optional `fFdD` suffix) and
//! `Double.toString` (Java 19+: the shortest digits that round-trip), so that
//! config values parse and print exactly as a broker parses and prints them
//! (`Invalid value 0.0 for configuration ...`, `1.7976931348623157E308`).
//! Simplified: ASCII digits only (Java also accepts other Unicode decimal
//! digits). `Long.parseLong` and `Integer.parseInt` need no code of their
//! own: Rust's `str::parse` for `i64` / `i32` accepts the same strings (an
//! optional sign, then ASCII digits).

/// The first code point of each run of ten decimal digits (Unicode category
/// Nd) in the Basic Multilingual Plane, as of Unicode 13.0 (Java 17's).
/// Java's `Long.parseLong`/`Integer.parseInt` read a string one UTF-16 `char`
/// at a time with `Character.digit(char, 10)`, so these digits count and
/// digits outside the BMP (surrogate pairs) do not.
const BMP_DIGIT_ZEROS: [u32; 37] = [
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6,
    0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40,
    0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
];

/// Java's `Character.digit(ch, 10)` for a BMP character.
fn java_decimal_digit(c: char) -> Option<u32> {
    let c = c as u32;
    BMP_DIGIT_ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&c))
        .map(|zero| c - zero)
}

/// Java's `Long.parseLong` (`Integer.parseInt` when `T` is `i32`): an
/// optional sign, then decimal digits of any script, within the type's range.
pub(crate) fn java_parse_integer<T: std::str::FromStr>(s: &str) -> Option<T> {
    let mut ascii = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        match c {
            '+' | '-' if i == 0 => ascii.push(c),
            _ => ascii.push(char::from_digit(java_decimal_digit(c)?, 10)?),
        }
    }
    ascii.parse().ok()
}

/// Java `Double.parseDouble` on an already trimmed string: optional sign,
/// then `NaN`, `Infinity`, a hexadecimal literal (`0x1.8p1`) or a decimal
/// one (`1`, `1.`, `.5`, `1e-5`), optionally followed by one of `fFdD`.
/// `None` where Java throws `NumberFormatException`.
pub(crate) fn java_parse_double(s: &str) -> Option<f64> {
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let magnitude = if body == "NaN" {
        f64::NAN
    } else if body == "Infinity" {
        f64::INFINITY
    } else if body.starts_with("0x") || body.starts_with("0X") {
        parse_hex_double(&body[2..])?
    } else {
        parse_decimal_double(body)?
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// The unsigned decimal form of Java's floating-point literal grammar.
fn parse_decimal_double(body: &str) -> Option<f64> {
    let body = body.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(body);
    let bytes = body.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < bytes.len() && bytes[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let int_digits = digits(&mut i);
    let mut frac_digits = 0;
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        frac_digits = digits(&mut i);
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return None;
        }
    }
    if i != bytes.len() {
        return None;
    }
    // The grammar is now a subset of what Rust's parser accepts, and both
    // round correctly to nearest.
    body.parse().ok()
}

/// The part of a Java hexadecimal floating-point literal after `0x`:
/// `hex+ [.]` or `hex* . hex+`, then a binary exponent `p[+-]digits`,
/// optionally one of `fFdD`.
fn parse_hex_double(rest: &str) -> Option<f64> {
    let rest = rest.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(rest);
    let (mantissa, exponent) = rest.split_once(['p', 'P'])?;
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    let all_hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    if int_part.len() + frac_part.len() == 0 || !all_hex(int_part) || !all_hex(frac_part) {
        return None;
    }
    let exp_digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    if exp_digits.is_empty() || !exp_digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Saturate huge exponents: the result is 0 or infinity anyway.
    let mut exp: i64 = exp_digits.parse().unwrap_or(1_000_000).min(1_000_000);
    if exponent.starts_with('-') {
        exp = -exp;
    }
    // Up to 30 significant hex digits (120 bits) exactly; later non-zero
    // digits only set a sticky bit, which keeps the rounding to 53 bits
    // correct.
    let mut m: u128 = 0;
    let mut kept = 0;
    let mut sticky = false;
    for (k, c) in int_part.chars().chain(frac_part.chars()).enumerate() {
        let d = c.to_digit(16)?;
        let in_fraction = k >= int_part.len();
        if m == 0 && d == 0 {
            if in_fraction {
                exp -= 4;
            }
            continue;
        }
        if kept < 30 {
            m = (m << 4) | u128::from(d);
            kept += 1;
            if in_fraction {
                exp -= 4;
            }
        } else {
            sticky |= d != 0;
            if !in_fraction {
                exp += 4;
            }
        }
    }
    if m == 0 {
        return Some(0.0);
    }
    if sticky {
        m |= 1;
    }
    // Scale by 2^exp in steps that stay within f64's exponent range (exact
    // except where the result is subnormal).
    let mut v = m as f64;
    while exp > 0 && v.is_finite() {
        let step = exp.min(1000);
        v *= 2f64.powi(step as i32);
        exp -= step;
    }
    while exp < 0 && v != 0.0 {
        let step = exp.max(-1000);
        v *= 2f64.powi(step as i32);
        exp -= step;
    }
    Some(v)
}

/// Java's `Double.toString`: `NaN`, `Infinity`, `0.0`; plain notation with
/// at least one fraction digit for magnitudes in [10^-3, 10^7) (`0.5`,
/// `2.0`); otherwise computerized scientific notation (`1.0E-5`,
/// `1.7976931348623157E308`). Digits are the shortest that round-trip, as
/// since Java 19 (which, when one digit would do, picks the closer of the
/// one- and two-digit candidates: `4.9E-324`).
pub(crate) fn java_double_to_string(d: f64) -> String {
    if d.is_nan() {
        return "NaN".to_string();
    }
    if d.is_infinite() {
        return if d > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    if d == 0.0 {
        return if d.is_sign_negative() { "-0.0" } else { "0.0" }.to_string();
    }
    let sign = if d < 0.0 { "-" } else { "" };
    let a = d.abs();
    let (mut digits, mut exp) = sci_parts(&format!("{a:e}"));
    if digits.len() == 1 {
        // Java 19+: with one shortest digit, the closest decimal of length
        // one or two wins.
        let two = format!("{a:.1e}");
        if two.parse::<f64>() == Ok(a) {
            (digits, exp) = sci_parts(&two);
        }
    }
    if (1e-3..1e7).contains(&a) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            if digits.len() > int_len {
                format!("{sign}{}.{}", &digits[..int_len], &digits[int_len..])
            } else {
                format!("{sign}{digits}{}.0", "0".repeat(int_len - digits.len()))
            }
        } else {
            format!("{sign}0.{}{digits}", "0".repeat((-exp - 1) as usize))
        }
    } else {
        let frac = if digits.len() > 1 { &digits[1..] } else { "0" };
        format!("{sign}{}.{frac}E{exp}", &digits[..1])
    }
}

/// Splits Rust's `{:e}` output (`1.25e-5`) into significant digits without
/// trailing zeros (`125`) and the decimal exponent (`-5`).
fn sci_parts(s: &str) -> (String, i32) {
    let (mantissa, exp) = s.split_once('e').unwrap_or((s, "0"));
    let mut digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
    }
    (digits, exp.parse().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_double_to_string_matches_java() {
        let cases: &[(f64, &str)] = &[
            (0.5, "0.5"),
            (2.0, "2.0"),
            (1.0, "1.0"),
            (-0.1, "-0.1"),
            (1.5, "1.5"),
            (1.2, "1.2"),
            (1e-5, "1.0E-5"),
            (1.5e-5, "1.5E-5"),
            (0.001, "0.001"),
            (0.0001, "1.0E-4"),
            (1e7, "1.0E7"),
            (9_999_999.0, "9999999.0"),
            (123_456.789, "123456.789"),
            (100.0, "100.0"),
            (f64::MAX, "1.7976931348623157E308"),
            (f64::MIN_POSITIVE, "2.2250738585072014E-308"),
            (5e-324, "4.9E-324"),
            (1e23, "1.0E23"),
            (2e-3, "0.002"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (0.9, "0.9"),
            (0.1 + 0.2, "0.30000000000000004"),
        ];
        for (d, want) in cases {
            assert_eq!(java_double_to_string(*d), *want, "for {d:e}");
        }
    }

    #[test]
    fn java_parse_double_accepts_what_java_accepts() {
        let ok: &[(&str, f64)] = &[
            ("0.5", 0.5),
            ("1", 1.0),
            ("1.", 1.0),
            (".5", 0.5),
            ("+.5", 0.5),
            ("-0.1", -0.1),
            ("1e-5", 1e-5),
            ("1E5", 1e5),
            ("1.e2", 100.0),
            ("1.5d", 1.5),
            ("1.5F", 1.5),
            ("0x1p-1", 0.5),
            ("0X1.8P1", 3.0),
            ("0x.8p0", 0.5),
            ("-0x10p0d", -16.0),
            ("Infinity", f64::INFINITY),
            ("-Infinity", f64::NEG_INFINITY),
            ("1e99999", f64::INFINITY),
            ("1e-99999", 0.0),
        ];
        for (s, want) in ok {
            assert_eq!(java_parse_double(s), Some(*want), "{s}");
        }
        assert!(java_parse_double("NaN").is_some_and(f64::is_nan));
        assert!(java_parse_double("-NaN").is_some_and(f64::is_nan));
        for s in [
            "",
            "+",
            "-",
            ".",
            "e5",
            "1e",
            "1e+",
            "inf",
            "infinity",
            "nan",
            "NaNd",
            "Infinityd",
            "1_0",
            "1 0",
            "0x1",
            "0x1.8",
            "0xp1",
            "0x1p",
            "1.5dd",
            "d",
            "1,5",
            "0.5.",
            "--1",
            "+-1",
            "not_a_number",
        ] {
            assert_eq!(java_parse_double(s).map(f64::to_bits), None, "{s:?}");
        }
    }

    #[test]
    fn java_parse_double_hex_rounds_long_mantissas() {
        // 2^53 + 1 rounds to even (2^53); with a sticky tail it rounds up.
        assert_eq!(java_parse_double("0x20000000000001p0"), Some(9_007_199_254_740_992.0));
        // (2^53 + 1) * 2^8 + 2^-64: halfway between 2^61 and 2^61 + 2^9, plus a tail.
        assert_eq!(
            java_parse_double("0x20000000000001000000000000000001p-64"),
            Some(2f64.powi(61) + 512.0)
        );
        assert_eq!(
            java_parse_double("0x20000000000001000000000000000000p-64"),
            Some(2f64.powi(61))
        );
    }

    #[test]
    fn java_parse_integer_takes_digits_of_any_script_in_the_bmp() {
        assert_eq!(java_parse_integer::<i64>("\u{663}"), Some(3)); // ARABIC-INDIC DIGIT THREE
        assert_eq!(java_parse_integer::<i32>("-\u{FF11}\u{FF10}"), Some(-10)); // fullwidth 1 0
        assert_eq!(java_parse_integer::<i64>("+42"), Some(42));
        assert_eq!(java_parse_integer::<i64>("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(java_parse_integer::<i64>("9223372036854775808"), None);
        assert_eq!(java_parse_integer::<i32>("2147483648"), None);
        // Digits outside the BMP are surrogate pairs to Java: not digits.
        assert_eq!(java_parse_integer::<i64>("\u{1D7CE}"), None);
        for bad in ["", "+", "-", "1-", "1_000", "1e3", "0x10", " 1", "\u{B2}"] {
            assert_eq!(java_parse_integer::<i64>(bad), None, "{bad:?}");
        }
    }
}
