package dev.latchkey.delivery.provider;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/** Every {@link Provider} bean, by name: a new provider is one class, found here without being listed. */
@ApplicationScoped
public class Providers {

    private final Map<String, Provider> byName;

    public Providers(Instance<Provider> providers) {
        this.byName = providers.stream().collect(Collectors.toUnmodifiableMap(Provider::name, Function.identity()));
    }

    public Optional<Provider> named(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }
}
