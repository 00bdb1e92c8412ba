package io.latentnlp.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.latentnlp.models.latent.Seeds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The named weight tensors of a sentence VAE (or of the language-model baseline), owned by one
 * DJL manager. Names and shapes (PyTorch conventions: a linear layer's weight is [out, in], LSTM
 * weights are [4H, in] with gates i, f, g, o):
 *
 * <pre>
 * enc.emb [V,E]  enc.lstm.{w_ih [4H,E], w_hh [4H,H], b_ih [4H], b_hh [4H]}       (LSTM encoder)
 * enc.head.w [H,F] enc.head.b [H]                                       (pretrained encoder: tanh(W f + b))
 * enc.mu.w [d,H] enc.mu.b [d]  enc.logvar.w [d,H] enc.logvar.b [d]     (Gaussian)
 * enc.logits.w [c,H] enc.logits.b [c]                                  (Bernoulli, categorical)
 * dec.emb [V,E]  dec.init.w [H,c] dec.init.b [H]
 * dec.lstm.{w_ih [4H,E+c], w_hh [4H,H], b_ih [4H], b_hh [4H]}  dec.out.w [V,H] dec.out.b [V]
 * dec.topic.w [V,c]                                      (the lstm-topic decoder: U z added to the logits)
 * bow.w [V,c] bow.b [V]                                                 (bag-of-words head, training only)
 * dec.out.w [V,c] dec.out.b [V]                          (the bag-of-words decoder: no other dec.* tensor)
 * </pre>
 *
 * With tied embeddings ({@link Dims#tied()}) there is no {@code dec.out.w}: the output layer
 * multiplies by {@code dec.emb} (E = H).
 *
 * with c the code width ({@link Dims#codeDim()}: d, or d K for categorical latents).
 * The baseline has only the {@code dec.*} tensors without {@code dec.init} and with E inputs.
 * Initialization uses a Java generator seeded by the caller, so it is identical on every machine.
 * Not thread-safe.
 */
public final class VaeParameters implements AutoCloseable {

    private final NDManager manager;
    private final Dims dims;
    private final Map<String, NDArray> tensors = new LinkedHashMap<>();

    private VaeParameters(NDManager parent, Dims dims) {
        this.manager = parent.newSubManager();
        this.dims = dims;
    }

    /** Fresh parameters, initialized from {@code seed}. */
    public static VaeParameters initialize(NDManager parent, Dims dims, long seed) {
        VaeParameters p = new VaeParameters(parent, dims);
        for (Map.Entry<String, Shape> e : shapes(dims).entrySet()) {
            NDArray a = p.manager.create(new float[(int) e.getValue().size()], e.getValue());
            a.setName(e.getKey());
            a.setRequiresGradient(true);
            p.tensors.put(e.getKey(), a);
        }
        p.reinitialize("", seed);
        return p;
    }

    /** The shapes of every tensor, in a fixed order. */
    public static Map<String, Shape> shapes(Dims d) {
        Map<String, Shape> s = new LinkedHashMap<>();
        int v = d.vocab();
        int e = d.embedding();
        int h = d.hidden();
        if (d.hasLatent()) {
            if (d.pretrained()) {
                s.put("enc.head.w", new Shape(h, d.features()));
                s.put("enc.head.b", new Shape(h));
            } else {
                s.put("enc.emb", new Shape(v, e));
                lstm(s, "enc.lstm", e, h);
            }
            if (d.type() == io.latentnlp.models.latent.LatentType.GAUSSIAN) {
                s.put("enc.mu.w", new Shape(d.latent(), h));
                s.put("enc.mu.b", new Shape(d.latent()));
                s.put("enc.logvar.w", new Shape(d.latent(), h));
                s.put("enc.logvar.b", new Shape(d.latent()));
            } else {
                s.put("enc.logits.w", new Shape(d.codeDim(), h));
                s.put("enc.logits.b", new Shape(d.codeDim()));
            }
            if (d.bowDecoder()) {
                s.put("dec.out.w", new Shape(v, d.codeDim()));
                s.put("dec.out.b", new Shape(v));
                return s;
            }
            s.put("dec.init.w", new Shape(h, d.codeDim()));
            s.put("dec.init.b", new Shape(h));
        }
        s.put("dec.emb", new Shape(v, e));
        lstm(s, "dec.lstm", e + d.codeDim(), h);
        if (!d.tied()) {
            s.put("dec.out.w", new Shape(v, h));
        }
        s.put("dec.out.b", new Shape(v));
        if (d.topic()) {
            s.put("dec.topic.w", new Shape(v, d.codeDim()));
        }
        if (d.bow()) {
            s.put("bow.w", new Shape(v, d.codeDim()));
            s.put("bow.b", new Shape(v));
        }
        return s;
    }

    private static void lstm(Map<String, Shape> s, String prefix, int in, int h) {
        s.put(prefix + ".w_ih", new Shape(4L * h, in));
        s.put(prefix + ".w_hh", new Shape(4L * h, h));
        s.put(prefix + ".b_ih", new Shape(4L * h));
        s.put(prefix + ".b_hh", new Shape(4L * h));
    }

    /**
     * Re-draws every tensor whose name starts with {@code prefix} ("" = all; "dec." = the decoder,
     * as encoder pretraining needs): embeddings U(-0.1, 0.1), other weights and biases
     * U(-1/sqrt(H), 1/sqrt(H)) as PyTorch initializes LSTMs and linear layers.
     */
    public void reinitialize(String prefix, long seed) {
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            // One stream per tensor name, so resetting the decoder does not depend on the encoder.
            SplittableRandom rng = Seeds.stream(seed, e.getKey().hashCode());
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            double bound = e.getKey().endsWith(".emb") ? 0.1 : 1.0 / Math.sqrt(dims.hidden());
            float[] values = new float[(int) e.getValue().getShape().size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
            }
            e.getValue().set(FloatBuffer.wrap(values));
        }
    }

    public Dims dims() {
        return dims;
    }

    /** A tensor by name. */
    public NDArray get(String name) {
        NDArray a = tensors.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter named " + name + " (have " + tensors.keySet() + ")");
        }
        return a;
    }

    /** Every tensor by name, in a fixed order (unmodifiable). */
    public Map<String, NDArray> all() {
        return Collections.unmodifiableMap(tensors);
    }

    /** The manager owning the tensors. */
    public NDManager manager() {
        return manager;
    }

    /** Writes every tensor (DJL NDList encoding, names included). */
    public void save(OutputStream out) throws IOException {
        new NDList(tensors.values()).encode(out);
    }

    /** Overwrites the values of every tensor from {@link #save} output of the same dims. */
    public void load(InputStream in) throws IOException {
        try (NDManager tmp = manager.newSubManager()) {
            NDList list = NDList.decode(tmp, in);
            copyFrom(list, "parameters");
        }
    }

    /** Overwrites values from a list of same-named, same-shaped arrays. */
    public void copyFrom(NDList list, String what) {
        if (list.size() != tensors.size()) {
            throw new IllegalArgumentException(what + ": " + list.size() + " tensors, the model has " + tensors.size());
        }
        for (NDArray src : list) {
            NDArray dst = tensors.get(src.getName());
            if (dst == null || !dst.getShape().equals(src.getShape())) {
                throw new IllegalArgumentException(what + ": tensor " + src.getName() + " " + src.getShape()
                        + " does not match the model (" + (dst == null ? "no such tensor" : dst.getShape()) + ")");
            }
            dst.set(src.toFloatArray());
        }
    }

    /** Values as float arrays (row-major), for export. */
    public Map<String, float[]> toFloatArrays() {
        Map<String, float[]> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    /** Number of scalar parameters. */
    public long count() {
        return tensors.values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    @Override
    public void close() {
        manager.close();
    }
}
