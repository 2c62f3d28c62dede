//! Kafka's cleaner tests of idempotent producers and transactions, replayed
//! on the engine: the catalogue's §9.3-9.4 (T17-T31) and T42 of
//! `shared/kafka/cleaner.md`, each named after its Kafka test with the tag
//! (`t19_test_basic_transaction_aware_cleaning` is T19).
//!
//! How Kafka's vocabulary maps onto the public API (§9.0):
//!
//! * `P(pid)[k1,k2]`: one transactional batch of producer `pid`, epoch 0,
//!   the producer's next sequence, key = value = the decimal key, at the
//!   clock's now ([`LogManager::append_as_leader`]); idempotent non-transactional
//!   batches (T17, T18) the same without the flag;
//! * `COMMIT(pid)` / `ABORT(pid)`: [`LogManager::append_marker_as_leader`];
//! * `clean(F, U; cap=C)`: [`LogManager::clean_range`] (Kafka's tests call the
//!   cleaner directly, past the last stable offset when they want to) with
//!   `C` offset-map slots at load factor 0.75;
//! * "at largeTs" / "at Long.MAX": the clock set to [`LARGE`] / past every
//!   horizon. Kafka's unit tests pass that time to the cleaner while the
//!   producers' expiration runs on the mock clock; here one clock drives both,
//!   so `producer.id.expiration.ms` is set to its maximum (an int: 24.8 days)
//!   and the times stay within it, to keep producers active as in those tests.

use kcp::log::{BatchProducer, PartitionLog};
use std::collections::BTreeMap;

use crate::support::*;

const DAY: i64 = 86_400_000;
/// The "largeTs" of the tests: a time well after the appends (and, with the
/// later times the tests use, within the longest `producer.id.expiration.ms`,
/// an int: 24.8 days).
const LARGE: i64 = 1_704_067_200_000 + 2 * DAY;
/// "Long.MAX" of the tests: past every horizon a cleaning at [`LARGE`] stamps.
const FAR: i64 = LARGE + 10 * DAY;

/// A broker with topic `t` in the base config plus `extra`, producers that
/// never expire, and the sequences each producer id sends next.
struct Kt {
    b: Broker,
    seqs: BTreeMap<i64, i32>,
}

impl Kt {
    fn new(extra: &[(&str, &str)]) -> Self {
        let mut configs = BASE_CONFIG.to_vec();
        configs.extend_from_slice(extra);
        let mut b = Broker::with_topic("t", &configs);
        b.alter_broker(&[("producer.id.expiration.ms", &i32::MAX.to_string())])
            .unwrap();
        Kt {
            b,
            seqs: BTreeMap::new(),
        }
    }

    fn batch(&mut self, pid: i64, keys: &[i64], transactional: bool, from_client: bool) -> i64 {
        let seq = self.seqs.entry(pid).or_insert(0);
        let producer = BatchProducer {
            producer_id: pid,
            producer_epoch: 0,
            base_sequence: *seq,
            is_transactional: transactional,
        };
        *seq += keys.len() as i32;
        let texts: Vec<String> = keys.iter().map(i64::to_string).collect();
        let records: Vec<(&[u8], Option<&[u8]>)> = texts.iter().map(|k| (k.as_bytes(), Some(k.as_bytes()))).collect();
        let now = self.b.now_ms();
        self.b
            .append_as_leader("t", 0, producer, &records, now, from_client)
            .unwrap()
            .first_offset
    }

    /// `P(pid)[keys]`.
    fn p(&mut self, pid: i64, keys: &[i64]) -> i64 {
        self.batch(pid, keys, true, true)
    }

    /// An idempotent, non-transactional batch.
    fn idem(&mut self, pid: i64, keys: &[i64]) -> i64 {
        self.batch(pid, keys, false, true)
    }

    fn commit(&mut self, pid: i64) -> i64 {
        self.b.append_marker_as_leader("t", 0, pid, 0, true).unwrap()
    }

    fn abort(&mut self, pid: i64) -> i64 {
        self.b.append_marker_as_leader("t", 0, pid, 0, false).unwrap()
    }

    /// `A(k,v)`: a plain record without timestamp.
    fn a(&mut self, k: i64, v: i64) -> i64 {
        self.b.append("t", &k.to_string(), &v.to_string())
    }

    fn roll(&mut self) {
        self.b.roll_partition("t", 0);
    }

    fn lg(&self) -> &PartitionLog {
        self.b.log("t", 0)
    }

    /// `clean(F, activeBase; cap)` at the clock's now; returns the end offset.
    fn clean(&mut self, first_dirty: i64, slots: Option<usize>) -> i64 {
        self.b.set_offset_map_slots(slots);
        let upper = self.lg().active_segment().base_offset();
        self.b.clean_range("t", 0, first_dirty, upper).unwrap().end_offset
    }

    /// Kafka's `runTwoPassClean`: a cleaning at `t`, then one after the
    /// horizon it stamped (`t + delete.retention.ms + 1`).
    fn two_pass_clean(&mut self, t: i64, retention_ms: i64) {
        self.b.set_clock_ms(t).unwrap();
        self.clean(0, None);
        self.b.set_clock_ms(t + retention_ms + 1).unwrap();
        self.clean(0, None);
    }

    fn at(&mut self, t: i64) {
        self.b.set_clock_ms(t).unwrap();
    }

    fn last_seq(&self, pid: i64) -> i32 {
        self.lg().producer_state().producer(pid).map_or(-2, |e| e.last_seq())
    }

    fn aborted_index(&self) -> Vec<(i64, i64, i64)> {
        self.lg()
            .segments()
            .iter()
            .flat_map(|s| {
                s.txn_index()
                    .entries()
                    .iter()
                    .map(|t| (t.producer_id, t.first_offset, t.last_offset))
            })
            .collect()
    }
}

/// The producer state rebuilt from the log's bytes has the live state's
/// epochs, last sequences and last data offsets (Kafka's reload).
fn assert_rebuilt_state_agrees(kt: &Kt) {
    let (rebuilt, _) = kt.lg().rebuild_producer_state();
    for e in kt.lg().producer_state().producers() {
        let r = rebuilt
            .producer(e.producer_id)
            .unwrap_or_else(|| panic!("producer {} not rebuilt", e.producer_id));
        assert_eq!(
            (r.producer_epoch, r.last_seq(), r.current_txn_first_offset),
            (e.producer_epoch, e.last_seq(), e.current_txn_first_offset),
            "producer {}",
            e.producer_id
        );
    }
}

#[test]
fn t17_test_log_cleaner_retains_producer_last_sequence() {
    let mut k = Kt::new(&[]);
    k.a(0, 0);
    k.idem(1, &[0]);
    k.idem(2, &[0]);
    k.idem(3, &[0]);
    k.idem(2, &[1]);
    k.roll();
    k.clean(0, Some(10));
    assert_eq!(batch_last(k.lg()), vec![1, 3, 4]);
    assert_eq!((k.last_seq(1), k.last_seq(2), k.last_seq(3)), (0, 1, 0));
    assert_eq!(int_keys(k.lg()), vec![0, 1]);
    assert_eq!(offsets(k.lg()), vec![3, 4]);
    assert_rebuilt_state_agrees(&k);
}

#[test]
fn t18_test_duplicate_check_after_cleaning() {
    let mut k = Kt::new(&[("segment.bytes", "2048")]);
    k.idem(1, &[1, 2, 3]);
    k.idem(2, &[3, 1, 4]);
    k.idem(3, &[1, 4]);
    k.roll();
    k.clean(0, None);
    assert_eq!(batch_last(k.lg()), vec![2, 5, 7]);
    assert_eq!((k.last_seq(1), k.last_seq(2), k.last_seq(3)), (2, 2, 1));
    assert_eq!(int_keys(k.lg()), vec![2, 3, 1, 4]);
    assert_eq!(offsets(k.lg()), vec![1, 3, 6, 7]);
    assert_rebuilt_state_agrees(&k);
    // Re-sending a batch is detected as a duplicate: its original offsets.
    let resend = |k: &mut Kt, pid: i64, seq: i32, n: usize| {
        let p = BatchProducer {
            producer_id: pid,
            producer_epoch: 0,
            base_sequence: seq,
            is_transactional: false,
        };
        let recs: Vec<(&[u8], Option<&[u8]>)> = (0..n).map(|_| (&b"1"[..], Some(&b"1"[..]))).collect();
        let now = k.b.now_ms();
        k.b.append_as_leader("t", 0, p, &recs, now, true).unwrap()
    };
    let d = resend(&mut k, 1, 0, 3);
    assert!(d.duplicate);
    assert_eq!((d.first_offset, d.last_offset), (0, 2));
    let d = resend(&mut k, 3, 0, 2);
    assert_eq!((d.first_offset, d.last_offset, d.duplicate), (6, 7, true));
    let d = resend(&mut k, 2, 0, 3);
    assert_eq!((d.first_offset, d.last_offset, d.duplicate), (3, 5, true));
    k.idem(4, &[2]);
    k.roll();
    k.clean(0, None);
    assert_eq!(
        (k.last_seq(1), k.last_seq(2), k.last_seq(3), k.last_seq(4)),
        (2, 2, 1, 0)
    );
    assert_eq!(batch_last(k.lg()), vec![2, 5, 7, 8]);
    assert_eq!(int_keys(k.lg()), vec![3, 1, 4, 2]);
    assert_eq!(offsets(k.lg()), vec![3, 6, 7, 8]);
    let d = resend(&mut k, 1, 0, 3);
    assert_eq!((d.first_offset, d.duplicate), (0, true));
    // A sequence that skips ahead is refused in Kafka's words.
    let e =
        k.b.append_as_leader(
            "t",
            0,
            BatchProducer {
                producer_id: 1,
                producer_epoch: 0,
                base_sequence: 7,
                is_transactional: false,
            },
            &[(b"9", Some(b"9"))],
            0,
            true,
        )
        .unwrap_err();
    assert_eq!(e.kafka_name(), "OutOfOrderSequenceException");
    assert_eq!(
        e.to_string(),
        "Out of order sequence number for producer 1 at offset 9 in partition t-0: 7 (incoming seq. number), 2 \
         (current end sequence number)"
    );
}

#[test]
fn t19_test_basic_transaction_aware_cleaning() {
    let mut k = Kt::new(&[]);
    k.p(1, &[1, 2]);
    k.p(2, &[2, 3]);
    k.p(1, &[3, 4]);
    k.abort(1);
    k.commit(2);
    k.p(1, &[2]);
    k.commit(1);
    k.roll();
    let index_before = k.aborted_index();
    k.clean(0, None);
    assert_eq!(int_keys(k.lg()), vec![3, 2]);
    assert_eq!(offsets(k.lg()), vec![3, 6, 7, 8, 9]);
    assert_eq!(k.aborted_index(), index_before);
    assert_eq!(index_before, vec![(1, 0, 6)]);
}

#[test]
fn t20_test_clean_with_transactions_spanning_segments() {
    let mut k = Kt::new(&[]);
    k.p(1, &[1, 2]);
    k.p(3, &[2, 3]);
    k.p(2, &[3, 4]);
    k.roll();
    k.p(2, &[5, 6]);
    k.p(3, &[6, 7]);
    k.p(1, &[7, 8]);
    k.abort(2);
    k.p(3, &[8, 9]);
    k.commit(3);
    k.p(1, &[9, 10]);
    k.abort(1);
    // Only the first segment is recopied: its P1 and P2 batches belong to
    // transactions aborted by markers of the (active) second segment.
    let end = k.clean(0, None);
    assert_eq!(int_keys(k.lg()), vec![2, 3, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10]);
    k.roll();
    k.p(2, &[11]);
    k.p(1, &[12]);
    k.clean(end, None);
    assert_eq!(int_keys(k.lg()), vec![2, 3, 6, 7, 8, 9, 11, 12]);
}

#[test]
fn t21_test_commit_marker_removal() {
    let mut k = Kt::new(&[("segment.bytes", "256")]);
    k.p(1, &[1]);
    k.p(1, &[2, 3]);
    k.commit(1);
    k.p(1, &[2]);
    k.commit(1);
    k.roll();
    k.at(LARGE);
    let end = k.clean(0, None);
    assert_eq!(int_keys(k.lg()), vec![1, 3, 2]);
    assert_eq!(offsets(k.lg()), vec![0, 2, 3, 4, 5]);
    k.p(1, &[1, 3]);
    k.commit(1);
    k.roll();
    let end = k.clean(end, None);
    assert_eq!(int_keys(k.lg()), vec![2, 1, 3]);
    assert_eq!(offsets(k.lg()), vec![3, 4, 5, 6, 7, 8]);
    // Kafka cleans again from `end` with its test map, which keeps the last
    // round's latest offset when cleared (§9.0), so the round recopies the
    // log; a real map would recopy nothing from `end`, so the rounds start
    // at 0 here. Marker 3's transaction has no batch left: the round stamps
    // it with a horizon a day on, and cleaning at the same time keeps it.
    assert_eq!(end, 9);
    k.clean(0, None);
    assert_eq!(offsets(k.lg()), vec![3, 4, 5, 6, 7, 8]);
    k.at(LARGE + 2 * DAY);
    k.clean(0, None);
    assert_eq!(offsets(k.lg()), vec![4, 5, 6, 7, 8]);
}

#[test]
fn t22_test_abort_marker_removal() {
    let mut k = Kt::new(&[]);
    k.p(1, &[1]);
    k.p(1, &[2, 3]);
    k.abort(1);
    k.p(1, &[3]);
    k.commit(1);
    k.roll();
    k.at(LARGE);
    k.clean(0, None);
    assert_eq!(int_keys(k.lg()), vec![3]);
    assert_eq!(offsets(k.lg()), vec![3, 4, 5]);
    k.two_pass_clean(LARGE, DAY);
    assert_eq!(int_keys(k.lg()), vec![3]);
    assert_eq!(offsets(k.lg()), vec![4, 5]);
}

#[test]
fn t23_test_abort_marker_retention_with_empty_batch() {
    let mut k = Kt::new(&[]);
    k.p(1, &[2, 3]);
    k.abort(1);
    k.roll();
    k.at(LARGE);
    k.clean(0, None);
    assert_eq!(int_keys(k.lg()), Vec::<i64>::new());
    assert_eq!(offsets(k.lg()), vec![2]);
    assert_eq!(batch_last(k.lg()), vec![1, 2]);
    k.two_pass_clean(LARGE, DAY);
    assert_eq!(offsets(k.lg()), vec![2]);
    assert_eq!(batch_last(k.lg()), vec![1, 2]);
    // A new (open) transaction: the empty batch is no longer the producer's
    // last, so it goes, and then so can the marker.
    k.p(1, &[1]);
    k.roll();
    let t = LARGE + 3 * DAY;
    k.at(t);
    k.clean(0, None);
    assert_eq!(int_keys(k.lg()), vec![1]);
    assert_eq!(offsets(k.lg()), vec![2, 3]);
    assert_eq!(batch_last(k.lg()), vec![2, 3]);
    k.two_pass_clean(t, DAY);
    assert_eq!(int_keys(k.lg()), vec![1]);
    assert_eq!(offsets(k.lg()), vec![3]);
    assert_eq!(batch_last(k.lg()), vec![3]);
    assert!(k.aborted_index().is_empty());
}

#[test]
fn t24_test_commit_marker_retention_with_empty_batch() {
    let mut k = Kt::new(&[]);
    k.p(1, &[2, 3]);
    k.roll();
    k.p(2, &[2, 3]);
    k.commit(2);
    k.roll();
    k.a(2, 2);
    k.a(3, 3);
    k.commit(1);
    k.roll();
    k.at(LARGE);
    k.clean(0, None);
    assert_eq!(int_keys(k.lg()), vec![2, 3]);
    assert_eq!(offsets(k.lg()), vec![4, 5, 6, 7]);
    assert_eq!(batch_last(k.lg()), vec![1, 3, 4, 5, 6, 7]);
    k.clean(0, None);
    assert_eq!(batch_last(k.lg()), vec![1, 3, 4, 5, 6, 7]);
    k.p(2, &[1]);
    k.commit(2);
    k.roll();
    k.clean(0, None);
    assert_eq!(int_keys(k.lg()), vec![2, 3, 1]);
    assert_eq!(offsets(k.lg()), vec![4, 5, 6, 7, 8, 9]);
    assert_eq!(batch_last(k.lg()), vec![1, 4, 5, 6, 7, 8, 9]);
    k.two_pass_clean(LARGE, DAY);
    assert_eq!(int_keys(k.lg()), vec![2, 3, 1]);
    assert_eq!(offsets(k.lg()), vec![5, 6, 7, 8, 9]);
    assert_eq!(batch_last(k.lg()), vec![1, 5, 6, 7, 8, 9]);
}

#[test]
fn t25_test_clean_empty_control_batch() {
    let mut k = Kt::new(&[]);
    k.commit(1);
    k.a(2, 2);
    k.a(3, 3);
    k.roll();
    k.two_pass_clean(LARGE, DAY);
    assert_eq!(int_keys(k.lg()), vec![2, 3]);
    assert_eq!(offsets(k.lg()), vec![1, 2]);
    assert_eq!(batch_last(k.lg()), vec![0, 1, 2]);
    assert!(k.lg().segments()[0].batches()[0].is_control());
    k.at(FAR);
    k.clean(0, None);
    assert_eq!(offsets(k.lg()), vec![1, 2]);
    assert_eq!(batch_last(k.lg()), vec![0, 1, 2]);
}

#[test]
fn t26_test_committed_transaction_spanning_segments() {
    let mut k = Kt::new(&[("segment.bytes", "128")]);
    k.p(1, &[1]);
    k.roll();
    k.commit(1);
    k.roll();
    k.two_pass_clean(LARGE, DAY);
    assert_eq!(offsets(k.lg()), vec![0, 1]);
    assert_eq!(batch_last(k.lg()), vec![0, 1]);
}

#[test]
fn t26_test_aborted_transaction_spanning_segments() {
    let mut k = Kt::new(&[("segment.bytes", "128")]);
    k.p(1, &[1]);
    k.roll();
    k.abort(1);
    k.roll();
    k.at(LARGE);
    k.clean(0, None);
    assert_eq!(offsets(k.lg()), vec![1]);
    assert_eq!(batch_last(k.lg()), vec![0, 1]);
    k.at(FAR);
    k.clean(0, None);
    assert_eq!(offsets(k.lg()), vec![1]);
    assert_eq!(batch_last(k.lg()), vec![0, 1]);
}

#[test]
fn t27_test_empty_batch_removal_with_sequence_reuse() {
    let mut k = Kt::new(&[("segment.bytes", "2048")]);
    k.batch(1, &[1], true, false);
    k.commit(1);
    k.seqs.insert(1, 0);
    k.batch(1, &[2], true, false);
    k.commit(1);
    k.a(1, 1);
    k.a(2, 1);
    k.roll();
    k.at(LARGE);
    k.clean(0, None);
    assert_eq!(offsets(k.lg()), vec![1, 3, 4, 5]);
    assert_eq!(batch_last(k.lg()), vec![1, 2, 3, 4, 5]);
    k.two_pass_clean(LARGE, DAY);
    assert_eq!(offsets(k.lg()), vec![3, 4, 5]);
    assert_eq!(batch_last(k.lg()), vec![2, 3, 4, 5]);
}

#[test]
fn t28_test_log_cleaner_retains_last_sequence_even_if_transaction_aborted() {
    let mut k = Kt::new(&[]);
    k.p(1, &[1]);
    k.p(1, &[2, 3]);
    k.abort(1);
    k.roll();
    k.clean(0, Some(10));
    assert_eq!(batch_last(k.lg()), vec![2, 3]);
    assert_eq!(k.last_seq(1), 2);
    assert_eq!(int_keys(k.lg()), Vec::<i64>::new());
    assert_eq!(offsets(k.lg()), vec![3]);
    k.p(1, &[1, 5]);
    k.roll();
    k.clean(0, Some(10));
    assert_eq!(batch_last(k.lg()), vec![3, 5]);
    assert_eq!(k.last_seq(1), 4);
    assert_eq!(int_keys(k.lg()), vec![1, 5]);
    assert_eq!(offsets(k.lg()), vec![3, 4, 5]);
    assert_rebuilt_state_agrees(&k);
}

#[test]
fn t29_test_deleted_batches_with_no_messages_read() {
    let mut k = Kt::new(&[("max.message.bytes", "100"), ("segment.bytes", "1000")]);
    k.p(1, &[1]);
    k.abort(1);
    k.p(1, &[2]);
    k.p(1, &[2]);
    k.commit(1);
    k.roll();
    k.at(LARGE);
    k.clean(0, None);
    assert_eq!(int_keys(k.lg()), vec![2]);
    assert_eq!(offsets(k.lg()), vec![1, 3, 4]);
    k.two_pass_clean(LARGE, DAY);
    assert_eq!(int_keys(k.lg()), vec![2]);
    assert_eq!(offsets(k.lg()), vec![3, 4]);
}

#[test]
fn t30_test_multi_pass_segment_cleaning_with_aborted_transactions() {
    let mut k = Kt::new(&[("delete.retention.ms", "50000")]);
    k.p(1, &[1, 2]);
    k.p(2, &[2, 3]);
    k.p(1, &[3, 4]);
    k.commit(1);
    k.commit(2);
    k.p(1, &[2, 3]);
    k.abort(1);
    k.p(2, &[4, 5]);
    k.p(1, &[5, 6]);
    k.commit(1);
    k.abort(2);
    k.p(2, &[6, 7]);
    k.commit(2);
    k.roll();
    assert_eq!(k.lg().log_end_offset(), 20);
    k.b.set_offset_map_slots(Some(4));
    let pass = |k: &mut Kt, f: i64| k.b.clean_range("t", 0, f, 20).unwrap().end_offset;
    let dirty = pass(&mut k, 0);
    assert_eq!(dirty, 4);
    assert_eq!(batch_base(k.lg()), vec![0, 2, 4, 6, 7, 10, 13, 15, 16, 17, 19]);
    assert_eq!(
        offsets(k.lg()),
        vec![0, 2, 3, 4, 5, 6, 7, 10, 13, 14, 15, 16, 17, 18, 19]
    );
    let dirty = pass(&mut k, dirty);
    assert_eq!(dirty, 14);
    assert_eq!(batch_base(k.lg()), vec![0, 2, 4, 6, 7, 10, 13, 15, 16, 17, 19]);
    assert_eq!(offsets(k.lg()), vec![0, 2, 4, 5, 6, 7, 10, 13, 14, 15, 16, 17, 18, 19]);
    assert!(k.aborted_index().is_empty());
    k.b.advance_ms(50_000).unwrap();
    let dirty = pass(&mut k, dirty);
    assert_eq!(dirty, 20);
    assert_eq!(batch_base(k.lg()), vec![0, 2, 4, 6, 7, 13, 15, 17, 19]);
    assert_eq!(offsets(k.lg()), vec![0, 2, 4, 5, 6, 7, 13, 15, 17, 18, 19]);
}

#[test]
fn t31_test_cleaning_with_keys_conflicting_with_txn_marker_keys() {
    let mut k = Kt::new(&[]);
    k.p(1, &[1]);
    k.commit(1);
    // A transactional record whose key bytes are a COMMIT control key.
    let now = k.b.now_ms();
    let p2 = BatchProducer {
        producer_id: 2,
        producer_epoch: 0,
        base_sequence: 0,
        is_transactional: true,
    };
    k.b.append_as_leader("t", 0, p2, &[(&[0, 0, 0, 1], Some(b"v"))], now, true)
        .unwrap();
    k.commit(2);
    k.roll();
    k.clean(0, Some(10));
    assert_eq!(batch_last(k.lg()), vec![0, 1, 2, 3]);
    assert_eq!(offsets(k.lg()), vec![0, 1, 2, 3]);
}

#[test]
fn t42_test_undecided_transactional_data_not_cleanable() {
    let lag = 3_600_000;
    let mut k = Kt::new(&[("min.compaction.lag.ms", "3600000")]);
    k.p(15, &[1, 2]);
    k.p(15, &[3]);
    k.roll();
    assert_eq!(k.lg().high_watermark(), 3);
    k.b.advance_ms(lag + 1).unwrap();
    let plan = k.b.plan_for("t", 0);
    assert_eq!((plan.first_dirty_offset, plan.first_uncleanable_offset), (0, 0));
    assert_eq!(plan.uncleanable_bound.name(), "last_stable_offset");
    assert!(
        plan.reason
            .to_string()
            .contains("the transaction of producer 15 is open since offset 0"),
        "{}",
        plan.reason
    );
    k.abort(15);
    k.roll();
    assert_eq!(k.lg().high_watermark(), 4);
    let plan = k.b.plan_for("t", 0);
    assert_eq!((plan.first_dirty_offset, plan.first_uncleanable_offset), (0, 3));
    k.b.advance_ms(lag + 1).unwrap();
    let plan = k.b.plan_for("t", 0);
    assert_eq!((plan.first_dirty_offset, plan.first_uncleanable_offset), (0, 4));
}
