package io.kelvin.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * The shipped logback.xml, loaded into a logger context of its own with KELVIN_LOG_FORMAT and
 * KELVIN_LOG_LEVEL set as context properties (logback looks them up before the environment), and
 * what it writes to standard error.
 */
class LogFormatTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private LoggerContext context;

    @BeforeEach
    void captureStandardError() {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        if (context != null) {
            context.stop();
        }
    }

    private Logger configure(Map<String, String> properties) throws Exception {
        context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter()); // the adapter MDC.put writes to
        properties.forEach(context::putProperty);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
        return context.getLogger("io.kelvin.optimizer.SetpointOptimizer");
    }

    private List<String> lines() {
        return err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void shouldWriteOneJsonObjectPerEventWithTheKeyValuePairsAndMdc() throws Exception {
        Logger log = configure(Map.of(LogFormat.ENV, "json"));
        MDC.put("decision_id", "b1@2026-11-23T09:10:00Z");
        try {
            log.atWarn().addKeyValue("building_id", "b1").addKeyValue("model_version", "b1-3")
                    .setCause(new IllegalStateException("two\nlines"))
                    .log("No setpoint for building {}", "b1");
        } finally {
            MDC.remove("decision_id");
        }

        List<String> lines = lines();
        assertThat(lines).hasSize(1);
        JsonNode event = new ObjectMapper().readTree(lines.get(0));
        assertThat(event.get("level").asText()).isEqualTo("WARN");
        assertThat(event.get("loggerName").asText()).isEqualTo("io.kelvin.optimizer.SetpointOptimizer");
        assertThat(event.get("formattedMessage").asText()).isEqualTo("No setpoint for building b1");
        assertThat(event.get("mdc").get("decision_id").asText()).isEqualTo("b1@2026-11-23T09:10:00Z");
        assertThat(event.get("kvpList").toString()).contains("\"building_id\":\"b1\"", "\"model_version\":\"b1-3\"");
        assertThat(event.get("throwable").get("message").asText()).isEqualTo("two\nlines");
    }

    @Test
    void shouldWriteTheTextPatternByDefault() throws Exception {
        Logger log = configure(Map.of());
        log.info("Bundled model {} loaded", "bundled-1");

        assertThat(lines()).singleElement().asString()
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[.*\\] i\\.kelvin\\.optimizer\\.SetpointOptimizer - Bundled model bundled-1 loaded");
    }

    @Test
    void shouldHonourTheLevelFromKelvinLogLevel() throws Exception {
        Logger log = configure(Map.of(LogFormat.ENV, "json", LogFormat.LEVEL_ENV, "WARN"));
        log.info("not written");
        log.debug("not written");
        log.warn("written");

        assertThat(lines()).singleElement().asString().contains("\"formattedMessage\":\"written\"");
    }

    @Test
    void shouldReportAnUnknownFormatAndStillWriteText() throws Exception {
        Logger log = configure(Map.of(LogFormat.ENV, "xml"));
        log.warn("still logged");

        List<Status> errors = context.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getLevel() == Status.ERROR).toList();
        assertThat(errors).isNotEmpty();
        assertThat(errors.get(0).getMessage()).contains("KELVIN_LOG_FORMAT must be text or json, was 'xml'");
        assertThat(lines()).anySatisfy(l -> assertThat(l).endsWith(" - still logged"));
    }

    @Test
    void shouldParseTheFormatCaseInsensitivelyAndRefuseOthersByName() {
        assertThat(LogFormat.fromEnvironment(Map.of())).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.fromEnvironment(Map.of(LogFormat.ENV, "JSON"))).isEqualTo(LogFormat.JSON);
        assertThatThrownBy(() -> LogFormat.parse("logfmt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("KELVIN_LOG_FORMAT must be text or json, was 'logfmt'");
    }
}
