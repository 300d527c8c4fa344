package dev.theon.tensor;

import java.lang.foreign.ValueLayout;
import java.util.Locale;

/**
 * Element types. {@link #FLOATX} is a placeholder for "the function's float precision": a graph built with it is
 * bound to {@link #FLOAT32} or {@link #FLOAT64} when a function is compiled, so one graph serves both precisions.
 */
public enum DType {
    BOOL("bool", 1, false, false),
    INT8("int8", 1, true, false),
    INT16("int16", 2, true, false),
    INT32("int32", 4, true, false),
    INT64("int64", 8, true, false),
    FLOAT32("float32", 4, false, true),
    FLOAT64("float64", 8, false, true),
    FLOATX("floatX", 8, false, true);

    private final String label;
    private final int byteSize;
    private final boolean integer;
    private final boolean floating;

    DType(String label, int byteSize, boolean integer, boolean floating) {
        this.label = label;
        this.byteSize = byteSize;
        this.integer = integer;
        this.floating = floating;
    }

    /** NumPy's name: "float32", "int64", "bool"; "floatX" for the placeholder. */
    public String label() { return label; }

    public int byteSize() {
        if (this == FLOATX) throw new IllegalStateException("floatX has no size until it is bound to float32 or float64");
        return byteSize;
    }

    public boolean isInteger() { return integer; }
    public boolean isFloat() { return floating; }
    public boolean isBool() { return this == BOOL; }
    /** bool and the integers: values held exactly in a long. */
    public boolean isDiscrete() { return !floating; }

    /** This dtype with FLOATX replaced by {@code floatX}. */
    public DType bind(DType floatX) {
        if (this != FLOATX) return this;
        if (floatX != FLOAT32 && floatX != FLOAT64) throw new IllegalArgumentException("floatX must be float32 or float64, got " + floatX);
        return floatX;
    }

    public ValueLayout layout() {
        return switch (this) {
            case BOOL, INT8 -> ValueLayout.JAVA_BYTE;
            case INT16 -> ValueLayout.JAVA_SHORT;
            case INT32 -> ValueLayout.JAVA_INT;
            case INT64 -> ValueLayout.JAVA_LONG;
            case FLOAT32 -> ValueLayout.JAVA_FLOAT;
            case FLOAT64 -> ValueLayout.JAVA_DOUBLE;
            case FLOATX -> throw new IllegalStateException("floatX must be bound before values are stored");
        };
    }

    /** Short prefix of the typed constructors: b w i l f d (and none for floatX). */
    public String prefix() {
        return switch (this) {
            case BOOL -> "bool"; case INT8 -> "b"; case INT16 -> "w"; case INT32 -> "i"; case INT64 -> "l";
            case FLOAT32 -> "f"; case FLOAT64 -> "d"; case FLOATX -> "";
        };
    }

    private int intRank() {
        return switch (this) { case BOOL -> 0; case INT8 -> 1; case INT16 -> 2; case INT32 -> 3; case INT64 -> 4; default -> -1; };
    }

    /**
     * NumPy's promotion of two array dtypes. FLOATX stands for "float32 or float64, chosen later": it absorbs
     * float32 and every integer (so a floatX graph stays in floatX whatever integers it meets), and yields to float64.
     * This departs from NumPy (int32 + float32 -> float64) on purpose: a graph compiled for float32 on a GPU must not
     * silently turn into float64 because an integer index met a float.
     */
    public static DType promote(DType a, DType b) {
        if (a == b) return a;
        if (a.floating || b.floating) {
            if (a == FLOAT64 || b == FLOAT64) return FLOAT64;
            if (a == FLOATX || b == FLOATX) return FLOATX;
            // float32 with bool/int8/int16 stays float32; with int32/int64 NumPy gives float64
            DType other = a == FLOAT32 ? b : a;
            if (other == FLOAT32) return FLOAT32;
            return other.intRank() >= 3 ? FLOAT64 : FLOAT32;
        }
        return a.intRank() >= b.intRank() ? a : b;
    }

    public static DType promote(DType... ds) {
        DType r = ds[0];
        for (int i = 1; i < ds.length; i++) r = promote(r, ds[i]);
        return r;
    }

    /** The float type a unary float function (exp, log, ...) returns for this input: NumPy's rule, floatX kept. */
    public DType toFloat() {
        return switch (this) {
            case FLOAT32, FLOAT64, FLOATX -> this;
            case BOOL, INT8, INT16 -> FLOAT32;
            case INT32, INT64 -> FLOAT64;
        };
    }

    /** True when every value of {@code from} is exactly representable in {@code this} (no downcast). */
    public boolean canHoldAllOf(DType from) {
        if (from == this) return true;
        if (this == FLOATX || from == FLOATX) return false;
        if (from == BOOL) return true;
        if (this == BOOL) return false;
        if (this.integer && from.integer) return byteSize >= from.byteSize;
        if (this.integer) return false;
        if (from.integer) return this == FLOAT64 ? from.byteSize <= 4 : from.byteSize <= 2;
        return byteSize >= from.byteSize;
    }

    public static DType parse(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (DType d : values()) if (d.label.toLowerCase(Locale.ROOT).equals(k)) return d;
        return switch (k) {
            case "f32" -> FLOAT32; case "f64", "double" -> FLOAT64; case "float" -> FLOAT32;
            case "i32", "int" -> INT32; case "i64", "long" -> INT64; case "boolean" -> BOOL;
            default -> throw new IllegalArgumentException("unknown dtype '" + s + "'; expected one of bool, int8, int16, int32, int64, float32, float64, floatX");
        };
    }

    @Override public String toString() { return label; }
}
