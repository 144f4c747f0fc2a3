package io.kelvin.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.kelvin.inference.ModelContract;
import io.kelvin.inference.OnnxRuntimeEnvironment;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Proves an exported model is the Java model: loads the bytes through ONNX Runtime, checks the
 * contract (input and output names, output width, feature names in the metadata), predicts the
 * given rows, and compares with {@link ThermalModel#predict} on the same float32 inputs. Any
 * difference beyond float tolerance is a {@link ModelExportException}, so a wrong graph is never
 * published. Rows missing an input the model reads are not compared (Kelvin never feeds them).
 */
public final class OnnxRoundTrip {
    /** ONNX Runtime computes in float32, Java in double: allowed {@code |onnx - java| <= ABS + REL * |java|}. */
    public static final double ABSOLUTE_TOLERANCE = 1e-4;
    public static final double RELATIVE_TOLERANCE = 1e-5;

    private OnnxRoundTrip() {}

    /** What a passed check compared. */
    public record Result(int rows, double maxAbsDifferenceEnergyKwh, double maxAbsDifferenceIndoorC) {}

    public static Result verify(byte[] onnx, ThermalModel model, List<TrainingRow> rows) {
        List<String> inputs = model.inputs();
        List<TrainingRow> usable = rows.stream()
                .filter(r -> inputs.stream().allMatch(n -> Double.isFinite(r.feature(n))))
                .toList();
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("No rows with every input " + inputs + " to check the export on");
        }
        int width = inputs.size();
        float[] flat = new float[usable.size() * width];
        for (int i = 0; i < usable.size(); i++) {
            for (int j = 0; j < width; j++) {
                flat[i * width + j] = (float) usable.get(i).feature(inputs.get(j));
            }
        }
        float[][] onnxOut = run(onnx, inputs, flat, usable.size());

        double maxEnergy = 0;
        double maxIndoor = 0;
        Map<String, Double> row = new HashMap<>();
        for (int i = 0; i < usable.size(); i++) {
            for (int j = 0; j < width; j++) {
                row.put(inputs.get(j), (double) flat[i * width + j]);
            }
            Prediction expected = model.predict(row);
            double dEnergy = Math.abs(onnxOut[i][0] - expected.energyKwh());
            double dIndoor = Math.abs(onnxOut[i][1] - expected.indoorC());
            if (!(dEnergy <= tolerance(expected.energyKwh())) || !(dIndoor <= tolerance(expected.indoorC()))) {
                throw new ModelExportException(String.format(
                        "ONNX Runtime disagrees with the Java model on row %d of %d (building %s at %d): energy %s vs %s kWh, indoor %s vs %s C; inputs %s",
                        i, usable.size(), usable.get(i).buildingId(), usable.get(i).decidedAtMs(), onnxOut[i][0], expected.energyKwh(),
                        onnxOut[i][1], expected.indoorC(), row));
            }
            maxEnergy = Math.max(maxEnergy, dEnergy);
            maxIndoor = Math.max(maxIndoor, dIndoor);
        }
        return new Result(usable.size(), maxEnergy, maxIndoor);
    }

    private static double tolerance(double expected) {
        return ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * Math.abs(expected);
    }

    private static float[][] run(byte[] onnx, List<String> inputs, float[] flat, int rows) {
        OrtEnvironment env = OnnxRuntimeEnvironment.get();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(onnx, options)) {
                checkContract(session, inputs);
                try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), new long[] {rows, inputs.size()});
                     OrtSession.Result result = session.run(Map.of(ModelContract.INPUT, tensor))) {
                    OnnxValue value = result.get(ModelContract.OUTPUT)
                            .orElseThrow(() -> new ModelExportException("The model produced no " + ModelContract.OUTPUT));
                    float[][] out = (float[][]) value.getValue();
                    if (out.length != rows || (rows > 0 && out[0].length != ModelContract.OUTPUT_WIDTH)) {
                        throw new ModelExportException("Output " + ModelContract.OUTPUT + " is [" + out.length + ", "
                                + (out.length == 0 ? 0 : out[0].length) + "], expected [" + rows + ", " + ModelContract.OUTPUT_WIDTH + "]");
                    }
                    return out;
                }
            }
        } catch (OrtException e) {
            throw new ModelExportException("ONNX Runtime could not load or run the exported model: " + e.getMessage(), e);
        }
    }

    private static void checkContract(OrtSession session, List<String> inputs) throws OrtException {
        if (!session.getInputNames().equals(Set.of(ModelContract.INPUT)) || !session.getOutputNames().equals(Set.of(ModelContract.OUTPUT))) {
            throw new ModelExportException("Expected input " + ModelContract.INPUT + " and output " + ModelContract.OUTPUT
                    + ", the graph has " + session.getInputNames() + " -> " + session.getOutputNames());
        }
        String names = session.getMetadata().getCustomMetadata().get(ModelContract.META_FEATURE_NAMES);
        if (!String.join(",", inputs).equals(names)) {
            throw new ModelExportException("Metadata " + ModelContract.META_FEATURE_NAMES + " is '" + names + "', the model reads " + inputs);
        }
    }
}
