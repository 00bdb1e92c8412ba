package io.latentnlp.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The MiniLM backbone from the Maven jar: offline, deterministic, batch-independent, semantic. */
class PretrainedBackboneTest {

    private static PretrainedBackbone backbone;

    @BeforeAll
    static void open() {
        backbone = PretrainedBackbone.open(PretrainedBackbone.spec(PretrainedBackbone.MINILM), 1);
    }

    @AfterAll
    static void close() {
        backbone.close();
    }

    private static double cosine(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void embeddingsAreUnitVectorsOfTheSpecsDimension() {
        float[][] e = backbone.embed(List.of("the cat sat on the mat .", "", "a"));
        assertEquals(3, e.length);
        for (float[] v : e) {
            assertEquals(384, v.length);
            assertEquals(1.0, Math.sqrt(cosine(v, v)), 1e-4);
        }
    }

    @Test
    void aSentenceEmbedsTheSameAloneAndInABatchOfLongerOnes() {
        String s = "the jury praised the city 's election .";
        float[] alone = backbone.embed(List.of(s))[0];
        float[] batched = backbone.embed(List.of("a much longer sentence about something else entirely , with many more words in it .", s, "ok"))[1];
        for (int k = 0; k < alone.length; k++) {
            assertEquals(alone[k], batched[k], 2e-5, "dimension " + k);
        }
        assertArrayEquals(alone, backbone.embed(List.of(s))[0], "deterministic");
    }

    @Test
    void meaningDecidesNeighboursNotLength() {
        float[][] e = backbone.embed(List.of(
                "the dog barked at the mailman all morning .",
                "a puppy kept barking at the postman .",
                "the central bank raised interest rates again this morning ."));
        assertTrue(cosine(e[0], e[1]) > cosine(e[0], e[2]) + 0.2,
                "dog/puppy " + cosine(e[0], e[1]) + " vs dog/bank " + cosine(e[0], e[2]));
    }

    @Test
    void overlongInputIsTruncatedToTheSpecsPieces() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            sb.append("word ");
        }
        assertEquals(128, backbone.pieces(sb.toString()).length);
        assertEquals(384, backbone.embed(List.of(sb.toString()))[0].length);
        assertEquals("[CLS]", backbone.pieces("")[0]);
    }

    @Test
    void aDifferentGraphOrUnknownNameIsRefusedWithTheReason() {
        PretrainedBackbone.Spec good = backbone.spec();
        PretrainedBackbone.Spec other = new PretrainedBackbone.Spec(good.name(), "00" + good.sha256().substring(2), good.dim(), good.pooling(), good.maxPieces());
        BundleException e = assertThrows(BundleException.class, () -> PretrainedBackbone.open(other, 1));
        assertTrue(e.getMessage().contains("sha256") && e.getMessage().contains(good.sha256()), e.getMessage());
        BundleException u = assertThrows(BundleException.class, () -> PretrainedBackbone.spec("bert-huge"));
        assertTrue(u.getMessage().contains("unknown backbone 'bert-huge'") && u.getMessage().contains(PretrainedBackbone.MINILM), u.getMessage());
        PretrainedBackbone.Spec pool = new PretrainedBackbone.Spec(good.name(), good.sha256(), good.dim(), "cls", good.maxPieces());
        assertTrue(assertThrows(BundleException.class, () -> PretrainedBackbone.open(pool, 1)).getMessage().contains("pooling 'cls'"));
    }

    @Test
    void concurrentCallsGiveTheSerialResults() throws Exception {
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
