package dev.theon.simd.gen;

import dev.theon.tensor.DType;

import java.util.List;

/**
 * The generated kernels as readable Java: the same statements, in the same order, that {@link VectorClassWriter}
 * and {@link ScalarClassWriter} emit as bytecode. Written to the dump directory ({@code -Dtheon.simd.dump=DIR}).
 */
final class KernelSource {
    private KernelSource() {}

    static String vector(VectorPlan p, String className, String header, int lanes) {
        boolean f32 = p.f == DType.FLOAT32;
        String fv = f32 ? "FloatVector" : "DoubleVector", prim = f32 ? "float" : "double", box = f32 ? "Float" : "Double";
        int es = f32 ? 4 : 8;
        StringBuilder b = new StringBuilder();
        b.append("// ").append(header.replace("\n", "\n// ")).append('\n');
        b.append("final class ").append(className).append(" implements ElemKernel {\n");
        b.append("    static final VectorSpecies<").append(box).append("> S = ").append(fv).append(".SPECIES_PREFERRED;  // ").append(lanes).append(" lanes\n");
        b.append("    static final ByteOrder ORDER = ByteOrder.nativeOrder();\n");
        if (p.usesBoolMemory()) b.append("    static final VectorSpecies<Byte> BS = ByteVector.").append(VectorClassWriter.byteSpeciesName(lanes)).append(";\n");
        b.append("\n    public void run(MemorySegment[] segs, long[] offs, long[] strides, Object scratch, long n) {\n");
        if (p.stages.size() == 1) b.append("        stage0(segs, offs, scratch, 0, n);\n");
        else {
            b.append("        for (long b = 0; b < n; b += ").append(VectorPlan.BLOCK).append(") {\n");
            b.append("            long len = Math.min(").append(VectorPlan.BLOCK).append(", n - b);\n");
            for (int s = 0; s < p.stages.size(); s++) b.append("            stage").append(s).append("(segs, offs, scratch, b, len);\n");
            b.append("        }\n");
        }
        b.append("    }\n");
        for (int s = 0; s < p.stages.size(); s++) {
            VectorPlan.Stage st = p.stages.get(s);
            b.append("\n    // stage ").append(s).append(": ").append(st.cost()).append(" vector operations per iteration\n");
            b.append("    private static void stage").append(s).append("(MemorySegment[] segs, long[] offs, Object scratch, long base, long n) {\n");
            boolean[] used = p.inputsUsed(s), written = p.outputsWritten(s);
            for (int k = 0; k < p.nIn; k++) if (used[k]) b.append("        MemorySegment in").append(k).append(" = segs[").append(k).append("]; long o").append(k).append(" = offs[").append(k).append(p.access[k] == VectorPlan.Access.BCAST ? "];  // broadcast: one value\n" : "] + base;\n");
            for (int j = 0; j < p.nOut; j++) if (written[j]) b.append("        MemorySegment out").append(j).append(" = segs[").append(p.nIn + j).append("]; long q").append(j).append(" = offs[").append(p.nIn + j).append("] + base;\n");
            java.util.Set<Integer> arrays = new java.util.TreeSet<>();
            for (int v : st.scratchIn()) arrays.add(p.scratchSlot.get(v));
            for (int v : st.scratchOut()) arrays.add(p.scratchSlot.get(v));
            for (int a : arrays) b.append("        ").append(prim).append("[] t").append(a).append(" = ((").append(prim).append("[][]) scratch)[").append(a).append("];\n");
            for (VectorPlan.Stmt h : p.hoisted(s)) b.append("        ").append(stmt(p, h, false, fv, prim, box, es)).append('\n');
            b.append("        long i = 0;\n");
            b.append("        for (long bound = S.loopBound(n); i < bound; i += ").append(lanes).append(") {\n");
            List<VectorPlan.Stmt> body = p.body(s);
            for (VectorPlan.Stmt x : body) b.append("            ").append(stmt(p, x, false, fv, prim, box, es)).append('\n');
            b.append("        }\n");
            b.append("        if (i < n) {  // the tail, masked\n");
            b.append("            VectorMask<").append(box).append("> m = S.indexInRange(i, n);\n");
            for (VectorPlan.Stmt x : body) b.append("            ").append(stmt(p, x, true, fv, prim, box, es)).append('\n');
            b.append("        }\n    }\n");
        }
        return b.append("}\n").toString();
    }

    private static String v(VectorPlan p, int id) { return "v" + id; }

    private static String stmt(VectorPlan p, VectorPlan.Stmt s, boolean masked, String fv, String prim, String box, int es) {
        String m = masked ? ", m" : "";
        return switch (s) {
            case VectorPlan.LoadIn l -> p.inMask[l.input()]
                    ? "VectorMask<" + box + "> " + v(p, l.value()) + " = ByteVector.fromMemorySegment(BS, in" + l.input() + ", o" + l.input() + " + i, ORDER"
                        + (masked ? ", m.cast(BS)" : "") + ").compare(NE, 0).cast(S);"
                    : fv + " " + v(p, l.value()) + " = " + fv + ".fromMemorySegment(S, in" + l.input() + ", (o" + l.input() + " + i) * " + es + ", ORDER" + m + ");";
            case VectorPlan.Hoist h -> p.inMask[h.input()]
                    ? "VectorMask<" + box + "> " + v(p, h.value()) + " = S.maskAll(in" + h.input() + ".get(JAVA_BYTE, o" + h.input() + ") != 0);"
                    : fv + " " + v(p, h.value()) + " = " + fv + ".broadcast(S, in" + h.input() + ".get(JAVA_" + prim.toUpperCase() + ", o" + h.input() + " * " + es + "));";
            case VectorPlan.Const k -> fv + " " + v(p, k.value()) + " = " + fv + ".broadcast(S, " + literal(k.constant(), prim) + ");";
            case VectorPlan.LoadScratch l -> l.mask()
                    ? "VectorMask<" + box + "> " + v(p, l.value()) + " = " + fv + ".fromArray(S, t" + l.slot() + ", (int) i" + m + ").compare(NE, " + v(p, p.consts.get(0.0)) + ");"
                    : fv + " " + v(p, l.value()) + " = " + fv + ".fromArray(S, t" + l.slot() + ", (int) i" + m + ");";
            case VectorPlan.Compute k -> compute(p, k.op(), k.value(), fv, box);
            case VectorPlan.StoreOut o -> o.mask()
                    ? "ByteVector.zero(BS).blend(1, " + v(p, o.value()) + ".cast(BS)).intoMemorySegment(out" + o.output() + ", q" + o.output() + " + i, ORDER"
                        + (masked ? ", m.cast(BS)" : "") + ");"
                    : v(p, o.value()) + ".intoMemorySegment(out" + o.output() + ", (q" + o.output() + " + i) * " + es + ", ORDER" + m + ");";
            case VectorPlan.StoreScratch o -> (o.mask()
                    ? v(p, p.consts.get(0.0)) + ".blend(" + v(p, p.consts.get(1.0)) + ", " + v(p, o.value()) + ")"
                    : v(p, o.value())) + ".intoArray(t" + o.slot() + ", (int) i" + m + ");";
        };
    }

    private static String compute(VectorPlan p, VectorPlan.VOp op, int value, String fv, String box) {
        int[] a = op.args();
        String lhs = (op.mask() ? "VectorMask<" + box + "> " : fv + " ") + v(p, value) + " = ";
        return lhs + switch (op.code()) {
            case UNARY -> v(p, a[0]) + "." + op.name() + "()";
            case LANEWISE1 -> v(p, a[0]) + ".lanewise(" + op.name() + ")";
            case BINARY -> v(p, a[0]) + "." + op.name() + "(" + v(p, a[1]) + ")";
            case LANEWISE2 -> v(p, a[0]) + ".lanewise(" + op.name() + ", " + v(p, a[1]) + ")";
            case COMPARE -> v(p, a[0]) + ".compare(" + op.name() + ", " + v(p, a[1]) + ")";
            case TEST -> v(p, a[0]) + ".test(" + op.name() + ")";
            case BLEND -> v(p, a[0]) + ".blend(" + v(p, a[1]) + ", " + v(p, a[2]) + ")";
            case MASK_AND -> v(p, a[0]) + ".and(" + v(p, a[1]) + ")";
            case MASK_OR -> v(p, a[0]) + ".or(" + v(p, a[1]) + ")";
            case MASK_XOR -> v(p, a[0]) + ".xor(" + v(p, a[1]) + ")";
            case MASK_EQ -> v(p, a[0]) + ".eq(" + v(p, a[1]) + ")";
            case MASK_NOT -> v(p, a[0]) + ".not()";
            case CONST, STORE -> throw new IllegalStateException();
        } + ";";
    }

    private static String literal(double c, String prim) {
        if (c == Math.rint(c) && Math.abs(c) < 1e15) return (long) c + (prim.equals("float") ? "f" : ".0");
        return prim.equals("float") ? (float) c + "f" : Double.toString(c);
    }

    static String scalar(ScalarPlan p, String className, String header) {
        StringBuilder b = new StringBuilder();
        b.append("// ").append(header.replace("\n", "\n// ")).append('\n');
        b.append("final class ").append(className).append(" implements ElemKernel {\n");
        b.append("    public void run(MemorySegment[] segs, long[] offs, long[] strides, Object scratch, long n) {\n");
        for (int k = 0; k < p.nIn + p.nOut; k++) {
            String name = k < p.nIn ? "in" + k : "out" + (k - p.nIn);
            b.append("        MemorySegment ").append(name).append(" = segs[").append(k).append("]; long p").append(k).append(" = offs[").append(k)
                    .append("], s").append(k).append(" = strides[").append(k).append("];\n");
        }
        b.append("        for (long i = 0; i < n; i++) {\n");
        for (ScalarPlan.Stmt s : p.body) {
            b.append("            ");
            switch (s) {
                case ScalarPlan.Load l -> {
                    String jt = ScalarClassWriter.javaType(l.dtype());
                    String read = "in" + l.input() + ".get(" + ScalarClassWriter.layoutName(l.dtype()) + ", p" + l.input() + (l.dtype().byteSize() == 1 ? "" : " * " + l.dtype().byteSize()) + ")";
                    b.append(l.dtype().isDiscrete() ? "long" : "double").append(" x").append(l.value()).append(" = ").append(read).append(";");
                    if (jt.equals("float")) b.append("  // float32 widened exactly");
                }
                case ScalarPlan.Call k -> {
                    b.append(type(k.ret())).append(" x").append(k.value()).append(" = ScalarFns.").append(k.method()).append('(');
                    if (k.table() != null) b.append("ScalarOp.").append(k.table().name()).append(", ");
                    for (int a = 0; a < k.args().length; a++) b.append(a == 0 ? "" : ", ").append('x').append(k.args()[a]);
                    b.append(");");
                }
                case ScalarPlan.Store st -> {
                    int o = p.nIn + st.output();
                    String jt = ScalarClassWriter.javaType(st.dtype());
                    b.append("out").append(st.output()).append(".set(").append(ScalarClassWriter.layoutName(st.dtype())).append(", p").append(o)
                            .append(st.dtype().byteSize() == 1 ? "" : " * " + st.dtype().byteSize()).append(", (").append(jt).append(") x").append(st.value()).append(");");
                }
            }
            b.append('\n');
        }
        b.append("            ");
        for (int k = 0; k < p.nIn + p.nOut; k++) b.append("p").append(k).append(" += s").append(k).append("; ");
        b.append("\n        }\n    }\n}\n");
        return b.toString();
    }

    private static String type(char rep) { return rep == 'J' ? "long" : rep == 'D' ? "double" : "boolean"; }
}
