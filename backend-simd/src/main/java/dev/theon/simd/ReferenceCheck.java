package dev.theon.simd;

import dev.theon.TheonException;
import dev.theon.backend.CompileOptions;
import dev.theon.backend.FiniteCheck;
import dev.theon.backend.NodeText;
import dev.theon.compile.Mode;
import dev.theon.graph.Apply;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.Arrays;

/**
 * The checks of DEBUG mode and nan_guard, run after every node. NaN/Inf: every float output of every node. In DEBUG
 * mode each node that ran a SIMD kernel is also run again through its reference {@code perform} on the same inputs,
 * and the outputs are compared node by node (so a difference is reported at the node that made it, not where it
 * surfaces): dtype and shape must match, integers and bools exactly, floats to within
 * {@code |simd - ref| <= rtol * (|ref| + max|ref|)}, with rtol 1e-4 for float32 (SIMD transcendentals and summation
 * order differ from the reference's float64 evaluation by a few ulps) and 1e-10 for float64. NaN must meet NaN and
 * an infinity the same infinity.
 */
final class ReferenceCheck {
    static final double RTOL_F32 = 1e-4, RTOL_F64 = 1e-10;

    private final CompileOptions options;
    private final boolean crossCheck;

    ReferenceCheck(CompileOptions options) {
        this.options = options;
        this.crossCheck = options.mode() == Mode.DEBUG;
    }

    void afterNode(Apply node, Kernel kernel, NDArray[] in, NDArray[] out) {
        for (int j = 0; j < out.length; j++) FiniteCheck.check(node, j, out[j], in, options);
        if (!crossCheck || kernel.isFallback()) return;
        NDArray[] ref = new NDArray[out.length];
        node.op().perform(node, in, ref);
        for (int j = 0; j < out.length; j++) compare(node, kernel, j, out[j], ref[j], in);
    }

    private static void compare(Apply node, Kernel kernel, int j, NDArray got, NDArray ref, NDArray[] in) {
        String where = "DEBUG cross-check: node " + NodeText.of(node, in) + " output " + j + " (" + kernel.describe() + ")";
        if (got.dtype() != ref.dtype() || !Arrays.equals(got.shape(), ref.shape()))
            throw new TheonException.RuntimeError(where + " is " + got.dtype() + " " + Shapes.str(got.shape()) + " but the reference perform gives "
                    + ref.dtype() + " " + Shapes.str(ref.shape()), null);
        long n = ref.size();
        if (ref.dtype().isDiscrete()) {
            for (long i = 0; i < n; i++) {
                if (got.flatLong(i) != ref.flatLong(i))
                    throw new TheonException.RuntimeError(where + " differs from the reference perform at flat index " + i + ": "
                            + got.flatLong(i) + " != " + ref.flatLong(i), null);
            }
            return;
        }
        double rtol = ref.dtype() == dev.theon.tensor.DType.FLOAT32 ? RTOL_F32 : RTOL_F64;
        double scale = 0;
        for (long i = 0; i < n; i++) { double r = Math.abs(ref.flatDouble(i)); if (Double.isFinite(r)) scale = Math.max(scale, r); }
        for (long i = 0; i < n; i++) {
            double g = got.flatDouble(i), r = ref.flatDouble(i);
            boolean ok = Double.isNaN(r) ? Double.isNaN(g) : Double.isInfinite(r) ? g == r : Math.abs(g - r) <= rtol * (Math.abs(r) + scale);
            if (!ok)
                throw new TheonException.RuntimeError(where + " differs from the reference perform at flat index " + i + ": " + g + " vs " + r
                        + " (tolerance " + rtol + " relative to the value plus the largest magnitude " + scale + ")", null);
        }
    }
}
