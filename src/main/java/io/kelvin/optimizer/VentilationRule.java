package io.kelvin.optimizer;

import io.kelvin.schema.BuildingProfile;

/**
 * Demand-controlled ventilation: the outdoor airflow a building's air-handling units should
 * deliver over the next window, reset from its indoor CO₂ in the manner of ASHRAE Guideline 36's
 * CO₂ reset.
 *
 * <p>The airflow is the profile's {@code minVentilationLps} while the CO₂ lies at or below
 * {@code co2LimitPpm − margin − band}, its {@code designVentilationLps} at or above
 * {@code co2LimitPpm − margin}, and in proportion between the two. The margin keeps the zones below
 * the limit while people arrive faster than the 10-minute decisions follow; fewer people need less
 * air, and an empty building gets only the building-related rate that dilutes emissions from
 * materials. A proportional reset settles where the airflow matches the people present, and is
 * stable when the room's air takes longer to change than a window lasts (at design airflow an
 * office's air changes in roughly 25–75 minutes, and slower at less airflow).
 *
 * <p>Pure: no state, so the same window and profile always give the same airflow. It commands
 * ventilation only while the building is scheduled occupied (the units run then), only when the
 * profile gives usable limits ({@link #isUsable}) and only when the window saw CO₂; otherwise
 * the command carries no airflow and the BMS runs its own ventilation.
 */
public final class VentilationRule {
    private final boolean enabled;
    private final double bandPpm;
    private final double marginPpm;

    /**
     * @param enabled   whether Kelvin commands ventilation at all
     * @param bandPpm   CO₂ span over which the airflow goes from least to design
     * @param marginPpm how far below the limit the design airflow is reached
     */
    public VentilationRule(boolean enabled, double bandPpm, double marginPpm) {
        // Checked here too: the simulator's reference bench builds one without KelvinConfig's ranges.
        if (!(bandPpm > 0) || !(marginPpm >= 0)) {
            throw new IllegalArgumentException("the CO₂ band must be positive and the margin non-negative");
        }
        this.enabled = enabled;
        this.bandPpm = bandPpm;
        this.marginPpm = marginPpm;
    }

    /** Whether the profile's ventilation limits allow commanding an airflow: both set, finite, {@code 0 <= min <= design}, design positive. */
    public static boolean isUsable(BuildingProfile p) {
        Double design = p.getDesignVentilationLps();
        Double min = p.getMinVentilationLps();
        return design != null && min != null && Double.isFinite(design) && Double.isFinite(min) && design > 0 && min >= 0
                && min <= design && Double.isFinite(p.getCo2LimitPpm()) && p.getCo2LimitPpm() > 0;
    }

    /**
     * The outdoor airflow to command, L/s, within the profile's limits; null for none.
     *
     * @param co2Ppm       the window's mean indoor CO₂ (NaN when it saw none)
     * @param occupiedNext whether the building is scheduled occupied in the next window
     */
    public Double ventilationLps(BuildingProfile p, double co2Ppm, boolean occupiedNext) {
        if (!enabled || !occupiedNext || !Double.isFinite(co2Ppm) || !isUsable(p)) {
            return null;
        }
        double min = p.getMinVentilationLps();
        double design = p.getDesignVentilationLps();
        double full = p.getCo2LimitPpm() - marginPpm;
        double demand = Math.max(0, Math.min(1, (co2Ppm - (full - bandPpm)) / bandPpm));
        return Math.min(design, min + demand * (design - min));
    }
}
