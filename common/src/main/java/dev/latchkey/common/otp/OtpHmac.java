package dev.latchkey.common.otp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.crypto.PlatformKeys;

/**
 * The HMAC that stands in Redis for a code: HMAC-SHA256 under the platform's OTP subkey over
 * {@code "v1\n" + client_id + "\n" + connection + "\n" + recipient + "\n" + code}, base64url without padding. Binding
 * client, connection and recipient means a code issued to one client is wrong for any other.
 */
@ApplicationScoped
public class OtpHmac {

    private final PlatformKeys keys;

    public OtpHmac(PlatformKeys keys) {
        this.keys = keys;
    }

    public String of(String code, String clientId, String connection, String recipient) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(keys.otpHmacKey());
            String input = "v1\n" + clientId + "\n" + connection + "\n" + recipient + "\n" + code;
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of two HMAC strings. */
    public static boolean same(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
