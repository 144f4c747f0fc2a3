package io.kelvin.optimizer;

/**
 * What a candidate costs: predicted energy times its price, plus a penalty per kelvin-hour the
 * predicted indoor temperature lies outside the comfort band while the building is occupied.
 */
public record Objective(double energyPrice, double comfortPenaltyPerKh) {

    public double cost(double energyKwh, double indoorC, boolean occupied, double comfortMinC, double comfortMaxC, double hours) {
        double discomfortK = occupied ? Math.max(0, Math.max(comfortMinC - indoorC, indoorC - comfortMaxC)) : 0;
        return energyPrice * energyKwh + comfortPenaltyPerKh * discomfortK * hours;
    }
}
