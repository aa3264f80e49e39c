package dev.latchkey.otp.service;

import java.security.SecureRandom;

import jakarta.enterprise.context.ApplicationScoped;

/** One-time codes: uniformly random decimal digits from {@link SecureRandom}. */
@ApplicationScoped
public class CodeGenerator {

    private final SecureRandom random = new SecureRandom();

    /** A code of {@code length} digits (4 to 10), leading zeros kept. */
    public String digits(int length) {
        if (length < 4 || length > 10) {
            throw new IllegalArgumentException("code length must be 4 to 10, not " + length);
        }
        long bound = 1;
        for (int i = 0; i < length; i++) {
            bound *= 10;
        }
        String n = Long.toString(random.nextLong(bound));
        return "0".repeat(length - n.length()) + n;
    }
}
