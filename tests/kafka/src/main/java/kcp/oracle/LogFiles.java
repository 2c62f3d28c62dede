package kcp.oracle;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import kafka.log.Cleaner;
import kafka.log.LogToClean;
import kafka.log.UnifiedLog;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.server.common.RequestLocal;
import org.apache.kafka.storage.internals.log.AppendOrigin;
import org.apache.kafka.storage.internals.log.LogConfig;
import org.apache.kafka.storage.internals.log.LogDirFailureChannel;
import org.apache.kafka.storage.internals.log.LogOffsetsListener;
import org.apache.kafka.storage.internals.log.LogSegment;
import org.apache.kafka.storage.internals.log.ProducerStateManagerConfig;
import org.apache.kafka.storage.internals.log.SkimpyOffsetMap;
import org.apache.kafka.storage.internals.log.VerificationGuard;
import org.apache.kafka.storage.internals.utils.Throttler;
import org.apache.kafka.storage.log.metrics.BrokerTopicStats;

import scala.Option;
import scala.runtime.BoxedUnit;

/**
 * Kafka 4.0's own log layer writing and reading segment files, for the playground's import and export
 * tests (tests/engine/log_files.rs). Each mode prints the partition as {@link Json#partition} gives it, with
 * {@code read_committed}: the records a read_committed consumer polling from the log start gets.
 *
 * <ul>
 *   <li>{@code write DIR}: a compacted partition {@code DIR/c-0} appended through {@code appendAsLeader}
 *       with batches of every codec (gzip, snappy, lz4, zstd and none), tombstones and headers, cleaned
 *       once by Kafka's {@link Cleaner} (which stamps delete horizons and recompresses what it rewrites),
 *       then more batches; closed cleanly so that the files are what a broker leaves.</li>
 *   <li>{@code write-txn DIR}: the same with transactions, appended as LogCleanerTest appends them:
 *       transactional and idempotent producers' batches in every codec, COMMIT and ABORT markers from the
 *       coordinator, cleaned once (aborted batches removed, emptied markers and tombstones given delete
 *       horizons), then more transactions, the last one left open.</li>
 *   <li>{@code clean (PARTITION_DIR NOW_MS FROM UPTO CONFIGS)...}: opens each partition directory (with
 *       the topic's {@code CONFIGS}, {@code name=value} pairs separated by commas, among which the broker's
 *       {@code log.cleaner.dedupe.buffer.size}, {@code log.cleaner.threads} and
 *       {@code log.cleaner.io.buffer.load.factor} size the cleaner's offset map) as a broker does without
 *       producer snapshots (see {@link #clean(File, long, long, String, ScenarioTime)}) and cleans
 *       {@code [FROM, UPTO)} at {@code NOW_MS}; one JVM for many partitions.</li>
 *   <li>{@code open PARTITION_DIR...}: opens each partition directory of an export as a broker that
 *       did not shut down cleanly (recovery from offset 0: every batch is read and checked, indexes
 *       rebuilt, and a bad tail truncated) and prints, besides the partition, each {@code .log} file's
 *       size before and after.</li>
 * </ul>
 *
 * The clock is {@link ScenarioTime}, starting at {@link ScenarioTime#START_MS}.
 */
public final class LogFiles {
    static final long DELETE_RETENTION_MS = 60_000;

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ScenarioTime time = new ScenarioTime();
        Object out;
        switch (args[0]) {
            case "write":
                out = write(new File(args[1]), time);
                break;
            case "write-txn":
                out = writeTxn(new File(args[1]), time);
                break;
            case "clean": {
                if ((args.length - 1) % 5 != 0) {
                    throw new IllegalArgumentException("clean (PARTITION_DIR NOW_MS FROM UPTO CONFIGS)...");
                }
                List<Object> parts = new ArrayList<>();
                for (int i = 1; i < args.length; i += 5) {
                    time.set(Long.parseLong(args[i + 1]));
                    parts.add(clean(new File(args[i]), Long.parseLong(args[i + 2]), Long.parseLong(args[i + 3]),
                            args[i + 4], time));
                }
                out = parts;
                break;
            }
            case "open": {
                List<Object> parts = new ArrayList<>();
                for (int i = 1; i < args.length; i++) {
                    parts.add(open(new File(args[i]), time));
                }
                out = parts;
                break;
            }
            default:
                throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.out.println(json.writeValueAsString(out));
    }

    static LogConfig config() {
        return config("cleanup.policy=compact,delete.retention.ms=" + DELETE_RETENTION_MS);
    }

    /** {@code name=value} pairs separated by commas (none when empty), in order. */
    static Map<String, String> pairs(String configs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : configs.split(",")) {
            if (!kv.isEmpty()) {
                int eq = kv.indexOf('=');
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return m;
    }

    /** A topic's configs: the pairs of {@code configs} but the broker's cleaner settings ({@code log.cleaner.*}). */
    static LogConfig config(String configs) {
        Properties p = new Properties();
        pairs(configs).forEach((k, v) -> {
            if (!k.startsWith("log.cleaner.")) {
                p.put(k, v);
            }
        });
        return new LogConfig(p);
    }

    static UnifiedLog log(File dir, ScenarioTime time, boolean cleanShutdown) {
        return log(dir, config(), time, cleanShutdown, 0L);
    }

    static UnifiedLog log(File dir, LogConfig config, ScenarioTime time, boolean cleanShutdown, long recoveryPoint) {
        return UnifiedLog.apply(dir, config, 0L, recoveryPoint, new PausedScheduler(), new BrokerTopicStats(), time,
                900_000, new ProducerStateManagerConfig(86_400_000, false), 600_000, new LogDirFailureChannel(1),
                cleanShutdown, Option.empty(), false, new ConcurrentHashMap<>(), false,
                LogOffsetsListener.NO_OP_OFFSETS_LISTENER);
    }

    /** {@link Json#partition} and what a read_committed consumer polling from the log start gets. */
    static Map<String, Object> view(UnifiedLog log) {
        Map<String, Object> p = Json.partition(log, 0);
        p.put("read_committed", Broker.fetch(log, log.logStartOffset(), Long.MAX_VALUE, true));
        return p;
    }

    private static byte[] b(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** One batch of {@code kv} (key, value; a null value is a tombstone) at the clock's time. */
    private static void append(UnifiedLog log, ScenarioTime time, Compression c, String... kv) {
        List<SimpleRecord> records = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            long ts = time.milliseconds() + i;
            if (i == 0) {
                Header[] headers = {new RecordHeader("h", b("x")), new RecordHeader("n", (byte[]) null)};
                records.add(new SimpleRecord(ts, b(kv[i]), b(kv[i + 1]), headers));
            } else {
                records.add(new SimpleRecord(ts, b(kv[i]), b(kv[i + 1])));
            }
        }
        log.appendAsLeader(MemoryRecords.withRecords(c, records.toArray(new SimpleRecord[0])), 0,
                AppendOrigin.CLIENT, RequestLocal.noCaching(), VerificationGuard.SENTINEL);
        log.updateHighWatermark(log.logEndOffset());
        time.sleep(1000);
    }

    static Object write(File dir, ScenarioTime time) throws Exception {
        UnifiedLog log = log(new File(dir, "c-0"), time, true);
        try {
            String big = "payload ".repeat(200);
            append(log, time, Compression.gzip().build(), "a", "1", "b", "1", "c", "1", "t1", "x");
            append(log, time, Compression.snappy().build(), "a", "2", "t1", null, "d", big);
            append(log, time, Compression.lz4().build(), "e", "3", "f", big);
            append(log, time, Compression.zstd().build(), "b", "4", "g", "4", "t2", null);
            append(log, time, Compression.NONE, "c", "5");
            append(log, time, Compression.gzip().build(), "h", big, "i", "6");
            append(log, time, Compression.lz4().build(), "j", "7", "t3", null);
            log.roll(Option.empty());
            append(log, time, Compression.snappy().build(), "x", "8");
            clean(log, time);
            append(log, time, Compression.lz4().build(), "a", "9", "e", "9");
            append(log, time, Compression.zstd().build(), "k", big, "g", null);
            log.roll(Option.empty());
            append(log, time, Compression.gzip().build(), "y", "10");
            return view(log);
        } finally {
            log.close();
        }
    }

    /** {@code Cleaner.clean} from offset 0 to the active segment, at the clock's time. */
    private static void clean(UnifiedLog log, ScenarioTime time) throws Exception {
        cleaner(time).clean(new LogToClean(log.topicPartition(), log, 0L, log.activeSegment().baseOffset(), false));
    }

    private static Cleaner cleaner(ScenarioTime time) throws Exception {
        return cleaner(MAP_BYTES, 0.9, time);
    }

    /** The largest offset map the harness allocates: more keys than any script writes. */
    static final int MAP_BYTES = 1 << 20;

    /**
     * A cleaner thread's {@link Cleaner} as {@code LogCleaner} makes it: an offset map of the dedupe buffer
     * shared by the threads (at most {@link #MAP_BYTES}), and its load factor.
     */
    private static Cleaner cleaner(int mapBytes, double loadFactor, ScenarioTime time) throws Exception {
        return new Cleaner(0, new SkimpyOffsetMap(mapBytes, "MD5"), 64 * 1024, 1_048_588, loadFactor,
                new Throttler(Double.MAX_VALUE, 300, "cleaner-io", "bytes", time), time, tp -> BoxedUnit.UNIT);
    }

    /** {@link #cleaner(int, double, ScenarioTime)} with the broker's {@code log.cleaner.*} settings among {@code configs}. */
    private static Cleaner cleaner(String configs, ScenarioTime time) throws Exception {
        Map<String, String> m = pairs(configs);
        long dedupe = Long.parseLong(m.getOrDefault("log.cleaner.dedupe.buffer.size", Integer.toString(MAP_BYTES)));
        int threads = Integer.parseInt(m.getOrDefault("log.cleaner.threads", "1"));
        double loadFactor = Double.parseDouble(m.getOrDefault("log.cleaner.io.buffer.load.factor", "0.9"));
        int memory = (int) Math.max(0, Math.min(dedupe / Math.max(threads, 1), MAP_BYTES));
        return cleaner(memory, loadFactor, time);
    }

    /** One producer's batches as Kafka's tests write them: its id and epoch, the next sequence. */
    private static final class Producer {
        final long id;
        final short epoch = 0;
        final boolean transactional;
        int sequence;

        Producer(long id, boolean transactional) {
            this.id = id;
            this.transactional = transactional;
        }

        /**
         * A batch of {@code kv} (a null value is a tombstone) at the clock's time, as LogCleanerTest's
         * {@code appendTransactionalAsLeader} and {@code appendIdempotentAsLeader} append it.
         */
        void send(UnifiedLog log, ScenarioTime time, Compression c, String... kv) {
            List<SimpleRecord> records = new ArrayList<>();
            for (int i = 0; i < kv.length; i += 2) {
                records.add(new SimpleRecord(time.milliseconds() + i, b(kv[i]), b(kv[i + 1])));
            }
            SimpleRecord[] r = records.toArray(new SimpleRecord[0]);
            MemoryRecords batch = transactional
                    ? MemoryRecords.withTransactionalRecords(c, id, epoch, sequence, r)
                    : MemoryRecords.withIdempotentRecords(c, id, epoch, sequence, r);
            sequence += r.length;
            log.appendAsLeader(batch, 0, AppendOrigin.CLIENT, RequestLocal.noCaching(), VerificationGuard.SENTINEL);
            log.updateHighWatermark(log.logEndOffset());
            time.sleep(1000);
        }

        /** The coordinator's COMMIT or ABORT marker (LogCleanerTest's {@code commitMarker}, {@code abortMarker}). */
        void end(UnifiedLog log, ScenarioTime time, ControlRecordType type) {
            MemoryRecords marker = MemoryRecords.withEndTransactionMarker(time.milliseconds(), id, epoch,
                    new EndTransactionMarker(type, 0));
            log.appendAsLeader(marker, 0, AppendOrigin.COORDINATOR, RequestLocal.noCaching(),
                    VerificationGuard.SENTINEL);
            log.updateHighWatermark(log.logEndOffset());
            time.sleep(1000);
        }
    }

    static Object writeTxn(File dir, ScenarioTime time) throws Exception {
        UnifiedLog log = log(new File(dir, "c-0"), time, true);
        try {
            String big = "payload ".repeat(200);
            Producer a = new Producer(1000, true);
            Producer b = new Producer(2000, true);
            Producer idem = new Producer(3000, false);
            Producer open = new Producer(4000, true);
            a.send(log, time, Compression.gzip().build(), "a", "1", "b", "1", "c", "1");
            b.send(log, time, Compression.snappy().build(), "a", "2", "d", big);
            idem.send(log, time, Compression.lz4().build(), "e", "3", "f", "3");
            append(log, time, Compression.NONE, "c", "4");
            a.send(log, time, Compression.zstd().build(), "b", "5", "t1", null);
            a.end(log, time, ControlRecordType.COMMIT);
            b.send(log, time, Compression.lz4().build(), "g", "6", "a", "6");
            b.end(log, time, ControlRecordType.ABORT);
            log.roll(Option.empty());
            b.send(log, time, Compression.gzip().build(), "h", big, "e", "7");
            idem.send(log, time, Compression.zstd().build(), "a", "8", "f", null);
            a.send(log, time, Compression.NONE, "x", "8");
            a.end(log, time, ControlRecordType.ABORT);
            b.end(log, time, ControlRecordType.COMMIT);
            log.roll(Option.empty());
            idem.send(log, time, Compression.snappy().build(), "y", "9");
            // Kafka's cleaner removes the aborted batches and stamps delete horizons on the markers
            // whose transactions it emptied and on the tombstones.
            clean(log, time);
            a.send(log, time, Compression.lz4().build(), "a", "10", "b", null);
            a.end(log, time, ControlRecordType.COMMIT);
            b.send(log, time, Compression.NONE, "c", "11");
            b.end(log, time, ControlRecordType.ABORT);
            log.roll(Option.empty());
            // The markers emptied by the first cleaning get their delete horizons in the second.
            clean(log, time);
            // Left open: the last stable offset stays at its first batch.
            open.send(log, time, Compression.zstd().build(), "k", big, "g", null);
            idem.send(log, time, Compression.gzip().build(), "z", "12");
            open.send(log, time, Compression.snappy().build(), "a", "13");
            open.send(log, time, Compression.NONE, "m", "14");
            return view(log);
        } finally {
            log.close();
        }
    }

    /**
     * Opens {@code dir} as a broker does after a crash with the recovery point at the log end (what an
     * export's {@code recovery-point-offset-checkpoint} says) and without producer snapshots (an export
     * has none; any Kafka wrote are deleted first): no segment is recovered, each {@code .txnindex} is read
     * as it is, and the producer state is rebuilt from the batches from the log start
     * ({@code UnifiedLog.rebuildProducerState}). Then {@code Cleaner.clean} over {@code [from, upto)} at the
     * clock's time.
     */
    static Object clean(File dir, long from, long upto, String configs, ScenarioTime time) throws Exception {
        File[] snapshots = dir.listFiles((d, n) -> n.endsWith(".snapshot"));
        if (snapshots != null) {
            for (File f : snapshots) {
                java.nio.file.Files.delete(f.toPath());
            }
        }
        UnifiedLog log = log(dir, config(configs), time, false, Long.MAX_VALUE);
        try {
            log.updateHighWatermark(log.logEndOffset());
            Cleaner cleaner = cleaner(configs, time);
            cleaner.clean(new LogToClean(log.topicPartition(), log, from, upto, false));
            return view(log);
        } finally {
            log.close();
        }
    }

    private static Map<String, Long> logSizes(File dir) {
        Map<String, Long> sizes = new TreeMap<>();
        File[] files = dir.listFiles((d, n) -> n.endsWith(".log"));
        if (files != null) {
            for (File f : files) {
                sizes.put(f.getName(), f.length());
            }
        }
        return sizes;
    }

    static Object open(File dir, ScenarioTime time) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dir", dir.getName());
        m.put("sizes_before", logSizes(dir));
        UnifiedLog log = log(dir, time, false);
        try {
            log.updateHighWatermark(log.logEndOffset());
            m.put("partition", Json.partition(log, 0));
            long recovered = 0;
            for (LogSegment s : log.logSegments()) {
                recovered += s.size();
            }
            m.put("bytes_after_recovery", recovered);
        } finally {
            log.close();
        }
        m.put("sizes_after", logSizes(dir));
        return m;
    }

    private LogFiles() {}
}
