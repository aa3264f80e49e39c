package dev.latchkey.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class ClientConfigTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void clientGrantsRoundTripAsSnakeCase() throws Exception {
        ClientConfig c = new ClientConfig("m2m", "ops", "non_interactive", ClientSecrets.sha256("s"), null, null, null,
                List.of("client_credentials"), null, null, null,
                Map.of("http://127.0.0.1:8080/api/v2/", List.of("read:users", "update:users")));
        String json = mapper.writeValueAsString(c);
        assertTrue(json.contains("\"client_grants\":{\"http://127.0.0.1:8080/api/v2/\":[\"read:users\""), json);
        ClientConfig back = mapper.readValue(json, ClientConfig.class);
        assertEquals(List.of("read:users", "update:users"), back.grantedScopes("http://127.0.0.1:8080/api/v2/"));
        assertEquals(List.of(), back.grantedScopes("https://other/"));
    }

    @Test
    void recordsWithoutClientGrantsStillRead() throws Exception {
        ClientConfig c = mapper.readValue("{\"client_id\":\"a\",\"grant_types\":[\"implicit\"]}", ClientConfig.class);
        assertEquals(Map.of(), c.clientGrants());
        assertTrue(c.grantEnabled("implicit"));
        ClientConfig old = new ClientConfig("a", null, null, null, null, null, null, null, null, null, null);
        assertEquals(Map.of(), old.clientGrants());
    }

    @Test
    void secretsAreCheckedAgainstTheirHash() {
        String hex = ClientSecrets.sha256("correct horse");
        assertEquals(64, hex.length());
        assertTrue(ClientSecrets.matches("correct horse", hex));
        assertTrue(ClientSecrets.matches("correct horse", hex.toUpperCase(Locale.ROOT)));
        assertFalse(ClientSecrets.matches("correct horsf", hex));
        assertFalse(ClientSecrets.matches(null, hex));
        assertFalse(ClientSecrets.matches("correct horse", null));
        assertFalse(ClientSecrets.matches("correct horse", "not-a-hash"));
    }
}
