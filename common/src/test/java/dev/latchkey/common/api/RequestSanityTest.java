package dev.latchkey.common.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestSanityTest {

    @Test
    void urlsWithNulOrBrokenEscapesAreUnreadable() {
        assertTrue(RequestSanity.readable("/api/v2/users?q=%2B1415&per_page=5"));
        assertTrue(RequestSanity.readable("/authorize?redirect_uri=https%3A%2F%2Fa.example%2F&scope=openid+email"));
        assertTrue(RequestSanity.readable("/api/v2/users/sms%7C123"));
        assertFalse(RequestSanity.readable("/api/v2/users?q=a%00b"));
        assertFalse(RequestSanity.readable("/api/v2/users/%00"));
        assertFalse(RequestSanity.readable("/x?q=a\0b"));
        assertFalse(RequestSanity.readable("/x?q=%zz"));
        assertFalse(RequestSanity.readable("/x?q=%"));
        assertFalse(RequestSanity.readable("/x?q=%4"));
    }

    @Test
    void theAuthenticationShapeNamesOnlyAuth0Codes() {
        AuthenticationErrorShape shape = new AuthenticationErrorShape();
        assertEquals(new AuthenticationError("invalid_request", "d"),
                shape.body(FrameworkError.MALFORMED_BODY, 400, "d"));
        assertEquals(new AuthenticationError("not_found", "d"), shape.body(FrameworkError.NOT_FOUND, 404, "d"));
        assertEquals(new AuthenticationError("method_not_allowed", "d"),
                shape.body(FrameworkError.METHOD_NOT_ALLOWED, 405, "d"));
        assertEquals(new AuthenticationError("server_error", "d"), shape.body(FrameworkError.SERVER_ERROR, 500, "d"));
        assertEquals(new AuthenticationError("access_denied", "d"), shape.body(FrameworkError.BAD_REQUEST, 403, "d"));
        assertEquals(FrameworkError.UNSUPPORTED_MEDIA_TYPE, FrameworkError.of(415));
        assertEquals(FrameworkError.SERVER_ERROR, FrameworkError.of(503));
        assertEquals(FrameworkError.BAD_REQUEST, FrameworkError.of(409));
    }
}
