package dev.theon.backend.opencl;

import dev.theon.backend.opencl.ClDevice.ClKernel;
import dev.theon.tensor.DType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The copy-to-contiguous kernels a function may need, one {@link Copier} per dtype and rank, built with its other kernels. */
final class Copiers {
    private final boolean fp64;
    private final Map<String, Copier> all = new LinkedHashMap<>();

    Copiers(boolean deviceFp64) { this.fp64 = deviceFp64; }

    Copier get(DType d, int rank) {
        return all.computeIfAbsent(d + "/" + Math.max(rank, 1), k -> new Copier(d, Math.max(rank, 1), fp64));
    }

    List<KernelSource> sources() {
        List<KernelSource> s = new ArrayList<>();
        for (Copier c : all.values()) s.addAll(c.sources());
        return s;
    }

    void bind(Map<String, ClKernel> built) { all.values().forEach(c -> c.bind(built)); }
}
