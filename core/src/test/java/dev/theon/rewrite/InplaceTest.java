package dev.theon.rewrite;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.TheonException;
import dev.theon.compile.Function;
import dev.theon.graph.Apply;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.ops.ScalarOp;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.theon.rewrite.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

/** The destroy handler, the reference backend computing in place, the buffer plan, and DEBUG catching a wrong mark. */
class InplaceTest {

    static List<FunctionGraph.Destroy> marks(Function f) {
        return nodes(f).stream().map(n -> f.graph().destroyed(n)).filter(java.util.Objects::nonNull).toList();
    }

    @Test void neverOverwritesWhatTheCallerHolds() {
        Variable x = T.dvector("x");
        SharedVariable s = Theon.shared(new double[]{1, 2}, "s");
        // every node here could compute into its operand, if that operand were not an argument or a shared value
        Function f = Theon.function(List.of(x), List.of(T.exp(x), T.add(x, s), T.neg(s)), Theon.options().excluding("fusion"));
        for (Apply n : nodes(f)) {
            FunctionGraph.Destroy d = f.graph().destroyed(n);
            if (d != null) assertFalse(n.input(d.input()).isRoot(), "marked to overwrite an input of the function: " + n);
        }
        NDArray arg = NDArray.of(0.5, -1.0);
        NDArray sharedBefore = s.get(false).copy();
        List<NDArray> r = f.callAll(arg);
        assertArrayEquals(new double[]{0.5, -1.0}, arg.toDoubleArray(), "the argument is intact");
        assertArrayEquals(sharedBefore.toDoubleArray(), s.get(false).toDoubleArray(), "the shared value is intact");
        assertClose(new double[]{Math.exp(0.5), Math.exp(-1)}, r.get(0), 1e-15);
        assertClose(new double[]{1.5, 1}, r.get(1), 0);
        assertClose(new double[]{-1, -2}, r.get(2), 0);
    }

    @Test void intermediatesAreOverwrittenByTheirLastReader() {
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), T.tanh(T.mul(T.exp(x), 2.0)), Theon.options().excluding("fusion"));
        assertEquals(2, marks(f).size(), f.describe());
        assertTrue(f.describe().contains("computed into input"), f.describe());
        for (int call = 0; call < 3; call++) {
            double v = call * 0.1;
            assertClose(new double[]{Math.tanh(2 * Math.exp(v))}, f.call(new double[]{v}), 1e-15);
        }
        // a value read twice is not overwritten by either reader
        Variable e = T.exp(x);
        Function g = Theon.function(List.of(x), List.of(T.add(e, 1.0), T.mul(e, 2.0)), Theon.options().excluding("fusion"));
        assertTrue(marks(g).isEmpty(), g.describe());
    }

    @Test void returnedArraysStayTheCallersAcrossCalls() {
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), T.sqrt(T.exp(T.mul(x, 2.0))), Theon.options().excluding("fusion"));
        NDArray first = f.call(new double[]{0, 1});
        double[] kept = first.toDoubleArray();
        NDArray second = f.call(new double[]{2, 3});
        assertArrayEquals(kept, first.toDoubleArray(), "an earlier result is not reused as a buffer");
        assertClose(new double[]{Math.E * Math.E, Math.exp(3)}, second, 1e-14);
    }

    @Test void deadIntermediatesShareBuffers() {
        Variable x = T.dmatrix("x");
        SharedVariable w = Theon.shared(new double[][]{{1, 0}, {0, 2}}, "w");
        Variable out = T.dot(T.dot(T.dot(x, w), w), w);
        Function f = Theon.function(List.of(x), out);
        assertTrue(f.describe().contains("buffers: 2 arrays for 3 node outputs"), f.describe());
        for (int call = 1; call <= 3; call++)
            assertClose(new double[]{call, 8 * call}, f.call((Object) new double[][]{{call, call}}), 0);
    }

    @Test void incSubtensorWritesIntoAnIntermediateItAloneReads() {
        Variable x = T.dmatrix("x"), y = T.dvector("y"), i = T.lvector("i"), j = T.lvector("j");
        Variable doubled = T.mul(x, 2.0);
        Function f = Theon.function(List.of(x, y, i, j), T.incSubtensor(T.get(doubled, i, j), y), Theon.options().excluding("fusion"));
        Apply inc = nodes(f).stream().filter(n -> n.op() instanceof dev.theon.ops.IncSubtensor).findFirst().orElseThrow();
        assertEquals(new FunctionGraph.Destroy(0, 0), f.graph().destroyed(inc), f.describe());
        NDArray arg = NDArray.of(new double[][]{{1, 2}, {3, 4}});
        for (int call = 0; call < 2; call++) {
            NDArray r = f.callAll(arg, new double[]{10, 20, 30}, new long[]{0, 1, 0}, new long[]{1, 0, 1}).get(0);
            assertArrayEquals(new double[]{2, 44, 26, 8}, r.reshape(4).toDoubleArray(), "repeated indices accumulate, call " + call);
        }
        assertArrayEquals(new double[]{1, 2, 3, 4}, arg.reshape(4).toDoubleArray(), "the argument is intact");
        // x also read as the values: no mark
        Function g = Theon.function(List.of(x, i), T.incSubtensor(T.get(doubled, i), doubled), Theon.options().excluding("fusion"));
        assertTrue(nodes(g).stream().filter(n -> n.op() instanceof dev.theon.ops.IncSubtensor).allMatch(n -> g.graph().destroyed(n) == null), g.describe());
        assertArrayEquals(new double[]{8, 12, 8, 12}, g.callAll(arg, new long[]{1, 0}).get(0).reshape(4).toDoubleArray());
    }

    @Test void debugModeCatchesAWrongInplaceMark() {
        // a deliberately wrong destroy handler: marks the first elementwise node to overwrite its intermediate
        // operand even though another node still reads it
        RewriteDB db = RewriteDB.get();
        db.register(GlobalRewrite.of("test_wrong_inplace", Phase.INPLACE, (g, ctx) -> {
            for (Apply n : g.nodes())
                if (n.op() instanceof dev.theon.ops.Elemwise e && e.scalar() == ScalarOp.ADD && !n.input(0).isRoot()) {
                    g.markDestroys(n, 0, 0);
                    return true;
                }
            return false;
        }, "test_only").offByDefault());
        try {
            Variable x = T.dvector("x");
            Variable e = T.exp(x);
            List<Variable> outs = List.of(T.add(e, 1.0), T.mul(e, 2.0));
            var wrong = Theon.options().excluding("fusion").including("test_wrong_inplace");
            Function fast = Theon.function(List.of(x), outs, wrong);
            List<NDArray> r = fast.callAll(new double[]{0});
            assertEquals(2.0, r.get(0).flatDouble(0));
            assertEquals(4.0, r.get(1).flatDouble(0), "the wrong mark corrupts e before mul reads it: 2 * (e + 1)");
            Function debug = Theon.function(List.of(x), outs, Theon.options().excluding("fusion").including("test_wrong_inplace").mode("DEBUG"));
            TheonException err = assertThrows(TheonException.class, () -> debug.callAll(new double[]{0}));
            assertTrue(err.getMessage().contains("output 1") && err.getMessage().contains("differs"), err.getMessage());
            // without the wrong mark DEBUG is satisfied
            assertEquals(2.0, Theon.function(List.of(x), outs, Theon.options().mode("DEBUG")).callAll(new double[]{0}).get(1).flatDouble(0));
        } finally {
            db.remove("test_wrong_inplace");
        }
    }

    @Test void updatesFromInplaceNodesCommitTogether() {
        SharedVariable a = Theon.shared(new double[]{1, 2}, "a"), b = Theon.shared(new double[]{3, 4}, "b");
        Variable k = T.dscalar("k");
        Function f = Theon.function(List.of(k), T.sum(a), Theon.options().updates(Map.of(
                a, T.tanh(T.mul(T.exp(b), k)), b, T.mul(T.exp(a), k))));
        double sum = f.call(0.0).toDouble();
        assertEquals(3.0, sum);
        assertArrayEquals(new double[]{0, 0}, a.get(false).toDoubleArray());
        assertArrayEquals(new double[]{0, 0}, b.get(false).toDoubleArray());
    }
}
