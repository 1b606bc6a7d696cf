//! The command line of the availability example: `[FILE] [--as-of RFC3339]
//! [--format text|json]`. (The ticket reviews are the `servicelevel-review`
//! command.)

use std::error::Error;

use servicelevel::chrono::{DateTime, Utc};

/// The options the example takes.
pub struct Options {
    pub path: String,
    pub as_of: Option<DateTime<Utc>>,
    pub json: bool,
}

/// `[FILE] [--as-of RFC3339] [--format text|json]`.
pub fn options(shipped: &str) -> Result<Options, Box<dyn Error>> {
    let mut options = Options {
        path: shipped.to_string(),
        as_of: None,
        json: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--as-of" => options.as_of = Some(DateTime::parse_from_rfc3339(&value("--as-of")?)?.to_utc()),
            "--format" => match value("--format")?.as_str() {
                "json" => options.json = true,
                "text" => options.json = false,
                other => return Err(format!("unknown format `{other}`: expected `text` or `json`").into()),
            },
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`").into()),
            path => options.path = path.to_string(),
        }
    }
    Ok(options)
}
