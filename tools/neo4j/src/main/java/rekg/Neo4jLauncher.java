package rekg;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Starts an embedded Neo4j 5 Community DBMS with only the Bolt connector, on 127.0.0.1.
 *
 * <pre>
 *   NEO4J_PASSWORD=secret java -cp 'launcher.jar:lib/*' rekg.Neo4jLauncher HOME_DIR PORT
 * </pre>
 *
 * HOME_DIR holds data/ and logs/ (created if missing). Authentication is on; user
 * {@code neo4j} gets the password from NEO4J_PASSWORD. Optional env: REKG_NEO4J_PAGECACHE
 * (MiB, default 256); REKG_NEO4J_CONFIG, more settings as {@code name=value} pairs separated by
 * {@code ;} (e.g. {@code db.tx_state.memory_allocation=OFF_HEAP}), applied last. Prints {@code READY bolt://127.0.0.1:PORT} once clients can connect,
 * and shuts down cleanly on SIGTERM/SIGINT. Exits 1 with an {@code ERROR ...} line on failure.
 */
public final class Neo4jLauncher {

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Neo4jLauncher HOME_DIR PORT  (password in env NEO4J_PASSWORD)");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.isEmpty()) {
            System.err.println("ERROR NEO4J_PASSWORD is not set");
            System.exit(2);
        }
        long pageCacheMiB = Long.parseLong(envOr("REKG_NEO4J_PAGECACHE", "256"));
        Path extra;
        try {
            extra = extraSettings(home, envOr("REKG_NEO4J_CONFIG", ""));
        } catch (IllegalArgumentException e) {
            System.out.println("ERROR " + e.getMessage());
            System.exit(2);
            return;
        }

        DatabaseManagementService dbms;
        try {
            SocketAddress bolt = new SocketAddress("127.0.0.1", port);
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, bolt)
                    .setConfig(BoltConnector.advertised_address, bolt)
                    // Plain Bolt (no TLS) is fine: loopback only.
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress("127.0.0.1"))
                    .setConfig(GraphDatabaseSettings.auth_enabled, true)
                    // Let the caller choose short test passwords (default minimum is 8).
                    .setConfig(GraphDatabaseSettings.auth_minimum_password_length, 1)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMiB))
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    // Stop quickly: Netty otherwise idles 5 s per event loop group on shutdown
                    // (about 10 s in all), and waits up to 5 min for open client connections.
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(10))
                    .loadPropertiesFromFile(extra)
                    .build();
        } catch (Throwable t) {
            System.out.println("ERROR could not start Neo4j: " + t);
            t.printStackTrace();
            System.exit(1);
            return;
        }

        // On SIGTERM/SIGINT the JVM runs shutdown hooks: close the DBMS cleanly (flushes the store).
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("STOPPING");
            try {
                dbms.shutdown();
            } finally {
                stopped.countDown();
                System.out.println("STOPPED");
            }
        }, "rekg-neo4j-shutdown"));

        try {
            setPassword(dbms, password);
        } catch (Throwable t) {
            System.out.println("ERROR could not set the password of user neo4j: " + t);
            t.printStackTrace();
            System.exit(1); // the shutdown hook closes the DBMS
        }

        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await(); // keep the main thread alive until shutdown
    }

    /**
     * Embedded code runs with full rights, so it can alter the built-in user in the system
     * database. On a fresh store {@code neo4j} has the default password "neo4j" with "change
     * required"; on a reused store it has whatever was set last time. Neo4j refuses to "change"
     * a password to the value it already has, so that case is detected and ignored.
     */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        var system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
            // Password already right; make sure no change is demanded at first login.
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
        }
    }

    /**
     * Write {@code name=value;name=value} (blank entries ignored) as a neo4j.conf-style file in
     * HOME_DIR, for the builder to load: the embedded API takes raw settings only that way.
     */
    private static Path extraSettings(Path home, String text) throws java.io.IOException {
        StringBuilder conf = new StringBuilder();
        for (String pair : text.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("REKG_NEO4J_CONFIG: expected name=value, got '" + pair.trim() + "'");
            }
            conf.append(pair.substring(0, eq).trim()).append('=').append(pair.substring(eq + 1).trim()).append('\n');
        }
        java.nio.file.Files.createDirectories(home);
        Path file = home.resolve("rekg-extra.conf");
        java.nio.file.Files.writeString(file, conf.toString());
        return file;
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }
}
