package dev.latchkey.common.observability;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Gives every HTTP request a request id and puts it in the logging MDC as {@code request_id}, so that every line
 * logged while the request is served carries it (plain format and JSON alike), and returns it to the caller in
 * {@code X-Request-Id}.
 *
 * <p>
 * The id is the caller's {@code X-Request-Id} when it is a plain token (the ingress and the local origin set one), else
 * the trace id of the request's server span (so a log line leads straight to its trace), else a random one when
 * tracing is off. Anything else in the header (too long, odd characters) is replaced, never echoed.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";

    /** Ahead of every other route, so that the id is in place before any handler logs. */
    private static final int ORDER = -1_000;
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::tag);
    }

    private void tag(RoutingContext rc) {
        String id = chooseId(rc.request().getHeader(HEADER), Span.current().getSpanContext());
        MDC.put(MDC_KEY, id);
        rc.response().putHeader(HEADER, id);
        rc.next();
    }

    /** The id for a request that came with {@code header} (may be null) while {@code trace} is current. */
    private static String chooseId(String header, SpanContext trace) {
        if (header != null && PLAIN.matcher(header).matches()) {
            return header;
        }
        if (trace != null && trace.isValid()) {
            return trace.getTraceId();
        }
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
