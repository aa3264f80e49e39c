package dev.latchkey.delivery.provider;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.security.RequestValidator;
import com.twilio.type.PhoneNumber;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

import dev.latchkey.common.cache.BoundedCache;
import dev.latchkey.common.event.Channel;
import dev.latchkey.delivery.config.DeliveryConfig;

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
public class TwilioSmsSender implements Provider {

    public static final String PROVIDER = "twilio";
    /** Step settings: the account, and either a Messaging Service SID or a From number; secret {@code auth_token}. */
    public static final String ACCOUNT_SID = "account_sid";
    public static final String MESSAGING_SERVICE_SID = "messaging_service_sid";
    public static final String FROM = "from";
    public static final String AUTH_TOKEN = "auth_token";

    private static final Logger LOG = Logger.getLogger(TwilioSmsSender.class);

    /** Twilio error codes of the person or the message: no sender will send it. */
    private static final Set<Integer> PERMANENT_CODES = Set.of(
            21211, // invalid 'To' number
            21610, // recipient unsubscribed (STOP)
            21614, // 'To' not a mobile number
            21617); // body too long

    /** Twilio error codes of the sender: this one will not send it, another step of the route may. */
    private static final Set<Integer> SENDER_CODES = Set.of(
            20003, // authentication failed (the step's credentials)
            21212, // invalid 'From' number
            21408, // region not enabled for the account
            21606, // 'From' not a valid SMS-capable number
            21612, // 'To' not reachable from 'From'
            30007); // carrier filtering of this sender

    private final DeliveryConfig.Twilio config;
    private final ProviderSecrets secrets;
    private final Clock clock;
    private final com.twilio.http.HttpClient http;
    private final ExecutorService calls;
    private final int maxCalls;
    private final Semaphore openCalls;
    /** One client per account and token; rotated credentials leave old ones behind, the least used go first. */
    private final BoundedCache<String, TwilioRestClient> clients = BoundedCache.of(1000);

    public TwilioSmsSender(DeliveryConfig config, ProviderSecrets secrets, Clock clock, MeterRegistry metrics) {
        this.config = config.twilio();
        this.secrets = secrets;
        this.clock = clock;
        this.http = TwilioHttp.client(this.config, maxConcurrentCalls(this.config));
        this.calls = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("twilio-", 1).factory());
        this.maxCalls = maxConcurrentCalls(this.config);
        this.openCalls = new Semaphore(maxCalls);
        Gauge.builder("latchkey.delivery.twilio.open_calls", this, TwilioSmsSender::openCalls)
                .description("Twilio API calls open at this moment (bounded by twilio.max-concurrent-calls)")
                .register(metrics);
    }

    @Override
    public String name() {
        return PROVIDER;
    }

    @Override
    public boolean serves(Channel channel) {
        return channel == Channel.SMS;
    }

    @Override
    public String problem(Step step) {
        if (step.setting(ACCOUNT_SID) == null || !step.secrets().containsKey(AUTH_TOKEN)) {
            return "connection " + step.connection() + " has no Twilio credentials";
        }
        if (sender(step) == null) {
            return "connection " + step.connection() + " names no "
                    + (step.settings().containsKey(FROM) ? "From number" : "Messaging Service SID");
        }
        return null;
    }

    /** The Messaging Service SID or From number the step sends from. */
    private static String sender(Step step) {
        String service = step.setting(MESSAGING_SERVICE_SID);
        return service != null ? service : step.setting(FROM);
    }

    /** Per sender (account and MG… or +1…): the step's own rate, else the configured one for it, else the default. */
    @Override
    public RateLimit rateLimit(Step step) {
        String sender = sender(step);
        int perSecond = step.messagesPerSecond() != null
                ? step.messagesPerSecond()
                : config.senderRates().getOrDefault(sender, config.messagesPerSecond());
        return perSecond <= 0 ? null : new RateLimit(step.setting(ACCOUNT_SID) + ":" + sender, sender, perSecond);
    }

    /** The auth token of a step, opened. */
    public String authToken(Step step) {
        return secrets.open(step, AUTH_TOKEN, "the Twilio auth token");
    }

    /**
     * Whether a status callback is Twilio's for this step: signed (X-Twilio-Signature, twilio-java's
     * RequestValidator) with the step's auth token over {@code url} and {@code params}, from the step's account.
     */
    public boolean signedBy(Step step, String url, Map<String, String> params, String signature) {
        String account = params.get("AccountSid");
        if (account != null && !account.equals(step.setting(ACCOUNT_SID))) {
            return false;
        }
        try {
            String token = authToken(step);
            return token != null && new RequestValidator(token).validate(url, params, signature);
        } catch (ProviderException e) {
            LOG.warnf("Twilio callback for connection %s: its auth token does not open", step.connection());
            return false;
        }
    }

    /**
     * The StatusCallback URL of one message: the configured public URL with the event id, so the callback finds its
     * record without an index. Twilio signs the whole URL, query included, so the id cannot be swapped.
     */
    public static String callbackUrl(String base, String eventId) {
        return base + (base.contains("?") ? "&" : "?") + "event=" + URLEncoder.encode(eventId,
                StandardCharsets.UTF_8);
    }

    /** Creates the message on Twilio, on the Twilio thread pool; the message SID is the provider id. */
    @Override
    public Uni<String> send(Step step, Outgoing message) {
        String authToken = authToken(step);
        int validity = (int) Math.clamp(Duration.between(clock.instant(), message.expiresAt()).toSeconds(), 1,
                36000);
        return Uni.createFrom().item(() -> {
            // A virtual thread waits here at no cost when the pod has as many calls open as allowed.
            openCalls.acquireUninterruptibly();
            try {
                return create(step, authToken, message, validity);
            } finally {
                openCalls.release();
            }
        }).runSubscriptionOn(calls);
    }

    /** Calls open at this moment (a gauge). */
    public int openCalls() {
        return maxCalls - openCalls.availablePermits();
    }

    static int maxConcurrentCalls(DeliveryConfig.Twilio config) {
        return Math.max(1, config.maxConcurrentCalls());
    }

    private String create(Step step, String authToken, Outgoing sms, int validitySeconds) {
        String account = step.setting(ACCOUNT_SID);
        TwilioRestClient client = clients.get(account + '\n' + authToken,
                k -> new TwilioRestClient.Builder(account, authToken).httpClient(http).build());
        PhoneNumber to = new PhoneNumber(sms.recipient());
        String service = step.setting(MESSAGING_SERVICE_SID);
        MessageCreator creator = service == null
                ? Message.creator(to, new PhoneNumber(step.setting(FROM)), sms.text())
                : Message.creator(to, service, sms.text());
        creator.setValidityPeriod(validitySeconds);
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
        if (code != null && PERMANENT_CODES.contains(code)) {
            return new ProviderException(reason.strip(), ProviderException.Kind.PERMANENT);
        }
        if (code != null && SENDER_CODES.contains(code) || status == 401 || status == 403) {
            return new ProviderException(reason.strip(), ProviderException.Kind.SENDER);
        }
        boolean transientFailure = status == 429 || status >= 500 || (code != null && code == 20429);
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
}
