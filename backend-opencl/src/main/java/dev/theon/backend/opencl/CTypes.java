package dev.theon.backend.opencl;

import dev.theon.tensor.DType;

/** How Theon's dtypes are written in OpenCL C, and how a value of one C type is stored as another dtype. */
final class CTypes {
    private CTypes() {}

    /** The storage type: bool is a byte holding 0 or 1. */
    static String of(DType d) {
        return switch (d) {
            case BOOL -> "uchar";
            case INT8 -> "char";
            case INT16 -> "short";
            case INT32 -> "int";
            case INT64 -> "long";
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            case FLOATX -> throw new IllegalStateException("floatX must be bound before code is generated");
        };
    }

    /** Short tag used in kernel names: b, i8, i16, i32, i64, f32, f64. */
    static String tag(DType d) {
        return switch (d) {
            case BOOL -> "b"; case INT8 -> "i8"; case INT16 -> "i16"; case INT32 -> "i32"; case INT64 -> "i64";
            case FLOAT32 -> "f32"; case FLOAT64 -> "f64"; case FLOATX -> "fx";
        };
    }

    /**
     * {@code expr}, a value of C type {@code from}, converted the way the reference stores it into dtype {@code to}:
     * bool is "nonzero" (NaN is true); a float becomes an integer by truncation with saturation and NaN to 0 (Java's
     * {@code (long) v}), then wraps to the narrower width; integers wrap; anything becomes a float by rounding.
     */
    static String convert(String expr, String from, DType to) {
        String target = of(to);
        if (from.equals(target)) return expr;
        boolean fromFloat = from.equals("float") || from.equals("double");
        return switch (to) {
            case BOOL -> "((uchar) ((" + expr + ") != 0))";
            case INT8, INT16, INT32, INT64 -> fromFloat ? "((" + target + ") convert_long_sat(" + expr + "))" : "((" + target + ") (" + expr + "))";
            case FLOAT32, FLOAT64 -> "((" + target + ") (" + expr + "))";
            case FLOATX -> throw new IllegalStateException();
        };
    }

    static boolean isFloatC(String c) { return c.equals("float") || c.equals("double"); }
}
