//! The part of the FIT profile (Garmin FIT SDK `Profile.xlsx`, messages and fields) that
//! gaitguard reads. Binary values are `raw / scale − offset` in the listed unit; FitCSVTool
//! prints the already-scaled value under the field's name.

use super::names;

/// Global message numbers.
pub mod mesg {
    /// `file_id`
    pub const FILE_ID: u16 = 0;
    /// `sport`
    pub const SPORT: u16 = 12;
    /// `session`
    pub const SESSION: u16 = 18;
    /// `lap`
    pub const LAP: u16 = 19;
    /// `record`
    pub const RECORD: u16 = 20;
    /// `event`
    pub const EVENT: u16 = 21;
    /// `device_info`
    pub const DEVICE_INFO: u16 = 23;
    /// `activity`
    pub const ACTIVITY: u16 = 34;
    /// `field_description`
    pub const FIELD_DESCRIPTION: u16 = 206;
    /// `developer_data_id`
    pub const DEVELOPER_DATA_ID: u16 = 207;
}

/// One profile field: message, number, name, scale, offset (value = raw/scale − offset).
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// Global message number.
    pub mesg: u16,
    /// Field definition number.
    pub num: u8,
    /// Profile name (as FitCSVTool and fitparse print it).
    pub name: &'static str,
    /// Scale.
    pub scale: f64,
    /// Offset.
    pub offset: f64,
}

const fn f(mesg: u16, num: u8, name: &'static str, scale: f64, offset: f64) -> FieldSpec {
    FieldSpec {
        mesg,
        num,
        name,
        scale,
        offset,
    }
}

use mesg::*;

/// Record field numbers used by the assembler.
pub mod record {
    /// semicircles
    pub const POSITION_LAT: u8 = 0;
    /// semicircles
    pub const POSITION_LONG: u8 = 1;
    /// m
    pub const ALTITUDE: u8 = 2;
    /// bpm
    pub const HEART_RATE: u8 = 3;
    /// rpm (strides/min for running)
    pub const CADENCE: u8 = 4;
    /// m
    pub const DISTANCE: u8 = 5;
    /// m/s
    pub const SPEED: u8 = 6;
    /// W
    pub const POWER: u8 = 7;
    /// 3 bytes: 12-bit speed (1/100 m/s), 12-bit accumulating distance (1/16 m)
    pub const COMPRESSED_SPEED_DISTANCE: u8 = 8;
    /// °C
    pub const TEMPERATURE: u8 = 13;
    /// mm
    pub const VERTICAL_OSCILLATION: u8 = 39;
    /// %
    pub const STANCE_TIME_PERCENT: u8 = 40;
    /// ms
    pub const STANCE_TIME: u8 = 41;
    /// enum activity_type
    pub const ACTIVITY_TYPE: u8 = 42;
    /// rpm
    pub const FRACTIONAL_CADENCE: u8 = 53;
    /// m/s
    pub const ENHANCED_SPEED: u8 = 73;
    /// m
    pub const ENHANCED_ALTITUDE: u8 = 78;
    /// %
    pub const VERTICAL_RATIO: u8 = 83;
    /// % left
    pub const STANCE_TIME_BALANCE: u8 = 84;
    /// mm
    pub const STEP_LENGTH: u8 = 85;
}

/// Every field gaitguard reads.
pub static FIELDS: &[FieldSpec] = &[
    f(FILE_ID, 0, "type", 1.0, 0.0),
    f(FILE_ID, 1, "manufacturer", 1.0, 0.0),
    f(FILE_ID, 2, "product", 1.0, 0.0),
    f(FILE_ID, 4, "time_created", 1.0, 0.0),
    f(SPORT, 0, "sport", 1.0, 0.0),
    f(SPORT, 1, "sub_sport", 1.0, 0.0),
    f(RECORD, 253, "timestamp", 1.0, 0.0),
    f(RECORD, 0, "position_lat", 1.0, 0.0),
    f(RECORD, 1, "position_long", 1.0, 0.0),
    f(RECORD, 2, "altitude", 5.0, 500.0),
    f(RECORD, 3, "heart_rate", 1.0, 0.0),
    f(RECORD, 4, "cadence", 1.0, 0.0),
    f(RECORD, 5, "distance", 100.0, 0.0),
    f(RECORD, 6, "speed", 1000.0, 0.0),
    f(RECORD, 7, "power", 1.0, 0.0),
    f(RECORD, 8, "compressed_speed_distance", 1.0, 0.0),
    f(RECORD, 13, "temperature", 1.0, 0.0),
    f(RECORD, 39, "vertical_oscillation", 10.0, 0.0),
    f(RECORD, 40, "stance_time_percent", 100.0, 0.0),
    f(RECORD, 41, "stance_time", 10.0, 0.0),
    f(RECORD, 42, "activity_type", 1.0, 0.0),
    f(RECORD, 53, "fractional_cadence", 128.0, 0.0),
    f(RECORD, 73, "enhanced_speed", 1000.0, 0.0),
    f(RECORD, 78, "enhanced_altitude", 5.0, 500.0),
    f(RECORD, 83, "vertical_ratio", 100.0, 0.0),
    f(RECORD, 84, "stance_time_balance", 100.0, 0.0),
    f(RECORD, 85, "step_length", 10.0, 0.0),
    f(EVENT, 253, "timestamp", 1.0, 0.0),
    f(EVENT, 0, "event", 1.0, 0.0),
    f(EVENT, 1, "event_type", 1.0, 0.0),
    f(SESSION, 253, "timestamp", 1.0, 0.0),
    f(SESSION, 2, "start_time", 1.0, 0.0),
    f(SESSION, 5, "sport", 1.0, 0.0),
    f(SESSION, 6, "sub_sport", 1.0, 0.0),
    f(SESSION, 7, "total_elapsed_time", 1000.0, 0.0),
    f(SESSION, 8, "total_timer_time", 1000.0, 0.0),
    f(SESSION, 9, "total_distance", 100.0, 0.0),
    f(SESSION, 14, "avg_speed", 1000.0, 0.0),
    f(SESSION, 16, "avg_heart_rate", 1.0, 0.0),
    f(SESSION, 18, "avg_cadence", 1.0, 0.0),
    f(SESSION, 20, "avg_power", 1.0, 0.0),
    f(SESSION, 22, "total_ascent", 1.0, 0.0),
    f(SESSION, 23, "total_descent", 1.0, 0.0),
    f(SESSION, 89, "avg_vertical_oscillation", 10.0, 0.0),
    f(SESSION, 91, "avg_stance_time", 10.0, 0.0),
    f(SESSION, 92, "avg_fractional_cadence", 128.0, 0.0),
    f(SESSION, 124, "enhanced_avg_speed", 1000.0, 0.0),
    f(SESSION, 132, "avg_vertical_ratio", 100.0, 0.0),
    f(SESSION, 133, "avg_stance_time_balance", 100.0, 0.0),
    f(SESSION, 134, "avg_step_length", 10.0, 0.0),
    f(LAP, 253, "timestamp", 1.0, 0.0),
    f(LAP, 2, "start_time", 1.0, 0.0),
    f(LAP, 25, "sport", 1.0, 0.0),
    f(DEVICE_INFO, 0, "device_index", 1.0, 0.0),
    f(DEVICE_INFO, 1, "device_type", 1.0, 0.0),
    f(DEVICE_INFO, 2, "manufacturer", 1.0, 0.0),
    f(DEVICE_INFO, 4, "product", 1.0, 0.0),
    f(ACTIVITY, 253, "timestamp", 1.0, 0.0),
    f(ACTIVITY, 5, "local_timestamp", 1.0, 0.0),
    f(FIELD_DESCRIPTION, 0, "developer_data_index", 1.0, 0.0),
    f(FIELD_DESCRIPTION, 1, "field_definition_number", 1.0, 0.0),
    f(FIELD_DESCRIPTION, 2, "fit_base_type_id", 1.0, 0.0),
    f(FIELD_DESCRIPTION, 6, "scale", 1.0, 0.0),
    f(FIELD_DESCRIPTION, 7, "offset", 1.0, 0.0),
    f(FIELD_DESCRIPTION, 14, "native_mesg_num", 1.0, 0.0),
    f(FIELD_DESCRIPTION, 15, "native_field_num", 1.0, 0.0),
];

/// String fields: (message, number, name).
pub static STRING_FIELDS: &[(u16, u8, &str)] = &[
    (FILE_ID, 8, "product_name"),
    (DEVICE_INFO, 27, "product_name"),
    (SPORT, 3, "name"),
    (FIELD_DESCRIPTION, 3, "field_name"),
    (FIELD_DESCRIPTION, 8, "units"),
];

/// Alternative names FitCSVTool and fitparse print for the same field (subfields and
/// sport-specific names).
pub static ALIASES: &[(u16, &str, &str)] = &[
    (FILE_ID, "garmin_product", "product"),
    (FILE_ID, "favero_product", "product"),
    (DEVICE_INFO, "garmin_product", "product"),
    (DEVICE_INFO, "antplus_device_type", "device_type"),
    (DEVICE_INFO, "ant_device_type", "device_type"),
    (SESSION, "avg_running_cadence", "avg_cadence"),
    (SESSION, "enhanced_avg_speed", "enhanced_avg_speed"),
];

/// Which message slot (0–9) a global number uses in per-file lookup tables.
pub fn slot(mesg: u16) -> Option<usize> {
    Some(match mesg {
        FILE_ID => 0,
        SPORT => 1,
        SESSION => 2,
        LAP => 3,
        RECORD => 4,
        EVENT => 5,
        DEVICE_INFO => 6,
        ACTIVITY => 7,
        FIELD_DESCRIPTION => 8,
        DEVELOPER_DATA_ID => 9,
        _ => return None,
    })
}

/// Number of message slots.
pub const SLOTS: usize = 10;

/// Per-slot lookup `num → index into FIELDS`, built once per file.
pub struct Lookup {
    table: Vec<[u8; 256]>,
}

impl Lookup {
    /// Build the table (index 255 = not read).
    pub fn new() -> Self {
        let mut table = vec![[255u8; 256]; SLOTS];
        for (i, spec) in FIELDS.iter().enumerate() {
            if let Some(s) = slot(spec.mesg) {
                table[s][spec.num as usize] = i as u8;
            }
        }
        Lookup { table }
    }

    /// The spec of (message slot, field number), if gaitguard reads it.
    #[inline]
    pub fn get(&self, slot: usize, num: u8) -> Option<&'static FieldSpec> {
        let i = self.table[slot][num as usize];
        if i == 255 {
            None
        } else {
            Some(&FIELDS[i as usize])
        }
    }
}

impl Default for Lookup {
    fn default() -> Self {
        Self::new()
    }
}

/// Find a field number by its printed name (FitCSVTool, fitparse), following aliases.
pub fn num_by_name(mesg: u16, name: &str) -> Option<u8> {
    let name = ALIASES
        .iter()
        .find(|(m, a, _)| *m == mesg && *a == name)
        .map(|(_, _, n)| *n)
        .unwrap_or(name);
    FIELDS
        .iter()
        .find(|s| s.mesg == mesg && s.name == name)
        .map(|s| s.num)
}

/// Find a string field number by name.
pub fn string_num_by_name(mesg: u16, name: &str) -> Option<u8> {
    STRING_FIELDS
        .iter()
        .find(|(m, _, n)| *m == mesg && *n == name)
        .map(|(_, num, _)| *num)
}

/// Global message number by its printed name.
pub fn mesg_by_name(name: &str) -> Option<u16> {
    Some(match name {
        "file_id" => FILE_ID,
        "sport" => SPORT,
        "session" => SESSION,
        "lap" => LAP,
        "record" => RECORD,
        "event" => EVENT,
        "device_info" => DEVICE_INFO,
        "activity" => ACTIVITY,
        "field_description" => FIELD_DESCRIPTION,
        "developer_data_id" => DEVELOPER_DATA_ID,
        _ => return None,
    })
}

fn lookup_name<T: Copy + PartialEq>(
    table: &'static [(T, &'static str)],
    code: T,
) -> Option<&'static str> {
    table.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

fn lookup_code<T: Copy>(table: &'static [(T, &'static str)], name: &str) -> Option<T> {
    table.iter().find(|(_, n)| *n == name).map(|(c, _)| *c)
}

/// Sport name for a code (`running` for 1), or `sport_<code>`.
pub fn sport_name(code: u8) -> String {
    lookup_name(names::SPORT, code)
        .map(str::to_string)
        .unwrap_or_else(|| format!("sport_{code}"))
}

/// Sub-sport name for a code.
pub fn sub_sport_name(code: u8) -> String {
    lookup_name(names::SUB_SPORT, code)
        .map(str::to_string)
        .unwrap_or_else(|| format!("sub_sport_{code}"))
}

/// Manufacturer name.
pub fn manufacturer_name(code: u16) -> String {
    lookup_name(names::MANUFACTURER, code)
        .map(str::to_string)
        .unwrap_or_else(|| format!("manufacturer {code}"))
}

/// Garmin product name (only meaningful when the manufacturer is Garmin or Dynastream).
pub fn garmin_product_name(code: u16) -> Option<&'static str> {
    lookup_name(names::GARMIN_PRODUCT, code)
}

/// ANT+ device type name.
pub fn device_type_name(code: u8) -> Option<&'static str> {
    lookup_name(names::ANTPLUS_DEVICE_TYPE, code)
}

/// Code of an enum value printed by name (FitCSVTool prints enums as names), for the
/// enum fields gaitguard reads. Numbers pass through.
pub fn enum_code(mesg: u16, field: &str, value: &str) -> Option<f64> {
    if let Ok(v) = value.parse::<f64>() {
        return Some(v);
    }
    match (mesg, field) {
        (_, "sport") => lookup_code(names::SPORT, value).map(f64::from),
        (_, "sub_sport") => lookup_code(names::SUB_SPORT, value).map(f64::from),
        (_, "manufacturer") => lookup_code(names::MANUFACTURER, value).map(f64::from),
        (_, "product") | (_, "garmin_product") => {
            lookup_code(names::GARMIN_PRODUCT, value).map(f64::from)
        }
        (_, "device_type") | (_, "antplus_device_type") => {
            lookup_code(names::ANTPLUS_DEVICE_TYPE, value).map(f64::from)
        }
        (EVENT, "event") => match value {
            "timer" => Some(0.0),
            "session" => Some(8.0),
            "lap" => Some(9.0),
            "activity" => Some(26.0),
            _ => Some(-1.0),
        },
        (EVENT, "event_type") => EVENT_TYPES
            .iter()
            .position(|n| *n == value)
            .map(|i| i as f64),
        (RECORD, "activity_type") => match value {
            "generic" => Some(0.0),
            "running" => Some(1.0),
            "cycling" => Some(2.0),
            "transition" => Some(3.0),
            "fitness_equipment" => Some(4.0),
            "swimming" => Some(5.0),
            "walking" => Some(6.0),
            "sedentary" => Some(8.0),
            _ => None,
        },
        _ => None,
    }
}

/// FIT `event_type` names by code.
pub const EVENT_TYPES: [&str; 10] = [
    "start",
    "stop",
    "consecutive_depreciated",
    "marker",
    "stop_all",
    "begin_depreciated",
    "end_depreciated",
    "end_all_depreciated",
    "stop_disable",
    "stop_disable_all",
];
