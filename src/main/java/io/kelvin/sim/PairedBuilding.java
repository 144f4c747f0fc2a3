package io.kelvin.sim;

import io.kelvin.schema.OccupancyPeriod;
import io.kelvin.schema.SensorReading;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A simulated building and its baseline twin: the same {@link BuildingSpec}, weather and people,
 * one run by Kelvin's commands through a {@link SimulatedBms}, the other by the BMS's
 * {@link DefaultSchedule} alone. Savings are therefore paired, building by building. Its devices
 * observe Kelvin's twin. Steps are driven by one thread; {@link #bms()} takes commands from any.
 */
public final class PairedBuilding {
    /** Outdoor CO₂ concentration, ppm. */
    static final double OUTDOOR_CO2_PPM = 420;
    /** CO₂ generation of an adult in office work, m³/s (Persily and de Jonge 2017, Indoor Air 27:868, ≈ 0.0052 L/s). */
    static final double CO2_PER_PERSON_M3S = 0.0052e-3;

    private final BuildingSpec spec;
    private final BuildingThermalModel model;
    private final OccupancyCalendar calendar;
    private final DefaultSchedule schedule;
    private final SimulatedBms bms;
    private final BuildingDevices devices;
    private final BuildingTwin kelvin;
    private final BuildingTwin baseline;
    private final double stepSeconds;
    private double kelvinCo2Ppm = OUTDOOR_CO2_PPM;
    private double baselineCo2Ppm = OUTDOOR_CO2_PPM;

    public PairedBuilding(BuildingSpec spec, Duration step, Duration commandApplyDelay) {
        this.spec = spec;
        this.model = new BuildingThermalModel(spec.thermal(), step);
        this.calendar = new OccupancyCalendar(spec.profile().getOccupancy(), spec.zone());
        this.schedule = new DefaultSchedule(spec.profile(), calendar, spec.bms());
        this.bms = new SimulatedBms(schedule, commandApplyDelay);
        this.devices = new BuildingDevices(spec);
        double initial = initialC(spec);
        this.kelvin = new BuildingTwin(model, spec.plant(), initial);
        this.baseline = new BuildingTwin(model, spec.plant(), initial);
        this.stepSeconds = step.toNanos() / 1e9;
    }

    /** Where both twins' air and structure start: 1 K below the occupied setpoint, °C. */
    static double initialC(BuildingSpec spec) {
        return spec.profile().getOccupiedSetpointC() - 1;
    }

    public BuildingSpec spec() {
        return spec;
    }

    public SimulatedBms bms() {
        return bms;
    }

    public BuildingThermalModel model() {
        return model;
    }

    public BuildingDevices devices() {
        return devices;
    }

    /**
     * One step of both twins.
     *
     * @param occupied          scheduled occupied (comfort counts, the AHU runs)
     * @param people            people present
     * @param kelvinSetpoints   what Kelvin's twin was asked to do
     * @param kelvin            what it did
     * @param kelvinCo2Ppm      its indoor CO₂ at the step's start
     * @param baselineSetpoints what the baseline twin was asked to do
     * @param baseline          what it did
     * @param baselineCo2Ppm    its indoor CO₂ at the step's start
     */
    public record Step(boolean occupied, int people, ZoneSetpoints kelvinSetpoints, BuildingTwin.Step kelvin, double kelvinCo2Ppm,
                       ZoneSetpoints baselineSetpoints, BuildingTwin.Step baseline, double baselineCo2Ppm) {}

    /** Advances both twins over the step starting {@code at}. */
    public Step step(Instant at, double outdoorC, double globalHorizontalWm2) {
        OccupancyCalendar.LocalMoment moment = calendar.at(at);
        OccupancyPeriod period = calendar.periodAt(moment);
        boolean occupied = period != null;
        int people = spec.occupants().peopleAt(moment, period);
        BuildingSpec.Gains gains = spec.gains(people, occupied, globalHorizontalWm2);

        ZoneSetpoints kelvinSetpoints = bms.setpointsAt(at, moment);
        ZoneSetpoints baselineSetpoints = schedule.at(moment);
        BuildingTwin.Step k = kelvin.step(occupied, outdoorC, gains.airKw(), gains.massKw(), kelvinSetpoints);
        BuildingTwin.Step b = baseline.step(occupied, outdoorC, gains.airKw(), gains.massKw(), baselineSetpoints);

        Step step = new Step(occupied, people, kelvinSetpoints, k, kelvinCo2Ppm, baselineSetpoints, b, baselineCo2Ppm);
        kelvinCo2Ppm = co2After(spec, kelvinCo2Ppm, people, k.airflowShare(), stepSeconds);
        baselineCo2Ppm = co2After(spec, baselineCo2Ppm, people, b.airflowShare(), stepSeconds);
        return step;
    }

    /**
     * Indoor CO₂ (ppm) after {@code seconds} of {@code people} breathing with the air-handling unit
     * at {@code airflowShare} of its design airflow: the well-mixed mass balance, exact for
     * constant people and airflow, with infiltration always and ventilation air at outdoor CO₂.
     */
    static double co2After(BuildingSpec spec, double co2Ppm, int people, double airflowShare, double seconds) {
        double airflow = spec.infiltrationAirflowM3s() + airflowShare * spec.ventilationAirflowM3s();
        double steady = OUTDOOR_CO2_PPM + people * CO2_PER_PERSON_M3S / airflow * 1e6;
        return steady + (co2Ppm - steady) * Math.exp(-airflow * seconds / spec.airVolumeM3());
    }

    /** What the devices of Kelvin's twin report for {@code step}, observed at {@code at}. */
    public List<SensorReading> readings(Instant at, Step step, double outdoorC) {
        return devices.readings(at, step.kelvin().airC(), outdoorC, step.kelvin().electricKw(), step.kelvinSetpoints().reportedC(),
                step.people(), step.kelvinCo2Ppm());
    }
}
