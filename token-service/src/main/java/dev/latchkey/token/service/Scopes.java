package dev.latchkey.token.service;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/** Space-separated OAuth scope strings. */
public final class Scopes {

    public static final String OPENID = "openid";
    public static final String PROFILE = "profile";
    public static final String EMAIL = "email";
    public static final String PHONE = "phone";
    public static final String OFFLINE_ACCESS = "offline_access";

    /** The OpenID Connect scopes every user token may carry. */
    public static final Set<String> OIDC = Set.of(OPENID, PROFILE, EMAIL, PHONE, OFFLINE_ACCESS);

    private Scopes() {
    }

    /** The distinct scopes of a scope string, in order; empty for null. */
    public static Set<String> parse(String scope) {
        Set<String> s = new LinkedHashSet<>();
        if (scope != null) {
            Arrays.stream(scope.strip().split("\\s+")).filter(x -> !x.isEmpty()).forEach(s::add);
        }
        return s;
    }

    public static String format(Set<String> scopes) {
        return String.join(" ", scopes);
    }
}
