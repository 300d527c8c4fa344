package dev.theon.rewrite;

import dev.theon.graph.Apply;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.Variable;
import dev.theon.ops.CrossentropyCategorical1Hot;
import dev.theon.ops.CrossentropySoftmax1Hot;
import dev.theon.ops.DimShuffle;
import dev.theon.ops.Elemwise;
import dev.theon.ops.LogSoftmax;
import dev.theon.ops.Reduce;
import dev.theon.ops.ScalarOp;
import dev.theon.ops.Softmax;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.theon.rewrite.Pattern.any;
import static dev.theon.rewrite.Pattern.constant;
import static dev.theon.rewrite.Pattern.elem;
import static dev.theon.rewrite.Pattern.op;
import static dev.theon.rewrite.PatternRewrite.rule;

/**
 * Numerically stable forms. These are part of correctness, so they run in every mode (tag "stability"): log(1 + x)
 * is log1p(x), exp(x) - 1 is expm1(x), log(sigmoid(x)) is -softplus(-x), log(1 - sigmoid(x)) is -softplus(x),
 * 1 - sigmoid(x) is sigmoid(-x), log(softmax(x)) is log_softmax(x), the cross-entropy of a softmax is computed from
 * the logits, and log(sum(exp(x))) subtracts the maximum first.
 * <p>
 * Gradients are built before rewriting, so their graphs hold the unstable forms' derivatives, such as
 * {@code (g / sigmoid(x)) * (sigmoid(x) * (1 - sigmoid(x)))}: {@link #cancelDivision} takes out a division by a
 * value that the expression is then multiplied by, which is what every one of those derivatives needs.
 */
final class Stabilize {
    private Stabilize() {}

    static final Phase P = Phase.STABILIZE;

    static void register(RewriteDB db) {
        db.register(rule("log1p", P, elem(ScalarOp.LOG, elem(ScalarOp.ADD, constant(1), any("x"))),
                m -> Build.elem(ScalarOp.LOG1P, m.get("x")), "stability"));
        db.register(rule("log1p_of_neg", P, elem(ScalarOp.LOG, elem(ScalarOp.SUB, constant(1), any("x"))),
                m -> Build.elem(ScalarOp.LOG1P, Build.neg(m.get("x"))), m -> !m.get("x").dtype().isBool(), "stability"));
        db.register(rule("expm1", P, elem(ScalarOp.SUB, elem(ScalarOp.EXP, any("x")), constant(1)),
                m -> Build.elem(ScalarOp.EXPM1, m.get("x")), "stability"));
        db.register(rule("expm1_of_add", P, elem(ScalarOp.ADD, elem(ScalarOp.EXP, any("x")), constant(-1)),
                m -> Build.elem(ScalarOp.EXPM1, m.get("x")), "stability"));

        db.register(rule("log_sigmoid", P, elem(ScalarOp.LOG, elem(ScalarOp.SIGMOID, any("x"))),
                m -> Build.neg(Build.elem(ScalarOp.SOFTPLUS, Build.neg(m.get("x")))), m -> !m.get("x").dtype().isBool(), "stability"));
        db.register(rule("log1p_neg_sigmoid", P, elem(ScalarOp.LOG1P, elem(ScalarOp.NEG, elem(ScalarOp.SIGMOID, any("x")))),
                m -> Build.neg(Build.elem(ScalarOp.SOFTPLUS, m.get("x"))), "stability"));
        db.register(rule("log_one_minus_sigmoid", P, elem(ScalarOp.LOG, elem(ScalarOp.SUB, constant(1), elem(ScalarOp.SIGMOID, any("x")))),
                m -> Build.neg(Build.elem(ScalarOp.SOFTPLUS, m.get("x"))), "stability"));
        db.register(rule("one_minus_sigmoid", P, elem(ScalarOp.SUB, constant(1), elem(ScalarOp.SIGMOID, any("x"))),
                m -> Build.elem(ScalarOp.SIGMOID, Build.neg(m.get("x"))), m -> !m.get("x").dtype().isBool(), "stability"));

        // the logistic function written out, as in the Theano tutorial: 1 / (1 + exp(-x)) and exp(x) / (1 + exp(x)),
        // so that log(p), log(1 - p) and their gradients take the stable sigmoid forms above
        List<Pattern> denominators = List.of(
                elem(ScalarOp.ADD, constant(1), elem(ScalarOp.EXP, elem(ScalarOp.NEG, any("x")))),
                elem(ScalarOp.ADD, elem(ScalarOp.EXP, elem(ScalarOp.NEG, any("x"))), constant(1)));
        for (int k = 0; k < denominators.size(); k++) {
            Pattern d = denominators.get(k);
            db.register(rule("sigmoid_of_div" + k, P, elem(ScalarOp.TRUE_DIV, constant(1), d),
                    m -> Build.elem(ScalarOp.SIGMOID, m.get("x")), m -> m.get("x").dtype().isFloat(), "stability"));
            db.register(rule("sigmoid_of_inv" + k, P, elem(ScalarOp.INV, d),
                    m -> Build.elem(ScalarOp.SIGMOID, m.get("x")), m -> m.get("x").dtype().isFloat(), "stability"));
        }
        db.register(rule("sigmoid_of_exp_ratio", P, elem(ScalarOp.TRUE_DIV, elem(ScalarOp.EXP, any("x")),
                        elem(ScalarOp.ADD, constant(1), elem(ScalarOp.EXP, any("x")))),
                m -> Build.elem(ScalarOp.SIGMOID, m.get("x")), m -> m.get("x").dtype().isFloat(), "stability"));

        db.register(rule("log_softmax", P, elem(ScalarOp.LOG, op(Softmax.class, any("x")).as("sm")),
                m -> new LogSoftmax(((Softmax) m.node("sm").op()).axis()).apply(m.get("x")), "stability"));
        db.register(rule("crossentropy_softmax", P, op(CrossentropyCategorical1Hot.class, op(Softmax.class, any("x")).as("sm"), any("labels")),
                m -> new CrossentropySoftmax1Hot().apply(m.get("x"), m.get("labels")),
                m -> ((Softmax) m.node("sm").op()).axis() == 1 && m.get("x").dtype().isFloat(), "stability"));
        db.register(LocalRewrite.single("logsumexp", P, List.of(ScalarOp.LOG), Stabilize::logSumExp, "stability"));
        db.register(LocalRewrite.single("cancel_division", P, List.of(ScalarOp.MUL), Stabilize::cancelDivision, "stability"));
        db.register(LocalRewrite.single("softmax_of_exp", P, List.of(ScalarOp.TRUE_DIV, ScalarOp.MUL), Stabilize::softmaxOfExp, "stability"));
    }

    /** log(sum(exp(x), axes)) -> log(sum(exp(x - m), axes)) + m with m the maximum over the axes (0 where it is infinite). */
    static Variable logSumExp(Apply node, FunctionGraph g) {
        Variable s = node.input(0);
        if (s.owner() == null || !(s.owner().op() instanceof Reduce r) || r.kind() != Reduce.Kind.SUM) return null;
        Variable e = s.owner().input(0);
        if (e.owner() == null || !(e.owner().op() instanceof Elemwise ex) || ex.scalar() != ScalarOp.EXP || ex.outDType() != null) return null;
        Variable x = e.owner().input(0);
        if (!x.dtype().isFloat() || x.ndim() == 0 || maxSubtracted(x)) return null;
        int[] axes = r.axes();
        Variable m = new Reduce(Reduce.Kind.MAX, axes, true).apply(x);
        Variable safe = Build.elem(ScalarOp.SWITCH, Build.elem(ScalarOp.ISINF, m), Consts.like(m, 0), m);
        Variable sum = new Reduce(Reduce.Kind.SUM, axes, true).apply(Build.elem(ScalarOp.EXP, Build.elem(ScalarOp.SUB, x, safe)));
        Variable lse = Build.elem(ScalarOp.ADD, Build.elem(ScalarOp.LOG, sum), safe);
        if (r.keepdims()) return lse;
        List<Integer> kept = new ArrayList<>();
        for (int d = 0; d < x.ndim(); d++) if (!r.reduces(d)) kept.add(d);
        return new DimShuffle(x.ndim(), kept.stream().mapToInt(Integer::intValue).toArray()).apply(lse);
    }

    /**
     * {@code exp(x) / sum(exp(x), axes)} (written by hand, or as {@code (g / sum(exp(x))) * exp(x)} in the gradient of
     * log-sum-exp) -> a softmax over the axes, which subtracts the maximum first instead of overflowing to inf / inf.
     */
    static Variable softmaxOfExp(Apply node, FunctionGraph g) {
        if (((Elemwise) node.op()).outDType() != null) return null;
        boolean div = ((Elemwise) node.op()).scalar() == ScalarOp.TRUE_DIV;
        for (int side = 0; side < (div ? 1 : 2); side++) {
            Variable e = node.input(side), other = node.input(1 - side);
            if (!isElem(e, ScalarOp.EXP)) continue;
            Variable x = e.owner().input(0);
            if (!x.dtype().isFloat() || x.dtype() != e.dtype()) continue;
            if (div) {
                Reduce r = sumOf(unkept(other, x.ndim()), e);
                if (r != null && kept(other, r, x.ndim())) return softmax(x, r);
            } else {
                Variable q = unkept(other, x.ndim());
                if (!isElem(q, ScalarOp.TRUE_DIV)) continue;
                Reduce r = sumOf(q.owner().input(1), e);
                if (r == null || !kept(other, r, x.ndim())) continue;
                Variable gz = q.owner().input(0);
                Variable gk = other == q ? gz : new DimShuffle(gz.ndim(), ((DimShuffle) other.owner().op()).pattern()).apply(gz);
                return Build.elem(ScalarOp.MUL, gk, softmax(x, r));
            }
        }
        return null;
    }

    /** The dimshuffle's input when {@code v} puts reduced axes back as new axes (or v itself). */
    private static Variable unkept(Variable v, int rank) {
        return v.owner() != null && v.owner().op() instanceof DimShuffle && v.ndim() == rank ? v.owner().input(0) : v;
    }

    /** The reduction when {@code s} is {@code sum(e, axes)}. */
    private static Reduce sumOf(Variable s, Variable e) {
        return s.owner() != null && s.owner().op() instanceof Reduce r && r.kind() == Reduce.Kind.SUM && s.owner().input(0) == e ? r : null;
    }

    /** Whether {@code v} is the reduction's result with the reduced axes kept as size-1 axes (by keepdims or a dimshuffle). */
    private static boolean kept(Variable v, Reduce r, int rank) {
        if (v.owner() != null && v.owner().op() instanceof Reduce) return r.keepdims();
        if (r.keepdims() || !(v.owner().op() instanceof DimShuffle d)) return false;
        int[] p = d.pattern();
        if (p.length != rank) return false;
        for (int i = 0, k = 0; i < rank; i++) {
            if (r.reduces(i) ? p[i] != DimShuffle.NEW_AXIS : p[i] != k++) return false;
        }
        return true;
    }

    /** Softmax of x over the reduction's axes: the op for one axis, else exp(x - m) / sum(exp(x - m)). */
    private static Variable softmax(Variable x, Reduce r) {
        int[] axes = r.axes();
        if (axes != null && axes.length == 1) return new Softmax(axes[0]).apply(x);
        if (axes == null && x.ndim() == 1) return new Softmax(0).apply(x);
        Variable m = new Reduce(Reduce.Kind.MAX, axes, true).apply(x);
        Variable safe = Build.elem(ScalarOp.SWITCH, Build.elem(ScalarOp.ISINF, m), Consts.like(m, 0), m);
        Variable ex = Build.elem(ScalarOp.EXP, Build.elem(ScalarOp.SUB, x, safe));
        return Build.elem(ScalarOp.TRUE_DIV, ex, new Reduce(Reduce.Kind.SUM, axes, true).apply(ex));
    }

    /** Whether {@code x} is already {@code u - switch(isinf(m), 0, m)} with m a maximum: the stable form's inside. */
    private static boolean maxSubtracted(Variable x) {
        if (!isElem(x, ScalarOp.SUB)) return false;
        Variable sw = x.owner().input(1);
        if (!isElem(sw, ScalarOp.SWITCH)) return false;
        Variable m = sw.owner().input(2);
        return m.owner() != null && m.owner().op() instanceof Reduce r && r.kind() == Reduce.Kind.MAX && m.owner().input(0) == x.owner().input(0);
    }

    /**
     * {@code X * Y} where X divides by a factor s of Y: the division is taken out, {@code (a / s) * (s * t) -> a * t}.
     * X may reach the division through switch (with a zero branch), sub, add, neg and multiplication by other values,
     * so {@code (g - sum(g * sm)) * sm} with {@code g = switch(c, a / sm, 0)} (the gradient of the cross-entropy of a
     * softmax) loses its division. Exact as real arithmetic; it differs only where s is 0 or infinite, where the
     * original is NaN or infinite.
     */
    static Variable cancelDivision(Apply node, FunctionGraph g) {
        if (((Elemwise) node.op()).outDType() != null || !node.output(0).dtype().isFloat()) return null;
        for (int side = 0; side < 2; side++) {
            Variable x = node.input(side), y = node.input(1 - side);
            List<Variable[]> splits = new ArrayList<>();
            splits.add(new Variable[]{y, null});
            if (isElem(y, ScalarOp.MUL)) {
                splits.add(new Variable[]{y.owner().input(0), y.owner().input(1)});
                splits.add(new Variable[]{y.owner().input(1), y.owner().input(0)});
            }
            for (Variable[] sp : splits) {
                Variable c = cancel(x, sp[0], 4);
                if (c == null) continue;
                Variable r = sp[1] == null ? c : Build.elem(ScalarOp.MUL, c, sp[1]);
                return fitShape(r, node.output(0), sp[0], sp[1]);
            }
        }
        return null;
    }

    /** {@code x * s} without the division by s inside x, or null when x has none within {@code depth} levels. */
    static Variable cancel(Variable x, Variable s, int depth) {
        if (depth == 0 || x.owner() == null || !(x.owner().op() instanceof Elemwise e) || e.outDType() != null) return null;
        List<Variable> in = x.owner().inputs();
        switch (e.scalar()) {
            case TRUE_DIV -> { return in.get(1) == s && in.get(0).dtype() == x.dtype() ? in.get(0) : null; }
            case NEG -> {
                Variable c = cancel(in.get(0), s, depth - 1);
                return c == null ? null : Build.neg(c);
            }
            case SWITCH -> {
                Variable a = cancel(in.get(1), s, depth - 1), b = cancel(in.get(2), s, depth - 1);
                if (a == null && b == null) return null;
                if (a == null) a = Consts.is(in.get(1), 0) ? in.get(1) : null;
                if (b == null) b = Consts.is(in.get(2), 0) ? in.get(2) : null;
                return a == null || b == null ? null : Build.elem(ScalarOp.SWITCH, in.get(0), a, b);
            }
            case ADD, SUB -> {
                Variable a = cancel(in.get(0), s, depth - 1), b = cancel(in.get(1), s, depth - 1);
                if (a == null && b == null) return null;
                if (a == null) a = Build.elem(ScalarOp.MUL, in.get(0), s);
                if (b == null) b = Build.elem(ScalarOp.MUL, in.get(1), s);
                return Build.elem(e.scalar(), a, b);
            }
            case MUL -> {
                for (int k = 0; k < 2; k++) {
                    Variable c = cancel(in.get(k), s, depth - 1);
                    if (c != null) return Build.elem(ScalarOp.MUL, c, in.get(1 - k));
                }
                return null;
            }
            default -> { return null; }
        }
    }

    /** {@code r} with the static shape of {@code old}: as is, or filled out to it by a factor it dropped. */
    private static Variable fitShape(Variable r, Variable old, Variable... shapeSources) {
        if (Arrays.equals(r.type().shape(), old.type().shape())) return r;
        for (Variable src : shapeSources) {
            if (src == null) continue;
            long[] s = dev.theon.ops.Elemwise.staticBroadcast(src.type().shape(), r.type().shape());
            if (s != null && Arrays.equals(s, old.type().shape())) return Build.elem(ScalarOp.SECOND, src, r);
        }
        return null;
    }

    static boolean isElem(Variable v, ScalarOp op) {
        return v.owner() != null && v.owner().op() instanceof Elemwise e && e.scalar() == op && e.outDType() == null;
    }
}
