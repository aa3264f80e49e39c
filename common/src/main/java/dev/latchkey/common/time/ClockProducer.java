package dev.latchkey.common.time;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/**
 * The one clock behind every timestamp, expiry and rate window of every service (UTC). A test replaces it with a
 * bean of its own (an {@code @Alternative} or a plain producer), which wins over this default.
 */
public class ClockProducer {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
