package io.latentnlp.models.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.runtime.PretrainedBackbone;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.text.EncodedSentence;
import io.latentnlp.models.text.SentenceEncoder;
import io.latentnlp.models.text.Subwords;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundles shipped in the jar: present, verified, within budget, reproducible from their manifest. */
@Tag("integration")
class ShippedModelsTest {

    @Test
    void everyShippedBundleLoadsAndDescribesHowItWasMade() throws IOException {
        long total = 0;
        for (String name : ShippedModels.NAMES) {
            ModelBundle b = ShippedModels.load(name);
            Manifest m = b.manifest();
            assertEquals(name, m.name());
            assertEquals("classpath:io/latentnlp/models/shipped/" + name + ".vae", b.source());
            assertTrue(b.hasFile(ModelBundle.DECODER_STEP), name + " can generate");
            assertEquals("latent-nlp-v2", m.normalizer().get("name"), name + " normalizes as CoreNLP and OpenNLP agree");
            String command = String.valueOf(m.provenance().get("command"));
            // the bundle's name comes from the training run, or from the rehash that wrote the shipped file
            String named = command + " " + (m.provenance().get("rehash") instanceof java.util.Map<?, ?> r ? r.get("command") : "");
            assertTrue((command.startsWith("latent-nlp train ") && command.contains("--seed 42") || command.startsWith("latent-nlp distill "))
                    && named.matches("(?s).*--name " + name + "( .*|$)"), command);
            try (InputStream in = ShippedModels.class.getClassLoader().getResourceAsStream(ShippedResources.RESOURCE_DIR + name + ".vae")) {
                long bytes = in.readAllBytes().length;
                assertTrue(bytes <= 25L * 1024 * 1024, name + " is " + bytes + " bytes, over the 25 MB budget");
                total += bytes;
            }
        }
        assertTrue(total <= 60L * 1024 * 1024, "the shipped bundles take " + total + " bytes, over the 60 MB budget of the models jar");
        Manifest semantic = ShippedModels.load(ShippedModels.MINILM_GAUSSIAN_64).manifest();
        assertEquals(Manifest.Encoder.PRETRAINED, semantic.encoderFamily());
        assertEquals(PretrainedBackbone.spec(PretrainedBackbone.MINILM), semantic.encoder().backbone(), "the backbone on the classpath is the one trained with");
        assertEquals(Manifest.Hash.ITQ, semantic.hash().method());
        assertEquals(64, semantic.hash().bits());
        assertTrue(String.valueOf(semantic.provenance().get("rehash")).contains("latent-nlp rehash"), "the ITQ fit is recorded");
        assertEquals(LatentType.BERNOULLI, ShippedModels.load(ShippedModels.BERNOULLI_64).manifest().latent().type());
        assertEquals(64, ShippedModels.load(ShippedModels.BERNOULLI_64).manifest().hash().bits());
        assertEquals(LatentType.GAUSSIAN, ShippedModels.load(ShippedModels.GAUSSIAN_32).manifest().latent().type());
        assertEquals(32, ShippedModels.load(ShippedModels.GAUSSIAN_32).manifest().latent().dim());
        // the distilled student holds its own encoder and reads everything else from the default, verified against its own sums
        ModelBundle student = ShippedModels.load(ShippedModels.MINILM_LSTM_64);
        assertEquals(Manifest.Encoder.LSTM, student.manifest().encoderFamily());
        assertEquals(ShippedModels.MINILM_GAUSSIAN_64, student.manifest().base());
        assertEquals(Manifest.FORMAT_VERSION_SHARED, student.manifest().formatVersion());
        assertEquals(List.of(ModelBundle.DECODER, ModelBundle.DECODER_STEP, Subwords.FILE, ModelBundle.VOCAB), student.sharedFiles());
        ModelBundle teacher = ShippedModels.load(ShippedModels.MINILM_GAUSSIAN_64);
        for (String shared : student.sharedFiles()) {
            assertTrue(java.util.Arrays.equals(teacher.file(shared), student.file(shared)), shared);
        }
        assertTrue(String.valueOf(student.manifest().provenance().get("command")).contains("--share-teacher-files"));
    }

    @Test
    void referencesResolveToTheDefaultAShippedNameOrAPath(@TempDir Path dir) {
        assertEquals(ShippedModels.DEFAULT, ShippedModels.resolve(null).manifest().name());
        assertEquals(ShippedModels.DEFAULT, ShippedModels.resolve("  ").manifest().name());
        assertEquals(ShippedModels.GAUSSIAN_32, ShippedModels.resolve(" brown-gaussian32 ").manifest().name());
        assertEquals("shipped:" + ShippedModels.DEFAULT, ShippedModels.identity(null));
        String absent = dir.resolve("absent.vae").toString();
        BundleException e = assertThrows(BundleException.class, () -> ShippedModels.resolve(absent));
        assertTrue(e.getMessage().contains("model not found: " + absent) && e.getMessage().contains(String.join(", ", ShippedModels.NAMES)), e.getMessage());
        assertThrows(BundleException.class, () -> ShippedModels.identity(absent));
        IllegalArgumentException notShipped = assertThrows(IllegalArgumentException.class, () -> ShippedModels.load("brown-gaussian64"));
        assertTrue(notShipped.getMessage().contains("no shipped model named brown-gaussian64"), notShipped.getMessage());
        assertEquals(List.of(ShippedModels.MINILM_GAUSSIAN_64, ShippedModels.MINILM_LSTM_64, ShippedModels.BERNOULLI_64, ShippedModels.GAUSSIAN_32),
                ShippedModels.NAMES);
        assertEquals(ShippedModels.MINILM_GAUSSIAN_64, ShippedModels.DEFAULT);
    }

    /** Every shipped model on a few sentences: sensible likelihoods, distinct hashes. */
    @Test
    void everyShippedModelEncodesText() {
        for (String name : ShippedModels.NAMES) {
            encodesText(ShippedModels.load(name));
        }
    }

    /** The semantic default and its distilled student put a paraphrase nearer than an unrelated sentence of the same length. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {ShippedModels.MINILM_GAUSSIAN_64, ShippedModels.MINILM_LSTM_64})
    void theSemanticHashesKeepMeaningNotLength(String name) {
        ModelBundle b = ShippedModels.resolve(name);
        SentenceEncoder enc = b.sentenceEncoder();
        try (SentenceVae vae = SentenceVae.open(b, SentenceVae.Options.defaults())) {
            Posterior[] q = vae.encodeSentences(List.of(
                    enc.encode(List.of("the", "dog", "barked", "at", "the", "mailman", "all", "morning", ".")),
                    enc.encode(List.of("a", "puppy", "kept", "barking", "at", "the", "postman", "today", ".")),
                    enc.encode(List.of("the", "central", "bank", "raised", "interest", "rates", "this", "morning", "."))));
            int near = vae.hash(q[0]).hamming(vae.hash(q[1]));
            int far = vae.hash(q[0]).hamming(vae.hash(q[2]));
            assertTrue(near < far, "dog/puppy " + near + " bits apart, dog/bank " + far);
        }
    }

    private static void encodesText(ModelBundle b) {
        SentenceEncoder enc = b.sentenceEncoder();
        List<EncodedSentence> ids = List.of(
                enc.encode(List.of("The", "jury", "said", "it", "did", "not", "find", "any", "evidence", ".")),
                enc.encode(List.of("She", "smiled", "and", "walked", "into", "the", "kitchen", ".")));
        try (SentenceVae vae = SentenceVae.open(b, SentenceVae.Options.defaults())) {
            Posterior[] q = vae.encodeSentences(ids);
            float[][] lp = vae.tokenLogProbs(EncodedSentence.ids(ids), new float[][] {q[0].code(), q[1].code()});
            for (int i = 0; i < 2; i++) {
                double sum = 0;
                for (float v : lp[i]) {
                    sum += v;
                }
                // Between a uniform guess over the vocabulary and certainty.
                double perToken = sum / lp[i].length;
                assertTrue(perToken < 0 && perToken > -Math.log(b.vocabulary().size()), b.source() + ": per-token log p(x|z) " + perToken);
            }
            assertTrue(vae.hash(q[0]).hamming(vae.hash(q[1])) > 0, b.source() + ": different sentences, different hashes");
        }
    }
}
