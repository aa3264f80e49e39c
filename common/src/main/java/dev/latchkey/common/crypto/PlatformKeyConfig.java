package dev.latchkey.common.crypto;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/** The platform key: 32 random bytes, base64, from the environment (a Kubernetes Secret in production). */
@ConfigMapping(prefix = "latchkey")
public interface PlatformKeyConfig {

    /**
     * {@code LATCHKEY_SECRET_KEY}: base64 of 32 random bytes ({@code openssl rand -base64 32}). Required in
     * production; dev and test runs without one get a random key per process.
     */
    @WithName("secret-key")
    Optional<String> secretKey();
}
