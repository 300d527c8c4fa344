package dev.theon.ops;

import dev.theon.T;
import dev.theon.TheonException;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.Apply;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Basic and advanced indexing, take, set/inc_subtensor: against values worked out by hand or with plain loops. */
class IndexingTest {

    /** 3x4 matrix with m[i][j] = 10 i + j, so every value tells where it came from. */
    private static NDArray grid() {
        double[][] m = new double[3][4];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) m[i][j] = 10 * i + j;
        return NDArray.of(m);
    }

    /** 2x3x4 tensor with t[i][j][k] = 100 i + 10 j + k. */
    private static double[][][] cube() {
        double[][][] t = new double[2][3][4];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) t[i][j][k] = 100 * i + 10 * j + k;
        return t;
    }

    private static NDArray eval(Variable out, Variable x, Object value) { return out.eval(Map.of(x, value)); }

    // ---------------------------------------------------------------- basic indexing

    @Test void integerIndicesDropAxesAndWrap() {
        Variable x = T.dmatrix("x");
        NDArray v = grid();
        assertArrayEquals(new double[]{10, 11, 12, 13}, eval(x.get(1), x, v).toDoubleArray());
        assertArrayEquals(new double[]{20, 21, 22, 23}, eval(x.get(-1), x, v).toDoubleArray());
        NDArray e = eval(x.get(1, -2), x, v);
        assertEquals(0, e.ndim());
        assertEquals(12.0, e.toDouble());
        assertArrayEquals(new double[]{3, 13, 23}, eval(T.get(x, Index.all(), -1), x, v).toDoubleArray());
        assertArrayEquals(new double[]{1, 11, 21}, eval(x.get(Index.all(), Index.at(1)), x, v).toDoubleArray());
    }

    @Test void slicesWithNegativeStepAndOmittedBounds() {
        Variable x = T.dmatrix("x");
        NDArray v = grid();
        // x[1:] -> rows 1, 2
        assertArrayEquals(new double[][]{{10, 11, 12, 13}, {20, 21, 22, 23}}, eval(x.get(Index.slice(1L, null, null)), x, v).toDoubleMatrix());
        // x[:, ::2] -> columns 0, 2
        assertArrayEquals(new double[][]{{0, 2}, {10, 12}, {20, 22}}, eval(x.get(Index.all(), Index.slice(null, null, 2L)), x, v).toDoubleMatrix());
        // x[::-1] -> rows reversed
        assertArrayEquals(new double[][]{{20, 21, 22, 23}, {10, 11, 12, 13}, {0, 1, 2, 3}},
                eval(x.get(Index.slice(null, null, -1L)), x, v).toDoubleMatrix());
        // x[-1, -1:0:-2] -> columns 3, 1 of the last row
        assertArrayEquals(new double[]{23, 21}, eval(x.get(-1, Index.slice(-1L, 0L, -2L)), x, v).toDoubleArray());
        // x[1, :-1] and x[0, -3:] with int literals
        assertArrayEquals(new double[]{10, 11, 12}, eval(x.get(1, Index.slice(null, -1)), x, v).toDoubleArray());
        assertArrayEquals(new double[]{1, 2, 3}, eval(x.get(0, Index.slice(-3, null)), x, v).toDoubleArray());
        // bounds beyond the axis clamp, as in Python: x[0, -10:10] is the whole row, x[0, 10::-1] starts at the end
        assertArrayEquals(new double[]{0, 1, 2, 3}, eval(x.get(0, Index.slice(-10L, 10L, null)), x, v).toDoubleArray());
        assertArrayEquals(new double[]{3, 2, 1, 0}, eval(x.get(0, Index.slice(10L, null, -1L)), x, v).toDoubleArray());
        // x[2:0:-1, 3] -> rows 2, 1
        assertArrayEquals(new double[]{23, 13}, eval(x.get(Index.slice(2L, 0L, -1L), 3), x, v).toDoubleArray());
        // T.slice along a negative axis: x[:, 1:3]
        assertArrayEquals(new double[][]{{1, 2}, {11, 12}, {21, 22}}, eval(T.slice(x, -1, 1, 3), x, v).toDoubleMatrix());
        assertArrayEquals(new double[][]{{10, 11, 12, 13}}, eval(x.slice(0, 1, -1), x, v).toDoubleMatrix());
    }

    @Test void symbolicBoundsAndPositions() {
        Variable x = T.dmatrix("x");
        Variable a = T.lscalar("a"), b = T.iscalar("b"), s = T.lscalar("s");
        Variable rows = x.get(Index.slice(a, b, null));
        Function f = Theon.function(List.of(x, a, b), rows);
        assertArrayEquals(new double[][]{{10, 11, 12, 13}}, f.call(grid(), 1, 2).toDoubleMatrix());
        assertArrayEquals(new double[][]{{0, 1, 2, 3}, {10, 11, 12, 13}}, f.call(grid(), -5, -1).toDoubleMatrix());
        assertArrayEquals(new long[]{0, 4}, f.call(grid(), 2, 1).shape());

        // x[1, a::s] with a negative symbolic step
        Function g = Theon.function(List.of(x, a, s), x.get(1, Index.slice(a, null, s)));
        assertArrayEquals(new double[]{13, 11}, g.call(grid(), -1, -2).toDoubleArray());
        assertArrayEquals(new double[]{10, 12}, g.call(grid(), 0, 2).toDoubleArray());

        // x[a, b] with symbolic integer positions (scalar Variables)
        Function h = Theon.function(List.of(x, a, b), T.get(x, a, Index.at(b)));
        assertEquals(23.0, h.call(grid(), 2, 3).toDouble());
        assertEquals(12.0, h.call(grid(), -2, -2).toDouble());

        // a symbolic step of zero is reported when the function runs
        var e = assertThrows(TheonException.ShapeError.class, () -> g.call(grid(), 0, 0));
        assertTrue(e.getMessage().contains("step cannot be zero"), e.getMessage());
    }

    @Test void fewerIndicesThanRankAndNewAxis() {
        Variable t = T.dtensor3("t");
        double[][][] c = cube();
        NDArray v = NDArray.of(c);
        NDArray r = eval(t.get(1), t, v);
        assertArrayEquals(new long[]{3, 4}, r.shape());
        assertArrayEquals(c[1], r.toDoubleMatrix());
        assertArrayEquals(c[0][2], eval(t.get(0, 2), t, v).toDoubleArray());
        assertArrayEquals(new double[]{102, 112, 122}, eval(t.get(1, Index.all(), 2), t, v).toDoubleArray());
        // ellipsis: t[..., 1] and t[1, ...]
        NDArray last = eval(t.get(Index.ellipsis(), 1), t, v);
        assertArrayEquals(new double[][]{{1, 11, 21}, {101, 111, 121}}, last.toDoubleMatrix());
        assertArrayEquals(c[1], eval(t.get(1, Index.ellipsis()), t, v).toDoubleMatrix());

        Variable x = T.dmatrix("x");
        Variable ax = x.get(Index.newAxis(), 1);
        assertArrayEquals(new long[]{1, -1}, ax.type().shape());
        NDArray n = eval(ax, x, grid());
        assertArrayEquals(new double[][]{{10, 11, 12, 13}}, n.toDoubleMatrix());
        Variable mid = x.get(Index.all(), Index.newAxis());
        assertArrayEquals(new long[]{-1, 1, -1}, mid.type().shape());
        NDArray m = eval(mid, x, grid());
        assertArrayEquals(new long[]{3, 1, 4}, m.shape());
        assertEquals(21.0, m.getDouble(2, 0, 1));
        // the new axis of size 1 is broadcastable: (3, 1, 4) + (2, 4) -> (3, 2, 4)
        Variable y = T.dmatrix("y");
        Variable sum = T.add(mid, y);
        NDArray sv = Theon.function(List.of(x, y), sum).call(grid(), NDArray.of(new double[][]{{0, 0, 0, 0}, {1000, 1000, 1000, 1000}}));
        assertArrayEquals(new long[]{3, 2, 4}, sv.shape());
        assertEquals(1023.0, sv.getDouble(2, 1, 3));
    }

    @Test void staticShapes() {
        Variable x = T.tensor(DType.FLOAT64, new long[]{5, 4}, "x");
        assertArrayEquals(new long[]{2, 4}, x.get(Index.slice(1L, null, 2L)).type().shape());
        assertArrayEquals(new long[]{4}, x.get(-5).type().shape());
        assertArrayEquals(new long[]{5, 0}, x.get(Index.all(), Index.slice(3L, 1L, null)).type().shape());
        assertArrayEquals(new long[]{3, 4}, x.get(Index.slice(null, null, -2L)).type().shape());
        // a symbolic bound leaves the size unknown
        assertArrayEquals(new long[]{-1, 4}, x.get(Index.slice(T.lscalar("a"), null, null)).type().shape());
        // advanced: the index's static shape replaces the axis
        assertArrayEquals(new long[]{5, 2, 3}, x.take(T.tensor(DType.INT32, new long[]{2, 3}, "i"), 1).type().shape());
        assertArrayEquals(new long[]{-1, 4}, x.get(T.lvector("i")).type().shape());
    }

    @Test void basicIndexingReturnsAView() {
        Variable x = T.dmatrix("x");
        Variable y = x.get(Index.all(), Index.slice(1L, null, 2L));
        Apply node = y.owner();
        NDArray v = grid();
        NDArray[] out = new NDArray[1];
        node.op().perform(node, new NDArray[]{v}, out);
        assertTrue(out[0].sharesStorageWith(v));
        assertArrayEquals(new double[][]{{1, 3}, {11, 13}, {21, 23}}, out[0].toDoubleMatrix());
        // the function's result is the caller's own array, not an alias of the argument
        NDArray r = eval(y, x, v);
        assertFalse(r.sharesStorageWith(v));
    }

    @Test void nonContiguousInputs() {
        Variable x = T.dmatrix("x");
        NDArray tr = grid().transpose();  // 4x3, tr[i][j] = 10 j + i
        assertArrayEquals(new double[]{2, 12, 22}, eval(x.get(2), x, tr).toDoubleArray());
        assertArrayEquals(new double[][]{{23, 13}, {21, 11}}, eval(x.get(Index.slice(null, null, -2L), Index.slice(2L, 0L, -1L)), x, tr).toDoubleMatrix());
        NDArray sl = grid().slice(1, 3, Long.MAX_VALUE, -1);  // columns 3, 2, 1, 0
        assertArrayEquals(new double[]{13, 12, 11, 10}, eval(x.get(1), x, sl).toDoubleArray());
        assertArrayEquals(new double[]{22, 2}, eval(x.get(new long[]{2, 0}, 1), x, sl).toDoubleArray());
        assertArrayEquals(new double[][]{{22, 23}, {2, 3}}, eval(T.take(x.get(Index.slice(null, null, -2L)), new int[]{1, 0}, -1), x, sl).toDoubleMatrix());
    }

    @Test void dtypesKeepTheirValues() {
        long big = (1L << 53) + 1;  // not representable in float64
        Variable l = T.lvector("l");
        NDArray lv = NDArray.of(new long[]{big, -big, 7});
        assertEquals(-big, eval(l.get(1), l, lv).toLong());
        assertArrayEquals(new long[]{7, big}, eval(l.get(Index.slice(null, null, -2L)), l, lv).toLongArray());
        assertArrayEquals(new long[]{big, big, -big}, eval(l.get(new long[]{0, -3, 1}), l, lv).toLongArray());
        assertArrayEquals(new long[]{big + 5, -big, 7}, eval(T.incSubtensor(l.get(0), 5L), l, lv).toLongArray());

        Variable f = T.fmatrix("f");
        NDArray fr = eval(f.get(Index.all(), 0), f, NDArray.of(new float[][]{{1.5f, 2}, {3.25f, 4}}));
        assertEquals(DType.FLOAT32, fr.dtype());
        assertArrayEquals(new float[]{1.5f, 3.25f}, fr.toFloatArray());

        Variable b = T.tensor(DType.BOOL, 1, "b");
        NDArray br = eval(b.get(new int[]{2, 0}), b, NDArray.of(new boolean[]{true, false, false}));
        assertEquals(DType.BOOL, br.dtype());
        assertArrayEquals(new boolean[]{false, true}, br.toBooleanArray());

        Variable i8 = T.bmatrix("i8");
        NDArray ir = eval(T.setSubtensor(i8.get(1), -128), i8, NDArray.of(new int[][]{{1, 2}, {3, 4}}).astype(DType.INT8));
        assertEquals(DType.INT8, ir.dtype());
        assertArrayEquals(new long[]{1, 2, -128, -128}, ir.toLongArray());

        // a floatX graph binds to the function's float type; the literal follows it
        Variable fx = T.matrix("fx");
        Function ff = Theon.function(List.of(fx), T.setSubtensor(fx.get(Index.all(), new long[]{1}), 0.25), Theon.options().floatX(DType.FLOAT32));
        NDArray fxr = ff.call(NDArray.of(new float[][]{{1, 2}, {3, 4}}));
        assertEquals(DType.FLOAT32, fxr.dtype());
        assertArrayEquals(new float[]{1, 0.25f, 3, 0.25f}, fxr.toFloatArray());

        Variable i32 = T.imatrix("i32");
        NDArray tr = eval(T.take(i32, new long[]{1, 1}, 0), i32, NDArray.of(new int[][]{{1, 2}, {3, 4}}));
        assertEquals(DType.INT32, tr.dtype());
        assertArrayEquals(new long[]{3, 4, 3, 4}, tr.toLongArray());
    }

    // ---------------------------------------------------------------- advanced indexing

    @Test void takeAlongEachAxisWithAMatrixOfIndices() {
        double[][][] c = cube();
        NDArray v = NDArray.of(c);
        Variable t = T.dtensor3("t"), idx = T.lmatrix("idx");
        long[][] ind = {{0, -1}, {1, 0}};
        NDArray iv = NDArray.of(ind);
        long[] sizes = {2, 3, 4};
        for (int axis = 0; axis < 3; axis++) {
            NDArray r = Theon.function(List.of(t, idx), T.take(t, idx, axis)).call(v, iv);
            long[] want = new long[4];
            for (int d = 0, o = 0; d < 3; d++) {
                if (d == axis) { want[o++] = 2; want[o++] = 2; } else want[o++] = sizes[d];
            }
            assertArrayEquals(want, r.shape(), "axis " + axis);
            for (int p = 0; p < 2; p++) for (int q = 0; q < 2; q++) {
                int k = (int) (ind[p][q] < 0 ? ind[p][q] + sizes[axis] : ind[p][q]);
                for (int a = 0; a < sizes[(axis + 1) % 3]; a++) for (int b = 0; b < sizes[(axis + 2) % 3]; b++) {
                    long[] pos = new long[4];
                    int[] src = new int[3];
                    src[axis] = k;
                    src[(axis + 1) % 3] = a;
                    src[(axis + 2) % 3] = b;
                    for (int d = 0, o = 0; d < 3; d++) {
                        if (d == axis) { pos[o++] = p; pos[o++] = q; } else pos[o++] = src[d];
                    }
                    assertEquals(c[src[0]][src[1]][src[2]], r.getDouble(pos), "axis " + axis + " at " + java.util.Arrays.toString(pos));
                }
            }
        }
        // negative axis and the instance form
        NDArray last = eval(t.take(new int[]{3, 0}, -1), t, v);
        assertArrayEquals(new long[]{2, 3, 2}, last.shape());
        assertEquals(123.0, last.getDouble(1, 2, 0));
        assertEquals(120.0, last.getDouble(1, 2, 1));
        // a Java integer takes one slice and drops the axis, as np.take
        assertArrayEquals(c[1][2], eval(T.take(t.get(1), 2, 0), t, v).toDoubleArray());
    }

    @Test void advancedIndicesThroughGet() {
        Variable x = T.dmatrix("x");
        NDArray v = grid();
        assertArrayEquals(new double[][]{{20, 21, 22, 23}, {0, 1, 2, 3}, {20, 21, 22, 23}}, eval(x.get(new long[]{2, 0, -1}), x, v).toDoubleMatrix());
        assertArrayEquals(new double[][]{{1, 3}, {11, 13}, {21, 23}}, eval(x.get(Index.all(), new int[]{1, -1}), x, v).toDoubleMatrix());
        // two adjacent index arrays pick pairs: x[[0, 2], [1, 3]] = [x[0][1], x[2][3]]
        assertArrayEquals(new double[]{1, 23}, eval(x.get(new long[]{0, 2}, new long[]{1, 3}), x, v).toDoubleArray());
        // ... and broadcast: x[[[0], [2]], [1, 3]] is 2x2
        assertArrayEquals(new double[][]{{1, 3}, {21, 23}}, eval(x.get(new long[][]{{0}, {2}}, new long[]{1, 3}), x, v).toDoubleMatrix());
        // an integer beside an index array broadcasts as a 0-d index: x[1, [3, 0]]
        assertArrayEquals(new double[]{13, 10}, eval(x.get(1, new long[]{3, 0}), x, v).toDoubleArray());
        // a symbolic index vector
        Variable i = T.ivector("i");
        Function f = Theon.function(List.of(x, i), x.get(Index.slice(1L, null, null), i));
        assertArrayEquals(new double[][]{{12, 10}, {22, 20}}, f.call(v, new int[]{2, 0}).toDoubleMatrix());
    }

    @Test void separatedAdvancedIndicesGoFirst() {
        double[][][] c = cube();
        Variable t = T.dtensor3("t");
        NDArray v = NDArray.of(c);
        long[] i = {1, 0}, k = {3, 2};
        // t[[1, 0], :, [3, 2]] has shape (2, 3): out[p][j] = t[i[p]][j][k[p]]
        NDArray r = eval(t.get(i, Index.all(), k), t, v);
        assertArrayEquals(new long[]{2, 3}, r.shape());
        for (int p = 0; p < 2; p++) for (int j = 0; j < 3; j++) assertEquals(c[(int) i[p]][j][(int) k[p]], r.getDouble(p, j));
        // t[1, :, [0, 2]]: the integer counts as an advanced index, so the index dim goes first: shape (2, 3)
        NDArray q = eval(t.get(1, Index.all(), new long[]{0, 2}), t, v);
        assertArrayEquals(new long[]{2, 3}, q.shape());
        for (int p = 0; p < 2; p++) for (int j = 0; j < 3; j++) assertEquals(c[1][j][p == 0 ? 0 : 2], q.getDouble(p, j));
        // adjacent with a slice after them: t[:, [2, 0], 1:3] has shape (2, 2, 2)
        NDArray s = eval(t.get(Index.all(), new long[]{2, 0}, Index.slice(1L, 3L, null)), t, v);
        assertArrayEquals(new long[]{2, 2, 2}, s.shape());
        for (int a = 0; a < 2; a++) for (int p = 0; p < 2; p++) for (int b = 0; b < 2; b++)
            assertEquals(c[a][p == 0 ? 2 : 0][b + 1], s.getDouble(a, p, b));
    }

    // ---------------------------------------------------------------- set / inc subtensor

    @Test void setSubtensorBroadcastsY() {
        Variable x = T.dmatrix("x"), y = T.dvector("y");
        NDArray v = grid();
        // x[1:, ::2] = y (y of length 2 broadcast over the rows)
        Function f = Theon.function(List.of(x, y), T.setSubtensor(x.get(Index.slice(1L, null, null), Index.slice(null, null, 2L)), y));
        NDArray r = f.call(v, new double[]{-1, -2});
        assertArrayEquals(new double[][]{{0, 1, 2, 3}, {-1, 11, -2, 13}, {-1, 21, -2, 23}}, r.toDoubleMatrix());
        // the argument is untouched
        assertArrayEquals(grid().toDoubleMatrix(), v.toDoubleMatrix());
        // a scalar literal fills the region: x[:, -1] = 7
        assertArrayEquals(new double[][]{{0, 1, 2, 7}, {10, 11, 12, 7}, {20, 21, 22, 7}},
                eval(T.setSubtensor(x.get(Index.all(), -1), 7.0), x, v).toDoubleMatrix());
        // a column of static size 1 broadcasts along the row: x[0:2, 1:3] = [[5], [6]]
        Variable col = T.tensor(DType.FLOAT64, new long[]{-1, 1}, "col");
        NDArray cr = Theon.function(List.of(x, col), T.setSubtensor(x.get(Index.slice(0L, 2L, null), Index.slice(1L, 3L, null)), col))
                .call(v, new double[][]{{5}, {6}});
        assertArrayEquals(new double[][]{{0, 5, 5, 3}, {10, 6, 6, 13}, {20, 21, 22, 23}}, cr.toDoubleMatrix());
        // through a transposed input: xt[1] = 0 sets column 1 of the original
        NDArray tr = eval(T.setSubtensor(x.get(1), 0.0), x, grid().transpose());
        assertArrayEquals(new double[][]{{0, 10, 20}, {0, 0, 0}, {2, 12, 22}, {3, 13, 23}}, tr.toDoubleMatrix());
    }

    @Test void incSubtensorBasicAndSymbolic() {
        Variable x = T.dmatrix("x"), a = T.lscalar("a");
        Function f = Theon.function(List.of(x, a), T.incSubtensor(x.get(Index.slice(a, null, null), 0), 100.0));
        assertArrayEquals(new double[][]{{0, 1, 2, 3}, {110, 11, 12, 13}, {120, 21, 22, 23}}, f.call(grid(), 1).toDoubleMatrix());
        assertArrayEquals(new double[][]{{0, 1, 2, 3}, {10, 11, 12, 13}, {120, 21, 22, 23}}, f.call(grid(), -1).toDoubleMatrix());
        // calling twice gives the same answer (no state leaks between calls through reused buffers)
        assertArrayEquals(new double[][]{{0, 1, 2, 3}, {10, 11, 12, 13}, {120, 21, 22, 23}}, f.call(grid(), -1).toDoubleMatrix());
    }

    @Test void repeatedIndicesAccumulateInInc() {
        Variable x = T.dvector("x"), y = T.dvector("y"), i = T.lvector("i");
        NDArray v = NDArray.of(1.0, 2, 3, 4, 5);
        Function f = Theon.function(List.of(x, i, y), T.incSubtensor(x.get(i), y));
        // np.add.at: x[0] += 1 + 2 + 4, x[2] += 3
        assertArrayEquals(new double[]{8, 2, 6, 4, 5}, f.call(v, new long[]{0, 0, 2, -5}, new double[]{1, 2, 3, 4}).toDoubleArray());
        assertArrayEquals(new double[]{1, 2, 3, 4, 5}, v.toDoubleArray());
        // a scalar increment counts once per occurrence
        assertArrayEquals(new double[]{4, 2, 4, 4, 5}, eval(T.incSubtensor(x.get(new long[]{0, 0, 2, 0}), 1.0), x, v).toDoubleArray());
        // rows of a matrix, repeated, with a broadcast row increment
        Variable m = T.dmatrix("m");
        NDArray mr = eval(T.incSubtensor(m.get(new long[]{2, 2, 0}), NDArray.of(1.0, 10, 100, 1000)), m, grid());
        assertArrayEquals(new double[][]{{1, 11, 102, 1003}, {10, 11, 12, 13}, {22, 41, 222, 2023}}, mr.toDoubleMatrix());
        // take form with a 2-d index: every occurrence adds
        NDArray tr = eval(T.incSubtensor(T.take(x, new long[][]{{1, 1}, {1, 4}}, 0), 0.5), x, v);
        assertArrayEquals(new double[]{1, 3.5, 3, 4, 5.5}, tr.toDoubleArray());
        // integer tensors accumulate exactly
        Variable l = T.lvector("l");
        long big = 1L << 60;
        NDArray lr = eval(T.incSubtensor(l.get(new int[]{1, 1, 1}), big), l, NDArray.of(new long[]{0, 1}));
        assertArrayEquals(new long[]{0, 3 * big + 1}, lr.toLongArray());
    }

    @Test void setWithRepeatedIndicesKeepsTheLastWrite() {
        Variable x = T.dvector("x");
        NDArray v = NDArray.of(1.0, 2, 3);
        NDArray r = eval(T.setSubtensor(x.get(new long[]{1, 2, 1}), NDArray.of(5.0, 6, 7)), x, v);
        assertArrayEquals(new double[]{1, 7, 6}, r.toDoubleArray());
        // advanced set with y broadcast over a trailing basic axis: m[[0, 2], 1:] = [-1, -2, -3]
        Variable m = T.dmatrix("m");
        NDArray mr = eval(T.setSubtensor(m.get(new long[]{0, 2}, Index.slice(1L, null, null)), NDArray.of(-1.0, -2, -3)), m, grid());
        assertArrayEquals(new double[][]{{0, -1, -2, -3}, {10, 11, 12, 13}, {20, -1, -2, -3}}, mr.toDoubleMatrix());
    }

    // ---------------------------------------------------------------- empty

    @Test void emptySlicesAndEmptyArrays() {
        Variable x = T.dmatrix("x");
        assertArrayEquals(new long[]{0, 4}, eval(x.get(Index.slice(2L, 1L, null)), x, grid()).shape());
        assertArrayEquals(new long[]{3, 0}, eval(x.get(Index.all(), Index.slice(0L, 4L, -1L)), x, grid()).shape());
        assertArrayEquals(new long[]{0, 4}, eval(x.get(new long[0]), x, grid()).shape());
        NDArray empty = NDArray.zeros(DType.FLOAT64, 0, 3);
        assertArrayEquals(new long[]{0}, eval(x.get(Index.all(), 2), x, empty).shape());
        assertArrayEquals(new long[]{0, 3}, eval(x.get(Index.slice(5L, null, null)), x, empty).shape());
        // an empty slice beside an index array: x[[2, 0], 3:3]
        assertArrayEquals(new long[]{2, 0}, eval(x.get(new long[]{2, 0}, Index.slice(3L, 3L, null)), x, grid()).shape());
        assertArrayEquals(grid().toDoubleMatrix(), eval(T.incSubtensor(x.get(new long[]{2, 0}, Index.slice(3L, 3L, null)), 1.0), x, grid()).toDoubleMatrix());
        var e = assertThrows(TheonException.ShapeError.class, () -> eval(x.get(new long[]{9}, Index.slice(3L, 3L, null)), x, grid()));
        assertTrue(e.getMessage().contains("index 9 is out of bounds for axis 0 with size 3"), e.getMessage());
        assertArrayEquals(new long[]{0, 2}, eval(T.take(x, new long[]{2, 0}, 1), x, empty).shape());
        // setting or incrementing an empty region leaves x as it was
        assertArrayEquals(grid().toDoubleMatrix(), eval(T.setSubtensor(x.get(Index.slice(3L, null, null)), 1.0), x, grid()).toDoubleMatrix());
        assertArrayEquals(grid().toDoubleMatrix(), eval(T.incSubtensor(x.get(new long[0]), 1.0), x, grid()).toDoubleMatrix());
    }

    // ---------------------------------------------------------------- errors

    @Test void outOfRangeIndicesNameAxisIndexAndSize() {
        Variable x = T.dmatrix("x");
        var e = assertThrows(TheonException.ShapeError.class, () -> eval(x.get(0, 4), x, grid()));
        assertTrue(e.getMessage().contains("index 4 is out of bounds for axis 1 with size 4"), e.getMessage());
        e = assertThrows(TheonException.ShapeError.class, () -> eval(x.get(-4), x, grid()));
        assertTrue(e.getMessage().contains("index -4 is out of bounds for axis 0 with size 3"), e.getMessage());
        e = assertThrows(TheonException.ShapeError.class, () -> eval(T.take(x, new long[]{0, 5}, 1), x, grid()));
        assertTrue(e.getMessage().contains("index 5 is out of bounds for axis 1 with size 4"), e.getMessage());
        Variable i = T.lscalar("i");
        e = assertThrows(TheonException.ShapeError.class, () -> Theon.function(List.of(x, i), x.get(Index.all(), i)).call(grid(), -5));
        assertTrue(e.getMessage().contains("index -5 is out of bounds for axis 1 with size 4"), e.getMessage());
        e = assertThrows(TheonException.ShapeError.class, () -> eval(T.incSubtensor(x.get(new long[]{1, 3}), 1.0), x, grid()));
        assertTrue(e.getMessage().contains("index 3 is out of bounds for axis 0 with size 3"), e.getMessage());
        // with a statically known size the error comes when the expression is built
        Variable s = T.tensor(DType.FLOAT64, new long[]{3, 2}, "s");
        e = assertThrows(TheonException.ShapeError.class, () -> s.get(1, -3));
        assertTrue(e.getMessage().contains("index -3 is out of bounds for axis 1 with size 2"), e.getMessage());
        // index arrays that do not broadcast
        Variable ia = T.lvector("ia"), ib = T.lvector("ib");
        Function pairs = Theon.function(List.of(x, ia, ib), x.get(ia, ib));
        e = assertThrows(TheonException.ShapeError.class, () -> pairs.call(grid(), new long[]{0, 1, 2}, new long[]{0, 1}));
        assertTrue(e.getMessage().contains("could not be broadcast together with shapes (3,) (2,)"), e.getMessage());
    }

    @Test void typeErrors() {
        Variable x = T.dmatrix("x");
        var e = assertThrows(TheonException.TypeError.class, () -> x.get(0, 1, 2));
        assertTrue(e.getMessage().contains("too many indices") && e.getMessage().contains("rank 2"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> x.get(T.dscalar("d")));
        assertTrue(e.getMessage().contains("integer scalar"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> x.get(Index.slice(T.lvector("v"), null, null)));
        assertTrue(e.getMessage().contains("slice start must be an integer scalar"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> x.get(1.5));
        assertTrue(e.getMessage().contains("an index must be"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> x.get(new double[]{0, 1}));
        assertTrue(e.getMessage().contains("integer dtype"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> x.get(new boolean[]{true, false, true}));
        assertTrue(e.getMessage().contains("boolean mask"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> Index.slice(null, null, 0L));
        assertTrue(e.getMessage().contains("step cannot be zero"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> x.get(new long[]{0, 1, 2}, new long[]{0, 1}));
        assertTrue(e.getMessage().contains("could not be broadcast"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> T.take(x, new long[]{0}, 2));
        assertTrue(e.getMessage().contains("axis 2 is out of bounds"), e.getMessage());
        // set/inc need an indexing expression
        e = assertThrows(TheonException.TypeError.class, () -> T.setSubtensor(x, 1.0));
        assertTrue(e.getMessage().contains("setSubtensor") && e.getMessage().contains("indexing expression") && e.getMessage().contains("'x'"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> T.incSubtensor(T.add(x, 1.0), 1.0));
        assertTrue(e.getMessage().contains("incSubtensor") && e.getMessage().contains("computed by add"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> T.setSubtensor(NDArray.of(1.0), 1.0));
        assertTrue(e.getMessage().contains("indexing expression"), e.getMessage());
        // y must fit the region: rank, static sizes, dtype
        e = assertThrows(TheonException.TypeError.class, () -> T.setSubtensor(x.get(0), T.dmatrix("y")));
        assertTrue(e.getMessage().contains("rank 1 or less"), e.getMessage());
        Variable fixed = T.tensor(DType.FLOAT64, new long[]{3, 4}, "fixed");
        e = assertThrows(TheonException.TypeError.class, () -> T.incSubtensor(fixed.get(Index.slice(0L, 2L, null)), T.tensor(DType.FLOAT64, new long[]{3}, "y")));
        assertTrue(e.getMessage().contains("cannot be broadcast to the region of shape (2, 4)"), e.getMessage());
        Variable l = T.lmatrix("l");
        e = assertThrows(TheonException.TypeError.class, () -> T.setSubtensor(l.get(0), T.dvector("y")));
        assertTrue(e.getMessage().contains("without a downcast") && e.getMessage().contains("int64"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> T.incSubtensor(l.get(0), 0.5));
        assertTrue(e.getMessage().contains("without a downcast"), e.getMessage());
    }

    @Test void runtimeShapeErrorsOfY() {
        Variable x = T.dmatrix("x"), y = T.dvector("y");
        Function f = Theon.function(List.of(x, y), T.setSubtensor(x.get(Index.slice(0L, 2L, null)), y));
        var e = assertThrows(TheonException.ShapeError.class, () -> f.call(grid(), new double[]{1, 2, 3}));
        assertTrue(e.getMessage().contains("cannot be broadcast to the region of shape (2, 4)"), e.getMessage());
        // a y dim not declared broadcastable may not stretch at run time
        e = assertThrows(TheonException.ShapeError.class, () -> f.call(grid(), new double[]{1}));
        assertTrue(e.getMessage().contains("does not declare that axis broadcastable"), e.getMessage());
    }

    // ---------------------------------------------------------------- ops as values, printing

    @Test void opsAreValuesAndPrint() {
        Variable x = T.dmatrix("x"), a = T.lscalar("a");
        Variable p = x.get(1, Index.slice(a, null, -1L));
        Variable q = x.get(1, Index.slice(a, null, -1L));
        assertNotSame(p.owner().op(), q.owner().op());
        assertEquals(p.owner().op(), q.owner().op());
        assertEquals(p.owner().op().hashCode(), q.owner().op().hashCode());
        assertNotEquals(p.owner().op(), x.get(1, Index.slice(a, null, -2L)).owner().op());
        assertEquals(List.of(x, a), p.owner().inputs());
        assertEquals("subtensor{1, ?::-1}", p.owner().op().name());
        assertEquals("x[1, a::-1]", Theon.pp(p));
        Variable i = T.lvector("i");
        assertEquals("x[i, newaxis, 2:]", Theon.pp(x.get(i, Index.newAxis(), Index.slice(2L, null, null))));
        Variable y = T.dscalar("y");
        assertEquals("set_subtensor(x[0], y)", Theon.pp(T.setSubtensor(x.get(0), y)));
        assertEquals("inc_subtensor(x[:, i], y)", Theon.pp(T.incSubtensor(x.get(Index.all(), i), y)));
        assertEquals("advanced_inc_subtensor{:, ?}", T.incSubtensor(x.get(Index.all(), i), y).owner().op().name());
    }
}
