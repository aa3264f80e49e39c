package dev.latchkey.delivery.provider;

import java.time.Duration;
import java.util.Map;

/**
 * One step of a connection's delivery route, as its provider sees it: which provider, its settings (plain values) and
 * its secrets (still sealed with the platform key; a provider opens what it needs through {@link ProviderSecrets}).
 *
 * @param connection the connection the route belongs to
 * @param index the step's place in the route, 0 for the first
 * @param provider the {@link Provider#name()} that sends this step
 * @param messagesPerSecond the step's own rate limit (shared by all pods); {@code null} for the provider's default
 * @param timeout the step's own call timeout; {@code null} for the provider's default
 */
public record Step(String connection, int index, String provider, Map<String, String> settings,
        Map<String, Sealed> secrets, Integer messagesPerSecond, Duration timeout) {

    public Step {
        settings = Map.copyOf(settings);
        secrets = Map.copyOf(secrets);
    }

    /** A setting, or {@code null} when absent or blank. */
    public String setting(String key) {
        String v = settings.get(key);
        return v == null || v.isBlank() ? null : v;
    }

    /** A secret as stored: the sealed value and the encryption context it opens under. */
    public record Sealed(String value, String context) {

        @Override
        public String toString() {
            return "Sealed[" + context + "]";
        }
    }
}
