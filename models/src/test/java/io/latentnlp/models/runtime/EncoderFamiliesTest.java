package io.latentnlp.models.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.bundle.BundleException;
import io.latentnlp.models.bundle.OnnxContract;
import io.latentnlp.models.bundle.ShippedModels;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registry finds each family by the name manifests use, and an unknown name fails listing the known ones. */
class EncoderFamiliesTest {

    @Test
    void findsTheBuiltInFamiliesByName() {
        assertInstanceOf(LstmEncoderFamily.class, EncoderFamilies.forName("lstm"));
        assertInstanceOf(PretrainedEncoderFamily.class, EncoderFamilies.forName("pretrained"));
        assertTrue(EncoderFamilies.names().containsAll(Set.of("lstm", "pretrained")));
        assertEquals(Set.of(OnnxContract.TOKENS, OnnxContract.LENGTHS), EncoderFamilies.forName("lstm").graphInputs());
        assertEquals(Set.of(OnnxContract.FEATURES), OnnxContract.encoderInputs("pretrained"));
    }

    @Test
    void anUnknownFamilyFailsListingTheKnownOnes() {
        BundleException e = assertThrows(BundleException.class, () -> EncoderFamilies.forName("transformer-xl"));
        assertTrue(e.getMessage().contains("unknown encoder family 'transformer-xl' (known: lstm, pretrained"), e.getMessage());
    }

    @Test
    void aShippedBundleOpensTheFamilyItsManifestNames() {
        for (String name : ShippedModels.NAMES) {
            try (SentenceVae vae = SentenceVae.open(ShippedModels.load(name), SentenceVae.Options.defaults())) {
                assertEquals(vae.bundle().manifest().encoderFamily(), vae.family().name(), name);
                assertEquals(vae.family() instanceof PretrainedEncoderFamily, vae.backbone().isPresent(), name + ": only the pretrained family has a backbone");
            }
        }
    }
}
