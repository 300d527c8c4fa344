package dev.theon.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ./theon bench [SUITE ...]}: runs the named benchmark suites (all when none is named). Each suite prints a
 * table of medians and ratios against its peers measured in the same run, and may append to bench/RESULTS.md.
 */
public final class Main {
    private Main() {}

    /** The suites, by name. A suite is a main-like entry point taking the remaining arguments. */
    static Map<String, Suite> suites() {
        Map<String, Suite> m = new LinkedHashMap<>();
        // ==== suites ====
        m.put("compile", CompileBench::main);
        m.put("opencl", OpenCLSuite::run);
        m.put("simd", dev.theon.bench.simd.SimdSuite::run);
        return m;
    }

    @FunctionalInterface
    interface Suite { void run(String[] args) throws Exception; }

    public static void main(String[] args) throws Exception {
        Map<String, Suite> all = suites();
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
            System.out.println("usage: ./theon bench [" + String.join("|", all.keySet()) + "] ...");
            return;
        }
        if (all.isEmpty()) { System.out.println("no benchmark suites are built in"); return; }
        if (args.length == 0) {
            for (Map.Entry<String, Suite> e : all.entrySet()) { System.out.println("\n### " + e.getKey()); e.getValue().run(new String[0]); }
            return;
        }
        Suite s = all.get(args[0]);
        if (s == null) throw new IllegalArgumentException("unknown suite '" + args[0] + "'; known: " + all.keySet());
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        s.run(rest);
    }
}
