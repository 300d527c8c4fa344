package dev.theon.tensor;

import dev.theon.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Where the storage of arrays comes from. Arrays of up to {@link SmallSlabs#MAX} bytes are slices of per-thread
 * slabs ({@link SmallSlabs}), which costs a scalar call tens of nanoseconds instead of an arena's hundreds. Other
 * small arrays come from an automatic arena (the JVM's allocator, zeroed by
 * Java, freed after a garbage collection finds them unreachable). Arrays of {@link #LARGE} bytes or more come from
 * anonymous memory mapped for them ({@link AnonymousMapping}): zero without a fill, 2 MiB-aligned and backed by huge
 * pages where the kernel has them. Once such an array is unreachable a cleaner hands its mapping to a pool
 * ({@link MappingPool}) that gives it, zeroed, to the next array of the same length, so a function called in a loop
 * cycles through the same memory. The bytes held are counted ({@link NativeBudget}): past a trigger (256 MiB at the
 * least, more while collections would come too often for their cost) a new mapping first asks for a garbage
 * collection, so dropped arrays come back instead of piling up until the heap limit; and the
 * {@code native_memory_limit} configuration key (by default {@code -XX:MaxDirectMemorySize}, whose default is the
 * maximum heap size) bounds them: at it, after a collection, an allocation throws an {@link OutOfMemoryError}.
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
        if (bytes <= SmallSlabs.MAX) return SmallSlabs.allocate(bytes);
        if (bytes < LARGE || !mapLargeArrays) return Arena.ofAuto().allocate(bytes, NDArray.ALIGNMENT);
        long length = AnonymousMapping.lengthFor(bytes);
        long limit = Config.get().nativeMemoryLimit();
        long address = MappingPool.take(length);
        boolean kept = address != 0 || (address = NativeBudget.reserve(length, limit)) != 0;
        if (!kept) {
            try {
                address = AnonymousMapping.map(length);
            } catch (Throwable t) {
                NativeBudget.release(length);
                throw t;
            }
        }
        long at = address;
        // the cleanup runs on the cleaner thread once the segment (and so every array viewing it) is unreachable
        MemorySegment seg = MemorySegment.ofAddress(at).reinterpret(bytes, Arena.ofAuto(),
                unused -> MappingPool.give(at, length, Math.min(NativeBudget.trigger(), limit)));
        if (kept) seg.fill((byte) 0);  // a new mapping is zero already; a kept one holds its last array
        return seg;
    }

    /** Whether arrays of {@link #LARGE} bytes or more are mapped (false where the kernel calls are unavailable). */
    public static boolean mapsLargeArrays() { return mapLargeArrays; }

    /** Why large arrays are not mapped, or null when they are. */
    public static String whyNotMapped() {
        return AnonymousMapping.UNAVAILABLE != null ? AnonymousMapping.UNAVAILABLE : mapLargeArrays ? null : "turned off";
    }

    /**
     * Bytes of mapped memory held now: arrays of {@link #LARGE} bytes or more that are live or not yet collected, and
     * mappings kept for reuse (whole 4 KiB pages each).
     */
    public static long heldBytes() { return NativeBudget.held(); }

    /** Bytes of mappings kept for the next arrays of the same length (part of {@link #heldBytes}). */
    public static long keptBytes() { return MappingPool.keptBytes(); }

    /** The bound on {@link #heldBytes}: the {@code native_memory_limit} configuration key, by default the JVM's direct-memory bound. */
    public static long limit() { return Config.get().nativeMemoryLimit(); }

    /** The held bytes past which a new mapping asks for a garbage collection first (at most {@link #limit}). */
    public static long collectionTrigger() { return Math.min(NativeBudget.trigger(), limit()); }

    /** How many garbage collections large allocations have asked for. */
    public static long collectionsRequested() { return NativeBudget.collections(); }

    /** For tests: map large arrays (where possible) or take them from the arena. */
    static void mapLargeArrays(boolean on) {
        if (on && AnonymousMapping.UNAVAILABLE != null) throw new IllegalStateException("cannot map arrays: " + AnonymousMapping.UNAVAILABLE);
        mapLargeArrays = on;
    }
}
