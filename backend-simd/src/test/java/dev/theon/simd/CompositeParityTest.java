package dev.theon.simd;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.ops.Composite;
import dev.theon.ops.Composite.Instr;
import dev.theon.ops.ScalarOp;
import dev.theon.simd.Parity.Lay;
import dev.theon.simd.gen.KernelCache;
import dev.theon.simd.gen.VectorPlan;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Fused expressions (Composite nodes) become one generated kernel; checked against the reference and float64 loops. */
class CompositeParityTest {
    // small arrays take the multi-threaded paths too (in production a thread must get ~a millisecond of work)
    @org.junit.jupiter.api.BeforeAll static void splitSmallWork() { Pool.splitDivisor = 64; }
    @org.junit.jupiter.api.AfterAll static void splitOnlyLargeWork() { Pool.splitDivisor = 1; }


    /** tanh(a*x + b) * c + exp(-x*x) over inputs x, a, b, c. */
    static Composite chain() {
        return new Composite(4, List.of(
                new Instr(ScalarOp.MUL, new int[]{1, 0}, null), new Instr(ScalarOp.ADD, new int[]{4, 2}, null),
                new Instr(ScalarOp.TANH, new int[]{5}, null), new Instr(ScalarOp.MUL, new int[]{6, 3}, null),
                new Instr(ScalarOp.MUL, new int[]{0, 0}, null), new Instr(ScalarOp.NEG, new int[]{8}, null),
                new Instr(ScalarOp.EXP, new int[]{9}, null), new Instr(ScalarOp.ADD, new int[]{7, 10}, null)), new int[]{7});
    }

    @ParameterizedTest @ValueSource(strings = {"float32", "float64"})
    void theChainAgainstAFloat64Loop(String dtype) {
        DType dt = DType.parse(dtype);
        Variable x = T.tensor(dt, new long[]{-1, -1}, "x"), a = T.tensor(dt, new long[]{}, "a"),
                b = T.tensor(dt, new long[]{-1}, "b"), c = T.tensor(dt, new long[]{}, "c");
        Variable out = chain().apply(x, a, b, c);
        Function f = Parity.simd(List.of(x, a, b, c), List.of(out));
        assertTrue(f.describe().contains("vector " + dtype), f.describe());
        Random r = new Random(7);
        int rows = 37, cols = 129;
        NDArray xs = Parity.random(r, dt, new long[]{rows, cols}, -3, 3, Lay.TRANSPOSED);
        NDArray bs = Parity.random(r, dt, new long[]{cols}, -1, 1, Lay.STRIDED);
        NDArray av = NDArray.scalar(dt, 0.75), cv = NDArray.scalar(dt, -1.25);
        NDArray got = f.callAll(xs, av, bs, cv).get(0);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) {
            double v = xs.getDouble(i, j), want = Math.tanh(0.75 * v + bs.getDouble(j)) * -1.25 + Math.exp(-v * v);
            assertEquals(want, got.getDouble(i, j), dt == DType.FLOAT32 ? 4e-6 : 1e-14, "at " + i + "," + j);
        }
        Parity.both(List.of(x, a, b, c), List.of(out), new Object[]{xs, av, bs, cv}, 8, "chain " + dtype);
    }

    /** A random expression of bounded ops; comparisons only read inputs, so they cannot flip on rounding differences. */
    static Composite randomExpression(Random r, int nIn, int length, int nOut, boolean boolOut) {
        List<Instr> body = new ArrayList<>();
        List<Integer> floats = new ArrayList<>();
        for (int i = 0; i < nIn; i++) floats.add(i);
        ScalarOp[] unary = {ScalarOp.TANH, ScalarOp.SIN, ScalarOp.COS, ScalarOp.SIGMOID, ScalarOp.ABS, ScalarOp.NEG, ScalarOp.SQR};
        ScalarOp[] binary = {ScalarOp.ADD, ScalarOp.SUB, ScalarOp.MUL, ScalarOp.MAXIMUM, ScalarOp.MINIMUM};
        for (int k = 0; k < length; k++) {
            int id = nIn + body.size();
            int pick = r.nextInt(10);
            int a = floats.get(r.nextInt(floats.size())), b = floats.get(r.nextInt(floats.size()));
            if (pick < 3) body.add(new Instr(unary[r.nextInt(unary.length)], new int[]{a}, null));
            else if (pick < 8) body.add(new Instr(binary[r.nextInt(binary.length)], new int[]{a, b}, null));
            else {
                // switch(x_i < x_j, a, b): a mask from inputs only
                body.add(new Instr(ScalarOp.LT, new int[]{r.nextInt(nIn), r.nextInt(nIn)}, null));
                body.add(new Instr(ScalarOp.SWITCH, new int[]{id, a, b}, null));
                id++;
            }
            // keep magnitudes bounded: squash every few steps
            if (k % 4 == 3) { body.add(new Instr(ScalarOp.TANH, new int[]{id}, null)); id++; }
            floats.add(id);
        }
        int[] outs = new int[nOut];
        for (int j = 0; j < nOut; j++) outs[j] = floats.get(floats.size() - 1 - j * 3) - nIn;
        if (boolOut) {
            body.add(new Instr(ScalarOp.GT, new int[]{0, 1}, null));
            outs[nOut - 1] = body.size() - 1;
        }
        return new Composite(nIn, body, outs);
    }

    @ParameterizedTest @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void longRandomExpressionsSplitIntoStages(int seed) {
        Random r = new Random(seed);
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Composite c = randomExpression(r, 3, 10 + seed * 6, 3, seed % 2 == 0);
            Variable[] in = new Variable[3];
            Object[] args = new Object[3];
            for (int i = 0; i < 3; i++) {
                in[i] = T.tensor(dt, i == 2 ? new long[]{-1} : new long[]{-1, -1}, "x" + i);
                args[i] = Parity.random(r, dt, i == 2 ? new long[]{2100} : new long[]{3, 2100}, -2, 2, i == 0 ? Lay.TRANSPOSED : Lay.CONTIGUOUS);
            }
            List<Variable> outs = c.make(in).outputs();
            Function f = Parity.simd(List.of(in), outs);
            String d = f.describe();
            if (c.body().size() > 20) assertTrue(d.contains(" stages "), "a long expression is split: " + d);
            List<NDArray> s = f.callAll(args);
            List<NDArray> ref = Parity.reference(List.of(in), outs).callAll(args);
            for (int j = 0; j < outs.size(); j++) Parity.near(s.get(j), ref.get(j), dt == DType.FLOAT32 ? 1e-5 : 1e-13, c.expression() + " output " + j);
        }
    }

    /**
     * A staged kernel runs its stages block by block along the row; an input read as one broadcast value (a scalar,
     * or a column along its rows) must stay on that value in every block, not move with the block.
     */
    @ParameterizedTest @ValueSource(ints = {1, 2, 3})
    void stagedExpressionsReadBroadcastInputsInEveryBlock(int seed) {
        Random r = new Random(100 + seed);
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Composite c = randomExpression(r, 3, 40, 2, false);
            Variable x = T.tensor(dt, new long[]{-1, -1}, "x"), s = T.tensor(dt, new long[]{}, "s"), col = T.tensor(dt, new long[]{-1, 1}, "col");
            long cols = 3L * VectorPlan.BLOCK + 17;
            Object[] args = {Parity.random(r, dt, new long[]{3, cols}, -2, 2, seed == 1 ? Lay.TRANSPOSED : Lay.CONTIGUOUS),
                    NDArray.scalar(dt, 0.625), Parity.random(r, dt, new long[]{3, 1}, -2, 2, Lay.CONTIGUOUS)};
            List<Variable> outs = c.make(x, s, col).outputs();
            Function f = Parity.simd(List.of(x, s, col), outs);
            assertTrue(f.describe().contains(" stages "), "a long expression is split: " + f.describe());
            List<NDArray> got = f.callAll(args);
            List<NDArray> ref = Parity.reference(List.of(x, s, col), outs).callAll(args);
            for (int j = 0; j < outs.size(); j++) Parity.near(got.get(j), ref.get(j), dt == DType.FLOAT32 ? 1e-5 : 1e-13, c.expression() + " output " + j);
        }
        // the same through fusion: x <- sin(x) * 1.5 + cos(x), four times over, on a vector longer than a block
        Variable v = T.dvector("v");
        Variable e = v;
        for (int i = 0; i < 4; i++) e = T.add(T.mul(T.sin(e), 1.5), T.cos(e));
        double[] data = new double[5000];
        for (int i = 0; i < data.length; i++) data[i] = i * 1e-3 - 2;
        NDArray got = Parity.simd(List.of(v), List.of(e)).callAll((Object) data).get(0);
        for (int i = 0; i < data.length; i++) {
            double want = data[i];
            for (int k = 0; k < 4; k++) want = Math.sin(want) * 1.5 + Math.cos(want);
            assertEquals(want, got.flatDouble(i), 1e-13, "element " + i);
        }
    }

    @Test void expressionsWithoutAVectorFormRunAScalarKernelAndSaySo() {
        Variable x = T.dvector("x"), i = T.ivector("i");
        Composite c = new Composite(2, List.of(new Instr(ScalarOp.ERF, new int[]{0}, null), new Instr(ScalarOp.MUL, new int[]{2, 1}, null)), new int[]{1});
        Variable out = c.apply(x, i);
        Function f = Parity.simd(List.of(x, i), List.of(out));
        assertTrue(f.describe().contains("scalar loop") && f.describe().contains("int32"), f.describe());
        Parity.both(List.of(x, i), List.of(out), new Object[]{new double[]{-1, 0.5, 2}, new int[]{3, -4, 5}}, 0, "erf(x) * i");
        Variable y = T.dvector("y");
        Function g = Parity.simd(List.of(y), List.of(T.erf(y)));
        assertTrue(g.describe().contains("erf has no vector form"), g.describe());
        Function h = Parity.simd(List.of(y), List.of(T.sigmoid(y)));
        assertTrue(h.describe().contains("composed: sigmoid from EXP"), h.describe());
    }

    @Test void int64StaysExactThroughSwitchCastAndSecond() {
        Variable c = T.dvector("c"), a = T.lvector("a"), b = T.lvector("b");
        long big = (1L << 62) + 3;
        Object[] args = {new double[]{0.5, 0}, new long[]{big, 1}, new long[]{2, big}};
        // the unfused switch is exact on the reference backend too
        NDArray e = Parity.both(List.of(c, a, b), List.of(T.switch_(c, a, b)), args, 0, "switch").get(0);
        assertArrayEquals(new long[]{big, big}, e.toLongArray());
        // fused, the simd kernel keeps the same exactness (Composite's reference perform takes a float condition
        // through doubles and rounds these values to 2^62, so it is not the oracle here: the unfused graph is)
        Composite sw = new Composite(3, List.of(new Instr(ScalarOp.SWITCH, new int[]{0, 1, 2}, null)), new int[]{0});
        NDArray r = Parity.simd(List.of(c, a, b), List.of(sw.apply(c, a, b))).callAll(args).get(0);
        assertArrayEquals(new long[]{big, big}, r.toLongArray());
        Variable x = T.fvector("x");
        NDArray s = Parity.simd(List.of(x, a), List.of(T.fill(x, a))).callAll(new float[]{1, 2}, new long[]{big, -big}).get(0);
        assertArrayEquals(new long[]{big, -big}, s.toLongArray());
    }

    @Test void aSecondFunctionWithTheSameWorkGeneratesNothing() {
        Variable x = T.fmatrix("x"), y = T.fmatrix("y");
        Composite c = new Composite(2, List.of(new Instr(ScalarOp.MUL, new int[]{0, 1}, null), new Instr(ScalarOp.COSH, new int[]{2}, null)), new int[]{1});
        Parity.simd(List.of(x, y), List.of(c.apply(x, y))).callAll(new float[][]{{1}}, new float[][]{{2}});
        int before = KernelCache.generated();
        Variable u = T.fmatrix("u"), v = T.fmatrix("v");
        Function again = Parity.simd(List.of(u, v), List.of(c.apply(u, v)));
        again.callAll(new float[][]{{1, 2}}, new float[][]{{3, 4}});
        assertEquals(before, KernelCache.generated(), "same expression, dtypes and layout: the cached kernel is reused");
    }

    @Test void severalOutputsAndBoolOutputs() {
        Variable x = T.fvector("x"), y = T.fvector("y");
        Composite c = new Composite(2, List.of(
                new Instr(ScalarOp.ADD, new int[]{0, 1}, null),
                new Instr(ScalarOp.GT, new int[]{2, 0}, null),
                new Instr(ScalarOp.SWITCH, new int[]{3, 2, 1}, null),
                new Instr(ScalarOp.ISNAN, new int[]{4}, null)), new int[]{0, 1, 2, 3});
        Random r = new Random(3);
        NDArray xs = Parity.random(r, DType.FLOAT32, new long[]{77}, -2, 2, Lay.STRIDED), ys = Parity.random(r, DType.FLOAT32, new long[]{77}, -2, 2, Lay.CONTIGUOUS);
        ys.setFlatDouble(5, Double.NaN);
        Parity.both(List.of(x, y), c.make(x, y).outputs(), new Object[]{xs, ys}, 0, "four outputs");
    }

    @Test void dumpWritesReadableSource(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String old = System.getProperty("theon.simd.dump");
        System.setProperty("theon.simd.dump", dir.toString());
        try {
            Variable x = T.dvector("x");
            // an expression no other test generates, so a new kernel is written
            Composite c = new Composite(1, List.of(new Instr(ScalarOp.ARCTAN, new int[]{0}, null), new Instr(ScalarOp.COSH, new int[]{1}, null),
                    new Instr(ScalarOp.SINH, new int[]{2}, null)), new int[]{2});
            Function f = Parity.simd(List.of(x), List.of(c.apply(x)));
            f.call(new double[]{0.5, 1, 2});
            try (var files = Files.list(dir)) {
                String all = String.join("\n", files.map(p -> {
                    try { return Files.readString(p); } catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
                }).toList());
                assertTrue(all.contains("lanewise(ATAN)") && all.contains("DoubleVector.fromMemorySegment") && all.contains("indexInRange"), all);
            }
        } finally {
            if (old == null) System.clearProperty("theon.simd.dump"); else System.setProperty("theon.simd.dump", old);
        }
    }
}
