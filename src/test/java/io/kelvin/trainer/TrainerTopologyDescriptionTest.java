package io.kelvin.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The built topology must match {@code topology/trainer-topology.txt}: node, store and internal
 * topic names outlive a deploy (a rename loses state on a rolling upgrade), so every change to
 * them shows in review. After an intended change, regenerate the file with
 * {@code mvn test -Dtest=TrainerTopologyDescriptionTest -Dkelvin.topology.update=true}.
 */
class TrainerTopologyDescriptionTest {
    private static final Path CHECKED_IN = Path.of("topology", "trainer-topology.txt");

    @Test
    void shouldMatchTheCheckedInDescription() throws IOException {
        String built;
        try (TrainerFixture fx = new TrainerFixture(Map.of())) {
            built = TrainerTopology.build(fx.config, fx.topics, fx.engine::load, java.time.Clock.systemUTC(), fx.metrics)
                    .describe().toString();
        }
        if (Boolean.getBoolean("kelvin.topology.update")) {
            Files.writeString(CHECKED_IN, built);
        }
        assertThat(built)
                .as("topology drifted from %s; if intended, regenerate it (see this test's Javadoc)", CHECKED_IN)
                .isEqualTo(Files.readString(CHECKED_IN));
        assertThat(built).doesNotContain("KSTREAM-", "KTABLE-").contains("kelvin-trainer-global-sample");
    }
}
