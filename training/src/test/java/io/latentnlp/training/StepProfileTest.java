package io.latentnlp.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.runtime.PretrainedBackbone;
import io.latentnlp.training.bench.StepProfile;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepProfileTest {

    /** The shipped default's recipe (pretrained encoder, alignment loss) once failed to build its language-model variant. */
    @Test
    void anAlignedPretrainedRecipeIsProfiledBesideItsLanguageModelAndASampledSoftmax() {
        int vocab = 2100;
        TrainConfig cfg = Fixtures.tinyConfig().encoder(TrainConfig.PRETRAINED).backbone(PretrainedBackbone.MINILM).alignWeight(20).batchSize(8).build();
        List<StepProfile.Row> rows = StepProfile.run(cfg, vocab, Fixtures.randomSentences(80, 10, vocab, 4), 2, new PrintStream(OutputStream.nullOutputStream()));
        assertEquals(List.of("as trained", "language model, same sizes", "sampled softmax, 1024 negatives", "vocabulary of 50 (ids folded)",
                "minimal sizes (DJL overhead)"), rows.stream().map(StepProfile.Row::variant).toList());
        for (StepProfile.Row r : rows) {
            assertTrue(r.stepMs() > 0 && r.tokensPerSecond() > 0, r.toString());
        }
    }
}
