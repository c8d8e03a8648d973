//! Sensor families: every reference belongs to the kind of sensor that measured the data
//! behind it, and a value from another family is not compared with it.
//!
//! The same name covers different measurements on different sensors. "Braking" is the
//! trunk's peak forward deceleration on a trunk accelerometer (tenths of a g: 0.3–0.6 g on
//! the simulated and force-plate runs of the tests) but the shoe's deceleration on a shoe
//! pod such as RunScribe, an order of magnitude larger (issue 14 reports a RunScribe file
//! reading 7.25 g, which the trunk reference turned into 7 risk points). Contact time and vertical oscillation from the torso (a trunk accelerometer, a
//! chest strap such as Garmin's HRM-Run/Pro, whose stance time and oscillation are the
//! torso's) estimate the force-plate contact and the centre of mass's bounce; a foot pod
//! (Stryd) or shoe pod defines contact from the foot's own motion and estimates the bounce
//! through its own model. No published conversion between these families is used here, so
//! a reference applies only to the families it names:
//!
//! | reference | families |
//! |---|---|
//! | contact for speed (`400 − 50·v`, force plate), Garmin contact, vertical ratio, oscillation and balance bands, duty factor | trunk accelerometer, chest strap |
//! | braking 0.55 g (provisional) | trunk accelerometer |
//! | RunScribe footstrike type | shoe pod |
//! | cadence, drift within one sensor, hills, heat, warm-up, shoes | any |
//!
//! RunScribe braking and impact have no published injury cut-off: they are shown, not
//! scored. A file that does not say which sensor measured its dynamics (a plain CSV) is
//! compared as before, and the output says the family was not stated.

use crate::metrics::SessionMetrics;
use crate::recording::Placement;
use crate::vocab::Channel;
use serde::Serialize;

/// A kind of sensor, as far as its measurements are comparable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SensorFamily {
    /// An accelerometer on the trunk (lower back, sacrum, waist, chest), raw signal.
    TrunkAccelerometer,
    /// A heart-rate chest strap or waist pod computing running dynamics (Garmin HRM-Run,
    /// HRM-Pro, Running Dynamics Pod).
    ChestStrap,
    /// A sensor on the shoe measuring the foot's impact and braking (RunScribe), or a raw
    /// foot-mounted IMU.
    ShoePod,
    /// A foot pod computing power and dynamics (Stryd), or a plain footpod.
    FootPod,
    /// A watch on the wrist.
    Wrist,
}

crate::vocab::named!(SensorFamily {
    TrunkAccelerometer => "trunk_accelerometer",
    ChestStrap => "chest_strap",
    ShoePod => "shoe_pod",
    FootPod => "foot_pod",
    Wrist => "wrist",
});

impl SensorFamily {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            SensorFamily::TrunkAccelerometer => "trunk accelerometer",
            SensorFamily::ChestStrap => "chest strap",
            SensorFamily::ShoePod => "shoe pod (such as RunScribe)",
            SensorFamily::FootPod => "foot pod (such as Stryd)",
            SensorFamily::Wrist => "wrist",
        }
    }
}

/// References for any sensor (or not about a sensor's measurement).
pub const ANY: &[SensorFamily] = &[];
/// References measured on, or validated for, the torso.
pub const TORSO: &[SensorFamily] = &[SensorFamily::TrunkAccelerometer, SensorFamily::ChestStrap];
/// The provisional braking reference.
pub const TRUNK: &[SensorFamily] = &[SensorFamily::TrunkAccelerometer];
/// RunScribe's own scales.
pub const SHOE: &[SensorFamily] = &[SensorFamily::ShoePod];

/// Which family measured a session's values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Sources {
    /// Contact, flight, duty factor, vertical oscillation and ratio, balance.
    pub dynamics: Option<SensorFamily>,
    /// Braking, impact and footstrike (the foot-strike measures).
    pub strike: Option<SensorFamily>,
}

/// What a factor or indicator measures, for its family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measures {
    /// Not a sensor's running dynamics (cadence, hills, heat, drift within one sensor …).
    Other,
    /// Contact, oscillation, balance, duty factor.
    Dynamics,
    /// Braking, impact, footstrike.
    Strike,
}

impl Sources {
    /// The family behind what `m` measures.
    pub fn of(self, m: Measures) -> Option<SensorFamily> {
        match m {
            Measures::Other => None,
            Measures::Dynamics => self.dynamics,
            Measures::Strike => self.strike,
        }
    }
}

/// The families of a session: a raw signal's by its placement (`raw_placement`: trunk →
/// trunk accelerometer, foot → shoe pod, wrist → wrist, thigh → not stated); a watch file's
/// dynamics by where the file says the dynamics sensor sat (`file_placement`: trunk →
/// chest strap, foot → foot pod, or shoe pod when RunScribe's own channels are present,
/// wrist → wrist), and its foot-strike measures from RunScribe's channels (braking, impact,
/// footstrike type, pronation: only RunScribe writes them) → shoe pod.
pub fn sources(
    raw_placement: Option<Placement>,
    file_placement: Option<Placement>,
    m: &SessionMetrics,
) -> Sources {
    sources_with(raw_placement, file_placement, |c| {
        m.metrics.get(c.name()).is_some_and(|s| s.is_some())
    })
}

/// [`sources`] with `has` telling which channels the session summarised.
fn sources_with(
    raw_placement: Option<Placement>,
    file_placement: Option<Placement>,
    has: impl Fn(Channel) -> bool,
) -> Sources {
    if let Some(p) = raw_placement {
        let f = match p {
            Placement::Trunk => Some(SensorFamily::TrunkAccelerometer),
            Placement::Foot => Some(SensorFamily::ShoePod),
            Placement::Wrist => Some(SensorFamily::Wrist),
            Placement::Thigh => None,
        };
        return Sources {
            dynamics: f,
            strike: f,
        };
    }
    let runscribe = [
        Channel::BrakingG,
        Channel::ImpactG,
        Channel::FootstrikeType,
        Channel::PronationDeg,
    ]
    .into_iter()
    .any(&has);
    let dynamics = file_placement.map(|p| match p {
        Placement::Trunk => SensorFamily::ChestStrap,
        Placement::Foot if runscribe => SensorFamily::ShoePod,
        Placement::Foot => SensorFamily::FootPod,
        Placement::Wrist => SensorFamily::Wrist,
        Placement::Thigh => SensorFamily::Wrist,
    });
    Sources {
        dynamics,
        strike: runscribe.then_some(SensorFamily::ShoePod),
    }
}

/// Whether a reference for `applies_to` (empty: any) may judge a value measured by
/// `measured` (`None`: not stated, compared): `Err` with the reason when not.
pub fn applies(
    applies_to: &'static [SensorFamily],
    measured: Option<SensorFamily>,
) -> Result<(), OtherSensor> {
    match measured {
        Some(f) if !applies_to.is_empty() && !applies_to.contains(&f) => Err(OtherSensor {
            measured: f,
            reference: applies_to,
        }),
        _ => Ok(()),
    }
}

/// A value from one family and a reference for others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtherSensor {
    /// Who measured the value.
    pub measured: SensorFamily,
    /// Whom the reference is for.
    pub reference: &'static [SensorFamily],
}

impl std::fmt::Display for OtherSensor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.reference.iter().map(|s| s.label()).collect();
        write!(
            f,
            "measured by a {}; the reference is for a {}, and no published conversion between them exists",
            self.measured.label(),
            names.join(" or ")
        )
    }
}

/// Names of the families of a reference, for the output (`any` when empty).
pub fn names(applies_to: &[SensorFamily]) -> String {
    if applies_to.is_empty() {
        return "any".into();
    }
    applies_to
        .iter()
        .map(|s| s.name())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_judges_only_its_own_families() {
        assert!(applies(TRUNK, Some(SensorFamily::TrunkAccelerometer)).is_ok());
        assert!(applies(ANY, Some(SensorFamily::ShoePod)).is_ok());
        assert!(applies(TRUNK, None).is_ok());
        let e = applies(TRUNK, Some(SensorFamily::ShoePod)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "measured by a shoe pod (such as RunScribe); the reference is for a trunk accelerometer, and no published conversion between them exists"
        );
        assert!(applies(TORSO, Some(SensorFamily::FootPod)).is_err());
        assert!(applies(TORSO, Some(SensorFamily::ChestStrap)).is_ok());
        assert_eq!(names(TORSO), "trunk_accelerometer, chest_strap");
        assert_eq!(names(ANY), "any");
    }

    #[test]
    fn families_follow_the_placement_and_runscribe_channels() {
        fn none(_: Channel) -> bool {
            false
        }
        fn rs(c: Channel) -> bool {
            c == Channel::BrakingG
        }
        let sources = |r, f, has: fn(Channel) -> bool| sources_with(r, f, has);
        let s = sources(Some(Placement::Trunk), None, none);
        assert_eq!(s.dynamics, Some(SensorFamily::TrunkAccelerometer));
        assert_eq!(s.strike, Some(SensorFamily::TrunkAccelerometer));
        let s = sources(None, Some(Placement::Trunk), none);
        assert_eq!(
            (s.dynamics, s.strike),
            (Some(SensorFamily::ChestStrap), None)
        );
        let s = sources(None, Some(Placement::Foot), none);
        assert_eq!(s.dynamics, Some(SensorFamily::FootPod));
        let s = sources(None, Some(Placement::Foot), rs);
        assert_eq!(
            (s.dynamics, s.strike),
            (Some(SensorFamily::ShoePod), Some(SensorFamily::ShoePod))
        );
        let s = sources(None, None, rs);
        assert_eq!((s.dynamics, s.strike), (None, Some(SensorFamily::ShoePod)));
        assert_eq!(s.of(Measures::Other), None);
    }
}
