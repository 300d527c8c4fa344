package dev.theon.ops;

import dev.theon.graph.Constant;
import dev.theon.graph.Variable;

/**
 * The value of an integer scalar when it is known while the graph is built: a constant, or a {@link ShapeI} of a
 * dim whose static size is known. Creation ops use it to give their outputs static shapes, so
 * {@code T.zeros(dtype, T.shape(x, 0))} knows its size when x's type does.
 */
final class KnownInt {
    private KnownInt() {}

    /** The value (possibly negative), or null when it is only known at run time or {@code v} is not an integer scalar. */
    static Long of(Variable v) {
        if (v.ndim() != 0 || !v.dtype().isDiscrete()) return null;
        if (v instanceof Constant c) return c.value().toLong();
        if (v.owner() != null && v.owner().op() instanceof ShapeI s) {
            long d = v.owner().input(0).type().dim(s.axis());
            return d >= 0 ? d : null;
        }
        return null;
    }
}
