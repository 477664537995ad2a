//! Human units: sizes (`64MiB`, `1G`, `4096`) and durations (`10s`,
//! `500ms`, `2m`).

use std::time::Duration;

use crate::ValueError;

/// Parses a size in bytes. Suffixes `K`, `M`, `G`, `T` and their `KiB`
/// forms are powers of 1024, `KB`, `MB`, `GB`, `TB` powers of 1000; `B` or
/// nothing means bytes. Case and a space before the unit do not matter.
pub fn parse_size(what: &'static str, text: &str) -> Result<u64, ValueError> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    if digits.is_empty() {
        return Err(ValueError::new(
            what,
            text,
            "expected a number of bytes, like 64MiB",
        ));
    }
    let n: u64 = digits
        .parse()
        .map_err(|_| ValueError::new(what, text, "number too large"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        "t" | "tib" => 1 << 40,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        _ => {
            return Err(ValueError::new(
                what,
                text,
                "unknown unit (use B, KiB, MiB, GiB, TiB, KB, MB, GB or TB)",
            ))
        }
    };
    n.checked_mul(mult)
        .ok_or_else(|| ValueError::new(what, text, "size too large"))
}

/// Parses a duration: a number with `ms`, `s`, `m` or `h`; a bare number
/// means seconds.
pub fn parse_duration(what: &'static str, text: &str) -> Result<Duration, ValueError> {
    let t = text.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| ValueError::new(what, text, "expected a duration, like 10s or 500ms"))?;
    let secs = match unit.trim() {
        "ms" => n / 1000.0,
        "" | "s" => n,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        _ => {
            return Err(ValueError::new(
                what,
                text,
                "unknown unit (use ms, s, m or h)",
            ))
        }
    };
    Duration::try_from_secs_f64(secs)
        .map_err(|_| ValueError::new(what, text, "duration out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("m", "64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("m", "1G"), Ok(1 << 30));
        assert_eq!(parse_size("m", "4096"), Ok(4096));
        assert_eq!(parse_size("m", "2 kb"), Ok(2000));
        assert!(parse_size("m", "MiB").is_err());
        assert!(parse_size("m", "12 parsecs").is_err());
        assert!(parse_size("m", "99999999999999999999").is_err());
        assert!(parse_size("m", "20000000TiB").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("t", "10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("t", "500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("t", "2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("t", "1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("t", "soon").is_err());
        assert!(parse_duration("t", "5 fortnights").is_err());
    }
}
