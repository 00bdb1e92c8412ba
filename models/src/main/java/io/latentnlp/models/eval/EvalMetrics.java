package io.latentnlp.models.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Corpus-level evaluation of a sentence VAE. Per-sentence quantities are means over sentences, in
 * nats; token counts include {@code </s>}.
 *
 * @param sentences sentences evaluated
 * @param tokens predicted tokens, {@code </s>} included
 * @param elbo mean ELBO, E_q[log p(x|z)] - KL (single-sample reconstruction); at most log p(x)
 * @param reconstruction mean reconstruction loss E_q[-log p(x|z)] (single sample)
 * @param kl mean KL(q(z|x) || p(z)), closed form
 * @param iwNll mean importance-weighted estimate of -log p(x) with {@code iwSamples} samples
 * @param iwSamples K of the importance-weighted estimate
 * @param perplexity exp(sum of IW-NLL / tokens)
 * @param mutualInformation I_q(x; z), aggregate-posterior estimator over the whole set
 * @param activeUnits dimensions whose posterior mean varies across sentences by more than delta
 * @param activeDelta the variance threshold of {@code activeUnits}
 * @param latentDim latent dimensions (0 for the language-model baseline)
 */
public record EvalMetrics(
        int sentences,
        long tokens,
        double elbo,
        double reconstruction,
        double kl,
        double iwNll,
        int iwSamples,
        double perplexity,
        double mutualInformation,
        int activeUnits,
        double activeDelta,
        int latentDim) {

    /** True when the posterior carries (almost) no information: KL or active units near zero. */
    public boolean collapsed() {
        return latentDim > 0 && (kl < 0.1 || activeUnits == 0);
    }

    /** Flat name to value map, for JSON lines and manifests. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sentences", sentences);
        m.put("tokens", tokens);
        m.put("elbo", elbo);
        m.put("rec", reconstruction);
        m.put("kl", kl);
        m.put("iw_nll", iwNll);
        m.put("iw_samples", iwSamples);
        m.put("ppl", perplexity);
        m.put("mi", mutualInformation);
        m.put("au", activeUnits);
        m.put("au_delta", activeDelta);
        m.put("latent_dim", latentDim);
        m.put("collapsed", collapsed());
        return m;
    }

    /** A fixed-width table, one metric per line, for terminals. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-22s %d%n", "sentences", sentences));
        sb.append(String.format("%-22s %d%n", "tokens (incl. </s>)", tokens));
        sb.append(String.format("%-22s %.3f%n", "IW-NLL (K=" + iwSamples + ")", iwNll));
        sb.append(String.format("%-22s %.3f%n", "PPL", perplexity));
        sb.append(String.format("%-22s %.3f%n", "ELBO", elbo));
        sb.append(String.format("%-22s %.3f%n", "reconstruction", reconstruction));
        sb.append(String.format("%-22s %.3f%n", "KL", kl));
        sb.append(String.format("%-22s %.3f%n", "MI", mutualInformation));
        sb.append(String.format("%-22s %d/%d%n", "active units (" + activeDelta + ")", activeUnits, latentDim));
        if (collapsed()) {
            sb.append("POSTERIOR COLLAPSE: KL or active units are about zero; the decoder ignores z\n");
        }
        return sb.toString();
    }
}
