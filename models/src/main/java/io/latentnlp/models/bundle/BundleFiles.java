package io.latentnlp.models.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads the raw files of a bundle on disk (a zip file or a directory) without trusting the path:
 * only a regular file (read as a zip) or a directory of regular files is read, symbolic links
 * resolved first; a FIFO, socket or device is refused before it is opened, a regular file is read
 * up to the size it reports (a {@code /proc} file reports 0 and is never read, so it cannot
 * block), and the bytes of one file and of the whole bundle are bounded. A directory is read
 * {@code manifest.json} first and then only the files a bundle can hold (the manifest's {@code
 * files} and the required ones), so a directory that is not a bundle ({@code /etc}) costs one
 * lookup. Nothing here checks content; {@link ModelBundle} does. Stateless and thread-safe.
 */
final class BundleFiles {

    /** Bytes of one bundle file: 1 GiB (a Java array holds under 2 GiB; the largest shipped graph is 11 MB). */
    static final long MAX_FILE_BYTES = 1L << 30;
    /** Bytes of all files of one bundle together: 2 GiB (a loaded bundle is held in memory whole). */
    static final long MAX_TOTAL_BYTES = 2L << 30;
    /** Bytes of {@code manifest.json}: 64 MiB (the shipped ones are under 60 KB; it is parsed into a tree). */
    static final long MAX_MANIFEST_BYTES = 64L << 20;
    /** Entries of a bundle zip, and files a directory's manifest may list: a bundle holds six at most. */
    static final int MAX_ENTRIES = 1024;

    static final BundleFiles DEFAULT = new BundleFiles(MAX_FILE_BYTES, MAX_TOTAL_BYTES);

    private final long maxFile;
    private final long maxTotal;

    /** Limits for tests; {@link #DEFAULT} everywhere else. */
    BundleFiles(long maxFile, long maxTotal) {
        this.maxFile = maxFile;
        this.maxTotal = maxTotal;
    }

    /** The raw files at {@code path}, a corrupt zip or an I/O error reported naming it (as a "model bundle" or a "base bundle"). */
    Map<String, byte[]> readBundle(Path path, String what) {
        try {
            return read(path, path.toString());
        } catch (ZipException e) {
            throw new BundleException(path + " is not a readable bundle (corrupt zip: " + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new BundleException("cannot read " + what + " " + path + ": " + e.getMessage(), e);
        }
    }

    /** The files of the base bundle a manifest names: a shipped model, or a path resolved against {@code dir} (null: shipped models only). */
    Map<String, byte[]> readBase(String base, Path dir) {
        if (ShippedResources.isShipped(base)) {
            return ShippedResources.rawFiles(base.trim());
        }
        if (dir == null) {
            throw new BundleException("'" + base + "' is not a shipped model (" + String.join(", ", ShippedResources.NAMES)
                    + "), and a bundle read from the classpath or from memory can only share files with a shipped model");
        }
        Path path;
        try {
            path = dir.resolve(base);
        } catch (InvalidPathException e) {
            throw new BundleException("'" + base + "' is not a valid path (" + e.getMessage() + ")", e);
        }
        if (!Files.exists(path)) {
            throw new BundleException("base bundle not found: " + path + " (the manifest's base is resolved against the bundle's directory)");
        }
        return readBundle(path, "base bundle");
    }

    /**
     * The files of the bundle at {@code path}, file name to content.
     *
     * @param source how messages name the bundle
     * @throws BundleException when the path is neither a regular file nor a directory, a file is
     *     over a limit, or a zip is corrupt
     * @throws IOException when the file system fails (the caller names the bundle)
     */
    Map<String, byte[]> read(Path path, String source) throws IOException {
        Path real = path.toRealPath();
        BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isDirectory()) {
            return readDirectory(real, source);
        }
        if (!a.isRegularFile()) {
            throw new BundleException(source + " is " + kind(a) + (real.equals(path) ? "" : " (" + real + ")")
                    + ", not a bundle: give a .vae file (a zip) or a bundle directory");
        }
        if (a.size() == 0) {
            throw new BundleException(source + " is empty (0 bytes), not a bundle (a .vae file is a zip; files under /proc or /sys report no size"
                    + " and are not read)");
        }
        if (a.size() > maxTotal) {
            throw new BundleException(source + " is " + a.size() + " bytes, over the limit of " + bytes(maxTotal) + " for a whole bundle");
        }
        try (InputStream in = Files.newInputStream(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return readZip(in, source);
        }
    }

    /**
     * The entries of a bundle zip read from a stream, which is closed.
     *
     * @throws ZipException when the bytes are not a zip with at least one entry
     * @throws BundleException when an entry is over a limit, or two entries have one name
     */
    Map<String, byte[]> readZip(InputStream in, String source) throws IOException {
        Map<String, byte[]> raw = new LinkedHashMap<>();
        long[] total = {0};
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName();
                if (raw.size() == MAX_ENTRIES) {
                    throw new BundleException(source + " has more than " + MAX_ENTRIES + " entries; a bundle zip holds a handful of files");
                }
                if (raw.containsKey(name)) {
                    throw new BundleException(source + " holds two entries named " + name + " (a zip written by ModelBundle.write has one of each)");
                }
                raw.put(name, readBounded(zip, -1, source + "!" + name, limit(name), total));
            }
        } catch (IllegalArgumentException e) {
            // ZipInputStream throws this for an entry name that is not valid UTF-8 (a damaged file).
            ZipException z = new ZipException("bad entry name (" + e.getMessage() + ")");
            z.initCause(e);
            throw z;
        }
        if (raw.isEmpty()) {
            throw new ZipException("no entries (not a zip file, or empty)");
        }
        return raw;
    }

    /**
     * A bundle directory: {@code manifest.json} first; without it, nothing else (the caller says
     * the manifest is missing). Then the files the manifest lists and the required ones, each a
     * plain name inside {@code dir} (a listed name with a separator is not read, so it is reported
     * missing); a name that is absent, or a dangling link, is left out.
     */
    private Map<String, byte[]> readDirectory(Path dir, String source) throws IOException {
        Map<String, byte[]> raw = new LinkedHashMap<>();
        long[] total = {0};
        byte[] manifest = readDirectoryFile(dir, ModelBundle.MANIFEST, source, total);
        if (manifest == null) {
            return raw;
        }
        raw.put(ModelBundle.MANIFEST, manifest);
        Set<String> names = namesToRead(manifest);
        if (names.size() > MAX_ENTRIES) {
            throw new BundleException(source + "/" + ModelBundle.MANIFEST + " lists " + names.size() + " files; a bundle holds a handful (at most "
                    + MAX_ENTRIES + ")");
        }
        for (String name : names) {
            byte[] content = readDirectoryFile(dir, name, source, total);
            if (content != null) {
                raw.put(name, content);
            }
        }
        return raw;
    }

    /** The required files, then the names in the manifest's {@code files} (read leniently: a bad manifest is reported by the loader). */
    private static Set<String> namesToRead(byte[] manifest) {
        Set<String> names = new LinkedHashSet<>(ModelBundle.REQUIRED);
        try {
            ModelBundle.JSON.readTree(manifest).path("files").fieldNames().forEachRemaining(names::add);
        } catch (IOException e) {
            // the loader parses the manifest again and reports where it is broken
        }
        names.removeIf(n -> n.isEmpty() || n.equals(".") || n.equals("..") || n.equals(ModelBundle.MANIFEST) || n.indexOf('/') >= 0
                || n.indexOf('\\') >= 0 || n.indexOf('\0') >= 0);
        return names;
    }

    /** One file of a bundle directory (symbolic links followed), or null when there is none. */
    private byte[] readDirectoryFile(Path dir, String name, String source, long[] total) throws IOException {
        String where = source + "/" + name;
        Path real;
        BasicFileAttributes a;
        try {
            real = dir.resolve(name).toRealPath();
            a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!a.isRegularFile()) {
            throw new BundleException(where + " is " + kind(a) + ", not a regular file; a bundle directory holds regular files only");
        }
        long limit = limit(name);
        if (a.size() > limit) {
            throw new BundleException(where + " is " + a.size() + " bytes, over the limit of " + bytes(limit) + " for one bundle file");
        }
        try (InputStream in = Files.newInputStream(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return readBounded(in, a.size(), where, limit, total);
        }
    }

    private long limit(String name) {
        return name.equals(ModelBundle.MANIFEST) ? Math.min(maxFile, MAX_MANIFEST_BYTES) : maxFile;
    }

    /**
     * At most {@code size} bytes (all, when negative) of a stream, refusing more than {@code limit}
     * for this file or more than the bundle's limit in all ({@code total} counts what was read).
     */
    private byte[] readBounded(InputStream in, long size, String where, long limit, long[] total) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(size, 0), 1 << 20));
        byte[] buf = new byte[1 << 16];
        long want = size < 0 ? Long.MAX_VALUE : size;
        long read = 0;
        while (read < want) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, want - read));
            if (n < 0) {
                break;
            }
            read += n;
            total[0] += n;
            if (read > limit) {
                throw new BundleException(where + " is over the limit of " + bytes(limit) + " for one bundle file");
            }
            if (total[0] > maxTotal) {
                throw new BundleException(where + ": the bundle's files are over the limit of " + bytes(maxTotal) + " in all");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static String kind(BasicFileAttributes a) {
        return a.isDirectory() ? "a directory" : a.isSymbolicLink() ? "a symbolic link" : "a FIFO, socket or device";
    }

    private static String bytes(long n) {
        return n % (1L << 30) == 0 ? n + " bytes (" + (n >> 30) + " GiB)" : n % (1 << 20) == 0 ? n + " bytes (" + (n >> 20) + " MiB)" : n + " bytes";
    }
}
