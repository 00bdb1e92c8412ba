package io.latentnlp.examples;

import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.CoreDocument;
import edu.stanford.nlp.pipeline.CoreSentence;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import io.latentnlp.annotator.corenlp.VaeAnnotations;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * A CoreNLP pipeline built from properties, with the sentence VAE as a custom annotator; prints
 * one line per sentence: its 64-bit semantic hash in hex, a tab, and its tokens joined by spaces.
 *
 * <p>Usage: {@code CoreNlpHashes [TEXT...]} (the arguments joined by spaces; a sample text without
 * any). The model (the shipped default, {@code vae.model} names another) is loaded once per JVM and
 * shared by every pipeline naming it; CoreNLP pipelines have no {@code close()}.
 */
public final class CoreNlpHashes {

    public static void main(String[] args) {
        String text = args.length > 0 ? String.join(" ", args)
                : "The committee met on Tuesday to discuss the budget. Taxes will rise next year.";
        Properties props = new Properties();
        props.setProperty("annotators", "tokenize,ssplit,vae");
        props.setProperty("customAnnotatorClass.vae", "io.latentnlp.annotator.corenlp.VaeAnnotator");
        props.setProperty("vae.model", "minilm-gaussian64");
        StanfordCoreNLP pipeline = new StanfordCoreNLP(props);

        CoreDocument doc = new CoreDocument(text);
        pipeline.annotate(doc);
        for (CoreSentence sentence : doc.sentences()) {
            String hash = sentence.coreMap().get(VaeAnnotations.HashAnnotation.class).toHex();
            String tokens = sentence.tokens().stream().map(CoreLabel::word).collect(Collectors.joining(" "));
            System.out.println(hash + "\t" + tokens);
        }
    }
}
