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
    public Variable sum(int[] axes, boolean keepdims) { return T.sum(this, axes, keepdims); }
    public Variable prod() { return T.prod(this); }
    public Variable prod(int... axes) { return T.prod(this, axes); }
    public Variable prod(int[] axes, boolean keepdims) { return T.prod(this, axes, keepdims); }
    public Variable mean() { return T.mean(this); }
    public Variable mean(int... axes) { return T.mean(this, axes); }
    public Variable mean(int[] axes, boolean keepdims) { return T.mean(this, axes, keepdims); }
    public Variable max() { return T.max(this); }
    public Variable max(int... axes) { return T.max(this, axes); }
    public Variable max(int[] axes, boolean keepdims) { return T.max(this, axes, keepdims); }
    public Variable min() { return T.min(this); }
    public Variable min(int... axes) { return T.min(this, axes); }
    public Variable min(int[] axes, boolean keepdims) { return T.min(this, axes, keepdims); }
    public Variable argmax() { return T.argmax(this); }
    public Variable argmax(int... axes) { return T.argmax(this, axes); }
    public Variable argmax(int[] axes, boolean keepdims) { return T.argmax(this, axes, keepdims); }
    public Variable argmin() { return T.argmin(this); }
    public Variable argmin(int... axes) { return T.argmin(this, axes); }
    public Variable argmin(int[] axes, boolean keepdims) { return T.argmin(this, axes, keepdims); }
    public Variable all() { return T.all(this); }
    public Variable all(int... axes) { return T.all(this, axes); }
    public Variable all(int[] axes, boolean keepdims) { return T.all(this, axes, keepdims); }
    public Variable any() { return T.any(this); }
    public Variable any(int... axes) { return T.any(this, axes); }
    public Variable any(int[] axes, boolean keepdims) { return T.any(this, axes, keepdims); }
    public Variable var() { return T.var(this); }
    public Variable var(int... axes) { return T.var(this, axes); }
    public Variable var(int[] axes, boolean keepdims) { return T.var(this, axes, keepdims); }
    public Variable var(int[] axes, boolean keepdims, int ddof) { return T.var(this, axes, keepdims, ddof); }
    public Variable std() { return T.std(this); }
    public Variable std(int... axes) { return T.std(this, axes); }
    public Variable std(int[] axes, boolean keepdims) { return T.std(this, axes, keepdims); }
    public Variable std(int[] axes, boolean keepdims, int ddof) { return T.std(this, axes, keepdims, ddof); }

    // ==== section: blas ====

    /** NumPy's dot, as {@link T#dot}. */
    public Variable dot(Object o) { return T.dot(this, o); }
    /** NumPy's matmul ({@code this @ o}), as {@link T#matmul}. */
    public Variable matmul(Object o) { return T.matmul(this, o); }

    // ==== section: shape ====

    /** {@link T#dimshuffle}: axis numbers and "x" (a new axis of size 1). */
    public Variable dimshuffle(Object... pattern) { return T.dimshuffle(this, pattern); }
    /** The axes permuted by {@code perm}; reversed when none is given. */
    public Variable transpose(int... perm) { return T.transpose(this, perm); }
    /** The transpose (axes reversed), NumPy's {@code .T}. */
    public Variable T() { return T.transpose(this); }
    public Variable reshape(long... shape) { return T.reshape(this, shape); }
    public Variable reshape(Variable shape) { return T.reshape(this, shape); }
    public Variable flatten() { return T.flatten(this); }
    public Variable flatten(int ndim) { return T.flatten(this, ndim); }
    public Variable squeeze() { return T.squeeze(this); }
    public Variable squeeze(int... axes) { return T.squeeze(this, axes); }
    public Variable expandDims(int axis) { return T.expandDims(this, axis); }
    public java.util.List<Variable> split(long[] sizes, int axis) { return T.split(this, sizes, axis); }

    // ==== section: indexing ====

    /** {@code this[indices]}: see {@link T#get}. */
    public Variable get(Object... indices) { return T.get(this, indices); }
    /** {@code this[:, ..., start:stop]} along {@code axis}: see {@link T#slice}. */
    public Variable slice(int axis, long start, long stop) { return T.slice(this, axis, start, stop); }
    /** NumPy's take along {@code axis}: see {@link T#take}. */
    public Variable take(Object indices, int axis) { return T.take(this, indices, axis); }

    // ==== section: nnet ====

    public Variable softmax() { return T.softmax(this); }
    public Variable softmax(int axis) { return T.softmax(this, axis); }
    public Variable logSoftmax() { return T.logSoftmax(this); }
    public Variable logSoftmax(int axis) { return T.logSoftmax(this, axis); }
    public Variable relu() { return T.relu(this); }
    public Variable relu(double alpha) { return T.relu(this, alpha); }
    public Variable elu(double alpha) { return T.elu(this, alpha); }

    @Override public String toString() { return name != null ? name : dev.theon.print.Pretty.pp(this); }
}
