package dev.latchkey.otp.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.latchkey.otp.service.StartFailure;
import dev.latchkey.otp.service.StartFailure.Reason;

/**
 * Reads the JSON body of {@code POST /passwordless/start} the way Auth0 validates it: only the documented properties,
 * strings where strings are expected, {@code authParams} an object. Every problem becomes a 4xx in Auth0's shape;
 * nothing here can produce a 5xx.
 */
@ApplicationScoped
public class StartRequestReader {

    static final Set<String> PROPERTIES = Set.of("client_id", "client_secret", "connection", "phone_number", "email",
            "send", "authParams");
    /** authParams kept with the code for the verify / redirect step; others (Lock's _csrf, protocol…) are ignored. */
    static final Set<String> AUTH_PARAMS = Set.of("scope", "state", "nonce", "redirect_uri", "response_type",
            "response_mode", "audience", "code_challenge", "code_challenge_method");
    private static final int MAX_VALUE = 2048;

    private final ObjectReader reader;

    public StartRequestReader(ObjectMapper mapper) {
        this.reader = mapper.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** The body as named fields; {@link StartFailure} for anything Auth0 would refuse. */
    public Body read(byte[] bytes) {
        JsonNode root;
        try {
            root = bytes == null || bytes.length == 0 ? null : reader.readTree(bytes);
        } catch (IOException e) {
            throw new StartFailure(Reason.BAD_REQUEST, "The request body is not valid JSON");
        }
        if (root == null || root.isMissingNode()) {
            throw new StartFailure(Reason.BAD_CLIENT_ID, "Missing required property: client_id");
        }
        if (!root.isObject()) {
            throw new StartFailure(Reason.BAD_REQUEST, "The request body must be a JSON object");
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!PROPERTIES.contains(name)) {
                unknown.add(name.length() > 64 ? name.substring(0, 64) + "…" : name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new StartFailure(Reason.BAD_REQUEST,
                    "the following properties are not allowed: " + String.join(", ", unknown));
        }
        String clientId = text(root, "client_id", Reason.BAD_CLIENT_ID, 256);
        if (clientId == null) {
            throw new StartFailure(Reason.BAD_CLIENT_ID, "Missing required property: client_id");
        }
        String connection = text(root, "connection", Reason.BAD_CONNECTION, 128);
        if (connection == null) {
            throw new StartFailure(Reason.BAD_CONNECTION, "Missing required property: connection");
        }
        return new Body(clientId, text(root, "client_secret", Reason.BAD_REQUEST, 512), connection,
                text(root, "phone_number", Reason.BAD_PHONE_NUMBER, 64), text(root, "email", Reason.BAD_EMAIL, 320),
                text(root, "send", Reason.BAD_SEND, 16), authParams(root.get("authParams")));
    }

    private static String text(JsonNode root, String name, Reason reason, int max) {
        JsonNode v = root.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new StartFailure(reason, "error in " + name + " - invalid type: " + type(v) + " (expected string)");
        }
        if (v.textValue().length() > max) {
            throw new StartFailure(reason, "error in " + name + " - longer than " + max + " characters");
        }
        return v.textValue();
    }

    private static Map<String, String> authParams(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new StartFailure(Reason.BAD_AUTH_PARAMS,
                    "error in authParams - invalid type: " + type(node) + " (expected object)");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String key : AUTH_PARAMS) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                continue;
            }
            if (!v.isTextual()) {
                throw new StartFailure(Reason.BAD_AUTH_PARAMS,
                        "error in authParams - " + key + " has invalid type: " + type(v) + " (expected string)");
            }
            if (v.textValue().length() > MAX_VALUE) {
                throw new StartFailure(Reason.BAD_AUTH_PARAMS,
                        "error in authParams - " + key + " is longer than " + MAX_VALUE + " characters");
            }
            params.put(key, v.textValue());
        }
        return params;
    }

    private static String type(JsonNode v) {
        return switch (v.getNodeType()) {
            case ARRAY -> "array";
            case BOOLEAN -> "boolean";
            case NUMBER -> "number";
            case OBJECT, POJO -> "object";
            case STRING -> "string";
            default -> "null";
        };
    }

    public record Body(String clientId, String clientSecret, String connection, String phoneNumber, String email,
            String send, Map<String, String> authParams) {
    }
}
