package dev.theon.rewrite;

import dev.theon.graph.Constant;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

/** Questions rewrites ask about constants, and the constants they make. */
final class Consts {
    private Consts() {}

    /** Constants larger than this are not inspected element by element (nor folded into new ones). */
    static final long INSPECT_LIMIT = 1 << 16;

    /** True when {@code c} has at least one element and every element equals {@code v} (compared exactly). */
    static boolean allEqual(Constant c, double v) {
        NDArray a = c.value();
        long n = a.size();
        if (n == 0 || n > INSPECT_LIMIT) return false;
        boolean discrete = a.dtype().isDiscrete();
        if (discrete && v != Math.rint(v)) return false;
        for (long i = 0; i < n; i++) {
            if (discrete ? a.flatLong(i) != (long) v : a.flatDouble(i) != v) return false;
        }
        return true;
    }

    /** True when {@code v} is a constant all of whose elements equal {@code value}. */
    static boolean is(Variable v, double value) { return v instanceof Constant c && allEqual(c, value); }

    /** The single value of a constant with one element, else NaN. */
    static double scalar(Variable v) {
        return v instanceof Constant c && c.value().size() == 1 ? c.value().flatDouble(0) : Double.NaN;
    }

    /** A rank-0 constant of {@code dtype} holding {@code v}. */
    static Constant scalar(DType dtype, double v) {
        return dtype.isDiscrete()
                ? new Constant(TensorType.of(dtype), NDArray.scalarLong(dtype, (long) v), null)
                : Constant.scalar(dtype, v);
    }

    /** A rank-0 constant of {@code like}'s dtype holding {@code v}. */
    static Constant like(Variable like, double v) { return scalar(like.dtype(), v); }

    /** {@code -c} as a constant of c's type (integers wrap as the elementwise negation does). */
    static Constant negated(Constant c) {
        NDArray v = c.value(), r = NDArray.zeros(v.dtype(), v.shape());
        dev.theon.ops.Elemwise.evaluate(dev.theon.ops.ScalarOp.NEG, new NDArray[]{v}, r);
        return new Constant(c.type(), r, null);
    }

    /** True when every element of {@code c} is finite and nonzero. */
    static boolean allFiniteNonzero(Constant c) {
        NDArray a = c.value();
        long n = a.size();
        if (n > INSPECT_LIMIT) return false;
        for (long i = 0; i < n; i++) {
            double d = a.flatDouble(i);
            if (d == 0 || Double.isNaN(d) || Double.isInfinite(d)) return false;
        }
        return true;
    }
}
