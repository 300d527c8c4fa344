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

import static org.junit.jupiter.api.Assertions.*;

/**
 * Advanced indexing (x[idx], x[:, idx], x[i0, i1], with slices and integer positions beside them) on the simd backend
 * against values picked here with plain loops and against the reference backend: every dtype, contiguous, transposed
 * and strided x, negative and repeated indices, empty index arrays, index arrays of several integer dtypes and ranks.
 */
class GatherParityTest {
    @BeforeAll static void splitSmallWork() { Pool.splitDivisor = 64; }
    @AfterAll static void splitOnlyLargeWork() { Pool.splitDivisor = 1; }

    static long norm(long i, long n) { return i < 0 ? i + n : i; }

    /** Element {@code ai} of {@code a} equals element {@code bi} of {@code b} (same bits for floats, same value for integers). */
    static boolean same(NDArray a, long[] ai, NDArray b, long[] bi) {
        return a.dtype().isDiscrete() ? a.getLong(ai) == b.getLong(bi) : Double.compare(a.getDouble(ai), b.getDouble(bi)) == 0;
    }

    static void expect(boolean ok, String what, long[] at) { if (!ok) fail(what + ": wrong value at " + Arrays.toString(at)); }

    /** The simd result, after checking that no node fell back and that the reference computes the same bits. */
    static NDArray run(String what, List<Variable> in, Variable out, Object... args) {
        Function f = Parity.simd(in, List.of(out));
        assertFalse(f.describe().contains("FALLBACK"), what + "\n" + f.describe());
        NDArray got = f.callAll(args).get(0);
        Parity.close(got, Parity.reference(in, List.of(out)).callAll(args).get(0), 0, what);
        return got;
    }

    @Test void rowsColumnsAndElementsOfEveryDtypeAndLayout() {
        Random r = new Random(3);
        long[] rows = {0, 6, -1, -7, 3, 3}, cols = {4, -5, 0, 2, 2, -1};
        for (DType dt : CreationParityTest.ALL) {
            for (Lay lay : Lay.values()) {
                NDArray xv = Parity.random(r, dt, new long[]{7, 5}, -10, 10, lay);
                NDArray x3v = Parity.random(r, dt, new long[]{4, 7, 3}, -10, 10, lay);
                Variable x = T.tensor(dt, new long[]{-1, -1}, "x"), x3 = T.tensor(dt, new long[]{-1, -1, -1}, "x3");
                Variable i = T.lvector("i"), j = T.lvector("j");
                String at = dt + " " + lay + " ";

                NDArray g = run(at + "x[i]", List.of(x, i), T.get(x, i), xv, rows);
                assertArrayEquals(new long[]{6, 5}, g.shape());
                for (int p = 0; p < 6; p++) for (int c = 0; c < 5; c++)
                    expect(same(g, new long[]{p, c}, xv, new long[]{norm(rows[p], 7), c}), at + "x[i]", new long[]{p, c});

                g = run(at + "x[:, j]", List.of(x, j), T.take(x, j, 1), xv, cols);
                assertArrayEquals(new long[]{7, 6}, g.shape());
                for (int a = 0; a < 7; a++) for (int p = 0; p < 6; p++)
                    expect(same(g, new long[]{a, p}, xv, new long[]{a, norm(cols[p], 5)}), at + "x[:, j]", new long[]{a, p});

                g = run(at + "x3[:, i]", List.of(x3, i), T.take(x3, i, 1), x3v, rows);
                assertArrayEquals(new long[]{4, 6, 3}, g.shape());
                for (int a = 0; a < 4; a++) for (int p = 0; p < 6; p++) for (int c = 0; c < 3; c++)
                    expect(same(g, new long[]{a, p, c}, x3v, new long[]{a, norm(rows[p], 7), c}), at + "x3[:, i]", new long[]{a, p, c});

                g = run(at + "x[i, j]", List.of(x, i, j), T.get(x, i, j), xv, rows, cols);
                assertArrayEquals(new long[]{6}, g.shape());
                for (int p = 0; p < 6; p++) expect(same(g, new long[]{p}, xv, new long[]{norm(rows[p], 7), norm(cols[p], 5)}), at + "x[i, j]", new long[]{p});

                g = run(at + "x3[i, j]", List.of(x3, i, j), T.get(x3, i, j), x3v, new long[]{3, -4, 0}, new long[]{6, 0, -7});
                long[] ri = {3, 0, 0}, ci = {6, 0, 0};
                for (int p = 0; p < 3; p++) for (int c = 0; c < 3; c++)
                    expect(same(g, new long[]{p, c}, x3v, new long[]{ri[p], ci[p], c}), at + "x3[i, j]", new long[]{p, c});

                g = run(at + "x[1::2, j]", List.of(x, j), T.get(x, Index.slice(1L, null, 2L), j), xv, cols);
                assertArrayEquals(new long[]{3, 6}, g.shape());
                for (int a = 0; a < 3; a++) for (int p = 0; p < 6; p++)
                    expect(same(g, new long[]{a, p}, xv, new long[]{1 + 2 * a, norm(cols[p], 5)}), at + "x[1::2, j]", new long[]{a, p});

                g = run(at + "x[i, ::-1]", List.of(x, i), T.get(x, i, Index.slice(null, null, -1L)), xv, rows);
                for (int p = 0; p < 6; p++) for (int c = 0; c < 5; c++)
                    expect(same(g, new long[]{p, c}, xv, new long[]{norm(rows[p], 7), 4 - c}), at + "x[i, ::-1]", new long[]{p, c});

                g = run(at + "x[-2, j]", List.of(x, j), T.get(x, -2, j), xv, cols);
                for (int p = 0; p < 6; p++) expect(same(g, new long[]{p}, xv, new long[]{5, norm(cols[p], 5)}), at + "x[-2, j]", new long[]{p});

                long[] firsts = {0, 3, -1, -4, 2, 2};
                g = run(at + "x3[i, newaxis]", List.of(x3, i), T.get(x3, i, Index.newAxis()), x3v, firsts);
                assertArrayEquals(new long[]{6, 1, 7, 3}, g.shape());
                for (int p = 0; p < 6; p++) for (int b = 0; b < 7; b++) for (int c = 0; c < 3; c++)
                    expect(same(g, new long[]{p, 0, b, c}, x3v, new long[]{norm(firsts[p], 4), b, c}), at + "x3[i, newaxis]", new long[]{p, b, c});
            }
        }
    }

    @Test void indexArraysOfOtherDtypesRanksAndBroadcasts() {
        Random r = new Random(8);
        NDArray xv = Parity.random(r, DType.FLOAT64, new long[]{9, 4}, -10, 10, Lay.TRANSPOSED);
        Variable x = T.dmatrix("x");
        for (DType idt : new DType[]{DType.INT8, DType.INT16, DType.INT32}) {
            Variable i = T.tensor(idt, new long[]{-1, -1}, "i");
            NDArray iv = NDArray.fromJava(new long[][]{{0, -9, 8}, {4, 4, -1}}, idt);
            NDArray g = run("x[i] with a " + idt + " matrix of indices", List.of(x, i), T.get(x, i), xv, iv);
            assertArrayEquals(new long[]{2, 3, 4}, g.shape());
            for (int a = 0; a < 2; a++) for (int b = 0; b < 3; b++) for (int c = 0; c < 4; c++)
                expect(same(g, new long[]{a, b, c}, xv, new long[]{norm(iv.getLong(a, b), 9), c}), "x[i] " + idt, new long[]{a, b, c});
        }
        // a column of rows against a row of columns: the pairs broadcast to a (3, 4) grid
        Variable col = T.tensor(DType.INT64, new long[]{-1, 1}, "rows"), row = T.lvector("cols");
        long[][] rv = {{0}, {-1}, {4}};
        long[] cv = {3, 0, -4, 1};
        NDArray g = run("x[rows, cols] broadcast", List.of(x, col, row), T.get(x, col, row), xv, rv, cv);
        assertArrayEquals(new long[]{3, 4}, g.shape());
        for (int a = 0; a < 3; a++) for (int b = 0; b < 4; b++)
            expect(same(g, new long[]{a, b}, xv, new long[]{norm(rv[a][0], 9), norm(cv[b], 4)}), "x[rows, cols]", new long[]{a, b});
        // empty index arrays: empty results of the right shape
        Variable i = T.lvector("i"), j = T.lvector("j");
        assertArrayEquals(new long[]{0, 4}, run("x[[]]", List.of(x, i), T.get(x, i), xv, new long[0]).shape());
        assertArrayEquals(new long[]{0}, run("x[[], []]", List.of(x, i, j), T.get(x, i, j), xv, new long[0], new long[0]).shape());
        assertArrayEquals(new long[]{9, 0}, run("x[:, []]", List.of(x, j), T.take(x, j, 1), xv, new long[0]).shape());
    }

    @Test void errorsAreTheReferences() {
        Variable x = T.dmatrix("x"), i = T.lvector("i"), j = T.lvector("j");
        NDArray xv = NDArray.of(new double[][]{{1, 2}, {3, 4}, {5, 6}});
        Object[][] bad = {{T.get(x, i), new long[]{0, 3}}, {T.get(x, i), new long[]{-4, 0}}, {T.take(x, i, 1), new long[]{1, 2}},
                {T.take(x, i, 1), new long[]{-3}}, {T.get(x, i, j), new long[]{0, 1}, new long[]{-3, 0}},
                {T.get(x, i, j), new long[]{0, 1, 2}, new long[]{0, 1}}, {T.get(x, i, j), new long[]{3, 1}, new long[]{0, 1}}};
        for (Object[] b : bad) {
            Variable out = (Variable) b[0];
            Function s = Parity.simd(List.of(x, i, j), List.of(out)), ref = Parity.reference(List.of(x, i, j), List.of(out));
            CreationParityTest.sameError(s, ref, xv, b[1], b.length > 2 ? b[2] : new long[0]);
        }
    }

    @Test void separatedIndexArraysFallBackVisiblyAndAgree() {
        Variable x = T.dtensor3("x"), i = T.lvector("i"), j = T.lvector("j");
        Variable out = T.get(x, i, Index.all(), j);
        Function s = Parity.simd(List.of(x, i, j), List.of(out));
        assertTrue(s.describe().contains("FALLBACK") && s.describe().contains("separated"), s.describe());
        NDArray xv = Parity.random(new Random(2), DType.FLOAT64, new long[]{3, 4, 5}, -1, 1, Lay.CONTIGUOUS);
        Parity.both(List.of(x, i, j), List.of(out), new Object[]{xv, new long[]{0, 2}, new long[]{4, -1}}, 0, "x[i, :, j]");
    }

    @Test void largeGathersSplitAmongThreads() {
        Random r = new Random(11);
        NDArray xv = Parity.random(r, DType.FLOAT32, new long[]{3000, 64}, -1, 1, Lay.CONTIGUOUS);
        long[] rows = new long[5000], cols = new long[5000];
        for (int p = 0; p < rows.length; p++) { rows[p] = r.nextInt(6000) - 3000; cols[p] = r.nextInt(64); }
        Variable x = T.fmatrix("x"), i = T.lvector("i"), j = T.lvector("j");
        NDArray g = run("large x[i]", List.of(x, i), T.get(x, i), xv, rows);
        for (int p = 0; p < rows.length; p += 7) for (int c = 0; c < 64; c++)
            expect(same(g, new long[]{p, c}, xv, new long[]{norm(rows[p], 3000), c}), "large x[i]", new long[]{p, c});
        g = run("large x[i, j]", List.of(x, i, j), T.get(x, i, j), xv, rows, cols);
        for (int p = 0; p < rows.length; p++) expect(same(g, new long[]{p}, xv, new long[]{norm(rows[p], 3000), cols[p]}), "large x[i, j]", new long[]{p});
        long[] few = Arrays.copyOf(cols, 40);
        g = run("large x[:, j]", List.of(x, j), T.take(x, j, 1), xv, few);
        for (int a = 0; a < 3000; a += 13) for (int p = 0; p < few.length; p++)
            expect(same(g, new long[]{a, p}, xv, new long[]{a, few[p]}), "large x[:, j]", new long[]{a, p});
    }
}
