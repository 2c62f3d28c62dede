package kcp.oracle;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import kafka.log.UnifiedLog;

import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.storage.internals.log.LogSegment;

/** Kafka's log in the shape of the playground's {@code run --json} (scenario-format.md). */
final class Json {
    static Map<String, Object> partition(UnifiedLog log, long firstDirtyOffset) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("partition", log.topicPartition().partition());
        p.put("log_start_offset", log.logStartOffset());
        p.put("log_end_offset", log.logEndOffset());
        p.put("high_watermark", log.highWatermark());
        p.put("last_stable_offset", log.lastStableOffset());
        p.put("first_dirty_offset", firstDirtyOffset);
        List<Object> segments = new ArrayList<>();
        LogSegment active = log.activeSegment();
        for (LogSegment s : log.logSegments()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("base_offset", s.baseOffset());
            sm.put("size_bytes", (long) s.size());
            sm.put("active", s == active);
            List<Object> aborted = new ArrayList<>();
            for (org.apache.kafka.storage.internals.log.AbortedTxn t : s.txnIndex().allAbortedTxns()) {
                Map<String, Object> tm = new LinkedHashMap<>();
                tm.put("producer_id", t.producerId());
                tm.put("first_offset", t.firstOffset());
                tm.put("last_offset", t.lastOffset());
                tm.put("last_stable_offset", t.lastStableOffset());
                aborted.add(tm);
            }
            sm.put("aborted_transactions", aborted);
            List<Object> batches = new ArrayList<>();
            for (RecordBatch b : s.log().batches()) {
                Map<String, Object> bm = new LinkedHashMap<>();
                bm.put("base_offset", b.baseOffset());
                bm.put("last_offset", b.lastOffset());
                bm.put("size_bytes", (long) b.sizeInBytes());
                bm.put("max_timestamp_ms", b.maxTimestamp());
                bm.put("delete_horizon_ms", b.deleteHorizonMs().isPresent() ? (Object) b.deleteHorizonMs().getAsLong() : null);
                bm.put("producer_id", b.producerId());
                bm.put("producer_epoch", (long) b.producerEpoch());
                bm.put("base_sequence", (long) b.baseSequence());
                bm.put("transactional", b.isTransactional());
                bm.put("control", b.isControlBatch());
                // Not in the engine's JSON: compression, timestamp type.
                bm.put("attributes", attributes(b));
                List<Object> records = new ArrayList<>();
                for (Record r : b) {
                    records.add(record(r, b));
                }
                bm.put("records", records);
                batches.add(bm);
            }
            sm.put("batches", batches);
            segments.add(sm);
        }
        p.put("segments", segments);
        return p;
    }

    static Map<String, Object> record(Record r, RecordBatch b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("offset", r.offset());
        m.put("timestamp_ms", r.timestamp());
        if (b.isControlBatch()) {
            // A transaction marker: its type, as ControlRecordType parses the key.
            m.put("control", org.apache.kafka.common.record.ControlRecordType.parse(r.key()).name());
            return m;
        }
        m.put("key", text(r.key()));
        m.put("value", text(r.value()));
        return m;
    }

    /** The attribute bits of a v2 batch header, as Kafka's DefaultRecordBatch defines them. */
    static int attributes(RecordBatch b) {
        int a = b.compressionType().id;
        if (b.timestampType() == org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME) {
            a |= 0x08;
        }
        if (b.isTransactional()) {
            a |= 0x10;
        }
        if (b.isControlBatch()) {
            a |= 0x20;
        }
        if (b.deleteHorizonMs().isPresent()) {
            a |= 0x40;
        }
        return a;
    }

    private static String text(ByteBuffer buf) {
        if (buf == null) {
            return null;
        }
        byte[] bytes = new byte[buf.remaining()];
        buf.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private Json() {}
}
