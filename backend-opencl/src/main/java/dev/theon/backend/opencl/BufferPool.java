package dev.theon.backend.opencl;

import dev.theon.TheonException;
import org.jocl.CLException;
import org.jocl.cl_mem;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import static org.jocl.CL.*;

/**
 * Device buffers by size class, reused across calls and functions. Sizes are rounded up to one eighth of their
 * power of two (at most 12.5% waste) so that slightly different shapes share buffers. A buffer returned here after
 * its last use was enqueued can be handed out at once: the device's single in-order queue runs the next user's
 * commands after the previous user's. Idle buffers above a budget are freed, oldest first.
 */
final class BufferPool {
    private final ClDevice device;
    private final Map<Long, Deque<ClBuffer>> idle = new HashMap<>();
    private final Deque<ClBuffer> idleOrder = new ArrayDeque<>();
    private final long idleBudget;
    private long idleBytes;
    private long liveBytes;

    BufferPool(ClDevice device) {
        this.device = device;
        this.idleBudget = Math.max(64L << 20, device.globalMemBytes / 4);
    }

    static long sizeClass(long bytes) {
        long b = Math.max(64, bytes);
        long top = Long.highestOneBit(b);
        if (top == b) return b;
        long step = Math.max(64, top / 8);
        return (b + step - 1) / step * step;
    }

    /** A buffer of at least {@code bytes}, holding one reference. */
    ClBuffer take(long bytes) {
        long size = sizeClass(bytes);
        synchronized (this) {
            Deque<ClBuffer> d = idle.get(size);
            if (d != null && !d.isEmpty()) {
                ClBuffer b = d.pop();
                idleOrder.remove(b);
                idleBytes -= b.bytes;
                b.revive();
                return b;
            }
        }
        if (size > device.maxAllocBytes)
            throw new TheonException.RuntimeError("backend opencl: a buffer of " + size + " bytes exceeds the largest allocation of device "
                    + device.label() + " (" + device.maxAllocBytes + " bytes)", null);
        cl_mem mem;
        try {
            mem = clCreateBuffer(device.context, CL_MEM_READ_WRITE, size, null, null);
        } catch (CLException e) {
            trim(0);  // free every idle buffer, then try once more
            try {
                mem = clCreateBuffer(device.context, CL_MEM_READ_WRITE, size, null, null);
            } catch (CLException again) {
                throw new TheonException.RuntimeError("backend opencl: device " + device.label() + " could not allocate " + size
                        + " bytes (" + again.getMessage() + "); " + liveBytes + " bytes are in use", again);
            }
        }
        synchronized (this) { liveBytes += size; }
        return new ClBuffer(mem, size, this);
    }

    synchronized void give(ClBuffer b) {
        idle.computeIfAbsent(b.bytes, k -> new ArrayDeque<>()).push(b);
        idleOrder.addLast(b);
        idleBytes += b.bytes;
        if (idleBytes > idleBudget) trim(idleBudget);
    }

    private synchronized void trim(long keep) {
        while (idleBytes > keep && !idleOrder.isEmpty()) {
            ClBuffer b = idleOrder.pollFirst();
            idle.get(b.bytes).remove(b);
            idleBytes -= b.bytes;
            liveBytes -= b.bytes;
            clReleaseMemObject(b.mem);
        }
    }

    synchronized long idleBytes() { return idleBytes; }
}
