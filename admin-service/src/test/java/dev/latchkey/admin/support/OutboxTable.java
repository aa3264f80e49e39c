package dev.latchkey.admin.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Looks into the outbox table of the service under test directly (the datasource it was given). */
public final class OutboxTable {

    private OutboxTable() {
    }

    public static long rows(String key) {
        Config config = ConfigProvider.getConfig();
        try (Connection c = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getOptionalValue("quarkus.datasource.username", String.class).orElse("latchkey"),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse("latchkey"));
                PreparedStatement s = c.prepareStatement("select count(*) from config_outbox where record_key = ?")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
