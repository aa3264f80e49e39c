package dev.latchkey.delivery.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.common.otp.OtpState;
import dev.latchkey.common.testing.LocalServers;

/**
 * Writes each benchmark event's code hash to Redis as otp-service's start does (the {@code id} field delivery-service
 * checks before sending), over one plain RESP connection: the benchmark has no Quarkus and needs two commands.
 */
final class CodeRecords implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    CodeRecords() {
        URI redis = URI.create(LocalServers.redisUrl());
        try {
            socket = new Socket(redis.getHost(), redis.getPort() > 0 ? redis.getPort() : 6379);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void issue(DeliveryEvent e) {
        String key = OtpState.codeKey(e.connection(), e.recipient());
        try {
            command("HSET", key, OtpState.FIELD_ID, e.eventId());
            command("PEXPIREAT", key, Long.toString(e.expiresAt().toEpochMilli()));
            out.flush();
            reply();
            reply();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private void command(String... args) throws IOException {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Reads one integer or status reply; an error reply fails the benchmark. */
    private void reply() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("Redis closed the connection");
            }
            line.append((char) c);
        }
        if (line.charAt(0) == '-') {
            throw new IOException("Redis: " + line.toString().strip());
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
