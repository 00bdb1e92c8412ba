package io.latentnlp.annotator.opennlp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import io.latentnlp.models.analysis.TextSplitter;
import opennlp.tools.sentdetect.SentenceDetectorME;
import opennlp.tools.sentdetect.SentenceModel;
import opennlp.tools.tokenize.SimpleTokenizer;
import opennlp.tools.tokenize.Tokenizer;
import opennlp.tools.tokenize.TokenizerME;
import opennlp.tools.tokenize.TokenizerModel;
import opennlp.tools.tokenize.WhitespaceTokenizer;

/**
 * Raw text to VAE results with OpenNLP's own sentence detector and tokenizer: the English UD EWT
 * models of {@code org.apache.opennlp:opennlp-models-sentdetect-en} and {@code -tokenizer-en}
 * (1.3.0), found on the classpath; or {@link SimpleTokenizer} / {@link WhitespaceTokenizer} as
 * explicit choices. Thread-safe: the maxent models are shared, the {@code ...ME} instances are
 * per thread.
 */
public final class RawTextVae implements TextSplitter {

    /** How sentences are cut into tokens. */
    public enum Tokenization {
        /** {@code TokenizerME} with the English UD EWT model (the default). */
        MAXENT,
        /** {@code SimpleTokenizer}: character classes. */
        SIMPLE,
        /** {@code WhitespaceTokenizer}: the text is already tokenized. */
        WHITESPACE
    }

    /** Classpath resources of the English models. */
    public static final String SENTENCE_MODEL = "/opennlp-en-ud-ewt-sentence-1.3-2.5.4.bin";
    public static final String TOKENIZER_MODEL = "/opennlp-en-ud-ewt-tokens-1.3-2.5.4.bin";

    private static SentenceModel sentenceModel;
    private static TokenizerModel tokenizerModel;

    /** A sentence of the text, its tokens and results. */
    public record Sentence(String text, String[] tokens, SentenceVaeME.Result result) {}

    private final SentenceVaeME vae;
    private final Tokenization tokenization;
    private final ThreadLocal<SentenceDetectorME> detector;
    private final ThreadLocal<Tokenizer> tokenizer;

    public RawTextVae(SentenceVaeME vae, Tokenization tokenization) {
        this.vae = vae;
        this.tokenization = tokenization;
        SentenceModel sm = sentenceModel();
        this.detector = ThreadLocal.withInitial(() -> new SentenceDetectorME(sm));
        this.tokenizer = switch (tokenization) {
            case MAXENT -> {
                TokenizerModel tm = tokenizerModel();
                yield ThreadLocal.withInitial(() -> new TokenizerME(tm));
            }
            case SIMPLE -> ThreadLocal.withInitial(() -> SimpleTokenizer.INSTANCE);
            case WHITESPACE -> ThreadLocal.withInitial(() -> WhitespaceTokenizer.INSTANCE);
        };
    }

    public Tokenization tokenization() {
        return tokenization;
    }

    /** Sentences of a text (OpenNLP's sentence detector). */
    public String[] sentences(String text) {
        return detector.get().sentDetect(text);
    }

    /** Tokens of one sentence. */
    public String[] tokenize(String sentence) {
        return tokenizer.get().tokenize(sentence);
    }

    /** Sentences of a text as tokens: OpenNLP's splitter for {@link io.latentnlp.models.analysis.SentenceAnalyzer#analyze(String)}. */
    @Override
    public List<List<String>> split(String text) {
        List<List<String>> out = new ArrayList<>();
        for (String s : sentences(text)) {
            out.add(List.of(tokenize(s)));
        }
        return out;
    }

    /** Detects sentences, tokenizes them and encodes them in one batch. */
    public List<Sentence> process(String text) {
        String[] sentences = sentences(text);
        String[][] tokens = new String[sentences.length][];
        for (int i = 0; i < sentences.length; i++) {
            tokens[i] = tokenize(sentences[i]);
        }
        SentenceVaeME.Result[] r = vae.encode(tokens);
        List<Sentence> out = new ArrayList<>(sentences.length);
        for (int i = 0; i < sentences.length; i++) {
            out.add(new Sentence(sentences[i], tokens[i], r[i]));
        }
        return out;
    }

    private static synchronized SentenceModel sentenceModel() {
        if (sentenceModel == null) {
            try (InputStream in = resource(SENTENCE_MODEL, "opennlp-models-sentdetect-en")) {
                sentenceModel = new SentenceModel(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the OpenNLP sentence model " + SENTENCE_MODEL, e);
            }
        }
        return sentenceModel;
    }

    private static synchronized TokenizerModel tokenizerModel() {
        if (tokenizerModel == null) {
            try (InputStream in = resource(TOKENIZER_MODEL, "opennlp-models-tokenizer-en")) {
                tokenizerModel = new TokenizerModel(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the OpenNLP tokenizer model " + TOKENIZER_MODEL, e);
            }
        }
        return tokenizerModel;
    }

    private static InputStream resource(String name, String artifact) {
        InputStream in = RawTextVae.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the classpath: add org.apache.opennlp:" + artifact + ":1.3.0");
        }
        return in;
    }
}
