package io.kelvin.sim;

/**
 * The climates the simulated fleet is spread over: the scale of the synthetic weather, not a
 * reproduction of any year. Annual mean and amplitude (half the July–January difference of
 * monthly means) are rounded from the WMO 1991–2020 climate normals of each city; diurnal ranges
 * and cloudiness are typical of those normals, design temperatures are rounded EN 12831 /
 * ASHRAE 99.6 % (heating) and 0.4 % (cooling) design conditions. All approximate, to ±1 K.
 *
 * @param city              name shown in reports
 * @param timeZone          IANA zone of the buildings there (occupancy runs on local time)
 * @param latitudeDeg       for the sun's position
 * @param longitudeDeg      for local solar time
 * @param annualMeanC       annual mean air temperature
 * @param annualAmplitudeK  half the difference between the warmest and coldest monthly mean
 * @param winterDiurnalRangeK mean daily max-min range in January
 * @param summerDiurnalRangeK mean daily max-min range in July
 * @param meanCloudCover    mean cloud cover, 0–1
 * @param heatingDesignC    heating design outdoor temperature (sizing of the heat pump)
 * @param coolingDesignC    cooling design outdoor temperature (sizing of the chiller)
 */
public enum Climate {
    STOCKHOLM("Stockholm", "Europe/Stockholm", 59.33, 18.07, 8.0, 9.5, 4.5, 9.0, 0.66, -16, 27),
    BERLIN("Berlin", "Europe/Berlin", 52.52, 13.40, 10.3, 9.4, 5.5, 10.0, 0.65, -14, 31),
    AMSTERDAM("Amsterdam", "Europe/Amsterdam", 52.37, 4.90, 10.8, 7.2, 5.0, 9.0, 0.70, -10, 28),
    PARIS("Paris", "Europe/Paris", 48.86, 2.35, 12.4, 7.9, 6.0, 10.0, 0.64, -7, 32),
    MADRID("Madrid", "Europe/Madrid", 40.42, -3.70, 15.0, 9.8, 8.0, 14.0, 0.45, -3, 37);

    /**
     * Day of year of the coldest point of the cosine. Mid-January rather than the late-January
     * minimum of the normals: a single cosine through a late minimum makes autumn about 1.5 K too
     * warm, one through mid-January keeps the autumn and winter months within about 1 K.
     */
    public static final double COLDEST_DAY_OF_YEAR = 15;

    private final String city;
    private final String timeZone;
    private final double latitudeDeg;
    private final double longitudeDeg;
    private final double annualMeanC;
    private final double annualAmplitudeK;
    private final double winterDiurnalRangeK;
    private final double summerDiurnalRangeK;
    private final double meanCloudCover;
    private final double heatingDesignC;
    private final double coolingDesignC;

    Climate(String city, String timeZone, double latitudeDeg, double longitudeDeg, double annualMeanC, double annualAmplitudeK,
            double winterDiurnalRangeK, double summerDiurnalRangeK, double meanCloudCover, double heatingDesignC,
            double coolingDesignC) {
        this.city = city;
        this.timeZone = timeZone;
        this.latitudeDeg = latitudeDeg;
        this.longitudeDeg = longitudeDeg;
        this.annualMeanC = annualMeanC;
        this.annualAmplitudeK = annualAmplitudeK;
        this.winterDiurnalRangeK = winterDiurnalRangeK;
        this.summerDiurnalRangeK = summerDiurnalRangeK;
        this.meanCloudCover = meanCloudCover;
        this.heatingDesignC = heatingDesignC;
        this.coolingDesignC = coolingDesignC;
    }

    public String city() {
        return city;
    }

    public String timeZone() {
        return timeZone;
    }

    public double latitudeDeg() {
        return latitudeDeg;
    }

    public double longitudeDeg() {
        return longitudeDeg;
    }

    public double annualMeanC() {
        return annualMeanC;
    }

    public double annualAmplitudeK() {
        return annualAmplitudeK;
    }

    public double meanCloudCover() {
        return meanCloudCover;
    }

    public double heatingDesignC() {
        return heatingDesignC;
    }

    public double coolingDesignC() {
        return coolingDesignC;
    }

    /** Seasonal mean temperature on fractional day of year {@code doy} (cosine through the normals). */
    public double seasonalMeanC(double doy) {
        return annualMeanC - annualAmplitudeK * Math.cos(2 * Math.PI * (doy - COLDEST_DAY_OF_YEAR) / 365.25);
    }

    /** Mean daily temperature range on day of year {@code doy}, between the January and July values. */
    public double diurnalRangeK(double doy) {
        double summerness = (1 - Math.cos(2 * Math.PI * (doy - COLDEST_DAY_OF_YEAR) / 365.25)) / 2;
        return winterDiurnalRangeK + (summerDiurnalRangeK - winterDiurnalRangeK) * summerness;
    }
}
