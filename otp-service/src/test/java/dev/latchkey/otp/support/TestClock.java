package dev.latchkey.otp.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * The system clock plus an offset tests can move forward, to cross rate-limit windows without waiting; it can also
 * be stopped, so a test of a limit that refills every few seconds does not depend on how fast the machine is.
 */
@Alternative
@Singleton
public class TestClock extends Clock {

    private final AtomicLong offsetMs = new AtomicLong();
    private final AtomicLong stoppedAt = new AtomicLong(-1);

    public void advance(Duration d) {
        offsetMs.addAndGet(d.toMillis());
    }

    /** Time stands still (apart from {@link #advance}) until {@link #start}. */
    public void stop() {
        stoppedAt.compareAndSet(-1, System.currentTimeMillis());
    }

    /** Time runs again from where it stood. */
    public void start() {
        long at = stoppedAt.getAndSet(-1);
        if (at >= 0) {
            offsetMs.addAndGet(at - System.currentTimeMillis());
        }
    }

    @Override
    public long millis() {
        long at = stoppedAt.get();
        return (at >= 0 ? at : System.currentTimeMillis()) + offsetMs.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
