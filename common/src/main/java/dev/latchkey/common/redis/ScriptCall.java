package dev.latchkey.common.redis;

import java.util.List;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/** One call of a {@link LuaScript}: its keys (of one hash slot on a cluster) and its arguments. */
public record ScriptCall(LuaScript script, List<String> keys, List<String> args) {

    public ScriptCall {
        keys = List.copyOf(keys);
        args = List.copyOf(args);
    }

    /** The EVALSHA ({@code bySha}) or EVAL request of this call. */
    Request request(boolean bySha) {
        Request r = Request.cmd(bySha ? Command.EVALSHA : Command.EVAL)
                .arg(bySha ? script.sha1() : script.source())
                .arg(Integer.toString(keys.size()));
        keys.forEach(r::arg);
        args.forEach(r::arg);
        return r;
    }
}
