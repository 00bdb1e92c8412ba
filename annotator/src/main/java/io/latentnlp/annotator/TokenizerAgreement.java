package io.latentnlp.annotator;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import io.latentnlp.annotator.opennlp.RawTextVae;
import io.latentnlp.annotator.opennlp.SentenceVaeME;
import io.latentnlp.annotator.opennlp.SentenceVaeModel;
import io.latentnlp.models.latent.GaussianPosterior;
import io.latentnlp.models.text.TokenNormalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Do CoreNLP and OpenNLP hand the model the same sentence? Each sentence is tokenized by CoreNLP
 * ({@code tokenize} with {@code ssplit.isOneSentence}) and by OpenNLP's English {@code
 * TokenizerME}; both token lists go through the bundle's normalizer and the model. Counts: equal
 * normalized tokens, equal hashes, latent cosine &gt;= 0.99, and each tokenizer's unknown-token
 * rate against the model's vocabulary.
 */
public final class TokenizerAgreement {

    /**
     * @param sentences sentences compared
     * @param sameTokens sentences whose normalized token lists are equal
     * @param sameHash sentences whose hashes are equal
     * @param closeLatent sentences whose latent codes (mean or probabilities) have cosine >= 0.99
     * @param coreNlpTokens tokens CoreNLP produced
     * @param coreNlpUnknown of those, outside the vocabulary
     * @param openNlpTokens tokens OpenNLP produced
     * @param openNlpUnknown of those, outside the vocabulary
     * @param examples up to 10 sentences whose tokens differ, as "corenlp | opennlp"
     */
    public record Report(int sentences, int sameTokens, int sameHash, int closeLatent, long coreNlpTokens, long coreNlpUnknown, long openNlpTokens,
            long openNlpUnknown, List<String> examples) {

        public String toTable() {
            return String.format(java.util.Locale.ROOT, "sentences                 %d%nsame normalized tokens    %d (%.1f%%)%nsame hash                 %d (%.1f%%)%n"
                    + "latent cosine >= 0.99     %d (%.1f%%)%nCoreNLP unknown tokens    %d of %d (%.2f%%)%nOpenNLP unknown tokens    %d of %d (%.2f%%)%n",
                    sentences, sameTokens, 100.0 * sameTokens / sentences, sameHash, 100.0 * sameHash / sentences, closeLatent, 100.0 * closeLatent / sentences,
                    coreNlpUnknown, coreNlpTokens, 100.0 * coreNlpUnknown / coreNlpTokens, openNlpUnknown, openNlpTokens, 100.0 * openNlpUnknown / openNlpTokens);
        }
    }

    private TokenizerAgreement() {}

    public static Report measure(SentenceVaeModel model, List<String> sentences) {
        return measure(model, sentences, TokenNormalizer.fromSpec(model.bundle().manifest().normalizer()));
    }

    /**
     * As {@link #measure(SentenceVaeModel, List)}, comparing tokens under {@code normalizer}
     * instead of the bundle's (hashes and latents still come from the bundle's own normalizer).
     */
    public static Report measure(SentenceVaeModel model, List<String> sentences, TokenNormalizer normalizer) {
        Properties p = new Properties();
        p.setProperty("annotators", "tokenize,ssplit");
        p.setProperty("ssplit.isOneSentence", "true");
        StanfordCoreNLP corenlp = new StanfordCoreNLP(p);
        SentenceVaeME vae = new SentenceVaeME(model);
        RawTextVae opennlp = new RawTextVae(vae, RawTextVae.Tokenization.MAXENT);
        String[][] a = new String[sentences.size()][];
        String[][] b = new String[sentences.size()][];
        for (int i = 0; i < sentences.size(); i++) {
            Annotation doc = new Annotation(sentences.get(i));
            corenlp.annotate(doc);
            a[i] = doc.get(CoreAnnotations.TokensAnnotation.class).stream().map(CoreLabel::word).toArray(String[]::new);
            b[i] = opennlp.tokenize(sentences.get(i));
        }
        SentenceVaeME.Result[] ra = vae.encode(a);
        SentenceVaeME.Result[] rb = vae.encode(b);
        int sameTokens = 0;
        int sameHash = 0;
        int close = 0;
        long ta = 0;
        long ua = 0;
        long tb = 0;
        long ub = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            List<String> na = normalizer.normalize(Arrays.asList(a[i]));
            List<String> nb = normalizer.normalize(Arrays.asList(b[i]));
            if (na.equals(nb)) {
                sameTokens++;
            } else if (examples.size() < 10) {
                examples.add(String.join(" ", na) + "  |  " + String.join(" ", nb));
            }
            if (ra[i].hash() != null && ra[i].hash().equals(rb[i].hash())) {
                sameHash++;
            }
            if (io.latentnlp.models.latent.LatentSpace.cosine(code(ra[i]), code(rb[i])) >= 0.99) {
                close++;
            }
            ta += a[i].length;
            tb += b[i].length;
            ua += ra[i].unknownTokens();
            ub += rb[i].unknownTokens();
        }
        return new Report(a.length, sameTokens, sameHash, close, ta, ua, tb, ub, examples);
    }

    private static float[] code(SentenceVaeME.Result r) {
        return r.posterior() instanceof io.latentnlp.models.latent.GaussianPosterior g ? g.mean() : r.posterior().expectation();
    }

}
