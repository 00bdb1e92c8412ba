package io.latentnlp.annotator.corenlp;

import edu.stanford.nlp.ling.CoreAnnotation;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.Annotator;
import edu.stanford.nlp.util.CoreMap;
import io.latentnlp.models.analysis.DocumentResult;
import io.latentnlp.models.analysis.SentenceAnalyzer;
import io.latentnlp.models.analysis.SentenceResult;
import io.latentnlp.models.runtime.CloseGuard;
import io.latentnlp.models.runtime.SentenceVae;
import java.util.ArrayList;
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
 * vae.model = minilm-gaussian64 # a shipped model (the default when unset) or a .vae path
 * vae.iwae.samples = 0        # K of the IWAE log p(x); 0 = off
 * vae.batchSize = 64          # sentences per ONNX Runtime call
 * vae.nthreads = 1            # ONNX Runtime threads, fixed when the bundle is first loaded
 * vae.maxLength = 0           # tokens read per sentence; 0 = the model's training maximum
 * </pre>
 *
 * Each sentence's tokens ({@code CoreLabel.word()}) go through the bundle's normalizer and
 * vocabulary, as in training. All sentences of a document (and of all documents given to {@link
 * #annotate(Iterable)}) are encoded and scored in length-sorted batches. A document gets the
 * majority vote of its sentences' hash bits and the mean of their latent expectations. Thread-safe:
 * the model is shared by every annotator naming the same bundle, whatever their other options
 * (see {@link #unmount()}).
 *
 * <p>An unknown {@code vae.*} key, a bad value, or a missing or corrupt model does not fail the
 * constructor: CoreNLP creates custom annotators by reflection and replaces the reason with its
 * own message ("MetaClass couldn't create ..."), which is all the CoreNLP server would send back.
 * The error (an {@link IllegalArgumentException} naming the property, value or path) is thrown
 * instead by {@link #requires()}, which CoreNLP calls while it builds the pipeline, so {@code new
 * StanfordCoreNLP(props)} still fails at construction and the server answers with the reason;
 * and by {@link #annotate}, for pipelines that skip the requirement check.
 *
 * <p>What a CoreNLP server client gets for bad {@code vae.*} request properties: HTTP 500 with
 * the text/plain body {@code java.lang.IllegalArgumentException: <message>}. Not 400, because
 * CoreNLP 4.5.10's {@code StanfordCoreNLPServer.CoreNLPHandler} answers every exception from
 * building or running a request's pipeline with 500; its 400 is private to the server (texts
 * over {@code -maxCharLength}) and no exception type an annotator throws maps to it. The server
 * keeps no failed pipeline, so a corrected request succeeds.
 */
public class VaeAnnotator implements Annotator {

    /** What a working annotator holds. */
    private record Mounted(VaeAnnotatorConfig config, SentenceVae model, SentenceAnalyzer analyzer) {}

    private final String name;
    private final Mounted mounted;
    private final IllegalArgumentException failure;
    private final CloseGuard guard;

    /**
     * The CoreNLP custom-annotator constructor: properties under {@code name + "."}. Bad
     * properties fail {@link #requires()} and {@link #annotate}, not this (see the class comment).
     */
    public VaeAnnotator(String name, Properties props) {
        this.name = name;
        Mounted m = null;
        IllegalArgumentException f = null;
        try {
            m = mount(name, props);
        } catch (IllegalArgumentException e) {
            f = e;
        }
        this.mounted = m;
        this.failure = f;
        this.guard = new CloseGuard(name + ": this annotator was unmounted" + (m == null ? "" : " (model " + m.model().bundle().source() + ")"));
    }

    private static Mounted mount(String name, Properties props) {
        VaeAnnotatorConfig config = VaeAnnotatorConfig.parse(name, props);
        SentenceVae model = SharedModels.acquire(name, config.model(), config.threads());
        try {
            SentenceAnalyzer analyzer = SentenceAnalyzer.builder(model).optMaxLength(config.maxLength()).optBatchSize(config.batchSize())
                    .optIwae(config.iwaeSamples(), config.seed()).build();
            return new Mounted(config, model, analyzer);
        } catch (RuntimeException e) {
            SharedModels.release(model);
            throw e;
        }
    }

    /**
     * What this annotator runs with.
     *
     * @throws IllegalArgumentException naming the bad property or model, when the properties were bad
     */
    private Mounted mounted() {
        if (failure != null) {
            throw new IllegalArgumentException(failure.getMessage(), failure);
        }
        return mounted;
    }

    /**
     * The parsed configuration.
     *
     * @throws IllegalArgumentException when the properties or the model were bad
     */
    public VaeAnnotatorConfig config() {
        return mounted().config();
    }

    /**
     * The shared model.
     *
     * @throws IllegalArgumentException when the properties or the model were bad
     */
    public SentenceVae model() {
        return mounted().model();
    }

    @Override
    public void annotate(Annotation annotation) {
        annotate(List.of(annotation));
    }

    /**
     * Annotates several documents, batching all their sentences together.
     *
     * @throws IllegalStateException after {@link #unmount()}
     * @throws IllegalArgumentException when the properties or the model were bad
     */
    public void annotate(Iterable<Annotation> annotations) {
        Mounted m = mounted();
        guard.run(() -> annotate(m, annotations));
    }

    private void annotate(Mounted m, Iterable<Annotation> annotations) {
        List<CoreMap> sentences = new ArrayList<>();
        List<List<String>> tokens = new ArrayList<>();
        for (Annotation doc : annotations) {
            List<CoreMap> ss = doc.get(CoreAnnotations.SentencesAnnotation.class);
            if (ss == null) {
                throw new IllegalStateException(name + " needs sentences: put tokenize,ssplit before it in annotators");
            }
            for (CoreMap s : ss) {
                List<CoreLabel> t = s.get(CoreAnnotations.TokensAnnotation.class);
                sentences.add(s);
                tokens.add(t == null ? List.of() : t.stream().map(CoreLabel::word).toList());
            }
        }
        List<SentenceResult> results = m.analyzer().analyzeTokens(tokens);
        String units = m.analyzer().units();
        for (int i = 0; i < sentences.size(); i++) {
            set(sentences.get(i), results.get(i), units);
        }
        int next = 0;
        for (Annotation doc : annotations) {
            int n = doc.get(CoreAnnotations.SentencesAnnotation.class).size();
            if (n > 0) {
                set(doc, DocumentResult.of(results.subList(next, next + n)));
            }
            next += n;
        }
    }

    /** One sentence's results as annotations: the sentence's keys and, per pipeline token, its log-probability. */
    private static void set(CoreMap s, SentenceResult r, String units) {
        s.set(VaeAnnotations.PosteriorAnnotation.class, r.posterior());
        if (r.hash() != null) {
            s.set(VaeAnnotations.HashAnnotation.class, r.hash());
        }
        s.set(VaeAnnotations.LogLikelihoodAnnotation.class, r.logLikelihood());
        r.iwaeLogLikelihood().ifPresent(v -> s.set(VaeAnnotations.IwaeLogLikelihoodAnnotation.class, v));
        s.set(VaeAnnotations.ModelTokenCountAnnotation.class, r.modelTokens());
        s.set(VaeAnnotations.ModelUnitsAnnotation.class, units);
        s.set(VaeAnnotations.UnknownTokenCountAnnotation.class, r.unknownTokens());
        s.set(VaeAnnotations.TruncatedAnnotation.class, r.truncated());
        List<CoreLabel> tokens = s.get(CoreAnnotations.TokensAnnotation.class);
        if (tokens != null) {
            // a token with no unit of its own (joined to the one before it, or past truncation) gets none
            double[] perToken = r.tokenLogProbs();
            for (int t = 0; t < tokens.size(); t++) {
                if (!Double.isNaN(perToken[t])) {
                    tokens.get(t).set(VaeAnnotations.TokenLogProbAnnotation.class, perToken[t]);
                }
            }
        }
    }

    private static void set(Annotation doc, DocumentResult d) {
        doc.set(VaeAnnotations.DocumentLatentAnnotation.class, d.latent());
        if (d.hash() != null) {
            doc.set(VaeAnnotations.DocumentHashAnnotation.class, d.hash());
        }
    }

    /**
     * @throws IllegalArgumentException naming the bad property or model, when the properties or the
     *     model were bad (CoreNLP calls this while building the pipeline)
     */
    @Override
    public Set<Class<? extends CoreAnnotation>> requires() {
        mounted();
        return Set.of(CoreAnnotations.TextAnnotation.class, CoreAnnotations.TokensAnnotation.class, CoreAnnotations.SentencesAnnotation.class);
    }

    @Override
    public Set<Class<? extends CoreAnnotation>> requirementsSatisfied() {
        return Set.of(VaeAnnotations.PosteriorAnnotation.class, VaeAnnotations.HashAnnotation.class, VaeAnnotations.LogLikelihoodAnnotation.class,
                VaeAnnotations.IwaeLogLikelihoodAnnotation.class, VaeAnnotations.ModelTokenCountAnnotation.class,
                VaeAnnotations.ModelUnitsAnnotation.class, VaeAnnotations.UnknownTokenCountAnnotation.class, VaeAnnotations.TruncatedAnnotation.class, VaeAnnotations.TokenLogProbAnnotation.class,
                VaeAnnotations.DocumentHashAnnotation.class, VaeAnnotations.DocumentLatentAnnotation.class);
    }

    /**
     * Gives the shared model back (CoreNLP calls this when it drops the annotator) after the
     * annotations in flight finish; later ones throw {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void unmount() {
        guard.close(() -> {
            if (mounted != null) {
                SharedModels.release(mounted.model());
            }
        });
    }
}
