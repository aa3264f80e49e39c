import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates the platform's topics listed in topics.txt when they are missing (run by servers.sh as a
 * single-file program, so one JVM creates them all). Arguments: bootstrap servers, topics file and, optionally, the
 * replication factor (default 1); with more than one replica a topic also gets {@code min.insync.replicas} of one
 * less than that, so an {@code acks=all} write survives the loss of one broker and needs two copies.
 */
public class CreateTopics {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        short replicas = args.length > 2 ? Short.parseShort(args[2]) : 1;
        List<NewTopic> wanted = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            Map<String, String> configs = new HashMap<>();
            if (f.length > 2 && !f[2].equals("-")) {
                for (String kv : f[2].split(",")) {
                    String[] p = kv.split("=", 2);
                    configs.put(p[0], p[1]);
                }
            }
            if (replicas > 1) {
                configs.putIfAbsent("min.insync.replicas", Integer.toString(replicas - 1));
            }
            wanted.add(new NewTopic(f[0], Integer.parseInt(f[1]), replicas).configs(configs));
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            System.out.println("kafka topics: " + missing.size() + " created, " + (wanted.size() - missing.size())
                    + " already there");
        }
    }
}
