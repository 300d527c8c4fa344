package dev.theon.backend.opencl;

import dev.theon.backend.opencl.ClDevice.ClKernel;
import dev.theon.graph.Apply;
import dev.theon.ops.LogSoftmax;
import dev.theon.ops.Softmax;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.List;
import java.util.Map;

/**
 * {@link Softmax} and {@link LogSoftmax} along any axis: the other axes are the lanes. When they merge into one
 * strided axis the kernel reads the input where it lies, else from a copy with the axis last. The result is written
 * with the axis last and handed back as a view with the input's axis order.
 */
final class SoftmaxOp implements DeviceOp {
    private final int axis;
    private final DType outD;
    private final SoftmaxKernel kernel;
    private final Copier copier;

    SoftmaxOp(Apply node, Copiers copiers, boolean cpu) {
        boolean log = node.op() instanceof LogSoftmax;
        this.axis = log ? ((LogSoftmax) node.op()).axis() : ((Softmax) node.op()).axis();
        DType in = node.input(0).dtype();
        this.outD = node.output(0).dtype();
        this.kernel = new SoftmaxKernel(in, outD, log, cpu);
        this.copier = copiers.get(in, node.input(0).ndim());
    }

    @Override public List<KernelSource> sources() { return kernel.sources(); }
    @Override public void bind(Map<String, ClKernel> built) { kernel.bind(built); }
    @Override public String describe() { return "kernel " + kernel.describe(); }

    @Override public DeviceTensor[] run(ClCall c, Apply node, DeviceTensor[] in, NDArray[] host) {
        DeviceTensor x = in[0];
        long[] shape = x.shape(), st = x.strides();
        int rank = shape.length;
        int[] perm = new int[rank];  // lanes in order, then the axis
        int p = 0;
        for (int d = 0; d < rank; d++) if (d != axis) perm[p++] = d;
        perm[rank - 1] = axis;
        long[] ps = new long[rank], pst = new long[rank];
        for (int i = 0; i < rank; i++) { ps[i] = shape[perm[i]]; pst[i] = st[perm[i]]; }
        long n = shape[axis], lanes = Shapes.size(ps) / Math.max(1, n);
        if (n == 0) lanes = 0;
        DeviceTensor y = c.alloc(outD, ps);
        Layout.Axis la = Layout.mergeToOne(shape, st, java.util.Arrays.copyOf(perm, rank - 1));
        if (la != null) {
            kernel.run(c, x, lanes, n, la.stride(), st[axis], y);
        } else {
            DeviceTensor packed = copier.contiguous(c, x.view(ps, pst, x.offset()));
            try {
                kernel.run(c, packed, lanes, n, n, 1, y);
            } finally {
                packed.buffer().release();
            }
        }
        // back to the input's axis order
        long[] cst = Shapes.cStrides(ps), outSt = new long[rank];
        for (int i = 0; i < rank; i++) outSt[perm[i]] = cst[i];
        return new DeviceTensor[]{y.view(shape, outSt, 0)};
    }
}
