package dev.latchkey.otp.service;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C trace context ({@code traceparent}, {@code tracestate}) handed to delivery-service with the event. A start
 * continues the caller's trace when it sent a valid {@code traceparent} (same trace id, a new span id for this hop),
 * and starts a new trace otherwise.
 */
public record TraceContext(String traceparent, String tracestate) {

    private static final Pattern TRACEPARENT = Pattern
            .compile("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$");
    private static final String INVALID_TRACE = "0".repeat(32);

    public static TraceContext continueOrStart(String traceparent, String tracestate) {
        var m = traceparent == null ? null : TRACEPARENT.matcher(traceparent.strip());
        if (m != null && m.matches() && !m.group(1).equals(INVALID_TRACE) && !traceparent.startsWith("ff")) {
            String state = tracestate == null || tracestate.isBlank() || tracestate.length() > 512
                    ? null
                    : tracestate.strip();
            return new TraceContext("00-" + m.group(1) + "-" + spanId() + "-" + m.group(2), state);
        }
        return new TraceContext("00-" + hex(16) + "-" + spanId() + "-01", null);
    }

    private static String spanId() {
        return hex(8);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
