package dev.theon.tensor;

import dev.theon.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Where the storage of arrays comes from. Small arrays come from an automatic arena (the JVM's allocator, zeroed by
 * Java, freed after a garbage collection finds them unreachable). Arrays of {@link #LARGE} bytes or more come from
 * anonymous memory mapped for them ({@link AnonymousMapping}): already zero, 2 MiB-aligned and backed by huge pages
 * where the kernel has them, and unmapped by a cleaner once the array is unreachable. Their live bytes are counted
 * ({@link NativeBudget}): past a trigger that follows what survives collections (256 MiB at the least) an allocation
 * asks for a garbage collection, so a loop that drops large results reuses memory instead of piling up garbage until
 * the heap limit; and the {@code native_memory_limit} configuration key (by default {@code -XX:MaxDirectMemorySize},
 * whose default is the maximum heap size) bounds them: at it, after a collection, an allocation throws an
 * {@link OutOfMemoryError}.
 * <p>
 * Where the kernel calls are unavailable (not Linux), large arrays come from the arena as well; that is logged once.
 */
public final class NativeMemory {
    /**
     * Arrays of this many bytes or more are mapped. Below it the arena is as fast (glibc hands out memory it already
     * has), and a mapping of less than one huge page gets no huge page anyway.
     */
    public static final long LARGE = 1L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(NativeMemory.class);

    /** Whether large arrays are mapped: true where the kernel calls are available; tests turn it off to cover the arena path. */
    private static volatile boolean mapLargeArrays = AnonymousMapping.UNAVAILABLE == null;

    static {
        if (AnonymousMapping.UNAVAILABLE != null)
            LOG.info("large arrays come from the JVM's allocator, zeroed by Java and bounded by -XX:MaxDirectMemorySize, because "
                    + AnonymousMapping.UNAVAILABLE);
    }

    private NativeMemory() {}

    /** Zeroed storage of {@code bytes} bytes (at least 1), aligned to {@link NDArray#ALIGNMENT} bytes or more. */
    static MemorySegment allocate(long bytes) {
        if (bytes < LARGE || !mapLargeArrays) return Arena.ofAuto().allocate(bytes, NDArray.ALIGNMENT);
        long length = AnonymousMapping.lengthFor(bytes);
        long limit = Config.get().nativeMemoryLimit();
        NativeBudget.reserve(length, limit);
        long kept = MappingPool.take(length), address;
        try {
            address = kept != 0 ? kept : AnonymousMapping.map(length);
        } catch (Throwable t) {
            NativeBudget.release(length);
            throw t;
        }
        // the cleanup runs on the cleaner thread once the segment (and so every array viewing it) is unreachable
        MemorySegment seg = MemorySegment.ofAddress(address).reinterpret(bytes, Arena.ofAuto(), unused -> {
            NativeBudget.release(length);
            MappingPool.give(address, length, limit);
        });
        if (kept != 0) seg.fill((byte) 0);  // a new mapping is zero already; a kept one holds its last array
        return seg;
    }

    /** Whether arrays of {@link #LARGE} bytes or more are mapped (false where the kernel calls are unavailable). */
    public static boolean mapsLargeArrays() { return mapLargeArrays; }

    /** Why large arrays are not mapped, or null when they are. */
    public static String whyNotMapped() {
        return AnonymousMapping.UNAVAILABLE != null ? AnonymousMapping.UNAVAILABLE : mapLargeArrays ? null : "turned off";
    }

    /** Bytes held now by live mapped arrays (pages included: each mapping is a whole number of 4 KiB pages). */
    public static long liveBytes() { return NativeBudget.live(); }

    /** The bound on {@link #liveBytes}: the {@code native_memory_limit} configuration key, by default the JVM's direct-memory bound. */
    public static long limit() { return Config.get().nativeMemoryLimit(); }

    /** The live bytes past which the next large allocation asks for a garbage collection (at most {@link #limit}). */
    public static long collectionTrigger() { return Math.min(NativeBudget.trigger(), limit()); }

    /** How many garbage collections large allocations have asked for. */
    public static long collectionsRequested() { return NativeBudget.collections(); }

    /** For tests: map large arrays (where possible) or take them from the arena. */
    static void mapLargeArrays(boolean on) {
        if (on && AnonymousMapping.UNAVAILABLE != null) throw new IllegalStateException("cannot map arrays: " + AnonymousMapping.UNAVAILABLE);
        mapLargeArrays = on;
    }
}
