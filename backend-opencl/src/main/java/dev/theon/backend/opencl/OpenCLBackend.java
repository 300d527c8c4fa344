package dev.theon.backend.opencl;

import dev.theon.TheonException;
import dev.theon.backend.Backend;
import dev.theon.backend.CompileOptions;
import dev.theon.backend.Executable;
import dev.theon.graph.FunctionGraph;

import java.util.List;

/**
 * The "opencl" backend: compiles a graph into OpenCL kernels generated from the op table and runs them on one
 * device, chosen by {@code opencl.platform} / {@code opencl.device} (or the function's device option).
 * Select it with {@code Theon.options().backend("opencl")} or {@code THEON_FLAGS=backend=opencl}.
 */
public final class OpenCLBackend implements Backend {
    public static final String NAME = "opencl";

    @Override public String name() { return NAME; }

    /** Every OpenCL device of this machine, "platform:device name [platform, version, type]"; empty when OpenCL is missing. */
    @Override public List<String> devices() {
        return ClPlatforms.all().stream().map(ClPlatforms.Found::label).toList();
    }

    @Override public Executable compile(FunctionGraph graph, CompileOptions options) {
        if (options.borrowOutputs())
            throw new TheonException.CompileError("backend opencl does not support borrowOutputs: every call downloads its outputs"
                    + " from the device into new host arrays, so there is no buffer to lend; compile without"
                    + " Theon.options().borrowOutputs(true), or use the simd or reference backend");
        ClDevice device = ClPlatforms.choose(options.device());
        return new OpenCLExecutable(graph, options, device);
    }

    /** Why no OpenCL device is available (and how to install one), or null when there is one. */
    public static String unavailableReason() {
        String p = ClPlatforms.problem();
        return p == null ? null : p + "; " + ClPlatforms.HOW_TO_INSTALL;
    }
}
