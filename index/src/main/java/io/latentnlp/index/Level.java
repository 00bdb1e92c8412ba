package io.latentnlp.index;

/**
 * Search granularity of a {@link HashIndex}: whole indexed texts (documents, coded by the majority
 * vote of their sentences' bits) or their sentences. Each level has its own codes, latents and
 * search structures; a query searches one level.
 */
public enum Level {
    DOCUMENT("d"), SENTENCE("s");

    /** The prefix of the level's field names ({@link IndexSchema}). */
    final String prefix;

    Level(String prefix) {
        this.prefix = prefix;
    }

    /** The lower-case name ("document", "sentence"), as the CLI's {@code --level} and the index's 'kind' field spell it. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
