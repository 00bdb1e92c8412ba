package io.latentnlp.training.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.runtime.PretrainedBackbone;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache files are keyed by everything that changes the vectors, and keep the keys written before backbones had prefixes. */
class FeatureCacheTest {

    private static final List<String> TEXTS = List.of("the cat sat on the mat .", "stocks fell sharply on monday .");

    @Test
    void thePrefixKeysACacheApartAndMiniLmKeepsItsOldKey(@TempDir Path dir) {
        PretrainedBackbone.Spec e5 = PretrainedBackbone.spec(PretrainedBackbone.E5_SMALL);
        PretrainedBackbone.Spec e5Bare = new PretrainedBackbone.Spec(e5.name(), e5.sha256(), e5.dim(), e5.pooling(), e5.maxPieces(), "", true);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (PretrainedBackbone prefixed = PretrainedBackbone.open(e5, 1);
                PretrainedBackbone bare = PretrainedBackbone.open(e5Bare, 1);
                PretrainedBackbone minilm = PretrainedBackbone.open(PretrainedBackbone.spec(PretrainedBackbone.MINILM), 1)) {
            assertNotEquals(FeatureCache.key(prefixed, TEXTS), FeatureCache.key(bare, TEXTS));
            float[][] first = FeatureCache.embed(prefixed, TEXTS, dir, "test", quiet);
            float[][] other = FeatureCache.embed(bare, TEXTS, dir, "test", quiet);
            assertNotEquals(first[0][0], other[0][0], "the unprefixed spec must not read the prefixed spec's file");
            assertArrayEquals(first[1], FeatureCache.embed(prefixed, TEXTS, dir, "test", quiet)[1], "read back");
            // The key as it was computed before specs had a variant: graph sha256, max pieces, texts.
            String legacy = ModelBundle.sha256((minilm.spec().sha256() + "\n128\n" + String.join("\n", TEXTS) + "\n").getBytes(StandardCharsets.UTF_8));
            assertEquals(legacy, FeatureCache.key(minilm, TEXTS));
        }
        assertEquals(2, dir.toFile().list((d, n) -> n.endsWith(".f32")).length);
    }
}
