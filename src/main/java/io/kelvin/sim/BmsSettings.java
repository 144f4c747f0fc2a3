package io.kelvin.sim;

/**
 * A simulated BMS's own settings for one building, beside what its Kelvin profile says.
 *
 * @param deadbandHalfWidthK  the zone controller heats below {@code setpoint - this} and cools
 *                            above {@code setpoint + this}; a zone held against heat loss sits at
 *                            the lower edge
 * @param warmUpMinutes       the default schedule switches to the occupied setpoint this long
 *                            before an occupied period starts (a fixed pre-start)
 * @param unoccupiedCoolingC  the cooling set-up of the default schedule outside occupied hours
 *                            (its heating set-back is the profile's {@code unoccupiedSetpointC})
 */
public record BmsSettings(double deadbandHalfWidthK, int warmUpMinutes, double unoccupiedCoolingC) {

    public BmsSettings {
        if (!(deadbandHalfWidthK >= 0) || warmUpMinutes < 0) {
            throw new IllegalArgumentException("dead band and warm-up must not be negative");
        }
    }
}
