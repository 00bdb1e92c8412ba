package io.latentnlp.training.export;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A thin builder over the ONNX protobuf classes (shipped by {@code tribuo-util-onnx}): named
 * initializers, nodes with generated output names, typed graph inputs and outputs. Tribuo's own
 * operator enum stops at opset 13 and lacks LSTM, so nodes are written directly. Not thread-safe;
 * one builder per graph.
 */
final class GraphBuilder {

    /** IR version matching opset 17 (ONNX 1.12). */
    private static final long IR_VERSION = 8;

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private int counter;

    GraphBuilder(String name) {
        graph.setName(name);
    }

    /** A float initializer, row-major. */
    String floats(String name, float[] data, long... dims) {
        checkSize(name, data.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        graph.addInitializer(tensor(name, OnnxMl.TensorProto.DataType.FLOAT, dims).setRawData(ByteString.copyFrom(buf)));
        return name;
    }

    /** An int64 initializer, row-major. */
    String longs(String name, long[] data, long... dims) {
        checkSize(name, data.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(data);
        graph.addInitializer(tensor(name, OnnxMl.TensorProto.DataType.INT64, dims).setRawData(ByteString.copyFrom(buf)));
        return name;
    }

    private static OnnxMl.TensorProto.Builder tensor(String name, OnnxMl.TensorProto.DataType type, long... dims) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        return t;
    }

    private static void checkSize(String name, int length, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException("initializer " + name + ": " + length + " values for shape of " + n);
        }
    }

    /** Adds a node with one output and returns that output's name. */
    String node(String op, List<String> inputs, OnnxMl.AttributeProto... attributes) {
        return nodeMulti(op, inputs, 1, attributes)[0];
    }

    /** Adds a node with {@code outputs} outputs; an output can be skipped later by not using it. */
    String[] nodeMulti(String op, List<String> inputs, int outputs, OnnxMl.AttributeProto... attributes) {
        String base = op.toLowerCase() + "_" + (counter++);
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(base).addAllInput(inputs);
        String[] names = new String[outputs];
        for (int i = 0; i < outputs; i++) {
            names[i] = base + "_out" + i;
            n.addOutput(names[i]);
        }
        for (OnnxMl.AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return names;
    }

    /** Renames the value {@code from} to the graph output {@code to} via Identity. */
    void output(String from, String to, OnnxMl.TensorProto.DataType type, Object... dims) {
        graph.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName("output_" + to).addInput(from).addOutput(to));
        graph.addOutput(valueInfo(to, type, dims));
    }

    /** Declares a graph input; a dim is a Long (fixed) or a String (symbolic, e.g. "batch"). */
    String input(String name, OnnxMl.TensorProto.DataType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
        return name;
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, OnnxMl.TensorProto.DataType type, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                dim.setDimParam(s);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        OnnxMl.TypeProto.Tensor.Builder t = OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape);
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder().setTensorType(t)).build();
    }

    static OnnxMl.AttributeProto intAttr(String name, long v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT).setI(v).build();
    }

    static OnnxMl.AttributeProto intsAttr(String name, long... v) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    /** Serializes the model. */
    byte[] build(int opset, String docString) {
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("latent-nlp")
                .setDocString(docString)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph)
                .build();
        return model.toByteArray();
    }
}
