package io.kelvin.model;

import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * One engineered input of a linear model: an expression over the raw contract features (the
 * names of {@link io.kelvin.optimizer.FeatureBuilder#KNOWN_FEATURES}). The same expression is
 * evaluated here in Java and emitted into the exported ONNX graph by {@link ThermalGraph}, so
 * the model a data scientist reads, the model Kelvin trains and the model ONNX Runtime runs are
 * one function. Only what thermal features need: differences, ratios and the positive part
 * (a hinge, {@code max(0, x)}: heating starts only once the setpoint exceeds a temperature).
 */
public sealed interface Term permits Term.Raw, Term.Difference, Term.Ratio, Term.Product, Term.PositivePart {

    /** The raw feature called {@code name}. */
    static Term raw(String name) {
        return new Raw(name);
    }

    /** {@code this - other}. */
    default Term minus(Term other) {
        return new Difference(this, other);
    }

    /** {@code this / other}. */
    default Term per(Term other) {
        return new Ratio(this, other);
    }

    /** {@code this * other}. */
    default Term times(Term other) {
        return new Product(this, other);
    }

    /** {@code max(0, this)}. */
    default Term positivePart() {
        return new PositivePart(this);
    }

    /** Its value, reading raw features through {@code raw}. */
    double eval(ToDoubleFunction<String> raw);

    /** Adds the raw feature names it reads to {@code into}. */
    void collectInputs(Set<String> into);

    /** A readable formula, for model cards and reports. */
    String label();

    /** A raw contract feature. */
    record Raw(String name) implements Term {
        public double eval(ToDoubleFunction<String> raw) {
            return raw.applyAsDouble(name);
        }

        public void collectInputs(Set<String> into) {
            into.add(name);
        }

        public String label() {
            return name;
        }
    }

    /** {@code left - right}. */
    record Difference(Term left, Term right) implements Term {
        public double eval(ToDoubleFunction<String> raw) {
            return left.eval(raw) - right.eval(raw);
        }

        public void collectInputs(Set<String> into) {
            left.collectInputs(into);
            right.collectInputs(into);
        }

        public String label() {
            return left.label() + " - " + right.label();
        }
    }

    /** {@code numerator / denominator}. */
    record Ratio(Term numerator, Term denominator) implements Term {
        public double eval(ToDoubleFunction<String> raw) {
            return numerator.eval(raw) / denominator.eval(raw);
        }

        public void collectInputs(Set<String> into) {
            numerator.collectInputs(into);
            denominator.collectInputs(into);
        }

        public String label() {
            return wrap(numerator) + " / " + wrap(denominator);
        }

        static String wrap(Term t) {
            return t instanceof Difference || t instanceof Ratio || t instanceof Product ? "(" + t.label() + ")" : t.label();
        }
    }

    /** {@code left * right}. */
    record Product(Term left, Term right) implements Term {
        public double eval(ToDoubleFunction<String> raw) {
            return left.eval(raw) * right.eval(raw);
        }

        public void collectInputs(Set<String> into) {
            left.collectInputs(into);
            right.collectInputs(into);
        }

        public String label() {
            return Ratio.wrap(left) + " * " + Ratio.wrap(right);
        }
    }

    /** {@code max(0, inner)}. */
    record PositivePart(Term inner) implements Term {
        public double eval(ToDoubleFunction<String> raw) {
            return Math.max(0.0, inner.eval(raw));
        }

        public void collectInputs(Set<String> into) {
            inner.collectInputs(into);
        }

        public String label() {
            return "max(0, " + inner.label() + ")";
        }
    }
}
