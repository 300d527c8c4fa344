package dev.theon.backend.opencl;

import dev.theon.backend.opencl.ClDevice.ClKernel;
import dev.theon.backend.opencl.GemmKernel.Operand;
import dev.theon.backend.opencl.GemmKernel.Tiles;
import dev.theon.config.Config;
import dev.theon.tensor.DType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.jocl.Pointer;

import static org.jocl.CL.clEnqueueFillBuffer;
import static org.jocl.CL.clFinish;

/**
 * Chooses GEMM tile sizes for a device: the first time a float product is compiled for it, each candidate that fits
 * the device (work-group size, local memory) is built and timed on a square product, and the fastest is kept, in
 * memory and in {@code <cache_dir>/opencl-gemm-tiles.properties} (keyed by device and dtype) so later runs skip the
 * timing. Integer products take the first candidate that fits, untimed.
 */
final class GemmTuner {
    private static final Logger LOG = LoggerFactory.getLogger(GemmTuner.class);

    /**
     * Tiled forms, from small tiles (good for small or skinny products) to large register blocks (good for big
     * square GPU products) and thin blocks over wide work-groups; {@link #fitting} adds the vector forms for floats,
     * which CPU implementations (PoCL) run as plain SIMD code.
     */
    static final List<Tiles> CANDIDATES = List.of(
            new Tiles(32, 32, 16, 2, 2),
            new Tiles(64, 64, 16, 4, 4),
            new Tiles(64, 64, 8, 8, 8),
            new Tiles(128, 64, 16, 8, 4),
            new Tiles(64, 64, 16, 1, 8),
            new Tiles(64, 64, 16, 8, 1));
    static final int TUNE_SIZE = 512;

    private final ClDevice device;
    private final Map<DType, Tiles> chosen = new ConcurrentHashMap<>();
    private final Map<DType, String> how = new ConcurrentHashMap<>();

    GemmTuner(ClDevice device) { this.device = device; }

    /** The tiles for products accumulating in {@code dtype}, tuned on first use. */
    Tiles tiles(DType dtype) {
        Tiles t = chosen.get(dtype);
        if (t != null) return t;
        synchronized (this) {
            return chosen.computeIfAbsent(dtype, this::choose);
        }
    }

    /** How the tiles for {@code dtype} were chosen, for describe(). */
    String how(DType dtype) { return how.getOrDefault(dtype, ""); }

    private List<Tiles> fitting(DType d) {
        List<Tiles> ok = new ArrayList<>();
        int elem = d.isFloat() ? d.byteSize() : 8;
        List<Tiles> all = new ArrayList<>(CANDIDATES);
        if (d.isFloat()) {
            // one register block of 8 or 4 rows by a 64-byte vector (float16, double8)
            int width = 64 / d.byteSize();
            all.add(Tiles.vector(8, width));
            all.add(Tiles.vector(4, width));
        }
        for (Tiles t : all)
            if (t.groupSize() <= device.maxWorkGroup && t.localBytes(elem) <= device.localMemBytes) ok.add(t);
        if (ok.isEmpty()) ok.add(new Tiles(8, 8, 8, 1, 1));  // a tiny device: 64 work-items, 512 bytes of local memory
        return ok;
    }

    private String key(DType d) { return (device.found.platformName() + " | " + device.name + " | " + d.label()).replace('=', '_').replace(':', '_'); }

    private Tiles choose(DType d) {
        List<Tiles> fit = fitting(d);
        if (!d.isFloat() || fit.size() == 1) {
            how.put(d, "first fitting candidate");
            return fit.get(0);
        }
        Tiles stored = load(d, fit);
        if (stored != null) {
            how.put(d, "tuned earlier, from " + file());
            return stored;
        }
        Tiles best = time(d, fit);
        save(d, best);
        return best;
    }

    private Tiles time(DType d, List<Tiles> fit) {
        List<GemmKernel> ks = new ArrayList<>();
        for (Tiles t : fit) ks.add(new GemmKernel(d, d, d, t, null));
        Map<String, ClKernel> built = device.kernels(ks.stream().map(GemmKernel::source).toList());
        ks.forEach(k -> k.bind(built));
        long n = TUNE_SIZE;
        ClCall c = new ClCall(device);
        DeviceTensor a = c.alloc(d, new long[]{n, n}), b = c.alloc(d, new long[]{n, n}), out = c.alloc(d, new long[]{n, n});
        Tiles best = fit.get(0);
        double bestMs = Double.MAX_VALUE;
        StringBuilder report = new StringBuilder();
        try {
            for (DeviceTensor t : List.of(a, b, out))  // defined contents: no NaN or subnormal patterns slowing a candidate
                clEnqueueFillBuffer(device.queue, t.buffer().mem, Pointer.to(new byte[]{0}), 1, 0, t.buffer().bytes, 0, null, null);
            Operand oa = new Operand(a, 0, n, 1, 0), ob = new Operand(b, 0, n, 1, 0), oc = new Operand(out, 0, n, 1, 0);
            for (GemmKernel k : ks) {
                k.run(c, n, n, n, 1, oa, ob, oc);  // the first launch may compile for this work-group size
                clFinish(device.queue);
                double ms = Double.MAX_VALUE;
                for (int rep = 0; rep < 2; rep++) {
                    long t0 = System.nanoTime();
                    k.run(c, n, n, n, 1, oa, ob, oc);
                    clFinish(device.queue);
                    ms = Math.min(ms, (System.nanoTime() - t0) / 1e6);
                }
                report.append(String.format("%s: %.1f GFLOP/s; ", k.tiles, 2.0 * n * n * n / ms / 1e6));
                if (ms < bestMs) { bestMs = ms; best = k.tiles; }
            }
        } finally {
            c.finish();
            a.buffer().release();
            b.buffer().release();
            out.buffer().release();
        }
        how.put(d, String.format("tuned on %dx%d: %.1f GFLOP/s", n, n, 2.0 * n * n * n / bestMs / 1e6));
        LOG.debug("GEMM tiles for {} on {}: {}chose {}", d, device.name, report, best);
        return best;
    }

    private static Path file() {
        return Path.of(Config.get().value("cache_dir"), "opencl-gemm-tiles.properties");
    }

    private Tiles load(DType d, List<Tiles> fit) {
        Path f = file();
        if (!Files.isRegularFile(f)) return null;
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        String v = p.getProperty(key(d));
        if (v == null) return null;
        for (Tiles t : fit) if (t.toString().equals(v)) return t;
        return null;  // a candidate no longer offered
    }

    private synchronized void save(DType d, Tiles t) {
        Path f = file();
        try {
            Files.createDirectories(f.getParent());
            Properties p = new Properties();
            if (Files.isRegularFile(f)) try (Reader r = Files.newBufferedReader(f)) { p.load(r); }
            p.setProperty(key(d), t.toString());
            Path tmp = Files.createTempFile(f.getParent(), "gemm", ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp)) { p.store(w, "GEMM tile sizes chosen by timing, per OpenCL device and dtype"); }
            Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not record the GEMM tile choice in {}: {}", f, e.toString());  // the choice still holds for this run
        }
    }
}
