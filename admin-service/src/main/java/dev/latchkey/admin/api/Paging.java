package dev.latchkey.admin.api;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.latchkey.admin.service.ManagementException;
import dev.latchkey.admin.service.Page;

/** Auth0's list parameters: {@code page} (from 0), {@code per_page} (1–100, default 50), {@code include_totals}. */
public record Paging(int page, int perPage, boolean includeTotals) {

    public static final int DEFAULT_PER_PAGE = 50;
    public static final int MAX_PER_PAGE = 100;

    public static Paging of(String page, String perPage, String includeTotals) {
        int p = number("page", page, 0, 0, 100_000);
        int pp = number("per_page", perPage, DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
        boolean totals;
        if (includeTotals == null || includeTotals.isEmpty()) {
            totals = false;
        } else if ("true".equals(includeTotals) || "false".equals(includeTotals)) {
            totals = Boolean.parseBoolean(includeTotals);
        } else {
            throw ManagementException.invalidQuery("include_totals must be true or false");
        }
        return new Paging(p, pp, totals);
    }

    /** The answer: a plain array, or with {@code include_totals} an object naming the list {@code field}. */
    public <T> Object body(Page<T> page, String field) {
        if (!includeTotals) {
            return page.items();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("start", page.page() * page.perPage());
        body.put("limit", page.perPage());
        body.put("length", page.items().size());
        body.put("total", page.total());
        body.put(field, page.items());
        return body;
    }

    private static int number(String name, String raw, int fallback, int min, int max) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(raw);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ManagementException.invalidQuery(name + " must be a whole number between " + min + " and " + max);
    }
}
