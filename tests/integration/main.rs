//! The crate's one integration test binary (see DESIGN.md for why one).

mod availability_bad_input;
mod availability_explain;
mod availability_props;
mod availability_scenarios;
mod calendar_bad_input;
mod calendar_columns;
mod calendar_config;
#[cfg(feature = "ics")]
mod calendar_ics;
mod calendar_oracle;
mod calendar_props;
mod calendar_rules_props;
mod calendar_scenarios;
mod composite;
mod edges;
mod examples;
mod forecast;
mod ingest;
mod meta;
#[cfg(feature = "parallel")]
mod parallel;
mod report;
mod report_diff;
mod report_merge;
mod sla_bad_input;
mod sla_props;
mod sla_refs;
mod sla_routes;
mod sla_scenarios;
mod sla_selection;
mod sla_versions;
mod slo_edges;
mod support;
