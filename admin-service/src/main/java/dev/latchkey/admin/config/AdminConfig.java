package dev.latchkey.admin.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** admin-service settings (prefix {@code latchkey.admin}). */
@ConfigMapping(prefix = "latchkey.admin")
public interface AdminConfig {

    /**
     * {@code LATCHKEY_SEED_FILE}: a JSON seed (see {@code deploy/local/seed/}) applied at start. Only what is
     * missing is created: running it again, or after an operator edited a seeded item, changes nothing.
     */
    Optional<Path> seedFile();

    /** The bootstrap management client, created at start from the environment. */
    ManagementClient managementClient();

    /** The transactional outbox that feeds the config topic. */
    Outbox outbox();

    /** The operator console. */
    Console console();

    /** Recent delivery outcomes shown in the console. */
    Deliveries deliveries();

    interface ManagementClient {

        /**
         * {@code LATCHKEY_MANAGEMENT_CLIENT_ID}: id of a machine-to-machine client granted every Management API
         * scope; with the secret below it gets tokens from token-service's {@code client_credentials} grant.
         */
        Optional<String> id();

        /**
         * {@code LATCHKEY_MANAGEMENT_CLIENT_SECRET}: its secret (from a Secret; at least 32 characters). Only its
         * SHA-256 is stored; changing it here replaces the stored one at the next start.
         */
        Optional<String> secret();
    }

    interface Outbox {

        /** How often the relay looks for unpublished changes besides being woken by each commit. */
        @WithDefault("1s")
        Duration pollInterval();

        /** Records published per transaction of the relay. */
        @WithDefault("200")
        int batchSize();

        /** How long the relay waits for Kafka to acknowledge a batch before it gives up and retries. */
        @WithDefault("30s")
        Duration sendTimeout();
    }

    interface Console {

        /** Mark the console's session cookie {@code Secure} (on when served over HTTPS). */
        @WithDefault("false")
        boolean secureCookie();
    }

    interface Deliveries {

        /** Follow {@code otp.delivery.status} to show recent delivery outcomes per connection. */
        @WithDefault("true")
        boolean enabled();

        /** The status topic delivery-service publishes to. */
        @WithDefault("otp.delivery.status")
        String topic();

        /** Outcomes kept in memory per connection (and read back from the topic at start). */
        @WithDefault("50")
        int keep();
    }
}
