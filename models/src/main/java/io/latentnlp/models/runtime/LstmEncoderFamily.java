package io.latentnlp.models.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.OnnxContract;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.text.EncodedSentence;
import java.util.List;
import java.util.Set;

/**
 * The {@code lstm} encoder family: {@code encoder.onnx} reads the sentence's unit ids ({@code
 * tokens} [B,T], {@code lengths} [B]): embedding, one LSTM layer, its last state, linear maps to
 * the posterior's parameters. Bundles that name no family are of this one. Batches are sorted by
 * length; results come back in input order.
 */
public final class LstmEncoderFamily implements EncoderFamily {

    public static final String NAME = Manifest.Encoder.LSTM;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> graphInputs() {
        return Set.of(OnnxContract.TOKENS, OnnxContract.LENGTHS);
    }

    @Override
    public EncoderFamily.Encoder open(ModelBundle bundle, SentenceVae.Options options) {
        return new Open(bundle, TokenGraphs.openEncoder(bundle, this, options));
    }

    private record Open(ModelBundle bundle, OrtSession session) implements EncoderFamily.Encoder {

        @Override
        public Posterior[] encode(List<EncodedSentence> sentences, int batchSize) {
            Manifest.Latent latent = bundle.manifest().latent();
            List<String> names = OnnxContract.encoderOutputs(latent.type());
            String[] outputs = names.toArray(String[]::new);
            List<int[]> ids = EncodedSentence.ids(sentences);
            Posterior[] out = new Posterior[ids.size()];
            int[] order = TokenGraphs.lengthOrder(ids);
            for (int from = 0; from < order.length; from += batchSize) {
                int to = Math.min(order.length, from + batchSize);
                List<int[]> batch = TokenGraphs.gather(ids, order, from, to);
                float[][][] r = TokenGraphs.run(session, bundle.source(), batch, null, 0, outputs);
                for (int i = 0; i < batch.size(); i++) {
                    out[order[from + i]] = TokenGraphs.posterior(latent, names, r, i);
                }
            }
            return out;
        }

        @Override
        public Posterior[] encodeFeatures(float[][] features, int batchSize) {
            throw new IllegalStateException(bundle.source() + " has an LSTM encoder: it reads ids, not backbone features");
        }

        @Override
        public void close() {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException("closing the encoder session of " + bundle.source() + " failed", e);
            }
        }
    }
}
