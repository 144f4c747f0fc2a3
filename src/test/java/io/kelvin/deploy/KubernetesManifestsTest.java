package io.kelvin.deploy;

import static io.kelvin.deploy.Manifests.BASE;
import static io.kelvin.deploy.Manifests.GPU;
import static io.kelvin.deploy.Manifests.KEDA;
import static io.kelvin.deploy.Manifests.env;
import static io.kelvin.deploy.Manifests.kelvinContainer;
import static io.kelvin.deploy.Manifests.literals;
import static io.kelvin.deploy.Manifests.object;
import static io.kelvin.deploy.Manifests.stream;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kelvin.config.KelvinConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes and KEDA manifests agree with the code: the settings they pass exist in
 * {@link KelvinConfig} and parse, the autoscaler watches the optimizer's own group and input topic
 * within its partitions, one HTTP port serves probes, Service, ServiceMonitor and NetworkPolicy,
 * and state, membership and shutdown are set up for restarts. Schema validity is checked by
 * .ci/validate-manifests.mjs.
 */
class KubernetesManifestsTest {

    /** Environment variables that are not settings: logging (logback) and the image's launcher. */
    private static final Set<String> NOT_SETTINGS = Set.of("KELVIN_LOG_FORMAT", "KELVIN_LOG_LEVEL", "KELVIN_KAFKA_LOG_LEVEL",
            "KELVIN_JAVA_OPTS", "SASL_USERNAME", "SASL_PASSWORD");

    @ParameterizedTest
    @ValueSource(strings = {"optimizer", "trainer"})
    void shouldMountCopiesOfTheShippedDefaults(String role) throws Exception {
        Path shipped = Path.of("topology", role + ".properties");
        Path copy = BASE.resolve("config").resolve(role + ".properties");

        assertThat(Files.readString(copy)).as("%s must equal %s: copy it again", copy, shipped).isEqualTo(Files.readString(shipped));
        JsonNode container = kelvinContainer(object(BASE.resolve(role + ".yaml"), "StatefulSet", "kelvin-" + role));
        assertThat(stream(container.path("args")).map(JsonNode::asText))
                .containsExactly(role, "--config", "/etc/kelvin/config/" + role + ".properties");
        assertThat(stream(container.path("volumeMounts")).filter(m -> "config".equals(m.path("name").asText())).map(m -> m.path("mountPath").asText()))
                .containsExactly("/etc/kelvin/config");
    }

    @ParameterizedTest
    @ValueSource(strings = {"optimizer", "trainer"})
    void shouldPassOnlySettingsKelvinConfigKnowsAndAccepts(String role) {
        Map<String, String> env = environment(kelvinContainer(object(BASE.resolve(role + ".yaml"), "StatefulSet", "kelvin-" + role)));
        env.putAll(environment(kelvinContainer(object(GPU.resolve("optimizer-gpu.yaml"), "StatefulSet", "kelvin-optimizer"))));

        KelvinConfig config = KelvinConfig.load(role, BASE.resolve("config").resolve(role + ".properties"), env, Map.of());

        Set<String> taken = config.originals().keySet().stream().map(KubernetesManifestsTest::variableOf).collect(Collectors.toSet());
        assertThat(env.keySet()).filteredOn(v -> !NOT_SETTINGS.contains(v))
                .as("every KELVIN_*/KAFKA_* variable must name a setting KelvinConfig reads")
                .isNotEmpty()
                .allMatch(taken::contains);
        assertThat(config.getString(KelvinConfig.INFERENCE_DEVICE_CONFIG)).isIn("cpu", "cuda");
    }

    @Test
    void shouldScaleTheOptimizerOnItsOwnGroupAndInputTopicWithinItsPartitions() {
        KelvinConfig optimizer = KelvinConfig.load("optimizer", null, literals(BASE, "kelvin-cluster"), Map.of());
        JsonNode scaledObject = object(KEDA.resolve("scaledobject.yaml"), "ScaledObject", "kelvin-optimizer");
        JsonNode spec = scaledObject.path("spec");
        JsonNode trigger = spec.path("triggers").get(0);
        JsonNode metadata = trigger.path("metadata");
        int partitions = optimizer.getInt(KelvinConfig.TOPIC_PARTITIONS_CONFIG);

        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        assertThat(metadata.path("consumerGroup").asText()).isEqualTo(optimizer.applicationId());
        assertThat(metadata.path("topic").asText()).isEqualTo(optimizer.getString(KelvinConfig.READINGS_TOPIC_CONFIG));
        assertThat(metadata.path("bootstrapServers").asText()).isEqualTo(literals(BASE, "kelvin-cluster").get("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(spec.path("scaleTargetRef").path("kind").asText()).isEqualTo("StatefulSet");
        assertThat(spec.path("scaleTargetRef").path("name").asText()).isEqualTo("kelvin-optimizer");
        // At least two: never zero (EOS leaves a lag of one per partition), and a standby needs a second pod.
        assertThat(spec.path("minReplicaCount").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(spec.path("maxReplicaCount").asInt()).isBetween(spec.path("minReplicaCount").asInt(), partitions);
        // Transaction markers (one per partition) must never count as work.
        assertThat(Long.parseLong(metadata.path("activationLagThreshold").asText())).isGreaterThan(partitions);
        assertThat(Long.parseLong(metadata.path("lagThreshold").asText())).isGreaterThan(Long.parseLong(metadata.path("activationLagThreshold").asText()));
        assertThat(trigger.path("authenticationRef").path("name").asText())
                .isEqualTo(object(KEDA.resolve("triggerauthentication.yaml"), "TriggerAuthentication", "kelvin-optimizer-kafka").path("metadata").path("name").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"optimizer", "trainer"})
    void shouldServeMetricsAndHealthOnTheConfiguredPort(String role) {
        JsonNode workload = object(BASE.resolve(role + ".yaml"), "StatefulSet", "kelvin-" + role);
        JsonNode container = kelvinContainer(workload);
        int port = Integer.parseInt(env(container).get("KELVIN_HTTP_PORT").path("value").asText());
        JsonNode service = object(BASE.resolve(role + ".yaml"), "Service", "kelvin-" + role);

        assertThat(stream(container.path("ports")).filter(p -> "http".equals(p.path("name").asText())).map(p -> p.path("containerPort").asInt()))
                .containsExactly(port);
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
        assertThat(container.path("startupProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/ready");
        assertThat(List.of(container.path("livenessProbe"), container.path("readinessProbe"), container.path("startupProbe")))
                .allMatch(p -> "http".equals(p.path("httpGet").path("port").asText()));
        assertThat(service.path("spec").path("clusterIP").asText()).isEqualTo("None");
        assertThat(workload.path("spec").path("serviceName").asText()).isEqualTo(service.path("metadata").path("name").asText());
        assertThat(stream(service.path("spec").path("ports")).map(p -> p.path("port").asInt() + "->" + p.path("targetPort").asText()))
                .containsExactly(port + "->http");
        JsonNode endpoint = object(BASE.resolve("servicemonitor.yaml"), "ServiceMonitor", "kelvin").path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("port").asText() + endpoint.path("path").asText()).isEqualTo("http/metrics");
        JsonNode policy = object(BASE.resolve("networkpolicy.yaml"), "NetworkPolicy", "kelvin");
        assertThat(stream(policy.path("spec").path("ingress")).flatMap(r -> stream(r.path("ports"))).map(p -> p.path("port").asText()))
                .containsExactly("http");
    }

    @ParameterizedTest
    @ValueSource(strings = {"optimizer", "trainer"})
    void shouldKeepStateProcessIdAndMembershipAcrossRestarts(String role) {
        JsonNode workload = object(BASE.resolve(role + ".yaml"), "StatefulSet", "kelvin-" + role);
        JsonNode container = kelvinContainer(workload);
        Map<String, JsonNode> env = env(container);
        String stateDir = env.get("KAFKA_STATE_DIR").path("value").asText();
        long sessionTimeoutMs = Long.parseLong(env.get("KAFKA_SESSION_TIMEOUT_MS").path("value").asText());
        int grace = workload.path("spec").path("template").path("spec").path("terminationGracePeriodSeconds").asInt();

        String claim = workload.path("spec").path("volumeClaimTemplates").get(0).path("metadata").path("name").asText();
        assertThat(stream(container.path("volumeMounts")).filter(m -> claim.equals(m.path("name").asText())).map(m -> m.path("mountPath").asText()))
                .containsExactly(stateDir);
        assertThat(env.get("KAFKA_GROUP_INSTANCE_ID").path("valueFrom").path("fieldRef").path("fieldPath").asText()).isEqualTo("metadata.name");
        assertThat(env.get("KAFKA_NUM_STANDBY_REPLICAS").path("value").asText()).isEqualTo("1");
        // Kafka Streams' close (30 s) inside the JVM's shutdown hook (at most 60 s) must finish before SIGKILL,
        // and a restarted pod must be back within the session timeout to keep its tasks without a rebalance.
        assertThat(grace).isGreaterThan(60);
        assertThat(sessionTimeoutMs / 1000).isGreaterThan(grace);
        JsonNode pdb = object(BASE.resolve(role + ".yaml"), "PodDisruptionBudget", "kelvin-" + role);
        assertThat(pdb.path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"optimizer", "trainer"})
    void shouldRunRestrictedAsTheImagesUserWithAWritableTmp(String role) throws Exception {
        JsonNode pod = object(BASE.resolve(role + ".yaml"), "StatefulSet", "kelvin-" + role).path("spec").path("template").path("spec");
        JsonNode container = kelvinContainer(object(BASE.resolve(role + ".yaml"), "StatefulSet", "kelvin-" + role));
        JsonNode security = container.path("securityContext");
        String imageUser = DockerfilesTest.runtimeUser(Path.of("docker", "Dockerfile"));

        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext").path("runAsUser").asText() + ":" + pod.path("securityContext").path("runAsGroup").asText())
                .isEqualTo(imageUser);
        assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(stream(security.path("capabilities").path("drop")).map(JsonNode::asText)).containsExactly("ALL");
        String tmpVolume = stream(container.path("volumeMounts")).filter(m -> "/tmp".equals(m.path("mountPath").asText()))
                .map(m -> m.path("name").asText()).findFirst().orElseThrow(() -> new AssertionError("/tmp is not mounted"));
        assertThat(stream(pod.path("volumes")).filter(v -> tmpVolume.equals(v.path("name").asText())).map(v -> v.has("emptyDir")))
                .containsExactly(true);
        assertThat(container.path("resources").path("requests").has("memory")).isTrue();
        assertThat(container.path("resources").path("limits").has("memory")).isTrue();
    }

    @Test
    void shouldRunTheGpuOverlaysOptimizerOnCudaWithTheCudaImage() {
        JsonNode patch = object(GPU.resolve("optimizer-gpu.yaml"), "StatefulSet", "kelvin-optimizer");
        JsonNode container = kelvinContainer(patch);
        JsonNode kustomization = Manifests.read(GPU.resolve("kustomization.yaml")).get(0);
        String image = container.path("image").asText();

        assertThat(env(container).get("KELVIN_INFERENCE_DEVICE").path("value").asText()).isEqualTo("cuda");
        assertThat(container.path("resources").path("limits").path("nvidia.com/gpu").asInt()).isEqualTo(1);
        assertThat(stream(patch.path("spec").path("template").path("spec").path("tolerations")).map(t -> t.path("key").asText()))
                .contains("nvidia.com/gpu");
        assertThat(stream(kustomization.path("images")).filter(i -> image.equals(i.path("name").asText())).map(i -> i.path("newTag").asText()))
                .singleElement().asString().endsWith("-cuda");
    }

    /** What the container's environment holds at run time, secrets and downward-API fields as placeholders. */
    private static Map<String, String> environment(JsonNode container) {
        Map<String, String> out = new LinkedHashMap<>(literals(BASE, "kelvin-cluster"));
        env(container).forEach((name, entry) -> out.put(name, entry.has("value") ? entry.path("value").asText()
                : entry.path("valueFrom").has("fieldRef") ? "kelvin-pod-0" : "from-a-secret"));
        return out;
    }

    /** The environment variable KelvinConfig reads {@code key} from. */
    private static String variableOf(String key) {
        String name = key.startsWith("kelvin.") ? "KELVIN_" + key.substring("kelvin.".length()) : "KAFKA_" + key;
        return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
