package dev.theon.backend;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The frames of an executable: the per-call state (intermediate buffers) that a call takes for itself and gives back
 * when it ends, so the next call reuses the buffers. A frame is held by one call at a time, so calls running at once
 * never share a buffer.
 * <p>
 * With borrowed outputs a frame also holds the arrays returned by the last call that used it, and the next call that
 * takes it overwrites them. Those frames are tied to the thread that last used them: a thread takes back its own frame,
 * or one whose thread has ended, and otherwise gets a new one. So a borrowed result stays as it was until the same
 * thread calls the function again, whatever other threads do; the cost is one frame per thread that calls.
 */
public final class FramePool<F> {
    /** A frame held by one call: {@link #frame} to use it, {@link #give} to hand it back. */
    public static final class Lease<F> {
        private final F frame;
        private Thread owner;  // the thread that took it last
        private Lease(F frame) { this.frame = frame; }
        public F frame() { return frame; }
    }

    private final boolean perThread;
    private final Supplier<F> fresh;
    /** The last frame given back, taken without touching the queue (the single-threaded case). */
    private final AtomicReference<Lease<F>> spare = new AtomicReference<>();
    private final ConcurrentLinkedDeque<Lease<F>> free = new ConcurrentLinkedDeque<>();

    /** @param perThread true when frames hold borrowed outputs (see the class comment) */
    public FramePool(boolean perThread, Supplier<F> fresh) {
        this.perThread = perThread;
        this.fresh = fresh;
    }

    /** A frame for this call, which no other call holds until {@link #give} hands it back. */
    public Lease<F> take() {
        Thread me = Thread.currentThread();
        Lease<F> h = spare.getAndSet(null);
        if (h != null && perThread && !mayTake(h, me)) {
            free.offerFirst(h);
            h = null;
        }
        if (h == null) {
            if (!perThread) h = free.poll();
            else for (Lease<F> c : free) if (mayTake(c, me) && free.remove(c)) { h = c; break; }
        }
        if (h == null) h = new Lease<>(fresh.get());
        h.owner = me;
        return h;
    }

    private static boolean mayTake(Lease<?> h, Thread me) { return h.owner == me || !h.owner.isAlive(); }

    /** Hands a frame back for the next call. (A call that fails drops its frame instead: the next one starts afresh.) */
    public void give(Lease<F> h) {
        if (!spare.compareAndSet(null, h)) free.offer(h);
    }
}
