package io.latentnlp.annotator.corenlp;

import edu.stanford.nlp.ling.CoreAnnotation;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.Annotator;
import edu.stanford.nlp.util.CoreMap;
import io.latentnlp.models.EncodedSentence;
import io.latentnlp.models.LikelihoodEstimator;
import io.latentnlp.models.ModelBundle;
import io.latentnlp.models.Posterior;
import io.latentnlp.models.SemanticHash;
import io.latentnlp.models.SentenceEncoder;
import io.latentnlp.models.SentenceVae;
import io.latentnlp.models.TokenNormalizer;
import io.latentnlp.models.hash.DocumentCodes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * A Stanford CoreNLP annotator that attaches a sentence VAE's latent code, semantic hash and
 * likelihoods to every sentence ({@link VaeAnnotations}).
 *
 * <pre>
 * customAnnotatorClass.vae = io.latentnlp.annotator.corenlp.VaeAnnotator
 * annotators = tokenize,ssplit,vae
 * vae.model = brown-bernoulli64 # a shipped model (the default when unset) or a .vae path
 * vae.iwae.samples = 0        # K of the IWAE log p(x); 0 = off
 * vae.batchSize = 64          # sentences per ONNX Runtime call
 * vae.nthreads = 1            # ONNX Runtime threads
 * vae.maxLength = 0           # tokens read per sentence; 0 = the model's training maximum
 * </pre>
 *
 * Each sentence's tokens ({@code CoreLabel.word()}) go through the bundle's normalizer and
 * vocabulary, as in training. All sentences of a document (and of all documents given to {@link
 * #annotate(Iterable)}) are encoded and scored in length-sorted batches. A document gets the
 * majority vote of its sentences' hash bits and the mean of their latent expectations. Thread-safe:
 * the model is shared by every annotator naming the same bundle (see {@link #unmount()}).
 */
public class VaeAnnotator implements Annotator {

    private final String name;
    private final VaeAnnotatorConfig config;
    private final SentenceVae model;
    private final SentenceEncoder encoder;
    private volatile boolean unmounted;

    /** The CoreNLP custom-annotator constructor: properties under {@code name + "."}. */
    public VaeAnnotator(String name, Properties props) {
        this.name = name;
        this.config = VaeAnnotatorConfig.parse(name, props);
        this.model = SharedModels.acquire(config.model(), config.threads(), config.batchSize(), name + ".model");
        ModelBundle bundle = model.bundle();
        int maxLength = config.maxLength() > 0 ? config.maxLength() : bundle.manifest().vocab().maxLength();
        this.encoder = new SentenceEncoder(TokenNormalizer.fromSpec(bundle.manifest().normalizer()), bundle.vocabulary(), maxLength);
    }

    /** The parsed configuration. */
    public VaeAnnotatorConfig config() {
        return config;
    }

    /** The shared model. */
    public SentenceVae model() {
        return model;
    }

    @Override
    public void annotate(Annotation annotation) {
        annotate(List.of(annotation));
    }

    /** Annotates several documents, batching all their sentences together. */
    public void annotate(Iterable<Annotation> annotations) {
        if (unmounted) {
            throw new IllegalStateException(name + ": this annotator was unmounted");
        }
        List<CoreMap> sentences = new ArrayList<>();
        List<EncodedSentence> encoded = new ArrayList<>();
        for (Annotation doc : annotations) {
            List<CoreMap> ss = doc.get(CoreAnnotations.SentencesAnnotation.class);
            if (ss == null) {
                throw new IllegalStateException(name + " needs sentences: put tokenize,ssplit before it in annotators");
            }
            for (CoreMap s : ss) {
                List<CoreLabel> tokens = s.get(CoreAnnotations.TokensAnnotation.class);
                sentences.add(s);
                encoded.add(encoder.encode(tokens == null ? List.of() : tokens.stream().map(CoreLabel::word).toList()));
            }
        }
        if (!sentences.isEmpty()) {
            score(sentences, encoded);
        }
        for (Annotation doc : annotations) {
            documentLevel(doc);
        }
    }

    private void score(List<CoreMap> sentences, List<EncodedSentence> encoded) {
        List<int[]> ids = encoded.stream().map(EncodedSentence::ids).toList();
        Posterior[] q = model.encodeSentences(encoded);
        float[][] codes = Arrays.stream(q).map(Posterior::code).toArray(float[][]::new);
        float[][] lp = model.tokenLogProbs(ids, codes);
        double[] iwae = config.iwaeSamples() > 0 ? LikelihoodEstimator.logMarginal(model, ids, q, config.iwaeSamples(), config.seed()) : null;
        boolean hashes = model.bundle().manifest().hash() != null;
        for (int i = 0; i < sentences.size(); i++) {
            CoreMap s = sentences.get(i);
            EncodedSentence e = encoded.get(i);
            s.set(VaeAnnotations.PosteriorAnnotation.class, q[i]);
            if (hashes) {
                s.set(VaeAnnotations.HashAnnotation.class, model.hash(q[i]));
            }
            s.set(VaeAnnotations.LogLikelihoodAnnotation.class, LikelihoodEstimator.rowSums(new float[][] {lp[i]})[0]);
            if (iwae != null) {
                s.set(VaeAnnotations.IwaeLogLikelihoodAnnotation.class, iwae[i]);
            }
            s.set(VaeAnnotations.ModelTokenCountAnnotation.class, e.ids().length);
            s.set(VaeAnnotations.UnknownTokenCountAnnotation.class, e.unknownCount());
            s.set(VaeAnnotations.TruncatedAnnotation.class, e.truncated());
            List<CoreLabel> tokens = s.get(CoreAnnotations.TokensAnnotation.class);
            if (tokens != null) {
                // lp[i] has one entry per token read plus </s>; tokens past truncation get none
                for (int t = 0; t < tokens.size() && t < e.ids().length - 1; t++) {
                    tokens.get(t).set(VaeAnnotations.TokenLogProbAnnotation.class, (double) lp[i][t]);
                }
            }
        }
    }

    private static void documentLevel(Annotation doc) {
        List<CoreMap> ss = doc.get(CoreAnnotations.SentencesAnnotation.class);
        if (ss.isEmpty()) {
            return;
        }
        doc.set(VaeAnnotations.DocumentLatentAnnotation.class,
                DocumentCodes.meanLatent(ss.stream().map(s -> s.get(VaeAnnotations.PosteriorAnnotation.class).expectation()).toList()));
        List<SemanticHash> hashes = ss.stream().map(s -> s.get(VaeAnnotations.HashAnnotation.class)).filter(h -> h != null).toList();
        if (!hashes.isEmpty()) {
            doc.set(VaeAnnotations.DocumentHashAnnotation.class, DocumentCodes.majority(hashes));
        }
    }

    @Override
    public Set<Class<? extends CoreAnnotation>> requires() {
        return Set.of(CoreAnnotations.TextAnnotation.class, CoreAnnotations.TokensAnnotation.class, CoreAnnotations.SentencesAnnotation.class);
    }

    @Override
    public Set<Class<? extends CoreAnnotation>> requirementsSatisfied() {
        return Set.of(VaeAnnotations.PosteriorAnnotation.class, VaeAnnotations.HashAnnotation.class, VaeAnnotations.LogLikelihoodAnnotation.class,
                VaeAnnotations.IwaeLogLikelihoodAnnotation.class, VaeAnnotations.ModelTokenCountAnnotation.class,
                VaeAnnotations.UnknownTokenCountAnnotation.class, VaeAnnotations.TruncatedAnnotation.class, VaeAnnotations.TokenLogProbAnnotation.class,
                VaeAnnotations.DocumentHashAnnotation.class, VaeAnnotations.DocumentLatentAnnotation.class);
    }

    /** Gives the shared model back (CoreNLP calls this when it drops the annotator); idempotent. */
    @Override
    public synchronized void unmount() {
        if (!unmounted) {
            unmounted = true;
            SharedModels.release(model);
        }
    }
}
