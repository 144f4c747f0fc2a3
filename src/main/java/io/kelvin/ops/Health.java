package io.kelvin.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams.State;

/**
 * Liveness and readiness of a service, from its Kafka Streams state.
 *
 * <p>Live unless the client has failed ({@code ERROR}, {@code PENDING_ERROR}) or stopped ({@code
 * NOT_RUNNING}): a restart is the only way back from those. Ready only while {@code RUNNING} and
 * the service reports nothing else missing: not while starting, rebalancing or restoring state
 * (it would not process promptly), and not once it is shutting down.
 */
public record Health(boolean live, boolean ready, State state, List<String> reasons) {

    public static Health of(ServiceStatus status) {
        State state = status.streamsState();
        boolean live = state != State.ERROR && state != State.PENDING_ERROR && state != State.NOT_RUNNING;
        List<String> reasons = new ArrayList<>();
        if (state != State.RUNNING) {
            reasons.add("Kafka Streams is " + state + ", not RUNNING");
        }
        reasons.addAll(status.notReadyReasons());
        return new Health(live, reasons.isEmpty(), state, List.copyOf(reasons));
    }

    Map<String, Object> liveBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", live ? "UP" : "DOWN");
        body.put("streamsState", state.name());
        return body;
    }

    Map<String, Object> readyBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "UP" : "DOWN");
        body.put("streamsState", state.name());
        body.put("reasons", reasons);
        return body;
    }
}
