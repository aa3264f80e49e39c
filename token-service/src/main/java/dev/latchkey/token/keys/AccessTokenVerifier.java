package dev.latchkey.token.keys;

import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;

import dev.latchkey.common.auth.AuthConfig;
import dev.latchkey.token.config.TokenConfig;
import dev.latchkey.token.service.AuthError;

/**
 * Checks bearer tokens presented to this service ({@code /userinfo}, the internal API): only RS256/ES256, only a
 * {@code kid} of our published ring and of the header's algorithm, our issuer, the expected audience, not expired.
 * Everything else ({@code alg:none}, HMAC, foreign or retired keys, another audience) is refused before or by the
 * smallrye-jwt parser.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    private static final Set<String> ALGS = Set.of(SigningKey.RS256, SigningKey.ES256);

    private final SigningKeys keys;
    private final AuthConfig auth;
    private final TokenConfig config;
    private final ObjectMapper mapper;
    private final Map<String, DefaultJWTParser> parsers = new ConcurrentHashMap<>();

    public AccessTokenVerifier(SigningKeys keys, AuthConfig auth, TokenConfig config, ObjectMapper mapper) {
        this.keys = keys;
        this.auth = auth;
        this.config = config;
        this.mapper = mapper;
    }

    /** A verified token. */
    public record Verified(JsonWebToken jwt, Set<String> scopes) {

        public boolean hasScope(String scope) {
            return scopes.contains(scope);
        }
    }

    /** Verifies {@code Authorization: Bearer ...} for {@code audience}; fails with 401 {@code invalid_token}. */
    public Uni<Verified> verify(String authorization, String audience) {
        String token = bearer(authorization);
        if (token == null) {
            return Uni.createFrom().failure(invalid("Missing bearer token."));
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[2].isEmpty()) {
            return Uni.createFrom().failure(invalid("Malformed or unsigned token."));
        }
        String alg;
        String kid;
        try {
            JsonNode header = mapper.readTree(Base64.getUrlDecoder().decode(parts[0]));
            // A JOSE header is an object with a string alg; an array, a number or a missing alg is no token of ours.
            if (header == null || !header.isObject() || !header.path("alg").isTextual()) {
                return Uni.createFrom().failure(invalid("Malformed token header."));
            }
            alg = header.path("alg").textValue();
            kid = header.path("kid").asText("");
        } catch (Exception e) {
            return Uni.createFrom().failure(invalid("Malformed token header."));
        }
        if (!ALGS.contains(alg)) {
            return Uni.createFrom().failure(invalid("Unsupported signing algorithm."));
        }
        return keys.ring().map(ring -> {
            SigningKey key = ring.published(kid).filter(k -> k.alg().equals(alg))
                    .orElseThrow(() -> invalid("Unknown signing key."));
            try {
                JsonWebToken jwt = parser(key, audience).parse(token);
                Object scope = jwt.getClaim("scope");
                Set<String> scopes = scope == null ? Set.of() : Set.of(scope.toString().strip().split("\\s+"));
                return new Verified(jwt, scopes);
            } catch (ParseException e) {
                throw invalid("Invalid token (signature, issuer, audience or expiry).");
            }
        });
    }

    private DefaultJWTParser parser(SigningKey key, String audience) {
        return parsers.computeIfAbsent(key.kid() + " " + audience, k -> {
            JWTAuthContextInfo info = new JWTAuthContextInfo();
            info.setPublicVerificationKey(key.publicKey());
            info.setTokenKeyId(key.kid());
            info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.fromAlgorithm(key.alg())));
            info.setIssuedBy(auth.issuerWithSlash());
            info.setExpectedAudience(Set.of(audience));
            info.setExpGracePeriodSecs((int) config.clockSkew().toSeconds());
            info.setRequireNamedPrincipal(false);
            return new DefaultJWTParser(info);
        });
    }

    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.strip();
        if (a.length() < 8 || !a.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String t = a.substring(7).strip();
        return t.isEmpty() ? null : t;
    }

    private static AuthError invalid(String description) {
        return new AuthError(401, "invalid_token", description);
    }
}
