package io.latentnlp.models.runtime;

import io.latentnlp.models.runtime.SentenceGenerator.Generated;
import io.latentnlp.models.runtime.SentenceGenerator.State;
import io.latentnlp.models.runtime.SentenceGenerator.Step;
import io.latentnlp.models.text.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Beam search over a step decoder ({@link SentenceGenerator#beam}): per code, the {@code width}
 * most probable unfinished prefixes, batched into one step call for all codes.
 */
final class BeamSearch {

    /** One batched step extending each prefix (see {@link SentenceGenerator#stepPrefixes}). */
    interface Stepper {
        Step step(int[][] prefixes, int[] rows, float[][] codes, State state);
    }

    private final Stepper stepper;
    private final Function<int[], List<String>> words;

    BeamSearch(Stepper stepper, Function<int[], List<String>> words) {
        this.stepper = stepper;
        this.words = words;
    }

    /**
     * Beam search over the codes {@code z}; see {@link SentenceGenerator#beam}.
     */
    List<Generated> run(float[][] z, int width, int maxLength) {
        int n = z.length;
        List<List<Hyp>> live = new ArrayList<>();
        List<Hyp> best = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            live.add(List.of(new Hyp(new int[0], 0, -1)));
            best.add(null);
        }
        State state = null;
        for (int t = 0; t <= maxLength; t++) {
            List<int[]> owner = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < live.get(i).size(); j++) {
                    owner.add(new int[] {i, j});
                }
            }
            if (owner.isEmpty()) {
                break;
            }
            int b = owner.size();
            int[][] prefixes = new int[b][];
            int[] rows = new int[b];
            float[][] codes = new float[b][];
            for (int r = 0; r < b; r++) {
                Hyp hyp = live.get(owner.get(r)[0]).get(owner.get(r)[1]);
                prefixes[r] = hyp.ids;
                rows[r] = hyp.stateRow;
                codes[r] = z[owner.get(r)[0]];
            }
            Step s = stepper.step(prefixes, rows, codes, state);
            state = s.state();
            List<List<Hyp>> candidates = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                candidates.add(new ArrayList<>());
            }
            for (int r = 0; r < b; r++) {
                int i = owner.get(r)[0];
                Hyp hyp = live.get(i).get(owner.get(r)[1]);
                float[] lp = s.logProbs()[r];
                for (int v : TokenChoice.top(lp, width)) {
                    candidates.get(i).add(new Hyp(TokenChoice.append(hyp.ids, v), hyp.logProb + lp[v], r));
                }
            }
            for (int i = 0; i < n; i++) {
                List<Hyp> cand = candidates.get(i);
                if (cand.isEmpty()) {
                    continue;
                }
                cand.sort(Hyp.ORDER);
                List<Hyp> keep = new ArrayList<>();
                for (Hyp hyp : cand) {
                    boolean eos = hyp.ids[hyp.ids.length - 1] == Vocabulary.EOS_ID;
                    if (eos) {
                        if (best.get(i) == null || !best.get(i).finished() || Hyp.ORDER.compare(hyp, best.get(i)) < 0) {
                            best.set(i, hyp);
                        }
                    } else if (hyp.ids.length <= maxLength && keep.size() < width) {
                        keep.add(hyp);
                    }
                }
                if (t == maxLength) {
                    keep = List.of();
                }
                // without a finished hypothesis, remember the best unfinished one as the fallback
                if (!keep.isEmpty() && (best.get(i) == null || !best.get(i).finished())) {
                    best.set(i, keep.get(0));
                }
                Hyp top = best.get(i);
                if (top != null && top.finished() && keep.stream().allMatch(k -> k.logProb <= top.logProb)) {
                    keep = List.of();
                }
                live.set(i, keep);
            }
        }
        List<Generated> out = new ArrayList<>(n);
        for (Hyp h : best) {
            out.add(generated(h, h.finished()));
        }
        return out;
    }

    private Generated generated(Hyp h, boolean finished) {
        int[] ids = finished ? Arrays.copyOf(h.ids, h.ids.length - 1) : h.ids;
        return new Generated(ids, words.apply(ids), h.logProb, finished);
    }

    /** A beam hypothesis: emitted ids (</s> last when finished), total log-probability, its row in the last step's state. */
    private record Hyp(int[] ids, double logProb, int stateRow) {
        boolean finished() {
            return ids.length > 0 && ids[ids.length - 1] == Vocabulary.EOS_ID;
        }

        static final Comparator<Hyp> ORDER = (a, b) -> {
            int c = Double.compare(b.logProb, a.logProb);
            return c != 0 ? c : Arrays.compare(a.ids, b.ids);
        };
    }
}
