package dev.theon.compile;

import dev.theon.TheonException;
import dev.theon.graph.TensorType;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

/**
 * Turns call arguments into arrays of an input's type, under Theano's rules: an NDArray must already have the
 * input's dtype or one that converts without loss; Java numbers and arrays (like Python literals) convert when no
 * value changes, and float literals may always be narrowed to a floatX input; {@code allowInputDowncast} accepts
 * any conversion.
 */
public final class Conversions {
    private Conversions() {}

    /** True when converting {@code a} to {@code to} changes no value. */
    public static boolean exactIn(NDArray a, DType to) {
        if (to.canHoldAllOf(a.dtype())) return true;
        NDArray c = a.astype(to);
        long n = a.size();
        for (long i = 0; i < n; i++) {
            if (a.dtype().isDiscrete() && to.isDiscrete()) { if (a.flatLong(i) != c.flatLong(i)) return false; }
            else if (Double.compare(a.flatDouble(i), c.flatDouble(i)) != 0) return false;
        }
        return true;
    }

    /**
     * @param who          "input 0 ('x')" for messages
     * @param declaredX    the input was declared floatX (float literals may be narrowed to it)
     */
    public static NDArray toInput(Object arg, TensorType type, boolean declaredX, boolean allowDowncast, String who) {
        if (arg == null) throw new TheonException.InputError(who + " is null; expected a value of type " + type);
        DType dt = type.dtype();
        NDArray a;
        boolean literal = !(arg instanceof NDArray);
        try {
            a = NDArray.fromJava(arg);
        } catch (IllegalArgumentException e) {
            throw new TheonException.InputError(who + ": " + e.getMessage(), e);
        }
        if (a.ndim() != type.ndim()) {
            throw new TheonException.InputError(who + " expects a " + type.rankName() + " (rank " + type.ndim() + ") of type " + type
                    + ", but got " + (literal ? "a Java value" : "an array") + " of rank " + a.ndim() + " with shape " + Shapes.str(a.shape()));
        }
        if (a.dtype() != dt) {
            boolean ok = allowDowncast || dt.canHoldAllOf(a.dtype())
                    || literal && (declaredX && a.dtype().isFloat() && dt.isFloat() || exactIn(a, dt));
            if (!ok) {
                throw new TheonException.InputError(who + " expects dtype " + dt + " (type " + type + "), but got "
                        + (literal ? "a Java " + a.dtype() + " value that does not convert exactly" : "a " + a.dtype() + " array")
                        + "; converting would lose precision. Convert it first (array.astype(DType." + dt.name() + "))"
                        + " or compile with Theon.options().allowInputDowncast(true)");
            }
            a = a.astype(dt);
        }
        if (!type.shapeAccepts(a.shape())) {
            throw new TheonException.InputError(who + " expects shape " + Shapes.str(type.shape()) + " (type " + type
                    + "), but got shape " + Shapes.str(a.shape()));
        }
        return a;
    }
}
