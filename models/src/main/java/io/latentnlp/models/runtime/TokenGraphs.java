package io.latentnlp.models.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.latentnlp.models.bundle.BundleException;
import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.OnnxContract;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.text.SentenceEncoder;
import io.latentnlp.models.text.Vocabulary;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Running the graphs that read token ids ({@link OnnxContract}: {@code tokens} [B,T] right-padded,
 * {@code lengths} [B], and for the decoder {@code z} [B,c]), in batches of similar length.
 */
final class TokenGraphs {

    private TokenGraphs() {}

    /**
     * Indices of the sentences sorted by length: batches of similar lengths waste little work on
     * padding (the decoder's [B, T, V] log-softmax dominates scoring). Results go back to input order.
     */
    static int[] lengthOrder(List<int[]> sentences) {
        return java.util.stream.IntStream.range(0, sentences.size()).boxed()
                .sorted(java.util.Comparator.comparingInt(i -> sentences.get(i).length)).mapToInt(Integer::intValue).toArray();
    }

    static List<int[]> gather(List<int[]> sentences, int[] order, int from, int to) {
        List<int[]> batch = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            batch.add(sentences.get(order[i]));
        }
        return batch;
    }

    /**
     * Runs one batch.
     *
     * @param where the bundle, named in errors
     * @param z codes of width {@code codeDim}, one per sentence, or null for a graph without z
     * @return per output name, its [B, width] rows
     */
    static float[][][] run(OrtSession session, String where, List<int[]> batch, float[][] z, int codeDim, String... outputs) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int b = batch.size();
        int t = 1;
        for (int[] s : batch) {
            if (s.length == 0 || s[s.length - 1] != Vocabulary.EOS_ID) {
                throw new IllegalArgumentException("a sentence must end with </s> (id " + Vocabulary.EOS_ID + "); use SentenceEncoder");
            }
            t = Math.max(t, s.length);
        }
        long[] tokens = new long[b * t];
        long[] lengths = new long[b];
        for (int i = 0; i < b; i++) {
            int[] s = batch.get(i);
            lengths[i] = s.length;
            for (int j = 0; j < s.length; j++) {
                tokens[i * t + j] = s[j];
            }
        }
        List<OnnxTensor> tensors = new ArrayList<>(3);
        try {
            Map<String, OnnxTensor> in = new HashMap<>();
            tensors.add(OnnxTensor.createTensor(env, LongBuffer.wrap(tokens), new long[] {b, t}));
            in.put(OnnxContract.TOKENS, tensors.get(0));
            tensors.add(OnnxTensor.createTensor(env, LongBuffer.wrap(lengths), new long[] {b}));
            in.put(OnnxContract.LENGTHS, tensors.get(1));
            if (z != null) {
                float[] flat = new float[b * codeDim];
                for (int i = 0; i < b; i++) {
                    if (z[i].length != codeDim) {
                        throw new IllegalArgumentException("code " + i + " has " + z[i].length + " entries, the model's codes have " + codeDim);
                    }
                    System.arraycopy(z[i], 0, flat, i * codeDim, codeDim);
                }
                tensors.add(OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), new long[] {b, codeDim}));
                in.put(OnnxContract.Z, tensors.get(2));
            }
            try (OrtSession.Result result = session.run(in)) {
                return outputs(result, outputs);
            }
        } catch (OrtException e) {
            throw new IllegalStateException(where + ": ONNX Runtime failed on a batch of " + b + " sentences of up to " + t + " tokens: " + e.getMessage(), e);
        } finally {
            tensors.forEach(OnnxTensor::close);
        }
    }

    /** The named float [B, width] outputs of a run. */
    static float[][][] outputs(OrtSession.Result result, String... outputs) throws OrtException {
        float[][][] out = new float[outputs.length][][];
        for (int k = 0; k < outputs.length; k++) {
            out[k] = (float[][]) result.get(outputs[k]).orElseThrow().getValue();
        }
        return out;
    }

    /**
     * Checks the latent width of a graph's latent inputs and outputs ({@code mean}, {@code logvar},
     * {@code logits}, {@code z}) against the manifest.
     *
     * @param where the graph, named in errors, e.g. {@code bundle.vae!decoder.onnx}
     */
    static void checkLatentWidths(String where, OrtSession session, Manifest.Latent latent) {
        try {
            Map<String, NodeInfo> all = new HashMap<>(session.getInputInfo());
            all.putAll(session.getOutputInfo());
            Map<String, Integer> widths = new LinkedHashMap<>();
            widths.put(OnnxContract.MEAN, latent.dim());
            widths.put(OnnxContract.LOGVAR, latent.dim());
            widths.put(OnnxContract.LOGITS, latent.codeDim());
            widths.put(OnnxContract.Z, latent.codeDim());
            for (Map.Entry<String, Integer> e : widths.entrySet()) {
                NodeInfo info = all.get(e.getKey());
                if (info != null && info.getInfo() instanceof TensorInfo ti) {
                    long[] shape = ti.getShape();
                    if (shape.length != 2 || (shape[1] > 0 && shape[1] != e.getValue())) {
                        throw new BundleException(where + ": '" + e.getKey() + "' has shape " + Arrays.toString(shape) + " but the manifest's "
                                + latent.type().label() + " latent of " + latent.dim() + (latent.categories() > 0 ? " x " + latent.categories() : "")
                                + " needs width " + e.getValue());
                    }
                }
            }
        } catch (OrtException e) {
            throw new BundleException(where + ": ONNX Runtime cannot read its inputs and outputs: " + e.getMessage(), e);
        }
    }

    /** Row i of the encoder's outputs ({@code r[k]}: output {@code names.get(k)}, {@link OnnxContract#encoderOutputs}) as a posterior. */
    static Posterior posterior(Manifest.Latent latent, List<String> names, float[][][] r, int i) {
        return Posterior.fromParameters(latent.type(), latent.categories(), name -> r[names.indexOf(name)][i]);
    }

    /** Opens a bundle's encoder graph with the family's inputs and the latent type's outputs, widths checked. */
    static OrtSession openEncoder(ModelBundle bundle, EncoderFamily family, SentenceVae.Options options) {
        String where = bundle.source() + "!" + ModelBundle.ENCODER;
        Manifest.Latent latent = bundle.manifest().latent();
        OrtSession s = OrtSessions.open(where, bundle.file(ModelBundle.ENCODER), options.intraOpThreads(), family.graphInputs(),
                java.util.Set.copyOf(OnnxContract.encoderOutputs(latent.type())));
        try {
            checkLatentWidths(where, s, latent);
        } catch (RuntimeException e) {
            closeQuietly(s, e);
            throw e;
        }
        return s;
    }

    static void closeQuietly(OrtSession s, Throwable primary) {
        try {
            s.close();
        } catch (OrtException e) {
            primary.addSuppressed(e);
        }
    }
}
