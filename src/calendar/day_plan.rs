//! What the rules say about each local date of the horizon: closed all day,
//! partly closed, or open for recurring hours instead of its weekday's.
//! Dated overrides are applied by the caller (they beat everything here).
//!
//! Order of work: full-day holidays (with the days they are observed on),
//! then closed ranges, partial closures and recurring hours of the
//! calendar-date rules, then the working-day rules, whose dates are read
//! from that state (so they do not depend on one another).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, TimeDelta};

use super::Rules;
use super::recurring::{Observance, RecurringRule, RuleEffect, is_weekend, rule_error, us_observed};
use super::rules::Window;
use crate::error::{Detail, Error, Result};

/// Days past each end of the horizon that holidays are worked out for, so
/// that a holiday just outside it can still be observed (or substituted)
/// inside it.
const MARGIN_DAYS: i64 = 16;

pub(crate) struct DayPlan<'r> {
    /// Closed UTC spans (seconds) from iCalendar feeds' timed events, sorted.
    pub(crate) closed_spans: Vec<(i64, i64)>,
    lo: NaiveDate,
    closed: Vec<bool>,
    partial: BTreeMap<NaiveDate, Vec<(u32, u32)>>,
    /// The recurring hours of a date, with the index of the rule that set them.
    hours: BTreeMap<NaiveDate, (usize, &'r [Window])>,
}

impl<'r> DayPlan<'r> {
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "dates within the years 1 to 9999 widened by a few weeks; indices inside the plan's day count"
    )]
    pub(crate) fn of(rules: &'r Rules) -> Result<DayPlan<'r>> {
        let (start, end) = rules.horizon;
        let lo = start - TimeDelta::days(1 + MARGIN_DAYS);
        let hi = end + TimeDelta::days(MARGIN_DAYS);
        let mut plan = DayPlan {
            closed_spans: Vec::new(),
            lo,
            closed: vec![false; (hi - lo).num_days() as usize],
            partial: BTreeMap::new(),
            hours: BTreeMap::new(),
        };
        check_easter_years(rules)?;
        let years = lo.year()..=hi.year();
        let calendar_dates = |rule: &RecurringRule| {
            let mut dates = Vec::new();
            for year in years.clone() {
                rule.date().dates_in_year(year, &mut dates);
            }
            dates
        };
        plan.mark_holidays(rules, &calendar_dates)?;
        for range in &rules.closed_ranges {
            let mut date = range.first().max(lo);
            while date <= range.last() && date < hi {
                plan.close(date);
                date += TimeDelta::days(1);
            }
        }
        for closure in &rules.partial {
            plan.partial
                .entry(closure.date())
                .or_default()
                .push(closure.day_seconds());
        }
        for (index, rule) in rules.recurring.iter().enumerate() {
            if !rule.date().is_working_day_rule() && *rule.effect() != RuleEffect::Closed {
                for date in calendar_dates(rule) {
                    plan.apply(rules, index, date)?;
                }
            }
        }
        let working_day_dates = plan.working_day_dates(rules);
        for (index, date) in working_day_dates {
            plan.apply(rules, index, date)?;
        }
        Ok(plan)
    }

    /// Full-day holidays: dated, yearly, floating, and the recurring rules
    /// that close all day, with their observed days.
    fn mark_holidays(
        &mut self,
        rules: &Rules,
        calendar_dates: &dyn Fn(&RecurringRule) -> Vec<NaiveDate>,
    ) -> Result<()> {
        rules.holidays.iter().for_each(|&date| self.close(date));
        self.mark_feeds(rules)?;
        for year in self.lo.year()..=self.hi().year() {
            let yearly = rules.yearly.iter().filter_map(|y| y.in_year(year));
            let floating = rules.floating.iter().filter_map(|f| f.in_year(year));
            yearly
                .chain(floating)
                .collect::<Vec<_>>()
                .into_iter()
                .for_each(|d| self.close(d));
        }
        let mut substituted = Vec::new();
        for rule in &rules.recurring {
            if rule.date().is_working_day_rule() || *rule.effect() != RuleEffect::Closed {
                continue;
            }
            for date in calendar_dates(rule) {
                self.close(date);
                match rule.observance() {
                    Observance::UsFederal => us_observed(date).into_iter().for_each(|d| self.close(d)),
                    Observance::UkSubstitute => substituted.push(date),
                    _ => {}
                }
            }
        }
        substituted.sort_unstable();
        substituted.dedup();
        for date in substituted.into_iter().filter(|&d| is_weekend(d)) {
            let mut substitute = date;
            while let Some(next) = substitute.succ_opt().filter(|&d| d < self.hi()) {
                substitute = next;
                if !is_weekend(substitute) && !self.is_closed(substitute) {
                    self.close(substitute);
                    break;
                }
            }
        }
        Ok(())
    }

    #[cfg(feature = "ics")]
    fn mark_feeds(&mut self, rules: &Rules) -> Result<()> {
        for feed in &rules.ics {
            let closures = super::ics::closures(feed, rules.tz, self.lo, self.hi())?;
            closures.dates.into_iter().for_each(|date| self.close(date));
            self.closed_spans.extend(closures.spans);
        }
        self.closed_spans.sort_unstable();
        Ok(())
    }

    #[cfg(not(feature = "ics"))]
    fn mark_feeds(&mut self, _rules: &Rules) -> Result<()> {
        Ok(())
    }

    /// For every month, the first and last working days the working-day
    /// rules name, read before any of them applies.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "dates within the plan's range, a day apart"
    )]
    fn working_day_dates(&self, rules: &Rules) -> Vec<(usize, NaiveDate)> {
        let wanted: Vec<(usize, &RecurringRule)> = rules
            .recurring
            .iter()
            .enumerate()
            .filter(|(_, rule)| rule.date().is_working_day_rule())
            .collect();
        let mut found = Vec::new();
        if wanted.is_empty() {
            return found;
        }
        let mut month_start = self.lo.with_day(1).unwrap_or(self.lo);
        let mut pieces = Vec::new();
        while month_start < self.hi() {
            let next_month = month_start
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or_else(|| self.hi());
            // Only the ends of the month are looked at: a working day is
            // usually within a few dates of them.
            let (lo, hi) = (self.lo.max(month_start), self.hi().min(next_month));
            let mut dates = std::iter::successors(Some(lo), |d| d.succ_opt()).take_while(|&d| d < hi);
            let first = dates.find(|&d| self.has_open_time(rules, d, &mut pieces));
            let last = first.and_then(|first| {
                std::iter::successors(hi.pred_opt(), |d| d.pred_opt())
                    .take_while(|&d| d >= first)
                    .find(|&d| self.has_open_time(rules, d, &mut pieces))
            });
            for &(index, rule) in &wanted {
                let pick = match rule.date() {
                    super::RecurringDate::FirstWorkingDayOfMonth => first,
                    _ => last,
                };
                found.extend(pick.map(|d| (index, d)));
            }
            month_start = next_month;
        }
        found
    }

    fn has_open_time(&self, rules: &Rules, date: NaiveDate, pieces: &mut Vec<(u32, u32)>) -> bool {
        match self.windows(rules, date) {
            Some(windows) => {
                super::materialize::open_pieces(windows, self.partial(date), pieces);
                !pieces.is_empty()
            }
            None => false,
        }
    }

    /// Applies rule `index`'s effect on `date`.
    fn apply(&mut self, rules: &'r Rules, index: usize, date: NaiveDate) -> Result<()> {
        let rule = &rules.recurring[index];
        match rule.effect() {
            RuleEffect::PartlyClosed { from, until } => {
                let until = until.map_or(2 * super::rules::SECONDS_PER_DAY, |u| u.seconds_from_midnight());
                self.partial
                    .entry(date)
                    .or_default()
                    .push((from.seconds_from_midnight(), until));
            }
            RuleEffect::Hours(windows) => match self.hours.get(&date) {
                Some(&(other, set)) if set != windows.as_slice() => {
                    return Err(Error::from(Detail::ConflictingRules {
                        date,
                        first: describe(&rules.recurring[other]),
                        second: describe(rule),
                    }));
                }
                Some(_) => {}
                None => {
                    self.hours.insert(date, (index, windows.as_slice()));
                }
            },
            _ => self.close(date),
        }
        Ok(())
    }

    fn hi(&self) -> NaiveDate {
        self.lo
            .checked_add_signed(TimeDelta::days(self.closed.len() as i64))
            .unwrap_or(NaiveDate::MAX)
    }

    fn index(&self, date: NaiveDate) -> Option<usize> {
        usize::try_from(date.signed_duration_since(self.lo).num_days())
            .ok()
            .filter(|&i| i < self.closed.len())
    }

    fn close(&mut self, date: NaiveDate) {
        if let Some(i) = self.index(date) {
            self.closed[i] = true;
        }
    }

    /// Closed all day by a holiday, range or rule (overrides aside).
    pub(crate) fn is_closed(&self, date: NaiveDate) -> bool {
        self.index(date).is_some_and(|i| self.closed[i])
    }

    /// The date's windows before partial closures, `None` when it is closed
    /// all day: its override, else its recurring hours, else its weekday's.
    pub(crate) fn windows<'a>(&'a self, rules: &'a Rules, date: NaiveDate) -> Option<&'a [Window]> {
        self.windows_at(rules, date, self.index(date))
    }

    /// The plan's index of the day before the horizon: the materialiser
    /// walks dates from there, one index a day, without date arithmetic.
    pub(crate) fn day_before_horizon_index(&self) -> usize {
        MARGIN_DAYS as usize
    }

    /// [`DayPlan::windows`] for the date at plan index `index`.
    #[inline]
    pub(crate) fn windows_at<'a>(
        &'a self,
        rules: &'a Rules,
        date: NaiveDate,
        index: Option<usize>,
    ) -> Option<&'a [Window]> {
        if !rules.overrides.is_empty()
            && let Some(windows) = rules.overrides.get(&date)
        {
            return Some(windows);
        }
        if index.and_then(|i| self.closed.get(i)).copied().unwrap_or(false) {
            return None;
        }
        if self.hours.is_empty() {
            return Some(&rules.weekly[date.weekday().num_days_from_monday() as usize]);
        }
        Some(match self.hours.get(&date) {
            Some(&(_, windows)) => windows,
            None => &rules.weekly[date.weekday().num_days_from_monday() as usize],
        })
    }

    /// The date's partial closures, as seconds from local midnight.
    #[inline]
    pub(crate) fn partial(&self, date: NaiveDate) -> Option<&[(u32, u32)]> {
        if self.partial.is_empty() {
            return None;
        }
        self.partial.get(&date).map(Vec::as_slice)
    }
}

fn describe(rule: &RecurringRule) -> String {
    match rule.effect() {
        RuleEffect::Hours(windows) => {
            let windows: Vec<String> = windows.iter().map(ToString::to_string).collect();
            format!("{} {}", rule.date(), windows.join(","))
        }
        _ => rule.date().to_string(),
    }
}

/// Every Easter rule names a date in its own year, for every year of the
/// horizon (only an Orthodox date far from Easter can fail).
fn check_easter_years(rules: &Rules) -> Result<()> {
    for rule in &rules.recurring {
        if let super::RecurringDate::Easter(easter) = rule.date() {
            let years = rules.horizon.0.year().max(1)..=rules.horizon.1.year().min(9999);
            if let Some(year) = years.into_iter().find(|&y| easter.in_year(y).is_none()) {
                return Err(rule_error(
                    &easter.to_string(),
                    format!("the date leaves its year in {year}"),
                ));
            }
        }
    }
    Ok(())
}
