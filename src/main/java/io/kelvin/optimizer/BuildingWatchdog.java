package io.kelvin.optimizer;

import io.kelvin.config.KelvinConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds buildings the optimizer has stopped deciding for, by the wall clock.
 *
 * <p>Kafka Streams closes a window only when stream time passes its end plus grace, and stream
 * time advances only when records arrive on that partition: a building whose readings stop gets
 * no further window, no command, and nothing in the topology notices. So the optimizer tells the
 * watchdog, by wall clock, when each building it owns was last commanded (or, before its first
 * command, first seen); a building commanded longer ago than {@code kelvin.watchdog.stale.after.ms}
 * is stale. Stale buildings are counted by the gauge {@value #STALE} and listed on {@code /info},
 * and {@link #check} logs each building once when it becomes stale and once when it recovers.
 *
 * <p>Buildings are watched by the instance whose task owns them: a task that closes (moved to
 * another instance in a rebalance, or shut down) forgets its buildings, so they are not reported
 * stale here while another instance decides for them. One per optimizer process, shared by its
 * stream threads; every method is thread-safe and reads time only from the injected clock.
 */
public final class BuildingWatchdog {
    /** Buildings without a command for longer than the limit [kelvin_buildings_stale]. */
    public static final String STALE = "kelvin.buildings.stale";
    /** Buildings this instance watches (those of its tasks) [kelvin_buildings_watched]. */
    public static final String WATCHED = "kelvin.buildings.watched";
    private static final Logger log = LoggerFactory.getLogger(BuildingWatchdog.class);

    private final Clock clock;
    private final Duration staleAfter;
    private final Map<String, Long> lastCommandMs = new ConcurrentHashMap<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    public BuildingWatchdog(Clock clock, Duration staleAfter) {
        this.clock = clock;
        this.staleAfter = staleAfter;
    }

    public static BuildingWatchdog fromConfig(KelvinConfig config, Clock clock) {
        return new BuildingWatchdog(clock, Duration.ofMillis(config.getLong(KelvinConfig.WATCHDOG_STALE_AFTER_MS_CONFIG)));
    }

    /** Registers the gauges {@value #STALE} and {@value #WATCHED}. */
    public BuildingWatchdog bindTo(MeterRegistry registry) {
        Gauge.builder(STALE, this, w -> w.staleBuildings().size())
                .description("Buildings without a setpoint command for longer than kelvin.watchdog.stale.after.ms (wall clock)")
                .register(registry);
        Gauge.builder(WATCHED, lastCommandMs, Map::size)
                .description("Buildings this optimizer instance watches (those of its tasks)")
                .register(registry);
        return this;
    }

    /** {@code buildingId} belongs to this instance; its clock starts now unless it is watched already. */
    void watch(String buildingId) {
        lastCommandMs.putIfAbsent(buildingId, clock.millis());
    }

    /** A command was emitted for {@code buildingId} now. */
    void commanded(String buildingId) {
        lastCommandMs.put(buildingId, clock.millis());
    }

    /** These buildings are no longer this instance's (their task closed). */
    void forget(Collection<String> buildingIds) {
        buildingIds.forEach(id -> {
            lastCommandMs.remove(id);
            reported.remove(id);
        });
    }

    /** Stale buildings now, sorted. */
    public List<String> staleBuildings() {
        long limit = clock.millis() - staleAfter.toMillis();
        List<String> stale = new ArrayList<>();
        lastCommandMs.forEach((id, last) -> {
            if (last < limit) {
                stale.add(id);
            }
        });
        stale.sort(null);
        return stale;
    }

    /** When {@code buildingId} was last commanded (or first seen), if it is watched. */
    public Instant lastCommand(String buildingId) {
        Long ms = lastCommandMs.get(buildingId);
        return ms == null ? null : Instant.ofEpochMilli(ms);
    }

    /**
     * Logs buildings that became stale since the last check (a warning each) and those that
     * recovered; returns the newly stale ones.
     */
    public List<String> check() {
        List<String> stale = staleBuildings();
        List<String> fresh = new ArrayList<>();
        for (String id : stale) {
            if (reported.add(id)) {
                fresh.add(id);
                log.atWarn().addKeyValue("building_id", id).addKeyValue("last_command", lastCommand(id))
                        .log("Building {} has had no setpoint command for more than {} (its readings may have stopped)", id, staleAfter);
            }
        }
        Set<String> now = new HashSet<>(stale);
        for (String id : List.copyOf(reported)) {
            if (!now.contains(id)) {
                reported.remove(id);
                log.atInfo().addKeyValue("building_id", id).log("Building {} is optimized again", id);
            }
        }
        return fresh;
    }
}
