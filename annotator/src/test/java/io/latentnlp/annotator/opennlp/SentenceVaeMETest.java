package io.latentnlp.annotator.opennlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.annotator.corenlp.TinyModelsAccess;
import io.latentnlp.models.runtime.CloseWhileInUse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SentenceVaeMETest {

    @Test
    void tokensInResultsOutAndThreadsGetTheSameAnswers() throws Exception {
        try (SentenceVaeModel model = new SentenceVaeModel(TinyModelsAccess.bernoulli())) {
            SentenceVaeME vae = new SentenceVaeME(model);
            String[][] sentences = new String[40][];
            for (int i = 0; i < sentences.length; i++) {
                sentences[i] = ("the cat sat on the mat " + "and purred ".repeat(i % 5) + ".").split(" ");
            }
            SentenceVaeME.Result[] expected = vae.encode(sentences, 4, 7);
            SentenceVaeME.Result one = vae.encode(sentences[3]);
            assertEquals(expected[3].hash(), one.hash(), "batch-independent");
            assertEquals(sentences[3].length, one.tokenLogProbs().length);
            double sum = 0;
            for (double lp : one.tokenLogProbs()) {
                sum += lp;
            }
            assertTrue(one.logLikelihood() < sum, "log p(x|z) adds </s> to the tokens");
            assertTrue(Double.isNaN(one.iwaeLogLikelihood()) && !Double.isNaN(expected[3].iwaeLogLikelihood()));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<SentenceVaeME.Result[]>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    futures.add(pool.submit(() -> vae.encode(sentences, 4, 7)));
                }
                for (Future<SentenceVaeME.Result[]> f : futures) {
                    SentenceVaeME.Result[] got = f.get();
                    for (int i = 0; i < got.length; i++) {
                        assertEquals(expected[i].hash(), got[i].hash());
                        assertEquals(expected[i].iwaeLogLikelihood(), got[i].iwaeLogLikelihood(), 1e-9);
                        assertArrayEquals(expected[i].tokenLogProbs(), got[i].tokenLogProbs(), 1e-9);
                    }
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void closingTheModelWaitsForEncodesInFlightAndLaterOnesFail() throws Exception {
        SentenceVaeModel model = new SentenceVaeModel(TinyModelsAccess.bernoulli());
        SentenceVaeME vae = new SentenceVaeME(model);
        String[][] sentences = new String[12][];
        for (int i = 0; i < sentences.length; i++) {
            sentences[i] = ("ships sail the wide sea " + "at dawn ".repeat(i % 4) + ".").split(" ");
        }
        CloseWhileInUse.check(() -> () -> {
            SentenceVaeME.Result[] r = vae.encode(sentences, 2, 7);
            assertTrue(Double.isFinite(r[sentences.length - 1].iwaeLogLikelihood()), "encoded and scored");
            return r;
        }, model::close, model.bundle().source() + ": this SentenceVaeModel is closed");
    }

    @Test
    void rawTextUsesOpenNlpsEnglishModelsOrTheSimpleTokenizers() throws Exception {
        try (SentenceVaeModel model = new SentenceVaeModel(TinyModelsAccess.bernoulli())) {
            SentenceVaeME vae = new SentenceVaeME(model);
            List<RawTextVae.Sentence> s = new RawTextVae(vae, RawTextVae.Tokenization.MAXENT).process("The cat sat on the mat. It didn't purr!");
            assertEquals(2, s.size());
            assertEquals("The cat sat on the mat.", s.get(0).text());
            assertEquals(List.of("The", "cat", "sat", "on", "the", "mat", "."), List.of(s.get(0).tokens()));
            assertEquals(16, s.get(1).result().hash().bits());
            assertEquals(List.of("a", "b,c"), List.of(new RawTextVae(vae, RawTextVae.Tokenization.WHITESPACE).tokenize("a b,c")));
            assertEquals(List.of("a", "b", ",", "c"), List.of(new RawTextVae(vae, RawTextVae.Tokenization.SIMPLE).tokenize("a b,c")));
        }
    }

    /** OpenNLP's sentence detector and tokenizer as the analyzer's splitter give what RawTextVae.process gives. */
    @Test
    void rawTextVaeSplitsTextForTheAnalyzer() throws Exception {
        try (SentenceVaeModel model = new SentenceVaeModel(TinyModelsAccess.bernoulli())) {
            SentenceVaeME vae = new SentenceVaeME(model);
            RawTextVae raw = new RawTextVae(vae, RawTextVae.Tokenization.MAXENT);
            String text = "The cat sat on the mat. It didn't purr!";
            List<RawTextVae.Sentence> processed = raw.process(text);
            assertEquals(processed.stream().map(x -> List.of(x.tokens())).toList(), raw.split(text));
            var doc = io.latentnlp.models.analysis.SentenceAnalyzer.builder(model.runtime()).optSplitter(raw).build().analyze(text);
            for (int i = 0; i < processed.size(); i++) {
                assertEquals(processed.get(i).result().hash(), doc.sentences().get(i).hash(), "sentence " + i);
            }
        }
    }
}
