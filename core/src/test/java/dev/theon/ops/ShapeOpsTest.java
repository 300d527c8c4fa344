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

import static org.junit.jupiter.api.Assertions.*;

/**
 * The shape family: dimshuffle/transpose, reshape, flatten, concatenate, stack, split, squeeze, expandDims.
 * Expected values are computed here by walking indices by hand, never by the ops themselves.
 */
class ShapeOpsTest {

    // ---------------------------------------------------------------- helpers

    /** An array of the given shape holding distinct values that every dtype represents exactly (bool: parity). */
    static NDArray iota(DType dt, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        long[] v = new long[(int) n];
        for (int i = 0; i < n; i++) v[i] = dt == DType.BOOL ? i % 2 : dt == DType.INT8 ? (i % 120) - 60 : 3 * i - 7;
        return NDArray.fromLongs(dt, v, shape);
    }

    static Function fn(Variable in, Variable out) { return Theon.function(List.of(in), out); }

    /** The elements of {@code a} in C order, read by multi-index (so strides of views are honoured). */
    static double[] cOrder(NDArray a) {
        long[] s = a.shape();
        double[] r = new double[(int) a.size()];
        long[] idx = new long[s.length];
        for (int k = 0; k < r.length; k++) {
            r[k] = a.getDouble(idx);
            for (int d = s.length - 1; d >= 0; d--) {
                if (++idx[d] < s[d]) break;
                idx[d] = 0;
            }
        }
        return r;
    }

    static void assertShape(long[] expected, NDArray a) { assertArrayEquals(expected, a.shape()); }

    static TheonException.TypeError typeError(org.junit.jupiter.api.function.Executable e, String... fragments) {
        TheonException.TypeError err = assertThrows(TheonException.TypeError.class, e);
        for (String f : fragments) assertTrue(err.getMessage().contains(f), () -> "message lacks '" + f + "': " + err.getMessage());
        return err;
    }

    // ---------------------------------------------------------------- dimshuffle and transpose

    @Test void dimshufflePermutesAndInsertsAxes() {
        Variable x = T.dtensor3("x");
        Variable y = x.dimshuffle(2, "x", 0, 1);
        assertArrayEquals(new long[]{-1, 1, -1, -1}, y.type().shape());
        NDArray a = iota(DType.FLOAT64, 2, 3, 4);
        NDArray r = fn(x, y).call(a);
        assertShape(new long[]{4, 1, 2, 3}, r);
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++)
            assertEquals(a.getDouble(i, j, k), r.getDouble(k, 0, i, j));
    }

    @Test void dimshuffleDropsBroadcastableAxesAndTakesNegativeAxes() {
        Variable x = T.tensor(DType.INT64, new long[]{-1, 1, -1}, "x");
        Variable y = T.dimshuffle(x, -1, 0);
        assertArrayEquals(new long[]{-1, -1}, y.type().shape());
        long big = 1L << 60;
        NDArray a = NDArray.fromLongs(DType.INT64, new long[]{big + 1, big + 2, big + 3, big + 4, big + 5, big + 6}, 3, 1, 2);
        NDArray r = fn(x, y).call(a);
        assertShape(new long[]{2, 3}, r);
        for (int i = 0; i < 3; i++) for (int k = 0; k < 2; k++) assertEquals(a.getLong(i, 0, k), r.getLong(k, i));
    }

    @Test void dimshuffleTypeErrors() {
        Variable m = T.dmatrix("m");
        typeError(() -> m.dimshuffle(1), "dimshuffle{1}", "axis 0", "static size 1", "broadcastable");
        typeError(() -> m.dimshuffle(0, 0), "twice");
        typeError(() -> m.dimshuffle(0, 2), "out of range");
        typeError(() -> m.dimshuffle(0, "y"), "'y'", "\"x\"");
        // a dim of static size 1 may be dropped
        Variable row = T.tensor(DType.FLOAT64, new long[]{1, 5}, "row");
        assertArrayEquals(new long[]{5}, row.dimshuffle(1).type().shape());
    }

    @Test void dimshuffleWithNewAxesBroadcastsInAdd() {
        Variable u = T.dvector("u"), v = T.dvector("v");
        Variable outer = T.add(u.dimshuffle(0, "x"), v.dimshuffle("x", 0));
        double[] a = {1, 2, 3}, b = {10, 20, 30, 40};
        NDArray r = Theon.function(List.of(u, v), outer).call(a, b);
        assertShape(new long[]{3, 4}, r);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) assertEquals(a[i] + b[j], r.getDouble(i, j));
        // a matrix plus a vector turned into a column
        Variable m = T.dmatrix("m");
        NDArray rm = Theon.function(List.of(m, u), m.add(u.dimshuffle(0, "x"))).call(new double[][]{{1, 2}, {3, 4}, {5, 6}}, a);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) assertEquals(2 * i + j + 1 + a[i], rm.getDouble(i, j));
    }

    @Test void dimshuffleIsAViewOfItsInput() {
        Variable x = T.dmatrix("x");
        DimShuffle op = DimShuffle.parse(x, 1, "x", 0);
        Apply node = op.make(x);
        NDArray a = iota(DType.FLOAT64, 2, 3);
        NDArray[] out = new NDArray[1];
        op.perform(node, new NDArray[]{a}, out);
        assertTrue(out[0].sharesStorageWith(a));
        assertShape(new long[]{3, 1, 2}, out[0]);
        assertEquals("dimshuffle{1,x,0}", op.name());
    }

    @Test void transposeOfMatrixAndNonContiguousInput() {
        Variable A = T.fmatrix("A");
        Function f = fn(A, A.T());
        NDArray a = iota(DType.FLOAT32, 3, 5);
        NDArray r = f.call(a);
        assertEquals(DType.FLOAT32, r.dtype());
        for (int i = 0; i < 3; i++) for (int j = 0; j < 5; j++) assertEquals(a.getDouble(i, j), r.getDouble(j, i));
        // the argument is itself a transposed view: transposing it back gives the original layout's values
        NDArray at = a.transpose();
        NDArray back = f.call(at);
        assertShape(new long[]{3, 5}, back);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 5; j++) assertEquals(a.getDouble(i, j), back.getDouble(i, j));
        assertEquals("A.T", Theon.pp(A.T()));
        assertEquals(Theon.pp(A.T()), Theon.pp(T.transpose(A)));
    }

    @Test void transposeWithPermutationAndNegativeAxes() {
        Variable x = T.itensor3("x");
        NDArray a = iota(DType.INT32, 2, 3, 4);
        NDArray r = fn(x, x.transpose(-1, 0, 1)).call(a);
        assertShape(new long[]{4, 2, 3}, r);
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++)
            assertEquals(a.getLong(i, j, k), r.getLong(k, i, j));
        NDArray rev = fn(x, x.transpose()).call(a);
        assertShape(new long[]{4, 3, 2}, rev);
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++)
            assertEquals(a.getLong(i, j, k), rev.getLong(k, j, i));
        typeError(() -> x.transpose(0, 1), "rank 3", "exactly once");
        typeError(() -> x.transpose(0, 1, 1), "twice");
    }

    // ---------------------------------------------------------------- reshape

    @Test void reshapeKeepsCOrderInEveryDType() {
        for (DType dt : new DType[]{DType.BOOL, DType.INT8, DType.INT16, DType.INT32, DType.INT64, DType.FLOAT32, DType.FLOAT64}) {
            Variable x = T.tensor(dt, 3, "x");
            Variable y = x.reshape(4, -1);
            assertArrayEquals(new long[]{4, -1}, y.type().shape(), dt.toString());
            NDArray a = iota(dt, 2, 3, 4);
            NDArray r = fn(x, y).call(a);
            assertEquals(dt, r.dtype());
            assertShape(new long[]{4, 6}, r);
            double[] flat = cOrder(a);
            for (int i = 0; i < 4; i++) for (int j = 0; j < 6; j++) assertEquals(flat[i * 6 + j], r.getDouble(i, j), dt.toString());
        }
    }

    @Test void reshapeOfTransposedViewCopiesInLogicalOrder() {
        Variable x = T.dmatrix("x");
        NDArray base = iota(DType.FLOAT64, 4, 3);
        NDArray at = base.transpose();                     // logical (3, 4): at[i][j] = base[j][i]
        NDArray r = fn(x, x.reshape(2, 6)).call(at);
        double[] expect = new double[12];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) expect[i * 4 + j] = base.getDouble(j, i);
        for (int k = 0; k < 12; k++) assertEquals(expect[k], r.getDouble(k / 6, k % 6));

        // a transposed intermediate reshaped inside the graph
        NDArray g = fn(x, x.T().reshape(-1)).call(base);
        for (int k = 0; k < 12; k++) assertEquals(expect[k], g.getDouble(k));

        // a strided slice (every other row)
        NDArray tall = iota(DType.FLOAT64, 6, 2);
        NDArray sl = tall.slice(0, 0, 6, 2);               // rows 0, 2, 4
        NDArray rs = fn(x, x.reshape(-1)).call(sl);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) assertEquals(tall.getDouble(2 * i, j), rs.getDouble(i * 2 + j));
    }

    @Test void reshapeIsAViewOfContiguousInputAndACopyOtherwise() {
        Variable x = T.dmatrix("x");
        Reshape op = Reshape.to(3, 2);
        Apply node = op.make(x);
        NDArray a = iota(DType.FLOAT64, 2, 3);
        NDArray[] out = new NDArray[1];
        op.perform(node, new NDArray[]{a}, out);
        assertTrue(out[0].sharesStorageWith(a));
        NDArray t = iota(DType.FLOAT64, 3, 2).transpose();
        NDArray[] out2 = new NDArray[1];
        op.perform(node, new NDArray[]{t}, out2);
        assertFalse(out2[0].sharesStorageWith(t));
        assertTrue(out2[0].isContiguous());
        assertEquals("reshape{(3, 2)}", op.name());
    }

    @Test void reshapeStaticShapesAndErrors() {
        Variable s = T.tensor(DType.FLOAT64, new long[]{2, 3, 4}, "s");
        assertArrayEquals(new long[]{4, 6}, s.reshape(4, -1).type().shape());
        assertArrayEquals(new long[]{24}, T.reshape(s, -1).type().shape());
        assertArrayEquals(new long[]{-1, 2}, T.dmatrix("m").reshape(-1, 2).type().shape());
        assertArrayEquals(new long[]{3, 2}, T.dmatrix("m").reshape(3, 2).type().shape());
        typeError(() -> s.reshape(5, 5), "24 elements", "(5, 5)");
        typeError(() -> s.reshape(5, -1), "24 elements");
        typeError(() -> s.reshape(-1, -1), "more than one -1");
        typeError(() -> s.reshape(-2, 12), "negative size");

        Variable m = T.dmatrix("m");
        Function f = fn(m, m.reshape(4, 2));
        TheonException.ShapeError e = assertThrows(TheonException.ShapeError.class, () -> f.call(iota(DType.FLOAT64, 2, 3)));
        assertTrue(e.getMessage().contains("reshape") && e.getMessage().contains("(2, 3)"), e.getMessage());
        Function g = fn(m, m.reshape(-1, 4));
        assertThrows(TheonException.ShapeError.class, () -> g.call(iota(DType.FLOAT64, 2, 3)));
    }

    @Test void reshapeToSymbolicShape() {
        Variable x = T.dvector("x");
        Variable n = T.lscalar("n");
        Variable y = x.reshape(T.stack(n, 3L));
        assertArrayEquals(new long[]{-1, -1}, y.type().shape());
        Function f = Theon.function(List.of(x, n), y);
        double[] v = {1, 2, 3, 4, 5, 6};
        NDArray r = f.call(v, 2L);
        assertShape(new long[]{2, 3}, r);
        for (int k = 0; k < 6; k++) assertEquals(v[k], r.getDouble(k / 3, k % 3));
        TheonException.ShapeError e = assertThrows(TheonException.ShapeError.class, () -> f.call(v, 4L));
        assertTrue(e.getMessage().contains("reshape"), e.getMessage());

        // a shape vector input of static length 3, with -1 given at run time
        Variable s = T.tensor(DType.INT64, new long[]{3}, "s");
        NDArray r3 = Theon.function(List.of(x, s), T.reshape(x, s)).call(v, new long[]{-1, 1, 2});
        assertShape(new long[]{3, 1, 2}, r3);
        for (int k = 0; k < 6; k++) assertEquals(v[k], r3.getDouble(k / 2, 0, k % 2));

        // a constant shape gives the fixed form with its static shape
        assertArrayEquals(new long[]{3, 2}, T.reshape(x, T.constant(new long[]{3, 2})).type().shape());

        typeError(() -> T.reshape(x, T.lvector("len")), "known static length");
        typeError(() -> T.reshape(x, T.tensor(DType.FLOAT64, new long[]{2}, "f")), "integer vector");
    }

    // ---------------------------------------------------------------- flatten

    @Test void flattenKeepsLeadingAxes() {
        Variable x = T.tensor(DType.INT32, new long[]{2, 3, 4}, "x");
        assertArrayEquals(new long[]{24}, x.flatten().type().shape());
        assertArrayEquals(new long[]{2, 12}, x.flatten(2).type().shape());
        assertArrayEquals(new long[]{2, 3, 4}, x.flatten(3).type().shape());
        NDArray a = iota(DType.INT32, 2, 3, 4);
        NDArray r1 = fn(x, x.flatten()).call(a);
        NDArray r2 = fn(x, T.flatten(x, 2)).call(a);
        assertShape(new long[]{2, 12}, r2);
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) {
            assertEquals(a.getLong(i, j, k), r1.getLong(i * 12 + j * 4 + k));
            assertEquals(a.getLong(i, j, k), r2.getLong(i, j * 4 + k));
        }
        typeError(() -> x.flatten(4), "rank 3", "ndim");
        typeError(() -> x.flatten(0), "ndim");
        assertArrayEquals(new long[]{-1, -1}, T.dtensor3("u").flatten(2).type().shape());
    }

    @Test void flattenOfNonContiguousAndScalarInputs() {
        Variable x = T.ftensor3("x");
        NDArray base = iota(DType.FLOAT32, 4, 3, 2);
        NDArray view = base.transpose(2, 0, 1);            // logical (2, 4, 3): view[i][j][k] = base[j][k][i]
        NDArray r = fn(x, x.flatten(2)).call(view);
        assertShape(new long[]{2, 12}, r);
        for (int i = 0; i < 2; i++) for (int j = 0; j < 4; j++) for (int k = 0; k < 3; k++)
            assertEquals(base.getDouble(j, k, i), r.getDouble(i, j * 3 + k));
        Variable s = T.dscalar("s");
        NDArray rs = fn(s, s.flatten()).call(7.5);
        assertShape(new long[]{1}, rs);
        assertEquals(7.5, rs.getDouble(0));
    }

    // ---------------------------------------------------------------- concatenate and stack

    @Test void concatenateAlongEachAxis() {
        Variable a = T.dmatrix("a"), b = T.dmatrix("b");
        NDArray av = iota(DType.FLOAT64, 2, 3), bv = iota(DType.FLOAT64, 4, 3).transpose().slice(1, 0, 4, 2); // (3, 2) view
        NDArray b0 = iota(DType.FLOAT64, 1, 3);
        NDArray r0 = Theon.function(List.of(a, b), T.concatenate(a, b)).call(av, b0);
        assertShape(new long[]{3, 3}, r0);
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 2; i++) assertEquals(av.getDouble(i, j), r0.getDouble(i, j));
            assertEquals(b0.getDouble(0, j), r0.getDouble(2, j));
        }
        // axis -1 == axis 1 with a non-contiguous second input of shape (2, 2)
        NDArray bt = bv.slice(0, 0, 2, 1);
        NDArray r1 = Theon.function(List.of(a, b), T.concatenate(List.of(a, b), -1)).call(av, bt);
        assertShape(new long[]{2, 5}, r1);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) assertEquals(av.getDouble(i, j), r1.getDouble(i, j));
            for (int j = 0; j < 2; j++) assertEquals(bt.getDouble(i, j), r1.getDouble(i, 3 + j));
        }
    }

    @Test void concatenatePromotesDTypes() {
        Variable i = T.ivector("i"), f = T.fvector("f"), l = T.lvector("l"), b = T.bvector("b");
        Variable if32 = T.concatenate(i, f);
        assertEquals(DType.FLOAT64, if32.dtype());         // NumPy: int32 with float32 gives float64
        NDArray r = Theon.function(List.of(i, f), if32).call(new int[]{1, -2}, new float[]{0.5f});
        assertArrayEquals(new double[]{1, -2, 0.5}, r.toDoubleArray());
        Variable bl = T.concatenate(List.of(b, l), 0);
        assertEquals(DType.INT64, bl.dtype());
        long big = (1L << 62) + 3;
        NDArray rl = Theon.function(List.of(b, l), bl).call(new byte[]{-5, 7}, new long[]{big});
        assertArrayEquals(new long[]{-5, 7, big}, rl.toLongArray());
        assertEquals(DType.FLOAT32, T.concatenate(T.bvector("x"), T.fvector("y")).dtype());
        assertEquals(DType.FLOATX, T.concatenate(T.vector("x"), T.ivector("y")).dtype());
        NDArray rx = Theon.function(List.of(i), T.concatenate(i, T.constant(new float[]{2.5f})), Theon.options().floatX(DType.FLOAT32))
                .call(new int[]{4});
        assertEquals(DType.FLOAT64, rx.dtype());
        assertArrayEquals(new double[]{4, 2.5}, rx.toDoubleArray());
    }

    @Test void concatenateStaticShapesAndErrors() {
        Variable p = T.tensor(DType.FLOAT64, new long[]{2, 3}, "p"), q = T.tensor(DType.FLOAT64, new long[]{4, 3}, "q");
        assertArrayEquals(new long[]{6, 3}, T.concatenate(p, q).type().shape());
        assertArrayEquals(new long[]{-1, 3}, T.concatenate(p, T.dmatrix("m")).type().shape());
        typeError(() -> T.concatenate(List.of(p, q), 1), "axis 0", "must agree");
        typeError(() -> T.concatenate(p, T.dvector("v")), "same rank", "rank 1");
        typeError(() -> T.concatenate(T.dscalar("s"), T.dscalar("t")), "scalar", "T.stack");
        typeError(() -> T.concatenate(List.of(p, q), 2), "axis 2", "out of range");
        typeError(() -> T.concatenate(List.of()), "at least one");
        Variable a = T.dmatrix("a"), b = T.dmatrix("b");
        Function f = Theon.function(List.of(a, b), T.concatenate(a, b));
        TheonException.ShapeError e = assertThrows(TheonException.ShapeError.class,
                () -> f.call(iota(DType.FLOAT64, 2, 3), iota(DType.FLOAT64, 2, 4)));
        assertTrue(e.getMessage().contains("join") && e.getMessage().contains("(2, 4)"), e.getMessage());
    }

    @Test void stackAlongNewAxis() {
        Variable u = T.dvector("u"), v = T.dvector("v");
        double[] a = {1, 2, 3}, b = {4, 5, 6};
        NDArray r0 = Theon.function(List.of(u, v), T.stack(u, v)).call(a, b);
        assertShape(new long[]{2, 3}, r0);
        NDArray r1 = Theon.function(List.of(u, v), T.stack(List.of(u, v), -1)).call(a, b);
        assertShape(new long[]{3, 2}, r1);
        for (int j = 0; j < 3; j++) {
            assertEquals(a[j], r0.getDouble(0, j)); assertEquals(b[j], r0.getDouble(1, j));
            assertEquals(a[j], r1.getDouble(j, 0)); assertEquals(b[j], r1.getDouble(j, 1));
        }
        assertArrayEquals(new long[]{2, -1}, T.stack(u, v).type().shape());
        Variable x = T.lscalar("x");
        Variable s = T.stack(x, 7L, x);
        assertArrayEquals(new long[]{3}, s.type().shape());
        assertArrayEquals(new long[]{9, 7, 9}, fn(x, s).call(9L).toLongArray());
        typeError(() -> T.stack(u, T.dmatrix("m")), "same shape");
        typeError(() -> T.stack(T.tensor(DType.FLOAT64, new long[]{3}, "p"), T.tensor(DType.FLOAT64, new long[]{4}, "q")), "same shape");
        typeError(() -> T.stack(List.of(u, v), 2), "axis 2");
    }

    // ---------------------------------------------------------------- split

    @Test void splitIntoPieces() {
        Variable x = T.dmatrix("x");
        List<Variable> parts = T.split(x, new long[]{2, 3}, 0);
        assertEquals(2, parts.size());
        NDArray a = iota(DType.FLOAT64, 5, 3);
        List<NDArray> r = Theon.function(List.of(x), parts).callAll(a);
        assertShape(new long[]{2, 3}, r.get(0));
        assertShape(new long[]{3, 3}, r.get(1));
        for (int i = 0; i < 5; i++) for (int j = 0; j < 3; j++)
            assertEquals(a.getDouble(i, j), i < 2 ? r.get(0).getDouble(i, j) : r.get(1).getDouble(i - 2, j));

        // along the last axis of a transposed input, with an empty piece
        NDArray t = a.transpose();                          // (3, 5)
        List<Variable> cols = x.split(new long[]{1, 0, 4}, -1);
        List<NDArray> rc = Theon.function(List.of(x), cols).callAll(t);
        assertShape(new long[]{3, 1}, rc.get(0));
        assertShape(new long[]{3, 0}, rc.get(1));
        assertShape(new long[]{3, 4}, rc.get(2));
        for (int i = 0; i < 3; i++) {
            assertEquals(a.getDouble(0, i), rc.get(0).getDouble(i, 0));
            for (int j = 0; j < 4; j++) assertEquals(a.getDouble(1 + j, i), rc.get(2).getDouble(i, j));
        }
        assertArrayEquals(new long[]{-1, 1}, cols.get(0).type().shape());
    }

    @Test void splitErrors() {
        Variable s = T.tensor(DType.FLOAT64, new long[]{5, 3}, "s");
        typeError(() -> T.split(s, new long[]{2, 2}, 0), "add up to 4", "static size 5");
        typeError(() -> T.split(s, new long[]{-1, 6}, 0), ">= 0");
        typeError(() -> T.split(s, new long[]{5}, 2), "axis 2");
        Variable x = T.dmatrix("x");
        Function f = Theon.function(List.of(x), T.split(x, new long[]{1, 1}, 0));
        TheonException.ShapeError e = assertThrows(TheonException.ShapeError.class, () -> f.callAll(iota(DType.FLOAT64, 3, 2)));
        assertTrue(e.getMessage().contains("split") && e.getMessage().contains("add up to 2"), e.getMessage());
    }

    // ---------------------------------------------------------------- squeeze and expandDims

    @Test void squeezeStaticAxes() {
        Variable x = T.tensor(DType.INT16, new long[]{1, 3, 1}, "x");
        assertArrayEquals(new long[]{3}, x.squeeze().type().shape());
        assertArrayEquals(new long[]{3, 1}, x.squeeze(0).type().shape());
        assertArrayEquals(new long[]{1, 3}, T.squeeze(x, -1).type().shape());
        assertInstanceOf(DimShuffle.class, x.squeeze(0).owner().op());
        NDArray a = iota(DType.INT16, 1, 3, 1);
        NDArray r = fn(x, x.squeeze()).call(a);
        assertEquals(DType.INT16, r.dtype());
        for (int j = 0; j < 3; j++) assertEquals(a.getLong(0, j, 0), r.getLong(j));
        Variable m = T.dmatrix("m");
        assertSame(m, m.squeeze());                         // nothing is statically 1
        typeError(() -> x.squeeze(1), "static size 3");
        typeError(() -> x.squeeze(3), "out of range");
    }

    @Test void squeezeUnknownAxisIsCheckedAtRunTime() {
        Variable m = T.dmatrix("m");
        Variable y = m.squeeze(0);
        assertInstanceOf(Squeeze.class, y.owner().op());
        assertArrayEquals(new long[]{-1}, y.type().shape());
        Function f = fn(m, y);
        NDArray r = f.call(new double[][]{{1, 2, 3}});
        assertArrayEquals(new double[]{1, 2, 3}, r.toDoubleArray());
        TheonException.ShapeError e = assertThrows(TheonException.ShapeError.class, () -> f.call(new double[][]{{1, 2}, {3, 4}}));
        assertTrue(e.getMessage().contains("size 2") && e.getMessage().contains("squeeze"), e.getMessage());
    }

    @Test void expandDimsMakesBroadcastableAxes() {
        Variable v = T.dvector("v");
        assertArrayEquals(new long[]{1, -1}, v.expandDims(0).type().shape());
        assertArrayEquals(new long[]{-1, 1}, T.expandDims(v, -1).type().shape());
        double[] a = {1, 2, 3};
        NDArray r = fn(v, T.mul(v.expandDims(-1), v.expandDims(0))).call(a);
        assertShape(new long[]{3, 3}, r);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) assertEquals(a[i] * a[j], r.getDouble(i, j));
        typeError(() -> v.expandDims(2), "axis 2");
        Variable s = T.dscalar("s");
        assertArrayEquals(new long[]{1}, s.expandDims(0).type().shape());
    }

    // ---------------------------------------------------------------- empty arrays

    @Test void emptyArraysThroughEveryOp() {
        Variable m = T.dmatrix("m");
        NDArray empty = NDArray.zeros(DType.FLOAT64, 0, 3);
        assertShape(new long[]{3, 0}, fn(m, m.reshape(3, -1)).call(empty));
        assertShape(new long[]{0, 3}, fn(m, m.reshape(-1, 3)).call(empty));
        assertShape(new long[]{0}, fn(m, m.flatten()).call(empty));
        assertShape(new long[]{3, 0}, fn(m, m.T()).call(empty));
        assertShape(new long[]{0}, fn(m, m.T().flatten()).call(empty));  // non-contiguous empty view
        Variable n = T.dmatrix("n");
        NDArray j = Theon.function(List.of(m, n), T.concatenate(m, n)).call(empty, new double[][]{{1, 2, 3}});
        assertShape(new long[]{1, 3}, j);
        assertArrayEquals(new double[]{1, 2, 3}, j.toDoubleArray());
        assertShape(new long[]{2, 0, 3}, Theon.function(List.of(m, n), T.stack(m, n)).call(empty, empty));
        List<NDArray> parts = Theon.function(List.of(m), T.split(m, new long[]{0, 0}, 0)).callAll(empty);
        assertShape(new long[]{0, 3}, parts.get(0));
        assertShape(new long[]{0, 3}, parts.get(1));
        Variable s = T.tensor(DType.FLOAT64, new long[]{0, 3}, "s");
        assertArrayEquals(new long[]{0}, s.flatten().type().shape());
        assertArrayEquals(new long[]{3, 0}, s.reshape(3, -1).type().shape());
    }

    @Test void repeatedCallsOverwriteReusedBuffers() {
        Variable x = T.dmatrix("x"), y = T.dmatrix("y");
        // the reshape copies (transposed input) and the join write into buffers kept between calls
        Function f = Theon.function(List.of(x, y), T.concatenate(x.T().reshape(-1), y.flatten()).mul(2.0));
        for (int call = 0; call < 3; call++) {
            NDArray a = NDArray.full(DType.FLOAT64, call + 1, 2, 3), b = NDArray.full(DType.FLOAT64, 10 * (call + 1), 1, 2);
            a.setDouble(-call, 1, 2);
            NDArray r = f.call(a, b);
            double[] expect = new double[8];
            for (int j = 0; j < 3; j++) for (int i = 0; i < 2; i++) expect[j * 2 + i] = 2 * a.getDouble(i, j);
            expect[6] = expect[7] = 20 * (call + 1);
            assertArrayEquals(expect, r.toDoubleArray());
        }
    }

    @Test void floatXGraphsBindThroughShapeOps() {
        Variable m = T.matrix("m");
        Variable y = T.concatenate(List.of(m.T(), m.T().dimshuffle(new int[]{0, 1})), 1).flatten();
        assertEquals(DType.FLOATX, y.dtype());
        NDArray r = Theon.function(List.of(m), y, Theon.options().floatX(DType.FLOAT32)).call(new float[][]{{1, 2}, {3, 4}});
        assertEquals(DType.FLOAT32, r.dtype());
        assertArrayEquals(new double[]{1, 3, 1, 3, 2, 4, 2, 4}, r.toDoubleArray());
    }

    @Test void opsPrintTheirParameters() {
        assertEquals("reshape{(2, -1)}", Reshape.to(2, -1).name());
        assertEquals("reshape{ndim=3}", Reshape.symbolic(3).name());
        assertEquals("flatten{2}", new Flatten(2).name());
        assertEquals("join{axis=1}", new Join(1).name());
        assertEquals("split{axis=0, sizes=(2, 3)}", new Split(new long[]{2, 3}, 0).name());
        assertEquals(Reshape.to(2, 3), Reshape.to(2, 3));
        assertEquals(new DimShuffle(2, new int[]{1, 0}), DimShuffle.reverse(2));
        assertEquals(new DimShuffle(2, new int[]{1, 0}).hashCode(), DimShuffle.reverse(2).hashCode());
    }
}
