package io.kelvin.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The thermal model against closed-form solutions of its own differential equations: the 1R1C
 * exponential, the 2R2C step response from the Sylvester formula for exp(At), and the steady
 * state from the conductances.
 */
class BuildingThermalModelTest {

    // A 3R2C building: C_air 2 kWh/K, C_mass 40 kWh/K, H_am 3, H_mo 0.3, H_ao 0.5 (+0.7 ventilated) kW/K.
    private static final ThermalParameters P = new ThermalParameters(2.0, 40.0, 3.0, 0.3, 0.5, 0.7);
    private static final double OUTDOOR = 5;
    private static final double HVAC = 20;
    private static final double GAINS_AIR = 4;
    private static final double GAINS_MASS = 6;

    @Test
    void shouldFollowTheAnalyticFirstOrderResponseOfOneNode() {
        // C dT/dt = -H (T - To) + Q  =>  T(t) = To + Q/H + (T0 - To - Q/H) e^(-H t / C)
        double c = 5;
        double h = 0.8;
        double q = 12;
        var zoh = ZeroOrderHold.discretise(new double[] {c}, new double[][] {{h}}, new double[][] {{h, 1}}, 0.25);
        double[] x = {20};
        for (int k = 1; k <= 40; k++) {
            zoh.step(x, new double[] {OUTDOOR, q}, x);
            double t = 0.25 * k;
            double expected = OUTDOOR + q / h + (20 - OUTDOOR - q / h) * Math.exp(-h * t / c);
            assertThat(x[0]).as("after %s h", t).isCloseTo(expected, within(1e-10));
        }
    }

    @Test
    void shouldFollowTheAnalyticStepResponseOfTheTwoNodeNetwork() {
        double hao = P.airOutdoorConductance(1);
        double[][] a = {
            {-(hao + P.airMassConductanceKwPerK()) / P.airCapacityKwhPerK(), P.airMassConductanceKwPerK() / P.airCapacityKwhPerK()},
            {P.airMassConductanceKwPerK() / P.massCapacityKwhPerK(),
                -(P.airMassConductanceKwPerK() + P.massOutdoorConductanceKwPerK()) / P.massCapacityKwhPerK()},
        };
        double[] forcing = {
            (hao * OUTDOOR + HVAC + GAINS_AIR) / P.airCapacityKwhPerK(),
            (P.massOutdoorConductanceKwPerK() * OUTDOOR + GAINS_MASS) / P.massCapacityKwhPerK(),
        };
        double[] steady = solve(a, new double[] {-forcing[0], -forcing[1]});
        double[] x0 = {12, 15};

        BuildingThermalModel model = new BuildingThermalModel(P, Duration.ofMinutes(1));
        double[] x = x0.clone();
        for (int minute = 1; minute <= 48 * 60; minute++) {
            model.advance(x, 1, OUTDOOR, HVAC, GAINS_AIR, GAINS_MASS);
            if (minute == 1 || minute == 10 || minute == 120 || minute == 48 * 60) {
                double[] expected = analytic(a, steady, x0, minute / 60.0);
                assertThat(x[0]).as("air after %d min", minute).isCloseTo(expected[0], within(1e-9));
                assertThat(x[1]).as("mass after %d min", minute).isCloseTo(expected[1], within(1e-9));
            }
        }
    }

    @Test
    void shouldReachTheSteadyStateTheConductancesGive() {
        // 0 = Hao(To - Ti) + Ham(Tm - Ti) + Qa ; 0 = Ham(Ti - Tm) + Hmo(To - Tm) + Qm
        double hao = P.airOutdoorConductance(0);
        double ham = P.airMassConductanceKwPerK();
        double hmo = P.massOutdoorConductanceKwPerK();
        double qa = HVAC + GAINS_AIR;
        double det = (hao + ham) * (ham + hmo) - ham * ham;
        double airRise = (qa * (ham + hmo) + ham * GAINS_MASS) / det;
        double massRise = (GAINS_MASS * (hao + ham) + ham * qa) / det;

        BuildingThermalModel model = new BuildingThermalModel(P, Duration.ofHours(1));
        double[] x = {20, 20};
        for (int h = 0; h < 24 * 200; h++) {
            model.advance(x, 0, OUTDOOR, HVAC, GAINS_AIR, GAINS_MASS);
        }
        assertThat(x[0]).isCloseTo(OUTDOOR + airRise, within(1e-6));
        assertThat(x[1]).isCloseTo(OUTDOOR + massRise, within(1e-6));
        // With heat on the air only, the loss coefficient is the direct path plus the mass path in series.
        assertThat(HVAC / ((HVAC * (ham + hmo)) / det)).isCloseTo(P.steadyStateLossKwPerK(0), within(1e-12));
    }

    @Test
    void shouldAddVentilationConductanceInProportionToTheAirflow() {
        double ham = P.airMassConductanceKwPerK();
        double hmo = P.massOutdoorConductanceKwPerK();
        for (double share : new double[] {0, 0.25, 0.5, 1}) {
            double hao = 0.5 + share * 0.7;
            assertThat(P.airOutdoorConductance(share)).isCloseTo(hao, within(1e-12));
            double det = (hao + ham) * (ham + hmo) - ham * ham;
            BuildingThermalModel model = new BuildingThermalModel(P, Duration.ofHours(1));
            double[] x = {20, 20};
            for (int h = 0; h < 24 * 200; h++) {
                model.advance(x, share, OUTDOOR, HVAC, 0, 0);
            }
            assertThat(x[0]).as("air at airflow %s", share).isCloseTo(OUTDOOR + HVAC * (ham + hmo) / det, within(1e-6));
        }
    }

    @Test
    void shouldSetTheAirflowInStepsOfOnePercentAndRejectImpossibleShares() {
        assertThat(BuildingThermalModel.airflowStep(0.437)).isEqualTo(0.44);
        assertThat(BuildingThermalModel.airflowStep(0.004)).isEqualTo(0.0);
        assertThat(BuildingThermalModel.airflowStep(1)).isEqualTo(1.0);
        BuildingThermalModel model = new BuildingThermalModel(P, Duration.ofMinutes(1));
        double[] a = {20, 20};
        double[] b = {20, 20};
        model.advance(a, 0.437, OUTDOOR, HVAC, GAINS_AIR, GAINS_MASS);
        model.advance(b, 0.44, OUTDOOR, HVAC, GAINS_AIR, GAINS_MASS);
        assertThat(a).containsExactly(b);
        assertThatThrownBy(() -> BuildingThermalModel.airflowStep(1.2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> model.advance(a, -0.1, OUTDOOR, HVAC, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> model.advance(a, Double.NaN, OUTDOOR, HVAC, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldGiveTheSameStateForOneLongStepAsForManyShortOnes() {
        BuildingThermalModel minute = new BuildingThermalModel(P, Duration.ofMinutes(1));
        BuildingThermalModel tenMinutes = new BuildingThermalModel(P, Duration.ofMinutes(10));
        double[] fine = {18, 19};
        double[] coarse = {18, 19};
        for (int i = 0; i < 10; i++) {
            minute.advance(fine, 1, OUTDOOR, HVAC, GAINS_AIR, GAINS_MASS);
        }
        tenMinutes.advance(coarse, 1, OUTDOOR, HVAC, GAINS_AIR, GAINS_MASS);
        assertThat(fine[0]).isCloseTo(coarse[0], within(1e-11));
        assertThat(fine[1]).isCloseTo(coarse[1], within(1e-11));
    }

    @Test
    void shouldStayExactWhereForwardEulerAtTenMinutesWouldDiverge() {
        // A light air node: C_air / (H_ao + H_am) = 0.05 h, a third of a ten-minute step.
        ThermalParameters light = new ThermalParameters(0.2, 40.0, 3.0, 0.3, 0.5, 0.7);
        double stepHours = 10 / 60.0;
        double eulerFactor = 1 - stepHours * (light.airOutdoorConductance(1) + light.airMassConductanceKwPerK()) / light.airCapacityKwhPerK();
        assertThat(Math.abs(eulerFactor)).as("forward Euler's amplification of the air node").isGreaterThan(1);

        BuildingThermalModel model = new BuildingThermalModel(light, Duration.ofMinutes(10));
        double[] x = {30, 20};
        for (int i = 0; i < 6 * 24 * 30; i++) {
            model.advance(x, 1, OUTDOOR, 0, 0, 0);
        }
        assertThat(x[0]).isCloseTo(OUTDOOR, within(1e-3));
        assertThat(x[1]).isCloseTo(OUTDOOR, within(1e-3));
    }

    @Test
    void shouldSayHowMuchAKilowattRaisesTheAir() {
        BuildingThermalModel model = new BuildingThermalModel(P, Duration.ofMinutes(1));
        double[] x = {20, 20};
        double free = model.freeAirTemperature(x, 1, OUTDOOR, GAINS_AIR, GAINS_MASS);
        model.advance(x, 1, OUTDOOR, HVAC, GAINS_AIR, GAINS_MASS);
        assertThat(x[0]).isCloseTo(free + HVAC * model.airResponsePerKw(1), within(1e-12));
    }

    @Test
    void shouldRejectANetworkWithNoPathToTheOutside() {
        assertThatThrownBy(() -> ZeroOrderHold.discretise(new double[] {1, 1}, new double[][] {{1, -1}, {-1, 1}},
                new double[][] {{1}, {0}}, 0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not stable");
        assertThatThrownBy(() -> new ThermalParameters(1, 1, 1, 0, 0, 0))
                .hasMessageContaining("conductance to the outside");
    }

    /** x(t) = xs + exp(A t)(x0 - xs), exp(A t) by Sylvester's formula for a 2×2 with distinct eigenvalues. */
    private static double[] analytic(double[][] a, double[] steady, double[] x0, double t) {
        double tr = a[0][0] + a[1][1];
        double det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
        double disc = Math.sqrt(tr * tr / 4 - det);
        double l1 = tr / 2 + disc;
        double l2 = tr / 2 - disc;
        double e1 = Math.exp(l1 * t);
        double e2 = Math.exp(l2 * t);
        double[][] m = new double[2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double id = i == j ? 1 : 0;
                m[i][j] = (e1 * (a[i][j] - l2 * id) - e2 * (a[i][j] - l1 * id)) / (l1 - l2);
            }
        }
        double d0 = x0[0] - steady[0];
        double d1 = x0[1] - steady[1];
        return new double[] {steady[0] + m[0][0] * d0 + m[0][1] * d1, steady[1] + m[1][0] * d0 + m[1][1] * d1};
    }

    /** Cramer's rule. */
    private static double[] solve(double[][] a, double[] b) {
        double det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
        return new double[] {(b[0] * a[1][1] - a[0][1] * b[1]) / det, (a[0][0] * b[1] - b[0] * a[1][0]) / det};
    }
}
