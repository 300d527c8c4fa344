package dev.theon.rewrite;

import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.compile.Options;
import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.ops.Composite;
import dev.theon.ops.Elemwise;
import dev.theon.ops.ScalarOp;
import dev.theon.tensor.NDArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Looking into compiled graphs, and the options that compile a graph without any rewrite (the oracle). */
final class Graphs {
    private Graphs() {}

    /** No rewrite at all: FAST_COMPILE keeps only merge, constant folding and stability, and those are excluded. */
    static Options unrewritten() { return Theon.options().mode("FAST_COMPILE").excluding("merge", "constant_folding", "stability"); }

    static List<Apply> nodes(Function f) { return f.graph().nodes(); }

    static long count(Function f, Class<? extends Op> type) { return nodes(f).stream().filter(n -> type.isInstance(n.op())).count(); }

    /** How many times {@code op} is computed: elementwise nodes of it plus instructions of it inside fused nodes. */
    static long countScalar(Function f, ScalarOp op) {
        long n = 0;
        for (Apply a : nodes(f)) {
            if (a.op() instanceof Elemwise e && e.scalar() == op) n++;
            if (a.op() instanceof Composite c) n += c.body().stream().filter(i -> i.op() == op).count();
        }
        return n;
    }

    static String ops(Function f) { return nodes(f).stream().map(a -> a.op().name()).toList().toString(); }

    static void assertClose(double[] want, NDArray got, double tol) {
        double[] g = got.toDoubleArray();
        assertEquals(want.length, g.length, "size");
        for (int i = 0; i < want.length; i++) {
            if (Double.isNaN(want[i])) assertTrue(Double.isNaN(g[i]), "element " + i + ": expected NaN, got " + g[i]);
            else assertEquals(want[i], g[i], tol * Math.max(1, Math.abs(want[i])), "element " + i);
        }
    }

    static void assertSame(NDArray want, NDArray got, double tol) {
        assertEquals(want.dtype(), got.dtype(), "dtype");
        assertArrayEquals(want.shape(), got.shape(), "shape");
        assertClose(want.toDoubleArray(), got, tol);
    }
}
