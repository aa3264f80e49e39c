package dev.latchkey.common.auth;

/**
 * Scopes of the Management API (Auth0's names). A management client holds them as client grants for
 * {@link AuthConfig#managementApiAudience()}; token-service's internal API checks the ones for users and keys.
 */
public final class ManagementScopes {

    public static final String READ_CLIENTS = "read:clients";
    public static final String CREATE_CLIENTS = "create:clients";
    public static final String UPDATE_CLIENTS = "update:clients";
    public static final String DELETE_CLIENTS = "delete:clients";
    public static final String READ_CONNECTIONS = "read:connections";
    public static final String CREATE_CONNECTIONS = "create:connections";
    public static final String UPDATE_CONNECTIONS = "update:connections";
    public static final String DELETE_CONNECTIONS = "delete:connections";
    public static final String READ_USERS = "read:users";
    public static final String UPDATE_USERS = "update:users";
    public static final String DELETE_USERS = "delete:users";
    public static final String READ_SIGNING_KEYS = "read:signing_keys";
    public static final String CREATE_SIGNING_KEYS = "create:signing_keys";

    private ManagementScopes() {
    }
}
