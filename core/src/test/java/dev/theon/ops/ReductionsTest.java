package dev.theon.ops;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.TheonException;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The reductions against an independent oracle: plain float64 loops that group a 3-d Java array's elements by output
 * position and apply each statistic to each group, plus NumPy's documented results for dtypes, NaN, ties and empties.
 */
class ReductionsTest {

    // ------------------------------------------------------------------ the oracle

    /** Every way to pick axes of a rank-3 operand: null (all), none, and each non-empty subset. */
    static final int[][] AXES = {null, {}, {0}, {1}, {2}, {0, 1}, {0, 2}, {1, 2}, {0, 1, 2}};

    /** A statistic of one group, the group's values in C order. */
    interface Stat { double of(double[] g); }

    enum Kind {
        SUM(g -> { double s = 0; for (double v : g) s += v; return s; }),
        PROD(g -> { double p = 1; for (double v : g) p *= v; return p; }),
        MEAN(g -> SUM.stat.of(g) / g.length),
        MAX(g -> { double m = g[0]; for (double v : g) if (v > m) m = v; return m; }),
        MIN(g -> { double m = g[0]; for (double v : g) if (v < m) m = v; return m; }),
        ARGMAX(g -> { int k = 0; for (int i = 1; i < g.length; i++) if (g[i] > g[k]) k = i; return k; }),
        ARGMIN(g -> { int k = 0; for (int i = 1; i < g.length; i++) if (g[i] < g[k]) k = i; return k; }),
        ALL(g -> { for (double v : g) if (v == 0) return 0; return 1; }),
        ANY(g -> { for (double v : g) if (v != 0) return 1; return 0; }),
        VAR(g -> variance(g, 0)),
        STD(g -> Math.sqrt(variance(g, 0)));

        final Stat stat;
        Kind(Stat stat) { this.stat = stat; }
    }

    static double variance(double[] g, int ddof) {
        double m = 0;
        for (double v : g) m += v;
        m /= g.length;
        double ss = 0;
        for (double v : g) ss += (v - m) * (v - m);
        return ss / (g.length - ddof);
    }

    /** The oracle: groups a[i][j][k] by its position along the kept axes and applies {@code stat} to each group. */
    static double[] expected(double[][][] a, int[] axes, Stat stat) {
        int[] dims = {a.length, a[0].length, a[0][0].length};
        boolean[] red = new boolean[3];
        if (axes == null) Arrays.fill(red, true); else for (int ax : axes) red[ax] = true;
        int outSize = 1;
        for (int d = 0; d < 3; d++) if (!red[d]) outSize *= dims[d];
        List<List<Double>> groups = new ArrayList<>();
        for (int s = 0; s < outSize; s++) groups.add(new ArrayList<>());
        for (int i = 0; i < dims[0]; i++)
            for (int j = 0; j < dims[1]; j++)
                for (int k = 0; k < dims[2]; k++) {
                    int[] idx = {i, j, k};
                    int key = 0;
                    for (int d = 0; d < 3; d++) if (!red[d]) key = key * dims[d] + idx[d];
                    groups.get(key).add(a[i][j][k]);
                }
        double[] r = new double[outSize];
        for (int s = 0; s < outSize; s++) r[s] = stat.of(groups.get(s).stream().mapToDouble(Double::doubleValue).toArray());
        return r;
    }

    static long[] expectedShape(long[] shape, int[] axes, boolean keepdims) {
        List<Long> out = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            boolean red = axes == null;
            if (axes != null) for (int ax : axes) red |= ax == d || ax + shape.length == d;
            if (!red) out.add(shape[d]);
            else if (keepdims) out.add(1L);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    static Variable apply(Kind k, Variable x, int[] axes, boolean keepdims) {
        return switch (k) {
            case SUM -> T.sum(x, axes, keepdims);
            case PROD -> T.prod(x, axes, keepdims);
            case MEAN -> T.mean(x, axes, keepdims);
            case MAX -> T.max(x, axes, keepdims);
            case MIN -> T.min(x, axes, keepdims);
            case ARGMAX -> T.argmax(x, axes, keepdims);
            case ARGMIN -> T.argmin(x, axes, keepdims);
            case ALL -> T.all(x, axes, keepdims);
            case ANY -> T.any(x, axes, keepdims);
            case VAR -> T.var(x, axes, keepdims);
            case STD -> T.std(x, axes, keepdims);
        };
    }

    static double[][][] data(int d0, int d1, int d2, long seed) {
        Random r = new Random(seed);
        double[][][] a = new double[d0][d1][d2];
        for (double[][] p : a) for (double[] row : p) for (int k = 0; k < d2; k++) {
            int v = r.nextInt(9) - 4;                       // small integers give ties, zeros and exact products
            row[k] = r.nextInt(4) == 0 ? v : v + r.nextDouble() - 0.5;
        }
        return a;
    }

    static NDArray eval(Variable out, Variable x, Object value) { return Theon.function(List.of(x), out).call(value); }

    static void assertValues(double[] expect, NDArray got, double relTol, String what) {
        assertEquals(expect.length, got.size(), what + ": size");
        double[] g = got.toDoubleArray();
        for (int i = 0; i < expect.length; i++) {
            if (Double.isNaN(expect[i])) { assertTrue(Double.isNaN(g[i]), what + " [" + i + "] expected NaN, got " + g[i]); continue; }
            assertEquals(expect[i], g[i], relTol * Math.max(1, Math.abs(expect[i])), what + " [" + i + "]");
        }
    }

    // ------------------------------------------------------------------ every reduction, every axis combination

    @Test void everyReductionOverEveryAxisCombinationOfAFloat64Tensor3() {
        double[][][] a = data(2, 3, 4, 1);
        Variable x = T.dtensor3("x");
        for (Kind k : Kind.values())
            for (int[] axes : AXES) {
                if ((k == Kind.ARGMAX || k == Kind.ARGMIN) && axes != null && axes.length == 0) continue;
                double[] expect = expected(a, axes, k.stat);
                for (boolean keep : new boolean[]{false, true}) {
                    String what = k + " axes=" + Arrays.toString(axes) + " keepdims=" + keep;
                    NDArray got = eval(apply(k, x, axes, keep), x, a);
                    assertArrayEquals(expectedShape(new long[]{2, 3, 4}, axes, keep), got.shape(), what + ": shape");
                    DType dt = switch (k) { case ARGMAX, ARGMIN -> DType.INT64; case ALL, ANY -> DType.BOOL; default -> DType.FLOAT64; };
                    assertEquals(dt, got.dtype(), what + ": dtype");
                    assertValues(expect, got, 1e-12, what);
                }
            }
    }

    @Test void everyReductionOverEveryAxisCombinationOfAnInt32Tensor3() {
        Random r = new Random(7);
        int[][][] ia = new int[3][2][4];
        double[][][] a = new double[3][2][4];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 4; k++) a[i][j][k] = ia[i][j][k] = r.nextInt(7) - 3;
        Variable x = T.itensor3("x");
        for (Kind k : Kind.values())
            for (int[] axes : AXES) {
                if ((k == Kind.ARGMAX || k == Kind.ARGMIN) && axes != null && axes.length == 0) continue;
                String what = k + " axes=" + Arrays.toString(axes);
                NDArray got = eval(apply(k, x, axes, false), x, ia);
                DType dt = switch (k) {
                    case SUM, PROD, ARGMAX, ARGMIN -> DType.INT64;
                    case MAX, MIN -> DType.INT32;
                    case ALL, ANY -> DType.BOOL;
                    case MEAN, VAR, STD -> DType.FLOAT64;
                };
                assertEquals(dt, got.dtype(), what + ": dtype");
                assertValues(expected(a, axes, k.stat), got, 1e-12, what);
            }
    }

    // ------------------------------------------------------------------ axes and shapes

    @Test void negativeAxesCountFromTheEnd() {
        double[][][] a = data(2, 3, 4, 2);
        Variable x = T.dtensor3("x");
        assertValues(expected(a, new int[]{2}, Kind.SUM.stat), eval(T.sum(x, -1), x, a), 1e-12, "sum -1");
        assertValues(expected(a, new int[]{0, 2}, Kind.MAX.stat), eval(T.max(x, -3, -1), x, a), 1e-12, "max -3,-1");
        assertValues(expected(a, new int[]{1}, Kind.ARGMIN.stat), eval(T.argmin(x, -2), x, a), 0, "argmin -2");
        assertValues(expected(a, new int[]{0, 1}, Kind.VAR.stat), eval(T.var(x, -2, 0), x, a), 1e-12, "var -2,0");
        // normalised axes make equal ops, so equal subgraphs merge
        assertEquals(T.sum(x, -1).owner().op(), T.sum(x, 2).owner().op());
        assertEquals(T.mean(x, 2, -3).owner().op(), T.mean(x, 0, 2).owner().op());
        assertEquals("sum{axis=[2]}", T.sum(x, -1).owner().op().name());
    }

    @Test void keepdimsShapesStaticAndAtRunTime() {
        Variable x = T.tensor(DType.FLOAT64, new long[]{2, 3, 4}, "x");
        assertArrayEquals(new long[]{2, 1, 4}, T.sum(x, new int[]{1}, true).type().shape());
        assertArrayEquals(new long[]{1, 1, 1}, T.max(x, null, true).type().shape());
        assertArrayEquals(new long[]{1, 3, 1}, T.argmax(x, new int[]{0, -1}, true).type().shape());
        assertArrayEquals(new long[]{3}, T.std(x, 0, 2).type().shape());
        assertArrayEquals(new long[]{}, T.mean(x).type().shape());
        double[][][] a = data(2, 3, 4, 3);
        NDArray m = eval(T.mean(x, new int[]{0, 2}, true), x, a);
        assertArrayEquals(new long[]{1, 3, 1}, m.shape());
        assertValues(expected(a, new int[]{0, 2}, Kind.MEAN.stat), m, 1e-12, "mean keepdims");
        // a keepdims result broadcasts against its operand: x - mean(x, axis, keepdims) has zero mean along axis
        NDArray centred = eval(T.mean(T.sub(x, T.mean(x, new int[]{1}, true)), 1), x, a);
        for (double v : centred.toDoubleArray()) assertEquals(0, v, 1e-12);
        // argmax over all axes with keepdims: NumPy's flat index in a (1, 1, 1) array
        NDArray am = eval(T.argmax(x, null, true), x, a);
        assertArrayEquals(new long[]{1, 1, 1}, am.shape());
        assertEquals((long) expected(a, null, Kind.ARGMAX.stat)[0], am.toLong());
    }

    @Test void emptyAxesListReducesNothing() {
        // NumPy: sum(x, axis=()) is x itself (with the sum's dtype)
        Variable x = T.imatrix("x");
        NDArray r = eval(T.sum(x, new int[0]), x, new int[][]{{1, 2}, {3, 4}});
        assertEquals(DType.INT64, r.dtype());
        assertArrayEquals(new long[]{2, 2}, r.shape());
        assertArrayEquals(new double[]{1, 2, 3, 4}, r.toDoubleArray());
    }

    // ------------------------------------------------------------------ dtypes and exactness

    @Test void int64SumsProductsAndExtremaAreExact() {
        long big = 1L << 60;
        Variable v = T.lvector("v");
        NDArray values = NDArray.of(big + 1, big + 3, -big, 7L);
        assertEquals(big + 11, eval(T.sum(v), v, values).toLong());       // float64 would round to a multiple of 256
        assertEquals(big + 3, eval(T.max(v), v, values).toLong());
        assertEquals(-big, eval(T.min(v), v, values).toLong());
        assertEquals(1, eval(T.argmax(v), v, NDArray.of(big, big + 1, big)).toLong());   // the values tie as doubles
        assertEquals(0, eval(T.argmin(v), v, NDArray.of(big, big + 1, big)).toLong());
        assertEquals(big + (1L << 31), eval(T.prod(v), v, NDArray.of(1L << 31, (1L << 29) + 1)).toLong());
        // int64 overflow wraps, as NumPy
        assertEquals(Long.MIN_VALUE, eval(T.sum(v), v, NDArray.of(Long.MAX_VALUE, 1L)).toLong());
        // narrow integers accumulate in int64, so the sum leaves their range without wrapping
        Variable b = T.bvector("b");
        NDArray bytes = NDArray.of((byte) 100, (byte) 100, (byte) 100);
        assertEquals(300, eval(T.sum(b), b, bytes).toLong());
        assertEquals(1_000_000, eval(T.prod(b), b, bytes).toLong());
        NDArray bmax = eval(T.max(b), b, NDArray.of((byte) -128, (byte) 127, (byte) 0));
        assertEquals(DType.INT8, bmax.dtype());
        assertEquals(127, bmax.toLong());
        Variable w = T.wvector("w");
        NDArray wmin = eval(T.min(w), w, NDArray.of((short) 5, (short) -32768));
        assertEquals(DType.INT16, wmin.dtype());
        assertEquals(-32768, wmin.toLong());
    }

    @Test void boolInputs() {
        Variable b = T.tensor(DType.BOOL, 2, "b");
        boolean[][] v = {{true, false, true}, {true, true, true}};
        NDArray count = eval(T.sum(b), b, v);
        assertEquals(DType.INT64, count.dtype());
        assertEquals(5, count.toLong());
        assertArrayEquals(new double[]{2, 1, 2}, eval(T.sum(b, 0), b, v).toDoubleArray());
        NDArray prod = eval(T.prod(b, 1), b, v);
        assertEquals(DType.INT64, prod.dtype());
        assertArrayEquals(new double[]{0, 1}, prod.toDoubleArray());
        NDArray mean = eval(T.mean(b), b, v);
        assertEquals(DType.FLOAT64, mean.dtype());
        assertEquals(5.0 / 6, mean.toDouble(), 1e-15);
        NDArray max = eval(T.max(b, 1), b, v);
        assertEquals(DType.BOOL, max.dtype());
        assertArrayEquals(new double[]{1, 1}, max.toDoubleArray());
        assertArrayEquals(new double[]{0, 1}, eval(T.min(b, 1), b, v).toDoubleArray());
        assertArrayEquals(new double[]{0, 1}, eval(T.all(b, 1), b, v).toDoubleArray());
        assertArrayEquals(new double[]{1, 1, 1}, eval(T.any(b, 0), b, v).toDoubleArray());
        assertArrayEquals(new double[]{1, 0}, eval(T.argmin(b, 1), b, v).toDoubleArray());
        NDArray var = eval(T.var(b), b, v);   // 5 ones and 1 zero: mean 5/6, variance 5/36
        assertEquals(DType.FLOAT64, var.dtype());
        assertEquals(5.0 / 36, var.toDouble(), 1e-15);
    }

    @Test void float32KeepsFloat32() {
        Variable x = T.ftensor3("x");
        double[][][] a = data(2, 3, 4, 4);
        float[][][] f = new float[2][3][4];
        double[][][] rounded = new double[2][3][4];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) rounded[i][j][k] = f[i][j][k] = (float) a[i][j][k];
        for (Kind k : List.of(Kind.SUM, Kind.PROD, Kind.MEAN, Kind.MAX, Kind.MIN, Kind.VAR, Kind.STD)) {
            Variable out = apply(k, x, new int[]{0, 2}, false);
            assertEquals(DType.FLOAT32, out.dtype(), k + ": static dtype");
            NDArray got = eval(out, x, f);
            assertEquals(DType.FLOAT32, got.dtype(), k + ": value dtype");
            assertValues(expected(rounded, new int[]{0, 2}, k.stat), got, 1e-6, k + " float32");
        }
        assertEquals(DType.INT64, T.argmax(x, 1).dtype());
        assertEquals(DType.BOOL, T.any(x).dtype());
        // integers become float64 for mean, var and std (NumPy), not float32
        assertEquals(DType.FLOAT64, T.mean(T.ivector("i")).dtype());
        assertEquals(DType.FLOAT64, T.std(T.bvector("i")).dtype());
    }

    @Test void float32SumAccumulatesInFloat64() {
        // 100000 additions of 0.1f drift by about 1% in float32 arithmetic; a float64 accumulator rounds once
        int n = 100_000;
        float[] v = new float[n];
        Arrays.fill(v, 0.1f);
        Variable x = T.fvector("x");
        double exact = 0;
        for (float e : v) exact += e;
        assertEquals((float) exact, (float) eval(T.sum(x), x, v).toDouble());
        assertEquals((float) (exact / n), (float) eval(T.mean(x), x, v).toDouble());
    }

    @Test void floatXIsBoundWhenCompiled() {
        Variable m = T.matrix("m");
        Variable mean = T.mean(m, 1), arg = T.argmax(m, 0);
        assertEquals(DType.FLOATX, mean.dtype());
        Function f32 = Theon.function(List.of(m), List.of(mean, arg), Theon.options().floatX(DType.FLOAT32));
        List<NDArray> r = f32.callAll(NDArray.of(new float[][]{{1, 2, 6}, {4, 0, 5}}));
        assertEquals(DType.FLOAT32, r.get(0).dtype());
        assertArrayEquals(new double[]{3, 3}, r.get(0).toDoubleArray());
        assertArrayEquals(new double[]{1, 0, 0}, r.get(1).toDoubleArray());
        Function f64 = Theon.function(List.of(m), mean, Theon.options().floatX(DType.FLOAT64));
        assertEquals(DType.FLOAT64, f64.call(new double[][]{{1, 2}}).dtype());
    }

    // ------------------------------------------------------------------ layouts

    @Test void nonContiguousInputs() {
        double[][][] a = data(3, 4, 5, 5);
        NDArray base = NDArray.of(a);
        // a transposed view (2, 0, 1): element [i][j][k] is a[j][k][i]
        NDArray tv = base.transpose(2, 0, 1);
        double[][][] t = new double[5][3][4];
        for (int i = 0; i < 5; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) t[i][j][k] = a[j][k][i];
        // a sliced view: every other row along axis 1, reversed along axis 2
        NDArray sv = base.slice(1, 0, Long.MAX_VALUE, 2).slice(2, Long.MIN_VALUE, Long.MAX_VALUE, -1);
        double[][][] s = new double[3][2][5];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 5; k++) s[i][j][k] = a[i][2 * j][4 - k];
        assertFalse(tv.isContiguous());
        assertFalse(sv.isContiguous());
        Variable x = T.dtensor3("x");
        for (Kind k : Kind.values())
            for (int[] axes : new int[][]{null, {0}, {2}, {0, 1}, {1, 2}}) {
                assertValues(expected(t, axes, k.stat), eval(apply(k, x, axes, false), x, tv), 1e-12, k + " transposed " + Arrays.toString(axes));
                assertValues(expected(s, axes, k.stat), eval(apply(k, x, axes, true), x, sv), 1e-12, k + " sliced " + Arrays.toString(axes));
            }
    }

    @Test void reusedOutputsAreFullyOverwrittenAcrossCalls() {
        Variable x = T.dmatrix("x");
        Function f = Theon.function(List.of(x), List.of(T.max(x, 0), T.argmin(x, 1), T.var(x, 0), T.prod(x, 0)));
        List<NDArray> first = f.callAll(new double[][]{{5, 1}, {2, 8}});
        assertArrayEquals(new double[]{5, 8}, first.get(0).toDoubleArray());
        List<NDArray> second = f.callAll(new double[][]{{-1, -2}, {-3, -4}});
        assertArrayEquals(new double[]{-1, -2}, second.get(0).toDoubleArray());
        assertArrayEquals(new double[]{1, 1}, second.get(1).toDoubleArray());
        assertArrayEquals(new double[]{1, 1}, second.get(2).toDoubleArray());
        assertArrayEquals(new double[]{3, 8}, second.get(3).toDoubleArray());
    }

    // ------------------------------------------------------------------ empties, NaN, ties

    @Test void emptyArrays() {
        Variable x = T.dmatrix("x");
        NDArray e = NDArray.zeros(DType.FLOAT64, 0, 3);
        assertArrayEquals(new double[]{0, 0, 0}, eval(T.sum(x, 0), x, e).toDoubleArray());
        assertArrayEquals(new double[]{1, 1, 1}, eval(T.prod(x, 0), x, e).toDoubleArray());
        assertEquals(0.0, eval(T.sum(x), x, e).toDouble());
        assertEquals(1.0, eval(T.prod(x), x, e).toDouble());
        assertTrue(Double.isNaN(eval(T.mean(x), x, e).toDouble()));
        for (double m : eval(T.mean(x, 0), x, e).toDoubleArray()) assertTrue(Double.isNaN(m));
        assertTrue(Double.isNaN(eval(T.var(x), x, e).toDouble()));
        assertTrue(eval(T.all(x), x, e).toBoolean());
        assertFalse(eval(T.any(x), x, e).toBoolean());
        // reducing the non-empty axis gives an empty result, not an error (NumPy)
        assertArrayEquals(new long[]{0}, eval(T.max(x, 1), x, e).shape());
        assertArrayEquals(new long[]{0}, eval(T.argmax(x, 1), x, e).shape());
        assertArrayEquals(new long[]{0, 1}, eval(T.sum(x, new int[]{1}, true), x, e).shape());
        // integer sums of nothing are int64 zero
        Variable i = T.ivector("i");
        NDArray si = eval(T.sum(i), i, NDArray.zeros(DType.INT32, 0));
        assertEquals(DType.INT64, si.dtype());
        assertEquals(0, si.toLong());
    }

    @Test void maxMinArgmaxOfAnEmptyAxisAreErrorsNamingTheOpAndShape() {
        Variable x = T.dmatrix("x");
        NDArray e = NDArray.zeros(DType.FLOAT64, 0, 3);
        for (Variable out : List.of(T.max(x, 0), T.min(x), T.argmax(x, 0), T.argmin(x))) {
            TheonException.ShapeError err = assertThrows(TheonException.ShapeError.class, () -> eval(out, x, e));
            String op = out.owner().op().name();
            assertTrue(err.getMessage().contains(op), err.getMessage());
            assertTrue(err.getMessage().contains("(0, 3)"), err.getMessage());
            assertTrue(err.getMessage().contains("no identity"), err.getMessage());
        }
        Variable l = T.lvector("l");
        assertThrows(TheonException.ShapeError.class, () -> eval(T.max(l), l, NDArray.zeros(DType.INT64, 0)));
    }

    @Test void nanPropagatesThroughMaxAndMin() {
        double nan = Double.NaN;
        Variable x = T.dmatrix("x");
        double[][] v = {{1, nan, 3}, {4, 5, 6}, {nan, -1, nan}};
        assertArrayEquals(new double[]{nan, 6, nan}, eval(T.max(x, 1), x, v).toDoubleArray());
        assertArrayEquals(new double[]{nan, 4, nan}, eval(T.min(x, 1), x, v).toDoubleArray());
        assertTrue(Double.isNaN(eval(T.max(x), x, v).toDouble()));
        // the NaN is kept even when it comes first and larger values follow
        assertTrue(Double.isNaN(eval(T.max(x, 1), x, new double[][]{{nan, 10, 20}}).toDoubleArray()[0]));
        // argmax and argmin point at the first NaN, as NumPy
        assertArrayEquals(new double[]{1, 2, 0}, eval(T.argmax(x, 1), x, v).toDoubleArray());
        assertArrayEquals(new double[]{1, 0, 0}, eval(T.argmin(x, 1), x, v).toDoubleArray());
        // NaN is non-zero, so true for all and any; a sum with NaN is NaN
        assertTrue(eval(T.all(x), x, new double[][]{{nan, 1}}).toBoolean());
        assertTrue(Double.isNaN(eval(T.sum(x), x, v).toDouble()));
        // infinities are ordinary values
        Variable f = T.fvector("f");
        NDArray ninf = eval(T.max(f), f, new float[]{Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY});
        assertEquals(Double.NEGATIVE_INFINITY, ninf.toDouble());
    }

    @Test void argmaxAndArgminGiveTheFirstOfTies() {
        Variable v = T.dvector("v");
        assertEquals(1, eval(T.argmax(v), v, new double[]{1, 3, 3, 2}).toLong());
        assertEquals(1, eval(T.argmin(v), v, new double[]{2, 1, 1, 1}).toLong());
        Variable m = T.imatrix("m");
        int[][] ties = {{7, 7, 7}, {0, 9, 9}, {4, 4, 1}};
        assertArrayEquals(new double[]{0, 1, 0}, eval(T.argmax(m, 1), m, ties).toDoubleArray());
        assertArrayEquals(new double[]{1, 2, 2}, eval(T.argmin(m, 0), m, ties).toDoubleArray());
        // over all axes: the flat index of the first maximum (9 at [1][1] = 4)
        NDArray flat = eval(T.argmax(m), m, ties);
        assertEquals(DType.INT64, flat.dtype());
        assertEquals(4, flat.toLong());
        // keepdims keeps the reduced axis as size 1
        NDArray kept = eval(T.argmax(m, new int[]{-1}, true), m, ties);
        assertArrayEquals(new long[]{3, 1}, kept.shape());
        assertArrayEquals(new double[]{0, 1, 0}, kept.toDoubleArray());
        // a scalar's argmax is 0, as NumPy
        Variable s = T.dscalar("s");
        assertEquals(0, eval(T.argmax(s), s, 3.0).toLong());
    }

    // ------------------------------------------------------------------ var and std

    @Test void varianceAndStdWithDdof() {
        Variable v = T.dvector("v");
        double[] d = {1, 2, 3, 4};
        assertEquals(1.25, eval(T.var(v), v, d).toDouble(), 1e-15);                                 // population
        assertEquals(5.0 / 3, eval(T.var(v, new int[]{0}, false, 1), v, d).toDouble(), 1e-15);      // sample
        assertEquals(Math.sqrt(1.25), eval(T.std(v), v, d).toDouble(), 1e-15);
        assertEquals(Math.sqrt(5.0 / 3), eval(T.std(v, null, false, 1), v, d).toDouble(), 1e-15);
        // two-pass float64: a large offset does not swamp a small spread (one-pass E[x^2]-E[x]^2 gives garbage here)
        double off = 1e9;
        assertEquals(1.25, eval(T.var(v), v, new double[]{off + 1, off + 2, off + 3, off + 4}).toDouble(), 1e-6);
        // ddof = n divides by zero: Inf for a spread, as NumPy (which warns)
        assertEquals(Double.POSITIVE_INFINITY, eval(T.var(v, null, false, 4), v, d).toDouble());
        // over axes of a matrix, with keepdims
        Variable m = T.dmatrix("m");
        NDArray r = eval(T.var(m, new int[]{1}, true, 1), m, new double[][]{{1, 3}, {2, 2}, {0, 10}});
        assertArrayEquals(new long[]{3, 1}, r.shape());
        assertArrayEquals(new double[]{2, 0, 50}, r.toDoubleArray(), 1e-12);
        // int64 input is computed in float64
        Variable l = T.lvector("l");
        NDArray li = eval(T.var(l), l, NDArray.of(1L, 2L, 3L, 4L));
        assertEquals(DType.FLOAT64, li.dtype());
        assertEquals(1.25, li.toDouble(), 1e-15);
    }

    // ------------------------------------------------------------------ facades and printing

    @Test void instanceMethodsMatchTheStaticFunctions() {
        Variable x = T.dmatrix("x");
        double[][] v = {{1, 5, 2}, {7, 3, 3}};
        Map<Variable, Object> in = Map.of(x, v);
        assertEquals(21.0, x.sum().eval(in).toDouble());
        assertArrayEquals(new double[]{4, 4, 2.5}, x.mean(0).eval(in).toDoubleArray());
        assertEquals(7.0, x.max().eval(in).toDouble());
        assertEquals(1.0, x.min().eval(in).toDouble());
        assertArrayEquals(new double[]{1, 0}, x.argmax(1).eval(in).toDoubleArray());
        assertEquals(0, x.argmin().eval(in).toLong());
        assertEquals(630.0, x.prod().eval(in).toDouble());
        assertArrayEquals(new long[]{2, 1}, x.sum(new int[]{1}, true).eval(in).shape());
        assertTrue(x.all().eval(in).toBoolean());
        assertTrue(x.gt(6.0).any().eval(in).toBoolean());
        assertArrayEquals(new double[]{9, 1, 0.25}, x.var(0).eval(in).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[]{3, 1, 0.5}, x.std(new int[]{0}, false).eval(in).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[]{18, 2, 0.5}, x.var(new int[]{0}, false, 1).eval(in).toDoubleArray(), 1e-12);
        assertEquals(T.max(x, 1).owner().op(), x.max(1).owner().op());
    }

    @Test void namesAndPrinting() {
        Variable x = T.dtensor3("x");
        assertEquals("max{axis=[0, 2]}", T.max(x, 2, 0).owner().op().name());
        assertEquals("argmax{axis=[1], keepdims}", T.argmax(x, new int[]{1}, true).owner().op().name());
        assertEquals("var{all, ddof=1}", T.var(x, null, false, 1).owner().op().name());
        assertEquals("std{axis=[2]}", T.std(x, -1).owner().op().name());
        assertEquals("mean{all}(x)", Theon.pp(T.mean(x)));
        assertNotEquals(T.var(x).owner().op(), T.std(x).owner().op());
        assertNotEquals(T.var(x).owner().op(), T.var(x, null, false, 1).owner().op());
        assertNotEquals(T.argmax(x, 0).owner().op(), T.argmin(x, 0).owner().op());
    }

    // ------------------------------------------------------------------ type errors

    @Test void axisOutOfRangeIsATypeError() {
        Variable x = T.dtensor3("x");
        TheonException.TypeError e = assertThrows(TheonException.TypeError.class, () -> T.sum(x, 3));
        assertTrue(e.getMessage().startsWith("sum: axis 3 is out of range"), e.getMessage());
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
        assertTrue(e.getMessage().contains("expected an axis in [-3, 2]"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> T.argmax(x, -4));
        assertTrue(e.getMessage().contains("argmax: axis -4 is out of range"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> x.std(new int[]{5}, true, 1));
        assertTrue(e.getMessage().startsWith("std: axis 5"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> T.mean(T.dscalar("s"), 0));
        assertTrue(e.getMessage().contains("a scalar has no axes"), e.getMessage());
        // an op built for a larger rank refuses a smaller operand
        Reduce forRank3 = Reduce.of(Reduce.Kind.MAX, 3, new int[]{2}, false);
        e = assertThrows(TheonException.TypeError.class, () -> forRank3.apply(T.dmatrix("m")));
        assertTrue(e.getMessage().contains("max{axis=[2]}: axis 2 is out of range for rank 2"), e.getMessage());
    }

    @Test void duplicateAxisIsATypeError() {
        Variable x = T.dtensor3("x");
        TheonException.TypeError e = assertThrows(TheonException.TypeError.class, () -> T.max(x, 0, -3));
        assertTrue(e.getMessage().startsWith("max: axis -3 appears twice in [0, -3]"), e.getMessage());
        assertTrue(e.getMessage().contains("expected each axis at most once"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> T.var(x, new int[]{1, 1}, false, 0));
        assertTrue(e.getMessage().startsWith("var: axis 1 appears twice"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> Reduce.of(Reduce.Kind.PROD, 2, new int[]{1, -1}, false));
        assertTrue(e.getMessage().startsWith("prod: axis -1 appears twice"), e.getMessage());
    }

    @Test void argmaxNeedsSomeAxis() {
        Variable x = T.dmatrix("x");
        TheonException.TypeError e = assertThrows(TheonException.TypeError.class, () -> T.argmax(x, new int[0]));
        assertTrue(e.getMessage().contains("argmax: got an empty list of axes"), e.getMessage());
        assertTrue(e.getMessage().contains("expected one or more axes"), e.getMessage());
    }
}
