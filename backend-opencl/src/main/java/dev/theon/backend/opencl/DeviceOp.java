package dev.theon.backend.opencl;

import dev.theon.backend.opencl.ClDevice.ClKernel;
import dev.theon.graph.Apply;
import dev.theon.tensor.NDArray;

import java.util.List;
import java.util.Map;

/** How one node runs on the device: the kernels it needs (built with the rest of the function) and how it launches them. */
interface DeviceOp {
    /** The OpenCL C of every kernel it may launch. */
    List<KernelSource> sources();

    /** Receives the built kernels, by name. */
    void bind(Map<String, ClKernel> built);

    /** Inputs it reads on the host instead (small arguments such as a target shape or an index). */
    default boolean hostInput(int i) { return false; }

    /**
     * Enqueues the node's work. {@code in[i]} is input i on the device (null for host inputs), {@code host[i]} its
     * host value where it has one. Each returned tensor holds one buffer reference, which the caller then owns.
     */
    DeviceTensor[] run(ClCall c, Apply node, DeviceTensor[] in, NDArray[] host);

    /** The kernels, for describe(). */
    String describe();
}
