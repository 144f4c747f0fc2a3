package io.kelvin.inference;

import static io.kelvin.inference.ModelRejectedException.Reason.BATCH_DEPENDENT;
import static io.kelvin.inference.ModelRejectedException.Reason.CONTRACT_INPUT;
import static io.kelvin.inference.ModelRejectedException.Reason.CONTRACT_OUTPUT;
import static io.kelvin.inference.ModelRejectedException.Reason.DUPLICATE_FEATURE;
import static io.kelvin.inference.ModelRejectedException.Reason.MISSING_METADATA;
import static io.kelvin.inference.ModelRejectedException.Reason.NON_FINITE_OUTPUT;
import static io.kelvin.inference.ModelRejectedException.Reason.PROBE_FAILED;
import static io.kelvin.inference.ModelRejectedException.Reason.UNKNOWN_FEATURE;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.kelvin.optimizer.FeatureBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a loaded session against {@link ModelContract} before it may serve: the declared input
 * and output, the metadata, the feature names, and then real predictions on {@link
 * PlausibleFeatures} rows, one at a time and as one batch.
 */
final class ModelContractCheck {
    /** Rows of the batch probe: enough to cycle through every situation several times. */
    static final int PROBE_BATCH_ROWS = 64;
    /**
     * How far a row's prediction in a batch may differ from the same row alone. Generous because
     * GPU kernels may pick another summation order for another batch size; a model that mixes rows
     * misses by far more.
     */
    private static final double BATCH_TOLERANCE = 1e-3;

    /** What the metadata declares, once it passed. */
    record Contract(List<String> featureNames, String version, Map<String, String> metadata) {}

    private ModelContractCheck() {}

    /** The model's declared contract, or the first way it breaks the rules. */
    static Contract declared(OrtSession session) throws ModelRejectedException, OrtException {
        long width = input(session.getInputInfo());
        output(session.getOutputInfo());
        Map<String, String> metadata = Map.copyOf(session.getMetadata().getCustomMetadata());
        String version = required(metadata, ModelContract.META_VERSION);
        List<String> names = featureNames(required(metadata, ModelContract.META_FEATURE_NAMES));
        if (width != names.size()) {
            throw new ModelRejectedException(CONTRACT_INPUT, "input '" + ModelContract.INPUT + "' has " + width
                    + " columns but " + ModelContract.META_FEATURE_NAMES + " names " + names.size() + " features");
        }
        return new Contract(names, version, metadata);
    }

    /** Returns the input's column count. */
    private static long input(Map<String, NodeInfo> inputs) throws ModelRejectedException {
        if (inputs.size() != 1 || !inputs.containsKey(ModelContract.INPUT)) {
            throw new ModelRejectedException(CONTRACT_INPUT, "expected exactly one input '" + ModelContract.INPUT
                    + "' (float32 [N, F]), found " + inputs.keySet());
        }
        long[] shape = floatMatrix(inputs.get(ModelContract.INPUT), CONTRACT_INPUT);
        if (shape[0] >= 0) {
            throw new ModelRejectedException(CONTRACT_INPUT, "input '" + ModelContract.INPUT + "' has a fixed batch size of "
                    + shape[0] + "; its first dimension must be dynamic (N), or Kelvin cannot batch");
        }
        if (shape[1] < 1) {
            throw new ModelRejectedException(CONTRACT_INPUT, "input '" + ModelContract.INPUT
                    + "' must declare its column count (the number of features), found " + Arrays.toString(shape));
        }
        return shape[1];
    }

    private static void output(Map<String, NodeInfo> outputs) throws ModelRejectedException {
        NodeInfo prediction = outputs.get(ModelContract.OUTPUT);
        if (prediction == null) {
            throw new ModelRejectedException(CONTRACT_OUTPUT, "no output named '" + ModelContract.OUTPUT
                    + "' (float32 [N, 2]), found " + outputs.keySet());
        }
        long[] shape = floatMatrix(prediction, CONTRACT_OUTPUT);
        if (shape[0] >= 0) {
            throw new ModelRejectedException(CONTRACT_OUTPUT, "output '" + ModelContract.OUTPUT + "' has a fixed first dimension of "
                    + shape[0] + "; it must be dynamic (N), one prediction per input row");
        }
        if (shape[1] != ModelContract.OUTPUT_WIDTH) {
            throw new ModelRejectedException(CONTRACT_OUTPUT, "output '" + ModelContract.OUTPUT + "' must be [N, "
                    + ModelContract.OUTPUT_WIDTH + "] (energy kWh, indoor degrees C), found " + Arrays.toString(shape));
        }
    }

    /** The shape of a float32 tensor of rank 2, or a rejection with {@code reason}. */
    private static long[] floatMatrix(NodeInfo node, ModelRejectedException.Reason reason) throws ModelRejectedException {
        if (!(node.getInfo() instanceof TensorInfo tensor)) {
            throw new ModelRejectedException(reason, "'" + node.getName() + "' is not a tensor: " + node.getInfo());
        }
        if (tensor.type != OnnxJavaType.FLOAT) {
            throw new ModelRejectedException(reason, "'" + node.getName() + "' must be float32, found " + tensor.onnxType);
        }
        long[] shape = tensor.getShape();
        if (shape.length != 2) {
            throw new ModelRejectedException(reason, "'" + node.getName() + "' must have rank 2, found shape " + Arrays.toString(shape));
        }
        return shape;
    }

    private static String required(Map<String, String> metadata, String key) throws ModelRejectedException {
        String value = metadata.get(key);
        if (value == null || value.isBlank()) {
            throw new ModelRejectedException(MISSING_METADATA, "metadata_props lacks " + key + " (required: "
                    + ModelContract.REQUIRED_METADATA + "; found " + metadata.keySet() + ")");
        }
        return value.trim();
    }

    private static List<String> featureNames(String commaSeparated) throws ModelRejectedException {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String raw : commaSeparated.split(",", -1)) {
            String name = raw.trim();
            if (!FeatureBuilder.KNOWN_FEATURES.contains(name)) {
                throw new ModelRejectedException(UNKNOWN_FEATURE, "unknown feature '" + name + "' in "
                        + ModelContract.META_FEATURE_NAMES + "; Kelvin fills only " + FeatureBuilder.KNOWN_FEATURES);
            }
            if (!seen.add(name)) {
                throw new ModelRejectedException(DUPLICATE_FEATURE, "feature '" + name + "' is listed twice in "
                        + ModelContract.META_FEATURE_NAMES);
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /**
     * Runs {@link PlausibleFeatures} rows through the model: each situation alone (batch size 1),
     * then {@value #PROBE_BATCH_ROWS} rows at once. Every prediction must be finite, and a row's
     * prediction must not depend on the rows batched with it.
     */
    static void probe(OnnxModel model) throws ModelRejectedException {
        List<String> names = model.featureNames();
        int situations = PlausibleFeatures.situations();
        float[] alone = new float[situations * ModelContract.OUTPUT_WIDTH];
        float[] one = new float[ModelContract.OUTPUT_WIDTH];
        for (int s = 0; s < situations; s++) {
            run(model, PlausibleFeatures.row(names, s), 1, one);
            finite(one, 1, s);
            System.arraycopy(one, 0, alone, s * ModelContract.OUTPUT_WIDTH, ModelContract.OUTPUT_WIDTH);
        }
        float[] batch = new float[PROBE_BATCH_ROWS * ModelContract.OUTPUT_WIDTH];
        run(model, PlausibleFeatures.rows(names, PROBE_BATCH_ROWS), PROBE_BATCH_ROWS, batch);
        finite(batch, PROBE_BATCH_ROWS, -1);
        for (int i = 0; i < batch.length; i++) {
            float expected = alone[i % alone.length];
            if (Math.abs(batch[i] - expected) > BATCH_TOLERANCE * Math.max(1.0, Math.abs(expected))) {
                int row = i / ModelContract.OUTPUT_WIDTH;
                throw new ModelRejectedException(BATCH_DEPENDENT, "row " + row + " of a " + PROBE_BATCH_ROWS
                        + "-row batch predicts " + output(i) + " = " + batch[i] + " but the same row alone predicts " + expected
                        + "; a row's prediction must not depend on the rows batched with it");
            }
        }
    }

    private static void run(OnnxModel model, float[] features, int rows, float[] out) throws ModelRejectedException {
        try {
            model.run(features, rows, out);
        } catch (InferenceException e) {
            throw new ModelRejectedException(PROBE_FAILED, "failed on " + rows + " plausible row(s): " + e.getMessage(), e);
        }
    }

    private static void finite(float[] out, int rows, int situation) throws ModelRejectedException {
        for (int i = 0; i < rows * ModelContract.OUTPUT_WIDTH; i++) {
            if (!Float.isFinite(out[i])) {
                int s = situation >= 0 ? situation : (i / ModelContract.OUTPUT_WIDTH) % PlausibleFeatures.situations();
                throw new ModelRejectedException(NON_FINITE_OUTPUT, "predicts " + output(i) + " = " + out[i]
                        + " for the plausible " + PlausibleFeatures.situationName(s) + " row (batch of " + rows + ")");
            }
        }
    }

    private static String output(int index) {
        return index % ModelContract.OUTPUT_WIDTH == 0 ? "energy" : "indoor temperature";
    }
}
