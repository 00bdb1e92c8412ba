package io.latentnlp.models.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.latentnlp.models.bundle.BundleException;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.OnnxContract;
import io.latentnlp.models.latent.Seeds;
import io.latentnlp.models.text.Vocabulary;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Decodes sentences from latent codes with a bundle's step decoder ({@code decoder_step.onnx},
 * {@link OnnxContract}) on ONNX Runtime: greedy, beam search and sampling with temperature and
 * nucleus (top-p) truncation. All sequences of a call advance together, one batched step per
 * token. {@code <pad>} and {@code <s>} are never emitted; {@code </s>} ends a sentence.
 *
 * <p>Deterministic: greedy and beam search break ties by the lower token id; sampling draws from
 * a generator seeded by (seed, sequence index), so results do not depend on batch composition.
 * Thread-safe (ONNX Runtime sessions are). Holds native memory: close it; {@link #close()} is
 * idempotent, waits for the calls in flight ({@link CloseGuard}), and a call after it throws
 * {@link IllegalStateException} naming the bundle.
 */
public final class SentenceGenerator implements AutoCloseable {

    /**
     * A decoded sentence.
     *
     * @param ids token ids, without {@code </s>}
     * @param tokens the ids' vocabulary entries as words (word pieces of an open vocabulary joined)
     * @param logProb sum of log p(token | prefix, z) over the emitted tokens, {@code </s>} included when finished
     * @param finished whether {@code </s>} was emitted before the length limit
     */
    public record Generated(int[] ids, List<String> tokens, double logProb, boolean finished) {

        /** The tokens joined by spaces. */
        public String text() {
            return String.join(" ", tokens);
        }
    }

    private final ModelBundle bundle;
    private final OrtEnvironment env;
    private final OrtSession step;
    private final int vocab;
    private final int hidden;
    private final int codeDim;
    private final CloseGuard guard;

    private SentenceGenerator(ModelBundle bundle, SentenceVae.Options options) {
        if (!bundle.hasFile(ModelBundle.DECODER_STEP)) {
            throw new BundleException(bundle.source() + " has no " + ModelBundle.DECODER_STEP + " (exported before generation existed); re-export it to generate");
        }
        this.bundle = bundle;
        this.env = OrtEnvironment.getEnvironment();
        this.vocab = bundle.manifest().vocab().size();
        this.hidden = bundle.manifest().architecture().hiddenDim();
        this.codeDim = bundle.manifest().latent().codeDim();
        this.guard = new CloseGuard(bundle.source() + ": this SentenceGenerator is closed");
        this.step = OrtSessions.open(bundle.source() + "!" + ModelBundle.DECODER_STEP, bundle.file(ModelBundle.DECODER_STEP), options.intraOpThreads(),
                java.util.Set.of(OnnxContract.TOKEN, OnnxContract.RESET, OnnxContract.Z, OnnxContract.H, OnnxContract.C),
                java.util.Set.of(OnnxContract.LOGPROBS, OnnxContract.H_OUT, OnnxContract.C_OUT));
    }

    /** Opens the step decoder of a bundle. */
    public static SentenceGenerator open(ModelBundle bundle, SentenceVae.Options options) {
        return new SentenceGenerator(bundle, options);
    }

    /** The recurrent state of a batch of sequences. */
    public record State(float[] h, float[] c) {}

    /** One step's output. */
    public record Step(float[][] logProbs, State state) {}

    /**
     * Advances B sequences by one token.
     *
     * @param tokens the previous token of each sequence ({@code <s>} at the start)
     * @param reset per sequence, whether to start from the initial state of its code
     * @param z codes, one per sequence
     * @param state the state returned by the previous step, or null when every sequence resets
     */
    public Step step(int[] tokens, boolean[] reset, float[][] z, State state) {
        return guard.call(() -> stepOpen(tokens, reset, z, state));
    }

    private Step stepOpen(int[] tokens, boolean[] reset, float[][] z, State state) {
        int b = tokens.length;
        long[] tok = new long[b];
        float[] r = new float[b];
        float[] flatZ = new float[b * codeDim];
        for (int i = 0; i < b; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocab) {
                throw new IllegalArgumentException("token id " + tokens[i] + " outside the vocabulary [0, " + vocab + ")");
            }
            if (z[i].length != codeDim) {
                throw new IllegalArgumentException("code " + i + " has " + z[i].length + " entries, the model's codes have " + codeDim);
            }
            tok[i] = tokens[i];
            r[i] = reset[i] ? 1f : 0f;
            System.arraycopy(z[i], 0, flatZ, i * codeDim, codeDim);
            if (!reset[i] && state == null) {
                throw new IllegalArgumentException("sequence " + i + " continues but no state was given");
            }
        }
        float[] h = state == null ? new float[b * hidden] : state.h();
        float[] c = state == null ? new float[b * hidden] : state.c();
        List<OnnxTensor> tensors = new ArrayList<>();
        try {
            tensors.add(OnnxTensor.createTensor(env, LongBuffer.wrap(tok), new long[] {b}));
            tensors.add(OnnxTensor.createTensor(env, FloatBuffer.wrap(r), new long[] {b}));
            tensors.add(OnnxTensor.createTensor(env, FloatBuffer.wrap(flatZ), new long[] {b, codeDim}));
            tensors.add(OnnxTensor.createTensor(env, FloatBuffer.wrap(h), new long[] {b, hidden}));
            tensors.add(OnnxTensor.createTensor(env, FloatBuffer.wrap(c), new long[] {b, hidden}));
            Map<String, OnnxTensor> in = Map.of(OnnxContract.TOKEN, tensors.get(0), OnnxContract.RESET, tensors.get(1), OnnxContract.Z, tensors.get(2),
                    OnnxContract.H, tensors.get(3), OnnxContract.C, tensors.get(4));
            try (OrtSession.Result out = step.run(in)) {
                float[][] lp = (float[][]) out.get(OnnxContract.LOGPROBS).orElseThrow().getValue();
                float[] hOut = ((OnnxTensor) out.get(OnnxContract.H_OUT).orElseThrow()).getFloatBuffer().array();
                float[] cOut = ((OnnxTensor) out.get(OnnxContract.C_OUT).orElseThrow()).getFloatBuffer().array();
                return new Step(lp, new State(hOut, cOut));
            }
        } catch (OrtException e) {
            throw new IllegalStateException(bundle.source() + ": ONNX Runtime failed on a decoder step of " + b + " sequences: " + e.getMessage(), e);
        } finally {
            tensors.forEach(OnnxTensor::close);
        }
    }

    /** Greedy decoding: the most probable token at every step (lower id on ties). */
    public List<Generated> greedy(float[][] z, int maxLength) {
        checkLimits(1, maxLength);
        return guard.call(() -> decodeEach(z, maxLength, (i, lp) -> TokenChoice.top(lp, 1)[0]));
    }

    /** Picks the next token of sequence i from its step log-probabilities. */
    private interface Chooser {
        int next(int sequence, float[] logProbs);
    }

    /**
     * Left-to-right decoding of every code with one token chosen per step: at most {@code
     * maxLength} tokens, then one more step that may only finish the sentence.
     */
    private List<Generated> decodeEach(float[][] z, int maxLength, Chooser chooser) {
        int n = z.length;
        int[][] ids = new int[n][0];
        double[] logProb = new double[n];
        boolean[] ended = new boolean[n];
        boolean[] finished = new boolean[n];
        int[] row = new int[n];
        State state = null;
        for (int t = 0; t <= maxLength; t++) {
            List<Integer> live = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!ended[i]) {
                    live.add(i);
                }
            }
            if (live.isEmpty()) {
                break;
            }
            Step s = advance(live, ids, row, z, state);
            state = s.state();
            for (int r = 0; r < live.size(); r++) {
                int i = live.get(r);
                float[] lp = s.logProbs()[r];
                int v = chooser.next(i, lp);
                row[i] = r;
                if (v == Vocabulary.EOS_ID) {
                    logProb[i] += lp[v];
                    ended[i] = true;
                    finished[i] = true;
                } else if (t < maxLength) {
                    logProb[i] += lp[v];
                    ids[i] = TokenChoice.append(ids[i], v);
                } else {
                    ended[i] = true; // the length limit: unfinished
                }
            }
        }
        List<Generated> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Generated(ids[i], bundle.words(ids[i]), logProb[i], finished[i]));
        }
        return out;
    }

    /**
     * Beam search: per code, keeps the {@code width} most probable unfinished prefixes; a prefix
     * extended by {@code </s>} is finished. Stops when no unfinished prefix can beat the best
     * finished one (log-probabilities only fall) or at {@code maxLength} tokens; returns the
     * finished hypothesis of highest total log-probability (no length normalization), or the best
     * unfinished one when none finished.
     */
    public List<Generated> beam(float[][] z, int width, int maxLength) {
        checkLimits(width, maxLength);
        return guard.call(() -> new BeamSearch(this::stepPrefixes, bundle::words).run(z, width, maxLength));
    }

    /** One batched step for the sequences {@code live} (indices into ids/row). */
    private Step advance(List<Integer> live, int[][] ids, int[] row, float[][] z, State state) {
        int b = live.size();
        int[][] prefixes = new int[b][];
        int[] rows = new int[b];
        float[][] codes = new float[b][];
        for (int r = 0; r < b; r++) {
            int i = live.get(r);
            prefixes[r] = ids[i];
            rows[r] = row[i];
            codes[r] = z[i];
        }
        return stepPrefixes(prefixes, rows, codes, state);
    }

    /**
     * One batched step that extends each prefix by a token: the prefix's last token (or {@code
     * <s>} for an empty prefix, which resets to the code's initial state) with the state of row
     * {@code rows[r]} of the previous step.
     */
    Step stepPrefixes(int[][] prefixes, int[] rows, float[][] codes, State state) {
        int b = prefixes.length;
        int[] prev = new int[b];
        boolean[] reset = new boolean[b];
        float[] h = new float[b * hidden];
        float[] c = new float[b * hidden];
        for (int r = 0; r < b; r++) {
            int[] p = prefixes[r];
            reset[r] = p.length == 0;
            prev[r] = reset[r] ? Vocabulary.BOS_ID : p[p.length - 1];
            if (!reset[r]) {
                System.arraycopy(state.h(), rows[r] * hidden, h, r * hidden, hidden);
                System.arraycopy(state.c(), rows[r] * hidden, c, r * hidden, hidden);
            }
        }
        return stepOpen(prev, reset, codes, new State(h, c));
    }

    /**
     * Samples one sentence per code: at each step, log-probabilities divided by {@code
     * temperature}, truncated to the smallest set of tokens whose probability reaches {@code
     * topP} (1 = no truncation), renormalized.
     */
    public List<Generated> sample(float[][] z, double temperature, double topP, int maxLength, long seed) {
        checkLimits(1, maxLength);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("illegal temperature " + temperature + ": must be positive and finite");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("illegal top-p " + topP + ": must be in (0, 1]");
        }
        SplittableRandom[] rng = new SplittableRandom[z.length];
        for (int i = 0; i < rng.length; i++) {
            rng[i] = Seeds.stream(seed, i);
        }
        return guard.call(() -> decodeEach(z, maxLength, (i, lp) -> TokenChoice.draw(lp, temperature, topP, rng[i])));
    }

    /**
     * The sampling distribution of one step (what {@link #sample} draws from): probabilities after
     * temperature and top-p truncation, {@code <pad>} and {@code <s>} excluded.
     */
    public static double[] samplingDistribution(float[] logProbs, double temperature, double topP) {
        return TokenChoice.samplingDistribution(logProbs, temperature, topP);
    }

    private void checkLimits(int width, int maxLength) {
        if (width < 1) {
            throw new IllegalArgumentException("illegal beam width " + width + ": must be at least 1");
        }
        if (maxLength < 1) {
            throw new IllegalArgumentException("illegal maximum length " + maxLength + ": must be at least 1");
        }
    }

    /** Waits for the calls in flight, then frees the session; later calls throw. Idempotent. */
    @Override
    public void close() {
        guard.close(() -> {
            try {
                step.close();
            } catch (OrtException e) {
                throw new IllegalStateException("closing the step decoder of " + bundle.source() + " failed", e);
            }
        });
    }
}
