package dev.theon.backend;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The frames of an executable: the per-call state (intermediate buffers) that a call takes for itself and gives back
 * when it ends, so the next call reuses the buffers. A frame is held by one call at a time, so calls running at once
 * never share a buffer.
 * <p>
 * With borrowed outputs a frame also holds the arrays returned by the last call that used it, and the next call that
 * takes it overwrites them. Those frames are the calling thread's own (kept by this pool per thread, weakly, so they
 * go with the thread or with the pool; a {@code ThreadLocal} would keep a dead function's frames alive in every
 * thread that called it): a thread takes back its own frame and no other thread can take it, so a borrowed result
 * stays as it was until the same thread calls the function again, whatever other threads do; the cost is one frame
 * per thread that calls. (A shared list with an owner per frame would let a thread miss its own frame while another
 * thread was moving it.)
 */
public final class FramePool<F> {
    /** A frame held by one call: {@link #frame} to use it, {@link #give} to hand it back. */
    public static final class Lease<F> {
        private final F frame;
        private Lease(F frame) { this.frame = frame; }
        public F frame() { return frame; }
    }

    private final boolean perThread;
    private final Supplier<F> fresh;
    /** The last frame given back, taken without touching the queue (the single-threaded case). */
    private final AtomicReference<Lease<F>> spare = new AtomicReference<>();
    private final ConcurrentLinkedDeque<Lease<F>> free = new ConcurrentLinkedDeque<>();
    /** With borrowed outputs: each thread's frame, absent while one of its calls holds it. */
    private final Map<Thread, Lease<F>> own = Collections.synchronizedMap(new WeakHashMap<>());

    /** @param perThread true when frames hold borrowed outputs (see the class comment) */
    public FramePool(boolean perThread, Supplier<F> fresh) {
        this.perThread = perThread;
        this.fresh = fresh;
    }

    /** A frame for this call, which no other call holds until {@link #give} hands it back. */
    public Lease<F> take() {
        if (perThread) {
            Lease<F> h = own.remove(Thread.currentThread());
            return h != null ? h : new Lease<>(fresh.get());  // the thread's first call (or a call inside one of its calls)
        }
        Lease<F> h = spare.getAndSet(null);
        if (h == null) h = free.poll();
        return h != null ? h : new Lease<>(fresh.get());
    }

    /** Hands a frame back for the next call. (A call that fails drops its frame instead: the next one starts afresh.) */
    public void give(Lease<F> h) {
        if (perThread) {
            own.putIfAbsent(Thread.currentThread(), h);
            return;
        }
        if (!spare.compareAndSet(null, h)) free.offer(h);
    }
}
