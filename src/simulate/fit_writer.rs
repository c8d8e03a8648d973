//! Writes a simulated run as a binary FIT activity (protocol 2.0 header with CRC; messages
//! `file_id`, `event` timer start/stop, one `record` per second with Garmin's running
//! dynamics fields in their profile units and scales, `session` with the averages, and
//! `activity`), so that the FIT path can be exercised on a file the project makes itself.

use super::SimulatedRun;
use crate::crc::fit_crc16;
use crate::units::FIT_EPOCH_OFFSET_S;

struct Writer {
    data: Vec<u8>,
}

impl Writer {
    fn define(&mut self, local: u8, global: u16, fields: &[(u8, u8, u8)]) {
        self.data.push(0x40 | local);
        self.data.push(0); // reserved
        self.data.push(0); // little-endian
        self.data.extend_from_slice(&global.to_le_bytes());
        self.data.push(fields.len() as u8);
        for &(num, size, base) in fields {
            self.data.extend_from_slice(&[num, size, base]);
        }
    }
    fn begin(&mut self, local: u8) {
        self.data.push(local);
    }
    fn u8(&mut self, v: u8) {
        self.data.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.data.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.data.extend_from_slice(&v.to_le_bytes());
    }
}

fn clamp_u16(v: f64) -> u16 {
    v.round().clamp(0.0, 65534.0) as u16
}

fn clamp_u32(v: f64) -> u32 {
    v.round().clamp(0.0, 4_294_967_294.0) as u32
}

/// Encode the run as FIT bytes.
pub fn fit_bytes(run: &SimulatedRun) -> Vec<u8> {
    let t0 = (run.start_unix_s as i64 - FIT_EPOCH_OFFSET_S) as u32;
    let n = run.records.len();
    let mut w = Writer {
        data: Vec::with_capacity(64 + n * 40),
    };
    // file_id: type=activity(4), manufacturer=development(255), product=0, time_created.
    const NAME: &[u8; 20] = b"gaitguard simulator\0";
    w.define(
        0,
        0,
        &[
            (0, 1, 0x00),
            (1, 2, 0x84),
            (2, 2, 0x84),
            (4, 4, 0x86),
            (8, 20, 0x07),
        ],
    );
    w.begin(0);
    w.u8(4);
    w.u16(255);
    w.u16(0);
    w.u32(t0);
    w.data.extend_from_slice(NAME);
    // event: timestamp, event=timer(0), event_type start(0)/stop_all(4).
    w.define(1, 21, &[(253, 4, 0x86), (0, 1, 0x00), (1, 1, 0x00)]);
    w.begin(1);
    w.u32(t0);
    w.u8(0);
    w.u8(0);
    // record.
    w.define(
        2,
        20,
        &[
            (253, 4, 0x86), // timestamp
            (5, 4, 0x86),   // distance, 1/100 m
            (73, 4, 0x86),  // enhanced_speed, 1/1000 m/s
            (78, 4, 0x86),  // enhanced_altitude, 1/5 m − 500
            (3, 1, 0x02),   // heart_rate
            (4, 1, 0x02),   // cadence, strides/min
            (53, 1, 0x02),  // fractional_cadence, 1/128
            (41, 2, 0x84),  // stance_time, 1/10 ms
            (39, 2, 0x84),  // vertical_oscillation, 1/10 mm
            (83, 2, 0x84),  // vertical_ratio, 1/100 %
            (84, 2, 0x84),  // stance_time_balance, 1/100 %
            (85, 2, 0x84),  // step_length, 1/10 mm
            (7, 2, 0x84),   // power
            (13, 1, 0x01),  // temperature
        ],
    );
    for r in &run.records {
        w.begin(2);
        w.u32(t0 + r.t_s as u32);
        w.u32(clamp_u32(r.distance_m * 100.0));
        w.u32(clamp_u32(r.speed_mps.max(0.0) * 1000.0));
        w.u32(clamp_u32((r.altitude_m + 500.0) * 5.0));
        w.u8(r.heart_rate_bpm.round().clamp(0.0, 254.0) as u8);
        let strides = (r.cadence_spm / 2.0).max(0.0);
        w.u8(strides.floor().min(254.0) as u8);
        w.u8(((strides - strides.floor()) * 128.0).round().min(127.0) as u8);
        w.u16(clamp_u16(r.ground_contact_ms * 10.0));
        w.u16(clamp_u16(r.vertical_oscillation_cm * 100.0));
        w.u16(clamp_u16(r.vertical_ratio_pct * 100.0));
        w.u16(clamp_u16(r.gct_balance_left_pct * 100.0));
        w.u16(clamp_u16(r.step_length_m * 10_000.0));
        w.u16(clamp_u16(r.power_w));
        w.u8(r.temperature_c.round().clamp(-127.0, 126.0) as i8 as u8);
    }
    // Elapsed time: the span of the records plus one recording interval (n s at 1 Hz).
    let step_s = match run.records.as_slice() {
        [a, b, ..] => b.t_s - a.t_s,
        _ => 1.0,
    };
    let span_s = run.records.last().map_or(0.0, |r| r.t_s + step_s).round() as u32;
    let t_end = t0 + span_s;
    w.begin(1);
    w.u32(t_end);
    w.u8(0);
    w.u8(4);
    // session: timestamp, start_time, sport=running(1), sub_sport=generic(0), elapsed,
    // timer (1/1000 s), distance (1/100 m), avg_cadence (strides/min) + fractional.
    let mean =
        |f: fn(&super::SimRecord) -> f64| run.records.iter().map(f).sum::<f64>() / n.max(1) as f64;
    let total_m = run.records.last().map(|r| r.distance_m).unwrap_or(0.0);
    w.define(
        3,
        18,
        &[
            (253, 4, 0x86),
            (2, 4, 0x86),
            (5, 1, 0x00),
            (6, 1, 0x00),
            (7, 4, 0x86),
            (8, 4, 0x86),
            (9, 4, 0x86),
            (18, 1, 0x02),
            (92, 1, 0x02),
            (91, 2, 0x84),
            (89, 2, 0x84),
        ],
    );
    w.begin(3);
    w.u32(t_end);
    w.u32(t0);
    w.u8(1);
    w.u8(0);
    w.u32(span_s * 1000);
    w.u32(span_s * 1000);
    w.u32(clamp_u32(total_m * 100.0));
    let strides = mean(|r| r.cadence_spm) / 2.0;
    w.u8(strides.floor() as u8);
    w.u8(((strides - strides.floor()) * 128.0).round().min(127.0) as u8);
    w.u16(clamp_u16(mean(|r| r.ground_contact_ms) * 10.0));
    w.u16(clamp_u16(mean(|r| r.vertical_oscillation_cm) * 100.0));
    // activity: timestamp, num_sessions, local_timestamp (UTC+2 for the sample).
    w.define(4, 34, &[(253, 4, 0x86), (1, 2, 0x84), (5, 4, 0x86)]);
    w.begin(4);
    w.u32(t_end);
    w.u16(1);
    w.u32(t_end + 7200);

    // Header (14 bytes, protocol 2.0, profile 21.94) with its CRC, data, file CRC.
    let mut out = Vec::with_capacity(w.data.len() + 16);
    out.push(14);
    out.push(0x20);
    out.extend_from_slice(&2194u16.to_le_bytes());
    out.extend_from_slice(&(w.data.len() as u32).to_le_bytes());
    out.extend_from_slice(b".FIT");
    let hcrc = fit_crc16(0, &out);
    out.extend_from_slice(&hcrc.to_le_bytes());
    out.extend_from_slice(&w.data);
    let crc = fit_crc16(0, &out[14..]);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}
