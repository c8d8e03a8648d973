//! Turns FIT messages (from the binary decoder or from a FitCSVTool conversion) into a
//! [`Recording`]: records become channels in gaitguard's units, `session` messages become
//! [`SessionInfo`] with the watch's own averages, timer events become pauses, `file_id` and
//! `device_info` describe the device, developer fields (Stryd, RunScribe) fill the channels
//! the native fields leave empty.

use super::profile::{self, mesg, record as rf};
use crate::recording::{Channel, DeviceAverages, Pause, Placement, Recording, SessionInfo};
use crate::units::FIT_EPOCH_OFFSET_S;
use crate::vocab::WarningCode;
use std::collections::HashMap;

/// FIT timestamps below this are seconds since device power-on, not since the FIT epoch.
pub const FIT_RELATIVE_LIMIT: u32 = 0x1000_0000;

/// A record stamped at most this much before its predecessor is kept at the predecessor's time.
const MAX_RETIME_S: f64 = 5.0;

/// Degrees per semicircle (2^31 semicircles = 180°).
const DEG_PER_SEMICIRCLE: f64 = 180.0 / 2_147_483_648.0;

/// The fields of one message, already scaled to the profile's units.
pub struct Msg {
    vals: [f64; 256],
    set: Vec<u8>,
    /// String fields (number, text).
    pub strings: Vec<(u8, String)>,
    /// Developer fields already mapped to channels.
    pub dev: Vec<(Channel, f64)>,
}

impl Default for Msg {
    fn default() -> Self {
        Msg {
            vals: [f64::NAN; 256],
            set: Vec::with_capacity(32),
            strings: Vec::new(),
            dev: Vec::new(),
        }
    }
}

impl Msg {
    /// Forget every field (cost proportional to the fields set).
    pub fn clear(&mut self) {
        for &n in &self.set {
            self.vals[n as usize] = f64::NAN;
        }
        self.set.clear();
        self.strings.clear();
        self.dev.clear();
    }

    /// Set a numeric field.
    #[inline]
    pub fn set(&mut self, num: u8, v: f64) {
        if self.vals[num as usize].is_nan() {
            self.set.push(num);
        }
        self.vals[num as usize] = v;
    }

    /// A numeric field, if present and valid.
    #[inline]
    pub fn get(&self, num: u8) -> Option<f64> {
        let v = self.vals[num as usize];
        if v.is_nan() { None } else { Some(v) }
    }

    /// A string field.
    pub fn string(&self, num: u8) -> Option<&str> {
        self.strings
            .iter()
            .find(|(n, _)| *n == num)
            .map(|(_, s)| s.as_str())
    }
}

/// A developer field as its `field_description` declares it.
#[derive(Debug, Clone)]
pub struct DevDesc {
    /// Name as the app wrote it ("Form Power").
    pub name: String,
    /// Units as the app wrote them ("Watts").
    pub units: String,
    /// FIT base type.
    pub base: u8,
    /// Scale (value = raw/scale − offset).
    pub scale: f64,
    /// Offset.
    pub offset: f64,
    /// Channel it maps to, if any.
    pub channel: Option<Channel>,
}

/// Map a developer field (Stryd, RunScribe and similar apps) to a channel and a unit factor.
///
/// Names are matched case- and punctuation-insensitively; units are read from the field's
/// own units string (Stryd writes vertical oscillation in cm, RunScribe contact time in ms).
pub fn dev_channel(name: &str, units: &str) -> Option<(Channel, f64)> {
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    let u = units.trim().to_ascii_lowercase();
    let time_factor = if u == "s" || u == "sec" || u == "seconds" {
        1000.0
    } else {
        1.0
    };
    let len_cm = match u.as_str() {
        "mm" => 0.1,
        "m" | "meters" => 100.0,
        _ => 1.0,
    };
    Some(match n.as_str() {
        "groundtime" | "contacttime" | "groundcontacttime" | "gct" | "stancetime" => {
            (Channel::GroundContactMs, time_factor)
        }
        "verticaloscillation" | "vo" | "vertosc" => (Channel::VerticalOscillationCm, len_cm),
        "legspringstiffness" | "lss" => (Channel::LegSpringStiffnessKnPerM, 1.0),
        "formpower" => (Channel::FormPowerW, 1.0),
        "power" => (Channel::PowerW, 1.0),
        "cadence" => {
            let f = if u.contains("rpm") || u.contains("stride") {
                2.0
            } else {
                1.0
            };
            (Channel::CadenceSpm, f)
        }
        "verticalratio" => (Channel::VerticalRatioPct, 1.0),
        "speed" if u == "m/s" || u.is_empty() => (Channel::SpeedMps, 1.0),
        _ if n.contains("braking") => (Channel::BrakingG, 1.0),
        _ if n.contains("impact") => (Channel::ImpactG, 1.0),
        _ if n.contains("footstrike") => (Channel::FootstrikeType, 1.0),
        _ if n.contains("pronation") => (Channel::PronationDeg, 1.0),
        _ => return None,
    })
}

#[derive(Default)]
struct RawSession {
    start: Option<f64>,
    end: Option<f64>,
    msg: Vec<(u8, f64)>,
}

/// Builds a [`Recording`] from FIT messages.
pub struct Assembler {
    rec: Recording,
    first_ts: Option<f64>,
    last_record_ts: Option<f64>,
    relative_time: bool,
    out_of_order: usize,
    retimed: usize,
    no_timestamp: usize,
    dev_desc: HashMap<(u8, u8), DevDesc>,
    csd_last: Option<u32>,
    csd_distance_m: f64,
    sessions: Vec<RawSession>,
    lap_sports: Vec<u8>,
    sport_msg: Option<(u8, Option<u8>)>,
    timer_events: Vec<(f64, bool)>,
    creator: Option<(u16, Option<u16>, Option<String>)>,
    device_types: Vec<(u8, u16, Option<u16>, Option<String>)>,
    activity_offset: Option<i64>,
    values: Vec<(Channel, f64)>,
    dev_fields_seen: Vec<String>,
}

impl Assembler {
    /// Start a recording for `path` in `format`.
    pub fn new(path: std::path::PathBuf, format: &'static str) -> Self {
        Assembler {
            rec: Recording::new(path, format),
            first_ts: None,
            last_record_ts: None,
            relative_time: false,
            out_of_order: 0,
            retimed: 0,
            no_timestamp: 0,
            dev_desc: HashMap::new(),
            csd_last: None,
            csd_distance_m: 0.0,
            sessions: Vec::new(),
            lap_sports: Vec::new(),
            sport_msg: None,
            timer_events: Vec::new(),
            creator: None,
            device_types: Vec::new(),
            activity_offset: None,
            values: Vec::with_capacity(24),
            dev_fields_seen: Vec::new(),
        }
    }

    /// Developer field description, if declared.
    pub fn dev_desc(&self, dev_index: u8, num: u8) -> Option<&DevDesc> {
        self.dev_desc.get(&(dev_index, num))
    }

    /// Register a developer field directly (FitCSVTool prints them by name).
    pub fn note_dev_field(&mut self, name: &str) {
        if !self.dev_fields_seen.iter().any(|n| n == name) {
            self.dev_fields_seen.push(name.to_string());
        }
    }

    /// Take one message.
    pub fn message(&mut self, global: u16, ts: Option<u32>, m: &Msg) {
        match global {
            mesg::RECORD => self.record(ts, m),
            mesg::SESSION => {
                let mut s = RawSession {
                    start: m.get(2),
                    end: ts.map(f64::from).or(m.get(253)),
                    msg: Vec::new(),
                };
                for n in [
                    5u8, 6, 7, 8, 9, 14, 16, 18, 20, 22, 23, 89, 91, 92, 124, 132, 133, 134,
                ] {
                    if let Some(v) = m.get(n) {
                        s.msg.push((n, v));
                    }
                }
                self.sessions.push(s);
            }
            mesg::LAP => {
                if let Some(s) = m.get(25) {
                    self.lap_sports.push(s as u8);
                }
            }
            mesg::SPORT => {
                if let Some(s) = m.get(0) {
                    self.sport_msg = Some((s as u8, m.get(1).map(|v| v as u8)));
                }
            }
            mesg::EVENT => {
                let t = ts.map(f64::from).or(m.get(253));
                if let (Some(t), Some(0.0), Some(et)) = (t, m.get(0), m.get(1)) {
                    match et as u8 {
                        0 => self.timer_events.push((t, true)),
                        1 | 4 | 8 | 9 => self.timer_events.push((t, false)),
                        _ => {}
                    }
                }
            }
            mesg::FILE_ID => {
                if let Some(man) = m.get(1) {
                    self.creator = Some((
                        man as u16,
                        m.get(2).map(|p| p as u16),
                        m.string(8).map(str::to_string),
                    ));
                }
            }
            mesg::DEVICE_INFO => {
                let index = m.get(0).unwrap_or(255.0);
                if index != 0.0 {
                    if let (Some(dt), Some(man)) = (m.get(1), m.get(2)) {
                        self.device_types.push((
                            dt as u8,
                            man as u16,
                            m.get(4).map(|p| p as u16),
                            m.string(27).map(str::to_string),
                        ));
                    }
                }
            }
            mesg::ACTIVITY => {
                let t = ts.map(f64::from).or(m.get(253));
                if let (Some(t), Some(local)) = (t, m.get(5)) {
                    // Round to a quarter hour: local_timestamp is the wall clock at the same instant.
                    let off = ((local - t) / 900.0).round() as i64 * 900;
                    if off.abs() <= 14 * 3600 {
                        self.activity_offset = Some(off);
                    }
                }
            }
            mesg::FIELD_DESCRIPTION => {
                if let (Some(idx), Some(num)) = (m.get(0), m.get(1)) {
                    let name = m.string(3).unwrap_or("").to_string();
                    let units = m.string(8).unwrap_or("").to_string();
                    let channel = dev_channel(&name, &units).map(|(c, _)| c);
                    self.dev_desc.insert(
                        (idx as u8, num as u8),
                        DevDesc {
                            base: m.get(2).map(|b| (b as u8) & 0x1F).unwrap_or(2),
                            scale: m.get(6).filter(|s| *s > 0.0).unwrap_or(1.0),
                            offset: m.get(7).unwrap_or(0.0),
                            channel,
                            name: name.clone(),
                            units,
                        },
                    );
                    self.note_dev_field(&name);
                }
            }
            _ => {}
        }
    }

    fn record(&mut self, ts: Option<u32>, m: &Msg) {
        let Some(mut ts) = ts.map(f64::from).or(m.get(253)) else {
            self.no_timestamp += 1;
            return;
        };
        if ts < FIT_RELATIVE_LIMIT as f64 {
            self.relative_time = true;
        }
        if let Some(last) = self.last_record_ts {
            if ts < last - MAX_RETIME_S {
                self.out_of_order += 1;
                return;
            } else if ts < last {
                // A one- or two-second step back (seen in Garmin files around lap events):
                // keep the record at the previous time rather than lose its values.
                self.retimed += 1;
                ts = last;
            }
        }
        self.last_record_ts = Some(ts);
        if self.first_ts.is_none() {
            self.first_ts = Some(ts);
        }
        let mut vals = std::mem::take(&mut self.values);
        vals.clear();
        let mut put = |c: Channel, v: Option<f64>| {
            if let Some(v) = v {
                vals.push((c, v));
            }
        };
        put(
            Channel::LatitudeDeg,
            m.get(rf::POSITION_LAT).map(|v| v * DEG_PER_SEMICIRCLE),
        );
        put(
            Channel::LongitudeDeg,
            m.get(rf::POSITION_LONG).map(|v| v * DEG_PER_SEMICIRCLE),
        );
        put(
            Channel::AltitudeM,
            m.get(rf::ENHANCED_ALTITUDE).or(m.get(rf::ALTITUDE)),
        );
        put(Channel::HeartRateBpm, m.get(rf::HEART_RATE));
        if let Some(c) = m.get(rf::CADENCE) {
            let frac = m.get(rf::FRACTIONAL_CADENCE).unwrap_or(0.0);
            put(Channel::CadenceSpm, Some(2.0 * (c + frac)));
        }
        let mut speed = m.get(rf::ENHANCED_SPEED).or(m.get(rf::SPEED));
        let mut distance = m.get(rf::DISTANCE);
        if let Some(csd) = m.get(rf::COMPRESSED_SPEED_DISTANCE) {
            // 12 bits speed (1/100 m/s), 12 bits distance (1/16 m) accumulated with roll-over.
            let bits = csd as u32;
            let sp = (bits & 0xFFF) as f64 / 100.0;
            let d12 = (bits >> 12) & 0xFFF;
            let inc = match self.csd_last {
                Some(last) => (d12.wrapping_sub(last)) & 0xFFF,
                None => d12,
            };
            self.csd_last = Some(d12);
            self.csd_distance_m += inc as f64 / 16.0;
            speed = speed.or(Some(sp));
            distance = distance.or(Some(self.csd_distance_m));
        }
        put(Channel::SpeedMps, speed);
        put(Channel::DistanceM, distance);
        put(Channel::PowerW, m.get(rf::POWER));
        put(Channel::TemperatureC, m.get(rf::TEMPERATURE));
        put(
            Channel::VerticalOscillationCm,
            m.get(rf::VERTICAL_OSCILLATION).map(|mm| mm / 10.0),
        );
        put(Channel::StanceTimePct, m.get(rf::STANCE_TIME_PERCENT));
        put(Channel::GroundContactMs, m.get(rf::STANCE_TIME));
        put(Channel::DeviceActivityCode, m.get(rf::ACTIVITY_TYPE));
        put(Channel::VerticalRatioPct, m.get(rf::VERTICAL_RATIO));
        put(Channel::GctBalanceLeftPct, m.get(rf::STANCE_TIME_BALANCE));
        put(
            Channel::StepLengthM,
            m.get(rf::STEP_LENGTH).map(|mm| mm / 1000.0),
        );
        // Developer fields fill what the native fields left empty.
        for &(c, v) in &m.dev {
            if !vals.iter().any(|(k, _)| *k == c) {
                vals.push((c, v));
            }
        }
        self.rec.series.push(ts, &vals);
        self.values = vals;
    }

    /// Finish: relative time axis, sessions, pauses, device, warnings.
    pub fn finish(mut self) -> Recording {
        let t0 = self.rebase_time();
        self.warn_time_problems(t0);
        let end_of_data = self.rec.series.time_s.last().copied().unwrap_or(0.0);
        for s in &self.sessions {
            self.rec.sessions.push(session_info(s, t0, end_of_data));
        }
        if self.rec.sessions.is_empty() {
            let fallback = fallback_session(self.sport_msg, &self.lap_sports, end_of_data);
            self.rec.sessions.extend(fallback);
        }
        let pauses = timer_pauses(&mut self.timer_events, t0);
        self.rec.pauses.extend(pauses);
        if let Some((man, product, name)) = &self.creator {
            self.rec.device = Some(creator_device(*man, *product, name.clone()));
        }
        let (has_strap, has_footpod) = self.attach_sensors();
        let stryd = self.is_stryd();
        let dynamics = self.rec.series.has(Channel::GroundContactMs)
            || self.rec.series.has(Channel::VerticalOscillationCm);
        if dynamics {
            let garmin = self
                .rec
                .device
                .as_deref()
                .is_some_and(|d| d.starts_with("garmin"));
            self.rec.placement = dynamics_placement(stryd, has_strap, has_footpod, garmin);
        }
        self.warn_dev_fields();
        self.rec
    }

    /// Make the series time relative to the first record (returned: FIT seconds) and pad the
    /// channels.
    fn rebase_time(&mut self) -> f64 {
        let t0 = self.first_ts.unwrap_or(0.0);
        for t in &mut self.rec.series.time_s {
            *t -= t0;
        }
        self.rec.series.finish();
        t0
    }

    /// Start time (or `relative_time` when the device clock was relative to power-on), UTC
    /// offset, then warnings for records skipped going back in time, kept at an earlier
    /// time, or without a timestamp.
    fn warn_time_problems(&mut self, t0: f64) {
        if self.first_ts.is_some() {
            if self.relative_time {
                self.rec.warn(
                    WarningCode::RelativeTime,
                    "the device wrote timestamps relative to its power-on, not a calendar date: start time unknown",
                );
            } else {
                self.rec.start_unix_s = Some(t0 + FIT_EPOCH_OFFSET_S as f64);
            }
        }
        self.rec.utc_offset_s = self.activity_offset;
        if self.out_of_order > 0 {
            self.rec.warn(
                WarningCode::TimeBackwards,
                format!(
                    "{} records had timestamps earlier than the record before them and were skipped",
                    self.out_of_order
                ),
            );
        }
        if self.retimed > 0 {
            self.rec.warn(
                WarningCode::TimeBackwards,
                format!(
                    "{} records were stamped up to {MAX_RETIME_S} s before the record before them; kept at the earlier record's time",
                    self.retimed
                ),
            );
        }
        if self.no_timestamp > 0 {
            self.rec.warn(
                WarningCode::NoTimestamp,
                format!(
                    "{} records carried no timestamp and were skipped",
                    self.no_timestamp
                ),
            );
        }
    }

    /// Describe the paired sensors that measure the runner into `rec.sensors` (once each);
    /// returns whether there is a heart-rate strap and a footpod.
    fn attach_sensors(&mut self) -> (bool, bool) {
        let mut has_strap = false;
        let mut has_footpod = false;
        for &(dt, man, product, ref name) in &self.device_types {
            let Some(desc) = sensor_description(dt, man, product, name.clone()) else {
                continue;
            };
            if !self.rec.sensors.contains(&desc) {
                self.rec.sensors.push(desc);
            }
            has_strap |= dt == 120;
            has_footpod |= dt == 124;
        }
        (has_strap, has_footpod)
    }

    /// A Stryd pod: its developer fields (`Leg Spring Stiffness`, `Form Power`) or a device
    /// name starting `stryd`.
    fn is_stryd(&self) -> bool {
        self.dev_fields_seen.iter().any(|n| {
            n.eq_ignore_ascii_case("Leg Spring Stiffness") || n.eq_ignore_ascii_case("Form Power")
        }) || self
            .rec
            .device
            .as_deref()
            .is_some_and(|d| d.starts_with("stryd"))
    }

    /// Name the developer fields that were mapped to channels (`developer_fields`).
    fn warn_dev_fields(&mut self) {
        let mapped: Vec<&str> = self
            .dev_fields_seen
            .iter()
            .filter(|n| dev_channel(n, "").is_some())
            .map(String::as_str)
            .collect();
        if !mapped.is_empty() {
            let message = format!("developer fields read: {}", mapped.join(", "));
            self.rec.warn(WarningCode::DeveloperFields, message);
        }
    }
}

/// One FIT `session` message as a [`SessionInfo`], times relative to `t0` (the end from the
/// message, else start + elapsed time, else `end_of_data`). Cadence is per leg for running
/// and walking (sport 1, 11, 17): cadence + fractional cadence, doubled to steps/min; the
/// oscillation is mm → cm, the step length mm → m.
fn session_info(s: &RawSession, t0: f64, end_of_data: f64) -> SessionInfo {
    let get = |n: u8| s.msg.iter().find(|(k, _)| *k == n).map(|(_, v)| *v);
    let sport_code = get(5).map(|v| v as u8).unwrap_or(0);
    let sport = profile::sport_name(sport_code);
    let running = sport_code == 1;
    let walking = sport_code == 11 || sport_code == 17;
    let per_leg = running || walking;
    let start = s.start.map(|v| v - t0).unwrap_or(0.0);
    let end = s
        .end
        .map(|v| v - t0)
        .or_else(|| get(7).map(|e| start + e))
        .unwrap_or(end_of_data);
    let cad = get(18).map(|c| {
        let c = c + get(92).unwrap_or(0.0);
        if per_leg { 2.0 * c } else { c }
    });
    SessionInfo {
        sport,
        sub_sport: get(6).map(|v| profile::sub_sport_name(v as u8)),
        start_s: start,
        end_s: end,
        timer_time_s: get(8),
        elapsed_time_s: get(7),
        distance_m: get(9),
        device_averages: DeviceAverages {
            cadence_spm: if per_leg { cad } else { None },
            ground_contact_ms: get(91),
            vertical_oscillation_cm: get(89).map(|mm| mm / 10.0),
            vertical_ratio_pct: get(132),
            step_length_m: get(134).map(|mm| mm / 1000.0),
            gct_balance_left_pct: get(133),
            speed_mps: get(124).or(get(14)),
            heart_rate_bpm: get(16),
            power_w: get(20),
            total_ascent_m: get(22),
            total_descent_m: get(23),
        },
    }
}

/// No session message (some exporters omit it): one session over the whole recording, its
/// sport from the `sport` message or the first lap.
fn fallback_session(
    sport_msg: Option<(u8, Option<u8>)>,
    lap_sports: &[u8],
    end_of_data: f64,
) -> Option<SessionInfo> {
    let code = sport_msg
        .map(|(s, _)| s)
        .or_else(|| lap_sports.first().copied())?;
    Some(SessionInfo {
        sport: profile::sport_name(code),
        sub_sport: sport_msg.and_then(|(_, s)| s).map(profile::sub_sport_name),
        start_s: 0.0,
        end_s: end_of_data,
        timer_time_s: None,
        elapsed_time_s: None,
        distance_m: None,
        device_averages: DeviceAverages::default(),
    })
}

/// Timer pauses, relative to `t0`: each stop (`false`) to the next start (`true`), in time
/// order (`events` is sorted in place); zero-length pauses are dropped.
fn timer_pauses(events: &mut [(f64, bool)], t0: f64) -> Vec<Pause> {
    events.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
    let mut pauses = Vec::new();
    let mut stopped_at: Option<f64> = None;
    for &(t, start) in events.iter() {
        let t = t - t0;
        match (start, stopped_at) {
            (false, None) => stopped_at = Some(t),
            (true, Some(s)) => {
                if t > s {
                    pauses.push(Pause {
                        start_s: s,
                        end_s: t,
                    });
                }
                stopped_at = None;
            }
            _ => {}
        }
    }
    pauses
}

/// The recording device from `file_id`: manufacturer, then the product name given, else
/// the Garmin product name (manufacturers 1, 13, 15) or `product N`.
fn creator_device(man: u16, product: Option<u16>, name: Option<String>) -> String {
    let man_name = profile::manufacturer_name(man);
    let prod = name.or_else(|| {
        product.map(|p| {
            if man == 1 || man == 15 || man == 13 {
                profile::garmin_product_name(p)
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("product {p}"))
            } else {
                format!("product {p}")
            }
        })
    });
    match prod {
        Some(p) => format!("{man_name} {p}"),
        None => man_name,
    }
}

/// A paired sensor from `device_info`, `kind (manufacturer product)`; `None` for device
/// types that do not measure the runner. Only heart-rate straps (120, which also carry
/// Garmin's running dynamics), footpods (124) and power meters (11; Stryd pairs as one)
/// are kept.
fn sensor_description(
    dt: u8,
    man: u16,
    product: Option<u16>,
    name: Option<String>,
) -> Option<String> {
    if !matches!(dt, 120 | 124 | 11) {
        return None;
    }
    let kind = profile::device_type_name(dt)
        .map(str::to_string)
        .unwrap_or_else(|| format!("device type {dt}"));
    let man_name = profile::manufacturer_name(man);
    let prod = name.or_else(|| {
        product.and_then(|p| {
            if man == 1 {
                profile::garmin_product_name(p).map(str::to_string)
            } else {
                None
            }
        })
    });
    Some(match prod {
        Some(p) => format!("{kind} ({man_name} {p})"),
        None => format!("{kind} ({man_name})"),
    })
}

/// Where the running-dynamics sensor sat: a Stryd or a lone footpod on the foot; a
/// heart-rate strap or a Garmin watch on the trunk (Garmin's stance time and oscillation
/// come from a chest strap or a waist pod); else unknown.
fn dynamics_placement(
    stryd: bool,
    has_strap: bool,
    has_footpod: bool,
    garmin: bool,
) -> Option<Placement> {
    if stryd || (has_footpod && !has_strap) {
        Some(Placement::Foot)
    } else if has_strap || garmin {
        Some(Placement::Trunk)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_running_session_in_gaitguard_units() {
        let s = RawSession {
            start: Some(1010.0),
            end: None,
            msg: vec![
                (5, 1.0),
                (7, 600.0),
                (18, 80.0),
                (92, 0.5),
                (89, 95.0),
                (134, 1150.0),
            ],
        };
        let info = session_info(&s, 1000.0, 9999.0);
        assert_eq!((info.start_s, info.end_s), (10.0, 610.0));
        let d = &info.device_averages;
        assert_eq!(d.cadence_spm, Some(161.0));
        assert_eq!(d.vertical_oscillation_cm, Some(9.5));
        assert_eq!(d.step_length_m, Some(1.15));
        let cycling = RawSession {
            msg: vec![(5, 2.0), (18, 80.0)],
            ..RawSession::default()
        };
        let info = session_info(&cycling, 0.0, 42.0);
        assert_eq!((info.end_s, info.device_averages.cadence_spm), (42.0, None));
        assert!(fallback_session(None, &[], 42.0).is_none());
        assert_eq!(fallback_session(None, &[1, 2], 42.0).unwrap().end_s, 42.0);
    }

    #[test]
    fn pauses_run_from_stop_to_start() {
        let mut ev = [
            (130.0, true),
            (100.0, false),
            (110.0, false),
            (150.0, true),
            (160.0, false),
            (160.0, true),
        ];
        let p = timer_pauses(&mut ev, 100.0);
        let spans: Vec<(f64, f64)> = p.iter().map(|p| (p.start_s, p.end_s)).collect();
        assert_eq!(spans, [(0.0, 30.0)]);
    }

    #[test]
    fn sensors_and_placement() {
        assert_eq!(sensor_description(4, 1, None, None), None);
        assert_eq!(
            sensor_description(124, 9999, None, Some("Pod".into())).map(|d| d.ends_with(" Pod)")),
            Some(true)
        );
        assert!(creator_device(9999, Some(7), None).ends_with(" product 7"));
        assert_eq!(
            dynamics_placement(true, true, false, true),
            Some(Placement::Foot)
        );
        assert_eq!(
            dynamics_placement(false, false, true, false),
            Some(Placement::Foot)
        );
        assert_eq!(
            dynamics_placement(false, true, true, false),
            Some(Placement::Trunk)
        );
        assert_eq!(
            dynamics_placement(false, false, false, true),
            Some(Placement::Trunk)
        );
        assert_eq!(dynamics_placement(false, false, false, false), None);
    }
}
