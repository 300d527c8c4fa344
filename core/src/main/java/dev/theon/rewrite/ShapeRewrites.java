package dev.theon.rewrite;

import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.grad.GradControl;
import dev.theon.ops.Alloc;
import dev.theon.ops.Composite;
import dev.theon.ops.DimShuffle;
import dev.theon.ops.Dot;
import dev.theon.ops.Elemwise;
import dev.theon.ops.Gemm;
import dev.theon.ops.LogSoftmax;
import dev.theon.ops.Reduce;
import dev.theon.ops.Shape;
import dev.theon.ops.ShapeI;
import dev.theon.ops.Softmax;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.util.List;

/**
 * Shape inference used on shape queries. A query of a size the static type knows becomes a constant; a query of an
 * intermediate's size is moved to the operand the size comes from (the size of {@code exp(x)} is the size of x), so
 * that the intermediate is no longer needed just for its shape: {@code y - y} with {@code y = x ** 2} becomes zeros
 * of x's shape and the power is gone.
 */
final class ShapeRewrites {
    private ShapeRewrites() {}

    static void register(RewriteDB db) {
        db.register(LocalRewrite.single("shape_constant", Phase.CANONICALIZE, List.of(ShapeI.class, Shape.class), ShapeRewrites::constant, "shape"));
        db.register(LocalRewrite.single("shape_lift", Phase.CANONICALIZE, List.of(ShapeI.class, Shape.class), ShapeRewrites::lift, "shape"));
    }

    static Variable constant(Apply node, FunctionGraph g) {
        TensorType t = node.input(0).type();
        if (node.op() instanceof ShapeI s) {
            long d = t.dim(s.axis());
            return d >= 0 ? new Constant(TensorType.of(DType.INT64), NDArray.scalarLong(DType.INT64, d), null) : null;
        }
        if (!t.fullyKnown()) return null;
        NDArray v = NDArray.zeros(DType.INT64, t.ndim());
        for (int d = 0; d < t.ndim(); d++) v.writeLong(v.storageIndexOfFlat(d), t.dim(d));
        return new Constant(TensorType.of(DType.INT64, t.ndim()), v, null);
    }

    static Variable lift(Apply node, FunctionGraph g) {
        Variable v = node.input(0);
        if (v.owner() == null) return null;
        if (node.op() instanceof Shape) {
            Variable u = sameShapeOperand(v);
            return u == null ? null : new Shape().apply(u);
        }
        int axis = ((ShapeI) node.op()).axis();
        Apply src = v.owner();
        Op op = src.op();
        if (op instanceof Elemwise || op instanceof Composite) {
            int rank = v.ndim();
            for (Variable u : src.inputs()) {
                int k = axis - (rank - u.ndim());
                if (k >= 0 && u.type().dim(k) != 1) return new ShapeI(k).apply(u);
            }
            return null;
        }
        if (op instanceof Softmax || op instanceof LogSoftmax || op instanceof GradControl) return new ShapeI(axis).apply(src.input(0));
        if (op instanceof DimShuffle d) {
            int p = d.pattern()[axis];
            return p == DimShuffle.NEW_AXIS ? null : new ShapeI(p).apply(src.input(0));
        }
        if (op instanceof Dot) return dotDim(src.input(0), src.input(1), axis);
        if (op instanceof Gemm) return dotDim(src.input(2), src.input(3), axis);
        if (op instanceof Reduce r) {
            int k = axis;
            if (!r.keepdims()) {
                // the output's axis-th axis is the input's axis-th kept axis
                int seen = -1;
                for (k = 0; k < src.input(0).ndim(); k++) if (!r.reduces(k) && ++seen == axis) break;
            }
            return k < src.input(0).ndim() && !r.reduces(k) ? new ShapeI(k).apply(src.input(0)) : null;
        }
        if (op instanceof Alloc) return src.input(axis + 1);
        return null;
    }

    /** Output axis {@code axis} of {@code dot(a, b)}: a's free axes come first, then b's. */
    private static Variable dotDim(Variable a, Variable b, int axis) {
        if (a.ndim() == 0 || b.ndim() == 0) return null;
        int freeA = a.ndim() - 1;
        if (axis < freeA) return new ShapeI(axis).apply(a);
        int j = axis - freeA;
        int contracted = b.ndim() == 1 ? 0 : b.ndim() - 2;
        return new ShapeI(j < contracted ? j : j + 1).apply(b);
    }

    /** An operand of an elementwise node with exactly the node's run-time shape, or null. */
    private static Variable sameShapeOperand(Variable v) {
        Op op = v.owner().op();
        if (op instanceof Softmax || op instanceof LogSoftmax || op instanceof GradControl) return v.owner().input(0);
        if (!(op instanceof Elemwise) && !(op instanceof Composite)) return null;
        TensorType t = v.type();
        for (Variable u : v.owner().inputs()) {
            if (u.ndim() != t.ndim()) continue;
            boolean ok = true;
            for (int d = 0; d < t.ndim() && ok; d++) ok = u.type().dim(d) != 1 || t.dim(d) == 1;
            if (ok) return u;
        }
        return null;
    }
}
