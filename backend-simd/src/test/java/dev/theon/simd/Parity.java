package dev.theon.simd;

import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Helpers of the parity tests: random arrays in several layouts, and running a graph on both backends. */
final class Parity {
    private Parity() {}

    /** How an argument is laid out in memory: its values are the same, only strides and offset differ. */
    enum Lay { CONTIGUOUS, TRANSPOSED, STRIDED }

    /** Random values of a dtype: floats in [lo, hi], integers in [-9, 9] (bool 0/1). */
    static NDArray random(Random r, DType dt, long[] shape, double lo, double hi, Lay lay) {
        NDArray c = NDArray.zeros(dt, shape);
        long n = c.size();
        for (long i = 0; i < n; i++) {
            if (dt == DType.BOOL) c.writeLong(i, r.nextBoolean() ? 1 : 0);
            else if (dt.isDiscrete()) c.writeLong(i, r.nextInt(19) - 9);
            else c.writeDouble(i, lo + (hi - lo) * r.nextDouble());
        }
        return relayout(c, lay);
    }

    /** The same values as {@code c} in another layout (a transposed view of a copy, or a step-2 slice of a bigger array). */
    static NDArray relayout(NDArray c, Lay lay) {
        long[] shape = c.shape();
        switch (lay) {
            case TRANSPOSED -> {
                if (shape.length < 2) return c;
                int nd = shape.length;
                int[] perm = new int[nd];
                for (int d = 0; d < nd; d++) perm[d] = nd - 1 - d;
                NDArray t = c.transpose(perm).copy();  // storage in reversed axis order
                return t.transpose(perm);            // a non-contiguous view with the original shape
            }
            case STRIDED -> {
                if (shape.length == 0) return c;
                long[] big = shape.clone();
                int last = shape.length - 1;
                big[last] = shape[last] * 2;
                NDArray b = NDArray.zeros(c.dtype(), big);
                NDArray v = b.slice(last, 0, big[last], 2);
                c.copyInto(v);
                return v;
            }
            default -> { return c; }
        }
    }

    static Function simd(List<Variable> in, List<Variable> out) { return Theon.function(in, out, Theon.options().backend("simd").onUnusedInput("ignore")); }
    static Function reference(List<Variable> in, List<Variable> out) { return Theon.function(in, out, Theon.options().backend("reference").onUnusedInput("ignore")); }

    /** Runs the graph on both backends and compares every output within {@code ulps} (0: bit for bit, NaN = NaN). */
    static List<NDArray> both(List<Variable> in, List<Variable> out, Object[] args, double ulps, String what) {
        List<NDArray> s = simd(in, out).callAll(args);
        List<NDArray> r = reference(in, out).callAll(args);
        for (int j = 0; j < out.size(); j++) close(s.get(j), r.get(j), ulps, what + " output " + j);
        return s;
    }

    /** Same dtype and shape; integers exactly; floats within {@code ulps} units in the last place of the expected value. */
    static void close(NDArray got, NDArray want, double ulps, String what) {
        assertEquals(want.dtype(), got.dtype(), what + ": dtype");
        assertArrayEquals(want.shape(), got.shape(), what + ": shape " + Arrays.toString(got.shape()) + " vs " + Arrays.toString(want.shape()));
        long n = want.size();
        for (long i = 0; i < n; i++) {
            if (want.dtype().isDiscrete()) {
                if (got.flatLong(i) != want.flatLong(i)) fail(what + ": at flat " + i + " got " + got.flatLong(i) + " want " + want.flatLong(i));
                continue;
            }
            double g = got.flatDouble(i), w = want.flatDouble(i);
            if (Double.isNaN(w) || Double.isNaN(g)) {
                if (Double.isNaN(w) != Double.isNaN(g)) fail(what + ": at flat " + i + " got " + g + " want " + w);
                continue;
            }
            if (g == w) continue;
            double ulp = want.dtype() == DType.FLOAT32 ? Math.ulp((float) w) : Math.ulp(w);
            // near zero, a result's error is measured against the ulp of 1 scaled down to the operands' magnitude
            double tol = ulps * Math.max(ulp, want.dtype() == DType.FLOAT32 ? 1e-30 : 1e-300);
            if (!(Math.abs(g - w) <= tol))
                fail(what + ": at flat " + i + " got " + g + " want " + w + " (" + Math.abs(g - w) / ulp + " ulps, allowed " + ulps + ")");
        }
    }

    /** Elementwise absolute closeness, for results summed in a different order. */
    static void near(NDArray got, NDArray want, double rtol, String what) {
        assertEquals(want.dtype(), got.dtype(), what + ": dtype");
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        long n = want.size();
        double scale = 0;
        for (long i = 0; i < n; i++) if (Double.isFinite(want.flatDouble(i))) scale = Math.max(scale, Math.abs(want.flatDouble(i)));
        for (long i = 0; i < n; i++) {
            double g = got.flatDouble(i), w = want.flatDouble(i);
            if (Double.isNaN(w) && Double.isNaN(g) || g == w) continue;
            if (!(Math.abs(g - w) <= rtol * (Math.abs(w) + scale)))
                fail(what + ": at flat " + i + " got " + g + " want " + w + " (rtol " + rtol + ", scale " + scale + ")");
        }
    }
}
