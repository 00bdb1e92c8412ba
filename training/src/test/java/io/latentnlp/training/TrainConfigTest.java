package io.latentnlp.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.latent.LatentType;
import org.junit.jupiter.api.Test;

class TrainConfigTest {

    private static String error(TrainConfig.Builder b) {
        return assertThrows(IllegalArgumentException.class, b::build).getMessage();
    }

    @Test
    void badValuesAreRejectedNamingTheSettingAndValue() {
        assertTrue(error(TrainConfig.builder().dropout(1.0)).contains("illegal dropout 1.0"));
        assertTrue(error(TrainConfig.builder().learningRate(Double.NaN)).contains("illegal learning rate NaN"));
        assertTrue(error(TrainConfig.builder().hiddenDim(16)).contains("illegal hidden dim 16: must be at least 24"));
        assertTrue(error(TrainConfig.builder().batchSize(0)).contains("illegal batch size 0: must be positive"));
    }

    @Test
    void incompatibleObjectivesAreRejected() {
        assertTrue(error(TrainConfig.builder().iwaeSamples(5).freeBits(0.5)).contains("IWAE objective"));
        assertTrue(error(TrainConfig.builder().iwaeSamples(5).bowWeight(1)).contains("has no bag-of-words term"));
        TrainConfig.builder().iwaeSamples(5).annealSteps(0).encoder(TrainConfig.PRETRAINED).backbone(io.latentnlp.models.runtime.PretrainedBackbone.MINILM)
                .alignWeight(1).build(); // the alignment term is added to the IWAE loss
        assertTrue(error(TrainConfig.builder().alignWeight(1)).contains("needs --encoder pretrained"));
        assertTrue(error(TrainConfig.builder().latentType(LatentType.NONE).pretrainEpochs(1)).contains("has no latent variable"));
        assertTrue(error(TrainConfig.builder().embeddingDim(64).hiddenDim(128).tieEmbeddings(true))
                .contains("got embedding dim 64, hidden dim 128"));
        assertTrue(error(TrainConfig.builder().decoder("gru")).contains("unknown decoder 'gru' (known: lstm, lstm-topic, bow)"));
        assertTrue(error(TrainConfig.builder().latentType(LatentType.NONE).decoder(TrainConfig.TOPIC_DECODER)).contains("lstm-topic decoder adds U z"));
        TrainConfig topic = TrainConfig.builder().decoder(TrainConfig.TOPIC_DECODER).build();
        assertTrue(topic.dims(50).topic());
        assertEquals(java.util.List.of(50L, (long) topic.latentDim()),
                java.util.Arrays.stream(io.latentnlp.training.model.VaeParameters.shapes(topic.dims(50)).get("dec.topic.w").getShape()).boxed().toList());
        for (TrainConfig.Builder b : java.util.List.of(TrainConfig.builder().latentType(LatentType.NONE), TrainConfig.builder().initDecoder("runs/lm"),
                TrainConfig.builder().bowWeight(1), TrainConfig.builder().wordDropout(0.2), TrainConfig.builder().embeddingDim(32).hiddenDim(32).tieEmbeddings(true))) {
            assertTrue(error(b.decoder(TrainConfig.BOW_DECODER)).contains("the bag-of-words decoder predicts each word from z alone"));
        }
        TrainConfig bow = TrainConfig.builder().decoder(TrainConfig.BOW_DECODER).build();
        assertTrue(bow.dims(50).bowDecoder());
        assertEquals(java.util.Set.of("dec.out.w", "dec.out.b"), io.latentnlp.training.model.VaeParameters.shapes(bow.dims(50)).keySet().stream()
                .filter(k -> k.startsWith("dec.")).collect(java.util.stream.Collectors.toSet()));
        assertEquals(TrainConfig.LSTM_DECODER, TrainConfig.builder().decoder(null).build().decoder(), "configs written before decoder families");
    }

    @Test
    void betaRisesLinearlyToOne() {
        TrainConfig c = TrainConfig.builder().annealSteps(100).betaStart(0.1).build();
        assertEquals(0.1, c.beta(0), 1e-12);
        assertEquals(0.55, c.beta(50), 1e-12);
        assertEquals(1.0, c.beta(100), 1e-12);
        assertEquals(1.0, c.beta(1000), 1e-12);
        assertEquals(1.0, TrainConfig.builder().build().beta(0), 1e-12);
    }
}
