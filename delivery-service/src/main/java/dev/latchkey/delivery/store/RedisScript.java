package dev.latchkey.delivery.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * A Lua script run by its SHA-1 (EVALSHA), loaded with EVAL the first time a server does not know it. The sources are
 * {@code src/main/resources/lua/*.lua}.
 */
final class RedisScript {

    private final String source;
    private final String sha;

    RedisScript(String source) {
        this.source = source;
        try {
            this.sha = HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The script made of these files of {@code lua/}, in this order (a shared function first). */
    static RedisScript load(String... names) {
        StringBuilder source = new StringBuilder();
        for (String name : names) {
            try (InputStream in = RedisScript.class.getResourceAsStream("/lua/" + name + ".lua")) {
                if (in == null) {
                    throw new IllegalStateException("no script lua/" + name + ".lua");
                }
                source.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new RedisScript(source.toString());
    }

    Uni<Response> run(ReactiveRedisDataSource redis, List<String> keys, String... args) {
        return redis.execute("EVALSHA", arguments(sha, keys, args))
                .onFailure(e -> String.valueOf(e.getMessage()).startsWith("NOSCRIPT"))
                .recoverWithUni(() -> redis.execute("EVAL", arguments(source, keys, args)));
    }

    private static String[] arguments(String first, List<String> keys, String... args) {
        List<String> all = new ArrayList<>(2 + keys.size() + args.length);
        all.add(first);
        all.add(Integer.toString(keys.size()));
        all.addAll(keys);
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }
}
