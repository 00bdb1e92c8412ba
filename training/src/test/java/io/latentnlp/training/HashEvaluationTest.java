package io.latentnlp.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.hash.DocumentCodes;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.training.corpus.Corpus;
import io.latentnlp.training.corpus.CorpusReader;
import io.latentnlp.training.hasheval.HashEvaluation.Level;
import io.latentnlp.training.hasheval.HashEvaluation.Row;
import io.latentnlp.training.hasheval.HashEvaluation;
import io.latentnlp.training.report.LineChart;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashEvaluationTest {

    @TempDir
    Path dir;

    private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

    private static Row row(List<Row> rows, String method, String level, int bits) {
        return rows.stream().filter(r -> r.method().equals(method) && r.level().equals(level) && r.bits() == bits).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + method + " " + level + " " + bits + " in " + rows));
    }

    @Test
    void simHashSeparatesTopicsThatRandomBitsCannot() throws Exception {
        Corpus train = CorpusReader.read(Fixtures.labelledTopicCorpus(dir.resolve("train.tsv"), 40, 10, 1));
        Corpus test = CorpusReader.read(Fixtures.labelledTopicCorpus(dir.resolve("test.tsv"), 10, 10, 2));
        HashEvaluation eval = new HashEvaluation(train, test, new HashEvaluation.Settings(List.of(16, 64), List.of(Level.SENTENCE, Level.DOCUMENT), 10, 3), quiet);
        eval.evaluateBaselines();
        List<Row> rows = eval.rows();
        // per bit count: simhash sentence, simhash-vote document, simhash-doc document, random x 2
        assertEquals(10, rows.size());
        double chance = eval.chanceLevel(Level.SENTENCE);
        assertTrue(chance > 0.35 && chance < 0.65, "two topics: chance " + chance);
        assertEquals(1.0, eval.ceiling(Level.SENTENCE), 1e-12);
        for (int bits : new int[] {16, 64}) {
            assertTrue(row(rows, "simhash", "sentence", bits).precision() > 0.85, "disjoint topic words: " + row(rows, "simhash", "sentence", bits));
            assertTrue(row(rows, "simhash-doc", "document", bits).precision() > 0.9, row(rows, "simhash-doc", "document", bits).toString());
            assertTrue(Math.abs(row(rows, "random", "sentence", bits).precision() - chance) < 0.1, row(rows, "random", "sentence", bits).toString());
            Row r = row(rows, "random", "document", bits);
            assertEquals(10, r.queries());
            assertEquals(40, r.database());
        }
    }

    @Test
    void aTrainedBernoulliBundleIsEvaluatedOnItsOwnHashesAtItsOwnBitCount() throws Exception {
        Path trainFile = Fixtures.labelledTopicCorpus(dir.resolve("train.tsv"), 30, 8, 4);
        Path testFile = Fixtures.labelledTopicCorpus(dir.resolve("test.tsv"), 6, 8, 5);
        TrainConfig cfg = Fixtures.tinyConfig().latentType(LatentType.BERNOULLI).latentDim(16).freeBits(0.2).epochs(2).build();
        TrainingRun.Result r = TrainingRun.run(cfg, new TrainingRun.Inputs(trainFile, testFile, null), dir.resolve("run"), "bern", null, false, "test", quiet);
        ModelBundle bundle = ModelBundle.load(r.bundle());
        assertEquals(Manifest.Hash.POSTERIOR_MODE, bundle.manifest().hash().method());
        Corpus train = CorpusReader.read(trainFile);
        Corpus test = CorpusReader.read(testFile);
        HashEvaluation.Settings settings = new HashEvaluation.Settings(List.of(16), List.of(Level.SENTENCE, Level.DOCUMENT), 10, 3);
        HashEvaluation eval = new HashEvaluation(train, test, settings, quiet);
        eval.evaluateBundle(bundle, SentenceVae.Options.defaults());
        List<Row> rows = eval.rows();
        assertEquals(2, rows.size());
        Row sentence = row(rows, "bern", "sentence", 16);
        assertEquals(48, sentence.queries());
        assertEquals(240, sentence.database());
        assertTrue(sentence.family().startsWith("Bernoulli VAE"), sentence.family());
        assertEquals(30, row(rows, "bern", "document", 16).database());
        // The same numbers from hashes computed here, one sentence at a time, through the public runtime API.
        HashEvaluation byHand = new HashEvaluation(train, test, settings, quiet);
        try (SentenceVae vae = SentenceVae.open(bundle, new SentenceVae.Options(1, 1))) {
            java.util.function.Function<Corpus, List<SemanticHash>> codes = c -> c.sentences().stream()
                    .map(s -> vae.hash(vae.encode(List.of(bundle.sentenceEncoder().encode(s.tokens()).ids()))[0])).toList();
            byHand.evaluateCodes("bern", sentence.family(), codes.apply(train), codes.apply(test));
        }
        assertEquals(rows, byHand.rows());
    }

    @Test
    void unlabelledCorporaAndOversizedKAreRefusedWithTheReason() throws Exception {
        Corpus plain = CorpusReader.read(Fixtures.topicCorpus(dir.resolve("plain.txt"), 20, 1));
        Corpus labelled = CorpusReader.read(Fixtures.labelledTopicCorpus(dir.resolve("l.tsv"), 4, 5, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HashEvaluation(plain, labelled, new HashEvaluation.Settings(List.of(16), List.of(Level.SENTENCE), 5, 1), quiet));
        assertTrue(e.getMessage().contains("plain.txt:1: training sentence has no label"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new HashEvaluation(labelled, labelled, new HashEvaluation.Settings(List.of(16), List.of(Level.DOCUMENT), 5, 1), quiet));
        assertTrue(e.getMessage().contains("k 5 exceeds the database"), e.getMessage());
    }

    @Test
    void documentVotesWithMedianThresholdsSplitTheTrainingDocumentsInHalf() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(9);
        List<List<SemanticHash>> docs = new java.util.ArrayList<>();
        for (int d = 0; d < 101; d++) {
            List<SemanticHash> sentences = new java.util.ArrayList<>();
            double bias = rng.nextDouble() * 0.25; // every bit is set rarely, so a majority vote would give all zeros
            for (int s = 0; s < 10 + rng.nextInt(30); s++) {
                boolean[] b = new boolean[16];
                for (int i = 0; i < 16; i++) {
                    b[i] = rng.nextDouble() < bias;
                }
                sentences.add(SemanticHash.fromBits(b));
            }
            docs.add(sentences);
        }
        double[] median = DocumentCodes.medianShares(docs);
        double[] half = new double[16];
        java.util.Arrays.fill(half, 0.5);
        int[] ones = new int[16];
        int majorityOnes = 0;
        for (List<SemanticHash> doc : docs) {
            SemanticHash h = DocumentCodes.vote(doc, median);
            for (int i = 0; i < 16; i++) {
                ones[i] += h.bit(i) ? 1 : 0;
            }
            majorityOnes += Long.bitCount(DocumentCodes.vote(doc, half).words()[0]);
        }
        for (int i = 0; i < 16; i++) {
            assertTrue(ones[i] >= 35 && ones[i] <= 50, "bit " + i + " set in " + ones[i] + " of 101 documents");
        }
        assertTrue(majorityOnes < 0.05 * 16 * 101, "the majority vote sets almost no bits here: " + majorityOnes + " of " + 16 * 101);
    }

    @Test
    void lineChartsAreWrittenAsPngsOfTheRequestedSize() throws Exception {
        Path png = dir.resolve("plots/p.png");
        LineChart chart = new LineChart("t", "bits", "precision").xTick(16);
        chart.add("a", 16, 10).add("a", 32, 12).add("b", 16, 9);
        chart.write(png, 640, 400);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(400, img.getHeight());
        assertTrue(Files.size(png) > 5_000, "a real chart, not an empty image");
        assertEquals(List.of("a", "b"), chart.seriesNames());
        assertThrows(IllegalArgumentException.class, () -> chart.add("a", 1, Double.NaN));
        assertThrows(IllegalStateException.class, () -> new LineChart("empty", "x", "y").write(dir.resolve("e.png"), 10, 10));
    }
}
