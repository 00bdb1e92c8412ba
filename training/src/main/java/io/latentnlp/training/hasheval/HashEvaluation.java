package io.latentnlp.training.hasheval;

import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.hash.CodeStructure;
import io.latentnlp.models.hash.DocumentCodes;
import io.latentnlp.models.hash.HyperplaneLsh;
import io.latentnlp.models.hash.Itq;
import io.latentnlp.models.hash.PrecisionAtK;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.hash.SimHash;
import io.latentnlp.models.latent.Seeds;
import io.latentnlp.models.runtime.PretrainedBackbone;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.text.SentenceEncoder;
import io.latentnlp.models.text.TokenNormalizer;
import io.latentnlp.training.corpus.Corpus;
import io.latentnlp.training.corpus.CorpusSentence;
import io.latentnlp.training.features.FeatureCache;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Retrieval precision of semantic hashes as the semantic-hashing literature measures it (VDSH,
 * NASH): the queries are the test items, the database the training items, each query retrieves
 * its {@code k} nearest database items in Hamming distance, and an item is relevant when it has
 * the query's label (the Brown genre). Mean precision@k over the queries.
 *
 * <ul>
 *   <li>Sentence level: every sentence is an item.
 *   <li>Document level: every document is an item; model codes (and the "vote" variant of
 *       SimHash) come from the document's sentence codes by {@link DocumentCodes#vote} with
 *       per-bit thresholds at the median share over training documents.
 *   <li>Ties at the k-th distance: the database is shuffled once with the seed and ties go to the
 *       earlier item in that order ({@link PrecisionAtK}), so results are deterministic and the
 *       corpus's file order (grouped by genre in Brown) does not decide ties.
 * </ul>
 *
 * Methods: every given bundle (at its own bit count), and at each requested bit count the
 * baselines random-hyperplane SimHash over TF-IDF (sentence TF-IDF; document TF-IDF, and the
 * document vote of the sentence SimHashes) and uniformly random bits (the floor). Not thread-safe.
 */
public final class HashEvaluation {

    /** Item granularity. */
    public enum Level {
        SENTENCE, DOCUMENT;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One measured cell.
     *
     * @param method what made the codes, e.g. {@code bernoulli64} (a bundle's name) or {@code simhash}
     * @param family series name for plots, e.g. {@code Bernoulli VAE}
     * @param level sentence or document
     * @param bits code length
     * @param precision mean precision@k in [0, 1]
     * @param k retrieved items per query
     * @param queries number of queries
     * @param database number of database items
     * @param structure the test codes' length bias, distinct share and bit statistics
     */
    public record Row(String method, String family, String level, int bits, double precision, int k, int queries, int database,
            CodeStructure structure) {}

    /**
     * @param bits code lengths of the baselines
     * @param levels sentence and/or document
     * @param k items retrieved per query
     * @param seed database shuffle, SimHash planes, random bits
     */
    public record Settings(List<Integer> bits, List<Level> levels, int k, long seed) {
        public Settings {
            if (k < 1) {
                throw new IllegalArgumentException("illegal k " + k + ": must be at least 1");
            }
            for (int b : bits) {
                if (b < 1 || b > 1024) {
                    throw new IllegalArgumentException("illegal bit count " + b + ": must be in [1, 1024]");
                }
            }
            if (levels.isEmpty()) {
                throw new IllegalArgumentException("at least one level (sentence, document) is needed");
            }
        }
    }

    /** Sentences and documents of one split, with labels. */
    private static final class Split {
        final List<CorpusSentence> sentences;
        final List<String> sentenceLabels = new ArrayList<>();
        /** Sentence indices of each document, in document order. */
        final List<List<Integer>> documents = new ArrayList<>();
        final List<String> documentLabels = new ArrayList<>();
        int[] sentenceLengths;
        int[] documentLengths;

        Split(Corpus corpus, String what) {
            this.sentences = corpus.sentences();
            Map<String, List<Integer>> byDoc = new LinkedHashMap<>();
            Map<String, String> docLabel = new HashMap<>();
            for (int i = 0; i < sentences.size(); i++) {
                CorpusSentence s = sentences.get(i);
                if (s.genre().isEmpty()) {
                    throw new IllegalArgumentException(corpus.source() + ":" + s.line() + ": " + what
                            + " sentence has no label; hash evaluation needs labelled items (the Brown .tsv format: doc<TAB>genre<TAB>tokens)");
                }
                sentenceLabels.add(s.genre());
                byDoc.computeIfAbsent(s.docId(), d -> new ArrayList<>()).add(i);
                String previous = docLabel.putIfAbsent(s.docId(), s.genre());
                if (previous != null && !previous.equals(s.genre())) {
                    throw new IllegalArgumentException(corpus.source() + ":" + s.line() + ": document " + s.docId() + " has labels " + previous + " and " + s.genre());
                }
            }
            for (Map.Entry<String, List<Integer>> e : byDoc.entrySet()) {
                documents.add(e.getValue());
                documentLabels.add(docLabel.get(e.getKey()));
            }
            sentenceLengths = sentences.stream().mapToInt(s -> s.tokens().size()).toArray();
            documentLengths = documents.stream().mapToInt(d -> d.stream().mapToInt(i -> sentenceLengths[i]).sum()).toArray();
        }

        int[] lengths(Level level) {
            return level == Level.SENTENCE ? sentenceLengths : documentLengths;
        }

        List<SemanticHash> documentVotes(List<SemanticHash> sentenceCodes, double[] thresholds) {
            List<SemanticHash> out = new ArrayList<>(documents.size());
            for (List<Integer> doc : documents) {
                out.add(DocumentCodes.vote(doc.stream().map(sentenceCodes::get).toList(), thresholds));
            }
            return out;
        }

        List<List<SemanticHash>> group(List<SemanticHash> sentenceCodes) {
            return documents.stream().map(doc -> doc.stream().map(sentenceCodes::get).toList()).toList();
        }
    }

    /** Random test pairs behind the length statistics of every row. */
    static final int STRUCTURE_PAIRS = 20000;

    private final Split train;
    private final Split test;
    private final Settings settings;
    private final PrintStream log;
    private final List<Row> rows = new ArrayList<>();

    public HashEvaluation(Corpus trainCorpus, Corpus testCorpus, Settings settings, PrintStream log) {
        this.train = new Split(trainCorpus, "training");
        this.test = new Split(testCorpus, "test");
        this.settings = settings;
        this.log = log;
        if (settings.k() > Math.min(train.sentences.size(), settings.levels().contains(Level.DOCUMENT) ? train.documents.size() : Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("k " + settings.k() + " exceeds the database: " + train.sentences.size() + " training sentences, "
                    + train.documents.size() + " training documents");
        }
    }

    /** The rows measured so far. */
    public List<Row> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** Codes of one bundle: its own hash of every sentence, then the document vote. */
    public void evaluateBundle(ModelBundle bundle, SentenceVae.Options options) {
        evaluateBundle(bundle, options, null);
    }

    /**
     * As above; a pretrained-family bundle reads its backbone's embeddings from {@code
     * featureCache} ({@link FeatureCache}; null = compute them), so bundles of one backbone embed
     * a corpus once.
     */
    public void evaluateBundle(ModelBundle bundle, SentenceVae.Options options, Path featureCache) {
        if (bundle.manifest().hash() == null) {
            throw new IllegalArgumentException(bundle.source() + " has no hash spec in its manifest; it cannot be evaluated as a hash");
        }
        SentenceEncoder encoder = bundle.sentenceEncoder();
        String family = family(bundle);
        try (SentenceVae vae = SentenceVae.open(bundle, options)) {
            List<SemanticHash> trainCodes = hashAll(vae, encoder, train.sentences, bundle.manifest().name() + " train", featureCache);
            List<SemanticHash> testCodes = hashAll(vae, encoder, test.sentences, bundle.manifest().name() + " test", featureCache);
            evaluateCodes(bundle.manifest().name(), family, trainCodes, testCodes);
        }
    }

    /**
     * Measures given sentence codes (one per training and test sentence, in corpus order) at
     * every level: sentence codes as they are, document codes by the median-share vote.
     */
    public void evaluateCodes(String method, String family, List<SemanticHash> trainCodes, List<SemanticHash> testCodes) {
        if (trainCodes.size() != train.sentences.size() || testCodes.size() != test.sentences.size()) {
            throw new IllegalArgumentException(method + ": " + trainCodes.size() + " training and " + testCodes.size() + " test codes for "
                    + train.sentences.size() + " and " + test.sentences.size() + " sentences");
        }
        measureSentenceAndVote(method, family, trainCodes, testCodes);
    }

    /** Random-hyperplane SimHash and random bits at every requested bit count. */
    public void evaluateBaselines() {
        TokenNormalizer normalizer = TokenNormalizer.defaults();
        Map<String, Integer> ids = new HashMap<>();
        Function<CorpusSentence, int[]> toIds = s -> normalizer.normalize(s.tokens()).stream().mapToInt(t -> ids.computeIfAbsent(t, x -> ids.size())).toArray();
        List<int[]> trainIds = train.sentences.stream().map(toIds).toList();
        // Test tokens unseen in training get ids too; their idf is the unseen-term maximum and their planes are random as any.
        List<int[]> testIds = test.sentences.stream().map(toIds).toList();
        int vocab = ids.size();
        List<int[]> trainDocs = concat(train, trainIds);
        List<int[]> testDocs = concat(test, testIds);
        for (int bits : settings.bits()) {
            SimHash sentenceHash = new SimHash(trainIds, vocab, bits, settings.seed());
            List<SemanticHash> trainCodes = trainIds.stream().map(sentenceHash::hash).toList();
            List<SemanticHash> testCodes = testIds.stream().map(sentenceHash::hash).toList();
            measureSentenceAndVote("simhash", "SimHash (TF-IDF)", trainCodes, testCodes);
            if (settings.levels().contains(Level.DOCUMENT)) {
                SimHash docHash = new SimHash(trainDocs, vocab, bits, settings.seed());
                measure("simhash-doc", "SimHash (document TF-IDF)", Level.DOCUMENT, trainDocs.stream().map(docHash::hash).toList(),
                        testDocs.stream().map(docHash::hash).toList());
            }
            SplittableRandom rng = Seeds.stream(settings.seed(), bits, 77);
            for (Level level : settings.levels()) {
                boolean sentences = level == Level.SENTENCE;
                int nTrain = sentences ? train.sentences.size() : train.documents.size();
                int nTest = sentences ? test.sentences.size() : test.documents.size();
                measure("random", "random bits", level, randomCodes(nTrain, bits, rng), randomCodes(nTest, bits, rng));
            }
        }
    }

    /**
     * What a user would pick instead of a VAE: the backbone's sentence embeddings (normalized
     * tokens joined by spaces, as the pretrained encoder family reads them) hashed by
     * random-hyperplane LSH and by ITQ fitted on the training items, at every requested bit count
     * up to the backbone's dimension. A document's vector is the mean of its sentences'
     * embeddings (ITQ fitted on training documents).
     *
     * @param cacheDir where embeddings are cached ({@link FeatureCache}); null = no cache
     */
    public void evaluateBackbone(PretrainedBackbone backbone, Path cacheDir) {
        TokenNormalizer normalizer = TokenNormalizer.defaults();
        float[][] trainVec = FeatureCache.embed(backbone, train.sentences.stream().map(s -> normalizer.text(s.tokens(), Integer.MAX_VALUE)).toList(),
                cacheDir, "train", log);
        float[][] testVec = FeatureCache.embed(backbone, test.sentences.stream().map(s -> normalizer.text(s.tokens(), Integer.MAX_VALUE)).toList(),
                cacheDir, "test", log);
        String name = backbone.spec().name();
        for (int bits : settings.bits()) {
            if (bits > backbone.dim()) {
                log.printf("  %s: no %d-bit LSH/ITQ rows (the backbone has %d dimensions)%n", name, bits, backbone.dim());
                continue;
            }
            for (Level level : settings.levels()) {
                float[][] dbVec = level == Level.SENTENCE ? trainVec : meanByDocument(train, trainVec);
                float[][] qVec = level == Level.SENTENCE ? testVec : meanByDocument(test, testVec);
                HyperplaneLsh lsh = new HyperplaneLsh(backbone.dim(), bits, Seeds.mix64(settings.seed() ^ bits));
                measure(name + "-lsh", "LSH over " + name, level, hashRows(dbVec, lsh::hash), hashRows(qVec, lsh::hash));
                Itq itq = Itq.fit(dbVec, bits, 50, settings.seed());
                measure(name + "-itq", "ITQ over " + name, level, hashRows(dbVec, itq::hash), hashRows(qVec, itq::hash));
            }
        }
    }

    private static float[][] meanByDocument(Split split, float[][] sentenceVectors) {
        float[][] out = new float[split.documents.size()][];
        for (int d = 0; d < out.length; d++) {
            List<Integer> doc = split.documents.get(d);
            float[] mean = new float[sentenceVectors[0].length];
            for (int i : doc) {
                for (int j = 0; j < mean.length; j++) {
                    mean[j] += sentenceVectors[i][j] / doc.size();
                }
            }
            out[d] = mean;
        }
        return out;
    }

    static List<SemanticHash> hashRows(float[][] rows, Function<float[], SemanticHash> hash) {
        List<SemanticHash> out = new ArrayList<>(rows.length);
        for (float[] r : rows) {
            out.add(hash.apply(r));
        }
        return out;
    }

    private void measureSentenceAndVote(String method, String family, List<SemanticHash> trainCodes, List<SemanticHash> testCodes) {
        if (settings.levels().contains(Level.SENTENCE)) {
            measure(method, family, Level.SENTENCE, trainCodes, testCodes);
        }
        if (settings.levels().contains(Level.DOCUMENT)) {
            double[] thresholds = DocumentCodes.medianShares(train.group(trainCodes));
            String voteMethod = method.equals("simhash") ? "simhash-vote" : method;
            String voteFamily = method.equals("simhash") ? "SimHash (sentence vote)" : family;
            measure(voteMethod, voteFamily, Level.DOCUMENT, train.documentVotes(trainCodes, thresholds), test.documentVotes(testCodes, thresholds));
        }
    }

    /**
     * Float cosine retrieval at the sentence level, the reference binary codes approximate: each
     * test vector retrieves the {@code k} training vectors of highest cosine (ties to the earlier
     * item of the same seeded database order as the codes). Recorded as a row of 0 bits.
     */
    public void evaluateVectors(String method, String family, float[][] trainVectors, float[][] testVectors) {
        if (trainVectors.length != train.sentences.size() || testVectors.length != test.sentences.size()) {
            throw new IllegalArgumentException(method + ": " + trainVectors.length + " training and " + testVectors.length + " test vectors for "
                    + train.sentences.size() + " and " + test.sentences.size() + " sentences");
        }
        List<Integer> order = databaseOrder(Level.SENTENCE, trainVectors.length);
        float[][] db = order.stream().map(i -> trainVectors[i]).toArray(float[][]::new);
        List<String> dbLabels = order.stream().map(train.sentenceLabels::get).toList();
        double p = CosinePrecision.mean(testVectors, test.sentenceLabels, db, dbLabels, settings.k());
        rows.add(new Row(method, family, Level.SENTENCE.label(), 0, p, settings.k(), testVectors.length, db.length, null));
        log.printf("  %-22s %-9s float     precision@%d %.4f%n", method, Level.SENTENCE.label(), settings.k(), p);
    }

    /** The database shuffled once (fixed seed per level): ties at the k-th distance go to the earlier item in this order. */
    private List<Integer> databaseOrder(Level level, int n) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(Seeds.mix64(settings.seed() ^ level.ordinal())));
        return order;
    }

    private void measure(String method, String family, Level level, List<SemanticHash> trainCodes, List<SemanticHash> testCodes) {
        List<String> trainLabels = level == Level.SENTENCE ? train.sentenceLabels : train.documentLabels;
        List<String> testLabels = level == Level.SENTENCE ? test.sentenceLabels : test.documentLabels;
        List<Integer> order = databaseOrder(level, trainCodes.size());
        List<SemanticHash> db = order.stream().map(trainCodes::get).toList();
        List<String> dbLabels = order.stream().map(trainLabels::get).toList();
        double p = PrecisionAtK.mean(testCodes, testLabels, db, dbLabels, settings.k());
        int bits = trainCodes.get(0).bits();
        CodeStructure structure = testCodes.size() < 2 ? null : CodeStructure.of(testCodes, test.lengths(level), STRUCTURE_PAIRS, settings.seed());
        rows.add(new Row(method, family, level.label(), bits, p, settings.k(), testCodes.size(), db.size(), structure));
        log.printf("  %-22s %-9s %3d bits  precision@%d %.4f%s%n", method, level.label(), bits, settings.k(), p, structure == null ? ""
                : String.format("  length rho %.2f  distinct %.3f", structure.lengthSpearman(), structure.distinctShare()));
    }

    /** Precision@k of a label-only oracle that knows nothing of the query: sum over labels of P(label in test) P(label in train). */
    public double chanceLevel(Level level) {
        List<String> trainLabels = level == Level.SENTENCE ? train.sentenceLabels : train.documentLabels;
        List<String> testLabels = level == Level.SENTENCE ? test.sentenceLabels : test.documentLabels;
        Map<String, Double> trainShare = new HashMap<>();
        trainLabels.forEach(l -> trainShare.merge(l, 1.0 / trainLabels.size(), Double::sum));
        return testLabels.stream().mapToDouble(l -> trainShare.getOrDefault(l, 0.0)).sum() / testLabels.size();
    }

    /**
     * Precision@k of a perfect ranker: mean over queries of min(n, k) / k, n the training items
     * with the query's label. Below 1 when labels have fewer than k training items (Brown's
     * document level: 396 training documents in 15 genres).
     */
    public double ceiling(Level level) {
        List<String> trainLabels = level == Level.SENTENCE ? train.sentenceLabels : train.documentLabels;
        List<String> testLabels = level == Level.SENTENCE ? test.sentenceLabels : test.documentLabels;
        Map<String, Integer> count = new HashMap<>();
        trainLabels.forEach(l -> count.merge(l, 1, Integer::sum));
        return testLabels.stream().mapToDouble(l -> Math.min(count.getOrDefault(l, 0), settings.k()) / (double) settings.k()).sum() / testLabels.size();
    }

    private List<SemanticHash> hashAll(SentenceVae vae, SentenceEncoder encoder, List<CorpusSentence> sentences, String what, Path featureCache) {
        List<io.latentnlp.models.text.EncodedSentence> ids = new ArrayList<>(sentences.size());
        for (CorpusSentence s : sentences) {
            ids.add(encoder.encode(s.tokens()));
        }
        return java.util.Arrays.stream(FeatureCache.encode(vae, ids, featureCache, what, log)).map(vae::hash).toList();
    }

    private static List<int[]> concat(Split split, List<int[]> sentenceIds) {
        List<int[]> docs = new ArrayList<>();
        for (List<Integer> doc : split.documents) {
            int n = doc.stream().mapToInt(i -> sentenceIds.get(i).length).sum();
            int[] all = new int[n];
            int at = 0;
            for (int i : doc) {
                int[] s = sentenceIds.get(i);
                System.arraycopy(s, 0, all, at, s.length);
                at += s.length;
            }
            docs.add(all);
        }
        return docs;
    }

    private static List<SemanticHash> randomCodes(int n, int bits, SplittableRandom rng) {
        List<SemanticHash> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean[] b = new boolean[bits];
            for (int j = 0; j < bits; j++) {
                b[j] = rng.nextBoolean();
            }
            out.add(SemanticHash.fromBits(b));
        }
        return out;
    }

    /** The plot series of a bundle: latent family, encoder family and hash method. */
    static String family(ModelBundle bundle) {
        var m = bundle.manifest();
        String latent = switch (m.latent().type()) {
            case GAUSSIAN -> "Gaussian VAE";
            case BERNOULLI -> "Bernoulli VAE";
            case CATEGORICAL -> "categorical VAE (K=" + m.latent().categories() + ")";
            case NONE -> "none";
        };
        String encoder = io.latentnlp.models.bundle.Manifest.Encoder.PRETRAINED.equals(m.encoderFamily()) ? ", " + m.encoder().backbone().name() + " encoder" : "";
        if (m.provenance() != null && m.provenance().get("distill") instanceof java.util.Map<?, ?> distill) {
            encoder += ", LSTM encoder distilled from " + distill.get("teacher");
        }
        encoder += m.vocab().wordPieces() ? ", word pieces" : "";
        String bits = switch (m.hash().method()) {
            case io.latentnlp.models.bundle.Manifest.Hash.MEDIAN_THRESHOLD -> "median bits";
            case io.latentnlp.models.bundle.Manifest.Hash.POSTERIOR_MODE -> "posterior-mode bits";
            case io.latentnlp.models.bundle.Manifest.Hash.ARGMAX_PACKED -> "argmax bits";
            default -> m.hash().method() + " bits";
        };
        return latent + encoder + " (" + bits + ")";
    }
}
