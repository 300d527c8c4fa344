package dev.theon.backend.opencl;

import dev.theon.backend.opencl.ClDevice.ClKernel;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.jocl.CL.*;

/**
 * What one call enqueues on the device's queue. Nothing here waits, except {@link #await} (for values the host
 * needs) and {@link #finish} (at the end of the call): uploads and downloads are non-blocking, kernels are enqueued
 * back to back, and the in-order queue keeps them in order. Host arrays that uploads read from are kept reachable
 * until the call has finished, so the garbage collector cannot free them while the device still reads them.
 */
final class ClCall {
    final ClDevice device;
    private final List<Object> keepAlive = new ArrayList<>();
    private final List<Download> outstanding = new ArrayList<>();
    private long enqueued, completed;  // commands enqueued by this call; how many of them are known to have finished

    ClCall(ClDevice device) { this.device = device; }

    /** A fresh contiguous tensor from the pool; the caller owns its one reference. */
    DeviceTensor alloc(DType dtype, long[] shape) {
        long bytes = Math.max(1, Shapes.size(shape)) * dtype.byteSize();
        return DeviceTensor.contiguous(device.pool.take(bytes), dtype, shape);
    }

    /**
     * Copies a host array to the device. A view is sent as the span of storage it covers, keeping its strides (a
     * transpose costs no host copy); a view that covers far more storage than it uses is made contiguous first.
     */
    DeviceTensor upload(NDArray a) {
        long n = a.size();
        int bs = a.dtype().byteSize();
        if (n == 0) return alloc(a.dtype(), a.shape());
        long[] shape = a.shape(), st = a.strides();
        long lo = a.offset(), hi = a.offset();
        for (int d = 0; d < shape.length; d++) {
            long reach = (shape[d] - 1) * st[d];
            if (reach < 0) lo += reach; else hi += reach;
        }
        if (hi - lo + 1 > 2 * n + 16) {
            a = a.copy();
            st = a.strides();
            lo = 0;
            hi = n - 1;
        }
        long span = hi - lo + 1;
        ClBuffer buf = device.pool.take(span * bs);
        MemorySegment src = a.segment().asSlice(lo * bs, span * bs);
        // a ByteBuffer holds at most 2 GiB: larger values go in pieces
        for (long at = 0; at < src.byteSize(); at += PIECE) {
            ByteBuffer piece = src.asSlice(at, Math.min(PIECE, src.byteSize() - at)).asByteBuffer();
            device.bytesToDevice.addAndGet(piece.remaining());
            clEnqueueWriteBuffer(device.queue, buf.mem, false, at, piece.remaining(), Pointer.to(piece), 0, null, null);
            enqueued++;
        }
        keepAlive.add(a);
        return new DeviceTensor(buf, a.dtype(), shape, st, a.offset() - lo);
    }

    /** The largest single transfer. */
    private static final long PIECE = 1L << 30;

    /** A host value being read back: its array is filled once {@link #await} returns. */
    static final class Download {
        final NDArray host;
        private cl_event event;
        private final long seq;

        Download(NDArray host, cl_event event, long seq) {
            this.host = host;
            this.event = event;
            this.seq = seq;
        }
    }

    /** Starts reading a device tensor back into a new contiguous host array; {@code copier} makes strided ones contiguous first. */
    Download download(DeviceTensor t, Copier copier) {
        NDArray host = NDArray.zeros(t.dtype(), t.shape());
        long n = t.size();
        if (n == 0) return new Download(host, null, 0);
        DeviceTensor src = t;
        boolean temp = false;
        if (!t.isContiguous()) {
            src = copier.contiguous(this, t);
            temp = true;
        }
        int bs = t.dtype().byteSize();
        cl_event ev = null;
        MemorySegment target = host.segment().asSlice(0, n * bs);
        for (long at = 0; at < target.byteSize(); at += PIECE) {
            ByteBuffer piece = target.asSlice(at, Math.min(PIECE, target.byteSize() - at)).asByteBuffer();
            if (ev != null) clReleaseEvent(ev);  // the queue is in order: the last piece's event covers the others
            ev = new cl_event();
            clEnqueueReadBuffer(device.queue, src.buffer().mem, false, src.offset() * bs + at, piece.remaining(), Pointer.to(piece), 0, null, ev);
        }
        device.bytesToHost.addAndGet(n * bs);
        if (temp) src.buffer().release();  // the in-order queue reads it before anyone reuses it
        Download d = new Download(host, ev, ++enqueued);
        outstanding.add(d);
        return d;
    }

    /** Waits until {@code d}'s host array holds the device's values. */
    void await(Download d) { awaitAll(List.of(d)); }

    /** Waits for these downloads (and, the queue being in order, everything enqueued before them). */
    void awaitAll(List<Download> ds) {
        List<cl_event> evs = new ArrayList<>();
        for (Download d : ds) if (d.event != null) evs.add(d.event);
        if (evs.isEmpty()) return;
        clWaitForEvents(evs.size(), evs.toArray(new cl_event[0]));
        for (Download d : ds) {
            if (d.event == null) continue;
            clReleaseEvent(d.event);
            d.event = null;
            completed = Math.max(completed, d.seq);
            outstanding.remove(d);
        }
    }

    /** A one-dimensional launch of one work-item per item ({@code n} rounded up to whole work-groups of the device's default size). */
    void launch1d(ClKernel k, long n, List<Object> args) {
        long local = device.groupSize();
        launch(k, new long[]{(n + local - 1) / local * local}, new long[]{local}, args);
    }

    /** Sets the arguments (Long, Integer, Double, Float, ClBuffer, or {@link Local} memory) and enqueues the kernel. */
    void launch(ClKernel k, long[] global, long[] local, List<Object> args) {
        for (long g : global) if (g == 0) return;
        synchronized (k) {
            for (int i = 0; i < args.size(); i++) {
                Object a = args.get(i);
                switch (a) {
                    case Long v -> clSetKernelArg(k.kernel, i, Sizeof.cl_long, Pointer.to(new long[]{v}));
                    case Integer v -> clSetKernelArg(k.kernel, i, Sizeof.cl_int, Pointer.to(new int[]{v}));
                    case Double v -> clSetKernelArg(k.kernel, i, Sizeof.cl_double, Pointer.to(new double[]{v}));
                    case Float v -> clSetKernelArg(k.kernel, i, Sizeof.cl_float, Pointer.to(new float[]{v}));
                    case ClBuffer b -> clSetKernelArg(k.kernel, i, Sizeof.cl_mem, Pointer.to(b.mem));
                    case Local l -> clSetKernelArg(k.kernel, i, l.bytes(), null);
                    default -> throw new IllegalArgumentException("kernel argument " + i + " of " + k.name + " is a " + a.getClass());
                }
            }
            clEnqueueNDRangeKernel(device.queue, k.kernel, global.length, null, global, local, 0, null, null);
        }
        enqueued++;
    }

    /** Local memory of a size chosen at launch. */
    record Local(long bytes) {}

    /**
     * Waits for everything this call enqueued after its last wait, so no command still reads or writes host memory
     * (also when the call failed half way), and releases what the call held.
     */
    void finish() {
        if (enqueued > completed) {
            cl_event marker = new cl_event();
            clEnqueueMarkerWithWaitList(device.queue, 0, null, marker);
            clWaitForEvents(1, new cl_event[]{marker});
            clReleaseEvent(marker);
            completed = enqueued;
        }
        for (Download d : outstanding) if (d.event != null) { clReleaseEvent(d.event); d.event = null; }
        outstanding.clear();
        keepAlive.clear();
    }
}
