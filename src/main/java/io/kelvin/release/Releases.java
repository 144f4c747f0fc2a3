package io.kelvin.release;

import io.kelvin.inference.ModelContract;
import io.kelvin.optimizer.ModelSource;
import io.kelvin.optimizer.PredictionModel;
import io.kelvin.schema.ModelRelease;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

/** Builds {@link ModelRelease} records from a validated model and its bytes. */
public final class Releases {
    /** Producer recorded when a model's metadata names none. */
    public static final String EXTERNAL = "external";

    private Releases() {}

    /**
     * A release of {@code model} (already loaded and validated from {@code onnx}) under
     * {@code key}: inline bytes, or only {@code uri} and the digest when {@code uri} is given.
     */
    public static ModelRelease of(String key, byte[] onnx, PredictionModel model, Map<String, String> metadata,
                                  String uri, Instant createdAt) {
        return ModelRelease.newBuilder()
                .setModelKey(key)
                .setVersion(model.version())
                .setCreatedAt(createdAt)
                .setOnnx(uri == null ? ByteBuffer.wrap(onnx) : null)
                .setUri(uri)
                .setSha256(ModelSource.sha256Hex(onnx))
                .setFeatureNames(model.featureNames())
                .setProducer(metadata.getOrDefault(ModelContract.META_PRODUCER, EXTERNAL))
                .setTrainingRows(parseLong(metadata.get(ModelContract.META_TRAINING_ROWS)))
                .setHoldoutMaeEnergyKwh(parseDouble(metadata.get(ModelContract.META_HOLDOUT_MAE_ENERGY_KWH)))
                .setHoldoutMaeIndoorC(parseDouble(metadata.get(ModelContract.META_HOLDOUT_MAE_INDOOR_C)))
                .build();
    }

    /** {@code release} published again as of {@code at}: what a rollback appends. */
    public static ModelRelease republished(ModelRelease release, Instant at) {
        return ModelRelease.newBuilder(release).setCreatedAt(at).build();
    }

    /** Size of the model in the record, or -1 when it is fetched by URI. */
    public static long inlineBytes(ModelRelease release) {
        return release.getOnnx() == null ? -1 : release.getOnnx().remaining();
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Double parseDouble(String value) {
        try {
            return value == null ? null : Double.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
