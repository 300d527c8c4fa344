package dev.theon.simd;

import dev.theon.T;
import dev.theon.graph.Variable;
import dev.theon.ops.Elemwise;
import dev.theon.ops.ScalarOp;
import dev.theon.simd.Parity.Lay;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.theon.tensor.DType.*;

/**
 * Every entry of the scalar table, as an Elemwise node, on the simd backend against the reference backend: float and
 * integer and bool dtypes and their mixes, broadcasting of rows, columns and scalars, transposed and strided operands,
 * lengths around the vector width, empty arrays and an array large enough to be split among threads. Arithmetic must
 * agree bit for bit (float32 rounds where the reference rounds); functions computed by the Vector API's math library,
 * or composed from it, within a few ulps.
 */
class ElemwiseParityTest {
    // small arrays take the multi-threaded paths too (in production a thread must get ~a millisecond of work)
    @org.junit.jupiter.api.BeforeAll static void splitSmallWork() { Pool.splitDivisor = 64; }
    @org.junit.jupiter.api.AfterAll static void splitOnlyLargeWork() { Pool.splitDivisor = 1; }

    static final DType F = FLOAT32, D = FLOAT64;

    /** Ulps allowed for an op on floats: 0 where the result is exactly rounded on both sides. */
    static double ulps(ScalarOp op, DType dt) {
        return switch (op) {
            case EXP, EXPM1, LOG, LOG1P, LOG10, SIN, COS, TAN, ARCSIN, ARCCOS, ARCTAN, SINH, COSH, TANH, POW -> dt == F ? 4 : 4;
            case LOG2, SIGMOID, SOFTPLUS -> dt == F ? 8 : 8;
            default -> 0;
        };
    }

    /** Operand values where the op is defined and well-conditioned. */
    static double[] domain(ScalarOp op) {
        return switch (op) {
            case LOG, LOG2, LOG10, SQRT -> new double[]{0.01, 5};
            case LOG1P -> new double[]{-0.9, 5};
            case ARCSIN, ARCCOS -> new double[]{-0.99, 0.99};
            case POW -> new double[]{0.1, 3};
            case TAN -> new double[]{-1.2, 1.2};
            case SINH, COSH, EXP, EXPM1 -> new double[]{-20, 20};
            default -> new double[]{-4, 4};
        };
    }

    static List<DType[]> dtypes(ScalarOp op) {
        List<DType[]> r = new ArrayList<>();
        switch (op.arity()) {
            case 1 -> { for (DType d : new DType[]{F, D, INT32, INT64, INT8, BOOL}) r.add(new DType[]{d}); }
            case 2 -> {
                for (DType[] p : new DType[][]{{F, F}, {D, D}, {F, D}, {INT32, INT64}, {INT8, F}, {BOOL, BOOL}, {F, BOOL}, {INT64, INT64}, {INT16, INT32}}) r.add(p);
            }
            default -> {
                if (op == ScalarOp.SWITCH) for (DType[] p : new DType[][]{{BOOL, F, F}, {D, D, D}, {INT32, INT64, INT64}, {BOOL, BOOL, BOOL}, {BOOL, F, D}}) r.add(p);
                else for (DType[] p : new DType[][]{{F, F, F}, {D, D, D}, {INT32, INT32, INT32}}) r.add(p);
            }
        }
        return r;
    }

    /** Static shapes of the operands (-1 unknown, 1 broadcastable) and the concrete shapes of one case. */
    record Case(String name, long[][] types, long[][] shapes, Lay firstLayout) {}

    static List<Case> cases(int arity) {
        List<Case> c = new ArrayList<>();
        long[] m = {-1, -1};
        c.add(new Case("same shape 3x37", rep(m, arity), rep(new long[]{3, 37}, arity), Lay.CONTIGUOUS));
        c.add(new Case("lengths around the vector width", rep(new long[]{-1}, arity), rep(new long[]{17}, arity), Lay.CONTIGUOUS));
        c.add(new Case("transposed first operand", rep(m, arity), rep(new long[]{5, 19}, arity), Lay.TRANSPOSED));
        c.add(new Case("strided first operand", rep(m, arity), rep(new long[]{4, 21}, arity), Lay.STRIDED));
        c.add(new Case("empty", rep(m, arity), rep(new long[]{0, 5}, arity), Lay.CONTIGUOUS));
        if (arity >= 2) {
            c.add(new Case("row broadcast", withLast(rep(m, arity), new long[]{-1}), withLast(rep(new long[]{6, 33}, arity), new long[]{33}), Lay.CONTIGUOUS));
            c.add(new Case("column broadcast", withLast(rep(m, arity), new long[]{-1, 1}), withLast(rep(new long[]{6, 33}, arity), new long[]{6, 1}), Lay.CONTIGUOUS));
            c.add(new Case("scalar operand", withLast(rep(m, arity), new long[]{}), withLast(rep(new long[]{6, 33}, arity), new long[]{}), Lay.TRANSPOSED));
            c.add(new Case("all scalars", rep(new long[]{}, arity), rep(new long[]{}, arity), Lay.CONTIGUOUS));
        }
        return c;
    }

    static long[][] rep(long[] s, int n) { long[][] r = new long[n][]; Arrays.fill(r, s); return r; }
    static long[][] withLast(long[][] a, long[] last) { long[][] r = a.clone(); r[r.length - 1] = last; return r; }

    static boolean refused(ScalarOp op, DType[] dts) {
        boolean allBool = Arrays.stream(dts).allMatch(d -> d == BOOL);
        return allBool && (op == ScalarOp.SUB || op == ScalarOp.NEG);
    }

    @TestFactory Stream<DynamicTest> everyScalarOpOnBothBackends() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ScalarOp op : ScalarOp.values()) {
            for (DType[] dts : dtypes(op)) {
                if (refused(op, dts)) continue;
                for (Case k : cases(op.arity())) {
                    String name = op.fname() + Arrays.toString(dts) + " " + k.name;
                    tests.add(DynamicTest.dynamicTest(name, () -> run(op, dts, k, name)));
                }
            }
        }
        return tests.stream();
    }

    static void run(ScalarOp op, DType[] dts, Case k, String name) {
        Random r = new Random(name.hashCode());
        double[] dom = domain(op);
        Variable[] vars = new Variable[dts.length];
        Object[] args = new Object[dts.length];
        for (int i = 0; i < dts.length; i++) {
            vars[i] = T.tensor(dts[i], k.types[i], "x" + i);
            NDArray a = Parity.random(r, dts[i], k.shapes[i], dom[0], dom[1], i == 0 ? k.firstLayout : Lay.CONTIGUOUS);
            if (dts[i].isFloat() && a.size() > 4 && dom[0] < 0) sprinkleSpecials(a);
            args[i] = a;
        }
        Variable out = new Elemwise(op).apply(vars);
        DType outType = out.dtype();
        Parity.both(List.of(vars), List.of(out), args, ulps(op, outType), name);
    }

    /** Special values at a few positions: NaN, infinities, signed zeros, halves (for round half-even). */
    static void sprinkleSpecials(NDArray a) {
        double[] sp = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, 2.5, -0.5, 1.5};
        long n = a.size();
        for (int i = 0; i < sp.length && i < n; i++) a.setFlatDouble((i * 7L) % n, sp[i]);
    }

    /** Values at the edges of an integer dtype, where wrapping, division by zero and float conversion show. */
    static long[] extremes(DType dt) {
        long min = switch (dt) { case INT8 -> Byte.MIN_VALUE; case INT16 -> Short.MIN_VALUE; case INT32 -> Integer.MIN_VALUE; default -> Long.MIN_VALUE; };
        long max = switch (dt) { case INT8 -> Byte.MAX_VALUE; case INT16 -> Short.MAX_VALUE; case INT32 -> Integer.MAX_VALUE; default -> Long.MAX_VALUE; };
        List<Long> v = new ArrayList<>(List.of(min, min + 1, -3L, -2L, -1L, 0L, 1L, 2L, 3L, 7L, max - 1, max));
        if (dt == INT16 || dt == INT32 || dt == INT64) v.add(dt == INT16 ? 182L : dt == INT32 ? 46341L : 3037000500L);  // squares just past max
        if (dt == INT64) v.addAll(List.of((1L << 53) + 1, -(1L << 53) - 1, (1L << 62) + 3));              // not exact as doubles
        return v.stream().mapToLong(Long::longValue).toArray();
    }

    static NDArray column(DType dt, long[] values, boolean row) {
        NDArray a = NDArray.zeros(dt, row ? new long[]{1, values.length} : new long[]{values.length, 1});
        for (int i = 0; i < values.length; i++) a.writeLong(i, values[i]);
        return a;
    }

    /**
     * Every op over integer operands at the edges of their dtypes, every pair of values (a column against a row):
     * overflow wraps, division and modulo by zero, powers, and int64 values a double cannot hold must come out as the
     * reference computes them; where the reference raises, simd raises the same error.
     */
    @TestFactory Stream<DynamicTest> integerExtremesOnBothBackends() {
        DType[][] pairs = {{INT8, INT8}, {INT16, INT16}, {INT32, INT32}, {INT64, INT64}, {INT8, INT64}, {INT16, INT32}};
        List<DynamicTest> tests = new ArrayList<>();
        for (ScalarOp op : ScalarOp.values()) {
            for (DType[] p : pairs) {
                if (op.arity() == 1 && p[0] != p[1]) continue;
                DType[] dts = op.arity() == 1 ? new DType[]{p[0]} : op.arity() == 2 ? p
                        : op == ScalarOp.SWITCH ? new DType[]{p[0], p[1], p[1]} : new DType[]{p[0], p[1], p[1]};
                String name = op.fname() + Arrays.toString(dts) + " at the dtypes' extremes";
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    Variable[] vars = new Variable[dts.length];
                    Object[] args = new Object[dts.length];
                    for (int i = 0; i < dts.length; i++) {
                        boolean row = i == 1;
                        vars[i] = T.tensor(dts[i], row ? new long[]{1, -1} : new long[]{-1, 1}, "x" + i);
                        args[i] = column(dts[i], extremes(dts[i]), row);
                    }
                    Variable out = new Elemwise(op).apply(vars);
                    List<Variable> in = List.of(vars);
                    List<NDArray> ref;
                    try {
                        ref = Parity.reference(in, List.of(out)).callAll(args);
                    } catch (RuntimeException e) {
                        org.junit.jupiter.api.Assertions.assertThrows(e.getClass(), () -> Parity.simd(in, List.of(out)).callAll(args),
                                name + ": the reference raises " + e.getMessage());
                        return;
                    }
                    NDArray got = Parity.simd(in, List.of(out)).callAll(args).get(0);
                    Parity.close(got, ref.get(0), ulps(op, out.dtype()), name);
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory Stream<DynamicTest> largeArraysSplitAmongThreads() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ScalarOp op : new ScalarOp[]{ScalarOp.ADD, ScalarOp.TANH, ScalarOp.LT, ScalarOp.SWITCH, ScalarOp.MUL}) {
            for (DType dt : new DType[]{F, D, INT32}) {
                String name = op.fname() + " " + dt + " over 300001 elements";
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    DType[] dts = new DType[op.arity()];
                    Arrays.fill(dts, dt);
                    if (op == ScalarOp.SWITCH) dts[0] = BOOL;
                    long[][] types = rep(new long[]{-1}, op.arity()), shapes = rep(new long[]{300001}, op.arity());
                    run(op, dts, new Case(name, types, shapes, Lay.CONTIGUOUS), name);
                    long[][] types2 = rep(new long[]{-1, -1}, op.arity()), shapes2 = rep(new long[]{601, 499}, op.arity());
                    run(op, dts, new Case(name, types2, shapes2, Lay.TRANSPOSED), name + ", transposed");
                }));
            }
        }
        return tests.stream();
    }
}
