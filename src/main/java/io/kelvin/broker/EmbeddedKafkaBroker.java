package io.kelvin.broker;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in a child JVM
 * from the Kafka jars on Kelvin's own class path: the embedded default of the demo and the broker
 * of the integration tests.
 *
 * <p>What it guarantees:
 * <ul>
 *   <li>Everything lives under the data directory: {@code server.properties}, the broker's
 *       logging configuration, its log ({@value #LOG_FILE_NAME}) and Kafka's data ({@code
 *       kafka-logs/}). A directory that is not formatted yet is formatted with Kafka's own storage
 *       tool; one that is keeps its topics, data and committed offsets.</li>
 *   <li>It listens on 127.0.0.1 only, on ports chosen at start (reusing the previous run's ports
 *       of the same data directory when they are free, so a second terminal can keep its
 *       {@code --bootstrap-servers}). {@link #restart()} keeps the ports.</li>
 *   <li>{@link #start} and {@link #restart} return only once the broker answers a cluster
 *       description and leads every partition it holds (so that a producer started next cannot
 *       meet a partition the broker has not taken up again); otherwise they throw
 *       {@link BrokerStartException} quoting the broker log, and leave no process behind.</li>
 *   <li>The broker never outlives this JVM: a shutdown hook stops it, and the child exits by
 *       itself when this JVM is killed outright (see {@link KafkaChildMain}).</li>
 *   <li>Optionally it authenticates and authorizes every client like a production cluster
 *       (SASL/SCRAM, with or without TLS, and ACLs): see {@link ScramSecurity}.</li>
 *   <li>The configuration suits a single-node exactly-once Kafka Streams application:
 *       replication factor and minimum ISR 1 for the internal topics, no initial rebalance
 *       delay, and no automatic topic creation (topics come from {@link TopicProvisioner}).</li>
 * </ul>
 *
 * <p>Thread-safe: start, stop, restart and kill are serialised.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** The broker's log in the data directory: both JVM streams of every start and format. */
    public static final String LOG_FILE_NAME = "broker.log";
    static final String PROPERTIES_FILE_NAME = "server.properties";
    static final String LOGGING_FILE_NAME = "broker-logback.xml";
    static final String KAFKA_DIR_NAME = "kafka-logs";
    static final String LOCK_FILE_NAME = "embedded-broker.lock";
    static final String KEYSTORE_FILE_NAME = "broker-keystore.p12";
    /** The broker's self-signed certificate (PEM), the trust store of its TLS clients. */
    public static final String CERTIFICATE_FILE_NAME = "broker-certificate.pem";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String HOST = "127.0.0.1";
    private static final Pattern LISTENER_PORT = Pattern.compile("(SASL_SSL|SASL_PLAINTEXT|PLAINTEXT|CONTROLLER)://[^,]*:(\\d+)");
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final long POLL_MS = 100;
    private static final Pattern STACK_FRAME = Pattern.compile("\\s+(at |\\.\\.\\. \\d+ more).*");
    private static final Pattern LOG_ENTRY = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d |^---- Kelvin: ");
    private static final Pattern ERROR_LINE = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\S+ (ERROR|FATAL) |^Error|^Exception");

    private final Path dataDir;
    private final Options options;
    private final int brokerPort;
    private final int controllerPort;
    private final FileChannel lockChannel;
    private final Thread shutdownHook;
    private volatile Process process;

    /**
     * How the broker JVM is started.
     *
     * @param maxHeap          the child's {@code -Xmx}, for example {@code 768m}
     * @param startTimeout     longest wait for formatting and for the broker to answer
     * @param stopTimeout      longest wait for a clean shutdown before the process is killed
     * @param brokerProperties broker settings that replace or add to Kelvin's defaults
     * @param security         SASL/SCRAM and ACLs on the client listener, or null for a
     *                         PLAINTEXT broker that lets every client do everything
     */
    public record Options(String maxHeap, Duration startTimeout, Duration stopTimeout, Map<String, String> brokerProperties,
                          ScramSecurity security) {

        public Options {
            Objects.requireNonNull(maxHeap, "maxHeap");
            Objects.requireNonNull(startTimeout, "startTimeout");
            Objects.requireNonNull(stopTimeout, "stopTimeout");
            brokerProperties = Map.copyOf(brokerProperties);
        }

        /** 768 MiB heap, 60 s to start, 30 s to stop, no extra broker settings, no security. */
        public static Options defaults() {
            return new Options("768m", Duration.ofSeconds(60), Duration.ofSeconds(30), Map.of(), null);
        }

        public Options withMaxHeap(String heap) {
            return new Options(heap, startTimeout, stopTimeout, brokerProperties, security);
        }

        public Options withStartTimeout(Duration timeout) {
            return new Options(maxHeap, timeout, stopTimeout, brokerProperties, security);
        }

        public Options withStopTimeout(Duration timeout) {
            return new Options(maxHeap, startTimeout, timeout, brokerProperties, security);
        }

        public Options withBrokerProperty(String key, String value) {
            Map<String, String> props = new LinkedHashMap<>(brokerProperties);
            props.put(key, value);
            return new Options(maxHeap, startTimeout, stopTimeout, props, security);
        }

        /** Secures the broker as {@link ScramSecurity} describes, with {@code superUser} as its super user, without TLS. */
        public Options withScramSecurity(String superUser, String superUserPassword) {
            return new Options(maxHeap, startTimeout, stopTimeout, brokerProperties, new ScramSecurity(superUser, superUserPassword, false));
        }

        /** As {@link #withScramSecurity}, over TLS ({@code SASL_SSL}) with a self-signed certificate. */
        public Options withScramSecurityOverTls(String superUser, String superUserPassword) {
            return new Options(maxHeap, startTimeout, stopTimeout, brokerProperties, new ScramSecurity(superUser, superUserPassword, true));
        }
    }

    /**
     * A broker that authenticates and authorizes every client, the way a production cluster
     * does, so that Kelvin's client settings and documented ACLs can be tested against it.
     *
     * <ul>
     *   <li>The client listener is {@code SASL_PLAINTEXT} with {@value #MECHANISM}, or {@code
     *       SASL_SSL} when {@code tls}; inter-broker traffic uses it too, as the super user.</li>
     *   <li>With TLS the broker makes itself a self-signed certificate for 127.0.0.1 and localhost
     *       ({@code keytool}, on the first start of a data directory), and its clients trust
     *       {@value EmbeddedKafkaBroker#CERTIFICATE_FILE_NAME} as a PEM trust store, the way
     *       Kelvin's Kubernetes manifests trust a cluster's CA.</li>
     *   <li>The controller listener is {@code SASL_PLAINTEXT} with {@code PLAIN} for the super
     *       user only: a static credential, so the controller's own logins do not depend on the
     *       SCRAM credentials in the metadata it serves.</li>
     *   <li>KRaft's {@code StandardAuthorizer} decides every request; only the super user is
     *       allowed anything without an ACL. Other users get SCRAM credentials through
     *       {@link #addScramUser} and ACLs through an admin client of {@link #clientSettings()}.</li>
     *   <li>The super user's SCRAM credential is written into the metadata when the storage is
     *       formatted, so a data directory keeps the super user's password it was formatted with.</li>
     * </ul>
     *
     * <p>For tests and local trials: the password is stored in clear in the data directory's
     * {@code server.properties}, and without {@code tls} nothing is encrypted.
     *
     * @param superUser         the user name of {@code User:superUser}, for example {@code admin}
     * @param superUserPassword its password (also the password of the TLS key store)
     * @param tls               whether the client listener is {@code SASL_SSL} rather than {@code SASL_PLAINTEXT}
     */
    public record ScramSecurity(String superUser, String superUserPassword, boolean tls) {
        /** The SASL mechanism of the client listener. */
        public static final String MECHANISM = "SCRAM-SHA-512";
        /** Letters, digits, {@code . _ -}: nothing that a JAAS line or the storage tool's argument would need quoted. */
        private static final Pattern PLAIN_TOKEN = Pattern.compile("[A-Za-z0-9._-]+");

        public ScramSecurity {
            requirePlainToken(superUser, "superUser");
            requirePlainToken(superUserPassword, "superUserPassword");
        }

        /** {@code SASL_SSL} or {@code SASL_PLAINTEXT}: the protocol and the name of the client listener. */
        public String protocol() {
            return tls ? "SASL_SSL" : "SASL_PLAINTEXT";
        }

        /**
         * The Kafka client settings that authenticate as {@code user} on a broker secured like
         * this without TLS: {@code security.protocol}, {@code sasl.mechanism}, {@code
         * sasl.jaas.config} (with TLS, see {@link EmbeddedKafkaBroker#clientSettings(String, String)}).
         */
        public static Map<String, Object> clientSecurity(String user, String password) {
            requirePlainToken(user, "user");
            requirePlainToken(password, "password");
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
            settings.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
            settings.put(SaslConfigs.SASL_JAAS_CONFIG, scramJaas(user, password));
            return settings;
        }

        static String scramJaas(String user, String password) {
            return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                    + "\" password=\"" + password + "\";";
        }

        private static void requirePlainToken(String value, String name) {
            Objects.requireNonNull(value, name);
            if (!PLAIN_TOKEN.matcher(value).matches()) {
                // The value is not quoted: it may be a password.
                throw new IllegalArgumentException(name + " may hold only letters, digits, '.', '_' and '-'");
            }
        }
    }

    private EmbeddedKafkaBroker(Path dataDir, FileChannel lockChannel, Options options, int brokerPort, int controllerPort) {
        this.dataDir = dataDir;
        this.lockChannel = lockChannel;
        this.options = options;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.shutdownHook = new Thread(this::stopOnExit, "kelvin-embedded-broker-shutdown");
    }

    /** Starts a broker with its data in {@code dataDir} (created if missing) and default options. */
    public static EmbeddedKafkaBroker start(Path dataDir) {
        return start(dataDir, Options.defaults());
    }

    /**
     * Starts a broker with its data in {@code dataDir} (created if missing), formatting the
     * directory first when it has never held a broker.
     *
     * @throws BrokerStartException when the broker cannot start; nothing is left running
     */
    public static EmbeddedKafkaBroker start(Path dataDir, Options options) {
        Path dir = usableDataDir(dataDir);
        FileChannel lock = lockDataDir(dir);
        EmbeddedKafkaBroker broker;
        try {
            int[] ports = choosePorts(dir);
            broker = new EmbeddedKafkaBroker(dir, lock, options, ports[0], ports[1]);
        } catch (RuntimeException e) {
            closeQuietly(lock);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
        try {
            broker.writeConfiguration();
            broker.certifyIfNeeded();
            broker.formatIfNeeded();
            broker.launch();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** {@code 127.0.0.1:PORT} of the broker listener (PLAINTEXT; SASL_PLAINTEXT or SASL_SSL when secured). */
    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    /**
     * What a client needs to reach this broker with every right: {@code bootstrap.servers} and,
     * when the broker is secured, the super user's SASL settings.
     */
    public Map<String, Object> clientSettings() {
        ScramSecurity security = options.security();
        if (security == null) {
            return new LinkedHashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        }
        return clientSettings(security.superUser(), security.superUserPassword());
    }

    /**
     * What a client of {@code user} needs to reach this secured broker: {@code bootstrap.servers},
     * the SASL settings and, over TLS, the broker's certificate as a PEM trust store.
     *
     * @throws IllegalStateException when the broker is not secured
     */
    public Map<String, Object> clientSettings(String user, String password) {
        ScramSecurity security = options.security();
        if (security == null) {
            throw new IllegalStateException("This embedded broker has no SASL listener (see Options.withScramSecurity)");
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        settings.putAll(ScramSecurity.clientSecurity(user, password));
        if (security.tls()) {
            settings.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, security.protocol());
            settings.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            settings.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certificateFile().toString());
        }
        return settings;
    }

    /** The broker's self-signed certificate (PEM) when it runs TLS: what its clients trust. */
    public Path certificateFile() {
        return dataDir.resolve(CERTIFICATE_FILE_NAME);
    }

    /**
     * Gives {@code user} a {@value ScramSecurity#MECHANISM} credential on a secured broker and
     * returns once the broker authenticates with it (credentials reach the broker through its
     * metadata, a moment after the controller stored them). Grants nothing: that is for ACLs.
     *
     * @throws IllegalStateException when the broker is not secured
     */
    public void addScramUser(String user, String password, Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        if (options.security() == null) {
            throw new IllegalStateException("This embedded broker has no SASL listener (see Options.withScramSecurity)");
        }
        ScramSecurity.clientSecurity(user, password); // validates both before anything is stored
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(clientSettings())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            // The broker describes credentials from its metadata image: once listed there, it authenticates with them.
            while (!brokerKnowsScramUser(admin, user, timeout)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new TimeoutException("The broker did not learn the SCRAM credential of " + user + " within " + timeout);
                }
                Thread.sleep(POLL_MS);
            }
        }
    }

    private static boolean brokerKnowsScramUser(Admin admin, String user, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return admin.describeUserScramCredentials(List.of(user)).description(user)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).credentialInfos().stream()
                    .anyMatch(info -> info.mechanism() == ScramMechanism.SCRAM_SHA_512);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                return false;
            }
            throw e;
        }
    }

    /** The data directory (absolute). */
    public Path dataDir() {
        return dataDir;
    }

    /** The broker's log file, where to look when something goes wrong. */
    public Path logFile() {
        return dataDir.resolve(LOG_FILE_NAME);
    }

    /** Whether the broker process is alive. */
    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The process id of the running broker JVM, or -1 when none runs. */
    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    /**
     * Stops the broker cleanly (SIGTERM, so Kafka flushes and closes its logs), waiting at most
     * the stop timeout before killing it. Does nothing when it is not running.
     */
    public synchronized void stop() {
        Process p = process;
        process = null;
        if (p != null) {
            terminate(p, options.stopTimeout());
        }
    }

    /**
     * Kills the broker at once (SIGKILL), as a crash would: unflushed data may be lost and the
     * next start recovers its logs. For fault tests.
     */
    public synchronized void kill() {
        Process p = process;
        process = null;
        if (p != null) {
            p.destroyForcibly();
            awaitExit(p, KILL_WAIT);
        }
    }

    /**
     * Stops the broker if it runs, then starts it again on the same ports and data.
     *
     * @throws BrokerStartException when it does not come back
     */
    public synchronized void restart() {
        stop();
        // Rewritten in case another start on this directory (one that failed, say) changed the file.
        writeConfiguration();
        launch();
    }

    /** Stops the broker and releases the data directory, which stays as it is. */
    @Override
    public synchronized void close() {
        stop();
        closeQuietly(lockChannel);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // The JVM is already shutting down (the hook is running), or it was never added.
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", " + dataDir + "]";
    }

    private static Path usableDataDir(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BrokerStartException("Cannot start the embedded Kafka broker: its data directory " + dir
                    + " exists and is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BrokerStartException("Cannot start the embedded Kafka broker: cannot create its data directory "
                    + dir + " (" + e + ")", e);
        }
        if (!Files.isWritable(dir)) {
            throw new BrokerStartException("Cannot start the embedded Kafka broker: its data directory " + dir
                    + " is not writable");
        }
        return dir;
    }

    /**
     * Holds an exclusive lock on the data directory for the life of this object. Kafka locks its
     * log directories too, but a second broker gets far enough into starting its controller to
     * disturb the first before it finds that lock, so a second Kelvin (another terminal, a test)
     * must be turned away before it starts anything.
     */
    private static FileChannel lockDataDir(Path dir) {
        Path lockFile = dir.resolve(LOCK_FILE_NAME);
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new BrokerStartException("Cannot start the embedded Kafka broker: cannot open " + lockFile + " (" + e + ")", e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another EmbeddedKafkaBroker in this JVM
        } catch (IOException e) {
            closeQuietly(channel);
            throw new BrokerStartException("Cannot start the embedded Kafka broker: cannot lock " + lockFile + " (" + e + ")", e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new BrokerStartException("Cannot start the embedded Kafka broker: its data directory " + dir
                    + " is in use by another embedded broker (stop that one, or use another directory)");
        }
        return channel;
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("Cannot close {}", channel, e);
        }
    }

    /** {broker, controller}: the previous run's ports when both are free, else two fresh ones. */
    private static int[] choosePorts(Path dir) {
        int[] previous = previousPorts(dir.resolve(PROPERTIES_FILE_NAME));
        if (previous != null && isFree(previous[0]) && isFree(previous[1])) {
            return previous;
        }
        // Both sockets are open at once so the two ports differ.
        try (ServerSocket broker = new ServerSocket(0, 1, loopback());
             ServerSocket controller = new ServerSocket(0, 1, loopback())) {
            return new int[] {broker.getLocalPort(), controller.getLocalPort()};
        } catch (IOException e) {
            throw new BrokerStartException("Cannot start the embedded Kafka broker: no free port on " + HOST + " (" + e + ")", e);
        }
    }

    private static int[] previousPorts(Path propertiesFile) {
        if (!Files.isRegularFile(propertiesFile)) {
            return null;
        }
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(propertiesFile)) {
            props.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        int[] ports = {-1, -1};
        Matcher m = LISTENER_PORT.matcher(props.getProperty("listeners", ""));
        while (m.find()) {
            ports[m.group(1).equals("CONTROLLER") ? 1 : 0] = Integer.parseInt(m.group(2));
        }
        return ports[0] > 0 && ports[1] > 0 ? ports : null;
    }

    private static boolean isFree(int port) {
        try {
            new ServerSocket(port, 1, loopback()).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static InetAddress loopback() throws UnknownHostException {
        return InetAddress.getByName(HOST);
    }

    /** Kelvin's broker settings; {@link Options#brokerProperties()} win. */
    Map<String, String> brokerProperties() {
        String listeners = "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort;
        Map<String, String> props = new LinkedHashMap<>();
        props.put("node.id", "1");
        props.put("process.roles", "broker,controller");
        props.put("listeners", listeners);
        props.put("advertised.listeners", listeners);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        if (options.security() != null) {
            props.putAll(securityProperties(options.security()));
        }
        // A dynamic (KIP-853) quorum of one voter, formatted with --standalone, as Kafka 4.x expects.
        props.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        props.put("log.dirs", dataDir.resolve(KAFKA_DIR_NAME).toString());
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        // Exactly-once Streams needs the offsets and transaction-state topics, which default to
        // replication factor 3 and would never become available on one node.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "10");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "10");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // A lone Streams instance should not wait 3 s for group members that will never come.
        props.put("group.initial.rebalance.delay.ms", "0");
        // After a kill the restarted controller waits a whole broker session before it lets the
        // broker register again (the old registration looks alive); 9 s by default.
        props.put("broker.session.timeout.ms", "4000");
        props.put("broker.heartbeat.interval.ms", "1000");
        // A typo in a topic name must fail, not create a topic with the broker's defaults.
        props.put("auto.create.topics.enable", "false");
        // The cleaner's default 128 MiB dedupe buffer would take a sixth of the default heap.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(32 * 1024 * 1024));
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        props.putAll(options.brokerProperties());
        return props;
    }

    /** The settings that make {@link ScramSecurity} so; they replace the PLAINTEXT listeners. */
    private Map<String, String> securityProperties(ScramSecurity security) {
        String protocol = security.protocol();
        String prefix = "listener.name." + protocol.toLowerCase(Locale.ROOT) + ".";
        String listeners = protocol + "://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort;
        String user = security.superUser();
        String password = security.superUserPassword();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("listeners", listeners);
        props.put("advertised.listeners", listeners);
        props.put("listener.security.protocol.map", protocol + ":" + protocol + ",CONTROLLER:SASL_PLAINTEXT");
        props.put("inter.broker.listener.name", protocol);
        props.put(prefix + "sasl.enabled.mechanisms", ScramSecurity.MECHANISM);
        props.put("sasl.mechanism.inter.broker.protocol", ScramSecurity.MECHANISM);
        props.put(prefix + "scram-sha-512.sasl.jaas.config", ScramSecurity.scramJaas(user, password));
        if (security.tls()) {
            props.put(prefix + "ssl.keystore.type", "PKCS12");
            props.put(prefix + "ssl.keystore.location", dataDir.resolve(KEYSTORE_FILE_NAME).toString());
            props.put(prefix + "ssl.keystore.password", password);
            props.put(prefix + "ssl.key.password", password);
            // The broker is its own client between its listeners: it trusts its own certificate.
            props.put(prefix + "ssl.truststore.type", "PEM");
            props.put(prefix + "ssl.truststore.location", certificateFile().toString());
        }
        // PLAIN with the one user the JAAS line lists: the broker half of this JVM logs in to the controller half with it.
        props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        props.put("sasl.mechanism.controller.protocol", "PLAIN");
        props.put("listener.name.controller.plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"" + user + "\" password=\"" + password + "\" user_" + user + "=\"" + password + "\";");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:" + user);
        props.put("allow.everyone.if.no.acl.found", "false");
        return props;
    }

    private void writeConfiguration() {
        StringBuilder properties = new StringBuilder(
                "# Written by Kelvin's embedded broker on every start; edits are overwritten.\n");
        brokerProperties().forEach((k, v) -> properties.append(escape(k)).append('=').append(escape(v)).append('\n'));
        String logging = """
                <configuration>
                  <!-- Written by Kelvin's embedded broker. The broker JVM's output goes to %s. -->
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder>
                      <pattern>%%d{yyyy-MM-dd HH:mm:ss.SSS} %%-5level [%%thread] %%logger{36} - %%msg%%n</pattern>
                    </encoder>
                  </appender>
                  <logger name="kafka.request.logger" level="WARN"/>
                  <!-- Every client and server dumps its whole configuration; server.properties says it once. -->
                  <logger name="org.apache.kafka.common.config.AbstractConfig" level="WARN"/>
                  <root level="${kelvin.broker.log.level:-INFO}">
                    <appender-ref ref="OUT"/>
                  </root>
                </configuration>
                """.formatted(LOG_FILE_NAME);
        try {
            Files.writeString(dataDir.resolve(PROPERTIES_FILE_NAME), properties);
            Files.writeString(dataDir.resolve(LOGGING_FILE_NAME), logging);
        } catch (IOException e) {
            throw new BrokerStartException("Cannot start the embedded Kafka broker: cannot write its configuration into "
                    + dataDir + " (" + e + ")", e);
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    /**
     * Makes the TLS key store and the certificate its clients trust with the JDK's {@code keytool},
     * unless a previous start did: a self-signed EC certificate for 127.0.0.1 and localhost.
     */
    private void certifyIfNeeded() {
        ScramSecurity security = options.security();
        if (security == null || !security.tls() || Files.exists(certificateFile())) {
            return;
        }
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        String keystore = dataDir.resolve(KEYSTORE_FILE_NAME).toString();
        String password = security.superUserPassword();
        runTool("making a TLS certificate", List.of(keytool, "-genkeypair", "-alias", "kelvin-embedded-broker",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=IP:127.0.0.1,DNS:localhost", "-validity", "3650",
                "-storetype", "PKCS12", "-keystore", keystore, "-storepass", password, "-keypass", password));
        runTool("exporting the TLS certificate", List.of(keytool, "-exportcert", "-rfc", "-alias", "kelvin-embedded-broker",
                "-storetype", "PKCS12", "-keystore", keystore, "-storepass", password, "-file", certificateFile().toString()));
    }

    private void runTool(String what, List<String> command) {
        long logStart = appendToLog(what);
        Process tool = startProcess(command);
        try {
            if (!tool.waitFor(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                tool.destroyForcibly();
                awaitExit(tool, KILL_WAIT);
                throw failure(what + " took longer than " + options.startTimeout().toSeconds() + " s", logStart);
            }
        } catch (InterruptedException e) {
            tool.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BrokerStartException("Interrupted while " + what + " for the embedded Kafka broker in " + dataDir, e);
        }
        if (tool.exitValue() != 0) {
            throw failure(what + " with keytool failed (exit code " + tool.exitValue() + ")", logStart);
        }
    }

    /** Formats with Kafka's storage tool unless a previous run did (meta.properties exists). */
    private void formatIfNeeded() {
        if (Files.exists(dataDir.resolve(KAFKA_DIR_NAME).resolve("meta.properties"))) {
            return;
        }
        List<String> command = javaCommand("256m", "WARN");
        // A short-lived tool: the quick compiler tier starts faster.
        command.add(1, "-XX:TieredStopAtLevel=1");
        command.addAll(List.of(kafka.tools.StorageTool.class.getName(), "format",
                "--cluster-id", Uuid.randomUuid().toString(),
                "--standalone",
                "--config", dataDir.resolve(PROPERTIES_FILE_NAME).toString()));
        ScramSecurity security = options.security();
        if (security != null) {
            // The super user's credential must be in the metadata before the broker's first login.
            command.addAll(List.of("--add-scram", ScramSecurity.MECHANISM + "=[name=" + security.superUser()
                    + ",password=" + security.superUserPassword() + "]"));
        }
        long logStart = appendToLog("formatting " + dataDir.resolve(KAFKA_DIR_NAME));
        Process format = startProcess(command);
        try {
            if (!format.waitFor(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                format.destroyForcibly();
                awaitExit(format, KILL_WAIT);
                throw failure("formatting its storage took longer than " + options.startTimeout().toSeconds() + " s", logStart);
            }
        } catch (InterruptedException e) {
            format.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BrokerStartException("Interrupted while formatting the embedded Kafka broker's storage in " + dataDir, e);
        }
        if (format.exitValue() != 0) {
            throw failure("formatting its storage with Kafka's storage tool failed (exit code " + format.exitValue() + ")", logStart);
        }
    }

    /** Starts the broker JVM and waits until it answers; kills it again when it does not. */
    private void launch() {
        List<String> command = javaCommand(options.maxHeap(), "INFO");
        command.addAll(List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:+ExitOnOutOfMemoryError"));
        command.addAll(List.of(KafkaChildMain.class.getName(), dataDir.resolve(PROPERTIES_FILE_NAME).toString()));
        long logStart = appendToLog("starting the broker on " + bootstrapServers() + " (controller on port " + controllerPort + ")");
        Process p = startProcess(command);
        process = p;
        try {
            awaitReady(p, logStart);
        } catch (RuntimeException e) {
            process = null;
            p.destroyForcibly();
            awaitExit(p, KILL_WAIT);
            throw e;
        }
        log.info("Embedded Kafka broker ready on {} (data in {}, log in {})", bootstrapServers(), dataDir, logFile());
    }

    /** The current JVM's java with the current class path, so the child runs the same Kafka jars. */
    private List<String> javaCommand(String maxHeap, String logLevel) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java,
                "-Xmx" + maxHeap,
                "-Djava.awt.headless=true",
                "-Dlogback.configurationFile=" + dataDir.resolve(LOGGING_FILE_NAME),
                "-Dkelvin.broker.log.level=" + logLevel,
                "-cp", absoluteClassPath()));
        return command;
    }

    /**
     * The class path with every entry made absolute, because the child runs in the data
     * directory. Under {@code java -jar kelvin.jar} it is that jar alone, and its manifest's
     * Class-Path (lib/*.jar, relative to the jar) works the same for the child.
     */
    static String absoluteClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(Pattern.quote(File.pathSeparator)))
                .map(entry -> Path.of(entry.isEmpty() ? "." : entry).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private Process startProcess(List<String> command) {
        try {
            // stdin stays a pipe held by this JVM: the child's KafkaChildMain exits when it closes.
            return new ProcessBuilder(command)
                    .directory(dataDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new BrokerStartException("Cannot start the embedded Kafka broker's JVM (" + command.get(0) + "): " + e, e);
        }
    }

    private void awaitReady(Process p, long logStart) {
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        // A plain connect first: an admin client pointed at a closed port logs a warning per attempt.
        while (!accepts(brokerPort)) {
            pause(p, deadline, logStart, "its port " + brokerPort + " never accepted a connection");
        }
        Map<String, Object> adminConfig = new LinkedHashMap<>(clientSettings());
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "kelvin-embedded-broker-check");
        Throwable lastError = null;
        try (Admin admin = Admin.create(adminConfig)) {
            while (true) {
                try {
                    Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes().get();
                    if (!nodes.isEmpty() && leadsEveryPartition(admin)) {
                        return;
                    }
                } catch (ExecutionException e) {
                    lastError = e.getCause();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BrokerStartException("Interrupted while waiting for the embedded Kafka broker in " + dataDir, e);
                }
                pause(p, deadline, logStart, "it did not describe its cluster and lead every partition"
                        + (lastError == null ? "" : " (last error: " + lastError + ")"));
            }
        }
    }

    /**
     * Whether this broker serves every partition it holds as their leader: a request that only a
     * leader answers (the latest offset) succeeds for all of them.
     *
     * <p>Why answering a cluster description is not enough: a broker restarted on its data (after
     * a kill, say) accepts requests while it is still taking up the leadership of its partitions
     * again, one at a time, after the controller has fenced its previous registration and elected
     * it anew. In that window an idempotent producer's first batch to a partition can fail with
     * NOT_LEADER_OR_FOLLOWER while its next batch, a moment later, is accepted; the broker then
     * rejects every retry of the first batch as out of order until the producer gives it up, and
     * its records are lost (KAFKA-15591, fixed in Kafka only for empty partitions).
     */
    private static boolean leadsEveryPartition(Admin admin) throws ExecutionException, InterruptedException {
        Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true).timeoutMs(5_000)).names().get();
        if (topics.isEmpty()) {
            return true;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs(5_000)).allTopicNames().get().forEach((topic, description) ->
                description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
        admin.listOffsets(latest, new ListOffsetsOptions().timeoutMs(5_000)).all().get();
        return true;
    }

    /** Waits one poll interval; throws when the process has exited or the deadline has passed. */
    private void pause(Process p, long deadline, long logStart, String timeoutReason) {
        try {
            // Waiting on the process doubles as the poll interval and returns early when it exits.
            if (p.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
                throw failure("the broker process exited with code " + p.exitValue(), logStart);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerStartException("Interrupted while waiting for the embedded Kafka broker in " + dataDir, e);
        }
        if (System.nanoTime() - deadline > 0) {
            throw failure("it did not answer within " + options.startTimeout().toSeconds() + " s: " + timeoutReason, logStart);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private BrokerStartException failure(String reason, long logStart) {
        return new BrokerStartException("The embedded Kafka broker (data in " + dataDir + ") did not start: " + reason
                + ".\nFrom " + logFile() + ":\n" + logExcerpt(logStart));
    }

    /**
     * What the broker said since {@code logStart}: each error with its exception and causes
     * (stack frames left out), then the last lines.
     */
    private String logExcerpt(long logStart) {
        List<String> lines;
        try {
            lines = readLog(logStart).stream().filter(l -> !STACK_FRAME.matcher(l).matches()).toList();
        } catch (IOException | UncheckedIOException e) {
            return "  (cannot read the log: " + e + ")";
        }
        BitSet shown = new BitSet(lines.size());
        shown.set(Math.max(0, lines.size() - 10), lines.size());
        int errorLines = 0;
        for (int i = 0; i < lines.size() && errorLines < 12; i++) {
            if (ERROR_LINE.matcher(lines.get(i)).find()) {
                // The error and the lines up to the next log entry: its exception and causes.
                for (int j = i; j < lines.size() && (j == i || !LOG_ENTRY.matcher(lines.get(j)).find()) && errorLines < 12; j++) {
                    shown.set(j);
                    errorLines++;
                }
            }
        }
        StringBuilder out = new StringBuilder();
        int previous = -1;
        for (int i = shown.nextSetBit(0); i >= 0; i = shown.nextSetBit(i + 1)) {
            if (previous >= 0 && i > previous + 1) {
                out.append("  ...\n");
            }
            out.append("  ").append(shorten(lines.get(i))).append('\n');
            previous = i;
        }
        return out.length() == 0 ? "  (the log is empty)" : out.toString();
    }

    private List<String> readLog(long from) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(logFile(), StandardOpenOption.READ)) {
            // The last MiB is plenty for the end of a failed start and bounds the read.
            channel.position(Math.max(from, channel.size() - 1024 * 1024));
            try (InputStream in = Channels.newInputStream(channel)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            }
        }
    }

    private static String shorten(String line) {
        return line.length() <= 400 ? line : line.substring(0, 400) + "...";
    }

    /** Writes a marker line into the broker log and returns the offset where this run's output starts. */
    private long appendToLog(String what) {
        Path file = logFile();
        try {
            long start = Files.exists(file) ? Files.size(file) : 0;
            Files.writeString(file, "---- Kelvin: " + what + " ----\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return start;
        } catch (IOException e) {
            throw new BrokerStartException("Cannot start the embedded Kafka broker: cannot write its log " + file + " (" + e + ")", e);
        }
    }

    private void stopOnExit() {
        Process p = process;
        if (p != null) {
            terminate(p, KILL_WAIT);
        }
    }

    private static void terminate(Process p, Duration grace) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        if (!awaitExit(p, grace)) {
            log.warn("Embedded Kafka broker (pid {}) did not stop within {} s; killing it", p.pid(), grace.toSeconds());
            p.destroyForcibly();
            awaitExit(p, KILL_WAIT);
        }
    }

    private static boolean awaitExit(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
