package io.latentnlp.models.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.text.EncodedSentence;
import io.latentnlp.models.text.SentenceEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link EncoderFamily} keeps, in the pattern of Lucene's {@code
 * BaseKnnVectorsFormatTestCase}: extend this class and give a bundle of the family. The bundle's
 * manifest must name the family; everything else is checked through {@link SentenceVae}, the way
 * every surface reaches the family.
 */
abstract class EncoderFamilyContract {

    /** A bundle of the family under test. */
    protected abstract ModelBundle bundle();

    /** The family's name, as its manifests write it. */
    protected abstract String familyName();

    private SentenceVae vae;
    private SentenceEncoder encoder;

    private static final List<List<String>> TEXTS = List.of(
            List.of("The", "committee", "met", "on", "Tuesday", "."),
            List.of("A", "dog", "ran", "across", "the", "road", "."),
            List.of("Prices", "of", "wheat", "and", "corn", "rose", "sharply", "in", "Chicago", "."),
            List.of("Hello", "!"));

    @BeforeEach
    void open() {
        vae = SentenceVae.open(bundle(), new SentenceVae.Options(1, 64));
        encoder = vae.bundle().sentenceEncoder();
    }

    @AfterEach
    void close() {
        vae.close();
    }

    private List<EncodedSentence> encode(List<List<String>> texts) {
        return texts.stream().map(encoder::encode).toList();
    }

    @Test
    void theManifestNamesThisFamily() {
        assertEquals(familyName(), vae.bundle().manifest().encoderFamily());
        assertEquals(familyName(), vae.family().name());
        assertEquals(EncoderFamilies.forName(familyName()).getClass(), vae.family().getClass());
    }

    @Test
    void posteriorsHaveTheManifestsDimensionAndType() {
        Manifest.Latent latent = vae.bundle().manifest().latent();
        for (Posterior q : vae.encodeSentences(encode(TEXTS))) {
            assertEquals(latent.type(), q.type());
            assertEquals(latent.dim(), q.dim());
            assertEquals(latent.codeDim(), q.code().length);
            for (float[] p : q.parameters().values()) {
                for (float v : p) {
                    assertTrue(Float.isFinite(v), "finite parameters");
                }
            }
        }
    }

    @Test
    void encodingIsDeterministicAndABatchEqualsItsSentencesAlone() {
        Posterior[] batch = vae.encodeSentences(encode(TEXTS));
        Posterior[] again = vae.encodeSentences(encode(TEXTS));
        for (int i = 0; i < TEXTS.size(); i++) {
            assertEquals(batch[i], again[i], "deterministic");
            Posterior alone = vae.encodeSentences(encode(List.of(TEXTS.get(i))))[0];
            assertArrayEquals(alone.expectation(), batch[i].expectation(), 1e-4f, "sentence " + i + " alone vs in a batch");
            Posterior inSmallBatches = vae.encodeSentences(encode(TEXTS), 1)[i];
            assertArrayEquals(alone.expectation(), inSmallBatches.expectation(), 1e-4f);
        }
    }

    @Test
    void emptyAndOverlongSentencesAreEncoded() {
        List<String> overlong = new ArrayList<>();
        for (int i = 0; i < 5 * vae.bundle().manifest().vocab().maxLength(); i++) {
            overlong.add(i % 7 == 6 ? "." : "word" + i);
        }
        List<EncodedSentence> e = encode(List.of(List.of(), overlong));
        assertTrue(e.get(1).truncated());
        Posterior[] q = vae.encodeSentences(e);
        assertEquals(2, q.length);
        assertEquals(vae.bundle().manifest().latent().dim(), q[0].dim());
        assertEquals(0, vae.encodeSentences(List.of()).length, "no sentences, no posteriors");
    }

    @Test
    void concurrentCallsGiveWhatSerialCallsGive() throws Exception {
        Posterior[] serial = vae.encodeSentences(encode(TEXTS));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Posterior[]>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> vae.encodeSentences(encode(TEXTS))));
            }
            for (Future<Posterior[]> f : futures) {
                assertArrayEquals(serial, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closingTwiceIsHarmlessAndLaterCallsSayClosed() {
        vae.close();
        vae.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> vae.encodeSentences(encode(TEXTS)));
        assertTrue(e.getMessage().contains("closed") && e.getMessage().contains(vae.bundle().source()), e.getMessage());
    }
}
