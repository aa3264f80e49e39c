package dev.latchkey.admin.console;

import static dev.latchkey.admin.support.Api.admin;
import static dev.latchkey.admin.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.latchkey.admin.support.AdminTestServers;
import dev.latchkey.admin.support.ConfigTopic;
import dev.latchkey.admin.support.TestTokens;

/**
 * The operator console in a real browser: headless Chromium (Debian's {@code chromium} package) driven by
 * playwright-core from {@code src/test/browser} (installed with {@code npm ci} when missing). It signs in, edits an
 * SMS template and sees the live preview change, then saves; the change must reach the API and the config topic.
 */
@QuarkusTest
@WithTestResource(AdminTestServers.class)
class ConsoleBrowserTest {

    private static final Path BROWSER_DIR = Path.of("src", "test", "browser").toAbsolutePath();
    private static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");

    @TestHTTPResource("/")
    URL root;

    @Test
    void editingAnSmsTemplateUpdatesTheLivePreviewAndSaves() throws Exception {
        assertTrue(Files.isExecutable(Path.of(CHROMIUM)),
                CHROMIUM + " is missing: apt-get install chromium (the console test drives Debian's Chromium)");
        String name = unique("console");
        admin().body(Map.of("name", name, "strategy", "sms")).post("/api/v2/connections").then().statusCode(201);
        installPlaywright();

        String base = root.toString().replaceAll("/$", "");
        Path screenshot = Path.of("target", "console-preview.png").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("node", "console-preview.mjs").directory(BROWSER_DIR.toFile())
                .redirectErrorStream(true);
        pb.environment().put("CONSOLE_URL", base);
        pb.environment().put("CONSOLE_TOKEN", TestTokens.withScopes("read:clients", "read:connections",
                "update:connections"));
        pb.environment().put("CONSOLE_CONNECTION", name);
        pb.environment().put("SCREENSHOT", screenshot.toString());
        pb.environment().put("CHROMIUM", CHROMIUM);
        Run run = run(pb, 180);
        assertEquals(0, run.exit(), "browser test failed:\n" + run.output());
        assertTrue(run.output().contains("\"ok\":true"), run.output());

        admin().get("/api/v2/connections/" + name).then().statusCode(200)
                .body("templates.default.body", equalTo("Tu código: {{ code }}"))
                .body("code_length", equalTo(8));
        ConfigTopic.awaitValue("connection:" + name, v -> v.contains("Tu código: {{ code }}"));
    }

    /** {@code npm ci} from the committed lock file, once; node_modules stays out of git. */
    private static void installPlaywright() throws Exception {
        if (Files.isDirectory(BROWSER_DIR.resolve("node_modules").resolve("playwright-core"))) {
            return;
        }
        Run run = run(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(BROWSER_DIR.toFile())
                .redirectErrorStream(true), 300);
        assertEquals(0, run.exit(), "npm ci failed in " + BROWSER_DIR + ":\n" + run.output());
    }

    private record Run(int exit, String output) {
    }

    private static Run run(ProcessBuilder pb, int timeoutSeconds) throws IOException, InterruptedException {
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException(pb.command().get(0) + " is not installed (the console test needs node "
                    + "and npm)", e);
        }
        StringBuilder out = new StringBuilder();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                // process ended
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            reader.join(2000);
            return new Run(-1, out + "\n(timed out after " + timeoutSeconds + " s)");
        }
        reader.join(5000);
        return new Run(p.exitValue(), out.toString());
    }

}
