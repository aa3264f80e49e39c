package dev.latchkey.token.user;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.latchkey.common.event.Channel;
import dev.latchkey.token.service.Scopes;
import dev.latchkey.token.store.UserEntity;

/** The claims of a user's profile that the scopes allow: in the id_token and in what {@code /userinfo} answers. */
public final class UserClaims {

    private UserClaims() {
    }

    public static Map<String, Object> profile(UserEntity u, Set<String> scopes) {
        Map<String, Object> c = new LinkedHashMap<>();
        if (scopes.contains(Scopes.EMAIL) && u.channel() == Channel.EMAIL) {
            c.put("email", u.identifier);
            c.put("email_verified", u.emailVerified);
        }
        if (scopes.contains(Scopes.PHONE) && u.channel() == Channel.SMS) {
            c.put("phone_number", u.identifier);
            c.put("phone_number_verified", u.phoneVerified);
        }
        if (scopes.contains(Scopes.PROFILE)) {
            c.put("name", u.identifier);
            if (u.updatedAt != null) {
                c.put("updated_at", u.updatedAt.toString());
            }
        }
        return c;
    }
}
