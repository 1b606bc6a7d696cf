//! `servicelevel.Policy`: an SLA, OLA or underpinning contract, from the
//! crate's serde form or a preset by name.

use pyo3::prelude::*;
use pyo3::types::PyTuple;
use servicelevel::policy::{Lifecycle, Policy, Target};
use servicelevel::presets;

use crate::{errors, json};

/// A validated policy.
#[pyclass(name = "Policy", module = "servicelevel", frozen)]
#[derive(Clone)]
pub struct PyPolicy {
    pub inner: Policy,
}

#[pymethods]
impl PyPolicy {
    /// A policy from its configuration: a dict or its JSON text (the
    /// crate's serde form: `id`, `name`, `start`, `stop`, `target`, ...).
    #[new]
    fn new(config: &Bound<'_, PyAny>) -> PyResult<PyPolicy> {
        PyPolicy::from_json(&json::text_of(config, "policy")?)
    }

    /// A policy from its JSON text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<PyPolicy> {
        Ok(PyPolicy {
            inner: json::parse(text, "policy")?,
        })
    }

    /// A preset by its name (`"servicenow_resolution"`, `"zammad_solution"`,
    /// ...: `servicelevel.PRESETS`), with its target (a dict such as
    /// `{"measure": "business_time", "by": "priority", "amounts": {"1": "4h"}}`)
    /// and, optionally, a lifecycle (a dict; its vendor's by default).
    ///
    /// `"assignment_group_ola"` takes the `group` it runs for, and reads
    /// ServiceNow's lifecycle unless given one.
    #[staticmethod]
    #[pyo3(signature = (name, target, lifecycle=None, group=None))]
    fn preset(
        py: Python<'_>,
        name: &str,
        target: &Bound<'_, PyAny>,
        lifecycle: Option<&Bound<'_, PyAny>>,
        group: Option<&str>,
    ) -> PyResult<PyPolicy> {
        let target: Target = json::parse(&json::text_of(target, "target")?, "target")?;
        let lifecycle: Option<Lifecycle> = match lifecycle {
            Some(l) => Some(json::parse(&json::text_of(l, "lifecycle")?, "lifecycle")?),
            None => None,
        };
        let built = match (name, group) {
            ("assignment_group_ola", Some(group)) => {
                presets::assignment_group_ola(&lifecycle.unwrap_or_else(Lifecycle::servicenow), group, target)
            }
            ("assignment_group_ola", None) => {
                return Err(errors::input(
                    "missing_group",
                    "the assignment_group_ola preset needs the `group` it runs for",
                    Some("group"),
                ));
            }
            (_, Some(_)) => {
                return Err(errors::input(
                    "unexpected_group",
                    format!("only the assignment_group_ola preset takes a `group`, not {name:?}"),
                    Some("group"),
                ));
            }
            _ => presets::by_name(name, lifecycle.as_ref(), target),
        };
        built
            .map(|inner| PyPolicy { inner })
            .map_err(|e| errors::to_py(py, &e, None))
    }

    /// Ordered alternatives, first match wins (Zendesk's policy order,
    /// Jira's goals): each policy of the list applies while its own
    /// `applies_to` holds and no earlier one's does; one that stops being
    /// selected is cancelled, one selected later measures from its start
    /// event. Pass the result to `evaluate` with the other policies.
    #[staticmethod]
    fn first_match(py: Python<'_>, alternatives: Vec<PyRef<'_, PyPolicy>>) -> PyResult<Vec<PyPolicy>> {
        servicelevel::policy::first_match(alternatives.iter().map(|p| p.inner.clone()))
            .map(|compiled| compiled.into_iter().map(|inner| PyPolicy { inner }).collect())
            .map_err(|e| errors::to_py(py, &e, None))
    }

    /// The policy's id.
    #[getter]
    fn id(&self) -> String {
        self.inner.id().to_string()
    }

    /// The policy's JSON text (what `from_json` reads).
    fn to_json(&self) -> PyResult<String> {
        json::write(&self.inner, "policy")
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let from_json = py.get_type::<PyPolicy>().getattr("from_json")?;
        Ok((from_json, PyTuple::new(py, [slf.get().to_json()?])?))
    }

    fn __eq__(&self, other: &PyPolicy) -> bool {
        self.inner == other.inner
    }

    fn __repr__(&self) -> String {
        format!("<Policy {}>", self.inner.id())
    }
}

/// The preset names, for `servicelevel.PRESETS`.
pub fn names() -> Vec<&'static str> {
    presets::names().collect()
}
