package dev.latchkey.otp.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Reads the body of {@code POST /passwordless/start} (at most 16 KiB, like Auth0) before the resource runs, and
 * refuses a larger one with 413 in Auth0's shape. Quarkus enforces the same size itself
 * ({@code quarkus.http.limits.max-body-size}) but answers with an empty 413, so:
 * <ul>
 * <li>a body that declares a larger Content-Length is refused here, just before Quarkus's own check, unread;</li>
 * <li>a chunked body, which declares no length, is read by a Vert.x body handler limited to 16 KiB, which fails the
 * request with 413 once it passes the limit; the failure handler below answers it. The resource then takes the body
 * from the routing context ({@link PasswordlessStartResource}).</li>
 * </ul>
 */
@ApplicationScoped
public class StartBodyLimit {

    static final int MAX_BYTES = 16 * 1024;
    static final String PATH = "/passwordless/start";
    private static final String BODY = "{\"error\":\"bad.request\",\"error_description\":\"The request body is larger than "
            + MAX_BYTES + " bytes\"}";

    void install(@Observes Router router) {
        router.route().order(-3).handler(rc -> {
            String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && declaresTooMuch(length)) {
                refuse(rc.response());
                return;
            }
            rc.next();
        });
        router.route().order(-3).failureHandler(rc -> {
            if (rc.statusCode() == 413 && !rc.response().headWritten()) {
                refuse(rc.response());
            } else {
                rc.next();
            }
        });
        router.route(HttpMethod.POST, PATH).order(-1)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BYTES).setHandleFileUploads(false));
    }

    private static void refuse(HttpServerResponse response) {
        response.setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(BODY);
    }

    private static boolean declaresTooMuch(String length) {
        try {
            return Long.parseLong(length.strip()) > MAX_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
