package dev.theon.ops;

import dev.theon.T;
import dev.theon.TheonException;
import dev.theon.grad.Grad;
import dev.theon.graph.Constant;
import dev.theon.graph.Op;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Builds indexing expressions from what users write: {@code x[1, 2:5, idx]} as {@code get(x, 1, Index.slice(2L, 5L, null), idx)},
 * {@code take}, and Theano's {@code set_subtensor}/{@code inc_subtensor} over an indexing expression.
 */
public final class Indexing {
    private Indexing() {}

    /**
     * {@code x[indices]}. Each index is a Java integer, an {@link Index}, an integer scalar Variable (an integer
     * position), an integer tensor Variable or NDArray or Java integer array (advanced indexing). Fewer indices than
     * the rank leave the trailing axes whole. With only basic entries the result is a view ({@link Subtensor}),
     * otherwise a new array ({@link AdvancedSubtensor}).
     */
    public static Variable get(Variable x, Object... indices) {
        List<Index> given = new ArrayList<>(indices.length);
        for (Object o : indices) given.add(toIndex(o));
        List<Index> expanded = expandEllipsis(given, x.ndim());
        List<Index> entries = new ArrayList<>(expanded.size());
        List<Variable> inputs = new ArrayList<>();
        inputs.add(x);
        for (Index e : expanded) entries.add(lift(e, inputs));
        Op op = IndexTypes.isAdvanced(entries) ? new AdvancedSubtensor(entries) : new Subtensor(entries);
        return op.make(inputs).out();
    }

    /**
     * NumPy's {@code take(x, indices, axis)}: the elements at {@code indices} (an integer tensor of any rank, an
     * integer array or a Java integer) along {@code axis}; the indices' shape replaces that axis.
     */
    public static Variable take(Variable x, Object indices, int axis) {
        int ax;
        try {
            ax = Shapes.axis(axis, x.ndim());
        } catch (IllegalArgumentException e) {
            throw new TheonException.TypeError("take: " + e.getMessage() + " (" + x.describe() + " : " + x.type() + ")");
        }
        Object[] idx = new Object[ax + 1];
        for (int d = 0; d < ax; d++) idx[d] = Index.all();
        Index last = toIndex(indices);
        idx[ax] = last instanceof Index.At || last instanceof Index.Take ? last : notAnIndexArray(indices);
        return get(x, idx);
    }

    private static Index notAnIndexArray(Object indices) {
        throw new TheonException.TypeError("take: indices must be an integer tensor, an integer array or a Java integer, got " + indices);
    }

    /** {@code x[:, ..., start:stop]} with the slice on {@code axis}. */
    public static Variable slice(Variable x, int axis, long start, long stop) {
        int ax;
        try {
            ax = Shapes.axis(axis, x.ndim());
        } catch (IllegalArgumentException e) {
            throw new TheonException.TypeError("slice: " + e.getMessage() + " (" + x.describe() + " : " + x.type() + ")");
        }
        Object[] idx = new Object[ax + 1];
        for (int d = 0; d < ax; d++) idx[d] = Index.all();
        idx[ax] = Index.slice(start, stop, null);
        return get(x, idx);
    }

    /**
     * The indexing expression {@code sub} as a {@code set_subtensor}/{@code inc_subtensor} of the tensor it indexes:
     * a new tensor equal to that tensor with the region replaced by, or incremented by, {@code y}.
     */
    public static Variable setOrInc(Variable sub, Variable y, boolean set, String caller) {
        List<Index> entries = entriesOf(sub, caller);
        List<Variable> inputs = new ArrayList<>(sub.owner().inputs());
        inputs.add(1, y);
        return new IncSubtensor(entries, set).make(inputs).out();
    }

    /**
     * {@code x[entries]} where the entries are already an op's parameters ({@link Index#INPUT} for symbolic parts) and
     * {@code index} holds the matching index inputs: the gradients rebuild the region of a node on another tensor.
     */
    static Variable read(List<Index> entries, Variable x, List<Variable> index) {
        List<Variable> inputs = new ArrayList<>(index.size() + 1);
        inputs.add(x);
        inputs.addAll(index);
        Op op = IndexTypes.isAdvanced(entries) ? new AdvancedSubtensor(entries) : new Subtensor(entries);
        return op.make(inputs).out();
    }

    /** {@code set_subtensor}/{@code inc_subtensor} of {@code x[entries]} by {@code y}, entries and index as in {@link #read}. */
    static Variable write(List<Index> entries, boolean set, Variable x, Variable y, List<Variable> index) {
        List<Variable> inputs = new ArrayList<>(index.size() + 2);
        inputs.add(x);
        inputs.add(y);
        inputs.addAll(index);
        return new IncSubtensor(entries, set).make(inputs).out();
    }

    /**
     * The gradient of reading {@code x[entries]} (Theano's): zeros shaped like x with {@code gz} added into the region,
     * so repeated advanced indices accumulate ({@code np.add.at}). The index inputs are integers: disconnected (null).
     * An integer x has no gradient either.
     */
    static List<Variable> readGrad(List<Index> entries, List<Variable> inputs, Variable gz) {
        Variable x = inputs.get(0);
        List<Variable> grads = new ArrayList<>(Collections.nCopies(inputs.size(), (Variable) null));
        if (x.dtype().isDiscrete()) return grads;
        grads.set(0, write(entries, false, Grad.zerosLike(x), T.cast(gz, x.dtype()), inputs.subList(1, inputs.size())));
        return grads;
    }

    /** The index entries of an indexing expression; a TypeError when {@code sub} was not made by an indexing op. */
    public static List<Index> entriesOf(Object sub, String caller) {
        if (sub instanceof Variable v && v.owner() != null) {
            Op op = v.owner().op();
            if (op instanceof Subtensor s) return s.entries();
            if (op instanceof AdvancedSubtensor a) return a.entries();
        }
        String got = !(sub instanceof Variable v) ? (sub == null ? "null" : "a " + sub.getClass().getSimpleName())
                : v.owner() == null ? v.describe() + ", which is not computed by any op" : v.describe() + ", computed by " + v.owner().op().name();
        throw new TheonException.TypeError(caller + ": the first argument must be an indexing expression such as x.get(...) or T.take(...)"
                + " (the output of a subtensor or advanced_subtensor op), got " + got);
    }

    /** A user's index value as an {@link Index}. */
    static Index toIndex(Object o) {
        if (o instanceof Index i) return i;
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) return Index.at(((Number) o).longValue());
        if (o instanceof Variable v) return v.ndim() == 0 ? Index.at(v) : Index.take(v);
        if (o instanceof NDArray || o != null && o.getClass().isArray()) {
            NDArray a;
            try {
                a = NDArray.fromJava(o);
            } catch (IllegalArgumentException e) {
                throw new TheonException.TypeError("cannot use a " + o.getClass().getSimpleName() + " as an index: " + e.getMessage());
            }
            if (a.ndim() == 0 && a.dtype().isInteger()) return Index.at(a.toLong());
            return Index.take(Constant.of(a));
        }
        throw new TheonException.TypeError("an index must be a Java integer, an Index (Index.slice, Index.all, Index.newAxis, ...),"
                + " an integer scalar Variable, or an integer tensor/array for advanced indexing; got "
                + (o == null ? "null (use Index.newAxis() for a new axis or Index.all() for a whole axis)" : o.getClass().getSimpleName() + " " + o));
    }

    private static List<Index> expandEllipsis(List<Index> given, int rank) {
        int consumed = 0, ellipses = 0;
        for (Index e : given) {
            if (e.consumesAxis()) consumed++;
            if (e instanceof Index.Ellipsis) ellipses++;
        }
        if (ellipses == 0) return given;
        if (ellipses > 1) throw new TheonException.TypeError("an index can only have a single ellipsis (Index.ellipsis()), got " + ellipses);
        List<Index> out = new ArrayList<>();
        for (Index e : given) {
            if (e instanceof Index.Ellipsis) for (int i = consumed; i < rank; i++) out.add(Index.all());
            else out.add(e);
        }
        return out;
    }

    /** The entry with each Variable moved to {@code inputs} and replaced by {@link Index#INPUT}. */
    private static Index lift(Index e, List<Variable> inputs) {
        return switch (e) {
            case Index.At a -> new Index.At(lift(a.i(), inputs));
            case Index.Slice s -> new Index.Slice(lift(s.start(), inputs), lift(s.stop(), inputs), lift(s.step(), inputs));
            case Index.Take t -> new Index.Take(lift(t.indices(), inputs));
            default -> e;
        };
    }

    private static Object lift(Object position, List<Variable> inputs) {
        if (!(position instanceof Variable v)) return position;
        inputs.add(v);
        return Index.INPUT;
    }

    /** {@code "[1, 0:?, ::-1]"}: the entries between {@code open} and {@code close}, symbolic ones from {@code args}. */
    static String brackets(List<Index> entries, List<String> args, String open, String close) {
        Iterator<String> it = args.iterator();
        List<String> parts = new ArrayList<>(entries.size());
        for (Index e : entries) parts.add(e.show(it));
        return open + String.join(", ", parts) + close;
    }
}
