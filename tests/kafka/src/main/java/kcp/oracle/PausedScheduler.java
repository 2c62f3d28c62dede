package kcp.oracle;

import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.server.util.Scheduler;

/**
 * A scheduler whose tasks never run: the playground's broker has no background work between commands
 * (cleaning and retention run when a script says so). What Kafka schedules from the log layer is
 * housekeeping that changes nothing a script observes: deleting the files of removed segments after
 * {@code file.delete.delay.ms}, flushes, leader-epoch checkpoint writes, producer-id expiration.
 * ({@code MockScheduler} would run periodic tasks once per period when the clock jumps by years.)
 */
final class PausedScheduler implements Scheduler {
    @Override
    public void startup() {}

    @Override
    public void shutdown() {}

    @Override
    public ScheduledFuture<?> schedule(String name, Runnable task, long delayMs, long periodMs) {
        return NEVER;
    }

    @Override
    public void resizeThreadPool(int newSize) {}

    private static final ScheduledFuture<Object> NEVER = new ScheduledFuture<>() {
        @Override
        public long getDelay(TimeUnit unit) {
            return Long.MAX_VALUE;
        }

        @Override
        public int compareTo(Delayed o) {
            return 0;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return true;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return false;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException("a paused task never completes");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException("a paused task never completes");
        }
    };
}
