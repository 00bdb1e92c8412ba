package io.latentnlp.training.features;

import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.runtime.PretrainedBackbone;
import io.latentnlp.training.ProgressBar;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Backbone embeddings of a list of texts, computed once with ONNX Runtime and kept on disk: the
 * pretrained family's training reads them every epoch, and eval-hash's LSH/ITQ baselines reuse
 * them. A cache file is named by the backbone's graph sha256, its spec (truncation, pooling,
 * prefix, normalization) and the sha256 of the texts, so a different corpus, normalizer, spec or
 * backbone never reads a stale file. Stateless.
 */
public final class FeatureCache {

    private static final int MAGIC = 0x4c4e4631; // "LNF1"

    private FeatureCache() {}

    /**
     * Embeddings of {@code texts} (one row each, input order), from {@code cacheDir} when present,
     * otherwise computed (with progress on {@code log}) and written there. A null {@code cacheDir}
     * computes without caching.
     */
    public static float[][] embed(PretrainedBackbone backbone, List<String> texts, Path cacheDir, String what, PrintStream log) {
        Path file = cacheDir == null ? null : cacheDir.resolve(backbone.spec().name() + "-" + key(backbone, texts).substring(0, 24) + ".f32");
        if (file != null && Files.exists(file)) {
            float[][] cached = read(file, texts.size(), backbone.dim());
            log.println("  " + what + ": " + texts.size() + " backbone embeddings from " + file);
            return cached;
        }
        float[][] out = new float[texts.size()][];
        ProgressBar bar = new ProgressBar("  embed " + what + " (" + backbone.spec().name() + ")", texts.size(), log);
        long start = System.nanoTime();
        int chunk = 256;
        for (int from = 0; from < texts.size(); from += chunk) {
            int to = Math.min(texts.size(), from + chunk);
            float[][] part = backbone.embed(texts.subList(from, to));
            System.arraycopy(part, 0, out, from, part.length);
            double secs = (System.nanoTime() - start) / 1e9;
            bar.update(to, String.format("%.0f texts/s", to / Math.max(secs, 1e-9)));
        }
        bar.finish(String.format("%.0f texts/s", texts.size() / Math.max((System.nanoTime() - start) / 1e9, 1e-9)));
        if (file != null) {
            write(file, out);
        }
        return out;
    }

    /**
     * The posteriors of a corpus's sentences, with progress on {@code log}: a pretrained-family
     * bundle reads its backbone's embeddings through this cache (so bundles of one backbone embed
     * a corpus once), an LSTM-family bundle encodes the ids in chunks.
     */
    public static io.latentnlp.models.latent.Posterior[] encode(io.latentnlp.models.runtime.SentenceVae vae, List<io.latentnlp.models.text.EncodedSentence> sentences,
            Path cacheDir, String what, PrintStream log) {
        if (vae.backbone().isPresent()) {
            return vae.encodeFeatures(embed(vae.backbone().get(), sentences.stream().map(io.latentnlp.models.text.EncodedSentence::text).toList(), cacheDir,
                    what, log));
        }
        io.latentnlp.models.latent.Posterior[] out = new io.latentnlp.models.latent.Posterior[sentences.size()];
        ProgressBar bar = new ProgressBar("  encode " + what, sentences.size(), log);
        int chunk = 4096;
        for (int from = 0; from < sentences.size(); from += chunk) {
            int to = Math.min(sentences.size(), from + chunk);
            System.arraycopy(vae.encodeSentences(sentences.subList(from, to)), 0, out, from, to - from);
            bar.update(to, "");
        }
        bar.finish("");
        return out;
    }

    /**
     * Rows of a computation kept on disk in this class's file format: read from {@code file} when it
     * exists (its header must say {@code rows} x {@code cols}), otherwise computed and written
     * there. The caller's file name must identify what was computed (e.g. by a sha256 of the
     * inputs): a stale file is not detected beyond its shape.
     */
    public static float[][] cached(Path file, int rows, int cols, java.util.function.Supplier<float[][]> compute) {
        if (Files.exists(file)) {
            return read(file, rows, cols);
        }
        float[][] out = compute.get();
        if (out.length != rows || (rows > 0 && out[0].length != cols)) {
            throw new IllegalStateException("computed " + out.length + " rows for " + file + ", expected " + rows + " x " + cols);
        }
        write(file, out);
        return out;
    }

    static String key(PretrainedBackbone backbone, List<String> texts) {
        StringBuilder sb = new StringBuilder(backbone.spec().sha256()).append('\n').append(backbone.spec().maxPieces()).append('\n');
        // Pooling, prefix and normalization change the vectors too; the MiniLM convention adds nothing, so caches keyed before it existed stay valid.
        String variant = backbone.spec().variant();
        if (!variant.isEmpty()) {
            sb.append(variant).append('\n');
        }
        for (String t : texts) {
            sb.append(t).append('\n');
        }
        return ModelBundle.sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void write(Path file, float[][] rows) {
        try {
            Files.createDirectories(file.getParent());
            // A unique temporary name: runs sharing a cache may write the same file at once.
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                out.writeInt(MAGIC);
                out.writeInt(rows.length);
                out.writeInt(rows.length == 0 ? 0 : rows[0].length);
                for (float[] r : rows) {
                    for (float v : r) {
                        out.writeFloat(v);
                    }
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the feature cache " + file, e);
        }
    }

    private static float[][] read(Path file, int n, int d) {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            int magic = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (magic != MAGIC || rows != n || cols != d) {
                throw new IOException("header says " + rows + " x " + cols + ", expected " + n + " x " + d);
            }
            float[][] out = new float[n][d];
            for (float[] r : out) {
                for (int j = 0; j < d; j++) {
                    r[j] = in.readFloat();
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("feature cache " + file + " is unreadable (" + e.getMessage() + "); delete it to recompute", e);
        }
    }
}
