package dev.theon.backend.opencl;

import dev.theon.T;
import dev.theon.TheonException;
import dev.theon.Theon;
import dev.theon.config.Config;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finding and choosing devices, what they support, and how build errors read. */
class DevicesOpenCLTest {
    /** Two platforms: a CPU one first, then one with a CPU and a GPU. */
    static final List<ClPlatforms.Found> MACHINE = List.of(
            found(0, "Portable Computing Language", 0, "pthread-cpu", CL_DEVICE_TYPE_CPU),
            found(1, "NVIDIA CUDA", 0, "Fake Host", CL_DEVICE_TYPE_CPU),
            found(1, "NVIDIA CUDA", 1, "NVIDIA H100", CL_DEVICE_TYPE_GPU));

    static ClPlatforms.Found found(int p, String pname, int d, String name, long type) {
        return new ClPlatforms.Found(p, pname, d, null, null, name, type, "OpenCL 3.0");
    }

    @Test void theFirstGpuUnlessToldOtherwise() {
        assertEquals("NVIDIA H100", ClPlatforms.select(MACHINE, "", "").name());
        assertEquals("pthread-cpu", ClPlatforms.select(MACHINE, "0", "").name());
        assertEquals("pthread-cpu", ClPlatforms.select(MACHINE, "portable", "").name());
        assertEquals("Fake Host", ClPlatforms.select(MACHINE, "", "0").name(), "an index counts within the default platform (the GPU's)");
        assertEquals("pthread-cpu", ClPlatforms.select(MACHINE, "", "0:0").name());
        assertEquals("pthread-cpu", ClPlatforms.select(MACHINE, "", "pthread").name(), "a name is looked for in every platform");
        assertEquals("NVIDIA H100", ClPlatforms.select(MACHINE, "cuda", "h100").name());
        assertEquals("pthread-cpu", ClPlatforms.select(MACHINE.subList(0, 1), "", "").name(), "no GPU: the first device");
    }

    @Test void aChoiceThatMatchesNothingListsWhatThereIs() {
        var e = assertThrows(TheonException.CompileError.class, () -> ClPlatforms.select(MACHINE, "", "radeon"));
        assertTrue(e.getMessage().contains("device 'radeon'") && e.getMessage().contains("NVIDIA H100") && e.getMessage().contains("pthread-cpu"), e.getMessage());
        var p = assertThrows(TheonException.CompileError.class, () -> ClPlatforms.select(MACHINE, "intel", ""));
        assertTrue(p.getMessage().contains("opencl.platform='intel'") && p.getMessage().contains("1 NVIDIA CUDA"), p.getMessage());
    }

    @Test void theonListsTheDevicesOfEveryBackend() {
        Map<String, List<String>> all = Theon.devices();
        assertEquals(List.of("cpu"), all.get("reference"));
        assertTrue(all.containsKey("opencl"), all.toString());
        if (OpenCLBackend.unavailableReason() == null) assertFalse(all.get("opencl").isEmpty(), all.toString());
    }

    @Test void configKeysAndTheDeviceOptionChooseTheDevice() {
        OpenCLAvailable.require();
        Variable x = T.fvector("x");
        String label = ClPlatforms.all().get(0).label();
        assertTrue(Theon.function(List.of(x), T.exp(x), Theon.options().backend("opencl").device("0:0")).describe().contains(label));
        Config.get().set("opencl.device", "no such device");
        try {
            var e = assertThrows(TheonException.CompileError.class, () -> Theon.function(List.of(x), T.exp(x), Theon.options().backend("opencl")));
            assertTrue(e.getMessage().contains("device 'no such device'"), e.getMessage());
        } finally {
            Config.get().unset("opencl.device");
        }
    }

    @Test void float64NeedsDoublesOnTheDevice() {
        Variable x = T.dvector("x"), f = T.fvector("f");
        var node = T.exp(x).owner();
        String p = OpenCLExecutable.float64Problem(node, "exp(x)", false, "Some GPU");
        assertTrue(p.contains("node exp(x) computes in float64, but device Some GPU does not support float64 (no cl_khr_fp64)")
                && p.contains("floatX=float32"), p);
        assertNull(OpenCLExecutable.float64Problem(node, "exp(x)", true, "PoCL"));
        assertNull(OpenCLExecutable.float64Problem(T.exp(f).owner(), "exp(f)", false, "Some GPU"));
    }

    @Test void float64RunsWhereTheDeviceHasDoubles() {
        OpenCLAvailable.require();
        assertTrue(ClPlatforms.choose("").fp64, "PoCL supports cl_khr_fp64");
        Variable x = T.dvector("x");
        NDArray v = NDArray.of(1e-300, 1.0 + 1e-15, 1e300);
        Both.check(List.of(x), List.of(T.mul(x, x), T.add(x, 1e-16), T.sqrt(x)), new Object[]{v}, 0, 0);
    }

    @Test void buildErrorsShowTheSourceAndTheCompilerLog() {
        OpenCLAvailable.require();
        KernelSource bad = KernelSource.of("broken", "__kernel void $NAME(__global float* x) { x[0] = no_such_thing; }\n", false);
        var e = assertThrows(TheonException.CompileError.class, () -> ClPlatforms.choose("").kernel(bad));
        String m = e.getMessage();
        assertTrue(m.contains("rejected the generated program") && m.contains("--- compiler log ---") && m.contains("no_such_thing")
                && m.contains("--- generated source ---") && m.contains("__kernel void broken_"), m);
    }

    @Test void programsAreBuiltOncePerDevice() {
        OpenCLAvailable.require();
        Variable x = T.fmatrix("x");
        ClDevice d = ClPlatforms.choose("");
        Theon.function(List.of(x), T.tanh(T.mul(x, 3f)), Theon.options().backend("opencl").floatX(DType.FLOAT32));
        int built = d.programsBuilt();
        Variable y = T.fmatrix("y");  // the same kernels from a new graph: nothing to build
        Theon.function(List.of(y), T.tanh(T.mul(y, 3f)), Theon.options().backend("opencl").floatX(DType.FLOAT32)).call(NDArray.zeros(DType.FLOAT32, 2, 2));
        assertEquals(built, d.programsBuilt());
    }
}
