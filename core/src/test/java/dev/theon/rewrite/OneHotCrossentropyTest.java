package dev.theon.rewrite;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.TheonException;
import dev.theon.compile.Function;
import dev.theon.compile.Options;
import dev.theon.graph.Apply;
import dev.theon.graph.Variable;
import dev.theon.ops.ARange;
import dev.theon.ops.AdvancedSubtensor;
import dev.theon.ops.CrossentropyCategorical1Hot;
import dev.theon.ops.CrossentropyCategorical1HotGrad;
import dev.theon.ops.CrossentropySoftmax1Hot;
import dev.theon.ops.CrossentropySoftmax1HotDx;
import dev.theon.ops.IncSubtensor;
import dev.theon.ops.Index;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.theon.rewrite.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The negative log-likelihood written with advanced indexing, {@code -log(softmax(x)[arange(n), y])} and its
 * spellings, and its gradient, become the fused one-hot cross-entropy ops; so does the gradient of
 * {@code categorical_crossentropy} with integer labels. Values and gradients are compared with float64 loops written
 * here (log-sum-exp minus the picked logit; softmax minus one-hot), label errors with the unrewritten graph's, and the
 * cases that are not one entry per row must stay as written.
 */
class OneHotCrossentropyTest {

    /** The three spellings of the picked log-probability, from the softmax's input. */
    enum Form {
        LOG_OF_PICK((x, rows, y) -> T.log(T.get(T.softmax(x), rows, y))),
        PICK_OF_LOG((x, rows, y) -> T.get(T.log(T.softmax(x)), rows, y)),
        PICK_OF_LOG_SOFTMAX((x, rows, y) -> T.get(T.logSoftmax(x), rows, y));

        final Picked picked;
        Form(Picked picked) { this.picked = picked; }
    }

    @FunctionalInterface interface Picked { Variable of(Variable x, Variable rows, Variable labels); }

    /** {@code arange(labels.shape[0])}, as the Theano tutorials write it. */
    static Variable rowsOf(Variable labels) { return T.arange(T.shape(labels, 0)); }

    // ------------------------------------------------------------------ hand computation, float64

    /** Row-wise softmax in float64, subtracting the row's maximum. */
    static double[][] softmax(double[][] x) {
        double[][] s = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double m = Double.NEGATIVE_INFINITY, z = 0;
            for (double v : x[i]) m = Math.max(m, v);
            s[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) z += Math.exp(x[i][j] - m);
            for (int j = 0; j < x[i].length; j++) s[i][j] = Math.exp(x[i][j] - m) / z;
        }
        return s;
    }

    /** NumPy's reading of a label: a negative one counts from the end. */
    static int column(long label, int classes) { return (int) (label < 0 ? label + classes : label); }

    /** {@code -log(softmax(x)[i, y[i]])} as log-sum-exp minus the picked logit. */
    static double[] nll(double[][] x, long[] y) {
        double[] r = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double m = Double.NEGATIVE_INFINITY, z = 0;
            for (double v : x[i]) m = Math.max(m, v);
            for (double v : x[i]) z += Math.exp(v - m);
            r[i] = Math.log(z) + m - x[i][column(y[i], x[i].length)];
        }
        return r;
    }

    /** d mean(nll) / dx: (softmax - one_hot) / n on the labelled rows, zero on the others. */
    static double[] meanGrad(double[][] x, long[] y) {
        double[][] s = softmax(x);
        int k = x[0].length;
        double[] g = new double[x.length * k];
        for (int i = 0; i < y.length; i++)
            for (int j = 0; j < k; j++) g[i * k + j] = (s[i][j] - (j == column(y[i], k) ? 1 : 0)) / y.length;
        return g;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double d : v) s += d;
        return s / v.length;
    }

    /** Column sums of a row-major (rows, k) matrix: the gradient of a bias added to every row. */
    static double[] columnSums(double[] g, int k) {
        double[] r = new double[k];
        for (int i = 0; i < g.length; i++) r[i % k] += g[i];
        return r;
    }

    static double[][] randomLogits(Random rnd, int rows, int k, double scale) {
        double[][] x = new double[rows][k];
        for (double[] row : x) for (int j = 0; j < k; j++) row[j] = scale * rnd.nextGaussian();
        return x;
    }

    /** The values as stored in {@code dt} (float32 rounds), read back in float64, so the oracle sees what the graph sees. */
    static double[][] roundTo(DType dt, double[][] x) {
        double[][] r = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            r[i] = x[i].clone();
            if (dt == DType.FLOAT32) for (int j = 0; j < r[i].length; j++) r[i][j] = (float) r[i][j];
        }
        return r;
    }

    static NDArray array(DType dt, double[][] x) { return NDArray.of(x).astype(dt); }

    // ------------------------------------------------------------------ graph checks

    static void assertFused(Function f, boolean indexing) {
        for (Apply n : nodes(f)) {
            assertFalse(n.op() instanceof ARange || n.op() instanceof AdvancedSubtensor || n.op() instanceof IncSubtensor,
                    "left in the graph: " + n.op().name() + "\n" + f.describe());
            if (n.op() instanceof CrossentropySoftmax1Hot c) assertEquals(indexing, c.indexing(), f.describe());
            if (n.op() instanceof CrossentropySoftmax1HotDx d) assertEquals(indexing, d.indexing(), f.describe());
        }
        assertEquals(1, count(f, CrossentropySoftmax1Hot.class), f.describe());
        assertEquals(1, count(f, CrossentropySoftmax1HotDx.class), f.describe());
    }

    static boolean hasIndexing(Function f) {
        return count(f, AdvancedSubtensor.class) > 0 || count(f, IncSubtensor.class) > 0;
    }

    // ------------------------------------------------------------------ the rewrites fire

    @Test void everySpellingBecomesTheFusedOpsWithValuesAndGradientsByHand() {
        Random rnd = new Random(1);
        for (DType dt : List.of(DType.FLOAT64, DType.FLOAT32)) {
            double tol = dt == DType.FLOAT32 ? 2e-6 : 1e-12;
            for (Form form : Form.values()) {
                for (boolean bias : List.of(false, true)) {
                    for (int rows : new int[]{1, 5}) {
                        int k = 4;
                        Variable z = T.tensor(dt, 2, "z"), b = T.tensor(dt, 1, "b"), y = T.lvector("y");
                        Variable x = bias ? T.add(z, b) : z;
                        Variable cost = T.mean(T.neg(form.picked.of(x, rowsOf(y), y)));
                        List<Variable> outs = new ArrayList<>(List.of(cost, T.grad(cost, z)));
                        if (bias) outs.add(T.grad(cost, b));
                        List<Variable> ins = bias ? List.of(z, y, b) : List.of(z, y);
                        Function f = Theon.function(ins, outs);
                        String what = dt + " " + form + (bias ? " with bias" : "") + ", " + rows + " row(s)";
                        assertFused(f, true);

                        double[][] zs = roundTo(dt, randomLogits(rnd, rows, k, 3));
                        double[] bs = {0.5, -1.25, 2, 0};
                        long[] ys = new long[rows];
                        for (int i = 0; i < rows; i++) ys[i] = rnd.nextInt(k);
                        double[][] xs = new double[rows][k];
                        for (int i = 0; i < rows; i++) for (int j = 0; j < k; j++) xs[i][j] = zs[i][j] + (bias ? bs[j] : 0);
                        List<NDArray> r = bias ? f.callAll(array(dt, zs), ys, NDArray.of(bs).astype(dt)) : f.callAll(array(dt, zs), ys);
                        assertEquals(dt, r.get(1).dtype(), what);
                        assertEquals(mean(nll(xs, ys)), r.get(0).toDouble(), tol * 10, what);
                        double[] g = meanGrad(xs, ys);
                        assertClose(g, r.get(1), tol);
                        if (bias) assertClose(columnSums(g, k), r.get(2), tol);
                    }
                }
            }
        }
    }

    @Test void theTutorialGraphAfterFastRun() {
        // T.mean(T.neg(T.log(T.get(T.softmax(z), T.arange(T.shape(y, 0)), y)))) and its gradient
        Variable z = T.dmatrix("z"), y = T.lvector("y");
        Variable cost = T.mean(T.neg(T.log(T.get(T.softmax(z), T.arange(T.shape(y, 0)), y))));
        Function f = Theon.function(List.of(z, y), List.of(cost, T.grad(cost, z)));
        assertFused(f, true);
        String d = f.describe();
        assertTrue(d.contains("nll_of_softmax_indexing") && d.contains("crossentropy_softmax_dx"), d);
        // the unrewritten value overflows where the picked probability underflows; the fused one does not
        double[][] xs = {{800, 0, -800}, {0, 1, 2}};
        long[] ys = {2, 0};
        List<NDArray> r = f.callAll(xs, ys);
        assertEquals(mean(nll(xs, ys)), r.get(0).toDouble(), 1e-9);
        assertClose(meanGrad(xs, ys), r.get(1), 1e-12);
        Function plain = Theon.function(List.of(z, y), cost, Theon.options().excluding(OneHotCrossentropy.TAG));
        assertEquals(Double.POSITIVE_INFINITY, plain.call(xs, ys).toDouble(), "-log of an underflowed probability");
    }

    @Test void everySpellingOfTheRange() {
        // arange(y.shape[0]), arange(0, shape_i(y, 0), 1), the length of an expression of y, and of an int32 y
        Variable z = T.dmatrix("z"), y = T.lvector("y"), yi = T.ivector("yi");
        double[][] xs = {{1, 2, 3}, {0.5, -1, 0}};
        long[] ys = {2, 1};
        for (Variable[] ry : new Variable[][]{{T.arange(T.get(T.shape(y), 0)), y}, {T.arange(0, T.shape(y, 0), 1), y},
                {T.arange(T.shape(T.neg(y), 0)), y}, {T.arange(T.shape(yi, 0)), yi}}) {
            Variable cost = T.mean(T.neg(T.log(T.get(T.softmax(z), ry[0], ry[1]))));
            Function f = Theon.function(List.of(z, ry[1]), List.of(cost, T.grad(cost, z)));
            assertFused(f, true);
            List<NDArray> r = f.callAll(xs, ry[1] == yi ? new int[]{2, 1} : ys);
            assertEquals(mean(nll(xs, ys)), r.get(0).toDouble(), 1e-12);
            assertClose(meanGrad(xs, ys), r.get(1), 1e-12);
        }
    }

    @Test void staticSizesAndTheConstantFoldedRange() {
        // with sizes known, arange(y.shape[0]) folds to a constant [0, 1, 2]: still one entry per row
        for (long rows : new long[]{1, 3}) {
            Variable z = T.tensor(DType.FLOAT64, new long[]{rows, 4}, "z"), y = T.tensor(DType.INT64, new long[]{rows}, "y");
            Variable cost = T.sum(T.neg(T.log(T.get(T.softmax(z), rowsOf(y), y))));
            Function f = Theon.function(List.of(z, y), List.of(cost, T.grad(cost, z)));
            if (rows > 1) assertFused(f, true);
            else {
                // the picked value was typed with an unknown length before the range folded; the fused value would
                // declare the length 1 broadcastable, which its readers were not typed for, so only the gradient fuses
                assertEquals(1, count(f, CrossentropySoftmax1HotDx.class), f.describe());
                assertEquals(0, count(f, IncSubtensor.class) + count(f, ARange.class), f.describe());
            }
            double[][] xs = randomLogits(new Random(rows), (int) rows, 4, 2);
            long[] ys = new long[(int) rows];
            for (int i = 0; i < rows; i++) ys[i] = (i * 3 + 1) % 4;
            List<NDArray> r = f.callAll(xs, ys);
            double[] g = meanGrad(xs, ys);
            for (int i = 0; i < g.length; i++) g[i] *= rows;  // a sum, not a mean
            assertEquals(mean(nll(xs, ys)) * rows, r.get(0).toDouble(), 1e-12);
            assertClose(g, r.get(1), 1e-12);
        }
        // an explicit constant range and labels of static length
        Variable z = T.dmatrix("z"), y = T.tensor(DType.INT32, new long[]{3}, "y");
        Variable cost = T.sum(T.neg(T.get(T.logSoftmax(z), new long[]{0, 1, 2}, y)));
        Function f = Theon.function(List.of(z, y), List.of(cost, T.grad(cost, z)));
        assertFused(f, true);
    }

    @Test void fastCompileAndDebugFuseToo() {
        Variable z = T.dmatrix("z"), y = T.lvector("y");
        Variable cost = T.mean(T.neg(T.log(T.get(T.softmax(z), rowsOf(y), y))));
        double[][] xs = {{1, 2, 3}, {-1, 0.5, 4}, {0, 0, 0}};
        long[] ys = {0, 2, 1};
        for (String mode : List.of("FAST_COMPILE", "DEBUG")) {
            Function f = Theon.function(List.of(z, y), List.of(cost, T.grad(cost, z)), Theon.options().mode(mode));
            assertFused(f, true);
            List<NDArray> r = f.callAll(xs, ys);
            assertEquals(mean(nll(xs, ys)), r.get(0).toDouble(), 1e-12, mode);
            assertClose(meanGrad(xs, ys), r.get(1), 1e-12);
        }
    }

    // ------------------------------------------------------------------ exactly the indexing's semantics

    @Test void negativeLabelsCountFromTheEndAsInTheIndexing() {
        Variable z = T.dmatrix("z"), y = T.lvector("y");
        for (Form form : Form.values()) {
            Variable cost = T.mean(T.neg(form.picked.of(z, rowsOf(y), y)));
            Function f = Theon.function(List.of(z, y), List.of(cost, T.grad(cost, z)));
            Function plain = Theon.function(List.of(z, y), List.of(cost, T.grad(cost, z)), Theon.options().excluding(OneHotCrossentropy.TAG));
            assertFused(f, true);
            assertTrue(hasIndexing(plain), plain.describe());
            double[][] xs = {{1, 2, 3}, {0.5, -1, 0}};
            long[] ys = {-1, -3};  // the last class, then the first
            List<NDArray> r = f.callAll(xs, ys), p = plain.callAll(xs, ys);
            assertEquals(mean(nll(xs, ys)), r.get(0).toDouble(), 1e-12, form.toString());
            assertClose(meanGrad(xs, ys), r.get(1), 1e-12);
            assertEquals(p.get(0).toDouble(), r.get(0).toDouble(), 1e-12, form.toString());
            assertClose(p.get(1).toDoubleArray(), r.get(1), 1e-12);
        }
    }

    @Test void labelsOutOfRangeRaiseTheSameKindOfError() {
        Variable z = T.dmatrix("z"), y = T.lvector("y");
        double[][] xs = {{1, 2, 3}, {0.5, -1, 0}};
        for (Form form : Form.values()) {
            Variable cost = T.mean(T.neg(form.picked.of(z, rowsOf(y), y)));
            Variable g = T.grad(cost, z);
            for (List<Variable> outs : List.of(List.of(cost), List.of(g), List.of(cost, g))) {
                Function f = Theon.function(List.of(z, y), outs);
                Function plain = Theon.function(List.of(z, y), outs, Theon.options().excluding(OneHotCrossentropy.TAG));
                assertFalse(hasIndexing(f), f.describe());
                for (long[] ys : new long[][]{{0, 3}, {0, -4}, {7, 1}}) {
                    TheonException.ShapeError e = assertThrows(TheonException.ShapeError.class, () -> f.callAll(xs, ys), form + " " + outs);
                    TheonException want = assertThrows(TheonException.class, () -> plain.callAll(xs, ys));
                    assertEquals(want.getClass(), e.getClass(), want.getMessage());
                    long bad = ys[0] == 0 ? ys[1] : ys[0];
                    assertTrue(e.getMessage().contains("label " + bad) && e.getMessage().contains("3 classes"), e.getMessage());
                }
            }
        }
    }

    @Test void fewerLabelsThanRowsPickTheFirstRows() {
        // arange(y.shape[0]) with a shorter y reads the first rows only, and their gradient only
        Variable z = T.dmatrix("z"), y = T.lvector("y");
        Variable nll = T.neg(T.log(T.get(T.softmax(z), rowsOf(y), y)));
        Variable cost = T.mean(nll);
        List<Variable> outs = List.of(nll, T.grad(cost, z));
        Function f = Theon.function(List.of(z, y), outs);
        Function plain = Theon.function(List.of(z, y), outs, Theon.options().excluding(OneHotCrossentropy.TAG));
        assertFused(f, true);
        double[][] xs = {{1, 2, 3}, {0.5, -1, 0}, {4, 4, 4}, {9, 0, 1}};
        long[] ys = {2, 0};
        List<NDArray> r = f.callAll(xs, ys), p = plain.callAll(xs, ys);
        assertArrayEquals(new long[]{2}, r.get(0).shape());
        assertClose(nll(xs, ys), r.get(0), 1e-12);
        double[] g = meanGrad(xs, ys);
        assertClose(g, r.get(1), 1e-12);
        for (int i = 6; i < 12; i++) assertEquals(0.0, g[i]);
        assertClose(p.get(1).toDoubleArray(), r.get(1), 1e-12);
        // more labels than rows: an index out of bounds, a ShapeError either way
        long[] tooMany = {0, 1, 2, 0, 1};
        assertThrows(TheonException.ShapeError.class, () -> f.callAll(xs, tooMany));
        assertThrows(TheonException.ShapeError.class, () -> plain.callAll(xs, tooMany));
    }

    // ------------------------------------------------------------------ the rewrites stay away

    @Test void rowsOtherThanZeroToNAreLeftAsWritten() {
        Variable z = T.dmatrix("z"), y = T.lvector("y");
        Variable n = T.shape(y, 0);
        List<Variable> notRowRanges = List.of(
                T.arange(1, T.add(n, 1)),               // 1..n
                T.arange(0, n, 2),                      // every other row
                T.arange(T.shape(z, 0)));               // z's rows: a y of length 1 would broadcast at run time
        for (Variable rows : notRowRanges) {
            for (Form form : Form.values()) {
                Variable cost = T.sum(T.neg(form.picked.of(z, rows, y)));
                Function f = Theon.function(List.of(z, y), List.of(cost, T.grad(cost, z)));
                assertEquals(0, count(f, CrossentropySoftmax1Hot.class), f.describe());
                assertEquals(0, count(f, CrossentropySoftmax1HotDx.class), f.describe());
                assertTrue(count(f, AdvancedSubtensor.class) > 0, f.describe());
            }
        }
        // 1..n still computes what it says: -log softmax(z)[i + 1, y[i]]
        Variable cost = T.neg(T.log(T.get(T.softmax(z), notRowRanges.get(0), y)));
        double[][] xs = {{1, 2, 3}, {0.5, -1, 0}, {4, 4, 5}};
        double[] got = Theon.function(List.of(z, y), cost).call(xs, new long[]{1, 2}).toDoubleArray();
        double[] want = nll(new double[][]{xs[1], xs[2]}, new long[]{1, 2});
        assertArrayEquals(want, got, 1e-12);
    }

    @Test void indexingOnOtherAxesIsLeftAsWritten() {
        Variable z = T.dmatrix("z"), y = T.lvector("y");
        Variable rows = rowsOf(y);
        List<Variable> others = List.of(
                T.log(T.get(T.softmax(z, 0), rows, y)),                 // softmax down the columns
                T.log(T.get(T.softmax(z), y, rows)),                    // labels pick rows, the range picks columns
                T.log(T.get(T.transpose(T.softmax(z)), rows, y)),       // the transpose's axes
                T.log(T.get(T.softmax(z), Index.all(), y)));            // every row, labels on the columns
        for (Variable picked : others) {
            Variable cost = T.sum(T.neg(picked));
            Function f = Theon.function(List.of(z, y), List.of(cost, T.grad(cost, z)));
            assertEquals(0, count(f, CrossentropySoftmax1Hot.class), f.describe());
            assertEquals(0, count(f, CrossentropySoftmax1HotDx.class), f.describe());
        }
        // a softmax over a rank-3 tensor is not the matrix form either
        Variable t = T.dtensor3("t");
        Variable cost = T.sum(T.neg(T.log(T.get(T.softmax(t), rows, y))));
        Function f = Theon.function(List.of(t, y), List.of(cost, T.grad(cost, t)));
        assertEquals(0, count(f, CrossentropySoftmax1Hot.class), f.describe());
    }

    @Test void excludingTheTagLeavesTheIndexingForm() {
        Variable z = T.dmatrix("z"), y = T.lvector("y");
        double[][] xs = {{1, 2, 3}, {0.5, -1, 0}};
        long[] ys = {1, 2};
        for (Form form : Form.values()) {
            Variable cost = T.mean(T.neg(form.picked.of(z, rowsOf(y), y)));
            List<Variable> outs = List.of(cost, T.grad(cost, z));
            for (Options o : List.of(Theon.options().excluding(OneHotCrossentropy.TAG), Theon.options().mode("FAST_COMPILE").excluding(OneHotCrossentropy.TAG))) {
                Function f = Theon.function(List.of(z, y), outs, o);
                assertEquals(0, count(f, CrossentropySoftmax1Hot.class), f.describe());
                assertEquals(0, count(f, CrossentropySoftmax1HotDx.class), f.describe());
                assertTrue(count(f, AdvancedSubtensor.class) > 0 && count(f, IncSubtensor.class) > 0 && count(f, ARange.class) > 0, f.describe());
                List<NDArray> r = f.callAll(xs, ys);
                assertEquals(mean(nll(xs, ys)), r.get(0).toDouble(), 1e-12);
                assertClose(meanGrad(xs, ys), r.get(1), 1e-12);
            }
        }
        // by name: the gradient rewrite alone off leaves the gradient's indexing, the value still fused
        Variable cost = T.mean(T.neg(T.log(T.get(T.softmax(z), rowsOf(y), y))));
        Function f = Theon.function(List.of(z, y), List.of(cost, T.grad(cost, z)), Theon.options().excluding("crossentropy_softmax_dx"));
        assertEquals(1, count(f, CrossentropySoftmax1Hot.class), f.describe());
        assertEquals(0, count(f, CrossentropySoftmax1HotDx.class), f.describe());
        assertTrue(count(f, IncSubtensor.class) > 0, f.describe());
        assertClose(meanGrad(xs, ys), f.callAll(xs, ys).get(1), 1e-12);
    }

    // ------------------------------------------------------------------ finite differences

    @Test void finiteDifferencesThroughTheFusedGradient() {
        Random rnd = new Random(7);
        for (int rows : new int[]{1, 4}) {
            NDArray zs = NDArray.of(randomLogits(rnd, rows, 3, 1.5));
            long[] ys = new long[rows];
            for (int i = 0; i < rows; i++) ys[i] = rnd.nextInt(3) - (i % 2 == 0 ? 0 : 3);  // some negative labels too
            NDArray labels = NDArray.of(ys);
            for (Form form : Form.values()) {
                Theon.verifyGrad(in -> T.neg(form.picked.of(in.get(0), rowsOf(in.get(1)), in.get(1))), List.of(zs, labels));
                Theon.verifyGrad(in -> T.neg(form.picked.of(T.add(in.get(0), in.get(2)), rowsOf(in.get(1)), in.get(1))),
                        List.of(zs, labels, NDArray.of(0.25, -0.5, 1.0)));
            }
        }
        // the checked gradient is the fused one
        Variable z = T.dmatrix("z"), y = T.lvector("y");
        Variable cost = T.sum(T.mul(T.neg(T.log(T.get(T.softmax(z), rowsOf(y), y))), T.constant(NDArray.of(0.5, -2.0))));
        Function f = Theon.function(List.of(z, y), T.grad(cost, z));
        assertEquals(1, count(f, CrossentropySoftmax1HotDx.class), f.describe());
        assertFalse(hasIndexing(f), f.describe());
    }

    // ------------------------------------------------------------------ categorical_crossentropy with integer labels

    @Test void categoricalCrossentropyOfSoftmaxHasAFusedGradientWithoutArange() {
        for (DType dt : List.of(DType.FLOAT64, DType.FLOAT32)) {
            Variable x = T.tensor(dt, 2, "x"), y = T.lvector("y");
            Variable cost = T.mean(T.categoricalCrossentropy(T.softmax(x), y));
            Function f = Theon.function(List.of(x, y), List.of(cost, T.grad(cost, x)));
            assertFused(f, false);
            assertEquals(0, count(f, ARange.class), f.describe());
            double[][] xs = roundTo(dt, randomLogits(new Random(3), 5, 4, 2));
            long[] ys = {3, 0, 0, 2, 1};
            List<NDArray> r = f.callAll(array(dt, xs), ys);
            double tol = dt == DType.FLOAT32 ? 2e-6 : 1e-12;
            assertEquals(mean(nll(xs, ys)), r.get(0).toDouble(), 10 * tol);
            assertClose(meanGrad(xs, ys), r.get(1), tol);
            // the gradient alone checks its labels (the mask it replaces left a zero row for a bad label)
            Function g = Theon.function(List.of(x, y), T.grad(cost, x));
            assertEquals(0, count(g, ARange.class), g.describe());
            assertThrows(TheonException.class, () -> g.callAll(array(dt, xs), new long[]{3, 0, 4, 2, 1}));
        }
    }

    @Test void categoricalCrossentropyOfProbabilitiesHasAFusedGradientWithoutArange() {
        Variable p = T.dmatrix("p"), y = T.ivector("y");
        Variable w = T.dvector("w");
        Variable cost = T.sum(T.mul(T.categoricalCrossentropy(p, y), w));
        Function f = Theon.function(List.of(p, y, w), T.grad(cost, p));
        assertEquals(0, count(f, ARange.class), f.describe());
        assertEquals(1, count(f, CrossentropyCategorical1HotGrad.class), f.describe());
        double[][] ps = {{0.2, 0.5, 0.3}, {0.6, 0.25, 0.15}};
        int[] ys = {1, 2};
        double[] ws = {2, -1};
        double[] want = new double[6];
        for (int i = 0; i < 2; i++) want[i * 3 + ys[i]] = -ws[i] / ps[i][ys[i]];
        assertClose(want, f.callAll(ps, ys, ws).get(0), 1e-15);
        TheonException e = assertThrows(TheonException.class, () -> f.callAll(ps, new int[]{1, 3}, ws));
        assertTrue(e.getMessage().contains("label 3 in row 1"), e.getMessage());
        Theon.verifyGrad(in -> T.categoricalCrossentropy(in.get(0), in.get(1)),
                List.of(NDArray.of(ps), NDArray.of(ys)));
        // excluded: the mask and its arange, the same values
        Function plain = Theon.function(List.of(p, y, w), T.grad(cost, p), Theon.options().excluding(OneHotCrossentropy.TAG));
        assertEquals(1, count(plain, ARange.class), plain.describe());
        assertClose(want, plain.callAll(ps, ys, ws).get(0), 1e-15);
    }

    @Test void categoricalCrossentropyValueOpIsUnchanged() {
        Variable p = T.dmatrix("p"), y = T.lvector("y");
        Function f = Theon.function(List.of(p, y), T.categoricalCrossentropy(p, y));
        assertEquals(1, count(f, CrossentropyCategorical1Hot.class), f.describe());
    }
}
