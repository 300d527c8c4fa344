package dev.theon.backend;

import dev.theon.TheonException;
import dev.theon.graph.Apply;
import dev.theon.ops.Composite;
import dev.theon.tensor.NDArray;

/**
 * The NaN/Inf check of DEBUG mode and nan_guard, shared by every backend: scans a node's float output and, inside a
 * fused node, works out which operation first gave a non-finite value from finite arguments.
 */
public final class FiniteCheck {
    private FiniteCheck() {}

    /** Throws naming the node (and, in a fused node, the operation) when float output {@code j} holds NaN or Inf. */
    public static void check(Apply node, int j, NDArray a, NDArray[] in, CompileOptions options) {
        if (!a.dtype().isFloat()) return;
        long n = a.size();
        for (long i = 0; i < n; i++) {
            double v = a.flatDouble(i);
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new TheonException.NanError("node " + NodeText.of(node, in) + " produced " + (Double.isNaN(v) ? "NaN" : "Inf")
                        + " in output " + j + " at flat index " + i
                        + (node.op() instanceof Composite c && in != null ? insideFused(c, in, a.shape(), i) : "")
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
            boolean argsFinite = Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(z);
            if (!Double.isFinite(r) && argsFinite) {
                StringBuilder b = new StringBuilder("; inside the fused node, ").append(ins.op().fname()).append('(');
                for (int i = 0; i < a.length; i++) b.append(i > 0 ? ", " : "").append(v[a[i]]);
                return b.append(") gave ").append(r).append(" first").toString();
            }
        }
        return "";
    }

}
