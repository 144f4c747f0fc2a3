package io.kelvin.optimizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.OccupancyPeriod;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded randomized checks of the safety invariants: no candidate and no enforced setpoint leaves
 * the profile's limits, and none moves further than the allowed change from an anchor inside the
 * limits. A failure prints its seed; replay with {@code -Dkelvin.seed=N}.
 */
class SafetyPropertyTest {
    private static final long SEED = Long.getLong("kelvin.seed", System.nanoTime());
    private static final int CASES = 20_000;

    @Test
    void shouldKeepEveryCandidateWithinLimitsAndRate() {
        Random random = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            BuildingProfile profile = randomProfile(random);
            double configured = 0.1 + random.nextDouble();
            SafetyRules safety = new SafetyRules(configured);
            double anchor = profile.getMinSetpointC() - 3 + random.nextDouble() * (profile.getMaxSetpointC() - profile.getMinSetpointC() + 6);
            long end = Instant.parse("2026-11-23T00:00:00Z").toEpochMilli() + random.nextInt(7 * 144) * 600_000L;
            DecisionContext ctx = new DecisionContext(new WindowSummary(WindowAggregator.empty(), end - 600_000, end),
                    profile, new OccupancySchedule(profile), anchor, random.nextBoolean());
            double[] candidates = new CandidateGenerator(safety, 0.05 + random.nextDouble() * 0.5, random.nextInt(4) * 1_800_000L, random.nextInt(3) * 900_000L).candidates(ctx);
            String context = "seed=" + SEED + " case=" + i + " profile=" + profile + " anchor=" + anchor;

            assertThat(candidates).as(context).isNotEmpty();
            for (double c : candidates) {
                assertWithinLimitsAndRate(c, profile, anchor, safety.maxChangeK(profile), context);
            }
            double proposed = switch (random.nextInt(4)) {
                case 0 -> Double.NaN;
                case 1 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                default -> -50 + random.nextDouble() * 100;
            };
            assertWithinLimitsAndRate(safety.enforce(profile, anchor, proposed), profile, anchor, safety.maxChangeK(profile), context + " proposed=" + proposed);
        }
    }

    @Test
    void shouldNeverEmitAnUnsafeCommandWhateverTheModelPredicts() {
        Random random = new Random(SEED);
        PredictionModel adversary = new PredictionModel() {
            public String version() { return "adversary"; }
            public List<String> featureNames() { return List.of("candidate_setpoint_c"); }
            public void predict(float[] features, int rows, float[] out) {
                for (int i = 0; i < 2 * rows; i++) {
                    out[i] = (float) (random.nextGaussian() * 1_000);
                }
            }
        };
        try (OptimizerFixture fx = new OptimizerFixture(adversary)) {
            List<BuildingProfile> profiles = new java.util.ArrayList<>();
            for (int b = 0; b < 4; b++) {
                BuildingProfile p = randomProfile(random);
                p.setBuildingId("b" + b);
                profiles.add(p);
                fx.buildings.pipeInput(p.getBuildingId(), p);
            }
            Instant start = Instant.parse("2026-11-23T05:00:00Z"); // 40 windows end before the 12:00 wall clock
            for (int w = 0; w < 40; w++) {
                for (BuildingProfile p : profiles) {
                    double zone = 10 + random.nextDouble() * 20;
                    fx.window(p.getBuildingId(), start.plusSeconds(600L * w), zone, random.nextDouble() * 30 - 10, random.nextDouble() * 80);
                }
            }
            java.util.Map<String, Double> last = new java.util.HashMap<>();
            int commands = 0;
            for (var command : fx.setpoints.readValuesToList()) {
                BuildingProfile p = profiles.get(Integer.parseInt(command.getBuildingId().substring(1)));
                double anchor = last.getOrDefault(command.getBuildingId(), command.getPreviousSetpointC());
                String context = "seed=" + SEED + " command=" + command;
                assertThat(command.getPreviousSetpointC()).as(context).isEqualTo(anchor);
                assertWithinLimitsAndRate(command.getSetpointC(), p, anchor, Math.min(0.5, p.getMaxChangePerStepK()), context);
                assertThat(command.getValidUntil()).as(context).isAfter(command.getWindowEnd());
                last.put(command.getBuildingId(), command.getSetpointC());
                commands++;
            }
            assertThat(commands).isEqualTo(4 * 39);
        }
    }

    static void assertWithinLimitsAndRate(double setpoint, BuildingProfile p, double anchor, double maxChange, String context) {
        assertThat(setpoint).as(context).isBetween(p.getMinSetpointC(), p.getMaxSetpointC());
        if (anchor >= p.getMinSetpointC() && anchor <= p.getMaxSetpointC()) {
            assertThat(Math.abs(setpoint - anchor)).as(context).isLessThanOrEqualTo(maxChange + 1e-9);
        }
    }

    static BuildingProfile randomProfile(Random random) {
        double min = 10 + random.nextDouble() * 12;
        double max = min + random.nextDouble() * 10;
        double comfortMin = min - 2 + random.nextDouble() * 6;
        int start = random.nextInt(24 * 60);
        return BuildingProfile.newBuilder()
                .setBuildingId("p")
                .setFloorAreaM2(500 + random.nextInt(20_000))
                .setMinSetpointC(min)
                .setMaxSetpointC(max)
                .setMaxChangePerStepK(random.nextDouble() * 2)
                .setComfortMinC(comfortMin)
                .setComfortMaxC(comfortMin + random.nextDouble() * 5)
                .setOccupiedSetpointC(min - 5 + random.nextDouble() * 20)
                .setUnoccupiedSetpointC(min - 5 + random.nextDouble() * 20)
                .setOccupancy(List.of(new OccupancyPeriod(List.of(1, 2, 3, 4, 5), start, Math.min(1440, start + random.nextInt(720)))))
                .build();
    }

}
