package dev.theon.simd.gen;

import dev.theon.ops.Composite;
import dev.theon.ops.ScalarOp;
import dev.theon.tensor.DType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fused expression lowered to Vector API operations, and split into stages: the plan that {@link VectorClassWriter}
 * turns into bytecode and {@link KernelSource} into readable source.
 * <p>
 * Every value is either a vector of the kernel's float dtype {@code f} or a mask (a bool value). Each instruction of
 * the expression becomes a few vector operations ({@link VOp}): most map to one Vector API call; those the Vector
 * API lacks are composed (sigmoid and softplus from EXP and LOG1P, floor/ceil/round from the 2^23 (2^52) rounding
 * trick, log2 from LOG, sign from compares and blends). Arithmetic is not contracted into FMA, so float results are
 * rounded exactly where the reference rounds them. An expression that needs an operation with no vector form
 * (erf, floor division, integers) is refused with the reason ({@link Unsupported}) and runs as a scalar kernel.
 * <p>
 * Stages: C2 compiles long straight-line vector code badly (register pressure, and methods too large to inline the
 * Vector API into), so a plan holds at most {@link #BUDGET} loop operations per stage. A multi-stage kernel walks
 * the row in blocks of {@link #BLOCK} elements and runs the stages one after the other on each block, handing values
 * between stages through small scratch arrays that stay in L1.
 */
public final class VectorPlan {
    /** The most vector operations (loads, arithmetic, stores) one stage's loop body holds. */
    static final int BUDGET = 16;
    /** Elements per block when a kernel has more than one stage. */
    public static final int BLOCK = 1024;

    /** How an input is read along the row: one element per lane (unit stride), or one value for the whole row. */
    public enum Access { VEC, BCAST }

    /** Vector operation kinds. */
    enum Code { CONST, UNARY, LANEWISE1, BINARY, LANEWISE2, COMPARE, TEST, BLEND, MASK_AND, MASK_OR, MASK_XOR, MASK_EQ, MASK_NOT, STORE }

    /**
     * One operation. {@code name}: the FloatVector method (add, neg, ...) for UNARY/BINARY, the VectorOperators
     * constant (EXP, POW, LT, IS_NAN) for LANEWISE/COMPARE/TEST. {@code args} are value ids. BLEND(a, b, m) takes b
     * where m is set. STORE writes value args[0] to output {@code output}.
     */
    record VOp(Code code, String name, int[] args, double constant, int output, boolean mask) {
        @Override public boolean equals(Object o) {
            return o instanceof VOp v && v.code == code && java.util.Objects.equals(v.name, name) && Arrays.equals(v.args, args)
                    && Double.compare(v.constant, constant) == 0 && v.output == output && v.mask == mask;
        }
        @Override public int hashCode() { return java.util.Objects.hash(code, name, Arrays.hashCode(args), constant, output, mask); }
    }

    /** An expression this plan cannot vectorise, and why. */
    public static final class Unsupported extends Exception {
        Unsupported(String why) { super(why, null, false, false); }
    }

    /**
     * One stage: its operations (indices into {@link #ops}, CONSTs excluded: they are hoisted), the scratch values it
     * reads (defined in earlier stages) and writes (used in later ones).
     */
    record Stage(int[] ops, int[] scratchIn, int[] scratchOut, int cost) {}

    final DType f;
    final int nIn, nOut;
    final Access[] access;
    final boolean[] inMask, outMask;
    final List<VOp> ops = new ArrayList<>();
    final List<Stage> stages = new ArrayList<>();
    /** Scratch slot of each value that crosses stages. */
    final Map<Integer, Integer> scratchSlot = new LinkedHashMap<>();
    final Map<Double, Integer> consts = new HashMap<>();
    /** Table entries this plan composes from other vector operations (they have no Vector API operator of their own). */
    final java.util.Set<String> composed = new java.util.TreeSet<>();

    private VectorPlan(DType f, int nIn, int nOut, Access[] access, boolean[] inMask, boolean[] outMask) {
        this.f = f;
        this.nIn = nIn;
        this.nOut = nOut;
        this.access = access.clone();
        this.inMask = inMask;
        this.outMask = outMask;
    }

    /** The float dtype a spec would vectorise in, or the reason it cannot be vectorised. */
    public static DType floatType(ElemSpec spec) throws Unsupported {
        DType f = null;
        for (DType d : spec.values()) {
            if (d == DType.BOOL) continue;
            if (d != DType.FLOAT32 && d != DType.FLOAT64) throw new Unsupported(d + " values (only float32/float64 and bool vectorise)");
            if (f != null && f != d) throw new Unsupported("both float32 and float64 values");
            f = d;
        }
        if (f == null) throw new Unsupported("only bool values");
        return f;
    }

    /** Lowers {@code spec} for the given input access; throws when it has no vector form. */
    public static VectorPlan of(ElemSpec spec, Access[] access) throws Unsupported {
        DType f = floatType(spec);
        DType[] dt = spec.values();
        Composite c = spec.expr();
        int nIn = c.nInputs();
        int[] outs = c.outputs();
        boolean[] inMask = new boolean[nIn], outMask = new boolean[outs.length];
        for (int i = 0; i < nIn; i++) inMask[i] = dt[i] == DType.BOOL;
        for (int j = 0; j < outs.length; j++) outMask[j] = dt[nIn + outs[j]] == DType.BOOL;
        VectorPlan p = new VectorPlan(f, nIn, outs.length, access, inMask, outMask);
        int[] valueOf = new int[nIn + c.body().size()];
        for (int i = 0; i < nIn; i++) valueOf[i] = i;
        for (int k = 0; k < c.body().size(); k++) {
            Composite.Instr ins = c.body().get(k);
            int[] a = new int[ins.op().arity()];
            for (int i = 0; i < a.length; i++) a[i] = valueOf[ins.arg(i)];
            valueOf[nIn + k] = p.lower(ins.op(), a, dt[nIn + k] == DType.BOOL);
        }
        for (int j = 0; j < outs.length; j++) p.add(new VOp(Code.STORE, null, new int[]{valueOf[nIn + outs[j]]}, 0, j, outMask[j]));
        p.stage();
        return p;
    }

    boolean isMask(int v) { return v < nIn ? inMask[v] : ops.get(v - nIn).mask; }

    VOp op(int v) { return ops.get(v - nIn); }

    private int add(VOp op) { ops.add(op); return nIn + ops.size() - 1; }

    private int konst(double c) {
        Integer v = consts.get(c);
        if (v == null) { v = add(new VOp(Code.CONST, null, new int[0], c, -1, false)); consts.put(c, v); }
        return v;
    }

    private int vec(int v) { return isMask(v) ? blend(konst(0), konst(1), v) : v; }
    private int mask(int v) { return isMask(v) ? v : compare("NE", v, konst(0)); }
    private int un(String method, int a) { return add(new VOp(Code.UNARY, method, new int[]{a}, 0, -1, false)); }
    private int lw(String operator, int a) { return add(new VOp(Code.LANEWISE1, operator, new int[]{a}, 0, -1, false)); }
    private int bin(String method, int a, int b) { return add(new VOp(Code.BINARY, method, new int[]{a, b}, 0, -1, false)); }
    private int compare(String cmp, int a, int b) { return add(new VOp(Code.COMPARE, cmp, new int[]{a, b}, 0, -1, true)); }
    private int test(String t, int a) { return add(new VOp(Code.TEST, t, new int[]{a}, 0, -1, true)); }
    private int blend(int a, int b, int m) { return add(new VOp(Code.BLEND, null, new int[]{a, b, m}, 0, -1, false)); }
    private int mop(Code code, int a, int b) { return add(new VOp(code, null, b < 0 ? new int[]{a} : new int[]{a, b}, 0, -1, true)); }

    /** The value id of {@code op(args)}; {@code bool}: the result is a mask. */
    private int lower(ScalarOp op, int[] a, boolean bool) throws Unsupported {
        if (bool) return lowerBool(op, a);
        switch (op) {
            case LOG2 -> composed.add("log2 from LOG");
            case SIGMOID -> composed.add("sigmoid from EXP");
            case SOFTPLUS -> composed.add("softplus from EXP and LOG1P");
            case SGN -> composed.add("sgn from compares");
            case FLOOR, CEIL, ROUND -> composed.add(op.fname() + " by the 2^" + (f == DType.FLOAT32 ? 23 : 52) + " rounding trick");
            default -> { }
        }
        double magic = f == DType.FLOAT32 ? 0x1p23 : 0x1p52;
        return switch (op) {
            case ADD -> bin("add", vec(a[0]), vec(a[1]));
            case SUB -> bin("sub", vec(a[0]), vec(a[1]));
            case MUL -> bin("mul", vec(a[0]), vec(a[1]));
            case TRUE_DIV -> bin("div", vec(a[0]), vec(a[1]));
            case MAXIMUM -> bin("max", vec(a[0]), vec(a[1]));
            case MINIMUM -> bin("min", vec(a[0]), vec(a[1]));
            case POW -> add(new VOp(Code.LANEWISE2, "POW", new int[]{vec(a[0]), vec(a[1])}, 0, -1, false));
            case NEG -> un("neg", vec(a[0]));
            case ABS -> un("abs", vec(a[0]));
            case SQRT -> un("sqrt", vec(a[0]));
            case SQR -> { int x = vec(a[0]); yield bin("mul", x, x); }
            case INV -> bin("div", konst(1), vec(a[0]));
            case EXP, EXPM1, LOG, LOG1P, LOG10, SIN, COS, TAN, SINH, COSH, TANH -> lw(op.name(), vec(a[0]));
            case ARCSIN -> lw("ASIN", vec(a[0]));
            case ARCCOS -> lw("ACOS", vec(a[0]));
            case ARCTAN -> lw("ATAN", vec(a[0]));
            case LOG2 -> bin("mul", lw("LOG", vec(a[0])), konst(1 / Math.log(2)));
            // 1 / (1 + exp(-x)) is as accurate as the table's two-sided form: exp(-x) = inf gives 0, not NaN
            case SIGMOID -> bin("div", konst(1), bin("add", konst(1), lw("EXP", un("neg", vec(a[0])))));
            case SOFTPLUS -> {
                int x = vec(a[0]);
                yield bin("add", bin("max", x, konst(0)), lw("LOG1P", lw("EXP", un("neg", un("abs", x)))));
            }
            case SGN -> {
                int x = vec(a[0]);
                yield blend(blend(x, konst(1), compare("GT", x, konst(0))), konst(-1), compare("LT", x, konst(0)));
            }
            case FLOOR, CEIL, ROUND -> {
                // rint(|x|) = (|x| + 2^p) - 2^p below 2^p (p = mantissa bits); the sign of x is put back (so -0.5
                // rounds to -0.0); floor/ceil step from rint by one where it overshot; from 2^p on x is integral
                int x = vec(a[0]);
                int ax = un("abs", x);
                int r = bin("sub", bin("add", ax, konst(magic)), konst(magic));
                int rx = blend(r, un("neg", r), test("IS_NEGATIVE", x));
                int res = switch (op) {
                    case FLOOR -> blend(rx, bin("sub", rx, konst(1)), compare("GT", rx, x));
                    case CEIL -> blend(rx, bin("add", rx, konst(1)), compare("LT", rx, x));
                    default -> rx;
                };
                yield blend(x, res, compare("LT", ax, konst(magic)));
            }
            case SWITCH -> blend(vec(a[2]), vec(a[1]), mask(a[0]));
            case CLIP -> bin("min", bin("max", vec(a[0]), vec(a[1])), vec(a[2]));
            case IDENTITY -> vec(a[0]);
            case SECOND -> vec(a[1]);
            default -> throw new Unsupported(op.fname() + " has no vector form");
        };
    }

    private int lowerBool(ScalarOp op, int[] a) throws Unsupported {
        return switch (op) {
            case LT, GT, LE, GE -> compare(op.name(), vec(a[0]), vec(a[1]));
            case EQ -> isMask(a[0]) && isMask(a[1]) ? mop(Code.MASK_EQ, a[0], a[1]) : compare("EQ", vec(a[0]), vec(a[1]));
            case NEQ -> isMask(a[0]) && isMask(a[1]) ? mop(Code.MASK_XOR, a[0], a[1]) : compare("NE", vec(a[0]), vec(a[1]));
            case AND -> mop(Code.MASK_AND, mask(a[0]), mask(a[1]));
            case OR -> mop(Code.MASK_OR, mask(a[0]), mask(a[1]));
            case XOR -> mop(Code.MASK_XOR, mask(a[0]), mask(a[1]));
            case NOT -> isMask(a[0]) ? mop(Code.MASK_NOT, a[0], -1) : compare("EQ", a[0], konst(0));
            case ISNAN -> { if (isMask(a[0])) throw new Unsupported("isnan of a bool"); yield test("IS_NAN", a[0]); }
            case ISINF -> { if (isMask(a[0])) throw new Unsupported("isinf of a bool"); yield test("IS_INFINITE", a[0]); }
            case SWITCH -> {
                int m = mask(a[0]);
                yield mop(Code.MASK_OR, mop(Code.MASK_AND, mask(a[1]), m), mop(Code.MASK_AND, mask(a[2]), mop(Code.MASK_NOT, m, -1)));
            }
            case IDENTITY -> mask(a[0]);
            case SECOND -> mask(a[1]);
            default -> throw new Unsupported(op.fname() + " with a bool result has no vector form");
        };
    }

    // ---------------------------------------------------------------- staging

    /** Loop cost of first reading value v in a stage: a load (a bool input also compares and casts its mask). */
    private int loadCost(int v, int defStage, int[] stageOf) {
        if (v < nIn) return access[v] == Access.BCAST ? 0 : inMask[v] ? 3 : 1;
        if (op(v).code == Code.CONST) return 0;
        return stageOf[v - nIn] == defStage ? 0 : isMask(v) ? 2 : 1;
    }

    private void stage() {
        int[] stageOf = new int[ops.size()];
        Arrays.fill(stageOf, -1);
        List<List<Integer>> groups = new ArrayList<>();
        List<Integer> cur = new ArrayList<>();
        BitSet read = new BitSet();  // values already read in the current stage
        int cost = 0, s = 0;
        for (int i = 0; i < ops.size(); i++) {
            VOp o = ops.get(i);
            if (o.code == Code.CONST) continue;
            int c = 1;
            for (int v : o.args) if (!read.get(v)) c += loadCost(v, s, stageOf);
            if (!cur.isEmpty() && cost + c > BUDGET) {
                groups.add(cur);
                cur = new ArrayList<>();
                read.clear();
                cost = 0;
                s++;
                c = 1;
                for (int v : o.args) if (!read.get(v)) c += loadCost(v, s, stageOf);
            }
            cur.add(i);
            stageOf[i] = s;
            for (int v : o.args) read.set(v);
            read.set(nIn + i);
            cost += c;
        }
        if (!cur.isEmpty()) groups.add(cur);
        boolean maskCrosses = false;
        for (int g = 0; g < groups.size(); g++) {
            List<Integer> in = new ArrayList<>(), out = new ArrayList<>();
            int c = 0;
            BitSet loaded = new BitSet();
            for (int i : groups.get(g)) {
                c++;
                for (int v : ops.get(i).args) {
                    if (v < nIn && access[v] == Access.VEC && !loaded.get(v)) { loaded.set(v); c += inMask[v] ? 3 : 1; }
                    if (v >= nIn && ops.get(v - nIn).code != Code.CONST && stageOf[v - nIn] < g && !in.contains(v)) { in.add(v); c += isMask(v) ? 2 : 1; }
                }
            }
            for (int i : groups.get(g)) {
                int v = nIn + i;
                boolean later = false;
                for (int j = 0; j < ops.size() && !later; j++) {
                    if (stageOf[j] <= g) continue;
                    for (int u : ops.get(j).args) later |= u == v;
                }
                if (later) { out.add(v); scratchSlot.putIfAbsent(v, scratchSlot.size()); c += isMask(v) ? 2 : 1; maskCrosses |= isMask(v); }
            }
            stages.add(new Stage(groups.get(g).stream().mapToInt(Integer::intValue).toArray(),
                    in.stream().mapToInt(Integer::intValue).toArray(), out.stream().mapToInt(Integer::intValue).toArray(), c));
        }
        // a mask crosses stages as a 0/1 vector: the stages that store or load it need 0 and 1
        if (maskCrosses) { konst(0); konst(1); }
    }

    /** The composed entries, e.g. "sigmoid from EXP", or an empty string. */
    public String composedNote() { return String.join(", ", composed); }

    /** Number of scratch arrays a multi-stage kernel needs (0 for one stage). */
    public int scratchCount() { return scratchSlot.size(); }

    public int stageCount() { return stages.size(); }

    /** Loop operations of each stage, e.g. "[9]" or "[16, 12]". */
    public String costs() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < stages.size(); i++) b.append(i == 0 ? "" : ", ").append(stages.get(i).cost);
        return b.append(']').toString();
    }

    // ---------------------------------------------------------------- the statements each stage method runs

    /** What one stage method does, in order: hoisted statements, then the loop body (run unmasked, then as the masked tail). */
    sealed interface Stmt {}
    /** Reads input k (unit stride) at the current position into value v. */
    record LoadIn(int input, int value) implements Stmt {}
    /** Reads input k's single value and broadcasts it into value v (before the loop). */
    record Hoist(int input, int value) implements Stmt {}
    /** Broadcasts a constant into value v (before the loop). */
    record Const(double constant, int value) implements Stmt {}
    record LoadScratch(int slot, int value, boolean mask) implements Stmt {}
    record Compute(VOp op, int value) implements Stmt {}
    record StoreOut(int output, int value, boolean mask) implements Stmt {}
    record StoreScratch(int slot, int value, boolean mask) implements Stmt {}

    /** The statements before stage s's loop: broadcast inputs and constants it uses. */
    List<Stmt> hoisted(int s) {
        List<Stmt> r = new ArrayList<>();
        BitSet seen = new BitSet();
        Stage st = stages.get(s);
        boolean masksCross = false;
        for (int v : st.scratchIn) masksCross |= isMask(v);
        for (int v : st.scratchOut) masksCross |= isMask(v);
        if (masksCross) {
            int zero = consts.get(0.0), one = consts.get(1.0);
            seen.set(zero);
            seen.set(one);
            r.add(new Const(0, zero));
            r.add(new Const(1, one));
        }
        for (int i : st.ops) {
            for (int v : ops.get(i).args) {
                if (seen.get(v)) continue;
                if (v < nIn && access[v] == Access.BCAST) { r.add(new Hoist(v, v)); seen.set(v); }
                else if (v >= nIn && op(v).code == Code.CONST) { r.add(new Const(op(v).constant, v)); seen.set(v); }
            }
        }
        return r;
    }

    /** Stage s's loop body. */
    List<Stmt> body(int s) {
        List<Stmt> r = new ArrayList<>();
        Stage st = stages.get(s);
        BitSet have = new BitSet();
        for (int v : st.scratchIn) { r.add(new LoadScratch(scratchSlot.get(v), v, isMask(v))); have.set(v); }
        for (int i : st.ops) {
            VOp o = ops.get(i);
            for (int v : o.args) {
                if (v < nIn && access[v] == Access.VEC && !have.get(v)) { r.add(new LoadIn(v, v)); have.set(v); }
            }
            if (o.code == Code.STORE) r.add(new StoreOut(o.output, o.args[0], o.mask));
            else r.add(new Compute(o, nIn + i));
        }
        for (int v : st.scratchOut) r.add(new StoreScratch(scratchSlot.get(v), v, isMask(v)));
        return r;
    }

    /** Inputs stage s reads (by either access). */
    boolean[] inputsUsed(int s) {
        boolean[] u = new boolean[nIn];
        for (int i : stages.get(s).ops) for (int v : ops.get(i).args) if (v < nIn) u[v] = true;
        return u;
    }

    /** Outputs stage s writes. */
    boolean[] outputsWritten(int s) {
        boolean[] w = new boolean[nOut];
        for (int i : stages.get(s).ops) if (ops.get(i).code == Code.STORE) w[ops.get(i).output] = true;
        return w;
    }

    /** True when some input or output is bool (the kernel then needs a byte species of the same lane count). */
    boolean usesBoolMemory() {
        for (boolean b : inMask) if (b) return true;
        for (boolean b : outMask) if (b) return true;
        return false;
    }
}
