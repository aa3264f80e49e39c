package dev.latchkey.common.testing;

/**
 * Where the tests find the real servers started by {@code deploy/local/servers.sh}: the same LATCHKEY_*
 * environment variables the services read, with the same defaults.
 */
public final class LocalServers {

    private LocalServers() {
    }

    /** The bootstrap servers of the service under test when there is one (Dev Services set it), else the env. */
    public static String kafkaBootstrap() {
        try {
            return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getOptionalValue("kafka.bootstrap.servers", String.class)
                    .orElseGet(() -> env("LATCHKEY_KAFKA_BOOTSTRAP", "127.0.0.1:9092"));
        } catch (IllegalStateException e) {
            return env("LATCHKEY_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
        }
    }

    public static String redisUrl() {
        return env("LATCHKEY_REDIS_URL", "redis://127.0.0.1:6379");
    }

    public static String host(String hostPort) {
        String hp = hostPort.replaceFirst("^[a-z]+://", "").replaceFirst("/.*$", "").replaceFirst("^.*@", "");
        return hp.substring(0, hp.lastIndexOf(':'));
    }

    public static int port(String hostPort) {
        String hp = hostPort.replaceFirst("^[a-z]+://", "").replaceFirst("/.*$", "");
        return Integer.parseInt(hp.substring(hp.lastIndexOf(':') + 1));
    }

    public static String postgresHostPort() {
        return env("LATCHKEY_PG_HOSTPORT", "127.0.0.1:5432");
    }

    /** A database of the local PostgreSQL, with the suffix of this set of servers ({@code LATCHKEY_PG_DB_SUFFIX}). */
    public static String database(String name) {
        return name + env("LATCHKEY_PG_DB_SUFFIX", "");
    }

    /** The SMTP port of the local sink. */
    public static int smtpPort() {
        return Integer.parseInt(env("LATCHKEY_SMTP_PORT", "3025"));
    }

    /** The base URL of the SMTP sink's REST API. */
    public static String smtpApi() {
        return env("LATCHKEY_SMTP_API", "http://127.0.0.1:8025");
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
