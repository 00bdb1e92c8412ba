package io.latentnlp.index;

import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.bundle.ModelBundle;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What made an index's codes: the model (name and a digest of its files' checksums) and its hash
 * spec. Stored in every commit; an index refuses codes from anything else, since Hamming
 * distances between codes of different models mean nothing.
 *
 * @param model the bundle's name
 * @param modelDigest sha256 over the bundle's file checksums (hex)
 * @param hashMethod the bundle's hash method
 * @param bits code length
 */
public record IndexIdentity(String model, String modelDigest, String hashMethod, int bits) {

    private static final String PREFIX = "latentnlp.";

    public IndexIdentity {
        if (bits < 16 || bits > 256) {
            throw new IllegalArgumentException("illegal code length " + bits + ": the index holds codes of 16 to 256 bits");
        }
    }

    /** The identity of a bundle's codes. */
    public static IndexIdentity of(ModelBundle bundle) {
        Manifest.Hash hash = bundle.manifest().hash();
        if (hash == null) {
            throw new IllegalArgumentException(bundle.source() + " has no hash spec; it cannot feed a semantic-hash index");
        }
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(bundle.manifest().files()).forEach((f, sha) -> sb.append(f).append(' ').append(sha).append('\n'));
        return new IndexIdentity(bundle.manifest().name(), ModelBundle.sha256(sb.toString().getBytes(StandardCharsets.UTF_8)), hash.method(), hash.bits());
    }

    /** As Lucene commit user data. */
    Map<String, String> toUserData() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "model", model);
        m.put(PREFIX + "model_digest", modelDigest);
        m.put(PREFIX + "hash_method", hashMethod);
        m.put(PREFIX + "bits", Integer.toString(bits));
        return m;
    }

    /** From Lucene commit user data, or null when the commit has none. */
    static IndexIdentity fromUserData(Map<String, String> data) {
        if (!data.containsKey(PREFIX + "model")) {
            return null;
        }
        return new IndexIdentity(data.get(PREFIX + "model"), data.get(PREFIX + "model_digest"), data.get(PREFIX + "hash_method"),
                Integer.parseInt(data.get(PREFIX + "bits")));
    }

    @Override
    public String toString() {
        return model + " (" + hashMethod + ", " + bits + " bits, files " + modelDigest.substring(0, Math.min(12, modelDigest.length())) + ")";
    }
}
