package dev.latchkey.otp.store;

import java.time.Duration;

/**
 * What Redis said to one start. Only {@link Status#ISSUED} leaves anything behind (and {@link Status#BLOCKED} a
 * count against the recipient's limits); any other outcome has been fully taken back.
 *
 * @param limit which limit refused, when {@code status} is {@link Status#LIMITED}
 * @param retryAfter how long until that limit would allow this start
 */
public record IssueOutcome(Status status, Limit limit, Duration retryAfter) {

    public enum Status {
        /** The code is in Redis; the caller must send it or {@link OtpStore#release} it. */
        ISSUED,
        /** The recipient is blocked: counted, nothing written, nothing to send. */
        BLOCKED,
        /** Over a limit: nothing written. */
        LIMITED
    }

    public enum Limit {
        IP, CLIENT, RECIPIENT,
        /** Too many wrong codes for this recipient (token-service's lock). */
        LOCKED
    }

    static final IssueOutcome ISSUED = new IssueOutcome(Status.ISSUED, null, Duration.ZERO);
    static final IssueOutcome BLOCKED = new IssueOutcome(Status.BLOCKED, null, Duration.ZERO);

    static IssueOutcome limited(Limit limit, long retryAfterMs) {
        return new IssueOutcome(Status.LIMITED, limit, Duration.ofMillis(Math.max(1, retryAfterMs)));
    }
}
