package dev.theon.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Mappings of dropped arrays, kept for the next arrays of the same length instead of being unmapped at once. A
 * function called in a loop asks for arrays of the same few lengths again and again; a kept mapping is already
 * faulted in (huge pages and all) and only needs zeroing, where a new one costs a page fault per page and the
 * kernel's zeroing, and on a virtual machine whose host takes back the memory a guest frees (free page reporting),
 * the host's work as well: measured on such a machine, 2 ms to over 100 ms per new 16 MB, against under 1 ms to zero
 * a kept one.
 * <p>
 * Kept mappings stay counted in the {@link NativeBudget} (they are memory the process holds), so the limit bounds
 * them with the live arrays. At most the budget's collection trigger is kept; beyond that, and when the budget needs
 * room for a new mapping of another length, the oldest kept mappings are unmapped.
 */
final class MappingPool {
    private record Mapping(long address, long length) {}

    private static final ArrayDeque<Mapping> KEPT = new ArrayDeque<>();  // oldest first; guarded by KEPT
    private static long keptBytes;  // guarded by KEPT

    private MappingPool() {}

    /** A kept mapping of exactly {@code length} bytes (its old contents still in it; still counted), or 0 when none. */
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

    /** Keeps the mapping of a dropped array, unmapping the oldest kept ones to stay within {@code capacity} bytes. */
    static void give(long address, long length, long capacity) {
        List<Mapping> dropped = new ArrayList<>();
        synchronized (KEPT) {
            KEPT.addLast(new Mapping(address, length));
            keptBytes += length;
            while (keptBytes > capacity) dropped.add(removeOldest());
        }
        unmap(dropped);
    }

    /** Unmaps the oldest kept mappings until {@code bytes} bytes are freed or none is left; returns the bytes freed. */
    static long evict(long bytes) {
        List<Mapping> dropped = new ArrayList<>();
        long freed = 0;
        synchronized (KEPT) {
            while (freed < bytes && !KEPT.isEmpty()) {
                Mapping m = removeOldest();
                dropped.add(m);
                freed += m.length;
            }
        }
        unmap(dropped);
        return freed;
    }

    private static Mapping removeOldest() {
        Mapping m = KEPT.pollFirst();
        keptBytes -= m.length;
        return m;
    }

    /** Outside the lock: unmapping takes a while. */
    private static void unmap(List<Mapping> dropped) {
        for (Mapping m : dropped) {
            AnonymousMapping.unmap(m.address, m.length);
            NativeBudget.release(m.length);
        }
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
