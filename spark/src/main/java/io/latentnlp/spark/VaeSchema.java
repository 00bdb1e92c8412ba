package io.latentnlp.spark;

import io.latentnlp.annotator.opennlp.SentenceVaeME;
import io.latentnlp.models.analysis.DocumentResult;
import io.latentnlp.models.analysis.SentenceResult;
import io.latentnlp.models.hash.SemanticHash;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * The Transformer's output column: a struct per input row (one document) holding its sentences'
 * results and the document's code. Types (documented in docs/spark.md):
 *
 * <pre>
 * documentHash      string          majority vote of the sentences' hash bits, hex (null: no sentences)
 * documentHashLong  bigint          the same bits read as an unsigned hex number into a signed 64-bit long (null above 64 bits)
 * documentLatent    array&lt;float&gt;    mean of the sentences' codes (null: no sentences)
 * sentences         array&lt;struct&gt;   one per sentence, in order:
 *   text              string          the sentence (raw text as detected, or the tokens joined by spaces)
 *   tokens            array&lt;string&gt;   the tokens given to the model
 *   hash, hashLong    string, bigint  the sentence's semantic hash, as above
 *   code              array&lt;float&gt;    E_q[z]: Gaussian mean, or Bernoulli/categorical probabilities
 *   logLikelihood     double          log p(x|z) at the posterior code, nats, &lt;/s&gt; included
 *   modelTokens       int             model units scored (words or word pieces read, + &lt;/s&gt;)
 *   unknownTokens     int             units read that are outside the vocabulary
 *   truncated         boolean         longer than the maximum length
 *   iwaeLogLikelihood double          IWAE estimate of log p(x) (null unless iwaeSamples &gt; 0)
 *   tokenLogProbs     array&lt;double&gt;   one per input token: log p of the model units read from it, summed
 *                                     (null entry for a token joined to the one before it, as n't, or
 *                                     past truncation; the array is null unless tokenLogProbs)
 * </pre>
 */
final class VaeSchema {

    private VaeSchema() {}

    static final StructType SENTENCE = new StructType(new StructField[] {
        DataTypes.createStructField("text", DataTypes.StringType, false),
        DataTypes.createStructField("tokens", DataTypes.createArrayType(DataTypes.StringType, false), false),
        DataTypes.createStructField("hash", DataTypes.StringType, true),
        DataTypes.createStructField("hashLong", DataTypes.LongType, true),
        DataTypes.createStructField("code", DataTypes.createArrayType(DataTypes.FloatType, false), false),
        DataTypes.createStructField("logLikelihood", DataTypes.DoubleType, false),
        DataTypes.createStructField("modelTokens", DataTypes.IntegerType, false),
        DataTypes.createStructField("unknownTokens", DataTypes.IntegerType, false),
        DataTypes.createStructField("truncated", DataTypes.BooleanType, false),
        DataTypes.createStructField("iwaeLogLikelihood", DataTypes.DoubleType, true),
        DataTypes.createStructField("tokenLogProbs", DataTypes.createArrayType(DataTypes.DoubleType, true), true)});

    static final StructType DOCUMENT = new StructType(new StructField[] {
        DataTypes.createStructField("documentHash", DataTypes.StringType, true),
        DataTypes.createStructField("documentHashLong", DataTypes.LongType, true),
        DataTypes.createStructField("documentLatent", DataTypes.createArrayType(DataTypes.FloatType, false), true),
        DataTypes.createStructField("sentences", DataTypes.createArrayType(SENTENCE, false), false)});

    /** What the input column holds, from its Spark type. */
    enum Input {
        /** string: raw text, sentences detected and tokenized as the OpenNLP surface does */
        RAW_TEXT,
        /** array&lt;string&gt;: one tokenized sentence */
        SENTENCE_TOKENS,
        /** array&lt;array&lt;string&gt;&gt;: a document's tokenized sentences */
        DOCUMENT_TOKENS;

        static Input of(String column, DataType type) {
            if (type.equals(DataTypes.StringType)) {
                return RAW_TEXT;
            }
            if (type instanceof ArrayType a) {
                if (a.elementType().equals(DataTypes.StringType)) {
                    return SENTENCE_TOKENS;
                }
                if (a.elementType() instanceof ArrayType inner && inner.elementType().equals(DataTypes.StringType)) {
                    return DOCUMENT_TOKENS;
                }
            }
            throw new IllegalArgumentException("inputCol '" + column + "' has type " + type.simpleString()
                    + ": it must be string (raw text), array<string> (one tokenized sentence) or array<array<string>> (a document's tokenized sentences)");
        }
    }

    /** One sentence ready for the model. */
    record Sentence(String text, String[] tokens) {}

    /** The output struct of one document: its sentences' results and the document-level codes of them. */
    static Row document(List<Sentence> sentences, DocumentResult result, boolean tokenLogProbs) {
        List<Row> rows = new ArrayList<>(sentences.size());
        for (int i = 0; i < sentences.size(); i++) {
            Sentence s = sentences.get(i);
            SentenceResult r = result.sentences().get(i);
            rows.add(RowFactory.create(s.text(), seq(List.of(s.tokens())), r.hash() == null ? null : r.hash().toHex(), asLong(r.hash()), floats(r.latent()),
                    r.logLikelihood(), r.modelTokens(), r.unknownTokens(), r.truncated(),
                    r.iwaeLogLikelihood().isPresent() ? r.iwaeLogLikelihood().getAsDouble() : null, tokenLogProbs ? doubles(r.tokenLogProbs()) : null));
        }
        SemanticHash doc = result.hash();
        float[] latent = result.latent();
        return RowFactory.create(doc == null ? null : doc.toHex(), asLong(doc), latent == null ? null : floats(latent), seq(rows));
    }

    /** A code of at most 64 bits as the unsigned number its hex spells, in a signed long; null when longer. */
    static Long asLong(SemanticHash h) {
        return h == null || h.bits() > 64 ? null : Long.parseUnsignedLong(h.toHex(), 16);
    }

    static <T> scala.collection.Seq<T> seq(List<T> list) {
        return JavaConverters.asScalaBuffer(list);
    }

    private static scala.collection.Seq<Float> floats(float[] v) {
        List<Float> out = new ArrayList<>(v.length);
        for (float f : v) {
            out.add(f);
        }
        return seq(out);
    }

    private static scala.collection.Seq<Double> doubles(double[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (double d : v) {
            out.add(Double.isNaN(d) ? null : d);
        }
        return seq(out);
    }

    /** Strings of an array value as Spark hands it to a Row (a Scala Seq or a Java List). */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        if (value instanceof scala.collection.Seq<?> s) {
            return (List<Object>) JavaConverters.seqAsJavaList(s);
        }
        throw new IllegalArgumentException("expected an array value, got " + value.getClass().getName());
    }
}
