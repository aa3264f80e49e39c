package dev.latchkey.common.testing;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.RestAssured;

/** Reads the service's own Prometheus scrape ({@code /q/metrics}), as Prometheus would. */
public final class Metrics {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private Metrics() {
    }

    /** The whole scrape of the service under test. */
    public static String scrape() {
        return RestAssured.given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** Sum of every sample named {@code name} whose labels include {@code labels}; 0 when there is none. */
    public static double value(String scrape, String name, Map<String, String> labels) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            Matcher m = SAMPLE.matcher(line.strip());
            if (!m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> found = new java.util.HashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    found.put(l.group(1), l.group(2));
                }
            }
            if (found.entrySet().containsAll(labels.entrySet())) {
                sum += Double.parseDouble(m.group(4));
            }
        }
        return sum;
    }

    /** {@link #value(String, String, Map)} of a fresh scrape. */
    public static double value(String name, Map<String, String> labels) {
        return value(scrape(), name, labels);
    }
}
