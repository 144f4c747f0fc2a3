package io.kelvin.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildingDevicesTest {
    private static final Instant AT = Instant.parse("2026-11-16T10:00:00Z");

    @Test
    void shouldPublishEveryPointOfTheBuildingKeyedToIt() {
        BuildingSpec spec = new FleetGenerator(3).building(1);
        List<SensorReading> readings = new BuildingDevices(spec).readings(AT, 21.3, 5.2, 42.0, 21.5, 80, 650);

        int zones = spec.sensors().zoneBiasK().size();
        assertThat(readings).hasSize(zones + 5).allSatisfy(r -> {
            assertThat(r.getBuildingId()).isEqualTo(spec.id());
            assertThat(r.getObservedAt()).isEqualTo(AT);
            assertThat(Double.isFinite(r.getValue())).isTrue();
        });
        assertThat(readings).filteredOn(r -> r.getMetric() == Metric.ZONE_TEMPERATURE_C).extracting(SensorReading::getZoneId)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, zones).mapToObj(z -> "zone-" + z).toList());
        assertThat(readings).extracting(SensorReading::getMetric).contains(Metric.OUTDOOR_TEMPERATURE_C, Metric.HVAC_POWER_KW,
                Metric.SETPOINT_C, Metric.OCCUPANCY_COUNT, Metric.CO2_PPM);
        assertThat(value(readings, Metric.SETPOINT_C)).isEqualTo(21.5); // the BMS reports what it runs, exactly
    }

    @Test
    void shouldAddTheSameNoiseForTheSameSeed() {
        BuildingSpec spec = new FleetGenerator(3).building(2);
        BuildingDevices a = new BuildingDevices(spec);
        BuildingDevices b = new BuildingDevices(spec);
        for (int i = 0; i < 100; i++) {
            assertThat(a.readings(AT, 21, 5, 10, 21, 10, 600)).isEqualTo(b.readings(AT, 21, 5, 10, 21, 10, 600));
        }
    }

    @Test
    void shouldReportTheTruthWithPerfectSensors() {
        BuildingSpec generated = new FleetGenerator(3).building(2);
        BuildingSpec spec = new BuildingSpec(generated.profile(), generated.climate(), generated.storeyHeightM(), generated.thermal(),
                generated.plant(), generated.solarApertureM2(), generated.occupants(), generated.ventilationAirflowM3s(),
                generated.infiltrationAirflowM3s(), generated.bms(), SensorSettings.perfect(2), generated.seed());
        List<SensorReading> readings = new BuildingDevices(spec).readings(AT, 21.25, 5.5, 12.5, 21, 17, 612);
        assertThat(value(readings, Metric.ZONE_TEMPERATURE_C)).isEqualTo(21.25);
        assertThat(value(readings, Metric.OUTDOOR_TEMPERATURE_C)).isEqualTo(5.5);
        assertThat(value(readings, Metric.HVAC_POWER_KW)).isEqualTo(12.5);
        assertThat(value(readings, Metric.OCCUPANCY_COUNT)).isEqualTo(17);
        assertThat(value(readings, Metric.CO2_PPM)).isEqualTo(612);
    }

    private static double value(List<SensorReading> readings, Metric metric) {
        return readings.stream().filter(r -> r.getMetric() == metric).findFirst().orElseThrow().getValue();
    }
}
