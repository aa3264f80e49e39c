package dev.latchkey.delivery.provider;

/**
 * A provider refused or could not take a message. {@code transientFailure} says whether trying again later may
 * succeed (Twilio 429/5xx, SMTP 4xx, a broken connection) or not (an invalid number, SMTP 5xx). The message carries
 * the provider's error code and text, never the message body or a credential.
 */
public class ProviderException extends RuntimeException {

    private final boolean transientFailure;

    public ProviderException(String message, boolean transientFailure) {
        super(message, null, false, false);
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
