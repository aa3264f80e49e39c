package dev.latchkey.admin.service;

import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns request JSON into request records strictly (unknown properties refused, as Auth0 does) and reports what is
 * wrong by property path, never with a Java class name.
 */
@ApplicationScoped
public class RequestJson {

    private final ObjectMapper mapper;
    private final ObjectReader strict;

    public RequestJson(ObjectMapper mapper) {
        this.mapper = mapper;
        this.strict = mapper.reader().with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Parses a request body; an empty or non-object body is refused. */
    public JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw ManagementException.invalidBody("the request body must be a JSON object");
        }
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw ManagementException.invalidBody("the request body must be a JSON object");
            }
            return node;
        } catch (StreamConstraintsException e) {
            // Past Jackson's limits (nesting depth, number or string length): no location to report.
            throw ManagementException.invalidBody("the request body is nested too deeply or holds too large a value");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw ManagementException.invalidBody(at == null
                    ? "the request body is not valid JSON"
                    : "the request body is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr()
                            + ")");
        }
    }

    public <T> T read(JsonNode node, Class<T> type) {
        if (node == null || !node.isObject()) {
            throw ManagementException.invalidBody("the request body must be a JSON object");
        }
        try {
            return strict.forType(type).readValue(node);
        } catch (UnrecognizedPropertyException e) {
            throw ManagementException.invalidBody("Additional properties not allowed: " + path(e));
        } catch (MismatchedInputException e) {
            throw ManagementException.invalidBody("Invalid type for property " + path(e));
        } catch (JsonMappingException e) {
            throw ManagementException.invalidBody("Invalid value for property " + path(e));
        } catch (java.io.IOException e) {
            throw ManagementException.invalidBody("the request body could not be read");
        }
    }

    /** RFC 7386 JSON merge patch: objects merge, a null removes, anything else replaces. */
    public JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : mapper.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }

    private static String path(JsonMappingException e) {
        String p = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return p.isEmpty() ? "(root)" : p;
    }
}
