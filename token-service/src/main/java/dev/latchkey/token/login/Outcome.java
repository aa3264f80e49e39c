package dev.latchkey.token.login;

import java.util.Map;

/** Where an authorization ends in the browser: a redirect, a form posted to the callback, or an error page of ours. */
public sealed interface Outcome {

    /** 302 to {@code location}. */
    record Redirect(String location) implements Outcome {
    }

    /** {@code response_mode=form_post}: an auto-submitting form to {@code action}. */
    record FormPost(String action, Map<String, String> fields) implements Outcome {
    }

    /**
     * {@code response_mode=web_message} (auth0.js {@code checkSession}, Lock's session probe and its
     * {@code redirect:false} login, in a hidden iframe): a page that posts {@code fields} to the window that framed
     * it, at {@code targetOrigin} only (the redirect_uri's origin, one the client allows).
     */
    record WebMessage(String targetOrigin, Map<String, String> fields) implements Outcome {
    }

    /** Our own error page: used whenever the redirect target cannot be trusted. */
    record ErrorPage(int status, String error, String description) implements Outcome {
    }
}
