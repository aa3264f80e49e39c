package dev.latchkey.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a random loopback port that tests switch on and off, to show a service going DOWN and UP
 * against a real server. While shut nothing listens on the port (clients get "connection refused", as with a wrong
 * address or a dead server); while open it forwards to the target; while held it accepts connections and never
 * answers (a server that hangs mid-call).
 */
public final class TcpProxy implements AutoCloseable {

    private final int port;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile boolean holding;

    /** A proxy for the target on a free port, shut. */
    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public synchronized boolean isOpen() {
        return server != null;
    }

    /** Starts listening on the port and forwarding to the target (held connections are cut). */
    public synchronized void open() {
        holding = false;
        held.forEach(TcpProxy::quietClose);
        held.clear();
        listen();
    }

    private void listen() {
        if (server != null) {
            return;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            server = s;
            Thread.ofPlatform().daemon().name("tcp-proxy-" + port).start(() -> acceptLoop(s));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot listen on " + port, e);
        }
    }

    /**
     * Cuts every connection made so far and holds new ones: they are accepted and then get nothing, neither bytes
     * nor a close, until {@link #open} or {@link #shut}.
     */
    public synchronized void hold() {
        sockets.forEach(TcpProxy::quietClose);
        sockets.clear();
        holding = true;
        listen();
    }

    /** Connections held at this moment (see {@link #hold}). */
    public int heldConnections() {
        return held.size();
    }

    /** Stops listening and cuts every connection made so far. */
    public synchronized void shut() {
        holding = false;
        held.forEach(TcpProxy::quietClose);
        held.clear();
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // already closed
            }
            server = null;
        }
        sockets.forEach(TcpProxy::quietClose);
        sockets.clear();
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                if (holding) {
                    held.add(client);
                    continue;
                }
                Socket upstream = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed, or the target refused: the client sees a dropped connection, as with a dead server
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread.ofPlatform().daemon().start(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // connection ended
            } finally {
                quietClose(from);
                quietClose(to);
            }
        });
    }

    private static void quietClose(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        shut();
    }
}
