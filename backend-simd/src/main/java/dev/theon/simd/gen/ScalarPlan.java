package dev.theon.simd.gen;

import dev.theon.ops.Composite;
import dev.theon.ops.ScalarOp;
import dev.theon.tensor.DType;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * A fused expression as a scalar loop body, for expressions with no vector form (integers, mixed precisions, erf,
 * floor division...). It follows the reference evaluation of {@link Composite} value by value: a discrete value is
 * held as a long and an instruction whose inputs and result are discrete runs the table's exact int64 function,
 * then is narrowed to its dtype; otherwise the instruction runs in double and is rounded to float32 or converted to
 * the integer dtype as storing it would. {@code switch}, casts and {@code second} move values without converting
 * them through double, so int64 stays exact. Every operation is a call of a small static method of
 * {@link ScalarFns}, which C2 inlines.
 */
final class ScalarPlan {
    /** A value's representation: 'J' long, 'D' double, 'Z' boolean. */
    sealed interface Stmt {}
    record Load(int input, int value, DType dtype) implements Stmt {}
    /** {@code value = ScalarFns.method(args)}; {@code table} (not null) is passed first, for the generic table call. */
    record Call(String method, ScalarOp table, int[] args, char[] argReps, char ret, int value) implements Stmt {}
    record Store(int output, int value, DType dtype) implements Stmt {}

    final int nIn, nOut;
    final DType[] inDTypes, outDTypes;
    final List<Stmt> body = new ArrayList<>();
    final List<Character> reps = new ArrayList<>();  // by value id

    private ScalarPlan(ElemSpec spec) {
        nIn = spec.nInputs();
        nOut = spec.nOutputs();
        inDTypes = spec.inputs();
        outDTypes = new DType[nOut];
        for (int j = 0; j < nOut; j++) outDTypes[j] = spec.output(j);
    }

    static ScalarPlan of(ElemSpec spec) {
        ScalarPlan p = new ScalarPlan(spec);
        DType[] dt = spec.values();
        Composite c = spec.expr();
        int[] valueOf = new int[dt.length];
        for (int i = 0; i < p.nIn; i++) {
            valueOf[i] = p.newValue(dt[i].isDiscrete() ? 'J' : 'D');
            p.body.add(new Load(i, valueOf[i], dt[i]));
        }
        for (int k = 0; k < c.body().size(); k++) {
            Composite.Instr ins = c.body().get(k);
            int[] a = new int[ins.op().arity()];
            DType[] ad = new DType[a.length];
            for (int i = 0; i < a.length; i++) { a[i] = valueOf[ins.arg(i)]; ad[i] = dt[ins.arg(i)]; }
            valueOf[p.nIn + k] = p.lower(ins.op(), a, ad, dt[p.nIn + k]);
        }
        for (int j = 0; j < p.nOut; j++) {
            int o = c.nInputs() + c.outputs()[j];
            p.body.add(new Store(j, valueOf[o], dt[o]));
        }
        return p;
    }

    private int newValue(char rep) { reps.add(rep); return reps.size() - 1; }

    private int call(String method, ScalarOp table, int[] args, char ret) {
        char[] ar = new char[args.length];
        for (int i = 0; i < args.length; i++) ar[i] = reps.get(args[i]);
        int v = newValue(ret);
        body.add(new Call(method, table, args, ar, ret, v));
        return v;
    }

    private int asDouble(int v) { return reps.get(v) == 'D' ? v : call("l2d", null, new int[]{v}, 'D'); }
    private int asLong(int v) { return reps.get(v) == 'J' ? v : call("toLong", null, new int[]{v}, 'J'); }
    private int truth(int v) { return call(reps.get(v) == 'J' ? "truthL" : "truthD", null, new int[]{v}, 'Z'); }

    /** A value of dtype {@code from} converted as the reference stores it into dtype {@code to}. */
    private int convert(int v, DType from, DType to) {
        if (to.isDiscrete()) {
            if (!from.isDiscrete()) v = call(to == DType.BOOL ? "toBool" : "toLong", null, new int[]{v}, 'J');
            return wrap(v, to);
        }
        v = asDouble(v);
        return to == DType.FLOAT32 ? call("roundF32", null, new int[]{v}, 'D') : v;
    }

    private int wrap(int v, DType to) {
        return switch (to) {
            case BOOL -> call("wrapBool", null, new int[]{v}, 'J');
            case INT8 -> call("wrapInt8", null, new int[]{v}, 'J');
            case INT16 -> call("wrapInt16", null, new int[]{v}, 'J');
            case INT32 -> call("wrapInt32", null, new int[]{v}, 'J');
            default -> v;
        };
    }

    private int lower(ScalarOp op, int[] a, DType[] ad, DType rd) {
        switch (op) {
            case IDENTITY: return convert(a[0], ad[0], rd);
            case SECOND: return convert(a[1], ad[1], rd);
            case SWITCH: {
                int cond = truth(a[0]);
                if (rd.isDiscrete() && ad[1].isDiscrete() && ad[2].isDiscrete())
                    return wrap(call("selectL", null, new int[]{cond, a[1], a[2]}, 'J'), rd);
                int r = call("selectD", null, new int[]{cond, asDouble(a[1]), asDouble(a[2])}, 'D');
                return convert(r, DType.FLOAT64, rd);
            }
            default: break;
        }
        boolean integral = rd.isDiscrete() && op.longFn() != null;
        for (DType d : ad) integral &= d.isDiscrete();
        int[] args = new int[a.length];
        if (integral) {
            for (int i = 0; i < a.length; i++) args[i] = asLong(a[i]);
            String m = ScalarFns.lname(op);
            int r = has(m, long.class, a.length) ? call(m, null, args, 'J') : call("l_table", op, pad(args, 'J'), 'J');
            return wrap(r, rd);
        }
        for (int i = 0; i < a.length; i++) args[i] = asDouble(a[i]);
        String m = ScalarFns.dname(op);
        int r = has(m, double.class, a.length) ? call(m, null, args, 'D') : call("d_table", op, pad(args, 'D'), 'D');
        return convert(r, DType.FLOAT64, rd);
    }

    /** The generic table call takes three operands: unused ones repeat the first. */
    private static int[] pad(int[] args, char rep) {
        int[] r = new int[3];
        for (int i = 0; i < 3; i++) r[i] = args[Math.min(i, args.length - 1)];
        return r;
    }

    private static boolean has(String name, Class<?> type, int arity) {
        Class<?>[] params = new Class<?>[arity];
        java.util.Arrays.fill(params, type);
        try {
            Method m = ScalarFns.class.getMethod(name, params);
            return m.getReturnType() == type;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
