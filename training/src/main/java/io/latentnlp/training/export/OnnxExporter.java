package io.latentnlp.training.export;

import static io.latentnlp.training.export.GraphBuilder.intAttr;
import static io.latentnlp.training.export.GraphBuilder.intsAttr;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.OnnxContract;
import io.latentnlp.models.text.Vocabulary;
import io.latentnlp.training.model.Dims;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the trained DJL parameters as the bundle's ONNX graphs ({@link OnnxContract}).
 *
 * <p>Layout conversions (DESIGN.md): PyTorch LSTM gates are ordered i, f, g, o, ONNX's i, o, f, c,
 * so each [4H, *] block is permuted; ONNX Runtime rejects batch-major RNNs (layout = 1), so inputs
 * are transposed to time-major [T, B, *] around the LSTM; the encoder's last state is the LSTM's
 * Y_h under {@code sequence_lens}, which equals the DJL model's output at position length - 1.
 * Linear weights [out, in] are stored transposed for MatMul. Stateless.
 */
public final class OnnxExporter {

    private OnnxExporter() {}

    /** Both graphs, keyed by bundle file name. */
    public static Map<String, byte[]> export(Dims dims, Map<String, float[]> params) {
        if (!dims.hasLatent()) {
            throw new IllegalArgumentException("the language-model baseline has no encoder and is not exported as a bundle");
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put(ModelBundle.ENCODER, encoder(dims, params));
        out.put(ModelBundle.DECODER, decoder(dims, params));
        out.put(ModelBundle.DECODER_STEP, decoderStep(dims, params));
        return out;
    }

    static byte[] encoder(Dims d, Map<String, float[]> p) {
        if (d.pretrained()) {
            return pretrainedEncoderHead(d, p);
        }
        GraphBuilder g = new GraphBuilder("latent_nlp_encoder");
        String tokens = g.input(OnnxContract.TOKENS, DataType.INT64, "batch", "time");
        String lengths = g.input(OnnxContract.LENGTHS, DataType.INT64, "batch");
        String emb = g.node("Gather", List.of(g.floats("enc.emb", p.get("enc.emb"), d.vocab(), d.embedding()), tokens));
        String timeMajor = g.node("Transpose", List.of(emb), intsAttr("perm", 1, 0, 2));
        String seqLens = g.node("Cast", List.of(lengths), intAttr("to", DataType.INT32.getNumber()));
        String[] lstm = lstm(g, d, "enc.lstm", d.embedding(), p, timeMajor, seqLens, "", "");
        String last = g.node("Squeeze", List.of(lstm[1], g.longs("axes0", new long[] {0}, 1)));
        return posteriorOutputs(g, d, p, last, "tokens, lengths");
    }

    /** The pretrained family's encoder: features [B,F] -&gt; tanh(W f + b) -&gt; the posterior's linear maps. */
    static byte[] pretrainedEncoderHead(Dims d, Map<String, float[]> p) {
        GraphBuilder g = new GraphBuilder("latent_nlp_encoder_head");
        String features = g.input(OnnxContract.FEATURES, DataType.FLOAT, "batch", (long) d.features());
        String hidden = g.node("Tanh", List.of(affine(g, d, p, "enc.head", features, d.features(), d.hidden())));
        return posteriorOutputs(g, d, p, hidden, "features");
    }

    /** The linear maps from the encoder's state to the posterior's parameters, and the graph's outputs. */
    private static byte[] posteriorOutputs(GraphBuilder g, Dims d, Map<String, float[]> p, String last, String inputs) {
        if (d.type().isDiscrete()) {
            String logits = affine(g, d, p, "enc.logits", last, d.hidden(), d.codeDim());
            g.output(logits, OnnxContract.LOGITS, DataType.FLOAT, "batch", (long) d.codeDim());
            return g.build(OnnxContract.OPSET, "latent-nlp sentence VAE encoder (" + d.type().label() + "): " + inputs + " -> logits");
        }
        String mean = affine(g, d, p, "enc.mu", last, d.hidden(), d.latent());
        String logvar = affine(g, d, p, "enc.logvar", last, d.hidden(), d.latent());
        g.output(mean, OnnxContract.MEAN, DataType.FLOAT, "batch", (long) d.latent());
        g.output(logvar, OnnxContract.LOGVAR, DataType.FLOAT, "batch", (long) d.latent());
        return g.build(OnnxContract.OPSET, "latent-nlp sentence VAE encoder: " + inputs + " -> mean, logvar");
    }

    static byte[] decoder(Dims d, Map<String, float[]> p) {
        if (d.bowDecoder()) {
            return bagOfWordsDecoder(d, p);
        }
        GraphBuilder g = new GraphBuilder("latent_nlp_decoder");
        String tokens = g.input(OnnxContract.TOKENS, DataType.INT64, "batch", "time");
        String lengths = g.input(OnnxContract.LENGTHS, DataType.INT64, "batch");
        String z = g.input(OnnxContract.Z, DataType.FLOAT, "batch", (long) d.codeDim());
        String axis0 = g.longs("axes0", new long[] {0}, 1);
        String axis1 = g.longs("axes1", new long[] {1}, 1);
        String axis2 = g.longs("axes2", new long[] {2}, 1);
        String zeroL = g.longs("zero_l", new long[] {0}, 1);
        String oneL = g.longs("one_l", new long[] {1}, 1);
        String minusOneL = g.longs("minus_one_l", new long[] {-1}, 1);
        // Teacher-forcing input: <s> followed by tokens[:, :-1].
        String firstCol = g.node("Slice", List.of(tokens, zeroL, oneL, axis1));
        String bosCol = g.node("Add", List.of(g.node("Mul", List.of(firstCol, g.longs("zero_s", new long[] {0}))), g.longs("bos", new long[] {Vocabulary.BOS_ID})));
        String prefix = g.node("Slice", List.of(tokens, zeroL, minusOneL, axis1));
        String input = g.node("Concat", List.of(bosCol, prefix), intAttr("axis", 1));
        String embTable = g.floats("dec.emb", p.get("dec.emb"), d.vocab(), d.embedding());
        String emb = g.node("Gather", List.of(embTable, input));
        // z repeated at every time step and concatenated to the embeddings: [B, T, E + d].
        String shape = g.node("Shape", List.of(tokens));
        String shape3 = g.node("Concat", List.of(shape, g.longs("code_dim", new long[] {d.codeDim()}, 1)), intAttr("axis", 0));
        String zSeq = g.node("Expand", List.of(g.node("Unsqueeze", List.of(z, axis1)), shape3));
        String x = g.node("Concat", List.of(emb, zSeq), intAttr("axis", 2));
        String timeMajor = g.node("Transpose", List.of(x), intsAttr("perm", 1, 0, 2));
        // Initial state from z: c0 = W z + b, h0 = tanh(c0).
        String c0 = affine(g, d, p, "dec.init", z, d.codeDim(), d.hidden());
        String h0 = g.node("Tanh", List.of(c0));
        String seqLens = g.node("Cast", List.of(lengths), intAttr("to", DataType.INT32.getNumber()));
        String[] lstm = lstm(g, d, "dec.lstm", d.embedding() + d.codeDim(), p, timeMajor, seqLens,
                g.node("Unsqueeze", List.of(h0, axis0)), g.node("Unsqueeze", List.of(c0, axis0)));
        String y = g.node("Transpose", List.of(g.node("Squeeze", List.of(lstm[0], axis1))), intsAttr("perm", 1, 0, 2));
        String logits = output(g, d, p, embTable, y, d.topic() ? g.node("Unsqueeze", List.of(z, axis1)) : null);
        String logp = g.node("LogSoftmax", List.of(logits), intAttr("axis", -1));
        String picked = g.node("Squeeze", List.of(g.node("GatherElements", List.of(logp, g.node("Unsqueeze", List.of(tokens, axis2))), intAttr("axis", 2)), axis2));
        // Zero beyond each row's length.
        String masked = g.node("Where", List.of(positionMask(g, tokens, lengths), picked, g.floats("zero_f", new float[] {0f})));
        g.output(masked, OnnxContract.LOGPROBS, DataType.FLOAT, "batch", "time");
        return g.build(OnnxContract.OPSET, "latent-nlp sentence VAE decoder: tokens, lengths, z -> logprobs");
    }

    /**
     * The bag-of-words decoder under the same contract: log softmax(W z + b) [B, V], each row's
     * tokens picked from it (GatherElements on axis 1), zero beyond each row's length.
     */
    private static byte[] bagOfWordsDecoder(Dims d, Map<String, float[]> p) {
        GraphBuilder g = new GraphBuilder("latent_nlp_bow_decoder");
        String tokens = g.input(OnnxContract.TOKENS, DataType.INT64, "batch", "time");
        String lengths = g.input(OnnxContract.LENGTHS, DataType.INT64, "batch");
        String z = g.input(OnnxContract.Z, DataType.FLOAT, "batch", (long) d.codeDim());
        String logp = g.node("LogSoftmax", List.of(affine(g, d, p, "dec.out", z, d.codeDim(), d.vocab())), intAttr("axis", -1));
        String picked = g.node("GatherElements", List.of(logp, tokens), intAttr("axis", 1));
        String masked = g.node("Where", List.of(positionMask(g, tokens, lengths), picked, g.floats("zero_f", new float[] {0f})));
        g.output(masked, OnnxContract.LOGPROBS, DataType.FLOAT, "batch", "time");
        return g.build(OnnxContract.OPSET, "latent-nlp bag-of-words decoder: tokens, lengths, z -> logprobs (log softmax(W z + b) at every position)");
    }

    /** [B, T] booleans: position &lt; the row's length. */
    private static String positionMask(GraphBuilder g, String tokens, String lengths) {
        String axis0 = g.longs("mask_axes0", new long[] {0}, 1);
        String axis1 = g.longs("mask_axes1", new long[] {1}, 1);
        String shape = g.node("Shape", List.of(tokens));
        String time = g.node("Squeeze", List.of(g.node("Slice", List.of(shape, g.longs("mask_one_l", new long[] {1}, 1), g.longs("mask_two_l", new long[] {2}, 1))), axis0));
        String positions = g.node("Range", List.of(g.longs("mask_zero_s", new long[] {0}), time, g.longs("mask_one_s", new long[] {1})));
        return g.node("Less", List.of(g.node("Unsqueeze", List.of(positions, axis0)), g.node("Unsqueeze", List.of(lengths, axis1))));
    }

    /** One decoder step for generation ({@link OnnxContract}): token, reset, z, h, c -> logprobs, h_out, c_out. */
    static byte[] decoderStep(Dims d, Map<String, float[]> p) {
        if (d.bowDecoder()) {
            return bagOfWordsDecoderStep(d, p);
        }
        GraphBuilder g = new GraphBuilder("latent_nlp_decoder_step");
        String token = g.input(OnnxContract.TOKEN, DataType.INT64, "batch");
        String reset = g.input(OnnxContract.RESET, DataType.FLOAT, "batch");
        String z = g.input(OnnxContract.Z, DataType.FLOAT, "batch", (long) d.codeDim());
        String h = g.input(OnnxContract.H, DataType.FLOAT, "batch", (long) d.hidden());
        String c = g.input(OnnxContract.C, DataType.FLOAT, "batch", (long) d.hidden());
        String axis0 = g.longs("axes0", new long[] {0}, 1);
        String axis1 = g.longs("axes1", new long[] {1}, 1);
        // Initial state from z where reset = 1: state = reset * init + (1 - reset) * state.
        String c0 = affine(g, d, p, "dec.init", z, d.codeDim(), d.hidden());
        String h0 = g.node("Tanh", List.of(c0));
        String r = g.node("Unsqueeze", List.of(reset, axis1));
        String keep = g.node("Sub", List.of(g.floats("one_f", new float[] {1f}), r));
        String hIn = g.node("Add", List.of(g.node("Mul", List.of(r, h0)), g.node("Mul", List.of(keep, h))));
        String cIn = g.node("Add", List.of(g.node("Mul", List.of(r, c0)), g.node("Mul", List.of(keep, c))));
        String embTable = g.floats("dec.emb", p.get("dec.emb"), d.vocab(), d.embedding());
        String emb = g.node("Gather", List.of(embTable, token));
        String x = g.node("Unsqueeze", List.of(g.node("Concat", List.of(emb, z), intAttr("axis", 1)), axis0)); // [1, B, E + c]
        String[] lstm = lstm(g, d, "dec.lstm", d.embedding() + d.codeDim(), p, x, "",
                g.node("Unsqueeze", List.of(hIn, axis0)), g.node("Unsqueeze", List.of(cIn, axis0)));
        String hOut = g.node("Squeeze", List.of(lstm[1], axis0));
        String cOut = g.node("Squeeze", List.of(lstm[2], axis0));
        String logits = output(g, d, p, embTable, hOut, z);
        String logp = g.node("LogSoftmax", List.of(logits), intAttr("axis", -1));
        g.output(logp, OnnxContract.LOGPROBS, DataType.FLOAT, "batch", (long) d.vocab());
        g.output(hOut, OnnxContract.H_OUT, DataType.FLOAT, "batch", (long) d.hidden());
        g.output(cOut, OnnxContract.C_OUT, DataType.FLOAT, "batch", (long) d.hidden());
        return g.build(OnnxContract.OPSET, "latent-nlp sentence VAE decoder step: token, reset, z, h, c -> logprobs, h_out, c_out");
    }

    /** The bag-of-words decoder's step: the same distribution whatever the token; the state passes through unchanged. */
    private static byte[] bagOfWordsDecoderStep(Dims d, Map<String, float[]> p) {
        GraphBuilder g = new GraphBuilder("latent_nlp_bow_decoder_step");
        g.input(OnnxContract.TOKEN, DataType.INT64, "batch");
        g.input(OnnxContract.RESET, DataType.FLOAT, "batch");
        String z = g.input(OnnxContract.Z, DataType.FLOAT, "batch", (long) d.codeDim());
        String h = g.input(OnnxContract.H, DataType.FLOAT, "batch", (long) d.hidden());
        String c = g.input(OnnxContract.C, DataType.FLOAT, "batch", (long) d.hidden());
        String logp = g.node("LogSoftmax", List.of(affine(g, d, p, "dec.out", z, d.codeDim(), d.vocab())), intAttr("axis", -1));
        g.output(logp, OnnxContract.LOGPROBS, DataType.FLOAT, "batch", (long) d.vocab());
        g.output(g.node("Identity", List.of(h)), OnnxContract.H_OUT, DataType.FLOAT, "batch", (long) d.hidden());
        g.output(g.node("Identity", List.of(c)), OnnxContract.C_OUT, DataType.FLOAT, "batch", (long) d.hidden());
        return g.build(OnnxContract.OPSET, "latent-nlp bag-of-words decoder step: token, reset, z, h, c -> logprobs (independent of the token), h, c");
    }

    /**
     * The decoder's output layer: {@code dec.out} as a linear layer, or with tied embeddings
     * x E^T + b reusing the embedding initializer (stored once; ONNX Runtime folds the transpose
     * when it loads the graph); the lstm-topic decoder adds z U^T, broadcast over time.
     *
     * @param z the code shaped to broadcast against x's leading axes ([B, 1, c] for [B, T, H]);
     *     read only by the lstm-topic decoder
     */
    private static String output(GraphBuilder g, Dims d, Map<String, float[]> p, String embTable, String x, String z) {
        String logits;
        if (!d.tied()) {
            logits = affine(g, d, p, "dec.out", x, d.hidden(), d.vocab());
        } else {
            String transposed = g.node("Transpose", List.of(embTable), intsAttr("perm", 1, 0));
            String mm = g.node("MatMul", List.of(x, transposed));
            logits = g.node("Add", List.of(mm, g.floats("dec.out.b", p.get("dec.out.b"), d.vocab())));
        }
        if (!d.topic()) {
            return logits;
        }
        String topic = g.floats("dec.topic.wT", transpose(p.get("dec.topic.w"), d.vocab(), d.codeDim()), d.codeDim(), d.vocab());
        return g.node("Add", List.of(logits, g.node("MatMul", List.of(z, topic))));
    }

    /** x W^T + b for a PyTorch linear layer [out, in]; x may be [B, in] or [B, T, in]. */
    private static String affine(GraphBuilder g, Dims d, Map<String, float[]> p, String prefix, String x, int in, int out) {
        String mm = g.node("MatMul", List.of(x, g.floats(prefix + ".wT", transpose(p.get(prefix + ".w"), out, in), in, out)));
        return g.node("Add", List.of(mm, g.floats(prefix + ".b", p.get(prefix + ".b"), out)));
    }

    /** An ONNX LSTM node from PyTorch-layout weights; returns {Y, Y_h, Y_c}. */
    private static String[] lstm(GraphBuilder g, Dims d, String prefix, int in, Map<String, float[]> p, String x, String seqLens, String h0, String c0) {
        int h = d.hidden();
        String w = g.floats(prefix + ".W", reorderGates(p.get(prefix + ".w_ih"), h, in), 1, 4L * h, in);
        String r = g.floats(prefix + ".R", reorderGates(p.get(prefix + ".w_hh"), h, h), 1, 4L * h, h);
        float[] bi = reorderGates(p.get(prefix + ".b_ih"), h, 1);
        float[] bh = reorderGates(p.get(prefix + ".b_hh"), h, 1);
        float[] bias = new float[8 * h];
        System.arraycopy(bi, 0, bias, 0, 4 * h);
        System.arraycopy(bh, 0, bias, 4 * h, 4 * h);
        String b = g.floats(prefix + ".B", bias, 1, 8L * h);
        return g.nodeMulti("LSTM", List.of(x, w, r, b, seqLens, h0, c0), 3, intAttr("hidden_size", h));
    }

    /**
     * A float initializer of a graph this class wrote, row-major as it was exported: e.g. {@code
     * dec.emb} [V, E] of {@code decoder.onnx}, the decoder's embedding in PyTorch layout.
     *
     * @throws IllegalArgumentException when the graph has no float initializer of that name and size
     */
    public static float[] initializer(byte[] graph, String name, long size) {
        ai.onnx.proto.OnnxMl.ModelProto model;
        try {
            model = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(graph);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX graph: " + e.getMessage(), e);
        }
        for (ai.onnx.proto.OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getName().equals(name) && t.getDataType() == DataType.FLOAT.getNumber() && t.getRawData().size() == size * 4) {
                float[] out = new float[(int) size];
                t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
                return out;
            }
        }
        throw new IllegalArgumentException("graph " + model.getGraph().getName() + " has no float initializer " + name + " of " + size + " values");
    }

    /**
     * The decoder's tensors in DJL's layout ({@code VaeParameters}' {@code dec.*} names), read back
     * from a {@code decoder.onnx} this class wrote for {@code d}: the inverse of {@link #decoder}'s
     * transposes and gate reordering, so a teacher's decoder can be run (frozen) in DJL.
     *
     * @throws IllegalArgumentException when the graph lacks a tensor of the expected size
     */
    public static Map<String, float[]> decoderParameters(byte[] graph, Dims d) {
        Map<String, float[]> p = new LinkedHashMap<>();
        int v = d.vocab();
        int h = d.hidden();
        int c = d.codeDim();
        if (d.bowDecoder()) {
            p.put("dec.out.w", transpose(initializer(graph, "dec.out.wT", (long) c * v), c, v));
            p.put("dec.out.b", initializer(graph, "dec.out.b", v));
            return p;
        }
        int in = d.embedding() + c;
        p.put("dec.emb", initializer(graph, "dec.emb", (long) v * d.embedding()));
        p.put("dec.init.w", transpose(initializer(graph, "dec.init.wT", (long) c * h), c, h));
        p.put("dec.init.b", initializer(graph, "dec.init.b", h));
        p.put("dec.lstm.w_ih", torchGates(initializer(graph, "dec.lstm.W", 4L * h * in), h, in));
        p.put("dec.lstm.w_hh", torchGates(initializer(graph, "dec.lstm.R", 4L * h * h), h, h));
        float[] bias = initializer(graph, "dec.lstm.B", 8L * h);
        p.put("dec.lstm.b_ih", torchGates(java.util.Arrays.copyOfRange(bias, 0, 4 * h), h, 1));
        p.put("dec.lstm.b_hh", torchGates(java.util.Arrays.copyOfRange(bias, 4 * h, 8 * h), h, 1));
        if (!d.tied()) {
            p.put("dec.out.w", transpose(initializer(graph, "dec.out.wT", (long) h * v), h, v));
        }
        p.put("dec.out.b", initializer(graph, "dec.out.b", v));
        if (d.topic()) {
            p.put("dec.topic.w", transpose(initializer(graph, "dec.topic.wT", (long) c * v), c, v));
        }
        return p;
    }

    /** A row-major [rows, cols] matrix transposed to [cols, rows]. */
    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) {
                t[k * rows + r] = m[r * cols + k];
            }
        }
        return t;
    }

    /** ONNX gate blocks (i, o, f, c) back to PyTorch's (i, f, g, o): the inverse of {@link #reorderGates}. */
    static float[] torchGates(float[] onnx, int h, int cols) {
        return permuteGates(onnx, h, cols, false);
    }

    /** PyTorch gate blocks (i, f, g, o) to ONNX order (i, o, f, c); each block is h rows of {@code cols}. */
    static float[] reorderGates(float[] torch, int h, int cols) {
        return permuteGates(torch, h, cols, true);
    }

    /** PyTorch's gate block for each ONNX gate block (i, o, f, c). */
    private static final int[] TORCH_BLOCK_OF_ONNX = {0, 3, 1, 2};

    private static float[] permuteGates(float[] in, int h, int cols, boolean toOnnx) {
        float[] out = new float[in.length];
        int block = h * cols;
        for (int k = 0; k < 4; k++) {
            int onnxAt = k * block;
            int torchAt = TORCH_BLOCK_OF_ONNX[k] * block;
            System.arraycopy(in, toOnnx ? torchAt : onnxAt, out, toOnnx ? onnxAt : torchAt, block);
        }
        return out;
    }
}
