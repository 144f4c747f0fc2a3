package io.kelvin.optimizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The built topology must match {@code topology/optimizer-topology.txt}: node, store and internal
 * topic names outlive a deploy (a rename loses state on a rolling upgrade), so every change to
 * them shows in review. After an intended change, regenerate the file with
 * {@code mvn test -Dtest=OptimizerTopologyDescriptionTest -Dkelvin.topology.update=true}.
 */
class OptimizerTopologyDescriptionTest {
    private static final Path CHECKED_IN = Path.of("topology", "optimizer-topology.txt");

    @Test
    void shouldMatchTheCheckedInDescription() throws IOException {
        String built;
        try (OptimizerFixture fx = new OptimizerFixture(new PhysicsPredictor())) {
            built = OptimizerTopology.build(fx.config, fx.topics, fx.models, fx.clock, fx.metrics, fx.watchdog)
                    .describe().toString();
        }
        if (Boolean.getBoolean("kelvin.topology.update")) {
            Files.writeString(CHECKED_IN, built);
        }
        assertThat(built)
                .as("topology drifted from %s; if intended, regenerate it (see this test's Javadoc)", CHECKED_IN)
                .isEqualTo(Files.readString(CHECKED_IN));
        assertThat(built).doesNotContain("KSTREAM-", "KTABLE-", "KSTREAM-AGGREGATE-STATE-STORE");
    }
}
