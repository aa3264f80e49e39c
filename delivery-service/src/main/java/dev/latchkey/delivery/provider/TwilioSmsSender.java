package dev.latchkey.delivery.provider;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.jboss.logging.Logger;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ConnectionConfig.SmsSettings;
import dev.latchkey.delivery.config.DeliveryConfig;
import dev.latchkey.delivery.service.ProviderException;

/**
 * Sends SMS through Twilio's Messages API with the official client. The client is blocking, so each call runs on a
 * virtual thread of its own, never on the event loop, and at most {@code latchkey.delivery.twilio.max-concurrent-calls}
 * calls are open at once (the HTTP connection pool has as many connections). A Twilio call takes 100-300 ms, so the
 * calls a pod keeps open, not its CPU, bound its rate: 32 platform threads held it near 200 SMS/s; virtual threads
 * make hundreds of open calls cost little more than their sockets. The client's own retries (Apache's on 429/503,
 * twilio-java's on 5xx) are off: a failed attempt comes back at once and is retried through the retry topic, where it
 * blocks nobody.
 */
@ApplicationScoped
public class TwilioSmsSender {

    public static final String PROVIDER = "twilio";

    private static final Logger LOG = Logger.getLogger(TwilioSmsSender.class);

    /** Twilio error codes that will not succeed on a retry of the same message. */
    private static final Set<Integer> PERMANENT_CODES = Set.of(
            21211, // invalid 'To' number
            21212, // invalid 'From' number
            21408, // region not enabled
            21606, // 'From' not a valid SMS-capable number
            21610, // recipient unsubscribed (STOP)
            21612, // 'To' not reachable from 'From'
            21614, // 'To' not a mobile number
            21617, // body too long
            30007); // carrier filtering

    private final DeliveryConfig.Twilio config;
    private final com.twilio.http.HttpClient http;
    private final ExecutorService calls;
    private final int maxCalls;
    private final Semaphore openCalls;
    private final Map<String, TwilioRestClient> clients = new ConcurrentHashMap<>();

    public TwilioSmsSender(DeliveryConfig config, MeterRegistry metrics) {
        this.config = config.twilio();
        this.http = new SingleAttemptHttpClient(httpClientBuilder(this.config));
        this.calls = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("twilio-", 1).factory());
        this.maxCalls = maxConcurrentCalls(this.config);
        this.openCalls = new Semaphore(maxCalls);
        Gauge.builder("latchkey.delivery.twilio.open_calls", this, TwilioSmsSender::openCalls)
                .description("Twilio API calls open at this moment (bounded by twilio.max-concurrent-calls)")
                .register(metrics);
    }

    /** One message to send; {@code validitySeconds} is the code's remaining lifetime. */
    public record Sms(String to, String body, int validitySeconds, String eventId) {
    }

    /**
     * The StatusCallback URL of one message: the configured public URL with the event id, so the callback finds its
     * record without an index. Twilio signs the whole URL, query included, so the id cannot be swapped.
     */
    public static String callbackUrl(String base, String eventId) {
        return base + (base.contains("?") ? "&" : "?") + "event=" + URLEncoder.encode(eventId,
                StandardCharsets.UTF_8);
    }

    /**
     * Creates the message on Twilio, on the Twilio thread pool.
     *
     * @return the message SID
     * @throws ProviderException (as the Uni's failure) saying whether a retry may help
     */
    public Uni<String> send(SmsSettings settings, String authToken, Sms sms) {
        return Uni.createFrom().item(() -> {
            // A virtual thread waits here at no cost when the pod has as many calls open as allowed.
            openCalls.acquireUninterruptibly();
            try {
                return create(settings, authToken, sms);
            } finally {
                openCalls.release();
            }
        }).runSubscriptionOn(calls);
    }

    /** Calls open at this moment (a gauge). */
    public int openCalls() {
        return maxCalls - openCalls.availablePermits();
    }

    private static int maxConcurrentCalls(DeliveryConfig.Twilio config) {
        return Math.max(1, config.maxConcurrentCalls());
    }

    private String create(SmsSettings settings, String authToken, Sms sms) {
        if (clients.size() > 1000) {
            // Rotated credentials leave old clients behind; start over rather than grow.
            clients.clear();
        }
        TwilioRestClient client = clients.computeIfAbsent(settings.twilioAccountSid() + '\n' + authToken,
                k -> new TwilioRestClient.Builder(settings.twilioAccountSid(), authToken).httpClient(http).build());
        PhoneNumber to = new PhoneNumber(sms.to());
        MessageCreator creator = SmsSettings.SOURCE_FROM.equals(settings.source())
                ? Message.creator(to, new PhoneNumber(settings.from()), sms.body())
                : Message.creator(to, settings.messagingServiceSid(), sms.body());
        creator.setValidityPeriod(Math.clamp(sms.validitySeconds(), 1, 36000));
        config.statusCallbackUrl().ifPresent(base -> creator.setStatusCallback(callbackUrl(base, sms.eventId())));
        try {
            return creator.create(client).getSid();
        } catch (ApiException e) {
            throw classify(e);
        } catch (ApiConnectionException e) {
            throw new ProviderException("twilio unreachable: " + e.getMessage(), true);
        } catch (TwilioException e) {
            throw new ProviderException("twilio: " + e.getMessage(), true);
        }
    }

    static ProviderException classify(ApiException e) {
        Integer status = e.getStatusCode();
        Integer code = e.getCode();
        String reason = "twilio " + (status == null ? "" : status + " ") + (code == null ? "" : code + " ")
                + e.getMessage();
        if (status == null) {
            // No HTTP answer: the connection failed or timed out.
            return new ProviderException(reason.strip(), true);
        }
        boolean transientFailure = status == 429 || status >= 500 || (code != null && code == 20429);
        if (code != null && PERMANENT_CODES.contains(code)) {
            transientFailure = false;
        }
        return new ProviderException(reason.strip(), transientFailure);
    }

    @PreDestroy
    void close() {
        calls.shutdown();
        try {
            if (!calls.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Twilio calls still running at shutdown; their events will be redelivered");
                calls.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpClientBuilder httpClientBuilder(DeliveryConfig.Twilio config) {
        Timeout timeout = Timeout.of(config.timeout());
        HttpClientBuilder builder = HttpClientBuilder.create()
                .useSystemProperties()
                .disableAutomaticRetries()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(maxConcurrentCalls(config))
                        .setMaxConnPerRoute(maxConcurrentCalls(config))
                        .setDefaultConnectionConfig(org.apache.hc.client5.http.config.ConnectionConfig.custom()
                                .setConnectTimeout(timeout)
                                .setSocketTimeout(timeout)
                                .build())
                        .build());
        config.apiEndpoint().ifPresent(endpoint -> {
            // twilio-java builds https://api.twilio.com/... URLs itself; the route planner sends them elsewhere.
            HttpHost target = new HttpHost(endpoint.getScheme(), endpoint.getHost(), port(endpoint));
            builder.setRoutePlanner((host, context) -> new HttpRoute(target, null, "https".equals(target
                    .getSchemeName())));
            LOG.infof("Twilio API calls go to %s", endpoint);
        });
        return builder;
    }

    private static int port(URI endpoint) {
        if (endpoint.getPort() > 0) {
            return endpoint.getPort();
        }
        return "https".equals(endpoint.getScheme()) ? 443 : 80;
    }

    /** One HTTP exchange per call: retries are the retry topic's job. */
    private static final class SingleAttemptHttpClient extends NetworkHttpClient {

        private static final int[] NO_RETRY_STATUS = new int[0];

        SingleAttemptHttpClient(HttpClientBuilder builder) {
            super(builder);
        }

        @Override
        public Response reliableRequest(Request request) {
            return reliableRequest(request, NO_RETRY_STATUS, 1, 0);
        }
    }
}
