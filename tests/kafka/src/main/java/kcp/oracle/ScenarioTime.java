package kcp.oracle;

import java.util.function.Supplier;

import org.apache.kafka.common.utils.Time;

/**
 * The scenario clock as Kafka's {@link Time}: what {@code MockTime} is in Kafka's own tests, except that
 * it may be set back. The playground's {@code clock <ms>} may move the clock backwards (a broker's wall
 * clock can jump back too), and Kafka's {@code MockTime.setCurrentTimeMs} refuses that, so the harness
 * keeps the time itself. Nothing ever sleeps: there are no background threads.
 */
final class ScenarioTime implements Time {
    static final long START_MS = 1_704_067_200_000L;

    private long nowMs = START_MS;

    @Override
    public long milliseconds() {
        return nowMs;
    }

    @Override
    public long nanoseconds() {
        return nowMs * 1_000_000L;
    }

    @Override
    public void sleep(long ms) {
        nowMs += ms;
    }

    @Override
    public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) {
        throw new UnsupportedOperationException("the harness never waits");
    }

    void set(long ms) {
        nowMs = ms;
    }
}
