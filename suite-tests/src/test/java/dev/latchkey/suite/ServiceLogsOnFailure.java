package dev.latchkey.suite;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * When a suite test fails, prints the end of each service's log to the build output: a CI run keeps only what the
 * build printed, and the services' logs under {@code target/suite/logs} are gone with its machine. The logs hold no
 * code or token (LoginFlowIT checks). Only the first few failures print, so one broken service does not bury the
 * summary.
 */
public final class ServiceLogsOnFailure implements TestWatcher {

    private static final int FAILURES_PRINTED = 3;
    private static final AtomicInteger FAILURES = new AtomicInteger();

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Suite suite = Suite.ifStarted();
        if (suite == null || FAILURES.incrementAndGet() > FAILURES_PRINTED) {
            return;
        }
        StringBuilder out = new StringBuilder("\n==== ").append(context.getDisplayName()).append(" failed: ")
                .append(cause).append("\n");
        for (String service : List.of("otp", "token", "delivery", "admin")) {
            try {
                out.append("---- ").append(service).append("-service log, last 40 lines ----\n")
                        .append(suite.tail(service, 40)).append('\n');
            } catch (Exception e) {
                out.append("(cannot read: ").append(e).append(")\n");
            }
        }
        System.out.println(out);
    }
}
