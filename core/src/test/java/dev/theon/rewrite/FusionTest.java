package dev.theon.rewrite;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.compile.Options;
import dev.theon.graph.Apply;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.ops.Composite;
import dev.theon.ops.Dot;
import dev.theon.ops.Elemwise;
import dev.theon.ops.Gemm;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.theon.rewrite.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

/** Elementwise fusion: one Composite per elementwise region, and the values of the unfused graph. */
class FusionTest {

    static boolean elementwise(Apply n) { return n.op() instanceof Elemwise || n.op() instanceof Composite; }

    /**
     * Every elementwise node reading another one directly may only be apart from it because fusing them would make a
     * cycle (the producer reaches the reader also through some other node), or because the producer's value is needed
     * elsewhere at a smaller shape than the fused node would compute it at.
     */
    static void assertMaximal(Function f) {
        FunctionGraph g = f.graph();
        for (Apply c : g.nodes()) {
            if (!elementwise(c)) continue;
            for (Variable in : c.inputs()) {
                Apply p = in.owner();
                if (p == null || !elementwise(p)) continue;
                boolean smallerAndNeeded = !java.util.Arrays.equals(in.type().shape(), c.output(0).type().shape())
                        && p.outputs().stream().anyMatch(o -> g.clients(o).stream().anyMatch(u -> u.node() != c));
                assertTrue(smallerAndNeeded || reachesOtherwise(g, p, c), "elementwise " + p.op().name() + " feeds " + c.op().name() + " directly but was not fused with it; " + f.describe());
            }
        }
    }

    private static boolean reachesOtherwise(FunctionGraph g, Apply from, Apply to) {
        Set<Apply> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Apply> todo = new ArrayDeque<>();
        for (Variable o : from.outputs()) for (FunctionGraph.Use u : g.clients(o)) if (u.node() != null && u.node() != to) todo.add(u.node());
        while (!todo.isEmpty()) {
            Apply n = todo.poll();
            if (n == to) return true;
            if (!seen.add(n)) continue;
            for (Variable o : n.outputs()) for (FunctionGraph.Use u : g.clients(o)) if (u.node() != null) todo.add(u.node());
        }
        return false;
    }

    @Test void tanhOfAnAffineMapPlusAGaussianIsOneNode() {
        Variable x = T.dmatrix("x"), a = T.dscalar("a"), b = T.dvector("b"), c = T.dscalar("c");
        Variable out = T.add(T.mul(T.tanh(T.add(T.mul(a, x), b)), c), T.exp(T.neg(T.mul(x, x))));
        Function f = Theon.function(List.of(x, a, b, c), out);
        assertEquals(1, nodes(f).size(), ops(f));
        assertEquals(1, count(f, Composite.class), ops(f));
        double[][] xs = {{0.5, -1, 2}, {0, 0.25, -3}};
        double[] bs = {0.1, 0.2, 0.3};
        double[] want = new double[6];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) {
            double v = xs[i][j];
            want[i * 3 + j] = Math.tanh(1.5 * v + bs[j]) * -2.0 + Math.exp(-v * v);
        }
        assertClose(want, f.call(xs, 1.5, bs, -2.0), 1e-15);
        assertTrue(f.describe().contains("composite{"), f.describe());
    }

    @Test void severalOutputsShareOneNode() {
        Variable x = T.dvector("x");
        Variable e = T.exp(x);
        Function f = Theon.function(List.of(x), List.of(T.add(e, 1.0), T.mul(e, 2.0)));
        assertEquals(1, nodes(f).size(), ops(f));
        assertEquals(2, nodes(f).get(0).outputs().size());
        List<NDArray> r = f.callAll(new double[]{0, 1});
        assertClose(new double[]{2, Math.E + 1}, r.get(0), 1e-15);
        assertClose(new double[]{2, 2 * Math.E}, r.get(1), 1e-15);
    }

    @Test void aValueReadOutsideTheGroupIsAnExtraOutput() {
        Variable x = T.dmatrix("x");
        Variable y = T.exp(T.mul(x, 2.0));
        Function f = Theon.function(List.of(x), List.of(T.sum(y), T.sub(y, 1.0)));
        assertEquals(1, count(f, Composite.class), ops(f));
        assertEquals(0, count(f, Elemwise.class), ops(f));
        Apply fused = nodes(f).stream().filter(n -> n.op() instanceof Composite).findFirst().orElseThrow();
        assertEquals(2, fused.outputs().size(), ops(f));
        List<NDArray> r = f.callAll((Object) new double[][]{{0, 0.5}});
        assertEquals(1 + Math.E, r.get(0).toDouble(), 1e-12);
        assertClose(new double[]{0, Math.E - 1}, r.get(1), 1e-15);
    }

    @Test void smallerValuesJoinOnlyWhenTheGroupIsTheirOnlyReader() {
        Variable m = T.dmatrix("m"), b = T.dvector("b");
        Variable b2 = T.mul(b, 2.0);
        Function f = Theon.function(List.of(m, b), T.tanh(T.add(m, b2)));
        assertEquals(1, nodes(f).size(), ops(f));
        assertClose(new double[]{Math.tanh(1 + 2), Math.tanh(0 + 4)}, f.call(new double[][]{{1, 0}}, new double[]{1, 2}), 1e-15);
        // b * 2 also returned: a fused node computes everything at the matrix's shape, so b * 2 stays apart
        Function g = Theon.function(List.of(m, b), List.of(T.tanh(T.add(m, b2)), b2));
        assertEquals(2, count(g, Composite.class) + count(g, Elemwise.class), ops(g));
        List<NDArray> r = g.callAll(new double[][]{{1, 0}, {2, 2}}, new double[]{1, 2});
        assertArrayEquals(new long[]{2}, r.get(1).shape());
        assertClose(new double[]{2, 4}, r.get(1), 0);
        assertClose(new double[]{Math.tanh(3), Math.tanh(4), Math.tanh(4), Math.tanh(6)}, r.get(0), 1e-15);
    }

    @Test void fusionNeverMakesACycle() {
        Variable x = T.dvector("x");
        Variable t = T.exp(x);
        Function f = Theon.function(List.of(x), T.sub(t, T.sum(t)));
        assertEquals(2, count(f, Elemwise.class) + count(f, Composite.class), ops(f));
        assertMaximal(f);
        double s = 1 + Math.E;
        assertClose(new double[]{1 - s, Math.E - s}, f.call(new double[]{0, 1}), 1e-15);
    }

    @Test void mixedDtypesAndConstants() {
        Variable i = T.ivector("i"), y = T.fvector("y"), k = T.lvector("k");
        Variable out = T.switch_(T.gt(i, 0), T.mul(T.cast(i, DType.FLOAT32), y), T.add(y, 1.5f));
        Variable ints = T.add(T.mul(k, 3), T.cast(T.lt(i, 2), DType.INT64));
        Function f = Theon.function(List.of(i, y, k), List.of(out, ints));
        Function plain = Theon.function(List.of(i, y, k), List.of(out, ints), unrewritten());
        Object[] args = {new int[]{-1, 2, 3}, new float[]{0.1f, 0.2f, 0.3f}, new long[]{1L << 60, 2, -3}};
        List<NDArray> r = f.callAll(args), p = plain.callAll(args);
        assertEquals(DType.FLOAT32, r.get(0).dtype());
        assertArrayEquals(p.get(0).toFloatArray(), r.get(0).toFloatArray());
        assertEquals(DType.INT64, r.get(1).dtype());
        assertArrayEquals(p.get(1).toLongArray(), r.get(1).toLongArray());
        assertEquals(3L << 60 | 1, r.get(1).toLongArray()[0], "int64 stays exact inside a fused node");
        assertMaximal(f);
    }

    /** Random elementwise expressions over inputs of several shapes and dtypes: fused and unfused agree exactly. */
    @Test void randomExpressionsAgreeWithTheUnfusedGraph() {
        Random rnd = new Random(17);
        for (int trial = 0; trial < 60; trial++) {
            Variable m = T.dmatrix("m"), row = T.tensor(DType.FLOAT64, new long[]{1, -1}, "row"), v = T.dvector("v"), s = T.dscalar("s");
            Variable f32 = T.fmatrix("f32"), n = T.imatrix("n");
            List<Variable> pool = new ArrayList<>(List.of(m, row, v, s, f32, n));
            List<Variable> outs = new ArrayList<>();
            for (int step = 0; step < 10; step++) {
                Variable a = pool.get(rnd.nextInt(pool.size())), b = pool.get(rnd.nextInt(pool.size()));
                Variable r = switch (rnd.nextInt(9)) {
                    case 0 -> T.add(a, b);
                    case 1 -> T.mul(a, b);
                    case 2 -> T.sub(a, b);
                    case 3 -> T.tanh(a);
                    case 4 -> T.maximum(a, b);
                    case 5 -> T.switch_(T.gt(a, b), a, b);
                    case 6 -> T.exp(T.neg(T.abs(a)));
                    case 7 -> T.cast(a, DType.FLOAT32);
                    default -> T.add(T.mul(a, 0.5), 1.0);
                };
                pool.add(r);
                if (rnd.nextInt(4) == 0) outs.add(r);
            }
            outs.add(pool.get(pool.size() - 1));
            List<Variable> ins = List.of(m, row, v, s, f32, n);
            Options ignore = Theon.options().onUnusedInput("ignore");
            Function fused = Theon.function(ins, outs, ignore);
            Function plain = Theon.function(ins, outs, unrewritten().onUnusedInput("ignore"));
            Object[] args = {randomMatrix(rnd, 3, 4), randomMatrix(rnd, 1, 4), randomVector(rnd, 4), rnd.nextGaussian(),
                    NDArray.of(randomMatrix(rnd, 3, 4)).astype(DType.FLOAT32), NDArray.of(randomMatrix(rnd, 3, 4)).astype(DType.INT32)};
            List<NDArray> a = fused.callAll(args), b = plain.callAll(args);
            for (int k = 0; k < a.size(); k++) assertSame(b.get(k), a.get(k), 0);
            assertMaximal(fused);
            assertFalse(fused.rewrites().contains("did not settle"), fused.rewrites());
        }
    }

    static double[][] randomMatrix(Random r, int n, int m) {
        double[][] a = new double[n][m];
        for (double[] row : a) for (int j = 0; j < m; j++) row[j] = Math.round(r.nextGaussian() * 8) / 4.0;
        return a;
    }

    static double[] randomVector(Random r, int n) {
        double[] a = new double[n];
        for (int j = 0; j < n; j++) a[j] = Math.round(r.nextGaussian() * 8) / 4.0;
        return a;
    }

    // ---------------------------------------------------------------- the 784-1024-1024-10 softmax MLP

    /** One SGD step of the MLP: tanh hidden layers, softmax output, mean cross-entropy against labels. */
    record Mlp(Variable x, Variable y, Variable cost, Map<Variable, Variable> updates, List<SharedVariable> params) {
        static Mlp build(long seed) {
            Random rnd = new Random(seed);
            int[] sizes = {784, 1024, 1024, 10};
            Variable x = T.dmatrix("x"), y = T.lvector("y");
            List<SharedVariable> params = new ArrayList<>();
            Variable h = x;
            for (int l = 0; l < 3; l++) {
                NDArray w = NDArray.zeros(DType.FLOAT64, sizes[l], sizes[l + 1]);
                for (long i = 0; i < w.size(); i++) w.writeDouble(i, rnd.nextGaussian() * 0.03);
                SharedVariable W = Theon.shared(w, "W" + l, true), b = Theon.shared(NDArray.zeros(DType.FLOAT64, sizes[l + 1]), "b" + l, true);
                params.add(W);
                params.add(b);
                Variable z = T.add(T.dot(h, W), b);
                h = l < 2 ? T.tanh(z) : T.softmax(z);
            }
            Variable cost = T.mean(T.categoricalCrossentropy(h, y));
            List<Variable> grads = T.grad(cost, new ArrayList<>(params));
            Map<Variable, Variable> updates = new LinkedHashMap<>();
            for (int i = 0; i < params.size(); i++) updates.put(params.get(i), T.sub(params.get(i), T.mul(grads.get(i), 0.01)));
            return new Mlp(x, y, cost, updates, params);
        }

        Function compile(Options o) { return Theon.function(List.of(x, y), cost, o.updates(updates)); }
    }

    @Test void mlpTrainingStepHasOneFusedNodePerElementwiseRegion() {
        Mlp net = Mlp.build(7);
        Function f = net.compile(Theon.options());
        assertMaximal(f);
        assertFalse(f.rewrites().contains("did not settle"), f.rewrites());
        // forward: three gemms (x W + b), two tanh (a region of one node each: each reads a gemm and feeds a gemm);
        // backward: two dots (delta W^T), three gemm updates of W, softmax-minus-target as one fused op
        //   (crossentropy_softmax_1hot_dx, no one-hot mask), and the elementwise regions: 2 x tanh', 3 x bias update
        assertEquals(6, count(f, Gemm.class), ops(f));
        assertEquals(2, count(f, Dot.class), ops(f));
        assertEquals(1, count(f, dev.theon.ops.CrossentropySoftmax1HotDx.class), ops(f));
        assertEquals(0, count(f, dev.theon.ops.ARange.class), ops(f));
        long fused = count(f, Composite.class), single = count(f, Elemwise.class);
        assertEquals(5, fused, ops(f));
        assertEquals(4, single, ops(f));
        // and the scalar bookkeeping: shape_i, a cast and 1 / n for the batch size (mean's gradient)
        assertEquals(31, nodes(f).size(), ops(f));

        // one step with the rewrites equals one step without them
        Random rnd = new Random(11);
        double[][] xs = new double[4][784];
        for (double[] r : xs) for (int j = 0; j < 784; j++) r[j] = rnd.nextDouble();
        long[] ys = {3, 1, 4, 1};
        Mlp twin = Mlp.build(7);
        Function plain = twin.compile(unrewritten());
        double c1 = f.call(xs, ys).toDouble(), c2 = plain.call(xs, ys).toDouble();
        assertEquals(c2, c1, 1e-12 * Math.abs(c2));
        for (int i = 0; i < net.params().size(); i++) assertSame(twin.params().get(i).get(false), net.params().get(i).get(false), 1e-9);
        // and the next step starts from the updated parameters
        assertEquals(plain.call(xs, ys).toDouble(), f.call(xs, ys).toDouble(), 1e-12);
    }
}
