package dev.latchkey.common.api;

import java.io.IOException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * A body the framework cannot decode is the caller's fault: a form with a bad percent escape (the form reader throws
 * {@code IllegalArgumentException}), JSON that is invalid or nested past Jackson's limit. Each becomes a 400
 * {@link MalformedRequestException} instead of a 500.
 */
@Provider
public class BodyDecodingFailures implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        try {
            return context.proceed();
        } catch (WebApplicationException e) {
            throw e;
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw new MalformedRequestException(FrameworkError.MALFORMED_BODY, describe(context.getMediaType()), e);
        }
    }

    private static String describe(MediaType type) {
        if (type != null && MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(type)) {
            return "The request body is not valid form encoding.";
        }
        if (type != null && type.getSubtype().endsWith("json")) {
            return "The request body is not valid JSON (or is nested too deeply).";
        }
        return FrameworkError.MALFORMED_BODY.description;
    }
}
