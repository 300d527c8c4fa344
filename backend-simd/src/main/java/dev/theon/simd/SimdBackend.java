package dev.theon.simd;

import dev.theon.backend.Backend;
import dev.theon.backend.CompileOptions;
import dev.theon.backend.Executable;
import dev.theon.graph.FunctionGraph;
import jdk.incubator.vector.FloatVector;

import java.util.List;

/**
 * The SIMD CPU backend, found by {@link java.util.ServiceLoader} under the name "simd" and chosen per function with
 * {@code Theon.options().backend("simd")}. Elementwise nodes become kernels generated at run time; dot and matmul
 * run a packed GEMM; reductions, softmax and the nnet ops have hand-written Vector API kernels; any other op runs its
 * reference {@code perform}, and {@code describe()} says so.
 */
public final class SimdBackend implements Backend {
    public static final String NAME = "simd";

    @Override public String name() { return NAME; }

    @Override public List<String> devices() {
        return List.of("cpu (" + Pool.parallelism() + " threads, " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors)");
    }

    @Override public Executable compile(FunctionGraph graph, CompileOptions options) {
        return new SimdExecutable(graph, options);
    }
}
