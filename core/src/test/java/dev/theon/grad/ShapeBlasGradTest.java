package dev.theon.grad;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.graph.Variable;
import dev.theon.ops.ARange;
import dev.theon.ops.ArgReduce;
import dev.theon.ops.Eye;
import dev.theon.ops.Reshape;
import dev.theon.ops.Shape;
import dev.theon.ops.ShapeI;
import dev.theon.ops.Split;
import dev.theon.ops.Squeeze;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Gradients of the shape family (dimshuffle, reshape, flatten, join, split, squeeze), the BLAS family (dot, matmul,
 * outer, tensordot) and the creation family (alloc; shape, shape_i, arange, eye disconnected), each checked against
 * finite differences in every configuration the op supports.
 */
class ShapeBlasGradTest {

    private static final Random RNG = new Random(7);

    /** Values in [-1.5, -0.25] ∪ [0.25, 1.5], away from zero, of the given shape. */
    static NDArray rand(long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = (0.25 + 1.25 * RNG.nextDouble()) * (RNG.nextBoolean() ? 1 : -1);
        return NDArray.fromDoubles(DType.FLOAT64, v, shape);
    }

    static Variable in0(List<Variable> in) { return in.get(0); }

    // ---------------------------------------------------------------- dimshuffle

    @Test void dimshufflePermutations() {
        Theon.verifyGrad(in -> T.transpose(in0(in)), List.of(rand(2, 3)));
        Theon.verifyGrad(in -> T.dimshuffle(in0(in), 2, 0, 1), List.of(rand(2, 3, 4)));
        Theon.verifyGrad(in -> T.transpose(in0(in), 1, 2, 0), List.of(rand(2, 3, 4)));
        Theon.verifyGrad(in -> T.dimshuffle(in0(in), -1, 0, -2), List.of(rand(2, 3, 4)));
    }

    @Test void dimshuffleNewAndDroppedAxes() {
        Theon.verifyGrad(in -> T.dimshuffle(in0(in), "x", 1, "x", 0), List.of(rand(2, 3)));
        Theon.verifyGrad(in -> T.dimshuffle(in0(in), 0, "x"), List.of(rand(4)));
        Theon.verifyGrad(in -> T.dimshuffle(in0(in), "x"), List.of(NDArray.of(0.7)));
        // axis 0 has size 1, so it is broadcastable and may be dropped; 'x' puts one back elsewhere
        Theon.verifyGrad(in -> T.dimshuffle(in0(in), 1, "x"), List.of(rand(1, 3)));
        Theon.verifyGrad(in -> T.dimshuffle(in0(in), 2, 0), List.of(rand(3, 1, 2)));
        Theon.verifyGrad(in -> T.expandDims(in0(in), -1), List.of(rand(2, 3)));
        Theon.verifyGrad(in -> T.squeeze(in0(in)), List.of(rand(1, 3, 1)));
    }

    @Test void dimshuffleThenBroadcast() {
        // a row made from a vector, broadcast down a matrix: the vector gets the column sums
        Theon.verifyGrad(in -> T.mul(T.dimshuffle(in.get(0), "x", 0), in.get(1)), List.of(rand(3), rand(4, 3)));
        Theon.verifyGrad(in -> T.add(T.dimshuffle(in.get(0), 0, "x", 1), in.get(1)), List.of(rand(2, 3), rand(2, 4, 3)));
    }

    @Test void dimshuffleGradientWhoseNewAxisIsNotStaticallyOne() {
        // flatten's gradient reshapes to the run-time shape (?, ?) of the (?, 1) column, so the 'x' axis is not
        // known to be 1 in the gradient; the dimshuffle gradient must still drop it
        Theon.verifyGrad(in -> T.flatten(T.dimshuffle(in0(in), 0, "x")), List.of(rand(4)));
        Variable x = T.dvector("x");
        Variable g = T.grad(T.sum(T.mul(T.flatten(T.dimshuffle(x, 0, "x")), T.constant(new double[]{1, 2, 3}))), x);
        assertArrayEquals(new double[]{1, 2, 3}, g.eval(Map.of(x, new double[]{5, 6, 7})).toDoubleArray());
    }

    // ---------------------------------------------------------------- reshape, flatten

    @Test void reshapeFixed() {
        Theon.verifyGrad(in -> T.reshape(in0(in), 6), List.of(rand(2, 3)));
        Theon.verifyGrad(in -> T.reshape(in0(in), 3, 2), List.of(rand(2, 3)));
        Theon.verifyGrad(in -> T.reshape(in0(in), -1, 2), List.of(rand(2, 3, 2)));
        Theon.verifyGrad(in -> T.reshape(in0(in), 1, 6, 1), List.of(rand(6)));
        Theon.verifyGrad(in -> T.reshape(in0(in), new long[0]), List.of(rand(1, 1)));
        // a transposed (non-contiguous) operand is copied by reshape; its gradient comes back through the transpose
        Theon.verifyGrad(in -> T.reshape(T.transpose(in0(in)), 2, 6), List.of(rand(3, 4)));
    }

    @Test void reshapeFixedKeepsStaticShapeInItsGradient() {
        Variable x = T.tensor(DType.FLOAT64, new long[]{2, 3}, "x");
        Variable g = T.grad(T.sum(T.reshape(x, 3, 2)), x);
        assertArrayEquals(new long[]{2, 3}, g.type().shape());
    }

    @Test void reshapeSymbolic() {
        // the target shape is computed from the input's own shape; it is disconnected from the cost
        Theon.verifyGrad(in -> T.reshape(in0(in), T.stack(List.of(T.shape(in0(in), 1), T.shape(in0(in), 0)))), List.of(rand(2, 3)));
        Theon.verifyGrad(in -> T.reshape(in.get(0), T.shape(in.get(1))), List.of(rand(2, 6), rand(3, 4)));
        Variable x = T.dmatrix("x");
        Variable s = T.tensor(DType.INT64, new long[]{2}, "s");
        Variable r = T.reshape(x, s);
        List<Variable> g = r.owner().op().grad(r.owner().inputs(), r.owner().outputs(), List.of(T.onesLike(r)));
        assertEquals(2, g.size());
        assertNull(g.get(1), "the target shape is disconnected");
        Variable gx = T.grad(T.sum(T.mul(r, r)), x);
        NDArray v = gx.eval(Map.of(x, new double[][]{{1, 2, 3}, {4, 5, 6}}, s, new long[]{3, 2}));
        assertArrayEquals(new double[][]{{2, 4, 6}, {8, 10, 12}}, v.toDoubleMatrix());
        assertInstanceOf(Reshape.class, r.owner().op());
    }

    @Test void flatten() {
        Theon.verifyGrad(in -> T.flatten(in0(in)), List.of(rand(2, 3, 2)));
        Theon.verifyGrad(in -> T.flatten(in0(in), 2), List.of(rand(2, 3, 2)));
        Theon.verifyGrad(in -> T.flatten(in0(in), 3), List.of(rand(2, 3, 2)));
        Theon.verifyGrad(in -> T.flatten(in0(in)), List.of(NDArray.of(0.4)));
        Theon.verifyGrad(in -> T.flatten(T.transpose(in0(in))), List.of(rand(3, 2)));
    }

    // ---------------------------------------------------------------- join (concatenate, stack) and split

    @Test void concatenateAlongEachAxis() {
        Theon.verifyGrad(in -> T.concatenate(in, 0), List.of(rand(2, 3), rand(1, 3), rand(3, 3)));
        Theon.verifyGrad(in -> T.concatenate(in, 1), List.of(rand(2, 3), rand(2, 1), rand(2, 2)));
        Theon.verifyGrad(in -> T.concatenate(in, -1), List.of(rand(2, 2, 3), rand(2, 2, 4)));
        Theon.verifyGrad(in -> T.concatenate(in, 1), List.of(rand(2, 2, 3), rand(2, 4, 3)));
        Theon.verifyGrad(in -> T.concatenate(in, 0), List.of(rand(4)));
    }

    @Test void concatenateWithStaticSizesSplitsStatically() {
        // both pieces have static sizes on the axis: the gradient is a plain split that keeps them
        Theon.verifyGrad(in -> T.concatenate(List.of(T.reshape(in.get(0), 2, 3), T.reshape(in.get(1), 4, 3)), 0),
                List.of(rand(6), rand(12)));
        Variable a = T.tensor(DType.FLOAT64, new long[]{2, 3}, "a"), b = T.tensor(DType.FLOAT64, new long[]{4, 3}, "b");
        List<Variable> g = T.grad(T.sum(T.concatenate(List.of(a, b), 0)), List.of(a, b));
        assertArrayEquals(new long[]{2, 3}, g.get(0).type().shape());
        assertArrayEquals(new long[]{4, 3}, g.get(1).type().shape());
    }

    @Test void concatenateSendsEachPieceItsOwnGradient() {
        Variable a = T.dvector("a"), b = T.dvector("b");
        Variable w = T.constant(new double[]{1, 2, 3, 4, 5});
        List<Variable> g = T.grad(T.sum(T.mul(T.concatenate(List.of(a, b), 0), w)), List.of(a, b));
        Map<Variable, Object> at = Map.of(a, new double[]{9, 9}, b, new double[]{9, 9, 9});
        assertArrayEquals(new double[]{1, 2}, g.get(0).eval(at).toDoubleArray());
        assertArrayEquals(new double[]{3, 4, 5}, g.get(1).eval(at).toDoubleArray());
    }

    @Test void concatenateWithIntegerPieceGivesItNoGradient() {
        NDArray ints = NDArray.fromLongs(DType.INT64, new long[]{1, 2, 3}, 1, 3);
        Theon.verifyGrad(in -> T.mul(T.concatenate(in, 0), 1.5), List.of(rand(2, 3), ints));
        Variable x = T.dmatrix("x");
        Variable y = T.concatenate(List.of(x, T.constant(ints)), 0);
        assertEquals(DType.FLOAT64, T.grad(T.sum(y), x).dtype());
    }

    @Test void stackAlongEachAxis() {
        Theon.verifyGrad(in -> T.stack(in, 0), List.of(rand(2, 3), rand(2, 3), rand(2, 3)));
        Theon.verifyGrad(in -> T.stack(in, 1), List.of(rand(2, 3), rand(2, 3)));
        Theon.verifyGrad(in -> T.stack(in, -1), List.of(rand(2, 3), rand(2, 3)));
        Theon.verifyGrad(in -> T.stack(in, 0), List.of(NDArray.of(0.5), NDArray.of(-0.7)));
    }

    @Test void split() {
        // every piece used, in another order
        Theon.verifyGrad(in -> {
            List<Variable> p = T.split(in0(in), new long[]{2, 3}, 0);
            return T.concatenate(List.of(T.mul(p.get(1), 2.0), p.get(0)), 0);
        }, List.of(rand(5, 2)));
        // only the middle piece reaches the cost: the others arrive as zeros
        Theon.verifyGrad(in -> T.split(in0(in), new long[]{1, 2, 1}, 1).get(1), List.of(rand(3, 4)));
        Theon.verifyGrad(in -> T.split(in0(in), new long[]{3, 1}, -1).get(0), List.of(rand(2, 2, 4)));
        Theon.verifyGrad(in -> T.split(in0(in), new long[]{4}, 0).get(0), List.of(rand(4)));
        Variable x = T.dvector("x");
        List<Variable> p = T.split(x, new long[]{1, 2, 1}, 0);
        Variable g = T.grad(T.sum(T.mul(p.get(1), T.constant(new double[]{3, 4}))), x);
        assertArrayEquals(new double[]{0, 3, 4, 0}, g.eval(Map.of(x, new double[]{1, 1, 1, 1})).toDoubleArray());
    }

    @Test void splitWithRuntimeSizes() {
        // the gradient of a gradient through concatenate differentiates the split of run-time sizes
        Theon.verifyGrad(in -> {
            Variable c = T.concatenate(List.of(in.get(0), in.get(1)), 0);
            return T.grad(T.add(T.sum(T.pow(c, 3.0)), T.sqr(T.sum(c))), in.get(0));
        }, List.of(rand(2, 3), rand(3, 3)));
        Variable x = T.dmatrix("x");
        Variable sizes = T.tensor(DType.INT64, new long[]{2}, "sizes");
        List<Variable> p = new Split(new long[]{-1, -1}, 1).make(x, sizes).outputs();
        assertEquals("split{axis=1, sizes=(?, ?)}", p.get(0).owner().op().name());
        Variable g = T.grad(T.sum(T.mul(p.get(0), 2.0)), x);
        NDArray v = g.eval(Map.of(x, new double[][]{{1, 2, 3}, {4, 5, 6}}, sizes, new long[]{1, 2}));
        assertArrayEquals(new double[][]{{2, 0, 0}, {2, 0, 0}}, v.toDoubleMatrix());
        List<Variable> gs = p.get(0).owner().op().grad(List.of(x, sizes), p, List.of(T.onesLike(p.get(0)), T.zerosLike(p.get(1))));
        assertNull(gs.get(1), "the run-time sizes are disconnected");
    }

    @Test void splitWithRuntimeSizesForward() {
        Variable x = T.dvector("x");
        Variable sizes = T.tensor(DType.INT64, new long[]{3}, "sizes");
        List<Variable> p = new Split(new long[]{1, -1, -1}, 0).make(x, sizes).outputs();
        assertArrayEquals(new long[]{1}, p.get(0).type().shape(), "a known size stays static");
        assertArrayEquals(new long[]{-1}, p.get(1).type().shape());
        dev.theon.compile.Function f = Theon.function(List.of(x, sizes), p);
        List<NDArray> r = f.callAll(new double[]{1, 2, 3, 4, 5}, new long[]{1, 3, 1});
        assertArrayEquals(new double[]{1}, r.get(0).toDoubleArray());
        assertArrayEquals(new double[]{2, 3, 4}, r.get(1).toDoubleArray());
        assertArrayEquals(new double[]{5}, r.get(2).toDoubleArray());
        var sum = assertThrows(dev.theon.TheonException.ShapeError.class, () -> f.callAll(new double[]{1, 2, 3}, new long[]{1, 1, 2}));
        assertTrue(sum.getMessage().contains("add up to 4"), sum.getMessage());
        var fixed = assertThrows(dev.theon.TheonException.ShapeError.class, () -> f.callAll(new double[]{1, 2, 3}, new long[]{2, 1, 0}));
        assertTrue(fixed.getMessage().contains("static size 1"), fixed.getMessage());
        var missing = assertThrows(dev.theon.TheonException.TypeError.class, () -> new Split(new long[]{-1, 2}, 0).make(x));
        assertTrue(missing.getMessage().contains("second input"), missing.getMessage());
        var length = assertThrows(dev.theon.TheonException.TypeError.class, () -> new Split(new long[]{-1, 2}, 0).make(x, sizes));
        assertTrue(length.getMessage().contains("static length 2"), length.getMessage());
    }

    // ---------------------------------------------------------------- squeeze

    @Test void squeeze() {
        // Squeeze itself runs where the axis's static size is unknown (here it comes out of a symbolic reshape)
        Theon.verifyGrad(in -> {
            Variable x = in0(in);
            Variable r = T.reshape(x, T.stack(List.of(T.shape(x, 0), T.shape(x, 1), T.shape(x, 2))));
            Variable s = T.squeeze(r, 1);
            assertInstanceOf(Squeeze.class, s.owner().op());
            return s;
        }, List.of(rand(3, 1, 2)));
        Theon.verifyGrad(in -> Squeeze.of(in0(in), 0, -1).apply(in0(in)), List.of(rand(1, 3, 1)));
        Theon.verifyGrad(in -> T.squeeze(in0(in), 0), List.of(rand(1, 4)));
    }

    // ---------------------------------------------------------------- dot

    @Test void dotEveryRankPairing() {
        long[][][] pairs = {
                {{}, {}}, {{}, {3}}, {{2, 3}, {}}, {{3}, {3}}, {{2, 3}, {3}}, {{3}, {3, 4}}, {{2, 3}, {3, 4}},
                {{2, 3, 4}, {4}}, {{4}, {2, 4, 3}}, {{2, 3, 4}, {4, 2}}, {{3, 4}, {2, 4, 3}}, {{2, 3, 4}, {2, 4, 3}},
                {{2, 1, 3}, {3, 2}}, {{1, 3}, {3, 1}},
        };
        for (long[][] p : pairs) Theon.verifyGrad(in -> T.dot(in.get(0), in.get(1)), List.of(rand(p[0]), rand(p[1])));
    }

    @Test void dotMatchesTheClassicMatrixRules() {
        Variable a = T.dmatrix("a"), b = T.dmatrix("b");
        List<Variable> g = T.grad(T.sum(T.dot(a, b)), List.of(a, b));
        double[][] av = {{1, 2, 3}, {4, 5, 6}}, bv = {{1, -1}, {2, 0}, {0, 3}};
        Map<Variable, Object> at = Map.of(a, av, b, bv);
        // d/da sum(a b) = ones(2,2) b^T: row sums of b; d/db = a^T ones: column sums of a
        assertArrayEquals(new double[][]{{0, 2, 3}, {0, 2, 3}}, g.get(0).eval(at).toDoubleMatrix());
        assertArrayEquals(new double[][]{{5, 5}, {7, 7}, {9, 9}}, g.get(1).eval(at).toDoubleMatrix());
    }

    @Test void dotWithIntegerOperand() {
        NDArray ints = NDArray.fromLongs(DType.INT64, new long[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Theon.verifyGrad(in -> T.dot(in.get(0), in.get(1)), List.of(ints, rand(3)));
        Theon.verifyGrad(in -> T.dot(in.get(0), in.get(1)), List.of(rand(3), ints.transpose()));
        Variable v = T.fvector("v");
        Variable g = T.grad(T.sum(T.dot(T.constant(ints), v)), v);
        assertEquals(DType.FLOAT32, g.dtype());
        assertArrayEquals(new double[]{5, 7, 9}, g.eval(Map.of(v, new float[]{1, 1, 1})).toDoubleArray());
    }

    // ---------------------------------------------------------------- matmul

    @Test void matmulMatricesAndVectors() {
        Theon.verifyGrad(in -> T.matmul(in.get(0), in.get(1)), List.of(rand(2, 3), rand(3, 4)));
        Theon.verifyGrad(in -> T.matmul(in.get(0), in.get(1)), List.of(rand(3), rand(3, 4)));
        Theon.verifyGrad(in -> T.matmul(in.get(0), in.get(1)), List.of(rand(2, 3), rand(3)));
        Theon.verifyGrad(in -> T.matmul(in.get(0), in.get(1)), List.of(rand(3), rand(3)));
        Theon.verifyGrad(in -> T.matmul(in.get(0), in.get(1)), List.of(rand(3), rand(2, 3, 4)));
        Theon.verifyGrad(in -> T.matmul(in.get(0), in.get(1)), List.of(rand(2, 2, 3), rand(3)));
    }

    @Test void matmulBatches() {
        Theon.verifyGrad(in -> T.matmul(in.get(0), in.get(1)), List.of(rand(2, 3, 4), rand(2, 4, 5)));
        // b broadcast over a's batch (missing axis): its gradient is summed over the batch
        Theon.verifyGrad(in -> T.matmul(in.get(0), in.get(1)), List.of(rand(2, 3, 4), rand(4, 5)));
        Theon.verifyGrad(in -> T.matmul(in.get(0), in.get(1)), List.of(rand(3, 4), rand(2, 4, 5)));
        // static-size-1 batch axes broadcast against the other operand's
        Theon.verifyGrad(in -> T.matmul(in.get(0), in.get(1)), List.of(rand(1, 3, 4), rand(2, 4, 5)));
        Theon.verifyGrad(in -> T.matmul(in.get(0), in.get(1)), List.of(rand(2, 1, 3, 4), rand(3, 4, 2)));
        Theon.verifyGrad(in -> T.matmul(in.get(0), in.get(1)), List.of(rand(2, 1, 2, 3), rand(1, 3, 3, 2)));
    }

    @Test void matmulBroadcastBatchGradientIsTheSumOverTheBatch() {
        Variable a = T.dtensor3("a"), b = T.dmatrix("b");
        Variable gb = T.grad(T.sum(T.matmul(a, b)), b);
        // d/db sum(a[i] b) = sum_i a[i]^T ones: for each k, the sum over batches and rows of a[:, :, k]
        double[][][] av = {{{1, 2}}, {{3, 4}}};
        NDArray v = gb.eval(Map.of(a, av, b, new double[][]{{0, 0, 0}, {0, 0, 0}}));
        assertArrayEquals(new double[][]{{4, 4, 4}, {6, 6, 6}}, v.toDoubleMatrix());
    }

    // ---------------------------------------------------------------- outer, tensordot

    @Test void outer() {
        Theon.verifyGrad(in -> T.outer(in.get(0), in.get(1)), List.of(rand(3), rand(4)));
        Theon.verifyGrad(in -> T.outer(in.get(0), in.get(1)), List.of(rand(2, 3), rand(4)));
        Theon.verifyGrad(in -> T.outer(in.get(0), in.get(1)), List.of(NDArray.of(0.6), rand(2, 2)));
        Theon.verifyGrad(in -> T.outer(in.get(0), in.get(1)), List.of(rand(1), rand(3)));
    }

    @Test void tensordotByCount() {
        Theon.verifyGrad(in -> T.tensordot(in.get(0), in.get(1), 0), List.of(rand(2, 3), rand(4)));
        Theon.verifyGrad(in -> T.tensordot(in.get(0), in.get(1), 1), List.of(rand(2, 3), rand(3, 4)));
        Theon.verifyGrad(in -> T.tensordot(in.get(0), in.get(1), 2), List.of(rand(2, 3, 4), rand(3, 4, 2)));
        Theon.verifyGrad(in -> T.tensordot(in.get(0), in.get(1), 3), List.of(rand(2, 3, 2), rand(2, 3, 2)));
    }

    @Test void tensordotByPairsInAnyOrder() {
        Theon.verifyGrad(in -> T.tensordot(in.get(0), in.get(1), new int[]{0, 2}, new int[]{1, 0}), List.of(rand(2, 3, 4), rand(4, 2, 5)));
        Theon.verifyGrad(in -> T.tensordot(in.get(0), in.get(1), new int[]{2, 0}, new int[]{0, 2}), List.of(rand(2, 3, 4), rand(4, 5, 2)));
        Theon.verifyGrad(in -> T.tensordot(in.get(0), in.get(1), new int[]{-1}, new int[]{-2}), List.of(rand(2, 3), rand(2, 3, 4)));
        Theon.verifyGrad(in -> T.tensordot(in.get(0), in.get(1), new int[]{1, 0}, new int[]{0, 1}), List.of(rand(3, 2), rand(2, 3)));
    }

    @Test void secondOrderThroughShapeAndBlasGradients() {
        // the gradients are graphs of the same ops, so they differentiate again
        Theon.verifyGrad(in -> T.grad(T.sum(T.pow(T.matmul(T.reshape(in.get(0), 2, 3, 2), in.get(1)), 2.0)), in.get(0)),
                List.of(rand(12), rand(2, 3)));
        Theon.verifyGrad(in -> T.grad(T.sum(T.sqr(T.tensordot(in.get(0), in.get(1), new int[]{0, 2}, new int[]{1, 0}))), in.get(1)),
                List.of(rand(2, 3, 4), rand(4, 2, 2)));
        Theon.verifyGrad(in -> T.grad(T.sum(T.exp(T.dot(T.flatten(T.transpose(in.get(0))), in.get(1)))), in.get(0)),
                List.of(rand(2, 3), rand(6, 2)));
        Theon.verifyGrad(in -> {
            List<Variable> p = T.split(in.get(0), new long[]{1, 3}, 0);
            Variable c = T.concatenate(List.of(T.sqr(p.get(1)), T.alloc(in.get(1), 2, 2)), 0);
            return T.grad(T.sum(T.pow(T.outer(T.squeeze(T.dimshuffle(c, "x", 0, 1)), p.get(0)), 3.0)), in.get(1));
        }, List.of(rand(4, 2), rand(2)));
    }

    // ---------------------------------------------------------------- creation

    @Test void allocSumsOverBroadcastDims() {
        Theon.verifyGrad(in -> T.alloc(in0(in), 2, 3), List.of(NDArray.of(0.8)));
        Theon.verifyGrad(in -> T.alloc(in0(in), 2, 3), List.of(rand(3)));
        Theon.verifyGrad(in -> T.alloc(in0(in), 2, 3), List.of(rand(1, 3)));
        Theon.verifyGrad(in -> T.alloc(in0(in), 4, 2, 3), List.of(rand(2, 1)));
        Theon.verifyGrad(in -> T.alloc(in0(in), 2, 3), List.of(rand(2, 3)));
        Variable v = T.dvector("v");
        Variable g = T.grad(T.sum(T.mul(T.alloc(v, 2, 3), T.constant(new double[][]{{1, 2, 3}, {4, 5, 6}}))), v);
        assertArrayEquals(new double[]{5, 7, 9}, g.eval(Map.of(v, new double[]{0, 0, 0})).toDoubleArray());
    }

    @Test void allocWithSymbolicDims() {
        // the dims come from another input's shape: disconnected, so that input gets zeros
        Theon.verifyGrad(in -> T.alloc(in.get(0), T.shape(in.get(1), 0), 3), List.of(rand(1, 3), rand(4, 2)));
        Theon.verifyGrad(in -> T.fill(in.get(1), in.get(0)), List.of(NDArray.of(1.3), rand(2, 3)));
        Variable s = T.dscalar("s"), like = T.dmatrix("like");
        Variable a = T.alloc(s, T.shape(like, 0), T.shape(like, 1));
        List<Variable> g = a.owner().op().grad(a.owner().inputs(), a.owner().outputs(), List.of(T.onesLike(a)));
        assertNotNull(g.get(0));
        assertNull(g.get(1));
        assertNull(g.get(2));
        Variable gl = T.grad(T.sum(a), List.of(like), Grad.options().disconnectedInputs("ignore").returnDisconnected("none")).get(0);
        assertNull(gl, "the like operand only gives the shape");
    }

    @Test void intOutputOpsAreDisconnected() {
        Variable x = T.dvector("x");
        for (Variable y : List.of(T.shape(x), T.shape(x, 0), T.arange(T.shape(x, 0)), T.eye(T.shape(x, 0)), T.argmax(x))) {
            List<Variable> g = y.owner().op().grad(y.owner().inputs(), y.owner().outputs(), List.of(T.onesLike(y)));
            for (Variable gi : g) assertNull(gi, y.owner().op().name());
        }
        assertInstanceOf(Shape.class, T.shape(x).owner().op());
        assertInstanceOf(ShapeI.class, T.shape(x, 0).owner().op());
        assertInstanceOf(ARange.class, T.arange(T.shape(x, 0)).owner().op());
        assertInstanceOf(Eye.class, T.eye(T.shape(x, 0)).owner().op());
        assertInstanceOf(ArgReduce.class, T.argmax(x).owner().op());
    }

    @Test void costsThatReadShapesStillDifferentiate() {
        Variable x = T.dvector("x");
        Variable n = T.shape(x, 0);
        // cost = n * sum(x) + sum(eye(n) . x * x) + sum(arange(n) * x) + sum(x ** 2) * len(shape(x))
        Variable cost = T.add(T.add(T.mul(T.cast(n, DType.FLOAT64), T.sum(x)), T.sum(T.mul(T.dot(T.eye(n, null, 0, DType.FLOAT64), x), x))),
                T.add(T.sum(T.mul(T.arange(n), x)), T.mul(T.sum(T.sqr(x)), T.cast(T.sum(T.shape(x)), DType.FLOAT64))));
        Variable g = T.grad(cost, x);
        double[] xv = {0.5, -1, 2};
        double[] got = g.eval(Map.of(x, xv)).toDoubleArray();
        for (int i = 0; i < 3; i++) assertEquals(3 + 2 * xv[i] + i + 2 * 3 * xv[i], got[i], 1e-12);
        Theon.verifyGrad(in -> T.mul(T.dot(T.eye(T.shape(in0(in), 0), null, 0, DType.FLOAT64), in0(in)), T.cast(T.shape(in0(in), 0), DType.FLOAT64)),
                List.of(rand(3)));
    }

    @Test void floatArangeDifferentiatesStartAndStep() {
        // arange(start, 5, step) = start + i * step, for i < ceil((5 - start) / step)
        Theon.verifyGrad(in -> T.arange(in.get(0), 5.0, in.get(1)), List.of(NDArray.of(0.3), NDArray.of(0.7)));
        Variable start = T.dscalar("start"), step = T.dscalar("step");
        List<Variable> g = T.grad(T.sum(T.arange(start, 5.0, step)), List.of(start, step));
        Map<Variable, Object> at = Map.of(start, 0.3, step, 0.7);
        assertEquals(7.0, g.get(0).eval(at).toDouble(), 1e-12);        // 7 elements
        assertEquals(21.0, g.get(1).eval(at).toDouble(), 1e-12);       // 0 + 1 + ... + 6
    }
}
