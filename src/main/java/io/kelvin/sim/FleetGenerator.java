package io.kelvin.sim;

import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.OccupancyPeriod;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws a fleet of office buildings, each within the documented ranges below; building {@code i}
 * of a fleet depends only on the seed and {@code i}, so a larger fleet keeps the smaller fleet's
 * buildings as they were.
 *
 * <p>The ranges and where they come from (also printed in the report, {@link #RANGES}):
 * <ul>
 *   <li><b>Floor area</b> 1,000–20,000 m², log-uniform: between the small (511 m²), medium
 *       (4,982 m²) and large (46,320 m²) offices of the U.S. DOE commercial reference buildings
 *       (Deru et al. 2011, NREL/TP-5500-46861).</li>
 *   <li><b>Thermal mass</b>: one of the five classes of ISO 13790:2008 table 12, very light to
 *       very heavy: effective capacity 80, 110, 165, 260, 370 kJ/(m²·K) of floor area, with
 *       effective mass area 2.5, 2.5, 2.5, 3.0, 3.5 m² per m² of floor.</li>
 *   <li><b>Air–mass coupling</b> as ISO 13790 §7.2.2 couples them: internal surfaces
 *       (h_is = 3.45 W/(m²·K) over 4.5 m² per m² of floor) in series with the mass
 *       (h_ms = 9.1 W/(m²·K) over the effective mass area): 9–11 W/(m²·K) of floor area.</li>
 *   <li><b>Air and furnishings</b>: air (1.2 kJ/(m³·K) × storey height 2.8–3.6 m) plus
 *       furnishings 5–15 kJ/(m²·K) (ISO 52016-1 uses 10 kJ/(m²·K) for furniture).</li>
 *   <li><b>Envelope</b>: envelope area 0.5–1.0 m² per m² of floor (compact multi-storey to
 *       low-rise), window share 25–60 %, opaque U 0.25–1.0 W/(m²·K) and window U 1.1–2.8
 *       W/(m²·K): from current requirements (German GEG reference building: walls 0.28, windows
 *       1.3) to 1970s stock.</li>
 *   <li><b>Infiltration</b> 0.1–0.4 air changes per hour (mechanically ventilated offices, ASHRAE
 *       Handbook—Fundamentals ch. 16); <b>ventilation</b> 0.8–2.0 L/(s·m²) while occupied
 *       (EN 16798-1:2019 annex B, category II offices ≈ 1.4); heat recovery 0–80 % (Ecodesign
 *       regulation 1253/2014 requires 73 % of new units; older ones have none). The least
 *       airflow the BMS accepts (demand-controlled ventilation) is the building-related rate of
 *       EN 16798-1 annex B for category II, 0.35–0.7 L/(s·m²) (very low- to low-polluting
 *       buildings), at most the design airflow; the CO₂ limit {@value #CO2_LIMIT_PPM} ppm, stricter
 *       than category II's 800 ppm above outdoors.</li>
 *   <li><b>Solar aperture</b>: envelope area × window share × g-value 0.35–0.6 × frame 0.7 ×
 *       shading and orientation 0.3–0.5 (ISO 13790 §11.3 factors).</li>
 *   <li><b>Occupancy</b> 10–20 m² per person; daily attendance 45–90 % of design; weekdays
 *       starting 07:00–08:00 and ending 17:00–19:00, a fifth of the buildings open Saturday
 *       morning. <b>Lighting</b> 4–10 W/m² (LED to fluorescent; ASHRAE 90.1-2019 office allowance
 *       ≈ 6.9 W/m²), <b>equipment</b> 5–12 W/m² (ASHRAE Fundamentals ch. 18 office load
 *       factors, light to medium; measured plug loads are mostly below 10 W/m²), 20–40 % of it
 *       left on at night.</li>
 *   <li><b>Plant</b>: heating capacity 1.2–1.6 × the design heat loss (EN 12831 design
 *       temperature of the climate, plus a reheat allowance); cooling capacity 1.1–1.3 × the
 *       design cooling load; heat pump sink 35–45 °C, quality 0.85–1.1 of the Staffell et al.
 *       fit; chiller at 35–50 % of Carnot, locked out below 12–16 °C outdoors (ASHRAE Guideline 36
 *       plant lockout), economiser by heat-recovery bypass; fans 1.0–2.0 kW per m³/s at design flow
 *       (EN 16798-3 SFP 3–4).</li>
 *   <li><b>Comfort and setpoints</b>: comfort band 20–24 °C, 20.5–24.5 °C or 21–25 °C
 *       (EN 16798-1 categories II–I for offices in the heating season); occupied setpoint
 *       1.0–1.5 K above the band's lower edge; set-back 15–18 °C and set-up 28–30 °C when
 *       unoccupied; dead band ±0.25–0.75 K; pre-start 60–180 min; Kelvin may command 15–26 °C
 *       and 0.5 K per step.</li>
 * </ul>
 */
public final class FleetGenerator {

    /** One documented parameter range. */
    public record ParameterRange(String parameter, String range, String source) {}

    public static final List<ParameterRange> RANGES = List.of(
            new ParameterRange("floor area", "1,000–20,000 m², log-uniform", "U.S. DOE commercial reference buildings (Deru et al. 2011, NREL/TP-5500-46861)"),
            new ParameterRange("thermal mass", "80 / 110 / 165 / 260 / 370 kJ/(m²·K)", "ISO 13790:2008 table 12, very light to very heavy"),
            new ParameterRange("air–mass conductance", "9–11 W/(m²·K) of floor", "ISO 13790:2008 §7.2.2: h_is = 3.45 W/(m²·K) × 4.5 A_f in series with h_ms = 9.1 W/(m²·K) × A_m"),
            new ParameterRange("air and furnishings capacity", "1.2 kJ/(m³·K) × 2.8–3.6 m + 5–15 kJ/(m²·K)", "ISO 52016-1 (10 kJ/(m²·K) furniture)"),
            new ParameterRange("envelope area", "0.5–1.0 m² per m² of floor, 25–60 % windows", "multi-storey offices"),
            new ParameterRange("U-values", "opaque 0.25–1.0, windows 1.1–2.8 W/(m²·K)", "GEG 2020 reference building to 1970s stock"),
            new ParameterRange("infiltration", "0.1–0.4 1/h", "ASHRAE Handbook—Fundamentals 2021 ch. 16"),
            new ParameterRange("ventilation while occupied", "0.8–2.0 L/(s·m²), heat recovery 0–80 %", "EN 16798-1:2019 annex B; Ecodesign 1253/2014"),
            new ParameterRange("least ventilation (DCV floor)", "0.35–0.7 L/(s·m²), CO₂ limit 1,000 ppm", "EN 16798-1:2019 annex B, category II building-related rate"),
            new ParameterRange("solar aperture", "g 0.35–0.6 × frame 0.7 × shading/orientation 0.3–0.5 × window area", "ISO 13790:2008 §11.3"),
            new ParameterRange("occupancy", "10–20 m²/person, 45–90 % daily attendance, 75 W sensible", "ASHRAE Handbook—Fundamentals 2021 ch. 18"),
            new ParameterRange("lighting / equipment", "4–10 / 5–12 W/m², 20–40 % base load", "ASHRAE 90.1-2019; Fundamentals ch. 18"),
            new ParameterRange("heating capacity", "1.2–1.6 × design heat loss", "EN 12831-1 design temperatures and reheat allowance"),
            new ParameterRange("heat pump COP", "Staffell fit × 0.85–1.1, sink 35–45 °C", "Staffell et al. 2012, Energy Environ. Sci. 5:9291"),
            new ParameterRange("chiller EER", "35–50 % of Carnot (2.4–3.5 at 35 °C)", "Eurovent-rated air-cooled chillers"),
            new ParameterRange("chiller lockout", "no mechanical cooling below 12–16 °C outdoors; economiser (heat-recovery bypass) while ventilating", "ASHRAE Guideline 36-2021 plant lockout"),
            new ParameterRange("fans", "1.0–2.0 kW per m³/s at design flow; VSD part-load curve", "EN 16798-3 SFP categories 3–4; ASHRAE 90.1-2019 table G3.1.3.15"),
            new ParameterRange("comfort band", "20–24 / 20.5–24.5 / 21–25 °C while occupied", "EN 16798-1:2019 categories II–I, offices, heating season"),
            new ParameterRange("BMS schedule", "occupied 1.0–1.5 K above comfort minimum, set-back 15–18 °C, set-up 28–30 °C, pre-start 60–180 min, dead band ±0.25–0.75 K", "common BMS practice"),
            new ParameterRange("sensors", "zone bias σ 0.2 K (±0.5), noise 0.05 K; outdoor bias σ 0.3 K; meter 1 %; CO₂ 30 ppm; people ±10 %", "device accuracy classes"));

    private static final double[] MASS_CAPACITY_KJ = {80, 110, 165, 260, 370};
    private static final double[] MASS_AREA_RATIO = {2.5, 2.5, 2.5, 3.0, 3.5};
    private static final double H_IS = 3.45;
    private static final double SURFACE_AREA_RATIO = 4.5;
    private static final double H_MS = 9.1;
    /** Volumetric heat capacity of air, kJ/(m³·K). */
    private static final double AIR_KJ_PER_M3K = 1.2;
    /** CO₂ limit of every building's profile, ppm. */
    static final double CO2_LIMIT_PPM = 1000;

    private final long seed;

    public FleetGenerator(long seed) {
        this.seed = seed;
    }

    /** {@code count} buildings, {@code building-001} onwards. */
    public List<BuildingSpec> generate(int count) {
        List<BuildingSpec> out = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            out.add(building(i));
        }
        return out;
    }

    /** Building number {@code index} (1-based) of this seed's fleet. */
    public BuildingSpec building(int index) {
        SplittableRandom r = new SplittableRandom(seed * 0x2545F4914F6CDD1DL + index * 0x9E3779B97F4A7C15L);
        String id = String.format("building-%03d", index);
        Climate climate = Climate.values()[r.nextInt(Climate.values().length)];
        double area = Math.round(Math.exp(uniform(r, Math.log(1_000), Math.log(20_000))) / 10) * 10.0;
        double height = uniform(r, 2.8, 3.6);

        int massClass = r.nextInt(MASS_CAPACITY_KJ.length);
        double massKwhPerK = MASS_CAPACITY_KJ[massClass] * area / 3600;
        double hAirMassWPerM2K = 1 / (1 / (H_IS * SURFACE_AREA_RATIO) + 1 / (H_MS * MASS_AREA_RATIO[massClass]));
        double airKwhPerK = (AIR_KJ_PER_M3K * height + uniform(r, 5, 15)) * area / 3600;

        double envelopeRatio = uniform(r, 0.5, 1.0);
        double windowShare = uniform(r, 0.25, 0.6);
        double uOpaque = uniform(r, 0.25, 1.0);
        double uWindow = uniform(r, 1.1, 2.8);
        double achInfiltration = uniform(r, 0.1, 0.4);
        double ventLps = uniform(r, 0.8, 2.0);
        double heatRecovery = uniform(r, 0, 0.8);
        double envelopeM2 = envelopeRatio * area;
        double infiltrationM3s = achInfiltration * area * height / 3600;
        double ventilationM3s = ventLps * area / 1000;
        double hOpaque = uOpaque * envelopeM2 * (1 - windowShare) / 1000;
        double hWindowsInfiltration = (uWindow * envelopeM2 * windowShare + AIR_KJ_PER_M3K * 1000 * infiltrationM3s) / 1000;
        double hVentilation = AIR_KJ_PER_M3K * ventilationM3s * (1 - heatRecovery);
        ThermalParameters thermal = new ThermalParameters(airKwhPerK, massKwhPerK, hAirMassWPerM2K * area / 1000,
                hOpaque, hWindowsInfiltration, hVentilation);

        double aperture = envelopeM2 * windowShare * uniform(r, 0.35, 0.6) * 0.7 * uniform(r, 0.3, 0.5);

        double m2PerPerson = uniform(r, 10, 20);
        double minPresence = uniform(r, 0.45, 0.65);
        Occupants occupants = new Occupants((int) Math.round(area / m2PerPerson), minPresence, minPresence + 0.25,
                uniform(r, 4, 10), uniform(r, 5, 12), uniform(r, 0.2, 0.4), r.nextLong());

        double comfortMin = 20 + 0.5 * r.nextInt(3);
        double comfortMax = comfortMin + 4;
        double occupiedSetpoint = comfortMin + (r.nextBoolean() ? 1.0 : 1.5);
        double setback = 15 + 0.5 * r.nextInt(7);
        BmsSettings bms = new BmsSettings(0.25 * (1 + r.nextInt(3)), 60 + 15 * r.nextInt(9), 28 + r.nextInt(3));

        double designLossKwPerK = thermal.steadyStateLossKwPerK(1);
        double heatingKw = uniform(r, 1.2, 1.6) * designLossKwPerK * (occupiedSetpoint - climate.heatingDesignC());
        double peakGainsKw = occupants.designPeople() * Occupants.SENSIBLE_W_PER_PERSON / 1000
                + (occupants.lightingWPerM2() + occupants.equipmentWPerM2()) * area / 1000 + aperture * 0.6;
        double coolingKw = uniform(r, 1.1, 1.3) * (designLossKwPerK * Math.max(0, climate.coolingDesignC() - comfortMax) + peakGainsKw);
        HvacPlant plant = new HvacPlant(heatingKw, coolingKw, uniform(r, 35, 45), uniform(r, 0.85, 1.1),
                uniform(r, 0.35, 0.5), uniform(r, 1.0, 2.0) * ventilationM3s, uniform(r, 12, 16),
                AIR_KJ_PER_M3K * ventilationM3s * heatRecovery);

        int start = 7 * 60 + 30 * r.nextInt(3);
        int end = 17 * 60 + 30 * r.nextInt(5);
        List<OccupancyPeriod> periods = new ArrayList<>();
        periods.add(new OccupancyPeriod(List.of(1, 2, 3, 4, 5), start, end));
        if (r.nextDouble() < 0.2) {
            periods.add(new OccupancyPeriod(List.of(6), 8 * 60, 13 * 60));
        }

        int zoneSensors = 2 + r.nextInt(2);
        List<Double> biases = new ArrayList<>(zoneSensors);
        for (int z = 0; z < zoneSensors; z++) {
            biases.add(Math.max(-0.5, Math.min(0.5, 0.2 * r.nextGaussian())));
        }
        SensorSettings sensors = new SensorSettings(biases, 0.05, Math.max(-1, Math.min(1, 0.3 * r.nextGaussian())), 0.1,
                0.01, 0.10, 30);
        long buildingSeed = r.nextLong();
        // Drawn last, so that the draws above, and with them every building, are as they were before it.
        double designVentilationLps = ventilationM3s * 1000;
        double minVentilationLps = Math.min(designVentilationLps, uniform(r, 0.35, 0.7) * area);
        BuildingProfile profile = BuildingProfile.newBuilder()
                .setBuildingId(id)
                .setName(String.format("Simulated office %03d (%s)", index, climate.city()))
                .setTimeZone(climate.timeZone())
                .setFloorAreaM2(area)
                .setMinSetpointC(15)
                .setMaxSetpointC(26)
                .setMaxChangePerStepK(0.5)
                .setComfortMinC(comfortMin)
                .setComfortMaxC(comfortMax)
                .setOccupiedSetpointC(occupiedSetpoint)
                .setUnoccupiedSetpointC(setback)
                .setBmsDeadbandHalfWidthK(bms.deadbandHalfWidthK())
                .setOccupancy(periods)
                .setDesignVentilationLps(designVentilationLps)
                .setMinVentilationLps(minVentilationLps)
                .setCo2LimitPpm(CO2_LIMIT_PPM)
                .build();
        return new BuildingSpec(profile, climate, height, thermal, plant, aperture, occupants, ventilationM3s, infiltrationM3s,
                bms, sensors, buildingSeed);
    }

    private static double uniform(SplittableRandom r, double min, double max) {
        return min + (max - min) * r.nextDouble();
    }
}
