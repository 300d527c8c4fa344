package dev.theon.simd;

import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.ops.AdvancedSubtensor;
import dev.theon.ops.IncSubtensor;
import dev.theon.ops.Index;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Odometer;
import dev.theon.tensor.Shapes;

import java.util.Arrays;
import java.util.List;

/**
 * Advanced indexing ({@code x[idx]}, {@code x[:, idx]}, {@code x[idx0, idx1]}) and set/inc_subtensor (basic slices
 * and the same advanced forms) as block moves ({@link Blocks}) over a {@link Selection}: the index arrays are read
 * once into storage offsets, then rows move with bulk copies or vector adds, and single elements with one tight loop.
 * Increments with repeated indices accumulate in index order and the last set wins, as in the reference.
 */
final class IndexKernels {
    private IndexKernels() {}

    static Kernel forNode(Apply node) {
        return switch (node.op()) {
            case AdvancedSubtensor a when Selection.unsupported(a.entries()) == null -> new Gather(node, a.entries());
            case IncSubtensor i when Selection.unsupported(i.entries()) == null -> new IncKernel(node, i.entries(), i.set());
            default -> null;
        };
    }

    /** Why an indexing node has no kernel here, or null when it is not an indexing node. */
    static String reason(Apply node) {
        return switch (node.op()) {
            case AdvancedSubtensor a -> "advanced indexing with " + Selection.unsupported(a.entries());
            case IncSubtensor i -> i.name() + " with " + Selection.unsupported(i.entries());
            default -> null;
        };
    }

    /** How many axes follow the indexed ones in the view the basic entries make: 0 means one element per index. */
    static int trailRank(Apply node, List<Index> entries) {
        int axes = node.input(0).ndim(), afterLast = 0;
        boolean seen = false;
        for (Index e : entries) {
            if (e.consumesAxis()) axes--;
            if (e instanceof Index.Take) { seen = true; afterLast = 0; continue; }
            if (seen && (e instanceof Index.Slice || e instanceof Index.NewAxis)) afterLast++;
        }
        return afterLast + axes;
    }

    /** x[entries] with index arrays: a gather of rows (or of single elements) into a new array. */
    static final class Gather implements Kernel {
        private final Apply node;
        private final List<Index> entries;

        Gather(Apply node, List<Index> entries) { this.node = node; this.entries = entries; }

        @Override public void run(NDArray[] in, NDArray[] out) {
            NDArray x = in[0];
            Selection sel = Selection.of(entries, x, Arrays.copyOfRange(in, 1, in.length));
            if (sel == null) { node.op().perform(node, in, out); return; }  // the reference's error
            NDArray o = Op.reuse(out, 0, x.dtype(), sel.shape());
            if (o.size() == 0) return;
            long[] os = o.strides();
            int a = sel.indexAxis(), b = a + sel.indexShape.length;
            long block = Shapes.size(sel.trail);
            long[] at = new long[sel.offsets.length];
            for (int p = 0; p < at.length; p++) at[p] = p * block;  // index positions are consecutive blocks of the output
            new Blocks(ElementRuns.Kind.SET, x.dtype(), o.segment(), o.offset(), x.segment(), sel.view.offset(),
                    sel.lead, Arrays.copyOfRange(os, 0, a), sel.leadStrides, at, sel.offsets,
                    Layout.of(sel.trail, Arrays.copyOfRange(os, b, os.length), sel.trailStrides), true).run();
        }

        @Override public String describe() {
            return trailRank(node, entries) == 0 ? "element gather (index arrays resolved to offsets once)"
                    : "row gather (index arrays resolved to offsets once, rows moved with bulk copies)";
        }
    }

    /**
     * set_subtensor / inc_subtensor: x copied into the result (or, under an inplace mark, written in place), then the
     * region set to, or incremented by, y broadcast to it. y of another dtype is converted to x's first: the type rule
     * only lets in values that x's dtype holds exactly, or int64 into float64, which the reference rounds alike.
     */
    static final class IncKernel implements Kernel {
        private final Apply node;
        private final List<Index> entries;
        private final boolean set;

        IncKernel(Apply node, List<Index> entries, boolean set) { this.node = node; this.entries = entries; this.set = set; }

        @Override public void run(NDArray[] in, NDArray[] out) {
            NDArray x = in[0], y = in[1];
            DType dt = x.dtype();
            NDArray result = Op.reuse(out, 0, dt, x.shape());
            boolean inPlace = result == x;  // the executable handed over x's storage (an inplace mark)
            Selection sel = Selection.of(entries, result, Arrays.copyOfRange(in, 2, in.length));
            long[] region = sel == null ? null : sel.shape();
            if (sel == null || !fits(y, region)) { node.op().perform(node, in, out); return; }  // the reference's error
            ElementRuns.Kind kind = set ? ElementRuns.Kind.SET : ElementRuns.Kind.ADD;
            if (y.dtype() != dt) {
                y = y.astype(dt);
            } else if (inPlace && y.sharesStorageWith(result)) {
                y = y.copy();  // y must be read as it was before x is overwritten
            }
            if (!inPlace) copy(x, result);
            if (Shapes.size(region) == 0) return;
            NDArray yb = y.broadcastTo(region);
            long[] ys = yb.strides();
            int a = sel.indexAxis(), b = a + sel.indexShape.length;
            long[] yAt = new long[sel.offsets.length];
            Odometer it = new Odometer(sel.indexShape, yb.view(sel.indexShape, Arrays.copyOfRange(ys, a, b), 0));
            for (int p = 0; p < yAt.length; p++) { yAt[p] = it.pos[0]; it.next(); }
            new Blocks(kind, dt, result.segment(), sel.view.offset(), yb.segment(), yb.offset(),
                    sel.lead, sel.leadStrides, Arrays.copyOfRange(ys, 0, a), sel.offsets, yAt,
                    Layout.of(sel.trail, sel.trailStrides, Arrays.copyOfRange(ys, b, ys.length)), false).run();
        }

        /** x into the result: bulk copies shared among threads when contiguous, tiled copies otherwise. */
        private static void copy(NDArray x, NDArray result) {
            if (!x.isContiguous()) { Copy.into(x, result); return; }
            long[] st = Shapes.cStrides(x.shape());
            Blocks.single(ElementRuns.Kind.SET, x.dtype(), result.segment(), result.offset(), st, x.segment(), x.offset(), st, x.shape()).run();
        }

        /** y broadcasts to the region by the static rule (an axis of y stretches only when its type says size 1). */
        private boolean fits(NDArray y, long[] region) {
            long[] ys = y.shape(), declared = node.input(1).type().shape();
            if (ys.length > region.length) return false;
            for (int d = 0; d < ys.length; d++) {
                long r = region[d + region.length - ys.length];
                if (ys[d] != r && (ys[d] != 1 || declared[d] != 1)) return false;
            }
            return true;
        }

        /** Reads y and the index values before it writes, and each element of x only where it writes it: safe in place. */
        @Override public boolean computesInPlace() { return true; }

        @Override public String describe() {
            boolean advanced = false;
            for (Index e : entries) advanced |= e instanceof Index.Take;
            String what = set ? "set" : "increment";
            if (!advanced) return what + " of a strided slice (vector runs)";
            return trailRank(node, entries) == 0 ? "element scatter-" + (set ? "set" : "add") + " in index order"
                    : "row scatter-" + (set ? "set" : "add") + " in index order (vector runs per row)";
        }
    }
}
