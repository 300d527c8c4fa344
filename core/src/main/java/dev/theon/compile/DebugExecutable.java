package dev.theon.compile;

import dev.theon.TheonException;
import dev.theon.backend.Executable;
import dev.theon.graph.FunctionGraph;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.List;

/**
 * DEBUG mode's check of the rewrites: every call runs the rewritten graph on the chosen backend (which, in DEBUG,
 * also checks every node for NaN/Inf) and then the graph with only its stability rewrites, op by op on the reference
 * backend, and compares the outputs. A wrong rewrite, or a wrong inplace mark, shows up as a difference naming the
 * output. The stability rewrites are in the oracle because they change values on purpose (the unstable form may be
 * infinite, or inaccurate in float32); where the oracle still gives NaN or Inf any value is accepted.
 */
final class DebugExecutable implements Executable {
    private final Executable main;
    private final Executable plain;
    private final List<String> labels;
    private final String rewrites;

    DebugExecutable(Executable main, Executable plain, List<String> labels, String rewrites) {
        this.main = main;
        this.plain = plain;
        this.labels = List.copyOf(labels);
        this.rewrites = rewrites;
    }

    @Override public NDArray[] run(NDArray[] inputs) {
        NDArray[] got = main.run(inputs);
        NDArray[] want = plain.run(inputs);
        for (int i = 0; i < got.length; i++) compare(i, got[i], want[i]);
        return got;
    }

    private void compare(int i, NDArray got, NDArray want) {
        String what = "DEBUG mode: " + labels.get(i) + " of the rewritten graph differs from the graph without speed rewrites run op by op on the reference backend: ";
        String tail = " (rewrites applied: " + rewrites + "; compile with Theon.options().excluding(name) to find the one at fault)";
        if (got.dtype() != want.dtype()) throw new TheonException(what + "dtype " + got.dtype() + ", expected " + want.dtype() + tail);
        if (!java.util.Arrays.equals(got.shape(), want.shape()))
            throw new TheonException(what + "shape " + Shapes.str(got.shape()) + ", expected " + Shapes.str(want.shape()) + tail);
        long n = got.size();
        if (got.dtype().isDiscrete()) {
            for (long k = 0; k < n; k++)
                if (got.flatLong(k) != want.flatLong(k))
                    throw new TheonException(what + "at flat index " + k + " got " + got.flatLong(k) + ", expected " + want.flatLong(k) + tail);
            return;
        }
        // Theano's DebugMode tolerances: rewrites reorder sums (a gemm, gathered constants), so rounding may differ
        double rtol = got.dtype() == DType.FLOAT32 ? 1e-3 : 1e-5, atol = got.dtype() == DType.FLOAT32 ? 1e-5 : 1e-8;
        for (long k = 0; k < n; k++) {
            double g = got.flatDouble(k), w = want.flatDouble(k);
            if (Double.isNaN(w) || Double.isInfinite(w)) continue;
            if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w)))
                throw new TheonException(what + "at flat index " + k + " got " + g + ", expected " + w + tail);
        }
    }

    @Override public String describe() {
        return main.describe() + "  DEBUG: every call also runs the graph without speed rewrites op by op on the reference backend and compares the outputs\n";
    }

    @Override public FunctionGraph graph() { return main.graph(); }

    @Override public dev.theon.backend.Profile profile() { return main.profile(); }
}
