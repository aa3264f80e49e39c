package dev.latchkey.common.testing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/**
 * Finished spans of the service under test, kept in memory: a test injects {@link InMemorySpanExporter} to look at
 * them. The test-jar has a beans.xml so that the services' tests pick this bean up; with it, nothing is exported.
 */
@ApplicationScoped
public class SpanCollector {

    @Produces
    @Singleton
    InMemorySpanExporter spans() {
        return InMemorySpanExporter.create();
    }
}
