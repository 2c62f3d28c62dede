package kcp.oracle;

import java.lang.reflect.Field;
import java.util.Comparator;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;

import kafka.log.UnifiedLog;
import kafka.utils.Pool;

import org.apache.kafka.common.TopicPartition;

import scala.Option;

/**
 * Kafka's log pool, iterated in (topic, partition) order.
 *
 * <p>Where Kafka leaves a choice open: {@code LogCleanerManager.grabFilthiestCompactedLog} takes the
 * first of equally dirty logs in the order of its pool, a {@code ConcurrentHashMap}, so Kafka does not
 * define which one is cleaned first. The playground's rule is topic name, then partition. The harness
 * gives Kafka's {@link Pool} a sorted concurrent map in place of its hash map (a Scala collection cannot
 * be subclassed from Java), so that the comparison is about everything else.
 */
final class SortedPool {
    static Pool<TopicPartition, UnifiedLog> create() {
        Pool<TopicPartition, UnifiedLog> pool = new Pool<>(Option.empty());
        ConcurrentMap<TopicPartition, UnifiedLog> sorted = new ConcurrentSkipListMap<>(
                Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        try {
            for (Field f : Pool.class.getDeclaredFields()) {
                if (ConcurrentMap.class.isAssignableFrom(f.getType())) {
                    f.setAccessible(true);
                    f.set(pool, sorted);
                    return pool;
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("kafka.utils.Pool has no ConcurrentMap field to replace");
    }

    private SortedPool() {}
}
