package dev.theon.tensor;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of mapped memory the process holds (live arrays, dropped arrays not yet collected, and mappings kept for
 * reuse), and when to collect garbage for them. Native memory puts no pressure on the garbage collector: a program
 * whose Java heap barely grows never collects, so arrays it dropped long ago keep their memory and every new array
 * pays for fresh pages, which the kernel must zero (and a virtual machine's host may have to supply).
 * <p>
 * Only a new mapping is reserved here: an array that reuses a kept mapping ({@link MappingPool}) takes bytes already
 * counted. Two bounds apply to new mappings. The <em>trigger</em>: a new mapping that would take the count past it
 * first unmaps kept mappings of other lengths, then asks for a garbage collection ({@link System#gc}) and gives the
 * cleaners, which hand the dropped arrays' mappings to the pool, a few milliseconds; if one of the right length comes
 * back it is used, else the allocation goes on past the trigger. So a loop that drops its results cycles through the
 * same memory. The trigger starts at {@link #MIN_TRIGGER}; it doubles instead of collecting (once per cycle) when the
 * last collection ended less than {@link #GC_TIME_RATIO} times their average cost ago, and halves back when they come
 * {@link #SHRINK_FACTOR} times further apart than that:
 * a program that keeps many arrays alive is not collected for nothing at every allocation, and one with a large heap
 * (where a full collection is slow) spends about 1/13 of its time in these collections at most.
 * <p>
 * The <em>limit</em> ({@code native_memory_limit}) is a hard bound, as {@code -XX:MaxDirectMemorySize} is for direct
 * buffers: at the limit an allocation collects, waits for the cleaners with growing pauses (about half a second in
 * all, as {@code java.nio.Bits} does) and then throws an {@link OutOfMemoryError} that names the limit. It never loops
 * longer. (With {@code -XX:+DisableExplicitGC} the collections asked for here do nothing.)
 */
final class NativeBudget {
    /** The least trigger (it grows while collections would come too often for their cost). */
    static final long MIN_TRIGGER = 256L << 20;
    /** Collections asked for here are at least this many times their cost apart: about 8% of the time at most, G1's own goal (its GCTimeRatio is 12). */
    static final int GC_TIME_RATIO = 12;
    /** The trigger halves when collections come this many times further apart than GC_TIME_RATIO asks. */
    private static final int SHRINK_FACTOR = 16;
    /** Pauses for the cleaners after a collection: 1, 2, 4 ms below the limit; at the limit up to 256 ms (0.5 s in all). */
    private static final long SHORT_PAUSES_MS = 4, MAX_PAUSE_MS = 256;

    private static final AtomicLong HELD = new AtomicLong();
    private static final AtomicLong COLLECTIONS = new AtomicLong();
    private static volatile long trigger = MIN_TRIGGER;
    /** One thread at a time collects and adjusts the trigger; the others wait for its outcome and then try again. */
    private static final Object COLLECTING = new Object();
    /** When the last collection asked for here ended, and what they cost with the wait for the cleaners, averaged (guarded by COLLECTING). */
    private static long lastGcEnd, lastGcNanos;
    /** Whether the trigger was raised instead of collecting since the last collection (guarded by COLLECTING). */
    private static boolean raisedSinceGc;

    private NativeBudget() {}

    static long held() { return HELD.get(); }

    static long trigger() { return trigger; }

    /** How many times an allocation asked for a garbage collection. */
    static long collections() { return COLLECTIONS.get(); }

    /**
     * Room for a new mapping of {@code bytes} bytes: returns 0 once the bytes are counted (the caller maps them), or
     * the address of a kept mapping of that length that a collection gave back (counted already).
     */
    static long reserve(long bytes, long limit) {
        if (tryReserve(bytes, Math.min(trigger, limit))) return 0;
        boolean interrupted = false;
        try {
            synchronized (COLLECTING) {
                if (roomWithin(bytes, Math.min(trigger, limit))) return 0;
                if (lastGcEnd != 0) {
                    long since = System.nanoTime() - lastGcEnd;
                    if (since < GC_TIME_RATIO * lastGcNanos) {
                        // a collection now would come too soon for what it costs: more room instead, once per cycle
                        // (if that room fills too, garbage comes faster than the rule allows: collect)
                        if (!raisedSinceGc) {
                            raisedSinceGc = true;
                            trigger = Math.min(Math.max(limit, MIN_TRIGGER), 2 * trigger);
                            if (roomWithin(bytes, Math.min(trigger, limit))) return 0;
                        }
                    } else if (since > SHRINK_FACTOR * GC_TIME_RATIO * lastGcNanos) {
                        // far apart: the program allocates much less than when the trigger grew (halving sooner would
                        // unmap kept mappings that the next busy spell has to fault in again)
                        trigger = Math.max(MIN_TRIGGER, trigger / 2);
                    }
                }
                long t0 = System.nanoTime();
                COLLECTIONS.incrementAndGet();
                raisedSinceGc = false;
                System.gc();
                long found = MappingPool.take(bytes);
                for (long pause = 1; found == 0 && pause <= SHORT_PAUSES_MS; pause <<= 1) {
                    interrupted |= sleep(pause);
                    found = MappingPool.take(bytes);
                }
                lastGcEnd = System.nanoTime();
                // a moving average: one collection slowed down by a busy machine should not move the trigger
                lastGcNanos = lastGcNanos == 0 ? lastGcEnd - t0 : (3 * lastGcNanos + lastGcEnd - t0) / 4;
                if (found != 0) return found;
                // past the trigger: the arrays still live need more (or the cleaners are late); the limit still holds
                if (roomWithin(bytes, limit)) return 0;
                for (long pause = 2 * SHORT_PAUSES_MS; pause <= MAX_PAUSE_MS; pause <<= 1) {
                    interrupted |= sleep(pause);
                    if ((found = MappingPool.take(bytes)) != 0) return found;
                    if (roomWithin(bytes, limit)) return 0;
                }
                throw new OutOfMemoryError("cannot allocate an array of " + bytes + " bytes: arrays of " + NativeMemory.LARGE
                        + " bytes or more hold " + HELD.get() + " bytes and the limit is " + limit + " bytes (config native_memory_limit,"
                        + " e.g. THEON_FLAGS=native_memory_limit=8g; by default -XX:MaxDirectMemorySize, else the maximum heap size)");
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();  // the caller sees the interrupt afterwards
        }
    }

    /** Reserves {@code bytes} within {@code bound}, unmapping kept mappings (of other lengths, or it would have taken one) if that makes room. */
    private static boolean roomWithin(long bytes, long bound) {
        if (tryReserve(bytes, bound)) return true;
        long missing = HELD.get() + bytes - bound;
        return missing <= MappingPool.keptBytes() && MappingPool.evict(missing) > 0 && tryReserve(bytes, bound);
    }

    /** Sleeps; true when interrupted. */
    private static boolean sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    private static boolean tryReserve(long bytes, long bound) {
        long cur;
        do {
            cur = HELD.get();
            if (cur + bytes > bound) return false;
        } while (!HELD.compareAndSet(cur, cur + bytes));
        return true;
    }

    /** Uncounts the bytes of an unmapped mapping. */
    static void release(long bytes) { HELD.addAndGet(-bytes); }
}
