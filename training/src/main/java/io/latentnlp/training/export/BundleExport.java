package io.latentnlp.training.export;

import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.runtime.PretrainedBackbone;
import io.latentnlp.models.text.Subwords;
import io.latentnlp.models.text.TokenNormalizer;
import io.latentnlp.models.text.Vocabulary;
import io.latentnlp.training.model.Dims;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Writes a trained model as a bundle: ONNX graphs, vocabulary and manifest. Stateless. */
public final class BundleExport {

    private BundleExport() {}

    /**
     * The median-threshold hash spec: per dimension, the median of the posterior means over
     * {@code trainingMeans} (one row per training sentence).
     */
    public static Manifest.Hash medianThresholds(float[][] trainingMeans) {
        int d = trainingMeans[0].length;
        float[] thresholds = new float[d];
        float[] column = new float[trainingMeans.length];
        for (int k = 0; k < d; k++) {
            for (int i = 0; i < column.length; i++) {
                column[i] = trainingMeans[i][k];
            }
            java.util.Arrays.sort(column);
            int n = column.length;
            thresholds[k] = n % 2 == 1 ? column[n / 2] : (column[n / 2 - 1] + column[n / 2]) / 2;
        }
        return new Manifest.Hash(Manifest.Hash.MEDIAN_THRESHOLD, d, thresholds);
    }

    /**
     * Exports and writes a bundle ({@code .vae} zip, or a directory for any other name).
     *
     * @param provenance corpus, command line, seed, versions (copied into the manifest)
     * @param metrics evaluation results (copied into the manifest)
     * @return the written bundle, loaded back and verified
     */
    public static ModelBundle write(Path out, String name, Dims dims, Map<String, float[]> params, Vocabulary vocabulary,
            TokenNormalizer normalizer, int maxLength, Map<String, Object> provenance, Map<String, Object> metrics) throws IOException {
        return write(out, name, dims, params, vocabulary, normalizer, maxLength, null, provenance, metrics);
    }

    /**
     * As {@link #write(Path, String, Dims, Map, Vocabulary, TokenNormalizer, int, Map, Map)}, with
     * a hash spec (null for none).
     */
    public static ModelBundle write(Path out, String name, Dims dims, Map<String, float[]> params, Vocabulary vocabulary,
            TokenNormalizer normalizer, int maxLength, Manifest.Hash hash, Map<String, Object> provenance, Map<String, Object> metrics) throws IOException {
        return write(out, name, dims, params, vocabulary, normalizer, maxLength, hash, provenance, metrics, null, null);
    }

    /**
     * As above, with the encoder family and the vocabulary's units.
     *
     * @param backbone null for the LSTM encoder, else the pretrained family's backbone spec (its
     *     {@code encoder.onnx} is then the head over the backbone's embedding)
     * @param subwords the word-piece segmenter's {@code tokenizer.json} of an open vocabulary
     *     ({@link Subwords#FILE}); null for a word vocabulary
     */
    public static ModelBundle write(Path out, String name, Dims dims, Map<String, float[]> params, Vocabulary vocabulary,
            TokenNormalizer normalizer, int maxLength, Manifest.Hash hash, Map<String, Object> provenance, Map<String, Object> metrics,
            PretrainedBackbone.Spec backbone, byte[] subwords) throws IOException {
        if (vocabulary.size() != dims.vocab()) {
            throw new IllegalArgumentException("vocabulary has " + vocabulary.size() + " entries, the model " + dims.vocab());
        }
        Manifest.Vocab vocab = new Manifest.Vocab(vocabulary.size(), maxLength, subwords == null ? null : Subwords.WORDPIECE);
        Manifest manifest = new Manifest(Manifest.formatVersion(vocab), name, dims.manifestLatent(),
                new Manifest.Architecture(dims.embedding(), dims.hidden(), dims.tied(),
                        dims.decoder().equals(Manifest.Architecture.LSTM_DECODER) ? null : dims.decoder()),
                normalizer.spec(), vocab,
                hash, provenance, metrics, null, backbone == null ? null : new Manifest.Encoder(Manifest.Encoder.PRETRAINED, backbone));
        if (dims.pretrained() != (backbone != null)) {
            throw new IllegalArgumentException("a pretrained encoder head needs its backbone spec, an LSTM encoder none");
        }
        Map<String, byte[]> files = new java.util.LinkedHashMap<>(OnnxExporter.export(dims, params));
        if (subwords != null) {
            files.put(Subwords.FILE, subwords);
        }
        return ModelBundle.write(out, manifest, vocabulary, files);
    }
    /**
     * A bundle whose encoder is a newly trained LSTM encoder and whose everything else is {@code
     * teacher}'s: every file but {@code encoder.onnx} (decoder graphs, word-piece segmenter) byte for
     * byte, the vocabulary, and the manifest's latent, architecture, normalizer and vocabulary spec.
     * What encoder distillation writes. The encoder family becomes {@link Manifest.Encoder#LSTM}.
     *
     * @param dims the student's sizes: an LSTM encoder with the teacher's vocabulary, latent and layer sizes
     * @param params the student's parameters (only the {@code enc.*} tensors are read)
     * @param teacherRef null for a self-contained bundle; otherwise the teacher's reference as the
     *     student's manifest names its base ({@link ModelBundle#baseReference}), and every file
     *     equal to the teacher's is read from the teacher instead of being copied
     */
    public static ModelBundle withLstmEncoder(Path out, ModelBundle teacher, String name, Dims dims, Map<String, float[]> params, Manifest.Hash hash,
            Map<String, Object> provenance, Map<String, Object> metrics, String teacherRef) throws IOException {
        Manifest t = teacher.manifest();
        if (dims.pretrained() || !dims.manifestLatent().equals(t.latent()) || dims.vocab() != teacher.vocabulary().size()
                || dims.embedding() != t.architecture().embeddingDim() || dims.hidden() != t.architecture().hiddenDim()) {
            throw new IllegalArgumentException("a student encoder " + dims + " does not fit " + teacher.source() + " (latent " + t.latent() + ", vocabulary "
                    + teacher.vocabulary().size() + ", embedding " + t.architecture().embeddingDim() + ", hidden " + t.architecture().hiddenDim() + ")");
        }
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        for (String file : t.files().keySet()) {
            if (!file.equals(ModelBundle.VOCAB)) {
                files.put(file, teacher.file(file));
            }
        }
        files.put(ModelBundle.ENCODER, OnnxExporter.encoder(dims, params));
        Manifest manifest = new Manifest(t.formatVersion(), name, t.latent(), t.architecture(), t.normalizer(), t.vocab(), hash, provenance, metrics, null,
                new Manifest.Encoder(Manifest.Encoder.LSTM, null));
        return teacherRef == null
                ? ModelBundle.write(out, manifest, teacher.vocabulary(), files)
                : ModelBundle.write(out, manifest, teacher.vocabulary(), files, teacher, teacherRef);
    }
}
