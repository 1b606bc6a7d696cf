//! iCalendar (RFC 5545) feeds as closures (feature `ics`): the text is read
//! by the `icalendar` crate's parser and yearly recurrences are expanded by
//! the `rrule` crate, over the calendar's horizon when it is built.
//!
//! Supported, per `VEVENT`: `DTSTART` as a date (an all-day event) or a
//! date-time (UTC `...Z`, with an IANA `TZID`, or floating, which is read in
//! the calendar's zone); `DTEND` or `DURATION` (days and weeks for all-day
//! events; an all-day event without either lasts one day, as RFC 5545 says);
//! `RRULE` with `FREQ=YEARLY`; `EXDATE`. Descriptive properties (`SUMMARY`,
//! `UID`, `DTSTAMP`, `TRANSP`, `CATEGORIES`, `X-...`) are ignored: every
//! event closes, as holiday feeds mark their days `TRANSP:TRANSPARENT`.
//! `STATUS:CANCELLED` events close nothing. `VTIMEZONE` blocks are skipped
//! (zones are IANA names). Anything else (another frequency, `RDATE`,
//! `EXRULE`, a `VTODO`) is an error naming its line, never a silent skip.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::zone::{Disambiguation, resolve_local};
use crate::error::{Detail, Error, Result};

/// The most occurrences one event may expand to over a horizon.
const MAX_OCCURRENCES: u16 = u16::MAX;

/// What a feed closes: whole local dates, and UTC spans (seconds).
#[derive(Debug, Default)]
pub(crate) struct Closures {
    pub(crate) dates: Vec<NaiveDate>,
    pub(crate) spans: Vec<(i64, i64)>,
}

/// A content line with the 1-based line it starts on in the text as given.
struct Line<'a> {
    number: usize,
    name: String,
    params: Vec<(String, String)>,
    value: &'a str,
    text: &'a str,
}

impl Line<'_> {
    fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    fn error(&self, reason: impl Into<String>) -> Error {
        Error::from(Detail::InvalidIcs {
            line: self.number,
            input: self.text.to_string(),
            reason: reason.into(),
        })
    }
}

/// Checks a feed and returns what it closes within `[first, end)` (local
/// dates of `tz`, widened by `margin_days` either side).
pub(crate) fn closures(text: &str, tz: Tz, first: NaiveDate, end: NaiveDate) -> Result<Closures> {
    let unfolded = icalendar::parser::unfold(text);
    let physical = physical_lines(text);
    let parsed = icalendar::parser::read_calendar_simple(&unfolded).map_err(|e| {
        let offset = unfolded.len().saturating_sub(e.input.len());
        let line = logical_line(&unfolded, offset);
        Error::from(Detail::InvalidIcs {
            line: physical.get(line).copied().unwrap_or(line.saturating_add(1)),
            input: unfolded.lines().nth(line).unwrap_or_default().trim_end().to_string(),
            reason: "not an iCalendar content line (`NAME;PARAM=VALUE:VALUE`) inside `BEGIN`/`END`".into(),
        })
    })?;
    let mut out = Closures::default();
    let roots: Vec<_> = parsed.iter().collect();
    let located = |name: &str| -> Line<'_> { locate(&unfolded, &physical, name) };
    for root in roots {
        if !root.name.as_str().eq_ignore_ascii_case("VCALENDAR") {
            return Err(located(root.name.as_str()).error("expected `BEGIN:VCALENDAR`"));
        }
        for component in &root.components {
            let name = component.name.as_str();
            match name.to_ascii_uppercase().as_str() {
                "VEVENT" => {
                    let lines: Vec<Line<'_>> = component
                        .properties
                        .iter()
                        .map(|p| line_of(&unfolded, &physical, p))
                        .collect();
                    event(&lines, tz, first, end, &mut out)?;
                }
                "VTIMEZONE" => {}
                other => {
                    let line = locate(&unfolded, &physical, &format!("BEGIN:{name}"));
                    return Err(line.error(format!(
                        "`{other}` components are not supported: a calendar feed closes time with `VEVENT`s"
                    )));
                }
            }
        }
    }
    Ok(out)
}

/// Line numbers (1-based) where each unfolded line starts in `text`.
fn physical_lines(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        if !(line.starts_with(' ') || line.starts_with('\t')) || starts.is_empty() {
            starts.push(index.saturating_add(1));
        }
    }
    starts
}

fn logical_line(unfolded: &str, offset: usize) -> usize {
    unfolded.as_bytes()[..offset.min(unfolded.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// The line a parsed property came from: its name is a slice of `unfolded`.
fn line_of<'a>(unfolded: &'a str, physical: &[usize], property: &'a icalendar::parser::Property<'a>) -> Line<'a> {
    let name = property.name.as_str();
    let offset = (name.as_ptr() as usize).wrapping_sub(unfolded.as_ptr() as usize);
    let logical = logical_line(unfolded, offset);
    let text = unfolded.lines().nth(logical).unwrap_or(name).trim_end();
    Line {
        number: physical.get(logical).copied().unwrap_or(logical.saturating_add(1)),
        name: name.to_ascii_uppercase(),
        params: property
            .params
            .iter()
            .map(|p| {
                (
                    p.key.as_str().to_string(),
                    p.val.as_ref().map(|v| v.as_str().to_string()).unwrap_or_default(),
                )
            })
            .collect(),
        value: property.val.as_str(),
        text,
    }
}

/// The first line that starts with `prefix`, for errors about components.
fn locate<'a>(unfolded: &'a str, physical: &[usize], prefix: &str) -> Line<'a> {
    let (logical, text) = unfolded
        .lines()
        .enumerate()
        .find(|(_, l)| l.to_ascii_uppercase().starts_with(&prefix.to_ascii_uppercase()))
        .unwrap_or((0, ""));
    Line {
        number: physical.get(logical).copied().unwrap_or(1),
        name: String::new(),
        params: Vec::new(),
        value: "",
        text: text.trim_end(),
    }
}

/// When an event starts: a whole date, or an instant.
#[derive(Clone, Copy)]
enum Start {
    Date(NaiveDate),
    /// The instant, and the zone its rule recurs in.
    Instant(DateTime<Utc>, Tz),
}

const IGNORED: [&str; 16] = [
    "SUMMARY",
    "DESCRIPTION",
    "UID",
    "DTSTAMP",
    "CREATED",
    "LAST-MODIFIED",
    "SEQUENCE",
    "TRANSP",
    "CLASS",
    "CATEGORIES",
    "LOCATION",
    "COMMENT",
    "URL",
    "ORGANIZER",
    "PRIORITY",
    "CONTACT",
];

#[allow(
    clippy::arithmetic_side_effects,
    reason = "durations of events bounded by the parsers (days below 10^6) added to instants inside chrono's range"
)]
fn event(lines: &[Line<'_>], tz: Tz, first: NaiveDate, end: NaiveDate, out: &mut Closures) -> Result<()> {
    let mut start = None;
    let mut finish = None;
    let mut duration = None;
    let mut rule = None;
    let mut excluded = BTreeSet::new();
    let mut cancelled = false;
    for line in lines {
        match line.name.as_str() {
            "DTSTART" => start = Some((start_of(line, tz)?, line)),
            "DTEND" => finish = Some((start_of(line, tz)?, line)),
            "DURATION" => duration = Some((parse_duration(line)?, line)),
            "RRULE" => rule = Some(line),
            "EXDATE" => {
                for value in line.value.split(',') {
                    excluded.insert(value_start(line, value, tz)?.date_key());
                }
            }
            "STATUS" => cancelled = line.value.eq_ignore_ascii_case("CANCELLED"),
            name if IGNORED.contains(&name) || name.starts_with("X-") => {}
            name => {
                return Err(line.error(format!(
                    "the `{name}` property is not supported in a closure feed (supported: DTSTART, DTEND, DURATION, RRULE with FREQ=YEARLY, EXDATE)"
                )));
            }
        }
    }
    let Some((start, start_line)) = start else {
        let line = lines.first().map_or_else(
            || {
                Error::from(Detail::InvalidIcs {
                    line: 1,
                    input: String::new(),
                    reason: "an event without properties".into(),
                })
            },
            |l| l.error("the event has no `DTSTART`"),
        );
        return Err(line);
    };
    if cancelled {
        return Ok(());
    }
    let length = match (start, finish, duration) {
        (_, Some(_), Some((_, line))) => return Err(line.error("an event has `DTEND` or `DURATION`, not both")),
        (Start::Date(a), Some((Start::Date(b), line)), None) => {
            if b <= a {
                return Err(line.error("the event must end after it starts"));
            }
            b - a
        }
        (Start::Instant(a, _), Some((Start::Instant(b, _), line)), None) => {
            if b <= a {
                return Err(line.error("the event must end after it starts"));
            }
            b - a
        }
        (_, Some((_, line)), None) => {
            return Err(line.error("`DTSTART` and `DTEND` must both be dates or both be date-times"));
        }
        (Start::Date(_), None, Some((d, line))) => {
            if d.num_seconds() % 86_400 != 0 || d <= TimeDelta::zero() {
                return Err(line.error("an all-day event lasts whole days (`P1D`, `P2W`)"));
            }
            d
        }
        (Start::Instant(..), None, Some((d, line))) => {
            if d <= TimeDelta::zero() {
                return Err(line.error("the event must last a positive time"));
            }
            d
        }
        (Start::Date(_), None, None) => TimeDelta::days(1),
        // RFC 5545: a date-time event without an end takes no time.
        (Start::Instant(..), None, None) => return Ok(()),
    };
    let starts = match rule {
        None => vec![start],
        Some(line) => expand(line, start_line, start, first, end)?,
    };
    for occurrence in starts.into_iter().filter(|s| !excluded.contains(&s.date_key())) {
        match occurrence {
            Start::Date(date) => {
                let mut day = date;
                while day < date + length {
                    out.dates.push(day);
                    day += TimeDelta::days(1);
                }
            }
            Start::Instant(at, _) => out.spans.push((at.timestamp(), (at + length).timestamp())),
        }
    }
    Ok(())
}

impl Start {
    /// What `EXDATE` compares: the date, or the instant.
    fn date_key(&self) -> (NaiveDate, i64) {
        match self {
            Start::Date(date) => (*date, i64::MIN),
            Start::Instant(at, _) => (at.date_naive(), at.timestamp()),
        }
    }
}

fn start_of(line: &Line<'_>, tz: Tz) -> Result<Start> {
    value_start(line, line.value, tz)
}

fn value_start(line: &Line<'_>, value: &str, tz: Tz) -> Result<Start> {
    let value = value.trim();
    if line.param("VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE")) || value.len() == 8 {
        return NaiveDate::parse_from_str(value, "%Y%m%d")
            .map(Start::Date)
            .map_err(|_| line.error(format!("`{value}` is not a date `YYYYMMDD`")));
    }
    let (text, utc) = match value.strip_suffix('Z') {
        Some(text) => (text, true),
        None => (value, false),
    };
    let local = NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S")
        .map_err(|_| line.error(format!("`{value}` is not a date-time `YYYYMMDDTHHMMSS[Z]`")))?;
    if utc {
        return Ok(Start::Instant(local.and_utc(), chrono_tz::UTC));
    }
    let zone = match line.param("TZID") {
        Some(name) => name
            .trim_matches('"')
            .parse::<Tz>()
            .map_err(|_| line.error(format!("`TZID={name}` is not an IANA time zone name")))?,
        None => tz,
    };
    resolve_local(zone, local, Disambiguation::Compatible)
        .map(|at| Start::Instant(at, zone))
        .map_err(|e| line.error(e.to_string()))
}

/// `P1D`, `P2W`, `PT4H30M`, `P1DT2H`: RFC 5545's dur-value.
#[allow(clippy::arithmetic_side_effects, reason = "each number has at most six digits")]
fn parse_duration(line: &Line<'_>) -> Result<TimeDelta> {
    let invalid = || line.error(format!("`{}` is not a duration such as `P1D` or `PT2H`", line.value));
    let rest = line.value.trim().strip_prefix('P').ok_or_else(invalid)?;
    let mut seconds = 0i64;
    let mut number = String::new();
    let mut in_time = false;
    for c in rest.chars() {
        match c {
            '0'..='9' if number.len() < 6 => number.push(c),
            'T' if !in_time && number.is_empty() => in_time = true,
            'W' | 'D' | 'H' | 'M' | 'S' if !number.is_empty() => {
                let n: i64 = number.parse().map_err(|_| invalid())?;
                number.clear();
                seconds += n * match (c, in_time) {
                    ('W', false) => 7 * 86_400,
                    ('D', false) => 86_400,
                    ('H', true) => 3600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return Err(invalid()),
                };
            }
            _ => return Err(invalid()),
        }
    }
    if !number.is_empty() || seconds == 0 && rest.is_empty() {
        return Err(invalid());
    }
    Ok(TimeDelta::seconds(seconds))
}

/// The starts of a yearly rule's occurrences within the horizon.
fn expand(
    line: &Line<'_>,
    start_line: &Line<'_>,
    start: Start,
    first: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<Start>> {
    let rule: rrule::RRule<rrule::Unvalidated> = line
        .value
        .parse()
        .map_err(|e: rrule::RRuleError| line.error(format!("the rule cannot be read: {e}")))?;
    if rule.get_freq() != rrule::Frequency::Yearly {
        return Err(line.error(format!(
            "`FREQ={}` is not supported: holiday feeds recur yearly (`FREQ=YEARLY`)",
            rule.get_freq()
        )));
    }
    let utc = rrule::Tz::Tz(chrono_tz::UTC);
    // A timed rule recurs at the same local time in its own zone.
    let anchor = match start {
        Start::Date(date) => date
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .with_timezone(&utc),
        Start::Instant(at, zone) => at.with_timezone(&rrule::Tz::Tz(zone)),
    };
    let set = rule
        .build(anchor)
        .map_err(|e| start_line.error(format!("the rule does not fit its `DTSTART`: {e}")))?;
    let bound = |date: NaiveDate, days: i64| {
        date.checked_add_signed(TimeDelta::days(days))
            .unwrap_or(date)
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .with_timezone(&utc)
    };
    let found = set.after(bound(first, -400)).before(bound(end, 2)).all(MAX_OCCURRENCES);
    if found.limited && found.dates.len() >= usize::from(MAX_OCCURRENCES) {
        return Err(line.error("the rule names more than 65,535 dates within the horizon"));
    }
    Ok(found
        .dates
        .into_iter()
        .map(|at| match start {
            Start::Date(_) => Start::Date(at.date_naive()),
            Start::Instant(_, zone) => Start::Instant(at.with_timezone(&Utc), zone),
        })
        .collect())
}
