package dev.theon.backend;

import dev.theon.graph.Apply;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where a profiled function's time goes ({@code Theon.options().profile(true)}, or {@code profile=true} in the
 * configuration), as Theano's {@code profile=True}: the calls and their total time, then the time of each op class
 * and of each node, summed over calls. Node times are wall-clock times of the node's kernel on the calling thread
 * (a kernel that uses the thread pool is timed until its last part is done). Safe to update from concurrent calls.
 */
public final class Profile {
    private final List<Apply> nodes;
    private final List<String> kernels;
    private final AtomicLongArray nodeNanos;
    private final AtomicLongArray nodeCalls;
    private final LongAdder calls = new LongAdder();
    private final LongAdder callNanos = new LongAdder();

    /** A profile of {@code nodes}, run in this order, each by the kernel {@code kernels} names (same length). */
    public Profile(List<Apply> nodes, List<String> kernels) {
        if (nodes.size() != kernels.size()) throw new IllegalArgumentException(nodes.size() + " nodes but " + kernels.size() + " kernel names");
        this.nodes = List.copyOf(nodes);
        this.kernels = List.copyOf(kernels);
        this.nodeNanos = new AtomicLongArray(nodes.size());
        this.nodeCalls = new AtomicLongArray(nodes.size());
    }

    /** Records that node {@code k} (in run order) took {@code nanos}. */
    public void node(int k, long nanos) {
        nodeNanos.addAndGet(k, nanos);
        nodeCalls.incrementAndGet(k);
    }

    /** Records one whole call of the function (argument checks, nodes, committing updates). */
    public void call(long nanos) {
        calls.increment();
        callNanos.add(nanos);
    }

    public long calls() { return calls.sum(); }
    public double callSeconds() { return callNanos.sum() / 1e9; }
    public int nodeCount() { return nodes.size(); }
    public Apply node(int k) { return nodes.get(k); }
    public double nodeSeconds(int k) { return nodeNanos.get(k) / 1e9; }
    public long nodeCalls(int k) { return nodeCalls.get(k); }

    /** Zeroes every count, e.g. after warming up. */
    public void reset() {
        calls.reset();
        callNanos.reset();
        for (int k = 0; k < nodes.size(); k++) { nodeNanos.set(k, 0); nodeCalls.set(k, 0); }
    }

    /** The report: totals, then op classes and nodes by time, largest first. */
    public String summary() {
        long n = calls();
        double total = callSeconds(), inNodes = 0;
        for (int k = 0; k < nodes.size(); k++) inNodes += nodeSeconds(k);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "profile: %d call(s), %.3f s in calls (%s per call), %.3f s in nodes (%.1f%%)%n",
                n, total, n == 0 ? "-" : time(total / n), inNodes, total == 0 ? 0 : 100 * inNodes / total));
        Map<String, double[]> byClass = new LinkedHashMap<>();  // seconds, nodes
        for (int k = 0; k < nodes.size(); k++) {
            double[] c = byClass.computeIfAbsent(nodes.get(k).op().getClass().getSimpleName(), x -> new double[2]);
            c[0] += nodeSeconds(k);
            c[1]++;
        }
        b.append("\nop classes:\n  <% time> <cumulative %> <time> <per call> <nodes> <class>\n");
        List<Map.Entry<String, double[]>> classes = new ArrayList<>(byClass.entrySet());
        classes.sort(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -e.getValue()[0]));
        double cum = 0;
        for (Map.Entry<String, double[]> e : classes) {
            double s = e.getValue()[0];
            cum += s;
            b.append(String.format(Locale.ROOT, "  %6.1f%%  %6.1f%%  %10s  %10s  %4d  %s%n", pct(s, inNodes), pct(cum, inNodes), time(s),
                    n == 0 ? "-" : time(s / n), (int) e.getValue()[1], e.getKey()));
        }
        b.append("\nnodes:\n  <% time> <cumulative %> <time> <per call> <#> <node> <kernel>\n");
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < nodes.size(); k++) order.add(k);
        order.sort(Comparator.comparingDouble(k -> -nodeSeconds(k)));
        cum = 0;
        for (int k : order) {
            double s = nodeSeconds(k);
            cum += s;
            long c = nodeCalls(k);
            b.append(String.format(Locale.ROOT, "  %6.1f%%  %6.1f%%  %10s  %10s  %3d  %s  %s%n", pct(s, inNodes), pct(cum, inNodes), time(s),
                    c == 0 ? "-" : time(s / c), k, NodeText.of(nodes.get(k)), kernels.get(k)));
        }
        return b.toString();
    }

    private static double pct(double part, double whole) { return whole == 0 ? 0 : 100 * part / whole; }

    private static String time(double s) {
        if (s >= 1) return String.format(Locale.ROOT, "%.3f s", s);
        if (s >= 1e-3) return String.format(Locale.ROOT, "%.3f ms", s * 1e3);
        return String.format(Locale.ROOT, "%.1f µs", s * 1e6);
    }
}
