package dev.latchkey.admin.service;

import java.util.List;

/** One page of a list, and the total number of items (Auth0's {@code include_totals=true} answer). */
public record Page<T>(List<T> items, int page, int perPage, long total) {
}
