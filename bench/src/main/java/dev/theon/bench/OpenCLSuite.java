package dev.theon.bench;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code ./theon bench opencl [--record] [--quick]}: the OpenCL backend on its default device beside the reference
 * backend: GEMM in GFLOP/s, elementwise and reduction throughput in GB/s, and the 784-1024-1024-10 training step.
 * Operands live in shared variables, so they stay on the device and a call moves only its result back; times are
 * medians of whole calls (kernels, the result's transfer, and the call's own overhead). {@code --record} appends
 * the table to bench/RESULTS.md.
 */
final class OpenCLSuite {
    private OpenCLSuite() {}

    private record Row(String work, String opencl, String reference, String ratio) {}

    static void run(String[] args) throws Exception {
        boolean record = Arrays.asList(args).contains("--record"), quick = Arrays.asList(args).contains("--quick");
        List<String> devices = Theon.devices().getOrDefault("opencl", List.of());
        if (devices.isEmpty()) {
            System.out.println("no OpenCL device (install PoCL: apt-get install ocl-icd-libopencl1 pocl-opencl-icd)");
            return;
        }
        Variable probe = T.fvector("probe");
        String device = Theon.function(List.of(probe), T.exp(probe), Theon.options().backend("opencl")).describe()
                .lines().filter(l -> l.startsWith("backend opencl")).findFirst().orElse("?")
                .replaceFirst("^backend opencl \\(device ", "").replaceFirst("\\), floatX.*$", "");
        System.out.println("device: " + device);
        List<Row> rows = new ArrayList<>();
        gemm(rows, quick ? new int[]{256, 512} : new int[]{256, 512, 1024, 2048});
        elementwise(rows, quick ? 1 << 20 : 1 << 22);
        mlp(rows, quick ? 64 : 256);
        String table = table(rows);
        System.out.println(table);
        if (record) record(device, table);
    }

    // ---------------------------------------------------------------- GEMM

    private static void gemm(List<Row> rows, int[] sizes) {
        for (int n : sizes) {
            Random rnd = new Random(n);
            SharedVariable a = Theon.shared(random(rnd, n, n), "A"), b = Theon.shared(random(rnd, n, n), "B");
            double flops = 2.0 * n * n * n;
            double cl = median(Theon.function(List.of(), T.dot(a, b), Theon.options().backend("opencl")), n >= 2048 ? 3 : 7);
            double ref = n <= 512 ? median(Theon.function(List.of(), T.dot(a, b), Theon.options().backend("reference")), n <= 256 ? 5 : 2) : Double.NaN;
            rows.add(new Row("sgemm n=" + n + " (GFLOP/s; C copied back each call)", gflops(flops, cl), gflops(flops, ref), ratio(ref, cl)));
        }
    }

    // ---------------------------------------------------------------- elementwise and reductions

    private static void elementwise(List<Row> rows, int n) {
        SharedVariable x = Theon.shared(random(new Random(1), n), "x");
        double mb = n * 4.0 / 1e6;
        Variable chain = T.add(T.mul(T.tanh(T.add(T.mul(x, 1.5f), 0.5f)), 2f), T.exp(T.neg(T.mul(x, x))));
        Map<String, Variable> work = new LinkedHashMap<>();
        work.put("sum(x)", T.sum(x));
        work.put("sum(x * 2)", T.sum(T.mul(x, 2f)));
        work.put("sum(tanh(1.5x + .5) * 2 + exp(-x*x))", T.sum(chain));
        work.put("tanh(1.5x + .5) * 2 + exp(-x*x), copied back", chain);
        for (Map.Entry<String, Variable> e : work.entrySet()) {
            Function fcl = Theon.function(List.of(), e.getValue(), Theon.options().backend("opencl"));
            long kernels = fcl.describe().lines().filter(l -> l.contains(" kernel ")).count();
            double bytes = mb * arraysTouched(fcl);
            double cl = median(fcl, 7), ref = median(Theon.function(List.of(), e.getValue(), Theon.options().backend("reference")), 3);
            rows.add(new Row(e.getKey() + ", " + n / (1 << 20) + "M float32, " + kernels + " kernel(s) (GB/s of kernel traffic)",
                    String.format("%.1f ms, %.1f GB/s", cl * 1e3, bytes / 1e3 / cl), String.format("%.1f ms", ref * 1e3), ratio(ref, cl)));
        }
    }

    /** How many n-element arrays the nodes read and write (every vector operand and result; scalars are not counted). */
    private static int arraysTouched(Function f) {
        int k = 0;
        for (var node : f.graph().nodes()) {
            for (Variable v : node.inputs()) if (v.ndim() > 0) k++;
            for (Variable v : node.outputs()) if (v.ndim() > 0) k++;
        }
        return k;
    }

    // ---------------------------------------------------------------- the training step

    private static void mlp(List<Row> rows, int batch) {
        NDArray[] data = Mlp.batch(batch);
        NDArray xs = data[0], ts = data[1];
        long c0 = System.nanoTime();
        Function cl = Mlp.step("opencl");
        double compile = (System.nanoTime() - c0) / 1e9;
        double stepCl = median(cl, 7, xs, ts);
        double stepRef = median(Mlp.step("reference"), 2, xs, ts);
        double flops = Mlp.flops(batch);
        rows.add(new Row("MLP step 784-1024-1024-10, batch " + batch + ", f32, softmax-CE, SGD (compile " + String.format("%.1f s", compile) + ")",
                String.format("%.1f ms (%.1f GFLOP/s)", stepCl * 1e3, flops / stepCl / 1e9), String.format("%.0f ms", stepRef * 1e3), ratio(stepRef, stepCl)));
    }

    // ---------------------------------------------------------------- helpers

    private static NDArray random(Random rnd, long... shape) {
        NDArray a = NDArray.zeros(DType.FLOAT32, shape);
        long n = a.size();
        for (long i = 0; i < n; i++) a.setFlatDouble(i, rnd.nextDouble() * 2 - 1);
        return a;
    }

    /** Median seconds per call after two warm-up calls. */
    private static double median(Function f, int reps, Object... args) {
        for (int i = 0; i < 2; i++) f.callAll(args);
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            f.callAll(args);
            t[i] = (System.nanoTime() - s) / 1e9;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    private static String gflops(double flops, double s) { return Double.isNaN(s) ? "—" : String.format("%.1f", flops / s / 1e9); }

    private static String ratio(double ref, double cl) { return Double.isNaN(ref) ? "—" : String.format("%.1fx", ref / cl); }

    private static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder("| work | opencl | reference | speed-up |\n|---|---|---|---|\n");
        for (Row r : rows) b.append("| ").append(r.work()).append(" | ").append(r.opencl()).append(" | ").append(r.reference()).append(" | ").append(r.ratio()).append(" |\n");
        return b.toString();
    }

    private static void record(String device, String table) throws IOException {
        Path results = Path.of("bench", "RESULTS.md");
        if (!Files.isDirectory(results.getParent())) results = Path.of("RESULTS.md");  // run from bench/
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        String section = "\n## OpenCL backend (suite `opencl`), " + LocalDate.now() + "\n\nDevice: " + device + ". "
                + "Host: " + os.getAvailableProcessors() + " cores, load average " + String.format("%.1f", os.getSystemLoadAverage())
                + " when the table was written (a shared machine: figures move between runs). "
                + "Times are medians of whole calls with operands in shared variables (on the device), so a call moves only its result back; "
                + "GB/s counts the arrays the compiled graph's nodes read and write (after fusion), per call.\n\n"
                + table;
        if (!Files.exists(results)) Files.writeString(results, "# Benchmark results\n");
        Files.writeString(results, section, StandardOpenOption.APPEND);
        System.out.println("appended to " + results.toAbsolutePath());
    }
}
