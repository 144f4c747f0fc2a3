package io.kelvin.optimizer;

import io.kelvin.schema.BuildingProfile;

/**
 * The hard limits every emitted setpoint obeys, whatever chose it.
 *
 * <ul>
 *   <li>Within the profile's {@code [minSetpointC, maxSetpointC]}, always.</li>
 *   <li>At most {@link #maxChangeK} away from the anchor (the setpoint in force): the stricter of
 *       Kelvin's configured limit and the profile's own.</li>
 *   <li>When the two cannot both hold (the anchor lies outside limits that were tightened),
 *       the limits win: the command goes to the nearest limit.</li>
 * </ul>
 * A profile whose limits are not finite or are inverted, or whose BMS dead band is negative or not
 * finite, gets no command at all ({@link #isUsable}).
 */
public final class SafetyRules {
    private final double configuredMaxChangeK;

    public SafetyRules(double configuredMaxChangeK) {
        this.configuredMaxChangeK = configuredMaxChangeK;
    }

    /** Whether the profile's limits make sense; a building with unusable limits is never commanded. */
    public static boolean isUsable(BuildingProfile p) {
        return Double.isFinite(p.getMinSetpointC()) && Double.isFinite(p.getMaxSetpointC())
                && p.getMinSetpointC() <= p.getMaxSetpointC()
                && Double.isFinite(p.getComfortMinC()) && Double.isFinite(p.getComfortMaxC())
                && Double.isFinite(p.getBmsDeadbandHalfWidthK()) && p.getBmsDeadbandHalfWidthK() >= 0;
    }

    /** The largest change allowed per step for this building, K. */
    public double maxChangeK(BuildingProfile p) {
        double own = p.getMaxChangePerStepK();
        return Double.isFinite(own) && own >= 0 ? Math.min(configuredMaxChangeK, own) : configuredMaxChangeK;
    }

    /** The interval a setpoint may be chosen from, given the anchor: {@code [low, high]}. */
    public double[] allowedRange(BuildingProfile p, double anchorC) {
        double min = p.getMinSetpointC();
        double max = p.getMaxSetpointC();
        double change = maxChangeK(p);
        double low = Math.max(min, anchorC - change);
        double high = Math.min(max, anchorC + change);
        if (low > high) {
            double nearest = clamp(anchorC, min, max);
            return new double[] {nearest, nearest};
        }
        return new double[] {low, high};
    }

    /** {@code proposedC} moved into the allowed range. */
    public double enforce(BuildingProfile p, double anchorC, double proposedC) {
        double[] range = allowedRange(p, anchorC);
        return clamp(Double.isFinite(proposedC) ? proposedC : anchorC, range[0], range[1]);
    }

    static double clamp(double v, double low, double high) {
        return Math.max(low, Math.min(high, v));
    }
}
