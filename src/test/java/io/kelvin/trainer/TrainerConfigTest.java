package io.kelvin.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.kelvin.config.KelvinConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The trainer role's shipped defaults ({@code topology/trainer.properties}) and its settings' bounds. */
class TrainerConfigTest {
    private static final Map<String, String> REGISTRY = Map.of(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://trainer-config");

    @Test
    void shouldLoadTheShippedTrainerDefaults() {
        KelvinConfig config = KelvinConfig.load("trainer", null, Map.of(), REGISTRY);

        assertThat(config.applicationId()).isEqualTo("kelvin-trainer");
        assertThat(config.kafkaSettings()).containsOnly(
                entry("application.id", "kelvin-trainer"),
                entry("processing.guarantee", "exactly_once_v2"),
                entry("group.protocol", "classic"),
                entry("num.stream.threads", "1"));
        assertThat(config.getInt(KelvinConfig.TRAINER_HISTORY_DAYS_CONFIG)).isEqualTo(28);
        assertThat(config.getInt(KelvinConfig.TRAINER_HOUR_CONFIG)).isEqualTo(2);
        assertThat(config.getDouble(KelvinConfig.TRAINER_PROMOTION_MARGIN_CONFIG)).isEqualTo(0.02);
        assertThat(config.getLong(KelvinConfig.TRAINER_TICK_BUDGET_MS_CONFIG)).isLessThan(300_000L); // below max.poll.interval.ms
    }

    @Test
    void shouldRefuseATrainingHourOutsideTheDay() {
        assertThatThrownBy(() -> KelvinConfig.load("trainer", null, Map.of("KELVIN_TRAINER_HOUR", "24"), REGISTRY))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(KelvinConfig.TRAINER_HOUR_CONFIG);
    }
}
