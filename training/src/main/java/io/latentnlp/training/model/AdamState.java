package io.latentnlp.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) over {@link VaeParameters}, with its moment estimates held here so
 * that a checkpoint can save them and {@code --resume} continues exactly. The update itself is
 * DJL's fused native Adam kernel, which also zeroes the gradients. Not thread-safe.
 */
public final class AdamState implements AutoCloseable {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final VaeParameters params;
    private final NDManager manager;
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private long step;

    public AdamState(VaeParameters params) {
        this.params = params;
        this.manager = params.manager().newSubManager();
        reset();
    }

    /** Forgets the moments (after the decoder is re-initialized, the old moments are meaningless). */
    public void reset() {
        first.values().forEach(NDArray::close);
        second.values().forEach(NDArray::close);
        first.clear();
        second.clear();
        for (Map.Entry<String, NDArray> e : params.all().entrySet()) {
            NDArray m = manager.zeros(e.getValue().getShape());
            m.setName("m." + e.getKey());
            NDArray v = manager.zeros(e.getValue().getShape());
            v.setName("v." + e.getKey());
            first.put(e.getKey(), m);
            second.put(e.getKey(), v);
        }
        step = 0;
    }

    /**
     * One Adam step on every parameter with a gradient.
     *
     * @param gradients the gradients by parameter name (owned by the caller's step manager)
     * @param learningRate the step size
     * @param gradScale factor applied to every gradient first (global-norm clipping)
     */
    public void update(Map<String, NDArray> gradients, double learningRate, double gradScale) {
        step++;
        double c1 = 1.0 - Math.pow(BETA1, step);
        double c2 = 1.0 - Math.pow(BETA2, step);
        float corrected = (float) (learningRate * Math.sqrt(c2) / c1);
        for (Map.Entry<String, NDArray> e : gradients.entrySet()) {
            NDArray w = params.get(e.getKey());
            w.getNDArrayInternal().adamUpdate(new NDList(w, e.getValue(), first.get(e.getKey()), second.get(e.getKey())), new NDList(w),
                    (float) learningRate, corrected, 0f, (float) gradScale, -1f, BETA1, BETA2, EPSILON, false, false);
        }
    }

    public long step() {
        return step;
    }

    public void save(OutputStream out) throws IOException {
        NDList all = new NDList();
        all.addAll(first.values());
        all.addAll(second.values());
        all.encode(out);
    }

    /** Restores moments saved by {@link #save} and the step count. */
    public void load(InputStream in, long savedStep) throws IOException {
        try (NDManager tmp = manager.newSubManager()) {
            NDList all = NDList.decode(tmp, in);
            Map<String, NDArray> byName = new LinkedHashMap<>();
            first.forEach((k, v) -> byName.put(v.getName(), v));
            second.forEach((k, v) -> byName.put(v.getName(), v));
            if (all.size() != byName.size()) {
                throw new IOException("optimizer state has " + all.size() + " tensors, expected " + byName.size());
            }
            for (NDArray a : all) {
                NDArray dst = byName.get(a.getName());
                if (dst == null || !dst.getShape().equals(a.getShape())) {
                    throw new IOException("optimizer state tensor " + a.getName() + " does not match the model");
                }
                dst.set(a.toFloatArray());
            }
        }
        step = savedStep;
    }

    @Override
    public void close() {
        manager.close();
    }
}
