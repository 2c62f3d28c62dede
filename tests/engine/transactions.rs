//! The contract's producer and transaction lines (scenario-format.md,
//! "Producers, idempotence and transactions") through the scenario runner:
//! producer ids and sequences, markers, the Java client's misuse errors,
//! `read_committed` against `read_uncommitted`, and the cleaner's and the
//! outlook's explanation when an open transaction holds a partition back.

use kcp::log_manager::Wait;

use crate::support::Broker;

#[test]
fn producers_get_ids_in_line_order_and_a_sequence_per_partition() {
    let mut b = Broker::new();
    b.run(
        "topic t partitions=2\nproducer a\nproducer plain enable.idempotence=false\nproducer c transactional.id=x\n\
         produce t/0 producer=a k:1\nproduce t/1 producer=a k:2\nproduce t/0 producer=a k:3\nproduce t/0 producer=plain k:4\n\
         begin c\nproduce t/1 producer=c k:5\n",
    );
    let fields = |p: u32| -> Vec<(i64, i16, i32, bool)> {
        b.log("t", p)
            .segments()
            .iter()
            .flat_map(|s| s.batches())
            .map(|x| {
                (
                    x.producer_id(),
                    x.producer_epoch(),
                    x.base_sequence(),
                    x.is_transactional(),
                )
            })
            .collect()
    };
    assert_eq!(fields(0), vec![(0, 0, 0, false), (0, 0, 1, false), (-1, -1, -1, false)]);
    // Producer `c` got id 1: `plain` is not idempotent and took none.
    assert_eq!(fields(1), vec![(0, 0, 0, false), (1, 0, 0, true)]);
}

#[test]
fn misuse_is_rejected_in_the_java_clients_words() {
    let mut b = Broker::new();
    let r = b.run_lenient(
        "topic t\nproducer p transactional.id=tx\nproducer i\nproduce t producer=p k:v\ncommit p\nabort p\nbegin i\n\
         begin p\nbegin p\nproducer q enable.idempotence=false transactional.id=y\nproduce t producer=nobody k:v\n",
    );
    let errors: Vec<(&str, &str)> = r
        .iter()
        .filter(|s| !s.ok)
        .map(|s| (s.error_name.as_deref().unwrap_or(""), s.error.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        errors,
        vec![
            ("IllegalStateException", "Cannot call send in state READY"),
            (
                "IllegalStateException",
                "TransactionalId tx: Invalid transition attempted from state READY to state COMMITTING_TRANSACTION"
            ),
            (
                "IllegalStateException",
                "TransactionalId tx: Invalid transition attempted from state READY to state ABORTING_TRANSACTION"
            ),
            (
                "IllegalStateException",
                "Cannot use transactional methods without enabling transactions by setting the transactional.id \
                 configuration property"
            ),
            (
                "IllegalStateException",
                "TransactionalId tx: Invalid transition attempted from state IN_TRANSACTION to state IN_TRANSACTION"
            ),
            (
                "ConfigException",
                "Cannot set a transactional.id without also enabling idempotence."
            ),
            (
                "InvalidRequestException",
                "no producer named 'nobody' (create it first with a line `producer nobody`)"
            ),
        ]
    );
    // Rejected lines changed nothing: the log is empty.
    assert_eq!(b.log("t", 0).log_end_offset(), 0);
}

#[test]
fn commit_and_abort_write_a_marker_to_every_partition_the_transaction_wrote_to() {
    let mut b = Broker::new();
    let r = b.run(
        "topic t partitions=3\nproducer p transactional.id=tx\nbegin p\nproduce t/2 producer=p a:1\n\
         produce t/0 producer=p b:1\nproduce t/2 producer=p c:1\ncommit p\nbegin p\ncommit p\n",
    );
    let markers = r[6].transaction().and_then(|t| t.markers.clone()).unwrap();
    let at: Vec<(u32, i64)> = markers
        .iter()
        .map(|m| (m.topic_partition.partition, m.offset))
        .collect();
    assert_eq!(at, vec![(0, 1), (2, 2)]);
    // An empty transaction writes nothing.
    assert_eq!(r[8].transaction().and_then(|t| t.markers.clone()), Some(vec![]));
    let marker = b.log("t", 2).segments()[0].batches().last().unwrap();
    assert!(marker.is_control() && marker.is_transactional());
    assert_eq!((marker.size_bytes(), marker.base_sequence()), (78, -1));
}

#[test]
fn read_committed_stops_at_the_lso_and_skips_aborted_records() {
    let mut b = Broker::new();
    let r = b.run(
        "topic t\nproducer p transactional.id=tx\nproducer q transactional.id=ty\nproduce t a:0\n\
         begin p\nproduce t producer=p a:1\nabort p\nbegin q\nproduce t producer=q b:1\nproduce t c:1\n\
         consume t/0 isolation=read_committed\nconsume t/0 isolation=read_uncommitted\ncommit q\n\
         consume t/0 isolation=read_committed\n",
    );
    let offsets = |i: usize| -> Vec<i64> { r[i].consumed().unwrap().records.iter().map(|x| x.offset).collect() };
    // Offset 1 is aborted, 2 its marker, 3 q's open transaction: LSO 3.
    assert_eq!(b.log("t", 0).high_watermark(), 6);
    assert_eq!(offsets(10), vec![0]);
    assert_eq!(offsets(11), vec![0, 1, 3, 4]);
    assert_eq!(offsets(13), vec![0, 3, 4]);
}

#[test]
fn an_open_transaction_holds_the_cleaner_back_and_the_outlook_says_which() {
    let mut b = Broker::new();
    b.run(
        "topic t cleanup.policy=compact min.cleanable.dirty.ratio=0.01\nproducer p transactional.id=tx\n\
         produce t k:1\nbegin p\nproduce t producer=p k:2\nproduce t k:3\nroll t\n",
    );
    let plan = b.plan_for("t", 0);
    assert_eq!(plan.first_uncleanable_offset, 0);
    assert_eq!(
        plan.reason.to_string(),
        "nothing to clean: every record is at or past offset 0, bounded by the last stable offset 1: the \
         transaction of producer 0 is open since offset 1, and the cleaner never cleans past it"
    );
    let outlook = b.outlook("t", 0).unwrap();
    assert!(outlook.waits_for.contains(&Wait::OpenTransaction {
        producer_id: 0,
        first_offset: 1
    }));
    b.run("abort p\nroll t\n");
    assert!(b.plan_for("t", 0).eligible);
}
