package dev.latchkey.delivery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.config.ConnectionConfig.Template;
import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.common.message.TemplateVariables;
import dev.latchkey.common.testing.TemplateLimits;
import dev.latchkey.delivery.messaging.DeliveryPublisher;
import dev.latchkey.delivery.testing.DeliveryFixtures;
import dev.latchkey.delivery.testing.DeliveryServers;
import dev.latchkey.delivery.testing.DeliveryTestResource;
import dev.latchkey.delivery.testing.TestServers;
import dev.latchkey.delivery.testing.TopicCollector.Received;

/**
 * delivery-service's side of the template limits (admin-service's: TemplateLimitsApiTest): a template at each limit
 * is delivered — with the longest magic link a start can make where the edge is about the link — never
 * dead-lettered; one step past a limit, if it reaches delivery-service around admin-service, is dead-lettered with
 * the same words admin-service refuses it with.
 */
@QuarkusTest
@WithTestResource(value = DeliveryTestResource.class, scope = TestResourceScope.GLOBAL)
class TemplateLimitsDeliveryTest {

    @DeliveryServers
    TestServers servers;

    @Inject
    DeliveryFixtures fx;

    private ConnectionConfig connection(TemplateLimits edge, String source) {
        Template t = edge.html()
                ? new Template("Your code", "Code {{ code }}", source)
                : new Template("Your code", source, null);
        return fx.publish(DeliveryFixtures.email(DeliveryFixtures.unique("email"), Map.of("default", t),
                "Acme <login@acme.test>"));
    }

    private DeliveryEvent event(TemplateLimits edge, ConnectionConfig c) {
        String to = DeliveryFixtures.email();
        if (!edge.link()) {
            return fx.codeEvent("client-x", c, to, "734211", "en", Duration.ofMinutes(5));
        }
        String start = "http://127.0.0.1:8080/passwordless/verify_redirect?verification_code=734211&state=";
        String longest = start + "s".repeat(TemplateVariables.LONGEST_LINK - start.length());
        return fx.linkEvent("client-x", c, to, "734211", longest, "en", Duration.ofMinutes(5));
    }

    @Test
    void atEachLimitDeliveredOnePastDeadLetteredWithTheSameWords() {
        List<DeliveryEvent> at = new ArrayList<>();
        List<DeliveryEvent> past = new ArrayList<>();
        List<TemplateLimits> edges = TemplateLimits.email();
        for (TemplateLimits edge : edges) {
            DeliveryEvent e = event(edge, connection(edge, edge.at()));
            fx.send(servers.topics().email(), e);
            at.add(e);
            DeliveryEvent p = event(edge, connection(edge, edge.past()));
            fx.send(servers.topics().email(), p);
            past.add(p);
        }
        for (int i = 0; i < edges.size(); i++) {
            TemplateLimits edge = edges.get(i);
            fx.awaitStatus(servers, at.get(i).eventId(), "sent");
            assertThat(edge.limit(), fx.deadLetters(servers, at.get(i).eventId()), is(empty()));
            Received dead = fx.awaitDeadLetter(servers, past.get(i).eventId());
            assertThat(edge.limit(), dead.header(DeliveryPublisher.DEAD_LETTER_REASON),
                    containsString(edge.problem()));
        }
    }
}
