package io.kelvin.model;

import ai.onnx.proto.OnnxMl;
import io.kelvin.inference.KelvinOnnxOperators;
import io.kelvin.inference.ModelContract;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The ONNX graph of a {@link ThermalModel}, computing the engineered terms inside the graph from
 * the raw {@value ModelContract#INPUT} columns, so that any ONNX runtime fed the contract's
 * features gets the model's predictions:
 *
 * <pre>
 *   column_i = Gather(features, [i], axis 1)                   [N,1] per raw input
 *   terms    = Concat(term_1 .. term_k, axis 1)                [N,k] Sub / Div / Relu of columns
 *   linear   = Gemm((terms - mean) / scale, W [k,2], b [2])    [N,2] energy per m2, indoor change
 *   prediction = Concat(Relu(linear[:,0] * floor_area), linear[:,1] + indoor_last)
 * </pre>
 * Opset 17 names no operator that changed meaning for float tensors since Tribuo's opset 13
 * definitions (Gather, Concat, Sub, Div, Mul, Add, Gemm) or Relu-14.
 */
final class ThermalGraph {
    private final ONNXContext ctx = new ONNXContext();
    private final ONNXPlaceholder features;
    private final List<String> inputs;
    private final Map<Term, ONNXRef<?>> emitted = new HashMap<>();

    private ThermalGraph(List<String> inputs) {
        this.inputs = inputs;
        ctx.setName("kelvin_thermal_ridge");
        this.features = ctx.floatInput(ModelContract.INPUT, inputs.size());
    }

    static OnnxMl.GraphProto build(ThermalModel model) {
        return new ThermalGraph(model.inputs()).emit(model);
    }

    private OnnxMl.GraphProto emit(ThermalModel model) {
        ONNXPlaceholder prediction = ctx.floatOutput(ModelContract.OUTPUT, ModelContract.OUTPUT_WIDTH);
        List<Term> terms = model.design().terms();
        List<ONNXRef<?>> columns = new ArrayList<>(terms.size());
        for (Term t : terms) {
            columns.add(term(t));
        }
        ONNXRef<?> engineered = ctx.operation(ONNXOperators.CONCAT, columns, "terms", Map.<String, Object>of("axis", 1));
        Standardizer std = model.standardizer();
        ONNXRef<?> centred = op(ONNXOperators.SUB, engineered, ctx.array("term_mean", std.mean()), "terms_centred");
        ONNXRef<?> standardised = op(ONNXOperators.DIV, centred, ctx.array("term_scale", std.scale()), "terms_standardised");

        double[] energy = model.energyPerM2().coefficients();
        double[] indoor = model.indoorChange().coefficients();
        ONNXRef<?> weights = ctx.floatTensor("weights", List.of(terms.size(), 2), buffer -> {
            for (int j = 0; j < terms.size(); j++) {
                buffer.put((float) energy[j]);
                buffer.put((float) indoor[j]);
            }
        });
        ONNXRef<?> bias = ctx.array("bias", new double[] {model.energyPerM2().intercept(), model.indoorChange().intercept()});
        ONNXRef<?> linear = ctx.operation(ONNXOperators.GEMM, List.of(standardised, weights, bias), "linear");

        ONNXRef<?> perM2 = gather(linear, 0, "energy_per_m2");
        ONNXRef<?> scaled = op(ONNXOperators.MUL, perM2, term(Term.raw(FeatureDesign.FLOOR_AREA)), "energy_scaled");
        ONNXRef<?> energyKwh = ctx.operation(KelvinOnnxOperators.RELU, List.of(scaled), "energy_kwh", Map.of());
        ONNXRef<?> change = gather(linear, 1, "indoor_change");
        ONNXRef<?> indoorC = op(ONNXOperators.ADD, change, term(Term.raw(FeatureDesign.INDOOR_LAST)), "indoor_c");
        ctx.operation(ONNXOperators.CONCAT, List.of(energyKwh, indoorC), "prediction_columns", Map.<String, Object>of("axis", 1))
                .assignTo(prediction);
        return ctx.buildGraph();
    }

    /** The [N,1] node of a term, emitting each distinct sub-expression once. */
    private ONNXRef<?> term(Term t) {
        ONNXRef<?> done = emitted.get(t);
        if (done != null) {
            return done;
        }
        ONNXRef<?> node;
        if (t instanceof Term.Raw raw) {
            int index = inputs.indexOf(raw.name());
            if (index < 0) {
                throw new IllegalStateException("Term reads " + raw.name() + ", which is not an input " + inputs);
            }
            node = gather(features, index, "column_" + raw.name());
        } else if (t instanceof Term.Difference d) {
            node = op(ONNXOperators.SUB, term(d.left()), term(d.right()), "term");
        } else if (t instanceof Term.Ratio r) {
            node = op(ONNXOperators.DIV, term(r.numerator()), term(r.denominator()), "term");
        } else if (t instanceof Term.Product p) {
            node = op(ONNXOperators.MUL, term(p.left()), term(p.right()), "term");
        } else if (t instanceof Term.PositivePart p) {
            node = ctx.operation(KelvinOnnxOperators.RELU, List.of(term(p.inner())), "term", Map.of());
        } else {
            throw new IllegalStateException("No ONNX form for " + t);
        }
        emitted.put(t, node);
        return node;
    }

    /** Column {@code index} of a [N,M] node as [N,1]. */
    private ONNXRef<?> gather(ONNXRef<?> from, int index, String name) {
        ONNXRef<?> indices = ctx.array(name + "_index", new long[] {index});
        return ctx.operation(ONNXOperators.GATHER, List.of(from, indices), name, Map.<String, Object>of("axis", 1));
    }

    private ONNXRef<?> op(ONNXOperator op, ONNXRef<?> left, ONNXRef<?> right, String name) {
        return ctx.operation(op, List.of(left, right), name, Map.of());
    }
}
