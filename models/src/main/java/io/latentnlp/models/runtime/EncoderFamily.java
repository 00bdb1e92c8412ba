package io.latentnlp.models.runtime;

import io.latentnlp.models.bundle.BundleException;
import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.OnnxContract;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.text.EncodedSentence;
import java.util.List;
import java.util.Set;

/**
 * An encoder family: how a bundle's {@code encoder.onnx} turns sentences into the parameters of
 * q(z|x). The manifest names the family ({@link Manifest#encoderFamily()}); {@link
 * EncoderFamilies#forName} finds its provider, as Lucene's {@code Codec.forName} finds a
 * segment's codec. Every family has the same outputs ({@link OnnxContract#encoderOutputs}); its
 * inputs, what it reads of a sentence (ids, or text for a backbone) and what else it loads are its
 * own. Callers never switch on the family: they open it and call {@link Encoder#encode}.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader} ({@code
 * META-INF/services/io.latentnlp.models.runtime.EncoderFamily}); a new family is a class implementing
 * this interface and a line in that file. Implementations are stateless and thread-safe.
 */
public interface EncoderFamily {

    /** The name manifests use, e.g. {@code lstm}. */
    String name();

    /** The input names of the family's {@code encoder.onnx}. */
    Set<String> graphInputs();

    /**
     * Checks what the family needs of a manifest beyond the common fields (e.g. a backbone).
     *
     * @throws BundleException saying what is missing (the caller prefixes the manifest's path)
     */
    default void checkManifest(Manifest manifest) {}

    /**
     * Opens the family's encoder for a bundle: the encoder graph and whatever the family reads
     * sentences with. The caller closes the result.
     *
     * @throws BundleException naming the bundle's file when a graph cannot be loaded or breaks the contract
     */
    Encoder open(ModelBundle bundle, SentenceVae.Options options);

    /** An open encoder: thread-safe, holds native sessions until closed. */
    interface Encoder extends AutoCloseable {

        /**
         * Posteriors of sentences, in input order, in batches of at most {@code batchSize}.
         *
         * @throws IllegalArgumentException when a sentence lacks what the family reads (e.g. text)
         */
        Posterior[] encode(List<EncodedSentence> sentences, int batchSize);

        /**
         * The pretrained backbone this encoder reads text with, when it has one (the caller may
         * embed texts itself, e.g. once for many bundles, and call {@link #encodeFeatures}).
         */
        default java.util.Optional<PretrainedBackbone> backbone() {
            return java.util.Optional.empty();
        }

        /**
         * Posteriors from backbone embeddings computed elsewhere.
         *
         * @throws IllegalStateException for a family that reads no backbone features, naming the bundle
         */
        Posterior[] encodeFeatures(float[][] features, int batchSize);

        @Override
        void close();
    }
}
