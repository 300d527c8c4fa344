package dev.theon.graph;

import dev.theon.T;
import dev.theon.config.Config;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A symbolic tensor: a typed node in the graph. It is either a root (an input, a {@link Constant} or a
 * {@link SharedVariable}) or the output {@link #index()} of its {@link #owner()} Apply. The algebra methods are the
 * same as the static ones on {@link T}: {@code x.add(y)} is {@code T.add(x, y)}.
 */
public class Variable {
    private static final AtomicLong IDS = new AtomicLong();

    private final TensorType type;
    private final Apply owner;
    private final int index;
    private volatile String name;
    private final long id = IDS.incrementAndGet();
    private volatile StackTraceElement createdAt;

    public Variable(TensorType type, String name) { this(type, null, 0, name); }

    Variable(TensorType type, Apply owner, int index, String name) {
        this.type = type;
        this.owner = owner;
        this.index = index;
        this.name = name;
        this.createdAt = Config.get().exceptionVerbosityHigh() ? userFrame() : null;
    }

    public TensorType type() { return type; }
    public DType dtype() { return type.dtype(); }
    public int ndim() { return type.ndim(); }
    /** The Apply that computes this variable, or null for a root. */
    public Apply owner() { return owner; }
    public int index() { return index; }
    /** The user's name, or null. */
    public String name() { return name; }
    public long id() { return id; }
    /** Where user code created this variable (recorded only with exception_verbosity=high), or null. */
    public StackTraceElement createdAt() { return createdAt; }

    public boolean isRoot() { return owner == null; }

    /** A fresh root variable of the same type and name: the input a cloned graph starts from. */
    public Variable cloneRoot() { return new Variable(type, name); }

    /** Names this variable (as Theano's {@code x.name = ...}); returns it for chaining. */
    public Variable named(String newName) {
        this.name = newName;
        return this;
    }

    /** Name for messages: the user's name, else a description of what computes it. */
    public String describe() {
        if (name != null) return "'" + name + "'";
        if (owner != null) return "output " + index + " of " + owner.op().name();
        return "<unnamed " + type + ">";
    }

    /** Gives this variable (a clone made when compiling) the place where user code created {@code original}. */
    void inheritOrigin(Variable original) {
        if (original.createdAt != null) this.createdAt = original.createdAt;
    }

    /** " (created at Foo.java:12)" when known, else "". */
    public String whereCreated() {
        return createdAt == null ? "" : " (created at " + createdAt + ")";
    }

    private static StackTraceElement userFrame() {
        return StackWalker.getInstance().walk(s -> s
                .filter(f -> !f.getClassName().startsWith("dev.theon.") || f.getClassName().startsWith("dev.theon.samples")
                        || f.getClassName().endsWith("Test") || f.getClassName().endsWith("Spec"))
                .findFirst().map(StackWalker.StackFrame::toStackTraceElement).orElse(null));
    }

    // ---------------------------------------------------------------- evaluation

    /** Compiles (once per graph and set of inputs, then cached) and evaluates this variable. */
    public NDArray eval(Map<Variable, ?> inputs) { return dev.theon.compile.Eval.eval(this, inputs); }

    public NDArray eval() { return eval(Map.of()); }

    // ---------------------------------------------------------------- algebra (same as T)

    public Variable add(Object o) { return T.add(this, o); }
    public Variable sub(Object o) { return T.sub(this, o); }
    public Variable mul(Object o) { return T.mul(this, o); }
    public Variable div(Object o) { return T.div(this, o); }
    public Variable intDiv(Object o) { return T.intDiv(this, o); }
    public Variable mod(Object o) { return T.mod(this, o); }
    public Variable pow(Object o) { return T.pow(this, o); }
    public Variable neg() { return T.neg(this); }
    public Variable lt(Object o) { return T.lt(this, o); }
    public Variable gt(Object o) { return T.gt(this, o); }
    public Variable le(Object o) { return T.le(this, o); }
    public Variable ge(Object o) { return T.ge(this, o); }
    public Variable eq(Object o) { return T.eq(this, o); }
    public Variable neq(Object o) { return T.neq(this, o); }
    public Variable cast(DType d) { return T.cast(this, d); }
    public Variable exp() { return T.exp(this); }
    public Variable log() { return T.log(this); }
    public Variable abs() { return T.abs(this); }
    public Variable sqrt() { return T.sqrt(this); }
    public Variable tanh() { return T.tanh(this); }
    public Variable sigmoid() { return T.sigmoid(this); }

    // ==== section: reductions ====

    public Variable sum() { return T.sum(this); }
    public Variable sum(int... axes) { return T.sum(this, axes); }

    // ==== section: blas ====

    // ==== section: shape ====

    // ==== section: indexing ====

    // ==== section: nnet ====

    @Override public String toString() { return name != null ? name : dev.theon.print.Pretty.pp(this); }
}
