//! Zig-zag varints and varlongs, as Kafka's `ByteUtils` writes them in a
//! v2 record (`writeVarint`, `writeVarlong`, `readVarint`, `sizeOfVarlong`).
//!
//! A value is zig-zag encoded (so small negative numbers stay short), then
//! written 7 bits per byte, low bits first, with the high bit of each byte
//! saying "more follows". Kafka writes a varint from an `int` and a varlong
//! from a `long`; both use the same bytes for a value that fits 32 bits, so
//! one pair of functions serves both here.

/// Bytes taken by `value` as a zig-zag varint/varlong (`ByteUtils.sizeOfVarlong`):
/// 7 bits per byte, so -64..=63 take one byte, -8192..=8191 two, and so on.
pub fn varint_size(value: i64) -> u64 {
    let zigzag = ((value << 1) ^ (value >> 63)) as u64;
    let bits = 64 - zigzag.leading_zeros().min(63);
    // bits.div_ceil(7) for bits in 1..=64, as a multiply and a shift: wasm
    // keeps a division by 7 as a real division, and a produced record takes
    // a dozen of these sizes.
    u64::from((bits * 37 + 222) >> 8)
}

/// Appends `value` zig-zag encoded (`ByteUtils.writeVarlong`).
#[inline]
pub fn write_varint(buf: &mut Vec<u8>, value: i64) {
    let mut v = ((value << 1) ^ (value >> 63)) as u64;
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

/// Reads a zig-zag varlong at `*pos`, moving `*pos` past it. `None` when the
/// bytes end first or the varint is longer than 10 bytes (Kafka's
/// "Varlong is too long" / buffer underflow).
#[inline(always)]
pub fn read_varint(bytes: &[u8], pos: &mut usize) -> Option<i64> {
    // Most fields (lengths of small records, deltas) take one byte.
    let first = *bytes.get(*pos)?;
    if first < 0x80 {
        *pos += 1;
        return Some(i64::from(first >> 1) ^ -i64::from(first & 1));
    }
    let mut raw: u64 = 0;
    let mut shift = 0u32;
    loop {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        raw |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(((raw >> 1) as i64) ^ -((raw & 1) as i64));
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_sizes_follow_zigzag() {
        assert_eq!(varint_size(0), 1);
        assert_eq!(varint_size(-1), 1);
        assert_eq!(varint_size(63), 1);
        assert_eq!(varint_size(-64), 1);
        assert_eq!(varint_size(64), 2);
        assert_eq!(varint_size(-65), 2);
        assert_eq!(varint_size(8191), 2);
        assert_eq!(varint_size(8192), 3);
        assert_eq!(varint_size(i64::from(i32::MAX)), 5);
        assert_eq!(varint_size(i64::from(i32::MIN)), 5);
        assert_eq!(varint_size(1 << 40), 6);
        assert_eq!(varint_size(i64::MIN), 10);
    }

    #[test]
    fn every_width_of_value_has_its_size() {
        // One value of each bit width, at both ends of the width.
        for bits in 1..=64u32 {
            for zigzag in [1u64 << (bits - 1), u64::MAX >> (64 - bits)] {
                let value = ((zigzag >> 1) as i64) ^ -((zigzag & 1) as i64);
                let mut buf = Vec::new();
                write_varint(&mut buf, value);
                assert_eq!(varint_size(value), buf.len() as u64, "{bits} bits");
                assert_eq!(varint_size(value), u64::from(bits.div_ceil(7)), "{bits} bits");
            }
        }
    }

    #[test]
    fn written_varints_read_back_and_take_their_computed_size() {
        let mut rng = crate::rng::SplitMix64::new(7);
        let mut values = vec![0, -1, 1, 63, -64, 64, i64::MAX, i64::MIN, i64::from(i32::MIN)];
        values.extend((0..2000).map(|i| (rng.next_u64() as i64) >> (i % 64)));
        for v in values {
            let mut buf = Vec::new();
            write_varint(&mut buf, v);
            assert_eq!(buf.len() as u64, varint_size(v), "{v}");
            let mut pos = 0;
            assert_eq!(read_varint(&buf, &mut pos), Some(v));
            assert_eq!(pos, buf.len());
        }
    }

    #[test]
    fn a_cut_or_overlong_varint_reads_as_none() {
        let mut pos = 0;
        assert_eq!(read_varint(&[0x80, 0x80], &mut pos), None);
        let mut pos = 0;
        assert_eq!(read_varint(&[0xff; 11], &mut pos), None);
    }
}
