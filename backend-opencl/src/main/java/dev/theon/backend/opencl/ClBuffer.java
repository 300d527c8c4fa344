package dev.theon.backend.opencl;

import org.jocl.cl_mem;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A device buffer with a reference count. Every holder (a value of a running call, a view of it, the device copy of
 * a shared variable, a constant) holds one reference; the last release hands the buffer back to its pool. Buffers
 * are written once, by the command that produces them, and only read afterwards, so holders can share one freely.
 */
final class ClBuffer {
    final cl_mem mem;
    final long bytes;
    private final BufferPool pool;
    private final AtomicInteger refs = new AtomicInteger(1);

    ClBuffer(cl_mem mem, long bytes, BufferPool pool) {
        this.mem = mem;
        this.bytes = bytes;
        this.pool = pool;
    }

    ClBuffer retain() {
        if (refs.getAndIncrement() <= 0) throw new IllegalStateException("a released device buffer was used again");
        return this;
    }

    void release() {
        int left = refs.decrementAndGet();
        if (left == 0) pool.give(this);
        else if (left < 0) throw new IllegalStateException("a device buffer was released twice");
    }

    /** Reset by the pool when it hands the buffer out again. */
    void revive() { refs.set(1); }
}
