package dev.latchkey.common.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How a client secret is kept: only its SHA-256 is published ({@link ClientConfig#clientSecretSha256()}), as
 * lower-case hex. Secrets are 256-bit random values, so a plain hash is enough (nothing to brute-force). Every
 * service checks a presented secret with {@link #matches}, in constant time.
 */
public final class ClientSecrets {

    private ClientSecrets() {
    }

    /** The value to publish as {@code client_secret_sha256}: lower-case hex of SHA-256 over the UTF-8 secret. */
    public static String sha256(String secret) {
        return HexFormat.of().formatHex(digest(secret));
    }

    /**
     * Whether {@code presented} is the secret whose SHA-256 is {@code published} (lower- or upper-case hex; unpadded
     * base64url is accepted too). False for a missing value on either side.
     */
    public static boolean matches(String presented, String published) {
        if (presented == null || presented.isEmpty() || published == null || published.isBlank()) {
            return false;
        }
        byte[] expected;
        try {
            String p = published.strip();
            expected = p.length() == 64
                    ? HexFormat.of().parseHex(p.toLowerCase(Locale.ROOT))
                    : Base64.getUrlDecoder().decode(p);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(digest(presented), expected);
    }

    private static byte[] digest(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
