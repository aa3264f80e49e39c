package dev.latchkey.common.api;

/**
 * A service's error body for what {@link FrameworkErrorMapper} answers: the Authentication API's
 * {@code {"error","error_description"}} unless the service provides its own bean (the Management API's
 * {@code {"statusCode","error","message","errorCode"}}).
 */
public interface ErrorShape {

    /**
     * The JSON body for {@code error} answered with {@code status} (the same as {@code error.status}, except for a
     * 4xx or 5xx the framework raised with a status of its own) and {@code description}, a sentence for the caller.
     */
    Object body(FrameworkError error, int status, String description);
}
