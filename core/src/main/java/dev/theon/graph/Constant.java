package dev.theon.graph;

import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

/**
 * A root whose value is fixed in the graph. Two constants with the same type and value are equal, so merging
 * equal subgraphs can treat them as one. A constant typed floatX holds its value in float64 until the function's
 * floatX is bound.
 */
public final class Constant extends Variable {
    private final NDArray value;

    public Constant(TensorType type, NDArray value, String name) {
        super(type, name);
        if (value.ndim() != type.ndim() || !type.shapeAccepts(value.shape()))
            throw new IllegalArgumentException("constant value of shape " + dev.theon.tensor.Shapes.str(value.shape()) + " does not fit " + type);
        DType want = type.dtype() == DType.FLOATX ? DType.FLOAT64 : type.dtype();
        this.value = value.dtype() == want ? value : value.astype(want);
    }

    /** A constant holding {@code value}, typed by its dtype and exact shape. */
    public static Constant of(NDArray value) { return new Constant(TensorType.of(value.dtype(), value.shape()), value, null); }

    public static Constant scalar(DType dtype, double v) {
        DType storage = dtype == DType.FLOATX ? DType.FLOAT64 : dtype;
        return new Constant(TensorType.of(dtype), NDArray.scalar(storage, v), null);
    }

    /** The value; callers must not write to it. */
    public NDArray value() { return value; }

    /** The value in the bound dtype. */
    public NDArray value(DType floatX) {
        DType d = type().dtype().bind(floatX);
        return value.dtype() == d ? value : value.astype(d);
    }

    public boolean sameValue(Constant o) { return type().equals(o.type()) && value.contentEquals(o.value); }

    @Override public Variable cloneRoot() { return this; }

    /** True for a scalar-shaped (any rank, size 1) constant equal to {@code v}. */
    public boolean isScalarValue(double v) { return value.size() == 1 && value.flatDouble(0) == v; }
}
