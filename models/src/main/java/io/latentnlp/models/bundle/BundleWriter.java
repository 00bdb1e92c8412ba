package io.latentnlp.models.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.latentnlp.models.text.Vocabulary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The write side of {@link ModelBundle}: a bundle's files with their sums in the manifest, less
 * those it shares with a base, written as a zip ({@code .vae}, {@code .zip}, moved into place
 * atomically) or a directory. {@link ModelBundle#write} calls it and reads the result back.
 */
final class BundleWriter {

    private BundleWriter() {}

    /**
     * The files a bundle is written with: {@code graphs}, the vocabulary and the manifest listing
     * every file's sha256, without the files whose bytes equal {@code base}'s file of the same name.
     *
     * @param base the files of a self-contained base bundle; empty for none
     * @param baseRef how the manifest names the base, written only when a file is shared
     */
    static Map<String, byte[]> content(Manifest manifest, Vocabulary vocabulary, Map<String, byte[]> graphs, Map<String, byte[]> base, String baseRef)
            throws JsonProcessingException {
        Map<String, byte[]> content = new TreeMap<>(graphs);
        content.put(ModelBundle.VOCAB, String.join("\n", vocabulary.tokens()).concat("\n").getBytes(StandardCharsets.UTF_8));
        Map<String, String> sums = new TreeMap<>();
        content.forEach((k, v) -> sums.put(k, ModelBundle.sha256(v)));
        content.keySet().removeIf(k -> base.containsKey(k) && Arrays.equals(base.get(k), content.get(k)));
        boolean sharing = content.size() < sums.size();
        content.put(ModelBundle.MANIFEST, ModelBundle.JSON.writeValueAsBytes(manifest.withBase(sharing ? baseRef : null).withFiles(sums)));
        return content;
    }

    /** Writes the files to {@code out}: a zip when its name ends in {@code .vae} or {@code .zip}, otherwise a directory. */
    static void write(Path out, Map<String, byte[]> content) throws IOException {
        String name = out.getFileName().toString();
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        if (name.endsWith(".vae") || name.endsWith(".zip")) {
            Path tmp = out.resolveSibling(name + ".tmp");
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
                for (Map.Entry<String, byte[]> e : content.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } else {
            Files.createDirectories(out);
            for (Map.Entry<String, byte[]> e : content.entrySet()) {
                Files.write(out.resolve(e.getKey()), e.getValue());
            }
        }
    }
}
