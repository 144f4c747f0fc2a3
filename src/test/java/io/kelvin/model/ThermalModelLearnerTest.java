package io.kelvin.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ThermalModelLearnerTest {

    @Test
    void shouldLearnTheHingePhysicsAndScaleEnergyToBuildingsLargerThanAnyItSaw() {
        // Given buildings of 1,000-3,000 m2 whose outcomes follow a known hinge law (little noise)
        List<TrainingRow> train = SyntheticRows.rows(1, 4_000, 1_000, 3_000, 0.002, 0);
        List<TrainingRow> validation = SyntheticRows.rows(2, 1_000, 1_000, 3_000, 0.002, 0);

        FittedModel fitted = new ThermalModelLearner(FeatureDesign.thermalHinge()).fit(train, validation);

        // When it predicts for 6,000 m2 buildings it never saw, it is right to within the noise
        List<TrainingRow> big = SyntheticRows.rows(3, 500, 6_000, 6_000, 0.0, 0);
        ModelErrors errors = ModelErrors.of(fitted.model(), big);
        double meanEnergy = big.stream().mapToDouble(TrainingRow::energyKwh).average().orElseThrow();
        assertThat(errors.maeEnergyKwh()).isLessThan(0.01 * meanEnergy);
        assertThat(errors.maeIndoorC()).isLessThan(0.005);
        assertThat(fitted.trainingRows()).isEqualTo(5_000);
        assertThat(fitted.skippedRows()).isZero();
    }

    @Test
    void shouldPredictTwiceTheEnergyForTwiceTheFloorAreaAndTheSameTemperature() {
        FittedModel fitted = new ThermalModelLearner(FeatureDesign.thermalHinge())
                .fit(SyntheticRows.rows(1, 2_000, 1_000, 3_000, 0.01, 0), SyntheticRows.rows(2, 500, 1_000, 3_000, 0.01, 0));
        Map<String, Double> small = SyntheticRows.features(2_000, 0, 20, 21, 21.5, new Random(4));
        Map<String, Double> large = new HashMap<>(small);
        large.put("floor_area_m2", 4_000.0);
        large.put("hvac_energy_kwh", 2 * small.get("hvac_energy_kwh"));
        large.put("occupancy_mean", 2 * small.get("occupancy_mean"));

        Prediction p = fitted.model().predict(small);
        Prediction q = fitted.model().predict(large);

        assertThat(q.energyKwh()).isCloseTo(2 * p.energyKwh(), within(1e-9));
        assertThat(q.indoorC()).isCloseTo(p.indoorC(), within(1e-9));
    }

    @Test
    void shouldChooseEachTargetsPenaltyOnValidationRowsAndReportItsErrors() {
        FittedModel fitted = new ThermalModelLearner(FeatureDesign.linear())
                .fit(SyntheticRows.rows(1, 300, 1_000, 3_000, 0.05, 0), SyntheticRows.rows(2, 300, 1_000, 3_000, 0.05, 0));

        assertThat(fitted.model().energyLambda()).isEqualTo(fitted.energySearch().lambda());
        assertThat(fitted.model().indoorLambda()).isEqualTo(fitted.indoorSearch().lambda());
        assertThat(fitted.validation().maeEnergyKwh()).isEqualTo(fitted.energySearch().validationError());
        assertThat(fitted.validation().maeIndoorC()).isEqualTo(fitted.indoorSearch().validationError());
        assertThat(fitted.energySearch().validationError())
                .isEqualTo(fitted.energySearch().scores().stream().mapToDouble(LambdaSearch.Score::validationError).min().orElseThrow());
    }

    @Test
    void shouldSkipAndCountRowsMissingAFeatureTheDesignReads() {
        List<TrainingRow> train = new ArrayList<>(SyntheticRows.rows(1, 500, 1_000, 3_000, 0.01, 0));
        Map<String, Double> broken = new HashMap<>(train.get(0).features());
        broken.put("indoor_last_c", Double.NaN);
        train.add(new TrainingRow("b0", 0, broken, 1, 20));
        Map<String, Double> missing = new HashMap<>(train.get(1).features());
        missing.remove("outdoor_mean_c");
        train.add(new TrainingRow("b1", 0, missing, 1, 20));
        // co2 is not an input of the design: a NaN there costs nothing
        Map<String, Double> irrelevant = new HashMap<>(train.get(2).features());
        irrelevant.put("co2_mean_ppm", Double.NaN);
        train.add(new TrainingRow("b2", 0, irrelevant, train.get(2).energyKwh(), train.get(2).indoorC()));

        FittedModel fitted = new ThermalModelLearner(FeatureDesign.thermalHinge())
                .fit(train, SyntheticRows.rows(2, 200, 1_000, 3_000, 0.01, 0));

        assertThat(fitted.skippedRows()).isEqualTo(2);
        assertThat(fitted.trainingRows()).isEqualTo(501 + 200);
    }

    @Test
    void shouldRefuseToLearnFromTooFewRows() {
        assertThatThrownBy(() -> new ThermalModelLearner(FeatureDesign.thermalHinge())
                .fit(SyntheticRows.rows(1, 5, 1_000, 3_000, 0.01, 0), SyntheticRows.rows(2, 5, 1_000, 3_000, 0.01, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Too few usable rows");
    }
}
