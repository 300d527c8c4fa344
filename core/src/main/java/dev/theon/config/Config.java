package dev.theon.config;

import dev.theon.tensor.DType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The effective configuration. Each key's value comes from the highest of these sources:
 * defaults &lt; {@code ~/.theonrc} &lt; the {@code THEON_FLAGS} environment variable (e.g. {@code floatX=float32,backend=simd})
 * &lt; the runtime API ({@link #set}) &lt; a function's own options. {@link #toString()} lists every value with its source.
 */
public final class Config {

    /** Where a value came from. */
    public enum Source { DEFAULT, THEONRC, THEON_FLAGS, RUNTIME }

    /** A known key: its default and the values it accepts (empty = free text). */
    public record Key(String name, String defaultValue, List<String> allowed, String doc) {}

    /** The key that bounds the native memory of large arrays ({@code dev.theon.tensor.NativeMemory}). */
    public static final String NATIVE_MEMORY_LIMIT = "native_memory_limit";

    public static final List<Key> KEYS = List.of(
            new Key("floatX", "float64", List.of("float32", "float64"), "precision that FLOATX variables are bound to"),
            new Key("backend", "auto", List.of(), "backend that compiles functions: reference, simd, opencl; auto = simd when it is on the class path, else reference"),
            new Key("device", "", List.of(), "device of the backend (e.g. an OpenCL device index); empty = the backend's default"),
            new Key("mode", "FAST_RUN", List.of("FAST_RUN", "FAST_COMPILE", "DEBUG"), "rewrites and checks applied when compiling"),
            new Key("exception_verbosity", "low", List.of("low", "high"), "high: errors show where user code created each node"),
            new Key("nan_guard", "false", List.of("true", "false"), "check every intermediate for NaN/Inf (always on in DEBUG mode)"),
            new Key("opencl.platform", "", List.of(), "OpenCL platform index or name; empty = first with a GPU, else first"),
            new Key("opencl.device", "", List.of(), "OpenCL device index or name; empty = first GPU, else first device"),
            new Key("cache_dir", System.getProperty("user.home") + "/.theon/cache", List.of(), "where compiled artefacts are cached"),
            new Key("print_rewrites", "false", List.of("true", "false"), "log each rewrite that fires"),
            new Key("profile", "false", List.of("true", "false"), "time every node of every compiled function (f.profile().summary())"),
            new Key(NATIVE_MEMORY_LIMIT, "", List.of(), "most bytes that arrays of 1 MiB or more (live, not yet collected, or kept for"
                    + " reuse) may hold, e.g. 512m or 8g: at it an allocation collects garbage, then throws OutOfMemoryError; empty ="
                    + " -XX:MaxDirectMemorySize, else the maximum heap size"));

    private static final Config INSTANCE = load(System.getenv("THEON_FLAGS"), Path.of(System.getProperty("user.home"), ".theonrc"));

    /** The values each source gives, by canonical key; the effective value is the highest source's. */
    private final Map<Source, Map<String, String>> layers = new EnumMap<>(Source.class);

    private Config() { for (Source src : Source.values()) layers.put(src, new LinkedHashMap<>()); }

    public static Config get() { return INSTANCE; }

    /**
     * Builds a configuration from the given flags string and rc file (for tests and for the global instance).
     * The rc file has one {@code key = value} per line; blank lines, {@code #} comments and {@code [section]} headers
     * are skipped. The flags look like {@code floatX=float32,backend=simd}.
     */
    public static Config load(String flags, Path rc) {
        Config c = new Config();
        for (Key k : KEYS) c.put(k.name(), k.defaultValue(), Source.DEFAULT);
        if (rc != null && Files.isRegularFile(rc)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(rc);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + rc + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i), l = line.strip();
                if (l.isEmpty() || l.startsWith("#") || l.startsWith("[")) continue;
                String where = rc + " line " + (i + 1);
                int eq = l.indexOf('=');
                if (eq < 0) throw new IllegalArgumentException(where + ": '" + line + "' is not key = value");
                try {
                    c.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip(), Source.THEONRC);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
        }
        if (flags != null && !flags.isBlank()) {
            for (String part : flags.split(",")) {
                if (part.isBlank()) continue;
                int eq = part.indexOf('=');
                if (eq < 0) throw new IllegalArgumentException("THEON_FLAGS: '" + part + "' is not key=value (flags look like floatX=float32,backend=simd)");
                try {
                    c.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip(), Source.THEON_FLAGS);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("THEON_FLAGS: " + e.getMessage(), e);
                }
            }
        }
        return c;
    }

    private synchronized void put(String key, String value, Source source) {
        Key k = key(key);
        String v = value;
        if (!k.allowed().isEmpty()) {
            v = k.allowed().stream().filter(a -> a.equalsIgnoreCase(value)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("config " + k.name() + ": '" + value + "' is not one of " + k.allowed()));
        }
        if (k.name().equals(NATIVE_MEMORY_LIMIT) && !v.isBlank()) ByteSize.parse(k.name(), v);  // refuse a bad size now, not at the next allocation
        layers.get(source).put(k.name(), v);
    }

    private static Key key(String name) {
        for (Key k : KEYS) if (k.name().equalsIgnoreCase(name)) return k;
        throw new IllegalArgumentException("unknown config key '" + name + "'; known keys: " + KEYS.stream().map(Key::name).toList());
    }

    /** Sets a value at runtime (overrides defaults, ~/.theonrc and THEON_FLAGS). */
    public Config set(String key, String value) {
        if (value == null) throw new IllegalArgumentException("config " + key(key).name() + ": the value is null (use unset to drop a runtime value)");
        put(key, value, Source.RUNTIME);
        return this;
    }

    /** Drops the runtime value of {@code key}, so the value from THEON_FLAGS, ~/.theonrc or the default applies again. */
    public synchronized Config unset(String key) { layers.get(Source.RUNTIME).remove(key(key).name()); return this; }

    public synchronized String value(String key) { return layers.get(source(key)).get(key(key).name()); }

    /** The source the effective value of {@code key} comes from. */
    public synchronized Source source(String key) {
        String name = key(key).name();
        Source[] all = Source.values();
        for (int i = all.length - 1; i >= 0; i--) if (layers.get(all[i]).containsKey(name)) return all[i];
        throw new IllegalStateException("config " + name + " has no value");
    }

    public DType floatX() { return DType.parse(value("floatX")); }
    public String backend() { return value("backend"); }
    public String mode() { return value("mode"); }
    public boolean nanGuard() { return Boolean.parseBoolean(value("nan_guard")); }
    public boolean profile() { return Boolean.parseBoolean(value("profile")); }
    public boolean exceptionVerbosityHigh() { return "high".equals(value("exception_verbosity")); }
    public boolean printRewrites() { return Boolean.parseBoolean(value("print_rewrites")); }

    /**
     * The bound on the memory held by arrays of 1 MiB or more ({@code dev.theon.tensor.NativeMemory}):
     * {@code native_memory_limit} when set, else what the JVM bounds direct memory by ({@code -XX:MaxDirectMemorySize},
     * whose default is the maximum heap size).
     */
    public long nativeMemoryLimit() {
        String v = value(NATIVE_MEMORY_LIMIT);
        return v.isBlank() ? ByteSize.maxDirectMemory() : ByteSize.parse(NATIVE_MEMORY_LIMIT, v);
    }

    /** One line per key: name, value, source. */
    @Override public synchronized String toString() {
        StringBuilder b = new StringBuilder("Theon configuration (defaults < ~/.theonrc < THEON_FLAGS < runtime < function options):\n");
        for (Key k : KEYS) {
            b.append(String.format(Locale.ROOT, "  %-20s = %-12s [%s]%n", k.name(), value(k.name()),
                    source(k.name()).name().toLowerCase(Locale.ROOT)));
        }
        return b.toString();
    }
}
