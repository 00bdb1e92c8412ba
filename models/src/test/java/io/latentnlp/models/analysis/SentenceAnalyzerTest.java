package io.latentnlp.models.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.hash.DocumentCodes;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.runtime.LikelihoodEstimator;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.text.EncodedSentence;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one run-time path against the low-level calls it replaces, on the shipped bundles of both encoder families. */
class SentenceAnalyzerTest {

    private static final List<List<String>> SENTENCES = List.of(
            List.of("The", "jury", "said", "it", "did", "not", "find", "any", "evidence", "."),
            List.of("Prices", "of", "wheat", "rose", "sharply", "."),
            List.of(),
            List.of("She", "didn't", "know", "the", "X-ray", "results", "."));

    @ParameterizedTest
    @ValueSource(strings = {ShippedModels.MINILM_GAUSSIAN_64, ShippedModels.MINILM_LSTM_64, ShippedModels.BERNOULLI_64, ShippedModels.GAUSSIAN_32})
    void givesWhatTheLowLevelPathGives(String name) {
        try (SentenceVae vae = SentenceVae.open(ShippedModels.load(name), SentenceVae.Options.defaults())) {
            SentenceAnalyzer analyzer = SentenceAnalyzer.builder(vae).optIwae(5, 3).build();
            List<SentenceResult> got = analyzer.analyzeTokens(SENTENCES);

            List<EncodedSentence> encoded = SENTENCES.stream().map(s -> vae.bundle().sentenceEncoder().encode(s)).toList();
            List<int[]> ids = EncodedSentence.ids(encoded);
            Posterior[] q = vae.encodeSentences(encoded);
            float[][] lp = vae.tokenLogProbs(ids, Arrays.stream(q).map(Posterior::code).toArray(float[][]::new));
            double[] iwae = LikelihoodEstimator.logMarginal(vae, ids, q, 5, 3);
            assertEquals(SENTENCES.size(), got.size());
            for (int i = 0; i < got.size(); i++) {
                SentenceResult r = got.get(i);
                assertEquals(q[i], r.posterior(), name + " sentence " + i);
                assertEquals(vae.hash(q[i]), r.hash());
                assertEquals(LikelihoodEstimator.rowSums(new float[][] {lp[i]})[0], r.logLikelihood());
                assertEquals(iwae[i], r.iwaeLogLikelihood().getAsDouble());
                assertArrayEquals(encoded.get(i).perToken(lp[i], SENTENCES.get(i).size()), r.tokenLogProbs());
                assertEquals(SENTENCES.get(i).size(), r.tokenLogProbs().length, "one value per pipeline token");
                assertEquals(ids.get(i).length, r.modelTokens());
                assertArrayEquals(q[i].code(), r.code());
                assertTrue(r.hasLikelihoods());
            }
            assertEquals(1, got.get(2).modelTokens(), "an empty sentence is </s> alone");
            // a sentence's results do not depend on the others of its call
            SentenceResult alone = analyzer.analyzeTokens(List.of(SENTENCES.get(1))).get(0);
            assertEquals(got.get(1).hash(), alone.hash());
            assertArrayEquals(got.get(1).latent(), alone.latent(), 1e-5f);
            assertEquals(got.get(1).logLikelihood(), alone.logLikelihood(), 1e-3);
        }
    }

    @Test
    void documentsGetTheVoteAndTheMeanOfTheirSentences() {
        try (SentenceAnalyzer analyzer = SentenceAnalyzer.open(ShippedModels.GAUSSIAN_32)) {
            List<DocumentResult> docs = analyzer.analyzeDocuments(List.of(SENTENCES.subList(0, 2), List.of(), SENTENCES.subList(2, 4)));
            assertEquals(3, docs.size());
            DocumentResult first = docs.get(0);
            assertEquals(2, first.sentences().size());
            assertEquals(DocumentCodes.majority(List.of(first.sentences().get(0).hash(), first.sentences().get(1).hash())), first.hash());
            assertArrayEquals(DocumentCodes.meanLatent(List.of(first.sentences().get(0).latent(), first.sentences().get(1).latent())), first.latent());
            assertTrue(docs.get(1).sentences().isEmpty());
            assertNull(docs.get(1).hash(), "a document without sentences has no codes");
            assertNull(docs.get(1).latent());
            assertEquals(analyzer.analyzeDocument(SENTENCES.subList(2, 4)).hash(), docs.get(2).hash(), "documents batched together get what they get alone");
        }
    }

    @Test
    void rawTextIsSplitIntoSentencesAndTokens() {
        try (SentenceAnalyzer analyzer = SentenceAnalyzer.open(null)) {
            DocumentResult d = analyzer.analyze("Raw text. Two sentences.");
            assertEquals(2, d.sentences().size());
            assertEquals(List.of("Raw", "text", "."), d.sentences().get(0).tokens());
            assertEquals(List.of("Two", "sentences", "."), d.sentences().get(1).tokens());
            assertEquals(64, d.sentences().get(0).hash().bits());
            assertTrue(d.sentences().get(0).logLikelihood() < 0);
            assertEquals(3, d.sentences().get(0).tokenLogProbs().length);
            assertEquals("wordpiece", analyzer.units());
            assertTrue(analyzer.analyze("").sentences().isEmpty());
        }
    }

    @Test
    void withoutLikelihoodsOnlyCodesAreComputed() {
        try (SentenceVae vae = SentenceVae.open(ShippedModels.load(ShippedModels.BERNOULLI_64), SentenceVae.Options.defaults())) {
            SentenceResult r = SentenceAnalyzer.builder(vae).optLikelihoods(false).build().analyzeTokens(SENTENCES.subList(0, 1)).get(0);
            assertFalse(r.hasLikelihoods());
            assertTrue(Double.isNaN(r.logLikelihood()));
            assertNull(r.tokenLogProbs());
            assertTrue(r.iwaeLogLikelihood().isEmpty());
            assertEquals(64, r.hash().bits());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SentenceAnalyzer.builder(vae).optLikelihoods(false).optIwae(10, 1).build());
            assertTrue(e.getMessage().contains("IWAE estimate needs the decoder"), e.getMessage());
        }
    }

    @Test
    void truncatesAtTheGivenLengthAndRefusesBadSettings() {
        try (SentenceVae vae = SentenceVae.open(ShippedModels.load(ShippedModels.GAUSSIAN_32), SentenceVae.Options.defaults())) {
            SentenceResult r = SentenceAnalyzer.builder(vae).optMaxLength(3).build().analyzeTokens(SENTENCES.subList(0, 1)).get(0);
            assertTrue(r.truncated());
            assertEquals(4, r.modelTokens(), "3 units and </s>");
            assertTrue(Double.isNaN(r.tokenLogProbs()[5]), "a token past truncation has no value");
            assertTrue(assertThrows(IllegalArgumentException.class, () -> SentenceAnalyzer.builder(vae).optMaxLength(-1)).getMessage().contains("illegal maxLength -1"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> SentenceAnalyzer.builder(vae).optIwae(-2, 0)).getMessage().contains("illegal iwaeSamples -2"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> SentenceAnalyzer.builder(vae).optBatchSize(-1)).getMessage().contains("illegal batchSize -1"));
        }
    }

    @Test
    void closesTheModelOnlyWhenItOpenedIt() {
        try (SentenceVae vae = SentenceVae.open(ShippedModels.load(ShippedModels.GAUSSIAN_32), SentenceVae.Options.defaults())) {
            SentenceAnalyzer shared = SentenceAnalyzer.builder(vae).build();
            shared.close();
            assertEquals(1, vae.encode(List.of(new int[] {io.latentnlp.models.text.Vocabulary.EOS_ID})).length, "the caller's model stays open");
        }
        SentenceAnalyzer owner = SentenceAnalyzer.open(ShippedModels.GAUSSIAN_32);
        owner.close();
        owner.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> owner.analyzeTokens(SENTENCES.subList(0, 1)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
