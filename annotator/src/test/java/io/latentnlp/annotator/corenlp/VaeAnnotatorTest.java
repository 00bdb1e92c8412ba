package io.latentnlp.annotator.corenlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import edu.stanford.nlp.util.CoreMap;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.latent.BernoulliPosterior;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.runtime.CloseWhileInUse;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The annotator in real CoreNLP pipelines built from properties. */
class VaeAnnotatorTest {

    static Properties props(Path model, String... extra) {
        Properties p = new Properties();
        p.setProperty("annotators", "tokenize,ssplit,vae");
        p.setProperty("customAnnotatorClass.vae", VaeAnnotator.class.getName());
        p.setProperty("vae.model", model.toString());
        for (int i = 0; i < extra.length; i += 2) {
            p.setProperty(extra[i], extra[i + 1]);
        }
        return p;
    }

    private static Annotation annotate(StanfordCoreNLP pipeline, String text) {
        Annotation doc = new Annotation(text);
        pipeline.annotate(doc);
        return doc;
    }

    @Test
    void perTokenLogProbsFollowThePipelineTokensWhenTheNormalizerJoinsThem() throws Exception {
        // CoreNLP splits "don't" into do + n't; the normalizer joins them into one model unit
        StanfordCoreNLP pipeline = new StanfordCoreNLP(props(TinyModels.bernoulli()));
        CoreMap s = annotate(pipeline, "The cats don't purr.").get(CoreAnnotations.SentencesAnnotation.class).get(0);
        List<CoreLabel> tokens = s.get(CoreAnnotations.TokensAnnotation.class);
        assertEquals(List.of("The", "cats", "do", "n't", "purr", "."), tokens.stream().map(CoreLabel::word).toList());
        assertEquals(tokens.size(), s.get(VaeAnnotations.ModelTokenCountAnnotation.class), "five units and </s> for six pipeline tokens");
        assertNull(tokens.get(3).get(VaeAnnotations.TokenLogProbAnnotation.class), "n't counts for do and has no value of its own");
        double sum = 0;
        for (int t : new int[] {0, 1, 2, 4, 5}) {
            Double lp = tokens.get(t).get(VaeAnnotations.TokenLogProbAnnotation.class);
            assertNotNull(lp, "token " + t);
            sum += lp;
        }
        assertTrue(s.get(VaeAnnotations.LogLikelihoodAnnotation.class) < sum);
    }

    @Test
    void everySentenceGetsItsCodeHashAndLikelihoods() throws Exception {
        StanfordCoreNLP pipeline = new StanfordCoreNLP(props(TinyModels.bernoulli(), "vae.iwae.samples", "4"));
        Annotation doc = annotate(pipeline, "The cat sat on the mat. Ships sail the wide sea today.");
        List<CoreMap> sentences = doc.get(CoreAnnotations.SentencesAnnotation.class);
        assertEquals(2, sentences.size());
        for (CoreMap s : sentences) {
            Posterior q = s.get(VaeAnnotations.PosteriorAnnotation.class);
            assertTrue(q instanceof BernoulliPosterior, "a Bernoulli model gives bit posteriors");
            SemanticHash h = s.get(VaeAnnotations.HashAnnotation.class);
            assertEquals(16, h.bits());
            double logLik = s.get(VaeAnnotations.LogLikelihoodAnnotation.class);
            double tokenSum = 0;
            for (CoreLabel t : s.get(CoreAnnotations.TokensAnnotation.class)) {
                double lp = t.get(VaeAnnotations.TokenLogProbAnnotation.class);
                assertTrue(lp < 0, "a token's log-probability is negative");
                tokenSum += lp;
            }
            // the sentence log-likelihood adds log p(</s> | ...) to the tokens'
            assertTrue(logLik < tokenSum, logLik + " vs " + tokenSum);
            assertEquals(s.get(CoreAnnotations.TokensAnnotation.class).size() + 1, s.get(VaeAnnotations.ModelTokenCountAnnotation.class));
            assertNotNull(s.get(VaeAnnotations.IwaeLogLikelihoodAnnotation.class));
            assertFalse(s.get(VaeAnnotations.TruncatedAnnotation.class));
        }
        SemanticHash a = sentences.get(0).get(VaeAnnotations.HashAnnotation.class);
        assertEquals(16, doc.get(VaeAnnotations.DocumentHashAnnotation.class).bits());
        assertEquals(16, doc.get(VaeAnnotations.DocumentLatentAnnotation.class).length);
        // the same sentence alone gets the same hash (batch-independent)
        Annotation alone = annotate(pipeline, "The cat sat on the mat.");
        assertEquals(a, alone.get(CoreAnnotations.SentencesAnnotation.class).get(0).get(VaeAnnotations.HashAnnotation.class));
    }

    @Test
    void awkwardInputNeverFailsTheRestOfTheDocument() throws Exception {
        StanfordCoreNLP pipeline = new StanfordCoreNLP(props(TinyModels.bernoulli(), "vae.maxLength", "10"));
        Annotation empty = annotate(pipeline, "");
        assertEquals(0, empty.get(CoreAnnotations.SentencesAnnotation.class).size());
        assertNull(empty.get(VaeAnnotations.DocumentHashAnnotation.class));

        String longSentence = "the cat sat on the mat and the cat sat on the mat and purred at dawn .";
        Annotation doc = annotate(pipeline, "!!! ... ?! " + longSentence + " Zzyzx qwvrk blorft. 😀 你好 世界 ！ The sea.");
        List<CoreMap> s = doc.get(CoreAnnotations.SentencesAnnotation.class);
        assertTrue(s.size() >= 4, "sentences: " + s.size());
        for (CoreMap sentence : s) {
            assertNotNull(sentence.get(VaeAnnotations.HashAnnotation.class), "every sentence is annotated: " + sentence);
            assertTrue(Double.isFinite(sentence.get(VaeAnnotations.LogLikelihoodAnnotation.class)));
        }
        CoreMap longOne = s.stream().filter(x -> x.get(CoreAnnotations.TokensAnnotation.class).size() > 10).findFirst().orElseThrow();
        assertTrue(longOne.get(VaeAnnotations.TruncatedAnnotation.class), "flagged as truncated");
        assertEquals(11, longOne.get(VaeAnnotations.ModelTokenCountAnnotation.class), "10 tokens read plus </s>");
        List<CoreLabel> tokens = longOne.get(CoreAnnotations.TokensAnnotation.class);
        assertNotNull(tokens.get(9).get(VaeAnnotations.TokenLogProbAnnotation.class));
        assertNull(tokens.get(10).get(VaeAnnotations.TokenLogProbAnnotation.class), "tokens past maxLength have no log-probability");
        CoreMap unknown = s.stream().filter(x -> x.get(CoreAnnotations.TokensAnnotation.class).get(0).word().equals("Zzyzx")).findFirst().orElseThrow();
        assertEquals(3, unknown.get(VaeAnnotations.UnknownTokenCountAnnotation.class), "three words outside the vocabulary");
        assertNotNull(doc.get(VaeAnnotations.DocumentHashAnnotation.class));
    }

    @Test
    void badPropertiesAndModelsAreNamedAtConstruction(@TempDir Path dir) throws Exception {
        Path model = TinyModels.bernoulli();
        Exception e = assertThrows(RuntimeException.class, () -> new StanfordCoreNLP(props(model, "vae.modle", "x")));
        assertTrue(message(e).contains("unknown property vae.modle"), message(e));
        e = assertThrows(RuntimeException.class, () -> new StanfordCoreNLP(props(model, "vae.batchSize", "0")));
        assertTrue(message(e).contains("illegal value '0' for vae.batchSize: must be at least 1"), message(e));
        e = assertThrows(RuntimeException.class, () -> new StanfordCoreNLP(props(model, "vae.iwae.samples", "many")));
        assertTrue(message(e).contains("illegal value 'many' for vae.iwae.samples: not an integer"), message(e));
        e = assertThrows(RuntimeException.class, () -> new StanfordCoreNLP(props(dir.resolve("absent.vae"))));
        assertTrue(message(e).contains("vae.model = " + dir.resolve("absent.vae") + ": model not found"), message(e));
        Path corrupt = dir.resolve("corrupt.vae");
        Files.write(corrupt, new byte[] {1, 2, 3});
        e = assertThrows(RuntimeException.class, () -> new StanfordCoreNLP(props(corrupt)));
        assertTrue(message(e).contains("vae.model = " + corrupt + ":"), message(e));
        // The reason is the exception itself, not a cause under CoreNLP's reflection wrapper
        // (the CoreNLP server sends only the outermost message to the client).
        e = assertThrows(IllegalArgumentException.class, () -> new StanfordCoreNLP(props(model, "vae.nthreads", "0")));
        assertEquals("illegal value '0' for vae.nthreads: must be at least 1", e.getMessage());
        VaeAnnotator direct = new VaeAnnotator("vae", props(model, "vae.modle", "x"));
        assertThrows(IllegalArgumentException.class, direct::requires);
        e = assertThrows(IllegalArgumentException.class, () -> direct.annotate(new Annotation("")));
        assertTrue(e.getMessage().startsWith("unknown property vae.modle"), e.getMessage());
        direct.unmount();
    }

    /** Without vae.model the shipped default annotates; vae.model may name the other shipped bundle. */
    @Test
    void theShippedModelsAreTheDefaultAndCanBeNamed() throws Exception {
        String text = "The jury said it did not find any evidence. Mr. Smith went to Washington.";
        for (String name : new String[] {null, ShippedModels.GAUSSIAN_32}) {
            Properties p = props(Path.of("unused"));
            p.remove("vae.model");
            if (name != null) {
                p.setProperty("vae.model", name);
            }
            int bits = name == null ? 64 : 32;
            Annotation doc = annotate(new StanfordCoreNLP(p), text);
            List<CoreMap> sentences = doc.get(CoreAnnotations.SentencesAnnotation.class);
            assertEquals(2, sentences.size());
            for (CoreMap sentence : sentences) {
                assertEquals(bits, sentence.get(VaeAnnotations.HashAnnotation.class).bits());
                double logp = sentence.get(VaeAnnotations.LogLikelihoodAnnotation.class);
                assertTrue(logp < 0 && Double.isFinite(logp), "log p(x|z) " + logp);
                // A Brown-trained model knows these words: at most one unknown per sentence.
                assertTrue(sentence.get(VaeAnnotations.UnknownTokenCountAnnotation.class) <= 1, sentence.toString());
            }
            assertEquals(bits, doc.get(VaeAnnotations.DocumentHashAnnotation.class).bits());
        }
    }

    @Test
    void pipelinesNamingTheSameBundleShareOneModel() throws Exception {
        Path model = TinyModels.bernoulli();
        VaeAnnotator a = new VaeAnnotator("vae", props(model));
        VaeAnnotator b = new VaeAnnotator("vae", props(model));
        assertTrue(a.model() == b.model(), "one loaded model");
        int users = SharedModels.users(model.toString());
        assertTrue(users >= 2, "users " + users);
        b.unmount();
        b.unmount();
        assertEquals(users - 1, SharedModels.users(model.toString()), "unmount is counted once");
        Properties split = new Properties();
        split.setProperty("annotators", "tokenize,ssplit");
        Annotation doc = annotate(new StanfordCoreNLP(split), "Still works. Twice over.");
        a.annotate(List.of(doc));
        assertEquals(2, doc.get(CoreAnnotations.SentencesAnnotation.class).stream().filter(x -> x.get(VaeAnnotations.HashAnnotation.class) != null).count());
        a.unmount();
        assertThrows(IllegalStateException.class, () -> a.annotate(doc), "an unmounted annotator refuses work");
    }

    /** A copy of the tiny bundle at a new path: a bundle no other test's annotator holds. */
    private static Path privateCopy(Path dir) throws Exception {
        return Files.copy(TinyModels.bernoulli(), dir.resolve("private.vae"));
    }

    /** The server builds an annotator per distinct request properties; they must not load models. */
    @Test
    void annotatorsWithOtherBatchSizesAndThreadsShareOneLoadedModel(@TempDir Path dir) throws Exception {
        Path model = privateCopy(dir);
        int loads = SharedModels.loads();
        VaeAnnotator first = new VaeAnnotator("vae", props(model, "vae.batchSize", "1"));
        assertEquals(loads + 1, SharedModels.loads(), "the first annotator loads the bundle");
        List<VaeAnnotator> others = List.of(new VaeAnnotator("vae", props(model, "vae.batchSize", "3")),
                new VaeAnnotator("vae", props(model, "vae.batchSize", "500", "vae.nthreads", "2")), new VaeAnnotator("vae", props(model, "vae.nthreads", "64")));
        assertEquals(loads + 1, SharedModels.loads(), "no other annotator loads a model");
        for (VaeAnnotator a : others) {
            assertTrue(a.model() == first.model(), "one model instance");
        }
        assertEquals(4, SharedModels.users(model.toString()));
        Properties split = new Properties();
        split.setProperty("annotators", "tokenize,ssplit");
        StanfordCoreNLP tokenizer = new StanfordCoreNLP(split);
        String text = "The cat sat on the mat. Ships sail the wide sea at dawn today. The sea. Purred.";
        Annotation expected = annotate(tokenizer, text);
        first.annotate(expected);
        for (VaeAnnotator a : others) {
            Annotation doc = annotate(tokenizer, text);
            a.annotate(doc);
            List<CoreMap> got = doc.get(CoreAnnotations.SentencesAnnotation.class);
            List<CoreMap> want = expected.get(CoreAnnotations.SentencesAnnotation.class);
            for (int i = 0; i < want.size(); i++) {
                assertEquals(want.get(i).get(VaeAnnotations.HashAnnotation.class), got.get(i).get(VaeAnnotations.HashAnnotation.class));
                assertEquals(want.get(i).get(VaeAnnotations.LogLikelihoodAnnotation.class), got.get(i).get(VaeAnnotations.LogLikelihoodAnnotation.class), 1e-4,
                        "batch size " + a.config().batchSize());
            }
        }
        others.forEach(VaeAnnotator::unmount);
        first.unmount();
        assertEquals(0, SharedModels.users(model.toString()), "the last unmount closes the model");
    }

    /** CoreNLP drops annotators while other threads may still annotate with them. */
    @Test
    void unmountWaitsForAnnotationsInFlightAndLaterOnesFail(@TempDir Path dir) throws Exception {
        Path model = privateCopy(dir);
        VaeAnnotator annotator = new VaeAnnotator("vae", props(model, "vae.iwae.samples", "2"));
        io.latentnlp.models.runtime.SentenceVae vae = annotator.model();
        Properties split = new Properties();
        split.setProperty("annotators", "tokenize,ssplit");
        StanfordCoreNLP tokenizer = new StanfordCoreNLP(split);
        String text = "The cat sat on the mat and purred. Ships sail the wide sea at dawn today. The sea.";
        CloseWhileInUse.check(() -> {
            Annotation doc = annotate(tokenizer, text);
            return () -> {
                annotator.annotate(doc);
                for (CoreMap s : doc.get(CoreAnnotations.SentencesAnnotation.class)) {
                    assertTrue(Double.isFinite(s.get(VaeAnnotations.IwaeLogLikelihoodAnnotation.class)), "annotated");
                }
                return null;
            };
        }, annotator::unmount, "vae: this annotator was unmounted (model " + model + ")");
        // its only user gone, the shared model was closed too
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> vae.encode(List.of(new int[] {io.latentnlp.models.text.Vocabulary.EOS_ID})));
        assertEquals(model + ": this SentenceVae is closed", closed.getMessage());
    }

    @Test
    void theCustomOutputterWritesCoreNlpJsonWithTheVaeFields() throws Exception {
        Properties p = props(TinyModels.bernoulli());
        StanfordCoreNLP pipeline = new StanfordCoreNLP(p);
        Annotation doc = annotate(pipeline, "The cat sat on the mat. Ships sail.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new VaeJsonOutputter().print(doc, out, edu.stanford.nlp.pipeline.AnnotationOutputter.getOptions(p));
        JsonNode json = new ObjectMapper().readTree(out.toByteArray());
        JsonNode s0 = json.get("sentences").get(0);
        assertEquals("The", s0.get("tokens").get(0).get("word").asText(), "CoreNLP's own fields are kept");
        assertEquals(0, s0.get("tokens").get(0).get("characterOffsetBegin").asInt());
        assertEquals(4, s0.get("vae").get("hash").asText().length());
        assertEquals("bernoulli", s0.get("vae").get("type").asText());
        assertEquals(16, s0.get("vae").get("probabilities").size());
        assertEquals(s0.get("vae").get("logLikelihood").asDouble() / s0.get("vae").get("modelTokens").asInt(),
                s0.get("vae").get("logLikelihoodPerToken").asDouble(), 1e-9, "per-token log-likelihood, as the model card asks to compare");
        assertTrue(s0.get("tokens").get(0).get("vaeLogProb").asDouble() < 0);
        assertEquals(4, json.get("vae").get("documentHash").asText().length());
    }

    private static String message(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
