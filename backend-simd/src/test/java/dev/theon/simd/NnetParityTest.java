package dev.theon.simd;

import dev.theon.T;
import dev.theon.TheonException;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.simd.Parity.Lay;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** softmax, log_softmax, crossentropy with integer labels and the data-moving shape ops against the reference. */
class NnetParityTest {
    // small arrays take the multi-threaded paths too (in production a thread must get ~a millisecond of work)
    @org.junit.jupiter.api.BeforeAll static void splitSmallWork() { Pool.splitDivisor = 64; }
    @org.junit.jupiter.api.AfterAll static void splitOnlyLargeWork() { Pool.splitDivisor = 1; }


    @Test void softmaxAndLogSoftmaxAlongEveryAxis() {
        Random r = new Random(9);
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.INT32}) {
            for (Lay lay : Lay.values()) {
                NDArray a = Parity.random(r, dt, new long[]{4, 37, 5}, -30, 30, lay);
                for (int axis : new int[]{0, 1, 2, -1}) {
                    Variable x = T.tensor(dt, new long[]{-1, -1, -1}, "x");
                    for (Variable out : List.of(T.softmax(x, axis), T.logSoftmax(x, axis))) {
                        String what = out.owner().op().name() + " " + dt + " " + lay;
                        NDArray s = Parity.simd(List.of(x), List.of(out)).callAll(a).get(0);
                        NDArray ref = Parity.reference(List.of(x), List.of(out)).callAll(a).get(0);
                        Parity.near(s, ref, s.dtype() == DType.FLOAT32 ? 4e-6 : 1e-14, what);
                    }
                }
            }
        }
    }

    @Test void softmaxOfARealisticBatchAgainstAFloat64Loop() {
        int rows = 256, classes = 1000;
        Random r = new Random(4);
        NDArray a = Parity.random(r, DType.FLOAT32, new long[]{rows, classes}, -5, 5, Lay.CONTIGUOUS);
        Variable x = T.fmatrix("x");
        NDArray s = Parity.simd(List.of(x), List.of(T.softmax(x))).callAll(a).get(0);
        for (int i = 0; i < rows; i += 37) {
            double m = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < classes; j++) m = Math.max(m, a.getDouble(i, j));
            for (int j = 0; j < classes; j++) sum += Math.exp(a.getDouble(i, j) - m);
            for (int j = 0; j < classes; j++) {
                double want = Math.exp(a.getDouble(i, j) - m) / sum;
                // x - m is rounded to float32 (as numpy and torch round it): up to 2^-21 absolute in the exponent
                assertEquals(want, s.getDouble(i, j), 16 * Math.ulp((float) want), "row " + i + " col " + j);
            }
        }
    }

    /**
     * Lanes on and beside the vector, tree and block lengths of the kernel, against float64 loops, within the error
     * bound of its steps (u = 2^-24 for float32, 2^-53 for float64): x - m rounded (u|x - m|), exp (2u, about an ulp),
     * so each exponential within eps_i = u|x_i - m| + 2u; the sum within eta = max eps_i + gamma_5(u) (float32 trees,
     * then float64) or + gamma_n(u) (float64); softmax: 1/s rounded and the product rounded (2u); log_softmax: log(s)
     * off by eta, then rounded, and the subtraction rounded.
     */
    @Test void lanesAroundVectorAndTreeLengthsWithinTheErrorBound() {
        Random r = new Random(21);
        int fl = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        int[] lengths = {1, 2, fl - 1, fl, fl + 1, 2 * fl + 5, 4 * fl - 1, 4 * fl, 4 * fl + 1, 16 * fl - 1, 16 * fl, 16 * fl + 1,
                17 * fl + 3, 20 * fl + fl - 2, 1000, 1031};
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            double u = dt == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
            for (int n : lengths) {
                int rows = 3;
                NDArray a = Parity.random(r, dt, new long[]{rows, n}, -5, 5, Lay.CONTIGUOUS);
                Variable x = T.tensor(dt, new long[]{-1, -1}, "x");
                NDArray sm = Parity.simd(List.of(x), List.of(T.softmax(x))).callAll(a).get(0);
                NDArray lsm = Parity.simd(List.of(x), List.of(T.logSoftmax(x))).callAll(a).get(0);
                for (int i = 0; i < rows; i++) {
                    double m = Double.NEGATIVE_INFINITY, s = 0, span = 0;
                    for (int j = 0; j < n; j++) m = Math.max(m, a.getDouble(i, j));
                    for (int j = 0; j < n; j++) { s += Math.exp(a.getDouble(i, j) - m); span = Math.max(span, m - a.getDouble(i, j)); }
                    double gammaSum = dt == DType.FLOAT32 ? 5 * u / (1 - 5 * u) + (n + 1) * 0x1p-53 : (n + 1) * u / (1 - (n + 1) * u);
                    double eta = u * span + 2 * u + gammaSum;
                    for (int j = 0; j < n; j++) {
                        double d = a.getDouble(i, j) - m, want = Math.exp(d) / s;
                        double rel = (u * -d + 2 * u) + eta + 2 * u + 0x1p-52;
                        String where = dt + " lane of " + n + " row " + i + " col " + j;
                        assertEquals(want, sm.getDouble(i, j), 1.01 * rel * want, "softmax " + where);
                        double lwant = d - Math.log(s);
                        double abs = u * -d + eta + u * Math.abs(Math.log(s)) + u * Math.abs(lwant) + 0x1p-52;
                        assertEquals(lwant, lsm.getDouble(i, j), 1.01 * abs, "log_softmax " + where);
                    }
                }
            }
        }
    }

    @Test void specialValuesFollowTheReference() {
        Variable x = T.dmatrix("x");
        NDArray a = NDArray.of(new double[][]{{1000, 0, -1000}, {Double.NaN, 1, 2}, {Double.NEGATIVE_INFINITY, 0, 0}});
        for (Variable out : List.of(T.softmax(x), T.logSoftmax(x)))
            Parity.both(List.of(x), List.of(out), new Object[]{a}, 2, out.owner().op().name());
    }

    @Test void crossentropyWithIntegerLabels() {
        Variable c = T.fmatrix("c"), y = T.ivector("y");
        Variable ce = new dev.theon.ops.CrossentropyCategorical1Hot().apply(c, y);
        NDArray coding = NDArray.of(new float[][]{{0.2f, 0.8f}, {0.6f, 0.4f}, {0.5f, 0.5f}});
        NDArray got = Parity.both(List.of(c, y), List.of(ce), new Object[]{coding.transpose().copy().transpose(), new int[]{1, 0, 1}}, 0, "ce").get(0);
        assertArrayEquals(new float[]{(float) -Math.log(0.8f), (float) -Math.log(0.6f), (float) -Math.log(0.5f)}, got.toFloatArray());
        Function f = Parity.simd(List.of(c, y), List.of(ce));
        TheonException.RuntimeError e = assertThrows(TheonException.RuntimeError.class, () -> f.callAll(coding, new int[]{1, 2, 0}));
        assertTrue(e.getMessage().contains("label 2 in row 1"), e.getMessage());
    }

    @Test void crossentropyOfSoftmaxWithIntegerLabels() {
        Random r = new Random(12);
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            for (Lay lay : new Lay[]{Lay.CONTIGUOUS, Lay.TRANSPOSED}) {
                Variable x = T.tensor(dt, new long[]{-1, -1}, "x"), y = T.lvector("y");
                Variable ce = new dev.theon.ops.CrossentropySoftmax1Hot().apply(x, y);
                NDArray xs = Parity.random(r, dt, new long[]{37, 61}, -20, 20, lay);
                long[] labels = new long[37];
                for (int i = 0; i < labels.length; i++) labels[i] = r.nextInt(61);
                Function f = Parity.simd(List.of(x, y), List.of(ce));
                assertTrue(f.describe().contains("crossentropy_softmax_1hot (vector"), f.describe());
                Parity.near(f.callAll(xs, labels).get(0), Parity.reference(List.of(x, y), List.of(ce)).callAll(xs, labels).get(0),
                        dt == DType.FLOAT32 ? 1e-6 : 1e-13, "crossentropy_softmax_1hot " + dt + " " + lay);
                labels[3] = 61;
                Exception s = assertThrows(RuntimeException.class, () -> f.callAll(xs, labels));
                Exception ref = assertThrows(RuntimeException.class, () -> Parity.reference(List.of(x, y), List.of(ce)).callAll(xs, labels));
                assertEquals(ref.getClass(), s.getClass());
                assertEquals(ref.getMessage(), s.getMessage());
            }
        }
    }

    @Test void reshapeOfATransposeAndConcatenation() {
        Variable x = T.dmatrix("x"), y = T.dmatrix("y");
        NDArray a = NDArray.of(new double[][]{{1, 2, 3}, {4, 5, 6}}).transpose();
        Parity.both(List.of(x), List.of(T.reshape(x, 2, 3)), new Object[]{a}, 0, "reshape of a transpose");
        Parity.both(List.of(x), List.of(T.flatten(x)), new Object[]{a}, 0, "flatten of a transpose");
        Parity.both(List.of(x, y), List.of(T.concatenate(List.of(x, y), 1)), new Object[]{a, NDArray.of(new double[][]{{7}, {8}, {9}})}, 0, "concatenate");
        Variable i = T.imatrix("i");
        Parity.both(List.of(x, i), List.of(T.concatenate(List.of(x, i), 0)), new Object[]{a, new int[][]{{1, 2}}}, 0, "concatenate with promotion");
        Function f = Parity.simd(List.of(x), List.of(T.transpose(x)));
        assertTrue(f.describe().contains("view") && !f.describe().contains("FALLBACK"), f.describe());
    }
}
