package dev.theon.backend;

import dev.theon.graph.FunctionGraph;

import java.util.List;

/**
 * A way to run compiled graphs: found with {@link java.util.ServiceLoader}, chosen per function by name
 * ({@code Theon.options().backend("simd")}). The core depends on no backend but its own reference one.
 */
public interface Backend {
    /** The name functions select it by: "reference", "simd", "opencl". */
    String name();

    /** The devices it can run on, for display (e.g. "cpu", "NVIDIA H100 (OpenCL 3.0)"). */
    List<String> devices();

    /** Compiles a graph whose types are concrete (floatX already bound). */
    Executable compile(FunctionGraph graph, CompileOptions options);
}
