package dev.latchkey.otp.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * A Lua script from {@code src/main/resources/lua}, sent as EVALSHA (its SHA-1 computed here, so no SCRIPT LOAD
 * round trip is needed) or, when Redis answers NOSCRIPT (restart, failover, SCRIPT FLUSH), as EVAL, which also puts
 * it back into the server's script cache.
 */
final class LuaScript {

    private final String name;
    private final String source;
    private final String sha1;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1(source);
    }

    static LuaScript load(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream("/lua/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing script /lua/" + name);
            }
            return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Request request(boolean bySha, List<String> keys, List<String> args) {
        Request r = Request.cmd(bySha ? Command.EVALSHA : Command.EVAL).arg(bySha ? sha1 : source)
                .arg(Integer.toString(keys.size()));
        keys.forEach(r::arg);
        args.forEach(r::arg);
        return r;
    }

    String name() {
        return name;
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
