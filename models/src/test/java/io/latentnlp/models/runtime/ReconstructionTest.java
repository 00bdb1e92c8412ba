package io.latentnlp.models.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReconstructionTest {

    private static List<String> t(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split(" "));
    }

    @Test
    void f1CountsMatchesWithMultiplicityAndIgnoresOrder() {
        assertEquals(1.0, Reconstruction.f1(t("the cat sat"), t("sat the cat")), 1e-12);
        // reference: the the cat (3); hypothesis: the dog (2); one "the" matches: P 1/2, R 1/3
        assertEquals(2 * 0.5 / 3 / (0.5 + 1 / 3.0), Reconstruction.f1(t("the the cat"), t("the dog")), 1e-12);
        assertEquals(0.0, Reconstruction.f1(t("a b"), t("c <unk>")), 1e-12);
        assertEquals(0.0, Reconstruction.f1(t("a b"), t("")), 1e-12);
        assertEquals(1.0, Reconstruction.f1(t(""), t("")), 1e-12);
    }

    @Test
    void bleuByHand() {
        // identical: every precision 1, no brevity penalty
        assertEquals(1.0, Reconstruction.bleu(List.of(t("a b c d e")), List.of(t("a b c d e"))), 1e-12);
        // hypothesis "a b c d x" against "a b c d e": p1 4/5, p2 3/4, p3 2/3, p4 1/2, same length
        double expected = Math.exp((Math.log(0.8) + Math.log(0.75) + Math.log(2 / 3.0) + Math.log(0.5)) / 4);
        assertEquals(expected, Reconstruction.bleu(List.of(t("a b c d e")), List.of(t("a b c d x"))), 1e-12);
        // a short hypothesis pays the brevity penalty exp(1 - 6/4)
        double shortOne = Math.exp(1 - 6 / 4.0) * 1.0;
        assertEquals(shortOne, Reconstruction.bleu(List.of(t("a b c d e f")), List.of(t("a b c d"))), 1e-12);
        // no 4-gram in common: 0
        assertEquals(0.0, Reconstruction.bleu(List.of(t("a b c")), List.of(t("a b c"))), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Reconstruction.bleu(List.of(t("a")), List.of()));
    }
}
