package dev.latchkey.admin.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import jakarta.ws.rs.core.NewCookie;

/**
 * The console keeps the operator's Management API token in an HttpOnly, SameSite=Strict cookie scoped to
 * {@code /console}; smallrye-jwt reads it from there (API calls keep using the Authorization header). Forms carry a
 * CSRF value derived from that token, which a page of another origin cannot compute.
 */
public final class ConsoleSession {

    public static final String COOKIE = "latchkey_console";

    private ConsoleSession() {
    }

    public static NewCookie cookie(String token, long maxAgeSeconds, boolean secure) {
        return new NewCookie.Builder(COOKIE).value(token).path("/console").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).maxAge((int) Math.max(0, Math.min(Integer.MAX_VALUE,
                        maxAgeSeconds)))
                .build();
    }

    public static NewCookie cleared(boolean secure) {
        return new NewCookie.Builder(COOKIE).value("").path("/console").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
    }

    /** The CSRF value for a session: SHA-256 of a label and the session's token. */
    public static String csrf(String rawToken) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(("latchkey-console-csrf:" + rawToken).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean csrfMatches(String rawToken, String presented) {
        return presented != null && MessageDigest.isEqual(csrf(rawToken).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }
}
