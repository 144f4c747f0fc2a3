package io.kelvin.sim;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The sun's height and clear-sky irradiance, enough for solar gains of a building model:
 * declination after Cooper (1969), equation of time after Spencer (1971), global horizontal
 * clear-sky irradiance after Haurwitz (1945) — the simple models compared in Reno, Hansen and
 * Stein (2012), "Global horizontal irradiance clear sky models", Sandia report SAND2012-2389 —
 * and cloud attenuation after Kasten and Czeplak (1980), Solar Energy 24(2), 177–189.
 */
public final class SolarGeometry {

    private SolarGeometry() {}

    /** Cosine of the solar zenith angle at {@code at} (negative at night). */
    public static double cosZenith(double latitudeDeg, double longitudeDeg, Instant at) {
        ZonedDateTime utc = at.atZone(ZoneOffset.UTC);
        int n = utc.getDayOfYear();
        double utcHours = utc.getHour() + utc.getMinute() / 60.0 + utc.getSecond() / 3600.0;
        double declination = Math.toRadians(23.45) * Math.sin(2 * Math.PI * (284 + n) / 365.0);
        double b = 2 * Math.PI * (n - 1) / 365.0;
        double equationOfTimeMin = 229.18 * (0.000075 + 0.001868 * Math.cos(b) - 0.032077 * Math.sin(b)
                - 0.014615 * Math.cos(2 * b) - 0.040849 * Math.sin(2 * b));
        double solarHours = utcHours + longitudeDeg / 15.0 + equationOfTimeMin / 60.0;
        double hourAngle = Math.toRadians(15.0 * (solarHours - 12));
        double lat = Math.toRadians(latitudeDeg);
        return Math.sin(lat) * Math.sin(declination) + Math.cos(lat) * Math.cos(declination) * Math.cos(hourAngle);
    }

    /** Local solar time in hours [0, 24) at {@code at}, equation of time ignored. */
    public static double solarHour(double longitudeDeg, Instant at) {
        double utcHours = Math.floorMod(at.getEpochSecond(), 86_400L) / 3600.0;
        return ((utcHours + longitudeDeg / 15.0) % 24 + 24) % 24;
    }

    /** Haurwitz clear-sky global horizontal irradiance (W/m²) for a solar zenith cosine. */
    public static double clearSkyGlobalHorizontal(double cosZenith) {
        if (cosZenith <= 0.01) {
            return 0;
        }
        return 1098 * cosZenith * Math.exp(-0.057 / cosZenith);
    }

    /** Kasten–Czeplak: the share of clear-sky irradiance that passes a cloud cover of {@code cloud} (0–1). */
    public static double cloudTransmission(double cloud) {
        return 1 - 0.75 * Math.pow(Math.max(0, Math.min(1, cloud)), 3.4);
    }
}
