package dev.latchkey.admin.messaging;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.latchkey.admin.config.AdminConfig;

/**
 * Drains the transactional outbox ({@code config_outbox}) to {@code latchkey.config}, oldest first. A batch is
 * deleted only after Kafka acknowledged all of it, in the same database transaction that read it: if the relay dies
 * mid-way, the batch is still there and is sent again (a compacted topic of whole records makes the repeat
 * harmless). A transaction-scoped advisory lock lets one replica drain at a time, so records of one key never
 * overtake each other.
 *
 * <p>
 * It runs on its own platform thread with plain JDBC: it blocks on purpose (waiting for acknowledgements inside the
 * transaction), which has no place on an event loop. It is woken after each commit and also polls, so changes left
 * by a crash or written by another replica go out too. On start it publishes only what is in the outbox, i.e.
 * changes not yet published; nothing unchanged is republished.
 */
@ApplicationScoped
public class ConfigRelay {

    private static final Logger LOG = Logger.getLogger(ConfigRelay.class);
    /** Advisory lock id: "lkcfg" in ASCII. */
    private static final long LOCK_ID = 0x6c6b636667L;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final AgroalDataSource dataSource;
    private final ConfigTopicProducer producer;
    private final AdminConfig.Outbox config;
    private final BlockingQueue<Boolean> wakeups = new ArrayBlockingQueue<>(1);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();

    private volatile boolean stopping;
    private volatile String lastError;
    private Thread thread;

    public ConfigRelay(AgroalDataSource dataSource, ConfigTopicProducer producer, AdminConfig config,
            MeterRegistry registry) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.config = config.outbox();
        registry.gauge("latchkey.config.outbox.pending", pending);
        registry.more().counter("latchkey.config.outbox.published", List.of(), published);
    }

    void start(@Observes StartupEvent event) {
        thread = Thread.ofPlatform().daemon().name("config-relay").start(this::run);
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        wake();
        if (thread != null) {
            try {
                thread.join(config.sendTimeout().toMillis() + 5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Asks the relay to look at the outbox now (called after each commit that queued a record). */
    public void wake() {
        wakeups.offer(Boolean.TRUE);
    }

    private void run() {
        boolean topicReady = false;
        Duration backoff = config.pollInterval();
        while (!stopping) {
            try {
                if (!topicReady) {
                    producer.ensureTopic();
                    topicReady = true;
                }
                while (!stopping && drainBatch() == config.batchSize()) {
                    // a full batch: there may be more
                }
                if (lastError != null) {
                    LOG.infof("config relay publishing to %s again", producer.topic());
                }
                lastError = null;
                backoff = config.pollInterval();
                wakeups.poll(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (stopping) {
                    return;
                }
                String error = describe(e);
                if (!error.equals(lastError)) {
                    LOG.warnf("config relay cannot publish to %s yet (%s); changes stay in the outbox and are "
                            + "retried", producer.topic(), error);
                }
                lastError = error;
                producer.reset();
                try {
                    // a commit or shutdown cuts the wait short
                    wakeups.poll(backoff.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /** Publishes and deletes one batch, in one transaction. Returns how many records it published. */
    int drainBatch() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int n = drainBatch(c);
                c.commit();
                return n;
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }

    private int drainBatch(Connection c) throws Exception {
        try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, LOCK_ID);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return 0; // another replica is draining
                }
            }
        }
        List<Long> ids = new ArrayList<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "select id, record_key, payload from config_outbox order by id limit ?")) {
            select.setInt(1, config.batchSize());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    sent.add(producer.send(rs.getString(2), rs.getString(3)));
                }
            }
        }
        if (ids.isEmpty()) {
            pending.set(0);
            return 0;
        }
        long deadline = System.nanoTime() + config.sendTimeout().toNanos();
        for (Future<RecordMetadata> f : sent) {
            producer.await(f, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        try (PreparedStatement delete = c.prepareStatement("delete from config_outbox where id = any(?)")) {
            Array array = c.createArrayOf("bigint", ids.toArray());
            delete.setArray(1, array);
            delete.executeUpdate();
        }
        try (PreparedStatement count = c.prepareStatement("select count(*) from config_outbox");
                ResultSet rs = count.executeQuery()) {
            pending.set(rs.next() ? rs.getLong(1) : 0);
        }
        published.addAndGet(ids.size());
        LOG.debugf("published %d config records to %s", ids.size(), producer.topic());
        return ids.size();
    }

    private static String describe(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof SQLException sql) {
            return "database: " + sql.getMessage();
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
