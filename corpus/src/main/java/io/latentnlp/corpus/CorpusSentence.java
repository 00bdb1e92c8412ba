package io.latentnlp.corpus;

import java.util.List;

/**
 * One sentence of a corpus.
 *
 * @param docId document id ({@code file:line} for plain text, where documents are unknown)
 * @param genre genre or label ({@code ""} when unknown)
 * @param tokens raw tokens, not yet normalized
 * @param line 1-based line number in its file
 */
public record CorpusSentence(String docId, String genre, List<String> tokens, int line) {}
