package dev.theon.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Storage for small arrays, cut from per-thread slabs. An automatic arena per array costs a session and a cleaner
 * registration, several hundred nanoseconds, which is most of a compiled scalar function's call; a slice of a slab
 * costs tens. Each slab is one automatic-arena allocation, zeroed once, and every slice of it is used by one array
 * only (never handed out twice), so slices are zero like arena allocations. A slice keeps its slab's arena alive:
 * the slab is freed once no array cut from it is reachable. So at most one slab's worth of memory is held per live
 * small array in the worst case (one survivor per slab), which {@link #MAX} keeps small.
 */
final class SmallSlabs {
    /** The largest array, in bytes, taken from a slab. */
    static final long MAX = 1024;
    /** Bytes per slab. */
    static final long SLAB = 16 * 1024;

    private static final class Slab {
        MemorySegment segment;
        long next = SLAB;  // full: the first allocation makes a slab
    }

    private static final ThreadLocal<Slab> SLABS = ThreadLocal.withInitial(Slab::new);

    private SmallSlabs() {}

    /** Zeroed storage of {@code bytes} (1 to {@link #MAX}) aligned to {@link NDArray#ALIGNMENT}. */
    static MemorySegment allocate(long bytes) {
        long size = (bytes + NDArray.ALIGNMENT - 1) & -NDArray.ALIGNMENT;
        Slab s = SLABS.get();
        if (s.next + size > SLAB) {
            s.segment = Arena.ofAuto().allocate(SLAB, NDArray.ALIGNMENT);
            s.next = 0;
        }
        MemorySegment slice = s.segment.asSlice(s.next, bytes);
        s.next += size;
        return slice;
    }
}
