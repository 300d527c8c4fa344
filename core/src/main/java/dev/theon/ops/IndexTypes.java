package dev.theon.ops;

import dev.theon.TheonException;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.Shapes;

import java.util.ArrayList;
import java.util.List;

/**
 * The type rule shared by the indexing ops: checks an op's index entries against the indexed tensor and the node's
 * index inputs, and computes the static shape of the indexed region (NumPy's rules, see {@link Region} for the
 * run-time side).
 */
final class IndexTypes {
    private IndexTypes() {}

    /**
     * The static shape of {@code x[entries]}, where {@code x} is input 0 of the node and the symbolic positions are
     * read from inputs {@code firstIndex, firstIndex + 1, ...}. Throws a TypeError naming {@code op} when the entries
     * do not fit, and a ShapeError when a fixed integer index is out of range for a statically known dim.
     */
    static long[] regionShape(Op op, List<Index> entries, List<Variable> in, int firstIndex) {
        TensorType x = in.get(0).type();
        long[] xs = x.shape();
        int consumed = 0, symbolic = 0;
        for (Index e : entries) {
            if (e instanceof Index.Ellipsis) throw op.typeError(in, "an ellipsis must be expanded before the op is built (T.get does this)");
            if (e.consumesAxis()) consumed++;
            symbolic += symbolicPositions(op, in, e);
        }
        if (consumed > xs.length)
            throw op.typeError(in, "too many indices: a tensor of rank " + xs.length + " was indexed with " + consumed);
        if (in.size() != firstIndex + symbolic)
            throw op.typeError(in, "expects " + (firstIndex + symbolic) + " inputs (" + firstIndex + " tensor(s) and "
                    + symbolic + " symbolic index value(s)), got " + in.size());

        boolean advanced = isAdvanced(entries);
        List<Long> basic = new ArrayList<>();
        List<long[]> advShapes = new ArrayList<>();
        int insertAt = -1, lastAdvEntry = -1;
        boolean adjacent = true;
        int k = firstIndex, axis = 0;
        for (int j = 0; j < entries.size(); j++) {
            Index e = entries.get(j);
            boolean adv = advanced && (e instanceof Index.At || e instanceof Index.Take);
            if (adv) {
                if (insertAt < 0) insertAt = basic.size();
                else if (lastAdvEntry != j - 1) adjacent = false;
                lastAdvEntry = j;
            }
            switch (e) {
                case Index.At a -> {
                    if (a.i() == Index.INPUT) requireIntegerScalar(op, in, k++, "an integer index");
                    else checkStaticRange(op, in, (Long) a.i(), axis, xs[axis]);
                    if (adv) advShapes.add(new long[0]);
                    axis++;
                }
                case Index.Slice s -> {
                    Object[] bounds = {s.start(), s.stop(), s.step()};
                    String[] what = {"a slice start", "a slice stop", "a slice step"};
                    boolean fixed = true;
                    for (int b = 0; b < 3; b++) {
                        if (bounds[b] == Index.INPUT) { requireIntegerScalar(op, in, k++, what[b]); fixed = false; }
                    }
                    long n = xs[axis++];
                    basic.add(fixed && n >= 0 ? Shapes.sliceIndices(n, bound(s.start(), Long.MIN_VALUE), bound(s.stop(), Long.MAX_VALUE), bound(s.step(), 1))[3]
                            : Shapes.UNKNOWN);
                }
                case Index.NewAxis n -> basic.add(1L);
                case Index.Take t -> {
                    Variable v = in.get(k++);
                    if (v.dtype().isBool())
                        throw op.typeError(in, "boolean mask indexing is not supported; an advanced index must have an integer dtype, got "
                                + v.describe() + " of type " + v.type());
                    if (!v.dtype().isInteger())
                        throw op.typeError(in, "an advanced index must have an integer dtype (int8..int64), got " + v.describe() + " of type " + v.type());
                    advShapes.add(v.type().shape());
                    axis++;
                }
                case Index.Ellipsis el -> throw new IllegalStateException("unreachable");
            }
        }
        for (; axis < xs.length; axis++) basic.add(xs[axis]);

        long[] out;
        if (!advanced) {
            out = new long[basic.size()];
            for (int i = 0; i < out.length; i++) out[i] = basic.get(i);
            return out;
        }
        long[] b = Elemwise.staticBroadcast(advShapes.toArray(long[][]::new));
        if (b == null) {
            StringBuilder s = new StringBuilder();
            for (long[] a : advShapes) s.append(' ').append(Shapes.str(a));
            throw op.typeError(in, "shape mismatch: the indexing arrays could not be broadcast together with shapes" + s);
        }
        if (!adjacent) insertAt = 0;  // NumPy: separated advanced indices put their dims first
        out = new long[basic.size() + b.length];
        int o = 0;
        for (int i = 0; i < insertAt; i++) out[o++] = basic.get(i);
        for (long d : b) out[o++] = d;
        for (int i = insertAt; i < basic.size(); i++) out[o++] = basic.get(i);
        return out;
    }

    /** How many index inputs entry {@code e} reads; rejects Variables, which belong in inputs, not in op parameters. */
    private static int symbolicPositions(Op op, List<Variable> in, Index e) {
        Object[] ps = switch (e) {
            case Index.At a -> new Object[]{a.i()};
            case Index.Slice s -> new Object[]{s.start(), s.stop(), s.step()};
            case Index.Take t -> new Object[]{t.indices()};
            default -> new Object[0];
        };
        int n = 0;
        for (Object p : ps) {
            if (p instanceof Variable) throw op.typeError(in, "an op's index entries hold Index.INPUT where a value is symbolic, not the Variable itself");
            if (p == Index.INPUT) n++;
        }
        return n;
    }

    private static void requireIntegerScalar(Op op, List<Variable> in, int k, String what) {
        Variable v = in.get(k);
        if (v.ndim() != 0 || !v.dtype().isInteger())
            throw op.typeError(in, what + " must be an integer scalar (int8..int64, rank 0), got " + v.describe() + " of type " + v.type());
    }

    private static void checkStaticRange(Op op, List<Variable> in, long i, int axis, long n) {
        if (n >= 0 && (i >= n || i < -n))
            throw new TheonException.ShapeError(op.name() + ": index " + i + " is out of bounds for axis " + axis + " with size " + n
                    + " (indexing " + in.get(0).describe() + " of type " + in.get(0).type() + ")");
    }

    private static long bound(Object fixed, long omitted) { return fixed == null ? omitted : (Long) fixed; }

    /** True when an entry list has an advanced (integer array) entry. */
    static boolean isAdvanced(List<Index> entries) {
        for (Index e : entries) if (e instanceof Index.Take) return true;
        return false;
    }

    /** {@code y}'s dtype can be written into {@code x}'s without a downcast (NumPy's promotion gives x's dtype). */
    static boolean writableInto(DType y, DType x) { return DType.promote(x, y) == x; }
}
