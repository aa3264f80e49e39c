package dev.latchkey.delivery.service;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.config.ConnectionConfig.EmailSettings;
import dev.latchkey.common.config.ConnectionConfig.SmsSettings;
import dev.latchkey.common.config.ConnectionConfig.Smtp;
import dev.latchkey.delivery.provider.Step;

/** The route a connection's own settings give it. No servers. */
class RoutesTest {

    private static ConnectionConfig sms(SmsSettings s) {
        return new ConnectionConfig("c1", "sms", 6, 300, 3, false, true, "en", Map.of(), s, null);
    }

    private static ConnectionConfig email(EmailSettings e) {
        return new ConnectionConfig("c1", "email", 6, 300, 3, false, true, "en", Map.of(), null, e);
    }

    /** connection, provider, settings, secret fields and their contexts. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(sms(new SmsSettings("AC1", "sealed", "from", null, "+14155550100")), "twilio",
                        Map.of("account_sid", "AC1", "from", "+14155550100"),
                        Map.of("auth_token", "connection:c1:twilio_auth_token")),
                Arguments.of(sms(new SmsSettings("AC1", "sealed", "messaging_service", "MG1", null)), "twilio",
                        Map.of("account_sid", "AC1", "messaging_service_sid", "MG1"),
                        Map.of("auth_token", "connection:c1:twilio_auth_token")),
                // A From source without a number: the step says so (Twilio's problem check names it).
                Arguments.of(sms(new SmsSettings("AC1", "sealed", "from", null, null)), "twilio",
                        Map.of("account_sid", "AC1", "from", ""),
                        Map.of("auth_token", "connection:c1:twilio_auth_token")),
                Arguments.of(sms(null), "outbox", Map.of(), Map.of()),
                Arguments.of(sms(new SmsSettings("AC1", null, "from", null, "+1")), "outbox", Map.of(), Map.of()),
                Arguments.of(email(null), "smtp", Map.of("from", "Default <d@x.test>"), Map.of()),
                Arguments.of(email(new EmailSettings("own@x.test", null)), "smtp", Map.of("from", "own@x.test"),
                        Map.of()),
                Arguments.of(email(new EmailSettings(null, new Smtp("smtp.x.test", 587, "u", "sealed", true))),
                        "smtp", Map.of("from", "Default <d@x.test>", "host", "smtp.x.test", "port", "587",
                                "username", "u", "tls", "true"),
                        Map.of("password", "connection:c1:smtp_password")),
                Arguments.of(email(new EmailSettings("own@x.test", new Smtp("smtp.x.test", null, null, null,
                        null))), "smtp", Map.of("from", "own@x.test", "host", "smtp.x.test", "username", "",
                                "tls", "false"),
                        Map.of()));
    }

    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("table")
    void derivesOneStep(ConnectionConfig c, String provider, Map<String, String> settings,
            Map<String, String> secretContexts) {
        List<Step> route = Routes.of(c, "Default <d@x.test>");
        assertThat(route, hasSize(1));
        Step step = route.get(0);
        assertThat(step.index(), equalTo(0));
        assertThat(step.connection(), equalTo("c1"));
        assertThat(step.provider(), equalTo(provider));
        assertThat(step.settings(), equalTo(settings));
        Map<String, String> contexts = new java.util.HashMap<>();
        step.secrets().forEach((k, v) -> contexts.put(k, v.context()));
        assertThat(contexts, equalTo(secretContexts));
    }
}
