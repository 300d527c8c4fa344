package dev.theon.ops;

import dev.theon.T;
import dev.theon.graph.Variable;

/** Activation functions built from elementwise ops, so fusion compiles them into the surrounding kernel. */
public final class Activations {
    private Activations() {}

    /**
     * Rectifier: {@code max(x, 0)}, keeping x's dtype; with {@code alpha != 0} the leaky form {@code x > 0 ? x : alpha * x}
     * (Theano's {@code relu(x, alpha)}). NaN stays NaN.
     */
    public static Variable relu(Variable x, double alpha) {
        if (alpha == 0) return T.maximum(x, 0);
        return T.switch_(T.gt(x, 0), x, T.mul(x, alpha));
    }

    /** Exponential linear unit: {@code x > 0 ? x : alpha * (exp(x) - 1)}, with expm1 for accuracy near 0. */
    public static Variable elu(Variable x, double alpha) {
        return T.switch_(T.gt(x, 0), x, T.mul(T.expm1(x), alpha));
    }
}
