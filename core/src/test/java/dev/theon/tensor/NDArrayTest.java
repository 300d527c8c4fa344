package dev.theon.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Values: conversions to and from Java arrays, views and copies, storage alignment, NumPy-style printing. */
class NDArrayTest {

    // ------------------------------------------------------------------ Java arrays of every element type and rank

    static final Class<?>[] LEAVES = {double.class, float.class, int.class, long.class, boolean.class, byte.class, short.class};
    static final DType[] LEAF_DTYPES = {DType.FLOAT64, DType.FLOAT32, DType.INT32, DType.INT64, DType.BOOL, DType.INT8, DType.INT16};

    static Stream<Arguments> leavesAndRanks() {
        List<Arguments> cases = new ArrayList<>();
        for (int t = 0; t < LEAVES.length; t++) for (int rank = 0; rank <= 4; rank++) cases.add(Arguments.of(LEAVES[t], LEAF_DTYPES[t], rank));
        return cases.stream();
    }

    /** The value stored at C-order position k, for a leaf type: distinct, with signs, fits every type. */
    static Object valueAt(Class<?> leaf, int k) {
        int v = (k % 2 == 0 ? 1 : -1) * (k * 7 % 100);
        if (leaf == double.class) return v + 0.25;
        if (leaf == float.class) return (float) (v - 0.5);
        if (leaf == int.class) return v;
        if (leaf == long.class) return (1L << 40) + v;
        if (leaf == boolean.class) return k % 3 == 0;
        if (leaf == byte.class) return (byte) v;
        return (short) (v * 300);
    }

    static double asDouble(Object o) { return o instanceof Boolean b ? (b ? 1 : 0) : ((Number) o).doubleValue(); }

    static Object nested(Class<?> leaf, int[] dims, int[] counter, int d) {
        if (d == dims.length) return valueAt(leaf, counter[0]++);
        Class<?> component = leaf;
        for (int i = d + 1; i < dims.length; i++) component = component.arrayType();
        Object arr = Array.newInstance(component, dims[d]);
        for (int i = 0; i < dims[d]; i++) Array.set(arr, i, nested(leaf, dims, counter, d + 1));
        return arr;
    }

    @ParameterizedTest(name = "{0} rank {2}")
    @MethodSource("leavesAndRanks")
    void javaArraysRoundTrip(Class<?> leaf, DType dtype, int rank) {
        int[] dims = {2, 3, 1, 2};
        int[] shape = java.util.Arrays.copyOf(dims, rank);
        Object value = nested(leaf, shape, new int[]{0}, 0);
        NDArray a = NDArray.fromJava(value);
        assertEquals(dtype, a.dtype());
        assertEquals(rank, a.ndim());
        for (int d = 0; d < rank; d++) assertEquals(shape[d], a.shape(d));
        long n = a.size();
        for (int k = 0; k < n; k++) {
            Object expect = valueAt(leaf, k);
            if (leaf == long.class) assertEquals((long) expect, a.flatLong(k), "element " + k);
            else assertEquals(asDouble(expect), a.flatDouble(k), 0.0, "element " + k);
        }
        Object back = a.toJava();
        if (rank == 0) assertEquals(value, back);
        else assertTrue(java.util.Objects.deepEquals(value, back), "toJava gives back the same nested array");
        assertEquals(value.getClass(), back.getClass());
    }

    @Test void ofOverloadsForEveryTypeAndRank() {
        assertEquals(DType.FLOAT64, NDArray.of(new double[][][][]{{{{1}}}}).dtype());
        assertEquals(DType.FLOAT32, NDArray.of(new float[][][]{{{1}}}).dtype());
        assertEquals(DType.INT32, NDArray.of(new int[][][][]{{{{1, 2}}}}).dtype());
        assertEquals(DType.INT64, NDArray.of(new long[][][][]{{{{1}}}}).dtype());
        assertEquals(DType.BOOL, NDArray.of(new boolean[][][]{{{true}}}).dtype());
        assertEquals(DType.INT8, NDArray.of(new byte[][]{{1, 2}}).dtype());
        assertEquals(DType.INT16, NDArray.of(new short[][][][]{{{{1}}}}).dtype());
        assertArrayEquals(new long[]{1, 1, 1, 2}, NDArray.of(new int[][][][]{{{{1, 2}}}}).shape());
        // scalars
        assertEquals(DType.FLOAT64, NDArray.of(2.5).dtype());
        assertEquals(DType.FLOAT32, NDArray.of(2.5f).dtype());
        assertEquals(DType.INT32, NDArray.of(2).dtype());
        assertEquals(DType.INT64, NDArray.of(2L).dtype());
        assertEquals(DType.BOOL, NDArray.of(true).dtype());
        assertEquals(0, NDArray.of(2.5).ndim());
        assertEquals(DType.INT8, NDArray.fromJava((byte) 3).dtype());
        assertEquals(DType.INT16, NDArray.fromJava((short) 3).dtype());
        assertEquals(Long.MAX_VALUE, NDArray.of(Long.MAX_VALUE).toLong());
        assertEquals(DType.FLOAT32, NDArray.fromJava(new double[]{1, 2}, DType.FLOAT32).dtype());
    }

    @Test void conversionsOut() {
        NDArray a = NDArray.of(new double[][]{{1.5, -2}, {3, 4.25}});
        assertArrayEquals(new double[][]{{1.5, -2}, {3, 4.25}}, a.toDoubleMatrix());
        assertArrayEquals(new float[][]{{1.5f, -2}, {3, 4.25f}}, a.toFloatMatrix());
        assertArrayEquals(new double[]{1.5, -2, 3, 4.25}, a.toDoubleArray());
        assertArrayEquals(new float[]{1.5f, -2, 3, 4.25f}, a.toFloatArray());
        assertArrayEquals(new long[]{1, -2, 3, 4}, a.toLongArray());      // truncation toward zero
        assertArrayEquals(new int[]{1, -2, 3, 4}, a.toIntArray());
        assertArrayEquals(new short[]{1, -2, 3, 4}, a.toShortArray());
        assertArrayEquals(new byte[]{1, -2, 3, 4}, a.toByteArray());
        assertArrayEquals(new boolean[]{true, true, true, true}, a.toBooleanArray());
        assertArrayEquals(new int[][]{{1, -2}, {3, 4}}, a.toIntMatrix());
        assertArrayEquals(new long[][]{{1, -2}, {3, 4}}, a.toLongMatrix());
        assertArrayEquals(new boolean[][]{{true, false}}, NDArray.of(new boolean[][]{{true, false}}).toBooleanMatrix());
        // from a transposed view: C order of the view, not of the storage
        assertArrayEquals(new double[]{1.5, 3, -2, 4.25}, a.transpose().toDoubleArray());
        assertArrayEquals(new double[][]{{1.5, 3}, {-2, 4.25}}, a.transpose().toDoubleMatrix());
        assertEquals(4.25, NDArray.of(new double[][]{{4.25}}).toDouble());
        assertTrue(NDArray.of(true).toBoolean());
        IllegalStateException e = assertThrows(IllegalStateException.class, a::toDouble);
        assertTrue(e.getMessage().contains("(2, 2)"), e.getMessage());
        IllegalStateException e2 = assertThrows(IllegalStateException.class, () -> NDArray.of(1.0, 2.0).toDoubleMatrix());
        assertTrue(e2.getMessage().contains("rank 2"), e2.getMessage());
        // int64 stays exact on the way out
        long big = (1L << 62) + 1;
        assertArrayEquals(new long[]{big}, NDArray.of(new long[]{big}).toLongArray());
        assertEquals(big, NDArray.of(big).toLong());
    }

    @Test void emptyJavaArrays() {
        NDArray e = NDArray.of(new double[0]);
        assertArrayEquals(new long[]{0}, e.shape());
        assertEquals(0, e.toDoubleArray().length);
        NDArray e2 = NDArray.of(new double[2][0]);
        assertArrayEquals(new long[]{2, 0}, e2.shape());
        assertEquals(0, e2.size());
        assertArrayEquals(new double[2][0], e2.toDoubleMatrix());
    }

    @Test void raggedAndUnsupportedJavaValuesAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NDArray.of(new double[][]{{1, 2}, {3}}));
        assertTrue(e.getMessage().contains("ragged") && e.getMessage().contains("dimension 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.of(new int[][]{{1}, null}));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.fromJava(new String[]{"a"}));
        assertTrue(e.getMessage().contains("String"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.fromJava("text"));
        assertTrue(e.getMessage().contains("String") && e.getMessage().contains("expected"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.fromDoubles(DType.FLOAT64, new double[]{1, 2, 3}, 2, 2));
        assertTrue(e.getMessage().contains("(2, 2)"), e.getMessage());
    }

    // ------------------------------------------------------------------ views and copies

    @Test void viewsShareStorage() {
        NDArray a = NDArray.of(new double[][]{{1, 2, 3}, {4, 5, 6}});
        NDArray t = a.transpose();
        t.setDouble(20, 1, 0);                    // t[1][0] is a[0][1]
        assertEquals(20, a.getDouble(0, 1));
        NDArray s = a.slice(1, 0, Long.MAX_VALUE, 2);  // columns 0 and 2
        assertArrayEquals(new long[]{2, 2}, s.shape());
        s.setDouble(30, 1, 1);                    // a[1][2]
        assertEquals(30, a.getDouble(1, 2));
        NDArray r = a.reshape(3, 2);
        r.setDouble(-1, 2, 1);                    // the last element
        assertEquals(-1, a.getDouble(1, 2));
        NDArray e = a.expandDims(0);
        assertArrayEquals(new long[]{1, 2, 3}, e.shape());
        e.setDouble(7, 0, 0, 0);
        assertEquals(7, a.getDouble(0, 0));
        NDArray row = a.index(0, 1);
        row.setDouble(9, 0);
        assertEquals(9, a.getDouble(1, 0));
        NDArray b = NDArray.of(1.0, 2.0).broadcastTo(3, 2);
        assertArrayEquals(new long[]{3, 2}, b.shape());
        assertArrayEquals(new double[]{1, 2, 1, 2, 1, 2}, b.toDoubleArray());
        for (NDArray v : List.of(t, s, r, e, row)) assertTrue(v.sharesStorageWith(a));
        assertFalse(t.isContiguous());
        assertEquals(0, b.strides()[0], "broadcast dims have stride 0");
        // reshaping a non-contiguous view cannot be a view: it copies
        NDArray rt = t.reshape(6);
        assertFalse(rt.sharesStorageWith(a));
        assertArrayEquals(new double[]{7, 9, 20, 5, 3, -1}, rt.toDoubleArray());
        assertArrayEquals(new long[]{2, 3}, a.reshape(-1, 3).shape());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> a.reshape(4, 2));
        assertTrue(bad.getMessage().contains("size 6"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.broadcastTo(3, 2));
        IllegalArgumentException axis = assertThrows(IllegalArgumentException.class, () -> a.slice(2, 0, 1, 1));
        assertTrue(axis.getMessage().contains("axis 2") && axis.getMessage().contains("rank 2"), axis.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.index(-3, 0));
        assertArrayEquals(new long[]{2, 3, 1}, a.expandDims(-1).shape());
        assertThrows(IllegalArgumentException.class, () -> a.expandDims(4));
    }

    @Test void negativeStepSlices() {
        NDArray a = NDArray.of(0, 1, 2, 3, 4, 5);
        assertArrayEquals(new long[]{5, 4, 3, 2, 1, 0}, a.slice(0, Long.MIN_VALUE, Long.MAX_VALUE, -1).toLongArray());
        assertArrayEquals(new long[]{4, 2}, a.slice(0, -2, 0, -2).toLongArray());
        assertArrayEquals(new long[]{}, a.slice(0, 4, 2, 1).toLongArray());
        assertArrayEquals(new long[]{1, 2}, a.slice(0, 1, -3, 1).toLongArray());
    }

    @Test void copiesAreIndependent() {
        NDArray a = NDArray.of(new double[][]{{1, 2}, {3, 4}});
        NDArray c = a.copy();
        c.setDouble(100, 0, 0);
        assertEquals(1, a.getDouble(0, 0));
        assertFalse(c.sharesStorageWith(a));
        NDArray ct = a.transpose().copy();
        assertTrue(ct.isContiguous());
        assertArrayEquals(new double[][]{{1, 3}, {2, 4}}, ct.toDoubleMatrix());
        a.setDouble(-5, 1, 0);
        assertEquals(3, ct.getDouble(0, 1));
        assertTrue(a.contentEquals(NDArray.of(new double[][]{{1, 2}, {-5, 4}})));
        assertFalse(a.contentEquals(NDArray.of(new float[][]{{1, 2}, {-5, 4}})), "dtype is part of the content");
    }

    @Test void astypeConvertsLikeCCasts() {
        NDArray f = NDArray.of(-2.7, -0.5, 0.0, 0.5, 1.9, 300.0);
        assertArrayEquals(new long[]{-2, 0, 0, 0, 1, 300}, f.astype(DType.INT64).toLongArray());
        assertArrayEquals(new long[]{-2, 0, 0, 0, 1, 44}, f.astype(DType.INT32).astype(DType.INT8).toLongArray());
        assertArrayEquals(new boolean[]{true, true, false, true, true, true}, f.astype(DType.BOOL).toBooleanArray());
        assertEquals(DType.FLOAT32, f.astype(DType.FLOAT32).dtype());
        assertEquals((float) -2.7, f.astype(DType.FLOAT32).toFloatArray()[0]);
        long big = (1L << 62) + 1;
        assertArrayEquals(new long[]{big}, NDArray.of(big).reshape(1).astype(DType.INT64).toLongArray());
        assertEquals(0x1p62, NDArray.of(big).astype(DType.FLOAT64).toDouble());
        NDArray t = NDArray.of(new int[][]{{1, 2}, {3, 4}}).transpose().astype(DType.FLOAT64);
        assertArrayEquals(new double[][]{{1, 3}, {2, 4}}, t.toDoubleMatrix());
        RuntimeException fx = assertThrows(RuntimeException.class, () -> NDArray.zeros(DType.FLOATX, 2));
        assertTrue(fx.getMessage().contains("floatX"), fx.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"BOOL", "INT8", "INT16", "INT32", "INT64", "FLOAT32", "FLOAT64"})
    void storageIs64ByteAligned(DType dt) {
        for (long[] shape : new long[][]{{}, {0}, {1}, {3}, {7, 5}, {2, 3, 4}, {1000}}) {
            NDArray a = NDArray.zeros(dt, shape);
            assertEquals(0, a.segment().address() % 64, dt + " " + Shapes.str(shape));
            assertEquals(0, a.copy().segment().address() % 64);
            assertEquals(0, a.astype(DType.FLOAT64).segment().address() % 64);
        }
        assertEquals(0, NDArray.fromJava(new double[][]{{1, 2}, {3, 4}}).segment().address() % 64);
        assertEquals(0, NDArray.of(new byte[]{1, 2, 3}).segment().address() % 64);
    }

    @Test void elementAccessChecksBounds() {
        NDArray a = NDArray.of(new double[][]{{1, 2}, {3, 4}});
        assertEquals(4, a.getDouble(-1, -1));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> a.getDouble(2, 0));
        assertTrue(e.getMessage().contains("axis 0") && e.getMessage().contains("size 2"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> a.getDouble(0));
    }

    // ------------------------------------------------------------------ printing like NumPy's str()

    @Test void printsLikeNumPy() {
        assertEquals("[[1. 2.]\n [3. 4.]]", NDArray.of(new double[][]{{1, 2}, {3, 4}}).toString());
        assertEquals("[1 2 3]", NDArray.of(1, 2, 3).toString());
        assertEquals("[ True False]", NDArray.of(true, false).toString());
        assertEquals("[False  True]", NDArray.of(false, true).toString());
        assertEquals("[ True  True]", NDArray.of(true, true).toString());
        // NumPy pads fractions on the right so the points line up: str(np.array([0.5, 0.25])) == '[0.5  0.25]'
        assertEquals("[0.5  0.25]", NDArray.of(0.5, 0.25).toString());
        assertEquals("[1.  2.5]", NDArray.of(1.0, 2.5).toString());
        assertEquals("[-1.5   2.25]", NDArray.of(-1.5, 2.25).toString());
        assertEquals("[-0.  1.]", NDArray.of(-0.0, 1.0).toString());
        assertEquals("[-10   5]", NDArray.of(-10, 5).toString());
        assertEquals("[0.33333333]", NDArray.of(new double[]{1.0 / 3}).toString());
        assertEquals("[0.33333334]", NDArray.of(new float[]{1f / 3}).toString());
        assertEquals("[0.1 0.2]", NDArray.of(new float[]{0.1f, 0.2f}).toString());
        assertEquals("[123.45678912]", NDArray.of(new double[]{123.456789123}).toString());
        assertEquals("[ 1.5  nan -inf]", NDArray.of(1.5, Double.NaN, Double.NEGATIVE_INFINITY).toString());
        assertEquals("[nan inf]", NDArray.of(Double.NaN, Double.POSITIVE_INFINITY).toString());
        assertEquals("[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]]", NDArray.of(new int[][][]{{{0, 1}, {2, 3}}, {{4, 5}, {6, 7}}}).toString());
        assertEquals("[]", NDArray.of(new double[0]).toString());
        assertEquals("[]", NDArray.zeros(DType.FLOAT64, 2, 0).toString());
        assertEquals("[[1 3]\n [2 4]]", NDArray.of(new int[][]{{1, 2}, {3, 4}}).transpose().toString());
    }

    @Test void printsScientificNotationWhenNumPyWould() {
        assertEquals("[1.e-05 1.e+00]", NDArray.of(1e-5, 1.0).toString());
        assertEquals("[1.e+08]", NDArray.of(new double[]{1e8}).toString());
        assertEquals("[1.23456789e+08]", NDArray.of(new double[]{123456789.0}).toString());
        assertEquals("[1.e+02 1.e-03]", NDArray.of(100.0, 0.001).toString());     // ratio above 1000
        assertEquals("[1.00000e+00 1.00005e+04]", NDArray.of(1.0, 10000.5).toString());
        assertEquals("[0.e+00 1.e-05]", NDArray.of(0.0, 1e-5).toString());
        assertEquals("[ 1.e+100 -1.e-100]", NDArray.of(1e100, -1e-100).toString());
        assertEquals("[1.5e-05     nan]", NDArray.of(1.5e-5, Double.NaN).toString());
    }

    @Test void zeroDimensionalArraysPrintTheBareValue() {
        assertEquals("1.5", NDArray.of(1.5).toString());
        assertEquals("1.0", NDArray.of(1.0).toString());
        assertEquals("3", NDArray.of(3).toString());
        assertEquals("True", NDArray.of(true).toString());
        assertEquals("0.1", NDArray.of(0.1f).toString());
        assertEquals("1e+20", NDArray.of(1e20).toString());
        assertEquals("1.5e-05", NDArray.of(1.5e-5).toString());
        assertEquals("1000000000000000.0", NDArray.of(1e15).toString());
        assertEquals("-0.0", NDArray.of(-0.0).toString());
        assertEquals("nan", NDArray.of(Double.NaN).toString());
        assertEquals("-inf", NDArray.of(Double.NEGATIVE_INFINITY).toString());
    }

    @Test void longRowsWrapAt75Characters() {
        long[] v = new long[30];
        for (int i = 0; i < v.length; i++) v[i] = i;
        assertEquals("[ 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n 24 25 26 27 28 29]",
                NDArray.of(v).toString());
    }

    @Test void largeArraysAreSummarised() {
        long[] v = new long[1001];
        for (int i = 0; i < v.length; i++) v[i] = i;
        assertEquals("[   0    1    2 ...  998  999 1000]", NDArray.of(v).toString());
        long[] exactly1000 = new long[1000];
        assertFalse(NDArray.of(exactly1000).toString().contains("..."), "1000 elements are printed in full");
        String rows = NDArray.zeros(DType.FLOAT64, 1001, 3).toString();
        assertEquals("[[0. 0. 0.]\n [0. 0. 0.]\n [0. 0. 0.]\n ...\n [0. 0. 0.]\n [0. 0. 0.]\n [0. 0. 0.]]", rows);
        // big arrays print quickly and only their edges
        NDArray big = NDArray.zeros(DType.FLOAT32, 1000, 1000);
        big.setDouble(0.5, 999, 999);
        String s = big.toString();
        assertEquals(7, s.lines().count());
        assertTrue(s.endsWith("[0.  0.  0.  ... 0.  0.  0.5]]"), s);
    }
}
