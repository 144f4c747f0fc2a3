package io.kelvin.model;

import static io.kelvin.model.Term.raw;

import io.kelvin.optimizer.FeatureBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * A named set of engineered terms: the columns of a linear model's design matrix. The raw
 * contract features it reads become the model's input columns, in {@link
 * FeatureBuilder#KNOWN_FEATURES} order, always including {@value #FLOOR_AREA} and {@value
 * #INDOOR_LAST} because the targets are expressed relative to them (see {@link ThermalModel}).
 *
 * @param name  short identifier; the learning method is reported as {@code ridge-<name>}
 * @param terms the engineered columns, in coefficient order
 */
public record FeatureDesign(String name, List<Term> terms) {
    public static final String FLOOR_AREA = "floor_area_m2";
    public static final String INDOOR_LAST = "indoor_last_c";

    private static final Term CANDIDATE = raw("candidate_setpoint_c");
    private static final Term PREVIOUS = raw("previous_setpoint_c");
    private static final Term OUTDOOR = raw("outdoor_mean_c");
    private static final Term INDOOR_NOW = raw(INDOOR_LAST);
    private static final Term INDOOR_MEAN = raw("indoor_mean_c");
    private static final Term AREA = raw(FLOOR_AREA);

    public FeatureDesign {
        terms = List.copyOf(terms);
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("A design needs at least one term");
        }
        Set<String> inputs = new HashSet<>();
        terms.forEach(t -> t.collectInputs(inputs));
        inputs.removeAll(FeatureBuilder.KNOWN_FEATURES);
        if (!inputs.isEmpty()) {
            throw new IllegalArgumentException("Unknown features " + inputs + "; known: " + FeatureBuilder.KNOWN_FEATURES);
        }
    }

    /**
     * Plain linear terms: the raw temperatures and setpoints, previous energy per m2, scheduled
     * occupancy and time of day. No occupant count: many buildings have no counter, and a model
     * that needs one would send them to the schedule fallback. Cannot express that heating switches off below the indoor
     * temperature; kept as the comparison the hinge design has to beat.
     */
    public static FeatureDesign linear() {
        return new FeatureDesign("linear-v2", List.of(
                CANDIDATE, PREVIOUS, INDOOR_NOW, INDOOR_MEAN, OUTDOOR,
                raw("hvac_energy_kwh").per(AREA),
                raw("occupied_next"), raw("hour_sin"), raw("hour_cos")));
    }

    /**
     * Thermal hinge terms: the positive and negative parts of candidate minus outdoor (envelope
     * load at the new setpoint) and candidate minus the last indoor temperature (a heat pump
     * heats only when asked for more than the room has; free-floats otherwise), the indoor-outdoor
     * difference and the trend within the window, the size of the setpoint move, previous energy
     * per m2, scheduled occupancy and time of day.
     */
    public static FeatureDesign thermalHinge() {
        return new FeatureDesign("thermal-hinge-v2", List.of(
                CANDIDATE.minus(OUTDOOR).positivePart(), OUTDOOR.minus(CANDIDATE).positivePart(),
                CANDIDATE.minus(INDOOR_NOW).positivePart(), INDOOR_NOW.minus(CANDIDATE).positivePart(),
                INDOOR_NOW.minus(OUTDOOR), INDOOR_MEAN.minus(INDOOR_NOW), CANDIDATE.minus(PREVIOUS),
                raw("hvac_energy_kwh").per(AREA),
                raw("occupied_next"), raw("hour_sin"), raw("hour_cos")));
    }

    /**
     * The thermal hinge terms plus products with the previous energy per m2. A pooled model does
     * not know a building's envelope conductance or heat pump efficiency; the energy it just used
     * per m2 carries both, so scaling the setpoint move, the heating and free-floating hinges and
     * the outdoor temperature by it lets one model serve leaky and tight buildings alike.
     */
    public static FeatureDesign thermalInteraction() {
        Term energyPerM2 = raw("hvac_energy_kwh").per(AREA);
        List<Term> terms = new ArrayList<>(thermalHinge().terms());
        terms.add(energyPerM2.times(CANDIDATE.minus(PREVIOUS)));
        terms.add(energyPerM2.times(CANDIDATE.minus(INDOOR_NOW).positivePart()));
        terms.add(energyPerM2.times(INDOOR_NOW.minus(CANDIDATE).positivePart()));
        terms.add(energyPerM2.times(OUTDOOR));
        return new FeatureDesign("thermal-interaction-v2", terms);
    }

    /** The designs a bundle build compares, the one to beat first. */
    public static List<FeatureDesign> candidates() {
        return List.of(linear(), thermalHinge(), thermalInteraction());
    }

    /** {@code ridge-<name>}, the {@code kelvin.method} of a model built from this design. */
    public String method() {
        return "ridge-" + name;
    }

    /** The raw features the model reads, in {@link FeatureBuilder#KNOWN_FEATURES} order. */
    public List<String> rawInputs() {
        Set<String> used = new HashSet<>(Set.of(FLOOR_AREA, INDOOR_LAST));
        terms.forEach(t -> t.collectInputs(used));
        return FeatureBuilder.KNOWN_FEATURES.stream().filter(used::contains).toList();
    }

    /** The engineered row for one set of raw values. */
    public double[] row(ToDoubleFunction<String> raw) {
        double[] out = new double[terms.size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = terms.get(j).eval(raw);
        }
        return out;
    }
}
