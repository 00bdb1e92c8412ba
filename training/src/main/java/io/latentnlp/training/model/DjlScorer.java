package io.latentnlp.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.latentnlp.models.bundle.OnnxContract;
import io.latentnlp.models.latent.GaussianPosterior;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.runtime.VaeScorer;
import java.util.List;

/**
 * The DJL model as a {@link VaeScorer}, in evaluation mode (no dropout, no gradient recording):
 * used for per-epoch validation and as the reference in ONNX parity tests. Not thread-safe (one
 * DJL gradient collector per JVM; call it from the training thread).
 */
public final class DjlScorer implements VaeScorer {

    private final VaeNetwork net;
    private final NDManager parent;

    /** Sentences per forward pass: bounds the [B, T, V] log-softmax in memory. */
    private static final int BATCH = 64;

    public DjlScorer(VaeNetwork net, NDManager parent) {
        this.net = net;
        this.parent = parent;
    }

    @Override
    public int latentDim() {
        return net.dims().latent();
    }

    @Override
    public int codeDim() {
        return net.dims().codeDim();
    }

    @Override
    public Posterior[] encode(List<int[]> sentences) {
        Posterior[] out = new Posterior[sentences.size()];
        if (!net.dims().hasLatent()) {
            java.util.Arrays.fill(out, new GaussianPosterior(new float[0], new float[0]));
            return out;
        }
        if (sentences.isEmpty()) {
            return out;
        }
        LatentType type = net.dims().type();
        List<String> names = OnnxContract.encoderOutputs(type);
        try (NDManager m = parent.newSubManager()) {
            NDList q = net.encode(m, Batch.of(sentences));
            // the network's outputs in the ONNX contract's order: [B, width] each (mean, logvar; or logits)
            float[][] outputs = new float[names.size()][];
            int[] widths = new int[names.size()];
            for (int k = 0; k < names.size(); k++) {
                outputs[k] = q.get(k).toFloatArray();
                widths[k] = outputs[k].length / sentences.size();
            }
            for (int i = 0; i < out.length; i++) {
                int row = i;
                out[i] = Posterior.fromParameters(type, net.dims().categories(), name -> {
                    int k = names.indexOf(name);
                    return java.util.Arrays.copyOfRange(outputs[k], row * widths[k], (row + 1) * widths[k]);
                });
            }
        }
        return out;
    }

    @Override
    public float[][] tokenLogProbs(List<int[]> sentences, float[][] z) {
        float[][] out = new float[sentences.size()][];
        for (int from = 0; from < sentences.size(); from += BATCH) {
            int to = Math.min(sentences.size(), from + BATCH);
            float[][] part = tokenLogProbsBatch(sentences.subList(from, to), java.util.Arrays.copyOfRange(z, from, to));
            System.arraycopy(part, 0, out, from, part.length);
        }
        return out;
    }

    private float[][] tokenLogProbsBatch(List<int[]> sentences, float[][] z) {
        Batch batch = Batch.of(sentences);
        int d = codeDim();
        try (NDManager m = parent.newSubManager()) {
            NDArray codes = null;
            if (d > 0) {
                float[] flat = new float[sentences.size() * d];
                for (int i = 0; i < z.length; i++) {
                    System.arraycopy(z[i], 0, flat, i * d, d);
                }
                codes = m.create(flat, new Shape(sentences.size(), d));
            }
            float[] lp = net.decode(m, batch, codes, 0, null).toFloatArray();
            float[][] out = new float[sentences.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = java.util.Arrays.copyOfRange(lp, i * batch.time(), i * batch.time() + sentences.get(i).length);
            }
            return out;
        }
    }
}
