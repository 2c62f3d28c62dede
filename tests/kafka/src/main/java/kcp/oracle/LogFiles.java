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
 * tests (tests/engine/log_files.rs). Each mode prints the partition as {@link Json#partition} gives it.
 *
 * <ul>
 *   <li>{@code write DIR}: a compacted partition {@code DIR/c-0} appended through {@code appendAsLeader}
 *       with batches of every codec (gzip, snappy, lz4, zstd and none), tombstones and headers, cleaned
 *       once by Kafka's {@link Cleaner} (which stamps delete horizons and recompresses what it rewrites),
 *       then more batches; closed cleanly so that the files are what a broker leaves.</li>
 *   <li>{@code clean DIR NOW_MS}: opens {@code DIR/c-0} and cleans it at {@code NOW_MS}, from offset 0 up
 *       to the active segment.</li>
 *   <li>{@code open DIR PARTITION_DIR...}: opens each partition directory of an export as a broker that
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
            case "clean":
                time.set(Long.parseLong(args[2]));
                out = clean(new File(args[1]), time);
                break;
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
        Properties p = new Properties();
        p.put("cleanup.policy", "compact");
        p.put("delete.retention.ms", Long.toString(DELETE_RETENTION_MS));
        return new LogConfig(p);
    }

    static UnifiedLog log(File dir, ScenarioTime time, boolean cleanShutdown) {
        return UnifiedLog.apply(dir, config(), 0L, 0L, new PausedScheduler(), new BrokerTopicStats(), time, 900_000,
                new ProducerStateManagerConfig(86_400_000, false), 600_000, new LogDirFailureChannel(1),
                cleanShutdown, Option.empty(), false, new ConcurrentHashMap<>(), false,
                LogOffsetsListener.NO_OP_OFFSETS_LISTENER);
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
            return Json.partition(log, 0);
        } finally {
            log.close();
        }
    }

    /** {@code Cleaner.clean} from offset 0 to the active segment, at the clock's time. */
    private static void clean(UnifiedLog log, ScenarioTime time) throws Exception {
        Cleaner cleaner = new Cleaner(0, new SkimpyOffsetMap(1 << 20, "MD5"), 64 * 1024, 1_048_588, 0.9,
                new Throttler(Double.MAX_VALUE, 300, "cleaner-io", "bytes", time), time, tp -> BoxedUnit.UNIT);
        cleaner.clean(new LogToClean(log.topicPartition(), log, 0L, log.activeSegment().baseOffset(), false));
    }

    static Object clean(File dir, ScenarioTime time) throws Exception {
        UnifiedLog log = log(new File(dir, "c-0"), time, true);
        try {
            clean(log, time);
            return Json.partition(log, 0);
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
