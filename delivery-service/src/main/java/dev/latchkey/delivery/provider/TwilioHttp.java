package dev.latchkey.delivery.provider;

import java.net.URI;

import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.jboss.logging.Logger;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;

import dev.latchkey.delivery.config.DeliveryConfig;

/**
 * The HTTP client twilio-java calls through: a pool of as many connections as calls may be open, the configured
 * timeout, one exchange per call (retries are the dispatch's), and the API endpoint override.
 */
final class TwilioHttp {

    private static final Logger LOG = Logger.getLogger(TwilioHttp.class);

    private TwilioHttp() {
    }

    static com.twilio.http.HttpClient client(DeliveryConfig.Twilio config, int maxCalls) {
        return new SingleAttemptHttpClient(builder(config, maxCalls));
    }

    private static HttpClientBuilder builder(DeliveryConfig.Twilio config, int maxCalls) {
        Timeout timeout = Timeout.of(config.timeout());
        HttpClientBuilder builder = HttpClientBuilder.create()
                .useSystemProperties()
                .disableAutomaticRetries()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(maxCalls)
                        .setMaxConnPerRoute(maxCalls)
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
