package dev.theon.bench.simd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code bench/simd_peers.py} (numpy and PyTorch CPU) once per thread count and turns its JSON lines into rows.
 * The interpreter is {@code -Dtheon.bench.python}, else Debian's {@code /usr/bin/python3} (where apt installs
 * python3-numpy and python3-torch), else {@code python3} on the PATH.
 */
final class Peers {
    private final Path script;
    private final String python;

    private Peers(Path script, String python) { this.script = script; this.python = python; }

    /** The peers' script and interpreter; a Peers that measures nothing (and says why once) when either is missing. */
    static Peers find() {
        Path script = Files.exists(Path.of("bench/simd_peers.py")) ? Path.of("bench/simd_peers.py") : Path.of("simd_peers.py");
        if (!Files.exists(script)) {
            System.out.println("peers skipped: simd_peers.py not found from " + Path.of("").toAbsolutePath());
            return new Peers(null, null);
        }
        String python = System.getProperty("theon.bench.python", Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
        if (!works(python, "import numpy")) {
            System.out.println("peers skipped: " + python + " cannot import numpy; install them with: apt-get install -y python3-numpy python3-torch libopenblas0-pthread");
            return new Peers(null, null);
        }
        if (!works(python, "import torch")) System.out.println("note: " + python + " cannot import torch; only numpy is measured (apt-get install -y python3-torch)");
        return new Peers(script, python);
    }

    /** Measures {@code cases} with numpy and torch on {@code threads} threads, in a fresh interpreter. */
    void run(Consumer<SimdSuite.Row> add, int threads, List<String> cases) throws IOException, InterruptedException {
        if (script == null) return;
        ProcessBuilder pb = new ProcessBuilder(python, script.toString(), String.valueOf(threads), String.join(",", cases));
        Map<String, String> env = pb.environment();
        env.put("OPENBLAS_CORETYPE", "SkylakeX");
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        env.put("OPENBLAS_NUM_THREADS", String.valueOf(threads));
        env.put("OMP_NUM_THREADS", String.valueOf(threads));
        env.put("MKL_NUM_THREADS", String.valueOf(threads));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) {
                SimdSuite.Row row = parse(line);
                if (row != null) add.accept(row);
                else System.out.println("  peers: " + line);
            }
        }
        int rc = p.waitFor();
        if (rc != 0) System.out.println("peers " + cases + " with " + threads + " thread(s) exited with status " + rc);
    }

    private static boolean works(String python, String code) {
        try {
            Process p = new ProcessBuilder(python, "-c", code).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\": (\"[^\"]*\"|[-0-9.eE+]+)");

    /** One JSON line of the script (flat, with string and number values), or null for any other line. */
    static SimdSuite.Row parse(String line) {
        if (!line.startsWith("{")) return null;
        Matcher m = FIELD.matcher(line);
        String kase = null, peer = null, note = "";
        int threads = 1;
        double ms = Double.NaN;
        while (m.find()) {
            String k = m.group(1), v = m.group(2);
            String s = v.startsWith("\"") ? v.substring(1, v.length() - 1) : v;
            switch (k) {
                case "case" -> kase = s;
                case "peer" -> peer = s;
                case "threads" -> threads = Integer.parseInt(s);
                case "ms" -> ms = Double.parseDouble(s);
                case "note" -> note = s;
                case "import_ms" -> note = String.format(java.util.Locale.ROOT, "import took %.0f ms", Double.parseDouble(s));
                default -> { }
            }
        }
        return kase == null || peer == null ? null : new SimdSuite.Row(kase, threads, peer, ms, note);
    }
}
