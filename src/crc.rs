//! The FIT protocol's CRC-16, shared by the FIT reader (which checks it) and the simulator's
//! FIT writer (which stamps it).

/// CRC-16 as specified by the FIT SDK (nibble table, polynomial 0xA001 reflected); pass the
/// running value (0 to start).
pub fn fit_crc16(mut crc: u16, bytes: &[u8]) -> u16 {
    const TABLE: [u16; 16] = [
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401, 0xA001, 0x6C00, 0x7800,
        0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    ];
    for &b in bytes {
        let mut tmp = TABLE[(crc & 0xF) as usize];
        crc = (crc >> 4) & 0x0FFF;
        crc = crc ^ tmp ^ TABLE[(b & 0xF) as usize];
        tmp = TABLE[(crc & 0xF) as usize];
        crc = (crc >> 4) & 0x0FFF;
        crc = crc ^ tmp ^ TABLE[((b >> 4) & 0xF) as usize];
    }
    crc
}

#[cfg(test)]
mod tests {
    #[test]
    fn check_value() {
        // CRC-16/ARC check value of "123456789".
        assert_eq!(super::fit_crc16(0, b"123456789"), 0xBB3D);
    }
}
