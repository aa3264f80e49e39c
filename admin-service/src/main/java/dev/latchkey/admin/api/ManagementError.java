package dev.latchkey.admin.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The Management API's error body (Auth0's shape): {@code {"statusCode","error","message","errorCode"}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManagementError(int statusCode, String error, String message, String errorCode) {
}
