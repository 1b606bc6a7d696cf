//! Multiwindow, multi-burn-rate alerts (Google SRE workbook, chapter 5),
//! with the presets of the workbook, Sloth and Pyrra.

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::{BurnRate, ErrorSource, Objective};
use crate::arith;
use crate::error::{Error, Result};
use crate::ratio::Figure;

/// Who an alert goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Severity {
    /// Wake someone up.
    Page,
    /// Open a ticket.
    Ticket,
}

/// Fires when the burn rate over both the long and the short window is
/// above the threshold (the short window makes the alert stop soon after
/// the errors do).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(into = "AlertRuleForm"))]
pub struct AlertRule {
    name: String,
    severity: Severity,
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::text"))]
    long: TimeDelta,
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::text"))]
    short: TimeDelta,
    burn_rate: Decimal,
}

impl AlertRule {
    /// A rule; an error unless `0 < short < long` and the burn rate is
    /// positive, with at most nine decimals.
    pub fn new(
        name: impl Into<String>,
        severity: Severity,
        long: TimeDelta,
        short: TimeDelta,
        burn_rate: Decimal,
    ) -> Result<AlertRule> {
        let name = name.into();
        if short <= TimeDelta::zero() || short >= long {
            return Err(Error::objective(
                format!("alert `{name}`.short"),
                crate::duration::format(short),
                "the short window must be positive and shorter than the long window",
            ));
        }
        if burn_rate <= Decimal::ZERO {
            return Err(Error::objective(
                format!("alert `{name}`.burn_rate"),
                burn_rate,
                "a burn rate threshold must be positive",
            ));
        }
        crate::ratio::bounded(burn_rate, &format!("alert `{name}`.burn_rate"))?;
        Ok(AlertRule {
            name,
            severity,
            long,
            short,
            burn_rate: burn_rate.normalize(),
        })
    }

    /// The rule's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Page or ticket.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// The long window.
    pub fn long(&self) -> TimeDelta {
        self.long
    }

    /// The short window.
    pub fn short(&self) -> TimeDelta {
        self.short
    }

    /// The burn rate threshold.
    pub fn burn_rate(&self) -> Decimal {
        self.burn_rate
    }
}

/// Why a rule can never fire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum NeverFires {
    /// Even with every event bad, the burn rate cannot exceed `maximum`
    /// (`100 / (100 - target)`), which is at or below the threshold: a
    /// 14.4 rule on a 90% objective, whose burn rate is at most 10.
    BurnAboveMaximum {
        /// The highest burn rate the objective allows.
        maximum: Decimal,
    },
    /// The long window is longer than the SLO window.
    LongWindowExceedsSlo,
}

/// A rule checked against an objective.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RuleCheck {
    /// The rule's name.
    pub rule: String,
    /// Why it can never fire, if it cannot.
    pub never_fires: Option<NeverFires>,
}

/// A rule evaluated at an instant.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct AlertState {
    /// The rule's name.
    pub rule: String,
    /// Page or ticket.
    pub severity: Severity,
    /// Burn rate over the long window ending at `as_of`.
    pub long_burn: Figure<BurnRate>,
    /// Burn rate over the short window ending at `as_of`.
    pub short_burn: Figure<BurnRate>,
    /// Both above the threshold.
    pub firing: bool,
}

/// A set of alert rules for an SLO window.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(into = "AlertPolicyForm"))]
pub struct AlertPolicy {
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::text"))]
    slo_window: TimeDelta,
    rules: Vec<AlertRule>,
}

/// A rule given as a share of the budget: name, severity, percent of the
/// budget, long window, short window.
pub type BudgetShareRule<'a> = (&'a str, Severity, Decimal, TimeDelta, TimeDelta);

impl AlertPolicy {
    /// Rules for an SLO over `slo_window`; an error for a window that is not
    /// positive or no rules.
    ///
    /// # Errors
    ///
    /// When a window is not positive, the short window is not shorter than the long one, or the
    /// burn rate is not positive.
    pub fn new(slo_window: TimeDelta, rules: Vec<AlertRule>) -> Result<AlertPolicy> {
        if slo_window <= TimeDelta::zero() || rules.is_empty() {
            return Err(Error::objective(
                "alert_policy",
                crate::duration::format(slo_window),
                "an alert policy needs a positive SLO window and at least one rule",
            ));
        }
        Ok(AlertPolicy { slo_window, rules })
    }

    /// Rules given by the share of the budget each spends over its long
    /// window, as Sloth and the workbook state them; the thresholds follow
    /// from [`Objective::burn_rate_threshold`].
    ///
    /// # Errors
    ///
    /// When a share or window cannot give a rule (not positive, or more budget than there is).
    pub fn from_budget_shares(slo_window: TimeDelta, rules: &[BudgetShareRule<'_>]) -> Result<AlertPolicy> {
        let rules = rules
            .iter()
            .map(|&(name, severity, share, long, short)| {
                let rate = Objective::burn_rate_threshold(share, long, slo_window)?;
                AlertRule::new(name, severity, long, short, rate)
            })
            .collect::<Result<Vec<_>>>()?;
        AlertPolicy::new(slo_window, rules)
    }

    /// The Google SRE workbook's recommendation for a 30-day SLO (chapter 5,
    /// "Alerting on SLOs", table 5-8): page at 2% of the budget in 1 h (5 min
    /// short window, burn rate 14.4) and 5% in 6 h (30 min, 6); ticket at 10%
    /// in 3 days (6 h, 1).
    pub fn google_sre_workbook() -> AlertPolicy {
        preset(&[
            ("page-2%-1h", Severity::Page, 2, 60, 5),
            ("page-5%-6h", Severity::Page, 5, 6 * 60, 30),
            ("ticket-10%-3d", Severity::Ticket, 10, 3 * 24 * 60, 6 * 60),
        ])
    }

    /// Sloth's default 30-day windows (`google-30d.yaml`): page quick 2% in
    /// 1 h / 5 min, page slow 5% in 6 h / 30 min, ticket quick 10% in
    /// 1 day / 2 h (burn rate 3), ticket slow 10% in 3 days / 6 h.
    pub fn sloth() -> AlertPolicy {
        preset(&[
            ("page-quick", Severity::Page, 2, 60, 5),
            ("page-slow", Severity::Page, 5, 6 * 60, 30),
            ("ticket-quick", Severity::Ticket, 10, 24 * 60, 2 * 60),
            ("ticket-slow", Severity::Ticket, 10, 3 * 24 * 60, 6 * 60),
        ])
    }

    /// Pyrra's rules (`slo/rules.go`, `Windows`): burn rates 14, 7, 2 and 1
    /// over windows of 1 h / 5 min, 6 h / 30 min, 1 day / 2 h and 4 days /
    /// 6 h for a 28-day SLO, scaled to `slo_window` and rounded to the
    /// minute (half away from zero, as Go's `Duration.Round`).
    ///
    /// # Errors
    ///
    /// When the SLO window is not positive.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "a window below 2^63 ms times at most 5760 minutes fits an i128"
    )]
    pub fn pyrra(slo_window: TimeDelta) -> Result<AlertPolicy> {
        let scaled = |minutes_in_28d: i64| -> TimeDelta {
            let minutes = arith::div_round(
                arith::nanos(slo_window) * i128::from(minutes_in_28d),
                arith::nanos(TimeDelta::days(28)),
            );
            TimeDelta::try_minutes(i64::try_from(minutes).unwrap_or(i64::MAX)).unwrap_or(TimeDelta::MAX)
        };
        let rules = [
            ("critical-14", Severity::Page, 14, 60, 5),
            ("critical-7", Severity::Page, 7, 6 * 60, 30),
            ("warning-2", Severity::Ticket, 2, 24 * 60, 2 * 60),
            ("warning-1", Severity::Ticket, 1, 4 * 24 * 60, 6 * 60),
        ]
        .iter()
        .map(|&(name, severity, factor, long, short)| {
            AlertRule::new(name, severity, scaled(long), scaled(short), Decimal::from(factor))
        })
        .collect::<Result<Vec<_>>>()?;
        AlertPolicy::new(slo_window, rules)
    }

    /// The SLO window.
    pub fn slo_window(&self) -> TimeDelta {
        self.slo_window
    }

    /// The rules.
    pub fn rules(&self) -> &[AlertRule] {
        &self.rules
    }

    /// Flags the rules that can never fire for `objective`.
    pub fn check(&self, objective: Objective) -> Vec<RuleCheck> {
        self.rules
            .iter()
            .map(|rule| RuleCheck {
                rule: rule.name.clone(),
                never_fires: never_fires(rule, objective, self.slo_window),
            })
            .collect()
    }

    /// Evaluates every rule over windows ending at `as_of`.
    ///
    /// # Errors
    ///
    /// When a rule's windows cannot be measured on the series (no data reaching back that far).
    pub fn evaluate(
        &self,
        objective: Objective,
        source: &impl ErrorSource,
        as_of: DateTime<Utc>,
    ) -> Result<Vec<AlertState>> {
        let burn = |length: TimeDelta| -> Result<Figure<BurnRate>> {
            let tally = source.tally(crate::availability::rolling(length, as_of)?)?;
            objective.burn_rate(tally.bad, tally.valid)
        };
        self.rules
            .iter()
            .map(|rule| {
                let (long_burn, short_burn) = (burn(rule.long)?, burn(rule.short)?);
                let above = |b: &Figure<BurnRate>| b.known().is_some_and(|b| b.exceeds(rule.burn_rate));
                Ok(AlertState {
                    rule: rule.name.clone(),
                    severity: rule.severity,
                    firing: above(&long_burn) && above(&short_burn),
                    long_burn,
                    short_burn,
                })
            })
            .collect()
    }
}

fn preset(rules: &[(&str, Severity, i64, i64, i64)]) -> AlertPolicy {
    let shares: Vec<BudgetShareRule<'_>> = rules
        .iter()
        .map(|&(name, severity, share, long, short)| {
            (
                name,
                severity,
                Decimal::from(share),
                TimeDelta::minutes(long),
                TimeDelta::minutes(short),
            )
        })
        .collect();
    AlertPolicy::from_budget_shares(TimeDelta::days(30), &shares).expect("the presets are valid")
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "target <= 100, so t <= 100 * t_scale <= 10^11"
)]
fn never_fires(rule: &AlertRule, objective: Objective, slo_window: TimeDelta) -> Option<NeverFires> {
    if rule.long > slo_window {
        return Some(NeverFires::LongWindowExceedsSlo);
    }
    let (t, t_scale) = arith::fraction(objective.target());
    let (t, t_scale) = (t.unsigned_abs(), t_scale.unsigned_abs());
    let budget = 100 * t_scale - t;
    if budget == 0 {
        return None;
    }
    // The highest burn rate is 100 / (100 - target) = 100 * t_scale / budget;
    // the rule needs a burn strictly above its threshold. The threshold has
    // at most nine decimals but any size, so the products are compared in
    // 256 bits.
    let (r, r_scale) = arith::fraction(rule.burn_rate);
    let (r, r_scale) = (r.unsigned_abs(), r_scale.unsigned_abs());
    if arith::product_at_least(r, budget, 100 * t_scale, r_scale) {
        let maximum = arith::ratio_round(100 * t_scale, 1_000_000, budget, 1).unwrap_or(u128::MAX);
        return Some(NeverFires::BurnAboveMaximum {
            maximum: arith::decimal(i128::try_from(maximum).unwrap_or(i128::MAX), 6),
        });
    }
    None
}

/// The serde form of an [`AlertRule`], read through [`AlertRule::new`].
#[derive(Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
struct AlertRuleForm {
    name: String,
    severity: Severity,
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::text"))]
    long: TimeDelta,
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::text"))]
    short: TimeDelta,
    burn_rate: Decimal,
}

impl TryFrom<AlertRuleForm> for AlertRule {
    type Error = Error;

    fn try_from(form: AlertRuleForm) -> Result<AlertRule> {
        AlertRule::new(form.name, form.severity, form.long, form.short, form.burn_rate)
    }
}

impl From<AlertRule> for AlertRuleForm {
    fn from(rule: AlertRule) -> AlertRuleForm {
        AlertRuleForm {
            name: rule.name,
            severity: rule.severity,
            long: rule.long,
            short: rule.short,
            burn_rate: rule.burn_rate,
        }
    }
}

/// The serde form of an [`AlertPolicy`], read through [`AlertPolicy::new`].
#[derive(Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
struct AlertPolicyForm {
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::text"))]
    slo_window: TimeDelta,
    rules: Vec<AlertRule>,
}

impl TryFrom<AlertPolicyForm> for AlertPolicy {
    type Error = Error;

    fn try_from(form: AlertPolicyForm) -> Result<AlertPolicy> {
        AlertPolicy::new(form.slo_window, form.rules)
    }
}

impl From<AlertPolicy> for AlertPolicyForm {
    fn from(policy: AlertPolicy) -> AlertPolicyForm {
        AlertPolicyForm {
            slo_window: policy.slo_window,
            rules: policy.rules,
        }
    }
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(AlertRule, AlertRuleForm);

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(AlertPolicy, AlertPolicyForm);
