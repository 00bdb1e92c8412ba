package io.latentnlp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import edu.stanford.nlp.util.CoreMap;
import io.latentnlp.annotator.corenlp.VaeAnnotations;
import io.latentnlp.annotator.corenlp.VaeAnnotator;
import io.latentnlp.annotator.opennlp.RawTextVae;
import io.latentnlp.annotator.opennlp.SentenceVaeME;
import io.latentnlp.annotator.opennlp.SentenceVaeModel;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.runtime.SentenceVae;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scala.collection.JavaConverters;

/** The Transformer on a real local[2] Spark against the single-JVM surfaces. */
@Tag("integration")
class SentenceVaeTransformerTest {

    /** Three documents: the README's sample, then two more with punctuation CoreNLP and OpenNLP split. */
    static final List<String> DOCUMENTS = List.of(
            "The committee met on Tuesday to discuss the new budget for the county schools. Several members said that the plan would raise taxes for"
                    + " families in the city. She walked slowly down the road, thinking about the letter from her brother.",
            "The river was cold and dark, and the boat moved quietly through the fog. Scientists at the university reported that the new method"
                    + " reduced the error by half.",
            "\"I don't know,\" said the jury's foreman (Mr. Smith) on Friday. It rained. Prices rose 3.5% in 1961, and/or fell later?");

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.local2("SentenceVaeTransformerTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** CoreNLP's reading of a document (what `latent-nlp annotate` prints), per sentence. */
    record Expected(List<String> tokens, String hash, double logLikelihood, double iwae, List<Double> tokenLogProbs, int modelTokens) {}

    record ExpectedDoc(List<Expected> sentences, String hash, float[] latent) {}

    static List<ExpectedDoc> coreNlp(String model, int iwae) {
        Properties props = new Properties();
        props.setProperty("annotators", "tokenize,ssplit,vae");
        props.setProperty("customAnnotatorClass.vae", VaeAnnotator.class.getName());
        props.setProperty("vae.model", model);
        props.setProperty("vae.iwae.samples", Integer.toString(iwae));
        StanfordCoreNLP pipeline = new StanfordCoreNLP(props);
        List<ExpectedDoc> out = new ArrayList<>();
        for (String text : DOCUMENTS) {
            Annotation doc = new Annotation(text);
            pipeline.annotate(doc);
            List<Expected> ss = new ArrayList<>();
            for (CoreMap s : doc.get(CoreAnnotations.SentencesAnnotation.class)) {
                List<CoreLabel> tokens = s.get(CoreAnnotations.TokensAnnotation.class);
                ss.add(new Expected(tokens.stream().map(CoreLabel::word).toList(), s.get(VaeAnnotations.HashAnnotation.class).toHex(),
                        s.get(VaeAnnotations.LogLikelihoodAnnotation.class), s.get(VaeAnnotations.IwaeLogLikelihoodAnnotation.class),
                        tokens.stream().map(t -> t.get(VaeAnnotations.TokenLogProbAnnotation.class)).toList(),
                        s.get(VaeAnnotations.ModelTokenCountAnnotation.class)));
            }
            out.add(new ExpectedDoc(ss, doc.get(VaeAnnotations.DocumentHashAnnotation.class).toHex(), doc.get(VaeAnnotations.DocumentLatentAnnotation.class)));
        }
        return out;
    }

    static void assertRelative(double expected, double actual, String what) {
        assertTrue(Math.abs(expected - actual) <= 1e-5 * Math.abs(expected), what + ": expected " + expected + " but was " + actual);
    }

    /**
     * The CoreNLP annotator's sentences, given to the Transformer as token arrays on local[2]
     * (two partitions, batches that cut across documents): identical hashes, document hashes and
     * latents, log-likelihoods, IWAE estimates and per-token log-probabilities within 1e-5
     * relative; one model load per bundle in this JVM whatever the partitions.
     */
    @ParameterizedTest
    @ValueSource(strings = {ShippedModels.BERNOULLI_64, ShippedModels.DEFAULT})
    void outputEqualsTheSingleJvmAnnotatorOnTheSameSentences(String model) {
        List<ExpectedDoc> expected = coreNlp(model, 8);
        List<Row> rows = new ArrayList<>();
        for (int d = 0; d < expected.size(); d++) {
            List<Object> sentences = new ArrayList<>();
            for (Expected e : expected.get(d).sentences()) {
                sentences.add(JavaConverters.asScalaBuffer(e.tokens()));
            }
            rows.add(RowFactory.create("doc" + d, JavaConverters.asScalaBuffer(sentences)));
        }
        StructType schema = new StructType().add("id", DataTypes.StringType).add("sentences",
                DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.StringType)));
        Dataset<Row> input = spark.createDataFrame(rows, schema).repartition(2);
        int loadsBefore = ExecutorModels.loads();
        SentenceVaeTransformer vae = new SentenceVaeTransformer().setInputCol("sentences").setModel(model).setIwaeSamples(8).setTokenLogProbs(true)
                .setBatchSentences(3);
        List<Row> out = vae.transform(input).orderBy("id").collectAsList();
        vae.transform(input).count(); // a second job: the model is not loaded again
        assertTrue(ExecutorModels.loads() - loadsBefore <= 1, "one load per bundle per JVM, got " + (ExecutorModels.loads() - loadsBefore));
        assertEquals(expected.size(), out.size());
        for (int d = 0; d < expected.size(); d++) {
            ExpectedDoc ed = expected.get(d);
            Row doc = out.get(d).getStruct(2);
            assertEquals(ed.hash(), doc.getString(0), "document hash of doc" + d);
            assertEquals(Long.parseUnsignedLong(ed.hash(), 16), doc.getLong(1));
            List<Float> latent = doc.getList(2);
            for (int k = 0; k < ed.latent().length; k++) {
                assertRelative(ed.latent()[k], latent.get(k), "document latent " + k + " of doc" + d);
            }
            List<Row> sentences = doc.getList(3);
            assertEquals(ed.sentences().size(), sentences.size(), "sentences of doc" + d);
            for (int i = 0; i < sentences.size(); i++) {
                Expected e = ed.sentences().get(i);
                Row s = sentences.get(i);
                String what = model + " doc" + d + " sentence " + i;
                assertEquals(e.tokens(), s.getList(1), what);
                assertEquals(e.hash(), s.getAs("hash"), what);
                assertRelative(e.logLikelihood(), s.getAs("logLikelihood"), what + " log p(x|z)");
                assertRelative(e.iwae(), s.getAs("iwaeLogLikelihood"), what + " IWAE");
                List<Double> lp = s.getList(s.fieldIndex("tokenLogProbs"));
                assertEquals(e.tokens().size(), lp.size(), what + " per-token log-probabilities, one per pipeline token");
                for (int t = 0; t < lp.size(); t++) {
                    Double want = e.tokenLogProbs().get(t);
                    if (want == null) {
                        assertNull(lp.get(t), what + " token " + t + " has no units of its own");
                    } else {
                        assertRelative(want, lp.get(t), what + " token " + t);
                    }
                }
                assertEquals(e.modelTokens(), (int) s.getAs("modelTokens"), what);
            }
        }
    }

    /** Raw text: OpenNLP's sentence detector and tokenizer, as RawTextVae in one JVM; options off give nulls. */
    @Test
    void rawTextEqualsTheOpenNlpSurface() {
        List<Row> rows = new ArrayList<>();
        for (String d : DOCUMENTS) {
            rows.add(RowFactory.create(d));
        }
        rows.add(RowFactory.create((Object) null));
        Dataset<Row> input = spark.createDataFrame(rows, new StructType().add("text", DataTypes.StringType)).repartition(2);
        List<Row> out = new SentenceVaeTransformer().setModel(ShippedModels.BERNOULLI_64).transform(input).collectAsList();
        try (SentenceVaeModel model = SentenceVaeModel.load(ShippedModels.BERNOULLI_64, SentenceVae.Options.defaults())) {
            RawTextVae raw = new RawTextVae(new SentenceVaeME(model), RawTextVae.Tokenization.MAXENT);
            int seen = 0;
            for (Row r : out) {
                if (r.isNullAt(0)) {
                    assertTrue(r.isNullAt(1), "a null text gives a null struct");
                    continue;
                }
                seen++;
                List<RawTextVae.Sentence> expected = raw.process(r.getString(0));
                List<Row> sentences = r.getStruct(1).getList(3);
                assertEquals(expected.size(), sentences.size());
                for (int i = 0; i < expected.size(); i++) {
                    Row s = sentences.get(i);
                    assertEquals(expected.get(i).text(), s.getString(0));
                    assertEquals(List.of(expected.get(i).tokens()), s.getList(1));
                    assertEquals(expected.get(i).result().hash().toHex(), s.getString(2));
                    assertRelative(expected.get(i).result().logLikelihood(), s.getDouble(5), "log p(x|z)");
                    assertNull(s.getAs("iwaeLogLikelihood"));
                    assertNull(s.getAs("tokenLogProbs"));
                }
            }
            assertEquals(DOCUMENTS.size(), seen);
        }
    }

    /** Saved in a Pipeline and loaded back: same params, same output. */
    @Test
    void savesAndLoadsInAPipeline(@TempDir Path dir) throws IOException {
        SentenceVaeTransformer vae = new SentenceVaeTransformer().setInputCol("tokens").setOutputCol("out").setModel(ShippedModels.BERNOULLI_64)
                .setIwaeSamples(3).setSeed(7).setOnnxThreads(1).setBatchSentences(5);
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {vae}).fit(tokensFrame());
        String path = dir.resolve("pipeline").toString();
        fitted.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        SentenceVaeTransformer back = (SentenceVaeTransformer) loaded.stages()[0];
        assertEquals(vae.uid(), back.uid());
        assertEquals(ShippedModels.BERNOULLI_64, back.getOrDefault(back.model()));
        assertEquals(3, back.getOrDefault(back.iwaeSamples()));
        assertEquals(7L, back.getOrDefault(back.seed()));
        assertEquals("out", back.getOrDefault(back.outputCol()));
        assertEquals(fitted.transform(tokensFrame()).orderBy("tokens").collectAsList(), loaded.transform(tokensFrame()).orderBy("tokens").collectAsList());
    }

    private static Dataset<Row> tokensFrame() {
        List<Row> rows = List.of(RowFactory.create(JavaConverters.asScalaBuffer(List.of("It", "rained", "."))),
                RowFactory.create(JavaConverters.asScalaBuffer(List.of("The", "jury", "said", "so", "."))),
                RowFactory.create(JavaConverters.asScalaBuffer(List.<String>of())));
        return spark.createDataFrame(rows, new StructType().add("tokens", DataTypes.createArrayType(DataTypes.StringType)));
    }

    /** The closure holds settings, not a model: its serialized form is a few hundred bytes. */
    @Test
    void theTaskClosureCarriesNoModel() throws IOException {
        PartitionAnnotator.Settings s = new PartitionAnnotator.Settings(ShippedModels.DEFAULT, "text", 0, VaeSchema.Input.RAW_TEXT,
                RawTextVae.Tokenization.MAXENT, 0, 42, false, 1, 256, 64, 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new PartitionAnnotator(s));
        }
        assertTrue(bytes.size() < 4096, bytes.size() + " bytes");
    }

    @Test
    void badColumnsAndModelsAreNamed() {
        Dataset<Row> ints = spark.createDataFrame(List.of(RowFactory.create(1)), new StructType().add("n", DataTypes.IntegerType));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SentenceVaeTransformer().setInputCol("n").transform(ints));
        assertTrue(e.getMessage().contains("inputCol 'n' has type int"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> new SentenceVaeTransformer().setInputCol("text").transform(ints));
        assertTrue(e2.getMessage().contains("inputCol 'text' is not a column") && e2.getMessage().contains("columns: n"), e2.getMessage());
        Exception e3 = assertThrows(Exception.class, () -> new SentenceVaeTransformer().setInputCol("tokens").setModel("no-such-model.vae").transform(tokensFrame()).count());
        assertNotNull(e3.getMessage());
        assertTrue(e3.getMessage().contains("model 'no-such-model.vae' not found") && e3.getMessage().contains("--files"), e3.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SentenceVaeTransformer().setTokenization("spaces"));
    }
}
