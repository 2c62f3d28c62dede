//! Kafka's small text files beside the segments: checkpoints and partition
//! metadata.
//!
//! Models `OffsetCheckpointFile` (`cleaner-offset-checkpoint`,
//! `log-start-offset-checkpoint`, `recovery-point-offset-checkpoint`,
//! `replication-offset-checkpoint`: version 0, a count, then `topic
//! partition offset` lines), `LeaderEpochCheckpointFile` (version 0, a count,
//! then `epoch startOffset` lines) and `PartitionMetadataFile`
//! (`version: 0\ntopic_id: <uuid>`, no final newline), all written by
//! `CheckpointFile` with `\n` line ends.
//!
//! Simplified: Kafka writes an offset checkpoint from a hash map, so its
//! line order is the map's; here lines are sorted by topic and partition
//! (readers do not depend on the order). A topic's id is not random: it is
//! derived from its name ([`topic_id`]) so that an export is deterministic.

use std::fmt::Write as _;

use base64::Engine as _;

/// `OffsetCheckpointFile`'s text for `(topic, partition, offset)` entries.
pub fn offset_checkpoint(entries: &[(&str, u32, i64)]) -> String {
    let mut sorted = entries.to_vec();
    sorted.sort();
    let mut out = format!("0\n{}\n", sorted.len());
    for (topic, partition, offset) in sorted {
        let _ = writeln!(out, "{topic} {partition} {offset}");
    }
    out
}

/// `LeaderEpochCheckpointFile`'s text for `(epoch, start offset)` entries.
pub fn leader_epoch_checkpoint(entries: &[(i32, i64)]) -> String {
    let mut out = format!("0\n{}\n", entries.len());
    for (epoch, start) in entries {
        let _ = writeln!(out, "{epoch} {start}");
    }
    out
}

/// `PartitionMetadata.encode`: the topic id in `Uuid.toString` form.
pub fn partition_metadata(topic_id: &str) -> String {
    format!("version: 0\ntopic_id: {topic_id}")
}

/// A deterministic topic id for `topic`: a version-4-shaped UUID from two
/// 64-bit FNV-1a digests of the name, as `Uuid.toString` prints it
/// (base64url, no padding). Never one of Kafka's reserved ids (zero,
/// `METADATA_TOPIC_ID` = 1), and never starting with '-', which
/// `Uuid.randomUuid` also avoids.
pub fn topic_id(topic: &str) -> String {
    let digest = |seed: u64| {
        let mut h = seed;
        for b in topic.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        // A final avalanche (SplitMix64's), so that close names differ widely.
        h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        h ^ (h >> 31)
    };
    let mut msb = digest(0xcbf2_9ce4_8422_2325);
    let lsb = digest(0x6b61_666b_6121_2121) & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000;
    msb = (msb & !0xF000) | 0x4000;
    // Base64url's '-' is 62 (0b111110) in the first six bits; clearing the
    // top bit keeps the first character out of '-' and '_'.
    msb &= 0x7FFF_FFFF_FFFF_FFFF;
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&msb.to_be_bytes());
    bytes[8..].copy_from_slice(&lsb.to_be_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_checkpoints_are_version_count_and_sorted_lines() {
        assert_eq!(offset_checkpoint(&[]), "0\n0\n");
        assert_eq!(
            offset_checkpoint(&[("orders", 1, 0), ("orders", 0, 1500)]),
            "0\n2\norders 0 1500\norders 1 0\n"
        );
    }

    #[test]
    fn leader_epoch_checkpoint_lists_epoch_starts() {
        assert_eq!(leader_epoch_checkpoint(&[(0, 0), (1, 6)]), "0\n2\n0 0\n1 6\n");
    }

    #[test]
    fn topic_ids_are_stable_distinct_kafka_uuids() {
        let a = topic_id("orders");
        assert_eq!(a, topic_id("orders"));
        assert_ne!(a, topic_id("orders2"));
        assert_eq!(a.len(), 22);
        assert!(!a.starts_with(['-', '_']));
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_eq!(partition_metadata(&a), format!("version: 0\ntopic_id: {a}"));
    }
}
