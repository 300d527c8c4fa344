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
        long n = a.size();
        boolean fromDiscrete = a.dtype().isDiscrete();
        for (long i = 0; i < n; i++) {
            boolean ok = fromDiscrete ? longFits(a.flatLong(i), to) : doubleFits(a.flatDouble(i), to);
            if (!ok) return false;
        }
        return true;
    }

    // compared in the integers, not through doubles: 2^62 + 1 is no float64, though (double) makes it look like one
    private static boolean longFits(long v, DType to) {
        return switch (to) {
            case BOOL -> v == 0 || v == 1;
            case INT8 -> v == (byte) v;
            case INT16 -> v == (short) v;
            case INT32 -> v == (int) v;
            case INT64 -> true;
            case FLOAT32 -> { float f = v; yield f != 0x1p63f && (long) f == v; }
            case FLOAT64 -> { double d = v; yield d != 0x1p63 && (long) d == v; }
            case FLOATX -> false;
        };
    }

    private static boolean doubleFits(double v, DType to) {
        if (to == DType.FLOAT64) return true;
        if (to == DType.FLOAT32) return Double.isNaN(v) || (double) (float) v == v;
        if (to == DType.FLOATX || v != Math.rint(v) || Double.isInfinite(v)) return false;  // NaN fails rint too
        if (v < -0x1p63 || v >= 0x1p63) return false;
        return longFits((long) v, to);
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
            throw new TheonException.InputError(who + " expects a value of type " + type + ": " + e.getMessage(), e);
        }
        if (a.ndim() != type.ndim()) {
            throw new TheonException.InputError(who + " expects a " + type.rankName() + " (rank " + type.ndim() + ") of type " + type
                    + ", but got " + (literal ? "a Java " + a.dtype() + " value" : "a " + a.dtype() + " array") + " of rank " + a.ndim() + " with shape " + Shapes.str(a.shape()));
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
                    + "), but got a " + a.dtype() + " value of shape " + Shapes.str(a.shape()) + " (? marks a size that may vary)");
        }
        return a;
    }
}
