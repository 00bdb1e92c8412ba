package io.latentnlp.training.hasheval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.runtime.PretrainedBackbone;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.training.corpus.CorpusSentence;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The held-out protocol on three tiny corpora of disjoint topics, with the real MiniLM backbone and a real shipped bundle. */
class HeldOutEvaluationTest {

    @TempDir
    Path dir;

    private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

    /** A corpus directory of two topics, each a few words of its own; {@code docs} training and docs/4 test documents of 3 sentences. */
    private Path corpus(String name, String[][] topics, String[] labels, int docs, long seed) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        SplittableRandom rng = new SplittableRandom(seed);
        for (String split : List.of("train", "test")) {
            StringBuilder sb = new StringBuilder();
            int n = split.equals("train") ? docs : docs / 4;
            for (int doc = 0; doc < n; doc++) {
                int t = doc % 2;
                for (int i = 0; i < 3; i++) {
                    sb.append(name).append('-').append(split).append(doc).append('\t').append(labels[t]).append('\t');
                    for (int j = 0, len = 3 + rng.nextInt(5); j < len; j++) {
                        sb.append(j == 0 ? "" : " ").append(topics[t][rng.nextInt(topics[t].length)]);
                    }
                    sb.append(" .\n");
                }
            }
            Files.writeString(d.resolve(split + ".tsv"), sb.toString());
        }
        return d;
    }

    private List<HeldOutEvaluation.LabelledCorpus> threeCorpora() throws Exception {
        return List.of(
                HeldOutEvaluation.LabelledCorpus.read(corpus("pets", new String[][] {{"cats", "purr", "kitten", "fur", "whiskers"}, {"dogs", "bark", "puppy", "leash", "fetch"}},
                        new String[] {"cat", "dog"}, 16, 1)),
                HeldOutEvaluation.LabelledCorpus.read(corpus("sea", new String[][] {{"ships", "sail", "harbour", "anchor", "crew"}, {"fish", "coral", "reef", "shark", "whale"}},
                        new String[] {"boats", "life"}, 16, 2)),
                HeldOutEvaluation.LabelledCorpus.read(corpus("food", new String[][] {{"bread", "oven", "flour", "bake", "dough"}, {"wine", "grapes", "vineyard", "cellar", "bottle"}},
                        new String[] {"bakery", "wine"}, 12, 3)));
    }

    @Test
    void everyCorpusIsHeldOutOnceWithItsOwnAndTheOthersFits() throws Exception {
        List<HeldOutEvaluation.LabelledCorpus> corpora = threeCorpora();
        HeldOutEvaluation eval = new HeldOutEvaluation(corpora, new HeldOutEvaluation.Settings(16, 5, 42, 60, true, 32, true), dir.resolve("cache"), quiet);
        try (PretrainedBackbone b = PretrainedBackbone.open(PretrainedBackbone.spec(PretrainedBackbone.MINILM), 1)) {
            eval.evaluateBackbone(b);
        }
        eval.evaluateBundle(ShippedModels.resolve(ShippedModels.GAUSSIAN_32), new SentenceVae.Options(1, 64));
        eval.evaluateTextBaselines();
        List<HeldOutEvaluation.Cell> cells = eval.cells();
        String minilm = PretrainedBackbone.MINILM;
        for (HeldOutEvaluation.LabelledCorpus c : corpora) {
            int own = c.train().sentences().size();
            int others = corpora.stream().filter(o -> o != c).mapToInt(o -> o.train().sentences().size()).sum();
            assertEquals(Math.min(own, 60), cell(cells, c.name(), minilm, "itq", HeldOutEvaluation.OWN, 16).fitItems(), "own fit reads the own train split");
            assertEquals(Math.min(others, 60), cell(cells, c.name(), minilm, "itq", HeldOutEvaluation.OTHERS, 16).fitItems(), "others' fit, capped at 60");
            assertEquals(Math.min(others, 60), cell(cells, c.name(), "brown-gaussian32", "rehash", HeldOutEvaluation.OTHERS, 32).fitItems());
            for (String[] m : new String[][] {{minilm, "itq", "own", "32"}, {minilm, "itq", "others", "32"}, {minilm, "lsh", "-", "16"}, {minilm, "cosine", "-", "0"},
                {"brown-gaussian32", "shipped", "-", "32"}, {"brown-gaussian32", "rehash", "own", "32"}, {"simhash", "simhash", "own", "16"}, {"random", "random", "-", "16"}}) {
                cell(cells, c.name(), m[0], m[1], m[2], Integer.parseInt(m[3]));
            }
            // Disjoint topic words: MiniLM's float cosine and its ITQ codes (whichever fit) find the label.
            assertTrue(cell(cells, c.name(), minilm, "cosine", "-", 0).precision() > 0.9, c.name() + " " + cells);
            assertTrue(cell(cells, c.name(), minilm, "itq", HeldOutEvaluation.OTHERS, 16).precision() > 0.7, c.name() + " " + cells);
        }
        String md = eval.markdown();
        assertTrue(md.contains("| held-out corpus | backbone | ITQ-16 fitted on its own train (to beat) | ITQ-16 fitted on the others | others - own | ITQ-32 own |"), md);
        assertTrue(md.contains("| food | brown-gaussian32 |") && md.contains("| sea | " + minilm + " |"), md);
        assertTrue(md.contains("| pets | 12 | 48 | 2 | 48 / 60 |"), md);
    }

    @Test
    void theOthersFitNeverReadsTheHeldOutCorpus() throws Exception {
        List<HeldOutEvaluation.LabelledCorpus> corpora = threeCorpora();
        HeldOutEvaluation eval = new HeldOutEvaluation(corpora, new HeldOutEvaluation.Settings(16, 5, 42, 50000, false), null, quiet);
        Set<String> sea = new HashSet<>();
        corpora.get(1).train().sentences().forEach(s -> sea.add(s.docId()));
        corpora.get(1).test().sentences().forEach(s -> sea.add(s.docId()));
        List<CorpusSentence> pooled = eval.othersTraining("sea");
        assertEquals(corpora.get(0).train().sentences().size() + corpora.get(2).train().sentences().size(), pooled.size());
        assertTrue(pooled.stream().noneMatch(s -> sea.contains(s.docId())), "no sentence of the held-out corpus");
    }

    @Test
    void aFitSampleIsBoundedSeededAndKeepsOrder() {
        float[][] rows = new float[100][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new float[] {i};
        }
        float[][] s = HeldOutEvaluation.sample(rows, 30, 7);
        assertEquals(30, s.length);
        List<Float> firsts = new ArrayList<>();
        for (float[] r : s) {
            firsts.add(r[0]);
        }
        assertEquals(30, new HashSet<>(firsts).size(), "without replacement");
        assertEquals(firsts.stream().sorted().toList(), firsts, "original order");
        assertEquals(firsts.get(5), HeldOutEvaluation.sample(rows, 30, 7)[5][0], "seeded");
        assertTrue(rows == HeldOutEvaluation.sample(rows, 100, 7), "all rows when there are no more than the cap");
    }

    @Test
    void badInputIsRefusedSayingWhatToDo() throws Exception {
        List<HeldOutEvaluation.LabelledCorpus> corpora = threeCorpora();
        HeldOutEvaluation.Settings settings = new HeldOutEvaluation.Settings(64, 5, 42, 50000, false);
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> new HeldOutEvaluation(corpora.subList(0, 1), settings, null, quiet));
        assertTrue(one.getMessage().contains("at least 2 labelled corpora"), one.getMessage());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("train.tsv"), "d\tx\ta b .\n");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> HeldOutEvaluation.LabelledCorpus.read(empty));
        assertTrue(missing.getMessage().contains(empty.resolve("test.tsv").toString()) && missing.getMessage().contains("fetch-brown.sh"), missing.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> new HeldOutEvaluation(List.of(corpora.get(0), corpora.get(0)), settings, null, quiet));
        assertTrue(twice.getMessage().contains("two held-out corpora are named pets"), twice.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new HeldOutEvaluation.Settings(64, 5, 42, 1, false)).getMessage()
                .contains("illegal fit sample 1"));
    }

    @Test
    void cosinePrecisionRanksByCosineAndBreaksTiesByDatabaseOrder() {
        float[][] db = {{1, 0}, {0, 1}, {2, 0}, {1, 1}};
        List<String> labels = List.of("a", "b", "c", "d");
        // Query along x: items 0 and 2 tie at cosine 1 (norms differ: cosine, not dot product); k = 1 takes the earlier.
        assertEquals(1.0, CosinePrecision.mean(new float[][] {{3, 0}}, List.of("a"), db, labels, 1), 1e-12);
        assertEquals(0.0, CosinePrecision.mean(new float[][] {{3, 0}}, List.of("c"), db, labels, 1), 1e-12);
        // k = 3 along x: 0 and 2 (cosine 1), then 3 (0.71), never 1 (0).
        assertEquals(1 / 3.0, CosinePrecision.mean(new float[][] {{1, 0.01f}}, List.of("d"), db, labels, 3), 1e-12);
        assertEquals(0.0, CosinePrecision.mean(new float[][] {{1, 0.01f}}, List.of("b"), db, labels, 3), 1e-12);
    }

    private static HeldOutEvaluation.Cell cell(List<HeldOutEvaluation.Cell> cells, String heldOut, String encoder, String method, String fit, int bits) {
        return cells.stream().filter(c -> c.heldOut().equals(heldOut) && c.encoder().equals(encoder) && c.method().equals(method) && c.fit().equals(fit) && c.bits() == bits)
                .findFirst().orElseThrow(() -> new AssertionError("no cell " + heldOut + " " + encoder + " " + method + " " + fit + " " + bits + " in " + cells));
    }
}
