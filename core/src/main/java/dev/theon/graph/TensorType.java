package dev.theon.graph;

import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.Arrays;

/**
 * The type of a symbolic tensor: dtype and static shape. Rank is always known; each dim is a known size or
 * {@link Shapes#UNKNOWN}. A dim of static size 1 is broadcastable; an unknown dim is assumed not to broadcast, as in
 * PyTensor, so that the gradient of a broadcast input knows which axes to sum over when the graph is built.
 */
public record TensorType(DType dtype, long[] shape) {

    public TensorType {
        shape = shape.clone();
        for (long s : shape) if (s < -1) throw new IllegalArgumentException("invalid static dimension " + s + " in " + Shapes.str(shape));
    }

    public static TensorType of(DType dtype, long... shape) { return new TensorType(dtype, shape); }

    /** Rank n with every dim unknown. */
    public static TensorType ofRank(DType dtype, int rank) {
        long[] s = new long[rank];
        Arrays.fill(s, Shapes.UNKNOWN);
        return new TensorType(dtype, s);
    }

    @Override public long[] shape() { return shape.clone(); }
    public long dim(int i) { return shape[i]; }
    public int ndim() { return shape.length; }
    public boolean broadcastable(int i) { return shape[i] == 1; }
    public boolean isScalar() { return shape.length == 0; }
    public boolean fullyKnown() { for (long s : shape) if (s < 0) return false; return true; }

    public TensorType withDType(DType d) { return new TensorType(d, shape); }
    public TensorType withShape(long... s) { return new TensorType(dtype, s); }
    public TensorType bind(DType floatX) { return dtype == DType.FLOATX ? new TensorType(floatX, shape) : this; }

    /** True when a value of this shape fits the static shape (known dims equal). */
    public boolean shapeAccepts(long[] actual) {
        if (actual.length != shape.length) return false;
        for (int i = 0; i < shape.length; i++) if (shape[i] >= 0 && shape[i] != actual[i]) return false;
        return true;
    }

    public boolean accepts(NDArray a) { return a.dtype() == dtype && shapeAccepts(a.shape()); }

    /** The NumPy-ish kind name of the rank: scalar, vector, matrix, tensor3, tensor4, tensorN. */
    public String rankName() {
        return switch (shape.length) {
            case 0 -> "scalar"; case 1 -> "vector"; case 2 -> "matrix"; default -> "tensor" + shape.length;
        };
    }

    @Override public boolean equals(Object o) {
        return o instanceof TensorType t && t.dtype == dtype && Arrays.equals(t.shape, shape);
    }

    @Override public int hashCode() { return dtype.hashCode() * 31 + Arrays.hashCode(shape); }

    /** {@code float64 matrix (?, 3)}. */
    @Override public String toString() { return dtype + " " + rankName() + " " + Shapes.str(shape); }
}
