package dev.latchkey.token.store;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;

/**
 * Login tickets of cross-origin authentication, between {@code POST /co/authenticate} and
 * {@code GET /authorize?login_ticket=}: one Redis string per ticket under {@code token:coticket:<sha256>} (the ticket
 * itself is never stored), written with its TTL and taken with {@code GETDEL}, so a ticket is good for one
 * {@code /authorize} at most, however many arrive at once.
 */
@ApplicationScoped
public class LoginTickets {

    static final String PREFIX = "token:coticket:";

    private final ReactiveValueCommands<String, String> values;
    private final ObjectMapper mapper;

    public LoginTickets(ReactiveRedisDataSource redis, ObjectMapper mapper) {
        this.values = redis.value(String.class, String.class);
        this.mapper = mapper;
    }

    /**
     * What a ticket stands for: a user who has just proven a code to {@code clientId}, from a page on {@code origin}
     * ({@code scheme://host[:port]}, lower case).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Ticket(String clientId, String userId, String origin) {
    }

    public Uni<Void> save(String ticket, Ticket record, Duration ttl) {
        String json;
        try {
            json = mapper.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return values.set(key(ticket), json, new SetArgs().px(ttl.toMillis()));
    }

    /** Takes the ticket: its record the first time, null when it was never issued, has expired or was taken. */
    public Uni<Ticket> take(String ticket) {
        return values.getdel(key(ticket)).map(json -> {
            if (json == null) {
                return null;
            }
            try {
                return mapper.readValue(json, Ticket.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable login ticket record");
            }
        });
    }

    /** The Redis key of a ticket. */
    public static String key(String ticket) {
        return PREFIX + OpaqueTokens.sha256Hex(ticket);
    }
}
