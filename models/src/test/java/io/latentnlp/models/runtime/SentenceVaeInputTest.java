package io.latentnlp.models.runtime;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.text.EncodedSentence;
import io.latentnlp.models.text.Vocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ids that are not the vocabulary's never reach a graph (ONNX's Gather would wrap -1 to the last word). */
class SentenceVaeInputTest {

    @Test
    void negativeOrTooLargeTokenIdsAreRefusedNamingTheSentenceAndPosition() {
        try (SentenceVae vae = SentenceVae.open(ShippedModels.resolve(null), SentenceVae.Options.defaults())) {
            int v = vae.bundle().vocabulary().size();
            IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
                    () -> vae.encode(List.of(new int[] {5, Vocabulary.EOS_ID}, new int[] {7, -1, Vocabulary.EOS_ID})));
            assertTrue(neg.getMessage().contains("sentence 1, position 1: token id -1"), neg.getMessage());
            IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                    () -> vae.tokenLogProbs(List.of(new int[] {v, Vocabulary.EOS_ID}), new float[][] {new float[vae.codeDim()]}));
            assertTrue(big.getMessage().contains("token id " + v), big.getMessage());
            assertThrows(IllegalArgumentException.class, () -> vae.encodeSentences(List.of(EncodedSentence.ofIds(new int[] {-3, Vocabulary.EOS_ID}))));
        }
    }
}
