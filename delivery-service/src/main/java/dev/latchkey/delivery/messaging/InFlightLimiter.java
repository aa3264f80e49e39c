package dev.latchkey.delivery.messaging;

import java.util.ArrayDeque;

import io.smallrye.mutiny.Uni;

/**
 * An asynchronous semaphore: {@link #acquire()} completes when one of {@code max} permits is free, without parking a
 * thread. A consumer returning that Uni lets Kafka hand over the next record only while fewer than {@code max} are in
 * flight, which is how one channel works on many records at once and still has a bound.
 */
final class InFlightLimiter {

    private final int max;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int inUse;

    InFlightLimiter(int max) {
        this.max = Math.max(1, max);
    }

    Uni<Void> acquire() {
        return Uni.createFrom().emitter(em -> {
            synchronized (this) {
                if (inUse < max) {
                    inUse++;
                } else {
                    waiting.add(() -> em.complete(null));
                    return;
                }
            }
            em.complete(null);
        });
    }

    void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inUse--;
            }
        }
        // The permit passes straight to the next waiter.
        if (next != null) {
            next.run();
        }
    }

    synchronized int inUse() {
        return inUse;
    }
}
