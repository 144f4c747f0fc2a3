package io.kelvin.cli;

import picocli.CommandLine;

/** {@code max} (as fast as the setpoints allow) or a positive number of simulated seconds per wall second. */
final class SpeedConverter implements CommandLine.ITypeConverter<Double> {

    @Override
    public Double convert(String value) {
        String v = value.strip();
        if (v.equalsIgnoreCase("max")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            double speed = Double.parseDouble(v);
            if (speed > 0 && Double.isFinite(speed)) {
                return speed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not a speed; write a positive number (3600 = one simulated hour"
                + " per second) or max");
    }
}
