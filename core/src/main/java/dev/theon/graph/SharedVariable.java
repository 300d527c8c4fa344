package dev.theon.graph;

import dev.theon.TheonException;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A variable whose value lives between calls. Functions that use it read its current value as an implicit input,
 * and functions whose {@code updates} name it write a new value after a successful call.
 * <p>
 * Rank and dtype are fixed by the initial value; dims of size 1 are static (broadcastable), the others are unknown
 * unless a static shape is given, so {@link #set} may change sizes but not rank or dtype.
 * Without borrow, values are copied in and out, so no caller can change a shared value by mutating an array.
 */
public final class SharedVariable extends Variable {
    private volatile NDArray value;
    /** Held by a call that updates shared variables from the time it reads this one until its updates are committed. */
    private final ReentrantLock callLock = new ReentrantLock();

    public SharedVariable(NDArray initial, String name, boolean borrow) {
        this(defaultType(initial), initial, name, borrow);
    }

    public SharedVariable(TensorType type, NDArray initial, String name, boolean borrow) {
        super(type, name);
        check(initial);
        this.value = borrow ? initial : initial.copy();
    }

    private static TensorType defaultType(NDArray v) {
        long[] s = v.shape();
        for (int i = 0; i < s.length; i++) if (s[i] != 1) s[i] = Shapes.UNKNOWN;
        return TensorType.of(v.dtype(), s);
    }

    /** A copy of the current value. */
    public NDArray get() { return get(false); }

    /** The current value; with {@code borrow} the internal array itself, which the caller must not modify. */
    public NDArray get(boolean borrow) {
        NDArray v = value;
        return borrow ? v : v.copy();
    }

    public void set(NDArray v) { set(v, false); }

    /** Replaces the value; with {@code borrow} the array is kept as given (the caller must not modify it afterwards). */
    public void set(NDArray v, boolean borrow) {
        if (v == null) throw new TheonException.InputError("cannot set shared variable " + describe() + " to null");
        check(v);
        NDArray kept = borrow ? v : v.copy();
        callLock.lock();  // not in the middle of a call that read the old value and is about to commit an update
        try {
            this.value = kept;
        } finally {
            callLock.unlock();
        }
    }

    /** Accepts Java arrays and numbers too, converted to this variable's dtype when no precision is lost. */
    public void set(Object javaValue) {
        if (javaValue instanceof NDArray nd) { set(nd, false); return; }  // copied, like set(NDArray)
        NDArray a;
        try {
            a = NDArray.fromJava(javaValue);
        } catch (IllegalArgumentException e) {
            throw new TheonException.InputError("cannot set shared variable " + describe() + ": " + e.getMessage(), e);
        }
        if (a.dtype() != dtype()) {
            if (!dtype().canHoldAllOf(a.dtype()) && !dev.theon.compile.Conversions.exactIn(a, dtype()))
                throw new TheonException.InputError("cannot set shared variable " + describe() + " of dtype " + dtype()
                        + " from a " + a.dtype() + " value without losing precision; convert it first");
            a = a.astype(dtype());
        }
        set(a, true);
    }

    /** Written by compiled functions when they commit updates; the value was produced by the function itself. */
    public void commit(NDArray v) { this.value = v; }

    /** The value read by compiled functions as an implicit input. */
    public NDArray current() { return value; }

    /** The lock compiled functions with updates hold while they read, compute and commit (see {@code Function}). */
    public ReentrantLock callLock() { return callLock; }

    private void check(NDArray v) {
        if (v.dtype() != dtype())
            throw new TheonException.InputError("shared variable " + describe() + " holds " + dtype() + " values; got a " + v.dtype()
                    + " array (dtype is fixed by the initial value)");
        if (!type().shapeAccepts(v.shape()))
            throw new TheonException.InputError("shared variable " + describe() + " has type " + type() + "; got a value of shape "
                    + Shapes.str(v.shape()) + (v.ndim() != ndim() ? " (rank is fixed by the initial value)" : ""));
    }

    @Override public Variable cloneRoot() { return this; }
}
