//! CRC-32C (Castagnoli), the checksum of a record batch v2.
//!
//! Models Kafka's `Crc32C` (`java.util.zip.CRC32C`): reflected polynomial
//! `0x82F63B78`, initial value and final xor `0xFFFFFFFF`. A batch's CRC
//! covers its bytes from the attributes field (byte 21) to its end
//! ([`super::RecordBatch::compute_checksum`]).
//!
//! Simplified: a byte-at-a-time table (no hardware instructions, no
//! slicing), the same on every target; it checksums a session's export, not a
//! broker's traffic.

/// The lookup table of a reflected CRC-32 polynomial (a byte at a time),
/// built at compile time: CRC-32C's here, CRC-32's for librdkafka's
/// partitioner ([`crate::partitioner`]).
pub(crate) const fn table(polynomial: u32) -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { (c >> 1) ^ polynomial } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

/// The table of CRC-32C's reflected polynomial `0x82F63B78`.
const TABLE: [u32; 256] = table(0x82F6_3B78);

/// `Crc32C.compute(bytes, 0, len)`.
pub fn crc32c(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc = TABLE[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_value_of_the_castagnoli_crc() {
        // The standard check value of CRC-32C (record-format.md, section 2).
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
        assert_eq!(crc32c(b""), 0);
    }
}
