package dev.theon.rewrite;

import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.Variable;
import dev.theon.ops.Dot;
import dev.theon.ops.Elemwise;
import dev.theon.ops.Gemm;
import dev.theon.ops.Reduce;
import dev.theon.ops.ScalarOp;
import dev.theon.ops.TensorDot;
import dev.theon.tensor.DType;

import java.util.List;

import static dev.theon.rewrite.Pattern.any;
import static dev.theon.rewrite.Pattern.constant;
import static dev.theon.rewrite.Pattern.elem;
import static dev.theon.rewrite.PatternRewrite.rule;

/**
 * Cheaper ops for the same values: powers by small constants become sqr, sqrt and inv; a sum of products that is a
 * dot becomes one; a dot added to something (possibly scaled, possibly subtracted) becomes a {@link Gemm}, which
 * backends compute in one kernel (and, for the SGD update {@code W - lr * dot(x.T, d)}, into an intermediate's
 * storage when nothing else reads it).
 */
final class Specialize {
    private Specialize() {}

    static final Phase P = Phase.SPECIALIZE;

    static void register(RewriteDB db) {
        db.register(rule("pow_two_to_sqr", P, elem(ScalarOp.POW, any("x"), constant(2)),
                m -> Build.elem(ScalarOp.SQR, m.get("x")), m -> m.get("x").dtype().isFloat(), "pow"));
        db.register(rule("pow_half_to_sqrt", P, elem(ScalarOp.POW, any("x"), constant(0.5)),
                m -> Build.elem(ScalarOp.SQRT, m.get("x")), m -> m.get("x").dtype().isFloat(), "pow"));
        db.register(rule("pow_minus_one_to_inv", P, elem(ScalarOp.POW, any("x"), constant(-1)),
                m -> Build.elem(ScalarOp.INV, m.get("x")), m -> m.get("x").dtype().isFloat(), "pow"));
        db.register(rule("pow_minus_two_to_inv_sqr", P, elem(ScalarOp.POW, any("x"), constant(-2)),
                m -> Build.elem(ScalarOp.INV, Build.elem(ScalarOp.SQR, m.get("x"))), m -> m.get("x").dtype().isFloat(), "pow"));
        db.register(LocalRewrite.single("sum_of_products_to_dot", P, List.of(Reduce.class), Specialize::sumToDot, "dot"));
        db.register(LocalRewrite.single("gemm", P, List.of(ScalarOp.ADD, ScalarOp.SUB), Specialize::gemm, "gemm"));
    }

    /** sum(u * v) of two vectors -> dot(u, v); sum(M * v, axis=1) of a matrix and a vector -> dot(M, v). */
    static Variable sumToDot(Apply node, FunctionGraph g) {
        Reduce r = (Reduce) node.op();
        if (r.kind() != Reduce.Kind.SUM || r.keepdims()) return null;
        Variable p = node.input(0);
        if (!Stabilize.isElem(p, ScalarOp.MUL) || !p.dtype().isFloat()) return null;
        Variable u = p.owner().input(0), v = p.owner().input(1);
        if (u.dtype() != p.dtype() || v.dtype() != p.dtype()) return null;
        if (u.ndim() == 1 && v.ndim() == 1 && r.reduces(0)) {
            if (u.type().dim(0) == 1 || v.type().dim(0) == 1) return null;
            return new Dot().apply(u, v);
        }
        for (int side = 0; side < 2; side++) {
            Variable mat = side == 0 ? u : v, vec = side == 0 ? v : u;
            if (mat.ndim() == 2 && vec.ndim() == 1 && !r.reduces(0) && r.reduces(1)
                    && mat.type().dim(1) != 1 && vec.type().dim(0) != 1) return new Dot().apply(mat, vec);
        }
        return null;
    }

    /**
     * {@code C + alpha * dot(A, B)} in its spellings (either order, with or without alpha, subtracted either way)
     * -> {@code gemm(C, alpha, A, B, beta)}, when the product is read only by this sum.
     */
    static Variable gemm(Apply node, FunctionGraph g) {
        Elemwise e = (Elemwise) node.op();
        DType dt = node.output(0).dtype();
        if (e.outDType() != null || !dt.isFloat()) return null;
        Variable x = node.input(0), y = node.input(1);
        if (e.scalar() == ScalarOp.ADD) {
            Variable r = gemmOf(g, x, y, 1, 1, dt);
            return r != null ? r : gemmOf(g, y, x, 1, 1, dt);
        }
        Variable r = gemmOf(g, y, x, -1, 1, dt);  // C - alpha * dot
        return r != null ? r : gemmOf(g, x, y, 1, -1, dt);  // alpha * dot - C
    }

    /** gemm(c, sign * alpha, A, B, beta) when {@code term} is {@code [alpha *] dot(A, B)} read only here, else null. */
    private static Variable gemmOf(FunctionGraph g, Variable term, Variable c, double sign, double beta, DType dt) {
        Variable alpha = Consts.scalar(dt, 1);
        Variable prod = term;
        if (Stabilize.isElem(term, ScalarOp.MUL) && g.clients(term).size() == 1) {
            for (int k = 0; k < 2; k++) {
                Variable s = scalarOf(term.owner().input(k), dt);
                Variable d = term.owner().input(1 - k);
                if (s != null && isDot(d)) { alpha = s; prod = d; break; }
            }
        }
        if (!isDot(prod) || g.clients(prod).size() != 1 || c.dtype() != dt) return null;
        Variable[] ab = prod.owner().op() instanceof TensorDot ? Canonicalize.asDot(prod.owner()) : new Variable[]{prod.owner().input(0), prod.owner().input(1)};
        if (ab == null) return null;
        Variable a = ab[0], b = ab[1];
        if (a.ndim() != 2 || b.ndim() < 1 || b.ndim() > 2 || a.dtype() != dt || b.dtype() != dt) return null;
        if (sign < 0) alpha = alpha instanceof Constant k ? Consts.scalar(dt, -k.value().flatDouble(0)) : Build.neg(alpha);
        return new Gemm().apply(c, alpha, a, b, Consts.scalar(dt, beta));
    }

    /** A dot, or a tensordot that is one (see {@link Canonicalize#asDot}). */
    private static boolean isDot(Variable v) {
        return v.owner() != null && (v.owner().op() instanceof Dot || v.owner().op() instanceof TensorDot);
    }

    /** {@code v} as a rank-0 scalar of {@code dt}: a one-element constant, or a rank-0 variable of that dtype. */
    private static Variable scalarOf(Variable v, DType dt) {
        if (v instanceof Constant c && c.value().size() == 1) return Consts.scalar(dt, c.value().flatDouble(0));
        return v.ndim() == 0 && v.dtype() == dt ? v : null;
    }
}
