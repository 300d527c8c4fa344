package dev.theon.backend.opencl;

import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.compile.Options;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Runs the same graph on the reference backend (the oracle) and on OpenCL, and compares what they return. */
final class Both {
    private Both() {}

    static Options options(String backend, Supplier<Options> base) { return base.get().backend(backend).onUnusedInput("ignore"); }

    /** The OpenCL function, after checking it against the reference on {@code args}. */
    static Function check(List<Variable> ins, List<Variable> outs, Object[] args, double rtol, double atol) {
        return check(ins, outs, args, rtol, atol, Theon::options);
    }

    static Function check(List<Variable> ins, List<Variable> outs, Object[] args, double rtol, double atol, Supplier<Options> base) {
        Function ref = Theon.function(ins, outs, options("reference", base));
        Function cl = Theon.function(ins, outs, options("opencl", base));
        List<NDArray> expected = ref.callAll(args), actual = cl.callAll(args);
        for (int i = 0; i < expected.size(); i++) assertClose(expected.get(i), actual.get(i), rtol, atol, "output " + i + " (" + outs.get(i) + ")");
        return cl;
    }

    /** Same dtype and shape, and every element within {@code atol + rtol * |expected|} (NaN matches NaN, infinities match exactly). */
    static void assertClose(NDArray expected, NDArray actual, double rtol, double atol, String what) {
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape " + Shapes.str(expected.shape()) + " vs " + Shapes.str(actual.shape()));
        long n = expected.size();
        boolean exact = expected.dtype().isDiscrete();
        for (long i = 0; i < n; i++) {
            if (exact) {
                long e = expected.flatLong(i), a = actual.flatLong(i);
                if (e != a) fail(what + ": element " + i + " is " + a + ", expected " + e + where(expected, actual, i));
                continue;
            }
            double e = expected.flatDouble(i), a = actual.flatDouble(i);
            if (Double.isNaN(e) && Double.isNaN(a)) continue;
            if (Double.isInfinite(e) || Double.isInfinite(a)) {
                if (e != a) fail(what + ": element " + i + " is " + a + ", expected " + e + where(expected, actual, i));
                continue;
            }
            if (!(Math.abs(e - a) <= atol + rtol * Math.abs(e))) fail(what + ": element " + i + " is " + a + ", expected " + e
                    + " (difference " + Math.abs(e - a) + ")" + where(expected, actual, i));
        }
    }

    private static String where(NDArray expected, NDArray actual, long i) {
        return expected.size() <= 64 ? "\nexpected " + expected + "\nactual   " + actual : "";
    }

    /** Random values of a dtype: floats in (-3, 3), integers in [-20, 20], bools; {@code specials} mixes in 0, +-inf and NaN. */
    static NDArray random(DType d, Random rnd, boolean specials, long... shape) {
        NDArray a = NDArray.zeros(d, shape);
        long n = a.size();
        double[] special = {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1.0, -1.0, 0.5};
        for (long i = 0; i < n; i++) {
            if (d.isFloat()) {
                double v = specials && rnd.nextInt(6) == 0 ? special[rnd.nextInt(special.length)] : rnd.nextDouble() * 6 - 3;
                a.setFlatDouble(i, v);
            } else if (d == DType.BOOL) {
                a.setFlatLong(i, rnd.nextBoolean() ? 1 : 0);
            } else {
                a.setFlatLong(i, rnd.nextInt(41) - 20);
            }
        }
        return a;
    }

    static long[] shape(long... s) { return Arrays.copyOf(s, s.length); }
}
