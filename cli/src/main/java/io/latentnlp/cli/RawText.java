package io.latentnlp.cli;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import edu.stanford.nlp.util.CoreMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Raw text cut into tokenized sentences as {@code latent-nlp annotate} cuts it: CoreNLP's
 * {@code tokenize,ssplit} with their default properties, each token's {@code word()} (what the
 * VAE annotator encodes), so {@code index add --raw} and {@code annotate} give a file the same
 * sentences and codes. Newlines inside a paragraph do not end a sentence; a blank line does not
 * either unless a sentence ends there (CoreNLP's default). The pipeline is built on first use.
 * Not thread-safe.
 */
final class RawText {

    private StanfordCoreNLP pipeline;

    /** The sentences of {@code text}, each a list of tokens (none for blank text). */
    List<List<String>> sentences(String text) {
        if (pipeline == null) {
            Properties props = new Properties();
            props.setProperty("annotators", "tokenize,ssplit");
            pipeline = new StanfordCoreNLP(props);
        }
        Annotation doc = new Annotation(text);
        pipeline.annotate(doc);
        List<List<String>> out = new ArrayList<>();
        for (CoreMap s : doc.get(CoreAnnotations.SentencesAnnotation.class)) {
            List<String> tokens = s.get(CoreAnnotations.TokensAnnotation.class).stream().map(CoreLabel::word).toList();
            if (!tokens.isEmpty()) {
                out.add(tokens);
            }
        }
        return out;
    }
}
