package dev.latchkey.delivery.testing;

import dev.latchkey.common.testing.TcpProxy;

/**
 * What the delivery tests share: the Twilio fake, the switchable proxy in front of the SMTP sink, the run's own
 * topics and collectors of the status and dead-letter topics.
 */
public record TestServers(TwilioFake twilio, TcpProxy smtp, Topics topics, TopicCollector status,
        TopicCollector deadLetters) {

    public record Topics(String sms, String email, String smsRetry, String emailRetry, String dlq, String status) {
    }
}
