package dev.theon.rewrite;

import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.Variable;
import dev.theon.ops.ARange;
import dev.theon.ops.AdvancedSubtensor;
import dev.theon.ops.Alloc;
import dev.theon.ops.CrossentropyCategorical1HotGrad;
import dev.theon.ops.DimShuffle;
import dev.theon.ops.Elemwise;
import dev.theon.ops.IncSubtensor;
import dev.theon.ops.Index;
import dev.theon.ops.ScalarOp;
import dev.theon.tensor.NDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.theon.rewrite.Pattern.any;
import static dev.theon.rewrite.Pattern.constant;
import static dev.theon.rewrite.Pattern.elem;
import static dev.theon.rewrite.Pattern.op;

/**
 * A matrix that is zero except for one value per row, at the row's label: the shape in which gradient graphs carry
 * the derivative of picking one entry per row. Three spellings are recognised:
 * <ul>
 *   <li>{@link Kind#INDEXING}: {@code inc_subtensor(zeros[arange(n), labels], w)}, the gradient of
 *       {@code p[arange(n), labels]}; labels read as NumPy's indexing reads them (negative ones from the end, the n
 *       labels covering the first n rows);</li>
 *   <li>{@link Kind#MASK}: {@code switch(arange(classes)[None, :] == labels[:, None], a, 0)}, the gradient that
 *       {@code crossentropy_categorical_1hot} writes elementwise; one label in {@code [0, classes)} per row;</li>
 *   <li>{@link Kind#GRAD_OP}: {@code crossentropy_categorical_1hot_grad(dy, coding, labels)}, what the specialize phase
 *       makes of a mask form that divides by the coding.</li>
 * </ul>
 * The value at a row's label is available as a vector ({@link #weight}) when it is the same for the whole row, and
 * as the product with the picked entry of a matrix ({@link #times}) when it divides by that entry, as the derivative
 * of {@code log(p[i, label])} does.
 */
record OneHotScatter(Kind kind, Variable labels, Apply node) {

    enum Kind { INDEXING, MASK, GRAD_OP }

    /** {@code arange(0, k, 1)[None, :] == labels[:, None]}, either way round. */
    static final Pattern MASK = elem(ScalarOp.EQ,
            op(DimShuffle.class, o -> o instanceof DimShuffle d && d.inputNdim() == 1 && Arrays.equals(d.pattern(), new int[]{DimShuffle.NEW_AXIS, 0}),
                    op(ARange.class, constant(0), any(null), constant(1)).as("cols")),
            op(DimShuffle.class, o -> o instanceof DimShuffle d && d.inputNdim() == 1 && Arrays.equals(d.pattern(), new int[]{0, DimShuffle.NEW_AXIS}),
                    any("labels")));

    /** Whether the labels read under NumPy's indexing rules rather than the categorical ones. */
    boolean indexing() { return kind == Kind.INDEXING; }

    /** The one-hot scatter that {@code g} is, or null. */
    static OneHotScatter of(Variable g) {
        Apply n = g.owner();
        if (n == null || g.ndim() != 2 || !g.dtype().isFloat()) return null;
        if (n.op() instanceof IncSubtensor inc && !inc.set() && isRowPick(inc.entries()) && n.inputs().size() == 4) {
            Variable zeros = n.input(0), w = n.input(1), rows = n.input(2), labels = n.input(3);
            return isZeros(zeros) && w.ndim() <= 1 && isRowRange(rows, labels) ? new OneHotScatter(Kind.INDEXING, labels, n) : null;
        }
        if (n.op() instanceof Elemwise e && e.scalar() == ScalarOp.SWITCH && !e.isCast() && Consts.is(n.input(2), 0)) {
            Match m = MASK.match(n.input(0));
            if (m == null) return null;
            Variable cols = m.get("cols"), labels = m.get("labels");
            return cols.dtype().isInteger() && labels.ndim() == 1 && labels.dtype().isInteger() ? new OneHotScatter(Kind.MASK, labels, n) : null;
        }
        if (n.op() instanceof CrossentropyCategorical1HotGrad) return new OneHotScatter(Kind.GRAD_OP, n.input(2), n);
        return null;
    }

    /** The value at each row's label as a vector (one entry per row, or one for all), when the row's value does not vary; else null. */
    Variable weight() {
        return switch (kind) {
            case INDEXING -> asVector(unfilled(node.input(1)));
            case MASK -> rowValue(node.input(1));
            case GRAD_OP -> null;
        };
    }

    /**
     * The vector {@code c} with {@code c[i] = value[i] * s[i, label[i]]}, when the value at each label is a division
     * by that entry of {@code s} (the derivative of {@code log(s[i, label])}), built without the division; else null.
     */
    Variable times(Variable s) {
        switch (kind) {
            case INDEXING -> {
                Variable w = node.input(1);
                for (Variable d : divisors(w, 4)) {
                    Apply p = d.owner();
                    if (p != null && p.op() instanceof AdvancedSubtensor a && isRowPick(a.entries()) && p.inputs().size() == 3
                            && p.input(0) == s && p.input(1) == node.input(2) && p.input(2) == labels) {
                        Variable c = Stabilize.cancel(w, d, 4);
                        if (c != null) return asVector(unfilled(c));
                    }
                }
                return null;
            }
            case MASK -> {
                Variable c = Stabilize.cancel(node.input(1), s, 4);
                return c == null ? null : rowValue(c);
            }
            case GRAD_OP -> {
                // crossentropy_categorical_1hot_grad(dy, s, labels) holds -dy[i] / s[i, label] at the labels
                return node.input(1) == s ? Build.neg(asVector(node.input(0))) : null;
            }
        }
        return null;
    }

    /** The divisors of the divisions in {@code v}, searched through {@code depth} levels of elementwise ops. */
    static List<Variable> divisors(Variable v, int depth) {
        List<Variable> r = new ArrayList<>();
        collectDivisors(v, depth, r);
        return r;
    }

    private static void collectDivisors(Variable v, int depth, List<Variable> r) {
        if (depth == 0 || v.owner() == null || !(v.owner().op() instanceof Elemwise e) || e.isCast()) return;
        if (e.scalar() == ScalarOp.TRUE_DIV && !r.contains(v.owner().input(1))) r.add(v.owner().input(1));
        for (Variable in : v.owner().inputs()) collectDivisors(in, depth - 1, r);
    }

    /** Advanced indexing of a matrix's two axes by two index vectors: {@code x[rows, labels]}. */
    static boolean isRowPick(List<Index> entries) {
        return entries.size() == 2 && entries.get(0) instanceof Index.Take && entries.get(1) instanceof Index.Take;
    }

    /**
     * Whether {@code rows} is {@code 0, 1, ..., n - 1} for the n labels: {@code arange(0, stop, 1)} whose length is
     * provably the labels' (from {@code labels.shape[0]}, or both known statically), or a constant holding that range
     * when the labels' length is known. With any other rows (another start or step, a length that only matches at run
     * time) the indexing is not one entry per row and the rewrites stay away.
     */
    static boolean isRowRange(Variable rows, Variable labels) {
        if (rows.ndim() != 1 || !rows.dtype().isInteger() || labels.ndim() != 1 || !labels.dtype().isInteger()) return false;
        if (rows instanceof Constant c) {
            long n = labels.type().dim(0);
            NDArray v = c.value();
            if (n < 0 || v.size() != n || n > Consts.INSPECT_LIMIT) return false;
            for (long i = 0; i < n; i++) if (v.flatLong(i) != i) return false;
            return true;
        }
        Apply a = rows.owner();
        return a != null && a.op() instanceof ARange && Consts.is(a.input(0), 0) && Consts.is(a.input(2), 1)
                && ShapeRewrites.sameSize(rows, 0, labels, 0);
    }

    /** Whether {@code v} is all zeros: a zero constant, {@code fill(x, 0)} or {@code alloc(0, ...)}. */
    static boolean isZeros(Variable v) {
        if (Consts.is(v, 0)) return true;
        Apply n = v.owner();
        if (n == null) return false;
        if (n.op() instanceof Elemwise e && e.scalar() == ScalarOp.SECOND && !e.isCast()) return Consts.is(n.input(1), 0);
        return n.op() instanceof Alloc && Consts.is(n.input(0), 0);
    }

    /** {@code fill(s, v)} of a vector s is v where v broadcasts to it (the gradient ops broadcast it themselves). */
    private static Variable unfilled(Variable v) {
        if (Stabilize.isElem(v, ScalarOp.SECOND) && v.owner().input(0).ndim() == 1 && v.owner().input(1).ndim() <= 1) return v.owner().input(1);
        return v;
    }

    /** A scalar or vector as a vector: a scalar becomes a vector of static size 1. */
    private static Variable asVector(Variable v) {
        if (v.ndim() == 1) return v;
        return v.ndim() == 0 ? new DimShuffle(0, new int[]{DimShuffle.NEW_AXIS}).apply(v) : null;
    }

    /**
     * The per-row vector of a value that is constant along each row of a matrix context: a column {@code (n, 1)}, a
     * scalar, or anything of static size 1 on the last axis. Null when the value may vary along a row.
     */
    static Variable rowValue(Variable v) {
        if (v.ndim() == 0) return asVector(v);
        if (v.ndim() == 1) return v.type().dim(0) == 1 ? v : null;
        if (v.ndim() != 2 || v.type().dim(1) != 1) return null;
        Apply n = v.owner();
        if (n != null && n.op() instanceof DimShuffle d && d.inputNdim() == 1 && Arrays.equals(d.pattern(), new int[]{0, DimShuffle.NEW_AXIS}))
            return unfilled(n.input(0));
        if (Stabilize.isElem(v, ScalarOp.NEG)) {
            Variable inner = rowValue(n.input(0));
            if (inner != null) return Build.neg(inner);
        }
        return new DimShuffle(2, new int[]{0}).apply(v);
    }
}
