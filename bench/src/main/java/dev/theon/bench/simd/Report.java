package dev.theon.bench.simd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The suite's table (medians, GFLOP/s, ratios to numpy and torch) and its section of bench/RESULTS.md. */
final class Report {
    private Report() {}

    private static final List<String> ORDER = List.of("first", "overhead", "chain", "sum", "softmax", "mlp", "sgemm", "dgemm");

    static String table(List<SimdSuite.Row> rows) {
        Map<String, List<SimdSuite.Row>> groups = new LinkedHashMap<>();
        List<SimdSuite.Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingInt((SimdSuite.Row r) -> ORDER.indexOf(r.kase().split(":")[0]))
                .thenComparingLong(r -> size(r.kase())).thenComparingInt(SimdSuite.Row::threads)
                .thenComparingInt(r -> r.impl().startsWith("Theon") ? 0 : 1));
        for (SimdSuite.Row r : sorted) groups.computeIfAbsent(r.kase() + "|" + r.threads(), k -> new ArrayList<>()).add(r);
        StringBuilder b = new StringBuilder();
        b.append("| case | threads | implementation | median | GFLOP/s | time / numpy | time / torch | note |\n");
        b.append("|---|---:|---|---:|---:|---:|---:|---|\n");
        for (List<SimdSuite.Row> g : groups.values()) {
            Double numpy = find(g, "numpy"), torch = find(g, "torch");
            for (SimdSuite.Row r : g) {
                String kind = r.kase().split(":")[0];
                String gflops = "";
                if (kind.equals("sgemm") || kind.equals("dgemm")) {
                    double n = size(r.kase());
                    gflops = String.format(Locale.ROOT, "%.1f", 2 * n * n * n / (r.ms() * 1e-3) / 1e9);
                } else if (kind.equals("mlp")) {
                    gflops = String.format(Locale.ROOT, "%.1f", dev.theon.bench.Mlp.flops((int) size(r.kase())) / (r.ms() * 1e-3) / 1e9);
                }
                b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s |%n", label(r.kase()), r.threads(), r.impl(), time(r.ms()), gflops,
                        r.impl().startsWith("Theon") && numpy != null ? ratio(r.ms() / numpy) : "",
                        r.impl().startsWith("Theon") && torch != null ? ratio(r.ms() / torch) : "", r.note()));
            }
        }
        return b.toString();
    }

    private static Double find(List<SimdSuite.Row> g, String peer) {
        for (SimdSuite.Row r : g) if (r.impl().equals(peer)) return r.ms();
        return null;
    }

    private static long size(String kase) {
        String[] p = kase.split(":");
        if (p.length < 2) return 0;
        String[] d = p[1].split("x");
        long s = 1;
        for (String x : d) s *= Long.parseLong(x);
        return s;
    }

    private static String label(String kase) {
        String[] p = kase.split(":");
        return switch (p[0]) {
            case "first" -> "first call: tanh(a*x+b)*c + exp(-x*x), 1000 float32";
            case "overhead" -> "x + y on float64 scalars, per call";
            case "chain" -> "tanh(a*x+b)*c + exp(-x*x), " + mega(Long.parseLong(p[1])) + " float32";
            case "sum" -> "sum of " + mega(Long.parseLong(p[1])) + " float32";
            case "softmax" -> "softmax " + p[1].replace("x", "×") + " float32";
            case "mlp" -> "MLP 784-1024-1024-10 training step, batch " + p[1] + ", float32, softmax-CE, SGD";
            default -> p[0] + " n=" + p[1];
        };
    }

    private static String mega(long n) { return n >= (1 << 20) ? (n >> 20) + "M" : n >= 1024 ? (n >> 10) + "K" : String.valueOf(n); }

    private static String time(double ms) {
        if (ms < 0.01) return String.format(Locale.ROOT, "%.3f µs", ms * 1e3);
        if (ms < 1) return String.format(Locale.ROOT, "%.1f µs", ms * 1e3);
        if (ms < 1000) return String.format(Locale.ROOT, "%.2f ms", ms);
        return String.format(Locale.ROOT, "%.2f s", ms / 1e3);
    }

    private static String ratio(double r) { return String.format(Locale.ROOT, "%.2f", r); }

    static void write(String table, String load0, String load1, double minutes, boolean quick) throws IOException {
        Path file = Files.isDirectory(Path.of("bench", "src")) ? Path.of("bench", "RESULTS.md") : Path.of("RESULTS.md");
        String cpu = cpuModel();
        StringBuilder s = new StringBuilder();
        s.append("<!-- simd:begin -->\n## simd: the SIMD CPU backend beside numpy and PyTorch\n\n");
        s.append(String.format(Locale.ROOT, "%s, %s, %d cores, Java %s%s. Run took %.1f min.%n%nBefore: load average %s.%nAfter: load average %s.%n%n",
                LocalDate.now(), cpu, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                quick ? " (quick run: small sizes only)" : "", minutes, load0, load1));
        s.append("Medians, each Theon case followed at once by the same case in numpy and torch (OPENBLAS_CORETYPE=SkylakeX, ")
         .append("OMP_WAIT_POLICY=PASSIVE, Debian's python3-numpy and python3-torch on OpenBLAS). `time / numpy` and `time / torch`: ")
         .append("Theon's time divided by the peer's in the same row group (below 1: Theon is faster). Every Theon time is a whole ")
         .append("`f.call(...)`, including allocating the returned array (arrays of 1 MiB or more are mapped memory on huge ")
         .append("pages, reused once collected; the JVM runs with -XX:MaxDirectMemorySize=1536m, which bounds them), and each ")
         .append("measurement starts after a GC; \"borrowOutputs\" is the same function compiled with ")
         .append("`Theon.options().borrowOutputs(true)` (Theano's `Out(borrow=True)`: the result is the function's own buffer); ")
         .append("\"kernel alone\" runs the same generated kernel ")
         .append("into an array allocated once. Functions are compiled in FAST_RUN, so the fusion rewrite makes one kernel of the ")
         .append("elementwise chain (\"no fusion\" excludes it) and dot is a gemm when it can be. The machine check says how much ")
         .append("of a second core the run had.\n\n");
        s.append(table).append("\n<!-- simd:end -->\n");
        String old = Files.exists(file) ? Files.readString(file) : "# Benchmark results\n\n";
        int a = old.indexOf("<!-- simd:begin -->"), e = old.indexOf("<!-- simd:end -->");
        String updated = a >= 0 && e > a ? old.substring(0, a) + s + old.substring(e + "<!-- simd:end -->\n".length()) : old + s;
        Files.writeString(file, updated);
        System.out.println("written to " + file.toAbsolutePath());
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        } catch (IOException ignored) { }
        return System.getProperty("os.arch");
    }
}
