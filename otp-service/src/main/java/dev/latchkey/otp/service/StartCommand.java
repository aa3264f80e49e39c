package dev.latchkey.otp.service;

import java.util.Map;

/**
 * One {@code POST /passwordless/start}, as read from the wire (types checked, nothing else yet).
 *
 * @param send {@code code}, {@code link}, or null for the connection's default
 * @param authParams the known authParams keys with string values
 * @param language the {@code x-request-language} header, else {@code accept-language}; may be null
 * @param clientIp the caller's address (after trusted-proxy forwarding)
 * @param forwardedFor Auth0's {@code auth0-forwarded-for} header: the end user's IP, honoured only for a confidential
 *        client that authenticated
 */
public record StartCommand(
        String clientId,
        String clientSecret,
        String connection,
        String phoneNumber,
        String email,
        String send,
        Map<String, String> authParams,
        String language,
        String clientIp,
        String forwardedFor) {
}
