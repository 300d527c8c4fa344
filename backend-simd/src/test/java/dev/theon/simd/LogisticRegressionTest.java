package dev.theon.simd;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.compile.Mode;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A logistic regression with integer labels, as Theano's tutorial writes it: softmax, the log-probability of each
 * row's label picked with x[arange(n), y], its gradient (an advanced inc_subtensor) and the updates. Every node runs
 * on a simd kernel, and training gives the reference backend's values: as written (the one-hot cross-entropy
 * rewrites excluded, so the indexing kernels run) and as FAST_RUN fuses it (the one-hot cross-entropy kernels run).
 */
class LogisticRegressionTest {
    static final int ROWS = 64, FEATURES = 12, CLASSES = 5;
    static final double RATE = 0.5;

    /** The training function and its parameters; the cost is -mean(log(p[arange(n), y])). */
    record Model(Function train, SharedVariable w, SharedVariable b) {}

    static Model model(DType dt, String backend, Mode mode) { return model(dt, backend, mode, true); }

    static Model model(DType dt, String backend, Mode mode, boolean fused) {
        Variable x = T.tensor(dt, new long[]{-1, -1}, "x"), y = T.lvector("y");
        SharedVariable w = Theon.shared(NDArray.zeros(dt, FEATURES, CLASSES), "w"), b = Theon.shared(NDArray.zeros(dt, CLASSES), "b");
        Variable p = T.softmax(T.add(T.dot(x, w), b));
        Variable picked = T.get(p, T.arange(T.shape(y, 0)), y);
        Variable cost = T.neg(T.mean(T.log(picked)));
        List<Variable> g = Theon.grad(cost, List.of(w, b));
        var options = Theon.options().backend(backend).mode(mode);
        if (!fused) options.excluding("crossentropy_onehot");
        Function f = Theon.function(List.of(x, y), cost, options
                .update(w, T.sub(w, T.mul(g.get(0), RATE))).update(b, T.sub(b, T.mul(g.get(1), RATE))));
        return new Model(f, w, b);
    }

    static double[][] data(Random r) {
        double[][] x = new double[ROWS][FEATURES];
        for (double[] row : x) for (int j = 0; j < FEATURES; j++) row[j] = r.nextGaussian();
        return x;
    }

    static long[] labels(double[][] x) {
        long[] y = new long[ROWS];
        for (int i = 0; i < ROWS; i++) y[i] = Math.floorMod((long) Math.floor(2 * x[i][0] + x[i][1]), CLASSES);  // learnable
        return y;
    }

    @Test void compilesWithoutFallbacksAndTrainsLikeTheReference() {
        for (boolean fused : new boolean[]{false, true})
        for (DType dt : new DType[]{DType.FLOAT64, DType.FLOAT32}) {
            Model s = model(dt, "simd", Mode.FAST_RUN, fused), ref = model(dt, "reference", Mode.FAST_RUN, fused);
            String d = s.train().describe();
            assertFalse(d.contains("FALLBACK"), d);
            List<String> kernels = fused ? List.of("crossentropy_softmax_1hot", "crossentropy_softmax_1hot_dx")
                    : List.of("arange", "element gather", "element scatter-add");
            for (String kernel : kernels) assertTrue(d.contains(kernel), d);
            Random r = new Random(41);
            double[][] x = data(r);
            long[] y = labels(x);
            NDArray xs = NDArray.fromJava(x, dt);
            double first = 0, last = 0;
            for (int step = 0; step < 40; step++) {
                double cs = s.train().call(xs, y).toDouble(), cr = ref.train().call(xs, y).toDouble();
                assertEquals(cr, cs, (dt == DType.FLOAT32 ? 1e-5 : 1e-12) * Math.abs(cr), dt + " cost at step " + step);
                if (step == 0) first = cs;
                last = cs;
            }
            assertEquals(Math.log(CLASSES), first, dt == DType.FLOAT32 ? 1e-6 : 1e-15, "zero weights give uniform probabilities");
            assertTrue(last < 0.8 * first, dt + ": the cost falls, " + first + " -> " + last);
            double rtol = dt == DType.FLOAT32 ? 1e-4 : 1e-11;
            Parity.near(s.w().get(false), ref.w().get(false), rtol, dt + " w");
            Parity.near(s.b().get(false), ref.b().get(false), rtol, dt + " b");
        }
    }

    @Test void firstStepMatchesTheGradientComputedHere() {
        Model s = model(DType.FLOAT64, "simd", Mode.FAST_RUN);
        Random r = new Random(42);
        double[][] x = data(r);
        long[] y = labels(x);
        s.train().call(x, y);
        // from zero weights every probability is 1/CLASSES: dcost/dz[i][c] = (1/CLASSES - [c == y[i]]) / ROWS
        double[][] w = s.w().get(false).toDoubleMatrix();
        double[] b = s.b().get(false).toDoubleArray();
        for (int c = 0; c < CLASSES; c++) {
            double gb = 0;
            for (int i = 0; i < ROWS; i++) gb += (1.0 / CLASSES - (y[i] == c ? 1 : 0)) / ROWS;
            assertEquals(-RATE * gb, b[c], 1e-15, "b[" + c + "]");
            for (int j = 0; j < FEATURES; j++) {
                double gw = 0;
                for (int i = 0; i < ROWS; i++) gw += x[i][j] * (1.0 / CLASSES - (y[i] == c ? 1 : 0)) / ROWS;
                assertEquals(-RATE * gw, w[j][c], 1e-14, "w[" + j + "][" + c + "]");
            }
        }
    }

    @Test void everyNodeAgreesWithItsReferencePerformInDebugMode() {
        Model s = model(DType.FLOAT64, "simd", Mode.DEBUG);
        assertTrue(s.train().describe().contains("cross-checked"), s.train().describe());
        Random r = new Random(43);
        double[][] x = data(r);
        long[] y = labels(x);
        for (int step = 0; step < 3; step++) s.train().call(x, y);
    }
}
