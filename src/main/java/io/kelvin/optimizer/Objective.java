package io.kelvin.optimizer;

/**
 * What a candidate costs: predicted energy times its price, plus a penalty per kelvin-hour the
 * predicted indoor temperature lies outside the comfort band while comfort is required.
 *
 * <p>The band is narrowed by {@code comfortMarginK} at both edges (to its midpoint when the band
 * is narrower than two margins): a prediction exactly on the edge is as likely to land just
 * outside, and a BMS holds the room at its dead band's edge, not at the setpoint.
 */
public record Objective(double energyPrice, double comfortPenaltyPerKh, double comfortMarginK) {

    public double cost(double energyKwh, double indoorC, boolean comfortRequired, double comfortMinC, double comfortMaxC, double hours) {
        double discomfortK = 0;
        if (comfortRequired) {
            double margin = Math.min(comfortMarginK, Math.max(0, (comfortMaxC - comfortMinC) / 2));
            discomfortK = Math.max(0, Math.max(comfortMinC + margin - indoorC, indoorC - (comfortMaxC - margin)));
        }
        return energyPrice * energyKwh + comfortPenaltyPerKh * discomfortK * hours;
    }
}
