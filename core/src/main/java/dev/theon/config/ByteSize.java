package dev.theon.config;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/** Sizes in bytes as the JVM's own flags write them: {@code 1048576}, {@code 512k}, {@code 64m}, {@code 8g}, {@code 1t}. */
final class ByteSize {
    private ByteSize() {}

    static long parse(String key, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.endsWith("b")) t = t.substring(0, t.length() - 1);  // "64mb" as well as "64m"
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                case 't' -> unit = 1L << 40;
                default -> { }
            }
        }
        if (unit != 1) t = t.substring(0, t.length() - 1).strip();
        long n;
        try {
            n = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("config " + key + ": '" + text + "' is not a size; expected bytes with an optional"
                    + " unit k, m, g or t, e.g. 512m or 8g");
        }
        if (n <= 0) throw new IllegalArgumentException("config " + key + ": '" + text + "' is not a positive size");
        if (n > Long.MAX_VALUE / unit) throw new IllegalArgumentException("config " + key + ": '" + text + "' is too large");
        return n * unit;
    }

    /** {@code -XX:MaxDirectMemorySize} when it was given, else its default, the maximum heap size. */
    static long maxDirectMemory() { return MaxDirect.VALUE; }

    /** Read once: the flag cannot change while the JVM runs. */
    private static final class MaxDirect {
        static final long VALUE = read();
    }

    private static long read() {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            long v = bean == null ? 0 : Long.parseLong(bean.getVMOption("MaxDirectMemorySize").getValue());
            if (v > 0) return v;
        } catch (RuntimeException | LinkageError e) {
            // not a HotSpot VM, or java.management is absent: the heap bound is the documented default
        }
        return Runtime.getRuntime().maxMemory();
    }
}
