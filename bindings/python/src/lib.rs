//! `gaitguard._native`: the Python package's native module (PyO3). Each function takes the
//! command line's arguments (the Python layer turns keyword arguments into them), releases
//! the GIL while gaitguard works, and returns the JSON or CSV text; a failure raises
//! `gaitguard.GaitguardError` (or its `UsageError` subclass) with the command line's message.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    _native,
    GaitguardError,
    PyException,
    "A file gaitguard could not analyse."
);
create_exception!(
    _native,
    UsageError,
    GaitguardError,
    "Options gaitguard does not accept."
);

fn to_py(e: gaitguard::api::ApiError) -> PyErr {
    match e {
        gaitguard::api::ApiError::Usage(m) => UsageError::new_err(m),
        gaitguard::api::ApiError::Input(m) => GaitguardError::new_err(m),
    }
}

/// The session JSON of `gaitguard analyze <args>`.
#[pyfunction]
fn analyze_json(py: Python<'_>, args: Vec<String>) -> PyResult<String> {
    py.allow_threads(|| gaitguard::api::analyze_json(&args))
        .map_err(to_py)
}

/// The per-step CSV of a raw sensor file.
#[pyfunction]
fn steps_csv(py: Python<'_>, args: Vec<String>) -> PyResult<String> {
    py.allow_threads(|| gaitguard::api::steps_csv(&args))
        .map_err(to_py)
}

/// The per-step table of a raw sensor file as Parquet bytes (`gaitguard.steps/1`).
#[pyfunction]
fn steps_parquet(py: Python<'_>, args: Vec<String>) -> PyResult<pyo3::Py<pyo3::types::PyBytes>> {
    let bytes = py
        .allow_threads(|| gaitguard::api::steps_parquet(&args))
        .map_err(to_py)?;
    Ok(pyo3::types::PyBytes::new(py, &bytes).unbind())
}

/// The block JSON of `gaitguard block <args>`.
#[pyfunction]
fn block_json(py: Python<'_>, args: Vec<String>) -> PyResult<String> {
    py.allow_threads(|| gaitguard::api::block_json(&args))
        .map_err(to_py)
}

/// Run the `gaitguard` command line with `argv` (program name first); returns its exit code.
#[pyfunction]
fn run_cli(py: Python<'_>, argv: Vec<String>) -> u8 {
    py.allow_threads(|| gaitguard::app::run_cli(&argv))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(analyze_json, m)?)?;
    m.add_function(wrap_pyfunction!(steps_csv, m)?)?;
    m.add_function(wrap_pyfunction!(steps_parquet, m)?)?;
    m.add_function(wrap_pyfunction!(block_json, m)?)?;
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    m.add("GaitguardError", m.py().get_type::<GaitguardError>())?;
    m.add("UsageError", m.py().get_type::<UsageError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
