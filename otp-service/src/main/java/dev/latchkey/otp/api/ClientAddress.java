package dev.latchkey.otp.api;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Who the caller is for the per-IP limit: an IPv4 address, or the /64 network of an IPv6 address (one subscriber line
 * gets a whole /64, so counting single IPv6 addresses would let one caller rotate through billions), in one canonical
 * text form. Behind a proxy listed in {@code quarkus.http.proxy.trusted-proxies} the address comes from
 * {@code X-Forwarded-For} / {@code Forwarded} (Quarkus rewrites the remote address); from anyone else those headers
 * are ignored.
 */
final class ClientAddress {

    private static final Pattern IPV4 = Pattern
            .compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:.]{2,45}$");

    private ClientAddress() {
    }

    static String of(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        if (remote == null) {
            return null;
        }
        String host = remote.hostAddress();
        String canonical = literal(host);
        return canonical != null ? canonical : host;
    }

    /** The limit identity of an IP literal (see the class comment), or null if {@code value} is not one. */
    static String literal(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (v.startsWith("[") && v.endsWith("]")) {
            v = v.substring(1, v.length() - 1);
        }
        boolean v4 = IPV4.matcher(v).matches();
        if (!v4 && !(v.contains(":") && IPV6.matcher(v).matches())) {
            return null;
        }
        try {
            // Only literals reach this point, which InetAddress parses without resolving.
            InetAddress address = InetAddress.getByName(v);
            if (address instanceof Inet6Address) {
                byte[] network = Arrays.copyOf(address.getAddress(), 16);
                Arrays.fill(network, 8, 16, (byte) 0);
                return InetAddress.getByAddress(network).getHostAddress() + "/64";
            }
            return address.getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
