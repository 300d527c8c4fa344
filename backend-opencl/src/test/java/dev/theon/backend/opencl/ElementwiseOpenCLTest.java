package dev.theon.backend.opencl;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.ops.Composite;
import dev.theon.ops.Composite.Instr;
import dev.theon.ops.Elemwise;
import dev.theon.ops.ScalarOp;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every entry of the scalar table, generated as OpenCL C, against the reference backend: each dtype's ops are the
 * outputs of one function (one program build), on inputs with zeros, infinities and NaN, in strided layouts.
 */
class ElementwiseOpenCLTest {
    static final double F32 = 2e-6, F64 = 1e-13;

    @BeforeAll static void device() { OpenCLAvailable.require(); }

    /** float32 results (from float32, int8, int16 and bool inputs) are compared at float32 precision. */
    static double rtol(DType d) { return d == DType.FLOAT64 || d == DType.INT32 || d == DType.INT64 ? F64 : F32; }

    /**
     * One fused node computing every op in {@code ops} from the same inputs, one output each: one kernel for the
     * lot, so a test covers the whole table without compiling a kernel per entry.
     */
    static List<Variable> fused(List<ScalarOp> ops, Variable... in) {
        List<Instr> body = new ArrayList<>();
        int[] outs = new int[ops.size()];
        for (int k = 0; k < ops.size(); k++) {
            int[] args = new int[ops.get(k).arity()];
            for (int j = 0; j < args.length; j++) args[j] = j;
            body.add(new Instr(ops.get(k), args, null));
            outs[k] = k;
        }
        return new Composite(in.length, body, outs).make(in).outputs();
    }

    /** The table's unary entries that accept {@code d}. */
    static List<ScalarOp> unary(DType d) {
        List<ScalarOp> ops = new ArrayList<>();
        for (ScalarOp op : ScalarOp.values()) {
            if (op.arity() != 1) continue;
            if (d == DType.BOOL && op == ScalarOp.NEG) continue;
            ops.add(op);
        }
        return ops;
    }

    private static void unaryOn(DType d, List<ScalarOp> ops) {
        Variable x = T.tensor(d, 2, "x");
        List<Variable> outs = fused(ops, x);
        // a transposed view: the kernel reads through strides
        NDArray value = Both.random(d, new Random(1), true, 7, 5).transpose();
        Both.check(List.of(x), outs, new Object[]{value}, rtol(d), 1e-6);
    }

    @Test void unaryFloat32() { unaryOn(DType.FLOAT32, unary(DType.FLOAT32)); }

    @Test void unaryFloat64() { unaryOn(DType.FLOAT64, unary(DType.FLOAT64)); }

    @Test void unaryInt32() { unaryOn(DType.INT32, unary(DType.INT32)); }

    @Test void unaryNarrowIntegersAndBool() {
        Set<ScalarOp> closed = EnumSet.of(ScalarOp.NEG, ScalarOp.ABS, ScalarOp.SGN, ScalarOp.SQR, ScalarOp.NOT, ScalarOp.ISNAN,
                ScalarOp.IDENTITY, ScalarOp.SQRT, ScalarOp.EXP);
        for (DType d : List.of(DType.INT8, DType.INT64, DType.BOOL)) unaryOn(d, unary(d).stream().filter(closed::contains).toList());
    }

    private static void binaryOn(DType a, DType b, boolean fusedNode) {
        Variable x = T.tensor(a, 2, "x"), y = T.tensor(b, 2, "y");
        List<ScalarOp> ops = new ArrayList<>();
        for (ScalarOp op : ScalarOp.values()) {
            if (op.arity() != 2) continue;
            if (op == ScalarOp.SUB && DType.promote(a, b) == DType.BOOL) continue;
            ops.add(op);
        }
        List<Variable> outs = new ArrayList<>();
        if (fusedNode) outs = fused(ops, x, y);
        else for (ScalarOp op : ops) outs.add(new Elemwise(op).apply(x, y));
        Random rnd = new Random(2);
        NDArray va = Both.random(a, rnd, true, 6, 4), vb = Both.random(b, rnd, true, 4, 6).transpose();
        DType out = DType.promote(a, b);
        Both.check(List.of(x, y), outs, new Object[]{va, vb}, rtol(out), 1e-6);
    }

    /** One Elemwise node (and kernel) per op: the path graphs take before fusion. */
    @Test void binaryFloat32AsSeparateNodes() { binaryOn(DType.FLOAT32, DType.FLOAT32, false); }

    @Test void binaryFloat64() { binaryOn(DType.FLOAT64, DType.FLOAT64, true); }

    @Test void binaryIntegersExact() {
        binaryOn(DType.INT32, DType.INT32, true);
        binaryOn(DType.INT64, DType.INT8, true);
    }

    @Test void binaryMixedAndBool() {
        binaryOn(DType.FLOAT32, DType.INT32, true);
        binaryOn(DType.BOOL, DType.BOOL, true);
        binaryOn(DType.INT16, DType.BOOL, true);
    }

    @Test void int64StaysExactBeyondDoubles() {
        Variable x = T.tensor(DType.INT64, 1, "x"), y = T.tensor(DType.INT64, 1, "y");
        long big = (1L << 53) + 1;
        NDArray vx = NDArray.of(big, -big, Long.MAX_VALUE, Long.MIN_VALUE), vy = NDArray.of(1L, 3L, -1L, -1L);
        Both.check(List.of(x, y), List.of(T.add(x, y), T.mul(x, y), T.intDiv(x, y), T.mod(x, y), new Elemwise(ScalarOp.SECOND).apply(T.cast(x, DType.FLOAT32), x)),
                new Object[]{vx, vy}, 0, 0);
    }

    @Test void ternarySwitchAndClip() {
        Variable c = T.tensor(DType.BOOL, 2, "c"), fc = T.tensor(DType.FLOAT32, 2, "fc"), x = T.tensor(DType.FLOAT32, 2, "x"),
                y = T.tensor(DType.FLOAT32, 2, "y"), i = T.tensor(DType.INT32, 2, "i");
        Random rnd = new Random(3);
        Object[] args = {Both.random(DType.BOOL, rnd, false, 3, 4), Both.random(DType.FLOAT32, rnd, true, 3, 4), Both.random(DType.FLOAT32, rnd, true, 3, 4),
                Both.random(DType.FLOAT32, rnd, true, 3, 4), Both.random(DType.INT32, rnd, false, 3, 4)};
        Both.check(List.of(c, fc, x, y, i), List.of(T.switch_(c, x, y), T.switch_(fc, i, y), T.switch_(c, i, T.neg(i)),
                T.clip(x, -1.0f, 2.0f), T.clip(i, -3, 5), new Elemwise(ScalarOp.CLIP).apply(x, y, T.abs(y))), args, F32, 1e-6);
    }

    @Test void castsBetweenEveryDtype() {
        double[] values = {0, -0.0, 1, -1, 2.5, -2.5, 127.9, 128.5, -129.7, 40000.2, -70000.8, 3e9, -3e9, 1e19, -1e19, 1e300,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1, 255, 256};
        List<DType> all = List.of(DType.BOOL, DType.INT8, DType.INT16, DType.INT32, DType.INT64, DType.FLOAT32, DType.FLOAT64);
        for (DType from : all) {
            Variable x = T.tensor(from, 1, "x");
            NDArray v = NDArray.zeros(from, values.length);
            for (int i = 0; i < values.length; i++) {
                if (from.isFloat()) v.setFlatDouble(i, values[i]);
                else v.writeLong(i, (long) values[i]);  // the long, narrowed like a store: wraps for narrow ints
            }
            List<Instr> casts = new ArrayList<>();
            for (DType to : all) casts.add(new Instr(ScalarOp.IDENTITY, new int[]{0}, to));
            List<Variable> outs = new ArrayList<>(new Composite(1, casts, new int[]{0, 1, 2, 3, 4, 5, 6}).make(x).outputs());
            if (from == DType.FLOAT32) outs.add(Elemwise.cast(DType.INT8).apply(x));  // and once as a cast node
            Both.check(List.of(x), outs, new Object[]{v}, 0, 0);
        }
    }

    @Test void broadcastingAndStridedInputs() {
        Variable a = T.tensor(DType.FLOAT32, new long[]{-1, 1, -1}, "a"), b = T.tensor(DType.FLOAT32, new long[]{-1, -1}, "b"),
                s = T.tensor(DType.FLOAT32, new long[]{}, "s"), r = T.tensor(DType.FLOAT32, new long[]{1, -1, 1, -1}, "r");
        Random rnd = new Random(4);
        NDArray va = Both.random(DType.FLOAT32, rnd, false, 4, 1, 3);
        NDArray vb = Both.random(DType.FLOAT32, rnd, false, 3, 10).slice(1, 1, 10, 2).transpose();  // (5, 3), strides (2, 10)
        NDArray vs = NDArray.of(1.5f);
        NDArray vr = Both.random(DType.FLOAT32, rnd, false, 1, 4, 1, 3);
        Variable e = T.tanh(T.add(T.mul(a, b), s));               // (4, 5, 3)
        Variable f = T.sub(T.mul(r, e), T.div(b, T.add(s, 1.0f))); // (1, 4, 5, 3)
        Both.check(List.of(a, b, s, r), List.of(e, f, T.mul(s, s), T.add(b, s)), new Object[]{va, vb, vs, vr}, F32, 1e-6);
    }

    /** Random ranks, shapes, broadcast patterns and layouts through one expression; kernels are reused across shapes. */
    @Test void randomShapesBroadcastsAndStrides() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 24; trial++) {
            DType d = trial % 3 == 2 ? DType.FLOAT64 : DType.FLOAT32;
            int rank = rnd.nextInt(5);
            long[] full = new long[rank];
            for (int k = 0; k < rank; k++) full[k] = 1 + rnd.nextInt(5);
            Variable[] v = new Variable[3];
            NDArray[] val = new NDArray[3];
            for (int i = 0; i < 3; i++) {
                int r = rank == 0 ? 0 : rank - rnd.nextInt(Math.min(2, rank) + 1);
                long[] st = new long[r], sh = new long[r];
                for (int k = 0; k < r; k++) {
                    boolean bc = rnd.nextInt(3) == 0;
                    sh[k] = bc ? 1 : full[rank - r + k];
                    st[k] = sh[k] == 1 ? 1 : -1;
                }
                v[i] = T.tensor(d, st, "v" + i);
                val[i] = layout(Both.random(d, rnd, false, sh), rnd);
            }
            Variable out = T.add(T.mul(T.tanh(v[0]), v[1]), T.div(v[2], T.add(T.sqr(v[1]), 1.0)));
            Both.check(List.of(v[0], v[1], v[2]), List.of(out, T.exp(T.neg(T.sqr(v[0])))), val, d == DType.FLOAT32 ? 1e-5 : F64, 1e-6);
        }
    }

    /** The same values in a random layout: reversed axes, or a strided slice of a larger array. */
    private static NDArray layout(NDArray a, Random rnd) {
        if (a.ndim() < 2) return a;
        return switch (rnd.nextInt(3)) {
            case 0 -> a;
            case 1 -> a.transpose().copy().transpose();  // same shape, reversed strides
            default -> {
                long[] s = a.shape();
                long[] big = s.clone();
                big[0] = 2 * s[0];
                NDArray b = NDArray.zeros(a.dtype(), big);
                NDArray view = b.slice(0, 0, big[0], 2);
                a.copyInto(view);
                yield view;
            }
        };
    }

    @Test void fusedCompositeWithSeveralOutputsAndCasts() {
        Variable x = T.tensor(DType.FLOAT32, 2, "x"), n = T.tensor(DType.INT32, 2, "n");
        // out0 = tanh(x * x + n) as float32, out1 = (x > 0) as bool, out2 = n // 3 as int8
        Composite c = new Composite(2, List.of(
                new Instr(ScalarOp.MUL, new int[]{0, 0}, null),
                new Instr(ScalarOp.ADD, new int[]{2, 1}, DType.FLOAT32),
                new Instr(ScalarOp.TANH, new int[]{3}, null),
                new Instr(ScalarOp.GT, new int[]{0, 1}, null),
                new Instr(ScalarOp.INT_DIV, new int[]{1, 1}, DType.INT8)), new int[]{2, 3, 4});
        List<Variable> outs = c.make(x, n).outputs();
        Random rnd = new Random(6);
        Function f = Both.check(List.of(x, n), outs, new Object[]{Both.random(DType.FLOAT32, rnd, true, 5, 3), Both.random(DType.INT32, rnd, false, 5, 3)}, F32, 1e-6);
        assertTrue(f.describe().contains("composite{"), f.describe());
    }

    @Test void emptyArraysAndScalars() {
        Variable x = T.tensor(DType.FLOAT32, 2, "x"), s = T.fscalar("s");
        Function f = Both.check(List.of(x, s), List.of(T.add(x, s), T.exp(s)), new Object[]{NDArray.zeros(DType.FLOAT32, 0, 3), NDArray.of(2f)}, F32, 0);
        assertEquals(0, f.callAll(NDArray.zeros(DType.FLOAT32, 4, 0), 1f).get(0).size());
    }

    @Test void broadcastErrorsNameTheNode() {
        Variable x = T.tensor(DType.FLOAT32, 2, "x"), y = T.tensor(DType.FLOAT32, 2, "y");
        Function f = Theon.function(List.of(x, y), T.add(x, y), Theon.options().backend("opencl"));
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.theon.TheonException.ShapeError.class,
                () -> f.call(NDArray.zeros(DType.FLOAT32, 2, 3), NDArray.zeros(DType.FLOAT32, 1, 3)));
        assertTrue(e.getMessage().contains("does not declare that axis broadcastable") && e.getMessage().contains("in node add"), e.getMessage());
    }
}
