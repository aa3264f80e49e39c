package dev.latchkey.common.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs a command for a test (node with playwright-core, npm ci) and hands back its exit code and output. */
public final class ExternalProcess {

    /** Exit code (-1 when it timed out and was killed) and standard output (with standard error when merged). */
    public record Result(int exit, String output) {
    }

    private ExternalProcess() {
    }

    public static Result run(ProcessBuilder pb, int timeoutSeconds) throws InterruptedException {
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException(pb.command().get(0) + " could not be started (is it installed?)", e);
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
            return new Result(-1, out + "\n(timed out after " + timeoutSeconds + " s)");
        }
        reader.join(5000);
        return new Result(p.exitValue(), out.toString());
    }
}
