package io.latentnlp.models.analysis;

import java.util.List;

/**
 * Cuts raw text into sentences of tokens for {@link SentenceAnalyzer#analyze(String)}. Pipelines
 * bring their own (CoreNLP's {@code tokenize,ssplit}, OpenNLP's sentence detector and
 * tokenizer); {@link SimpleTextSplitter} serves where neither is involved. Implementations must
 * be thread-safe.
 */
@FunctionalInterface
public interface TextSplitter {

    /** The sentences of {@code text}, each a list of tokens; no empty sentence. */
    List<List<String>> split(String text);
}
