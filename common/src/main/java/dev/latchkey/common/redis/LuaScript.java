package dev.latchkey.common.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script from a service's {@code src/main/resources/lua}, run by {@link ScriptRunner}. Its SHA-1 is computed
 * here, so EVALSHA needs no SCRIPT LOAD round trip.
 *
 * <p>
 * Redis scripts cannot include one another: a script made of shared functions and a body is loaded from several
 * files, concatenated in order ({@code load("reserve.lua", "claim.lua")}).
 */
public final class LuaScript {

    private final String name;
    private final String source;
    private final String sha1;
    /** Whether a batch of this process ran this script yet (until then a batch loads it first: {@link ScriptRunner}). */
    private volatile boolean sent;

    LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1(source);
    }

    /** The files {@code /lua/<file>} of the classpath, one after the other, as one script. */
    public static LuaScript load(String... files) {
        if (files.length == 0) {
            throw new IllegalArgumentException("no script file named");
        }
        StringBuilder source = new StringBuilder();
        for (String file : files) {
            source.append(read("/lua/" + file));
        }
        return new LuaScript(String.join("+", files), source.toString());
    }

    /** One call of this script with these keys (all of one hash slot on a cluster) and arguments. */
    public ScriptCall call(List<String> keys, List<String> args) {
        return new ScriptCall(this, keys, args);
    }

    /** The file name(s) it was loaded from, for logs and errors. */
    public String name() {
        return name;
    }

    String source() {
        return source;
    }

    String sha1() {
        return sha1;
    }

    boolean sent() {
        return sent;
    }

    void markSent() {
        sent = true;
    }

    private static String read(String resource) {
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
