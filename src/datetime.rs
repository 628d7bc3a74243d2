//! Publish times as bloggers write them: `2014-12-30 16:51:55`, `2014-12-30 16:51`, `2014-12-30`,
//! `2014/12/30 16:51:55`, Jekyll's `2014-12-30 16:51:55 +0800` and RFC 3339.
//! A time without an offset is in the site's time zone.

use chrono::format::{Item, Parsed, StrftimeItems};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use std::sync::LazyLock;

/// Why a date string was refused; the caller adds the file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

const WITH_OFFSET: &[&str] = &[
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M %z",
    "%Y/%m/%d %H:%M:%S %z",
];
const NAIVE: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
];
const DATE_ONLY: &[&str] = &["%Y-%m-%d", "%Y/%m/%d"];

pub fn parse(input: &str, tz: FixedOffset) -> Result<DateTime<FixedOffset>, DateError> {
    let s = input.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Ok(dt);
    }
    // Each shape must take the whole string, so the first that does is the only one.
    let found = SHAPES.iter().find_map(|(shape, items)| {
        let mut parsed = Parsed::new();
        chrono::format::parse(&mut parsed, s, items.iter()).ok()?;
        match shape {
            Shape::WithOffset => parsed.to_datetime().ok().map(Ok),
            Shape::Naive => parsed.to_naive_datetime_with_offset(0).ok().map(Err),
            Shape::DateOnly => parsed
                .to_naive_date()
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(Err),
        }
    });
    match found {
        Some(Ok(dt)) => Ok(dt),
        // A fixed offset has no gaps or folds, so this is always `Single`.
        Some(Err(n)) => tz
            .from_local_datetime(&n)
            .single()
            .ok_or_else(|| DateError(format!("`{s}` does not exist in time zone {tz}"))),
        None => Err(DateError(explain(s))),
    }
}

#[derive(Clone, Copy)]
enum Shape {
    WithOffset,
    Naive,
    DateOnly,
}

/// The accepted shapes, their formats read once: reading a format again for every post's date
/// was most of the cost of its front matter.
static SHAPES: LazyLock<Vec<(Shape, Vec<Item<'static>>)>> = LazyLock::new(|| {
    [
        (WITH_OFFSET, Shape::WithOffset),
        (NAIVE, Shape::Naive),
        (DATE_ONLY, Shape::DateOnly),
    ]
    .into_iter()
    .flat_map(|(fmts, shape)| {
        fmts.iter()
            .map(move |f| (shape, StrftimeItems::new(f).collect()))
    })
    .collect()
});

/// Say whether the string has the right shape but an impossible value (2014-02-30), or the
/// wrong shape altogether.
fn explain(s: &str) -> String {
    let digits: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    if let [y, m, d, ..] = digits[..]
        && s.len() >= 8
        && NaiveDate::from_ymd_opt(y as i32, m, d).is_none()
    {
        return format!("`{s}` is not a real calendar date");
    }
    format!("`{s}` is not a date boke understands")
}

/// The date at the start of a post's file name, as Jekyll and Hexo's `:year-:month-:day-`
/// names carry it: `2014-12-30-exit-code`, `2014-1-5-x` (one-digit month and day). The rest
/// of the name after the date's `-` is returned beside it.
pub fn from_file_stem(stem: &str) -> Option<(NaiveDate, &str)> {
    let mut parts = stem.splitn(4, '-');
    let y = parts.next()?;
    let m = parts.next()?;
    let d = parts.next()?;
    let rest = parts.next().unwrap_or("");
    let digits = |s: &str, lens: std::ops::RangeInclusive<usize>| {
        lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2)) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    Some((date, rest))
}

/// The accepted shapes, for help messages.
pub const ACCEPTED: &str = "write it as `2014-12-30 16:51:55`, `2014-12-30 16:51`, `2014-12-30`, \
     `2014/12/30 16:51:55` or RFC 3339 (`2014-12-30T16:51:55+08:00`)";

/// Parse a `+08:00` / `-0530` / `UTC` style offset.
/// The time a build publishes at: now, or `SOURCE_DATE_EPOCH` (seconds, the reproducible-builds
/// convention) when set, so that a build can be repeated byte for byte, scheduled posts and
/// outdated notices included.
pub fn build_time() -> DateTime<FixedOffset> {
    let fixed = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| DateTime::from_timestamp(secs, 0));
    fixed.unwrap_or_else(chrono::Utc::now).fixed_offset()
}

pub fn parse_offset(s: &str) -> Option<FixedOffset> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("utc") || s == "Z" {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if !(0..=23).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_carry_dates_with_one_or_two_digits() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(
            from_file_stem("2014-12-30-exit-code"),
            Some((d(2014, 12, 30), "exit-code"))
        );
        assert_eq!(from_file_stem("2014-1-5-x"), Some((d(2014, 1, 5), "x")));
        assert_eq!(from_file_stem("2014-01-05"), Some((d(2014, 1, 5), "")));
        assert_eq!(from_file_stem("2014-02-30-x"), None);
        assert_eq!(from_file_stem("2014-123-05-x"), None);
        assert_eq!(from_file_stem("hello-world"), None);
    }

    fn cst() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    #[test]
    fn accepts_every_documented_shape() {
        let want = "2014-12-30T16:51:55+08:00";
        for s in [
            "2014-12-30 16:51:55",
            "2014/12/30 16:51:55",
            "2014-12-30T16:51:55+08:00",
            "2014-12-30 16:51:55 +0800",
            "2014-12-30T08:51:55Z",
        ] {
            let got = parse(s, cst()).unwrap();
            assert_eq!(
                got.timestamp(),
                DateTime::parse_from_rfc3339(want).unwrap().timestamp(),
                "{s}"
            );
        }
        assert_eq!(
            parse("2014-12-30 16:51", cst()).unwrap().to_rfc3339(),
            "2014-12-30T16:51:00+08:00"
        );
        assert_eq!(
            parse("2014-12-30", cst()).unwrap().to_rfc3339(),
            "2014-12-30T00:00:00+08:00"
        );
    }

    #[test]
    fn naive_time_is_in_site_zone() {
        let utc = FixedOffset::east_opt(0).unwrap();
        assert_eq!(
            parse("2014-12-31 23:30", utc).unwrap().to_rfc3339(),
            "2014-12-31T23:30:00+00:00"
        );
    }

    #[test]
    fn impossible_dates_are_named() {
        let e = parse("2014-02-30", cst()).unwrap_err();
        assert!(e.0.contains("not a real calendar date"), "{e:?}");
        let e = parse("yesterday", cst()).unwrap_err();
        assert!(e.0.contains("not a date"), "{e:?}");
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+08:00"), FixedOffset::east_opt(8 * 3600));
        assert_eq!(
            parse_offset("-0530"),
            FixedOffset::east_opt(-(5 * 3600 + 30 * 60))
        );
        assert_eq!(parse_offset("UTC"), FixedOffset::east_opt(0));
        assert_eq!(parse_offset("+25:00"), None);
        assert_eq!(parse_offset("Asia/Shanghai"), None);
    }
}
