package io.kelvin.optimizer;

import io.kelvin.schema.ModelRelease;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global store {@value OptimizerTopology#MODELS_STORE} and the {@link ModelCatalog} in
 * step with {@code kelvin.models}: the store holds, per model key, the release that serves (an
 * accepted one, never a rejected one), and the catalog the loaded model. Kafka Streams replays
 * the topic through this processor when it restores the global store, so every start validates
 * and loads the releases again instead of trusting what a previous run stored.
 */
final class ModelReleaseProcessor implements Processor<String, ModelRelease, Void, Void> {
    private final ModelCatalog catalog;
    private KeyValueStore<String, ModelRelease> store;

    ModelReleaseProcessor(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(OptimizerTopology.MODELS_STORE);
    }

    @Override
    public void process(Record<String, ModelRelease> record) {
        String key = record.key();
        if (key == null) {
            return; // no model key: nothing it could serve (the producer side refuses such records)
        }
        if (catalog.apply(key, record.value())) {
            store.put(key, record.value());
        } else if (record.value() == null) {
            store.delete(key);
        }
    }
}
