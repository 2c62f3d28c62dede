package kcp.oracle;

import java.io.File;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import kafka.log.Cleaner;
import kafka.log.CleanerStats;
import kafka.log.LogCleaner$;
import kafka.log.LogCleanerManager;
import kafka.log.LogCleanerManager$;
import kafka.log.LogToClean;
import kafka.log.OffsetsToClean;
import kafka.log.PreCleanStats;
import kafka.log.UnifiedLog;
import kafka.utils.Pool;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.server.common.RequestLocal;
import org.apache.kafka.server.config.ServerLogConfigs;
import org.apache.kafka.server.storage.log.FetchIsolation;
import org.apache.kafka.storage.internals.log.AppendOrigin;
import org.apache.kafka.storage.internals.log.CleanerConfig;
import org.apache.kafka.storage.internals.log.FetchDataInfo;
import org.apache.kafka.storage.internals.log.LogAppendInfo;
import org.apache.kafka.storage.internals.log.LogConfig;
import org.apache.kafka.storage.internals.log.LogDirFailureChannel;
import org.apache.kafka.storage.internals.log.LogOffsetsListener;
import org.apache.kafka.storage.internals.log.LogSegment;
import org.apache.kafka.storage.internals.log.ProducerStateManagerConfig;
import org.apache.kafka.storage.internals.log.RecordValidationException;
import org.apache.kafka.storage.internals.log.SkimpyOffsetMap;
import org.apache.kafka.storage.internals.log.VerificationGuard;
import org.apache.kafka.storage.internals.utils.Throttler;
import org.apache.kafka.storage.log.metrics.BrokerTopicStats;

import scala.Option;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;

/**
 * One scenario script run through Kafka 4.0's own log layer: a {@link UnifiedLog} per partition in one
 * log directory, {@code appendAsLeader} for every produce, the high watermark moved to the log end after
 * each append (a single-replica leader), a {@link LogCleanerManager} that keeps the
 * {@code cleaner-offset-checkpoint} file, a {@link Cleaner} with a {@link SkimpyOffsetMap} sized from the
 * broker's cleaner settings, and {@code deleteOldSegments} for retention.
 *
 * <p>Each command is one method ({@link #COMMANDS}); a rejected command throws {@link Rejected} (or a
 * Kafka {@link ApiException} / {@link ConfigException}) before it changes anything, and the message is
 * the step's error.
 *
 * <p>What the harness knowingly mirrors from the playground rather than from Kafka, each marked
 * "PLAYGROUND:" where it happens: the tie rule of equally dirty logs (topic, then partition order;
 * Kafka's order is its log pool's hash order), the deterministic sticky partitioner for null keys (a
 * client choice, not the broker's), tiny dedupe buffers (a broker refuses less than 1 MiB per thread,
 * so the harness builds its own {@code Cleaner}, as LogCleanerTest does), {@code clean t/p} (not in
 * Kafka), {@code generate} being all or nothing, the load-factor range, and the wording of errors that
 * come from layers above the log (unknown topics and partitions, partition counts, clock moves).
 *
 * <p>The broker in time ({@code load}, {@code run}, and what {@code advance} and {@code clock} do with
 * loads) follows scenario-format.md's schedule over Kafka's own classes: a producer load appends through
 * {@code appendAsLeader} at each record's time; a cleaner-thread iteration is the one {@code clean} makes
 * ({@code grabFilthiestCompactedLog}, {@code Cleaner.clean}, {@code deleteOldSegments}), repeated at once
 * after a cleaning and after {@code log.cleaner.backoff.ms} when idle ({@code CleanerThread.doWork}); the
 * retention check is {@code LogManager.cleanupLogs}' {@code deleteOldSegments}, first 30 s after broker
 * start ({@code InitialTaskDelayMs}) then every {@code log.retention.check.interval.ms} (Kafka's own
 * definition, from {@code LogConfig.SERVER_CONFIG_DEF}); a change of one of
 * {@code LogCleaner.ReconfigurableConfigs} (or of {@code log.cleaner.enable}) restarts the threads. The
 * harness drives these events itself in time order, since Kafka's threads and scheduler run on the wall
 * clock. PLAYGROUND: a backoff of 0 wakes an idle thread 1 ms later (Kafka's thread spins); the session's
 * budget is not mirrored (the scripts compared stay within it).
 */
final class Broker implements AutoCloseable {
    /** Thrown for a rejected step, with the step's error text. */
    static final class Rejected extends RuntimeException {
        Rejected(String message) {
            super(message);
        }
    }

    /** A command: reads the rest of its line, fills the step's result, throws when rejected. */
    @FunctionalInterface
    interface Command {
        void run(Broker b, String rest, Map<String, Object> step) throws Exception;
    }

    /** Adding a command to the harness is one entry here and one method below. */
    static final Map<String, Command> COMMANDS = Map.ofEntries(
            Map.entry("topic", Broker::topic),
            Map.entry("alter", Broker::alter),
            Map.entry("unset", Broker::unset),
            Map.entry("broker", Broker::broker),
            Map.entry("produce", (b, rest, step) -> b.produce(rest, step, false)),
            Map.entry("tombstone", (b, rest, step) -> b.produce(rest, step, true)),
            Map.entry("generate", Broker::generate),
            Map.entry("load", Broker::load),
            Map.entry("advance", Broker::advance),
            Map.entry("clock", Broker::clock),
            Map.entry("run", Broker::run),
            Map.entry("roll", Broker::roll),
            Map.entry("clean", Broker::clean),
            Map.entry("retention", Broker::retention),
            Map.entry("consume", Broker::consume),
            Map.entry("producer", Broker::producer),
            Map.entry("begin", (b, rest, step) -> b.begin(rest, step)),
            Map.entry("commit", (b, rest, step) -> b.endTxn(rest, step, true)),
            Map.entry("abort", (b, rest, step) -> b.endTxn(rest, step, false)));

    /** The playground's generator seed ("kafka" in ASCII), for generate and the sticky partitioner. */
    static final long DEFAULT_SEED = 0x006b_6166_6b61L;

    private final File logDir;
    private final ScenarioTime time = new ScenarioTime();
    private final PausedScheduler scheduler = new PausedScheduler();
    private final BrokerTopicStats brokerTopicStats = new BrokerTopicStats(false);
    private final LogDirFailureChannel failureChannel = new LogDirFailureChannel(1);
    /** The log pool, iterated in (topic, partition) order: see {@link SortedPool}. */
    private final Pool<TopicPartition, UnifiedLog> pool = SortedPool.create();
    private final LogCleanerManager cleanerManager;

    /** Topics by name: their overrides and partition logs. */
    private final TreeMap<String, TopicState> topics = new TreeMap<>();
    /** The broker's cleaner settings as given (names of {@link CleanerConfig#CONFIG_DEF}). */
    private final Map<String, Object> brokerRaw = new HashMap<>();
    private Map<String, Object> brokerParsed;
    private Cleaner cleaner;

    /** PLAYGROUND: the engine's one generator (SplitMix64) that the sticky partitioner draws from. */
    private final SplitMix64 rng = new SplitMix64(DEFAULT_SEED);
    /** Segment file times the mock clock says they have (Kafka reads them for record-less segments). */
    private final IdentityHashMap<LogSegment, long[]> segmentTimes = new IdentityHashMap<>();

    /**
     * PLAYGROUND: the producer clients of the script, as the engine models KafkaProducer and its
     * TransactionManager (ids 0, 1, 2, ... in line order, epoch 0, a sequence per partition from 0; no
     * coordinator). What they send, and the markers a commit or abort writes, go through Kafka's own
     * appendAsLeader, whose ProducerStateManager decides.
     */
    static final class Client {
        String name;
        Long producerId;
        short epoch;
        String transactionalId;
        final Map<TopicPartition, Integer> sequences = new HashMap<>();
        /** Inside a transaction: the partitions it wrote to, in (topic, partition) order. */
        TreeMap<String, TopicPartition> txn;

        String state() {
            return txn != null ? "IN_TRANSACTION" : "READY";
        }
    }

    private final TreeMap<String, Client> clients = new TreeMap<>();
    private long nextProducerId;
    /** Every log's ProducerStateManagerConfig, so that producer.id.expiration.ms reconfigures them. */
    private final ProducerStateManagerConfig producerStateConfig = new ProducerStateManagerConfig(86_400_000, false);
    /** When each log was created: its PeriodicProducerExpirationCheck runs every 10 minutes from then. */
    private final IdentityHashMap<UnifiedLog, Long> logCreatedMs = new IdentityHashMap<>();

    /**
     * The log's {@code PeriodicProducerExpirationCheck} (UnifiedLog schedules it every
     * producer.id.expiration.check.interval.ms = 10 minutes from the log's creation), which the paused
     * scheduler never runs: the latest check due by now, before the log is written or cleaned. Producers
     * only expire more as time passes, so the latest check does what all the checks before it would.
     */
    private void expireProducers(UnifiedLog log) {
        long created = logCreatedMs.getOrDefault(log, ScenarioTime.START_MS);
        long elapsed = nowMs() - created;
        if (elapsed >= 600_000L) {
            log.removeExpiredProducers(created + elapsed / 600_000L * 600_000L);
        }
    }

    /** Producer loads under way, in the order their lines ran. */
    private final List<Load> loads = new ArrayList<>();
    /** When the cleaner threads wake next: broker start, until they sleep or restart. */
    private long cleanerWakeMs = ScenarioTime.START_MS;
    /** The next retention check not yet made or skipped: broker start + LogManager.InitialTaskDelayMs. */
    private long retentionNextMs = ScenarioTime.START_MS + 30_000L;

    /** A producer load: its generator (generate's draws) and its pace (scenario-format.md). */
    static final class Load {
        String topic;
        long count;
        long keys;
        double tombstones;
        Integer valueBytes;
        SplitMix64 g;
        long t0;
        long rate;
        long unitMs;
        /** The next record's number, 1-based. */
        long next = 1;

        /** When record {@code i} is due: {@code t0 + floor((i-1) x unit / rate)}. */
        long timeOf(long i) {
            return t0 + BigInteger.valueOf(i - 1).multiply(BigInteger.valueOf(unitMs))
                    .divide(BigInteger.valueOf(rate)).longValueExact();
        }

        /** How many records are due at or before {@code t}: {@code ceil((t - t0 + 1) x rate / unit)}, at most N. */
        long dueThrough(long t) {
            if (t < t0) {
                return 0;
            }
            BigInteger[] qr = BigInteger.valueOf(t - t0 + 1).multiply(BigInteger.valueOf(rate))
                    .divideAndRemainder(BigInteger.valueOf(unitMs));
            BigInteger due = qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
            return due.min(BigInteger.valueOf(count)).longValueExact();
        }

        boolean done() {
            return next > count;
        }
    }

    static final class TopicState {
        final String name;
        final Properties overrides;
        final List<UnifiedLog> logs = new ArrayList<>();
        /** PLAYGROUND: the sticky partition of null-key records and the bytes sent to it. */
        int stickyPartition = -1;
        long stickyBytes;

        TopicState(String name, Properties overrides) {
            this.name = name;
            this.overrides = overrides;
        }
    }

    Broker(File logDir) {
        this.logDir = logDir;
        this.cleanerManager = new LogCleanerManager(
                CollectionConverters.asScala(List.of(logDir)).toSeq(), pool, failureChannel);
        this.brokerParsed = PLAYGROUND_CLEANER_DEF.parse(brokerRaw);
        this.cleaner = newCleaner(brokerParsed);
    }

    long nowMs() {
        return time.milliseconds();
    }

    // ------------------------------------------------------------------ commands

    /** {@code topic <t> [partitions=<n>] [<config>=<value> ...]}: the controller's create-topic checks. */
    private void topic(String rest, Map<String, Object> step) throws IOException {
        String[] wr = Script.splitWord(rest);
        String name = wr[0];
        long partitions = 1;
        Properties overrides = new Properties();
        for (String[] kv : Script.keyValues(wr[1])) {
            if (kv[0].equals("partitions")) {
                partitions = Long.parseLong(kv[1]);
            } else {
                overrides.put(kv[0], kv[1]);
            }
        }
        Topic.validate(name); // Kafka's own topic-name rules (InvalidTopicException).
        if (partitions < 1) {
            // PLAYGROUND wording of the partition-count check (the controller's own is the same idea).
            throw new Rejected("Number of partitions must be larger than 0.");
        }
        if (partitions > 1000) {
            throw new Rejected("Number of partitions " + partitions + " is more than the playground draws (at most 1000).");
        }
        if (topics.containsKey(name)) {
            throw new Rejected("Topic '" + name + "' already exists.");
        }
        // The controller refuses names that differ from an existing one only
        // by '.' and '_' (ReplicationControlManager, with the client's
        // Topic.hasCollision deciding).
        for (String existing : topics.keySet()) {
            if (Topic.hasCollision(name, existing)) {
                throw new Rejected("Topic '" + name + "' collides with existing topic: " + existing);
            }
        }
        LogConfig config = topicConfig(Collections.emptyMap(), overrides);
        TopicState t = new TopicState(name, overrides);
        for (int p = 0; p < partitions; p++) {
            TopicPartition tp = new TopicPartition(name, p);
            UnifiedLog log = UnifiedLog.apply(new File(logDir, tp.toString()), config, 0L, 0L, scheduler,
                    brokerTopicStats, time, 900_000, producerStateConfig, 600_000,
                    failureChannel, true, Option.empty(), false, new ConcurrentHashMap<>(), false,
                    LogOffsetsListener.NO_OP_OFFSETS_LISTENER);
            logCreatedMs.put(log, nowMs());
            t.logs.add(log);
            pool.put(tp, log);
        }
        topics.put(name, t);
        step.put("topic", name);
    }

    /** {@code alter <t> <config>=<value> ...}: incremental alter, validated as a whole. */
    private void alter(String rest, Map<String, Object> step) {
        String[] wr = Script.splitWord(rest);
        TopicState t = topicOrThrow(wr[0]);
        Properties next = new Properties();
        next.putAll(t.overrides);
        for (String[] kv : Script.keyValues(wr[1])) {
            next.put(kv[0], kv[1]);
        }
        applyOverrides(t, next);
        step.put("topic", t.name);
    }

    /** {@code unset <t> <config> ...}: {@code kafka-configs --alter --delete-config}. */
    private void unset(String rest, Map<String, Object> step) {
        String[] wr = Script.splitWord(rest);
        TopicState t = topicOrThrow(wr[0]);
        List<String> names = List.of(wr[1].strip().split("\\s+"));
        // Kafka 4.0's ConfigCommand refuses to delete a config the topic does not set (a tool-side check
        // the harness cannot reach through the log layer, so its wording is written here).
        List<String> missing = names.stream().filter(n -> !t.overrides.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw new Rejected("Invalid config(s): " + String.join(",", missing));
        }
        Properties next = new Properties();
        next.putAll(t.overrides);
        names.forEach(next::remove);
        applyOverrides(t, next);
        step.put("topic", t.name);
    }

    /** {@code broker <name>=<value> ...}: the cleaner settings, as a dynamic broker config change. */
    private void broker(String rest, Map<String, Object> step) {
        List<String[]> changes = Script.keyValues(rest);
        for (String[] kv : changes) {
            // PLAYGROUND: only the cleaner settings and the retention check's period are modelled; other
            // broker names are refused.
            if (!PLAYGROUND_CLEANER_DEF.names().contains(kv[0])) {
                throw new Rejected("Unknown broker config name: " + kv[0]);
            }
        }
        Map<String, Object> raw = new HashMap<>(brokerRaw);
        for (String[] kv : changes) {
            raw.put(kv[0], kv[1]);
        }
        // Kafka's ConfigDef: types and ranges, in definition order.
        Map<String, Object> parsed = PLAYGROUND_CLEANER_DEF.parse(raw);
        // Kafka: LogCleaner.validateReconfiguration (needs a whole KafkaConfig, so its words are here).
        if ((Integer) parsed.get(CleanerConfig.LOG_CLEANER_THREADS_PROP) < 1) {
            throw new Rejected("Log cleaner threads should be at least 1");
        }
        Cleaner next = newCleaner(parsed); // Kafka's Cleaner constructor's require, word for word.
        // Kafka: LogConfig.validateValues on the new topic defaults. PLAYGROUND (README): a change that
        // would leave some topic with min.compaction.lag.ms > max.compaction.lag.ms is refused with
        // LogConfig's message (Kafka accepts it and lives with the conflict).
        Map<String, Object> defaults = topicDefaults(parsed);
        LogConfig.validate(Collections.emptyMap(), new Properties(), defaults, false);
        Map<String, LogConfig> configs = new LinkedHashMap<>();
        for (TopicState t : topics.values()) {
            LogConfig.validate(Collections.emptyMap(), t.overrides, defaults, false);
            configs.put(t.name, effective(defaults, t.overrides));
        }
        // Kafka's DynamicBrokerConfig reconfigures LogCleaner (shutdown, then startup: the threads wake
        // at once) when one of its ReconfigurableConfigs changes value; log.cleaner.enable starts or
        // stops them.
        Set<String> restarting = new HashSet<>(CollectionConverters.asJava(LogCleaner$.MODULE$.ReconfigurableConfigs()));
        restarting.add(CleanerConfig.LOG_CLEANER_ENABLE_PROP);
        for (String k : restarting) {
            if (parsed.containsKey(k) && !Objects.equals(parsed.get(k), brokerParsed.get(k))) {
                cleanerWakeMs = nowMs();
            }
        }
        brokerRaw.clear();
        brokerRaw.putAll(raw);
        brokerParsed = parsed;
        producerStateConfig.setProducerIdExpirationMs((Integer) parsed.get("producer.id.expiration.ms"));
        cleaner = next;
        configs.forEach((name, c) -> topics.get(name).logs.forEach(l -> l.updateConfig(c)));
    }

    /** {@code produce <t>[/<p>] [ts=<ms>] <key>:<value>} and {@code tombstone}: one record, one batch. */
    private void produce(String rest, Map<String, Object> step, boolean tombstone) {
        String[] wr = Script.splitWord(rest);
        Object[] tp = Script.topicPartition(wr[0]);
        String body = wr[1];
        Long ts = null;
        String producer = null;
        while (true) {
            String[] w = Script.splitWord(body);
            if (ts == null && w[0].startsWith("ts=") && (!w[0].substring(3).contains(":") || tombstone)) {
                ts = Long.parseLong(w[0].substring(3));
                body = w[1];
            } else if (producer == null && w[0].startsWith("producer=")
                    && (!w[0].substring(9).contains(":") || tombstone) && !(tombstone && w[1].isEmpty())) {
                producer = w[0].substring(9);
                body = w[1];
            } else {
                break;
            }
        }
        Client client = null;
        if (producer != null) {
            client = clients.get(producer);
            if (client == null) {
                throw new Rejected("no producer named '" + producer + "' (create it first with a line `producer "
                        + producer + "`)");
            }
            topicOrThrow((String) tp[0]);
            // KafkaProducer -> TransactionManager.failIfNotReadyForSend's words.
            if (client.transactionalId != null && client.txn == null) {
                throw new Rejected("Cannot call send in state " + client.state());
            }
        }
        // The Java client's ProducerRecord refuses a negative timestamp before
        // the record leaves the producer. PLAYGROUND: -1 means "no timestamp"
        // (RecordBatch.NO_TIMESTAMP), as Kafka's own test records have.
        if (ts != null && ts != -1L) {
            try {
                new ProducerRecord<byte[], byte[]>((String) tp[0], (Integer) null, (Long) ts, (byte[]) null, (byte[]) null);
            } catch (IllegalArgumentException e) {
                throw new Rejected(e.getMessage());
            }
        }
        String key;
        String value;
        if (tombstone) {
            key = body;
            value = null;
        } else {
            int colon = body.indexOf(':');
            key = body.substring(0, colon);
            value = body.substring(colon + 1);
        }
        byte[] k = "NULL".equals(key) ? null : key.getBytes(StandardCharsets.UTF_8);
        byte[] v = value == null || "NULL".equals(value) ? null : value.getBytes(StandardCharsets.UTF_8);
        final Client c = client;
        LogAppendInfo info = append((String) tp[0], (Long) tp[1], ts, k, v, step, c);
        step.put("offset", info.firstOffset());
        if (c != null) {
            TopicPartition written = new TopicPartition((String) step.get("topic"), (Integer) step.get("partition"));
            if (c.producerId != null) {
                c.sequences.merge(written, 1, (a, b) -> (int) ((a + (long) b) % (Integer.MAX_VALUE + 1L)));
            }
            if (c.txn != null) {
                c.txn.put(written.topic() + "\u0000" + String.format("%010d", written.partition()), written);
            }
        }
    }

    /** {@code producer <name> [enable.idempotence=..] [transactional.id=..]}: a client, in the engine's words. */
    private void producer(String rest, Map<String, Object> step) {
        String[] wr = Script.splitWord(rest);
        String name = wr[0];
        Boolean idempotence = null;
        String txnId = null;
        for (String[] kv : Script.keyValues(wr[1])) {
            if (kv[0].equals("enable.idempotence")) {
                idempotence = Boolean.parseBoolean(kv[1]);
            } else {
                txnId = kv[1];
            }
        }
        if (clients.containsKey(name)) {
            throw new Rejected("a producer named '" + name + "' already exists");
        }
        if (txnId != null && Boolean.FALSE.equals(idempotence)) {
            // ProducerConfig's ConfigException.
            throw new Rejected("Cannot set a transactional.id without also enabling idempotence.");
        }
        for (Client other : clients.values()) {
            if (txnId != null && txnId.equals(other.transactionalId)) {
                throw new Rejected("transactional.id '" + txnId + "' is already used by producer '" + other.name
                        + "': a second producer would fence it (bump its epoch), which the playground does not model");
            }
        }
        Client c = new Client();
        c.name = name;
        c.transactionalId = txnId;
        if (!Boolean.FALSE.equals(idempotence)) {
            c.producerId = nextProducerId++;
            c.epoch = 0;
        } else {
            c.epoch = RecordBatch.NO_PRODUCER_EPOCH;
        }
        clients.put(name, c);
        step.put("producer_id", c.producerId);
    }

    private Client transactional(String name) {
        Client c = clients.get(name);
        if (c == null) {
            throw new Rejected("no producer named '" + name + "' (create it first with a line `producer " + name + "`)");
        }
        if (c.transactionalId == null) {
            // KafkaProducer.throwIfNoTransactionManager.
            throw new Rejected("Cannot use transactional methods without enabling transactions by setting the "
                    + "transactional.id configuration property");
        }
        return c;
    }

    /** {@code begin <name>}: TransactionManager.beginTransaction's state transition. */
    private void begin(String rest, Map<String, Object> step) {
        Client c = transactional(Script.splitWord(rest)[0]);
        if (c.txn != null) {
            throw new Rejected("TransactionalId " + c.transactionalId + ": Invalid transition attempted from state "
                    + c.state() + " to state IN_TRANSACTION");
        }
        c.txn = new TreeMap<>();
    }

    /**
     * {@code commit|abort <name>}: the coordinator's WriteTxnMarkers, as Kafka's appendAsLeader with
     * origin COORDINATOR of {@code MemoryRecords.withEndTransactionMarker} to each partition written.
     */
    private void endTxn(String rest, Map<String, Object> step, boolean commit) {
        Client c = transactional(Script.splitWord(rest)[0]);
        if (c.txn == null) {
            throw new Rejected("TransactionalId " + c.transactionalId + ": Invalid transition attempted from state "
                    + c.state() + " to state " + (commit ? "COMMITTING_TRANSACTION" : "ABORTING_TRANSACTION"));
        }
        List<Map<String, Object>> markers = new ArrayList<>();
        for (TopicPartition tp : c.txn.values()) {
            UnifiedLog log = logOrThrow(topicOrThrow(tp.topic()), tp.partition());
            expireProducers(log);
            MemoryRecords marker = MemoryRecords.withEndTransactionMarker(nowMs(), c.producerId, c.epoch,
                    new org.apache.kafka.common.record.EndTransactionMarker(
                            commit ? org.apache.kafka.common.record.ControlRecordType.COMMIT
                                    : org.apache.kafka.common.record.ControlRecordType.ABORT, 0));
            LogAppendInfo info = log.appendAsLeader(marker, 0, AppendOrigin.COORDINATOR, RequestLocal.noCaching(),
                    VerificationGuard.SENTINEL);
            log.updateHighWatermark(log.logEndOffset());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("topic", tp.topic());
            m.put("partition", tp.partition());
            m.put("offset", info.firstOffset());
            markers.add(m);
        }
        c.txn = null;
        step.put("markers", markers);
    }

    /** {@code generate <t> count=<n> keys=<k> [seed=] [tombstones=] [value-bytes=]}. */
    private void generate(String rest, Map<String, Object> step) throws IOException {
        String[] wr = Script.splitWord(rest);
        String topic = wr[0];
        long count = 0;
        long keys = 1;
        long seed = DEFAULT_SEED;
        double tombstones = 0;
        Integer valueBytes = null;
        for (String[] kv : Script.keyValues(wr[1])) {
            switch (kv[0]) {
                case "count" -> count = Long.parseLong(kv[1]);
                case "keys" -> keys = Long.parseLong(kv[1]);
                case "seed" -> seed = Long.parseUnsignedLong(kv[1]);
                case "tombstones" -> tombstones = Double.parseDouble(kv[1]);
                case "value-bytes" -> valueBytes = Integer.parseInt(kv[1]);
                default -> throw new IllegalStateException("generate option " + kv[0]);
            }
        }
        TopicState t = topicOrThrow(topic);
        // PLAYGROUND: generate is all or nothing: the longest record it can write (the longest key
        // with the longest value) is checked first, by Kafka's own append on a scratch copy of the log.
        byte[] longestKey = ("key-" + (keys - 1)).getBytes(StandardCharsets.UTF_8);
        byte[] longestValue = valueOf(count, valueBytes).getBytes(StandardCharsets.UTF_8);
        int probePartition = BuiltInPartitioner.partitionForKey(longestKey, t.logs.size());
        probe(t, probePartition, longestKey, longestValue);
        SplitMix64 g = new SplitMix64(seed);
        for (long i = 1; i <= count; i++) {
            byte[] k = ("key-" + g.below(keys)).getBytes(StandardCharsets.UTF_8);
            boolean tomb = tombstones > 0 && g.nextF64() < tombstones;
            byte[] v = tomb ? null : valueOf(i, valueBytes).getBytes(StandardCharsets.UTF_8);
            append(topic, -1L, null, k, v, new LinkedHashMap<>());
        }
        step.put("topic", topic);
        step.put("count", count);
    }

    /** The playground's latest clock: 9999-12-31T23:59:59.999Z. */
    private static final long MAX_CLOCK_MS = 253_402_300_799_999L;

    private static final String CLOCK_PAST_END =
            "the clock cannot go past 9999-12-31T23:59:59.999Z (" + MAX_CLOCK_MS + " ms)";

    /** {@code advance <duration>}. PLAYGROUND: the clock stops at the end of the year 9999. */
    private void advance(String rest, Map<String, Object> step) {
        long ms;
        try {
            ms = Script.duration(rest.strip());
        } catch (ArithmeticException e) {
            throw new Rejected("'" + rest.strip() + "' is too long a duration");
        }
        long now = nowMs();
        if (now + ms < now || now + ms > MAX_CLOCK_MS) {
            throw new Rejected(CLOCK_PAST_END);
        }
        long[] appended = moveClockTo(now + ms);
        step.put("now_ms", nowMs());
        putAppended(step, appended);
    }

    /** {@code clock <ms>}. PLAYGROUND: any time from 1970 on, also backwards. */
    private void clock(String rest, Map<String, Object> step) {
        long ms = Long.parseLong(rest.strip());
        if (ms < 0) {
            throw new Rejected("the clock cannot be set before 1970 (" + ms + " ms)");
        }
        if (ms > MAX_CLOCK_MS) {
            throw new Rejected(CLOCK_PAST_END);
        }
        long[] appended = moveClockTo(ms);
        step.put("now_ms", nowMs());
        putAppended(step, appended);
    }

    /** The step's {@code appended} (and {@code refused}) when load records were appended (refused). */
    private static void putAppended(Map<String, Object> step, long[] appended) {
        if (appended[0] > 0) {
            step.put("appended", appended[0]);
        }
        if (appended[1] > 0) {
            step.put("refused", appended[1]);
        }
    }

    // ------------------------------------------------------------------ the broker in time

    /**
     * {@code load <t> rate=<n>/s|/m|/h keys=<k> for=<duration> [seed=] [tombstones=] [value-bytes=]}: N =
     * floor(n x for / unit) records, record i due at now + floor((i-1) x unit / n), keys and values as
     * generate draws them; the records due now are appended at once.
     */
    private void load(String rest, Map<String, Object> step) throws IOException {
        String[] wr = Script.splitWord(rest);
        Load l = new Load();
        l.topic = wr[0];
        l.keys = 1;
        long seed = DEFAULT_SEED;
        long forMs = 0;
        for (String[] kv : Script.keyValues(wr[1])) {
            switch (kv[0]) {
                case "rate" -> {
                    String[] nu = kv[1].split("/");
                    l.rate = Long.parseLong(nu[0]);
                    l.unitMs = switch (nu[1]) {
                        case "s" -> 1000L;
                        case "m" -> 60_000L;
                        case "h" -> 3_600_000L;
                        default -> throw new IllegalStateException("rate unit " + nu[1]);
                    };
                }
                case "keys" -> l.keys = Long.parseLong(kv[1]);
                case "for" -> forMs = Script.duration(kv[1]);
                case "seed" -> seed = Long.parseUnsignedLong(kv[1]);
                case "tombstones" -> l.tombstones = Double.parseDouble(kv[1]);
                case "value-bytes" -> l.valueBytes = Integer.parseInt(kv[1]);
                default -> throw new IllegalStateException("load option " + kv[0]);
            }
        }
        long now = nowMs();
        l.count = BigInteger.valueOf(l.rate).multiply(BigInteger.valueOf(forMs))
                .divide(BigInteger.valueOf(l.unitMs)).longValueExact();
        l.t0 = now;
        Long last = null;
        if (l.count > 0) {
            last = l.timeOf(l.count);
            if (last > MAX_CLOCK_MS) {
                throw new Rejected("the load's last record would be due at " + last
                        + " ms, past the clock's end at 9999-12-31T23:59:59.999Z (" + MAX_CLOCK_MS + " ms)");
            }
        }
        TopicState t = topicOrThrow(l.topic);
        // PLAYGROUND: as generate, the longest record the load can send is checked first, by Kafka's own
        // append on a scratch copy of the log (with nothing to send, an empty value).
        byte[] longestKey = ("key-" + (l.keys - 1)).getBytes(StandardCharsets.UTF_8);
        byte[] longestValue = l.count == 0 ? new byte[0] : valueOf(l.count, l.valueBytes).getBytes(StandardCharsets.UTF_8);
        probe(t, BuiltInPartitioner.partitionForKey(longestKey, t.logs.size()), longestKey, longestValue);
        l.g = new SplitMix64(seed);
        loads.add(l);
        long[] appended = appendDue(now);
        touchSegments(false);
        step.put("topic", l.topic);
        step.put("count", l.count);
        step.put("last_ms", last);
        putAppended(step, appended);
    }

    /** When the next load record is due, or Long.MAX_VALUE. */
    private long nextLoadMs() {
        long next = Long.MAX_VALUE;
        for (Load l : loads) {
            if (!l.done()) {
                next = Math.min(next, l.timeOf(l.next));
            }
        }
        return next;
    }

    /**
     * Appends every load record due at or before {@code t} (the clock's now), loads in the order their lines
     * ran. A record the broker refuses is dropped, as a producer whose send failed; the next is sent.
     * Returns {appended, refused}.
     */
    private long[] appendDue(long t) {
        long[] out = new long[2];
        for (Load l : loads) {
            long due = l.dueThrough(t);
            while (l.next <= due) {
                long i = l.next++;
                byte[] k = ("key-" + l.g.below(l.keys)).getBytes(StandardCharsets.UTF_8);
                boolean tomb = l.tombstones > 0 && l.g.nextF64() < l.tombstones;
                byte[] v = tomb ? null : valueOf(i, l.valueBytes).getBytes(StandardCharsets.UTF_8);
                try {
                    append(l.topic, -1L, null, k, v, new LinkedHashMap<>());
                    out[0]++;
                } catch (Rejected | KafkaException | RecordValidationException e) {
                    out[1]++;
                }
            }
        }
        loads.removeIf(Load::done);
        return out;
    }

    /** Moves the clock to {@code to}, appending the load records due on the way, each at its own time. */
    private long[] moveClockTo(long to) {
        long[] out = new long[2];
        for (long t = nextLoadMs(); t <= to; t = nextLoadMs()) {
            time.set(t);
            long[] a = appendDue(t);
            out[0] += a[0];
            out[1] += a[1];
            touchSegments(false);
        }
        time.set(to);
        return out;
    }

    /**
     * {@code run <duration>}: load appends, cleaner-thread iterations and retention checks in time order
     * (at one instant in that order); wakes that fell before the run happen at its start, checks that fell
     * outside any run are skipped, the end instant belongs to the run.
     */
    private void run(String rest, Map<String, Object> step) throws IOException {
        long ms;
        try {
            ms = Script.duration(rest.strip());
        } catch (ArithmeticException e) {
            throw new Rejected("'" + rest.strip() + "' is too long a duration");
        }
        long start = nowMs();
        if (start + ms < start || start + ms > MAX_CLOCK_MS) {
            throw new Rejected(CLOCK_PAST_END);
        }
        long end = start + ms;
        boolean enabled = (Boolean) brokerParsed.get(CleanerConfig.LOG_CLEANER_ENABLE_PROP);
        long backoff = Math.max((Long) brokerParsed.get(CleanerConfig.LOG_CLEANER_BACKOFF_MS_PROP), 1L);
        long interval = Math.max((Long) brokerParsed.get(ServerLogConfigs.LOG_CLEANUP_INTERVAL_MS_CONFIG), 1L);
        long wake = enabled ? Math.max(cleanerWakeMs, start) : Long.MAX_VALUE;
        long check = retentionNextMs;
        if (check < start) {
            long periods = (start - check + interval - 1) / interval;
            check = check + periods * interval;
        }
        long appended = 0;
        long refused = 0;
        long deleted = 0;
        long iterations = 0;
        long checks = 0;
        List<Map<String, Object>> cleanings = new ArrayList<>();
        while (true) {
            long nextLoad = nextLoadMs();
            long t = Math.min(nextLoad, Math.min(wake, check));
            if (t > end) {
                break;
            }
            time.set(t);
            if (nextLoad == t) {
                long[] a = appendDue(t);
                appended += a[0];
                refused += a[1];
                touchSegments(false);
            }
            if (wake == t) {
                while (true) {
                    Map<String, Object> it = new LinkedHashMap<>();
                    cleanerIteration(it);
                    touchSegments(true);
                    iterations++;
                    deleted += (Integer) it.get("deleted_segments");
                    @SuppressWarnings("unchecked")
                    Map<String, Object> cleaned = (Map<String, Object>) it.get("cleaned");
                    if (cleaned == null) {
                        break;
                    }
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("time_ms", t);
                    c.putAll(cleaned);
                    cleanings.add(c);
                    // PLAYGROUND: a cleaning that did not move the first dirty offset is taken as idle.
                    if ((Long) cleaned.get("end_offset") <= (Long) cleaned.get("first_dirty_offset")) {
                        break;
                    }
                }
                wake = t + backoff;
            }
            if (check == t) {
                deleted += retentionPass();
                touchSegments(false);
                checks++;
                check = t + interval;
            }
        }
        time.set(end);
        if (enabled) {
            cleanerWakeMs = wake;
        }
        retentionNextMs = check;
        step.put("now_ms", nowMs());
        step.put("appended", appended);
        step.put("cleanings", cleanings);
        step.put("deleted_segments", deleted);
        step.put("cleaner_iterations", iterations);
        step.put("retention_checks", checks);
        if (refused > 0) {
            step.put("refused", refused);
        }
    }

    /** {@code roll <t>[/<p>]}: {@code UnifiedLog.roll}. */
    private void roll(String rest, Map<String, Object> step) {
        Object[] tp = Script.topicPartition(rest.strip());
        TopicState t = topicOrThrow((String) tp[0]);
        long p = (Long) tp[1];
        if (p >= 0) {
            logOrThrow(t, p);
        }
        for (int i = 0; i < t.logs.size(); i++) {
            if (p < 0 || p == i) {
                t.logs.get(i).roll(Option.empty());
            }
        }
        step.put("topic", t.name);
    }

    /** {@code clean}: one cleaner-thread iteration; {@code clean <t>/<p>}: that partition now. */
    private void clean(String rest, Map<String, Object> step) throws IOException {
        String spec = rest.strip();
        if (spec.isEmpty()) {
            cleanerIteration(step);
        } else {
            cleanPartition(spec, step);
        }
    }

    /** {@code retention}: the log manager's retention check, for logs whose policy is not compact. */
    private void retention(String rest, Map<String, Object> step) {
        retentionPass();
    }

    /** Kafka: LogManager.cleanupLogs -> deleteOldSegments of every non-compacted log. Returns the count. */
    private int retentionPass() {
        int deleted = 0;
        for (TopicState t : topics.values()) {
            for (UnifiedLog log : t.logs) {
                if (!log.config().compact) {
                    deleted += log.deleteOldSegments();
                }
            }
        }
        return deleted;
    }

    /**
     * The records a consumer polling from {@code start} gets, at most {@code max}: up to the high watermark,
     * or with {@code committed} (read_committed) up to the last stable offset without aborted records.
     */
    static List<Map<String, Object>> fetch(UnifiedLog log, long start, long max, boolean committed) {
        List<Map<String, Object>> out = new ArrayList<>();
        long next = start;
        // A consumer keeps fetching until it reaches the high watermark; records below its position
        // (earlier records of the first batch) are skipped, as the consumer's fetcher does.
        // read_committed: up to the last stable offset, skipping aborted batches with the aborted
        // transactions the fetch returns, as the consumer's CompletedFetch does; markers are never returned.
        long end = committed ? log.lastStableOffset() : log.highWatermark();
        java.util.PriorityQueue<org.apache.kafka.common.message.FetchResponseData.AbortedTransaction> abortedTxns =
                new java.util.PriorityQueue<>(java.util.Comparator.comparingLong(
                        org.apache.kafka.common.message.FetchResponseData.AbortedTransaction::firstOffset));
        Set<Long> abortedProducers = new HashSet<>();
        while (out.size() < max && next < end) {
            FetchDataInfo data = log.read(next, Integer.MAX_VALUE,
                    committed ? FetchIsolation.TXN_COMMITTED : FetchIsolation.HIGH_WATERMARK, true);
            if (committed && data.abortedTransactions.isPresent()) {
                for (org.apache.kafka.common.message.FetchResponseData.AbortedTransaction a : data.abortedTransactions.get()) {
                    abortedTxns.add(a);
                }
            }
            long before = next;
            for (RecordBatch batch : data.records.batches()) {
                if (committed && batch.hasProducerId()) {
                    while (!abortedTxns.isEmpty() && abortedTxns.peek().firstOffset() <= batch.lastOffset()) {
                        abortedProducers.add(abortedTxns.poll().producerId());
                    }
                    boolean abortMarker = false;
                    if (batch.isControlBatch()) {
                        java.util.Iterator<Record> it = batch.iterator();
                        abortMarker = it.hasNext() && org.apache.kafka.common.record.ControlRecordType.parse(it.next().key())
                                == org.apache.kafka.common.record.ControlRecordType.ABORT;
                    }
                    if (abortMarker) {
                        abortedProducers.remove(batch.producerId());
                    } else if (batch.isTransactional() && abortedProducers.contains(batch.producerId())) {
                        next = Math.max(next, batch.nextOffset());
                        continue;
                    }
                }
                if (batch.isControlBatch()) {
                    next = Math.max(next, batch.nextOffset());
                    continue;
                }
                for (Record r : batch) {
                    if (r.offset() >= next && out.size() < max) {
                        out.add(Json.record(r, batch));
                    }
                }
                next = Math.max(next, batch.nextOffset());
            }
            if (next == before) {
                break;
            }
        }
        return out;
    }

    /** {@code consume <t>/<p> [from=] [max=]}: a fetch up to the high watermark, as a consumer reads it. */
    private void consume(String rest, Map<String, Object> step) {
        String[] wr = Script.splitWord(rest);
        Object[] tp = Script.topicPartition(wr[0]);
        Long from = null;
        // A consumer's poll returns at most max.poll.records (ConsumerConfig's default, 500).
        long max = org.apache.kafka.clients.consumer.ConsumerConfig.DEFAULT_MAX_POLL_RECORDS;
        boolean committed = false;
        for (String[] kv : Script.keyValues(wr[1])) {
            if (kv[0].equals("from")) {
                from = Long.parseLong(kv[1]);
            } else if (kv[0].equals("isolation")) {
                committed = kv[1].equals("read_committed");
            } else {
                max = Long.parseUnsignedLong(kv[1]);
            }
        }
        TopicState t = topicOrThrow((String) tp[0]);
        UnifiedLog log = logOrThrow(t, (Long) tp[1]);
        long start = from == null ? log.logStartOffset() : from;
        List<Map<String, Object>> out = fetch(log, start, max, committed);
        if (start > log.logEndOffset() || start < log.logStartOffset()) {
            log.read(start, 1, FetchIsolation.HIGH_WATERMARK, true); // throws Kafka's OffsetOutOfRange
        }
        step.put("topic", t.name);
        step.put("partition", ((Long) tp[1]).intValue());
        step.put("records", out);
    }

    // ------------------------------------------------------------------ cleaning

    /**
     * One iteration of a cleaner thread ({@code CleanerThread.cleanFilthiestLog}): grab the filthiest
     * log, clean it, done cleaning, then {@code deleteOldSegments} of every compacted log.
     */
    private void cleanerIteration(Map<String, Object> step) throws IOException {
        boolean enabled = (Boolean) brokerParsed.get(CleanerConfig.LOG_CLEANER_ENABLE_PROP);
        if (!enabled) {
            // log.cleaner.enable=false: no cleaner threads, so no cleaning and no compacted-log retention.
            step.put("selection", List.of());
            step.put("cleaned", null);
            step.put("deleted_segments", 0);
            return;
        }
        List<Map<String, Object>> selection = selection(null);
        Option<LogToClean> grabbed = cleanerManager.grabFilthiestCompactedLog(time, new PreCleanStats());
        Map<String, Object> cleaned = null;
        if (grabbed.isDefined()) {
            LogToClean ltc = grabbed.get();
            markChosen(selection, ltc.topicPartition());
            cleaned = cleanLog(ltc);
        }
        var deletable = cleanerManager.deletableLogs();
        int deleted = 0;
        try {
            for (Tuple2<TopicPartition, UnifiedLog> e : CollectionConverters.asJava(deletable)) {
                deleted += e._2().deleteOldSegments();
            }
        } finally {
            cleanerManager.doneDeleting(deletable.map(Tuple2::_1));
        }
        step.put("selection", selection);
        step.put("cleaned", cleaned);
        step.put("deleted_segments", deleted);
    }

    /**
     * PLAYGROUND: {@code clean <t>/<p>} cleans one partition from its first dirty offset to its first
     * uncleanable offset whatever its ratio (not in Kafka). It uses Kafka's {@code cleanableOffsets} and
     * {@code LogToClean}, rewrites invalid checkpoints of every compacted log as a manager pass does,
     * and runs Kafka's {@code Cleaner} when the range is not empty.
     */
    private void cleanPartition(String spec, Map<String, Object> step) throws IOException {
        Object[] tp = Script.topicPartition(spec);
        TopicState t = topicOrThrow((String) tp[0]);
        UnifiedLog log = logOrThrow(t, (Long) tp[1]);
        if (!log.config().compact) {
            throw new Rejected(log.topicPartition() + " is not compacted (cleanup.policy="
                    + String.join(",", log.config().getList("cleanup.policy"))
                    + "); the log cleaner only cleans topics whose policy includes compact");
        }
        List<Map<String, Object>> selection = selection(log.topicPartition());
        Map<String, Object> target = selection.get(0);
        Map<String, Object> cleaned = null;
        LogToClean ltc = (LogToClean) target.remove("ltc");
        if (ltc.firstUncleanableOffset() > ltc.firstDirtyOffset()) {
            cleanerManager.setCleaningState(ltc.topicPartition(), kafka.log.LogCleaningInProgress$.MODULE$);
            cleaned = cleanLog(ltc);
        }
        target.put("chosen", cleaned != null);
        step.put("selection", selection);
        step.put("cleaned", cleaned);
    }

    /** {@code CleanerThread.cleanLog}: clean, then done cleaning with the end offset. */
    private Map<String, Object> cleanLog(LogToClean ltc) {
        expireProducers(ltc.log());
        long endOffset = ltc.firstDirtyOffset();
        CleanerStats stats;
        try {
            Tuple2<Object, CleanerStats> r = cleaner.clean(ltc);
            endOffset = (Long) r._1();
            stats = r._2();
        } finally {
            cleanerManager.doneCleaning(ltc.topicPartition(), ltc.log().parentDirFile(), endOffset);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("topic", ltc.topicPartition().topic());
        out.put("partition", ltc.topicPartition().partition());
        out.put("first_dirty_offset", ltc.firstDirtyOffset());
        out.put("end_offset", endOffset);
        out.put("messages_read", stats.messagesRead());
        out.put("messages_written", stats.messagesWritten());
        out.put("bytes_read", stats.bytesRead());
        out.put("bytes_written", stats.bytesWritten());
        return out;
    }

    /**
     * Every compacted log as the manager sees it now (Kafka's {@code cleanableOffsets},
     * {@code maxCompactionDelay} and {@code LogToClean}), before a pass grabs one. With {@code only},
     * just that partition, but invalid checkpoints of every log are rewritten as a pass rewrites them.
     */
    private List<Map<String, Object>> selection(TopicPartition only) throws IOException {
        long now = nowMs();
        var checkpoints = cleanerManager.allCleanerCheckpoints();
        List<Map<String, Object>> out = new ArrayList<>();
        for (TopicState t : topics.values()) {
            for (UnifiedLog log : t.logs) {
                if (!log.config().compact) {
                    continue;
                }
                TopicPartition tp = log.topicPartition();
                OffsetsToClean o = LogCleanerManager.cleanableOffsets(log, checkpointOf(checkpoints, tp), now);
                if (only != null) {
                    if (o.forceUpdateCheckpoint()) {
                        cleanerManager.updateCheckpoints(log.parentDirFile(),
                                Option.apply(new Tuple2<>(tp, (Long) o.firstDirtyOffset())), Option.empty());
                    }
                    if (!tp.equals(only)) {
                        continue;
                    }
                }
                long delay = LogCleanerManager$.MODULE$.kafka$log$LogCleanerManager$$maxCompactionDelay(
                        log, o.firstDirtyOffset(), now);
                LogToClean ltc = new LogToClean(tp, log, o.firstDirtyOffset(), o.firstUncleanableDirtyOffset(), delay > 0);
                boolean eligible = ltc.totalBytes() > 0
                        && ((ltc.needCompactionNow() && ltc.cleanableBytes() > 0)
                        || ltc.cleanableRatio() > log.config().minCleanableRatio);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("topic", tp.topic());
                m.put("partition", tp.partition());
                m.put("first_dirty_offset", ltc.firstDirtyOffset());
                m.put("first_uncleanable_offset", ltc.firstUncleanableOffset());
                m.put("clean_bytes", ltc.cleanBytes());
                m.put("cleanable_bytes", ltc.cleanableBytes());
                m.put("dirty_ratio", ltc.totalBytes() > 0 ? ltc.cleanableRatio() : 0.0);
                m.put("eligible", eligible);
                m.put("chosen", false);
                if (only != null) {
                    m.put("ltc", ltc);
                }
                out.add(m);
            }
        }
        return out;
    }

    private static void markChosen(List<Map<String, Object>> selection, TopicPartition tp) {
        for (Map<String, Object> m : selection) {
            if (m.get("topic").equals(tp.topic()) && m.get("partition").equals(tp.partition())) {
                m.put("chosen", true);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Option<Object> checkpointOf(scala.collection.immutable.Map checkpoints, TopicPartition tp) {
        return (Option<Object>) checkpoints.get(tp);
    }

    // ------------------------------------------------------------------ produce

    /** The partition a record goes to, then Kafka's {@code appendAsLeader}; the HW follows the LEO. */
    private LogAppendInfo append(String topic, long explicitPartition, Long ts, byte[] k, byte[] v,
                                 Map<String, Object> step) {
        return append(topic, explicitPartition, ts, k, v, step, null);
    }

    /** As above; a producer client's record carries its id, epoch and sequence (and the transactional flag). */
    private LogAppendInfo append(String topic, long explicitPartition, Long ts, byte[] k, byte[] v,
                                 Map<String, Object> step, Client client) {
        TopicState t = topicOrThrow(topic);
        long timestamp = ts == null ? nowMs() : ts;
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(timestamp, k, v));
        int n = t.logs.size();
        long partition;
        SplitMix64 rngBefore = rng.copy();
        int stickyBefore = t.stickyPartition;
        long stickyBytesBefore = t.stickyBytes;
        if (explicitPartition >= 0) {
            partition = explicitPartition;
        } else if (k != null) {
            partition = BuiltInPartitioner.partitionForKey(k, n); // murmur2, toPositive, modulo
        } else {
            partition = sticky(t, n, records.sizeInBytes());
        }
        try {
            UnifiedLog log = logOrThrow(t, partition);
            if (client != null && client.producerId != null) {
                expireProducers(log);
                TopicPartition tpw = new TopicPartition(t.name, (int) partition);
                int seq = client.sequences.getOrDefault(tpw, 0);
                SimpleRecord r = new SimpleRecord(timestamp, k, v);
                records = client.txn != null
                        ? MemoryRecords.withTransactionalRecords(Compression.NONE, client.producerId, client.epoch, seq, r)
                        : MemoryRecords.withIdempotentRecords(Compression.NONE, client.producerId, client.epoch, seq, r);
            }
            LogAppendInfo info = log.appendAsLeader(records, 0, AppendOrigin.CLIENT, RequestLocal.noCaching(),
                    VerificationGuard.SENTINEL);
            log.updateHighWatermark(log.logEndOffset());
            step.put("topic", t.name);
            step.put("partition", (int) partition);
            return info;
        } catch (RuntimeException e) {
            // A rejected record changes nothing, the producer's partitioner state included.
            rng.restore(rngBefore);
            t.stickyPartition = stickyBefore;
            t.stickyBytes = stickyBytesBefore;
            throw e;
        }
    }

    /**
     * PLAYGROUND: the Java producer's sticky partitioner for null keys, made deterministic as the engine
     * makes it (a seeded draw when the sticky partition changes, a switch after batch.size bytes).
     * This is the client's choice, not the broker's, so the harness follows the playground.
     */
    private int sticky(TopicState t, int n, int bytes) {
        int p = t.stickyPartition >= 0 && t.stickyPartition < n ? t.stickyPartition : switchSticky(t, n);
        t.stickyBytes += bytes;
        if (t.stickyBytes >= 16384) {
            switchSticky(t, n);
        }
        return p;
    }

    private int switchSticky(TopicState t, int n) {
        t.stickyPartition = (int) rng.below(Math.max(n, 1));
        t.stickyBytes = 0;
        return t.stickyPartition;
    }

    /** Appends the probe record to a scratch log with the topic's config, for its error if any. */
    private void probe(TopicState t, int partition, byte[] k, byte[] v) throws IOException {
        File scratch = java.nio.file.Files.createTempDirectory(logDir.toPath().getParent(), "probe").toFile();
        TopicPartition tp = new TopicPartition(t.name, partition);
        UnifiedLog log = UnifiedLog.apply(new File(scratch, tp.toString()), t.logs.get(partition).config(), 0L, 0L,
                scheduler, brokerTopicStats, time, 900_000, new ProducerStateManagerConfig(86_400_000, false),
                600_000, failureChannel, true, Option.empty(), false, new ConcurrentHashMap<>(), false,
                LogOffsetsListener.NO_OP_OFFSETS_LISTENER);
        try {
            log.appendAsLeader(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(nowMs(), k, v)), 0,
                    AppendOrigin.CLIENT, RequestLocal.noCaching(), VerificationGuard.SENTINEL);
        } finally {
            log.close();
            Main.deleteRecursively(scratch);
        }
    }

    private static String valueOf(long i, Integer width) {
        String base = "v" + i;
        if (width == null) {
            return base;
        }
        return base.length() >= width ? base.substring(0, width) : base + ".".repeat(width - base.length());
    }

    // ------------------------------------------------------------------ configs

    /**
     * The cleaner's ConfigDef with one PLAYGROUND change: {@code log.cleaner.io.buffer.load.factor} must
     * be in (0, 1]. Kafka has no validator; 0 fails the Cleaner's require, and above 1 Kafka's map would
     * be asked to hold more keys than it has slots (its probing would never end once full).
     */
    static final ConfigDef PLAYGROUND_CLEANER_DEF = playgroundCleanerDef();

    private static ConfigDef playgroundCleanerDef() {
        ConfigDef def = new ConfigDef();
        // After the cleaner's keys, as Kafka's broker ConfigDef merges LogConfig.SERVER_CONFIG_DEF after
        // CleanerConfig.CONFIG_DEF (below).
        for (ConfigDef.ConfigKey key : CleanerConfig.CONFIG_DEF.configKeys().values()) {
            if (key.name.equals(CleanerConfig.LOG_CLEANER_DEDUPE_BUFFER_LOAD_FACTOR_PROP)) {
                def.define(key.name, key.type, key.defaultValue, (name, value) -> {
                    double d = (Double) value;
                    if (Double.isNaN(d) || d <= 0) {
                        throw new ConfigException(name, value, "Value must be greater than 0");
                    }
                    if (d > 1) {
                        throw new ConfigException(name, value, "Value must be no more than 1");
                    }
                }, key.importance, key.documentation);
            } else {
                def.define(key);
            }
        }
        def.define(LogConfig.SERVER_CONFIG_DEF.configKeys().get(ServerLogConfigs.LOG_CLEANUP_INTERVAL_MS_CONFIG));
        // TransactionLogConfig's definition of producer.id.expiration.ms (INT, atLeast(1), 1 day), copied
        // because the transaction coordinator's module is not on the harness's class path.
        def.define("producer.id.expiration.ms", ConfigDef.Type.INT, 86400000, ConfigDef.Range.atLeast(1),
            ConfigDef.Importance.LOW, "The time in ms that a topic partition leader will wait before expiring producer IDs.");
        return def;
    }

    /**
     * A Cleaner as a cleaner thread builds it (LogCleaner.CleanerThread), with one PLAYGROUND change:
     * any buffer size, since a broker would refuse less than 1 MiB per thread at startup. As in
     * LogCleanerTest, the harness builds the Cleaner itself with a small {@link SkimpyOffsetMap}.
     */
    private Cleaner newCleaner(Map<String, Object> parsed) {
        int threads = (Integer) parsed.get(CleanerConfig.LOG_CLEANER_THREADS_PROP);
        long dedupe = (Long) parsed.get(CleanerConfig.LOG_CLEANER_DEDUPE_BUFFER_SIZE_PROP);
        double loadFactor = (Double) parsed.get(CleanerConfig.LOG_CLEANER_DEDUPE_BUFFER_LOAD_FACTOR_PROP);
        // PLAYGROUND: log.cleaner.io.buffer.size is validated but not modelled: Kafka's I/O buffers only
        // change how the cleaner reads (they grow as batches need). The harness uses the default, since
        // a 2 GiB buffer would exhaust the JVM, and 0 would never grow (Kafka's growBuffers doubles it).
        int ioBuffer = CleanerConfig.LOG_CLEANER_IO_BUFFER_SIZE;
        // A negative buffer never reaches Kafka's Cleaner (startup refuses it); an empty map gets the
        // Cleaner's own "too small" message.
        int memory = (int) Math.max(0, Math.min(dedupe / Math.max(threads, 1), Integer.MAX_VALUE));
        try {
            return new Cleaner(0, offsetMap(memory),
                    ioBuffer / Math.max(threads, 1) / 2, 1_048_588, loadFactor,
                    new Throttler(Double.MAX_VALUE, 300, "cleaner-io", "bytes", time), time,
                    tp -> BoxedUnit.UNIT);
        } catch (IllegalArgumentException e) {
            throw new Rejected(e.getMessage().replaceFirst("^requirement failed: ", ""));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Offset maps by size, shared by every script (a cleaning pass clears its map first). */
    private static final Map<Integer, SkimpyOffsetMap> OFFSET_MAPS = new HashMap<>();
    /** 1 Mi slots: more distinct keys than any script writes. */
    static final int LARGEST_MAP_BYTES = 24 << 20;

    /**
     * A {@link SkimpyOffsetMap} of {@code memory} bytes. Above {@link #LARGEST_MAP_BYTES} the harness
     * allocates that much instead (the default 128 MiB, or up to 2 GiB, per script would exhaust the
     * JVM): a map behaves the same as a larger one until it holds more keys than a script writes.
     */
    private static SkimpyOffsetMap offsetMap(int memory) throws java.security.NoSuchAlgorithmException {
        int bytes = Math.min(memory, LARGEST_MAP_BYTES);
        SkimpyOffsetMap map = OFFSET_MAPS.get(bytes);
        if (map == null) {
            map = new SkimpyOffsetMap(bytes, CleanerConfig.HASH_ALGORITHM);
            OFFSET_MAPS.put(bytes, map);
        }
        return map;
    }

    /** The topic-config defaults the broker's cleaner settings supply (their topic-level synonyms). */
    private static Map<String, Object> topicDefaults(Map<String, Object> parsed) {
        Map<String, Object> d = new HashMap<>();
        d.put("min.cleanable.dirty.ratio", parsed.get(CleanerConfig.LOG_CLEANER_MIN_CLEAN_RATIO_PROP).toString());
        d.put("delete.retention.ms", parsed.get(CleanerConfig.LOG_CLEANER_DELETE_RETENTION_MS_PROP).toString());
        d.put("min.compaction.lag.ms", parsed.get(CleanerConfig.LOG_CLEANER_MIN_COMPACTION_LAG_MS_PROP).toString());
        d.put("max.compaction.lag.ms", parsed.get(CleanerConfig.LOG_CLEANER_MAX_COMPACTION_LAG_MS_PROP).toString());
        return d;
    }

    /** Kafka's controller validation ({@code LogConfig.validate} against the broker's defaults). */
    private LogConfig topicConfig(Map<String, String> existing, Properties overrides) {
        Map<String, Object> defaults = topicDefaults(brokerParsed);
        LogConfig.validate(existing, overrides, defaults, false);
        return effective(defaults, overrides);
    }

    /**
     * The config the logs run with. PLAYGROUND: {@code compression.type} is validated but not modelled
     * (the README lists compression as out of scope): batches stay as the producer sent them, so the
     * logs run with Kafka's default, {@code producer}.
     */
    private static LogConfig effective(Map<String, Object> defaults, Properties overrides) {
        Properties modelled = new Properties();
        modelled.putAll(overrides);
        modelled.remove("compression.type");
        return LogConfig.fromProps(defaults, modelled);
    }

    private void applyOverrides(TopicState t, Properties next) {
        Map<String, String> existing = new HashMap<>();
        t.overrides.forEach((k, v) -> existing.put((String) k, (String) v));
        LogConfig config = topicConfig(existing, next);
        t.overrides.clear();
        t.overrides.putAll(next);
        t.logs.forEach(l -> l.updateConfig(config));
    }

    // ------------------------------------------------------------------ lookups and files

    private TopicState topicOrThrow(String name) {
        TopicState t = topics.get(name);
        if (t == null) {
            // Wording of the layer above the log (ReplicaManager/metadata), as the playground words it.
            throw new Rejected("This server does not host this topic-partition: topic '" + name + "' does not exist.");
        }
        return t;
    }

    private static UnifiedLog logOrThrow(TopicState t, long p) {
        if (p < 0 || p >= t.logs.size()) {
            throw new Rejected("This server does not host this topic-partition: " + t.name + "-" + p + ".");
        }
        return t.logs.get((int) p);
    }

    /**
     * Keeps every segment file's modification time on the mock clock: a segment that is new or grew
     * since the last step was written now; a segment that the cleaner wrote keeps the time Kafka gave
     * it (the last source segment's); the rest keep theirs. Kafka reads the file time as the largest
     * timestamp of a segment without record timestamps (retention, min.compaction.lag.ms).
     */
    void touchSegments(boolean cleaning) {
        long now = nowMs();
        IdentityHashMap<LogSegment, long[]> next = new IdentityHashMap<>();
        for (TopicState t : topics.values()) {
            for (UnifiedLog log : t.logs) {
                for (LogSegment s : log.logSegments()) {
                    long[] seen = segmentTimes.get(s);
                    if (seen != null && seen[0] == s.size()) {
                        // Unchanged since it was given its time: no file system call (a run touches the
                        // segments after every event).
                        next.put(s, seen);
                        continue;
                    }
                    long mtime;
                    if (seen != null) {
                        mtime = seen[0] != s.size() ? now : seen[1];
                    } else if (cleaning && s.size() > 0) {
                        mtime = s.lastModified(); // the cleaner's setLastModified from its source segments
                    } else {
                        mtime = now;
                    }
                    if (s.lastModified() != mtime && mtime >= 0) {
                        // The .log file only: LogSegment.lastModified reads it, and the indexes of a
                        // new segment are created lazily (LogSegment.setLastModified would fail on them).
                        if (!s.log().file().setLastModified(mtime)) {
                            throw new IllegalStateException("cannot set the time of " + s.log().file());
                        }
                    }
                    next.put(s, new long[] {s.size(), mtime});
                }
            }
        }
        segmentTimes.clear();
        segmentTimes.putAll(next);
    }

    /** The whole broker in the shape of {@code run --json} (the parts the differential compares). */
    Map<String, Object> snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("now_ms", nowMs());
        List<Object> ts = new ArrayList<>();
        var checkpoints = cleanerManager.allCleanerCheckpoints();
        for (TopicState t : topics.values()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("name", t.name);
            List<Object> ps = new ArrayList<>();
            for (UnifiedLog log : t.logs) {
                OffsetsToClean o = LogCleanerManager.cleanableOffsets(log,
                        checkpointOf(checkpoints, log.topicPartition()), nowMs());
                ps.add(Json.partition(log, o.firstDirtyOffset()));
            }
            tm.put("partitions", ps);
            ts.add(tm);
        }
        out.put("topics", ts);
        return out;
    }

    @Override
    public void close() {
        for (TopicState t : topics.values()) {
            for (UnifiedLog log : t.logs) {
                try {
                    log.close();
                } catch (RuntimeException e) {
                    // closing only frees file handles
                }
            }
        }
        cleanerManager.removeMetrics();
        brokerTopicStats.close();
    }

    /** The record error a producer is shown: the first per-record error, else the exception's message. */
    static String errorText(Throwable e) {
        if (e instanceof RecordValidationException rve) {
            List<ProduceResponse.RecordError> errors = rve.recordErrors();
            if (!errors.isEmpty() && errors.get(0).message != null) {
                return errors.get(0).message;
            }
            return rve.invalidException().getMessage();
        }
        return e.getMessage();
    }

}
