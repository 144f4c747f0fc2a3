package io.kelvin.sim;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Writes a run's report a person can open: {@code report.html} with the KPI tables, the run's
 * settings and the parameter ranges with their sources, and PNG charts rendered headless with
 * JFreeChart — fleet power, indoor temperature, indoor CO₂ and daily energy, savings per
 * building, and temperature and power over time for a few buildings (the first, the best and the worst saving),
 * always Kelvin against the baseline.
 */
public final class SimulationReport {
    private static final Color KELVIN = new Color(0x1F, 0x77, 0xB4);
    private static final Color BASELINE = new Color(0xFF, 0x7F, 0x0E);
    private static final Color OUTDOOR = new Color(0x88, 0x88, 0x88);
    private static final int WIDTH = 1100;
    private static final int HEIGHT = 420;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd EEE", Locale.ROOT).withZone(ZoneOffset.UTC);

    private SimulationReport() {}

    /**
     * Writes {@code report.html} and its charts into {@code dir} (created if missing).
     *
     * @param commandLine how the run was started, shown in the report
     * @return the HTML file
     */
    public static Path write(SimulationResult result, Path dir, String commandLine) {
        System.setProperty("java.awt.headless", "true");
        try {
            Files.createDirectories(dir);
            Map<String, String> charts = new LinkedHashMap<>();
            charts.put("fleet-power.png", "Fleet HVAC electric power, hourly mean");
            save(fleetPower(result), dir.resolve("fleet-power.png"), HEIGHT);
            charts.put("fleet-temperature.png", "Fleet indoor air temperature (floor-area weighted), hourly mean");
            save(fleetTemperature(result), dir.resolve("fleet-temperature.png"), HEIGHT);
            charts.put("fleet-co2.png", "Fleet indoor CO₂ (floor-area weighted), hourly mean");
            save(fleetCo2(result), dir.resolve("fleet-co2.png"), HEIGHT);
            charts.put("fleet-daily-energy.png", "Fleet HVAC electricity per day");
            save(dailyEnergy(result), dir.resolve("fleet-daily-energy.png"), HEIGHT);
            charts.put("savings-by-building.png", "Energy saving per building over the evaluated period");
            save(savings(result), dir.resolve("savings-by-building.png"), HEIGHT);
            for (SimulationResult.BuildingResult b : featured(result)) {
                String file = b.spec().id() + ".png";
                charts.put(file, b.spec().id() + " (" + b.spec().climate().city() + "): indoor air and power");
                save(building(result, b), dir.resolve(file), 620);
            }
            Path html = dir.resolve("report.html");
            Files.writeString(html, html(result, charts, commandLine), StandardCharsets.UTF_8);
            return html;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the report to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The first building, and those with the best and the worst energy saving. */
    static List<SimulationResult.BuildingResult> featured(SimulationResult result) {
        List<SimulationResult.BuildingResult> all = result.buildings();
        List<SimulationResult.BuildingResult> out = new ArrayList<>();
        if (all.isEmpty()) {
            return out;
        }
        out.add(all.get(0));
        Comparator<SimulationResult.BuildingResult> bySaving = Comparator.comparingDouble(b -> b.kelvin().energySavingPercent(b.baseline()));
        for (SimulationResult.BuildingResult b : List.of(all.stream().max(bySaving).get(), all.stream().min(bySaving).get())) {
            if (!out.contains(b)) {
                out.add(b);
            }
        }
        return out;
    }

    private static void save(JFreeChart chart, Path file, int height) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, height);
    }

    private static int filledSlots(SimulationResult result) {
        return result.buildings().isEmpty() ? 0 : result.buildings().get(0).trace().filledSlots();
    }

    private static JFreeChart fleetPower(SimulationResult result) {
        XYSeries k = new XYSeries("Kelvin", false, true);
        XYSeries b = new XYSeries("baseline schedule", false, true);
        forEachHour(result, (hourStart, slots) -> {
            double kwhK = 0;
            double kwhB = 0;
            for (SimulationResult.BuildingResult r : result.buildings()) {
                for (int s : slots) {
                    kwhK += r.trace().kelvinKwh(s);
                    kwhB += r.trace().baselineKwh(s);
                }
            }
            double hours = slots.size() * FleetSimulator.TRACE_SLOT.toMinutes() / 60.0;
            k.add(hourStart.toEpochMilli(), kwhK / hours);
            b.add(hourStart.toEpochMilli(), kwhB / hours);
        });
        return timeChart("Fleet HVAC electric power", "kW", result, k, b);
    }

    private static JFreeChart fleetTemperature(SimulationResult result) {
        JFreeChart chart = timeChart("Fleet indoor air temperature (floor-area weighted)", "°C", result,
                areaWeightedHourly(result, "Kelvin", BuildingTrace::kelvinAirC),
                areaWeightedHourly(result, "baseline schedule", BuildingTrace::baselineAirC),
                areaWeightedHourly(result, "outdoor", BuildingTrace::outdoorC));
        ((NumberAxis) chart.getXYPlot().getRangeAxis()).setAutoRangeIncludesZero(false);
        return chart;
    }

    private static JFreeChart fleetCo2(SimulationResult result) {
        double area = result.buildings().stream().mapToDouble(r -> r.spec().floorAreaM2()).sum();
        double limit = result.buildings().stream().mapToDouble(r -> r.spec().floorAreaM2() / area * r.spec().profile().getCo2LimitPpm()).sum();
        XYSeries kelvin = areaWeightedHourly(result, "Kelvin", BuildingTrace::kelvinCo2Ppm);
        XYSeries baseline = areaWeightedHourly(result, "baseline schedule", BuildingTrace::baselineCo2Ppm);
        JFreeChart chart = timeChart("Fleet indoor CO₂ (floor-area weighted)", "ppm", result, kelvin, baseline);
        ValueMarker marker = new ValueMarker(limit, Color.GRAY, new BasicStroke(1f));
        marker.setLabel("CO₂ limit");
        marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        chart.getXYPlot().addRangeMarker(marker);
        if (!kelvin.isEmpty()) {
            // The limit stays in view however far below it the fleet's air is.
            double low = Math.min(kelvin.getMinY(), baseline.getMinY());
            double high = Math.max(limit, Math.max(kelvin.getMaxY(), baseline.getMaxY()));
            chart.getXYPlot().getRangeAxis().setRange(low - 0.05 * (high - low), high + 0.08 * (high - low));
        }
        return chart;
    }

    /** A per-slot quantity of one building's trace. */
    private interface SlotValue {
        double at(BuildingTrace trace, int slot);
    }

    /** The fleet's floor-area-weighted hourly mean of {@code value}. */
    private static XYSeries areaWeightedHourly(SimulationResult result, String name, SlotValue value) {
        XYSeries series = new XYSeries(name, false, true);
        double area = result.buildings().stream().mapToDouble(r -> r.spec().floorAreaM2()).sum();
        forEachHour(result, (hourStart, slots) -> {
            double sum = 0;
            for (SimulationResult.BuildingResult r : result.buildings()) {
                double w = r.spec().floorAreaM2() / area / slots.size();
                for (int s : slots) {
                    sum += w * value.at(r.trace(), s);
                }
            }
            series.add(hourStart.toEpochMilli(), sum);
        });
        return series;
    }

    private interface HourVisitor {
        void visit(Instant hourStart, List<Integer> slots);
    }

    private static void forEachHour(SimulationResult result, HourVisitor visitor) {
        int filled = filledSlots(result);
        int perHour = (int) (60 / FleetSimulator.TRACE_SLOT.toMinutes());
        Instant start = result.start();
        for (int first = 0; first < filled; first += perHour) {
            List<Integer> slots = new ArrayList<>();
            for (int s = first; s < Math.min(filled, first + perHour); s++) {
                slots.add(s);
            }
            visitor.visit(start.plus(FleetSimulator.TRACE_SLOT.multipliedBy(first)), slots);
        }
    }

    private static JFreeChart timeChart(String title, String unit, SimulationResult result, XYSeries... series) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (XYSeries s : series) {
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createTimeSeriesChart(title, "simulated time (UTC)", unit, data, true, false, false);
        XYPlot plot = chart.getXYPlot();
        style(plot);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        Color[] colors = {KELVIN, BASELINE, OUTDOOR};
        for (int i = 0; i < series.length; i++) {
            renderer.setSeriesPaint(i, colors[i % colors.length]);
            renderer.setSeriesStroke(i, new BasicStroke(i == 2 ? 1.0f : 1.6f));
        }
        plot.setRenderer(renderer);
        markEvaluationStart(plot, result);
        return chart;
    }

    private static void markEvaluationStart(XYPlot plot, SimulationResult result) {
        if (result.evaluationStart().isAfter(result.start())) {
            ValueMarker marker = new ValueMarker(result.evaluationStart().toEpochMilli(), Color.DARK_GRAY,
                    new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {6, 4}, 0));
            marker.setLabel("evaluation starts");
            marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            marker.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(10, 50, 0, 0));
            plot.addDomainMarker(marker);
        }
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        if (plot.getDomainAxis() instanceof DateAxis axis) {
            axis.setTimeZone(TimeZone.getTimeZone("UTC"));
        }
    }

    private static JFreeChart dailyEnergy(SimulationResult result) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        int filled = filledSlots(result);
        int perDay = (int) (1440 / FleetSimulator.TRACE_SLOT.toMinutes());
        for (int first = 0; first < filled; first += perDay) {
            double k = 0;
            double b = 0;
            for (SimulationResult.BuildingResult r : result.buildings()) {
                for (int s = first; s < Math.min(filled, first + perDay); s++) {
                    k += r.trace().kelvinKwh(s);
                    b += r.trace().baselineKwh(s);
                }
            }
            Instant day = result.start().plus(FleetSimulator.TRACE_SLOT.multipliedBy(first));
            String label = DAY.format(day) + (day.isBefore(result.evaluationStart()) ? " (learning)" : "");
            data.addValue(k, "Kelvin", label);
            data.addValue(b, "baseline schedule", label);
        }
        JFreeChart chart = ChartFactory.createBarChart("Fleet HVAC electricity per day", "day (UTC)", "kWh", data,
                PlotOrientation.VERTICAL, true, false, false);
        styleBars(chart.getCategoryPlot(), data.getColumnCount() > 10);
        return chart;
    }

    private static JFreeChart savings(SimulationResult result) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        result.buildings().stream()
                .sorted(Comparator.comparingDouble(b -> -b.kelvin().energySavingPercent(b.baseline())))
                .forEach(b -> data.addValue(b.kelvin().energySavingPercent(b.baseline()), "energy saving", b.spec().id()));
        JFreeChart chart = ChartFactory.createBarChart("Energy saving per building (Kelvin vs baseline, evaluated period)", "building",
                "% less energy than baseline", data, PlotOrientation.VERTICAL, false, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        styleBars(plot, true);
        plot.getDomainAxis().setTickLabelsVisible(result.buildings().size() <= 40);
        plot.addRangeMarker(new ValueMarker(KpiTable.TARGET_SAVING_PERCENT, Color.GRAY, new BasicStroke(1f)), Layer.FOREGROUND);
        return chart;
    }

    private static void styleBars(CategoryPlot plot, boolean rotate) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, KELVIN);
        renderer.setSeriesPaint(1, BASELINE);
        CategoryAxis axis = plot.getDomainAxis();
        if (rotate) {
            axis.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        }
        axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
    }

    private static JFreeChart building(SimulationResult result, SimulationResult.BuildingResult b) {
        BuildingTrace t = b.trace();
        int filled = t.filledSlots();
        XYSeries airK = new XYSeries("air, Kelvin", false, true);
        XYSeries airB = new XYSeries("air, baseline", false, true);
        XYSeries spK = new XYSeries("setpoint, Kelvin", false, true);
        XYSeries spB = new XYSeries("setpoint, baseline", false, true);
        XYSeries powK = new XYSeries("power, Kelvin", false, true);
        XYSeries powB = new XYSeries("power, baseline", false, true);
        double slotHours = t.slot().toMinutes() / 60.0;
        for (int s = 0; s < filled; s++) {
            long x = t.start().plus(t.slot().multipliedBy(s)).toEpochMilli();
            airK.add(x, t.kelvinAirC(s));
            airB.add(x, t.baselineAirC(s));
            spK.add(x, t.kelvinSetpointC(s));
            spB.add(x, t.baselineSetpointC(s));
            powK.add(x, t.kelvinKwh(s) / slotHours);
            powB.add(x, t.baselineKwh(s) / slotHours);
        }
        XYSeriesCollection temps = new XYSeriesCollection();
        temps.addSeries(airK);
        temps.addSeries(airB);
        temps.addSeries(spK);
        temps.addSeries(spB);
        XYLineAndShapeRenderer tr = new XYLineAndShapeRenderer(true, false);
        tr.setSeriesPaint(0, KELVIN);
        tr.setSeriesPaint(1, BASELINE);
        tr.setSeriesPaint(2, KELVIN);
        tr.setSeriesPaint(3, BASELINE);
        BasicStroke dashed = new BasicStroke(0.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {3, 3}, 0);
        tr.setSeriesStroke(0, new BasicStroke(1.5f));
        tr.setSeriesStroke(1, new BasicStroke(1.5f));
        tr.setSeriesStroke(2, dashed);
        tr.setSeriesStroke(3, dashed);
        NumberAxis tempAxis = new NumberAxis("°C");
        tempAxis.setAutoRangeIncludesZero(false);
        XYPlot tempPlot = new XYPlot(temps, null, tempAxis, tr);
        var profile = b.spec().profile();
        IntervalMarker band = new IntervalMarker(profile.getComfortMinC(), profile.getComfortMaxC(), new Color(0x2C, 0xA0, 0x2C, 40));
        band.setLabel("comfort band (counts while occupied)");
        band.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        tempPlot.addRangeMarker(band, Layer.BACKGROUND);
        style(tempPlot);

        XYSeriesCollection power = new XYSeriesCollection();
        power.addSeries(powK);
        power.addSeries(powB);
        XYLineAndShapeRenderer pr = new XYLineAndShapeRenderer(true, false);
        pr.setSeriesPaint(0, KELVIN);
        pr.setSeriesPaint(1, BASELINE);
        XYPlot powerPlot = new XYPlot(power, null, new NumberAxis("kW (10-min mean)"), pr);
        style(powerPlot);

        DateAxis time = new DateAxis("simulated time (UTC)");
        time.setTimeZone(TimeZone.getTimeZone("UTC"));
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(time);
        combined.add(tempPlot, 3);
        combined.add(powerPlot, 2);
        combined.setGap(8);
        markEvaluationStart(tempPlot, result);
        markEvaluationStart(powerPlot, result);
        return new JFreeChart(b.spec().id() + " — " + profile.getName() + ", " + (int) profile.getFloorAreaM2() + " m²",
                JFreeChart.DEFAULT_TITLE_FONT, combined, true);
    }

    private static String html(SimulationResult result, Map<String, String> charts, String commandLine) {
        StringBuilder h = new StringBuilder();
        Duration evaluated = Duration.between(result.evaluationStart(), result.simulatedUntil());
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Kelvin simulation report</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:1150px;margin:2em auto;color:#222}")
                .append("table{border-collapse:collapse;font-size:13px;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("th{background:#f3f3f3}td.l,th.l{text-align:left}tr.fleet td{font-weight:bold;background:#eef5fb}")
                .append("img{max-width:100%;border:1px solid #ddd;margin:.5em 0}code{background:#f3f3f3;padding:1px 4px}")
                .append(".verdict{font-size:15px;padding:.6em;background:#f7f7f7;border-left:4px solid #1f77b4}</style></head><body>\n");
        h.append("<h1>Kelvin closed-loop simulation</h1>\n");
        h.append("<p>Command: <code>").append(escape(commandLine)).append("</code></p>\n");
        h.append(String.format(Locale.ROOT, "<p>%d buildings, simulated %s to %s; KPIs over %s to %s (%.1f days)%s. "
                        + "Each building runs twice under the same weather and people: once with Kelvin's setpoints through a simulated BMS, "
                        + "once on its BMS's baseline schedule.</p>\n",
                result.buildings().size(), result.start(), result.simulatedUntil().truncatedTo(ChronoUnit.MINUTES), result.evaluationStart(),
                result.simulatedUntil().truncatedTo(ChronoUnit.MINUTES), evaluated.toMinutes() / 1440.0,
                result.complete() ? "" : " — <b>the run was stopped early</b>"));
        h.append("<p class=\"verdict\">").append(escape(KpiTable.verdict(result))).append("</p>\n");

        h.append("<h2>Fleet KPIs</h2>\n<table><tr><th class=\"l\"></th><th>energy kWh</th><th>kWh/m²</th><th>discomfort K·h</th>")
                .append("<th>discomfort K·h per building</th><th>CO₂ above limit ppm·h</th><th>peak kW (15-min, coincident)</th></tr>\n");
        fleetRow(h, "Kelvin", result.fleetKelvin(), result.buildings().size());
        fleetRow(h, "baseline schedule", result.fleetBaseline(), result.buildings().size());
        h.append("</table>\n");

        for (Map.Entry<String, String> chart : charts.entrySet()) {
            h.append("<h3>").append(escape(chart.getValue())).append("</h3>\n<img src=\"").append(chart.getKey()).append("\" alt=\"")
                    .append(escape(chart.getValue())).append("\">\n");
        }

        h.append("<h2>Per building</h2>\n<table><tr><th class=\"l\">building</th><th class=\"l\">city</th><th>m²</th>")
                .append("<th>energy kWh<br>Kelvin</th><th>baseline</th><th>saving %</th><th>kWh/m²<br>Kelvin</th><th>baseline</th>")
                .append("<th>discomfort K·h<br>Kelvin</th><th>baseline</th><th>CO₂ ppm·h<br>Kelvin</th><th>baseline</th>")
                .append("<th>peak kW<br>Kelvin</th><th>baseline</th></tr>\n");
        for (SimulationResult.BuildingResult b : result.buildings()) {
            ControlKpis k = b.kelvin();
            ControlKpis base = b.baseline();
            h.append(String.format(Locale.ROOT,
                    "<tr><td class=\"l\">%s</td><td class=\"l\">%s</td><td>%,.0f</td><td>%,.0f</td><td>%,.0f</td><td>%.1f</td><td>%.3f</td>"
                            + "<td>%.3f</td><td>%.1f</td><td>%.1f</td><td>%.0f</td><td>%.0f</td><td>%.1f</td><td>%.1f</td></tr>%n",
                    b.spec().id(), b.spec().climate().city(), b.spec().floorAreaM2(), k.energyKwh(), base.energyKwh(),
                    k.energySavingPercent(base), k.energyKwhPerM2(), base.energyKwhPerM2(), k.discomfortKh(), base.discomfortKh(),
                    k.co2ExcessPpmH(), base.co2ExcessPpmH(), k.peakKw(), base.peakKw()));
        }
        h.append("</table>\n");

        SimulationResult.LockstepStats ls = result.lockstep();
        SimulationResult.BmsStats bms = result.bms();
        h.append("<h2>Closed loop</h2>\n<ul>")
                .append(String.format(Locale.ROOT, "<li>Lockstep: %,d steps found their setpoints there, %,d waited for them (%.1f s in all), "
                        + "%,d waits timed out%s.</li>", ls.ready(), ls.waits(), ls.waitedMs() / 1000.0, ls.timeouts(),
                        ls.timeouts() == 0 ? " — the KPIs do not depend on machine speed" : " — at those windows the run depended on machine speed"))
                .append(String.format(Locale.ROOT, "<li>Simulated BMSs: %,d commands accepted, %,d duplicates and %,d stale dropped, "
                        + "%,d invalid, %,d clamped to the profile's limits; Kelvin's twins ran on a Kelvin command %.1f %% of the time "
                        + "(the rest on the default schedule: before the first command, or after one expired).</li>",
                        bms.accepted(), bms.duplicates(), bms.stale(), bms.invalid(), bms.clamped(), 100 * bms.commandedShare()));
        for (String note : ls.notes()) {
            h.append("<li>Timeout: ").append(escape(note)).append("</li>");
        }
        h.append("</ul>\n");

        h.append("<h2>Model</h2>\n<p>Each building is a 3R2C grey-box network (indoor air with furnishings, and the structure's thermal mass), "
                + "discretised exactly with the matrix exponential (zero-order hold) at the reading interval; an air-source heat pump and an "
                + "air-cooled chiller whose COP/EER depend on the outdoor temperature; variable-speed fans while the air-handling unit ventilates, at the design "
                + "airflow or the airflow Kelvin commanded from the CO₂ (demand-controlled ventilation), with indoor CO₂ from a mass balance; an ideal "
                + "zone controller with a dead band and capacity limits; occupants, lighting and equipment gains on weekday schedules; solar "
                + "gains; synthetic weather with daily and seasonal cycles and passing fronts. KPIs follow BOPTEST: HVAC electricity, "
                + "thermal discomfort (K·h outside the comfort band while scheduled occupied), indoor air quality discomfort (ppm·h of CO₂ above "
                + "the profile's limit while scheduled occupied) and peak demand (largest 15-minute mean). "
                + "Parameter ranges and their sources:</p>\n<table><tr><th class=\"l\">parameter</th><th class=\"l\">range</th>"
                + "<th class=\"l\">source</th></tr>\n");
        for (FleetGenerator.ParameterRange r : FleetGenerator.RANGES) {
            h.append("<tr><td class=\"l\">").append(escape(r.parameter())).append("</td><td class=\"l\">").append(escape(r.range()))
                    .append("</td><td class=\"l\">").append(escape(r.source())).append("</td></tr>\n");
        }
        h.append("</table>\n</body></html>\n");
        return h.toString();
    }

    private static void fleetRow(StringBuilder h, String name, ControlKpis k, int buildings) {
        h.append(String.format(Locale.ROOT, "<tr class=\"fleet\"><td class=\"l\">%s</td><td>%,.0f</td><td>%.3f</td><td>%,.1f</td><td>%.2f</td>"
                + "<td>%,.0f</td><td>%,.1f</td></tr>%n", name, k.energyKwh(), k.energyKwhPerM2(), k.discomfortKh(),
                k.discomfortKh() / Math.max(1, buildings), k.co2ExcessPpmH(), k.peakKw()));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
