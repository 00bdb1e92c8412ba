package io.latentnlp.models.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.latentnlp.models.hash.LatentHasher;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.runtime.EncoderFamilies;
import io.latentnlp.models.text.SentenceEncoder;
import io.latentnlp.models.text.Subwords;
import io.latentnlp.models.text.TokenNormalizer;
import io.latentnlp.models.text.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model bundle in memory: manifest, vocabulary and ONNX graphs, checked against the manifest's
 * sha256 sums. A bundle on disk is either a zip file (conventionally {@code NAME.vae}) or a
 * directory holding the same files:
 *
 * <pre>
 * manifest.json   format version, latent spec, normalizer, provenance, metrics, sha256 of the rest
 * vocab.txt       one token per line, line number = id
 * subwords.json   the word-piece segmenter (only for an open vocabulary, manifest vocab.units = wordpiece)
 * encoder.onnx    tokens, lengths -&gt; mean, logvar   (see {@link OnnxContract})
 * decoder.onnx    tokens, lengths, z -&gt; logprobs
 * </pre>
 *
 * <p>A bundle may share files with a base bundle (manifest {@code base}, format {@link
 * Manifest#FORMAT_VERSION_SHARED}): the files its manifest lists but it does not hold are read from
 * the base (a shipped model, or a path relative to the bundle's directory) and checked against its
 * own manifest's sha256, so a changed base is refused rather than silently used. A distilled
 * encoder shipped beside its teacher shares the teacher's decoders this way.
 *
 * Immutable after loading.
 */
public final class ModelBundle {

    public static final String MANIFEST = "manifest.json";
    public static final String VOCAB = "vocab.txt";
    public static final String ENCODER = "encoder.onnx";
    public static final String DECODER = "decoder.onnx";
    /** The one-step decoder for generation (optional: bundles exported before generation lack it). */
    public static final String DECODER_STEP = "decoder_step.onnx";
    static final List<String> REQUIRED = List.of(VOCAB, ENCODER, DECODER);

    static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final String source;
    private final Manifest manifest;
    private final Vocabulary vocabulary;
    private final TokenNormalizer normalizer;
    private final Map<String, byte[]> files;
    private final Subwords subwords;
    private final List<String> shared;
    private final Path dir;

    private ModelBundle(String source, Manifest manifest, Map<String, byte[]> files, List<String> shared, Path dir) {
        this.dir = dir;
        this.source = source;
        this.manifest = manifest;
        this.files = files;
        this.shared = List.copyOf(shared);
        this.vocabulary = Vocabulary.fromLines(Arrays.asList(new String(files.get(VOCAB), StandardCharsets.UTF_8).split("\n")), source + "!" + VOCAB);
        if (vocabulary.size() != manifest.vocab().size()) {
            throw new BundleException(source + ": " + VOCAB + " has " + vocabulary.size() + " entries but " + MANIFEST + " says " + manifest.vocab().size());
        }
        try {
            this.normalizer = TokenNormalizer.fromSpec(manifest.normalizer());
        } catch (IllegalArgumentException e) {
            throw new BundleException(source + "!" + MANIFEST + ": " + e.getMessage(), e);
        }
        String units = manifest.vocab().unitName();
        if (!units.equals(Manifest.Vocab.WORDS) && !units.equals(Subwords.WORDPIECE)) {
            throw new BundleException(source + "!" + MANIFEST + ": unknown vocabulary units '" + units + "' (known: " + Manifest.Vocab.WORDS + ", "
                    + Subwords.WORDPIECE + ")");
        }
        if (manifest.formatVersion() != Manifest.FORMAT_VERSION_SHARED
                && manifest.vocab().wordPieces() != (manifest.formatVersion() == Manifest.FORMAT_VERSION_WORDPIECE)) {
            throw new BundleException(source + "!" + MANIFEST + ": format version " + manifest.formatVersion() + " does not match vocabulary units '"
                    + units + "' (word pieces are format " + Manifest.FORMAT_VERSION_WORDPIECE + ", words " + Manifest.FORMAT_VERSION + ")");
        }
        if (manifest.vocab().wordPieces()) {
            if (!files.containsKey(Subwords.FILE)) {
                throw new BundleException(source + ": missing " + Subwords.FILE + " (the manifest says the vocabulary is word pieces)");
            }
            this.subwords = Subwords.fromJson(files.get(Subwords.FILE), source + "!" + Subwords.FILE);
            if (!subwords.vocabulary().tokens().equals(vocabulary.tokens())) {
                throw new BundleException(source + "!" + Subwords.FILE + ": its pieces are not the entries of " + VOCAB + " (the two files do not belong together)");
            }
        } else {
            this.subwords = null;
        }
    }

    /**
     * Loads and verifies a bundle from a zip file or a directory (symbolic links followed). Only a
     * regular file or a directory of regular files is read, {@code manifest.json} first, each file
     * up to 1 GiB and the bundle up to 2 GiB in all (its base counted apart); a FIFO, device or
     * {@code /proc} file is refused without blocking.
     *
     * @throws BundleException naming the bundle and the file when anything is missing or wrong
     */
    public static ModelBundle load(Path path) {
        return load(path, BundleFiles.DEFAULT);
    }

    /** {@link #load(Path)} with the reader's limits (tests give small ones). */
    static ModelBundle load(Path path, BundleFiles reader) {
        String source = path.toString();
        if (!Files.exists(path)) {
            throw new BundleException("model bundle not found: " + source + " (give a .vae file or a bundle directory)");
        }
        return fromFiles(source, reader.readBundle(path, "model bundle"), path.toAbsolutePath().getParent(), reader);
    }

    /** A shipped bundle from the classpath, verified (the caller checks the name). */
    static ModelBundle shipped(String name) {
        return fromFiles(ShippedResources.source(name), ShippedResources.rawFiles(name));
    }

    /**
     * Verifies a bundle given as file name to content; {@code source} names it in errors. A {@code
     * base} it names must be a shipped model (there is no directory to resolve a path against).
     */
    public static ModelBundle fromFiles(String source, Map<String, byte[]> raw) {
        return fromFiles(source, raw, null, BundleFiles.DEFAULT);
    }

    /** @param dir the directory holding the bundle, against which a base path is resolved; null = shipped bases only */
    private static ModelBundle fromFiles(String source, Map<String, byte[]> raw, Path dir, BundleFiles reader) {
        byte[] manifestBytes = raw.get(MANIFEST);
        if (manifestBytes == null) {
            throw new BundleException(source + ": missing " + MANIFEST + " (is this a latent-nlp model bundle?)");
        }
        Manifest manifest = ManifestReader.read(manifestBytes, source + "!" + MANIFEST);
        if (manifest.formatVersion() != Manifest.FORMAT_VERSION && manifest.formatVersion() != Manifest.FORMAT_VERSION_WORDPIECE
                && manifest.formatVersion() != Manifest.FORMAT_VERSION_SHARED) {
            throw new BundleException(source + "!" + MANIFEST + ": unknown bundle format version " + manifest.formatVersion()
                    + "; this library reads versions " + Manifest.FORMAT_VERSION + " to " + Manifest.FORMAT_VERSION_SHARED);
        }
        if ((manifest.base() != null) != (manifest.formatVersion() == Manifest.FORMAT_VERSION_SHARED)) {
            throw new BundleException(source + "!" + MANIFEST + (manifest.base() != null
                    ? ": names a base bundle but has format version " + manifest.formatVersion() + " (bundles with a base are version " + Manifest.FORMAT_VERSION_SHARED + ")"
                    : ": format version " + Manifest.FORMAT_VERSION_SHARED + " needs a base bundle, and the manifest names none"));
        }
        Map<String, byte[]> baseRaw = Map.of();
        if (manifest.base() != null) {
            try {
                baseRaw = reader.readBase(manifest.base(), dir);
            } catch (BundleException | java.io.UncheckedIOException e) {
                throw new BundleException(source + ": cannot read its base bundle '" + manifest.base() + "': " + e.getMessage(), e);
            }
            byte[] baseManifest = baseRaw.get(MANIFEST);
            if (baseManifest == null) {
                throw new BundleException(source + ": its base '" + manifest.base() + "' has no " + MANIFEST);
            }
            Manifest baseSpec;
            try {
                baseSpec = ManifestReader.read(baseManifest, "its base '" + manifest.base() + "'!" + MANIFEST);
            } catch (BundleException e) {
                throw new BundleException(source + ": " + e.getMessage(), e);
            }
            if (baseSpec.base() != null) {
                throw new BundleException(source + ": its base '" + manifest.base() + "' has a base of its own (a base must be self-contained)");
            }
        }
        if (manifest.latent() == null || manifest.vocab() == null || manifest.architecture() == null || manifest.normalizer() == null || manifest.files() == null) {
            throw new BundleException(source + "!" + MANIFEST + ": incomplete manifest (needs latent, architecture, normalizer, vocab and files)");
        }
        Manifest.Latent latent = manifest.latent();
        if (latent.type() == null || latent.type() == LatentType.NONE || latent.dim() < 1
                || (latent.type() == LatentType.CATEGORICAL) != (latent.categories() != 0)
                || (latent.type() == LatentType.CATEGORICAL && latent.categories() < 2)) {
            throw new BundleException(source + "!" + MANIFEST + ": bad latent spec " + latent
                    + " (needs type gaussian, bernoulli or categorical, dim >= 1, and categories >= 2 exactly when categorical)");
        }
        Manifest.Hash hash = manifest.hash();
        String hashProblem = hash == null ? null : LatentHasher.mismatch(hash, latent);
        if (hashProblem != null) {
            throw new BundleException(source + "!" + MANIFEST + ": " + hashProblem);
        }
        try {
            EncoderFamilies.forName(manifest.encoderFamily()).checkManifest(manifest);
        } catch (BundleException e) {
            throw new BundleException(source + "!" + MANIFEST + ": " + e.getMessage(), e);
        }
        for (String name : REQUIRED) {
            if (!raw.containsKey(name) && !baseRaw.containsKey(name)) {
                throw new BundleException(source + ": missing " + name + (manifest.base() == null ? "" : " (and its base '" + manifest.base() + "' has none)"));
            }
            if (!manifest.files().containsKey(name)) {
                throw new BundleException(source + "!" + MANIFEST + " lists no checksum for " + name);
            }
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<String> shared = new java.util.ArrayList<>();
        for (Map.Entry<String, String> e : manifest.files().entrySet()) {
            byte[] content = raw.get(e.getKey());
            boolean fromBase = content == null && baseRaw.containsKey(e.getKey());
            if (fromBase) {
                content = baseRaw.get(e.getKey());
                shared.add(e.getKey());
            }
            if (content == null) {
                throw new BundleException(source + ": missing " + e.getKey() + " (listed in " + MANIFEST + (manifest.base() == null ? ")"
                        : "; its base '" + manifest.base() + "' has none either)"));
            }
            String actual = sha256(content);
            if (!actual.equalsIgnoreCase(e.getValue())) {
                throw new BundleException(fromBase
                        ? source + "!" + e.getKey() + ": the base '" + manifest.base() + "' holds a different file (sha256 " + actual + ", this manifest says "
                                + e.getValue() + "); the base changed after this bundle was written, so the two no longer belong together"
                        : source + "!" + e.getKey() + ": checksum mismatch (sha256 " + actual + ", manifest says " + e.getValue()
                                + "); the file is corrupt or was changed after export");
            }
            files.put(e.getKey(), content);
        }
        return new ModelBundle(source, manifest, files, shared, dir);
    }

    /**
     * Writes a bundle: to a zip file when {@code out} ends in {@code .vae} or {@code .zip},
     * otherwise to a directory. The manifest's {@code files} are computed here.
     *
     * @param graphs file name to content, at least {@link #ENCODER} and {@link #DECODER}
     * @return the bundle as it will load
     */
    public static ModelBundle write(Path out, Manifest manifest, Vocabulary vocabulary, Map<String, byte[]> graphs) throws IOException {
        return write(out, manifest, vocabulary, graphs, null, null);
    }

    /**
     * Writes a bundle that shares files with the same base as {@code like} does (self-contained when
     * {@code like} is): what re-exporting a bundle with a new hash or manifest should keep.
     */
    public static ModelBundle writeWithBaseOf(ModelBundle like, Path out, Manifest manifest, Vocabulary vocabulary, Map<String, byte[]> graphs)
            throws IOException {
        String base = like.manifest().base();
        if (base == null) {
            return write(out, manifest, vocabulary, graphs);
        }
        boolean shipped = ShippedResources.isShipped(base);
        String where = shipped ? base : like.dir.resolve(base).toString();
        return write(out, manifest, vocabulary, graphs, shipped ? shipped(base) : load(Path.of(where)), baseReference(where, out));
    }

    /**
     * Writes a bundle that shares with {@code base} every file whose bytes equal the base's file of
     * the same name (format {@link Manifest#FORMAT_VERSION_SHARED}; self-contained when none does,
     * or when {@code base} is null). The written bundle lists every file's sha256, so it loads only
     * beside this very base.
     *
     * @param base a self-contained bundle, or null
     * @param baseRef how the manifest names the base: a shipped model name, or a path relative to
     *     {@code out}'s directory ({@link #baseReference})
     */
    public static ModelBundle write(Path out, Manifest manifest, Vocabulary vocabulary, Map<String, byte[]> graphs, ModelBundle base, String baseRef)
            throws IOException {
        if (base != null && base.manifest().base() != null) {
            throw new IllegalArgumentException(base.source() + " shares files with a base of its own; share with a self-contained bundle");
        }
        Map<String, byte[]> content = BundleWriter.content(manifest, vocabulary, graphs, base == null ? Map.of() : base.files, baseRef);
        BundleWriter.write(out, content);
        return fromFiles(out.toString(), content, out.toAbsolutePath().getParent(), BundleFiles.DEFAULT);
    }

    /**
     * How a bundle written to {@code out} names {@code modelRef} as its base: a shipped model by
     * its name, a file by its path relative to {@code out}'s directory.
     */
    public static String baseReference(String modelRef, Path out) {
        if (ShippedResources.isShipped(modelRef)) {
            return modelRef.trim();
        }
        Path dir = out.toAbsolutePath().getParent();
        return dir.relativize(Path.of(modelRef).toAbsolutePath()).toString();
    }

    /** The entries of a bundle zip read from a stream, which is closed (limits of {@link BundleFiles}). */
    static Map<String, byte[]> readZip(InputStream in) throws IOException {
        return BundleFiles.DEFAULT.readZip(in, "zip stream");
    }

    /** Lower-case hex sha256 of the bytes. */
    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** Where the bundle came from (a path), for messages. */
    public String source() {
        return source;
    }

    public Manifest manifest() {
        return manifest;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public TokenNormalizer normalizer() {
        return normalizer;
    }

    /** A sentence encoder with this bundle's normalizer, vocabulary (and word pieces) and maximum length. */
    public SentenceEncoder sentenceEncoder() {
        return sentenceEncoder(manifest.vocab().maxLength());
    }

    /** A sentence encoder with this bundle's normalizer and vocabulary (and word pieces), truncating at {@code maxLength} units. */
    public SentenceEncoder sentenceEncoder(int maxLength) {
        return new SentenceEncoder(normalizer, vocabulary, maxLength, subwords);
    }

    /** Ids as words: their vocabulary entries, word pieces of an open vocabulary joined into words. */
    public List<String> words(int[] ids) {
        List<String> units = new java.util.ArrayList<>(ids.length);
        for (int id : ids) {
            units.add(vocabulary.token(id));
        }
        return subwords == null ? units : Subwords.join(units);
    }

    /** The word-piece segmenter of an open vocabulary; null for a word vocabulary. */
    public Subwords subwords() {
        return subwords;
    }

    /** Whether the bundle has a file, e.g. {@link #DECODER_STEP}. */
    public boolean hasFile(String name) {
        return files.containsKey(name);
    }

    /** The files this bundle reads from its {@link Manifest#base() base} (empty for a self-contained bundle). */
    public List<String> sharedFiles() {
        return shared;
    }

    /** The bytes of a bundle file, e.g. {@link #ENCODER}; a shared file comes from the base. */
    public byte[] file(String name) {
        byte[] b = files.get(name);
        if (b == null) {
            throw new BundleException(source + ": missing " + name);
        }
        return b;
    }
}
