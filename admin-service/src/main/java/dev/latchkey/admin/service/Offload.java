package dev.latchkey.admin.service;

import java.util.concurrent.Callable;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs work that may take a while (rendering a Liquid template is bounded by a time limit, but a limit of a second
 * is far too long for an event loop) on a worker thread, and resumes on the caller's Vert.x context, where the
 * reactive Hibernate session lives.
 */
final class Offload {

    private Offload() {
    }

    static <T> Uni<T> call(Callable<T> work) {
        Context context = Vertx.currentContext();
        if (context == null || !Context.isOnEventLoopThread()) {
            return Uni.createFrom().item(() -> {
                try {
                    return work.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        return Uni.createFrom().completionStage(() -> context.executeBlocking(work, false).toCompletionStage());
    }
}
