package dev.theon.ops;

import dev.theon.TheonException;
import dev.theon.graph.Op;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Odometer;
import dev.theon.tensor.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The part of an array that an index expression selects, at run time, with NumPy's rules.
 * <p>
 * Basic entries (integers, slices, new axes) are applied as views of the base array. With advanced entries (integer
 * arrays; integers then count as 0-d arrays, as in NumPy) the view keeps those axes, and the region is visited one
 * broadcast index position at a time: each position selects a strided sub-view of the base and the matching
 * sub-block of a region-shaped array. Reading ({@code x[idx]}) and writing ({@code x[idx] = y}, {@code x[idx] += y})
 * are both such visits, so the two always agree on which element goes where.
 */
final class Region {
    private final NDArray view;
    private final int[] advAxes;        // axes of `view` indexed by advanced entries, in entry order
    private final int[] advSource;      // the base axis each advanced entry indexes, for messages
    private final NDArray[] advIndices; // broadcast to advShape
    private final long[] advShape;
    private final int insertAt;         // where the broadcast index dims go among the result dims
    private final long[] shape;
    private final Op op;

    private Region(Op op, NDArray view, int[] advAxes, int[] advSource, NDArray[] advIndices, long[] advShape, int insertAt, long[] shape) {
        this.op = op;
        this.view = view;
        this.advAxes = advAxes;
        this.advSource = advSource;
        this.advIndices = advIndices;
        this.advShape = advShape;
        this.insertAt = insertAt;
        this.shape = shape;
    }

    /**
     * The region of {@code base} selected by {@code entries}; {@code index} holds the values of the symbolic
     * positions in order. Throws a ShapeError naming {@code op} for an out-of-range integer index or a zero step.
     */
    static Region of(Op op, List<Index> entries, NDArray base, NDArray[] index) {
        boolean advanced = IndexTypes.isAdvanced(entries);
        NDArray v = base;
        List<Integer> axes = new ArrayList<>(), source = new ArrayList<>();
        List<NDArray> arrays = new ArrayList<>();
        int k = 0, axis = 0, baseAxis = 0;
        for (Index e : entries) {
            switch (e) {
                case Index.At a -> {
                    long i = a.i() == Index.INPUT ? index[k++].toLong() : (Long) a.i();
                    long n = v.shape(axis);
                    if (i >= n || i < -n) throw outOfBounds(op, i, baseAxis, n);
                    if (advanced) {
                        axes.add(axis++); source.add(baseAxis);
                        arrays.add(NDArray.scalarLong(DType.INT64, i));
                    } else {
                        v = v.index(axis, i);
                    }
                    baseAxis++;
                }
                case Index.Slice s -> {
                    long start = s.start() == null ? Long.MIN_VALUE : s.start() == Index.INPUT ? index[k++].toLong() : (Long) s.start();
                    long stop = s.stop() == null ? Long.MAX_VALUE : s.stop() == Index.INPUT ? index[k++].toLong() : (Long) s.stop();
                    long step = s.step() == null ? 1 : s.step() == Index.INPUT ? index[k++].toLong() : (Long) s.step();
                    if (step == 0) throw new TheonException.ShapeError(op.name() + ": slice step cannot be zero (axis " + baseAxis + ")");
                    v = v.slice(axis++, start, stop, step);
                    baseAxis++;
                }
                case Index.NewAxis n -> v = v.expandDims(axis++);
                case Index.Take t -> {
                    axes.add(axis++); source.add(baseAxis++);
                    arrays.add(index[k++]);
                }
                case Index.Ellipsis el -> throw new IllegalStateException(op.name() + ": unexpanded ellipsis");
            }
        }
        if (!advanced) return new Region(op, v, new int[0], new int[0], new NDArray[0], new long[0], 0, v.shape());

        long[][] shapes = new long[arrays.size()][];
        for (int j = 0; j < shapes.length; j++) shapes[j] = arrays.get(j).shape();
        long[] b = Shapes.broadcast(shapes);
        if (b == null) {
            StringBuilder s = new StringBuilder();
            for (long[] a : shapes) s.append(' ').append(Shapes.str(a));
            throw new TheonException.ShapeError(op.name() + ": shape mismatch: the indexing arrays could not be broadcast together with shapes" + s);
        }
        NDArray[] idx = new NDArray[arrays.size()];
        for (int j = 0; j < idx.length; j++) idx[j] = arrays.get(j).broadcastTo(b);
        int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
        boolean adjacent = true;
        for (int j = 1; j < ax.length; j++) adjacent &= ax[j] == ax[j - 1] + 1;  // each entry made exactly one view axis
        long[] basic = dropAxes(v.shape(), ax);
        int insertAt = adjacent ? ax[0] : 0;  // NumPy: separated advanced indices put their dims first
        long[] shape = new long[basic.length + b.length];
        System.arraycopy(basic, 0, shape, 0, insertAt);
        System.arraycopy(b, 0, shape, insertAt, b.length);
        System.arraycopy(basic, insertAt, shape, insertAt + b.length, basic.length - insertAt);
        return new Region(op, v, ax, source.stream().mapToInt(Integer::intValue).toArray(), idx, b, insertAt, shape);
    }

    /** The shape of the selected region (the shape of {@code x[idx]}). */
    long[] shape() { return shape.clone(); }

    /** True when the region is a single strided view of the base (no advanced entries). */
    boolean isView() { return advAxes.length == 0; }

    /** The region as a view of the base; only for basic indexing. */
    NDArray view() {
        if (!isView()) throw new IllegalStateException(op.name() + ": an advanced index selects no single view");
        return view;
    }

    /**
     * Visits the region: calls {@code visit(part of base, matching part of regionShaped)} for same-shaped blocks that
     * together cover the region exactly once per index position, in C order of the broadcast indices (so with
     * repeated indices a later position sees what an earlier one wrote).
     */
    void forEach(NDArray regionShaped, BiConsumer<NDArray, NDArray> visit) {
        if (!Arrays.equals(regionShaped.shape(), shape))
            throw new IllegalArgumentException("region of shape " + Shapes.str(shape) + " visited with shape " + Shapes.str(regionShaped.shape()));
        if (isView()) { visit.accept(view, regionShaped); return; }
        long positions = Shapes.size(advShape);
        if (positions == 0) return;
        long[] vShape = view.shape(), vStrides = view.strides();
        long[] srcShape = dropAxes(vShape, advAxes), srcStrides = dropAxes(vStrides, advAxes);
        int nb = advShape.length;
        int[] bDims = new int[nb];
        for (int j = 0; j < nb; j++) bDims[j] = insertAt + j;
        long[] rStrides = regionShaped.strides();
        long[] dstShape = dropAxes(regionShaped.shape(), bDims), dstStrides = dropAxes(rStrides, bDims);
        // the region-shaped array restricted to the index dims walks in step with the index arrays
        NDArray dstAtB = regionShaped.view(advShape, Arrays.copyOfRange(rStrides, insertAt, insertAt + nb), regionShaped.offset());
        NDArray[] walked = Arrays.copyOf(advIndices, advIndices.length + 1);
        walked[advIndices.length] = dstAtB;
        Odometer it = new Odometer(advShape, walked);
        boolean emptyBlocks = Shapes.size(srcShape) == 0;
        for (long p = 0; p < positions; p++) {
            long offset = view.offset();
            for (int j = 0; j < advAxes.length; j++) {
                long i = advIndices[j].readLong(it.pos[j]);
                long n = vShape[advAxes[j]];
                if (i >= n || i < -n) throw outOfBounds(op, i, advSource[j], n);
                offset += (i < 0 ? i + n : i) * vStrides[advAxes[j]];
            }
            // empty blocks are not visited (their offsets may point past the storage), but their indices are checked
            if (!emptyBlocks) visit.accept(view.view(srcShape, srcStrides, offset), regionShaped.view(dstShape, dstStrides, it.pos[advIndices.length]));
            it.next();
        }
    }

    private static long[] dropAxes(long[] a, int[] axes) {
        long[] r = new long[a.length - axes.length];
        int o = 0;
        outer:
        for (int d = 0; d < a.length; d++) {
            for (int x : axes) if (x == d) continue outer;
            r[o++] = a[d];
        }
        return r;
    }

    static TheonException.ShapeError outOfBounds(Op op, long i, int axis, long n) {
        return new TheonException.ShapeError(op.name() + ": index " + i + " is out of bounds for axis " + axis + " with size " + n);
    }
}
