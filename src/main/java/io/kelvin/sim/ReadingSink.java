package io.kelvin.sim;

import io.kelvin.schema.SensorReading;

/** Where the simulated devices' readings go: Kafka in a run, a list in tests. */
public interface ReadingSink {

    /** Publishes one reading, keyed by its building id. */
    void publish(SensorReading reading);

    /** Sends whatever is buffered; called before the simulation waits for setpoints. */
    void flush();
}
