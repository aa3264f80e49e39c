package dev.latchkey.delivery.provider;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.cache.BoundedCache;
import dev.latchkey.common.crypto.PlatformCipher;

/**
 * Opens a route step's sealed secrets with the platform key, each sealed value once: every message of a connection
 * uses the same credentials. A secret that does not open is a permanent failure of the step. Opened secrets are kept
 * for {@link #KEPT_FOR} at most, and for the {@link #LIMIT} busiest sealed values: a plaintext does not stay in
 * memory for the life of the process, and a rotated secret's old plaintext goes.
 */
@ApplicationScoped
public class ProviderSecrets {

    static final int LIMIT = 1000;
    static final Duration KEPT_FOR = Duration.ofMinutes(10);

    private final PlatformCipher cipher;
    private final BoundedCache<String, String> opened;

    public ProviderSecrets(PlatformCipher cipher, Clock clock) {
        this.cipher = cipher;
        this.opened = BoundedCache.expiring(LIMIT, KEPT_FOR, clock);
    }

    /**
     * @param what how an error names the secret ("the Twilio auth token")
     * @return the secret, or {@code null} when the step has none under {@code field}
     * @throws ProviderException (permanent) when it does not open
     */
    public String open(Step step, String field, String what) {
        Step.Sealed sealed = step.secrets().get(field);
        if (sealed == null || sealed.value() == null || sealed.value().isBlank()) {
            return null;
        }
        return opened.get(sealed.context() + '\n' + sealed.value(), k -> {
            try {
                return cipher.decrypt(sealed.value(), sealed.context());
            } catch (PlatformCipher.DecryptionException e) {
                throw new ProviderException(what + " of connection " + step.connection()
                        + " does not open with the platform key", false);
            }
        });
    }
}
