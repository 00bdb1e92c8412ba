package io.latentnlp.spark;

import io.latentnlp.annotator.opennlp.RawTextVae;
import io.latentnlp.models.bundle.ShippedModels;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} that runs a sentence VAE over a column of documents and appends a
 * struct column of per-sentence hashes, codes and likelihoods and a per-document hash and latent
 * ({@link VaeSchema} gives the types).
 *
 * <p>The input column is a string (raw text: sentences detected and tokenized by OpenNLP, as the
 * {@code latent-nlp opennlp SentenceVae -raw true} surface does), an {@code array<string>} (one
 * tokenized sentence) or an {@code array<array<string>>} (a document's tokenized sentences). The
 * model is named by reference (a shipped name, a path readable on every executor, or a file shipped
 * with {@code --files}) and loaded once per executor JVM by the first task that needs it
 * ({@link ExecutorModels}); the closure carries the settings only. Each task gathers
 * {@code batchSentences} sentences at a time from its partition for one model call.
 *
 * <p>Params are plain values, so the Transformer saves and loads with its {@code Pipeline}
 * ({@link DefaultParamsWritable}, {@link #read()}).
 */
public final class SentenceVaeTransformer extends Transformer implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;

    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> model;
    private final Param<String> tokenization;
    private final IntParam iwaeSamples;
    private final LongParam seed;
    private final BooleanParam tokenLogProbs;
    private final IntParam onnxThreads;
    private final IntParam batchSentences;
    private final IntParam onnxBatchSize;
    private final IntParam maxLength;

    public SentenceVaeTransformer() {
        this(Identifiable$.MODULE$.randomUID("sentenceVae"));
    }

    /** With a given uid (how {@link DefaultParamsReader} recreates a saved instance). */
    public SentenceVaeTransformer(String uid) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "input column: string (raw text), array<string> (one tokenized sentence) or array<array<string>> (tokenized sentences)");
        outputCol = new Param<>(this, "outputCol", "output column (a struct, see docs/spark.md)");
        model = new Param<>(this, "model", "shipped model name, bundle path on the executors, or a file name shipped with --files");
        tokenization = new Param<>(this, "tokenization", "tokenizer of raw text: maxent (OpenNLP English TokenizerME), simple or whitespace",
                ParamValidators.inArray(new String[] {"maxent", "simple", "whitespace"}));
        iwaeSamples = new IntParam(this, "iwaeSamples", "importance samples K of the IWAE estimate of log p(x); 0 = off", ParamValidators.gtEq(0));
        seed = new LongParam(this, "seed", "IWAE noise seed (a sentence gets the same estimate in any batch or partition)");
        tokenLogProbs = new BooleanParam(this, "tokenLogProbs", "whether to output log p(token | prefix, z) per token");
        onnxThreads = new IntParam(this, "onnxThreads", "ONNX Runtime intra-op threads of the executor's model, fixed by the first task that loads it",
                ParamValidators.gtEq(1));
        batchSentences = new IntParam(this, "batchSentences", "sentences a task gathers from its partition per model call", ParamValidators.gtEq(1));
        onnxBatchSize = new IntParam(this, "onnxBatchSize", "sentences per ONNX Runtime call (length-sorted), fixed when the executor loads the model",
                ParamValidators.gtEq(1));
        maxLength = new IntParam(this, "maxLength", "tokens read per sentence; 0 = the model's training maximum", ParamValidators.gtEq(0));
        setDefault(inputCol, "text");
        setDefault(outputCol, "vae");
        setDefault(model, ShippedModels.DEFAULT);
        setDefault(tokenization, "maxent");
        setDefault(iwaeSamples, 0);
        setDefault(seed, 42L);
        setDefault(tokenLogProbs, false);
        setDefault(onnxThreads, 1);
        setDefault(batchSentences, 256);
        setDefault(onnxBatchSize, 64);
        setDefault(maxLength, 0);
    }

    public static MLReader<SentenceVaeTransformer> read() {
        return new DefaultParamsReader<>();
    }

    public static SentenceVaeTransformer load(String path) {
        return read().load(path);
    }

    @Override
    public String uid() {
        return uid;
    }

    // Param accessors: Spark finds params by these public no-argument methods, named as the params.
    public Param<String> inputCol() { return inputCol; }
    public Param<String> outputCol() { return outputCol; }
    public Param<String> model() { return model; }
    public Param<String> tokenization() { return tokenization; }
    public IntParam iwaeSamples() { return iwaeSamples; }
    public LongParam seed() { return seed; }
    public BooleanParam tokenLogProbs() { return tokenLogProbs; }
    public IntParam onnxThreads() { return onnxThreads; }
    public IntParam batchSentences() { return batchSentences; }
    public IntParam onnxBatchSize() { return onnxBatchSize; }
    public IntParam maxLength() { return maxLength; }

    public SentenceVaeTransformer setInputCol(String v) { set(inputCol, v); return this; }
    public SentenceVaeTransformer setOutputCol(String v) { set(outputCol, v); return this; }
    public SentenceVaeTransformer setModel(String v) { set(model, v); return this; }
    public SentenceVaeTransformer setTokenization(String v) { set(tokenization, v.toLowerCase(Locale.ROOT)); return this; }
    public SentenceVaeTransformer setIwaeSamples(int v) { set(iwaeSamples, v); return this; }
    public SentenceVaeTransformer setSeed(long v) { set(seed, v); return this; }
    public SentenceVaeTransformer setTokenLogProbs(boolean v) { set(tokenLogProbs, v); return this; }
    public SentenceVaeTransformer setOnnxThreads(int v) { set(onnxThreads, v); return this; }
    public SentenceVaeTransformer setBatchSentences(int v) { set(batchSentences, v); return this; }
    public SentenceVaeTransformer setOnnxBatchSize(int v) { set(onnxBatchSize, v); return this; }
    public SentenceVaeTransformer setMaxLength(int v) { set(maxLength, v); return this; }

    @Override
    public StructType transformSchema(StructType schema) {
        String in = $(inputCol);
        String out = $(outputCol);
        if (!Arrays.asList(schema.fieldNames()).contains(in)) {
            throw new IllegalArgumentException("inputCol '" + in + "' is not a column of the input (columns: " + String.join(", ", schema.fieldNames()) + ")");
        }
        VaeSchema.Input.of(in, schema.apply(in).dataType());
        if (Arrays.asList(schema.fieldNames()).contains(out)) {
            throw new IllegalArgumentException("outputCol '" + out + "' already exists in the input: choose another name with setOutputCol");
        }
        return schema.add(new StructField(out, VaeSchema.DOCUMENT, true, org.apache.spark.sql.types.Metadata.empty()));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType outSchema = transformSchema(dataset.schema());
        String in = $(inputCol);
        int index = dataset.schema().fieldIndex(in);
        PartitionAnnotator.Settings settings = new PartitionAnnotator.Settings($(model), in, index, VaeSchema.Input.of(in, dataset.schema().apply(in).dataType()),
                RawTextVae.Tokenization.valueOf($(tokenization).toUpperCase(Locale.ROOT)), (Integer) $(iwaeSamples), (Long) $(seed),
                (Boolean) $(tokenLogProbs), (Integer) $(onnxThreads), (Integer) $(batchSentences), (Integer) $(onnxBatchSize), (Integer) $(maxLength));
        return dataset.toDF().mapPartitions(new PartitionAnnotator(settings), Encoders.row(outSchema));
    }

    @Override
    public SentenceVaeTransformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
