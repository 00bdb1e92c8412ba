package io.latentnlp.models.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimpleTextSplitterTest {

    private static List<String> joined(String text) {
        return SimpleTextSplitter.INSTANCE.split(text).stream().map(s -> String.join(" ", s)).toList();
    }

    @Test
    void endsSentencesAtFinalPunctuationBeforeACapitalOrAQuote() {
        assertEquals(List.of("Raw text .", "Two sentences !", "Really ?"), joined("Raw text. Two sentences! Really?"));
        assertEquals(List.of("He said \" stop . \"", "\" Why ? \" she asked ."), joined("He said \"stop.\" \"Why?\" she asked."));
        assertEquals(List.of("It costs 3 . 5 dollars ."), joined("It costs 3.5 dollars."));
    }

    @Test
    void keepsAbbreviationsInitialsAndLowerCaseContinuations() {
        assertEquals(List.of("Mr . Smith met Dr . J . Jones on Tuesday ."), joined("Mr. Smith met Dr. J. Jones on Tuesday."));
        assertEquals(List.of("Use e . g . this one ."), joined("Use e.g. this one."));
        assertEquals(List.of("the end . and then more"), joined("the end. and then more"));
    }

    @Test
    void aBlankLineEndsASentenceAndNothingIsEmpty() {
        assertEquals(List.of("A heading", "The body follows ."), joined("A heading\n\nThe body follows."));
        assertEquals(List.of(), joined("  \n\n "));
    }
}
