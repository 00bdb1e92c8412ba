package io.latentnlp.models.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.text.EncodedSentence;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code pretrained} family on the shipped default (MiniLM backbone and a trained head). */
class PretrainedEncoderFamilyTest extends EncoderFamilyContract {

    @Override
    protected ModelBundle bundle() {
        return ShippedModels.load(ShippedModels.MINILM_GAUSSIAN_64);
    }

    @Override
    protected String familyName() {
        return PretrainedEncoderFamily.NAME;
    }

    @Test
    void idsWithoutTextAreRefusedAndFeaturesComputedElsewhereGiveTheSamePosterior() {
        try (SentenceVae vae = SentenceVae.open(bundle(), SentenceVae.Options.defaults())) {
            EncodedSentence e = vae.bundle().sentenceEncoder().encode(List.of("A", "dog", "ran", "."));
            IllegalArgumentException noText = assertThrows(IllegalArgumentException.class, () -> vae.encode(List.of(e.ids())));
            assertTrue(noText.getMessage().contains("has ids but no text") && noText.getMessage().contains("pretrained encoder"), noText.getMessage());
            float[][] features = vae.backbone().orElseThrow().embed(List.of(e.text()));
            assertEquals(vae.encodeSentences(List.of(e))[0], vae.encodeFeatures(features)[0]);
        }
    }

    @Test
    void anLstmBundleHasNoFeatureInput() {
        try (SentenceVae vae = SentenceVae.open(ShippedModels.load(ShippedModels.GAUSSIAN_32), SentenceVae.Options.defaults())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> vae.encodeFeatures(new float[1][384]));
            assertTrue(e.getMessage().contains("reads ids, not backbone features") && e.getMessage().contains("brown-gaussian32"), e.getMessage());
        }
    }
}
