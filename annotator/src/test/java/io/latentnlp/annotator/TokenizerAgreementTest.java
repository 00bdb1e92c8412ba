package io.latentnlp.annotator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.annotator.opennlp.RawTextVae;
import io.latentnlp.annotator.opennlp.SentenceVaeME;
import io.latentnlp.annotator.opennlp.SentenceVaeModel;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same sentence tokenized by CoreNLP and by OpenNLP reaches the model as the same tokens
 * after the bundle's normalizer. Fixtures: the texts of the GNU GPL version 3 and of the Apache
 * License 2.0 as Debian ships them (both licenses permit verbatim copies), about 280 sentences of
 * real English with quotes, possessives, dashes, slashes and numbers.
 */
class TokenizerAgreementTest {

    @Test
    void coreNlpAndOpenNlpAgreeOnAtLeast95PercentOfSentences() throws Exception {
        StringBuilder all = new StringBuilder();
        for (String fixture : new String[] {"/gpl-3.txt", "/apache-2.0.txt"}) {
            try (InputStream in = TokenizerAgreementTest.class.getResourceAsStream(fixture)) {
                all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append("\n\n");
            }
        }
        String text = all.toString();
        try (SentenceVaeModel model = new SentenceVaeModel(io.latentnlp.training.TinyModels.bernoulli())) {
            RawTextVae raw = new RawTextVae(new SentenceVaeME(model), RawTextVae.Tokenization.MAXENT);
            List<String> sentences = Arrays.stream(raw.sentences(text)).map(s -> s.replaceAll("\\s+", " ").strip()).filter(s -> !s.isEmpty()).toList();
            assertTrue(sentences.size() > 250, "a few hundred sentences: " + sentences.size());
            TokenizerAgreement.Report r = TokenizerAgreement.measure(model, sentences);
            System.out.print(r.toTable());
            assertTrue(r.sameTokens() >= 0.95 * r.sentences(), r.toTable() + r.examples());
            assertTrue(r.sameHash() >= 0.95 * r.sentences(), r.toTable());
            assertTrue(r.closeLatent() >= 0.95 * r.sentences(), r.toTable());
        }
    }
}
