package dev.theon.backend.opencl;

import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Stride arithmetic on device tensors, and host "shadows" that carry a device tensor's geometry but not its data. */
final class Layout {
    private Layout() {}

    /** {@code t} viewed with {@code shape} by NumPy broadcasting: stride 0 along added and size-1 axes. */
    static long[] broadcastStrides(DeviceTensor t, long[] shape) {
        long[] s = t.shape(), st = t.strides(), out = new long[shape.length];
        int lead = shape.length - s.length;
        for (int d = lead; d < shape.length; d++) out[d] = s[d - lead] == 1 ? 0 : st[d - lead];
        return out;
    }

    /** One (size, stride) axis after merging. */
    record Axis(long size, long stride) {}

    /**
     * The given axes of a tensor (in order) merged where they can be walked as one (the outer stride equals the
     * inner's size times its stride); size-1 axes are dropped. Returns null when more than one axis remains.
     */
    static Axis mergeToOne(long[] shape, long[] strides, int[] axes) {
        List<Axis> kept = new ArrayList<>();
        for (int d : axes) {
            if (shape[d] == 1) continue;
            if (!kept.isEmpty()) {
                Axis prev = kept.getLast();
                if (prev.stride() == shape[d] * strides[d]) {
                    kept.set(kept.size() - 1, new Axis(prev.size() * shape[d], strides[d]));
                    continue;
                }
            }
            kept.add(new Axis(shape[d], strides[d]));
        }
        if (kept.size() > 1) return null;
        if (kept.isEmpty()) return new Axis(1, 0);
        return kept.getFirst();
    }

    private static final Map<DType, NDArray> BASES = new EnumMap<>(DType.class);
    static {
        for (DType d : DType.values()) if (d != DType.FLOATX) BASES.put(d, NDArray.zeros(d));
    }

    /**
     * A host array with the tensor's shape, strides and offset over a one-element storage: ops that only compute a
     * view (dimshuffle, slicing, reshape of contiguous data) run their reference {@code perform} on it, and the
     * view they return is mapped back onto the device buffer. Every shadow of a dtype shares one storage, so
     * "shares storage with the shadow" means "is a view".
     */
    static NDArray geometryShadow(DeviceTensor t) { return BASES.get(t.dtype()).view(t.shape(), t.strides(), t.offset()); }

    /** A host array of the given shape whose every element is the one element of storage: for ops that read only shapes. */
    static NDArray shapeShadow(DType d, long[] shape) { return BASES.get(d).view(shape, new long[shape.length], 0); }

    static boolean isShadowView(NDArray a) { return a.sharesStorageWith(BASES.get(a.dtype())); }
}
