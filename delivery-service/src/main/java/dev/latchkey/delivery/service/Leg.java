package dev.latchkey.delivery.service;

import dev.latchkey.delivery.provider.Provider;
import dev.latchkey.delivery.provider.Step;

/** One step of a connection's route with the provider that sends it. */
public record Leg(Step step, Provider provider) {

    public int index() {
        return step.index();
    }

    public String providerName() {
        return provider.name();
    }
}
