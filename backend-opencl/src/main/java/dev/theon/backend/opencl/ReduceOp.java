package dev.theon.backend.opencl;

import dev.theon.TheonException;
import dev.theon.backend.opencl.ClDevice.ClKernel;
import dev.theon.graph.Apply;
import dev.theon.ops.Reduce;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link Reduce} node: the input is seen as rows (the kept axes) by columns (the reduced axes). When the kept
 * axes and the reduced axes each merge into one strided axis, the kernel reads the input where it lies; otherwise
 * the input is first copied with the kept axes in front.
 */
final class ReduceOp implements DeviceOp {
    private final Reduce op;
    private final DType outD;
    private final ReduceKernel kernel;
    private final Copier copier;

    ReduceOp(Apply node, Copiers copiers, ClDevice device) {
        this.op = (Reduce) node.op();
        DType in = node.input(0).dtype();
        this.outD = node.output(0).dtype();
        this.kernel = new ReduceKernel(op.kind(), in, outD, device);
        this.copier = copiers.get(in, node.input(0).ndim());
    }

    @Override public List<KernelSource> sources() { return kernel.sources(); }
    @Override public void bind(Map<String, ClKernel> built) { kernel.bind(built); }
    @Override public String describe() { return "kernel " + kernel.describe(); }

    @Override public DeviceTensor[] run(ClCall c, Apply node, DeviceTensor[] in, NDArray[] host) {
        DeviceTensor x = in[0];
        long[] shape = x.shape();
        int rank = shape.length;
        List<Integer> kept = new ArrayList<>(), reduced = new ArrayList<>();
        for (int d = 0; d < rank; d++) (op.reduces(d) ? reduced : kept).add(d);
        long[] outShape = outShape(shape);
        long rows = Shapes.size(outShape), cols = 1;
        for (int d : reduced) cols *= shape[d];
        if ((op.kind() == Reduce.Kind.MAX || op.kind() == Reduce.Kind.MIN) && cols == 0 && rows > 0)
            throw new TheonException.ShapeError(op.name() + ": cannot reduce an array of shape " + Shapes.str(shape) + " over an axis of size 0, because "
                    + op.kind().label() + " has no identity; expected every reduced axis to be non-empty (or the result to be empty)");
        DeviceTensor y = c.alloc(outD, outShape);
        if (rows == 0) return new DeviceTensor[]{y};
        int[] k = kept.stream().mapToInt(Integer::intValue).toArray(), r = reduced.stream().mapToInt(Integer::intValue).toArray();
        Layout.Axis ra = Layout.mergeToOne(shape, x.strides(), k), ca = Layout.mergeToOne(shape, x.strides(), r);
        if (ra != null && ca != null) {
            kernel.run(c, x, rows, cols, ra.stride(), ca.stride(), y, cols);
            return new DeviceTensor[]{y};
        }
        // kept axes in front, then a contiguous copy: rows of cols
        int[] perm = new int[rank];
        long[] ps = new long[rank], pst = new long[rank];
        int p = 0;
        for (int d : k) perm[p++] = d;
        for (int d : r) perm[p++] = d;
        for (int i = 0; i < rank; i++) { ps[i] = shape[perm[i]]; pst[i] = x.strides()[perm[i]]; }
        DeviceTensor packed = copier.contiguous(c, x.view(ps, pst, x.offset()));
        try {
            kernel.run(c, packed, rows, cols, cols, 1, y, cols);
        } finally {
            packed.buffer().release();
        }
        return new DeviceTensor[]{y};
    }

    private long[] outShape(long[] s) {
        List<Long> out = new ArrayList<>();
        for (int d = 0; d < s.length; d++) {
            if (!op.reduces(d)) out.add(s[d]);
            else if (op.keepdims()) out.add(1L);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
