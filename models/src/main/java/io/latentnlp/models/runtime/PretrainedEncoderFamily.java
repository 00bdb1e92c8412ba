package io.latentnlp.models.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.latentnlp.models.bundle.BundleException;
import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.OnnxContract;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.text.EncodedSentence;
import io.latentnlp.models.text.SentenceEncoder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code pretrained} encoder family: a frozen sentence encoder ({@link PretrainedBackbone},
 * named with its sha256 in the manifest) reads the sentence's normalized text with its own
 * tokenizer and pooling, and {@code encoder.onnx} is a small head from the backbone's embedding
 * ({@code features} float [B,F]) to the posterior's parameters. The backbone runs one text per
 * call (see {@link PretrainedBackbone}); the head runs in batches, in input order.
 */
public final class PretrainedEncoderFamily implements EncoderFamily {

    public static final String NAME = Manifest.Encoder.PRETRAINED;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> graphInputs() {
        return Set.of(OnnxContract.FEATURES);
    }

    @Override
    public void checkManifest(Manifest manifest) {
        if (manifest.encoder() == null || manifest.encoder().backbone() == null || manifest.encoder().backbone().name() == null) {
            throw new BundleException("the pretrained encoder family needs a backbone (name, sha256, dim, pooling, maxPieces)");
        }
        String problem = PretrainedBackbone.problem(manifest.encoder().backbone());
        if (problem != null) {
            throw new BundleException("encoder.backbone: " + problem);
        }
    }

    @Override
    public EncoderFamily.Encoder open(ModelBundle bundle, SentenceVae.Options options) {
        try {
            checkManifest(bundle.manifest());
        } catch (BundleException e) {
            throw new BundleException(bundle.source() + "!" + ModelBundle.MANIFEST + ": " + e.getMessage(), e);
        }
        OrtSession head = TokenGraphs.openEncoder(bundle, this, options);
        try {
            return new Open(bundle, head, PretrainedBackbone.open(bundle.manifest().encoder().backbone(), options.intraOpThreads()));
        } catch (RuntimeException e) {
            TokenGraphs.closeQuietly(head, e);
            throw e;
        }
    }

    private record Open(ModelBundle bundle, OrtSession head, PretrainedBackbone backboneModel) implements EncoderFamily.Encoder {

        @Override
        public Posterior[] encode(List<EncodedSentence> sentences, int batchSize) {
            Manifest.Latent latent = bundle.manifest().latent();
            List<String> names = OnnxContract.encoderOutputs(latent.type());
            Posterior[] out = new Posterior[sentences.size()];
            for (int from = 0; from < sentences.size(); from += batchSize) {
                int to = Math.min(sentences.size(), from + batchSize);
                List<String> texts = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    String text = sentences.get(i).text();
                    if (text == null) {
                        throw new IllegalArgumentException("sentence " + i + " has ids but no text; " + bundle.source()
                                + " has a pretrained encoder that reads text (build sentences with SentenceEncoder)");
                    }
                    texts.add(text);
                }
                float[][][] r = runHead(backboneModel.embed(texts));
                for (int i = from; i < to; i++) {
                    out[i] = TokenGraphs.posterior(latent, names, r, i - from);
                }
            }
            return out;
        }

        @Override
        public Optional<PretrainedBackbone> backbone() {
            return Optional.of(backboneModel);
        }

        @Override
        public Posterior[] encodeFeatures(float[][] features, int batchSize) {
            for (int i = 0; i < features.length; i++) {
                if (features[i].length != backboneModel.dim()) {
                    throw new IllegalArgumentException("feature row " + i + " has " + features[i].length + " entries, the backbone " + backboneModel.dim());
                }
            }
            Manifest.Latent latent = bundle.manifest().latent();
            List<String> names = OnnxContract.encoderOutputs(latent.type());
            Posterior[] out = new Posterior[features.length];
            for (int from = 0; from < features.length; from += batchSize) {
                int to = Math.min(features.length, from + batchSize);
                float[][][] r = runHead(java.util.Arrays.copyOfRange(features, from, to));
                for (int i = from; i < to; i++) {
                    out[i] = TokenGraphs.posterior(latent, names, r, i - from);
                }
            }
            return out;
        }

        /** The head: features [B,F] to the posterior's parameters. */
        private float[][][] runHead(float[][] features) {
            int b = features.length;
            int f = backboneModel.dim();
            float[] flat = new float[b * f];
            for (int i = 0; i < b; i++) {
                System.arraycopy(features[i], 0, flat, i * f, f);
            }
            String[] outputs = OnnxContract.encoderOutputs(bundle.manifest().latent().type()).toArray(String[]::new);
            try (OnnxTensor x = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(flat), new long[] {b, f});
                    OrtSession.Result result = head.run(Map.of(OnnxContract.FEATURES, x))) {
                return TokenGraphs.outputs(result, outputs);
            } catch (OrtException e) {
                throw new IllegalStateException(bundle.source() + ": ONNX Runtime failed on the encoder head for " + b + " sentences: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                head.close();
            } catch (OrtException e) {
                throw new IllegalStateException("closing the encoder head of " + bundle.source() + " failed", e);
            } finally {
                backboneModel.close();
            }
        }
    }
}
