package dev.theon.backend.opencl;

import dev.theon.TheonException;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;
import org.jocl.cl_queue_properties;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.jocl.CL.*;

/**
 * One opened OpenCL device: its context, its single in-order command queue, what it supports, and the per-device
 * caches every function on it shares: built kernels (by source), the buffer pool, the device copies of shared
 * variables ({@link Residency}) and the GEMM tile choice ({@link GemmTuner}).
 * <p>
 * One in-order queue is what makes the buffer pool simple and safe: a buffer returned to the pool after its last
 * use was enqueued can be handed to the next command at once, because the queue runs commands in enqueue order.
 */
final class ClDevice {
    final ClPlatforms.Found found;
    final cl_device_id id;
    final cl_context context;
    final cl_command_queue queue;
    final String name;
    final boolean fp64;
    /**
     * Kernels in CPU form: contiguous work per work-item (SIMD loops) rather than work-group trees. True for CPU
     * devices; tests turn it off to run the GPU forms on a CPU device (it applies to functions compiled afterwards).
     */
    volatile boolean cpu;
    final boolean correctlyRoundedSqrt;
    final int computeUnits;
    final long maxWorkGroup;
    final long localMemBytes;
    final long globalMemBytes;
    final long maxAllocBytes;
    final BufferPool pool;
    final Residency residency;
    final GemmTuner tuner;
    private final Map<String, ClKernel> kernels = new ConcurrentHashMap<>();
    /** Bytes sent each way since the device was opened (for tests and benchmarks: transfers must be where describe() says). */
    final java.util.concurrent.atomic.AtomicLong bytesToDevice = new java.util.concurrent.atomic.AtomicLong(),
            bytesToHost = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger programsBuilt = new java.util.concurrent.atomic.AtomicInteger();

    ClDevice(ClPlatforms.Found f) {
        this.found = f;
        this.id = f.device();
        this.name = f.name();
        this.cpu = (f.type() & CL_DEVICE_TYPE_CPU) != 0;
        String ext = ClPlatforms.ClInfo.deviceString(id, CL_DEVICE_EXTENSIONS);
        this.fp64 = ext.contains("cl_khr_fp64") || ClPlatforms.ClInfo.deviceLong(id, CL_DEVICE_DOUBLE_FP_CONFIG) != 0;
        this.correctlyRoundedSqrt = (ClPlatforms.ClInfo.deviceLong(id, CL_DEVICE_SINGLE_FP_CONFIG) & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0;
        this.computeUnits = Math.max(1, ClPlatforms.ClInfo.deviceInt(id, CL_DEVICE_MAX_COMPUTE_UNITS));
        this.maxWorkGroup = ClPlatforms.ClInfo.deviceLong(id, CL_DEVICE_MAX_WORK_GROUP_SIZE);
        this.localMemBytes = ClPlatforms.ClInfo.deviceLong(id, CL_DEVICE_LOCAL_MEM_SIZE);
        this.globalMemBytes = ClPlatforms.ClInfo.deviceLong(id, CL_DEVICE_GLOBAL_MEM_SIZE);
        this.maxAllocBytes = ClPlatforms.ClInfo.deviceLong(id, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
        this.context = clCreateContext(null, 1, new cl_device_id[]{id}, null, null, null);
        cl_command_queue q;
        try {
            q = clCreateCommandQueueWithProperties(context, id, new cl_queue_properties(), null);
        } catch (CLException | UnsupportedOperationException e) {
            q = createQueue12();  // an OpenCL 1.2 platform
        }
        this.queue = q;
        this.pool = new BufferPool(this);
        this.residency = new Residency();
        this.tuner = new GemmTuner(this);
    }

    @SuppressWarnings("deprecation")
    private cl_command_queue createQueue12() { return clCreateCommandQueue(context, id, 0, null); }

    /** "pthread-skylake [Portable Computing Language, OpenCL 3.0 PoCL, CPU], fp64" */
    String label() { return found.label() + (fp64 ? ", fp64" : ", no fp64"); }

    /** The work-group size for simple one-dimensional kernels. */
    int groupSize() { return (int) Math.min(256, maxWorkGroup); }

    /**
     * The kernels for these sources, building the missing ones together as one program (one compiler run however
     * many kernels a function has: what makes compiling a function cheap). Built kernels are kept for the life of
     * the device, keyed by their source.
     */
    Map<String, ClKernel> kernels(List<KernelSource> sources) {
        Map<String, KernelSource> missing = new LinkedHashMap<>();
        for (KernelSource s : sources) if (!kernels.containsKey(s.key())) missing.putIfAbsent(s.key(), s);
        if (!missing.isEmpty()) {
            synchronized (this) {
                missing.keySet().removeIf(kernels::containsKey);
                if (!missing.isEmpty()) build(new ArrayList<>(missing.values()));
            }
        }
        Map<String, ClKernel> out = new LinkedHashMap<>();
        for (KernelSource s : sources) out.put(s.name(), kernels.get(s.key()));
        return out;
    }

    ClKernel kernel(KernelSource s) { return kernels(List.of(s)).get(s.name()); }

    /** How many programs were built on this device (each holds every kernel a function needed that was not built yet). */
    int programsBuilt() { return programsBuilt.get(); }

    private void build(List<KernelSource> sources) {
        boolean needs64 = false;
        for (KernelSource s : sources) needs64 |= s.fp64();
        if (needs64 && !fp64)
            throw new TheonException.CompileError("backend opencl: device " + label() + " does not support float64 (no cl_khr_fp64);"
                    + " compile with floatX=float32 and float32 data, or choose another device (opencl.device)");
        String source = Prelude.source(needs64) + String.join("\n", sources.stream().map(KernelSource::source).toList());
        cl_program program = clCreateProgramWithSource(context, 1, new String[]{source}, null, null);
        String options = correctlyRoundedSqrt ? "-cl-fp32-correctly-rounded-divide-sqrt" : "";
        try {
            clBuildProgram(program, 1, new cl_device_id[]{id}, options, null, null);
        } catch (CLException e) {
            String log = buildLog(program);
            clReleaseProgram(program);
            throw new TheonException.CompileError("backend opencl: the OpenCL compiler of " + label() + " rejected the generated program ("
                    + e.getMessage() + ")\n--- compiler log ---\n" + log.strip() + "\n--- generated source ---\n" + numbered(source));
        }
        for (KernelSource s : sources) kernels.put(s.key(), new ClKernel(clCreateKernel(program, s.name(), null), s.name()));
        programsBuilt.incrementAndGet();
    }

    private String buildLog(cl_program program) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(program, id, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] b = new byte[(int) size[0]];
            clGetProgramBuildInfo(program, id, CL_PROGRAM_BUILD_LOG, b.length, Pointer.to(b), null);
            return new String(b, java.nio.charset.StandardCharsets.UTF_8).replace("\0", "");
        } catch (CLException e) {
            return "(no build log: " + e.getMessage() + ")";
        }
    }

    private static String numbered(String source) {
        StringBuilder b = new StringBuilder();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) b.append(String.format("%4d  %s%n", i + 1, lines[i]));
        return b.toString();
    }

    /** A built kernel. Setting arguments and enqueueing happen under its lock: OpenCL kernels are not thread-safe. */
    static final class ClKernel {
        final cl_kernel kernel;
        final String name;

        ClKernel(cl_kernel kernel, String name) {
            this.kernel = kernel;
            this.name = name;
        }

        @Override public String toString() { return name; }
    }
}
