package dev.theon.simd;

import dev.theon.ops.Index;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Odometer;
import dev.theon.tensor.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The region an index expression selects, with NumPy's rules, in the form {@link Blocks} moves: the basic entries
 * (slices, new axes, and integer positions when there is no index array) applied as a view of the base, then the
 * index arrays on adjacent axes of that view. The region is {@code lead + broadcast index shape + trail}: the view's
 * axes before the indexed ones, the index positions, and the view's axes after them. Each index position is resolved
 * once into a storage offset (negative indices count from the end).
 * <p>
 * An integer position beside index arrays is a 0-d index array, as in NumPy. The form left to the reference (see
 * {@link #unsupported}): index arrays separated by other entries, whose dims NumPy moves first. Run-time errors (an
 * index out of range, a zero step, index arrays that do not broadcast) make {@link #of} return null, so that the
 * caller runs the reference perform, which raises them with its wording.
 */
final class Selection {
    final NDArray view;       // the base with the basic entries applied
    final long[] lead, leadStrides, trail, trailStrides, indexShape;
    final long[] offsets;     // per index position (C order): the offset along the indexed axes, from view.offset()

    private Selection(NDArray view, int first, int count, long[] indexShape, long[] offsets) {
        this.view = view;
        long[] shape = view.shape(), strides = view.strides();
        this.lead = Arrays.copyOfRange(shape, 0, first);
        this.leadStrides = Arrays.copyOfRange(strides, 0, first);
        this.trail = Arrays.copyOfRange(shape, first + count, shape.length);
        this.trailStrides = Arrays.copyOfRange(strides, first + count, shape.length);
        this.indexShape = indexShape;
        this.offsets = offsets;
    }

    /** Why these entries have no block form, or null when they have one. */
    static String unsupported(List<Index> entries) {
        boolean arrays = false;
        for (Index e : entries) arrays |= e instanceof Index.Take;
        int last = -1;
        for (int j = 0; j < entries.size(); j++) {
            if (!isArray(entries.get(j), arrays)) continue;
            if (last >= 0 && last != j - 1) return "index arrays separated by other entries (their dims go first)";
            last = j;
        }
        return null;
    }

    /** An entry that indexes with an array: an index array, or an integer position beside one (a 0-d array, as in NumPy). */
    private static boolean isArray(Index e, boolean advanced) { return e instanceof Index.Take || advanced && e instanceof Index.At; }

    /** The region of {@code base}; {@code index} holds the values of the symbolic positions in entry order. */
    static Selection of(List<Index> entries, NDArray base, NDArray[] index) {
        NDArray v = base;
        List<NDArray> arrays = new ArrayList<>();
        boolean advanced = false;
        for (Index e : entries) advanced |= e instanceof Index.Take;
        int k = 0, axis = 0, first = -1;
        for (Index e : entries) {
            switch (e) {
                case Index.At a -> {
                    if (axis >= v.ndim()) return null;
                    long i = a.i() == Index.INPUT ? index[k++].toLong() : (Long) a.i();
                    long n = v.shape(axis);
                    if (i >= n || i < -n) return null;
                    if (advanced) {
                        if (first < 0) first = axis;
                        axis++;
                        arrays.add(NDArray.scalarLong(DType.INT64, i));
                    } else {
                        v = v.index(axis, i);
                    }
                }
                case Index.Slice s -> {
                    long start = s.start() == null ? Long.MIN_VALUE : s.start() == Index.INPUT ? index[k++].toLong() : (Long) s.start();
                    long stop = s.stop() == null ? Long.MAX_VALUE : s.stop() == Index.INPUT ? index[k++].toLong() : (Long) s.stop();
                    long step = s.step() == null ? 1 : s.step() == Index.INPUT ? index[k++].toLong() : (Long) s.step();
                    if (step == 0 || axis >= v.ndim()) return null;
                    v = v.slice(axis++, start, stop, step);
                }
                case Index.NewAxis n -> v = v.expandDims(axis++);
                case Index.Take t -> {
                    if (axis >= v.ndim()) return null;
                    if (first < 0) first = axis;
                    axis++;
                    arrays.add(index[k++]);
                }
                case Index.Ellipsis el -> { return null; }
            }
        }
        if (arrays.isEmpty()) return new Selection(v, 0, 0, new long[0], new long[]{0});
        long[][] shapes = new long[arrays.size()][];
        for (int j = 0; j < shapes.length; j++) shapes[j] = arrays.get(j).shape();
        long[] b = Shapes.broadcast(shapes);
        if (b == null) return null;
        int count = arrays.size();
        NDArray[] idx = new NDArray[count];
        for (int j = 0; j < count; j++) idx[j] = arrays.get(j).broadcastTo(b);
        long[] offsets = new long[Math.toIntExact(Shapes.size(b))];
        long[] sizes = new long[count], strides = new long[count];
        for (int j = 0; j < count; j++) { sizes[j] = v.shape(first + j); strides[j] = v.strides()[first + j]; }
        Odometer it = new Odometer(b, idx);
        for (int p = 0; p < offsets.length; p++) {
            long off = 0;
            for (int j = 0; j < count; j++) {
                long i = idx[j].readLong(it.pos[j]), n = sizes[j];
                if (i >= n || i < -n) return null;
                off += (i < 0 ? i + n : i) * strides[j];
            }
            offsets[p] = off;
            it.next();
        }
        return new Selection(v, first, count, b, offsets);
    }

    /** The region's shape: lead, index positions, trail. */
    long[] shape() {
        long[] r = Arrays.copyOf(lead, lead.length + indexShape.length + trail.length);
        System.arraycopy(indexShape, 0, r, lead.length, indexShape.length);
        System.arraycopy(trail, 0, r, lead.length + indexShape.length, trail.length);
        return r;
    }

    /** Where the index dims sit among the region's dims. */
    int indexAxis() { return lead.length; }
}
