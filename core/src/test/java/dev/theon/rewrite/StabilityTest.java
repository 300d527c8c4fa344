package dev.theon.rewrite;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.compile.Options;
import dev.theon.graph.Variable;
import dev.theon.ops.CrossentropyCategorical1Hot;
import dev.theon.ops.CrossentropySoftmax1Hot;
import dev.theon.ops.LogSoftmax;
import dev.theon.ops.ScalarOp;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Supplier;

import static dev.theon.rewrite.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Stable forms, in every mode, and for the gradients built before rewriting. Each is compared with values computed by
 * hand and, where the unstable form is merely inaccurate rather than infinite, with the unrewritten graph.
 */
class StabilityTest {

    static final List<Supplier<Options>> MODES = List.of(
            () -> Theon.options().mode("FAST_RUN"), () -> Theon.options().mode("FAST_COMPILE"), () -> Theon.options().mode("DEBUG"));

    static void assertFinite(NDArray a) {
        for (double v : a.toDoubleArray()) assertTrue(Double.isFinite(v), "not finite: " + a);
    }

    @Test void logOfOnePlusIsLog1pInEveryMode() {
        Variable x = T.dvector("x");
        for (Supplier<Options> mode : MODES) {
            Function f = Theon.function(List.of(x), T.log(T.add(1.0, x)), mode.get());
            assertEquals(1e-20, f.call(new double[]{1e-20}).flatDouble(0), 1e-36, f.mode().toString());
            Function g = Theon.function(List.of(x), T.log(T.sub(1.0, x)), mode.get());
            assertEquals(-1e-20, g.call(new double[]{1e-20}).flatDouble(0), 1e-36, g.mode().toString());
        }
        // without the rewrite, 1 + 1e-20 rounds to 1 and the log is 0
        Function plain = Theon.function(List.of(x), T.log(T.add(1.0, x)), Theon.options().mode("FAST_COMPILE").excluding("log1p"));
        assertEquals(0.0, plain.call(new double[]{1e-20}).flatDouble(0));
        // away from 0 both agree
        Function f = Theon.function(List.of(x), T.log(T.add(x, 1.0)));
        assertClose(new double[]{Math.log(3), Math.log(0.5)}, f.call(new double[]{2, -0.5}), 1e-15);
        Variable h = T.fvector("h");
        NDArray r = Theon.function(List.of(h), T.log(T.add(h, 1.0f))).call(new float[]{1e-10f});
        assertEquals(DType.FLOAT32, r.dtype());
        assertEquals(1e-10f, r.toFloatArray()[0], 1e-17f);
    }

    @Test void expMinusOneIsExpm1() {
        Variable x = T.dvector("x");
        for (Supplier<Options> mode : MODES) {
            Function f = Theon.function(List.of(x), T.sub(T.exp(x), 1.0), mode.get());
            assertEquals(1e-20, f.call(new double[]{1e-20}).flatDouble(0), 1e-36);
            assertEquals(0, countScalar(f, ScalarOp.EXP), ops(f));
        }
    }

    @Test void logSoftmaxOfLargeValuesIsFinite() {
        Variable x = T.dvector("x");
        Variable w = T.dvector("w");
        Variable lsm = T.log(T.softmax(x));
        Variable g = T.grad(T.sum(T.mul(lsm, w)), x);
        double[] xs = {1000, 0}, ws = {0.25, 0.75};
        for (Supplier<Options> mode : MODES) {
            Function f = Theon.function(List.of(x, w), List.of(lsm, g), mode.get());
            List<NDArray> r = f.callAll(xs, ws);
            assertClose(new double[]{0, -1000}, r.get(0), 1e-12);
            // d/dx sum(w * log_softmax(x)) = w - softmax(x) * sum(w); softmax = [1, e^-1000]
            assertClose(new double[]{0.25 - 1, 0.75 - 0}, r.get(1), 1e-12);
            assertEquals(1, count(f, LogSoftmax.class), ops(f));
        }
        Function plain = Theon.function(List.of(x), lsm, unrewritten());
        assertEquals(Double.NEGATIVE_INFINITY, plain.call(xs).flatDouble(1), "the unrewritten graph overflows to -inf");
    }

    @Test void logSigmoidAndItsGradientAtLargeMagnitudes() {
        Variable x = T.dvector("x");
        Variable ls = T.log(T.sigmoid(x));
        Variable l1m = T.log(T.sub(1.0, T.sigmoid(x)));
        Variable g = T.grad(T.sum(ls), x), g1m = T.grad(T.sum(l1m), x);
        double[] xs = {-1000, -20, 0, 20, 1000};
        for (Supplier<Options> mode : MODES) {
            List<NDArray> r = Theon.function(List.of(x), List.of(ls, g, l1m, g1m), mode.get()).callAll(xs);
            r.forEach(StabilityTest::assertFinite);
            double[] wantLs = new double[5], wantG = new double[5], wantL1m = new double[5], wantG1m = new double[5];
            for (int i = 0; i < 5; i++) {
                double v = xs[i];
                wantLs[i] = -softplus(-v);
                wantG[i] = sigmoid(-v);            // d log sigmoid(x) = 1 - sigmoid(x)
                wantL1m[i] = -softplus(v);
                wantG1m[i] = -sigmoid(v);          // d log(1 - sigmoid(x)) = -sigmoid(x)
            }
            assertClose(wantLs, r.get(0), 1e-12);
            assertClose(wantG, r.get(1), 1e-12);
            assertClose(wantL1m, r.get(2), 1e-12);
            assertClose(wantG1m, r.get(3), 1e-12);
        }
        // without the rewrites the gradient at -1000 is 0 / 0
        assertTrue(Double.isNaN(Theon.function(List.of(x), g, unrewritten()).call(new double[]{-1000}).flatDouble(0)));
    }

    @Test void logisticWrittenOutIsSigmoid() {
        // the Theano tutorial's logistic regression: p = 1 / (1 + exp(-z)), cost = -y log p - (1 - y) log(1 - p)
        Variable z = T.dvector("z"), y = T.dvector("y");
        List<Variable> forms = List.of(T.div(1.0, T.add(1.0, T.exp(T.neg(z)))), T.div(1.0, T.add(T.exp(T.neg(z)), 1.0)),
                T.div(T.exp(z), T.add(1.0, T.exp(z))));
        for (Variable p : forms) {
            Variable cost = T.sum(T.sub(T.neg(T.mul(y, T.log(p))), T.mul(T.sub(1.0, y), T.log(T.sub(1.0, p)))));
            Variable g = T.grad(cost, z);
            // the value and the cost become sigmoid/softplus forms: exact at any magnitude. The gradient graph is built
            // from the written-out form before rewriting, so it is checked where that form is well conditioned.
            double[] far = {-800, -300, -30, 30, 300, 800}, farY = {0, 1, 1, 0, 0, 1};
            double[] near = {-3, -1, 0, 0.5, 2, 3}, nearY = {1, 0, 1, 0, 1, 0};
            for (Supplier<Options> mode : MODES) {
                checkLogistic(List.of(z, y), List.of(p, cost), far, farY, null, mode.get());
                checkLogistic(List.of(z, y), List.of(p, cost, g), near, nearY, g, mode.get());
            }
        }
        // not a sigmoid: 2 / (1 + exp(-z)) is left alone
        Function f = Theon.function(List.of(z), T.div(2.0, T.add(1.0, T.exp(T.neg(z)))));
        assertEquals(2 * sigmoid(1.5), f.call(new double[]{1.5}).flatDouble(0), 1e-15);
    }

    private static void checkLogistic(List<Variable> in, List<Variable> out, double[] zs, double[] ys, Variable g, Options o) {
        List<NDArray> r = Theon.function(in, out, o).callAll(zs, ys);
        double wantCost = 0;
        for (int i = 0; i < zs.length; i++) {
            wantCost += ys[i] * softplus(-zs[i]) + (1 - ys[i]) * softplus(zs[i]);
            assertEquals(sigmoid(zs[i]), r.get(0).flatDouble(i), 1e-15);
            if (g != null) assertEquals(sigmoid(zs[i]) - ys[i], r.get(2).flatDouble(i), 1e-12);
        }
        assertEquals(wantCost, r.get(1).toDouble(), 1e-9 * wantCost);
    }

    @Test void binaryCrossentropyOfSigmoidAtLargeLogits() {
        for (DType dt : List.of(DType.FLOAT64, DType.FLOAT32)) {
            Variable x = T.tensor(dt, 1, "x"), t = T.tensor(dt, 1, "t");
            Variable loss = T.binaryCrossentropy(T.sigmoid(x), t);
            Variable g = T.grad(T.sum(loss), x);
            NDArray xs = NDArray.of(100.0, -100.0, 100.0, -100.0, 0.5).astype(dt), ts = NDArray.of(1.0, 1.0, 0.0, 0.0, 0.3).astype(dt);
            for (Supplier<Options> mode : MODES) {
                List<NDArray> r = Theon.function(List.of(x, t), List.of(loss, g), mode.get()).callAll(xs, ts);
                assertFinite(r.get(0));
                assertFinite(r.get(1));
                double[] wantLoss = new double[5], wantG = new double[5];
                for (int i = 0; i < 5; i++) {
                    double v = xs.flatDouble(i), tv = ts.flatDouble(i);
                    wantLoss[i] = softplus(v) - tv * v;    // -(t log s + (1 - t) log(1 - s)) with s = sigmoid(v)
                    wantG[i] = sigmoid(v) - tv;
                }
                double tol = dt == DType.FLOAT32 ? 1e-5 : 1e-12;
                assertClose(wantLoss, r.get(0), tol);
                assertClose(wantG, r.get(1), tol);
            }
        }
    }

    @Test void crossentropyOfSoftmaxIsComputedFromTheLogits() {
        Variable x = T.dmatrix("x");
        Variable labels = T.lvector("labels");
        Variable ce = T.categoricalCrossentropy(T.softmax(x), labels);
        Variable g = T.grad(T.sum(ce), x);
        double[][] xs = {{1000, 0, -5}, {0, 1000, 2}, {1, 2, 3}};
        long[] ls = {1, 1, 0};
        for (Supplier<Options> mode : MODES) {
            Function f = Theon.function(List.of(x, labels), List.of(ce, g), mode.get());
            List<NDArray> r = f.callAll(xs, ls);
            assertEquals(0, count(f, CrossentropyCategorical1Hot.class), ops(f));
            assertEquals(1, count(f, CrossentropySoftmax1Hot.class), ops(f));
            double[] wantCe = new double[3], wantG = new double[9];
            for (int i = 0; i < 3; i++) {
                double m = Math.max(xs[i][0], Math.max(xs[i][1], xs[i][2])), s = 0;
                for (double v : xs[i]) s += Math.exp(v - m);
                wantCe[i] = Math.log(s) + m - xs[i][(int) ls[i]];
                for (int j = 0; j < 3; j++) wantG[i * 3 + j] = Math.exp(xs[i][j] - m) / s - (j == ls[i] ? 1 : 0);
            }
            assertClose(wantCe, r.get(0), 1e-12);
            assertClose(wantG, r.get(1), 1e-12);
        }
        // a label out of range is still an error naming the row
        Function f = Theon.function(List.of(x, labels), ce);
        Exception e = assertThrows(RuntimeException.class, () -> f.call(xs, new long[]{0, 3, 0}));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    }

    @Test void crossentropyAgainstOneHotRowsIsStable() {
        Variable x = T.dmatrix("x"), t = T.dmatrix("t");
        Variable ce = T.categoricalCrossentropy(T.softmax(x), t);
        Variable g = T.grad(T.sum(ce), x);
        double[][] xs = {{1000, 0}, {-3, 4}}, ts = {{0, 1}, {0.5, 0.5}};
        List<NDArray> r = Theon.function(List.of(x, t), List.of(ce, g)).callAll(xs, ts);
        assertClose(new double[]{1000, 0.5 * (7 + Math.log1p(Math.exp(-7))) + 0.5 * Math.log1p(Math.exp(-7))}, r.get(0), 1e-12);
        double s1 = 1 / (1 + Math.exp(-7));  // softmax of row 1: [1 - s1, s1]
        assertClose(new double[]{1, -1, (1 - s1) - 0.5, s1 - 0.5}, r.get(1), 1e-12);
    }

    @Test void logSumExpSubtractsTheMaximum() {
        Variable x = T.dmatrix("x");
        Variable lse = T.log(T.sum(T.exp(x), 1));
        Variable g = T.grad(T.sum(lse), x);
        double[][] xs = {{1000, 1000}, {0, 1}, {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}};
        for (Supplier<Options> mode : List.of(MODES.get(0), MODES.get(1))) {
            List<NDArray> r = Theon.function(List.of(x), List.of(lse, g), mode.get()).callAll((Object) xs);
            assertClose(new double[]{1000 + Math.log(2), Math.log(1 + Math.E), Double.NEGATIVE_INFINITY}, r.get(0), 1e-12);
            double e = Math.E / (1 + Math.E);
            double[] gv = r.get(1).toDoubleArray();
            assertArrayEquals(new double[]{0.5, 0.5, 1 - e, e}, java.util.Arrays.copyOf(gv, 4), 1e-12);
        }
        assertEquals(Double.POSITIVE_INFINITY, Theon.function(List.of(x), lse, unrewritten()).call((Object) xs).flatDouble(0));
        // keepdims and several axes
        Variable y = T.dtensor3("y");
        Variable lse2 = T.log(T.sum(T.exp(y), new int[]{1, 2}, true));
        NDArray r = Theon.function(List.of(y), lse2).call((Object) new double[][][]{{{800, 800}, {800, 800}}});
        assertArrayEquals(new long[]{1, 1, 1}, r.shape());
        assertEquals(800 + Math.log(4), r.flatDouble(0), 1e-12);
    }

    @Test void handWrittenSoftmaxIsStable() {
        Variable x = T.dmatrix("x");
        Variable e = T.exp(x);
        Variable sm = T.div(e, T.sum(e, new int[]{1}, true));
        NDArray r = Theon.function(List.of(x), sm).call((Object) new double[][]{{1000, 1000}, {0, Math.log(3)}});
        assertClose(new double[]{0.5, 0.5, 0.25, 0.75}, r, 1e-12);
    }

    static double softplus(double v) { return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)); }

    static double sigmoid(double v) { return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)); }
}
