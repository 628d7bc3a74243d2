//! Dates the old generators tolerated and boke refuses, made into dates boke reads, so an
//! imported post keeps the day its author saw. Hexo (moment.js, lenient) rolls an
//! out-of-range second, minute or hour into the next unit (`18:51:79` is `18:52:19`,
//! hour `25` is one o'clock the next day) and reads a padded day (`2022-01-027`) as the 27th.
//! Each fix is returned with what was changed, for the import report.

use chrono::{Duration, NaiveDate, NaiveDateTime};

/// What a date string turned into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateFix {
    /// Fine as written: the site's own date parser reads it.
    AsWritten,
    /// Rewritten to `fixed` (`YYYY-MM-DD HH:MM:SS`); `why` says what was out of range.
    Fixed { fixed: String, why: String },
    /// No reading of it is beyond doubt (a 13th month, 30 February, words).
    Unreadable,
}

/// The parts of `Y-M-D[ H:M[:S]]` (`-` or `/` between date parts, a space or `T` before the
/// time), as numbers, with how the day was written; a trailing offset or `Z` is left aside.
struct Parts {
    ymd: [u32; 3],
    hms: [u32; 3],
    padded_day: bool,
    rest: String,
}

fn split(s: &str) -> Option<Parts> {
    let s = s.trim();
    let (date, time) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], s[i + 1..].trim_start()),
        None => (s, ""),
    };
    let ds: Vec<&str> = date.split(['-', '/']).collect();
    if ds.len() != 3
        || ds
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if ds[0].len() != 4 || ds[1].len() > 3 || ds[2].len() > 3 {
        return None;
    }
    let ymd = [
        ds[0].parse().ok()?,
        ds[1].parse().ok()?,
        ds[2].parse().ok()?,
    ];
    let padded_day = ds[1].len() == 3 || ds[2].len() == 3;
    // The clock part ends at an offset (`+08:00`, ` +0800`, `Z`) if there is one.
    let end = time.find(['+', '-', 'Z', ' ']).unwrap_or(time.len());
    let (clock, rest) = (time[..end].trim(), time[end..].trim());
    let mut hms = [0u32; 3];
    if !clock.is_empty() {
        let ts: Vec<&str> = clock.split(':').collect();
        if !(2..=3).contains(&ts.len())
            || ts
                .iter()
                .any(|p| p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        for (slot, t) in hms.iter_mut().zip(&ts) {
            *slot = t.parse().ok()?;
        }
    }
    Some(Parts {
        ymd,
        hms,
        padded_day,
        rest: rest.to_string(),
    })
}

/// Fix `s` the way Hexo read it, or say it is fine or beyond repair.
pub fn fix(s: &str) -> DateFix {
    let Some(p) = split(s) else {
        return DateFix::Unreadable;
    };
    let [y, m, d] = p.ymd;
    let [h, min, sec] = p.hms;
    let Some(day) = NaiveDate::from_ymd_opt(y as i32, m, d) else {
        return DateFix::Unreadable;
    };
    let in_range = h < 24 && min < 60 && sec < 60;
    if in_range && !p.padded_day {
        return DateFix::AsWritten;
    }
    let Some(at) = day.and_hms_opt(0, 0, 0).map(|midnight| {
        midnight
            + Duration::hours(h.into())
            + Duration::minutes(min.into())
            + Duration::seconds(sec.into())
    }) else {
        return DateFix::Unreadable;
    };
    let mut why = Vec::new();
    if p.padded_day {
        why.push("a padded month or day".to_string());
    }
    if !in_range {
        why.push(format!("the time {h:02}:{min:02}:{sec:02} rolled over"));
    }
    let mut fixed = format_naive(at);
    if !p.rest.is_empty() {
        fixed.push(' ');
        fixed.push_str(&p.rest);
    }
    DateFix::Fixed {
        why: format!("`{}` had {}", s.trim(), why.join(" and ")),
        fixed,
    }
}

fn format_naive(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(s: &str) -> String {
        match fix(s) {
            DateFix::Fixed { fixed, .. } => fixed,
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn good_dates_are_left_alone() {
        for s in [
            "2014-12-30 16:51:55",
            "2014-12-30",
            "2014/12/30 16:51",
            "2014-12-30T16:51:55+08:00",
            "2014-12-30 16:51:55 +0800",
            "2014-12-30T16:51:55-05:00",
        ] {
            assert_eq!(fix(s), DateFix::AsWritten, "{s}");
        }
    }

    #[test]
    fn rolled_over_times_move_to_the_next_unit() {
        assert_eq!(fixed("2015-03-01 18:51:79"), "2015-03-01 18:52:19");
        assert_eq!(fixed("2015-03-01 25:10:00"), "2015-03-02 01:10:00");
        assert_eq!(fixed("2015-12-31 23:59:60"), "2016-01-01 00:00:00");
        assert_eq!(fixed("2015-03-01 10:75"), "2015-03-01 11:15:00");
        assert_eq!(
            fixed("2015-03-01 18:51:79 +0800"),
            "2015-03-01 18:52:19 +0800"
        );
    }

    #[test]
    fn padded_days_are_read_as_numbers() {
        assert_eq!(fixed("2022-01-027"), "2022-01-27 00:00:00");
        assert_eq!(fixed("2022-001-07 08:00:00"), "2022-01-07 08:00:00");
        match fix("2022-01-027") {
            DateFix::Fixed { why, .. } => assert!(why.contains("padded"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn impossible_dates_are_not_guessed() {
        for s in [
            "2014-02-30",
            "2014-13-01",
            "yesterday",
            "",
            "2014-1-1-1",
            "14-01-01",
        ] {
            assert_eq!(fix(s), DateFix::Unreadable, "{s}");
        }
    }
}
