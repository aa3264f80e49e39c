package dev.latchkey.delivery.provider;

/**
 * A provider refused or could not take a message. Its {@link Kind} says whose the failure is: passing (trying again
 * later or through another sender may succeed: Twilio 429/5xx, SMTP 4xx, a broken connection, a timeout), the
 * sender's (this sender will not send it, another may: a blocked From number, carrier filtering, bad credentials), or
 * the message's or the person's (no sender will: an invalid number, an unsubscribed recipient, SMTP 5xx). The message
 * carries the provider's error code and text, never the message body or a credential.
 */
public class ProviderException extends RuntimeException {

    public enum Kind {
        /** Trying again (or another step now) may succeed. */
        TRANSIENT,
        /** This sender will not send it; another step of the route may. */
        SENDER,
        /** No sender will: the recipient's or the message's fault. */
        PERMANENT
    }

    private final Kind kind;

    public ProviderException(String message, boolean transientFailure) {
        this(message, transientFailure ? Kind.TRANSIENT : Kind.PERMANENT);
    }

    public ProviderException(String message, Kind kind) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isTransient() {
        return kind == Kind.TRANSIENT;
    }
}
