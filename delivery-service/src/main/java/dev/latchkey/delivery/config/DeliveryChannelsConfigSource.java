package dev.latchkey.delivery.config;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * {@code LATCHKEY_DELIVERY_CHANNELS} ({@code sms}, {@code email} or {@code sms,email}, the default): which delivery
 * topics this instance consumes. In Kubernetes sms and email run as two Deployments of this image so each scales and
 * is throttled on its own; this turns the other channel's incoming Kafka channels (and its retry topic) off. Read
 * from the environment (or the system property {@code latchkey.delivery.channels}) because the messaging channels'
 * {@code enabled} switches must be known before the application's own configuration is.
 * <p>
 * {@code LATCHKEY_INSTANCE_ID} (in Kubernetes the pod's name; unset by default): the consumers join their groups as
 * static members (Kafka's KIP-345), {@code <instance>-<channel>}, so a process that restarts under the same name takes
 * its partitions back at once, without a rebalance and without waiting for its old session to time out. The
 * price: a member that goes away for good keeps its partitions until its session timeout. Each live process of a
 * group needs its own name (two with one name fence each other), hence no default.
 */
public class DeliveryChannelsConfigSource implements ConfigSource {

    static final List<String> CHANNELS = List.of("sms", "email");

    private final Map<String, String> properties;

    public DeliveryChannelsConfigSource() {
        this(System.getProperty("latchkey.delivery.channels", System.getenv("LATCHKEY_DELIVERY_CHANNELS")),
                System.getProperty("latchkey.delivery.instance-id", System.getenv("LATCHKEY_INSTANCE_ID")));
    }

    DeliveryChannelsConfigSource(String value) {
        this(value, null);
    }

    DeliveryChannelsConfigSource(String value, String instanceId) {
        Set<String> wanted = Set.copyOf(Arrays.stream((value == null || value.isBlank() ? "sms,email" : value)
                .split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
        if (wanted.isEmpty() || !CHANNELS.containsAll(wanted)) {
            throw new IllegalArgumentException(
                    "LATCHKEY_DELIVERY_CHANNELS must be sms, email or sms,email, not '" + value + "'");
        }
        Map<String, String> p = new HashMap<>();
        for (String channel : CHANNELS) {
            String on = String.valueOf(wanted.contains(channel));
            p.put("mp.messaging.incoming." + channel + ".enabled", on);
            p.put("mp.messaging.incoming." + channel + "-retry.enabled", on);
            if (instanceId != null && !instanceId.isBlank()) {
                p.put("mp.messaging.incoming." + channel + ".group.instance.id", instanceId.strip() + "-" + channel);
                p.put("mp.messaging.incoming." + channel + "-retry.group.instance.id",
                        instanceId.strip() + "-" + channel + "-retry");
            }
        }
        this.properties = Map.copyOf(p);
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "latchkey-delivery-channels";
    }

    @Override
    public int getOrdinal() {
        return 275; // above application.properties, below system properties and the environment
    }
}
