package dev.latchkey.admin.console;

import static dev.latchkey.admin.support.Api.admin;
import static dev.latchkey.admin.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.latchkey.admin.support.AdminTestServers;
import dev.latchkey.admin.support.ConfigTopic;
import dev.latchkey.admin.support.TestTokens;
import dev.latchkey.common.testing.ExternalProcess;

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
        ExternalProcess.Result run = ExternalProcess.run(pb, 180);
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
        ExternalProcess.Result run = ExternalProcess
                .run(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(BROWSER_DIR.toFile())
                        .redirectErrorStream(true), 300);
        assertEquals(0, run.exit(), "npm ci failed in " + BROWSER_DIR + ":\n" + run.output());
    }
}
