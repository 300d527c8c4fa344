package dev.theon.backend.opencl;

import dev.theon.tensor.DType;
import dev.theon.tensor.Shapes;

/**
 * A value on the device: dtype, shape, strides and offset (in elements, as {@link dev.theon.tensor.NDArray}) over
 * a device buffer. Views (transposes, broadcasts, reshapes of contiguous data) share the buffer and strides say how.
 * A tensor holds no reference count of its own: whoever keeps it keeps one reference to its buffer.
 */
record DeviceTensor(ClBuffer buffer, DType dtype, long[] shape, long[] strides, long offset) {

    /** A fresh contiguous tensor over {@code buffer}. */
    static DeviceTensor contiguous(ClBuffer buffer, DType dtype, long[] shape) {
        return new DeviceTensor(buffer, dtype, shape.clone(), Shapes.cStrides(shape), 0);
    }

    long size() { return Shapes.size(shape); }
    int ndim() { return shape.length; }

    boolean isContiguous() {
        long expect = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expect) return false;
            expect *= shape[d];
        }
        return true;
    }

    /** Another view of the same buffer; the caller takes a reference for it ({@code buffer().retain()}). */
    DeviceTensor view(long[] newShape, long[] newStrides, long newOffset) {
        return new DeviceTensor(buffer, dtype, newShape.clone(), newStrides.clone(), newOffset);
    }

    @Override public String toString() { return "device " + dtype + " " + Shapes.str(shape); }
}
