package io.latentnlp.models.bundle;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.latentnlp.models.text.Vocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnnxContractTest {

    private static final int EOS = Vocabulary.EOS_ID;

    @Test
    void tokenIdsOutsideTheVocabularyAreNamedByPosition() {
        assertDoesNotThrow(() -> OnnxContract.checkTokens(List.of(new int[] {5, 9, EOS}, new int[] {EOS}), 10));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> OnnxContract.checkTokens(List.of(new int[] {5, EOS}, new int[] {4, -1, EOS}), 10));
        assertEquals("sentence 1, position 1: token id -1 is outside the vocabulary [0, 10); use SentenceEncoder", negative.getMessage());
        IllegalArgumentException large = assertThrows(IllegalArgumentException.class, () -> OnnxContract.checkTokens(List.of(new int[] {10, EOS}), 10));
        assertEquals("sentence 0, position 0: token id 10 is outside the vocabulary [0, 10); use SentenceEncoder", large.getMessage());
        IllegalArgumentException end = assertThrows(IllegalArgumentException.class, () -> OnnxContract.checkTokens(List.of(new int[] {5}), 10));
        assertEquals("sentence 0 must end with </s> (id 3); use SentenceEncoder", end.getMessage());
    }
}
