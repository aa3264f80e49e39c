package dev.latchkey.delivery.provider;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.crypto.PlatformCipher;

/**
 * Opens a route step's sealed secrets with the platform key, each sealed value once: every message of a connection
 * uses the same credentials. A secret that does not open is a permanent failure of the step.
 */
@ApplicationScoped
public class ProviderSecrets {

    private static final int LIMIT = 1000;

    private final PlatformCipher cipher;
    private final Map<String, String> opened = new ConcurrentHashMap<>();

    public ProviderSecrets(PlatformCipher cipher) {
        this.cipher = cipher;
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
        String cacheKey = sealed.context() + '\n' + sealed.value();
        String secret = opened.get(cacheKey);
        if (secret == null) {
            try {
                secret = cipher.decrypt(sealed.value(), sealed.context());
            } catch (PlatformCipher.DecryptionException e) {
                throw new ProviderException(what + " of connection " + step.connection()
                        + " does not open with the platform key", false);
            }
            if (opened.size() > LIMIT) {
                opened.clear();
            }
            opened.put(cacheKey, secret);
        }
        return secret;
    }
}
