package dev.theon.ops;

import dev.theon.TheonException;
import dev.theon.graph.Variable;

import java.util.Iterator;

/**
 * One entry of an index expression {@code x[i, a:b:c, newaxis, idx]}, with NumPy's meaning.
 * <p>
 * The same description serves two roles. In user code (built with the factories below) a position may hold a Java
 * number or a symbolic {@link Variable}. Inside an op's parameters every Variable is replaced by {@link #INPUT}, which
 * stands for "the node's next index input" (in entry order; start, stop, step within a slice), so the op stays an
 * immutable value with value equality while the symbolic parts travel as ordinary inputs of the node — Theano's
 * {@code idx_list} scheme.
 */
public sealed interface Index {

    /** In an op's parameters: the value comes from the node's next index input. */
    enum Symbolic { INPUT; @Override public String toString() { return "?"; } }

    Symbolic INPUT = Symbolic.INPUT;

    /** An integer position: drops the axis. {@code i} is a Long, a Variable (integer scalar) or {@link #INPUT}. */
    record At(Object i) implements Index {
        public At { i = position(i, "an integer index"); if (i == null) throw new TheonException.TypeError("an integer index cannot be null"); }
    }

    /** {@code start:stop:step}: keeps the axis. Each bound is null (omitted), a Long, a Variable or {@link #INPUT}. */
    record Slice(Object start, Object stop, Object step) implements Index {
        public Slice {
            start = position(start, "a slice start");
            stop = position(stop, "a slice stop");
            step = position(step, "a slice step");
            if (step instanceof Long s && s == 0) throw new TheonException.TypeError("slice step cannot be zero");
        }

        /** True for {@code :}, the full slice. */
        public boolean isFull() { return start == null && stop == null && step == null; }
    }

    /** A new axis of size 1 (NumPy's {@code None}/{@code np.newaxis}); consumes no axis of the input. */
    record NewAxis() implements Index {}

    /** {@code ...}: as many full slices as needed to index every axis. Expanded when the expression is built. */
    record Ellipsis() implements Index {}

    /**
     * Advanced (integer array) indexing along one axis: {@code indices} is an integer tensor Variable of any rank or
     * {@link #INPUT}. The result takes the indices' shape in place of the axis (several such entries broadcast
     * together, as in NumPy).
     */
    record Take(Object indices) implements Index {
        public Take {
            if (!(indices instanceof Variable) && indices != INPUT)
                throw new TheonException.TypeError("an advanced index must be an integer tensor Variable, got "
                        + (indices == null ? "null" : indices.getClass().getSimpleName()));
        }
    }

    static Index at(long i) { return new At(i); }
    static Index at(Variable i) { return new At(i); }
    /** {@code start:stop:step}; null leaves a bound out ({@code slice(null, null, -1L)} is {@code ::-1}). */
    static Index slice(Long start, Long stop, Long step) { return new Slice(start, stop, step); }
    /** As {@link #slice(Long, Long, Long)}, where each bound may also be an integer scalar Variable. */
    static Index slice(Object start, Object stop, Object step) { return new Slice(start, stop, step); }
    static Index slice(Object start, Object stop) { return new Slice(start, stop, null); }
    /** {@code :} */
    static Index all() { return new Slice(null, null, null); }
    static Index newAxis() { return new NewAxis(); }
    static Index ellipsis() { return new Ellipsis(); }
    /** An advanced index from an integer tensor Variable. */
    static Index take(Variable indices) { return new Take(indices); }

    /** True for entries that consume an axis of the indexed tensor. */
    default boolean consumesAxis() { return this instanceof At || this instanceof Slice || this instanceof Take; }

    /** NumPy-style text of this entry; symbolic positions take the next printed argument from {@code args}. */
    default String show(Iterator<String> args) {
        return switch (this) {
            case At a -> show(a.i(), args);
            case Slice s -> {
                String r = (s.start() == null ? "" : show(s.start(), args)) + ":" + (s.stop() == null ? "" : show(s.stop(), args));
                yield s.step() == null ? r : r + ":" + show(s.step(), args);
            }
            case NewAxis n -> "newaxis";
            case Ellipsis e -> "...";
            case Take t -> show(t.indices(), args);
        };
    }

    private static String show(Object position, Iterator<String> args) {
        if (position instanceof Long l) return l.toString();
        return args.hasNext() ? args.next() : "?";
    }

    /** A position normalised to null, Long, Variable or INPUT; Java integers of every width are accepted. */
    private static Object position(Object o, String what) {
        if (o == null || o instanceof Long || o instanceof Variable || o == INPUT) return o;
        if (o instanceof Integer || o instanceof Short || o instanceof Byte) return ((Number) o).longValue();
        throw new TheonException.TypeError(what + " must be a Java integer or an integer scalar Variable, got "
                + o.getClass().getSimpleName() + " " + o);
    }
}
