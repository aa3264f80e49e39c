package dev.latchkey.common.cors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.latchkey.common.config.ClientConfig;

class OriginMatchingTest {

    private static ClientConfig allowing(String... origins) {
        return new ClientConfig("app", null, "spa", null, null, List.of(origins), null, null, null, null, null);
    }

    @Test
    void anExactOriginMatchesItselfOnlyCaseAside() {
        ClientConfig c = allowing("https://shop.example.com");
        assertTrue(CrossOriginRequests.allows(c, "https://shop.example.com"));
        assertTrue(CrossOriginRequests.allows(c, "https://Shop.Example.com"));
        assertFalse(CrossOriginRequests.allows(c, "http://shop.example.com"));
        assertFalse(CrossOriginRequests.allows(c, "https://shop.example.com:8443"));
        assertFalse(CrossOriginRequests.allows(c, "https://a.shop.example.com"));
        assertFalse(CrossOriginRequests.allows(c, "null"));
    }

    @Test
    void anOriginStoredWithItsDefaultPortMatchesWhatBrowsersSend() {
        assertTrue(CrossOriginRequests.allows(allowing("https://shop.example.com:443/"), "https://shop.example.com"));
        assertTrue(CrossOriginRequests.allows(allowing("http://shop.example.com:80"), "http://shop.example.com"));
        assertTrue(CrossOriginRequests.allows(allowing("https://*.example.com:443"), "https://a.example.com"));
        assertFalse(CrossOriginRequests.allows(allowing("http://shop.example.com:443"), "http://shop.example.com"));
    }

    @Test
    void aWildcardAdmitsExactlyOneMoreLabelWithTheSameSchemeAndPort() {
        ClientConfig c = allowing("https://*.example.com");
        assertTrue(CrossOriginRequests.allows(c, "https://shop.example.com"));
        assertTrue(CrossOriginRequests.allows(c, "https://tenant-42.Example.com"));
        assertFalse(CrossOriginRequests.allows(c, "https://example.com"), "the apex is not a subdomain");
        assertFalse(CrossOriginRequests.allows(c, "https://.example.com"));
        assertFalse(CrossOriginRequests.allows(c, "https://a.b.example.com"), "one label, not several");
        assertFalse(CrossOriginRequests.allows(c, "https://evil-example.com"));
        assertFalse(CrossOriginRequests.allows(c, "https://shop.example.com.evil.net"));
        assertFalse(CrossOriginRequests.allows(c, "http://shop.example.com"), "another scheme");
        assertFalse(CrossOriginRequests.allows(c, "https://shop.example.com:8443"), "another port");
        assertFalse(CrossOriginRequests.allows(c, "https://x@shop.example.com"));

        ClientConfig withPort = allowing("http://*.dev.example.com:3000");
        assertTrue(CrossOriginRequests.allows(withPort, "http://me.dev.example.com:3000"));
        assertFalse(CrossOriginRequests.allows(withPort, "http://me.dev.example.com"));
        assertFalse(CrossOriginRequests.allows(withPort, "http://me.dev.example.com:30000"));
    }

    @Test
    void theOwnOriginIsTheProxysWhenItSetsForwardedHeaders() {
        // Quarkus (proxy forwarding on) has rewritten Host from X-Forwarded-Proto and dropped its port.
        assertTrue(CrossOriginRequests.sameOrigin("http://127.0.0.1:8080", "127.0.0.1", "127.0.0.1:8080", "http"));
        assertTrue(CrossOriginRequests.sameOrigin("https://login.example.com", "otp:8101", "login.example.com",
                "https"));
        assertTrue(CrossOriginRequests.sameOrigin("https://login.example.com", "otp:8101",
                "login.example.com:443, inner.proxy", "https, http"));
        assertFalse(CrossOriginRequests.sameOrigin("http://login.example.com", "login.example.com",
                "login.example.com", "https"));
        assertFalse(CrossOriginRequests.sameOrigin("https://app.example.com", "login.example.com",
                "login.example.com", "https"));
        // No proxy headers: Host, any scheme (TLS may end before the service), ports compared.
        assertTrue(CrossOriginRequests.sameOrigin("https://login.example.com:8443", "login.example.com:8443", null,
                null));
        assertFalse(CrossOriginRequests.sameOrigin("http://127.0.0.1:8080", "127.0.0.1", null, null));
        assertFalse(CrossOriginRequests.sameOrigin("null", "127.0.0.1", null, null));
    }
}
