package dev.theon.tensor;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Mappings of dropped arrays, kept for the next arrays of the same length instead of being unmapped at once. A
 * function called in a loop asks for arrays of the same few lengths again and again; a kept mapping is already
 * faulted in (huge pages and all) and only needs zeroing, where a new one costs a page fault per page and the
 * kernel's zeroing, and on a virtual machine whose host takes back freed memory, the host's work as well. At most
 * {@link #CAPACITY} bytes are kept (less when the native memory limit is smaller); beyond that the oldest are unmapped.
 */
final class MappingPool {
    /** Bytes of unused mappings kept at most: what one collection cycle of the budget frees, at the least. */
    static final long CAPACITY = NativeBudget.MIN_TRIGGER;

    private record Mapping(long address, long length) {}

    private static final ArrayDeque<Mapping> KEPT = new ArrayDeque<>();  // oldest first; guarded by KEPT
    private static long keptBytes;  // guarded by KEPT

    private MappingPool() {}

    /** A kept mapping of exactly {@code length} bytes (its old contents still in it), or 0 when none. */
    static long take(long length) {
        synchronized (KEPT) {
            for (Iterator<Mapping> it = KEPT.descendingIterator(); it.hasNext(); ) {
                Mapping m = it.next();
                if (m.length != length) continue;
                it.remove();
                keptBytes -= length;
                return m.address;
            }
        }
        return 0;
    }

    /** Keeps the mapping of a dropped array, unmapping the oldest kept ones to stay within {@code min(CAPACITY, limit)}. */
    static void give(long address, long length, long limit) {
        long capacity = Math.min(CAPACITY, limit);
        if (length > capacity) {
            AnonymousMapping.unmap(address, length);
            return;
        }
        ArrayDeque<Mapping> evicted = new ArrayDeque<>();
        synchronized (KEPT) {
            while (keptBytes + length > capacity) {
                Mapping old = KEPT.pollFirst();
                keptBytes -= old.length;
                evicted.add(old);
            }
            KEPT.addLast(new Mapping(address, length));
            keptBytes += length;
        }
        for (Mapping m : evicted) AnonymousMapping.unmap(m.address, m.length);  // outside the lock: unmapping takes a while
    }

    /** Whether the mapping at {@code address} is kept for reuse now. */
    static boolean holds(long address) {
        synchronized (KEPT) {
            for (Mapping m : KEPT) if (m.address == address) return true;
            return false;
        }
    }

    /** Bytes of mappings kept for reuse now. */
    static long keptBytes() {
        synchronized (KEPT) { return keptBytes; }
    }
}
