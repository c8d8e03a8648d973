//! The factor table: thresholds, points and evidence in one place. Defaults are compiled in;
//! `--risk-config FILE` (TOML) overrides any row, the level cut-offs and the modifiers:
//!
//! ```toml
//! [levels]
//! moderate = 25
//! high = 50
//!
//! [modifiers]
//! prior_calf_strain = 1.5        # × the session points
//! recent_prior_calf_strain = 1.7 # within 12 months of the run
//! age_from = 35                  # years
//! age_per_year = 0.015           # + per year over age_from
//! age_max = 1.3
//!
//! [factors.low_cadence]
//! threshold = 5      # value where points start
//! full = 15          # value where they reach `points`
//! points = 20
//! enabled = true
//! ```
//!
//! Each rule scores `points × clamp((value − threshold) / (full − threshold), 0, 1)`: nothing
//! at the threshold, all its points at `full`, linear between, so a worse value never scores
//! less. Weights follow the strength of the evidence: a factor with prospective injury data
//! behind it weighs more than one with only lab loading data or population norms.

use super::profile::{parse_table, read_text};
use super::sensors::{self, SensorFamily};
use crate::error::ConfigError;
use serde::Serialize;
use std::path::Path;

/// How strong the evidence behind a factor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// Prospective cohorts or systematic reviews of injury.
    Strong,
    /// Lab studies of tissue loading, or injury data with caveats.
    Moderate,
    /// Population norms, expert consensus, indirect mechanisms.
    Weak,
}

impl Strength {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Strength::Strong => "strong",
            Strength::Moderate => "moderate",
            Strength::Weak => "weak",
        }
    }
}

/// One row of the factor table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    /// Stable id (JSON `factors[].id`).
    pub id: &'static str,
    /// What is measured, for people.
    pub label: &'static str,
    /// Unit of the value.
    pub unit: &'static str,
    /// Value where points start.
    pub threshold: f64,
    /// Value where all points are reached.
    pub full: f64,
    /// Points at `full`.
    pub points: f64,
    /// Evidence strength.
    pub strength: Strength,
    /// Short citation for one-line output.
    pub cite: &'static str,
    /// Source.
    pub evidence: &'static str,
    /// What to do about it.
    pub advice: &'static str,
    /// Scored at all.
    pub enabled: bool,
    /// The sensor families whose values the thresholds judge (empty: any;
    /// [`super::sensors`]): a value from another family is not assessed.
    pub sensors: &'static [SensorFamily],
}

impl Rule {
    /// Points for `value`: 0 up to the threshold, linear to `points` at `full`.
    pub fn score(&self, value: f64) -> f64 {
        if !self.enabled || !value.is_finite() {
            return 0.0;
        }
        let span = self.full - self.threshold;
        let f = if span > 0.0 {
            ((value - self.threshold) / span).clamp(0.0, 1.0)
        } else if value >= self.threshold {
            1.0
        } else {
            0.0
        };
        self.points * f
    }
}

/// Age and history: multipliers of the session points (Green & Pizzari 2017).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Modifiers {
    /// Multiplier for a previous calf strain (date unknown or over 12 months before).
    pub prior_calf_strain: f64,
    /// Multiplier for a calf strain within 12 months before the run.
    pub recent_prior_calf_strain: f64,
    /// Age from which the multiplier grows, years.
    pub age_from: f64,
    /// Growth per year over `age_from`.
    pub age_per_year: f64,
    /// Cap of the age multiplier.
    pub age_max: f64,
}

/// The whole model's settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskConfig {
    /// Factor rows.
    pub rules: Vec<Rule>,
    /// Score from which the level is `moderate`.
    pub moderate_at: f64,
    /// Score from which the level is `high`.
    pub high_at: f64,
    /// Modifiers.
    pub modifiers: Modifiers,
}

const HEIDERSCHEIT: &str = "Heiderscheit et al. 2011, Med Sci Sports Exerc 43:296 (cadence +5-10 % lowers hip and knee loading and centre-of-mass excursion; lab loading, no injury follow-up); population cadence for speed from van Oeveren et al. 2017, PLoS One 12:e0184273 (recreational runners 154-160 steps/min at 2.4-2.9 m/s), extrapolated at 12 steps/min per m/s";

/// The session factors' rows (scored by [`crate::risk::assess`], one factor function each in
/// [`crate::risk::factors`]).
pub const SESSION_RULES: [Rule; 14] = [
    Rule {
        id: "low_cadence",
        label: "cadence below your usual or the population cadence for this speed",
        unit: "% below",
        threshold: 5.0,
        full: 15.0,
        points: 20.0,
        strength: Strength::Moderate,
        cite: "Heiderscheit 2011",
        evidence: HEIDERSCHEIT,
        advice: "shorten your stride: raise cadence by 5-10 % at the same pace (a metronome helps), over a few weeks",
        enabled: true,
        sensors: sensors::ANY,
    },
    Rule {
        id: "overstriding_braking",
        label: "overstriding signs beyond cadence and contact time (braking, duty factor)",
        unit: "index 0-1",
        threshold: 0.25,
        full: 1.0,
        points: 12.0,
        strength: Strength::Moderate,
        cite: "Lieberman 2015; Napier 2018",
        evidence: "Lieberman et al. 2015, J Exp Biol 218:3406 (a foot landing ahead of the hip raises braking); Napier et al. 2018, Scand J Med Sci Sports 28:2164 (higher braking force preceded running-related injury in female recreational runners); braking thresholds for trunk accelerometers are provisional",
        advice: "land with the foot under the hips, slightly bent knee; a small cadence increase does this for most runners",
        enabled: true,
        sensors: sensors::ANY,
    },
    Rule {
        id: "long_contact",
        label: "ground contact long for the speed",
        unit: "% above",
        threshold: 10.0,
        full: 30.0,
        points: 10.0,
        strength: Strength::Weak,
        cite: "Morin 2005",
        evidence: "contact time falls with speed (Morin et al. 2005, J Appl Biomech 21:167; force-plate trials 2.5-4.2 m/s: reference 400 - 50 × speed ms); a long stance keeps the calf working under load longer; no prospective calf-injury data",
        advice: "quicker, lighter steps: cadence drills, strides, skipping and pogo hops build a stiffer, shorter stance",
        enabled: true,
        sensors: sensors::TORSO,
    },
    Rule {
        id: "long_contact_absolute",
        label: "ground contact long (speed unknown: population band)",
        unit: "ms",
        threshold: 280.0,
        full: 330.0,
        points: 6.0,
        strength: Strength::Weak,
        cite: "Garmin bands",
        evidence: "Garmin running-dynamics population bands (over 278 ms is the slowest 30 % of runners; descriptive, not injury data)",
        advice: "quicker, lighter steps: cadence drills, strides, skipping and pogo hops",
        enabled: true,
        sensors: sensors::TORSO,
    },
    Rule {
        id: "high_vertical_ratio",
        label: "bouncing: vertical ratio high",
        unit: "%",
        threshold: 8.7,
        full: 11.0,
        points: 8.0,
        strength: Strength::Weak,
        cite: "Garmin bands",
        evidence: "Garmin population bands (vertical ratio over 8.6 % is the least efficient 30 %); a higher bounce means a harder landing for the calf to absorb; no prospective injury data",
        advice: "run 'low and quick': think forward, not up; a higher cadence usually lowers the bounce",
        enabled: true,
        sensors: sensors::TORSO,
    },
    Rule {
        id: "high_vertical_oscillation",
        label: "bouncing: vertical oscillation high (no step length for a ratio)",
        unit: "cm",
        threshold: 9.8,
        full: 12.5,
        points: 6.0,
        strength: Strength::Weak,
        cite: "Garmin bands",
        evidence: "Garmin population bands (over 9.7 cm is the bouncier 30 %; depends on height and speed); no prospective injury data",
        advice: "run 'low and quick': think forward, not up; a higher cadence usually lowers the bounce",
        enabled: true,
        sensors: sensors::TORSO,
    },
    Rule {
        id: "gct_imbalance",
        label: "left/right ground-contact imbalance",
        unit: "% from 50",
        threshold: 0.7,
        full: 2.2,
        points: 4.0,
        strength: Strength::Weak,
        cite: "Garmin bands",
        evidence: "Garmin balance bands (50.7 / 52.2 %); asymmetry has not predicted injury prospectively, so it weighs little; it can follow an old injury",
        advice: "single-leg calf raises and hops to even out the sides; a persistent imbalance after an injury is worth a physiotherapist's look",
        enabled: true,
        sensors: sensors::TORSO,
    },
    Rule {
        id: "cadence_drop",
        label: "fatigue: cadence falls in the last third",
        unit: "% drop",
        threshold: 3.0,
        full: 8.0,
        points: 8.0,
        strength: Strength::Weak,
        cite: "Mizrahi 2000",
        evidence: "fatigue lengthens the stride and stance late in runs (e.g. Mizrahi et al. 2000, Clin Biomech 15:15); the calf, fatigued, absorbs load less well; indirect evidence",
        advice: "this run outlasted your current form: shorten long runs for a while and build calf endurance (bent- and straight-knee eccentric calf raises, 3 × 15, 2-3 times a week)",
        enabled: true,
        sensors: sensors::ANY,
    },
    Rule {
        id: "contact_rise",
        label: "fatigue: ground contact rises in the last third",
        unit: "% rise",
        threshold: 3.0,
        full: 8.0,
        points: 6.0,
        strength: Strength::Weak,
        cite: "Mizrahi 2000",
        evidence: "fatigue lengthens stance late in runs (Mizrahi et al. 2000, Clin Biomech 15:15); indirect evidence",
        advice: "build calf endurance (eccentric calf raises 2-3 times a week) and keep long runs within what you finish in good form",
        enabled: true,
        sensors: sensors::ANY,
    },
    Rule {
        id: "hills",
        label: "hills: climbing and descending per km",
        unit: "m/km",
        threshold: 20.0,
        full: 60.0,
        points: 10.0,
        strength: Strength::Weak,
        cite: "Roberts & Belliveau 2005",
        evidence: "uphill running raises the ankle plantar-flexors' share of the work (Roberts & Belliveau 2005, J Exp Biol 208:1963); downhill loads them eccentrically; calf strains cluster on hilly routes in coaching reports; no cohort data",
        advice: "ease into hills: shorter steps uphill, add hilly runs gradually, and do the calf raises above",
        enabled: true,
        sensors: sensors::ANY,
    },
    Rule {
        id: "heat",
        label: "heat over an hour (hydration)",
        unit: "°C",
        threshold: 25.0,
        full: 32.0,
        points: 8.0,
        strength: Strength::Weak,
        cite: "Schwellnus 2009",
        evidence: "cramps and strains are reported more often in heat and with fluid and electrolyte losses (Schwellnus 2009, Br J Sports Med 43:401, discusses the evidence, which is mixed); watch temperature sensors read high when worn against the body",
        advice: "in the heat, drink to thirst with electrolytes on runs over an hour, and slow down",
        enabled: true,
        sensors: sensors::ANY,
    },
    Rule {
        id: "no_warmup",
        label: "hard start without a warm-up",
        unit: "yes/no",
        threshold: 0.5,
        full: 1.0,
        points: 6.0,
        strength: Strength::Moderate,
        cite: "Fradkin 2006",
        evidence: "warming up lowered injury risk in most trials reviewed by Fradkin et al. 2006, J Sci Med Sport 9:214",
        advice: "start easy: 10 minutes of easy running or a dynamic warm-up (leg swings, ankle hops, calf raises) before the fast part",
        enabled: true,
        sensors: sensors::ANY,
    },
    Rule {
        id: "forefoot_strike",
        label: "forefoot strike (RunScribe footstrike type)",
        unit: "type 1-15",
        threshold: 10.0,
        full: 13.0,
        points: 6.0,
        strength: Strength::Moderate,
        cite: "Almonroeder 2013",
        evidence: "non-rearfoot striking gave 11 % more Achilles tendon impulse per step and a 15 % higher loading rate (Almonroeder, Willson & Kernozek 2013, Ann Biomed Eng 41:1758; 19 barefoot runners, musculoskeletal model)",
        advice: "if you recently switched to the forefoot, build up slowly; heavy calves call for more calf strength work, not more forefoot running",
        enabled: true,
        sensors: sensors::SHOE,
    },
    Rule {
        id: "shoe_drop_decrease",
        label: "recent switch to a lower-drop shoe",
        unit: "mm",
        threshold: 2.0,
        full: 6.0,
        points: 10.0,
        strength: Strength::Moderate,
        cite: "Malisoux 2016",
        evidence: "lower-drop shoes raise Achilles and calf load; occasional runners in low-drop shoes had more injuries (Malisoux et al. 2016, Am J Sports Med 44:2933); weighted by recency: full within 4 weeks of the switch, none after 12",
        advice: "alternate the new shoes with the old ones and raise their share over 6-12 weeks",
        enabled: true,
        sensors: sensors::ANY,
    },
];

/// The block factors' rows (`gaitguard block`): load across runs, scored per day by
/// `block::risk`.
pub const BLOCK_RULES: [Rule; 8] = [
    Rule {
        id: "long_run_spike",
        label: "a run longer than the longest of the previous 30 days",
        unit: "% longer",
        threshold: 10.0,
        full: 100.0,
        points: 30.0,
        strength: Strength::Strong,
        cite: "Frandsen 2025",
        evidence: "runs more than 10 %, 30 % and 100 % longer than the longest run of the previous 30 days had injury hazard ratios of 1.64, 1.52 and 2.28 (Frandsen et al. 2025, Br J Sports Med; 5,205 runners, 588,071 sessions); scored in bands: half the points above 10 %, all above 100 %, on the day of the run and fading over the next 6 days",
        advice: "keep your next long run within 10 % of the longest run of the last 30 days, and add distance to the long run no more than every other week",
        enabled: true,
        sensors: sensors::ANY,
    },
    Rule {
        id: "weekly_volume_jump",
        label: "running distance of the last 7 days against the 7 before",
        unit: "% more",
        threshold: 10.0,
        full: 30.0,
        points: 12.0,
        strength: Strength::Moderate,
        cite: "Nielsen 2014",
        evidence: "novice runners whose weekly distance rose more than 30 % had more distance-related injuries (Nielsen et al. 2014, J Orthop Sports Phys Ther 44:739); a graded 10 %-a-week programme did not prevent injuries in a randomised trial (Buist et al. 2008, Am J Sports Med 36:33), so 10 % is a flag, not a safe limit",
        advice: "hold next week's distance at this week's, or raise it by less than 10 %, until the calves feel fresh",
        enabled: true,
        sensors: sensors::ANY,
    },
    Rule {
        id: "acute_chronic_ratio",
        label: "acute:chronic load ratio (EWMA 7/28 days)",
        unit: "ratio",
        threshold: 1.3,
        full: 1.5,
        points: 8.0,
        strength: Strength::Weak,
        cite: "Gabbett 2016",
        evidence: "a 0.8-1.3 ratio of acute to chronic load was the lowest-risk zone and >= 1.5 the highest in team-sport cohorts (Gabbett 2016, Br J Sports Med 50:273; EWMA form: Williams et al. 2017, Br J Sports Med 51:209); its predictive value is disputed (Impellizzeri et al. 2020, Int J Sports Physiol Perform 15:907), so it weighs less",
        advice: "ease this week's load back towards your average of the last four weeks",
        enabled: true,
        sensors: sensors::ANY,
    },
    Rule {
        id: "monotony",
        label: "training monotony of the last 7 days",
        unit: "mean/SD",
        threshold: 2.0,
        full: 3.0,
        points: 4.0,
        strength: Strength::Weak,
        cite: "Foster 1998",
        evidence: "weeks of monotonous load (mean/SD of daily load > 2) preceded illness and injury in athletes (Foster 1998, Med Sci Sports Exerc 30:1164)",
        advice: "vary the week: put a rest day or a clearly easier day between the harder ones",
        enabled: true,
        sensors: sensors::ANY,
    },
    Rule {
        id: "hard_back_to_back",
        label: "hard days in a row (long or fast runs)",
        unit: "days",
        threshold: 1.0,
        full: 2.0,
        points: 5.0,
        strength: Strength::Weak,
        cite: "Foster 1998",
        evidence: "hard/easy alternation lowers monotony and strain (Foster 1998, Med Sci Sports Exerc 30:1164); the calf needs 24-72 h to recover from eccentric loading; a hard day here is a run at least 10 % faster than usual or 1.5 times the usual running time",
        advice: "follow a hard day with an easy day or rest",
        enabled: true,
        sensors: sensors::ANY,
    },
    Rule {
        id: "new_speed",
        label: "a run faster than any of the previous 28 days",
        unit: "% faster",
        threshold: 3.0,
        full: 10.0,
        points: 6.0,
        strength: Strength::Moderate,
        cite: "Dorn 2012",
        evidence: "soleus and gastrocnemius forces rise steeply with running speed (Dorn, Schache & Pandy 2012, J Exp Biol 215:1944); new intensity is a classic trigger of calf strains",
        advice: "introduce faster running in small doses (short strides or intervals) after a thorough warm-up",
        enabled: true,
        sensors: sensors::ANY,
    },
    Rule {
        id: "new_climbing",
        label: "more climbing per km than any run of the previous 28 days",
        unit: "% more",
        threshold: 25.0,
        full: 100.0,
        points: 6.0,
        strength: Strength::Weak,
        cite: "Roberts & Belliveau 2005",
        evidence: "uphill running raises ankle plantarflexor work (Roberts & Belliveau 2005, J Exp Biol 208:1963); counted when the run climbs at least 20 m per km",
        advice: "add hills gradually: a few short climbs at first, walking the steep parts",
        enabled: true,
        sensors: sensors::ANY,
    },
    Rule {
        id: "long_run_share",
        label: "the longest run's share of the last 7 days' distance",
        unit: "%",
        threshold: 40.0,
        full: 55.0,
        points: 4.0,
        strength: Strength::Weak,
        cite: "coaching consensus",
        evidence: "a long run above about a third of the week's distance concentrates load in one session (coaching consensus, no prospective injury data); counted with 4 or more runs in the 7 days (with fewer, a long run is naturally a large share)",
        advice: "spread distance over the week instead of putting it all in the long run",
        enabled: true,
        sensors: sensors::ANY,
    },
];

/// The compiled-in table: the session rows, then the block rows.
pub fn default_rules() -> Vec<Rule> {
    SESSION_RULES.iter().chain(&BLOCK_RULES).cloned().collect()
}

impl Default for RiskConfig {
    fn default() -> Self {
        RiskConfig {
            rules: default_rules(),
            moderate_at: 25.0,
            high_at: 50.0,
            modifiers: Modifiers {
                prior_calf_strain: 1.5,
                recent_prior_calf_strain: 1.7,
                age_from: 35.0,
                age_per_year: 0.015,
                age_max: 1.3,
            },
        }
    }
}

impl RiskConfig {
    /// A rule by id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Defaults with the overrides of a TOML file.
    ///
    /// # Errors
    /// [`ConfigError::File`] naming the file and key: unreadable, invalid TOML, unknown
    /// factor or key, a value of the wrong type, `full` not above `threshold`, negative points.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        Self::from_toml(path, &read_text(path, "the risk configuration")?)
    }

    /// Defaults with the overrides of TOML text (`path` is for messages).
    ///
    /// # Errors
    /// As [`RiskConfig::from_file`].
    pub fn from_toml(path: &Path, text: &str) -> Result<Self, ConfigError> {
        let table = parse_table(path, text)?;
        let e = Errors { path };
        let mut cfg = RiskConfig::default();
        for (k, v) in &table {
            let t = v
                .as_table()
                .ok_or_else(|| e.at(k, format!("expected a table [{k}], found {v}")))?;
            match k.as_str() {
                "levels" => cfg.apply_levels(t, &e)?,
                "modifiers" => cfg.modifiers.apply(t, &e)?,
                "factors" => {
                    for (id, fv) in t {
                        cfg.apply_factor(id, fv, &e)?;
                    }
                }
                _ => {
                    return Err(e.at(
                        k,
                        "unknown table; expected [levels], [modifiers] or [factors.<id>]".into(),
                    ));
                }
            }
        }
        Ok(cfg)
    }

    /// `[levels]`: `moderate` and `high`, 0–100, `high` above `moderate`.
    fn apply_levels(&mut self, t: &toml::Table, e: &Errors) -> Result<(), ConfigError> {
        for (lk, lv) in t {
            let key = format!("levels.{lk}");
            let x = e.number(lv, &key)?;
            if !(0.0..=100.0).contains(&x) {
                return Err(e.at(&key, format!("expected 0-100, found {x}")));
            }
            match lk.as_str() {
                "moderate" => self.moderate_at = x,
                "high" => self.high_at = x,
                _ => return Err(e.at(&key, "unknown key; expected moderate or high".into())),
            }
        }
        if self.high_at <= self.moderate_at {
            return Err(e.at(
                "levels.high",
                format!(
                    "must be above levels.moderate ({}), found {}",
                    self.moderate_at, self.high_at
                ),
            ));
        }
        Ok(())
    }

    /// `[factors.<id>]`: `threshold`, `full` (above the threshold), `points` (0–100) and
    /// `enabled` of a known rule.
    fn apply_factor(&mut self, id: &str, fv: &toml::Value, e: &Errors) -> Result<(), ConfigError> {
        let ids: Vec<&str> = self.rules.iter().map(|r| r.id).collect();
        let Some(rule) = self.rules.iter_mut().find(|r| r.id == id) else {
            return Err(e.at(
                &format!("factors.{id}"),
                format!("unknown factor; expected one of {}", ids.join(", ")),
            ));
        };
        let ft = fv.as_table().ok_or_else(|| {
            e.at(
                &format!("factors.{id}"),
                format!("expected a table, found {fv}"),
            )
        })?;
        for (fk, x) in ft {
            let key = format!("factors.{id}.{fk}");
            match fk.as_str() {
                "threshold" => rule.threshold = e.number(x, &key)?,
                "full" => rule.full = e.number(x, &key)?,
                "points" => {
                    let p = e.number(x, &key)?;
                    if !(0.0..=100.0).contains(&p) {
                        return Err(e.at(&key, format!("expected 0-100, found {p}")));
                    }
                    rule.points = p;
                }
                "enabled" => {
                    rule.enabled = x
                        .as_bool()
                        .ok_or_else(|| e.at(&key, format!("expected true or false, found {x}")))?
                }
                _ => {
                    return Err(e.at(
                        &key,
                        "unknown key; expected threshold, full, points or enabled".into(),
                    ));
                }
            }
        }
        if rule.full <= rule.threshold {
            return Err(e.at(
                &format!("factors.{id}.full"),
                format!(
                    "must be above the threshold ({}), found {}",
                    rule.threshold, rule.full
                ),
            ));
        }
        Ok(())
    }
}

impl Modifiers {
    /// `[modifiers]`: each key within its range.
    fn apply(&mut self, t: &toml::Table, e: &Errors) -> Result<(), ConfigError> {
        for (mk, mv) in t {
            let key = format!("modifiers.{mk}");
            let x = e.number(mv, &key)?;
            let (slot, lo, hi) = match mk.as_str() {
                "prior_calf_strain" => (&mut self.prior_calf_strain, 1.0, 5.0),
                "recent_prior_calf_strain" => (&mut self.recent_prior_calf_strain, 1.0, 5.0),
                "age_from" => (&mut self.age_from, 10.0, 100.0),
                "age_per_year" => (&mut self.age_per_year, 0.0, 0.2),
                "age_max" => (&mut self.age_max, 1.0, 5.0),
                _ => {
                    return Err(e.at(
                        &key,
                        "unknown key; expected prior_calf_strain, recent_prior_calf_strain, age_from, age_per_year or age_max".into(),
                    ));
                }
            };
            if !(lo..=hi).contains(&x) {
                return Err(e.at(&key, format!("expected {lo}-{hi}, found {x}")));
            }
            *slot = x;
        }
        Ok(())
    }
}

/// Errors naming the configuration file and the key.
struct Errors<'a> {
    path: &'a Path,
}

impl Errors<'_> {
    /// [`ConfigError::File`] at `key`.
    fn at(&self, key: &str, reason: String) -> ConfigError {
        ConfigError::File {
            path: self.path.to_path_buf(),
            key: Some(key.to_string()),
            reason,
        }
    }

    /// A finite number (integer or float) at `key`.
    fn number(&self, v: &toml::Value, key: &str) -> Result<f64, ConfigError> {
        match v {
            toml::Value::Integer(i) => Ok(*i as f64),
            toml::Value::Float(f) if f.is_finite() => Ok(*f),
            other => Err(self.at(key, format!("expected a number, found {other}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_consistent() {
        let c = RiskConfig::default();
        for r in &c.rules {
            assert!(r.full > r.threshold, "{}", r.id);
            assert!(r.points > 0.0 && !r.evidence.is_empty() && !r.advice.is_empty());
            assert_eq!(r.score(r.threshold), 0.0);
            assert_eq!(r.score(r.full), r.points);
            assert_eq!(r.score(r.full + 100.0), r.points);
        }
        let mut ids: Vec<_> = c.rules.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), c.rules.len());
    }

    #[test]
    fn overrides_apply_and_bad_keys_are_named() {
        let p = Path::new("risk.toml");
        let c = RiskConfig::from_toml(
            p,
            "[levels]\nmoderate = 20\nhigh = 40\n[factors.low_cadence]\npoints = 30\nthreshold = 4\n[factors.heat]\nenabled = false\n[modifiers]\nprior_calf_strain = 2",
        )
        .unwrap();
        assert_eq!(c.moderate_at, 20.0);
        assert_eq!(c.rule("low_cadence").unwrap().points, 30.0);
        assert_eq!(c.rule("low_cadence").unwrap().threshold, 4.0);
        assert!(!c.rule("heat").unwrap().enabled);
        assert_eq!(c.modifiers.prior_calf_strain, 2.0);
        for (text, key) in [
            ("[factors.cadense]\npoints = 3", "factors.cadense"),
            ("[factors.heat]\npoints = \"many\"", "factors.heat.points"),
            ("[factors.heat]\nfull = 20", "factors.heat.full"),
            ("[levels]\nhigh = 10", "levels.high"),
            ("[modifiers]\nage_max = 0.5", "modifiers.age_max"),
            ("[weights]\nx = 1", "weights"),
        ] {
            let e = RiskConfig::from_toml(p, text).unwrap_err().to_string();
            assert!(e.contains(&format!("key `{key}`")), "{text}: {e}");
        }
    }
}
