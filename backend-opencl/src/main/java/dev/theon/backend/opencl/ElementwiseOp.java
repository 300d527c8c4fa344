package dev.theon.backend.opencl;

import dev.theon.backend.opencl.ClDevice.ClKernel;
import dev.theon.graph.Apply;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.ops.Composite;
import dev.theon.ops.Elemwise;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An {@link Elemwise} or {@link Composite} node: one generated kernel, inputs broadcast through strides. */
final class ElementwiseOp implements DeviceOp {
    private final ElementwiseKernel kernel;
    private final DType[] outD;

    ElementwiseOp(Apply node, Composite c, boolean deviceFp64) {
        DType[] inD = new DType[node.inputs().size()];
        for (int i = 0; i < inD.length; i++) inD[i] = node.input(i).dtype();
        outD = new DType[node.outputs().size()];
        for (int j = 0; j < outD.length; j++) outD[j] = node.outputs().get(j).dtype();
        int rank = node.outputs().get(0).ndim();
        boolean[] scalar = new boolean[inD.length];
        for (int i = 0; i < inD.length; i++) scalar[i] = node.input(i).ndim() == 0;
        this.kernel = new ElementwiseKernel(c, inD, scalar, outD, rank, deviceFp64);
    }

    static ElementwiseOp of(Apply node, boolean deviceFp64) {
        Composite c = node.op() instanceof Elemwise e ? ElementwiseKernel.asComposite(e) : (Composite) node.op();
        return new ElementwiseOp(node, c, deviceFp64);
    }

    @Override public List<KernelSource> sources() { return kernel.sources(); }
    @Override public void bind(Map<String, ClKernel> built) { kernel.bind(built); }
    @Override public String describe() { return "kernel " + kernel.describe(); }

    @Override public DeviceTensor[] run(ClCall c, Apply node, DeviceTensor[] in, NDArray[] host) {
        NDArray[] shadows = new NDArray[in.length];
        for (int i = 0; i < in.length; i++) shadows[i] = Layout.shapeShadow(in[i].dtype(), in[i].shape());
        long[] shape = node.op() instanceof Elemwise ? Elemwise.runtimeBroadcast(node, shadows)
                : Elemwise.runtimeBroadcast(node.op(), types(node), shadows);
        DeviceTensor[] views = new DeviceTensor[in.length];
        for (int i = 0; i < in.length; i++) views[i] = in[i].view(shape, Layout.broadcastStrides(in[i], shape), in[i].offset());
        DeviceTensor[] out = new DeviceTensor[outD.length];
        for (int j = 0; j < out.length; j++) out[j] = c.alloc(outD[j], shape);
        kernel.run(c, views, out, shape);
        return out;
    }

    private static List<TensorType> types(Apply node) {
        List<TensorType> t = new ArrayList<>();
        for (Variable v : node.inputs()) t.add(v.type());
        return t;
    }
}
