package dev.latchkey.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.latchkey.common.testing.ExternalProcess;

/**
 * Real browsers, on the one origin and from an app's own origin: headless Chromium (Debian's {@code chromium}) driven by playwright-core from
 * {@code src/test/browser} ({@code npm ci} from the committed lock file when node_modules is missing). The real
 * auth0-js v9 from npm logs in with passwordlessStart/passwordlessVerify by email and by SMS, and from a page on another
 * site ({@code localhost} against {@code 127.0.0.1}) with passwordlessLogin (cross-origin authentication) and
 * passwordlessVerify; an origin the client does not list is refused. Auth0's Lock 14 Passwordless (auth0-lock from
 * npm, bundled by esbuild) logs in by SMS code from the app's own origin. The hosted login page is used as
 * a person would, with screenshots in {@code target/}.
 */
@ExtendWith(ServiceLogsOnFailure.class)
class BrowserIT {

    private static final Path DIR = Path.of("src", "test", "browser").toAbsolutePath();
    private static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    private static Suite suite;

    @BeforeAll
    static void up() throws Exception {
        assertTrue(Files.isExecutable(Path.of(CHROMIUM)), CHROMIUM + " is missing: apt-get install chromium");
        suite = Suite.get();
        if (!Files.isDirectory(DIR.resolve("node_modules/playwright-core"))
                || !Files.isDirectory(DIR.resolve("node_modules/auth0-js"))
                || !Files.isDirectory(DIR.resolve("node_modules/auth0-lock"))
                || !Files.isDirectory(DIR.resolve("node_modules/esbuild"))) {
            ExternalProcess.Result r = run(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
            assertEquals(0, r.exit(), "npm ci failed:\n" + r.output());
        }
    }

    @Test
    void auth0JsPasswordlessByEmail() throws Exception {
        String out = node("auth0js-login.mjs", Map.of("CONNECTION", suite.emailConnection,
                "STRATEGY", "email", "RECIPIENT", Suite.email()));
        assertTrue(out.contains("\"ok\":true") && out.contains("\"has_access_token\":true"),
                out);
    }

    @Test
    void auth0JsPasswordlessBySms() throws Exception {
        String phone = Suite.phone();
        String out = node("auth0js-login.mjs", Map.of("CONNECTION", suite.smsConnection,
                "STRATEGY", "sms", "RECIPIENT", phone));
        assertTrue(out.contains("\"ok\":true") && out.contains(phone), out);
    }

    @Test
    void auth0JsPasswordlessLoginFromTheAppsOwnOriginByEmail() throws Exception {
        String out = node("auth0js-cross-origin.mjs",
                Map.of("FLOW", "login", "CONNECTION", suite.emailConnection, "STRATEGY", "email", "RECIPIENT",
                        Suite.email()));
        assertTrue(out.contains("\"ok\":true") && out.contains("\"has_access_token\":true"),
                out);
        assertTrue(out.contains("\"co_authenticate\":true") && out.contains("\"login_ticket\":true"),
                "went through /co/authenticate and /authorize?login_ticket=: " + out);
        assertTrue(out.contains("\"app_origin\":\"" + suite.appOrigin + "\""), out);
    }

    @Test
    void auth0JsPasswordlessLoginFromTheAppsOwnOriginBySms() throws Exception {
        String phone = Suite.phone();
        String out = node("auth0js-cross-origin.mjs",
                Map.of("FLOW", "login", "CONNECTION", suite.smsConnection, "STRATEGY", "sms", "RECIPIENT", phone));
        assertTrue(out.contains("\"ok\":true") && out.contains(phone), out);
        assertTrue(out.contains("\"login_ticket\":true"), out);
    }

    @Test
    void auth0JsPasswordlessVerifyFromTheAppsOwnOrigin() throws Exception {
        String out = node("auth0js-cross-origin.mjs",
                Map.of("FLOW", "verify", "CONNECTION", suite.emailConnection, "STRATEGY", "email", "RECIPIENT",
                        Suite.email()));
        assertTrue(out.contains("\"ok\":true") && out.contains("\"has_access_token\":true"),
                out);
    }

    @Test
    void anOriginTheClientDoesNotListIsRefused() throws Exception {
        String out = node("auth0js-cross-origin.mjs",
                Map.of("FLOW", "refused", "CONNECTION", suite.emailConnection, "STRATEGY", "email", "RECIPIENT",
                        Suite.email()));
        assertTrue(out.contains("\"allowOrigin\":null") && out.contains("\"sent\":false"),
                out);
    }

    /**
     * Lock 14 Passwordless, bundled by esbuild, from the app's own origin: renders within its budget after one
     * silent probe (no 5 s timeout, no nested probes), no console error; the ID token verifies against the JWKS.
     */
    @Test
    void lockPasswordlessSmsCodeFromTheAppsOwnOrigin() throws Exception {
        String phone = Suite.phone();
        String out = node("lock-login.mjs",
                Map.of("CONNECTION", suite.smsConnection, "STRATEGY", "sms", "RECIPIENT", phone));
        assertTrue(out.contains("\"ok\":true") && out.contains("\"recipient\":\"" + phone + "\""), out);
    }

    @Test
    void hostedLoginPageWithThePhone() throws Exception {
        String phone = Suite.phone();
        Path shots = Path.of("target").toAbsolutePath();
        String out = node("hosted-login.mjs", Map.of("CONNECTION", suite.smsConnection,
                "COUNTRY_DIAL", "1", "NATIONAL", phone.substring(2), "SCREENSHOT_DIR", shots.toString()));
        assertTrue(out.contains("\"ok\":true"), out);
        assertTrue(Files.size(shots.resolve("hosted-login-done.png")) > 0);
    }

    /** Runs one of the browser scripts, which must exit 0; answers what it printed. */
    private static String node(String script, Map<String, String> env) throws IOException, InterruptedException {
        ExternalProcess.Result r = run(new ProcessBuilder("node", script), env, 120);
        assertEquals(0, r.exit(), r.output());
        return r.output();
    }

    private static ExternalProcess.Result run(ProcessBuilder pb, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        pb.directory(DIR.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        if (suite != null) {
            pb.environment().put("ORIGIN", suite.origin);
            pb.environment().put("CLIENT_ID", suite.clientId);
            pb.environment().put("WWW", suite.work.resolve("www").toString());
            pb.environment().put("APP_ORIGIN", suite.appOrigin);
        }
        pb.environment().put("CHROMIUM", CHROMIUM);
        return ExternalProcess.run(pb, timeoutSeconds);
    }
}
