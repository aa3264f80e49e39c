package dev.latchkey.admin.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import dev.latchkey.common.testing.LocalServers;

/** Looks into the outbox table of the test schema directly. */
public final class OutboxTable {

    private OutboxTable() {
    }

    public static long rows(String key) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + LocalServers.postgresHostPort()
                + "/latchkey_admin?currentSchema=" + AdminTestServers.SCHEMA, "latchkey", "latchkey");
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
