package io.latentnlp.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.training.model.Batch;
import io.latentnlp.training.model.Dims;
import io.latentnlp.training.model.VaeNetwork;
import io.latentnlp.training.model.VaeParameters;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sampled softmax of training ({@link VaeNetwork#decodeTraining}) against the exact one of {@link VaeNetwork#decode}. */
class SampledSoftmaxTest {

    private static final int VOCAB = 300;

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {TrainConfig.LSTM_DECODER, TrainConfig.TOPIC_DECODER})
    void withEveryOtherUnitSampledItIsTheFullSoftmax(String decoder) {
        try (NDManager root = NDManager.newBaseManager()) {
            Dims dims = new Dims(VOCAB, 8, 24, 3, LatentType.GAUSSIAN, 0).withDecoder(decoder);
            VaeParameters params = VaeParameters.initialize(root, dims, 5);
            VaeNetwork net = new VaeNetwork(params);
            Batch batch = Batch.of(Fixtures.randomSentences(6, 12, VOCAB, 3));
            NDArray z = root.randomNormal(new Shape(batch.batch(), 3));
            float[] full = net.decode(root, batch, z, 0, null).toFloatArray();
            net.sampledSoftmax(VOCAB); // more negatives than the rest of the vocabulary: all of it, weight (V - |T|) / (V - |T|) = 1
            float[] sampled = net.decodeTraining(root, batch, z, 0, new SplittableRandom(1)).toFloatArray();
            assertArrayEquals(full, sampled, 1e-4f);
            net.sampledSoftmax(0);
            assertArrayEquals(full, net.decodeTraining(root, batch, z, 0, new SplittableRandom(1)).toFloatArray(), 0f, "0 = the full softmax");
        }
    }

    /**
     * With a few sampled negatives the partition function is estimated without bias: over many
     * draws the mean of Z_sampled / Z = exp(log p_full - log p_sampled) is 1, while each draw's
     * log p differs from the exact one.
     */
    @Test
    void theSampledPartitionFunctionIsUnbiased() {
        try (NDManager root = NDManager.newBaseManager()) {
            Dims dims = new Dims(VOCAB, 8, 24, 3, LatentType.GAUSSIAN, 0);
            VaeParameters params = VaeParameters.initialize(root, dims, 9);
            // Spread the output logits so the estimate has something to get wrong.
            params.get("dec.out.b").set(root.randomNormal(new Shape(VOCAB)).mul(2f).toFloatArray());
            VaeNetwork net = new VaeNetwork(params);
            Batch batch = Batch.of(List.of(new int[] {7, 8, 9, 2}));
            NDArray z = root.randomNormal(new Shape(1, 3));
            float[] full = net.decode(root, batch, z, 0, null).toFloatArray();
            net.sampledSoftmax(20);
            int draws = 300;
            double sum = 0;
            double sumSq = 0;
            boolean differs = false;
            SplittableRandom rng = new SplittableRandom(17);
            for (int i = 0; i < draws; i++) {
                try (NDManager m = root.newSubManager()) {
                    float[] s = net.decodeTraining(m, batch, z, 0, rng).toFloatArray();
                    double ratio = Math.exp(full[0] - s[0]);
                    differs |= Math.abs(full[0] - s[0]) > 1e-3;
                    sum += ratio;
                    sumSq += ratio * ratio;
                }
            }
            double mean = sum / draws;
            double stderr = Math.sqrt((sumSq / draws - mean * mean) / draws);
            assertTrue(differs, "20 of 296 other units: the estimate varies");
            assertEquals(1.0, mean, 4 * stderr + 1e-3, "E[Z_sampled / Z] = " + mean + " +- " + stderr);
        }
    }

    @Test
    void theOptionIsRefusedWhereItDoesNotApply() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.builder().decoder(TrainConfig.BOW_DECODER).sampledSoftmax(100).build());
        assertTrue(e.getMessage().contains("the bag-of-words decoder has one softmax"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().sampledSoftmax(-1).build());
        assertTrue(e.getMessage().contains("sampled softmax negatives -1"), e.getMessage());
    }
}
