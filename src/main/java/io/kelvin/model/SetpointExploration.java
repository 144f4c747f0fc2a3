package io.kelvin.model;

import io.kelvin.optimizer.DecisionContext;
import io.kelvin.optimizer.SafetyRules;
import io.kelvin.schema.BuildingProfile;
import java.util.Random;

/**
 * Chooses the setpoints of a simulated building while training data is collected, so the model
 * sees what moving the setpoint does to energy and temperature, not only the schedule. It holds
 * a random offset from the building's own schedule (none in 30 % of holds, else up to 4 K either
 * way) for 1 to 12 windows, jitters around it, and passes every proposal through Kelvin's {@link
 * SafetyRules}: never outside the profile's limits, never more than the allowed change per step
 * from the setpoint in force, as every real command. One instance per building (it has state).
 */
final class SetpointExploration {
    static final double FOLLOW_SCHEDULE_SHARE = 0.3;
    static final double MAX_OFFSET_K = 4.0;
    static final int MAX_HOLD_WINDOWS = 12;
    static final double JITTER_K = 0.3;

    private final Random random;
    private final SafetyRules safety;
    private double offsetK;
    private int windowsLeft;

    SetpointExploration(Random random, SafetyRules safety) {
        this.random = random;
        this.safety = safety;
    }

    double next(DecisionContext ctx) {
        if (windowsLeft-- <= 0) {
            windowsLeft = random.nextInt(MAX_HOLD_WINDOWS);
            offsetK = random.nextDouble() < FOLLOW_SCHEDULE_SHARE ? 0.0 : (2 * random.nextDouble() - 1) * MAX_OFFSET_K;
        }
        BuildingProfile p = ctx.profile();
        double scheduled = ctx.occupiedNext() ? p.getOccupiedSetpointC() : p.getUnoccupiedSetpointC();
        double proposal = scheduled + offsetK + (2 * random.nextDouble() - 1) * JITTER_K;
        return safety.enforce(p, ctx.anchorSetpointC(), proposal);
    }
}
