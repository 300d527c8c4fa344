package dev.theon.backend.opencl;

import dev.theon.TheonException;
import dev.theon.backend.opencl.ClDevice.ClKernel;
import dev.theon.graph.Apply;
import dev.theon.ops.DimShuffle;
import dev.theon.ops.Flatten;
import dev.theon.ops.Reshape;
import dev.theon.ops.Squeeze;
import dev.theon.ops.Subtensor;
import dev.theon.tensor.NDArray;

import java.util.List;
import java.util.Map;

/**
 * Ops whose result is a view of their first input: dimshuffle (transpose, new and dropped broadcastable axes),
 * squeeze, basic slicing, and reshape/flatten of contiguous data. No kernel runs: the op's own reference
 * {@code perform} computes the view on a {@linkplain Layout#geometryShadow shadow} with the device tensor's geometry,
 * and the same view is taken of the device buffer. Reshape and flatten of a strided tensor copy it contiguous first,
 * as the reference does. Index and shape arguments are read on the host.
 */
final class ViewOp implements DeviceOp {
    private final boolean needsContiguous;
    private final Copier copier;

    private ViewOp(boolean needsContiguous, Copier copier) {
        this.needsContiguous = needsContiguous;
        this.copier = copier;
    }

    static ViewOp of(Apply node, Copiers copiers) {
        return switch (node.op()) {
            case DimShuffle d -> new ViewOp(false, null);
            case Squeeze s -> new ViewOp(false, null);
            case Subtensor s -> new ViewOp(false, null);
            case Reshape r -> new ViewOp(true, copiers.get(node.input(0).dtype(), node.input(0).ndim()));
            case Flatten f -> new ViewOp(true, copiers.get(node.input(0).dtype(), node.input(0).ndim()));
            default -> null;
        };
    }

    @Override public boolean hostInput(int i) { return i > 0; }
    @Override public List<KernelSource> sources() { return List.of(); }
    @Override public void bind(Map<String, ClKernel> built) { }
    @Override public String describe() { return "view of the device buffer (no kernel)" + (needsContiguous ? "; a copy kernel first when the input is strided" : ""); }

    @Override public DeviceTensor[] run(ClCall c, Apply node, DeviceTensor[] in, NDArray[] host) {
        DeviceTensor x = in[0];
        boolean temp = needsContiguous && !x.isContiguous();
        if (temp) x = copier.contiguous(c, x);
        try {
            NDArray[] args = host.clone();
            args[0] = Layout.geometryShadow(x);
            NDArray[] out = new NDArray[1];
            node.op().perform(node, args, out);
            NDArray v = out[0];
            if (!Layout.isShadowView(v))
                throw new TheonException.RuntimeError("backend opencl: " + node.op().name() + " did not return a view of its input", null);
            x.buffer().retain();
            return new DeviceTensor[]{x.view(v.shape(), v.strides(), v.offset())};
        } finally {
            if (temp) x.buffer().release();
        }
    }
}
