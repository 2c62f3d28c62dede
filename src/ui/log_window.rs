//! What the log view draws for one partition: a window of records in offset
//! order, with the removed-offset gaps, segment boundaries and the cleaner's
//! markers (log start, first dirty, first uncleanable, last stable offset,
//! log end) between them. Transactions show as they are stored: each data
//! batch's producer id, epoch, sequence and transactional flag, control
//! batches (COMMIT / ABORT markers) as markers of their own, and each
//! transactional record's outcome (committed, aborted, still open) read from
//! the transaction index and the producer state, as a read_committed fetch
//! reads them.
//!
//! Pure data built from an immutable borrow of a `PartitionLog`, so it is
//! tested natively and the view only lays it out. A window holds at most
//! `max` records, so a log of any size renders in constant time; pages are
//! addressed by the offset of their first record.

use crate::batch::RecordBatch;
use crate::cleaner::manager::{LogToClean, UncleanableBound};
use crate::log::producer_state::{control_type, ControlType, OpenTxn};
use crate::log::transaction_index::AbortedTxn;
use crate::log::PartitionLog;
use crate::record::Record;

/// The offsets the view marks on a partition.
#[derive(Debug, Clone, PartialEq)]
pub struct Marks {
    pub log_start: i64,
    /// The cleaner checkpoint; `None` for a topic that is not compacted.
    pub first_dirty: Option<i64>,
    pub first_uncleanable: Option<i64>,
    pub bound: Option<UncleanableBound>,
    /// The last stable offset, and the open transaction that holds it
    /// below the high watermark (`None` when it equals the high watermark).
    pub last_stable: i64,
    pub open_txn: Option<OpenTxn>,
    pub log_end: i64,
}

impl Marks {
    /// From the log and, for compacted topics, the cleaner's plan.
    pub fn of(log: &PartitionLog, plan: Option<&LogToClean>) -> Self {
        Marks {
            log_start: log.log_start_offset(),
            first_dirty: plan.map(|p| p.first_dirty_offset),
            first_uncleanable: plan.map(|p| p.first_uncleanable_offset),
            bound: plan.map(|p| p.uncleanable_bound),
            last_stable: log.last_stable_offset(),
            open_txn: (log.last_stable_offset() < log.high_watermark())
                .then(|| log.producer_state().open_transactions().next())
                .flatten(),
            log_end: log.log_end_offset(),
        }
    }

    /// Why the last stable offset is below the high watermark, if it is.
    pub fn lso_reason(&self) -> Option<String> {
        self.open_txn.map(|t| {
            format!(
                "transaction of producer {} open since offset {}",
                t.producer_id, t.first_offset
            )
        })
    }

    /// Which part of the log an offset is in.
    pub fn region(&self, offset: i64) -> Region {
        match (self.first_dirty, self.first_uncleanable) {
            (Some(f), _) if offset < f => Region::Clean,
            (Some(_), Some(u)) if offset < u => Region::Dirty,
            (Some(_), _) => Region::Uncleanable,
            _ => Region::NotCompacted,
        }
    }
}

/// The cleaner's view of an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// Below the first dirty offset: cleaned before.
    Clean,
    /// From the first dirty offset to the first uncleanable: the next
    /// cleaning's range.
    Dirty,
    /// At or past the first uncleanable offset (active segment, min lag).
    Uncleanable,
    /// The topic's policy has no `compact`.
    NotCompacted,
}

impl Region {
    pub fn label(self) -> &'static str {
        match self {
            Region::Clean => "clean",
            Region::Dirty => "dirty",
            Region::Uncleanable => "uncleanable",
            Region::NotCompacted => "not compacted",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Region::Clean => "r-clean",
            Region::Dirty => "r-dirty",
            Region::Uncleanable => "r-uncleanable",
            Region::NotCompacted => "r-none",
        }
    }
}

/// A marker drawn between records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    LogStart,
    FirstDirty,
    FirstUncleanable,
    /// The last stable offset, drawn only when an open transaction holds it
    /// below the high watermark.
    LastStable,
    LogEnd,
}

impl Marker {
    pub fn label(self) -> &'static str {
        match self {
            Marker::LogStart => "log start",
            Marker::FirstDirty => "first dirty (cleaner checkpoint)",
            Marker::FirstUncleanable => "first uncleanable",
            Marker::LastStable => "last stable offset (LSO)",
            Marker::LogEnd => "log end (LEO)",
        }
    }

    /// A short label, for compact embeds.
    pub fn short(self) -> &'static str {
        match self {
            Marker::LogStart => "start",
            Marker::FirstDirty => "dirty",
            Marker::FirstUncleanable => "uncleanable",
            Marker::LastStable => "LSO",
            Marker::LogEnd => "LEO",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Marker::LogStart => "m-start",
            Marker::FirstDirty => "m-dirty",
            Marker::FirstUncleanable => "m-uncleanable",
            Marker::LastStable => "m-lso",
            Marker::LogEnd => "m-end",
        }
    }
}

/// Text of at most a few hundred characters, and whether it was cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub text: String,
    pub cut: bool,
    pub len: usize,
}

/// Shows bytes as `crate::record::display_bytes` does (UTF-8 text, else hex),
/// reading at most `max` bytes of them.
pub fn preview(bytes: &[u8], max: usize) -> Preview {
    let cut = bytes.len() > max;
    let head = &bytes[..bytes.len().min(max)];
    let text = match std::str::from_utf8(head) {
        Ok(s) => s.to_string(),
        // A multi-byte character cut at the end is still text.
        Err(e) if cut && e.error_len().is_none() => String::from_utf8_lossy(&head[..e.valid_up_to()]).into_owned(),
        Err(_) => crate::record::display_bytes(head),
    };
    Preview {
        text,
        cut,
        len: bytes.len(),
    }
}

/// What became of a transactional batch's transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxnOutcome {
    /// Its transaction is still open: read_committed stops before it.
    Open,
    Committed,
    /// An ABORT marker ended it: read_committed skips it, the cleaner removes it.
    Aborted,
}

impl TxnOutcome {
    pub fn label(self) -> &'static str {
        match self {
            TxnOutcome::Open => "open transaction",
            TxnOutcome::Committed => "committed",
            TxnOutcome::Aborted => "aborted",
        }
    }
}

/// A batch's producer fields (`None` of a plain producer's batch: id -1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProducerFields {
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub base_sequence: i32,
    /// `Some` for a transactional batch.
    pub txn: Option<TxnOutcome>,
}

impl ProducerFields {
    /// "producer 0 · epoch 0 · sequence 3 · transactional, aborted".
    pub fn describe(&self) -> String {
        let mut s = format!(
            "producer id {} · epoch {} · base sequence {}",
            self.producer_id, self.producer_epoch, self.base_sequence
        );
        if let Some(t) = self.txn {
            s.push_str(&format!(" · transactional, {}", t.label()));
        }
        s
    }
}

/// The transactions of a partition as the view needs them: the aborted
/// ones (from the segments' `.txnindex`) and the open ones (producer state).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transactions {
    aborted: Vec<AbortedTxn>,
    open: Vec<OpenTxn>,
}

impl Transactions {
    /// The aborted transactions whose marker is at or after `from`, and
    /// every open one.
    pub fn of(log: &PartitionLog, from: i64) -> Self {
        let first = log.segment_index_for(from).unwrap_or(0);
        let aborted = log.segments()[first.min(log.segments().len())..]
            .iter()
            .flat_map(|s| {
                s.txn_index()
                    .entries()
                    .iter()
                    .filter(|a| a.last_offset >= from)
                    .cloned()
            })
            .collect();
        Transactions {
            aborted,
            open: log.producer_state().open_transactions().collect(),
        }
    }

    /// The outcome of a transactional data batch; `None` otherwise.
    pub fn outcome(&self, b: &RecordBatch) -> Option<TxnOutcome> {
        if !b.is_transactional() || b.is_control() {
            return None;
        }
        let (pid, base) = (b.producer_id(), b.base_offset());
        Some(
            if self
                .aborted
                .iter()
                .any(|a| a.producer_id == pid && a.first_offset <= base && base <= a.last_offset)
            {
                TxnOutcome::Aborted
            } else if self.open.iter().any(|t| t.producer_id == pid && t.first_offset <= base) {
                TxnOutcome::Open
            } else {
                TxnOutcome::Committed
            },
        )
    }

    /// The producer fields of a batch, with its outcome.
    pub fn fields(&self, b: &RecordBatch) -> Option<ProducerFields> {
        (b.producer_id() >= 0).then(|| ProducerFields {
            producer_id: b.producer_id(),
            producer_epoch: b.producer_epoch(),
            base_sequence: b.base_sequence(),
            txn: self.outcome(b),
        })
    }
}

/// One record cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub offset: i64,
    pub timestamp_ms: i64,
    /// `None`: a null key.
    pub key: Option<Preview>,
    /// `None`: a tombstone.
    pub value: Option<Preview>,
    /// The delete horizon the cleaner stamped on the record's batch.
    pub delete_horizon_ms: Option<i64>,
    pub region: Region,
    /// The record's batch: first and last offset, encoded size in bytes.
    pub batch: (i64, i64, u64),
    /// Its batch's producer fields, for an idempotent or transactional one.
    pub producer: Option<ProducerFields>,
}

impl Cell {
    /// A record of `batch`, its key and value previewed up to `key_max` and
    /// `value_max` bytes, with the batch's delete horizon.
    pub fn of(batch: &RecordBatch, r: &Record, region: Region, key_max: usize, value_max: usize) -> Cell {
        Cell {
            offset: r.offset,
            timestamp_ms: batch.timestamp_of(r),
            key: r.key.map(|k| preview(k, key_max)),
            value: r.value.map(|v| preview(v, value_max)),
            delete_horizon_ms: batch.delete_horizon_ms(),
            region,
            batch: (batch.base_offset(), batch.last_offset(), batch.size_bytes()),
            producer: None,
        }
    }
}

/// One item of the drawn strip, in offset order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A segment begins (or, `continued`, began before this window).
    Segment {
        base_offset: i64,
        size_bytes: u64,
        records: u64,
        active: bool,
        continued: bool,
    },
    Marker {
        marker: Marker,
        offset: i64,
    },
    /// Offsets `from..=to` hold no record: the cleaner removed them.
    Gap {
        from: i64,
        to: i64,
    },
    Record(Cell),
    /// A control batch's record: a transaction marker (COMMIT or ABORT),
    /// drawn as a marker, not as a record.
    Control {
        offset: i64,
        /// `None`: a control type other than COMMIT and ABORT.
        kind: Option<ControlType>,
        producer_id: i64,
        producer_epoch: i16,
        timestamp_ms: i64,
        delete_horizon_ms: Option<i64>,
    },
}

/// A page of the strip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub items: Vec<Item>,
    /// Index (0-based, in log order) of the first record shown.
    pub first_index: u64,
    pub shown: u64,
    pub total: u64,
    /// The first offset of the previous, next and last pages.
    pub prev_start: Option<i64>,
    pub next_start: Option<i64>,
    pub last_start: Option<i64>,
}

/// Number of records whose offset is below `offset`. Whole segments below
/// it count by their record count (kept by the segment), so only the
/// segment holding `offset` is read batch by batch.
pub fn index_of(log: &PartitionLog, offset: i64) -> u64 {
    let segs = log.segments();
    let mut n = 0;
    for (i, seg) in segs.iter().enumerate() {
        // Every offset of a segment lies below the next one's base.
        if segs.get(i + 1).is_some_and(|next| next.base_offset() <= offset) {
            n += seg.record_count();
            continue;
        }
        for b in seg.batches() {
            if b.last_offset() < offset {
                n += b.record_count() as u64;
            } else {
                n += b.records().take_while(|r| r.offset < offset).count() as u64;
                return n;
            }
        }
    }
    n
}

/// The offset of the record at `index` (0-based, in log order); whole
/// segments before it are skipped by their record count.
pub fn nth_offset(log: &PartitionLog, index: u64) -> Option<i64> {
    let mut left = index;
    for seg in log.segments() {
        if left >= seg.record_count() {
            left -= seg.record_count();
            continue;
        }
        for b in seg.batches() {
            let len = b.record_count() as u64;
            if left < len {
                return b.records().nth(usize::try_from(left).ok()?).map(|r| r.offset);
            }
            left -= len;
        }
    }
    None
}

/// Records, gaps, segment starts and markers from the first record at or
/// after `from`, at most `max` records.
pub fn window(log: &PartitionLog, marks: &Marks, from: i64, max: usize) -> Window {
    let max = max.max(1);
    let total = log.record_count();
    let from = from.clamp(marks.log_start, marks.log_end.max(marks.log_start));
    let first_index = index_of(log, from);
    // Start the page at the record before `from` ends, so a gap that `from`
    // falls into is shown whole.
    let prev_record = first_index.checked_sub(1).and_then(|i| nth_offset(log, i));
    let mut cursor = prev_record.map_or(marks.log_start, |o| o + 1);

    let mut boundaries: Vec<(i64, u8, Item)> = Vec::new();
    let mut marker = |m: Marker, o: i64, order: u8| boundaries.push((o, order, Item::Marker { marker: m, offset: o }));
    // At one offset: the segment's header first, then the markers, so that
    // they sit on the log beside its records.
    marker(Marker::LogStart, marks.log_start, 1);
    if let Some(f) = marks.first_dirty {
        marker(Marker::FirstDirty, f, 2);
    }
    if let Some(u) = marks.first_uncleanable {
        marker(Marker::FirstUncleanable, u, 3);
    }
    if marks.open_txn.is_some() {
        marker(Marker::LastStable, marks.last_stable, 4);
    }
    marker(Marker::LogEnd, marks.log_end, 5);
    let segs = log.segments();
    let active_base = log.active_segment().base_offset();
    for s in segs {
        let records = s.record_count();
        boundaries.push((
            s.base_offset(),
            0,
            Item::Segment {
                base_offset: s.base_offset(),
                size_bytes: s.size_bytes(),
                records,
                active: s.base_offset() == active_base,
                continued: false,
            },
        ));
    }
    boundaries.sort_by_key(|(o, order, _)| (*o, *order));
    let mut next_boundary = boundaries.partition_point(|(o, _, _)| *o < cursor);

    let mut items = Vec::with_capacity(max + 16);
    // The segment holding the page's first offset, if it began earlier.
    if let Some(i) = log.segment_index_for(cursor) {
        let s = &segs[i];
        if s.base_offset() < cursor {
            items.push(Item::Segment {
                base_offset: s.base_offset(),
                size_bytes: s.size_bytes(),
                records: s.record_count(),
                active: s.base_offset() == active_base,
                continued: true,
            });
        }
    }

    let flush = |limit: i64, cursor: &mut i64, next_boundary: &mut usize, items: &mut Vec<Item>| {
        while let Some((o, _, item)) = boundaries.get(*next_boundary) {
            if *o > limit {
                break;
            }
            if *o > *cursor {
                items.push(Item::Gap {
                    from: *cursor,
                    to: o - 1,
                });
                *cursor = *o;
            }
            items.push(item.clone());
            *next_boundary += 1;
        }
        if limit > *cursor {
            items.push(Item::Gap {
                from: *cursor,
                to: limit - 1,
            });
            *cursor = limit;
        }
    };

    let mut shown = 0u64;
    let mut next_start = None;
    let start_seg = log.segment_index_for(from).unwrap_or(0);
    let txns = Transactions::of(log, from);
    'outer: for seg in &segs[start_seg..] {
        for b in seg.batches_from(from) {
            for r in b.records() {
                if r.offset < from {
                    continue;
                }
                if shown as usize >= max {
                    next_start = Some(r.offset);
                    break 'outer;
                }
                flush(r.offset, &mut cursor, &mut next_boundary, &mut items);
                if b.is_control() {
                    items.push(Item::Control {
                        offset: r.offset,
                        kind: control_type(r.key),
                        producer_id: b.producer_id(),
                        producer_epoch: b.producer_epoch(),
                        timestamp_ms: b.timestamp_of(&r),
                        delete_horizon_ms: b.delete_horizon_ms(),
                    });
                } else {
                    let mut cell = Cell::of(b, &r, marks.region(r.offset), 120, 240);
                    cell.producer = txns.fields(b);
                    items.push(Item::Record(cell));
                }
                shown += 1;
                cursor = r.offset + 1;
            }
        }
    }
    if next_start.is_none() {
        flush(marks.log_end, &mut cursor, &mut next_boundary, &mut items);
    }

    let max = max as u64;
    let prev_start = if first_index == 0 {
        None
    } else {
        nth_offset(log, first_index.saturating_sub(max))
    };
    let last_start = if total > max {
        nth_offset(log, total - max)
    } else {
        None
    };
    Window {
        items,
        first_index,
        shown,
        total,
        prev_start,
        next_start,
        last_start,
    }
}

/// One segment as the segment strip shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentSummary {
    pub index: usize,
    pub base_offset: i64,
    /// The offset after its last record (or its base when empty).
    pub next_offset: i64,
    pub size_bytes: u64,
    pub records: u64,
    pub active: bool,
    pub created_ms: i64,
    pub largest_timestamp_ms: i64,
    /// Where the segment lies for the cleaner (a segment that holds the
    /// first dirty offset is `Dirty`: cleaning starts in it).
    pub region: Region,
}

/// Every segment of a log, oldest first.
pub fn segments(log: &PartitionLog, marks: &Marks) -> Vec<SegmentSummary> {
    let segs = log.segments();
    let last = segs.len().saturating_sub(1);
    segs.iter()
        .enumerate()
        .map(|(i, s)| {
            let next_offset = s.next_offset().unwrap_or(s.base_offset());
            let end = segs.get(i + 1).map_or(marks.log_end, |n| n.base_offset());
            let region = match (marks.first_dirty, marks.first_uncleanable) {
                (Some(_), Some(u)) if s.base_offset() >= u => Region::Uncleanable,
                (Some(f), _) if end <= f => Region::Clean,
                (Some(_), _) => Region::Dirty,
                _ => Region::NotCompacted,
            };
            SegmentSummary {
                index: i,
                base_offset: s.base_offset(),
                next_offset,
                size_bytes: s.size_bytes(),
                records: s.record_count(),
                active: i == last,
                created_ms: s.created_ms(),
                largest_timestamp_ms: s.largest_timestamp_ms(),
                region,
            }
        })
        .collect()
}

/// Ranges of offsets in `[from, to)` that hold no record, as `(first, last)`.
pub fn gaps(log: &PartitionLog, from: i64, to: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut cursor = from;
    for (_, r) in log.records() {
        if r.offset >= to {
            break;
        }
        if r.offset > cursor {
            out.push((cursor, r.offset - 1));
        }
        cursor = cursor.max(r.offset + 1);
    }
    if to > cursor {
        out.push((cursor, to - 1));
    }
    out
}

/// "offset 3 removed" / "offsets 3–7 removed".
pub fn gap_text(from: i64, to: i64) -> String {
    if from == to {
        format!("offset {from} removed")
    } else {
        format!("offsets {from}–{to} removed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log_manager::LogManager;
    use crate::scenario;

    fn broker(script: &str) -> LogManager {
        crate::ui::ran(LogManager::default(), script)
    }

    fn marks(b: &LogManager) -> Marks {
        let plan = b.plan_cleaning();
        let log = b.partition("t", 0).ok();
        log.map(|l| Marks::of(l, plan.first())).unwrap_or(Marks {
            log_start: 0,
            first_dirty: None,
            first_uncleanable: None,
            bound: None,
            last_stable: 0,
            open_txn: None,
            log_end: 0,
        })
    }

    const CLEANED: &str = "topic t cleanup.policy=compact\nproduce t a:1\nproduce t a:2\nproduce t a:3\nproduce t b:1\nproduce t a:4\nroll t\nproduce t c:1\nclean t/0";

    #[test]
    fn cleaned_log_shows_gaps_and_markers() {
        let b = broker(CLEANED);
        let log = b.partition("t", 0).unwrap_or_else(|_| panic!("log"));
        let m = marks(&b);
        assert_eq!((m.first_dirty, m.first_uncleanable, m.log_end), (Some(5), Some(5), 6));
        let w = window(log, &m, 0, 100);
        let offsets: Vec<i64> = w
            .items
            .iter()
            .filter_map(|i| if let Item::Record(c) = i { Some(c.offset) } else { None })
            .collect();
        assert_eq!(offsets, vec![3, 4, 5]);
        assert!(w.items.contains(&Item::Gap { from: 0, to: 2 }), "{:?}", w.items);
        let markers: Vec<Marker> = w
            .items
            .iter()
            .filter_map(|i| {
                if let Item::Marker { marker, .. } = i {
                    Some(*marker)
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(
            markers,
            vec![
                Marker::LogStart,
                Marker::FirstDirty,
                Marker::FirstUncleanable,
                Marker::LogEnd
            ]
        );
        assert_eq!(gaps(log, 0, 6), vec![(0, 2)]);
        assert_eq!(gap_text(0, 2), "offsets 0–2 removed");
    }

    #[test]
    fn pages_cover_every_record_once() {
        let b = broker("topic t\ngenerate t count=95 keys=7");
        let log = b.partition("t", 0).unwrap_or_else(|_| panic!("log"));
        let m = marks(&b);
        let mut from = Some(0);
        let mut seen = 0;
        while let Some(f) = from {
            let w = window(log, &m, f, 10);
            seen += w.shown;
            from = w.next_start;
        }
        assert_eq!(seen, 95);
        let last = window(log, &m, 0, 10).last_start;
        assert_eq!(last, Some(85));
        assert_eq!(window(log, &m, 50, 10).prev_start, Some(40));
    }

    #[test]
    fn positions_skip_whole_segments_and_agree_with_a_walk_over_every_record() {
        let b = broker(
            "topic t cleanup.policy=compact segment.bytes=700\ngenerate t count=400 keys=23 tombstones=0.1\nroll t\nclean t/0\ngenerate t count=50 keys=23",
        );
        let log = b.partition("t", 0).unwrap_or_else(|_| panic!("log"));
        assert!(log.segments().len() > 3);
        let offsets: Vec<i64> = log.records().map(|(_, r)| r.offset).collect();
        for (i, &o) in offsets.iter().enumerate() {
            assert_eq!(nth_offset(log, i as u64), Some(o));
            assert_eq!(index_of(log, o), i as u64);
        }
        assert_eq!(nth_offset(log, offsets.len() as u64), None);
        for o in 0..log.log_end_offset() + 2 {
            assert_eq!(
                index_of(log, o),
                offsets.iter().filter(|&&x| x < o).count() as u64,
                "offset {o}"
            );
        }
    }

    #[test]
    fn transactions_show_their_fields_markers_outcomes_and_the_lso() {
        let mut b = broker(
            "topic t cleanup.policy=compact\nproducer tx transactional.id=tx-1\nproducer idem\nproduce t plain:1\nbegin tx\nproduce t producer=tx a:1\nproduce t producer=tx b:1\nabort tx\nproduce t producer=idem c:1\nbegin tx\nproduce t producer=tx d:1",
        );
        let log = b.partition("t", 0).unwrap_or_else(|_| panic!("log"));
        let m = marks(&b);
        // The open transaction of producer 0 began at offset 5.
        assert_eq!((m.last_stable, m.log_end), (5, 6));
        assert_eq!(
            m.lso_reason().as_deref(),
            Some("transaction of producer 0 open since offset 5")
        );
        let w = window(log, &m, 0, 100);
        let cells: Vec<(i64, Option<ProducerFields>)> = w
            .items
            .iter()
            .filter_map(|i| {
                if let Item::Record(c) = i {
                    Some((c.offset, c.producer))
                } else {
                    None
                }
            })
            .collect();
        let fields = |pid, seq, txn| {
            Some(ProducerFields {
                producer_id: pid,
                producer_epoch: 0,
                base_sequence: seq,
                txn,
            })
        };
        assert_eq!(
            cells,
            vec![
                (0, None),
                (1, fields(0, 0, Some(TxnOutcome::Aborted))),
                (2, fields(0, 1, Some(TxnOutcome::Aborted))),
                (4, fields(1, 0, None)),
                (5, fields(0, 2, Some(TxnOutcome::Open))),
            ]
        );
        let controls: Vec<(i64, Option<ControlType>)> = w
            .items
            .iter()
            .filter_map(|i| {
                if let Item::Control { offset, kind, .. } = i {
                    Some((*offset, *kind))
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(controls, vec![(3, Some(ControlType::Abort))]);
        // The LSO marker sits before the open transaction's first record.
        let lso = w.items.iter().position(|i| {
            matches!(
                i,
                Item::Marker {
                    marker: Marker::LastStable,
                    offset: 5
                }
            )
        });
        let rec5 = w
            .items
            .iter()
            .position(|i| matches!(i, Item::Record(c) if c.offset == 5));
        assert!(lso.is_some() && lso < rec5, "{:?}", w.items);

        // Committed: the LSO is back at the log end and has no marker.
        let step = scenario::parse("commit tx").unwrap_or_default();
        assert!(scenario::run_step(&mut b, &step[0]).ok);
        let log = b.partition("t", 0).unwrap_or_else(|_| panic!("log"));
        let m = marks(&b);
        assert_eq!((m.last_stable, m.open_txn), (7, None));
        let w = window(log, &m, 0, 100);
        assert!(!w.items.iter().any(|i| matches!(
            i,
            Item::Marker {
                marker: Marker::LastStable,
                ..
            }
        )));
        assert!(w.items.iter().any(|i| matches!(i, Item::Record(c) if c.offset == 5 && c.producer.and_then(|p| p.txn) == Some(TxnOutcome::Committed))));
    }

    #[test]
    fn previews_cut_long_values() {
        let p = preview("héllo".as_bytes(), 2);
        assert_eq!((p.text.as_str(), p.cut), ("h", true));
        assert_eq!(preview(&[0xff, 0x00], 10).text, "0xff00");
    }
}
