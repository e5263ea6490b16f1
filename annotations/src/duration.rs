//! Durations: `1d`, `24h`, `7y`, `30min`, or ISO 8601 (`P1D`, `PT24H`, `P1Y2M10DT2H30M`).

use crate::Duration;

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;
const WEEK: u64 = 7 * DAY;
const MONTH: u64 = 30 * DAY;
const YEAR: u64 = 365 * DAY;

pub(crate) fn parse(text: &str) -> Result<Duration, String> {
    let seconds = if text.starts_with('P') {
        iso(text)?
    } else {
        simple(text)?
    };
    Ok(Duration {
        seconds,
        text: text.to_string(),
    })
}

const HELP: &str = "write an integer and a unit `s`, `min`, `h`, `d`, `w` or `y` (`1d`, `24h`), or ISO 8601 (`P1D`, `PT24H`)";

fn simple(text: &str) -> Result<u64, String> {
    if text.is_empty() {
        return Err(format!("empty duration: {HELP}"));
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let (n, unit) = text.split_at(digits);
    if n.is_empty() {
        return Err(format!("invalid duration `{text}`: {HELP}"));
    }
    let unit_secs = match unit {
        "s" => 1,
        "min" => MINUTE,
        "h" => HOUR,
        "d" => DAY,
        "w" => WEEK,
        "y" => YEAR,
        "m" => {
            return Err(format!(
                "ambiguous unit `m` in `{text}`: write `{n}min` for minutes or `P{n}M` for months"
            ))
        }
        "" => return Err(format!("duration `{text}` has no unit: {HELP}")),
        other => return Err(format!("unknown unit `{other}` in `{text}`: {HELP}")),
    };
    let n: u64 = n
        .parse()
        .map_err(|_| format!("duration `{text}` is too long"))?;
    n.checked_mul(unit_secs)
        .ok_or_else(|| format!("duration `{text}` is too long"))
}

fn iso(text: &str) -> Result<u64, String> {
    let bad = || format!("invalid ISO 8601 duration `{text}`: {HELP}");
    let rest = &text[1..];
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total: u64 = 0;
    let mut in_time = false;
    let mut num = String::new();
    let mut any = false;
    let mut time_parts = 0;
    for c in rest.chars() {
        match c {
            'T' if !in_time && num.is_empty() => in_time = true,
            '0'..='9' => num.push(c),
            unit => {
                if num.is_empty() {
                    return Err(bad());
                }
                let mult = match (in_time, unit) {
                    (false, 'Y') => YEAR,
                    (false, 'M') => MONTH,
                    (false, 'W') => WEEK,
                    (false, 'D') => DAY,
                    (true, 'H') => HOUR,
                    (true, 'M') => MINUTE,
                    (true, 'S') => 1,
                    _ => return Err(bad()),
                };
                let n: u64 = num
                    .parse()
                    .map_err(|_| format!("duration `{text}` is too long"))?;
                total = n
                    .checked_mul(mult)
                    .and_then(|v| total.checked_add(v))
                    .ok_or_else(|| format!("duration `{text}` is too long"))?;
                num.clear();
                any = true;
                if in_time {
                    time_parts += 1;
                }
            }
        }
    }
    if !num.is_empty() || !any || (in_time && time_parts == 0) {
        return Err(bad());
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn good_durations() {
        for (t, s) in [
            ("1d", 86_400),
            ("24h", 86_400),
            ("P1D", 86_400),
            ("PT24H", 86_400),
            ("30min", 1_800),
            ("0s", 0),
            ("2w", 1_209_600),
            ("7y", 7 * 365 * 86_400),
            (
                "P1Y2M10DT2H30M",
                365 * 86_400 + 60 * 86_400 + 10 * 86_400 + 2 * 3_600 + 1_800,
            ),
            ("PT0S", 0),
        ] {
            assert_eq!(parse(t).unwrap().seconds, s, "{t}");
        }
    }

    #[test]
    fn bad_durations() {
        assert!(parse("6m").unwrap_err().contains("ambiguous unit `m`"));
        for t in [
            "",
            "d",
            "1",
            "1 d",
            "1x",
            "P",
            "PT",
            "P1H",
            "PT1D",
            "P1",
            "99999999999999999999y",
            "-1d",
            "P1DT",
        ] {
            assert!(parse(t).is_err(), "{t:?} should be rejected");
        }
    }
}
