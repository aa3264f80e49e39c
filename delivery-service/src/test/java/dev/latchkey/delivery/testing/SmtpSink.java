package dev.latchkey.delivery.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.codec.DecoderException;
import org.apache.commons.codec.net.QuotedPrintableCodec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.latchkey.common.testing.LocalServers;

/** Reads the local SMTP sink (GreenMail) over its REST API and takes its MIME messages apart. */
public final class SmtpSink {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One received message: headers of the top part, the subject, and the decoded text and HTML parts. */
    public record Mail(String subject, Map<String, String> headers, String text, String html) {
    }

    private SmtpSink() {
    }

    public static String api() {
        return LocalServers.smtpApi();
    }

    public static List<Mail> messagesTo(String address) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api() + "/api/user/"
                    + URLEncoder.encode(address, StandardCharsets.UTF_8) + "/messages/")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = MAPPER.readTree(r.body());
            if (r.statusCode() != 200 || !body.isArray()) {
                // GreenMail answers 400 {"message": "User '...' not found"} until the first message arrives.
                return List.of();
            }
            List<Mail> out = new ArrayList<>();
            for (JsonNode m : body) {
                out.add(parse(m.path("subject").asText(), m.path("mimeMessage").asText()));
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("could not read the SMTP sink at " + api(), e);
        }
    }

    static Mail parse(String subject, String mime) throws DecoderException {
        String[] headAndBody = mime.split("\r?\n\r?\n", 2);
        Map<String, String> headers = headers(headAndBody[0]);
        String body = headAndBody.length > 1 ? headAndBody[1] : "";
        String contentType = headers.getOrDefault("content-type", "text/plain");
        String text = null;
        String html = null;
        if (contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            String boundary = contentType.replaceAll("(?s).*boundary=\"?([^\";]+)\"?.*", "$1");
            for (String part : body.split("--" + java.util.regex.Pattern.quote(boundary))) {
                String[] ph = part.strip().split("\r?\n\r?\n", 2);
                if (ph.length < 2) {
                    continue;
                }
                Map<String, String> partHeaders = headers(ph[0]);
                String type = partHeaders.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
                String decoded = decode(ph[1], partHeaders.getOrDefault("content-transfer-encoding", "7bit"));
                if (type.startsWith("text/plain")) {
                    text = decoded;
                } else if (type.startsWith("text/html")) {
                    html = decoded;
                }
            }
        } else {
            String decoded = decode(body, headers.getOrDefault("content-transfer-encoding", "7bit"));
            if (contentType.toLowerCase(Locale.ROOT).startsWith("text/html")) {
                html = decoded;
            } else {
                text = decoded;
            }
        }
        return new Mail(subject, headers, text, html);
    }

    private static Map<String, String> headers(String block) {
        Map<String, String> h = new LinkedHashMap<>();
        String unfolded = block.replaceAll("\r?\n[ \t]+", " ");
        for (String line : unfolded.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                h.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).strip());
            }
        }
        return h;
    }

    private static String decode(String body, String encoding) throws DecoderException {
        String e = encoding.toLowerCase(Locale.ROOT).strip();
        if (e.equals("quoted-printable")) {
            return new QuotedPrintableCodec(StandardCharsets.UTF_8, true).decode(body.strip());
        }
        if (e.equals("base64")) {
            return new String(Base64.getMimeDecoder().decode(body.strip()), StandardCharsets.UTF_8);
        }
        return body.strip();
    }
}
