//! The cases of [`kafka_cases`](crate::kafka_cases) that a scenario script can
//! express, as scripts, so that the Kafka oracle ([`kafka_oracle`](crate::kafka_oracle))
//! runs them through Kafka 4.0.0's own classes as well as through the engine
//! (issue 9). Each entry of [`case_scripts`] has the name of its test in
//! `kafka_cases` and reproduces that test's setup and decisive step(s).
//!
//! How the API calls of `kafka_cases` become script lines:
//!
//! * `append` (Kafka's `A(k,v)`, no timestamp): `produce t ts=-1 k:v`;
//!   `append_to(.., None)`: `produce` without `ts` (the clock's now);
//! * a cap of `C` offset-map slots: `broker log.cleaner.dedupe.buffer.size=24C
//!   log.cleaner.io.buffer.load.factor=0.75` (floor(0.75 C) keys per pass);
//! * `clean(F, ..)` with F the current checkpoint: `clean t/p`;
//! * `set_cleaner_checkpoint(F)` on a fresh log: an earlier `clean t/p` when the
//!   active segment starts at F (after a `roll`, or when a segment filled at F),
//!   over records whose keys are all distinct, so that it removes nothing. Where
//!   Kafka's test uses one key throughout, the keys are made distinct (the sizes
//!   stay the same); the cleaning may merge the small segments below F, which
//!   changes no byte count;
//! * `run_cleaner_iteration`: `clean`; `plan_for`: the selection a `clean` step
//!   reports; `run_retention`: `retention`.
//!
//! Not expressible (tests of `kafka_cases` without a script):
//!
//! * `t11_test_cleaning_beyond_missing_offsets`: needs offset gaps in the dirty
//!   section; a script's gaps come from cleaning, which moves the checkpoint past them.
//! * `t33_test_dirty_offset_reset_if_larger_than_end_offset`: needs a checkpoint
//!   past the log end offset (set by hand; a leader-only log never truncates).
//! * `t47_test_time_based_log_roll_jitter`: Kafka draws the roll jitter from
//!   `ThreadLocalRandom`, so the segment that rolls is not determined.
//!
//! Expressed in part: `t13_test_segment_grouping` (Kafka calls the grouping
//! with explicit bounds; here the bounds are `segment.bytes` and
//! `segment.index.bytes`, altered before the cleaning), `t36_…` (the checkpoint
//! is at the active segment's base, not inside it: a checkpoint comes from a
//! cleaning, which ends at a segment base), `t38_…` (the reset past the log
//! end is left out, as for T33, and so is the `forceUpdateCheckpoint` flag, which
//! a script cannot see), `t10_…` (the engine's test sets the checkpoint
//! back to 0 for its second cleaning; here the expired tombstones lie in the
//! clean section and the last batch before the uncleanable offset is an unkeyed
//! record appended while the policy was `delete`, so that every record of the
//! round is removed and the last batch stays empty).
//!
//! The Kafka tests that `kafka_cases` itself skips (follower appends,
//! transactions, `DeleteRecords`, ...) are listed in its module doc.

use kcp::config::topic_config_keys;

use crate::support::invalid_topic_config_values;

/// The clock's start (2024-01-01T00:00:00Z).
const T0: i64 = 1_704_067_200_000;
const HOUR: i64 = 3_600_000;
const DAY: i64 = 86_400_000;

/// `LogCleanerTest`'s base config (`cleaner.md` §9.0).
const BASE: &str = "cleanup.policy=compact segment.bytes=1024 segment.index.bytes=1024";
/// `LogCleanerManagerTest`'s `createLowRetentionLogConfig`.
const FILTHY: &str = "cleanup.policy=compact segment.bytes=2048 retention.ms=1 min.cleanable.dirty.ratio=0.05";
/// A 25-byte value: with a one-character key, a 94-byte batch.
const V25: &str = "xxxxxxxxxxxxxxxxxxxxxxxxx";

/// The scripts, named after their tests in `kafka_cases`.
pub fn case_scripts() -> Vec<(&'static str, String)> {
    vec![
        // T01: the clean section is recopied without the keys that have later versions.
        ("t01_test_clean_segments", t01()),
        // T02: tombstones remove older values and stay, stamped with a delete horizon.
        ("t02_test_cleaning_with_deletes", t02()),
        // T03: the stats of one round with a map of 3 keys.
        ("t03_test_log_cleaner_stats", t03()),
        // T04: one key per pass: each round stops mid-segment and the next starts there.
        ("t04_test_partial_segment_clean", t04()),
        // T05: a map of 2 keys over [2, 5) ends the round at 4.
        ("t05_test_build_partial_offset_map", t05()),
        // T06: three rounds, each over exactly the segments below the active one.
        ("t06_test_build_offset_map", t06()),
        // T07: min.compaction.lag.ms puts the uncleanable offset at the third segment.
        ("t07_test_cleaning_with_uncleanable_section", t07()),
        // T08: unkeyed records are dropped (and counted) when the log is compacted.
        ("t08_test_cleaning_with_unkeyed_messages", t08()),
        // T09: the delete horizon counts from the cleaning, not the tombstone's timestamp.
        ("t09_test_clean_tombstone", t09()),
        // T10: a round that removes every record keeps its last batch, empty.
        ("t10_test_clean_segments_retaining_last_empty_batch", t10()),
        // T13: segments are grouped by size (inclusive bound) and by index size.
        ("t13_test_segment_grouping", t13()),
        // T32: of three logs, the one with the dirtiest ratio is cleaned.
        (
            "t32_test_grab_filthiest_compacted_log_returns_log_with_dirtiest_ratio",
            t32(),
        ),
        // T34: a checkpoint below the log start offset is reset to it.
        ("t34_test_dirty_offset_reset_if_smaller_than_start_offset", t34()),
        // T36: a checkpoint at the active segment: nothing cleanable, not eligible.
        ("t36_test_dirty_offset_larger_than_active_segment_base_offset", t36()),
        // T37: log start = LEO past the checkpoint: nothing selected, first dirty = log start.
        ("t37_test_checkpoint_updated_for_invalid_offset_no_cleaning", t37a()),
        // T37: a log with an invalid checkpoint is not selected, another log is.
        ("t37_test_checkpoint_updated_for_invalid_offset_not_selected", t37b()),
        // T38: a valid checkpoint is kept; one below the log start is reset to it.
        ("t38_test_cleanable_offsets_needs_checkpoint_reset", t38()),
        // T39: the cleanable range ends at the active segment's base.
        ("t39_test_cleanable_offsets_active_segment", t39()),
        // T40: the first segment newer than the min lag bounds the range.
        ("t40_test_cleanable_offsets_for_time", t40()),
        // T41: everything older than the min lag: the active segment bounds the range.
        ("t41_test_cleanable_offsets_for_short_time", t41()),
        // T43: F = U = active base: the total bytes are everything but the active segment.
        ("t43_test_log_to_clean", t43a()),
        // T43: an uncleanable section made by the min lag; dirty ratio exactly 0.5.
        ("t43_test_log_to_clean_with_uncleanable_section", t43b()),
        // T44: the cleaner's deletion pass leaves `delete` logs to the retention check.
        (
            "t44_test_logs_with_segments_to_delete_should_not_consider_cleanup_policy_delete_logs",
            t44_delete(),
        ),
        // T44: `compact,delete` logs are retention-checked by the cleaner, not the retention check.
        (
            "t44_test_logs_with_segments_to_delete_should_consider_cleanup_policy_compact_delete_logs",
            t44_compact_delete(),
        ),
        // T44: retention.ms does not apply to `compact` logs, in either pass.
        (
            "t44_test_logs_with_segments_to_delete_should_consider_cleanup_policy_compact_logs",
            t44_compact(),
        ),
        // T46: segment.ms rolls by wall clock or by record timestamps.
        ("t46_test_time_based_log_roll_during_append", t46()),
        // T48: segment.bytes rolls before the batch that would not fit.
        ("t48_test_size_based_log_roll", t48()),
        // T49: a compacted topic refuses an unkeyed record and takes a keyed one.
        ("t49_test_compacted_topic_constraints", t49()),
        // T50: min.compaction.lag.ms above max.compaction.lag.ms is refused, on create and alter.
        ("t50_test_invalid_compaction_lag_config", t50_lag()),
        // T50: an invalid value of every topic config is refused, with Kafka's words.
        ("t50_test_from_props_invalid", t50_props()),
        // T51: nothing is cleaned within the min lag; after it, the first block is.
        ("t51_log_cleaner_lag_integration_test_cleaner_test", t51()),
        // T52: with ratio 1.0 only max.compaction.lag.ms triggers cleaning.
        ("t52_test_max_log_compaction_lag", t52()),
        // T53: the cleaner threads keep each key's latest value at its offset.
        ("t53_log_cleaner_parameterized_integration_test_cleaner_test", t53()),
        // T54: `compact,delete`: compaction, then retention empties the log, then compaction.
        ("t54_test_cleans_combined_compact_and_delete_topic", t54()),
        // D1: a tombstone is stamped, kept before its horizon, removed at it.
        ("d1_tombstone_life_cycle", d1()),
        // D2: a segment holding F counts in both the clean and the cleanable bytes.
        ("d2_double_counting", d2()),
        // D3: a fetch at a removed offset starts at the next record; past the LEO, out of range.
        ("d3_read_at_removed_offsets", d3()),
        // D4: a `compact,delete` topic refuses an unkeyed record.
        ("d4_null_key", d4()),
        // §4.5: a ratio equal to min.cleanable.dirty.ratio is not eligible; just above, it is.
        (
            "a_dirty_ratio_equal_to_min_cleanable_dirty_ratio_is_not_eligible",
            ratio_equal_to_threshold(),
        ),
        // §4.5: ratio 0 is not eligible, even with min.cleanable.dirty.ratio 0.
        (
            "a_zero_dirty_ratio_is_not_eligible_even_with_min_cleanable_dirty_ratio_zero",
            zero_ratio(),
        ),
        // §4.5: equal ratios are cleaned in (topic, partition) order.
        (
            "equal_dirty_ratios_choose_the_first_partition_in_topic_partition_order",
            equal_ratios(),
        ),
        // §4.4: max.compaction.lag.ms makes a log eligible only once strictly exceeded.
        (
            "max_compaction_lag_makes_a_log_eligible_only_once_exceeded",
            max_lag_exceeded(),
        ),
        // §4.4: records without timestamps never make a log overdue.
        (
            "records_without_timestamps_never_exceed_max_compaction_lag",
            max_lag_no_timestamps(),
        ),
        // §4.5: an overdue log is not preferred over a dirtier one.
        (
            "a_log_past_max_compaction_lag_is_not_preferred_over_a_dirtier_log",
            overdue_not_preferred(),
        ),
        // §5.1: a full map stops the scan even at a key it already holds.
        (
            "a_full_offset_map_stops_even_at_a_key_it_already_holds",
            full_offset_map(),
        ),
        // §4.2: min.compaction.lag.ms protects a segment until exactly the lag old.
        (
            "min_compaction_lag_protects_a_segment_until_it_is_exactly_the_lag_old",
            min_lag_boundary(),
        ),
    ]
}

/// A script, line by line.
#[derive(Default)]
struct S(String);

impl S {
    fn l(&mut self, line: impl AsRef<str>) -> &mut Self {
        self.0.push_str(line.as_ref());
        self.0.push('\n');
        self
    }

    /// `produce <tp> ts=-1 <o>:<o>` for each offset `o` (`fill_with_offsets`).
    fn offsets(&mut self, tp: &str, range: std::ops::Range<i64>) -> &mut Self {
        for o in range {
            self.l(format!("produce {tp} ts=-1 {o}:{o}"));
        }
        self
    }

    /// The same, stamped with the clock's now (`fill_with_offsets_at(now)`).
    fn offsets_now(&mut self, tp: &str, range: std::ops::Range<i64>) -> &mut Self {
        for o in range {
            self.l(format!("produce {tp} {o}:{o}"));
        }
        self
    }

    /// `key-<o>:value-<o>` for each offset (`ts`: `""` or `"ts=... "`), with a
    /// roll after each offset for which `roll_after` holds.
    fn filthy(
        &mut self,
        tp: &str,
        range: std::ops::Range<i64>,
        ts: &str,
        roll_after: impl Fn(i64) -> bool,
    ) -> &mut Self {
        for o in range {
            self.l(format!("produce {tp} {ts}key-{o}:value-{o}"));
            if roll_after(o) {
                self.l(format!("roll {tp}"));
            }
        }
        self
    }

    /// `writeDups(keys, dups)`: values from `counter` on.
    fn dups(&mut self, keys: u32, dups: u32, ts: &str, counter: &mut u64) -> &mut Self {
        for _ in 0..dups {
            for k in 0..keys {
                self.l(format!("produce t {ts}{k}:{counter}"));
                *counter += 1;
            }
        }
        self
    }

    fn done(&mut self) -> String {
        std::mem::take(&mut self.0)
    }
}

/// A map of `slots` slots at load factor 0.75, as `LogCleanerTest`'s cleaner.
fn map_slots(slots: u32) -> String {
    format!(
        "broker log.cleaner.dedupe.buffer.size={} log.cleaner.io.buffer.load.factor=0.75",
        24 * slots
    )
}

fn ts(ms: i64) -> String {
    format!("ts={ms} ")
}

// ---------------------------------------------------------------- 9.1 core

fn t01() -> String {
    let mut s = S::default();
    s.l(format!("topic t {BASE}")).offsets("t", 0..43).l("roll t");
    // Checkpoint 43: the keys of [0, 43) are distinct, nothing is removed.
    s.l("clean t/0");
    for (k, o) in [1, 3, 5, 7, 9].into_iter().zip(43..) {
        s.l(format!("produce t ts=-1 {k}:{o}"));
    }
    s.l("roll t").l("clean t/0").done()
}

fn t02() -> String {
    let mut s = S::default();
    s.l(format!("topic t {BASE}")).offsets("t", 0..15);
    for k in (0..15).step_by(2) {
        s.l(format!("tombstone t ts=-1 {k}"));
    }
    s.offsets("t", 23..43).l("clean t/0").done()
}

/// `(0,0) (1,1)`, a roll and a cleaning (checkpoint 2), then `(0,0) (1,1) (0,0)`.
fn five_records_checkpoint_at_2() -> S {
    let mut s = S::default();
    s.l(format!("topic t {BASE}"))
        .l("produce t ts=-1 0:0")
        .l("produce t ts=-1 1:1")
        .l("roll t")
        .l("clean t/0")
        .l("produce t ts=-1 0:0")
        .l("produce t ts=-1 1:1")
        .l("produce t ts=-1 0:0")
        .l("roll t");
    s
}

fn t03() -> String {
    five_records_checkpoint_at_2().l(map_slots(4)).l("clean t/0").done()
}

fn t04() -> String {
    five_records_checkpoint_at_2()
        .l(map_slots(2))
        .l("clean t/0")
        .l("clean t/0")
        .l("clean t/0")
        .done()
}

fn t05() -> String {
    let mut s = S::default();
    s.l(format!("topic t {BASE}"))
        .offsets("t", 0..2)
        .l("roll t")
        .l("clean t/0")
        .offsets("t", 2..5)
        .l("roll t")
        .l(map_slots(3))
        .l("clean t/0")
        .done()
}

fn t06() -> String {
    let mut s = S::default();
    s.l(format!("topic t {BASE}")).l(map_slots(1000));
    s.offsets("t", 0..15).l("clean t/0");
    s.offsets("t", 15..43).l("clean t/0");
    s.offsets("t", 43..500).l("roll t").l("clean t/0").done()
}

fn t07() -> String {
    let mut s = S::default();
    s.l(format!("topic t {BASE} min.compaction.lag.ms=3600000"));
    for o in 0..29 {
        s.l(format!("produce t {}:{o}", o % 10));
    }
    s.l(format!("advance {}ms", HOUR + 1));
    for o in 29..71 {
        s.l(format!("produce t {}:{o}", o % 10));
    }
    s.l("clean t/0").done()
}

fn t08() -> String {
    let mut s = S::default();
    s.l("topic t cleanup.policy=delete segment.bytes=1024 segment.index.bytes=1024");
    for o in 0..15 {
        s.l(format!("produce t ts=-1 NULL:{o}"));
    }
    s.offsets("t", 15..29)
        .l("alter t cleanup.policy=compact")
        .l("clean t/0")
        .done()
}

fn t09() -> String {
    let mut s = S::default();
    s.l("topic t cleanup.policy=compact message.timestamp.after.max.ms=9223372036854775807")
        .l(map_slots(10))
        .l(format!("produce t {}0:0", ts(T0 + DAY + 10_000)))
        .l("roll t")
        .l("clean t/0")
        .l(format!("tombstone t {}0", ts(T0 - DAY - 10_000)))
        .l("roll t")
        .l("clean t/0")
        .l("produce t 1:1")
        .l("roll t")
        .l("clean t/0")
        .done()
}

fn t10() -> String {
    let mut s = S::default();
    s.l(format!("topic t {BASE}")).offsets("t", 0..43);
    for k in 0..43 {
        s.l(format!("tombstone t ts=-1 {k}"));
    }
    s.l("roll t").l("clean t/0").l("advance 1d");
    // Twice: a round whose every record goes (expired tombstones below F, an
    // unkeyed record in [F, U)); the second merges the emptied segments.
    for o in [86, 87] {
        s.l("alter t cleanup.policy=delete")
            .l(format!("produce t ts=-1 NULL:{o}"))
            .l("roll t")
            .l("alter t cleanup.policy=compact")
            .l("clean t/0");
    }
    s.done()
}

// ------------------------------------------------------------ 9.2 grouping

fn t13() -> String {
    let mut s = S::default();
    for topic in ["a", "b", "c"] {
        s.l(format!(
            "topic {topic} cleanup.policy=compact segment.bytes=300 segment.index.bytes=1024 index.interval.bytes=1"
        ));
        // Three 78-byte batches per segment, 10 segments.
        for _ in 0..28 {
            s.l(format!("produce {topic} ts=-1 hello:hello"));
        }
    }
    // 702 = exactly three segments (inclusive); 701: two; 49 = three segments' indexes + 1.
    s.l("alter a segment.bytes=702")
        .l("alter b segment.bytes=701")
        .l("alter c segment.bytes=2147483647 segment.index.bytes=49")
        .l("clean a/0")
        .l("clean b/0")
        .l("clean c/0")
        .done()
}

// ------------------------------------------------- 9.5 selection and range

fn t32() -> String {
    let mut s = S::default();
    s.l(format!("topic wishing-well partitions=3 {FILTHY}"));
    for (p, n) in [(0, 20), (1, 25), (2, 30)] {
        let tp = format!("wishing-well/{p}");
        // writeRecords(n, 1, 5), with a roll at 20 for the checkpoint.
        s.filthy(&tp, 0..20, "", |o| o % 5 == 0)
            .l(format!("roll {tp}"))
            .l(format!("clean {tp}"));
        if n > 20 {
            s.filthy(&tp, 20..n, "", |o| o % 5 == 0).l(format!("roll {tp}"));
        }
    }
    s.l("clean").done()
}

fn t34() -> String {
    let old = ts(T0 - 2 * DAY);
    let mut s = S::default();
    s.l("topic foo cleanup.policy=compact segment.bytes=2048 retention.ms=86400000 min.cleanable.dirty.ratio=0.05")
        .filthy("foo/0", 0..5, &old, |o| o % 5 == 4)
        .l("clean foo/0")
        .filthy("foo/0", 5..10, &old, |o| o % 5 == 4)
        .filthy("foo/0", 10..20, "", |o| o % 5 == 4)
        .l("alter foo cleanup.policy=delete")
        .l("retention")
        .l("alter foo cleanup.policy=compact")
        .l("clean")
        .done()
}

fn t36() -> String {
    let mut s = S::default();
    s.l(format!("topic foo {FILTHY}"))
        .filthy("foo/0", 0..3, "", |_| false)
        .l("roll foo")
        .l("clean foo/0")
        .filthy("foo/0", 3..6, "", |_| false)
        .l("clean")
        .done()
}

fn t37a() -> String {
    let mut s = S::default();
    s.l(format!("topic foo {FILTHY}"))
        .filthy("foo/0", 0..16, "", |o| o % 5 == 0)
        .l("clean foo/0")
        .filthy("foo/0", 16..20, "", |o| o % 5 == 0)
        .l("roll foo")
        .l("alter foo cleanup.policy=delete")
        .l("advance 2ms")
        .l("retention")
        .l("alter foo cleanup.policy=compact")
        .l("clean")
        .done()
}

fn t37b() -> String {
    let old = ts(T0 - 2 * DAY);
    let mut s = S::default();
    s.l("topic foo partitions=2 cleanup.policy=compact segment.bytes=2048 retention.ms=86400000 min.cleanable.dirty.ratio=0.05")
        .filthy("foo/0", 0..10, &old, |o| o % 5 == 4)
        .l("clean foo/0")
        .filthy("foo/0", 10..15, &old, |o| o % 5 == 4)
        .filthy("foo/0", 15..20, "", |_| false)
        .filthy("foo/1", 0..6, "", |o| o % 5 == 0)
        .l("clean foo/1")
        .filthy("foo/1", 6..25, "", |o| o % 5 == 0)
        .l("roll foo/1")
        .l("alter foo cleanup.policy=delete")
        .l("retention")
        .l("alter foo cleanup.policy=compact")
        .l("clean")
        .done()
}

fn t38() -> String {
    let old = ts(T0 - 2 * DAY);
    let mut s = S::default();
    // 500-byte segments: five records fit, two five-record segments do not
    // merge, so the old and the new records stay in separate segments.
    s.l("topic foo cleanup.policy=compact segment.bytes=500 retention.ms=86400000 min.cleanable.dirty.ratio=0.05")
        .filthy("foo/0", 0..10, &old, |o| o % 5 == 4)
        .filthy("foo/0", 10..15, "", |o| o % 5 == 4)
        .l("clean foo/0")
        .l("alter foo cleanup.policy=delete")
        .l("retention")
        .l("alter foo cleanup.policy=compact")
        // Checkpoint 15 above the log start 10: kept.
        .l("clean")
        .filthy("foo/0", 15..20, "", |o| o % 5 == 4)
        .l("alter foo cleanup.policy=delete")
        .l("advance 2d")
        .l("retention")
        .l("alter foo cleanup.policy=compact")
        // Checkpoint 15 below the log start 20: reset.
        .l("clean")
        .filthy("foo/0", 20..30, "", |o| o % 5 == 4)
        .l("clean")
        .done()
}

fn t39() -> String {
    let mut s = S::default();
    s.l(format!("topic t {BASE}")).offsets_now("t", 0..99).l("clean").done()
}

fn t40() -> String {
    let mut s = S::default();
    s.l(format!("topic t {BASE} min.compaction.lag.ms=3600000"))
        .offsets_now("t", 0..43)
        .l(format!("advance {}ms", HOUR + 1))
        .offsets_now("t", 43..99)
        .l("clean")
        .done()
}

fn t41() -> String {
    let mut s = S::default();
    s.l(format!("topic t {BASE} min.compaction.lag.ms=3600000"))
        .offsets_now("t", 0..99)
        .l(format!("advance {}ms", HOUR + 1))
        .l("clean")
        .done()
}

/// One 94-byte batch per segment (segment.bytes 100), key `k`.
fn batch_94(s: &mut S, topic: &str, ts: &str, k: u32) {
    s.l(format!("produce {topic} {ts}{k}:{V25}"));
}

fn t43a() -> String {
    let mut s = S::default();
    s.l("topic t cleanup.policy=compact segment.bytes=100");
    for k in 1..=6 {
        batch_94(&mut s, "t", "ts=-1 ", k);
    }
    s.l("clean t/0").l("clean").done()
}

fn t43b() -> String {
    let old = ts(T0 - 2 * HOUR);
    let mut s = S::default();
    s.l("topic t cleanup.policy=compact segment.bytes=100 min.compaction.lag.ms=3600000");
    for k in 1..=3 {
        batch_94(&mut s, "t", &old, k);
    }
    s.l("clean t/0");
    batch_94(&mut s, "t", &old, 4);
    batch_94(&mut s, "t", "", 5);
    batch_94(&mut s, "t", "", 6);
    s.l("clean").done()
}

fn t44_delete() -> String {
    let mut s = S::default();
    s.l("topic log cleanup.policy=delete segment.bytes=360 retention.ms=1");
    for _ in 0..6 {
        s.l("produce log NULL:test");
    }
    s.l("advance 2ms").l("clean").l("retention").done()
}

fn t44_compact_delete() -> String {
    let mut s = S::default();
    s.l("topic log cleanup.policy=compact,delete segment.bytes=380 retention.ms=1");
    for _ in 0..6 {
        s.l("produce log test:test");
    }
    s.l("advance 2ms").l("retention").l("clean").done()
}

fn t44_compact() -> String {
    let mut s = S::default();
    s.l("topic log cleanup.policy=compact segment.bytes=380 retention.ms=1");
    for _ in 0..6 {
        s.l("produce log test:test");
    }
    s.l("advance 2ms").l("retention").l("clean").done()
}

// --------------------------------------------------- 9.6 rolling, produce

fn t46() -> String {
    let step = 3601;
    let t = T0 + 4 * step;
    let mut s = S::default();
    s.l("topic t segment.ms=3600")
        .l(format!("advance {step}ms"))
        .l("produce t ts=-1 NULL:test")
        .l("produce t ts=-1 NULL:test");
    for _ in 3..5 {
        s.l(format!("advance {step}ms")).l("produce t ts=-1 NULL:test");
    }
    s.l(format!("produce t ts={t} NULL:test"))
        .l(format!("advance {step}ms"))
        .l(format!("produce t ts={t} NULL:test"))
        .l(format!("advance {step}ms"))
        .l(format!("produce t ts={t} NULL:test"))
        .l("produce t NULL:test")
        .done()
}

fn t48() -> String {
    let mut s = S::default();
    s.l("topic t segment.bytes=710");
    for _ in 0..11 {
        s.l("produce t NULL:test");
    }
    s.done()
}

fn t49() -> String {
    S::default()
        .l("topic t cleanup.policy=compact")
        .l("produce t NULL:v")
        .l("produce t k:v")
        .done()
}

fn t50_lag() -> String {
    S::default()
        .l("topic t max.compaction.lag.ms=100 min.compaction.lag.ms=200")
        .l("topic t max.compaction.lag.ms=100")
        .l("alter t min.compaction.lag.ms=200")
        .done()
}

fn t50_props() -> String {
    let mut s = S::default();
    for key in topic_config_keys() {
        for bad in invalid_topic_config_values(key.name) {
            // A script's words have no blanks.
            s.l(format!("topic t {}={}", key.name, bad.replace(' ', "_")));
        }
    }
    s.l("topic ok retention.ms=-1 retention.bytes=-1").done()
}

// --------------------------------------------------------- 9.7 integrated

fn t51() -> String {
    let mut counter = 0;
    let mut s = S::default();
    s.l("topic t cleanup.policy=compact min.compaction.lag.ms=3600000 min.cleanable.dirty.ratio=0 segment.bytes=512")
        .dups(100, 3, "", &mut counter)
        .l(format!("advance {}ms", HOUR / 2))
        .l("clean")
        .l(format!("advance {}ms", HOUR / 2 + 1))
        .dups(100, 3, "", &mut counter)
        .l("clean")
        .l("clean")
        .done()
}

fn t52() -> String {
    let mut counter = 0;
    let mut s = S::default();
    s.l("topic t cleanup.policy=compact min.compaction.lag.ms=3600000 max.compaction.lag.ms=21600000 min.cleanable.dirty.ratio=1.0 segment.bytes=512")
        .dups(100, 3, "", &mut counter)
        .l("advance 3h")
        .l("clean")
        .l(format!("advance {}ms", 3 * HOUR + 1));
    for k in 0..100 {
        s.l(format!("produce t {k}:0"));
    }
    s.l("roll t")
        .l("clean")
        .l("clean")
        .l(format!("advance {}ms", 6 * HOUR + 1))
        .l("clean")
        .done()
}

fn t53() -> String {
    let mut counter = 0;
    let mut s = S::default();
    s.l("topic t cleanup.policy=compact min.cleanable.dirty.ratio=0 segment.bytes=2048 max.message.bytes=128")
        .dups(100, 3, "ts=-1 ", &mut counter);
    for _ in 0..4 {
        s.l("clean");
    }
    s.done()
}

fn t54() -> String {
    let mut counter = 0;
    let mut s = S::default();
    s.l("topic t cleanup.policy=compact,delete retention.ms=100000 min.cleanable.dirty.ratio=0 segment.bytes=2048")
        .dups(100, 3, "ts=-1 ", &mut counter)
        .l("clean")
        .l("clean")
        .l("clean")
        .l("advance 200s")
        .l("clean")
        .dups(20, 3, "ts=-1 ", &mut counter)
        .l("clean")
        .l("clean")
        .l("clean")
        .done()
}

// --------------------------------------------------------- 9.8 derived

/// D1: the tombstone life cycle with delete.retention.ms 1000.
fn tombstone_life_cycle() -> S {
    let mut s = S::default();
    s.l("topic t cleanup.policy=compact delete.retention.ms=1000 min.cleanable.dirty.ratio=0.01")
        .l("clock 0")
        .l("produce t ts=-1 k1:v1")
        .l("tombstone t ts=-1 k1")
        .l("roll t")
        .l("clock 100")
        .l("clean")
        .l("produce t ts=-1 k2:v2")
        .l("roll t")
        .l("clock 500")
        .l("clean")
        .l("produce t ts=-1 k3:v3")
        .l("roll t")
        .l("clock 1100")
        // With the default ratio 0.5 the last cleaning would not be selected.
        .l("alter t min.cleanable.dirty.ratio=0.5")
        .l("clean")
        .l("alter t min.cleanable.dirty.ratio=0.01")
        .l("clean");
    s
}

fn d1() -> String {
    tombstone_life_cycle().done()
}

fn d2() -> String {
    five_records_checkpoint_at_2()
        .l(map_slots(2))
        .l("clean t/0")
        .l("clean")
        .done()
}

fn d3() -> String {
    tombstone_life_cycle()
        .l("consume t/0 from=0 max=10")
        .l("consume t/0 from=1 max=10")
        .l("consume t/0 from=2 max=10")
        .l("consume t/0 from=4 max=10")
        .l("consume t/0 from=5 max=10")
        .done()
}

fn d4() -> String {
    S::default()
        .l("topic t cleanup.policy=compact,delete")
        .l("produce t ts=-1 k:v")
        .l("produce t NULL:v")
        .done()
}

// ------------------------------------------------ selection boundaries

fn ratio_equal_to_threshold() -> String {
    let mut s = S::default();
    s.l("topic t cleanup.policy=compact segment.bytes=100 min.cleanable.dirty.ratio=0.5");
    for k in 1..=3 {
        batch_94(&mut s, "t", "ts=-1 ", k);
    }
    s.l("clean t/0");
    for k in 4..=5 {
        batch_94(&mut s, "t", "ts=-1 ", k);
    }
    s.l("clean")
        .l("alter t min.cleanable.dirty.ratio=0.49")
        .l("clean")
        .done()
}

fn zero_ratio() -> String {
    S::default()
        .l("topic t cleanup.policy=compact min.cleanable.dirty.ratio=0")
        .l("produce t ts=-1 k:0")
        .l("produce t ts=-1 k:1")
        .l("produce t ts=-1 k:2")
        .l("roll t")
        .l("clean")
        .l("clean")
        .done()
}

fn equal_ratios() -> String {
    let mut s = S::default();
    for topic in ["b", "a"] {
        s.l(format!("topic {topic} partitions=2 cleanup.policy=compact"));
        for p in 0..2 {
            for v in 0..3 {
                s.l(format!("produce {topic}/{p} ts=-1 k:{v}"));
            }
            s.l(format!("roll {topic}/{p}"));
        }
    }
    for _ in 0..5 {
        s.l("clean");
    }
    s.done()
}

fn max_lag_exceeded() -> String {
    S::default()
        .l("topic t cleanup.policy=compact min.cleanable.dirty.ratio=1.0 max.compaction.lag.ms=3600000")
        .l("produce t k:0")
        .l("produce t k:1")
        .l("produce t k:2")
        .l("roll t")
        .l("clean")
        .l("advance 1h")
        .l("clean")
        .l("advance 1ms")
        .l("clean")
        .done()
}

fn max_lag_no_timestamps() -> String {
    S::default()
        .l("topic t cleanup.policy=compact min.cleanable.dirty.ratio=1.0 max.compaction.lag.ms=1")
        .l("produce t ts=-1 k:0")
        .l("produce t ts=-1 k:1")
        .l("produce t ts=-1 k:2")
        .l("roll t")
        .l("advance 1d")
        .l("clean")
        .done()
}

fn overdue_not_preferred() -> String {
    let mut s = S::default();
    // a: F = 2, U = 4, ratio 0.5, overdue after the hour.
    s.l("topic a cleanup.policy=compact segment.bytes=100 min.cleanable.dirty.ratio=0.9 max.compaction.lag.ms=3600000");
    for k in 1..=3 {
        batch_94(&mut s, "a", "", k);
    }
    s.l("clean a/0");
    for k in 4..=5 {
        batch_94(&mut s, "a", "", k);
    }
    // b: F = 2, U = 5, ratio 0.6, no timestamps.
    s.l("topic b cleanup.policy=compact segment.bytes=100 min.cleanable.dirty.ratio=0.1");
    for k in 1..=3 {
        batch_94(&mut s, "b", "ts=-1 ", k);
    }
    s.l("clean b/0");
    for k in 4..=6 {
        batch_94(&mut s, "b", "ts=-1 ", k);
    }
    s.l(format!("advance {}ms", HOUR + 1)).l("clean").l("clean").done()
}

fn full_offset_map() -> String {
    S::default()
        .l(format!("topic t {BASE}"))
        .l("produce t ts=-1 0:0")
        .l("produce t ts=-1 0:1")
        .l("produce t ts=-1 1:2")
        .l("roll t")
        .l(map_slots(2))
        .l("clean t/0")
        .l("clean t/0")
        .done()
}

fn min_lag_boundary() -> String {
    S::default()
        .l(format!("topic t {BASE} min.compaction.lag.ms=3600000"))
        .l("produce t k:0")
        .l("produce t k:1")
        .l("produce t k:2")
        .l("roll t")
        .l(format!("advance {}ms", HOUR - 1))
        .l("clean")
        .l("advance 1ms")
        .l("clean")
        .done()
}
