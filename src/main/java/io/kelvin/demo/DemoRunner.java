package io.kelvin.demo;

import io.kelvin.broker.EmbeddedKafkaBroker;
import io.kelvin.broker.TopicProvisioner;
import io.kelvin.config.KelvinConfig;
import io.kelvin.errors.DeadLetterReason;
import io.kelvin.inference.ModelContract;
import io.kelvin.optimizer.OptimizerMetrics;
import io.kelvin.optimizer.OptimizerService;
import io.kelvin.trainer.TrainerMetrics;
import io.kelvin.trainer.TrainerService;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.SetpointSource;
import io.kelvin.schema.TrainingReport;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.sim.ClosedLoopSimulation;
import io.kelvin.sim.KpiTable;
import io.kelvin.sim.SimulationOptions;
import io.kelvin.sim.SimulationReport;
import io.kelvin.sim.SimulationResult;
import io.kelvin.topics.TopicCatalogue;
import io.kelvin.topics.TopicSnapshot;
import io.kelvin.ops.OperationsServer;
import io.kelvin.ops.ProcessMeters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kelvin's embedded default: a real single-node broker in a child JVM, Kelvin's topics and
 * registry on it, the optimizer, and the closed-loop simulation ({@link ClosedLoopSimulation}):
 * a fleet of simulated buildings publishing readings in accelerated, lockstepped time, a
 * simulated BMS per building applying the setpoints it reads back (read_committed), and a
 * baseline twin per building on its default schedule. Prints progress while it runs, then the KPI
 * table, and writes the report.
 */
public final class DemoRunner {

    /**
     * What the demo is asked to do.
     *
     * @param simulation  the fleet and its time
     * @param dataDir     broker data and Kafka Streams state; wiped at start
     * @param partitions  partitions of the keyed topics
     * @param reportDir   where report.html and the charts go; null for none
     * @param maxDuration wall-clock limit (the KPIs then cover what was simulated); null for none
     * @param commandLine shown in the report
     */
    public record Options(SimulationOptions simulation, Path dataDir, int partitions, Path reportDir, Duration maxDuration,
                          String commandLine) {}

    private final Options options;
    private final PrintStream out;
    private final Clock clock;

    /**
     * @param clock the wall clock of everything the demo starts: where the simulated days end,
     *              the services' timers, the simulation's pace
     */
    public DemoRunner(Options options, PrintStream out, Clock clock) {
        this.options = options;
        this.out = out;
        this.clock = clock;
    }

    /**
     * Throws {@link IllegalArgumentException} naming the option when {@code options} cannot work,
     * before anything is started.
     */
    public static void validate(Options options, Instant now) {
        if (options.partitions() < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, was " + options.partitions());
        }
        if (options.maxDuration() != null && (options.maxDuration().isZero() || options.maxDuration().isNegative())) {
            throw new IllegalArgumentException("--duration must be positive");
        }
        KelvinConfig defaults = KelvinConfig.load("optimizer", null, Map.of(),
                Map.of(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://kelvin-demo-options"));
        options.simulation().validate(Duration.ofMillis(defaults.getLong(KelvinConfig.WINDOW_SIZE_MS_CONFIG)), now);
    }

    /** Runs the demo; {@code stop} is polled to end early (Ctrl-C). */
    public SimulationResult run(BooleanSupplier stop) throws Exception {
        validate(options, clock.instant()); // bad options fail before a broker is started for nothing
        deleteRecursively(options.dataDir());
        out.printf("Starting a Kafka broker (KRaft, child JVM) in %s ...%n", options.dataDir());
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(options.dataDir().resolve("broker"))) {
            String bootstrap = broker.bootstrapServers();
            Map<String, String> settings = new HashMap<>();
            settings.put("bootstrap.servers", bootstrap);
            settings.put(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "kafka://" + bootstrap + "/_kelvin_schemas");
            settings.put(KelvinConfig.TOPIC_PARTITIONS_CONFIG, String.valueOf(options.partitions()));
            settings.put(StreamsConfig.STATE_DIR_CONFIG, options.dataDir().resolve("state").toString());
            // A free port each for the optimizer's and the trainer's endpoint, printed below: the
            // demo must not collide with a Kelvin process (or anything else) on 8080.
            settings.put(KelvinConfig.HTTP_PORT_CONFIG, "0");
            KelvinConfig config = KelvinConfig.load("optimizer", null, Map.of(), settings);
            KelvinConfig trainerConfig = KelvinConfig.load("trainer", null, Map.of(), trainerSettings(settings, options.dataDir()));
            out.printf("Broker at %s; schema registry %s%n", bootstrap, settings.get(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG));
            out.printf("Watch from a second terminal:  ./kelvin tail --bootstrap-servers %s --schema-registry-url %s --topic setpoints%n",
                    bootstrap, settings.get(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG));
            return run(config, trainerConfig, stop);
        }
    }

    /**
     * The trainer beside the optimizer, tuned for a short simulated run: it trains every
     * simulated night once a building has a day of feedback (144 windows), pools every row for
     * the global model of a small fleet, and checks its queue every simulated-time second.
     */
    private static Map<String, String> trainerSettings(Map<String, String> optimizerSettings, Path dataDir) {
        Map<String, String> settings = new HashMap<>(optimizerSettings);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, dataDir.resolve("trainer-state").toString());
        settings.put(KelvinConfig.TRAINER_MIN_ROWS_CONFIG, "100");
        settings.put(KelvinConfig.TRAINER_GLOBAL_SAMPLE_RATE_CONFIG, "1.0");
        settings.put(KelvinConfig.TRAINER_TICK_MS_CONFIG, "1000");
        return settings;
    }

    private SimulationResult run(KelvinConfig config, KelvinConfig trainerConfig, BooleanSupplier stop) throws Exception {
        long wallStart = System.nanoTime();
        BooleanSupplier stopOrTimeUp = options.maxDuration() == null ? stop
                : () -> stop.getAsBoolean() || System.nanoTime() - wallStart > options.maxDuration().toNanos();
        try (SchemaRegistryClient registry = SchemaRegistries.open(config)) {
            KelvinSerdes serdes = new KelvinSerdes(registry);
            TopicCatalogue topics = new TopicCatalogue(config, serdes);
            try (Admin admin = Admin.create(config.clientSettings())) {
                new TopicProvisioner(admin, Duration.ofSeconds(30)).createMissing(topics);
            }
            out.println("Starting the optimizer and the trainer ...");
            // One registry for both services of this JVM: either endpoint shows every meter.
            PrometheusMeterRegistry meters = ProcessMeters.prometheusRegistry();
            SimulationResult result;
            try (AutoCloseable jvm = ProcessMeters.bindJvmAndProcess(meters);
                 OptimizerService optimizer = OptimizerService.start(config, meters, clock);
                 TrainerService trainer = TrainerService.start(trainerConfig, meters, clock);
                 OperationsServer optimizerHttp = OperationsServer.start(config, meters, optimizer);
                 OperationsServer trainerHttp = OperationsServer.start(trainerConfig, meters, trainer)) {
                optimizerHttp.uri().ifPresent(u -> out.printf("Optimizer metrics and health: %s/metrics  %s/health/ready  %s/info%n", u, u, u));
                trainerHttp.uri().ifPresent(u -> out.printf("Trainer metrics and health:   %s/metrics  %s/health/ready  %s/info%n", u, u, u));
                if (!optimizer.awaitRunning(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("Optimizer did not reach RUNNING within 60 s (state " + optimizer.streamsState() + ")");
                }
                if (!trainer.awaitRunning(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("Trainer did not reach RUNNING within 60 s (state " + trainer.streamsState() + ")");
                }
                ClosedLoopSimulation simulation = new ClosedLoopSimulation(options.simulation(), config, topics, out, clock);
                result = simulation.run(stopOrTimeUp, () -> optimizerCounters(optimizer) + trainerCounters(trainer));
                OptimizerMetrics m = optimizer.metrics();
                out.printf("Optimizer: windows closed %,.0f | setpoints model %,.0f fallback %,.0f | feedback %,.0f | dead letters %,.0f"
                                + " (non-finite-value %,.0f)%n", m.windowsClosed(), m.setpoints(SetpointSource.MODEL),
                        m.setpoints(SetpointSource.FALLBACK), m.feedbackCount(), deadLetterTotal(optimizer),
                        optimizer.deadLetters().count(DeadLetterReason.NON_FINITE_VALUE));
                out.printf("Models serving: %s%n", optimizer.models().versions());
            }
            modelProgress(config, topics).print(out);
            KpiTable.print(result, 25, out);
            if (options.reportDir() != null) {
                Path html = SimulationReport.write(result, options.reportDir(), options.commandLine());
                out.printf("Report: %s%n", html.toAbsolutePath());
            }
            out.printf("Wall time %d s%n", (System.nanoTime() - wallStart) / 1_000_000_000L);
            return result;
        }
    }

    private static String optimizerCounters(OptimizerService optimizer) {
        OptimizerMetrics m = optimizer.metrics();
        Map<String, String> models = optimizer.models().versions();
        long own = models.keySet().stream().filter(k -> !k.equals(ModelContract.GLOBAL_KEY) && !k.equals(ModelContract.BUNDLED_KEY)).count();
        return String.format(" | optimizer: windows %,.0f, model %,.0f, fallback %,.0f, dead letters %,.0f | models: pooled %s, own %d",
                m.windowsClosed(), m.setpoints(SetpointSource.MODEL), m.setpoints(SetpointSource.FALLBACK), deadLetterTotal(optimizer),
                models.getOrDefault(ModelContract.GLOBAL_KEY, "none yet"), own);
    }

    /** How far the trainer has got: trainings done, models waiting, and what one training costs. */
    private static String trainerCounters(TrainerService trainer) {
        TrainerMetrics m = trainer.metrics();
        Duration mean = m.meanTrainingDuration(false);
        return String.format(" | trainer: trainings %,.0f, queued %d + %d pooled%s", m.trainings(), m.queued(false), m.queued(true),
                mean == null ? "" : String.format(", %.2f s per building model", mean.toMillis() / 1000.0));
    }

    /** The feedback and training reports of the whole run, by simulated day. */
    private static ModelProgress modelProgress(KelvinConfig config, TopicCatalogue topics) {
        ModelProgress progress = new ModelProgress();
        Duration timeout = Duration.ofSeconds(60);
        Deserializer<Feedback> feedback = topics.feedback().valueSerde().deserializer();
        TopicSnapshot.read(topics.feedback().name(), config.clientSettings(), timeout,
                r -> progress.add(feedback.deserialize(r.topic(), r.value())));
        Deserializer<TrainingReport> reports = topics.trainingReports().valueSerde().deserializer();
        TopicSnapshot.read(topics.trainingReports().name(), config.clientSettings(), timeout,
                r -> progress.add(reports.deserialize(r.topic(), r.value())));
        return progress;
    }

    private static double deadLetterTotal(OptimizerService optimizer) {
        double total = 0;
        for (DeadLetterReason r : DeadLetterReason.values()) {
            total += optimizer.deadLetters().count(r);
        }
        return total;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
