package io.kelvin.serde;

import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.BuildingWindow;
import io.kelvin.schema.DecisionState;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.ModelRelease;
import io.kelvin.schema.PendingWindow;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.TrainingReport;
import org.apache.avro.generic.GenericRecord;

/**
 * The serdes of every Kelvin record type, over one schema registry. Immutable; pass one instance
 * to the topologies, the CLI and the simulator.
 */
public final class KelvinSerdes {

    private final SchemaRegistryClient registry;
    private final AvroSerde<SensorReading> reading;
    private final AvroSerde<BuildingProfile> profile;
    private final AvroSerde<BuildingWindow> window;
    private final AvroSerde<SetpointCommand> setpoint;
    private final AvroSerde<Feedback> feedback;
    private final AvroSerde<DecisionState> decision;
    private final AvroSerde<PendingWindow> pendingWindow;
    private final AvroSerde<ModelRelease> modelRelease;
    private final AvroSerde<TrainingReport> trainingReport;
    private final AvroSerde<GenericRecord> generic;

    public KelvinSerdes(SchemaRegistryClient registry) {
        this.registry = registry;
        this.reading = AvroSerde.specific(registry, SensorReading.class);
        this.profile = AvroSerde.specific(registry, BuildingProfile.class);
        this.window = AvroSerde.specific(registry, BuildingWindow.class);
        this.setpoint = AvroSerde.specific(registry, SetpointCommand.class);
        this.feedback = AvroSerde.specific(registry, Feedback.class);
        this.decision = AvroSerde.specific(registry, DecisionState.class);
        this.pendingWindow = AvroSerde.specific(registry, PendingWindow.class);
        this.modelRelease = AvroSerde.specific(registry, ModelRelease.class);
        this.trainingReport = AvroSerde.specific(registry, TrainingReport.class);
        this.generic = AvroSerde.generic(registry);
    }

    public SchemaRegistryClient registry() {
        return registry;
    }

    public AvroSerde<SensorReading> reading() {
        return reading;
    }

    public AvroSerde<BuildingProfile> profile() {
        return profile;
    }

    public AvroSerde<BuildingWindow> window() {
        return window;
    }

    public AvroSerde<SetpointCommand> setpoint() {
        return setpoint;
    }

    public AvroSerde<Feedback> feedback() {
        return feedback;
    }

    public AvroSerde<DecisionState> decision() {
        return decision;
    }

    public AvroSerde<PendingWindow> pendingWindow() {
        return pendingWindow;
    }

    public AvroSerde<ModelRelease> modelRelease() {
        return modelRelease;
    }

    public AvroSerde<TrainingReport> trainingReport() {
        return trainingReport;
    }

    /** Decodes any Kelvin record with its writer schema. */
    public AvroSerde<GenericRecord> generic() {
        return generic;
    }
}
