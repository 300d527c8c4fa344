package dev.theon.grad;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.TheonException;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Gradients of the nnet family: softmax and log-softmax along every axis of several ranks, categorical cross-entropy
 * with integer labels and with one-hot targets, the rectifiers and the binary cross-entropies, checked with finite
 * differences and against derivatives written out by hand; and the stable forms at extreme inputs.
 */
class NnetGradTest {

    /** Moderate values in C order, reshaped to {@code shape}. */
    static NDArray random(long seed, long... shape) {
        Random rnd = new Random(seed);
        long n = 1;
        for (long d : shape) n *= d;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextGaussian();
        return NDArray.fromDoubles(DType.FLOAT64, v, shape);
    }

    /** Values in (lo, hi), away from both ends. */
    static NDArray uniform(long seed, double lo, double hi, long... shape) {
        Random rnd = new Random(seed);
        long n = 1;
        for (long d : shape) n *= d;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * (0.05 + 0.9 * rnd.nextDouble());
        return NDArray.fromDoubles(DType.FLOAT64, v, shape);
    }

    // ---------------------------------------------------------------- softmax and log-softmax

    /** Every axis, negative ones included, of ranks 1 to 3; a size-1 axis (declared broadcastable) too. */
    static final long[][] SHAPES = {{5}, {3, 4}, {2, 3, 4}, {1, 4}, {3, 1}};

    @Test void softmaxGradientOnEveryAxis() {
        for (long[] shape : SHAPES) {
            for (int axis = -shape.length; axis < shape.length; axis++) {
                int ax = axis;
                Theon.verifyGrad(in -> T.softmax(in.get(0), ax), List.of(random(shape.length * 10L + axis, shape)));
            }
        }
    }

    @Test void logSoftmaxGradientOnEveryAxis() {
        for (long[] shape : SHAPES) {
            for (int axis = -shape.length; axis < shape.length; axis++) {
                int ax = axis;
                Theon.verifyGrad(in -> T.logSoftmax(in.get(0), ax), List.of(random(shape.length * 10L + axis + 100, shape)));
            }
        }
    }

    @Test void softmaxInsideALargerExpression() {
        // the softmax output is reused downstream, so its gradient is not just a random projection
        Theon.verifyGrad(in -> T.sum(T.mul(T.softmax(in.get(0), 0), T.tanh(in.get(0))), 1),
                List.of(random(7, 3, 4)));
        Theon.verifyGrad(in -> T.sqr(T.logSoftmax(T.mul(in.get(0), in.get(1)))),
                List.of(random(8, 2, 3), random(9, 1, 3)));
    }

    @Test void softmaxJacobianByHand() {
        // d softmax_j / d x_k = s_j (delta_jk - s_k); with cost = sum(w * softmax(x)): grad_k = s_k (w_k - sum_j w_j s_j)
        double[] x = {0.5, -1.0, 2.0}, w = {1.0, -2.0, 0.25};
        double z = 0;
        for (double v : x) z += Math.exp(v);
        double[] s = new double[3];
        double ws = 0;
        for (int k = 0; k < 3; k++) { s[k] = Math.exp(x[k]) / z; ws += w[k] * s[k]; }
        Variable xv = T.dvector("x");
        double[] g = T.grad(T.sum(T.mul(T.softmax(xv), NDArray.of(w))), xv).eval(Map.of(xv, x)).toDoubleArray();
        double[] gl = T.grad(T.sum(T.mul(T.logSoftmax(xv), NDArray.of(w))), xv).eval(Map.of(xv, x)).toDoubleArray();
        double wsum = w[0] + w[1] + w[2];
        for (int k = 0; k < 3; k++) {
            assertEquals(s[k] * (w[k] - ws), g[k], 1e-14, "softmax grad " + k);
            // d log_softmax_j / d x_k = delta_jk - s_k: grad_k = w_k - s_k sum_j w_j
            assertEquals(w[k] - s[k] * wsum, gl[k], 1e-14, "log_softmax grad " + k);
        }
    }

    @Test void logSoftmaxGradientIsFiniteAtLargeInputs() {
        Variable x = T.dvector("x");
        Variable lsm = T.logSoftmax(x);
        // cost = lsm[1] = -1000 - log(1 + e^-1000): d/dx = [-1, 1] up to e^-1000
        double[] g = T.grad(T.sum(T.mul(lsm, NDArray.of(0.0, 1.0))), x).eval(Map.of(x, new double[]{1000, 0})).toDoubleArray();
        assertArrayEquals(new double[]{-1, 1}, g, 0.0);
        // cost = lsm[0] ~ 0: d/dx ~ [0, 0]
        double[] g0 = T.grad(T.sum(T.mul(lsm, NDArray.of(1.0, 0.0))), x).eval(Map.of(x, new double[]{1000, 0})).toDoubleArray();
        assertArrayEquals(new double[]{0, 0}, g0, 0.0);
        // softmax at the same point: also finite
        double[] gs = T.grad(T.sum(T.mul(T.softmax(x), NDArray.of(0.0, 1.0))), x).eval(Map.of(x, new double[]{1000, 0})).toDoubleArray();
        for (double v : gs) assertTrue(Double.isFinite(v), "softmax gradient " + v);
    }

    @Test void gradientsKeepFloat32() {
        Variable x = T.fmatrix("x");
        for (Variable y : List.of(T.softmax(x), T.logSoftmax(x, 0))) {
            Variable g = T.grad(T.sum(T.mul(y, y)), x);
            assertEquals(DType.FLOAT32, g.dtype());
            assertEquals(2, g.ndim());
        }
        Variable l = T.lvector("l");
        Variable gc = T.grad(T.sum(T.categoricalCrossentropy(T.softmax(x), l)), x);
        assertEquals(DType.FLOAT32, gc.dtype());
        float[][] r = gc.eval(Map.of(x, new float[][]{{0, 0}}, l, new long[]{1})).toFloatMatrix();
        assertArrayEquals(new float[]{0.5f, -0.5f}, r[0], 1e-6f);
    }

    @Test void integerInputsOfSoftmaxAreDisconnected() {
        Variable i = T.lvector("i");
        var e = assertThrows(TheonException.GradientError.class, () -> T.grad(T.sum(T.softmax(i)), i));
        assertTrue(e.getMessage().contains("does not depend"), e.getMessage());
        assertThrows(TheonException.GradientError.class, () -> T.grad(T.sum(T.logSoftmax(i)), i));
    }

    // ---------------------------------------------------------------- categorical cross-entropy

    @Test void categoricalCrossentropyWithLabelsGradient() {
        NDArray coding = uniform(3, 0.1, 1.0, 4, 3);
        for (NDArray labels : List.of(NDArray.of(2L, 0L, 1L, 2L), NDArray.of(0, 0, 2, 1), NDArray.of((byte) 1, (byte) 2, (byte) 0, (byte) 0))) {
            Theon.verifyGrad(in -> T.categoricalCrossentropy(in.get(0), in.get(1)), List.of(coding, labels));
            // through a softmax: the classic "softmax - one_hot" gradient
            Theon.verifyGrad(in -> T.categoricalCrossentropy(T.softmax(in.get(0)), in.get(1)), List.of(random(4, 4, 3), labels));
        }
        // a single row with a single class (static size 1 on both axes)
        Theon.verifyGrad(in -> T.categoricalCrossentropy(in.get(0), in.get(1)), List.of(NDArray.of(new double[][]{{0.7}}), NDArray.of(new long[]{0})));
    }

    @Test void categoricalCrossentropyGradientByHand() {
        // d/dcoding of sum_i w_i * -log(coding[i, l_i]) is -w_i / coding[i, l_i] at (i, l_i), zero elsewhere, even
        // where the coding is 0 (no 0 * inf)
        double[][] c = {{0.2, 0.5, 0.3}, {0.0, 0.25, 0.75}};
        long[] labels = {1, 2};
        double[] w = {2.0, -1.0};
        Variable cv = T.dmatrix("c"), lv = T.lvector("l");
        Variable cost = T.sum(T.mul(T.categoricalCrossentropy(cv, lv), NDArray.of(w)));
        double[][] g = T.grad(cost, cv).eval(Map.of(cv, c, lv, labels)).toDoubleMatrix();
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                assertEquals(j == labels[i] ? -w[i] / c[i][j] : 0.0, g[i][j], 1e-15, "(" + i + ", " + j + ")");
        // through softmax, mean over rows: (softmax(x) - one_hot) / rows
        double[][] x = {{1.0, -0.5, 0.25}, {0.0, 2.0, -1.0}};
        Variable xv = T.dmatrix("x");
        double[][] gx = T.grad(T.mean(T.categoricalCrossentropy(T.softmax(xv), lv)), xv).eval(Map.of(xv, x, lv, labels)).toDoubleMatrix();
        for (int i = 0; i < 2; i++) {
            double z = 0;
            for (double v : x[i]) z += Math.exp(v);
            for (int j = 0; j < 3; j++)
                assertEquals((Math.exp(x[i][j]) / z - (j == labels[i] ? 1 : 0)) / 2, gx[i][j], 1e-15, "(" + i + ", " + j + ")");
        }
    }

    @Test void labelsAreDisconnected() {
        Variable c = T.dmatrix("c"), l = T.lvector("l");
        var e = assertThrows(TheonException.GradientError.class, () -> T.grad(T.sum(T.categoricalCrossentropy(c, l)), l));
        assertTrue(e.getMessage().contains("does not depend"), e.getMessage());
    }

    @Test void categoricalCrossentropyWithOneHotTargetGradient() {
        NDArray target = NDArray.of(new double[][]{{0, 1, 0}, {0.2, 0.3, 0.5}, {1, 0, 0}});
        Theon.verifyGrad(in -> T.categoricalCrossentropy(in.get(0), in.get(1)), List.of(uniform(5, 0.1, 1.0, 3, 3), target));
    }

    // ---------------------------------------------------------------- rectifiers

    /** Points at least 0.1 away from the kink at 0. */
    static NDArray awayFromZero(long seed, long... shape) {
        NDArray a = random(seed, shape);
        for (long k = 0; k < a.size(); k++) {
            double v = a.flatDouble(k);
            if (Math.abs(v) < 0.1) a.setFlatDouble(k, v < 0 ? v - 0.1 : v + 0.1);
        }
        return a;
    }

    @Test void rectifierGradients() {
        NDArray x = awayFromZero(11, 3, 4);
        Theon.verifyGrad(in -> T.relu(in.get(0)), List.of(x));
        Theon.verifyGrad(in -> T.relu(in.get(0), 0.1), List.of(x));
        Theon.verifyGrad(in -> T.elu(in.get(0)), List.of(x));
        Theon.verifyGrad(in -> T.elu(in.get(0), 0.5), List.of(awayFromZero(12, 5)));
        // relu' = [x > 0]; leaky: alpha below 0; elu: alpha * exp(x) below 0
        Variable v = T.dvector("v");
        double[] at = {-2.0, -0.5, 0.5, 3.0};
        assertArrayEquals(new double[]{0, 0, 1, 1}, T.grad(T.sum(T.relu(v)), v).eval(Map.of(v, at)).toDoubleArray(), 0.0);
        assertArrayEquals(new double[]{0.1, 0.1, 1, 1}, T.grad(T.sum(T.relu(v, 0.1)), v).eval(Map.of(v, at)).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[]{0.5 * Math.exp(-2), 0.5 * Math.exp(-0.5), 1, 1},
                T.grad(T.sum(T.elu(v, 0.5)), v).eval(Map.of(v, at)).toDoubleArray(), 1e-15);
    }

    // ---------------------------------------------------------------- binary cross-entropies

    @Test void binaryCrossentropyGradients() {
        NDArray out = uniform(13, 0.0, 1.0, 2, 3);
        // both operands differentiable; the target broadcast along rows, then as a scalar
        Theon.verifyGrad(in -> T.binaryCrossentropy(in.get(0), in.get(1)), List.of(out, uniform(14, 0.0, 1.0, 2, 3)));
        Theon.verifyGrad(in -> T.binaryCrossentropy(in.get(0), in.get(1)), List.of(out, uniform(15, 0.0, 1.0, 1, 3)));
        Theon.verifyGrad(in -> T.binaryCrossentropy(in.get(0), in.get(1)), List.of(out, NDArray.of(0.3)));
        // d/do of -(t log o + (1 - t) log(1 - o)) = (o - t) / (o (1 - o))
        Variable o = T.dvector("o"), t = T.dvector("t");
        double[] ov = {0.2, 0.9}, tv = {1.0, 0.25};
        double[] g = T.grad(T.sum(T.binaryCrossentropy(o, t)), o).eval(Map.of(o, ov, t, tv)).toDoubleArray();
        for (int k = 0; k < 2; k++) assertEquals((ov[k] - tv[k]) / (ov[k] * (1 - ov[k])), g[k], 1e-14);
    }

    @Test void sigmoidBinaryCrossentropyGradients() {
        NDArray logits = random(16, 2, 3);
        Theon.verifyGrad(in -> T.sigmoidBinaryCrossentropy(in.get(0), in.get(1)), List.of(logits, uniform(17, 0.0, 1.0, 2, 3)));
        Theon.verifyGrad(in -> T.sigmoidBinaryCrossentropy(in.get(0), in.get(1)), List.of(logits, uniform(18, 0.0, 1.0, 2, 1)));
        // bool labels are cast and held fixed
        Theon.verifyGrad(in -> T.sigmoidBinaryCrossentropy(in.get(0), in.get(1)),
                List.of(logits, NDArray.of(new boolean[][]{{true, false, true}, {false, false, true}})));
    }

    @Test void sigmoidBinaryCrossentropyGradientIsFiniteAtSaturatedLogits() {
        // d/dx (softplus(x) - t x) = sigmoid(x) - t: exact where sigmoid saturates
        Variable x = T.dvector("x"), t = T.dvector("t");
        double[] xs = {100, -100, 100, -100}, ts = {0, 1, 1, 0};
        double[] g = T.grad(T.sum(T.sigmoidBinaryCrossentropy(x, t)), x).eval(Map.of(x, xs, t, ts)).toDoubleArray();
        for (double v : g) assertTrue(Double.isFinite(v), "gradient " + v);
        assertEquals(1.0, g[0], 1e-15);
        assertEquals(-1.0, g[1], 1e-15);
        assertEquals(0.0, g[2], 1e-15);
        assertEquals(0.0, g[3], 1e-15);
        // the gradient wrt the target, -x, is finite too
        double[] gt = T.grad(T.sum(T.sigmoidBinaryCrossentropy(x, t)), t).eval(Map.of(x, xs, t, ts)).toDoubleArray();
        assertArrayEquals(new double[]{-100, 100, -100, 100}, gt, 0.0);
    }
}
