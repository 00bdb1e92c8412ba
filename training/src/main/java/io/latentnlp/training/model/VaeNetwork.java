package io.latentnlp.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.util.SplittableRandom;

/**
 * The forward computation of the sentence VAE on DJL's PyTorch engine.
 *
 * <p>Encoder: embedding, one-layer LSTM over the sentence and {@code </s>}, the state at the last
 * real token, two linear maps to mean and log-variance. Decoder: embedding of {@code <s> x_1..x_n}
 * with dropout, z concatenated to every input, a one-layer LSTM whose initial cell is c0 = W z + b
 * and hidden state tanh(c0) (He et al. 2019), dropout, a linear map to the vocabulary (with
 * tied embeddings its weight is the decoder's embedding matrix), plus U z with the lstm-topic
 * decoder ({@link Dims#topic()}), and log-softmax. The baseline (d = 0) has no z and a zero initial state.
 * The bag-of-words decoder ({@link Dims#bowDecoder()}) is one linear map of z and a log-softmax,
 * the same distribution at every position.
 *
 * <p>Every operation takes a batch-owned array as its first operand, so all intermediates belong
 * to the caller's per-step manager and are freed with it. Dropout masks come from a Java
 * generator the caller seeds, so a step is reproducible (also after {@code --resume}).
 */
public final class VaeNetwork {

    private final VaeParameters p;
    private final Dims dims;
    private final FeatureTable features;
    private FeatureTable alignTargets;
    private double alignWeight;
    private NeighborLoss neighbors;
    private int sampledNegatives;

    public VaeNetwork(VaeParameters parameters) {
        this(parameters, null);
    }

    /**
     * @param features the backbone embeddings of every sentence the network will encode; required
     *     exactly when the encoder is the pretrained family's head
     */
    public VaeNetwork(VaeParameters parameters, FeatureTable features) {
        this.p = parameters;
        this.dims = parameters.dims();
        if (dims.pretrained() != (features != null)) {
            throw new IllegalArgumentException(dims.pretrained() ? "a pretrained encoder needs the backbone's features" : "an LSTM encoder takes no features");
        }
        if (features != null && features.dim() != dims.features()) {
            throw new IllegalArgumentException("features of width " + features.dim() + " for an encoder head over " + dims.features());
        }
        this.features = features;
    }

    public Dims dims() {
        return dims;
    }

    /**
     * Adds the alignment loss to this network's training objective: {@code weight} times the
     * squared distance between each sentence's posterior mean and its row of {@code targets}
     * (d wide, keyed like the features).
     */
    public void align(FeatureTable targets, double weight) {
        if (!dims.pretrained() || dims.type() != io.latentnlp.models.latent.LatentType.GAUSSIAN || targets.dim() != dims.latent()) {
            throw new IllegalArgumentException("alignment targets of width " + targets.dim() + " for a " + dims.type().label() + " latent of "
                    + dims.latent() + " (the pretrained family's Gaussian posterior mean)");
        }
        this.alignTargets = targets;
        this.alignWeight = weight;
    }

    /**
     * Trains the decoder's output layer with a sampled softmax ({@link #decodeTraining}): each
     * step normalizes over the batch's own target units plus {@code negatives} other units drawn
     * uniformly, instead of the whole vocabulary; 0 = the full softmax. Evaluation ({@link
     * #decode}) always uses the full softmax.
     */
    public void sampledSoftmax(int negatives) {
        if (negatives < 0) {
            throw new IllegalArgumentException("negative sample count " + negatives);
        }
        this.sampledNegatives = negatives;
    }

    /** The weighted alignment loss of a batch's posterior means [B, d]: a scalar, or null without alignment. */
    public NDArray alignmentLoss(NDManager m, Batch batch, NDArray mean) {
        if (alignTargets == null || alignWeight == 0) {
            return null;
        }
        NDArray target = m.create(alignTargets.rows(batch.rows()), new Shape(batch.batch(), dims.latent()));
        return mean.sub(target).square().sum(new int[] {1}).mean().mul((float) alignWeight);
    }

    /**
     * Adds the neighbourhood-preserving loss ({@link NeighborLoss}) of the pretrained family's
     * Gaussian posterior mean to this network's training objective.
     */
    public void neighbors(NeighborLoss loss) {
        if (!dims.pretrained() || dims.type() != io.latentnlp.models.latent.LatentType.GAUSSIAN) {
            throw new IllegalArgumentException("the neighbor loss shapes the pretrained family's Gaussian posterior mean, not a "
                    + (dims.pretrained() ? "" : "non-pretrained ") + dims.type().label() + " latent");
        }
        this.neighbors = loss;
    }

    /** The weighted neighbourhood loss of one step's random feature batch: a scalar, or null without it. */
    public NDArray neighborLoss(NDManager m, SplittableRandom rng) {
        return neighbors == null ? null : neighbors.loss(m, x -> linear(headStates(x), "enc.mu"), rng);
    }

    /** The pretrained family's head: tanh(W f + b) over the frozen backbone's embeddings [B, F]. */
    private NDArray headStates(NDArray features) {
        return linear(features, "enc.head").tanh();
    }

    /** q(z|x): {@code [mean [B,d], logvar [B,d]]} (Gaussian) or {@code [logits [B,c]]} (discrete). */
    public NDList encode(NDManager m, Batch batch) {
        NDArray last;
        if (dims.pretrained()) {
            // The pretrained family's head: tanh(W f + b) over the frozen backbone's embedding.
            last = headStates(m.create(features.rows(batch.rows()), new Shape(batch.batch(), dims.features())));
        } else {
            NDArray tokens = batch.tokensArray(m);
            NDArray x = embed(tokens, p.get("enc.emb"));
            NDArray out = lstm(x, "enc.lstm", zeros(m, batch.batch()), zeros(m, batch.batch()), false).head();
            // The state after the last real token: right padding never reaches it (the LSTM is causal).
            last = out.mul(batch.lastMask(m).expandDims(2)).sum(new int[] {1});
        }
        if (dims.type().isDiscrete()) {
            return new NDList(linear(last, "enc.logits"));
        }
        NDArray mean = linear(last, "enc.mu");
        NDArray logvar = linear(last, "enc.logvar");
        return new NDList(mean, logvar);
    }

    /**
     * log p(x_t | x_&lt;t, z) at every position: [B, T], 0 at padding.
     *
     * @param z [B, c] codes (ignored and may be null for the baseline)
     * @param dropout dropout rate (0 in evaluation)
     * @param rng source of dropout masks (unused when dropout is 0)
     */
    public NDArray decode(NDManager m, Batch batch, NDArray z, double dropout, SplittableRandom rng) {
        if (dims.bowDecoder()) {
            // Every position (</s> included) drawn from the same softmax over the vocabulary given z.
            return bagLogProbs(m, batch, z, "dec.out").mul(batch.mask(m));
        }
        NDArray out = decoderStates(m, batch, z, dropout, rng);
        NDArray logits = out.getNDArrayInternal()
                .linear(out, p.get(dims.tied() ? "dec.emb" : "dec.out.w"), p.get("dec.out.b")).head();
        if (dims.topic()) {
            logits = logits.add(z.matMul(p.get("dec.topic.w").transpose()).expandDims(1));
        }
        NDArray logp = logits.logSoftmax(2);
        NDArray target = batch.tokensArray(m).expandDims(2);
        return logp.gather(target, 2).squeeze(2).mul(batch.mask(m));
    }

    /**
     * What training optimizes in place of {@link #decode}: the same with a sampled softmax when
     * {@link #sampledSoftmax} is on (and the decoder is the LSTM), else exactly {@link #decode}.
     *
     * <p>The candidates of a step are every unit the batch predicts (T, always normalized over
     * exactly) and S units drawn uniformly without replacement from the rest of the vocabulary;
     * each sampled unit's exponentiated logit is weighted by (V - |T|) / S, an unbiased estimate of
     * the rest's share of the partition function (Jean et al. 2015 normalize over a sampled
     * subset the same way). The cost of the output layer falls from V to |T| + S units per
     * position; the estimate of log p is biased in log, so evaluation stays exact.
     */
    public NDArray decodeTraining(NDManager m, Batch batch, NDArray z, double dropout, SplittableRandom rng) {
        if (sampledNegatives == 0 || dims.bowDecoder()) {
            return decode(m, batch, z, dropout, rng);
        }
        int v = dims.vocab();
        int[] position = new int[v];
        java.util.Arrays.fill(position, -1);
        long[] candidates = new long[v];
        int c = 0;
        for (long t : batch.tokens()) {
            if (position[(int) t] < 0) {
                position[(int) t] = c;
                candidates[c++] = t;
            }
        }
        int targets = c;
        int negatives = Math.min(sampledNegatives, v - targets);
        while (c < targets + negatives) {
            int w = rng.nextInt(v);
            if (position[w] < 0) {
                position[w] = c;
                candidates[c++] = w;
            }
        }
        float[] correction = new float[c];
        if (negatives > 0) {
            java.util.Arrays.fill(correction, targets, c, (float) Math.log((v - targets) / (double) negatives));
        }
        long[] targetIndex = new long[batch.tokens().length];
        for (int i = 0; i < targetIndex.length; i++) {
            targetIndex[i] = position[(int) batch.tokens()[i]];
        }
        NDArray ids = m.create(java.util.Arrays.copyOf(candidates, c));
        NDArray weight = embed(ids, p.get(dims.tied() ? "dec.emb" : "dec.out.w")); // [C, H]
        NDArray bias = embed(ids, p.get("dec.out.b").reshape(v, 1)).reshape(c); // [C]
        NDArray out = decoderStates(m, batch, z, dropout, rng);
        NDArray logits = out.getNDArrayInternal().linear(out, weight, bias).head().add(m.create(correction)); // [B, T, C]
        if (dims.topic()) {
            logits = logits.add(z.matMul(embed(ids, p.get("dec.topic.w")).transpose()).expandDims(1)); // + (U z) over the candidates
        }
        NDArray picked = logits.logSoftmax(2).gather(m.create(targetIndex, new Shape(batch.batch(), batch.time(), 1)), 2).squeeze(2);
        return picked.mul(batch.mask(m));
    }

    /** The decoder LSTM's outputs after dropout: [B, T, H]. */
    private NDArray decoderStates(NDManager m, Batch batch, NDArray z, double dropout, SplittableRandom rng) {
        int b = batch.batch();
        int t = batch.time();
        NDArray x = embed(batch.decoderInputArray(m), p.get("dec.emb"));
        x = dropout(m, x, dropout, rng);
        NDArray h0;
        NDArray c0;
        if (dims.hasLatent()) {
            x = x.concat(z.expandDims(1).broadcast(new Shape(b, t, dims.codeDim())), 2);
            c0 = linear(z, "dec.init");
            h0 = c0.tanh();
            c0 = c0.expandDims(0);
            h0 = h0.expandDims(0);
        } else {
            h0 = zeros(m, b);
            c0 = zeros(m, b);
        }
        NDArray out = lstm(x, "dec.lstm", h0, c0, dropout > 0).head();
        return dropout(m, out, dropout, rng);
    }

    /**
     * The bag-of-words loss of Zhao et al. (2017): -sum_t log softmax(W z + b)[x_t] over each
     * sentence's words ({@code </s>} excluded), order ignored, so z alone must predict what the
     * sentence is about: [B] nats.
     */
    public NDArray bagOfWordsNll(NDManager m, Batch batch, NDArray z) {
        return bagLogProbs(m, batch, z, "bow").mul(batch.wordMask(m)).sum(new int[] {1}).neg();
    }

    /** log softmax(W z + b)[x_t] of the linear layer {@code prefix} at every position, unmasked: [B, T]. */
    private NDArray bagLogProbs(NDManager m, Batch batch, NDArray z, String prefix) {
        return linear(z, prefix).logSoftmax(1).gather(batch.tokensArray(m), 1);
    }

    private NDArray zeros(NDManager m, int batch) {
        return m.zeros(new Shape(1, batch, dims.hidden()));
    }

    private static NDArray embed(NDArray ids, NDArray weight) {
        return ids.getNDArrayInternal().embedding(ids, weight, SparseFormat.DENSE).head();
    }

    private NDArray linear(NDArray x, String prefix) {
        return x.getNDArrayInternal().linear(x, p.get(prefix + ".w"), p.get(prefix + ".b")).head();
    }

    private NDList lstm(NDArray x, String prefix, NDArray h0, NDArray c0, boolean training) {
        NDList params = new NDList(p.get(prefix + ".w_ih"), p.get(prefix + ".w_hh"), p.get(prefix + ".b_ih"), p.get(prefix + ".b_hh"));
        return x.getNDArrayInternal().lstm(x, new NDList(h0, c0), params, true, 1, 0.0, training, false, true);
    }

    private static NDArray dropout(NDManager m, NDArray x, double rate, SplittableRandom rng) {
        if (rate <= 0) {
            return x;
        }
        Shape shape = x.getShape();
        float[] mask = new float[(int) shape.size()];
        float keep = (float) (1.0 / (1.0 - rate));
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rng.nextDouble() >= rate ? keep : 0f;
        }
        return x.mul(m.create(mask, shape));
    }
}
