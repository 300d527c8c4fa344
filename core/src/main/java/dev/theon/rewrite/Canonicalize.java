package dev.theon.rewrite;

import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.grad.GradControl;
import dev.theon.ops.DimShuffle;
import dev.theon.ops.Dot;
import dev.theon.ops.Elemwise;
import dev.theon.ops.Reduce;
import dev.theon.ops.Reshape;
import dev.theon.ops.ScalarOp;
import dev.theon.ops.TensorDot;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.theon.rewrite.Pattern.any;
import static dev.theon.rewrite.Pattern.constant;
import static dev.theon.rewrite.Pattern.elem;
import static dev.theon.rewrite.PatternRewrite.rule;

/**
 * One spelling per expression, so that later phases have fewer forms to recognise: neutral elements, double negation,
 * x - x, constants gathered, subtraction of constants as addition, exact divisions as multiplications, chains of
 * dimshuffles and reshapes, casts that change nothing, fills whose shape is implied anyway, tensordots that are dots,
 * and the gradient-control ops (identities going forward).
 */
final class Canonicalize {
    private Canonicalize() {}

    static final Phase P = Phase.CANONICALIZE;

    static void register(RewriteDB db) {
        db.register(Merge.REWRITE);
        db.register(ConstantFolding.REWRITE);
        db.register(LocalRewrite.single("remove_grad_control", P, List.of(GradControl.class), (n, g) -> n.input(0)));

        // neutral elements
        db.register(rule("mul_by_one", P, elem(ScalarOp.MUL, any("x"), constant(1)), m -> m.get("x"), "neutral"));
        db.register(rule("add_zero", P, elem(ScalarOp.ADD, any("x"), constant(0)), m -> m.get("x"), "neutral"));
        db.register(rule("sub_zero", P, elem(ScalarOp.SUB, any("x"), constant(0)), m -> m.get("x"), "neutral"));
        db.register(rule("div_by_one", P, elem(ScalarOp.TRUE_DIV, any("x"), constant(1)), m -> m.get("x"), "neutral"));
        db.register(rule("pow_one", P, elem(ScalarOp.POW, any("x"), constant(1)), m -> m.get("x"), "neutral"));

        // negation; the sign rules are exact in IEEE arithmetic and also make gradient graphs recognisable, so they
        // run in FAST_COMPILE too (tag stability)
        db.register(rule("double_neg", P, elem(ScalarOp.NEG, elem(ScalarOp.NEG, any("x"))), m -> m.get("x")));
        db.register(rule("add_neg_to_sub", P, elem(ScalarOp.ADD, any("x"), elem(ScalarOp.NEG, any("y"))),
                m -> Build.elem(ScalarOp.SUB, m.get("x"), m.get("y")), "stability"));
        db.register(rule("sub_neg_to_add", P, elem(ScalarOp.SUB, any("x"), elem(ScalarOp.NEG, any("y"))),
                m -> Build.elem(ScalarOp.ADD, m.get("x"), m.get("y")), "stability"));
        db.register(rule("neg_of_sub", P, elem(ScalarOp.NEG, elem(ScalarOp.SUB, any("x"), any("y"))),
                m -> Build.elem(ScalarOp.SUB, m.get("y"), m.get("x")), "stability"));

        // x - x is zero (of x's shape, read from x's inputs' shapes once shape rewrites lift it)
        db.register(rule("sub_self", P, elem(ScalarOp.SUB, any("x"), any("x")),
                m -> Build.filled(m.get("x"), m.get("x").dtype(), 0)));
        // x / x is one only where x is neither 0, inf nor NaN: off unless included
        db.register(rule("div_self", P, elem(ScalarOp.TRUE_DIV, any("x"), any("x")),
                m -> Build.filled(m.get("x"), m.get("x").dtype().toFloat(), 1), "unsafe").offByDefault());

        // constants: x - c is x + (-c), so that additions gather them (-c is computed here: a neg node would be
        // turned back into a subtraction by add_neg_to_sub)
        db.register(rule("sub_const_to_add", P, elem(ScalarOp.SUB, any("x"), constant("c")),
                m -> Build.elem(ScalarOp.ADD, m.get("x"), Consts.negated(m.constant("c"))),
                m -> m.get("c").dtype() != DType.BOOL && m.get("x").dtype() == m.get("c").dtype()));
        db.register(LocalRewrite.single("gather_constants", P, List.of(ScalarOp.ADD, ScalarOp.MUL), Canonicalize::gatherConstants));
        db.register(LocalRewrite.single("div_by_power_of_two", P, List.of(ScalarOp.TRUE_DIV), Canonicalize::divByPowerOfTwo));

        // views and casts
        db.register(LocalRewrite.single("dimshuffle_chain", P, List.of(DimShuffle.class), Canonicalize::dimshuffleChain));
        db.register(LocalRewrite.single("reshape_chain", P, List.of(Reshape.class), Canonicalize::reshapeChain));
        db.register(LocalRewrite.single("useless_cast", P, List.of(ScalarOp.IDENTITY), Canonicalize::uselessCast));
        db.register(LocalRewrite.single("tensordot_to_dot", P, List.of(TensorDot.class), Canonicalize::tensordotToDot));

        // fills (Theano's second): the shape they give is often implied by the other operands. Gradients are full of
        // them, and the stability rewrites look through them, so these run in FAST_COMPILE too
        db.register(LocalRewrite.single("useless_fill", P, List.of(ScalarOp.SECOND), Canonicalize::uselessFill, "stability"));
        db.register(LocalRewrite.single("fill_sink", P, List.of(), Canonicalize::fillSink, "stability"));
        db.register(LocalRewrite.single("sum_of_fill", P, List.of(Reduce.class), Canonicalize::sumOfFill));
    }

    /**
     * sum(fill(x, c)) over axes that leave only size-1 dims -> c times the number of elements summed, read from the
     * shape (how a mean's gradient counts its elements).
     */
    static Variable sumOfFill(Apply node, FunctionGraph g) {
        Reduce r = (Reduce) node.op();
        Variable f = node.input(0);
        if (r.kind() != Reduce.Kind.SUM || !Stabilize.isElem(f, ScalarOp.SECOND)) return null;
        Variable c = f.owner().input(1);
        if (!(c instanceof Constant k) || k.value().size() != 1) return null;
        DType dt = node.output(0).dtype();
        Variable count = null;
        for (int d = 0; d < f.ndim(); d++) {
            if (!r.reduces(d)) {
                if (f.type().dim(d) != 1) return null;
                continue;
            }
            Variable n = Build.dim(f, d);
            count = count == null ? n : Build.elem(ScalarOp.MUL, count, n);
        }
        if (count == null) return null;
        Variable total = Build.elem(ScalarOp.MUL, dt == DType.INT64 ? count : Elemwise.cast(dt).apply(count), Consts.scalar(dt, k.value().flatDouble(0)));
        int rank = node.output(0).ndim();
        int[] newAxes = new int[rank];
        Arrays.fill(newAxes, DimShuffle.NEW_AXIS);
        return rank == 0 ? total : new DimShuffle(0, newAxes).apply(total);
    }

    /** (x + c1) + c2 -> x + (c1 + c2), and the same for products, when every dtype is the same. */
    static Variable gatherConstants(Apply node, FunctionGraph g) {
        ScalarOp op = ((Elemwise) node.op()).scalar();
        if (((Elemwise) node.op()).outDType() != null) return null;
        DType dt = node.output(0).dtype();
        for (int side = 0; side < 2; side++) {
            Variable inner = node.input(side), c2 = node.input(1 - side);
            if (!(c2 instanceof Constant) || c2.dtype() != dt || inner.dtype() != dt) continue;
            if (inner.owner() == null || !(inner.owner().op() instanceof Elemwise e) || e.scalar() != op || e.outDType() != null) continue;
            for (int s2 = 0; s2 < 2; s2++) {
                Variable x = inner.owner().input(s2), c1 = inner.owner().input(1 - s2);
                if (c1 instanceof Constant && !(x instanceof Constant) && c1.dtype() == dt && x.dtype() == dt)
                    return Build.elem(op, x, Build.elem(op, c1, c2));
            }
        }
        return null;
    }

    /** x / c -> x * (1/c) when every element of c is a power of two, so 1/c is exact in the output's dtype. */
    static Variable divByPowerOfTwo(Apply node, FunctionGraph g) {
        Variable x = node.input(0), c = node.input(1);
        DType dt = node.output(0).dtype();
        if (!(c instanceof Constant k) || !dt.isFloat() || x.dtype() != dt || ((Elemwise) node.op()).outDType() != null) return null;
        NDArray v = k.value();
        if (v.size() == 0 || v.size() > Consts.INSPECT_LIMIT) return null;
        NDArray inv = NDArray.zeros(dt, v.shape());
        for (long i = 0; i < v.size(); i++) {
            double d = v.flatDouble(i);
            if (!exactReciprocal(d, dt)) return null;
            inv.writeDouble(inv.storageIndexOfFlat(i), 1.0 / d);
        }
        return Build.elem(ScalarOp.MUL, x, new Constant(TensorType.of(dt, v.shape()), inv, null));
    }

    static boolean exactReciprocal(double d, DType dt) {
        if (d == 0 || Double.isNaN(d) || Double.isInfinite(d)) return false;
        int e = Math.getExponent(d);
        if (Math.abs(d) != Math.scalb(1.0, e)) return false;
        return dt == DType.FLOAT32 ? e >= -126 && e <= 126 && (float) d == d : e >= -1022 && e <= 1022;
    }

    /** dimshuffle(dimshuffle(x)) -> one dimshuffle; an identity dimshuffle -> x. */
    static Variable dimshuffleChain(Apply node, FunctionGraph g) {
        DimShuffle outer = (DimShuffle) node.op();
        Variable in = node.input(0);
        if (isIdentity(outer)) return in;
        if (in.owner() == null || !(in.owner().op() instanceof DimShuffle inner)) return null;
        int[] q = outer.pattern(), p = inner.pattern();
        int[] r = new int[q.length];
        for (int i = 0; i < q.length; i++) r[i] = q[i] == DimShuffle.NEW_AXIS ? DimShuffle.NEW_AXIS : p[q[i]];
        DimShuffle composed = new DimShuffle(inner.inputNdim(), r);
        Variable x = in.owner().input(0);
        return isIdentity(composed) ? x : composed.apply(x);
    }

    private static boolean isIdentity(DimShuffle d) {
        int[] p = d.pattern();
        if (p.length != d.inputNdim()) return false;
        for (int i = 0; i < p.length; i++) if (p[i] != i) return false;
        return true;
    }

    /** reshape(reshape(x)) -> reshape(x) (the elements keep their C order); a reshape to x's own known shape -> x. */
    static Variable reshapeChain(Apply node, FunctionGraph g) {
        Reshape outer = (Reshape) node.op();
        if (outer.isSymbolic()) return null;
        Variable in = node.input(0);
        TensorType t = in.type();
        if (t.fullyKnown() && Arrays.equals(node.output(0).type().shape(), t.shape())) return in;
        if (in.owner() != null && in.owner().op() instanceof Reshape) return outer.apply(in.owner().input(0));
        return null;
    }

    /** A cast to the dtype the value already has; a cast of a lossless cast. */
    static Variable uselessCast(Apply node, FunctionGraph g) {
        Elemwise e = (Elemwise) node.op();
        if (!e.isCast()) return null;
        Variable x = node.input(0);
        if (x.dtype() == e.outDType()) return x;
        if (x.owner() != null && x.owner().op() instanceof Elemwise inner && inner.isCast()) {
            Variable y = x.owner().input(0);
            if (inner.outDType().canHoldAllOf(y.dtype())) return y.dtype() == e.outDType() ? y : Elemwise.cast(e.outDType()).apply(y);
        }
        return null;
    }

    /**
     * tensordot with one pair of axes on vectors and matrices is a dot of (transposed) operands. Only where the
     * summed sizes are known to agree (statically, or because they come from one place, as in gradient graphs), so
     * that a size mismatch is still reported by the op the user wrote.
     */
    static Variable tensordotToDot(Apply node, FunctionGraph g) {
        Variable[] ab = asDot(node);
        if (ab == null) return null;
        TensorDot td = (TensorDot) node.op();
        return ShapeRewrites.sameSize(node.input(0), td.axesA()[0], node.input(1), td.axesB()[0]) ? new Dot().apply(ab[0], ab[1]) : null;
    }

    /** The operands of the dot a tensordot node is (a's summed axis last, b's first), or null when it is none. */
    static Variable[] asDot(Apply node) {
        TensorDot td = (TensorDot) node.op();
        Variable a = node.input(0), b = node.input(1);
        if (td.axesA().length != 1 || a.ndim() < 1 || a.ndim() > 2 || b.ndim() < 1 || b.ndim() > 2) return null;
        Variable a2 = a.ndim() == 2 && td.axesA()[0] == 0 ? DimShuffle.reverse(2).apply(a) : a;
        Variable b2 = b.ndim() == 2 && td.axesB()[0] == 1 ? DimShuffle.reverse(2).apply(b) : b;
        return new Variable[]{a2, b2};
    }

    /** second(a, b) -> b when b alone already has the result's static shape. */
    static Variable uselessFill(Apply node, FunctionGraph g) {
        Variable b = node.input(1);
        return Arrays.equals(b.type().shape(), node.output(0).type().shape()) ? b : null;
    }

    /**
     * f(..., second(a, b), ...) -> f(..., b, ...) when the result keeps its static shape without a; otherwise
     * -> second(a, f(..., b, ...)), moving the fill towards the outputs, where a reader may find the shape implied.
     */
    static Variable fillSink(Apply node, FunctionGraph g) {
        if (!(node.op() instanceof Elemwise e) || e.scalar() == ScalarOp.SECOND) return null;
        for (int i = 0; i < node.inputs().size(); i++) {
            Variable in = node.input(i);
            if (in.owner() == null || !(in.owner().op() instanceof Elemwise f) || f.scalar() != ScalarOp.SECOND) continue;
            List<Variable> ins = new ArrayList<>(node.inputs());
            ins.set(i, in.owner().input(1));
            long[] shape = Elemwise.staticBroadcast(ins.stream().map(v -> v.type().shape()).toArray(long[][]::new));
            Variable r = e.apply(ins.toArray(new Variable[0]));
            if (r.dtype() != node.output(0).dtype()) continue;
            if (shape != null && Arrays.equals(shape, node.output(0).type().shape())) return r;
            return Build.elem(ScalarOp.SECOND, in.owner().input(0), r);
        }
        return null;
    }
}
