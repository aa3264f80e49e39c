package dev.latchkey.common.recipient;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Normalises recipients the same way in every service, so the OTP keys otp-service writes are the ones
 * token-service reads. Phones: libphonenumber, E.164 only (a leading +). Emails: trimmed and lower-cased whole (the
 * design asked for the domain only; lower-casing the local part too keeps John@x.com and john@x.com one user, as
 * Auth0 does).
 *
 * <p>
 * An email is accepted only if the mailer would send it to exactly that address, so that a start never answers 200
 * for a message delivery-service cannot send (delivery-service's SMTP sender checks the same rule before sending).
 * The mailer (Vert.x mail, behind quarkus-mailer) reads {@code a<b@c.d>} as "a" &lt;b@c.d&gt; and
 * {@code a@b.c(d)} as a@b.c with the name d, refuses any {@code ,} {@code <} {@code >}, and speaks no SMTPUTF8, so
 * what it is given must be a plain RFC 5321 mailbox: a dot-atom local part of RFC 5322 {@code atext} (at most 64
 * characters), {@code @}, and a host name of two or more labels of letters, digits and inner hyphens, all ASCII.
 * Quoted local parts, address literals and internationalised addresses are refused.
 */
public final class Recipients {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final String ATOM = "[a-z0-9!#$%&'*+/=?^_`{|}~-]+";
    private static final String LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
    // Matched after lower-casing. Deliverability (does the mailbox exist) is the SMTP server's business.
    private static final Pattern EMAIL = Pattern.compile("(?=[^@]{1,64}@)" + ATOM + "(?:\\." + ATOM + ")*@" + LABEL
            + "(?:\\." + LABEL + ")+");

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

    /** The normal form of an email address (trimmed, lower-cased), if the mailer can send to it as it is. */
    public static Optional<String> email(String raw) {
        if (raw == null || raw.length() > 254) {
            return Optional.empty();
        }
        String e = raw.strip().toLowerCase(Locale.ROOT);
        return EMAIL.matcher(e).matches() ? Optional.of(e) : Optional.empty();
    }

    /** Normalises for a connection strategy ({@code sms} or {@code email}). */
    public static Optional<String> normalise(String strategy, String raw) {
        return "sms".equals(strategy) ? phone(raw) : "email".equals(strategy) ? email(raw) : Optional.empty();
    }
}
