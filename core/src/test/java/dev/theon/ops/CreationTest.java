package dev.theon.ops;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.TheonException;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** shape, alloc, zeros/ones(-like), fill, arange and eye, with constant and symbolic sizes. */
class CreationTest {

    private static Function f64(List<Variable> in, Variable out) {
        return Theon.function(in, out, Theon.options().floatX(DType.FLOAT64));
    }

    private static NDArray run(Variable out) { return f64(List.of(), out).call(); }

    // ---------------------------------------------------------------- shape

    @Test void shapeIsAnInt64VectorOfTheRuntimeShape() {
        Variable x = T.dtensor3("x");
        Variable s = T.shape(x);
        assertEquals(DType.INT64, s.dtype());
        assertArrayEquals(new long[]{3}, s.type().shape());
        NDArray v = NDArray.zeros(DType.FLOAT64, 2, 3, 4);
        assertArrayEquals(new long[]{2, 3, 4}, s.eval(Map.of(x, v)).toLongArray());
        // a transposed view reports its own shape
        assertArrayEquals(new long[]{4, 3, 2}, s.eval(Map.of(x, v.transpose())).toLongArray());
        assertArrayEquals(new long[]{0, 3, 4}, s.eval(Map.of(x, NDArray.zeros(DType.FLOAT64, 0, 3, 4))).toLongArray());
        assertEquals(0, T.shape(T.dscalar("c")).type().dim(0));
        assertEquals("x.shape", Theon.pp(s));
    }

    @Test void shapeOfOneAxis() {
        Variable x = T.imatrix("x");
        NDArray v = NDArray.of(new int[][]{{1, 2, 3}, {4, 5, 6}});
        Variable rows = T.shape(x, 0), cols = T.shape(x, -1);
        assertEquals(0, rows.ndim());
        assertEquals(DType.INT64, rows.dtype());
        assertEquals(2, rows.eval(Map.of(x, v)).toLong());
        assertEquals(3, cols.eval(Map.of(x, v)).toLong());
        assertEquals("x.shape[1]", Theon.pp(cols));
        var e = assertThrows(TheonException.TypeError.class, () -> T.shape(x, 2));
        assertTrue(e.getMessage().contains("axis 2 is out of range") && e.getMessage().contains("[-2, 2)"), e.getMessage());
    }

    // ---------------------------------------------------------------- alloc

    @Test void allocWithConstantDims() {
        Variable a = T.alloc(2.5, 2, 3);
        assertArrayEquals(new long[]{2, 3}, a.type().shape());
        assertEquals(DType.FLOATX, a.dtype());
        NDArray r = run(a);
        assertEquals(DType.FLOAT64, r.dtype());
        assertArrayEquals(new double[]{2.5, 2.5, 2.5, 2.5, 2.5, 2.5}, r.toDoubleArray());
        NDArray r32 = Theon.function(List.of(), a, Theon.options().floatX(DType.FLOAT32)).call();
        assertEquals(DType.FLOAT32, r32.dtype());
        // an int literal gives int64; a long[] stands for several dims
        NDArray i = run(T.alloc(7, new long[]{2, 2}));
        assertEquals(DType.INT64, i.dtype());
        assertArrayEquals(new long[]{7, 7, 7, 7}, i.toLongArray());
        // no dims: a scalar
        assertEquals(-1.0, run(T.alloc(-1.0)).toDouble());
        assertArrayEquals(new long[]{3, 0}, run(T.alloc(1.0, 3, 0)).shape());
    }

    @Test void allocWithSymbolicDims() {
        Variable n = T.lscalar("n"), m = T.iscalar("m");
        Variable a = T.alloc(1.5, n, m, 2);
        assertArrayEquals(new long[]{-1, -1, 2}, a.type().shape());
        NDArray r = f64(List.of(n, m), a).call(3, 1);
        assertArrayEquals(new long[]{3, 1, 2}, r.shape());
        for (double d : r.toDoubleArray()) assertEquals(1.5, d);
        // the same function with other sizes (and a reused output buffer of another shape)
        assertArrayEquals(new long[]{1, 4, 2}, f64(List.of(n, m), a).call(1, 4).shape());
    }

    @Test void allocDimsReadFromAnotherTensorsShape() {
        Variable x = T.tensor(DType.FLOAT64, new long[]{5, -1}, "x");
        Variable a = T.alloc(0.0, T.shape(x, 0), T.shape(x, 1));
        // x's known size carries over while the graph is built
        assertArrayEquals(new long[]{5, -1}, a.type().shape());
        NDArray r = a.eval(Map.of(x, NDArray.zeros(DType.FLOAT64, 5, 7)));
        assertArrayEquals(new long[]{5, 7}, r.shape());
        // the vector T.shape(x) stands for all of x's dims
        Variable b = T.alloc(3, T.shape(x));
        assertArrayEquals(new long[]{5, -1}, b.type().shape());
        NDArray rb = b.eval(Map.of(x, NDArray.zeros(DType.FLOAT64, 5, 2)));
        assertArrayEquals(new long[]{5, 2}, rb.shape());
        assertArrayEquals(new long[]{3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, rb.toLongArray());
    }

    @Test void allocBroadcastsATensorValue() {
        Variable v = T.dvector("v");
        Variable a = T.alloc(v, 2, 3);
        assertArrayEquals(new long[]{2, 3}, a.type().shape());
        // a transposed column of a matrix as the value
        NDArray col = NDArray.of(new double[][]{{1, 2}, {3, 4}, {5, 6}}).index(1, 0);  // 1, 3, 5 (strided)
        NDArray r = a.eval(Map.of(v, col));
        assertArrayEquals(new double[]{1, 3, 5, 1, 3, 5}, r.toDoubleArray());
        // a value of static size 1 broadcasts; the value's known size fills in an unknown dim
        Variable row = T.tensor(DType.INT32, new long[]{1, 3}, "row");
        Variable n = T.lscalar("n");
        Variable b = T.alloc(row, n, T.lscalar("k"));
        assertArrayEquals(new long[]{-1, 3}, b.type().shape());
        Variable c = T.alloc(row, n, 3);
        NDArray rc = Theon.function(List.of(row, n), c).call(new int[][]{{7, 8, 9}}, 2L);
        assertEquals(DType.INT32, rc.dtype());
        assertArrayEquals(new long[]{7, 8, 9, 7, 8, 9}, rc.toLongArray());
    }

    @Test void allocErrors() {
        var e1 = assertThrows(TheonException.TypeError.class, () -> T.alloc(1.0, 2, -3));
        assertTrue(e1.getMessage().contains("dim 1 is negative (-3)"), e1.getMessage());
        var e2 = assertThrows(TheonException.TypeError.class, () -> T.alloc(1.0, T.dscalar("d")));
        assertTrue(e2.getMessage().contains("'d'") && e2.getMessage().contains("expected an integer scalar"), e2.getMessage());
        var e3 = assertThrows(TheonException.TypeError.class, () -> T.alloc(1.0, 2.0));
        assertTrue(e3.getMessage().contains("Double (2.0)") && e3.getMessage().contains("expected a Java integer"), e3.getMessage());
        var e4 = assertThrows(TheonException.TypeError.class, () -> T.alloc(T.tensor(DType.FLOAT64, new long[]{3}, "v"), 2, 4));
        assertTrue(e4.getMessage().contains("shape (3,) cannot be broadcast to shape (2, 4)"), e4.getMessage());
        var e5 = assertThrows(TheonException.TypeError.class, () -> T.alloc(T.dmatrix("m"), 4));
        assertTrue(e5.getMessage().contains("rank 2 but only 1 dim"), e5.getMessage());

        Variable n = T.lscalar("n");
        var e6 = assertThrows(TheonException.ShapeError.class, () -> f64(List.of(n), T.alloc(0.0, n)).call(-2));
        assertTrue(e6.getMessage().contains("alloc: dim 0 is negative (-2)"), e6.getMessage());
        Variable v = T.dvector("v");
        var e7 = assertThrows(TheonException.ShapeError.class, () -> f64(List.of(v, n), T.alloc(v, n)).call(new double[]{1, 2}, 3));
        assertTrue(e7.getMessage().contains("shape (2,) cannot be broadcast to shape (3,)"), e7.getMessage());
        // an unknown-size axis that turns out to be 1 does not broadcast (its type did not say it could)
        var e8 = assertThrows(TheonException.ShapeError.class, () -> f64(List.of(v, n), T.alloc(v, n)).call(new double[]{1}, 3));
        assertTrue(e8.getMessage().contains("broadcastable"), e8.getMessage());
    }

    // ---------------------------------------------------------------- zeros, ones, *Like, fill

    @Test void zerosAndOnesOfEveryDtype() {
        for (DType dt : new DType[]{DType.BOOL, DType.INT8, DType.INT16, DType.INT32, DType.INT64, DType.FLOAT32, DType.FLOAT64}) {
            NDArray z = run(T.zeros(dt, 2, 3)), o = run(T.ones(dt, 3));
            assertEquals(dt, z.dtype());
            assertEquals(dt, o.dtype());
            assertArrayEquals(new long[]{2, 3}, z.shape());
            assertArrayEquals(new long[6], z.toLongArray());
            assertArrayEquals(new long[]{1, 1, 1}, o.toLongArray());
        }
        Variable z = T.zeros(DType.FLOATX, new int[]{4});
        assertEquals(DType.FLOAT32, Theon.function(List.of(), z, Theon.options().floatX(DType.FLOAT32)).call().dtype());
        Variable n = T.lscalar("n");
        NDArray r = f64(List.of(n), T.ones(DType.INT64, n, 2)).call(3);
        assertArrayEquals(new long[]{3, 2}, r.shape());
        assertArrayEquals(new long[]{1, 1, 1, 1, 1, 1}, r.toLongArray());
    }

    @Test void zerosLikeAndOnesLikeFollowDtypeAndRuntimeShape() {
        Variable x = T.fmatrix("x");
        Variable z = T.zerosLike(x), o = T.onesLike(x);
        assertEquals(DType.FLOAT32, z.dtype());
        NDArray v = NDArray.of(new float[][]{{1, 2, 3}, {4, 5, 6}}).transpose();
        NDArray rz = z.eval(Map.of(x, v)), ro = o.eval(Map.of(x, v));
        assertArrayEquals(new long[]{3, 2}, rz.shape());
        assertArrayEquals(new double[6], rz.toDoubleArray());
        assertArrayEquals(new double[]{1, 1, 1, 1, 1, 1}, ro.toDoubleArray());
        assertEquals(DType.FLOAT32, ro.dtype());
        Variable t = T.tensor(DType.INT16, new long[]{2, 1, -1}, "t");
        assertArrayEquals(new long[]{2, 1, -1}, T.onesLike(t).type().shape());
        assertEquals(DType.INT16, T.onesLike(t).dtype());
        assertEquals(0.0, T.zerosLike(T.dscalar("s")).eval().toDouble());
    }

    @Test void fillTakesLikesShapeAndValuesDtype() {
        Variable x = T.fmatrix("x");
        Variable f = T.fill(x, 3.0);
        assertEquals(DType.FLOAT32, f.dtype());
        NDArray r = f.eval(Map.of(x, new float[][]{{1, 2}, {3, 4}, {5, 6}}));
        assertArrayEquals(new long[]{3, 2}, r.shape());
        assertArrayEquals(new double[]{3, 3, 3, 3, 3, 3}, r.toDoubleArray());
        // a tensor value broadcasts into like's shape and keeps its own dtype
        Variable v = T.lvector("v");
        NDArray rv = Theon.function(List.of(x, v), T.fill(x, v)).call(new float[][]{{0, 0}, {0, 0}}, new long[]{9, 8});
        assertEquals(DType.INT64, rv.dtype());
        assertArrayEquals(new long[]{9, 8, 9, 8}, rv.toLongArray());
        // a symbolic scalar value
        Variable s = T.iscalar("s");
        NDArray rs = Theon.function(List.of(x, s), T.fill(x, s)).call(new float[][]{{0}, {0}}, 5);
        assertEquals(DType.INT32, rs.dtype());
        assertArrayEquals(new long[]{5, 5}, rs.toLongArray());
    }

    // ---------------------------------------------------------------- arange

    @Test void arangeOfIntegers() {
        Variable a = T.arange(5);
        assertEquals(DType.INT64, a.dtype());
        assertArrayEquals(new long[]{5}, a.type().shape());
        assertArrayEquals(new long[]{0, 1, 2, 3, 4}, run(a).toLongArray());
        assertArrayEquals(new long[]{2, 5, 8}, run(T.arange(2, 10, 3)).toLongArray());
        assertArrayEquals(new long[]{10, 7, 4, 1}, run(T.arange(10, 0, -3)).toLongArray());
        assertArrayEquals(new long[]{-2, -1, 0}, run(T.arange(-2, 1)).toLongArray());
        NDArray empty = run(T.arange(5, 0));
        assertArrayEquals(new long[]{0}, empty.shape());
        assertArrayEquals(new long[]{0}, T.arange(5, 0).type().shape());
        // int64 stays exact far beyond double precision
        long big = (1L << 60) + 1;
        assertArrayEquals(new long[]{big, big + 2}, run(T.arange(big, big + 4, 2)).toLongArray());
    }

    @Test void arangeOfFloats() {
        Variable a = T.arange(0.0, 1.0, 0.25);
        assertEquals(DType.FLOATX, a.dtype());
        assertArrayEquals(new long[]{4}, a.type().shape());
        assertArrayEquals(new double[]{0, 0.25, 0.5, 0.75}, run(a).toDoubleArray());
        NDArray f = Theon.function(List.of(), a, Theon.options().floatX(DType.FLOAT32)).call();
        assertEquals(DType.FLOAT32, f.dtype());
        // NumPy's length is ceil((stop - start) / step): 1, 1.5, 2, 2.5 (3 is excluded)
        assertArrayEquals(new double[]{1, 1.5, 2, 2.5}, run(T.arange(1, 3.0, 0.5)).toDoubleArray());
        assertArrayEquals(new double[]{1, 0.5, 0, -0.5}, run(T.arange(1.0, -0.6, -0.5)).toDoubleArray());
    }

    @Test void arangeWithSymbolicArguments() {
        Variable n = T.lscalar("n");
        Variable a = T.arange(n);
        assertEquals(DType.INT64, a.dtype());
        assertArrayEquals(new long[]{-1}, a.type().shape());
        assertArrayEquals(new long[]{0, 1, 2}, f64(List.of(n), a).call(3).toLongArray());
        assertArrayEquals(new long[0], f64(List.of(n), a).call(-1).toLongArray());
        Variable start = T.iscalar("start"), step = T.iscalar("step");
        assertArrayEquals(new long[]{4, 1}, f64(List.of(start, n, step), T.arange(start, n, step)).call(4, 0, -3).toLongArray());
        // a float64 variable keeps float64 whatever floatX is
        Variable d = T.dscalar("d");
        Variable fa = T.arange(d);
        assertEquals(DType.FLOAT64, fa.dtype());
        NDArray r = Theon.function(List.of(d), fa, Theon.options().floatX(DType.FLOAT32)).call(2.5);
        assertEquals(DType.FLOAT64, r.dtype());
        assertArrayEquals(new double[]{0, 1, 2}, r.toDoubleArray());
        // the length of x as the stop
        Variable x = T.dvector("x");
        assertArrayEquals(new long[]{0, 1, 2, 3}, T.arange(T.shape(x, 0)).eval(Map.of(x, new double[4])).toLongArray());
    }

    @Test void arangeErrors() {
        var e1 = assertThrows(TheonException.TypeError.class, () -> T.arange(0, 5, 0));
        assertTrue(e1.getMessage().contains("step is zero"), e1.getMessage());
        var e2 = assertThrows(TheonException.TypeError.class, () -> T.arange(T.dvector("v")));
        assertTrue(e2.getMessage().contains("stop is a float64 vector") && e2.getMessage().contains("numeric scalar"), e2.getMessage());
        Variable s = T.lscalar("s");
        var e3 = assertThrows(TheonException.ShapeError.class, () -> f64(List.of(s), T.arange(0, 5, s)).call(0));
        assertTrue(e3.getMessage().contains("arange{int64}: step is zero"), e3.getMessage());
    }

    // ---------------------------------------------------------------- eye

    @Test void eyeIsTheIdentity() {
        Variable e = T.eye(3);
        assertEquals(DType.FLOATX, e.dtype());
        assertArrayEquals(new long[]{3, 3}, e.type().shape());
        NDArray r = run(e);
        assertEquals(DType.FLOAT64, r.dtype());
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) assertEquals(i == j ? 1.0 : 0.0, r.getDouble(i, j));
        assertEquals(DType.FLOAT32, Theon.function(List.of(), e, Theon.options().floatX(DType.FLOAT32)).call().dtype());
    }

    @Test void eyeWithOffsetDiagonalsAndDtypes() {
        NDArray up = run(T.eye(2, 4, 1, DType.INT64));
        assertEquals(DType.INT64, up.dtype());
        assertArrayEquals(new long[][]{{0, 1, 0, 0}, {0, 0, 1, 0}}, up.toLongMatrix());
        NDArray down = run(T.eye(3, null, -1, DType.BOOL));
        assertEquals(DType.BOOL, down.dtype());
        assertArrayEquals(new long[]{0, 0, 0, 1, 0, 0, 0, 1, 0}, down.toLongArray());
        NDArray tall = run(T.eye(4, 2, -2, DType.FLOAT32));
        assertArrayEquals(new double[]{0, 0, 0, 0, 1, 0, 0, 1}, tall.toDoubleArray());
        // a diagonal outside the matrix leaves it all zeros
        assertArrayEquals(new long[4], run(T.eye(2, 2, 5, DType.INT8)).toLongArray());
        assertArrayEquals(new long[]{0, 3}, run(T.eye(0, 3, 0, DType.INT32)).shape());
    }

    @Test void eyeWithSymbolicSizes() {
        Variable n = T.lscalar("n"), k = T.iscalar("k");
        Variable e = T.eye(n, null, k, DType.INT32);
        assertArrayEquals(new long[]{-1, -1}, e.type().shape());
        NDArray r = f64(List.of(n, k), e).call(3, 1);
        assertArrayEquals(new long[][]{{0, 1, 0}, {0, 0, 1}, {0, 0, 0}}, r.toLongMatrix());
        Variable x = T.tensor(DType.FLOAT64, new long[]{4, -1}, "x");
        assertArrayEquals(new long[]{4, -1}, T.eye(T.shape(x, 0), T.shape(x, 1), 0, DType.FLOAT64).type().shape());
        var err = assertThrows(TheonException.TypeError.class, () -> T.eye(-1));
        assertTrue(err.getMessage().contains("negative"), err.getMessage());
        var err2 = assertThrows(TheonException.ShapeError.class, () -> f64(List.of(n, k), e).call(-2, 0));
        assertTrue(err2.getMessage().contains("eye{int32}") && err2.getMessage().contains("negative"), err2.getMessage());
    }
}
