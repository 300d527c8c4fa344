package dev.theon.simd;

import dev.theon.T;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.ops.Index;
import dev.theon.simd.Parity.Lay;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.theon.simd.GatherParityTest.norm;
import static dev.theon.simd.GatherParityTest.run;
import static org.junit.jupiter.api.Assertions.*;

/**
 * set_subtensor and inc_subtensor on the simd backend, against values computed here with plain loops (in index order,
 * in the dtype's own arithmetic) and against the reference backend: advanced forms with repeated and negative indices
 * (increments accumulate, the last set wins), basic slices with negative steps and symbolic bounds, broadcast values,
 * narrower value dtypes, the inplace mark, and the errors.
 */
class IncSubtensorParityTest {
    @BeforeAll static void splitSmallWork() { Pool.splitDivisor = 64; }
    @AfterAll static void splitOnlyLargeWork() { Pool.splitDivisor = 1; }

    /** {@code e[at] = y[yi]} or {@code e[at] += y[yi]}, stored as the reference stores (C cast, float rounded once). */
    static void apply(NDArray e, long[] at, NDArray y, long[] yi, boolean set) {
        if (e.dtype().isDiscrete() && y.dtype().isDiscrete()) e.setLong(set ? y.getLong(yi) : e.getLong(at) + y.getLong(yi), at);
        else e.setDouble(set ? y.getDouble(yi) : e.getDouble(at) + y.getDouble(yi), at);
    }

    static void assertSame(NDArray want, NDArray got, String what) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        assertEquals(want.dtype(), got.dtype(), what + ": dtype");
        for (long f = 0; f < want.size(); f++) {
            boolean ok = want.dtype().isDiscrete() ? want.flatLong(f) == got.flatLong(f) : Double.compare(want.flatDouble(f), got.flatDouble(f)) == 0;
            if (!ok) fail(what + ": at flat " + f + " got " + got.flatDouble(f) + " want " + want.flatDouble(f));
        }
    }

    static Variable write(Variable region, Variable y, boolean set) { return set ? T.setSubtensor(region, y) : T.incSubtensor(region, y); }

    @Test void advancedFormsOfEveryDtypeAndLayout() {
        Random r = new Random(21);
        long[] rows = {1, -1, 1, 3, 1, -6}, cols = {2, -1, 2, 0};
        long[] pr = {0, 5, -1, 0, 2, 0}, pc = {1, 3, 3, 1, -4, 1};
        for (DType dt : CreationParityTest.ALL) {
            for (Lay lay : Lay.values()) {
                Variable x = T.tensor(dt, new long[]{-1, -1}, "x"), y = T.tensor(dt, new long[]{-1, -1}, "y"), yv = T.tensor(dt, new long[]{-1}, "yv");
                Variable i = T.lvector("i"), j = T.lvector("j");
                NDArray xv = Parity.random(r, dt, new long[]{6, 4}, -10, 10, lay);
                NDArray rowsY = Parity.random(r, dt, new long[]{6, 4}, -10, 10, lay), colsY = Parity.random(r, dt, new long[]{6, 4}, -10, 10, lay);
                NDArray pairY = Parity.random(r, dt, new long[]{6}, -10, 10, lay);
                for (boolean set : new boolean[]{false, true}) {
                    String at = dt + " " + lay + (set ? " set " : " inc ");

                    NDArray want = xv.copy();
                    for (int p = 0; p < rows.length; p++) for (int c = 0; c < 4; c++) apply(want, new long[]{norm(rows[p], 6), c}, rowsY, new long[]{p, c}, set);
                    assertSame(want, run(at + "x[i]", List.of(x, i, y), write(T.get(x, i), y, set), xv, rows, rowsY), at + "x[i]");

                    want = xv.copy();
                    for (int a = 0; a < 6; a++) for (int p = 0; p < cols.length; p++) apply(want, new long[]{a, norm(cols[p], 4)}, colsY, new long[]{a, p}, set);
                    assertSame(want, run(at + "x[:, j]", List.of(x, j, y), write(T.take(x, j, 1), y, set), xv, cols, colsY), at + "x[:, j]");

                    want = xv.copy();
                    for (int p = 0; p < pr.length; p++) apply(want, new long[]{norm(pr[p], 6), norm(pc[p], 4)}, pairY, new long[]{p}, set);
                    assertSame(want, run(at + "x[i, j]", List.of(x, i, j, yv), write(T.get(x, i, j), yv, set), xv, pr, pc, pairY), at + "x[i, j]");
                }
            }
        }
    }

    @Test void broadcastValuesAndEmptyIndexArrays() {
        Random r = new Random(22);
        long[] rows = {4, 0, -1, 4};
        for (DType dt : CreationParityTest.ALL) {
            Variable x = T.tensor(dt, new long[]{-1, -1}, "x"), i = T.lvector("i"), j = T.lvector("j");
            Variable scalar = T.tensor(dt, new long[]{}, "s"), row = T.tensor(dt, new long[]{1, -1}, "row"), col = T.tensor(dt, new long[]{-1, 1}, "col");
            NDArray xv = Parity.random(r, dt, new long[]{5, 3}, -10, 10, Lay.TRANSPOSED);
            NDArray sv = Parity.random(r, dt, new long[]{}, -10, 10, Lay.CONTIGUOUS), rv = Parity.random(r, dt, new long[]{1, 3}, -10, 10, Lay.STRIDED);
            NDArray cv = Parity.random(r, dt, new long[]{4, 1}, -10, 10, Lay.CONTIGUOUS);
            for (boolean set : new boolean[]{false, true}) {
                String at = dt + (set ? " set " : " inc ");
                NDArray want = xv.copy();
                for (long p : rows) for (int c = 0; c < 3; c++) apply(want, new long[]{norm(p, 5), c}, sv, new long[0], set);
                assertSame(want, run(at + "x[i] with a scalar", List.of(x, i, scalar), write(T.get(x, i), scalar, set), xv, rows, sv), at + "scalar");

                want = xv.copy();
                for (long p : rows) for (int c = 0; c < 3; c++) apply(want, new long[]{norm(p, 5), c}, rv, new long[]{0, c}, set);
                assertSame(want, run(at + "x[i] with a row", List.of(x, i, row), write(T.get(x, i), row, set), xv, rows, rv), at + "row");

                want = xv.copy();
                for (int p = 0; p < rows.length; p++) for (int c = 0; c < 3; c++) apply(want, new long[]{norm(rows[p], 5), c}, cv, new long[]{p, 0}, set);
                assertSame(want, run(at + "x[i] with a column", List.of(x, i, col), write(T.get(x, i), col, set), xv, rows, cv), at + "column");

                assertSame(xv.copy(), run(at + "x[[]]", List.of(x, i, scalar), write(T.get(x, i), scalar, set), xv, new long[0], sv), at + "x[[]]");
                assertSame(xv.copy(), run(at + "x[[], []]", List.of(x, i, j, scalar), write(T.get(x, i, j), scalar, set), xv, new long[0], new long[0], sv),
                        at + "x[[], []]");
            }
        }
    }

    @Test void basicSlicesOfEveryDtypeAndLayout() {
        Random r = new Random(23);
        for (DType dt : CreationParityTest.ALL) {
            for (Lay lay : Lay.values()) {
                Variable x = T.tensor(dt, new long[]{-1, -1}, "x"), y = T.tensor(dt, new long[]{-1, -1}, "y"), yrow = T.tensor(dt, new long[]{1, -1}, "yrow");
                Variable yvec = T.tensor(dt, new long[]{-1}, "yvec"), scalar = T.tensor(dt, new long[]{}, "s");
                Variable a = T.lscalar("a"), b = T.lscalar("b");
                NDArray xv = Parity.random(r, dt, new long[]{8, 6}, -10, 10, lay);
                NDArray yv = Parity.random(r, dt, new long[]{3, 6}, -10, 10, lay), rv = Parity.random(r, dt, new long[]{1, 6}, -10, 10, lay);
                NDArray vv = Parity.random(r, dt, new long[]{6}, -10, 10, lay), sv = Parity.random(r, dt, new long[]{}, -10, 10, lay);
                NDArray bv = Parity.random(r, dt, new long[]{5, 6}, -10, 10, lay);
                for (boolean set : new boolean[]{false, true}) {
                    String at = dt + " " + lay + (set ? " set " : " inc ");
                    Variable region = T.get(x, Index.slice(1L, 7L, 2L), Index.slice(null, null, -1L));  // x[1:7:2, ::-1]
                    NDArray want = xv.copy();
                    for (int p = 0; p < 3; p++) for (int c = 0; c < 6; c++) apply(want, new long[]{1 + 2 * p, 5 - c}, yv, new long[]{p, c}, set);
                    assertSame(want, run(at + "x[1:7:2, ::-1]", List.of(x, y), write(region, y, set), xv, yv), at + "x[1:7:2, ::-1]");

                    want = xv.copy();
                    for (int p = 0; p < 3; p++) for (int c = 0; c < 6; c++) apply(want, new long[]{1 + 2 * p, 5 - c}, rv, new long[]{0, c}, set);
                    assertSame(want, run(at + "x[1:7:2, ::-1] with a row", List.of(x, yrow), write(region, yrow, set), xv, rv), at + "row");

                    want = xv.copy();
                    for (int p = 0; p < 8; p++) for (int c = 1; c < 6; c += 2) apply(want, new long[]{p, c}, sv, new long[0], set);
                    assertSame(want, run(at + "x[:, 1::2] with a scalar", List.of(x, scalar), write(T.get(x, Index.all(), Index.slice(1L, null, 2L)), scalar, set), xv, sv),
                            at + "scalar");

                    want = xv.copy();
                    for (int c = 0; c < 6; c++) apply(want, new long[]{6, c}, vv, new long[]{c}, set);
                    assertSame(want, run(at + "x[-2]", List.of(x, yvec), write(T.get(x, -2), yvec, set), xv, vv), at + "x[-2]");

                    // symbolic bounds: x[a:b] with a = -7 (row 1) and b = 6
                    want = xv.copy();
                    for (int p = 0; p < 5; p++) for (int c = 0; c < 6; c++) apply(want, new long[]{1 + p, c}, bv, new long[]{p, c}, set);
                    assertSame(want, run(at + "x[a:b]", List.of(x, a, b, y), write(T.get(x, Index.slice(a, b)), y, set), xv, -7L, 6L, bv), at + "x[a:b]");
                }
            }
        }
    }

    @Test void narrowerValuesAreConvertedAsTheReferenceConvertsThem() {
        DType[][] pairs = {{DType.INT32, DType.INT8}, {DType.INT64, DType.BOOL}, {DType.INT16, DType.INT8}, {DType.FLOAT32, DType.INT16},
                {DType.FLOAT64, DType.INT32}, {DType.FLOAT64, DType.INT64}, {DType.FLOAT64, DType.FLOAT32}, {DType.FLOAT32, DType.BOOL}};
        Random r = new Random(24);
        long[] rows = {2, -1, 2};
        for (DType[] pair : pairs) {
            Variable x = T.tensor(pair[0], new long[]{-1, -1}, "x"), y = T.tensor(pair[1], new long[]{-1, -1}, "y"), i = T.lvector("i");
            NDArray xv = Parity.random(r, pair[0], new long[]{4, 3}, -10, 10, Lay.CONTIGUOUS);
            NDArray yv = Parity.random(r, pair[1], new long[]{3, 3}, -100, 100, Lay.TRANSPOSED);
            if (pair[1] == DType.INT64) yv.setLong((1L << 53) + 1, 0, 0);  // rounds when read as float64, as in the reference
            for (boolean set : new boolean[]{false, true}) {
                NDArray want = xv.copy();
                for (int p = 0; p < 3; p++) for (int c = 0; c < 3; c++) apply(want, new long[]{norm(rows[p], 4), c}, yv, new long[]{p, c}, set);
                String what = pair[1] + " into " + pair[0] + (set ? " set" : " inc");
                assertSame(want, run(what, List.of(x, i, y), write(T.get(x, i), y, set), xv, rows, yv), what);
            }
        }
    }

    @Test void computesIntoAnIntermediateUnderTheInplaceMark() {
        Variable x = T.dmatrix("x"), y = T.dmatrix("y"), i = T.lvector("i");
        Variable doubled = T.mul(x, 2.0);
        Variable out = T.incSubtensor(T.get(doubled, i), y);
        Function f = Parity.simd(List.of(x, i, y), List.of(out));
        String d = f.describe();
        assertTrue(d.lines().anyMatch(l -> l.contains("advanced_inc_subtensor") && l.contains("computed into input 0")), d);
        NDArray xv = Parity.random(new Random(25), DType.FLOAT64, new long[]{5, 3}, -1, 1, Lay.CONTIGUOUS), before = xv.copy();
        for (int call = 0; call < 3; call++) {
            long[] rows = {call, 4, call};
            NDArray yv = Parity.random(new Random(call), DType.FLOAT64, new long[]{3, 3}, -1, 1, Lay.CONTIGUOUS);
            NDArray want = xv.copy();
            for (int a = 0; a < 5; a++) for (int c = 0; c < 3; c++) want.setDouble(2 * xv.getDouble(a, c), a, c);
            for (int p = 0; p < 3; p++) for (int c = 0; c < 3; c++) apply(want, new long[]{rows[p], c}, yv, new long[]{p, c}, false);
            assertSame(want, f.call(xv, rows, yv), "call " + call);
            assertSame(before, xv, "the argument is intact");
        }
        // y read from the storage being written: no mark, and y is read as it was
        Variable perm = T.incSubtensor(T.get(doubled, i), doubled);
        Function g = Parity.simd(List.of(x, i), List.of(perm));
        assertFalse(g.describe().lines().anyMatch(l -> l.contains("inc_subtensor") && l.contains("computed into")), g.describe());
        long[] order = {4, 3, 2, 1, 0};
        NDArray want = xv.copy();
        for (int a = 0; a < 5; a++) for (int c = 0; c < 3; c++) want.setDouble(2 * xv.getDouble(a, c) + 2 * xv.getDouble(4 - a, c), a, c);
        assertSame(want, g.call(xv, order), "x[perm] += x");
    }

    @Test void errorsAreTheReferences() {
        Variable x = T.dmatrix("x"), y = T.dmatrix("y"), i = T.lvector("i");
        NDArray xv = NDArray.of(new double[][]{{1, 2}, {3, 4}, {5, 6}});
        for (boolean set : new boolean[]{false, true}) {
            Variable out = write(T.get(x, i), y, set);
            Function s = Parity.simd(List.of(x, i, y), List.of(out)), ref = Parity.reference(List.of(x, i, y), List.of(out));
            NDArray two = NDArray.of(new double[][]{{1, 1}, {2, 2}});
            CreationParityTest.sameError(s, ref, xv, new long[]{0, 3}, two);
            CreationParityTest.sameError(s, ref, xv, new long[]{-4, 0}, two);
            CreationParityTest.sameError(s, ref, xv, new long[]{0, 1, 2}, two);                    // y does not fit the region
            CreationParityTest.sameError(s, ref, xv, new long[]{0, 1}, NDArray.of(new double[][]{{1, 1}}));  // undeclared broadcast
            Variable slice = write(T.get(x, Index.slice(0L, 2L, null)), y, set);
            Function s2 = Parity.simd(List.of(x, y), List.of(slice)), ref2 = Parity.reference(List.of(x, y), List.of(slice));
            CreationParityTest.sameError(s2, ref2, xv, NDArray.of(new double[][]{{1, 1}, {2, 2}, {3, 3}}));
        }
    }

    @Test void largeScattersSplitAmongThreadsKeepIndexOrder() {
        Random r = new Random(26);
        // rows added with many repeats: threads take columns, each walks every index in order
        int n = 300, k = 256, m = 2000;
        NDArray xv = Parity.random(r, DType.FLOAT32, new long[]{n, k}, -1, 1, Lay.CONTIGUOUS), yv = Parity.random(r, DType.FLOAT32, new long[]{m, k}, -1, 1, Lay.CONTIGUOUS);
        long[] rows = new long[m];
        for (int p = 0; p < m; p++) rows[p] = r.nextInt(2 * n) - n;
        Variable x = T.fmatrix("x"), y = T.fmatrix("y"), i = T.lvector("i"), j = T.lvector("j");
        NDArray want = xv.copy();
        for (int p = 0; p < m; p++) for (int c = 0; c < k; c++) {
            long a = norm(rows[p], n);
            want.setDouble((float) (want.getDouble(a, c) + yv.getDouble(p, c)), a, c);
        }
        assertSame(want, run("large x[i] += y", List.of(x, i, y), T.incSubtensor(T.get(x, i), y), xv, rows, yv), "large x[i] += y");
        // blocks along a lead axis: threads take lead positions
        Variable x3 = T.dtensor3("x3"), y3 = T.dtensor3("y3");
        NDArray x3v = Parity.random(r, DType.FLOAT64, new long[]{64, 50, 32}, -1, 1, Lay.CONTIGUOUS), y3v = Parity.random(r, DType.FLOAT64, new long[]{64, 40, 32}, -1, 1, Lay.STRIDED);
        long[] mid = new long[40];
        for (int p = 0; p < 40; p++) mid[p] = r.nextInt(10);
        want = x3v.copy();
        for (int a = 0; a < 64; a++) for (int p = 0; p < 40; p++) for (int c = 0; c < 32; c++)
            apply(want, new long[]{a, mid[p], c}, y3v, new long[]{a, p, c}, false);
        assertSame(want, run("large x3[:, i] += y", List.of(x3, i, y3), T.incSubtensor(T.take(x3, i, 1), y3), x3v, mid, y3v), "large x3[:, i] += y");
        // single elements with repeats, and a big slice
        long[] er = new long[50_000], ec = new long[50_000];
        for (int p = 0; p < er.length; p++) { er[p] = r.nextInt(n); ec[p] = r.nextInt(k); }
        Variable yv1 = T.fvector("yv");
        NDArray ev = Parity.random(r, DType.FLOAT32, new long[]{er.length}, -1, 1, Lay.CONTIGUOUS);
        want = xv.copy();
        for (int p = 0; p < er.length; p++) want.setDouble((float) (want.getDouble(er[p], ec[p]) + ev.getDouble(p)), er[p], ec[p]);
        assertSame(want, run("large x[i, j] += y", List.of(x, i, j, yv1), T.incSubtensor(T.get(x, i, j), yv1), xv, er, ec, ev), "large x[i, j] += y");
        NDArray half = Parity.random(r, DType.FLOAT32, new long[]{n / 2, k}, -1, 1, Lay.TRANSPOSED);
        want = xv.copy();
        for (int a = 0; a < n / 2; a++) for (int c = 0; c < k; c++) want.setDouble((float) (want.getDouble(2 * a, c) + half.getDouble(a, c)), 2 * a, c);
        assertSame(want, run("large x[::2] += y", List.of(x, y), T.incSubtensor(T.get(x, Index.slice(null, null, 2L)), y), xv, half), "large x[::2] += y");
    }

    @Test void separatedIndexArraysFallBackVisiblyAndAgree() {
        Variable x = T.dtensor3("x"), y = T.dmatrix("y"), i = T.lvector("i"), j = T.lvector("j");
        Variable out = T.incSubtensor(T.get(x, i, Index.all(), j), y);
        Function s = Parity.simd(List.of(x, i, j, y), List.of(out));
        assertTrue(s.describe().contains("FALLBACK") && s.describe().contains("separated"), s.describe());
        NDArray xv = Parity.random(new Random(27), DType.FLOAT64, new long[]{3, 4, 5}, -1, 1, Lay.CONTIGUOUS);
        Parity.both(List.of(x, i, j, y), List.of(out), new Object[]{xv, new long[]{0, 2, 0}, new long[]{4, -1, 4}, Parity.random(new Random(1), DType.FLOAT64, new long[]{3, 4}, -1, 1, Lay.CONTIGUOUS)},
                0, "x[i, :, j] += y");
        assertTrue(Arrays.stream(s.describe().split("\n")).anyMatch(l -> l.contains("inc_subtensor")), s.describe());
    }
}
