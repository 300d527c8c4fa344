package dev.theon.rewrite;

import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.grad.GradControl;
import dev.theon.ops.ARange;
import dev.theon.ops.AdvancedSubtensor;
import dev.theon.ops.Alloc;
import dev.theon.ops.Composite;
import dev.theon.ops.CrossentropyCategorical1Hot;
import dev.theon.ops.CrossentropyCategorical1HotGrad;
import dev.theon.ops.CrossentropySoftmax1Hot;
import dev.theon.ops.CrossentropySoftmax1HotDx;
import dev.theon.ops.DimShuffle;
import dev.theon.ops.Dot;
import dev.theon.ops.Elemwise;
import dev.theon.ops.Gemm;
import dev.theon.ops.IncSubtensor;
import dev.theon.ops.Index;
import dev.theon.ops.LogSoftmax;
import dev.theon.ops.Reduce;
import dev.theon.ops.Shape;
import dev.theon.ops.ShapeI;
import dev.theon.ops.Softmax;
import dev.theon.ops.Subtensor;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shape inference used on shape queries. A query of a size the static type knows becomes a constant; a query of an
 * intermediate's size is moved to the operand the size comes from (the size of {@code exp(x)} is the size of x), so
 * that the intermediate is no longer needed just for its shape: {@code y - y} with {@code y = x ** 2} becomes zeros
 * of x's shape and the power is gone.
 * <p>
 * The same relation ({@link #sources}) proves two sizes equal when they come from one place, which lets a tensordot
 * of a gradient graph become a dot without risking a different error on mismatched operands (such a mismatch would
 * have stopped the function earlier). As with Theano's shape feature, once a size is read from an operand the node
 * that checked it may be gone, so a mismatch that no output depends on is no longer reported.
 */
final class ShapeRewrites {
    private ShapeRewrites() {}

    /** A size: axis {@code axis} of {@code of}, or, when axis is -1, the value of the integer scalar {@code of}. */
    record Dim(Variable of, int axis) {}

    static void register(RewriteDB db) {
        db.register(LocalRewrite.single("shape_constant", Phase.CANONICALIZE, List.of(ShapeI.class, Shape.class), ShapeRewrites::constant, "shape"));
        db.register(LocalRewrite.single("shape_lift", Phase.CANONICALIZE, List.of(ShapeI.class, Shape.class), ShapeRewrites::lift, "shape"));
        db.register(LocalRewrite.single("shape_index", Phase.CANONICALIZE, List.of(Subtensor.class), ShapeRewrites::shapeIndex, "shape"));
    }

    /** {@code x.shape[k]} for a constant k (Theano's spelling of a size) -> {@code shape_i{k}(x)}, which the rest follows. */
    static Variable shapeIndex(Apply node, FunctionGraph g) {
        List<Index> entries = ((Subtensor) node.op()).entries();
        Variable v = node.input(0);
        if (entries.size() != 1 || !(entries.get(0) instanceof Index.At at) || !(at.i() instanceof Long k)) return null;
        if (v.owner() == null || !(v.owner().op() instanceof Shape)) return null;
        Variable x = v.owner().input(0);
        long axis = k < 0 ? k + x.ndim() : k;
        return axis >= 0 && axis < x.ndim() ? new ShapeI((int) axis).apply(x) : null;
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
        // follow the first source as far up as it goes, in one step
        Dim d = new Dim(v, ((ShapeI) node.op()).axis());
        for (int step = 0; step < 256; step++) {
            List<Dim> from = sources(d);
            if (from.isEmpty()) break;
            Dim next = from.get(0);
            if (next.axis() < 0) return next.of();
            d = next;
            if (d.of().type().dim(d.axis()) >= 0) break;
        }
        if (d.of() == v) return null;
        return new ShapeI(d.axis()).apply(d.of());
    }

    /** The sizes equal to {@code d} one step up the graph (equal whenever the function runs without a shape error). */
    static List<Dim> sources(Dim d) {
        Variable v = d.of();
        int axis = d.axis();
        if (v.owner() == null) return List.of();
        Apply src = v.owner();
        Op op = src.op();
        if (axis < 0) {
            if (op instanceof ShapeI s) return List.of(new Dim(src.input(0), s.axis()));
            return List.of();
        }
        if (op instanceof Elemwise || op instanceof Composite) {
            // every operand whose axis is not broadcastable has the result's size there
            List<Dim> r = new ArrayList<>();
            int rank = v.ndim();
            for (Variable u : src.inputs()) {
                int k = axis - (rank - u.ndim());
                if (k >= 0 && u.type().dim(k) != 1) r.add(new Dim(u, k));
            }
            return r;
        }
        if (op instanceof Softmax || op instanceof LogSoftmax || op instanceof GradControl) return List.of(new Dim(src.input(0), axis));
        if (op instanceof DimShuffle s) {
            int p = s.pattern()[axis];
            return p == DimShuffle.NEW_AXIS ? List.of() : List.of(new Dim(src.input(0), p));
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
            return k < src.input(0).ndim() && !r.reduces(k) ? List.of(new Dim(src.input(0), k)) : List.of();
        }
        if (op instanceof Alloc) return List.of(new Dim(src.input(axis + 1), -1));
        if (op instanceof CrossentropySoftmax1Hot c && c.indexing()) return List.of(new Dim(src.input(1), 0));
        if (op instanceof CrossentropyCategorical1Hot || op instanceof CrossentropySoftmax1Hot)
            return List.of(new Dim(src.input(0), 0), new Dim(src.input(1), 0));
        // the gradients of the one-hot cross-entropies have the shape of their matrix operand
        if (op instanceof CrossentropySoftmax1HotDx dx)
            return axis == 0 && !dx.indexing() ? List.of(new Dim(src.input(1), 0), new Dim(src.input(2), 0)) : List.of(new Dim(src.input(1), axis));
        if (op instanceof CrossentropyCategorical1HotGrad)
            return axis == 0 ? List.of(new Dim(src.input(1), 0), new Dim(src.input(2), 0)) : List.of(new Dim(src.input(1), axis));
        if (op instanceof IncSubtensor) return List.of(new Dim(src.input(0), axis));
        if (op instanceof AdvancedSubtensor a) return advancedDims(src, a, axis);
        if (op instanceof ARange a && a.dtype().isInteger() && Consts.is(src.input(0), 0) && Consts.is(src.input(2), 1))
            return List.of(new Dim(src.input(1), -1));
        return List.of();
    }

    /**
     * Axis {@code axis} of {@code x[idx1, ..., idxk, :, ...]} with k index vectors first and only whole axes after: the
     * first axis is the index vectors' common length, the others are x's remaining axes. NumPy broadcasts index arrays
     * at run time (a vector of length 1 stretches), so the first axis comes from the index vectors only when their
     * lengths are provably equal.
     */
    private static List<Dim> advancedDims(Apply src, AdvancedSubtensor a, int axis) {
        List<Index> entries = a.entries();
        int k = 0;
        while (k < entries.size() && entries.get(k) instanceof Index.Take) k++;
        if (k == 0) return List.of();
        for (int j = k; j < entries.size(); j++) if (!(entries.get(j) instanceof Index.Slice s && s.isFull())) return List.of();
        List<Variable> index = src.inputs().subList(1, 1 + k);
        for (Variable v : index) if (v.ndim() != 1) return List.of();
        if (axis > 0) return List.of(new Dim(src.input(0), k + axis - 1));
        for (int j = 1; j < k; j++) if (!sameSize(index.get(0), 0, index.get(j), 0)) return List.of();
        List<Dim> r = new ArrayList<>();
        for (Variable v : index) r.add(new Dim(v, 0));
        return r;
    }

    /** Output axis {@code axis} of {@code dot(a, b)}: a's free axes come first, then b's. */
    private static List<Dim> dotDim(Variable a, Variable b, int axis) {
        if (a.ndim() == 0 || b.ndim() == 0) return List.of();
        int freeA = a.ndim() - 1;
        if (axis < freeA) return List.of(new Dim(a, axis));
        int j = axis - freeA;
        int contracted = b.ndim() == 1 ? 0 : b.ndim() - 2;
        return List.of(new Dim(b, j < contracted ? j : j + 1));
    }

    /** Whether axis {@code ax} of a and axis {@code bx} of b are provably the same size (statically, or from one source). */
    static boolean sameSize(Variable a, int ax, Variable b, int bx) {
        long sa = a.type().dim(ax), sb = b.type().dim(bx);
        if (sa >= 0 && sb >= 0) return sa == sb;
        Set<Dim> left = closure(new Dim(a, ax));
        for (Dim d : closure(new Dim(b, bx))) if (left.contains(d)) return true;
        return false;
    }

    private static Set<Dim> closure(Dim start) {
        Set<Dim> seen = new HashSet<>();
        Deque<Dim> todo = new ArrayDeque<>();
        todo.add(start);
        while (!todo.isEmpty() && seen.size() < 256) {
            Dim d = todo.poll();
            if (!seen.add(d)) continue;
            todo.addAll(sources(d));
        }
        return seen;
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
