package dev.theon.bench.simd;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.ops.Composite;
import dev.theon.ops.Composite.Instr;
import dev.theon.ops.ScalarOp;
import dev.theon.simd.Pool;
import dev.theon.simd.gen.ElemKernel;
import dev.theon.simd.gen.ElemSpec;
import dev.theon.simd.gen.KernelCache;
import dev.theon.simd.gen.VectorPlan;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code ./theon bench simd}: the simd backend beside numpy and PyTorch (CPU) in one run. Theon is timed here; the
 * peers by {@code bench/simd_peers.py}, run once per thread count with OPENBLAS_CORETYPE=SkylakeX and
 * OMP_WAIT_POLICY=PASSIVE. Every figure is the median of its repetitions; every Theon call includes what a user's
 * call includes (argument checks, allocating the returned array). Prints a table and writes it to bench/RESULTS.md.
 * <p>
 * Arguments: {@code quick} runs small sizes only (a smoke run of the whole suite); {@code only=KIND,KIND} runs only
 * those kinds of case (first, overhead, chain, sum, softmax, mlp, sgemm, dgemm) and then prints the table without
 * writing bench/RESULTS.md.
 */
public final class SimdSuite {
    /** One measured figure: a case, a thread count, an implementation, its median in ms. */
    record Row(String kase, int threads, String impl, double ms, String note) {}

    private final List<Row> rows = new ArrayList<>();
    private final boolean quick;
    private final List<String> only;  // empty: every kind of case

    private SimdSuite(boolean quick, List<String> only) { this.quick = quick; this.only = only; }

    public static void run(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("quick");
        List<String> only = Arrays.stream(args).filter(a -> a.startsWith("only=")).flatMap(a -> Arrays.stream(a.substring(5).split(","))).toList();
        new SimdSuite(quick, only).all();
    }

    private boolean wanted(String kind) { return only.isEmpty() || only.contains(kind); }

    int[] gemmSizes() { return quick ? new int[]{256, 512} : new int[]{256, 512, 1024, 2048, 4096}; }
    int big() { return quick ? 1 << 20 : 1 << 26; }

    private void all() throws Exception {
        String load0 = loadAverage();
        String check0 = MachineCheck.run();
        System.out.println("machine check: " + check0 + "; load average " + load0);
        long start = System.nanoTime();
        Peers peers = Peers.find();
        // each case is measured for Theon and then, right after, for the peers: the load of a shared machine drifts
        if (wanted("first")) {
            firstCall();
            peers.run(this::add, 1, List.of("first"));
        }
        if (wanted("overhead")) {
            overhead();
            peers.run(this::add, 1, List.of("overhead"));
        }
        for (int t : new int[]{1, 2}) {
            Pool.setParallelism(t);
            if (wanted("chain")) {
                chain(1 << 22, t);
                peers.run(this::add, t, List.of("chain:" + (1 << 22)));
                chain(big(), t);
                peers.run(this::add, t, List.of("chain:" + big()));
            }
            if (wanted("sum")) {
                sum(big(), t);
                peers.run(this::add, t, List.of("sum:" + big()));
            }
            if (wanted("softmax")) {
                softmax(t);
                peers.run(this::add, t, List.of("softmax:256x1000"));
            }
            if (wanted("mlp")) {
                mlp(t);
                peers.run(this::add, t, List.of("mlp:" + mlpBatch()));
            }
            for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
                if (!wanted(dt == DType.FLOAT32 ? "sgemm" : "dgemm")) continue;
                for (int n : gemmSizes()) {
                    gemm(dt, n, t);
                    peers.run(this::add, t, List.of((dt == DType.FLOAT32 ? "sgemm:" : "dgemm:") + n));
                }
            }
        }
        Pool.setParallelism(Runtime.getRuntime().availableProcessors());
        double minutes = (System.nanoTime() - start) / 6e10;
        String table = Report.table(rows);
        System.out.println(table);
        String check1 = MachineCheck.run();
        if (only.isEmpty()) Report.write(table, load0 + "; " + check0, loadAverage() + "; " + check1, minutes, quick);
        else System.out.println("a partial run (only=" + String.join(",", only) + "): bench/RESULTS.md left as it was");
    }

    void add(Row r) { rows.add(r); System.out.printf(Locale.ROOT, "  %-18s t=%d %-26s %12.4f ms%s%n", r.kase, r.threads, r.impl, r.ms, r.note.isEmpty() ? "" : "  (" + r.note + ")"); }

    static String loadAverage() {
        try { return Files.readString(Path.of("/proc/loadavg")).trim(); } catch (IOException e) { return "unknown"; }
    }

    /**
     * The median of {@code reps} timed calls, in ms, after at least {@code warmup} untimed calls and at least a
     * second of them (so C2 has compiled the kernels: the JIT's start-up is measured by the "first call" case).
     */
    static double median(Runnable call, int warmup, int reps) {
        // each measurement starts without the previous one's garbage arrays (their native memory is freed at a GC)
        System.gc();
        long until = System.nanoTime() + 1_000_000_000L;
        for (int i = 0; i < warmup || System.nanoTime() < until; i++) call.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            call.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    static Function simd(List<Variable> in, Variable out) { return Theon.function(in, out, Theon.options().backend("simd")); }

    /** tanh(a*x + b)*c + exp(-x*x) over x, a, b, c as one fused node (what the fusion rewrite makes of the chain). */
    static Composite chainExpression() {
        return new Composite(4, List.of(
                new Instr(ScalarOp.MUL, new int[]{1, 0}, null), new Instr(ScalarOp.ADD, new int[]{4, 2}, null),
                new Instr(ScalarOp.TANH, new int[]{5}, null), new Instr(ScalarOp.MUL, new int[]{6, 3}, null),
                new Instr(ScalarOp.MUL, new int[]{0, 0}, null), new Instr(ScalarOp.NEG, new int[]{8}, null),
                new Instr(ScalarOp.EXP, new int[]{9}, null), new Instr(ScalarOp.ADD, new int[]{7, 10}, null)), new int[]{7});
    }

    /** The chain as a user writes it; the fusion rewrite makes one Composite node of it. */
    static Variable chainAsWritten(Variable x, Variable a, Variable b, Variable c) {
        return T.add(T.mul(T.tanh(T.add(T.mul(a, x), b)), c), T.exp(T.neg(T.mul(x, x))));
    }

    static NDArray randomF32(int n, long seed) {
        NDArray x = NDArray.zeros(DType.FLOAT32, n);
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) x.writeDouble(i, r.nextGaussian());
        return x;
    }

    /** Compile + first call, in this still-cold JVM, then a second function with the same work. */
    private void firstCall() {
        NDArray x = randomF32(1000, 1), a = NDArray.of(0.5f), b = NDArray.of(0.1f), c = NDArray.of(2f);
        long t0 = System.nanoTime();
        Variable[] v = vars();
        simd(List.of(v), chainAsWritten(v[0], v[1], v[2], v[3])).call(x, a, b, c);
        add(new Row("first", 1, "Theon simd", (System.nanoTime() - t0) / 1e6, "cold JVM: rewrite, generate the fused kernel, first call"));
        t0 = System.nanoTime();
        Variable[] w = vars();
        simd(List.of(w), chainAsWritten(w[0], w[1], w[2], w[3])).call(x, a, b, c);
        add(new Row("first", 1, "Theon simd, again", (System.nanoTime() - t0) / 1e6, "a second function: kernel from the cache"));
        t0 = System.nanoTime();
        Variable[] r = vars();
        Theon.function(List.of(r), chainAsWritten(r[0], r[1], r[2], r[3]), Theon.options().backend("reference")).call(x, a, b, c);
        add(new Row("first", 1, "Theon reference", (System.nanoTime() - t0) / 1e6, ""));
        Variable p = T.fmatrix("p"), q = T.fmatrix("q");
        NDArray m = NDArray.zeros(DType.FLOAT32, 256, 256);
        t0 = System.nanoTime();
        simd(List.of(p, q), T.dot(p, q)).call(m, m);
        add(new Row("first", 1, "Theon simd sgemm 256", (System.nanoTime() - t0) / 1e6, "cold GEMM: interpreter, then C2"));
    }

    static Variable[] vars() { return new Variable[]{T.fvector("x"), T.fscalar("a"), T.fscalar("b"), T.fscalar("c")}; }

    /** A compiled x + y on float64 scalars, per call; the two backends alternate, round by round, so drift hits both. */
    private void overhead() {
        String[] backends = {"simd", "reference"};
        Function[] fs = new Function[2];
        for (int i = 0; i < 2; i++) {
            Variable x = T.dscalar("x"), y = T.dscalar("y");
            fs[i] = Theon.function(List.of(x, y), T.add(x, y), Theon.options().backend(backends[i]));
        }
        NDArray a = NDArray.of(2.0), b = NDArray.of(3.0);
        int n = 200_000, rounds = 9;
        double[][] t = new double[2][rounds];
        for (int r = -2; r < rounds; r++) {
            for (int i = 0; i < 2; i++) {
                long s0 = System.nanoTime();
                for (int k = 0; k < n; k++) fs[i].call(a, b);
                if (r >= 0) t[i][r] = (System.nanoTime() - s0) / 1e6 / n;
            }
        }
        for (int i = 0; i < 2; i++) {
            Arrays.sort(t[i]);
            add(new Row("overhead", 1, "Theon " + backends[i], t[i][rounds / 2], "f.call(x, y), NDArray arguments"));
        }
    }

    private void chain(int n, int threads) {
        NDArray x = randomF32(n, 2), a = NDArray.of(0.5f), b = NDArray.of(0.1f), c = NDArray.of(2f);
        int reps = n <= (1 << 22) ? 10 : 3;
        Variable[] v = vars();
        Function fused = simd(List.of(v), chainAsWritten(v[0], v[1], v[2], v[3]));
        add(new Row("chain:" + n, threads, "Theon simd", median(() -> fused.call(x, a, b, c), 2, reps), "fused by the rewrite: one kernel"));
        Variable[] vb = vars();
        Function borrowed = Theon.function(List.of(vb), chainAsWritten(vb[0], vb[1], vb[2], vb[3]), Theon.options().backend("simd").borrowOutputs(true));
        add(new Row("chain:" + n, threads, "Theon simd, borrowOutputs", median(() -> borrowed.call(x, a, b, c), 2, reps), "the result is the function's own buffer, reused"));
        add(new Row("chain:" + n, threads, "Theon kernel alone", kernelAlone(x, a, b, c, threads, reps), "that kernel into a preallocated output"));
        Variable[] u = vars();
        Function unfused = Theon.function(List.of(u), chainAsWritten(u[0], u[1], u[2], u[3]), Theon.options().backend("simd").excluding("fusion"));
        add(new Row("chain:" + n, threads, "Theon simd, no fusion", median(() -> unfused.call(x, a, b, c), 2, reps), "8 kernels, 8 passes"));
        if (n <= (1 << 22) && threads == 1) {
            Variable[] r = vars();
            Function ref = Theon.function(List.of(r), chainAsWritten(r[0], r[1], r[2], r[3]), Theon.options().backend("reference"));
            add(new Row("chain:" + n, threads, "Theon reference", median(() -> ref.call(x, a, b, c), 0, 1), "fused; one call"));
        }
    }

    /**
     * The generated kernel of the fused chain run directly into an output allocated once, split among threads the way
     * the backend splits it: what a call costs without allocating its returned array.
     */
    private static double kernelAlone(NDArray x, NDArray a, NDArray b, NDArray c, int threads, int reps) {
        DType f = DType.FLOAT32;
        VectorPlan.Access V = VectorPlan.Access.VEC, B = VectorPlan.Access.BCAST;
        ElemKernel k;
        try {
            k = KernelCache.vector(new ElemSpec(chainExpression(), new DType[]{f, f, f, f}), new VectorPlan.Access[]{V, B, B, B}).kernel();
        } catch (VectorPlan.Unsupported e) {
            throw new IllegalStateException(e);
        }
        long n = x.size();
        NDArray out = NDArray.zeros(f, n);
        MemorySegment[] segs = {x.segment(), a.segment(), b.segment(), c.segment(), out.segment()};
        long[] strides = {1, 0, 0, 0, 1};
        long blocks = (n + 63) / 64;
        return median(() -> Pool.run(threads, (p, q) -> {
            long from = blocks * p / q * 64, to = Math.min(n, blocks * (p + 1) / q * 64);
            k.run(segs, new long[]{from, 0, 0, 0, from}, strides, null, to - from);
        }), 2, reps);
    }

    private void sum(int n, int threads) {
        NDArray x = randomF32(n, 3);
        Variable v = T.fvector("x");
        Function f = simd(List.of(v), T.sum(v));
        add(new Row("sum:" + n, threads, "Theon simd", median(() -> f.call(x), 2, 5), "float32 trees into float64"));
    }

    private void softmax(int threads) {
        NDArray x = NDArray.zeros(DType.FLOAT32, 256, 1000);
        Random r = new Random(4);
        for (long i = 0; i < x.size(); i++) x.writeDouble(i, r.nextGaussian());
        Variable v = T.fmatrix("x");
        Function f = simd(List.of(v), T.softmax(v));
        add(new Row("softmax:256x1000", threads, "Theon simd", median(() -> f.call(x), 50, 200), ""));
        Variable w = T.fmatrix("x");
        Function borrowed = Theon.function(List.of(w), T.softmax(w), Theon.options().backend("simd").borrowOutputs(true));
        add(new Row("softmax:256x1000", threads, "Theon simd, borrowOutputs", median(() -> borrowed.call(x), 50, 200), "the result is the function's own buffer, reused"));
    }

    int mlpBatch() { return quick ? 64 : 256; }

    /**
     * One SGD step of the benchmarks' MLP ({@link dev.theon.bench.Mlp}): forward, gradients, updates of the weights.
     * Measured warm: a fresh JVM needs some 20-25 steps (2-3 s) before C2 has compiled every kernel of the step, so the
     * warm-up is 40 steps, not the suite's usual second.
     */
    private void mlp(int threads) {
        NDArray[] data = dev.theon.bench.Mlp.batch(mlpBatch());
        long c0 = System.nanoTime();
        Function f = dev.theon.bench.Mlp.step("simd");
        double compileMs = (System.nanoTime() - c0) / 1e6;
        // a training loop runs thousands of steps: measure after C2 has compiled every kernel of the step
        add(new Row("mlp:" + mlpBatch(), threads, "Theon simd", median(() -> f.call(data[0], data[1]), 150, 15),
                String.format(Locale.ROOT, "compiled in %.0f ms; after 150 warm-up steps", compileMs)));
    }

    private void gemm(DType dt, int n, int threads) {
        NDArray a = NDArray.zeros(dt, n, n), b = NDArray.zeros(dt, n, n);
        Random r = new Random(n);
        for (long i = 0; i < (long) n * n; i++) { a.writeDouble(i, r.nextGaussian()); b.writeDouble(i, r.nextGaussian()); }
        Variable p = T.tensor(dt, new long[]{-1, -1}, "a"), q = T.tensor(dt, new long[]{-1, -1}, "b");
        Function f = simd(List.of(p, q), T.dot(p, q));
        int reps = switch (n) { case 256 -> 40; case 512 -> 20; case 1024 -> 8; case 2048 -> 4; default -> 3; };
        int warmup = n >= 2048 ? 1 : 5;
        add(new Row((dt == DType.FLOAT32 ? "sgemm:" : "dgemm:") + n, threads, "Theon simd", median(() -> f.call(a, b), warmup, reps), ""));
    }

}
