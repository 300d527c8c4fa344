package dev.theon.simd;

import dev.theon.TheonException;
import dev.theon.backend.CompileOptions;
import dev.theon.compile.Mode;
import dev.theon.graph.Apply;
import dev.theon.ops.Composite;
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
        for (int j = 0; j < out.length; j++) checkFinite(node, j, out[j], in);
        if (!crossCheck || kernel.isFallback()) return;
        NDArray[] ref = new NDArray[out.length];
        node.op().perform(node, in, ref);
        for (int j = 0; j < out.length; j++) compare(node, kernel, j, out[j], ref[j], in);
    }

    private void checkFinite(Apply node, int j, NDArray a, NDArray[] in) {
        if (!a.dtype().isFloat()) return;
        long n = a.size();
        for (long i = 0; i < n; i++) {
            double v = a.flatDouble(i);
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new TheonException.NanError("node " + Describe.node(node, in) + " produced " + (Double.isNaN(v) ? "NaN" : "Inf")
                        + " in output " + j + " at flat index " + i
                        + (node.op() instanceof Composite c ? insideFused(c, in, a.shape(), i) : "")
                        + " (" + options.mode() + (options.nanGuard() ? ", nan_guard" : "") + " checks every intermediate)");
            }
        }
    }

    /** Which operation of a fused node first gave a non-finite value at flat index {@code flat}, computed again in double. */
    private static String insideFused(Composite c, NDArray[] in, long[] shape, long flat) {
        double[] v = new double[c.nInputs() + c.body().size()];
        for (int i = 0; i < c.nInputs(); i++) v[i] = in[i].broadcastTo(shape).flatDouble(flat);
        for (int k = 0; k < c.body().size(); k++) {
            Composite.Instr ins = c.body().get(k);
            int[] a = ins.args();
            double x = v[a[0]], y = a.length > 1 ? v[a[1]] : 0, z = a.length > 2 ? v[a[2]] : 0;
            double r = ins.op().apply(x, y, z);
            v[c.nInputs() + k] = r;
            if (!Double.isFinite(r) && Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(z)) {
                StringBuilder b = new StringBuilder("; inside the fused node, ").append(ins.op().fname()).append('(');
                for (int i = 0; i < a.length; i++) b.append(i > 0 ? ", " : "").append(v[a[i]]);
                return b.append(") gave ").append(r).append(" first").toString();
            }
        }
        return "";
    }

    private static void compare(Apply node, Kernel kernel, int j, NDArray got, NDArray ref, NDArray[] in) {
        String where = "DEBUG cross-check: node " + Describe.node(node, in) + " output " + j + " (" + kernel.describe() + ")";
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
