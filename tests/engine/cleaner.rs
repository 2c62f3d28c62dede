//! The log cleaner beyond Kafka's test catalogue: grouping, empty segments,
//! tombstone phases, `compact,delete` retention in the cleaner thread,
//! unkeyed records after a policy change, checkpoint resets, the stats and
//! the report (cleaner.md §4, §5, §7, §8).

use crate::support::*;
use kcp::report::cleaner_report;

#[test]
fn cleaning_recopies_the_whole_log_and_merges_segments_up_to_segment_bytes() {
    let mut b = Broker::with_topic("t", &[("cleanup.policy", "compact"), ("segment.bytes", "300")]);
    // 4 records of 70 bytes fit a 300-byte segment; keys alternate a, b.
    for i in 0..12 {
        b.append("t", if i % 2 == 0 { "a" } else { "b" }, "v");
    }
    b.roll_partition("t", 0);
    assert_eq!(segment_bases(b.log("t", 0)), vec![0, 4, 8, 12]);
    let c = b.clean_now("t", 0).unwrap();
    // Groups are formed on pre-clean sizes: 280 + 280 > 300, so no merging;
    // the first two segments are left empty.
    assert_eq!(c.groups, vec![vec![0], vec![4], vec![8]]);
    assert_eq!(layout(b.log("t", 0)), vec![(0, 0), (4, 0), (8, 140), (12, 0)]);
    assert_eq!(offsets(b.log("t", 0)), vec![10, 11]);
    // The next round merges them, up to segment.bytes; base offsets are
    // kept, never created.
    b.append("t", "c", "v");
    b.roll_partition("t", 0);
    let c = b.clean_now("t", 0).unwrap();
    assert_eq!(c.groups, vec![vec![0, 4, 8, 12]]);
    assert_eq!(layout(b.log("t", 0)), vec![(0, 210), (13, 0)]);
    assert_eq!(offsets(b.log("t", 0)), vec![10, 11, 12]);
}

#[test]
fn a_segment_whose_records_all_go_stays_as_an_empty_segment_until_merged() {
    let mut b = Broker::with_topic("t", &[("cleanup.policy", "compact"), ("segment.bytes", "140")]);
    for k in ["a", "b", "a", "b", "c", "d"] {
        b.append("t", k, "v");
    }
    b.roll_partition("t", 0);
    b.clean_now("t", 0).unwrap();
    // Segment 0 held a@0, b@1, both superseded: it stays, empty.
    assert_eq!(layout(b.log("t", 0))[0], (0, 0));
    assert_eq!(offsets(b.log("t", 0)), vec![2, 3, 4, 5]);
}

#[test]
fn a_tombstone_is_stamped_by_the_first_cleaning_and_removed_by_one_after_its_horizon() {
    let mut b = Broker::with_topic("t", &[("cleanup.policy", "compact"), ("delete.retention.ms", "1000")]);
    b.append("t", "k", "v");
    b.tombstone("t", "k");
    b.append("t", "x", "v");
    b.roll_partition("t", 0);
    let c = b.clean_now("t", 0).unwrap();
    assert_eq!(c.stats.tombstones_stamped, 1);
    assert_eq!(c.delete_horizon_ms, kcp::clock::START_MS + 1000);
    let batch = &b.log("t", 0).segments()[0].batches()[0];
    assert_eq!(
        (batch.base_offset(), batch.delete_horizon_ms()),
        (1, Some(kcp::clock::START_MS + 1000))
    );
    // Stamping re-bases the timestamp delta: the batch grew.
    assert!(batch.size_bytes() > 69, "{}", batch.size_bytes());
    // At the horizon exactly the tombstone goes (retain iff now < horizon).
    b.advance_ms(999).unwrap();
    b.set_cleaner_checkpoint("t", 0, 0).unwrap();
    b.clean_now("t", 0).unwrap();
    assert_eq!(tombstone_offsets(b.log("t", 0)), vec![1]);
    b.advance_ms(1).unwrap();
    b.set_cleaner_checkpoint("t", 0, 0).unwrap();
    let c = b.clean_now("t", 0).unwrap();
    assert_eq!(c.stats.tombstones_removed, 1);
    assert_eq!(tombstone_offsets(b.log("t", 0)), Vec::<i64>::new());
    // The last batch of the round (x@2) stays; nothing else.
    assert_eq!(offsets(b.log("t", 0)), vec![2]);
}

#[test]
fn with_delete_retention_zero_a_tombstone_survives_exactly_one_cleaning() {
    let mut b = Broker::with_topic("t", &[("cleanup.policy", "compact"), ("delete.retention.ms", "0")]);
    b.append("t", "k", "v");
    b.tombstone("t", "k");
    b.roll_partition("t", 0);
    b.clean_now("t", 0).unwrap();
    assert_eq!(tombstone_offsets(b.log("t", 0)), vec![1]);
    b.set_cleaner_checkpoint("t", 0, 0).unwrap();
    b.clean_now("t", 0).unwrap();
    assert_eq!(tombstone_offsets(b.log("t", 0)), Vec::<i64>::new());
    // The emptied last batch of the round is kept as a bare header.
    assert_eq!(batch_last(b.log("t", 0)), vec![1]);
    assert_eq!(b.log("t", 0).segments()[0].size_bytes(), 61);
}

#[test]
fn unkeyed_records_left_by_a_policy_change_are_dropped_and_counted_as_invalid() {
    let mut b = Broker::with_topic("t", &[("cleanup.policy", "delete")]);
    b.append_unkeyed("t", "u1");
    b.append_unkeyed("t", "u2");
    b.append("t", "k", "v");
    b.alter_topic("t", &[("cleanup.policy", "compact")]).unwrap();
    b.roll_partition("t", 0);
    let c = b.clean_now("t", 0).unwrap();
    assert_eq!(c.stats.invalid_messages_read, 2);
    assert_eq!(unkeyed_offsets(b.log("t", 0)), Vec::<i64>::new());
    let run = b.clone().lm.clean_partition("t", 0).unwrap();
    assert!(run.cleaned.is_none(), "nothing dirty is left");
    let report = cleaner_report(&kcp::log_manager::CleanerRun {
        selection: vec![],
        cleaned: Some(c),
        deleted: vec![],
    });
    assert!(
        report
            .iter()
            .any(|l| l == "Cleaner 0: Found 2 invalid messages during compaction."),
        "{report:?}"
    );
}

#[test]
fn compact_delete_logs_lose_whole_segments_to_retention_in_the_cleaner_iteration() {
    // Kafka's testCleansCombinedCompactAndDeleteTopic, in small.
    let mut b = Broker::with_topic(
        "t",
        &[
            ("cleanup.policy", "compact,delete"),
            ("retention.ms", "100000"),
            ("segment.bytes", "140"),
        ],
    );
    for k in ["a", "b", "c", "d", "e"] {
        b.append_to("t", 0, k, "v", None);
    }
    assert!(
        b.run_retention().unwrap().is_empty(),
        "the retention pass leaves compacted logs to the cleaner"
    );
    b.advance_ms(100_001).unwrap();
    let run = b.run_cleaner_iteration().unwrap();
    let deleted: Vec<i64> = run.deleted.iter().map(|d| d.base_offset).collect();
    // Keys go too: retention deletes whole segments, the active one after a roll.
    assert_eq!(deleted, vec![0, 2, 4]);
    assert_eq!(b.log("t", 0).log_start_offset(), 5);
    assert_eq!(segment_bases(b.log("t", 0)), vec![5]);
    assert!(
        b.run_cleaner_iteration().unwrap().deleted.is_empty(),
        "a final empty segment is never deleted"
    );
}

#[test]
fn a_compact_only_log_keeps_old_segments_whatever_retention_ms_says() {
    let mut b = Broker::with_topic(
        "t",
        &[
            ("cleanup.policy", "compact"),
            ("retention.ms", "1"),
            ("segment.bytes", "140"),
        ],
    );
    for k in ["a", "b", "c"] {
        b.append_to("t", 0, k, "v", None);
    }
    b.advance_ms(1000).unwrap();
    assert!(b.run_cleaner_iteration().unwrap().deleted.is_empty());
    assert_eq!(offsets(b.log("t", 0)), vec![0, 1, 2]);
}

#[test]
fn an_invalid_checkpoint_is_reset_to_the_log_start_offset() {
    let mut b = Broker::with_topic("t", &[("cleanup.policy", "compact")]);
    for k in ["a", "a", "b"] {
        b.append("t", k, "v");
    }
    b.roll_partition("t", 0);
    // Past the log end offset: the whole log is dirty again.
    b.set_cleaner_checkpoint("t", 0, 200).unwrap();
    assert_eq!(b.first_dirty_offset("t", 0).unwrap(), 0);
    let plan = b.plan_for("t", 0);
    assert_eq!((plan.first_dirty_offset, plan.first_uncleanable_offset), (0, 3));
    assert!(plan.eligible);
}

#[test]
fn log_cleaner_enable_false_means_no_cleaning_and_no_retention_for_compacted_logs() {
    let mut b = Broker::with_topic("t", &[("cleanup.policy", "compact,delete"), ("retention.ms", "1")]);
    b.append("t", "a", "v");
    b.append("t", "a", "w");
    b.roll_partition("t", 0);
    b.advance_ms(10).unwrap();
    b.alter_broker(&[("log.cleaner.enable", "false")]).unwrap();
    let run = b.run_cleaner_iteration().unwrap();
    assert!(run.cleaned.is_none() && run.deleted.is_empty() && run.selection.is_empty());
    let steps = b.run("clean");
    assert!(steps[0]
        .cleaned()
        .unwrap()
        .report
        .iter()
        .any(|l| l.contains("log.cleaner.enable=false")));
}

#[test]
fn clean_partition_refuses_topics_without_compact() {
    let mut b = Broker::with_topic("t", &[("cleanup.policy", "delete")]);
    let err = b.clean_partition("t", 0).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("t-0 is not compacted (cleanup.policy=delete)"),
        "{err}"
    );
}

#[test]
fn the_stats_count_the_recopied_range_not_just_the_dirty_section() {
    let mut b = Broker::with_topic("t", &[("cleanup.policy", "compact")]);
    for k in ["a", "b", "c"] {
        b.append("t", k, "v");
    }
    b.roll_partition("t", 0);
    b.clean_now("t", 0).unwrap();
    b.append("t", "a", "w");
    b.roll_partition("t", 0);
    let c = b.clean_now("t", 0).unwrap();
    // Start size: the clean segment (3 records) and the dirty one (1).
    assert_eq!((c.stats.messages_read, c.stats.bytes_read), (4, 280));
    assert_eq!((c.stats.messages_written, c.stats.bytes_written), (3, 210));
    assert_eq!((c.stats.map_messages_read, c.stats.map_bytes_read), (1, 70));
    assert_eq!(c.stats.map_keys, 1);
    let report = cleaner_report(&kcp::log_manager::CleanerRun {
        selection: vec![],
        cleaned: Some(c),
        deleted: vec![],
    });
    assert!(
        report.contains(&"\tLog cleaner thread 0 cleaned log t-0 (dirty section = [3, 4])".to_string()),
        "{report:?}"
    );
    assert!(report.contains(&"\tStart size: 0.0 MB (280 bytes, 4 messages)".to_string()));
    assert!(report.contains(&"\t25.0% size reduction (25.0% fewer messages)".to_string()));
}

#[test]
fn the_selection_explains_every_compacted_partition() {
    let mut b = Broker::new();
    b.create_topic("t", 3, &[("cleanup.policy", "compact")]).unwrap();
    b.create_topic("d", 1, &[("cleanup.policy", "delete")]).unwrap();
    b.append_to("t", 1, "a", "v", None);
    b.append_to("t", 1, "a", "w", None);
    b.append_to("t", 2, "a", "v", None);
    b.roll_partition("t", 1);
    let sel = b.plan_cleaning();
    assert_eq!(sel.len(), 3, "delete-only topics are not considered");
    assert_eq!(sel[0].reason.to_string(), "empty log: nothing to clean");
    assert_eq!(
        sel[1].reason.to_string(),
        "dirty ratio 1.00 > min.cleanable.dirty.ratio 0.50"
    );
    assert!(sel[1].chosen);
    assert_eq!(
        sel[2].reason.to_string(),
        "nothing to clean: every record is at or past offset 0, bounded by the active segment, which is never cleaned"
    );
    assert_eq!(
        (sel[2].uncleanable_bytes, sel[2].clean_bytes, sel[2].cleanable_bytes),
        (70, 0, 0)
    );
}
