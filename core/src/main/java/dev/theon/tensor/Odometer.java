package dev.theon.tensor;

/**
 * Walks a shape in C order and keeps the storage index of each of several same-shaped arrays (views with any
 * strides, including the 0 strides of broadcasting) in {@link #pos}; the reference kernels' inner loop.
 */
public final class Odometer {
    private final long[] shape;
    private final long[][] strides;
    private final long[] counter;
    /** Storage index of the current element in each array, in the order the arrays were given. */
    public final long[] pos;

    public Odometer(long[] shape, NDArray[] inputs, NDArray out) {
        this.shape = shape;
        int n = inputs.length + (out == null ? 0 : 1);
        strides = new long[n][];
        pos = new long[n];
        for (int i = 0; i < inputs.length; i++) { strides[i] = inputs[i].strides(); pos[i] = inputs[i].offset(); }
        if (out != null) { strides[n - 1] = out.strides(); pos[n - 1] = out.offset(); }
        counter = new long[shape.length];
    }

    public Odometer(long[] shape, NDArray... arrays) { this(shape, arrays, null); }

    /** Advances to the next element in C order. */
    public void next() {
        for (int d = shape.length - 1; d >= 0; d--) {
            if (++counter[d] < shape[d]) {
                for (int i = 0; i < pos.length; i++) pos[i] += strides[i][d];
                return;
            }
            counter[d] = 0;
            for (int i = 0; i < pos.length; i++) pos[i] -= strides[i][d] * (shape[d] - 1);
        }
    }
}
