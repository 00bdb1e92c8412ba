package io.latentnlp.models.analysis;

import io.latentnlp.models.hash.DocumentCodes;
import io.latentnlp.models.hash.SemanticHash;
import java.util.List;
import java.util.Objects;

/**
 * A document's sentences and its document-level codes.
 *
 * @param sentences the sentences' results, in order
 * @param hash the majority vote of the sentences' hash bits ({@link DocumentCodes#majority});
 *     null when there are no sentences or the bundle has no hash spec
 * @param latent the mean of the sentences' E_q[z] ({@link DocumentCodes#meanLatent}); null when
 *     there are no sentences
 */
public record DocumentResult(List<SentenceResult> sentences, SemanticHash hash, float[] latent) {

    public DocumentResult {
        sentences = List.copyOf(sentences);
    }

    /** The document-level codes of these sentences. */
    public static DocumentResult of(List<SentenceResult> sentences) {
        if (sentences.isEmpty()) {
            return new DocumentResult(sentences, null, null);
        }
        List<SemanticHash> hashes = sentences.stream().map(SentenceResult::hash).filter(Objects::nonNull).toList();
        float[] latent = DocumentCodes.meanLatent(sentences.stream().map(SentenceResult::latent).toList());
        return new DocumentResult(sentences, hashes.isEmpty() ? null : DocumentCodes.majority(hashes), latent);
    }
}
