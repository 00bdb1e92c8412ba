package io.latentnlp.spark;

import io.latentnlp.annotator.opennlp.RawTextVae;
import io.latentnlp.annotator.opennlp.SentenceVaeME;
import io.latentnlp.annotator.opennlp.SentenceVaeModel;
import io.latentnlp.models.analysis.DocumentResult;
import io.latentnlp.models.analysis.SentenceAnalyzer;
import io.latentnlp.models.analysis.SentenceResult;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The task side of {@link SentenceVaeTransformer}: reads a partition's rows lazily, gathers
 * documents until about {@code batchSentences} sentences are waiting, runs them through the
 * JVM's shared model ({@link ExecutorModels}) in one call, and emits each input row with the
 * output struct appended. Serialized into the closure: it holds only the settings (a few hundred
 * bytes), never a model.
 */
final class PartitionAnnotator implements MapPartitionsFunction<Row, Row>, Serializable {

    private static final long serialVersionUID = 1L;

    /** Settings of one transform, copied from the Transformer's params on the driver. */
    record Settings(String model, String inputCol, int inputIndex, VaeSchema.Input input, RawTextVae.Tokenization tokenization, int iwaeSamples, long seed,
            boolean tokenLogProbs, int threads, int batchSentences, int onnxBatchSize, int maxLength) implements Serializable {}

    private final Settings settings;

    PartitionAnnotator(Settings settings) {
        this.settings = settings;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        SentenceVaeModel model = ExecutorModels.acquire(settings.model(), settings.threads(), settings.onnxBatchSize());
        SentenceVaeME vae = new SentenceVaeME(model, settings.maxLength());
        SentenceAnalyzer analyzer = vae.analyzer().withIwae(settings.iwaeSamples(), settings.seed());
        RawTextVae raw = settings.input() == VaeSchema.Input.RAW_TEXT ? new RawTextVae(vae, settings.tokenization()) : null;
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && rows.hasNext()) {
                    fill();
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }

            private void fill() {
                List<Row> batch = new ArrayList<>();
                List<List<VaeSchema.Sentence>> docs = new ArrayList<>();
                int waiting = 0;
                while (rows.hasNext() && (batch.isEmpty() || waiting < settings.batchSentences())) {
                    Row r = rows.next();
                    List<VaeSchema.Sentence> ss = sentences(r.get(settings.inputIndex()), raw);
                    batch.add(r);
                    docs.add(ss);
                    waiting += ss == null ? 0 : ss.size();
                }
                List<List<String>> tokens = docs.stream().filter(d -> d != null).flatMap(List::stream).map(s -> List.of(s.tokens())).toList();
                List<SentenceResult> results = analyzer.analyzeTokens(tokens);
                int next = 0;
                for (int i = 0; i < batch.size(); i++) {
                    List<VaeSchema.Sentence> ss = docs.get(i);
                    Row out = null;
                    if (ss != null) {
                        out = VaeSchema.document(ss, DocumentResult.of(results.subList(next, next + ss.size())), settings.tokenLogProbs());
                        next += ss.size();
                    }
                    ready.add(append(batch.get(i), out));
                }
            }
        };
    }

    /** The sentences of one input value, or null for a null value. */
    private List<VaeSchema.Sentence> sentences(Object value, RawTextVae raw) {
        if (value == null) {
            return null;
        }
        List<VaeSchema.Sentence> out = new ArrayList<>();
        switch (settings.input()) {
            case RAW_TEXT -> {
                for (String s : raw.sentences((String) value)) {
                    out.add(new VaeSchema.Sentence(s, raw.tokenize(s)));
                }
            }
            case SENTENCE_TOKENS -> out.add(tokens(value));
            case DOCUMENT_TOKENS -> {
                for (Object s : VaeSchema.list(value)) {
                    if (s == null) {
                        throw new IllegalArgumentException("a null sentence in column " + settings.inputCol() + ": give an empty array instead");
                    }
                    out.add(tokens(s));
                }
            }
        }
        return out;
    }

    private static VaeSchema.Sentence tokens(Object value) {
        String[] t = VaeSchema.list(value).stream().map(o -> {
            if (o == null) {
                throw new IllegalArgumentException("a null token in a tokens array");
            }
            return (String) o;
        }).toArray(String[]::new);
        return new VaeSchema.Sentence(String.join(" ", t), t);
    }

    private static Row append(Row in, Row out) {
        Object[] values = new Object[in.length() + 1];
        for (int i = 0; i < in.length(); i++) {
            values[i] = in.get(i);
        }
        values[in.length()] = out;
        return RowFactory.create(values);
    }
}
