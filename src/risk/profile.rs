//! The runner profile (`--profile FILE`, TOML): who is running, which the session data cannot
//! say. Every key is optional; a missing key means the factor that needs it is "not
//! assessed", never assumed.
//!
//! ```toml
//! height_cm = 178
//! mass_kg = 70
//! age = 42
//! sex = "female"                 # optional: female | male | other
//! prior_calf_strain = 2026-03-14 # or true / false
//! usual_cadence_spm = 170
//!
//! [shoe]
//! model = "Trail 4"
//! drop_mm = 4
//! since = 2026-10-01
//! previous_drop_mm = 10
//!
//! [sensor]
//! placement = "trunk"            # default for raw files: trunk | foot | wrist | thigh
//! ```

use crate::error::ConfigError;
use crate::recording::Placement;
use chrono::NaiveDate;
use std::path::Path;

/// A previous calf strain.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PriorStrain {
    /// Yes or no, date unknown.
    Known(bool),
    /// Yes, on this date.
    On(NaiveDate),
}

impl PriorStrain {
    /// Whether there was one.
    pub fn any(self) -> bool {
        !matches!(self, PriorStrain::Known(false))
    }
}

/// The runner's shoes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shoe {
    /// Model name.
    pub model: Option<String>,
    /// Heel-to-toe drop, mm.
    pub drop_mm: Option<f64>,
    /// Worn since.
    pub since: Option<NaiveDate>,
    /// Drop of the shoes worn before, mm.
    pub previous_drop_mm: Option<f64>,
}

/// The runner profile.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunnerProfile {
    /// Standing height, cm.
    pub height_cm: Option<f64>,
    /// Body mass, kg.
    pub mass_kg: Option<f64>,
    /// Age, years.
    pub age: Option<f64>,
    /// `female`, `male` or `other`.
    pub sex: Option<String>,
    /// A previous calf strain.
    pub prior_calf_strain: Option<PriorStrain>,
    /// The runner's usual cadence, steps/min.
    pub usual_cadence_spm: Option<f64>,
    /// Shoes.
    pub shoe: Shoe,
    /// Default sensor placement for raw files.
    pub sensor_placement: Option<Placement>,
}

impl RunnerProfile {
    /// Leg length from height (Winter's anthropometric ratio 0.53, methods notes §2.4), m.
    pub fn leg_length_m(&self) -> Option<f64> {
        self.height_cm.map(|h| 0.53 * h / 100.0)
    }

    /// Read and validate a profile file.
    ///
    /// # Errors
    /// [`ConfigError::File`] naming the file and the key: unreadable file, invalid TOML, an
    /// unknown key, a value of the wrong type or outside its plausible range.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        Self::from_toml(path, &read_text(path, "the profile")?)
    }

    /// Parse and validate profile text (`path` is for messages).
    ///
    /// # Errors
    /// As [`RunnerProfile::from_file`].
    pub fn from_toml(path: &Path, text: &str) -> Result<Self, ConfigError> {
        let table = parse_table(path, text)?;
        let err = |key: &str, reason: String| ConfigError::File {
            path: path.to_path_buf(),
            key: Some(key.to_string()),
            reason,
        };
        let mut p = RunnerProfile::default();
        for (k, v) in &table {
            match k.as_str() {
                "height_cm" => p.height_cm = Some(number(v, k, 100.0, 250.0, "cm", &err)?),
                "mass_kg" => p.mass_kg = Some(number(v, k, 25.0, 250.0, "kg", &err)?),
                "age" => p.age = Some(number(v, k, 8.0, 110.0, "years", &err)?),
                "usual_cadence_spm" => {
                    p.usual_cadence_spm = Some(number(v, k, 120.0, 240.0, "steps/min", &err)?)
                }
                "sex" => {
                    let s = v.as_str().map(str::to_ascii_lowercase);
                    match s.as_deref() {
                        Some(x @ ("female" | "male" | "other")) => p.sex = Some(x.to_string()),
                        _ => {
                            return Err(err(
                                k,
                                format!("expected \"female\", \"male\" or \"other\", found {v}"),
                            ));
                        }
                    }
                }
                "prior_calf_strain" => {
                    p.prior_calf_strain = Some(match v {
                        toml::Value::Boolean(b) => PriorStrain::Known(*b),
                        other => PriorStrain::On(date(other, k, &err)?),
                    })
                }
                "shoe" => {
                    let t = v
                        .as_table()
                        .ok_or_else(|| err(k, format!("expected a table [shoe], found {v}")))?;
                    for (sk, sv) in t {
                        let key = format!("shoe.{sk}");
                        match sk.as_str() {
                            "model" => {
                                p.shoe.model = Some(
                                    sv.as_str()
                                        .ok_or_else(|| {
                                            err(&key, format!("expected text, found {sv}"))
                                        })?
                                        .to_string(),
                                )
                            }
                            "drop_mm" => {
                                p.shoe.drop_mm = Some(number(sv, &key, 0.0, 20.0, "mm", &err)?)
                            }
                            "previous_drop_mm" => {
                                p.shoe.previous_drop_mm =
                                    Some(number(sv, &key, 0.0, 20.0, "mm", &err)?)
                            }
                            "since" => p.shoe.since = Some(date(sv, &key, &err)?),
                            _ => {
                                return Err(err(
                                    &key,
                                    "unknown key; expected model, drop_mm, since or previous_drop_mm"
                                        .into(),
                                ));
                            }
                        }
                    }
                }
                "sensor" => {
                    let t = v
                        .as_table()
                        .ok_or_else(|| err(k, format!("expected a table [sensor], found {v}")))?;
                    for (sk, sv) in t {
                        let key = format!("sensor.{sk}");
                        if sk != "placement" {
                            return Err(err(&key, "unknown key; expected placement".into()));
                        }
                        p.sensor_placement = Some(
                            sv.as_str()
                                .and_then(Placement::parse)
                                .ok_or_else(|| {
                                    err(
                                        &key,
                                        format!(
                                            "expected \"trunk\", \"foot\", \"wrist\" or \"thigh\", found {sv}"
                                        ),
                                    )
                                })?,
                        );
                    }
                }
                _ => {
                    return Err(err(
                        k,
                        "unknown key; expected height_cm, mass_kg, age, sex, prior_calf_strain, usual_cadence_spm, [shoe] or [sensor]".into(),
                    ));
                }
            }
        }
        Ok(p)
    }
}

/// Read a configuration file (`what` names it in the error).
pub(crate) fn read_text(path: &Path, what: &str) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|e| ConfigError::File {
        path: path.to_path_buf(),
        key: None,
        reason: format!("cannot read {what}: {e}"),
    })
}

/// Parse TOML text into a table, the error naming the file.
pub(crate) fn parse_table(path: &Path, text: &str) -> Result<toml::Table, ConfigError> {
    text.parse()
        .map_err(|e: toml::de::Error| ConfigError::File {
            path: path.to_path_buf(),
            key: None,
            reason: format!("not valid TOML: {}", e.message()),
        })
}

fn number(
    v: &toml::Value,
    key: &str,
    lo: f64,
    hi: f64,
    unit: &str,
    err: &dyn Fn(&str, String) -> ConfigError,
) -> Result<f64, ConfigError> {
    let x = match v {
        toml::Value::Integer(i) => *i as f64,
        toml::Value::Float(f) => *f,
        other => {
            return Err(err(
                key,
                format!("expected a number ({unit}), found {other}"),
            ));
        }
    };
    if !(lo..=hi).contains(&x) {
        return Err(err(key, format!("expected {lo}–{hi} {unit}, found {x}")));
    }
    Ok(x)
}

fn date(
    v: &toml::Value,
    key: &str,
    err: &dyn Fn(&str, String) -> ConfigError,
) -> Result<NaiveDate, ConfigError> {
    let text = match v {
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::String(s) => s.clone(),
        other => {
            return Err(err(
                key,
                format!("expected a date (2026-03-14) or true/false, found {other}"),
            ));
        }
    };
    // A TOML date-time counts by its day.
    crate::time::parse_iso_date(text.get(..10).unwrap_or(&text)).ok_or_else(|| {
        err(
            key,
            format!("expected a date written 2026-03-14, found {text}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<RunnerProfile, ConfigError> {
        RunnerProfile::from_toml(Path::new("runner.toml"), text)
    }

    #[test]
    fn a_full_profile_parses() {
        let p = parse(
            "height_cm = 178\nmass_kg = 70.5\nage = 42\nsex = \"Female\"\nprior_calf_strain = 2026-03-14\nusual_cadence_spm = 170\n[shoe]\nmodel = \"X\"\ndrop_mm = 4\nsince = 2026-10-01\nprevious_drop_mm = 10\n[sensor]\nplacement = \"trunk\"\n",
        )
        .unwrap();
        assert_eq!(p.height_cm, Some(178.0));
        assert_eq!(p.sex.as_deref(), Some("female"));
        assert_eq!(
            p.prior_calf_strain,
            Some(PriorStrain::On(
                NaiveDate::from_ymd_opt(2026, 3, 14).unwrap()
            ))
        );
        assert_eq!(p.shoe.previous_drop_mm, Some(10.0));
        assert_eq!(p.sensor_placement, Some(Placement::Trunk));
        assert!((p.leg_length_m().unwrap() - 0.9434).abs() < 1e-9);
        assert_eq!(
            parse("prior_calf_strain = false")
                .unwrap()
                .prior_calf_strain,
            Some(PriorStrain::Known(false))
        );
    }

    #[test]
    fn bad_values_name_the_key() {
        for (text, key) in [
            ("age = \"old\"", "key `age`"),
            ("height_cm = 17.8", "key `height_cm`"),
            ("weight = 70", "key `weight`"),
            ("[shoe]\ndrop_mm = -2", "key `shoe.drop_mm`"),
            ("[shoe]\nsince = \"yesterday\"", "key `shoe.since`"),
            ("[sensor]\nplacement = \"belt\"", "key `sensor.placement`"),
            ("prior_calf_strain = 3", "key `prior_calf_strain`"),
        ] {
            let e = parse(text).unwrap_err().to_string();
            assert!(e.starts_with("runner.toml: "), "{e}");
            assert!(e.contains(key), "{text}: {e}");
        }
        let e = parse("age = = 3").unwrap_err().to_string();
        assert!(e.contains("not valid TOML"), "{e}");
    }
}
