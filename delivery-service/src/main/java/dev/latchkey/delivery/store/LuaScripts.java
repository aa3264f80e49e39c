package dev.latchkey.delivery.store;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;

import dev.latchkey.common.redis.ScriptRunner;

/** The one Lua runner (common's) of delivery-service's stores; the scripts are {@code src/main/resources/lua}. */
public class LuaScripts {

    @Produces
    @Singleton
    ScriptRunner runner(ReactiveRedisDataSource redis,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        return new ScriptRunner(redis.getRedis(), clientType);
    }
}
