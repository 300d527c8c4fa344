package dev.theon.rewrite;

import dev.theon.graph.Op;
import dev.theon.graph.Variable;
import dev.theon.ops.AdvancedSubtensor;
import dev.theon.ops.CrossentropyCategorical1HotGrad;
import dev.theon.ops.CrossentropySoftmax1Hot;
import dev.theon.ops.CrossentropySoftmax1HotDx;
import dev.theon.ops.Elemwise;
import dev.theon.ops.LogSoftmax;
import dev.theon.ops.Reduce;
import dev.theon.ops.ScalarOp;
import dev.theon.ops.Softmax;

import java.util.List;

import static dev.theon.rewrite.Pattern.any;
import static dev.theon.rewrite.Pattern.elem;
import static dev.theon.rewrite.Pattern.op;
import static dev.theon.rewrite.PatternRewrite.rule;

/**
 * The negative log-likelihood of integer labels, and its gradient, as the fused one-hot cross-entropy ops (Theano's
 * {@code local_advanced_indexing_crossentropy_onehot} and {@code ..._grad}, and its softmax-of-1hot-grad rewrite). All
 * carry the tag {@value #TAG}, so {@code excluding("crossentropy_onehot")} leaves the graphs as written.
 * <ul>
 *   <li>Stabilize: {@code log(softmax(x)[arange(n), labels])}, {@code log(softmax(x))[arange(n), labels]} and
 *       {@code log_softmax(x)[arange(n), labels]} become {@code -crossentropy_softmax_1hot{indexing}(x, labels)},
 *       finite where the picked probability underflows. Only with rows that are provably {@code 0..n-1} for the n
 *       labels ({@link OneHotScatter#isRowRange}), the softmax along the last axis of a matrix, and integer label
 *       vectors; a bias, {@code softmax(x + b)}, stays in the logits.</li>
 *   <li>Stabilize: the softmax gradient of a one-hot scatter ({@link OneHotScatter}), in the two forms the chain rule
 *       writes: {@code (G - sum(G * sm, 1)) * sm} where G divides by the picked {@code sm[i, label]} (the derivative of
 *       {@code log(sm[...])}), and {@code G - sum(G, 1) * sm} (through log-softmax, or after the division is cancelled),
 *       become {@code crossentropy_softmax_1hot_dx(dy, sm, labels)}: no division by a probability that may underflow,
 *       no arange, no indexing.</li>
 *   <li>Specialize: the one-hot mask gradient of {@code crossentropy_categorical_1hot(p, labels)},
 *       {@code switch(arange(k)[None, :] == labels[:, None], a / p, 0)}, becomes
 *       {@code crossentropy_categorical_1hot_grad}, without the mask and its arange.</li>
 * </ul>
 * Each replacement is exact: the indexing forms keep NumPy's rules for the labels (negative labels count from the end,
 * fewer labels than rows pick the first rows) and still raise a ShapeError for a label out of bounds; the mask forms,
 * whose labels the forward op checks, raise its error for a label out of range instead of leaving a zero row.
 * <p>
 * One case stays as written: labels of static length 1 under a picked value typed with an unknown length (the range
 * was folded to a constant after the graph was built). The fused value would declare that length broadcastable, which
 * the readers were not typed for ({@link Types#conform}); its gradient is still fused.
 */
final class OneHotCrossentropy {
    private OneHotCrossentropy() {}

    static final String TAG = "crossentropy_onehot";

    static void register(RewriteDB db) {
        Phase s = Phase.STABILIZE;
        Pattern pickSoftmax = op(AdvancedSubtensor.class, op(Softmax.class, any("x")).as("sm"), any("rows"), any("labels")).as("pick");
        db.register(rule("nll_of_softmax_indexing", s, elem(ScalarOp.LOG, pickSoftmax),
                OneHotCrossentropy::negCrossentropy, "stability", TAG));
        db.register(rule("nll_of_log_softmax_indexing", s,
                op(AdvancedSubtensor.class, op(LogSoftmax.class, any("x")).as("sm"), any("rows"), any("labels")).as("pick"),
                OneHotCrossentropy::negCrossentropy, "stability", TAG));
        db.register(rule("nll_of_log_of_softmax_indexing", s,
                op(AdvancedSubtensor.class, elem(ScalarOp.LOG, op(Softmax.class, any("x")).as("sm")), any("rows"), any("labels")).as("pick"),
                OneHotCrossentropy::negCrossentropy, "stability", TAG));

        // (G - sum(G * sm, axis=1, keepdims)) * sm: the softmax gradient as Softmax.grad writes it
        db.register(rule("crossentropy_softmax_dx", s,
                elem(ScalarOp.MUL, elem(ScalarOp.SUB, any("g"), rowSum(elem(ScalarOp.MUL, any("g"), any("sm")))), any("sm")),
                OneHotCrossentropy::dxOfProduct, "stability", TAG));
        // G - sum(G, axis=1, keepdims) * sm: through log-softmax (LogSoftmax.grad, with exp(log_softmax(x)) for sm), or
        // after cancel_division took the 1 / sm out of the form above
        db.register(rule("crossentropy_softmax_dx_of_sum", s,
                elem(ScalarOp.SUB, any("g"), elem(ScalarOp.MUL, rowSum(any("g")), any("p"))),
                OneHotCrossentropy::dxOfSum, "stability", TAG));

        db.register(LocalRewrite.single("crossentropy_categorical_1hot_grad", Phase.SPECIALIZE, List.of(ScalarOp.SWITCH),
                (node, g) -> categoricalGrad(node.output(0)), TAG));
    }

    /** {@code sum(arg, axis=1, keepdims=True)} of a matrix. */
    private static Pattern rowSum(Pattern arg) {
        return op(Reduce.class, (Op o) -> o instanceof Reduce r && r.kind() == Reduce.Kind.SUM && r.keepdims()
                && r.reduces(1) && !r.reduces(0), arg);
    }

    /** {@code -crossentropy_softmax_1hot{indexing}(x, labels)} for a softmax or log-softmax picked at one label per row. */
    private static Variable negCrossentropy(Match m) {
        Op sm = m.node("sm").op();
        int axis = sm instanceof Softmax s ? s.axis() : ((LogSoftmax) sm).axis();
        Variable x = m.get("x"), labels = m.get("labels");
        if (axis != 1 || x.ndim() != 2 || !x.dtype().isFloat()) return null;
        if (!OneHotScatter.isRowPick(((AdvancedSubtensor) m.node("pick").op()).entries())) return null;
        if (!OneHotScatter.isRowRange(m.get("rows"), labels)) return null;
        return Build.neg(new CrossentropySoftmax1Hot(true).apply(x, labels));
    }

    private static Variable dxOfProduct(Match m) {
        Variable sm = m.get("sm"), g = m.get("g");
        OneHotScatter sc = OneHotScatter.of(g);
        if (!isSoftmaxRows(sm) || sc == null || !fits(sc, g, sm)) return null;
        Variable c = sc.times(sm);
        return c == null ? null : dx(sc, Build.neg(c), sm);
    }

    private static Variable dxOfSum(Match m) {
        Variable p = m.get("p"), g = m.get("g");
        Variable sm = isSoftmaxRows(p) ? p : softmaxOfExpLogSoftmax(p);
        OneHotScatter sc = OneHotScatter.of(g);
        if (sm == null || sc == null || !fits(sc, g, sm)) return null;
        Variable w = sc.weight();
        return w == null ? null : dx(sc, Build.neg(w), sm);
    }

    /** The Dx op; its dy takes sm's dtype. */
    private static Variable dx(OneHotScatter sc, Variable dy, Variable sm) {
        Variable d = dy.dtype() == sm.dtype() ? dy : Elemwise.cast(sm.dtype()).apply(dy);
        return new CrossentropySoftmax1HotDx(sc.indexing()).apply(d, sm, sc.labels());
    }

    /**
     * Whether the scatter and the softmax have the same classes (the labels point at sm's columns), and for the
     * indexing form the same rows too: otherwise the original graph may fail, or broadcast, where the op would not.
     */
    private static boolean fits(OneHotScatter sc, Variable g, Variable sm) {
        if (!ShapeRewrites.sameSize(g, 1, sm, 1)) return false;
        return sc.kind() != OneHotScatter.Kind.INDEXING || ShapeRewrites.sameSize(g, 0, sm, 0);
    }

    /** A softmax along the last axis of a float matrix. */
    private static boolean isSoftmaxRows(Variable v) {
        return v.ndim() == 2 && v.dtype().isFloat() && v.owner() != null && v.owner().op() instanceof Softmax s && s.axis() == 1;
    }

    /** {@code softmax(x)} for {@code exp(log_softmax(x))} along the last axis of a matrix, else null. */
    private static Variable softmaxOfExpLogSoftmax(Variable v) {
        if (!Stabilize.isElem(v, ScalarOp.EXP)) return null;
        Variable lsm = v.owner().input(0);
        if (lsm.ndim() != 2 || lsm.owner() == null || !(lsm.owner().op() instanceof LogSoftmax l) || l.axis() != 1) return null;
        Variable sm = new Softmax(1).apply(lsm.owner().input(0));
        return sm.dtype() == v.dtype() ? sm : null;
    }

    /**
     * The mask form {@code switch(one_hot, a, 0)} where {@code a} divides by a float matrix p with the mask's classes:
     * {@code crossentropy_categorical_1hot_grad(-a * p, p, labels)}, where {@code a * p} is taken without the division.
     */
    private static Variable categoricalGrad(Variable g) {
        OneHotScatter sc = OneHotScatter.of(g);
        if (sc == null || sc.kind() != OneHotScatter.Kind.MASK) return null;
        for (Variable p : OneHotScatter.divisors(sc.node().input(1), 4)) {
            if (p.ndim() != 2 || !p.dtype().isFloat() || !ShapeRewrites.sameSize(g, 1, p, 1)) continue;
            Variable c = sc.times(p);
            if (c == null) continue;
            Variable dy = Build.neg(c);
            if (dy.dtype() != p.dtype()) dy = Elemwise.cast(p.dtype()).apply(dy);
            return new CrossentropyCategorical1HotGrad().apply(dy, p, sc.labels());
        }
        return null;
    }
}
