package dev.latchkey.otp.support;

import static io.restassured.RestAssured.given;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Calls {@code POST /passwordless/start} as a browser behind the trusted local proxy would. */
public final class Starts {

    private Starts() {
    }

    /** A fresh client address (2001:db8::/32, the documentation range) so no two tests share a per-IP budget. */
    public static String ip() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        String h = HexFormat.of().formatHex(b);
        return "2001:db8:" + h.substring(0, 4) + ":" + h.substring(4, 8) + ":" + h.substring(8, 12) + ":"
                + h.substring(12, 16) + ":" + h.substring(16, 20) + ":" + h.substring(20, 24);
    }

    /** The per-IP limiter key of an address from {@link #ip()}: its /64 network. */
    public static String ipLimitKey(String ip) {
        try {
            byte[] a = java.net.InetAddress.getByName(ip).getAddress();
            java.util.Arrays.fill(a, 8, 16, (byte) 0);
            return "otp:limit:ip:{" + java.net.InetAddress.getByAddress(a).getHostAddress() + "/64}";
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Body builder: pairs of name, value (values may be maps or other JSON types). */
    public static Map<String, Object> body(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    public static Response start(Map<String, Object> body, String ip) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", ip).body(body)
                .post("/passwordless/start");
    }

    public static Response start(Map<String, Object> body) {
        return start(body, ip());
    }
}
