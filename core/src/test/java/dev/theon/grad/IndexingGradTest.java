package dev.theon.grad;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.graph.Apply;
import dev.theon.graph.Variable;
import dev.theon.ops.Index;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Gradients of the indexing ops (subtensor, advanced_subtensor, set/inc_subtensor): verifyGrad in each indexing
 * configuration, and values worked out by hand where indices repeat.
 */
class IndexingGradTest {

    /** A (rows, cols) matrix of distinct, irregular values. */
    static NDArray matrix(int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m[i][j] = 0.3 + 0.17 * i - 0.11 * j + 0.013 * i * j;
        return NDArray.of(m);
    }

    /** A (2, 3, 4) tensor of distinct values. */
    static NDArray cube() {
        double[][][] t = new double[2][3][4];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) t[i][j][k] = 0.5 - 0.2 * i + 0.07 * j - 0.03 * k + 0.01 * j * k;
        return NDArray.of(t);
    }

    static NDArray longs(long... v) { return NDArray.of(v); }
    static NDArray longs(long[][] v) { return NDArray.fromJava(v); }

    // ---------------------------------------------------------------- basic indexing (subtensor)

    @Test void integerIndices() {
        Theon.verifyGrad(in -> in.get(0).get(1), List.of(matrix(3, 4)));
        Theon.verifyGrad(in -> in.get(0).get(-1, 2), List.of(matrix(3, 4)));
        Theon.verifyGrad(in -> in.get(0).get(Index.all(), -3), List.of(matrix(3, 4)));
    }

    @Test void slicesWithSteps() {
        Theon.verifyGrad(in -> in.get(0).get(Index.slice(null, null, 2L), Index.slice(1L, null, null)), List.of(matrix(3, 4)));
        Theon.verifyGrad(in -> in.get(0).get(Index.slice(null, null, -1L)), List.of(matrix(3, 4)));
        Theon.verifyGrad(in -> in.get(0).get(Index.slice(-1L, 0L, -2L), Index.slice(3L, null, -2L)), List.of(matrix(4, 5)));
        // an empty slice: the gradient is all zeros
        Theon.verifyGrad(in -> in.get(0).get(Index.slice(2L, 2L, null)), List.of(matrix(3, 4)));
    }

    @Test void symbolicStartStopStepAndPosition() {
        Theon.verifyGrad(in -> in.get(0).get(Index.slice(in.get(1), in.get(2), null)), List.of(matrix(4, 3), NDArray.of(1L), NDArray.of(3L)));
        // x[-1:-5:-2] with every bound symbolic: rows 3 and 1
        Theon.verifyGrad(in -> in.get(0).get(Index.slice(in.get(1), in.get(2), in.get(3))),
                List.of(matrix(4, 3), NDArray.of(-1L), NDArray.of(-5L), NDArray.of(-2L)));
        // x[:, i] with a symbolic (negative) position
        Theon.verifyGrad(in -> in.get(0).get(Index.all(), in.get(1)), List.of(matrix(4, 3), NDArray.of(-2L)));
        Theon.verifyGrad(in -> in.get(0).get(in.get(1), Index.slice(in.get(2), null, null)), List.of(matrix(4, 3), NDArray.of(2L), NDArray.of(1L)));
    }

    @Test void fewerIndicesThanRank() {
        Theon.verifyGrad(in -> in.get(0).get(1), List.of(cube()));
        Theon.verifyGrad(in -> in.get(0).get(Index.slice(0L, 1L, null), 2), List.of(cube()));
        Theon.verifyGrad(in -> in.get(0).get(Index.ellipsis(), Index.slice(null, null, -3L)), List.of(cube()));
    }

    @Test void newAxis() {
        Theon.verifyGrad(in -> in.get(0).get(Index.newAxis(), Index.slice(1L, null, null), Index.newAxis(), Index.slice(null, null, 2L)), List.of(matrix(3, 4)));
        Theon.verifyGrad(in -> in.get(0).get(1, Index.newAxis()), List.of(cube()));
    }

    @Test void readingFromABroadcastableInput() {
        // x of static shape (1, 4): x[0, 1:] and x[:, ::-1]
        Theon.verifyGrad(in -> in.get(0).get(0, Index.slice(1L, null, null)), List.of(matrix(1, 4)));
        Theon.verifyGrad(in -> in.get(0).get(Index.all(), Index.slice(null, null, -1L)), List.of(matrix(1, 4)));
    }

    // ---------------------------------------------------------------- advanced indexing and take

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, -1})
    void takeAlongEachAxisWithAMatrixOfIndices(int axis) {
        long[][] idx = {{0, 1}, {1, -1}, {0, 0}};  // repeats, and a negative index
        Theon.verifyGrad(in -> T.take(in.get(0), in.get(1), axis), List.of(cube(), longs(idx)));
    }

    @Test void takeWithAScalarOrConstantIndex() {
        Theon.verifyGrad(in -> T.take(in.get(0), in.get(1), 1), List.of(matrix(3, 4), NDArray.of(2L)));
        Theon.verifyGrad(in -> T.take(in.get(0), new long[]{3, 0, 3}, 1), List.of(matrix(3, 4)));
    }

    @Test void advancedIndexingWithRepeatedIndices() {
        Theon.verifyGrad(in -> in.get(0).get(in.get(1)), List.of(matrix(3, 4), longs(0, 2, 0, 0, -1)));
        // two index arrays broadcast together, adjacent: the pairs (0,1), (2,1), (0,1) hit one element twice
        Theon.verifyGrad(in -> in.get(0).get(in.get(1), in.get(2)), List.of(matrix(3, 4), longs(0, 2, 0), longs(1)));
        // separated by a slice (the index dims go first) and mixed with an integer
        Theon.verifyGrad(in -> in.get(0).get(in.get(1), Index.slice(1L, null, null), in.get(2)), List.of(cube(), longs(1, 0, 1), longs(3, 3, 0)));
        Theon.verifyGrad(in -> in.get(0).get(1, in.get(1)), List.of(cube(), longs(new long[][]{{2, 2}, {0, 1}})));
        Theon.verifyGrad(in -> in.get(0).get(Index.newAxis(), in.get(1), Index.slice(null, null, -2L)), List.of(matrix(3, 4), longs(2, 2, 1)));
    }

    @Test void repeatedIndicesAccumulateByHand() {
        Variable x = T.dvector("x"), w = T.dvector("w");
        Variable gx = T.grad(T.sum(T.mul(x.get(new long[]{0, 2, 0, 0}), w)), x);
        // x[0] is read three times (weights 1, 100, 1000), x[2] once (10), x[1] never
        double[] got = gx.eval(Map.of(x, new double[]{1, 2, 3}, w, new double[]{1, 10, 100, 1000})).toDoubleArray();
        assertArrayEquals(new double[]{1101, 0, 10}, got, 0.0);

        // rows of a matrix taken [2, 2, 0]: d sum(take(x, idx, 0)) / dx counts each row's uses
        Variable m = T.dmatrix("m");
        Variable gm = T.grad(T.sum(T.take(m, new long[]{2, 2, 0}, 0)), m);
        assertArrayEquals(new double[][]{{1, 1}, {0, 0}, {2, 2}}, gm.eval(Map.of(m, new double[3][2])).toDoubleMatrix());
    }

    @Test void emptyIndexGivesZeroGradient() {
        Variable x = T.dvector("x"), idx = T.lvector("idx");
        Variable gx = T.grad(T.sum(x.get(idx)), x);
        assertArrayEquals(new double[]{0, 0, 0}, gx.eval(Map.of(x, new double[]{1, 2, 3}, idx, new long[0])).toDoubleArray());
    }

    // ---------------------------------------------------------------- set/inc_subtensor

    @Test void incAndSetWithAFullShapedY() {
        for (boolean set : new boolean[]{false, true}) {
            Theon.verifyGrad(in -> write(set, in.get(0).get(Index.slice(1L, null, null), Index.slice(null, null, 2L)), in.get(1)),
                    List.of(matrix(3, 4), matrix(2, 2)));
            Theon.verifyGrad(in -> write(set, in.get(0).get(Index.slice(null, null, -1L), 1), in.get(1)), List.of(matrix(3, 4), NDArray.of(0.2, -0.4, 0.9)));
            Theon.verifyGrad(in -> write(set, in.get(0).get(Index.slice(in.get(2), in.get(3), null)), in.get(1)),
                    List.of(matrix(4, 3), matrix(2, 3), NDArray.of(1L), NDArray.of(3L)));
            Theon.verifyGrad(in -> write(set, in.get(0).get(Index.newAxis(), 1), in.get(1)), List.of(cube(), matrix(3, 4).expandDims(0)));
        }
    }

    @Test void incAndSetWithABroadcastY() {
        for (boolean set : new boolean[]{false, true}) {
            // y of static shape (1,), (1, 2), (2,) and a scalar into the (2, 2) region x[1:, ::2]
            for (NDArray y : List.of(NDArray.of(new double[]{0.7}), matrix(1, 2), NDArray.of(0.25, -0.5), NDArray.of(0.7)))
                Theon.verifyGrad(in -> write(set, in.get(0).get(Index.slice(1L, null, null), Index.slice(null, null, 2L)), in.get(1)),
                        List.of(matrix(3, 4), y));
            // advanced regions: x[[2, 0]] of shape (2, 4) with y of shape (1, 4) and (1,)
            Theon.verifyGrad(in -> write(set, in.get(0).get(in.get(2)), in.get(1)), List.of(matrix(3, 4), matrix(1, 4), longs(2, 0)));
            Theon.verifyGrad(in -> write(set, in.get(0).get(in.get(2)), in.get(1)), List.of(matrix(3, 4), NDArray.of(new double[]{-1.3}), longs(2, 0)));
        }
    }

    @Test void advancedIncWithRepeatedIndices() {
        // the increments accumulate, so every repetition's y contributes: verifyGrad agrees
        Theon.verifyGrad(in -> T.incSubtensor(in.get(0).get(in.get(2)), in.get(1)), List.of(matrix(3, 4), matrix(4, 4), longs(0, 2, 0, -3)));
        Theon.verifyGrad(in -> T.incSubtensor(T.take(in.get(0), in.get(2), 1), in.get(1)),
                List.of(matrix(3, 4), NDArray.of(0.4, -0.2), longs(new long[][]{{1, 1}, {3, 1}})));
        Theon.verifyGrad(in -> T.incSubtensor(in.get(0).get(in.get(2), Index.all(), in.get(3)), in.get(1)),
                List.of(cube(), matrix(1, 3), longs(1, 0, 1), longs(2, 2, 2)));
    }

    @Test void advancedSetWithoutRepeats() {
        Theon.verifyGrad(in -> T.setSubtensor(in.get(0).get(in.get(2)), in.get(1)), List.of(matrix(3, 4), matrix(2, 4), longs(2, 0)));
        Theon.verifyGrad(in -> T.setSubtensor(T.take(in.get(0), in.get(2), 2), in.get(1)),
                List.of(cube(), NDArray.of(0.4, -0.2), longs(new long[][]{{3, 0}, {1, 2}})));
    }

    @Test void incAndSetRepeatedIndicesByHand() {
        Variable x = T.dvector("x"), y = T.dvector("y"), r = T.dvector("r");
        long[] idx = {0, 2, 0, 0};
        Map<Variable, Object> at = Map.of(x, new double[]{5, 6, 7}, y, new double[]{1, 2, 3, 4}, r, new double[]{1, 10, 100});

        // inc: out = x + scatter-add(y); cost = sum(out * r): dx = r, dy_k = r[idx_k]
        Variable inc = T.sum(T.mul(T.incSubtensor(x.get(idx), y), r));
        List<Variable> gi = T.grad(inc, List.of(x, y));
        assertArrayEquals(new double[]{1, 10, 100}, gi.get(0).eval(at).toDoubleArray(), 0.0);
        assertArrayEquals(new double[]{1, 100, 1, 1}, gi.get(1).eval(at).toDoubleArray(), 0.0);

        // set: out[0] = y[3] (last write wins), out[2] = y[1], out[1] = x[1]. Theano gives every duplicate of y the
        // gradient of its target element: dy = [1, 100, 1, 1] although only y[1] and y[3] are live; dx zeroes the region.
        Variable set = T.sum(T.mul(T.setSubtensor(x.get(idx), y), r));
        assertArrayEquals(new double[]{4, 6, 2}, T.setSubtensor(x.get(idx), y).eval(at).toDoubleArray(), 0.0);
        List<Variable> gs = T.grad(set, List.of(x, y));
        assertArrayEquals(new double[]{0, 10, 0}, gs.get(0).eval(at).toDoubleArray(), 0.0);
        assertArrayEquals(new double[]{1, 100, 1, 1}, gs.get(1).eval(at).toDoubleArray(), 0.0);
    }

    @Test void broadcastYGetsTheRegionSumByHand() {
        Variable x = T.dmatrix("x"), s = T.dscalar("s");
        Variable y1 = T.tensor(DType.FLOAT64, new long[]{1}, "y1");
        double[][] r = {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}};
        Variable region = x.get(Index.slice(1L, null, null), Index.slice(null, null, 2L));  // elements 5, 7, 9, 11 of r
        Map<Variable, Object> at = Map.of(x, new double[3][4], s, 2.0, y1, new double[]{3.0});
        assertEquals(32.0, T.grad(T.sum(T.mul(T.incSubtensor(region, s), r)), s).eval(at).toDouble(), 0.0);
        Variable gy = T.grad(T.sum(T.mul(T.setSubtensor(region, y1), r)), y1);
        assertArrayEquals(new long[]{1}, gy.eval(at).shape());
        assertEquals(32.0, gy.eval(at).flatDouble(0), 0.0);
        double[][] gx = T.grad(T.sum(T.mul(T.setSubtensor(region, y1), r)), x).eval(at).toDoubleMatrix();
        assertArrayEquals(new double[][]{{1, 2, 3, 4}, {0, 6, 0, 8}, {0, 10, 0, 12}}, gx);
    }

    // ---------------------------------------------------------------- composed expressions, dtypes, disconnection

    @Test void nestedExpressions() {
        // cost = sum(x[1:, ::2] ** 2) + sum(take(x, idx, 0) * w)
        Theon.verifyGrad(in -> T.add(T.sum(T.pow(in.get(0).get(Index.slice(1L, null, null), Index.slice(null, null, 2L)), 2.0)),
                        T.sum(T.mul(T.take(in.get(0), in.get(1), 0), in.get(2)))),
                List.of(matrix(3, 4), longs(new long[][]{{2, 0}, {2, 2}}), NDArray.fromJava(new double[][][]{
                        {{0.1, 0.2, 0.3, 0.4}, {0.5, 0.6, 0.7, 0.8}}, {{-0.1, -0.2, -0.3, -0.4}, {0.9, 1.1, 1.3, 1.7}}})));
        // indexing an indexed, written-into result
        Theon.verifyGrad(in -> T.setSubtensor(in.get(0).get(Index.slice(null, null, -1L)).get(1), T.mul(in.get(1), 2.0)).get(in.get(2), 1),
                List.of(matrix(3, 4), NDArray.of(0.3, 0.1, -0.2, 0.5), longs(0, 1, 1)));
    }

    @Test void nestedExpressionByHand() {
        Variable x = T.dmatrix("x"), w = T.dmatrix("w");
        Variable cost = T.add(T.sum(T.pow(x.get(Index.slice(1L, null, null), Index.slice(null, null, 2L)), 2.0)),
                T.sum(T.mul(T.take(x, new long[]{2, 0, 2}, 0), w)));
        double[][] xv = matrix(3, 4).toDoubleMatrix(), wv = {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}};
        double[][] expected = new double[3][4];
        for (int i = 1; i < 3; i++) for (int j = 0; j < 4; j += 2) expected[i][j] += 2 * xv[i][j];
        long[] rows = {2, 0, 2};
        for (int k = 0; k < 3; k++) for (int j = 0; j < 4; j++) expected[(int) rows[k]][j] += wv[k][j];
        double[][] got = T.grad(cost, x).eval(Map.of(x, xv, w, wv)).toDoubleMatrix();
        for (int i = 0; i < 3; i++) assertArrayEquals(expected[i], got[i], 1e-12);
        // the same through a transposed (non-contiguous) argument
        NDArray xt = NDArray.of(transpose(xv)).transpose();
        double[][] gotT = T.grad(cost, x).eval(Map.of(x, xt, w, wv)).toDoubleMatrix();
        for (int i = 0; i < 3; i++) assertArrayEquals(expected[i], gotT[i], 1e-12);
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) t[j][i] = a[i][j];
        return t;
    }

    @Test void gradientsKeepTheInputDtypes() {
        Variable x = T.fmatrix("x"), z = T.dmatrix("z");
        Variable y = T.tensor(DType.FLOAT32, 1, "y");
        // y (float32) is added into x[1] and written into the float64 z[:, 0]
        Variable cost = T.add(T.sum(T.mul(T.cast(T.incSubtensor(x.get(1), y), DType.FLOAT64), 3.0)),
                T.sum(T.setSubtensor(z.get(Index.all(), 0), y)));
        List<Variable> g = T.grad(cost, List.of(x, y, z));
        assertEquals(DType.FLOAT32, g.get(0).dtype());
        assertEquals(DType.FLOAT32, g.get(1).dtype());
        assertEquals(DType.FLOAT64, g.get(2).dtype());
        Map<Variable, Object> at = Map.of(x, new float[2][3], y, new float[]{1, 2, 3}, z, new double[3][2]);
        assertArrayEquals(new double[][]{{3, 3, 3}, {3, 3, 3}}, g.get(0).eval(at).toDoubleMatrix());
        assertArrayEquals(new double[]{4, 4, 4}, g.get(1).eval(at).toDoubleArray());
        assertArrayEquals(new double[][]{{0, 1}, {0, 1}, {0, 1}}, g.get(2).eval(at).toDoubleMatrix());
    }

    @Test void floatXInputsCompileToTheChosenPrecision() {
        Variable x = T.matrix("x"), y = T.vector("y");
        // rows 2 and 0 of a 3x2 x set to y, which is broadcast over both rows
        Variable cost = T.sum(T.mul(T.setSubtensor(x.get(new long[]{2, 0}), y), 2.0));
        List<Variable> g = T.grad(cost, List.of(x, y));
        List<NDArray> r = Theon.function(List.of(x, y), g, Theon.options().floatX(DType.FLOAT32)).callAll(new float[][]{{1, 2}, {3, 4}, {5, 6}}, new float[]{7, 8});
        assertEquals(DType.FLOAT32, r.get(0).dtype());
        assertEquals(DType.FLOAT32, r.get(1).dtype());
        assertArrayEquals(new double[][]{{0, 0}, {2, 2}, {0, 0}}, r.get(0).toDoubleMatrix());
        assertArrayEquals(new double[]{4, 4}, r.get(1).toDoubleArray());
    }

    @Test void indexInputsAndIntegerTensorsAreDisconnected() {
        Variable x = T.dmatrix("x"), i = T.lscalar("i"), idx = T.lvector("idx"), y = T.dvector("y");
        Apply basic = x.get(i, Index.slice(i, null, null)).owner();
        List<Variable> gb = basic.op().grad(basic.inputs(), basic.outputs(), List.of(T.dvector("g")));
        assertNotNull(gb.get(0));
        assertNull(gb.get(1));
        assertNull(gb.get(2));
        Apply adv = x.get(idx).owner();
        List<Variable> ga = adv.op().grad(adv.inputs(), adv.outputs(), List.of(T.dmatrix("g")));
        assertNotNull(ga.get(0));
        assertNull(ga.get(1));
        Apply inc = T.incSubtensor(x.get(idx, i), y).owner();
        List<Variable> gi = inc.op().grad(inc.inputs(), inc.outputs(), List.of(T.dmatrix("g")));
        assertEquals(4, gi.size());
        assertNotNull(gi.get(0));
        assertNotNull(gi.get(1));
        assertNull(gi.get(2));
        assertNull(gi.get(3));
        // integer data: nothing to differentiate; an integer y written into a float x is disconnected, x is not
        Variable n = T.lmatrix("n");
        Apply intRead = n.get(1).owner();
        assertNull(intRead.op().grad(intRead.inputs(), intRead.outputs(), List.of(T.dvector("g"))).get(0));
        Apply intY = T.setSubtensor(x.get(0), T.lvector("k")).owner();
        List<Variable> gk = intY.op().grad(intY.inputs(), intY.outputs(), List.of(T.dmatrix("g")));
        assertNotNull(gk.get(0));
        assertNull(gk.get(1));
    }

    private static Variable write(boolean set, Variable region, Variable y) { return set ? T.setSubtensor(region, y) : T.incSubtensor(region, y); }
}
